import type { Page } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PlaywrightPopup } from '../pages/playwright-popup';
import { refreshTokenIn, saveAndRefresh } from '../scenarios/core';
import type { Sandbox } from '../sandbox/server';
import { expect, test } from './fixtures';
import { extensionWorker, launchWithExtension, POPUP_PATH } from './launch';
import { storedDocument } from '../stored-document';

/**
 * The optional passphrase vault in real Chromium: what storage.local holds with it on, what the popup shows
 * while locked, and that a browser restart locks it again. The sandbox rotates refresh tokens, so every
 * refresh also proves the rotated one was stored (sealed) and read back.
 */

const PASSPHRASE = 'correct horse battery staple';
const NEW_PASSPHRASE = 'a brand new passphrase 2';
const WRONG = 'not the passphrase at all';
const WRONG_MESSAGE = 'That passphrase is not right. Nothing was changed.';

/** The popup's vault controls, by their labels and names, as a person finds them. */
class Vault {
  constructor(readonly page: Page) {}

  async openSecurity(): Promise<void> {
    const details = this.page.locator('details.security-details');
    if (!(await details.evaluate((el) => (el as HTMLDetailsElement).open))) {
      await details.locator('> summary').click();
    }
  }

  async setPassphrase(passphrase: string, confirm = passphrase): Promise<void> {
    await this.openSecurity();
    await this.page.getByLabel('New passphrase', { exact: true }).fill(passphrase);
    await this.page.getByLabel('Confirm passphrase', { exact: true }).fill(confirm);
    await this.page.getByRole('button', { name: 'Set passphrase', exact: true }).click();
  }

  async lock(): Promise<void> {
    await this.openSecurity();
    await this.page.getByRole('button', { name: 'Lock now' }).click();
    await expect(this.lockHeading()).toBeVisible();
  }

  lockHeading() {
    return this.page.getByRole('heading', { name: 'Secrets are locked' });
  }

  /** Types the passphrase and presses Enter: the lock panel's field has the focus when the popup opens. */
  async unlock(passphrase: string): Promise<void> {
    const field = this.page.getByLabel('Passphrase', { exact: true });
    await expect(field).toBeFocused();
    await field.fill(passphrase);
    await field.press('Enter');
  }

  async openPanel(name: 'Change passphrase' | 'Remove passphrase'): Promise<void> {
    await this.openSecurity();
    await this.page.locator('details.vault-panel > summary', { hasText: name }).click();
  }

  status() {
    return this.page.locator('.security-status');
  }
}

interface Storage {
  local: Record<string, unknown>;
  session: Record<string, unknown>;
}

/** Both storage areas as the extension's worker sees them (storage.session is readable in trusted contexts). */
async function readStorage(page: Page): Promise<Storage> {
  const worker = await extensionWorker(page.context());
  return worker.evaluate(async () => ({
    local: await chrome.storage.local.get(null),
    session: await chrome.storage.session.get(null),
  }));
}

interface StoredDoc {
  schemaVersion: number;
  profiles: Record<string, unknown>[];
  tokens: Record<string, Record<string, unknown>>;
  vault?: {
    kdf: { name: string; hash: string; iterations: number; salt: string };
    /** Each profile's secrets, sealed in its own part (schema 3). */
    parts: Record<string, { iv: string }>;
  };
}

async function storedDoc(page: Page): Promise<StoredDoc> {
  return storedDocument((await readStorage(page)).local) as StoredDoc;
}

function expectNoSecretIn(text: string, secrets: (string | undefined)[]): void {
  for (const secret of secrets) {
    if (!secret) continue;
    expect(text).not.toContain(secret);
    // No piece of it either (a secret split across fields, or a base64 of part of it, would show here).
    for (let i = 0; i + 12 <= secret.length; i += 6) expect(text).not.toContain(secret.slice(i, i + 12));
  }
}

async function pageText(page: Page): Promise<string> {
  return `${await page.content()}\n${await page.locator('body').innerText()}`;
}

/** The secrets of the latest pair and the app's client secret. */
function currentSecrets(sandbox: Sandbox): string[] {
  const issued = sandbox.lastIssued();
  return [sandbox.app.clientSecret, issued?.accessToken ?? '', issued?.refreshToken ?? ''];
}

test('with a passphrase set, storage holds no secret; locked, the popup shows none and sends nothing', async ({
  popup,
  sandbox,
}) => {
  const { page } = popup;
  const vault = new Vault(page);
  await saveAndRefresh({ popup, sandbox });
  await vault.openSecurity();
  await expect(page.getByText('stored unencrypted in this browser profile', { exact: false })).toBeVisible();
  await expect(page.locator('.storage-note')).toContainText('not encrypted');

  // A mismatch is caught before anything is sent.
  await vault.setPassphrase(PASSPHRASE, `${PASSPHRASE}!`);
  await expect(page.getByLabel('Confirm passphrase', { exact: true })).toHaveAccessibleDescription(
    'The two passphrases do not match.',
  );
  expect((await storedDoc(page)).vault).toBeUndefined();

  await vault.setPassphrase(PASSPHRASE);
  await expect(vault.status()).toHaveText('Passphrase set. Your secrets are now encrypted.', {
    timeout: 15_000,
  });
  await expect(page.locator('.storage-note')).toContainText('encrypted with your passphrase');
  await expect(page.getByRole('button', { name: 'Lock now' })).toBeVisible();

  const sealed = await readStorage(page);
  const sealedJson = JSON.stringify(sealed.local);
  expectNoSecretIn(sealedJson, [...currentSecrets(sandbox), PASSPHRASE]);
  const doc = storedDocument(sealed.local) as StoredDoc;
  expect(doc.schemaVersion).toBe(3);
  expect(doc.vault?.kdf).toMatchObject({ name: 'PBKDF2', hash: 'SHA-256', iterations: 600_000 });
  expect(Buffer.from(doc.vault?.kdf.salt ?? '', 'base64')).toHaveLength(16);
  expect(doc.profiles[0]).toMatchObject({ clientId: sandbox.app.clientId });
  expect(doc.profiles[0]).not.toHaveProperty('clientSecret');
  expect(doc.profiles[0]).not.toHaveProperty('refreshToken');
  expect(typeof sealed.session.vaultKey).toBe('string');

  // Locked: nothing secret on the page or in memory storage, no refresh control; the expiry still shows.
  await vault.lock();
  await expect(page.getByRole('textbox', { name: 'Access token' })).toHaveCount(0);
  await expect(page.getByLabel('Client secret', { exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Refresh now' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Locked/ })).toHaveCount(0);
  await expect(page.getByRole('timer', { name: 'Expires in' })).toBeVisible();
  expectNoSecretIn(await pageText(page), currentSecrets(sandbox));
  expect((await readStorage(page)).session.vaultKey).toBeUndefined();

  // Asked directly, the worker refuses too, and nothing reaches the server.
  const requestsBefore = sandbox.tokenRefreshRequests().length;
  const profileId = String(doc.profiles[0]?.id);
  const reply = (await page.evaluate(
    (id) => chrome.runtime.sendMessage({ type: 'refresh', payload: { profileId: id } }),
    profileId,
  )) as { ok: boolean; failure?: { kind: string; title: string } };
  expect(reply).toMatchObject({ ok: false, failure: { kind: 'locked', title: 'The vault is locked' } });
  expectNoSecretIn(JSON.stringify(reply), currentSecrets(sandbox));
  expect(sandbox.tokenRefreshRequests()).toHaveLength(requestsBefore);

  // Reopened while locked, it is the same, and the passphrase field is ready for typing.
  await popup.open();
  await expect(vault.lockHeading()).toBeVisible();
  const localBefore = JSON.stringify((await readStorage(page)).local);
  await vault.unlock(WRONG);
  await expect(page.getByRole('alert')).toHaveText(WRONG_MESSAGE, { timeout: 15_000 });
  await expect(page.getByLabel('Passphrase', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  expect(JSON.stringify((await readStorage(page)).local)).toBe(localBefore);
  await expect(vault.lockHeading()).toBeVisible();

  const started = Date.now();
  await vault.unlock(PASSPHRASE);
  await expect(page.getByRole('textbox', { name: 'Access token' })).toBeVisible({ timeout: 15_000 });
  const unlockMs = Date.now() - started;
  console.log(`[vault] unlock through the popup (PBKDF2-SHA256, 600,000 iterations): ${unlockMs} ms`);
  expect(await popup.revealAccessToken()).toBe(sandbox.lastIssued()?.accessToken);

  // A refresh now works; the rotated refresh token is stored sealed and read back for the next one.
  const before = sandbox.lastIssued();
  await popup.refresh();
  await expect.poll(() => sandbox.tokenRefreshRequests().length).toBe(requestsBefore + 1);
  expect(refreshTokenIn(sandbox.tokenRefreshRequests().at(-1))).toBe(before?.refreshToken);
  await expect.poll(async () => popup.revealAccessToken()).toBe(sandbox.lastIssued()?.accessToken);
  const afterRefresh = await readStorage(page);
  expectNoSecretIn(JSON.stringify(afterRefresh.local), currentSecrets(sandbox));
  // The rotated refresh token is sealed anew: its profile's part has a new IV.
  const profileKey = String(doc.profiles[0]?.id);
  const ivAfter = (storedDocument(afterRefresh.local) as StoredDoc).vault?.parts[profileKey]?.iv;
  expect(ivAfter).toBeDefined();
  expect(ivAfter).not.toBe(doc.vault?.parts[profileKey]?.iv);
  expect(await popup.fieldValue('Refresh token')).toBe(sandbox.lastIssued()?.refreshToken);
  await popup.refresh();
  expect(await popup.alertText()).toBe('');
  expect(sandbox.tokenRefreshRequests()).toHaveLength(requestsBefore + 2);
});

test('a browser restart comes back locked; unlocking then works with the stored, rotated token', async ({
  sandbox,
}) => {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'vault-restart-'));
  try {
    const first = await launchWithExtension(sandbox.port, true, userDataDir);
    const extensionId = new URL((await extensionWorker(first)).url()).host;
    const url = `chrome-extension://${extensionId}/${POPUP_PATH}`;
    let popup = new PlaywrightPopup(first.pages()[0] ?? (await first.newPage()), url);
    await popup.open();
    await saveAndRefresh({ popup, sandbox });
    await new Vault(popup.page).setPassphrase(PASSPHRASE);
    await expect(new Vault(popup.page).status()).toContainText('Passphrase set', { timeout: 15_000 });
    const issued = sandbox.lastIssued();
    await first.close();

    const second = await launchWithExtension(sandbox.port, true, userDataDir);
    try {
      expect(new URL((await extensionWorker(second)).url()).host).toBe(extensionId);
      popup = new PlaywrightPopup(second.pages()[0] ?? (await second.newPage()), url);
      await popup.open();
      const vault = new Vault(popup.page);
      await expect(vault.lockHeading()).toBeVisible();
      const after = await readStorage(popup.page);
      expect(after.session.vaultKey).toBeUndefined();
      expectNoSecretIn(JSON.stringify(after.local), currentSecrets(sandbox));
      expectNoSecretIn(await pageText(popup.page), currentSecrets(sandbox));

      await vault.unlock(PASSPHRASE);
      await expect(popup.page.getByRole('textbox', { name: 'Access token' })).toBeVisible({
        timeout: 15_000,
      });
      expect(await popup.revealAccessToken()).toBe(issued?.accessToken);
      await popup.refresh();
      expect(await popup.alertText()).toBe('');
      expect(refreshTokenIn(sandbox.tokenRefreshRequests().at(-1))).toBe(issued?.refreshToken);
    } finally {
      await second.close();
    }
  } finally {
    await rm(userDataDir, { recursive: true, force: true });
  }
});

test('changing and removing the passphrase keep every secret; a wrong current one changes nothing', async ({
  popup,
  sandbox,
}) => {
  const { page } = popup;
  const vault = new Vault(page);
  const credentials = await saveAndRefresh({ popup, sandbox });
  await vault.setPassphrase(PASSPHRASE);
  await expect(vault.status()).toContainText('Passphrase set', { timeout: 15_000 });

  await vault.openPanel('Change passphrase');
  await expect(page.getByLabel('Current passphrase', { exact: true })).toBeFocused();
  await page.getByLabel('Current passphrase', { exact: true }).fill(WRONG);
  await page.getByLabel('New passphrase', { exact: true }).fill(NEW_PASSPHRASE);
  await page.getByLabel('Confirm passphrase', { exact: true }).fill(NEW_PASSPHRASE);
  const beforeWrong = JSON.stringify((await readStorage(page)).local);
  await page.getByRole('button', { name: 'Change passphrase', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText(WRONG_MESSAGE, { timeout: 15_000 });
  expect(JSON.stringify((await readStorage(page)).local)).toBe(beforeWrong);

  await page.getByLabel('Current passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Change passphrase', exact: true }).click();
  await expect(vault.status()).toHaveText(
    'Passphrase changed. Your secrets are encrypted with the new one.',
    {
      timeout: 15_000,
    },
  );
  expectNoSecretIn(JSON.stringify((await readStorage(page)).local), [
    ...currentSecrets(sandbox),
    NEW_PASSPHRASE,
  ]);

  await vault.lock();
  await vault.unlock(PASSPHRASE);
  await expect(page.getByRole('alert')).toHaveText(WRONG_MESSAGE, { timeout: 15_000 });
  await vault.unlock(NEW_PASSPHRASE);
  await expect(page.getByRole('textbox', { name: 'Access token' })).toBeVisible({ timeout: 15_000 });
  expect(await popup.fieldValue('Client secret')).toBe(credentials.clientSecret);

  await vault.openPanel('Remove passphrase');
  await page.getByLabel('Current passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Remove passphrase', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText(WRONG_MESSAGE, { timeout: 15_000 });
  await page.getByLabel('Current passphrase', { exact: true }).fill(NEW_PASSPHRASE);
  await page.getByRole('button', { name: 'Remove passphrase', exact: true }).click();
  await expect(vault.status()).toHaveText('Passphrase removed. Your secrets are stored unencrypted again.', {
    timeout: 15_000,
  });
  await expect(page.getByText('stored unencrypted in this browser profile', { exact: false })).toBeVisible();
  await expect(page.locator('.storage-note')).toContainText('not encrypted');

  // Plain mode again, nothing lost: the stored secrets are the current ones, in clear.
  const plain = await storedDoc(page);
  expect(plain.vault).toBeUndefined();
  const issued = sandbox.lastIssued();
  expect(plain.profiles[0]).toMatchObject({
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    refreshToken: issued?.refreshToken,
  });
  expect(Object.values(plain.tokens)[0]?.accessToken).toBe(issued?.accessToken);
  expect((await readStorage(page)).session.vaultKey).toBeUndefined();
  await popup.refresh();
  expect(await popup.alertText()).toBe('');
  await expect.poll(() => popup.revealAccessToken()).toBe(sandbox.lastIssued()?.accessToken);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`the vault's states look right in the ${scheme} theme`, async ({ popup, sandbox }) => {
    const { page } = popup;
    await page.emulateMedia({ colorScheme: scheme });
    const vault = new Vault(page);
    await saveAndRefresh({ popup, sandbox });
    await vault.openSecurity();
    await page.getByRole('heading', { name: 'Security' }).scrollIntoViewIfNeeded();
    await popup.screenshot(`vault-off-${scheme}`);

    await vault.setPassphrase('short');
    await expect(page.getByLabel('New passphrase', { exact: true })).toHaveAccessibleDescription(
      'A passphrase needs at least 12 characters.',
    );
    await popup.screenshot(`vault-too-short-${scheme}`);

    await vault.setPassphrase(PASSPHRASE);
    await expect(vault.status()).toContainText('Passphrase set', { timeout: 15_000 });
    await vault.openPanel('Change passphrase');
    await popup.screenshot(`vault-on-${scheme}`);

    await vault.lock();
    expectNoSecretIn(await pageText(page), currentSecrets(sandbox));
    await popup.screenshot(`vault-locked-${scheme}`);
    await vault.unlock(WRONG);
    await expect(page.getByRole('alert')).toHaveText(WRONG_MESSAGE, { timeout: 15_000 });
    // Focus stays visible on the field for a second try.
    const focused = page.getByLabel('Passphrase', { exact: true });
    await expect(focused).toBeFocused();
    await popup.screenshot(`vault-wrong-${scheme}`);
  });
}
