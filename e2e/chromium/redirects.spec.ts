import { REDIRECT_CASES, runRedirectCase } from '../scenarios/redirects';
import { test } from './fixtures';

// The OAuth host is the default https://app.hellosign.com, sent to the sandbox (see launch.ts); the other
// origin is another port of 127.0.0.1. The popup page reads storage.local itself: an extension page may.
for (const redirect of REDIRECT_CASES) {
  test(`a redirect (${redirect.name}) is refused: the other origin receives nothing and nothing stored changes`, ({
    popup,
    sandbox,
    otherOrigin,
  }) =>
    runRedirectCase(
      {
        popup,
        sandbox,
        otherOrigin,
        readLocalStorage: () => popup.page.evaluate(() => chrome.storage.local.get(null)),
      },
      redirect,
    ));
}
