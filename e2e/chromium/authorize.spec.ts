import type { Page } from '@playwright/test';
import type { PlaywrightPopup } from '../pages/playwright-popup';
import type { Sandbox } from '../sandbox/server';
import { refreshTokenIn, saveAndRefresh } from '../scenarios/core';
import { readDoc } from './devtools';
import { pageOpenedBy } from './opened-page';
import { expect, test } from './fixtures';

/**
 * The first token (issue 11), through the real `identity.launchWebAuthFlow`: the worker opens the sandbox's
 * consent page (host-mapped to app.hellosign.com) in the browser's authorization window, which Playwright
 * sees as a page of the context; Approve redirects to `https://<id>.chromiumapp.org/`, which ends the flow.
 * The paste fallback opens the same page in a tab; the tab lands on that callback URL (which does not
 * resolve, but its address is what the user copies).
 */

/** Client ID and secret saved, no refresh token: the profile the authorization completes. */
async function saveAppOnly(popup: PlaywrightPopup, sandbox: Sandbox, extensionId: string): Promise<void> {
  sandbox.setCallbackUrl(`https://${extensionId}.chromiumapp.org/`);
  await popup.fill('Client ID', sandbox.app.clientId);
  await popup.fill('Client secret', sandbox.app.clientSecret);
  expect(await popup.save()).toContain('Saved');
  await expect(authorizeButton(popup.page)).toBeVisible();
}

function authorizeButton(page: Page) {
  return page.getByRole('button', { name: 'Authorize with Dropbox Sign' });
}

/** Clicks "Authorize with Dropbox Sign" and returns the consent page the authorization window shows. */
async function openConsent(popup: PlaywrightPopup): Promise<Page> {
  const page = await pageOpenedBy(
    popup.page.context(),
    () => authorizeButton(popup.page).click(),
    /\/oauth\/authorize/,
  );
  await page.getByRole('button', { name: 'Approve' }).waitFor();
  return page;
}

/** The line under the button, once it says how the authorization ended. */
async function outcome(page: Page): Promise<string> {
  const status = page.locator('.authorize-status');
  await status.filter({ hasText: /\S/ }).waitFor();
  return (await status.textContent()) ?? '';
}

test('Approve in the authorization window: the token is shown, and the next refresh uses the new refresh token', async ({
  popup,
  sandbox,
  extensionId,
}) => {
  await saveAppOnly(popup, sandbox, extensionId);
  await expect(popup.page.getByLabel('Callback URL to register')).toHaveValue(
    `https://${extensionId}.chromiumapp.org/`,
  );
  const consent = await openConsent(popup);
  const authorizeUrl = new URL(consent.url());
  expect(authorizeUrl.searchParams.get('response_type')).toBe('code');
  expect(authorizeUrl.searchParams.get('client_id')).toBe(sandbox.app.clientId);
  expect(authorizeUrl.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(authorizeUrl.searchParams.has('scope')).toBe(false);
  await consent.getByRole('button', { name: 'Approve' }).click();

  expect(await outcome(popup.page)).toContain('Authorized');
  const issued = sandbox.lastIssued();
  expect(sandbox.codeExchangeRequests()).toHaveLength(1);
  expect(JSON.parse(sandbox.codeExchangeRequests()[0]?.bodyText ?? '{}')).toMatchObject({
    grant_type: 'authorization_code',
    client_id: sandbox.app.clientId,
    client_secret: sandbox.app.clientSecret,
    state: authorizeUrl.searchParams.get('state'),
  });
  await expect.poll(() => popup.hasAccessToken()).toBe(true);
  expect(await popup.revealAccessToken()).toBe(issued?.accessToken);
  expect((await readDoc(popup.page)).profile.refreshToken).toBe(issued?.refreshToken);

  await popup.refresh();
  expect(refreshTokenIn(sandbox.tokenRefreshRequests()[0])).toBe(issued?.refreshToken);
});

test('Deny: says the authorization was declined, and no code is exchanged', async ({
  popup,
  sandbox,
  extensionId,
}) => {
  await saveAppOnly(popup, sandbox, extensionId);
  const consent = await openConsent(popup);
  await consent.getByRole('button', { name: 'Deny' }).click();
  expect(await outcome(popup.page)).toContain('You declined the authorization');
  expect(sandbox.codeExchangeRequests()).toHaveLength(0);
  expect(await popup.hasAccessToken()).toBe(false);
});

test('a callback with another state is refused: nothing is sent or stored', async ({
  popup,
  sandbox,
  extensionId,
}) => {
  await saveAppOnly(popup, sandbox, extensionId);
  sandbox.tamperNextState();
  const consent = await openConsent(popup);
  await consent.getByRole('button', { name: 'Approve' }).click();
  expect(await outcome(popup.page)).toContain('does not belong to this authorization');
  expect(sandbox.codeExchangeRequests()).toHaveLength(0);
  expect((await readDoc(popup.page)).profile.refreshToken).toBe('');
});

test('the paste fallback: a full callback URL, then a bare code; a code used once is refused in plain words', async ({
  popup,
  sandbox,
  extensionId,
  context,
}) => {
  await saveAppOnly(popup, sandbox, extensionId);
  const { page } = popup;
  await page.getByText('Authorize without the callback URL').click();

  const openAuthorizationPage = () => page.getByRole('button', { name: 'Open authorization page' }).click();
  // A tab on the authorize page; after Approve it lands on the callback URL, whose address the user copies.
  const landed = async (): Promise<string> => {
    const opened = await pageOpenedBy(context, openAuthorizationPage, /\/oauth\/authorize/);
    // The callback host does not resolve in a normal tab: its address is taken from the request for it.
    const callback = opened.waitForRequest((request) => request.url().includes('.chromiumapp.org/'));
    await opened.getByRole('button', { name: 'Approve' }).click();
    const url = (await callback).url();
    await opened.close();
    return url;
  };

  const first = await landed();
  await page.getByLabel('Callback URL or code').fill(first);
  await page.getByRole('button', { name: 'Use code' }).click();
  expect(await outcome(page)).toContain('Authorized');
  const issuedFirst = sandbox.lastIssued();
  expect((await readDoc(page)).profile.refreshToken).toBe(issuedFirst?.refreshToken);

  // A bare code: accepted, with a note that its state could not be checked.
  const second = await landed();
  const code = new URL(second).searchParams.get('code') ?? '';
  await page.getByLabel('Callback URL or code').fill(code);
  await page.getByRole('button', { name: 'Use code' }).click();
  await expect.poll(() => sandbox.codeExchangeRequests().length).toBe(2);
  await expect
    .poll(async () => (await readDoc(page)).profile.refreshToken)
    .toBe(sandbox.lastIssued()?.refreshToken);
  await expect(page.getByText('could not be checked')).toBeVisible();

  // The same code again, in a new attempt: the server refuses it, and the words say why.
  await (await pageOpenedBy(context, openAuthorizationPage, /\/oauth\/authorize/)).close();
  await page.getByLabel('Callback URL or code').fill(code);
  await page.getByRole('button', { name: 'Use code' }).click();
  await expect.poll(() => popup.failureTitle()).toMatch(/already used|older than/i);
  expect(sandbox.codeExchangeRequests()).toHaveLength(3);
});

test('after an invalid_grant, "Authorize again" gets a new refresh token', async ({
  popup,
  sandbox,
  extensionId,
}) => {
  sandbox.setCallbackUrl(`https://${extensionId}.chromiumapp.org/`);
  await saveAndRefresh({ popup, sandbox });
  sandbox.injectFault({
    kind: 'json',
    status: 400,
    body: { error: 'invalid_grant', error_description: 'Invalid refresh token' },
  });
  await popup.refresh();
  await expect.poll(() => popup.failureTitle()).toBe('The refresh token was rejected');
  const before = (await readDoc(popup.page)).profile.refreshToken;

  const exchanged = sandbox.nextRequest((r) => r.method === 'POST' && r.path === '/oauth/token');
  const consent = await pageOpenedBy(
    popup.page.context(),
    () => popup.page.getByRole('button', { name: 'Authorize again' }).click(),
    /\/oauth\/authorize/,
  );
  await consent.getByRole('button', { name: 'Approve' }).click();
  const exchange = await exchanged;
  // The code the window's callback carried was exchanged; what the worker stored is the outcome (on CI's
  // loaded cores this took several seconds once: the stored token is waited for before the notice is read).
  expect(JSON.parse(exchange.bodyText)).toMatchObject({ grant_type: 'authorization_code' });
  await expect
    .poll(async () => (await readDoc(popup.page)).profile.refreshToken, { timeout: 20_000 })
    .not.toBe(before);
  const issued = sandbox.lastIssued();
  expect((await readDoc(popup.page)).profile.refreshToken).toBe(issued?.refreshToken);
  await expect.poll(() => popup.failureTitle()).toBe('');
  expect(await popup.revealAccessToken()).toBe(issued?.accessToken);
});
