import type { Page } from '@playwright/test';
import { readdir, readFile, rm, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PlaywrightPopup } from '../pages/playwright-popup';
import { credentialsFor } from '../scenarios/core';
import type { Sandbox } from '../sandbox/server';
import { expect, test } from './fixtures';
import { extensionWorker, launchWithExtension, POPUP_PATH } from './launch';
import { storedDocument } from '../stored-document';

/**
 * A passphrase chosen in the first-run form seals the secrets before the first write, so none of them is ever
 * on disk in clear: not in storage.local as the extension reads it, and not in the raw files of Chromium's
 * LevelDB (whose log keeps overwritten values until a compaction). The same search over a profile saved
 * without a passphrase finds every secret: the check can fail.
 */

const PASSPHRASE = 'correct horse battery staple';

interface Found {
  secret: string;
  file: string;
}

/** Every file under `dir`, as raw bytes: LevelDB's *.log, *.ldb, MANIFEST, and whatever else is there. */
async function filesUnder(dir: string): Promise<{ file: string; bytes: Buffer }[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const files = entries.filter((entry) => entry.isFile());
  return Promise.all(
    files.map(async (entry) => {
      const file = path.join(entry.parentPath, entry.name);
      return { file: path.relative(dir, file), bytes: await readFile(file) };
    }),
  );
}

/** Which of the secrets appear, byte for byte, in which file. */
async function secretsOnDisk(dir: string, secrets: string[]): Promise<Found[]> {
  const files = await filesUnder(dir);
  expect(files.map((f) => f.file)).toContainEqual(expect.stringMatching(/\.log$/));
  return secrets.flatMap((secret) =>
    files
      .filter(({ bytes }) => bytes.includes(Buffer.from(secret, 'utf8')))
      .map(({ file }) => ({ secret, file })),
  );
}

interface Run {
  /** The client secret, the refresh token typed in, and the token pair the refresh got. */
  secrets: string[];
  settingsDir: string;
}

/**
 * First run in a fresh browser profile on disk: fill the form (with or without a passphrase), save, refresh,
 * then close the browser so everything it keeps is in its files.
 */
async function firstRun(sandbox: Sandbox, userDataDir: string, passphrase: string | undefined): Promise<Run> {
  const context = await launchWithExtension(sandbox.port, true, userDataDir);
  try {
    const extensionId = new URL((await extensionWorker(context)).url()).host;
    const page = context.pages()[0] ?? (await context.newPage());
    const popup = new PlaywrightPopup(page, `chrome-extension://${extensionId}/${POPUP_PATH}`);
    await popup.open();
    const credentials = credentialsFor(sandbox);
    await popup.fillCredentials(credentials);
    if (passphrase) await popup.choosePassphraseForFirstSave(passphrase);
    expect(await popup.save()).toBe(passphrase ? 'Saved, encrypted with your passphrase.' : 'Saved.');

    await popup.refresh();
    const issued = sandbox.lastIssued();
    expect(issued?.refreshToken).toBeDefined();
    await expect.poll(() => popup.revealAccessToken()).toBe(issued?.accessToken);
    expect(sandbox.tokenRefreshRequests()).toHaveLength(1);
    expect(JSON.parse(sandbox.tokenRefreshRequests()[0]?.bodyText ?? '{}')).toMatchObject({
      refresh_token: credentials.refreshToken,
      client_secret: credentials.clientSecret,
    });
    await expect(page.locator('.storage-note')).toContainText(
      passphrase ? 'encrypted with your passphrase' : 'not encrypted',
    );
    await expectStorageSealed(page, passphrase !== undefined);
    return {
      secrets: [
        credentials.clientSecret,
        credentials.refreshToken,
        issued?.accessToken ?? '',
        issued?.refreshToken ?? '',
      ],
      settingsDir: path.join(userDataDir, 'Default', 'Local Extension Settings', extensionId),
    };
  } finally {
    await context.close();
  }
}

/** storage.local as the worker reads it: a vault from the first write on, or plain. */
async function expectStorageSealed(page: Page, sealed: boolean): Promise<void> {
  const worker = await extensionWorker(page.context());
  const local = await worker.evaluate(() => chrome.storage.local.get(null));
  const data = storedDocument(local) as { vault?: unknown; profiles: Record<string, unknown>[] };
  if (sealed) {
    expect(data.vault).toBeDefined();
    expect(data.profiles[0]).not.toHaveProperty('clientSecret');
  } else {
    expect(data.vault).toBeUndefined();
  }
}

async function withProfileDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'first-run-vault-'));
  try {
    return await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('a passphrase chosen on first run: a refresh works and no secret is in any file of the extension’s storage', async ({
  sandbox,
}) => {
  await withProfileDir(async (dir) => {
    const run = await firstRun(sandbox, dir, PASSPHRASE);
    expect(await secretsOnDisk(run.settingsDir, [...run.secrets, PASSPHRASE])).toEqual([]);
  });
});

test('control: saved without a passphrase, the same search finds every secret in the storage files', async ({
  sandbox,
}) => {
  await withProfileDir(async (dir) => {
    const run = await firstRun(sandbox, dir, undefined);
    const found = await secretsOnDisk(run.settingsDir, run.secrets);
    for (const secret of run.secrets) {
      expect(found.map((f) => f.secret)).toContain(secret);
    }
  });
});

for (const scheme of ['light', 'dark'] as const) {
  test(`the first-run passphrase and the Security notices look right in the ${scheme} theme`, async ({
    popup,
    sandbox,
  }) => {
    const { page } = popup;
    await page.emulateMedia({ colorScheme: scheme });
    const credentials = credentialsFor(sandbox);
    await popup.fillCredentials(credentials);
    await popup.choosePassphraseForFirstSave(PASSPHRASE);
    await expect(page.getByText('no secret is ever written to disk unencrypted')).toBeVisible();
    await page.getByRole('button', { name: 'Save', exact: true }).scrollIntoViewIfNeeded();
    await popup.screenshot(`first-run-passphrase-${scheme}`);

    // Saved in clear first, then sealed: the Security section says what that leaves on disk.
    await page.getByRole('checkbox', { name: 'Encrypt the secrets with a passphrase' }).uncheck();
    expect(await popup.save()).toBe('Saved.');
    await popup.refresh();
    expect(await popup.setPassphrase(PASSPHRASE)).toBe('Passphrase set. Your secrets are now encrypted.');
    await expect(page.getByText('Stored unencrypted before the passphrase was set')).toBeVisible();
    const lockAfter = page.getByLabel('Lock after', { exact: true });
    await lockAfter.selectOption({ label: '15 min' });
    await expect(page.locator('#auto-lock-status')).toHaveText(
      'The secrets now lock after 15 min without use.',
    );
    await expect(lockAfter).toHaveValue('15');
    await page.getByRole('heading', { name: 'Security' }).scrollIntoViewIfNeeded();
    await popup.screenshot(`vault-sealed-after-clear-${scheme}`);
  });
}
