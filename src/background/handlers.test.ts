import { fakeBrowser } from '@webext-core/fake-browser';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { failure } from '../core/failures';
import { DEFAULT_OAUTH_HOST, DEFAULT_PROFILE_NAME } from '../core/profile';
import type { ImportedProfile } from '../core/profile-file';
import { parseEnvelope, type MessageName, type RemovedProfile, type RequestOf } from '../core/protocol';
import type { TokenState } from '../core/token-state';
import { DATA_KEY } from '../platform/storage-keys';
import {
  ACCESS_TOKEN,
  CLIENT_SECRET,
  deferred,
  profileInput,
  REFRESH_TOKEN,
  seedData,
  send,
  sentJson,
  spyOnLocalSet,
  storedData,
  storedInFlight,
  storedJson,
  storedVault,
  storedProfile,
  stubFetch,
  tokenResponse,
} from '../test-support/worker';

/** PBKDF2 at its real cost is not what these tests are about (the locked-vault ones set a passphrase). */
vi.mock('../core/vault-crypto', async (importOriginal) =>
  (await import('../test-support/fast-vault-crypto')).fastVaultCrypto(
    await importOriginal<typeof import('../core/vault-crypto')>(),
  ),
);

// A fresh worker per test: refreshes in progress and the write queue are module state, and a test that
// fails with a request still pending must not leave it for the next one to join.
beforeEach(async () => {
  vi.resetModules();
  const [{ listenForMessages }, { handlers }] = await Promise.all([
    import('../platform/message-listener'),
    import('./handlers'),
  ]);
  listenForMessages(handlers);
});

describe('saveProfile', () => {
  it('refuses a name another profile has (any case, spaces around), says which, and writes nothing', async () => {
    await seedData([
      storedProfile({ id: 'p-1', name: 'Production' }),
      storedProfile({ id: 'p-2', name: 'Staging' }),
    ]);
    const before = await storedJson();
    const reply = await send('saveProfile', { profile: profileInput({ id: 'p-2', name: '  production ' }) });
    expect(reply).toMatchObject({
      ok: false,
      errors: { name: 'Another profile is already called “Production”. Choose a different name.' },
    });
    expect(await storedJson()).toBe(before);
    // Its own name, kept or recased, is no clash.
    expect((await send('saveProfile', { profile: profileInput({ id: 'p-2', name: 'STAGING' }) })).ok).toBe(
      true,
    );
  });

  it('returns the validation errors and stores nothing when the input is invalid', async () => {
    const set = vi.spyOn(fakeBrowser.storage.local, 'set');
    const reply = await send('saveProfile', {
      profile: profileInput({
        refreshToken: '',
        clientSecret: '',
        clientId: 'has space',
        oauthHost: 'http://example.com',
      }),
    });
    expect(reply.ok).toBe(false);
    expect(reply.ok ? {} : reply.errors).toEqual({
      refreshToken: expect.any(String) as unknown,
      clientId: expect.any(String) as unknown,
      oauthHost: expect.any(String) as unknown,
    });
    expect(set).not.toHaveBeenCalled();
    expect(await storedData()).toBeUndefined();
  });

  it('refuses an edit with errors and leaves the stored profile as it was', async () => {
    await seedData([storedProfile({ id: 'p-1', name: 'Before' })]);
    const reply = await send('saveProfile', {
      profile: profileInput({ id: 'p-1', name: 'After', refreshToken: 'Bearer abc' }),
    });
    expect(reply).toMatchObject({ ok: false, errors: { refreshToken: expect.any(String) as unknown } });
    expect((await storedData())?.profiles).toEqual([storedProfile({ id: 'p-1', name: 'Before' })]);
  });

  it('saves a profile without client ID and secret, with a warning for each', async () => {
    const reply = await send('saveProfile', { profile: profileInput({ clientId: '', clientSecret: '' }) });
    expect(reply.ok).toBe(true);
    expect(reply.warnings).toEqual({
      clientId: expect.any(String) as unknown,
      clientSecret: expect.any(String) as unknown,
    });
    expect((await storedData())?.profiles).toEqual([
      expect.objectContaining({ clientId: '', clientSecret: '', refreshToken: REFRESH_TOKEN }),
    ]);
  });

  it('gives a complete profile no warnings', async () => {
    const reply = await send('saveProfile', { profile: profileInput() });
    expect(reply).toEqual({
      ok: true,
      profileId: expect.any(String) as unknown,
      profile: expect.objectContaining({ refreshToken: REFRESH_TOKEN }) as unknown,
      warnings: {},
    });
  });

  it('keeps the stored refresh token and secret for fields the form did not edit, so a rotated token survives', async () => {
    await seedData([storedProfile({ id: 'p-1', refreshToken: 'rotated-since-the-form-was-filled' })]);
    const reply = await send('saveProfile', {
      profile: profileInput({ id: 'p-1', name: 'Renamed', refreshToken: REFRESH_TOKEN }),
      keepStored: ['refreshToken', 'clientSecret'],
    });
    expect(reply.ok).toBe(true);
    const [saved] = (await storedData())?.profiles ?? [];
    expect(saved).toMatchObject({ name: 'Renamed', refreshToken: 'rotated-since-the-form-was-filled' });
  });

  it('stores an edited refresh token, and returns the profile as stored (a pasted JSON reduced to its token)', async () => {
    await seedData([storedProfile({ id: 'p-1' })]);
    const reply = await send('saveProfile', {
      profile: profileInput({ id: 'p-1', refreshToken: ` {"refresh_token":"new-one","access_token":"x"} ` }),
      keepStored: ['clientSecret'],
    });
    expect(reply.ok ? reply.profile.refreshToken : undefined).toBe('new-one');
    expect((await storedData())?.profiles[0]?.refreshToken).toBe('new-one');
  });

  it('stores a new profile, normalized, under a fresh id and makes it the active one', async () => {
    await seedData([storedProfile({ id: 'p-old' })]);
    const reply = await send('saveProfile', {
      profile: profileInput({
        name: ' Second ',
        refreshToken: ` ${REFRESH_TOKEN}\n`,
        oauthHost: 'app.hellosign.com',
      }),
    });
    if (!reply.ok) throw new Error('expected the save to succeed');
    expect(reply.profileId).toMatch(/^p-/);
    expect(reply.profileId).not.toBe('p-old');
    const data = await storedData();
    expect(data?.activeProfileId).toBe(reply.profileId);
    expect(data?.profiles.map((p) => p.id)).toEqual(['p-old', reply.profileId]);
    expect(data?.profiles[1]).toEqual({
      ...profileInput(),
      id: reply.profileId,
      name: 'Second',
      refreshToken: REFRESH_TOKEN,
      oauthHost: 'https://app.hellosign.com',
    });
  });

  it('edits a saved profile in place: same id, no second profile, and it becomes active', async () => {
    await seedData([storedProfile({ id: 'p-1' }), storedProfile({ id: 'p-2', name: 'Other' })]);
    const reply = await send('saveProfile', { profile: profileInput({ id: 'p-2', name: 'Renamed' }) });
    expect(reply).toMatchObject({ ok: true, profileId: 'p-2' });
    const data = await storedData();
    expect(data?.profiles).toEqual([
      storedProfile({ id: 'p-1' }),
      storedProfile({ id: 'p-2', name: 'Renamed' }),
    ]);
    expect(data?.activeProfileId).toBe('p-2');
  });

  it('stores an edit whose id is no longer saved as a new profile', async () => {
    await seedData([storedProfile({ id: 'p-1' })]);
    const reply = await send('saveProfile', { profile: profileInput({ id: 'p-gone' }) });
    if (!reply.ok) throw new Error('expected the save to succeed');
    expect(reply.profileId).not.toBe('p-gone');
    expect((await storedData())?.profiles.map((p) => p.id)).toEqual(['p-1', reply.profileId]);
    // Saved again under the name p-1 has: it takes the next free one.
    expect((await storedData())?.profiles.map((p) => p.name)).toEqual(['My API app', 'My API app 2']);
  });

  it.each([
    ['refresh token', { refreshToken: 'a-new-refresh-token' }],
    ['client ID', { clientId: 'another-client-id' }],
    ['client secret', { clientSecret: 'another-secret' }],
    ['OAuth host', { oauthHost: 'http://127.0.0.1:8443' }],
    ['client authentication', { clientAuth: 'both' as const }],
  ])('clears the last error when the %s changes, and keeps the last good token', async (_field, change) => {
    const lastError = failure('invalid_grant', 1000);
    await seedData([storedProfile({ id: 'p-1' })], { 'p-1': { accessToken: 'old-access', lastError } });
    await send('saveProfile', { profile: profileInput({ id: 'p-1', ...change }) });
    const token = (await storedData())?.tokens['p-1'];
    expect(token).toEqual({ accessToken: 'old-access' });
  });

  it('keeps the last error when only the name changes', async () => {
    const lastError = failure('invalid_grant', 1000);
    await seedData([storedProfile({ id: 'p-1' })], { 'p-1': { accessToken: 'old-access', lastError } });
    await send('saveProfile', { profile: profileInput({ id: 'p-1', name: 'New name' }) });
    expect((await storedData())?.tokens['p-1']).toEqual({ accessToken: 'old-access', lastError });
  });
});

describe('getSnapshot', () => {
  it('answers with the stored profiles, tokens and active profile, nothing refreshing', async () => {
    const tokens = { 'p-1': { accessToken: 'a', receivedAt: 1, expiresAt: 2 } };
    await seedData([storedProfile({ id: 'p-1' })], tokens);
    expect(await send('getSnapshot', {})).toEqual({
      activeProfileId: 'p-1',
      profiles: [storedProfile({ id: 'p-1' })],
      tokens,
      refreshing: [],
      vault: { enabled: false, unlocked: false, sealedAfterClear: false, autoLockMinutes: null },
    });
  });

  it('answers an empty snapshot on a first run', async () => {
    expect(await send('getSnapshot', {})).toEqual({
      activeProfileId: null,
      profiles: [],
      tokens: {},
      refreshing: [],
      vault: { enabled: false, unlocked: false, sealedAfterClear: false, autoLockMinutes: null },
    });
  });

  it('reports a storage problem when the stored data cannot be read', async () => {
    await fakeBrowser.storage.local.set({ [DATA_KEY]: 'not an object' });
    const snapshot = await send('getSnapshot', {});
    expect(snapshot.storageProblem).toMatch(/could not be read/);
    expect(snapshot.profiles).toEqual([]);
  });

  it('lists a profile as refreshing while its refresh is in flight', async () => {
    await seedData([storedProfile({ id: 'p-1' })]);
    let answer!: (response: Response) => void;
    const fetched = new Promise<void>((fetchCalled) => {
      stubFetch(
        () =>
          new Promise<Response>((resolve) => {
            answer = resolve;
            fetchCalled();
          }),
      );
    });
    const reply = send('refresh', { profileId: 'p-1' });
    await fetched;
    expect((await send('getSnapshot', {})).refreshing).toEqual(['p-1']);
    answer(tokenResponse());
    await reply;
    expect((await send('getSnapshot', {})).refreshing).toEqual([]);
  });
});

describe('data written by a newer version of the extension', () => {
  const newer = { schemaVersion: 99, profiles: [storedProfile()], future: 'field' };

  it('is not overwritten by a save, and the reply says why', async () => {
    await fakeBrowser.storage.local.set({ [DATA_KEY]: newer });
    const reply = await send('saveProfile', { profile: profileInput() });
    expect(reply.ok).toBe(false);
    expect(reply.ok ? undefined : reply.problem).toMatch(/newer version/);
    expect(await storedData()).toEqual(newer);
  });

  it('stops a refresh before anything is sent', async () => {
    await fakeBrowser.storage.local.set({ [DATA_KEY]: newer });
    const fetchSpy = stubFetch(() => tokenResponse());
    const reply = await send('refresh', { profileId: storedProfile().id });
    expect(reply.ok ? undefined : reply.failure.kind).toBe('storage_newer');
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(await storedData()).toEqual(newer);
  });
});

describe('the profile operations', () => {
  const ROTATED = 'rotated-refresh-token-0123456789';
  const TOKEN_2: TokenState = {
    accessToken: 'access-of-p-2',
    tokenType: 'Bearer',
    receivedAt: 1,
    expiresAt: 2,
  };
  const two = () => [
    storedProfile({ id: 'p-1', name: 'Production' }),
    storedProfile({ id: 'p-2', name: 'Staging', refreshToken: 'refresh-token-of-p-2' }),
  ];
  const seedTwo = () => seedData(two(), { 'p-2': TOKEN_2 });

  /** How many times the stored document was written since `spy` was made. */
  const documentWrites = (spy: ReturnType<typeof spyOnLocalSet>) =>
    spy.mock.calls.filter(([items]) => Object.hasOwn(items, DATA_KEY)).length;

  it('createProfile adds an empty profile, makes it active, in one write', async () => {
    await seedTwo();
    const set = spyOnLocalSet();
    const reply = await send('createProfile', {});
    if (!reply.ok) throw new Error(reply.problem);
    expect(reply.profileId).toMatch(/^p-/);
    expect(documentWrites(set)).toBe(1);
    const data = await storedData();
    expect(data?.activeProfileId).toBe(reply.profileId);
    expect(data?.profiles.map((p) => p.id)).toEqual(['p-1', 'p-2', reply.profileId]);
    expect(data?.profiles[2]).toEqual({
      id: reply.profileId,
      name: DEFAULT_PROFILE_NAME,
      clientId: '',
      clientSecret: '',
      refreshToken: '',
      oauthHost: DEFAULT_OAUTH_HOST,
      clientAuth: 'body',
    });
    expect(data?.tokens).toEqual({ 'p-2': TOKEN_2 });
  });

  it('createProfile works on a first run, and a second one gets a name of its own', async () => {
    const first = await send('createProfile', {});
    const second = await send('createProfile', {});
    expect([first.ok, second.ok]).toEqual([true, true]);
    expect((await storedData())?.profiles.map((p) => p.name)).toEqual([
      DEFAULT_PROFILE_NAME,
      `${DEFAULT_PROFILE_NAME} 2`,
    ]);
  });

  it('duplicateProfile stores a copy without the refresh token or any token state, active, after its source', async () => {
    await seedTwo();
    const reply = await send('duplicateProfile', { profileId: 'p-2' });
    if (!reply.ok) throw new Error(reply.problem);
    const data = await storedData();
    expect(data?.activeProfileId).toBe(reply.profileId);
    expect(data?.profiles.map((p) => p.id)).toEqual(['p-1', 'p-2', reply.profileId]);
    expect(data?.profiles[2]).toEqual({
      ...storedProfile({ id: reply.profileId ?? '', name: 'Staging copy' }),
      refreshToken: '',
    });
    expect(data?.tokens).toEqual({ 'p-2': TOKEN_2 });
    // The copy has nothing to send: refreshing it spends no one's refresh token.
    const fetchSpy = stubFetch(() => tokenResponse());
    const refreshed = await send('refresh', { profileId: reply.profileId ?? '' });
    expect(refreshed.ok ? undefined : refreshed.failure.kind).toBe('no_refresh_token');
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('renameProfile stores the trimmed name and nothing else', async () => {
    await seedTwo();
    const before = await storedData();
    expect(await send('renameProfile', { profileId: 'p-1', name: '  Live  ' })).toEqual({
      ok: true,
      profileId: 'p-1',
    });
    expect(await storedData()).toEqual({
      ...before,
      profiles: [storedProfile({ id: 'p-1', name: 'Live' }), before?.profiles[1]],
    });
  });

  it.each<[string, string, RegExp]>([
    ['empty', '  ', /^Enter a name for the profile\./],
    ['too long', 'n'.repeat(61), /^Use at most 60 characters for the name/],
    [
      'another profile’s',
      ' staging ',
      /^Another profile is already called “Staging”\. Choose a different name\./,
    ],
  ])('renameProfile refuses a name that is %s, says so, and writes nothing', async (_why, name, problem) => {
    await seedTwo();
    const set = spyOnLocalSet();
    const reply = await send('renameProfile', { profileId: 'p-1', name });
    expect(reply).toEqual({ ok: false, problem: expect.stringMatching(problem) as unknown });
    expect(set).not.toHaveBeenCalled();
  });

  it('deleteProfile removes the profile and its token state, makes the neighbour active, and Undo gives all back', async () => {
    await seedData([...two(), storedProfile({ id: 'p-3', name: 'Local' })], {
      'p-2': TOKEN_2,
      'p-3': { accessToken: 'access-of-p-3' },
    });
    await send('switchProfile', { profileId: 'p-2' });
    const before = await storedData();
    const set = spyOnLocalSet();
    const reply = await send('deleteProfile', { profileId: 'p-2' });
    expect(reply).toEqual({
      ok: true,
      profileId: 'p-3',
      removed: { profile: before?.profiles[1], token: TOKEN_2, index: 1, wasActive: true },
    });
    expect(documentWrites(set)).toBe(1);
    expect(await storedData()).toEqual({
      ...before,
      activeProfileId: 'p-3',
      profiles: [before?.profiles[0], before?.profiles[2]],
      tokens: { 'p-3': { accessToken: 'access-of-p-3' } },
    });
    // The popup sends back what it was given, through structured cloning.
    const removed = structuredClone(reply.ok ? reply.removed : undefined);
    if (!removed) throw new Error('expected the delete to return what it removed');
    expect(await send('restoreProfile', { removed })).toEqual({ ok: true, profileId: 'p-2' });
    expect(documentWrites(set)).toBe(2);
    expect(await storedData()).toEqual(before);
  });

  it('deleteProfile of the last profile leaves none active', async () => {
    await seedData([storedProfile({ id: 'p-1' })]);
    expect(await send('deleteProfile', { profileId: 'p-1' })).toMatchObject({ ok: true, profileId: null });
    expect(await storedData()).toMatchObject({ activeProfileId: null, profiles: [], tokens: {} });
    expect((await send('getSnapshot', {})).activeProfileId).toBeNull();
  });

  it('restoreProfile refuses a profile that is back already, and writes nothing', async () => {
    await seedTwo();
    const reply = await send('deleteProfile', { profileId: 'p-1' });
    const removed = reply.ok ? reply.removed : undefined;
    if (!removed) throw new Error('expected the delete to return what it removed');
    expect((await send('restoreProfile', { removed })).ok).toBe(true);
    const set = spyOnLocalSet();
    expect(await send('restoreProfile', { removed })).toEqual({
      ok: false,
      problem: '“Production” is already back in the list. Nothing was changed.',
    });
    expect(set).not.toHaveBeenCalled();
    expect((await storedData())?.profiles.map((p) => p.id)).toEqual(['p-1', 'p-2']);
  });

  it('switchProfile makes another profile active and changes nothing else', async () => {
    await seedTwo();
    const before = await storedData();
    expect(await send('switchProfile', { profileId: 'p-2' })).toEqual({ ok: true, profileId: 'p-2' });
    expect(await storedData()).toEqual({ ...before, activeProfileId: 'p-2' });
    expect((await send('getSnapshot', {})).activeProfileId).toBe('p-2');
  });

  it.each<[MessageName, Record<string, unknown>]>([
    ['duplicateProfile', { profileId: 'p-gone' }],
    ['renameProfile', { profileId: 'p-gone', name: 'X' }],
    ['deleteProfile', { profileId: 'p-gone' }],
    ['switchProfile', { profileId: 'p-gone' }],
  ])('%s of a profile that is no longer saved says so and writes nothing', async (type, payload) => {
    await seedTwo();
    const set = spyOnLocalSet();
    const reply = await send(type, payload as RequestOf<typeof type>);
    expect(reply).toEqual({
      ok: false,
      problem:
        'That profile no longer exists (it may have been deleted in another window). Nothing was changed.',
    });
    expect(set).not.toHaveBeenCalled();
  });

  it('a refresh of A in flight while the user switches to B lands in A’s token state and leaves B untouched', async () => {
    await seedTwo();
    const answer = deferred<Response>();
    const fetched = deferred<undefined>();
    const fetchSpy = stubFetch(() => {
      fetched.resolve(undefined);
      return answer.promise;
    });
    const refreshing = send('refresh', { profileId: 'p-1' });
    await fetched.promise;
    expect(await send('switchProfile', { profileId: 'p-2' })).toEqual({ ok: true, profileId: 'p-2' });
    answer.resolve(tokenResponse({ refresh_token: ROTATED }));
    expect(await refreshing).toMatchObject({ ok: true, token: { accessToken: ACCESS_TOKEN } });
    expect(sentJson(fetchSpy)).toMatchObject({ refresh_token: REFRESH_TOKEN });
    const data = await storedData();
    expect(data?.activeProfileId).toBe('p-2');
    expect(data?.tokens['p-1']).toMatchObject({ accessToken: ACCESS_TOKEN });
    expect(data?.tokens['p-2']).toEqual(TOKEN_2);
    expect(data?.profiles).toEqual([
      storedProfile({ id: 'p-1', name: 'Production', refreshToken: ROTATED }),
      storedProfile({ id: 'p-2', name: 'Staging', refreshToken: 'refresh-token-of-p-2' }),
    ]);
  });

  it('deleting a profile whose refresh is in flight waits for its answer, does not resurrect it, and keeps the rotated token for Undo', async () => {
    await seedTwo();
    const answer = deferred<Response>();
    const fetched = deferred<undefined>();
    stubFetch(() => {
      fetched.resolve(undefined);
      return answer.promise;
    });
    const answered: string[] = [];
    const refreshing = send('refresh', { profileId: 'p-1' }).finally(() => answered.push('refresh'));
    await fetched.promise;
    const deleting = send('deleteProfile', { profileId: 'p-1' }).finally(() => answered.push('delete'));
    answer.resolve(tokenResponse({ refresh_token: ROTATED }));
    expect(await refreshing).toMatchObject({ ok: true });
    const reply = await deleting;
    // The delete was answered only after the refresh it waited for, whose request was held until then.
    expect(answered).toEqual(['refresh', 'delete']);
    expect(reply).toMatchObject({
      ok: true,
      profileId: 'p-2',
      removed: {
        profile: { id: 'p-1', refreshToken: ROTATED },
        token: { accessToken: ACCESS_TOKEN },
        index: 0,
        wasActive: true,
      },
    });
    const data = await storedData();
    expect(data?.profiles.map((p) => p.id)).toEqual(['p-2']);
    expect(data?.tokens).toEqual({ 'p-2': TOKEN_2 });
    expect(await storedInFlight()).toEqual({});
    expect(await send('getSnapshot', {})).toMatchObject({ refreshing: [], activeProfileId: 'p-2' });
    // Undo gives back the profile as the refresh left it: with the refresh token that still works.
    const removed = reply.ok ? reply.removed : undefined;
    if (!removed) throw new Error('expected the delete to return what it removed');
    await send('restoreProfile', { removed });
    expect((await storedData())?.profiles[0]).toMatchObject({ id: 'p-1', refreshToken: ROTATED });
  });

  it('a refresh asked for right after a delete finds the profile gone: nothing sent, nothing resurrected', async () => {
    await seedTwo();
    const fetchSpy = stubFetch(() => tokenResponse());
    const [deleted, refreshed] = await Promise.all([
      send('deleteProfile', { profileId: 'p-1' }),
      send('refresh', { profileId: 'p-1' }),
    ]);
    expect(deleted.ok).toBe(true);
    expect(refreshed.ok ? undefined : refreshed.failure.kind).toBe('unknown_profile');
    expect(fetchSpy).not.toHaveBeenCalled();
    const data = await storedData();
    expect(data?.profiles.map((p) => p.id)).toEqual(['p-2']);
    expect(data?.tokens).not.toHaveProperty('p-1');
  });

  describe('while the vault is locked', () => {
    const PASSPHRASE = 'correct horse battery staple';
    const removed: RemovedProfile = {
      profile: storedProfile({ id: 'p-3', name: 'Deleted earlier' }),
      index: 0,
      wasActive: false,
    };

    beforeEach(async () => {
      await seedTwo();
      expect(await send('setPassphrase', { passphrase: PASSPHRASE })).toEqual({ ok: true });
      expect(await send('lockVault', {})).toEqual({ ok: true });
    });

    it.each<[MessageName, Record<string, unknown>]>([
      ['createProfile', {}],
      ['duplicateProfile', { profileId: 'p-1' }],
      ['renameProfile', { profileId: 'p-1', name: 'Renamed' }],
      ['deleteProfile', { profileId: 'p-1' }],
      ['restoreProfile', { removed }],
    ])('%s is refused with what to do, and nothing is written', async (type, payload) => {
      const before = await storedJson();
      const set = spyOnLocalSet();
      const reply = await send(type, payload as RequestOf<typeof type>);
      expect(reply).toEqual({
        ok: false,
        problem: 'Not changed: the secrets are locked. Unlock them first.',
      });
      expect(set).not.toHaveBeenCalled();
      expect(await storedJson()).toBe(before);
    });

    it('switchProfile still works (which profile is active is not secret) and leaves the sealed part as it was', async () => {
      const sealedBefore = (await storedVault())?.sealed;
      expect(await send('switchProfile', { profileId: 'p-2' })).toEqual({ ok: true, profileId: 'p-2' });
      expect((await storedVault())?.sealed).toEqual(sealedBefore);
      expect((await send('getSnapshot', {})).activeProfileId).toBe('p-2');
      expect(await send('unlockVault', { passphrase: PASSPHRASE })).toEqual({ ok: true });
      const snapshot = await send('getSnapshot', {});
      expect(snapshot.activeProfileId).toBe('p-2');
      expect(snapshot.profiles.find((p) => p.id === 'p-2')?.refreshToken).toBe('refresh-token-of-p-2');
    });

    it('works again once unlocked, sealed as before', async () => {
      expect(await send('unlockVault', { passphrase: PASSPHRASE })).toEqual({ ok: true });
      const reply = await send('duplicateProfile', { profileId: 'p-1' });
      expect(reply.ok).toBe(true);
      const json = await storedJson();
      expect(json).not.toContain(CLIENT_SECRET);
      expect(json).not.toContain(REFRESH_TOKEN);
      const snapshot = await send('getSnapshot', {});
      expect(snapshot.profiles.map((p) => [p.name, p.clientSecret, p.refreshToken])).toEqual([
        ['Production', CLIENT_SECRET, REFRESH_TOKEN],
        ['Production copy', CLIENT_SECRET, ''],
        ['Staging', CLIENT_SECRET, 'refresh-token-of-p-2'],
      ]);
    });
  });

  it.each<[MessageName, Record<string, unknown>]>([
    ['createProfile', {}],
    ['duplicateProfile', { profileId: 'p-1' }],
    ['renameProfile', { profileId: 'p-1', name: 'Renamed' }],
    ['deleteProfile', { profileId: 'p-1' }],
    ['restoreProfile', { removed: { profile: storedProfile({ id: 'p-3' }), index: 0, wasActive: false } }],
    ['switchProfile', { profileId: 'p-1' }],
  ])('%s does not write over data from a newer version, and says why', async (type, payload) => {
    const newer = { schemaVersion: 99, profiles: [storedProfile()], future: 'field' };
    await fakeBrowser.storage.local.set({ [DATA_KEY]: newer });
    const reply = await send(type, payload as RequestOf<typeof type>);
    expect(reply).toEqual({
      ok: false,
      problem: 'Not changed: your saved data is from a newer version of this extension. Update it first.',
    });
    expect(await storedData()).toEqual(newer);
  });
});

describe('importProfiles', () => {
  const imported = (name: string, extra: Partial<ImportedProfile> = {}): ImportedProfile => ({
    name,
    clientId: `client-of-${name}`,
    oauthHost: 'https://app.hellosign.com',
    clientAuth: 'body',
    clientSecret: `secret-of-${name}`,
    refreshToken: `refresh-of-${name}`,
    ...extra,
  });

  it('adds every profile after the existing ones in one write, renaming a taken name, touching nothing else', async () => {
    await seedData([storedProfile({ id: 'p-1', name: 'Production' })], { 'p-1': { accessToken: 'kept' } });
    const before = await storedData();
    const set = spyOnLocalSet();

    const reply = await send('importProfiles', { profiles: [imported('Production'), imported('Staging')] });

    if (!reply.ok) throw new Error(reply.problem);
    expect(reply.added.map((a) => [a.name, a.renamedFrom])).toEqual([
      ['Production 2', 'Production'],
      ['Staging', undefined],
    ]);
    expect(set).toHaveBeenCalledTimes(1);
    const after = await storedData();
    expect(after?.profiles[0]).toEqual(before?.profiles[0]);
    expect(after?.tokens).toEqual(before?.tokens);
    expect(after?.activeProfileId).toBe('p-1');
    expect(after?.profiles.slice(1).map((p) => [p.name, p.refreshToken, p.clientSecret])).toEqual([
      ['Production 2', 'refresh-of-Production', 'secret-of-Production'],
      ['Staging', 'refresh-of-Staging', 'secret-of-Staging'],
    ]);
  });

  it('is refused before any handler runs when a profile is malformed or its OAuth host is not one the form would take', () => {
    for (const bad of [
      [],
      [{ ...imported('A'), id: 'p-forged' }],
      [imported('A', { oauthHost: 'http://evil.example' })],
      [imported('A', { clientAuth: 'none' as never })],
      [imported('  ')],
      [imported('A', { apiHost: 'http://api.example.com' })],
      [imported('A', { apiHost: 'https://api.example.com/v3' })],
    ]) {
      expect(parseEnvelope({ type: 'importProfiles', payload: { profiles: bad } })).toBeUndefined();
    }
    expect(parseEnvelope({ type: 'importProfiles', payload: { profiles: [imported('A')] } })).toBeDefined();
  });

  it("keeps a profile's own API host", async () => {
    await seedData([storedProfile({ id: 'p-1', name: 'Production' })]);
    const reply = await send('importProfiles', {
      profiles: [imported('Own API', { apiHost: 'https://api.example.com' })],
    });
    if (!reply.ok) throw new Error(reply.problem);
    expect((await storedData())?.profiles[1]).toMatchObject({
      name: 'Own API',
      apiHost: 'https://api.example.com',
    });
  });
});
