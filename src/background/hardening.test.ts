import { fakeBrowser } from '@webext-core/fake-browser';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DATA_KEY, PROFILE_KEY_PREFIX } from '../platform/storage-keys';
import {
  ACCESS_TOKEN,
  CLIENT_SECRET,
  fetchCall,
  profileInput,
  REFRESH_TOKEN,
  seedData,
  send,
  sessionVaultKey,
  storedData,
  storedJson,
  storedProfile,
  storedVault,
  stubFetch,
  tokenResponse,
  storeLegacyVaultEdited,
} from '../test-support/worker';
import { AUTO_LOCK_ALARM } from './auto-lock';

/** PBKDF2 at 600,000 iterations takes a noticeable time per derivation; these tests use far fewer. */
vi.mock('../core/vault-crypto', async (importOriginal) =>
  (await import('../test-support/fast-vault-crypto')).fastVaultCrypto(
    await importOriginal<typeof import('../core/vault-crypto')>(),
  ),
);

const PASSPHRASE = 'correct horse battery staple';
const SECRETS = [CLIENT_SECRET, REFRESH_TOKEN, ACCESS_TOKEN];

beforeEach(async () => {
  vi.resetModules();
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  // The whole worker, as the browser starts it: message and alarm listeners registered at the top level.
  await import('./index');
});

const snapshot = () => send('getSnapshot', {});

/** Every value `storage.local.set` is called with, as JSON: what reached the disk at any time. */
function spyOnWrites(): () => string {
  const set = vi.spyOn(fakeBrowser.storage.local, 'set');
  return () => JSON.stringify(set.mock.calls);
}

describe('a passphrase chosen with the first save', () => {
  it('seals the secrets from the very first write: no secret is ever written in clear', async () => {
    const writes = spyOnWrites();
    const reply = await send('saveProfile', { profile: profileInput(), passphrase: PASSPHRASE });
    expect(reply).toMatchObject({ ok: true });
    for (const secret of SECRETS) expect(writes()).not.toContain(secret);
    expect(await storedVault()).toBeDefined();
    const state = await snapshot();
    expect(state.vault).toEqual({
      enabled: true,
      unlocked: true,
      sealedAfterClear: false,
      autoLockMinutes: null,
    });
    expect(state.profiles[0]).toMatchObject({ clientSecret: CLIENT_SECRET, refreshToken: REFRESH_TOKEN });
  });

  it('keeps the token a refresh brings sealed too', async () => {
    const writes = spyOnWrites();
    const saved = await send('saveProfile', { profile: profileInput(), passphrase: PASSPHRASE });
    if (!saved.ok) throw new Error('not saved');
    stubFetch(() => tokenResponse());
    expect(await send('refresh', { profileId: saved.profileId })).toMatchObject({ ok: true });
    for (const secret of SECRETS) expect(writes()).not.toContain(secret);
  });

  it('refuses a passphrase that is too short and writes nothing at all', async () => {
    const writes = spyOnWrites();
    const reply = await send('saveProfile', { profile: profileInput(), passphrase: 'short' });
    expect(reply).toMatchObject({ ok: false, passphraseError: 'A passphrase needs at least 12 characters.' });
    expect(writes()).toBe('[]');
  });

  it('checks the credentials before the passphrase: an invalid form sets up no vault', async () => {
    const reply = await send('saveProfile', {
      profile: profileInput({ refreshToken: '', clientSecret: '' }),
      passphrase: PASSPHRASE,
    });
    expect(reply).toMatchObject({ ok: false, errors: { refreshToken: expect.any(String) as unknown } });
    expect(await storedData()).toBeUndefined();
  });
});

describe('a passphrase set over secrets already stored in clear', () => {
  it('is remembered, so the popup can say old copies may remain on disk', async () => {
    await seedData();
    expect(await send('setPassphrase', { passphrase: PASSPHRASE })).toEqual({ ok: true });
    expect((await snapshot()).vault.sealedAfterClear).toBe(true);
    // A new passphrase does not make the old clear copies go away: the note stays.
    await send('setPassphrase', { passphrase: 'another long passphrase', currentPassphrase: PASSPHRASE });
    expect((await snapshot()).vault.sealedAfterClear).toBe(true);
  });

  it('is not claimed when nothing secret had been stored', async () => {
    expect(await send('setPassphrase', { passphrase: PASSPHRASE })).toEqual({ ok: true });
    expect((await snapshot()).vault.sealedAfterClear).toBe(false);
  });
});

describe('stored fields edited while the vault is locked', () => {
  it('cannot send the secrets to another host after the next unlock', async () => {
    await seedData();
    await send('setPassphrase', { passphrase: PASSPHRASE });
    await send('lockVault', {});
    // Someone with access to the profile's files points the clear copy elsewhere.
    const key = `${PROFILE_KEY_PREFIX}p-1`;
    const part = (await fakeBrowser.storage.local.get(key))[key] as { profile: Record<string, unknown> };
    Object.assign(part.profile, { oauthHost: 'http://127.0.0.1:9', clientAuth: 'basic' });
    await fakeBrowser.storage.local.set({ [key]: part });

    expect(await send('unlockVault', { passphrase: PASSPHRASE })).toEqual({ ok: true });
    const state = await snapshot();
    expect(state.profiles[0]).toMatchObject({ oauthHost: 'https://app.hellosign.com', clientAuth: 'body' });
    expect(state.storageProblem).toMatch(/changed in storage outside the extension/);
    const fetchSpy = stubFetch(() => tokenResponse());
    await send('refresh', { profileId: 'p-1' });
    expect(fetchCall(fetchSpy).url).toBe('https://app.hellosign.com/oauth/token?refresh');
    // The next write puts the sealed values back in the clear copy too.
    expect((await storedData())?.profiles[0]).toMatchObject({ oauthHost: 'https://app.hellosign.com' });
    expect((await snapshot()).storageProblem).toBeUndefined();
  });
});

describe('auto-lock', () => {
  async function unlockedVault() {
    await seedData();
    await send('setPassphrase', { passphrase: PASSPHRASE });
  }

  /** Lets the worker's after-answer work (rescheduling the alarm) run. */
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('is off by default: no alarm is set', async () => {
    await unlockedVault();
    await settle();
    expect(await fakeBrowser.alarms.get(AUTO_LOCK_ALARM)).toBeUndefined();
  });

  it('schedules the lock N minutes after the last use, and each use pushes it back', async () => {
    await unlockedVault();
    expect(await send('setAutoLock', { minutes: 15 })).toEqual({ ok: true });
    await settle();
    expect((await snapshot()).vault.autoLockMinutes).toBe(15);
    await settle();
    const first = (await fakeBrowser.alarms.get(AUTO_LOCK_ALARM))?.scheduledTime ?? 0;
    expect(first).toBeGreaterThan(Date.now() + 14 * 60_000);
    expect(await storedJson()).not.toContain(CLIENT_SECRET);

    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 5 * 60_000); // five minutes later, the popup is opened again
      await snapshot();
      await vi.waitFor(async () => {
        expect((await fakeBrowser.alarms.get(AUTO_LOCK_ALARM))?.scheduledTime).toBeGreaterThan(
          first + 4 * 60_000,
        );
      });
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not lock when an alarm already due fires after auto-lock was turned off', async () => {
    await unlockedVault();
    await send('setAutoLock', { minutes: 5 });
    await settle();
    const alarm = await fakeBrowser.alarms.get(AUTO_LOCK_ALARM);
    if (!alarm) throw new Error('no auto-lock alarm was set');
    await send('setAutoLock', { minutes: null });
    await fakeBrowser.alarms.onAlarm.trigger(alarm);
    await settle();
    await settle();
    expect(await sessionVaultKey()).toBeDefined();
  });

  it('locks when the alarm fires, even with the popup closed', async () => {
    await unlockedVault();
    await send('setAutoLock', { minutes: 5 });
    await settle();
    const alarm = await fakeBrowser.alarms.get(AUTO_LOCK_ALARM);
    if (!alarm) throw new Error('no auto-lock alarm was set');
    await fakeBrowser.alarms.onAlarm.trigger(alarm);
    await vi.waitFor(async () => {
      expect(await sessionVaultKey()).toBeUndefined();
    });
    expect((await snapshot()).vault).toMatchObject({ enabled: true, unlocked: false });
  });

  it('is dropped when set to never, and when the vault is locked by hand', async () => {
    await unlockedVault();
    await send('setAutoLock', { minutes: 5 });
    await send('setAutoLock', { minutes: null });
    await settle();
    expect(await fakeBrowser.alarms.get(AUTO_LOCK_ALARM)).toBeUndefined();
    await send('setAutoLock', { minutes: 5 });
    await send('lockVault', {});
    await settle();
    expect(await fakeBrowser.alarms.get(AUTO_LOCK_ALARM)).toBeUndefined();
  });

  it('cannot be set without a passphrase, nor to a value the popup does not offer', async () => {
    expect(await send('setAutoLock', { minutes: 5 })).toMatchObject({ ok: false, kind: 'not_enabled' });
    await unlockedVault();
    expect(await send('setAutoLock', { minutes: 7 })).toBeUndefined(); // refused as malformed: no answer
  });
});

describe('damaged token state', () => {
  it('is reported in the snapshot instead of reaching the popup as it is', async () => {
    await seedData([storedProfile()], {});
    const key = `${PROFILE_KEY_PREFIX}p-1`;
    const part = (await fakeBrowser.storage.local.get(key))[key] as Record<string, unknown>;
    await fakeBrowser.storage.local.set({ [key]: { ...part, token: { lastError: 'oops' } } });
    const state = await snapshot();
    expect(state.tokens['p-1']).toEqual({});
    expect(state.storageProblem).toMatch(/1 damaged token entry/);
  });
});

describe('the popup’s own read of storage', () => {
  /** What the popup paints first, read without the worker, must be what the worker would answer. */
  async function expectSameAsWorker() {
    const { readStoredSnapshot } = await import('../platform/storage-read');
    expect(await readStoredSnapshot()).toEqual(await snapshot());
  }

  it('gives the worker’s snapshot: first run, saved in clear, with a token, marked in flight', async () => {
    await expectSameAsWorker();
    await send('saveProfile', { profile: profileInput() });
    await expectSameAsWorker();
    stubFetch(() => tokenResponse());
    const [saved] = (await snapshot()).profiles;
    await send('refresh', { profileId: saved?.id ?? '' });
    await expectSameAsWorker();
    await fakeBrowser.storage.local.set({ inFlight: { [saved?.id ?? '']: { startedAt: Date.now() } } });
    await expectSameAsWorker();
  });

  it('gives the worker’s snapshot with the vault unlocked, locked and damaged', async () => {
    await seedData([storedProfile()], {
      'p-1': { accessToken: ACCESS_TOKEN, expiresAt: Date.now() + 60_000 },
    });
    await send('setPassphrase', { passphrase: PASSPHRASE });
    await expectSameAsWorker();
    await send('lockVault', {});
    await expectSameAsWorker();
    const raw = (await fakeBrowser.storage.local.get(DATA_KEY))[DATA_KEY] as Record<string, unknown>;
    await fakeBrowser.storage.local.set({ [DATA_KEY]: { ...raw, tokens: { 'p-1': { lastError: 'oops' } } } });
    await expectSameAsWorker();
  });
});

describe('a vault sealed before the OAuth host was sealed with the secrets', () => {
  /** What the previous version stored: only the client secret and refresh token in the sealed blob. */
  async function legacyVaultWithEditedHost() {
    await seedData();
    await send('setPassphrase', { passphrase: PASSPHRASE });
    await storeLegacyVaultEdited({ oauthHost: 'https://attacker.example' });
  }

  it('sends nothing and writes nothing until the user has checked and saved the profile', async () => {
    await legacyVaultWithEditedHost();
    const before = await storedJson();
    const fetchSpy = stubFetch(() => tokenResponse());
    const reply = await send('refresh', { profileId: 'p-1' });
    expect(reply).toMatchObject({ ok: false, failure: { kind: 'needs_review' } });
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(await storedJson()).toBe(before);
    expect((await snapshot()).profiles[0]).toMatchObject({
      needsReview: true,
      oauthHost: 'https://attacker.example',
    });

    // The user sees the host in the form, corrects it and saves: from then on it is sealed and used.
    await send('saveProfile', {
      profile: profileInput({ id: 'p-1' }),
      keepStored: ['refreshToken', 'clientSecret'],
    });
    expect((await snapshot()).profiles[0]?.needsReview).toBeUndefined();
    await send('refresh', { profileId: 'p-1' });
    expect(fetchCall(fetchSpy).url).toBe('https://app.hellosign.com/oauth/token?refresh');
  });
});

describe('a whole token response pasted as the refresh token', () => {
  const pastedJson = JSON.stringify({
    access_token: ACCESS_TOKEN,
    expires_in: 3600,
    refresh_token: REFRESH_TOKEN,
    token_type: 'bearer',
    state: null,
  });

  it('stores its refresh token and keeps its access token as the current one, without a refresh', async () => {
    const fetchSpy = stubFetch(() => tokenResponse());
    const before = Date.now();
    const reply = await send('saveProfile', { profile: profileInput({ refreshToken: pastedJson }) });
    expect(reply).toMatchObject({ ok: true, profile: { refreshToken: REFRESH_TOKEN } });
    const state = await snapshot();
    const token = state.tokens[state.activeProfileId ?? ''];
    expect(token).toMatchObject({ accessToken: ACCESS_TOKEN, tokenType: 'bearer' });
    expect(token?.expiresAt).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(token?.expiryNote).toMatch(/Counted from when the token response was pasted/);
    expect(fetchSpy).not.toHaveBeenCalled();
    // Nothing was sent, so it is no attempt: the automatic refresh's 30 s gap does not count from it.
    expect(token).not.toHaveProperty('lastAttemptAt');
  });

  it('changes no token when only a refresh token is pasted, or when the stored one is kept', async () => {
    await send('saveProfile', { profile: profileInput() });
    const id = (await snapshot()).activeProfileId ?? '';
    expect((await snapshot()).tokens[id]).toBeUndefined();
    await send('saveProfile', {
      profile: profileInput({ id, refreshToken: pastedJson }),
      keepStored: ['refreshToken', 'clientSecret'],
    });
    expect((await snapshot()).tokens[id]).toBeUndefined();
  });
});
