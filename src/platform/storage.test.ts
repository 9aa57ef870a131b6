import { fakeBrowser } from '@webext-core/fake-browser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CURRENT_SCHEMA_VERSION, emptyData } from '../core/stored-data';
import {
  CLIENT_SECRET,
  REFRESH_TOKEN,
  seedData,
  sessionVaultKey,
  storedData,
  storedJson,
  storedProfile,
  storedVault,
  betweenLocalReads,
} from '../test-support/worker';
import {
  changePassphrase,
  enableVault,
  loadData,
  lockVault,
  writeInFlight,
  removeVault,
  setActiveProfile,
  StoredDataReadOnlyError,
  unlockVault,
  updateData,
  VaultLockedError,
} from './storage-write';
import { onDataChanged, readInFlight, readStoredSnapshot, VaultChangingError } from './storage-read';
import { BACKUP_KEY_PREFIX, DATA_KEY, IN_FLIGHT_KEY, PROFILE_KEY_PREFIX, VAULT_KEY } from './storage-keys';

// Fast key derivation: these tests are about storage, not about PBKDF2's cost (see vault-crypto.test.ts).
vi.mock('../core/vault-crypto', async (importOriginal) =>
  (await import('../test-support/fast-vault-crypto')).fastVaultCrypto(
    await importOriginal<typeof import('../core/vault-crypto')>(),
  ),
);

const PASSPHRASE = 'correct horse battery staple';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});

afterEach(() => {
  vi.useRealTimers();
});

async function allLocal(): Promise<Record<string, unknown>> {
  return structuredClone(await fakeBrowser.storage.local.get(null));
}

describe('readStoredSnapshot, the popup’s own read', () => {
  it('does not take the moment between a new key and the data sealed under it for a locked vault', async () => {
    await seedData();
    await enableVault(PASSPHRASE);
    expect((await readStoredSnapshot()).vault).toMatchObject({ enabled: true, unlocked: true });
    // What a passphrase change leaves for an instant: the new key kept, the data still under the old one.
    await fakeBrowser.storage.session.set({ [VAULT_KEY]: btoa('k'.repeat(32)) });
    await expect(readStoredSnapshot()).rejects.toBeInstanceOf(VaultChangingError);
    // Without any key, it is simply locked.
    await fakeBrowser.storage.session.remove(VAULT_KEY);
    expect((await readStoredSnapshot()).vault).toMatchObject({ enabled: true, unlocked: false });
  });
});

describe('loadData', () => {
  it('reads empty data without a problem on a first run', async () => {
    expect(await loadData()).toEqual({
      data: emptyData(),
      vault: { enabled: false, unlocked: false, sealedAfterClear: false, autoLockMinutes: null },
    });
  });

  it('reads what was stored', async () => {
    await seedData([storedProfile({ id: 'p-1' })], { 'p-1': { accessToken: 'a' } });
    const { data, problem } = await loadData();
    expect(problem).toBeUndefined();
    expect(data.profiles).toEqual([storedProfile({ id: 'p-1' })]);
    expect(data.tokens).toEqual({ 'p-1': { accessToken: 'a' } });
  });

  it('reports unreadable data as a problem instead of throwing', async () => {
    await fakeBrowser.storage.local.set({ [DATA_KEY]: 'garbage' });
    const { data, problem } = await loadData();
    expect(data).toEqual(emptyData());
    expect(problem).toMatch(/could not be read/);
  });
});

describe('updateData', () => {
  it('writes the changed document as its index and a part per profile, in one set, and returns the change’s result', async () => {
    const set = vi.spyOn(fakeBrowser.storage.local, 'set');
    const result = await updateData((data) => {
      data.profiles.push(storedProfile({ id: 'p-1' }), storedProfile({ id: 'p-2', name: 'Second' }));
      data.activeProfileId = 'p-1';
      data.tokens['p-2'] = { accessToken: 'a' };
      return 'done';
    });
    expect(result).toBe('done');
    expect(set).toHaveBeenCalledTimes(1);
    expect(await allLocal()).toEqual({
      [DATA_KEY]: { schemaVersion: CURRENT_SCHEMA_VERSION, activeProfileId: 'p-1', profiles: ['p-1', 'p-2'] },
      [`${PROFILE_KEY_PREFIX}p-1`]: { profile: storedProfile({ id: 'p-1' }) },
      [`${PROFILE_KEY_PREFIX}p-2`]: {
        profile: storedProfile({ id: 'p-2', name: 'Second' }),
        token: { accessToken: 'a' },
      },
    });
  });

  it('writes only what changed: one profile’s token is its part alone, not the index or another part', async () => {
    await seedData([storedProfile({ id: 'p-1' }), storedProfile({ id: 'p-2', name: 'Second' })]);
    const set = vi.spyOn(fakeBrowser.storage.local, 'set');
    await updateData((data) => {
      data.tokens['p-2'] = { accessToken: 'new' };
    });
    expect(set.mock.calls.map(([items]) => Object.keys(items))).toEqual([[`${PROFILE_KEY_PREFIX}p-2`]]);
    await updateData(() => undefined);
    expect(set).toHaveBeenCalledTimes(1);
  });

  it('removes the part of a removed profile, after the write of the index without it', async () => {
    await seedData([storedProfile({ id: 'p-1' }), storedProfile({ id: 'p-2', name: 'Second' })]);
    await updateData((data) => {
      data.profiles = data.profiles.filter((p) => p.id !== 'p-2');
    });
    expect(Object.keys(await allLocal()).sort()).toEqual([DATA_KEY, `${PROFILE_KEY_PREFIX}p-1`]);
    expect((await storedData())?.profiles.map((p) => p.id)).toEqual(['p-1']);
  });

  it('lays a document from before (schema 2, whole under one key) out in parts at the next write', async () => {
    const whole = {
      schemaVersion: 2,
      activeProfileId: 'p-2',
      profiles: [storedProfile({ id: 'p-1' }), storedProfile({ id: 'p-2', name: 'Second' })],
      tokens: { 'p-1': { accessToken: 'a' } },
    };
    await fakeBrowser.storage.local.set({ [DATA_KEY]: whole });
    expect((await loadData()).data).toMatchObject({ activeProfileId: 'p-2', tokens: whole.tokens });
    await updateData(() => undefined);
    expect(await allLocal()).toEqual({
      [DATA_KEY]: { schemaVersion: CURRENT_SCHEMA_VERSION, activeProfileId: 'p-2', profiles: ['p-1', 'p-2'] },
      [`${PROFILE_KEY_PREFIX}p-1`]: { profile: storedProfile({ id: 'p-1' }), token: { accessToken: 'a' } },
      [`${PROFILE_KEY_PREFIX}p-2`]: { profile: storedProfile({ id: 'p-2', name: 'Second' }) },
    });
  });

  it('reads the index and its parts again when a listed part was removed between the two reads', async () => {
    await seedData([storedProfile({ id: 'p-1' }), storedProfile({ id: 'p-2', name: 'Second' })]);
    await fakeBrowser.storage.local.remove(`${PROFILE_KEY_PREFIX}p-2`);
    // The index read first still lists p-2; a write that removed it lands before its parts are read.
    const reads = betweenLocalReads(async (read) => {
      if (read === 1) await seedData([storedProfile({ id: 'p-1' })]);
    });
    const { data, problem } = await loadData();
    expect(problem).toBeUndefined();
    expect(data.profiles.map((p) => p.id)).toEqual(['p-1']);
    expect(reads()).toBe(4);
  });

  it('keeps a copy of every stored part, not only of the index, when the index cannot be read', async () => {
    await seedData([storedProfile({ id: 'p-1' }), storedProfile({ id: 'p-2', name: 'Second' })]);
    const before = await allLocal();
    await fakeBrowser.storage.local.set({
      [DATA_KEY]: { schemaVersion: CURRENT_SCHEMA_VERSION, profiles: 'lost' },
    });
    await updateData((data) => data.profiles.push(storedProfile({ id: 'p-new' })));
    expect((await allLocal())[`${BACKUP_KEY_PREFIX}${NOW}`]).toEqual({
      [DATA_KEY]: { schemaVersion: CURRENT_SCHEMA_VERSION, profiles: 'lost' },
      [`${PROFILE_KEY_PREFIX}p-1`]: before[`${PROFILE_KEY_PREFIX}p-1`],
      [`${PROFILE_KEY_PREFIX}p-2`]: before[`${PROFILE_KEY_PREFIX}p-2`],
    });
    expect((await storedData())?.profiles.map((p) => p.id)).toEqual(['p-new']);
  });

  it('reports parts found without their index, and keeps a copy of them before the next write', async () => {
    await seedData([storedProfile({ id: 'p-1' })]);
    const part = (await allLocal())[`${PROFILE_KEY_PREFIX}p-1`];
    await fakeBrowser.storage.local.remove(DATA_KEY);
    await updateData((data) => data.profiles.push(storedProfile({ id: 'p-new' })));
    expect((await allLocal())[`${BACKUP_KEY_PREFIX}${NOW}`]).toEqual({
      [DATA_KEY]: undefined,
      [`${PROFILE_KEY_PREFIX}p-1`]: part,
    });
  });

  it('reports a listed profile whose part is missing as damaged, and keeps the others', async () => {
    await seedData([storedProfile({ id: 'p-1' }), storedProfile({ id: 'p-2', name: 'Second' })]);
    await fakeBrowser.storage.local.remove(`${PROFILE_KEY_PREFIX}p-2`);
    const { data, problem } = await loadData();
    expect(problem).toMatch(/1 damaged profile/);
    expect(data.profiles.map((p) => p.id)).toEqual(['p-1']);
  });

  it('serializes concurrent read-modify-writes: both changes land', async () => {
    await Promise.all([
      updateData((data) => data.profiles.push(storedProfile({ id: 'p-1' }))),
      updateData((data) => data.profiles.push(storedProfile({ id: 'p-2' }))),
      updateData((data) => {
        data.tokens['p-1'] = { accessToken: 'a' };
      }),
    ]);
    const data = await storedData();
    expect(data?.profiles.map((p) => p.id)).toEqual(['p-1', 'p-2']);
    expect(data?.tokens).toEqual({ 'p-1': { accessToken: 'a' } });
  });

  it('runs each change on the data the previous one wrote', async () => {
    const seen: number[] = [];
    await Promise.all(
      [1, 2, 3].map((n) =>
        updateData((data) => {
          seen.push(data.profiles.length);
          data.profiles.push(storedProfile({ id: `p-${n}` }));
        }),
      ),
    );
    expect(seen).toEqual([0, 1, 2]);
  });

  it('writes nothing for a change that throws, and keeps serving the next ones', async () => {
    const set = vi.spyOn(fakeBrowser.storage.local, 'set');
    const failing = updateData(() => {
      throw new Error('boom');
    });
    const next = updateData((data) => data.profiles.push(storedProfile({ id: 'p-1' })));
    await expect(failing).rejects.toThrow('boom');
    await next;
    expect(set).toHaveBeenCalledTimes(1);
    expect((await storedData())?.profiles.map((p) => p.id)).toEqual(['p-1']);
  });

  it('keeps a copy of unreadable data under a backup key, written before the first overwrite', async () => {
    const raw = { schemaVersion: 'one', profiles: 'lost?' };
    await fakeBrowser.storage.local.set({ [DATA_KEY]: raw });
    const set = vi.spyOn(fakeBrowser.storage.local, 'set');
    await updateData((data) => data.profiles.push(storedProfile({ id: 'p-new' })));
    const writtenKeys = set.mock.calls.map(([items]) => Object.keys(items));
    expect(writtenKeys).toEqual([[`${BACKUP_KEY_PREFIX}${NOW}`], [DATA_KEY, `${PROFILE_KEY_PREFIX}p-new`]]);
    const all = await allLocal();
    expect(all[`${BACKUP_KEY_PREFIX}${NOW}`]).toEqual(raw);
    expect((await storedData())?.profiles.map((p) => p.id)).toEqual(['p-new']);
  });

  it('keeps a copy when only part of the data could be read', async () => {
    const raw = {
      schemaVersion: 2,
      activeProfileId: 'p-1',
      profiles: [storedProfile({ id: 'p-1' }), { id: 42 }],
      tokens: {},
    };
    await fakeBrowser.storage.local.set({ [DATA_KEY]: raw });
    expect((await loadData()).problem).toMatch(/1 damaged profile/);
    await updateData(() => undefined);
    expect((await allLocal())[`${BACKUP_KEY_PREFIX}${NOW}`]).toEqual(raw);
    expect((await storedData())?.profiles).toEqual([storedProfile({ id: 'p-1' })]);
  });

  it('refuses to write over data written by a newer version, leaving it as it was', async () => {
    const raw = { schemaVersion: CURRENT_SCHEMA_VERSION + 1, vault: 'ciphertext' };
    await fakeBrowser.storage.local.set({ [DATA_KEY]: raw });
    const change = vi.fn();
    await expect(updateData(change)).rejects.toBeInstanceOf(StoredDataReadOnlyError);
    expect(change).not.toHaveBeenCalled();
    expect(await allLocal()).toEqual({ [DATA_KEY]: raw });
  });

  it('backs up only once: the next update reads what the first one wrote', async () => {
    await fakeBrowser.storage.local.set({ [DATA_KEY]: 'garbage' });
    await updateData(() => undefined);
    vi.setSystemTime(NOW + 1000);
    await updateData(() => undefined);
    const backups = Object.keys(await allLocal()).filter((key) => key.startsWith(BACKUP_KEY_PREFIX));
    expect(backups).toEqual([`${BACKUP_KEY_PREFIX}${NOW}`]);
  });

  it('makes no backup on a first run, when nothing was stored', async () => {
    await updateData(() => undefined);
    expect(Object.keys(await allLocal())).toEqual([DATA_KEY]);
  });
});

describe('onDataChanged', () => {
  it('fires for a change of the stored data in storage.local', async () => {
    const listener = vi.fn();
    onDataChanged(listener);
    await updateData(() => undefined);
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('fires for a change of the refreshes in flight in storage.local', async () => {
    const listener = vi.fn();
    onDataChanged(listener);
    await writeInFlight(() => ({ 'p-1': { startedAt: NOW } }));
    await writeInFlight(() => ({}));
    expect(listener).toHaveBeenCalledTimes(2);
  });

  it('fires when the vault is locked or unlocked in storage.session', async () => {
    await enableVault(PASSPHRASE);
    const listener = vi.fn();
    onDataChanged(listener);
    await lockVault();
    await unlockVault(PASSPHRASE);
    expect(listener).toHaveBeenCalledTimes(2);
  });

  it('ignores other keys and areas', async () => {
    const listener = vi.fn();
    onDataChanged(listener);
    await fakeBrowser.storage.local.set({ [`${BACKUP_KEY_PREFIX}1`]: 'x' });
    await fakeBrowser.storage.session.set({ other: 1, [DATA_KEY]: 2 });
    await fakeBrowser.storage.sync.set({ [DATA_KEY]: 3, [IN_FLIGHT_KEY]: 4 });
    expect(listener).not.toHaveBeenCalled();
  });

  it('stops calling the listener once unsubscribed', async () => {
    const listener = vi.fn();
    const unsubscribe = onDataChanged(listener);
    unsubscribe();
    await updateData(() => undefined);
    expect(listener).not.toHaveBeenCalled();
  });
});

describe('the vault', () => {
  beforeEach(async () => {
    await seedData([storedProfile({ id: 'p-1' })], { 'p-1': { accessToken: 'access-token-in-the-vault' } });
  });

  it('says which profile’s sealed part is missing, keeps the others’ secrets, and keeps a copy before the next write', async () => {
    await updateData((data) => {
      data.profiles.push(storedProfile({ id: 'p-2', name: 'Second', clientSecret: 'second-secret' }));
    });
    await enableVault(PASSPHRASE);
    const key = `${PROFILE_KEY_PREFIX}p-1`;
    const { sealed: _lost, ...withoutSecrets } = (await fakeBrowser.storage.local.get(key))[key] as Record<
      string,
      unknown
    >;
    await fakeBrowser.storage.local.set({ [key]: withoutSecrets });
    const { data, problem } = await loadData();
    expect(problem).toMatch(/encrypted secrets of “My API app” could not be read/);
    expect(data.profiles.map((p) => p.clientSecret)).toEqual(['', 'second-secret']);
    await updateData(() => undefined);
    expect(Object.keys(await allLocal())).toContain(`${BACKUP_KEY_PREFIX}${NOW}`);
  });

  it('puts a profile whose sealed part was removed while locked under review: its edited host is not trusted', async () => {
    await enableVault(PASSPHRASE);
    await lockVault();
    const key = `${PROFILE_KEY_PREFIX}p-1`;
    const { sealed: _removed, ...part } = (await allLocal())[key] as {
      profile: Record<string, unknown>;
      sealed?: unknown;
    };
    await fakeBrowser.storage.local.set({
      [key]: { ...part, profile: { ...part.profile, oauthHost: 'https://attacker.example' } },
    });
    expect(await unlockVault(PASSPHRASE)).toEqual({ ok: true });
    const { data, problem } = await loadData();
    expect(data.profiles[0]).toMatchObject({ oauthHost: 'https://attacker.example', needsReview: true });
    expect(problem).toMatch(/could not be read/);
  });

  it('takes the right passphrase when only the check is damaged, and seals a new check at the next write', async () => {
    await enableVault(PASSPHRASE);
    await lockVault();
    const index = (await allLocal())[DATA_KEY] as { vault: { check: { iv: string; ciphertext: string } } };
    const flipped = { ...index.vault.check, ciphertext: `A${index.vault.check.ciphertext.slice(1)}` };
    await fakeBrowser.storage.local.set({
      [DATA_KEY]: { ...index, vault: { ...index.vault, check: flipped } },
    });
    expect(await unlockVault('not the passphrase at all')).toMatchObject({
      ok: false,
      kind: 'wrong_passphrase',
    });
    expect(await unlockVault(PASSPHRASE)).toEqual({ ok: true });
    expect((await loadData()).data.profiles[0]?.clientSecret).toBe(storedProfile().clientSecret);
    await updateData(() => undefined);
    expect((await storedVault())?.check).not.toEqual(flipped);
    await lockVault();
    expect(await unlockVault(PASSPHRASE)).toEqual({ ok: true });
  });

  it('does not take a schema-2 blob planted in the header of schema-3 data for the vault', async () => {
    await enableVault(PASSPHRASE);
    const index = (await allLocal())[DATA_KEY] as { vault: Record<string, unknown> };
    const { check, ...header } = index.vault;
    await fakeBrowser.storage.local.set({ [DATA_KEY]: { ...index, vault: { ...header, sealed: check } } });
    const { data, problem, vault } = await loadData();
    expect(vault.enabled).toBe(false);
    expect(problem).toMatch(/encrypted part of your saved data could not be read/);
    expect(data.profiles[0]?.clientSecret).toBe('');
  });

  it('while locked, loads the clear fields only, flagged as locked', async () => {
    await enableVault(PASSPHRASE);
    await lockVault();
    const result = await loadData();
    expect(result.locked).toBe(true);
    expect(result.vault).toMatchObject({ enabled: true, unlocked: false });
    expect(result.data.profiles).toEqual([storedProfile({ id: 'p-1', clientSecret: '', refreshToken: '' })]);
    expect(result.data.tokens).toEqual({ 'p-1': {} });
  });

  it('while locked, refuses every write without calling the change, and the queue goes on', async () => {
    await enableVault(PASSPHRASE);
    await lockVault();
    const before = await storedJson();
    const change = vi.fn();
    await expect(updateData(change)).rejects.toBeInstanceOf(VaultLockedError);
    expect(change).not.toHaveBeenCalled();
    expect(await storedJson()).toBe(before);
    await unlockVault(PASSPHRASE);
    await updateData((data) => {
      for (const profile of data.profiles) profile.name = 'After unlock';
    });
    expect((await loadData()).data.profiles[0]).toMatchObject({
      name: 'After unlock',
      refreshToken: REFRESH_TOKEN,
    });
  });

  it('takes a key that does not open the vault (left over from an older one) as locked', async () => {
    await enableVault(PASSPHRASE);
    await fakeBrowser.storage.session.set({ [VAULT_KEY]: btoa('x'.repeat(32)) });
    expect((await loadData()).locked).toBe(true);
    await expect(updateData(() => undefined)).rejects.toBeInstanceOf(VaultLockedError);
  });

  it('keeps the key in storage.session only', async () => {
    await enableVault(PASSPHRASE);
    const vaultKey = await sessionVaultKey();
    if (typeof vaultKey !== 'string') throw new Error('no key in storage.session');
    expect(await storedJson()).not.toContain(vaultKey);
  });

  it('serializes vault changes with writes: a write queued meanwhile lands sealed under the new passphrase', async () => {
    await enableVault(PASSPHRASE);
    const changing = changePassphrase(PASSPHRASE, 'the next passphrase');
    const writing = updateData((data) => {
      for (const profile of data.profiles) profile.clientSecret = 'written-while-changing';
    });
    const removing = removeVault('the next passphrase');
    expect(await changing).toEqual({ ok: true });
    await writing;
    expect(await removing).toEqual({ ok: true });
    expect((await storedData())?.profiles[0]?.clientSecret).toBe('written-while-changing');
  });

  it('re-seals a partly damaged document after keeping a copy of it', async () => {
    const raw = {
      schemaVersion: 2,
      activeProfileId: 'p-1',
      profiles: [storedProfile({ id: 'p-1' }), { id: 42 }],
      tokens: {},
    };
    // A document of schema 2, stored whole: no part beside it.
    await fakeBrowser.storage.local.clear();
    await fakeBrowser.storage.local.set({ [DATA_KEY]: raw });
    expect(await enableVault(PASSPHRASE)).toEqual({ ok: true });
    const backup = async () =>
      (await fakeBrowser.storage.local.get(`${BACKUP_KEY_PREFIX}${NOW}`))[`${BACKUP_KEY_PREFIX}${NOW}`];
    // The copy holds the secrets from before the passphrase: it is sealed too, not left in clear.
    expect(await backup()).toHaveProperty('sealedBackup');
    expect(JSON.stringify(await allLocal())).not.toContain(CLIENT_SECRET);
    expect(await storedVault()).toBeDefined();
    // Removing the passphrase gives the copy back as it was.
    expect(await removeVault(PASSPHRASE)).toEqual({ ok: true });
    expect(await backup()).toEqual(raw);
  });

  it('refuses every vault change over data from a newer version', async () => {
    const newer = { schemaVersion: CURRENT_SCHEMA_VERSION + 1, vault: 'theirs' };
    await fakeBrowser.storage.local.set({ [DATA_KEY]: newer });
    const before = await allLocal();
    for (const outcome of [
      await enableVault(PASSPHRASE),
      await unlockVault(PASSPHRASE),
      await changePassphrase(PASSPHRASE, 'another passphrase'),
      await removeVault(PASSPHRASE),
    ]) {
      expect(outcome).toMatchObject({ ok: false, kind: 'read_only' });
    }
    expect(await allLocal()).toEqual(before);
  });
});

describe('setActiveProfile', () => {
  const two = () => [storedProfile({ id: 'p-1', name: 'One' }), storedProfile({ id: 'p-2', name: 'Two' })];

  it('switches the active profile and changes nothing else', async () => {
    await seedData(two(), { 'p-1': { accessToken: 'a1' }, 'p-2': { accessToken: 'a2' } });
    const before = await storedData();
    expect(await setActiveProfile('p-2')).toBe(true);
    expect(await storedData()).toEqual({ ...before, activeProfileId: 'p-2' });
  });

  it('refuses an unknown profile and writes nothing', async () => {
    await seedData(two());
    const before = await storedJson();
    expect(await setActiveProfile('p-9')).toBe(false);
    expect(await storedJson()).toBe(before);
  });

  it('works while the vault is locked, and keeps the sealed secrets as they were', async () => {
    await seedData(two(), { 'p-2': { accessToken: 'sealed-access-token' } });
    await enableVault(PASSPHRASE);
    await lockVault();
    const vaultBefore = await storedVault();
    expect(vaultBefore?.parts?.['p-2']).toBeDefined();
    const set = vi.spyOn(fakeBrowser.storage.local, 'set');
    expect(await setActiveProfile('p-2')).toBe(true);
    // The index alone is written: every sealed part, and the check, stay as they were.
    expect(set.mock.calls.map(([items]) => Object.keys(items))).toEqual([[DATA_KEY]]);
    expect(await storedVault()).toEqual(vaultBefore);
    expect(await storedJson()).not.toContain('sealed-access-token');
    await unlockVault(PASSPHRASE);
    const loaded = await loadData();
    expect(loaded.data.activeProfileId).toBe('p-2');
    expect(loaded.data.profiles[1]).toMatchObject({
      refreshToken: REFRESH_TOKEN,
      clientSecret: CLIENT_SECRET,
    });
    expect(loaded.data.tokens['p-2']?.accessToken).toBe('sealed-access-token');
    expect(loaded.problem).toBeUndefined();
  });
});

describe('the in-flight marks', () => {
  it('reads none when nothing is marked, or the stored value is not an object', async () => {
    expect(await readInFlight()).toEqual({});
    await fakeBrowser.storage.local.set({ [IN_FLIGHT_KEY]: 'garbage' });
    expect(await readInFlight()).toEqual({});
  });

  it('keeps them in storage.local under their own key, so they outlive a browser restart', async () => {
    await writeInFlight(() => ({ 'p-1': { startedAt: NOW } }));
    expect(await allLocal()).toEqual({ [IN_FLIGHT_KEY]: { 'p-1': { startedAt: NOW } } });
    await writeInFlight(() => ({}));
    expect(await readInFlight()).toEqual({});
  });

  it('takes the marks when the write runs, behind writes queued before it, so the last write holds the latest set', async () => {
    await seedData();
    let current: Record<string, { startedAt: number }> = { 'p-1': { startedAt: 1 } };
    const queuedFirst = updateData(() => undefined, { inFlight: () => current });
    const queuedSecond = writeInFlight(() => current);
    current = { 'p-2': { startedAt: 2 } };
    await Promise.all([queuedFirst, queuedSecond]);
    expect(await readInFlight()).toEqual({ 'p-2': { startedAt: 2 } });
  });

  it('a data write given the marks writes both in one storage.local.set', async () => {
    await seedData();
    const set = vi.spyOn(fakeBrowser.storage.local, 'set');
    await updateData(
      (data) => {
        data.activeProfileId = null;
      },
      { inFlight: () => ({}) },
    );
    expect(set).toHaveBeenCalledTimes(1);
    expect(Object.keys(set.mock.calls[0]?.[0] ?? {}).sort()).toEqual([DATA_KEY, IN_FLIGHT_KEY].sort());
  });
});
