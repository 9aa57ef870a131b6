import type { BrowserContext, Page } from '@playwright/test';
import type { Sandbox } from '../sandbox/server';
import { saveAndRefresh } from '../scenarios/core';
import { expect, test } from './fixtures';
import type { PlaywrightPopup } from '../pages/playwright-popup';
import { caseRequest, credentialedFetch, crossSitePage } from '../scenarios/api-tab';

/**
 * The API tab (issue 14): GET navigations to api.hellosign.com (the sandbox, by the host-resolver rule) in the
 * tab the extension opened carry the active profile's token; the rule follows the token; nothing else ever
 * carries it (§2: each case asserts the sandbox recorded no Authorization header).
 */
const API = 'https://api.hellosign.com';
const PASSPHRASE = 'correct horse battery staple';

/** `declarativeNetRequest` as these tests read it in an extension page (not in extension-globals.d.ts). */
interface SessionRulesReader {
  declarativeNetRequest: {
    getSessionRules(): Promise<{ action: { requestHeaders?: { value?: string }[] } }[]>;
  };
}

/** The Authorization value of each session rule, as the browser holds them now. */
const bearer = (page: Page) =>
  page.evaluate(async () => {
    const { chrome: api } = globalThis as unknown as { chrome: SessionRulesReader };
    const rules = await api.declarativeNetRequest.getSessionRules();
    return rules.map((r) => r.action.requestHeaders?.[0]?.value ?? '');
  });

/** The API tab's badge text and tooltip, as the extension set them for that tab. */
const tabBadge = (page: Page) =>
  page.evaluate(async () => {
    const record = (await chrome.storage.session.get('apiTab')).apiTab as { tabId: number } | undefined;
    if (!record) return { text: '(no API tab)', title: '' };
    return {
      text: await chrome.action.getBadgeText({ tabId: record.tabId }),
      title: await chrome.action.getTitle({ tabId: record.tabId }),
    };
  });

/** Saves, refreshes, clicks "Open API tab"; resolves once the tab shows the account. */
async function openApiTab(
  popup: PlaywrightPopup,
  sandbox: Sandbox,
  context: BrowserContext,
): Promise<{ tab: Page; token: string }> {
  await saveAndRefresh({ popup, sandbox });
  const token = sandbox.lastIssued()?.accessToken ?? '';
  await popup.openUseToken();
  const opened = context.waitForEvent('page');
  await popup.page.getByRole('button', { name: 'Open API tab' }).click();
  const tab = await opened;
  await expect(tab.locator('body')).toContainText('me@dropboxsign.com');
  expect(await bearer(popup.page)).toEqual([`Bearer ${token}`]);
  return { tab, token };
}

test('Open API tab: /v3/account answers with the token; another path in the tab too; the rule follows a refresh', async ({
  popup,
  sandbox,
  context,
}) => {
  const { tab, token: first } = await openApiTab(popup, sandbox, context);
  expect(sandbox.accountRequests().at(-1)?.headers.authorization).toBe(`Bearer ${first}`);

  await tab.goto(`${API}/v3/signature_request/list`);
  const listed = sandbox.requests.filter((r) => r.path === '/v3/signature_request/list');
  expect(listed.at(-1)?.headers.authorization).toBe(`Bearer ${first}`);
  // §1: the tab says whose token it carries, after its first page and after every navigation in it.
  await expect(async () =>
    expect(await tabBadge(popup.page)).toEqual({
      text: 'API',
      title: expect.stringContaining('“My API app”'),
    }),
  ).toPass({ timeout: 3000 });

  await popup.refresh();
  const second = sandbox.lastIssued()?.accessToken;
  expect(second).not.toBe(first);
  await expect.poll(() => bearer(popup.page)).toEqual([`Bearer ${second}`]);
  await tab.goto(`${API}/v3/account`);
  expect(sandbox.accountRequests().at(-1)?.headers.authorization).toBe(`Bearer ${second}`);

  // Another tab: no token.
  const other = await context.newPage();
  await other.goto(`${API}/v3/account`);
  expect(sandbox.accountRequests().at(-1)?.headers.authorization).toBeUndefined();

  await tab.close();
  await expect.poll(() => bearer(popup.page)).toEqual([]);
});

test('§2 another tab: a cross-site page that navigates (location, link, new window) or fetches with credentials to the API host sends no token', async ({
  popup,
  sandbox,
  context,
  otherOrigin,
}) => {
  await openApiTab(popup, sandbox, context);
  const other = await otherOrigin('https');
  const page = await context.newPage();
  await page.goto(
    crossSitePage(
      other,
      `<a id="link" href="${API}/v3/account?case=link">account</a>
       <a id="blank" href="${API}/v3/account?case=blank" target="_blank" rel="opener">account</a>`,
    ),
  );

  const fetched = caseRequest(sandbox, 'fetch');
  const outcome = await page.evaluate(credentialedFetch, `${API}/v3/account?case=fetch`);
  expect((await fetched).headers.authorization, outcome).toBeUndefined();

  const opened = caseRequest(sandbox, 'blank');
  await page.locator('#blank').click();
  expect((await opened).headers.authorization).toBeUndefined();

  const popupWindow = caseRequest(sandbox, 'window-open');
  await page.evaluate((url) => void window.open(url), `${API}/v3/account?case=window-open`);
  expect((await popupWindow).headers.authorization).toBeUndefined();

  const linked = caseRequest(sandbox, 'link');
  await page.locator('#link').click();
  expect((await linked).headers.authorization).toBeUndefined();
  await expect(page.locator('body')).toContainText('No credentials supplied');

  await page.goto(crossSitePage(other, '<p>again</p>'));
  const located = caseRequest(sandbox, 'location');
  await page.evaluate((url) => {
    location.href = url;
  }, `${API}/v3/account?case=location`);
  expect((await located).headers.authorization).toBeUndefined();

  // None of it reached the other origin with a token either, and the API tab's rule is still there.
  expect(other.requests.filter((r) => r.headers.authorization !== undefined)).toEqual([]);
  expect(sandbox.requests.filter((r) => r.search.startsWith('?case=') && r.headers.authorization)).toEqual(
    [],
  );
});

test('§2 in the API tab: a form POST, a fetch and an iframe to the API host send no token (same-origin and cross-site)', async ({
  popup,
  sandbox,
  context,
  otherOrigin,
}) => {
  const { tab, token } = await openApiTab(popup, sandbox, context);

  // From the API's own page in the API tab: a POST (state change) and a script's GET.
  const samePost = caseRequest(sandbox, 'same-origin-post', 'POST');
  await tab.evaluate(() => {
    const form = document.createElement('form');
    form.method = 'post';
    form.action = '/v3/account?case=same-origin-post';
    document.body.append(form);
    form.submit();
  });
  expect((await samePost).headers.authorization).toBeUndefined();
  await tab.waitForURL(/case=same-origin-post/);

  await tab.goto(`${API}/v3/account`);
  expect(sandbox.accountRequests().at(-1)?.headers.authorization).toBe(`Bearer ${token}`);
  const sameFetch = caseRequest(sandbox, 'same-origin-fetch');
  await tab.evaluate(async () => {
    await fetch('/v3/account?case=same-origin-fetch');
  });
  expect((await sameFetch).headers.authorization).toBeUndefined();

  // A cross-site page loaded in the API tab: its iframe, its fetch and its form POST to the API host.
  const other = await otherOrigin('https');
  const iframe = caseRequest(sandbox, 'iframe');
  await tab.goto(
    crossSitePage(
      other,
      `<iframe src="${API}/v3/account?case=iframe"></iframe>
       <form id="post" method="post" action="${API}/v3/account?case=cross-site-post">
         <input name="x" value="1"><button>Post</button></form>`,
    ),
  );
  const framed = await iframe;
  expect(framed.headers['sec-fetch-dest']).toBe('iframe');
  expect(framed.headers.authorization).toBeUndefined();

  const crossFetch = caseRequest(sandbox, 'cross-site-fetch');
  await tab.evaluate(async (url) => {
    await fetch(url, { credentials: 'include' }).catch(() => undefined);
  }, `${API}/v3/account?case=cross-site-fetch`);
  expect((await crossFetch).headers.authorization).toBeUndefined();

  const crossPost = caseRequest(sandbox, 'cross-site-post', 'POST');
  await tab.locator('#post button').click();
  const posted = await crossPost;
  expect(posted.bodyText).toBe('x=1');
  expect(posted.headers.authorization).toBeUndefined();

  expect(sandbox.requests.filter((r) => r.search.startsWith('?case=') && r.headers.authorization)).toEqual(
    [],
  );
  expect(other.requests.filter((r) => r.headers.authorization !== undefined)).toEqual([]);
  // Having left the API host, the tab is no longer the API tab: no rule is left for it.
  await expect.poll(() => bearer(popup.page)).toEqual([]);
});

test('§2 rule state: a switch removes the rule, switching back restores it, deleting the profile removes it', async ({
  popup,
  sandbox,
  context,
}) => {
  const { tab, token } = await openApiTab(popup, sandbox, context);

  await popup.profileAction('New profile');
  await expect.poll(() => popup.activeProfileName()).toBe('My API app 2');
  await expect.poll(() => bearer(popup.page)).toEqual([]);
  await expect
    .poll(() => tabBadge(popup.page))
    .toMatchObject({
      text: 'off',
      title: expect.stringContaining('no longer the active profile'),
    });
  // The tab now gets the API's own 401.
  await tab.reload();
  expect(sandbox.accountRequests().at(-1)?.headers.authorization).toBeUndefined();
  await expect(tab.locator('body')).toContainText('No credentials supplied');

  await popup.switchProfile('My API app');
  await expect.poll(() => bearer(popup.page)).toEqual([`Bearer ${token}`]);

  await popup.profileAction('Delete profile');
  await expect.poll(() => popup.profileNames()).toEqual(['My API app 2']);
  await expect.poll(() => bearer(popup.page)).toEqual([]);
  await expect
    .poll(() => tabBadge(popup.page))
    .toMatchObject({
      text: 'off',
      title: expect.stringContaining('deleted'),
    });
  await tab.reload();
  expect(sandbox.accountRequests().at(-1)?.headers.authorization).toBeUndefined();
});

test('§2 rule state: locking the secrets removes the rule', async ({ popup, sandbox, context }) => {
  const { tab, token } = await openApiTab(popup, sandbox, context);
  expect(await popup.setPassphrase(PASSPHRASE)).toMatch(/./);
  await expect.poll(() => bearer(popup.page)).toEqual([`Bearer ${token}`]);
  await popup.lock();
  await expect.poll(() => bearer(popup.page)).toEqual([]);
  await expect
    .poll(() => tabBadge(popup.page))
    .toMatchObject({
      text: 'off',
      title: expect.stringContaining('locked'),
    });
  await tab.reload();
  expect(sandbox.accountRequests().at(-1)?.headers.authorization).toBeUndefined();
});

test('§2 rule state: the rule goes when the token expires (the expiry alarm), and the tab shows the 401', async ({
  popup,
  sandbox,
  context,
}) => {
  // Chromium fires an unpacked extension's alarm at its time, however close.
  sandbox.settings.expiresIn = 5;
  const { tab } = await openApiTab(popup, sandbox, context);
  await expect.poll(() => bearer(popup.page), { timeout: 20_000 }).toEqual([]);
  await expect
    .poll(() => tabBadge(popup.page))
    .toMatchObject({
      text: 'off',
      title: expect.stringContaining('expired'),
    });
  await tab.reload();
  expect(sandbox.accountRequests().at(-1)?.headers.authorization).toBeUndefined();
  await expect(tab.locator('body')).toContainText('No credentials supplied');
});

test('§2 in the API tab: once it has left the API host, a page there cannot send it back with the token; another port of the API hostname gets nothing', async ({
  popup,
  sandbox,
  context,
  otherOrigin,
}) => {
  const { tab } = await openApiTab(popup, sandbox, context);

  // The user follows a link away: the tab stops being the API tab (its rule goes), so the page there cannot
  // send it back to the API with the token (a GET that page chose).
  const other = await otherOrigin('https');
  await tab.goto(crossSitePage(other, `<a id="back" href="${API}/v3/account?case=cross-site-link">back</a>`));
  await expect.poll(() => bearer(popup.page)).toEqual([]);
  const linked = caseRequest(sandbox, 'cross-site-link');
  await tab.locator('#back').click();
  const request = await linked;
  expect(request.headers['sec-fetch-site']).toBe('cross-site');
  expect(request.headers.authorization).toBeUndefined();

  // https://api.hellosign.com:8443 is another origin than the API's (the host-resolver rule sends every port
  // of the name to the sandbox, so the request is recorded): the rule's URL filter leaves it out.
  await popup.page.bringToFront();
  const opened = context.waitForEvent('page');
  await popup.page.getByRole('button', { name: 'Open API tab' }).click();
  const again = await opened;
  await expect(again.locator('body')).toContainText('me@dropboxsign.com');
  const otherPort = caseRequest(sandbox, 'other-port');
  await again.goto(`${API}:8443/v3/account?case=other-port`);
  expect((await otherPort).headers.authorization).toBeUndefined();
});
