import type { Page } from '@playwright/test';
import { credentialsFor, saveAndRefresh } from '../scenarios/core';
import { expect, test } from './fixtures';

/**
 * The main states in light and dark, saved to artifacts/screenshots/ for people to look at. Each shot
 * asserts the state it claims to show and that no secret is visible in the page's text.
 */
for (const scheme of ['light', 'dark'] as const) {
  test.describe(`${scheme} theme`, () => {
    test.beforeEach(async ({ popup }) => {
      await popup.page.emulateMedia({ colorScheme: scheme });
    });

    test('empty, filled, token and error states', async ({ popup, sandbox }) => {
      await expect(
        popup.page.getByRole('heading', { name: 'Get a fresh access token in one click' }),
      ).toBeVisible();
      await popup.screenshot(`empty-${scheme}`);

      const credentials = credentialsFor(sandbox);
      await popup.fillCredentials(credentials);
      await assertNoSecretVisible(popup.page, [credentials.clientSecret, credentials.refreshToken]);
      await popup.screenshot(`filled-${scheme}`);

      await popup.save();
      await popup.refresh();
      await expect(popup.page.getByRole('timer', { name: 'Expires in' })).toBeVisible();
      const issued = sandbox.lastIssued();
      await assertNoSecretVisible(popup.page, [
        credentials.clientSecret,
        issued?.refreshToken ?? '',
        issued?.accessToken ?? '',
      ]);
      await popup.screenshot(`token-${scheme}`);

      sandbox.injectFault({
        kind: 'json',
        status: 400,
        body: {
          error: 'invalid_grant',
          error_description: 'The refresh token is invalid, expired or has already been used',
        },
      });
      await popup.refresh();
      await expect(popup.page.getByRole('alert')).toContainText('The refresh token was rejected');
      await popup.screenshot(`error-${scheme}`);
    });

    test('authorize: client ID and secret saved, no refresh token yet', async ({ popup, sandbox }) => {
      await popup.fill('Client ID', sandbox.app.clientId);
      await popup.fill('Client secret', sandbox.app.clientSecret);
      await popup.save();
      await expect(popup.page.getByRole('button', { name: 'Authorize with Dropbox Sign' })).toBeVisible();
      await popup.page.getByText('Authorize without the callback URL').click();
      await assertNoSecretVisible(popup.page, [sandbox.app.clientSecret]);
      await popup.screenshot(`authorize-${scheme}`);
    });

    test('use the token: verified, the last exchange masked, copy as code, history', async ({
      popup,
      sandbox,
    }) => {
      const credentials = await saveAndRefresh({ popup, sandbox });
      await popup.refresh();
      expect(await popup.verifyToken()).toContain('me@dropboxsign.com');
      await popup.lastExchange('refresh');
      await expect.poll(async () => (await popup.history()).rows.length).toBe(2);
      await popup.page.locator('.code-preview > summary').click();
      const issued = sandbox.lastIssued();
      await assertNoSecretVisible(popup.page, [
        credentials.clientSecret,
        issued?.refreshToken ?? '',
        issued?.accessToken ?? '',
      ]);
      await popup.page.locator('.use-token-section').scrollIntoViewIfNeeded();
      await popup.screenshot(`use-token-${scheme}`);
    });

    test('automatic refresh: on, then paused by a rejected refresh token', async ({ popup, sandbox }) => {
      await saveAndRefresh({ popup, sandbox });
      await popup.setAutoRefresh(true);
      await expect(popup.page.locator('.auto-status')).toContainText('Next automatic refresh');
      await popup.screenshot(`auto-refresh-on-${scheme}`);
      sandbox.injectFault({
        kind: 'json',
        status: 400,
        body: { error: 'invalid_grant', error_description: 'Invalid refresh token' },
      });
      await popup.refresh();
      await expect(popup.page.locator('.auto-status')).toContainText(
        'Paused: The refresh token was rejected',
      );
      await popup.screenshot(`auto-refresh-paused-${scheme}`);
    });

    test('expiring soon and expired', async ({ popup, sandbox }) => {
      sandbox.settings.expiresIn = 240;
      await saveAndRefresh({ popup, sandbox });
      await expect(popup.page.getByText('Expiring soon')).toBeVisible();
      await popup.screenshot(`expiring-${scheme}`);
      sandbox.settings.expiresIn = 1;
      await popup.refresh();
      // The token lives 1 s: the countdown reaches "Expired" at its next tick after that.
      await expect(popup.page.getByRole('timer', { name: 'Expires in' })).toHaveText('Expired');
      await popup.screenshot(`expired-${scheme}`);
    });
  });
}

async function assertNoSecretVisible(page: Page, secrets: string[]): Promise<void> {
  const text = await page.locator('body').innerText();
  const html = await page.content();
  for (const secret of secrets.filter(Boolean)) {
    expect(text).not.toContain(secret);
    expect(html).not.toContain(secret);
  }
}
