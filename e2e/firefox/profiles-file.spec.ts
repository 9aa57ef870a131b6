import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { saveAndRefresh } from '../scenarios/core';
import type { StoredProfile } from '../scenarios/profiles';
import { expect, test } from './fixtures';
import { storedDocument } from '../stored-document';

const storedProfiles = async (page: Page) =>
  (storedDocument(await page.evaluate(() => chrome.storage.local.get(null))) as { profiles: StoredProfile[] })
    .profiles;

async function openSection(page: Page): Promise<void> {
  const open = await page.evaluate(
    () => document.querySelector<HTMLDetailsElement>('details.profiles-file-details')?.open === true,
  );
  if (!open) await page.locator('details.profiles-file-details > summary').click();
  await page.locator('#import-file').wait();
}

/** The export Firefox saved to this browser's download folder (complete: no `.part` left). */
async function downloadedExport(dir: string): Promise<{ name: string; text: string }> {
  let name: string | undefined;
  await expect
    .poll(async () => {
      const files = await readdir(dir);
      name = files.find((f) => f.endsWith('.json'));
      return name !== undefined && !files.some((f) => f.endsWith('.part'));
    })
    .toBe(true);
  if (!name) throw new Error('no export was downloaded');
  return { name, text: await readFile(path.join(dir, name), 'utf8') };
}

test('export with secrets (encrypted), delete both profiles, import: the same profiles back', async ({
  firefox,
  popup,
  sandbox,
}) => {
  const { page } = popup;
  const ctx = { popup, sandbox, oauthHost: sandbox.url };
  await saveAndRefresh(ctx);
  const second = sandbox.createApp();
  await popup.profileAction('New profile');
  await expect.poll(() => popup.activeProfileName()).toBe('My API app 2');
  await popup.fillCredentials({
    clientId: second.clientId,
    clientSecret: second.clientSecret,
    refreshToken: sandbox.issueRefreshToken(second),
  });
  await popup.fill('OAuth host', sandbox.url);
  expect(await popup.save()).toContain('Saved');
  const before = await storedProfiles(page);
  expect(before).toHaveLength(2);

  await openSection(page);
  await page.locator('::-p-aria([name="Include secrets"][role="checkbox"])').click();
  await page.locator('#export-passphrase').fill('a passphrase for the file');
  await page.locator('#export-passphrase-confirm').fill('a passphrase for the file');
  await page.locator('::-p-aria([name="Export profiles"][role="button"])').click();
  const exported = await downloadedExport(firefox.downloadDir);
  expect(exported.name).toMatch(/^sign-token-refresher-profiles-\d{4}-\d{2}-\d{2}\.json$/);
  for (const p of before) {
    expect(exported.text).not.toContain(p.clientSecret);
    expect(exported.text).not.toContain(p.refreshToken);
  }

  for (let left = 1; left >= 0; left -= 1) {
    await popup.profileAction('Delete profile');
    await expect.poll(async () => (await storedProfiles(page)).length).toBe(left);
  }

  await openSection(page);
  const input = await page.$('#import-file');
  if (!input) throw new Error('no file input');
  await (input as unknown as { uploadFile(file: string): Promise<void> }).uploadFile(
    path.join(firefox.downloadDir, exported.name),
  );
  await page.locator('#import-passphrase').fill('a passphrase for the file');
  await page.locator('::-p-aria([name="Read the file"][role="button"])').click();
  await page.locator('::-p-aria([name="Add 2 profiles"][role="button"])').click();
  await expect
    .poll(() => page.evaluate(() => document.querySelector('.import-status')?.textContent ?? ''))
    .toBe('Added 2 profiles.');

  const after = await storedProfiles(page);
  const withoutIds = (profiles: StoredProfile[]) => profiles.map(({ id: _id, ...rest }) => rest);
  expect(withoutIds(after)).toEqual(withoutIds(before));
});
