import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { credentialsFor, saveAndRefresh } from '../scenarios/core';
import type { StoredProfile } from '../scenarios/profiles';
import { expect, test } from './fixtures';
import { storedDocument } from '../stored-document';

const storedProfiles = async (page: Page) =>
  (storedDocument(await page.evaluate(() => chrome.storage.local.get(null))) as { profiles: StoredProfile[] })
    .profiles;

async function openSection(page: Page): Promise<void> {
  const summary = page.locator('details.profiles-file-details > summary');
  if (
    !(await page.locator('details.profiles-file-details').evaluate((d) => (d as HTMLDetailsElement).open))
  ) {
    await summary.click();
  }
  await page.getByLabel('Import profiles', { exact: true }).waitFor();
}

/** Clicks "Export profiles" and returns the downloaded file's name and text (a real download). */
async function exportFile(page: Page): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export profiles' }).click(),
  ]);
  const file = await download.path();
  return { name: download.suggestedFilename(), text: await readFile(file, 'utf8') };
}

test('export without secrets holds none; with secrets, encrypted; delete all, import: the same profiles back', async ({
  popup,
  sandbox,
}, testInfo) => {
  const { page } = popup;
  await saveAndRefresh({ popup, sandbox });
  const second = sandbox.createApp();
  await popup.profileAction('New profile');
  await expect.poll(() => popup.activeProfileName()).toBe('My API app 2');
  await popup.fillCredentials({
    ...credentialsFor(sandbox),
    clientId: second.clientId,
    clientSecret: second.clientSecret,
    refreshToken: sandbox.issueRefreshToken(second),
  });
  expect(await popup.save()).toContain('Saved');
  const before = await storedProfiles(page);
  expect(before).toHaveLength(2);
  const secrets = before.flatMap((p) => [p.clientSecret, p.refreshToken]);

  await openSection(page);
  const plain = await exportFile(page);
  expect(plain.name).toMatch(/^sign-token-refresher-profiles-\d{4}-\d{2}-\d{2}\.json$/);
  for (const secret of secrets) expect(plain.text).not.toContain(secret);
  expect(JSON.parse(plain.text)).toMatchObject({
    profiles: [{ name: 'My API app' }, { name: 'My API app 2' }],
  });

  await page.getByRole('checkbox', { name: 'Include secrets' }).check();
  await page.getByLabel('File passphrase', { exact: true }).fill('a passphrase for the file');
  await page.getByLabel('Confirm file passphrase', { exact: true }).fill('a passphrase for the file');
  await popup.screenshot('profiles-file-export');
  const sealed = await exportFile(page);
  for (const secret of secrets) expect(sealed.text).not.toContain(secret);
  await mkdir(testInfo.outputDir, { recursive: true });
  const file = path.join(testInfo.outputDir, sealed.name);
  await writeFile(file, sealed.text);

  for (let left = 1; left >= 0; left -= 1) {
    await popup.profileAction('Delete profile');
    await expect.poll(async () => (await storedProfiles(page)).length).toBe(left);
  }

  await openSection(page);
  await page.getByLabel('Import profiles', { exact: true }).setInputFiles(file);
  await page.getByLabel('Passphrase of the file', { exact: true }).fill('a passphrase for the file');
  await page.getByRole('button', { name: 'Read the file' }).click();
  await page.getByRole('button', { name: 'Add 2 profiles' }).waitFor();
  await popup.screenshot('profiles-file-import');
  await page.getByRole('button', { name: 'Add 2 profiles' }).click();
  await expect(page.locator('.import-status')).toHaveText('Added 2 profiles.');

  const after = await storedProfiles(page);
  const withoutIds = (profiles: StoredProfile[]) => profiles.map(({ id: _id, ...rest }) => rest);
  expect(withoutIds(after)).toEqual(withoutIds(before));
  expect(after.map((p) => p.id)).not.toEqual(before.map((p) => p.id));
  // The imported refresh token still works: a refresh through the popup.
  await popup.switchProfile('My API app 2');
  await popup.refresh();
  await expect.poll(() => popup.hasAccessToken()).toBe(true);
});

test('a damaged import file is explained and changes nothing', async ({ popup, sandbox }, testInfo) => {
  const { page } = popup;
  await saveAndRefresh({ popup, sandbox });
  const before = await page.evaluate(() => chrome.storage.local.get(null));
  await mkdir(testInfo.outputDir, { recursive: true });
  const file = path.join(testInfo.outputDir, 'damaged.json');
  await writeFile(file, '{"format": "sign-token-refresher-profiles", "version": 1, "profiles": [{"name": 3}');

  await openSection(page);
  await page.getByLabel('Import profiles', { exact: true }).setInputFiles(file);
  await expect(page.getByRole('alert')).toContainText('is not valid JSON');
  expect(await page.getByRole('button', { name: /^Add / }).count()).toBe(0);
  expect(await page.evaluate(() => chrome.storage.local.get(null))).toEqual(before);
});
