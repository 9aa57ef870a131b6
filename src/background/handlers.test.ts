import { fakeBrowser } from '@webext-core/fake-browser';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { failure } from '../core/failures';
import { listenForMessages } from '../platform/messaging';
import { DATA_KEY } from '../platform/storage-keys';
import {
  profileInput,
  REFRESH_TOKEN,
  seedData,
  send,
  storedData,
  storedProfile,
  stubFetch,
  tokenResponse,
} from '../test-support/worker';
import { handlers } from './handlers';

beforeEach(() => {
  listenForMessages(handlers);
});

describe('saveProfile', () => {
  it('returns the validation errors and stores nothing when the input is invalid', async () => {
    const set = vi.spyOn(fakeBrowser.storage.local, 'set');
    const reply = await send('saveProfile', {
      profile: profileInput({ refreshToken: '', clientId: 'has space', oauthHost: 'http://example.com' }),
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
