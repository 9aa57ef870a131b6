import { fakeBrowser } from '@webext-core/fake-browser';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import type { AppSnapshot } from '../core/protocol';
import { CURRENT_SCHEMA_VERSION, type StoredData } from '../core/stored-data';
import { DEFAULT_ITERATIONS, fromBase64 } from '../core/vault-crypto';
import { DATA_KEY } from '../platform/storage-keys';
import {
  ACCESS_TOKEN,
  CLIENT_ID,
  CLIENT_SECRET,
  deferred,
  openStoredHistory,
  openStoredVault,
  profileInput,
  REFRESH_TOKEN,
  seedData,
  send,
  sentJson,
  sessionVaultKey,
  storedData,
  storedJson,
  storedProfile,
  storedVault,
  stubFetch,
  tokenResponse,
} from '../test-support/worker';

/** PBKDF2 at 600,000 iterations takes a noticeable time per derivation; most tests use far fewer. */
const kdfSettings = vi.hoisted((): { iterations: number | undefined } => ({ iterations: 2000 }));
vi.mock('../core/vault-crypto', async (importOriginal) =>
  (await import('../test-support/fast-vault-crypto')).fastVaultCrypto(
    await importOriginal<typeof import('../core/vault-crypto')>(),
    () => kdfSettings.iterations,
  ),
);

const PASSPHRASE = 'correct horse battery staple';
const OTHER = 'a different passphrase';
const ROTATED = 'rotated-refresh-token-0123456789';
const NEW_ACCESS = 'bmV3LWFjY2Vzcy10b2tlbi1hZnRlci10aGUtcmVmcmVzaA==';
const SECRETS = [CLIENT_SECRET, REFRESH_TOKEN, ACCESS_TOKEN];
/** Sealed beside the secrets: where and how they are sent. */
const BOUND = { oauthHost: 'https://app.hellosign.com', clientId: CLIENT_ID, clientAuth: 'body' };
const TOKEN = { accessToken: ACCESS_TOKEN, tokenType: 'Bearer', receivedAt: 1000, expiresAt: 3_601_000 };

let consoleSpies: MockInstance[];

beforeEach(async () => {
  vi.resetModules();
  kdfSettings.iterations = 2000;
  const [{ listenForMessages }, { handlers }] = await Promise.all([
    import('../platform/message-listener'),
    import('./handlers'),
  ]);
  listenForMessages(handlers);
  consoleSpies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
    vi.spyOn(console, level).mockImplementation(() => undefined),
  );
});

afterEach(() => {
  // No passphrase or secret reaches a log line, whatever the test did.
  const logged = JSON.stringify(consoleSpies.flatMap((spy) => spy.mock.calls));
  for (const secret of [PASSPHRASE, OTHER, ROTATED, NEW_ACCESS, ...SECRETS]) {
    expect(logged).not.toContain(secret);
  }
});

async function seedWithToken(): Promise<void> {
  await seedData([storedProfile({ id: 'p-1' })], { 'p-1': TOKEN });
}

const snapshot = () => send('getSnapshot', {});
const setPassphrase = (passphrase = PASSPHRASE, currentPassphrase?: string) =>
  send('setPassphrase', currentPassphrase === undefined ? { passphrase } : { passphrase, currentPassphrase });
const unlock = (passphrase = PASSPHRASE) => send('unlockVault', { passphrase });
const lock = () => send('lockVault', {});

const sessionKey = sessionVaultKey;

/** The snapshot with all secrets in place, as it is before any vault. */
function plainSnapshotOf(data: StoredData | undefined): Partial<AppSnapshot> {
  if (!data) return { activeProfileId: null };
  return { activeProfileId: data.activeProfileId, profiles: data.profiles, tokens: data.tokens };
}

function expectNoSecretIn(json: string, secrets: string[] = SECRETS): void {
  for (const secret of secrets) expect(json).not.toContain(secret);
}

describe('setting a passphrase', () => {
  it('seals the client secret, refresh token and access token: storage.local holds none of them', async () => {
    await seedWithToken();
    expect(await setPassphrase()).toEqual({ ok: true });
    const json = await storedJson();
    expectNoSecretIn(json);
    expect(json).not.toContain(PASSPHRASE);
    // The rest stays readable, so the popup can show names and expiry while locked.
    expect(await storedData()).toMatchObject({
      schemaVersion: CURRENT_SCHEMA_VERSION,
      activeProfileId: 'p-1',
      profiles: [
        { id: 'p-1', name: 'My API app', clientId: CLIENT_ID, oauthHost: 'https://app.hellosign.com' },
      ],
      tokens: { 'p-1': { tokenType: 'Bearer', receivedAt: 1000, expiresAt: 3_601_000 } },
    });
  });

  it('stores the KDF parameters it derived with: PBKDF2-SHA256, a random 16-byte salt', async () => {
    await seedWithToken();
    await setPassphrase();
    const vault = await storedVault();
    expect(vault?.kdf).toMatchObject({ name: 'PBKDF2', hash: 'SHA-256', iterations: 2000 });
    expect(fromBase64(vault?.kdf.salt ?? '')).toHaveLength(16);
    expect(fromBase64(vault?.check?.iv ?? '')).toHaveLength(12);
    expect(fromBase64(vault?.parts?.['p-1']?.iv ?? '')).toHaveLength(12);
    expect(await openStoredVault(PASSPHRASE)).toEqual({
      profiles: { 'p-1': { clientSecret: CLIENT_SECRET, refreshToken: REFRESH_TOKEN, ...BOUND } },
      tokens: { 'p-1': { accessToken: ACCESS_TOKEN } },
    });
  });

  it('uses at least 600,000 iterations by default', async () => {
    kdfSettings.iterations = undefined;
    await seedWithToken();
    expect(await setPassphrase()).toEqual({ ok: true });
    expect((await storedVault())?.kdf.iterations).toBe(DEFAULT_ITERATIONS);
    expect(DEFAULT_ITERATIONS).toBeGreaterThanOrEqual(600_000);
    await lock();
    expect(await unlock()).toEqual({ ok: true });
    expect((await snapshot()).profiles[0]?.refreshToken).toBe(REFRESH_TOKEN);
  }, 30_000);

  it('leaves the vault unlocked: the snapshot still shows every secret', async () => {
    await seedWithToken();
    const before = await storedData();
    await setPassphrase();
    expect(await snapshot()).toMatchObject({
      ...plainSnapshotOf(before),
      vault: { enabled: true, unlocked: true },
    });
    expect(typeof (await sessionKey())).toBe('string');
  });

  it('works on a first run too, and later saves are sealed', async () => {
    expect(await setPassphrase()).toEqual({ ok: true });
    expect(await send('saveProfile', { profile: profileInput() })).toMatchObject({ ok: true });
    expectNoSecretIn(await storedJson(), [CLIENT_SECRET, REFRESH_TOKEN]);
    expect((await snapshot()).profiles[0]).toMatchObject({
      clientSecret: CLIENT_SECRET,
      refreshToken: REFRESH_TOKEN,
    });
  });

  it('refuses a passphrase under 12 characters and stores nothing', async () => {
    await seedWithToken();
    const before = await storedJson();
    expect(await setPassphrase('short')).toEqual({
      ok: false,
      kind: 'too_short',
      message: 'A passphrase needs at least 12 characters.',
    });
    expect(await storedJson()).toBe(before);
    expect(await sessionKey()).toBeUndefined();
  });

  it('does not replace a set passphrase without the current one', async () => {
    await seedWithToken();
    await setPassphrase();
    const before = await storedJson();
    expect(await setPassphrase(OTHER)).toMatchObject({ ok: false, kind: 'current_required' });
    expect(await storedJson()).toBe(before);
  });

  it('re-seals a profile’s secrets under a fresh IV whenever they change, and keeps their ciphertext when not', async () => {
    await seedWithToken();
    await setPassphrase();
    const sealedPart = async () => (await storedVault())?.parts?.['p-1'];
    const ivs = [(await sealedPart())?.iv];
    for (const secret of ['secret-one', 'secret-two', 'secret-three']) {
      await send('saveProfile', { profile: profileInput({ id: 'p-1', clientSecret: secret }) });
      ivs.push((await sealedPart())?.iv);
    }
    expect(new Set(ivs).size).toBe(4);
    // A change of nothing secret (the name) writes the profile's part, with the sealed secrets as they were.
    const before = await sealedPart();
    await send('saveProfile', {
      profile: profileInput({ id: 'p-1', name: 'Renamed', clientSecret: 'secret-three' }),
    });
    expect((await storedData())?.profiles[0]?.name).toBe('Renamed');
    expect(await sealedPart()).toEqual(before);
    expect(await openStoredVault(PASSPHRASE)).toMatchObject({
      profiles: { 'p-1': { clientSecret: 'secret-three' } },
    });
  });
});

describe('while locked', () => {
  beforeEach(async () => {
    await seedWithToken();
    await setPassphrase();
    expect(await lock()).toEqual({ ok: true });
  });

  it('drops the key from storage.session', async () => {
    expect(await sessionKey()).toBeUndefined();
  });

  it('answers a snapshot without any secret, saying it is locked', async () => {
    const locked = await snapshot();
    expect(locked.vault).toMatchObject({ enabled: true, unlocked: false });
    expectNoSecretIn(JSON.stringify(locked));
    expect(locked.profiles).toEqual([
      { ...storedProfile({ id: 'p-1' }), clientSecret: '', refreshToken: '' },
    ]);
    expect(locked.tokens['p-1']).toEqual({ tokenType: 'Bearer', receivedAt: 1000, expiresAt: 3_601_000 });
  });

  it('answers a refresh with "locked", sends nothing and changes nothing', async () => {
    const before = await storedJson();
    const fetchSpy = stubFetch(() => tokenResponse());
    const reply = await send('refresh', { profileId: 'p-1' });
    expect(reply.ok).toBe(false);
    expect(reply.ok ? undefined : reply.failure).toMatchObject({
      kind: 'locked',
      title: 'The vault is locked',
    });
    expectNoSecretIn(JSON.stringify(reply));
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(await storedJson()).toBe(before);
    expect((await snapshot()).refreshing).toEqual([]);
  });

  it('refuses to save credentials: a write without the secrets would drop them', async () => {
    const before = await storedJson();
    const reply = await send('saveProfile', { profile: profileInput({ id: 'p-1', name: 'Renamed' }) });
    expect(reply).toMatchObject({ ok: false, problem: expect.stringMatching(/locked/) as unknown });
    expect(await storedJson()).toBe(before);
  });

  it('says a wrong passphrase plainly and changes nothing', async () => {
    const before = await storedJson();
    expect(await unlock(OTHER)).toEqual({
      ok: false,
      kind: 'wrong_passphrase',
      message: 'That passphrase is not right. Nothing was changed.',
    });
    expect(await storedJson()).toBe(before);
    expect(await sessionKey()).toBeUndefined();
    expect((await snapshot()).vault).toMatchObject({ enabled: true, unlocked: false });
  });

  it('unlocks with the right passphrase: every secret is back and a refresh works again', async () => {
    expect(await unlock()).toEqual({ ok: true });
    const unlocked = await snapshot();
    expect(unlocked.vault).toMatchObject({ enabled: true, unlocked: true });
    expect(unlocked.profiles[0]).toEqual(storedProfile({ id: 'p-1' }));
    expect(unlocked.tokens['p-1']).toEqual(TOKEN);
    const fetchSpy = stubFetch(() => tokenResponse());
    expect(await send('refresh', { profileId: 'p-1' })).toMatchObject({ ok: true });
    expect(sentJson(fetchSpy)).toMatchObject({
      refresh_token: REFRESH_TOKEN,
      client_secret: CLIENT_SECRET,
    });
  });

  it('stays locked after a browser restart (storage.session is gone), and unlocks again', async () => {
    await unlock();
    await fakeBrowser.storage.session.clear();
    vi.resetModules();
    expect((await snapshot()).vault).toMatchObject({ enabled: true, unlocked: false });
    expect(await unlock()).toEqual({ ok: true });
    expect((await snapshot()).profiles[0]?.refreshToken).toBe(REFRESH_TOKEN);
  });

  it('does not let a passphrase be removed or changed with a wrong one', async () => {
    const before = await storedJson();
    expect(await send('removePassphrase', { passphrase: OTHER })).toMatchObject({ kind: 'wrong_passphrase' });
    expect(await setPassphrase('brand new passphrase', OTHER)).toMatchObject({ kind: 'wrong_passphrase' });
    expect(await storedJson()).toBe(before);
  });
});

describe('changing the passphrase', () => {
  beforeEach(async () => {
    await seedWithToken();
    await setPassphrase();
  });

  it('re-seals everything under the new one with a new salt: the old one no longer opens it', async () => {
    const before = await storedData();
    const oldVault = await storedVault();
    expect(await setPassphrase(OTHER, PASSPHRASE)).toEqual({ ok: true });
    const newVault = await storedVault();
    expect(newVault?.kdf.salt).not.toBe(oldVault?.kdf.salt);
    expect(newVault?.check?.iv).not.toBe(oldVault?.check?.iv);
    expect(newVault?.parts?.['p-1']?.iv).not.toBe(oldVault?.parts?.['p-1']?.iv);
    expectNoSecretIn(await storedJson(), [...SECRETS, OTHER]);
    await expect(openStoredVault(PASSPHRASE)).rejects.toThrow('wrong_key');
    await lock();
    expect(await unlock(PASSPHRASE)).toMatchObject({ ok: false, kind: 'wrong_passphrase' });
    expect(await unlock(OTHER)).toEqual({ ok: true });
    expect(await snapshot()).toMatchObject(plainSnapshotOf(before));
  });

  it('stays unlocked under the new passphrase', async () => {
    await setPassphrase(OTHER, PASSPHRASE);
    expect((await snapshot()).vault).toMatchObject({ enabled: true, unlocked: true });
    expect((await snapshot()).tokens['p-1']?.accessToken).toBe(ACCESS_TOKEN);
  });

  it('checks the new passphrase’s length before anything else', async () => {
    const before = await storedJson();
    expect(await setPassphrase('short', PASSPHRASE)).toMatchObject({ kind: 'too_short' });
    expect(await storedJson()).toBe(before);
  });
});

describe('removing the passphrase', () => {
  beforeEach(async () => {
    await seedWithToken();
  });

  it('stores the secrets in clear again, exactly as before, and forgets the key', async () => {
    const before = await storedData();
    await setPassphrase();
    expect(await send('removePassphrase', { passphrase: PASSPHRASE })).toEqual({ ok: true });
    expect(await storedData()).toEqual(before);
    expect(await sessionKey()).toBeUndefined();
    expect((await snapshot()).vault).toMatchObject({ enabled: false, unlocked: false });
  });

  it('works from the locked state with the right passphrase', async () => {
    const before = await storedData();
    await setPassphrase();
    await lock();
    expect(await send('removePassphrase', { passphrase: PASSPHRASE })).toEqual({ ok: true });
    expect(await storedData()).toEqual(before);
  });

  it('says so when no passphrase is set, and changes nothing', async () => {
    const before = await storedJson();
    expect(await send('removePassphrase', { passphrase: PASSPHRASE })).toMatchObject({ kind: 'not_enabled' });
    expect(await unlock()).toMatchObject({ kind: 'not_enabled' });
    expect(await storedJson()).toBe(before);
  });
});

describe('a refresh with the vault on', () => {
  beforeEach(async () => {
    await seedWithToken();
    await setPassphrase();
  });

  it('stores the rotated refresh token and the new access token sealed, never in clear', async () => {
    stubFetch(() => tokenResponse({ access_token: NEW_ACCESS, refresh_token: ROTATED }));
    expect(await send('refresh', { profileId: 'p-1' })).toMatchObject({ ok: true });
    expectNoSecretIn(await storedJson(), [ROTATED, NEW_ACCESS, CLIENT_SECRET, REFRESH_TOKEN]);
    expect(await openStoredVault(PASSPHRASE)).toEqual({
      profiles: { 'p-1': { clientSecret: CLIENT_SECRET, refreshToken: ROTATED, ...BOUND } },
      tokens: { 'p-1': { accessToken: NEW_ACCESS } },
    });
    // The history line is sealed too, beside the document: it tells when and how the tokens changed.
    expect(await openStoredHistory(PASSPHRASE, 'p-1')).toEqual([
      expect.objectContaining({ kind: 'refresh', ok: true, refreshTokenChanged: true }) as unknown,
    ]);
    expect((await storedData())?.tokens['p-1']).toMatchObject({
      tokenType: 'Bearer',
      expiresAt: expect.any(Number) as unknown,
    });
  });

  it('that is running when the user locks stores its answer first; a refresh asked for meanwhile is not sent', async () => {
    const answer = deferred<Response>();
    const fetched = deferred<undefined>();
    const fetchSpy = stubFetch(async () => {
      fetched.resolve(undefined);
      return answer.promise;
    });
    const running = send('refresh', { profileId: 'p-1' });
    await fetched.promise;
    const locking = lock();
    expect(await send('refresh', { profileId: 'p-2-or-any' })).toMatchObject({
      ok: false,
      failure: { kind: 'locked' },
    });
    answer.resolve(tokenResponse({ access_token: NEW_ACCESS, refresh_token: ROTATED }));
    expect(await running).toMatchObject({ ok: true });
    expect(await locking).toEqual({ ok: true });
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    expect(await sessionKey()).toBeUndefined();
    expect((await openStoredVault(PASSPHRASE)) as object).toMatchObject({
      profiles: { 'p-1': { refreshToken: ROTATED } },
    });
  });
});

describe('data from before the vault (schema 1)', () => {
  it('loads unchanged, without a vault, and a passphrase can be set on it', async () => {
    const v1 = {
      schemaVersion: 1,
      activeProfileId: 'p-1',
      profiles: [storedProfile({ id: 'p-1' })],
      tokens: { 'p-1': TOKEN },
    };
    await fakeBrowser.storage.local.set({ [DATA_KEY]: v1 });
    expect(await snapshot()).toMatchObject({
      profiles: v1.profiles,
      tokens: v1.tokens,
      vault: { enabled: false, unlocked: false },
    });
    expect(await setPassphrase()).toEqual({ ok: true });
    expectNoSecretIn(await storedJson());
    expect((await storedData())?.schemaVersion).toBe(CURRENT_SCHEMA_VERSION);
    expect(await snapshot()).toMatchObject({ profiles: v1.profiles, tokens: v1.tokens });
  });
});
