import { expect } from '@playwright/test';
import type { Sandbox } from '../sandbox/server';
import { saveAndRefresh, type ScenarioContext } from './core';

/**
 * The optional passphrase vault, through the popup only, in every browser: setting a passphrase, locking,
 * a wrong and the right passphrase, and removing it. Firefox is where it matters most: storage.session and
 * the event page behave differently there. The Chromium-only details (KDF parameters, browser restart, the
 * worker refusing a forged message, themes) stay in e2e/chromium/vault.spec.ts.
 */
export interface VaultScenarioContext extends ScenarioContext {
  /** What `storage.local` holds now, when the spec can read it from the extension page. */
  readLocalStorage?: () => Promise<Record<string, unknown>>;
}

export interface VaultScenario {
  name: string;
  run(ctx: VaultScenarioContext): Promise<void>;
}

export const PASSPHRASE = 'correct horse battery staple';
export const WRONG_PASSPHRASE = 'not the passphrase at all';
export const WRONG_MESSAGE = 'That passphrase is not right. Nothing was changed.';

/** The client secret and the latest token pair: none of them may be readable at rest with a passphrase set. */
function currentSecrets(sandbox: Sandbox): string[] {
  const issued = sandbox.lastIssued();
  return [sandbox.app.clientSecret, issued?.accessToken ?? '', issued?.refreshToken ?? ''].filter(Boolean);
}

/** No secret, and no 12-character piece of one, in `storage.local` (when the context can read it). */
async function expectNoSecretStored(ctx: VaultScenarioContext, secrets: string[]): Promise<void> {
  if (!ctx.readLocalStorage) return;
  const stored = JSON.stringify(await ctx.readLocalStorage());
  expect(stored).toContain('"vault"');
  for (const secret of secrets) {
    expect(stored).not.toContain(secret);
    for (let i = 0; i + 12 <= secret.length; i += 6) expect(stored).not.toContain(secret.slice(i, i + 12));
  }
}

async function setPassphrase(ctx: VaultScenarioContext): Promise<void> {
  expect(await ctx.popup.setPassphrase(PASSPHRASE)).toBe('Passphrase set. Your secrets are now encrypted.');
  await expectNoSecretStored(ctx, [...currentSecrets(ctx.sandbox), PASSPHRASE]);
}

function lastRefreshTokenSent(sandbox: Sandbox): unknown {
  const body = sandbox.tokenRefreshRequests().at(-1)?.bodyText ?? '{}';
  return (JSON.parse(body) as Record<string, unknown>).refresh_token;
}

export const vaultScenarios: VaultScenario[] = [
  {
    name: 'locked, the popup shows no token and sends nothing; a wrong passphrase changes nothing; unlocked, refresh rotates the stored token',
    async run(ctx) {
      const { popup, sandbox } = ctx;
      await saveAndRefresh(ctx);
      await setPassphrase(ctx);
      expect(await popup.isLocked()).toBe(false);

      await popup.lock();
      expect(await popup.isLocked()).toBe(true);
      expect(await popup.hasAccessToken()).toBe(false);
      // The expiry is not secret: the countdown stays, with no control that could send anything.
      expect(await popup.countdown()).toMatch(/^(1:00:00|0:5\d:\d\d)$/);
      const requests = sandbox.tokenRefreshRequests().length;
      // Reopened (the popup is closed and opened again), it is still locked: the key is gone, not just hidden.
      await popup.open();
      expect(await popup.isLocked()).toBe(true);
      expect(await popup.hasAccessToken()).toBe(false);
      expect(sandbox.tokenRefreshRequests()).toHaveLength(requests);

      const storedBefore = ctx.readLocalStorage ? JSON.stringify(await ctx.readLocalStorage()) : '';
      expect(await popup.unlock(WRONG_PASSPHRASE)).toBe(WRONG_MESSAGE);
      expect(await popup.isLocked()).toBe(true);
      expect(await popup.hasAccessToken()).toBe(false);
      if (ctx.readLocalStorage) expect(JSON.stringify(await ctx.readLocalStorage())).toBe(storedBefore);
      expect(sandbox.tokenRefreshRequests()).toHaveLength(requests);

      expect(await popup.unlock(PASSPHRASE)).toBe('');
      expect(await popup.isLocked()).toBe(false);
      const before = sandbox.lastIssued();
      expect(await popup.revealAccessToken()).toBe(before?.accessToken);

      await popup.refresh();
      await expect.poll(() => sandbox.tokenRefreshRequests().length).toBe(requests + 1);
      expect(lastRefreshTokenSent(sandbox)).toBe(before?.refreshToken);
      expect(await popup.alertText()).toBe('');
      await expect.poll(() => popup.revealAccessToken()).toBe(sandbox.lastIssued()?.accessToken);
      await expectNoSecretStored(ctx, currentSecrets(sandbox));
      // The rotated refresh token was sealed and is read back: the form shows it, and the next refresh sends it.
      await popup.open();
      expect(await popup.isLocked()).toBe(false);
      expect(await popup.fieldValue('Refresh token')).toBe(sandbox.lastIssued()?.refreshToken);
      const rotated = sandbox.lastIssued()?.refreshToken;
      await popup.refresh();
      await expect.poll(() => sandbox.tokenRefreshRequests().length).toBe(requests + 2);
      expect(lastRefreshTokenSent(sandbox)).toBe(rotated);
      expect(await popup.alertText()).toBe('');
    },
  },
  {
    name: 'removing the passphrase needs the current one and keeps every secret working',
    async run(ctx) {
      const { popup, sandbox, readLocalStorage } = ctx;
      const credentials = await saveAndRefresh(ctx);
      await setPassphrase(ctx);

      const storedBefore = readLocalStorage ? JSON.stringify(await readLocalStorage()) : '';
      expect(await popup.removePassphrase(WRONG_PASSPHRASE)).toBe(WRONG_MESSAGE);
      if (readLocalStorage) expect(JSON.stringify(await readLocalStorage())).toBe(storedBefore);

      expect(await popup.removePassphrase(PASSPHRASE)).toBe(
        'Passphrase removed. Your secrets are stored unencrypted again.',
      );
      if (readLocalStorage) {
        const stored = JSON.stringify(await readLocalStorage());
        expect(stored).not.toContain('"vault"');
        expect(stored).toContain(credentials.clientSecret);
      }

      const requests = sandbox.tokenRefreshRequests().length;
      const before = sandbox.lastIssued();
      await popup.refresh();
      await expect.poll(() => sandbox.tokenRefreshRequests().length).toBe(requests + 1);
      expect(lastRefreshTokenSent(sandbox)).toBe(before?.refreshToken);
      expect(await popup.alertText()).toBe('');
      await expect.poll(() => popup.revealAccessToken()).toBe(sandbox.lastIssued()?.accessToken);
      await popup.open();
      expect(await popup.isLocked()).toBe(false);
      expect(await popup.fieldValue('Client secret')).toBe(credentials.clientSecret);
      expect(await popup.fieldValue('Refresh token')).toBe(sandbox.lastIssued()?.refreshToken);
    },
  },
];
