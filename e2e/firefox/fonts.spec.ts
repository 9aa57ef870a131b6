import { checkFontSizes, measureFonts } from '../scenarios/fonts';
import { test } from './fixtures';

test('the main texts have the same fixed sizes as in Chromium, and none is below 12 px', async ({
  popup,
  sandbox,
}) => {
  await checkFontSizes({ popup, sandbox, oauthHost: sandbox.url }, (args) =>
    popup.page.evaluate(measureFonts, args),
  );
});
