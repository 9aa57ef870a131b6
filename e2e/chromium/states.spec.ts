import type { Locator, Page } from '@playwright/test';
import type { PlaywrightPopup } from '../pages/playwright-popup';
import { credentialsFor, saveAndRefresh } from '../scenarios/core';
import { expect, test } from './fixtures';

/**
 * Every state as a new user meets it, checked for what it must say and where it must point, and saved to
 * artifacts/screenshots/state-<name>-<light|dark>.png for people to look at.
 */

const PASSPHRASE = 'a long enough passphrase';

/** Both themes of the state on screen now; the page is left in the light one. */
async function shoot(popup: PlaywrightPopup, name: string): Promise<void> {
  for (const scheme of ['dark', 'light'] as const) {
    await popup.page.emulateMedia({ colorScheme: scheme });
    await popup.screenshot(`state-${name}-${scheme}`);
  }
}

/** The largest popup Chrome opens is 400 × 600: what the user came for must be in it without scrolling. */
async function asPopupOf600(popup: PlaywrightPopup): Promise<void> {
  await popup.page.setViewportSize({ width: 400, height: 600 });
  await popup.open(); // reopened, as a click on the toolbar icon does: the credentials are folded again
}

async function expectWhollyInFirst600(page: Page, locators: Locator[]): Promise<void> {
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  for (const locator of locators) await expect(locator).toBeInViewport({ ratio: 1 });
}

function timer(page: Page): Locator {
  return page.getByRole('timer', { name: 'Expires in' });
}

function refreshNow(page: Page): Locator {
  return page.getByRole('button', { name: 'Refresh now' });
}

async function fontSize(locator: Locator): Promise<number> {
  return locator.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
}

test.beforeEach(async ({ popup }) => {
  await popup.page.emulateMedia({ colorScheme: 'light' });
});

test('the first run: each field name in the steps opens and focuses its field; Save and refresh gets a token in one click', async ({
  popup,
  sandbox,
}) => {
  const { page } = popup;
  await shoot(popup, 'empty');
  await page.locator('.empty').getByRole('button', { name: 'Refresh token' }).click();
  const field = page.getByLabel('Refresh token', { exact: true });
  await expect(field).toBeFocused();
  await expect(field).toBeInViewport({ ratio: 1 });

  await popup.fillCredentials(credentialsFor(sandbox));
  await page.getByRole('button', { name: 'Save and refresh' }).click();
  await expect(page.getByRole('textbox', { name: 'Access token' })).toBeVisible();
  expect(sandbox.tokenRefreshRequests()).toHaveLength(1);
  await expect(page.getByText('Press “Refresh now”')).toHaveCount(0);
  await expect(page.locator('.form-status')).toHaveText('Saved.');
  await shoot(popup, 'first-token');
});

test('a token fits a 400 × 600 popup: header, Refresh now, the token and its countdown, no scrolling', async ({
  popup,
  sandbox,
}) => {
  await saveAndRefresh({ popup, sandbox });
  await asPopupOf600(popup);
  const { page } = popup;
  await expectWhollyInFirst600(page, [
    page.locator('.app-header'),
    refreshNow(page),
    page.locator('.token'),
    timer(page),
  ]);
  await expect(page.locator('details.credentials-details')).not.toHaveAttribute('open');
  await shoot(popup, 'token');
});

test('"Copied" appears over the token and moves nothing', async ({ popup, sandbox }) => {
  await saveAndRefresh({ popup, sandbox });
  const { page } = popup;
  const boxes = () =>
    page.evaluate(() =>
      ['.token', '[role="timer"]', '.copy-row', '.request-details', '.credentials-section'].map((s) => {
        const r = document.querySelector(s)?.getBoundingClientRect();
        return r ? [r.top, r.height] : null;
      }),
    );
  const before = await boxes();
  expect(await popup.copyAccessToken()).toBe('Copied access token');
  await expect(page.locator('.copy-status')).toBeVisible();
  expect(await boxes()).toEqual(before);
  await shoot(popup, 'copied');
  await expect(page.locator('.copy-status')).toBeEmpty({ timeout: 5000 });
  expect(await boxes()).toEqual(before);
});

test('expired: one line says so, and a copy of the dead token is marked', async ({ popup, sandbox }) => {
  sandbox.settings.expiresIn = 1;
  await saveAndRefresh({ popup, sandbox });
  const { page } = popup;
  await expect(timer(page)).toHaveText('Expired');
  const line = page.locator('.expiry-main');
  await expect(line).toHaveText(/^Expired\s+at \d\d:\d\d:\d\d( [AP]M)?$/, { useInnerText: true });
  // One line: no taller than one line of its largest text.
  const { height, lineHeight } = await line.evaluate((el) => ({
    height: el.getBoundingClientRect().height,
    lineHeight: parseFloat(getComputedStyle(el.querySelector('.countdown') ?? el).fontSize) * 1.45,
  }));
  expect(height).toBeLessThanOrEqual(lineHeight + 1);
  await expect(page.getByRole('button', { name: 'Copy access token' })).toHaveClass('secondary');

  expect(await popup.copyAccessToken()).toBe('Copied, but this token has expired');
  expect(await popup.clipboardText()).toBe(sandbox.lastIssued()?.accessToken);
  await shoot(popup, 'expired-copied');
  await expect(page.locator('.copy-status')).toBeEmpty({ timeout: 5000 });
  await asPopupOf600(popup);
  await expectWhollyInFirst600(page, [refreshNow(page), line]);
  await shoot(popup, 'expired');
});

test('invalid_grant: what to do reads largest after the title, and the main action is Authorize again', async ({
  popup,
  sandbox,
}) => {
  await saveAndRefresh({ popup, sandbox });
  await asPopupOf600(popup);
  const { page } = popup;
  sandbox.injectFault({
    kind: 'json',
    status: 400,
    body: { error: 'invalid_grant', error_description: 'The refresh token is invalid or expired' },
  });
  await popup.refresh();
  await expect.poll(() => popup.failureTitle()).toBe('The refresh token was rejected');

  const alert = page.getByRole('alert');
  const action = alert.locator('.notice-action');
  await expect(alert.locator('p').nth(1)).toHaveClass('notice-action');
  const actionSize = await fontSize(action);
  expect(actionSize).toBeGreaterThan(await fontSize(alert.locator('.notice-server')));
  expect(actionSize).toBeGreaterThan(await fontSize(alert.locator('.notice-foot')));
  expect(actionSize).toBeLessThan(await fontSize(alert.locator('.notice-title')));
  // Retrying cannot help: Refresh now steps back, the fix is the main button.
  await expect(refreshNow(page)).toHaveClass(/\bsecondary\b/);
  // The refresh token is spent: the fix is a new one, from authorizing the app again (authorize.spec.ts).
  const fix = alert.getByRole('button', { name: 'Authorize again' });
  await expect(fix).toHaveClass('primary');
  // The last good token is still there, with its countdown, in the first 600 px.
  await expectWhollyInFirst600(page, [refreshNow(page), alert, timer(page)]);
  await shoot(popup, 'error-invalid-grant');
});

test('invalid_client: the main action opens and focuses the client ID', async ({ popup, sandbox }) => {
  await popup.fillCredentials({ ...credentialsFor(sandbox), clientSecret: 'not-the-app-secret' });
  await popup.save();
  await asPopupOf600(popup);
  const { page } = popup;
  await popup.refresh();
  await expect.poll(() => popup.failureTitle()).toBe('The client ID or client secret was rejected');
  await expect(refreshNow(page)).toHaveClass(/\bsecondary\b/);
  await shoot(popup, 'error-invalid-client');
  await page.getByRole('button', { name: 'Check the client ID and secret' }).click();
  await expect(page.getByLabel('Client ID', { exact: true })).toBeFocused();
});

test('a failure a retry can cure keeps Refresh now as the main action', async ({ popup, sandbox }) => {
  await saveAndRefresh({ popup, sandbox });
  await asPopupOf600(popup);
  sandbox.injectFault({ kind: 'status', status: 503 });
  await popup.refresh();
  await expect.poll(() => popup.failureTitle()).toBe('Dropbox Sign had a server error');
  await expect(refreshNow(popup.page)).toHaveClass(/\bprimary\b/);
  await expect(popup.page.getByRole('alert').getByRole('button')).toHaveCount(0);
  await expectWhollyInFirst600(popup.page, [refreshNow(popup.page), timer(popup.page)]);
  await shoot(popup, 'error-server');
});

test('validation: the message points above, goes as soon as the field is corrected', async ({
  popup,
  sandbox,
}) => {
  const { page } = popup;
  await popup.fill('Client ID', sandbox.app.clientId);
  expect(await popup.save()).toBe('Not saved: correct the fields marked above.');
  const field = page.getByLabel('Refresh token', { exact: true });
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toBeFocused();
  await shoot(popup, 'validation');
  await field.fill(sandbox.issueRefreshToken());
  await expect(field).not.toHaveAttribute('aria-invalid');
  await expect(field).toHaveAccessibleDescription('');
  await expect(page.locator('.form-status')).toBeEmpty();
});

test('a pasted token response: its refresh_token is used and its access token kept, with no refresh spent', async ({
  popup,
  sandbox,
}) => {
  const { page } = popup;
  const refreshToken = sandbox.issueRefreshToken();
  const held = 'an-access-token-the-user-already-holds';
  await popup.fillCredentials({
    ...credentialsFor(sandbox),
    refreshToken: JSON.stringify({
      access_token: held,
      token_type: 'Bearer',
      refresh_token: refreshToken,
      expires_in: 3600,
    }),
  });
  const said = 'Using the refresh_token from the pasted JSON. Its access token is kept as the current token.';
  const field = page.getByLabel('Refresh token', { exact: true });
  await expect(field).toHaveAccessibleDescription(said);
  // The token is at hand: plain Save is the main button, and the one Enter presses.
  await expect(page.locator('.form-actions button').first()).toHaveText('Save');
  await shoot(popup, 'pasted-json');
  expect(await popup.save()).toBe(`Saved. ${said}`);
  expect(await popup.fieldValue('Refresh token')).toBe(refreshToken);
  await expect.poll(() => popup.hasAccessToken()).toBe(true);
  expect(await popup.revealAccessToken()).toBe(held);
  expect(await popup.countdown()).toMatch(/^(0:59:\d\d|1:00:00)$/);
  await expect(page.locator('.token .note')).toContainText('pasted');
  expect(sandbox.tokenRefreshRequests()).toHaveLength(0);
  await shoot(popup, 'pasted-json-saved');
});

test('locked: the expiry still counts down, and the lock panel is the only lock control', async ({
  popup,
  sandbox,
}) => {
  await saveAndRefresh({ popup, sandbox });
  expect(await popup.setPassphrase(PASSPHRASE)).toBe('Passphrase set. Your secrets are now encrypted.');
  await popup.lock();
  await asPopupOf600(popup);
  const { page } = popup;
  await expect(timer(page)).toHaveText(/^0:59:\d\d$/);
  await expect(page.getByRole('textbox', { name: 'Access token' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Locked/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Unlock', exact: true })).toBeVisible();
  await expectWhollyInFirst600(page, [page.locator('.lock-panel'), timer(page)]);
  await shoot(popup, 'locked');
});
