import type { Page } from 'puppeteer-core';
import type { PuppeteerPopup } from '../pages/puppeteer-popup';
import type { RecordedRequest, Sandbox } from '../sandbox/server';
import { saveAndRefresh } from '../scenarios/core';
import type { FirefoxWithExtension } from './launch';
import { expect, test } from './fixtures';

/**
 * The API tab (issue 14) in Firefox. Firefox cannot send api.hellosign.com to the sandbox, so the OAuth host
 * is the sandbox's own http://127.0.0.1:PORT, which the extension then also takes as the API host: the rule
 * is for GET main-frame navigations to 127.0.0.1 in the API tab. The add-on page reads the session rules.
 */

/** `declarativeNetRequest` and `storage.session` as these tests read them in an add-on page. */
interface ExtensionApis {
  declarativeNetRequest: {
    getSessionRules(): Promise<{ action: { requestHeaders?: { value?: string }[] } }[]>;
  };
  storage: { session: { get(key: string): Promise<Record<string, unknown>> } };
  action: {
    getBadgeText(details: { tabId: number }): Promise<string>;
    getTitle(details: { tabId: number }): Promise<string>;
  };
}

/** The Authorization value of each session rule, as Firefox holds them now. */
const bearer = (page: Page) =>
  page.evaluate(async () => {
    const { browser: api } = globalThis as unknown as { browser: ExtensionApis };
    const rules = await api.declarativeNetRequest.getSessionRules();
    return rules.map((r) => r.action.requestHeaders?.[0]?.value ?? '');
  });

/** The API tab's badge text and tooltip, as the add-on set them for that tab. */
const tabBadge = (page: Page) =>
  page.evaluate(async () => {
    const { browser: api } = globalThis as unknown as { browser: ExtensionApis };
    const record = (await api.storage.session.get('apiTab')).apiTab as { tabId: number } | undefined;
    if (!record) return { text: '(no API tab)', title: '' };
    return {
      text: await api.action.getBadgeText({ tabId: record.tabId }),
      title: await api.action.getTitle({ tabId: record.tabId }),
    };
  });

/** Polls `read` (every 100 ms, up to `timeout`) until it deep-equals `expected`; event-driven, no fixed sleep. */
async function until<T>(read: () => Promise<T>, expected: T, timeout = 10_000): Promise<void> {
  await expect.poll(read, { timeout, intervals: [100] }).toEqual(expected);
}

/** The request to the sandbox whose query is `?case=<name>`, once it has arrived. */
function caseRequest(sandbox: Sandbox, name: string): Promise<RecordedRequest> {
  return sandbox.nextRequest((r) => r.search === `?case=${name}`);
}

/** Saves, refreshes, clicks "Open API tab"; resolves with the new tab once it shows the account. */
async function openApiTab(
  firefox: FirefoxWithExtension,
  popup: PuppeteerPopup,
  sandbox: Sandbox,
): Promise<{ tab: Page; token: string }> {
  await saveAndRefresh({ popup, sandbox, oauthHost: sandbox.url });
  const token = sandbox.lastIssued()?.accessToken ?? '';
  await popup.openUseToken();
  const arrived = sandbox.nextRequest((r) => r.path === '/v3/account' && r.method === 'GET');
  // The tab first shows about:blank: wait for the API's address.
  const opened = firefox.browser.waitForTarget((t) => t.url().startsWith(`${sandbox.url}/v3/account`), {
    timeout: 15_000,
  });
  await popup.page.locator('::-p-aria([name="Open API tab"][role="button"])').click();
  const tab = (await (await opened).page()) as Page;
  const first = await arrived;
  expect(first.headers.authorization).toBe(`Bearer ${token}`);
  await tab.waitForFunction(() => document.body.textContent.includes('me@dropboxsign.com'), {
    polling: 100,
    timeout: 10_000,
  });
  expect(await bearer(popup.page)).toEqual([`Bearer ${token}`]);
  return { tab, token };
}

test('Open API tab: /v3/account answers with the token, another GET path too (the tab marked), not another tab; a refresh updates it; closing the tab removes it', async ({
  firefox,
  popup,
  sandbox,
}) => {
  const { tab, token: first } = await openApiTab(firefox, popup, sandbox);

  const listed = caseRequest(sandbox, 'list');
  await tab.goto(`${sandbox.url}/v3/signature_request/list?case=list`);
  expect((await listed).headers.authorization).toBe(`Bearer ${first}`);
  // §1: the tab says whose token it carries, after its first page and after every navigation in it.
  await expect(async () =>
    expect(await tabBadge(popup.page)).toEqual({
      text: 'API',
      title: expect.stringContaining('“My API app”'),
    }),
  ).toPass({ timeout: 3000 });

  // Another tab: nothing.
  const other = await firefox.browser.newPage();
  const elsewhere = caseRequest(sandbox, 'other-tab');
  await other.goto(`${sandbox.url}/v3/account?case=other-tab`);
  expect((await elsewhere).headers.authorization).toBeUndefined();
  await other.close();

  // A refresh: the same tab now carries the new token. (The popup's tab first comes to the front: Firefox
  // throttles the timers of a background tab, and the page object's polling then takes many seconds.)
  await popup.page.bringToFront();
  await popup.refresh();
  const second = sandbox.lastIssued()?.accessToken;
  expect(second).not.toBe(first);
  await until(() => bearer(popup.page), [`Bearer ${second}`]);
  const again = caseRequest(sandbox, 'after-refresh');
  await tab.goto(`${sandbox.url}/v3/account?case=after-refresh`);
  expect((await again).headers.authorization).toBe(`Bearer ${second}`);

  await tab.close();
  await until(() => bearer(popup.page), []);
  await until(() => tabBadge(popup.page), { text: '(no API tab)', title: '' });
});

test('§2 in the API tab: an iframe and a form POST get no token; nor another origin of the API hostname, nor a navigation a cross-site page starts', async ({
  firefox,
  popup,
  sandbox,
  otherOrigin,
}) => {
  const { tab } = await openApiTab(firefox, popup, sandbox);
  const other = await otherOrigin('http');
  // A cross-site page: http://localhost:<other port> (a host the add-on has no access to), served once per load.
  const crossSite = (): string => {
    other.injectAccountFault({
      kind: 'status',
      status: 200,
      contentType: 'text/html; charset=utf-8',
      body: `<!DOCTYPE html><title>Elsewhere</title>
        <iframe src="${sandbox.url}/v3/account?case=iframe"></iframe>
        <form id="post" method="post" action="${sandbox.url}/v3/account?case=post"><input name="x" value="1"></form>
        <a id="back" href="${sandbox.url}/v3/account?case=cross-site-link">back</a>`,
    });
    return `http://localhost:${other.port}/v3/account`;
  };

  const framed = caseRequest(sandbox, 'iframe');
  await tab.goto(crossSite());
  const iframe = await framed;
  expect(iframe.headers['sec-fetch-dest']).toBe('iframe');
  expect(iframe.headers.authorization).toBeUndefined();

  const posted = caseRequest(sandbox, 'post');
  await tab.evaluate(() => {
    (document.getElementById('post') as HTMLFormElement).submit();
  });
  const post = await posted;
  expect(post.method).toBe('POST');
  expect(post.headers.authorization).toBeUndefined();

  // Having left the API host, the tab is the API tab no more: another port of 127.0.0.1 (the rule's URL
  // filter names the API's origin), a link back from a cross-site page, even the API typed in the tab: none
  // carries the token. Opening the API tab again from the popup gives a new one.
  const reached = other.nextRequest((r) => r.search === '?case=other-port');
  await tab.goto(`${other.url}/v3/account?case=other-port`);
  expect((await reached).headers.authorization).toBeUndefined();

  await tab.goto(crossSite());
  const linked = caseRequest(sandbox, 'cross-site-link');
  await tab.locator('#back').click();
  const link = await linked;
  expect(link.headers['sec-fetch-site']).toBe('cross-site');
  expect(link.headers.authorization).toBeUndefined();

  const back = caseRequest(sandbox, 'typed');
  await tab.goto(`${sandbox.url}/v3/account?case=typed`);
  expect((await back).headers.authorization).toBeUndefined();
});
