import type { Page } from 'puppeteer-core';
import { expect, test } from './fixtures';
import { storedDocument } from '../stored-document';

/**
 * The first token in Firefox: by the paste fallback (issue 11 §3): the authorize page in a tab, Approve, the
 * address the tab lands on (the sandbox's own callback page, which the app is registered with here) pasted
 * into "Callback URL or code"; and the authorization window itself (`launchWebAuthFlow`), which puppeteer
 * sees as an ordinary page over WebDriver BiDi.
 */
const xpathField = (label: string) =>
  `::-p-xpath(${JSON.stringify(`//input[@id = //label[normalize-space(.) = ${JSON.stringify(label)}]/@for]`)})`;
const button = (name: string) => `::-p-aria([name=${JSON.stringify(name)}][role="button"])`;

test('the paste fallback: Open authorization page, Approve, paste the callback URL, and the token is stored', async ({
  popup,
  sandbox,
  firefox,
}) => {
  await popup.fill('Client ID', sandbox.app.clientId);
  await popup.fill('Client secret', sandbox.app.clientSecret);
  await popup.fill('OAuth host', sandbox.url);
  expect(await popup.save()).toContain('Saved');

  const { page } = popup;
  await page.locator('::-p-text(Authorize without the callback URL)').click();
  const opened = firefox.browser.waitForTarget((t) => t.url().includes('/oauth/authorize'));
  await page.locator(button('Open authorization page')).click();
  const tab = (await (await opened).page()) as Page;
  await tab.locator(button('Approve')).click();
  await tab.waitForFunction(() => location.pathname === '/oauth/callback', { polling: 50 });
  const landed = tab.url();
  await tab.close();
  expect(new URL(landed).searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);

  await page.locator(xpathField('Callback URL or code')).fill(landed, { typingThreshold: 0 });
  await page.locator(button('Use code')).click();
  await page.waitForFunction(
    () => document.querySelector('.authorize-status')?.textContent.includes('Authorized'),
    { polling: 50, timeout: 10_000 },
  );
  const issued = sandbox.lastIssued();
  expect(sandbox.codeExchangeRequests()).toHaveLength(1);
  const stored = storedDocument(await page.evaluate(() => chrome.storage.local.get(null))) as {
    profiles: { refreshToken: string }[];
  };
  expect(stored.profiles[0]?.refreshToken).toBe(issued?.refreshToken);
  expect(await popup.revealAccessToken()).toBe(issued?.accessToken);
});

test('Authorize with Dropbox Sign: the authorization window over WebDriver BiDi, Approve, and the token is stored', async ({
  popup,
  sandbox,
  firefox,
}) => {
  const { page } = popup;
  const redirect = await page.evaluate(() => browser.identity.getRedirectURL());
  expect(redirect).toMatch(/^https:\/\/[0-9a-f]+\.extensions\.allizom\.org\/$/);
  sandbox.setCallbackUrl(redirect);
  await popup.fill('Client ID', sandbox.app.clientId);
  await popup.fill('Client secret', sandbox.app.clientSecret);
  await popup.fill('OAuth host', sandbox.url);
  expect(await popup.save()).toContain('Saved');

  // The window first shows about:blank: wait for the consent page's address.
  const opened = firefox.browser.waitForTarget((t) => t.url().includes('/oauth/authorize'));
  await page.locator(button('Authorize with Dropbox Sign')).click();
  const consent = (await (await opened).page()) as Page;
  await consent.locator(button('Approve')).click();
  await page.waitForFunction(
    () => document.querySelector('.authorize-status')?.textContent.includes('Authorized'),
    { polling: 50, timeout: 15_000 },
  );
  const issued = sandbox.lastIssued();
  expect(sandbox.codeExchangeRequests()).toHaveLength(1);
  expect(await popup.revealAccessToken()).toBe(issued?.accessToken);
});
