import { checkFontSizes, measureFonts } from '../scenarios/fonts';
import { test } from './fixtures';

test('the main texts have the same fixed sizes as in Firefox, and none is below 12 px', async ({
  popup,
  sandbox,
}) => {
  await checkFontSizes({ popup, sandbox }, (args) => popup.page.evaluate(measureFonts, args));
});
