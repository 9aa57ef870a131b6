import { BACKUP_KEY_PREFIX, DATA_KEY } from '../../src/platform/storage-keys';
import { readStorage, writeLocal } from './devtools';
import { expect, test } from './fixtures';
import { extensionWorker } from './launch';

/**
 * The security review's damaged entry: a token state whose `lastError` is a bare string made the popup throw
 * while rendering and show nothing at all. Now every stored token field is checked on read.
 */
test('a damaged token entry is reported, the rest still renders, and a save keeps the raw original', async ({
  popup,
  sandbox,
  context,
}) => {
  const now = Date.now();
  const profile = {
    id: 'p-1',
    name: 'My API app',
    clientId: sandbox.app.clientId,
    clientSecret: sandbox.app.clientSecret,
    refreshToken: sandbox.issueRefreshToken(),
    oauthHost: 'https://app.hellosign.com',
    clientAuth: 'body',
  };
  const original = {
    schemaVersion: 2,
    activeProfileId: 'p-1',
    profiles: [profile],
    tokens: {
      'p-1': {
        accessToken: 'stored-access-token-5678',
        tokenType: 'Bearer',
        receivedAt: now,
        expiresAt: now + 1800_000,
        lastError: 'oops',
        warnings: 'not a list',
      },
    },
  };
  const worker = await extensionWorker(context);
  await writeLocal(worker, { [DATA_KEY]: original });
  await popup.open();

  await expect
    .poll(() => popup.alertText())
    .toContain('Part of your saved data could not be read (1 damaged token entry)');
  // What could be read still renders: the token, its countdown and the credentials.
  expect(await popup.revealAccessToken()).toBe('stored-access-token-5678');
  expect(await popup.countdown()).toMatch(/^0:(29|30):\d\d$/);
  expect(await popup.fieldValue('Client ID')).toBe(profile.clientId);
  // Opening changes nothing stored.
  expect((await readStorage(worker)).local).toEqual({ [DATA_KEY]: original });

  expect(await popup.save()).toContain('Saved');
  const after = (await readStorage(worker)).local;
  const backups = Object.entries(after)
    .filter(([key]) => key.startsWith(BACKUP_KEY_PREFIX))
    .map(([, value]) => value);
  expect(backups).toEqual([original]);
  await popup.open();
  expect(await popup.alertText()).toBe('');
  await popup.refresh();
  await expect.poll(() => popup.revealAccessToken()).toBe(sandbox.lastIssued()?.accessToken);
});
