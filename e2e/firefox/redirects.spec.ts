import { REDIRECT_CASES, runRedirectCase, type RedirectCase } from '../scenarios/redirects';
import { expect, test } from './fixtures';

/**
 * Only two of the redirect variants run here; e2e/chromium/redirects.spec.ts runs all of them. What differs
 * between the variants (the status, the scheme of the target, the message, what is stored) is decided by the
 * extension's own code, the same in both browsers. What Firefox has to prove is that its `fetch` with
 * `redirect: 'manual'` hands the redirect back unfollowed just as Chromium's does, for a target on another
 * https origin and for one on plain http:// (each Firefox test launches a browser, about 20 s on a loaded CI
 * machine). Both chosen statuses are the ones a followed redirect would re-POST the secrets with.
 */
const FIREFOX_CASES: readonly Pick<RedirectCase, 'status' | 'scheme'>[] = [
  { status: 307, scheme: 'https' },
  { status: 308, scheme: 'http' },
];

const cases = REDIRECT_CASES.filter((c) =>
  FIREFOX_CASES.some((wanted) => wanted.status === c.status && wanted.scheme === c.scheme),
);

// A renamed or removed variant fails here rather than silently leaving Firefox with fewer cases.
test('the redirect variants chosen for Firefox are among the shared ones', () => {
  expect(cases).toHaveLength(FIREFOX_CASES.length);
});

// The OAuth host is the sandbox's own http://127.0.0.1:PORT; the other origin is another port of 127.0.0.1.
// The popup page reads storage.local itself (Firefox gives extension pages `chrome` with promises too).
for (const redirect of cases) {
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
