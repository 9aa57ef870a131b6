import { REDIRECT_CASES, runRedirectCase } from '../scenarios/redirects';
import { test } from './fixtures';

// The OAuth host is the sandbox's own http://127.0.0.1:PORT; the other origin is another port of 127.0.0.1.
// The popup page reads storage.local itself (Firefox gives extension pages `chrome` with promises too).
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
        oauthHost: sandbox.url,
        readLocalStorage: () => popup.page.evaluate(() => chrome.storage.local.get(null)),
      },
      redirect,
    ));
}
