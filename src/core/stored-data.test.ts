import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { HISTORY_LIMIT, readHistory, type HistoryEntry } from './history';
import type { Profile } from './profile';
import {
  alteredWhileLockedProblem,
  assembleDocument,
  CURRENT_SCHEMA_VERSION,
  emptyData,
  gatherSecrets,
  layoutOf,
  listedProfileIds,
  mergeSecrets,
  readStoredData,
  secretsByProfile,
  splitSecrets,
  storedVaultHeader,
  type StoredData,
  type VaultBlob,
} from './stored-data';
import type { KdfParams, Sealed } from './vault-crypto';

/** Property runs take a few hundred ms alone, but can be slow on a busy machine: never a flaky timeout. */
const PROPERTY_TIMEOUT_MS = 60_000;

const profileA: Profile = {
  id: 'p-a',
  name: 'Production',
  clientId: 'cid-a',
  clientSecret: 'secret-a',
  refreshToken: 'rt-a',
  oauthHost: 'https://app.hellosign.com',
  clientAuth: 'body',
};
const profileB: Profile = {
  ...profileA,
  id: 'p-b',
  name: 'Local sandbox',
  refreshToken: 'rt-b',
  oauthHost: 'http://127.0.0.1:8443',
  clientAuth: 'both',
};

const doc: StoredData = {
  schemaVersion: CURRENT_SCHEMA_VERSION,
  activeProfileId: 'p-b',
  profiles: [profileA, profileB],
  tokens: {
    'p-a': {
      accessToken: 'at-a',
      tokenType: 'Bearer',
      receivedAt: 1_736_942_400_000,
      expiresAt: 1_737_028_800_000,
      warnings: ['a warning'],
      lastAttemptAt: 1_736_942_400_000,
    },
    'p-b': {
      lastError: { kind: 'invalid_grant', title: 't', action: 'a', status: 400, at: 1_736_942_400_000 },
      lastAttemptAt: 1_736_942_400_000,
    },
  },
};

/** As storage.local would hand it back: a structured copy. */
const stored = <T>(value: T): T => structuredClone(value);

const kdf: KdfParams = {
  name: 'PBKDF2',
  hash: 'SHA-256',
  iterations: 600_000,
  salt: 'AAAAAAAAAAAAAAAAAAAAAA==',
};
/** A well-formed ciphertext: the tests here never open one, so any will do. */
const sealedAs = (text: string): Sealed => ({ iv: 'AAAAAAAAAAAAAAAA', ciphertext: btoa(text) });
/** The header of a schema-3 vault, as a write puts it in the index. */
const header: Omit<VaultBlob, 'sealed' | 'parts'> = { kdf, check: sealedAs('check') };
/** Each profile's sealed secrets, as a write seals them apart. */
const sealedParts: Record<string, Sealed> = {
  'p-a': sealedAs('secrets of p-a'),
  'p-b': sealedAs('secrets of p-b'),
};
/** What `layoutOf` is given when the vault is on. */
const sealing = { header, sealed: sealedParts };
/** That vault as a read gives it back: the header, and the sealed parts gathered from the profiles' parts. */
const vault: VaultBlob = { ...header, parts: sealedParts };
/** A vault as schema 2 stored it: every secret sealed as one blob. */
const legacyVault: VaultBlob = { kdf, sealed: sealedAs('every secret') };

/** What storage holds, in a shape the tests can edit: the index, and a part per profile. */
interface StoredLayout {
  index: Record<string, unknown> & { profiles: unknown };
  parts: Record<string, unknown>;
}
type StoredPart = Record<string, unknown> & {
  profile: Record<string, unknown>;
  token?: Record<string, unknown>;
};
const partIn = (layout: StoredLayout, id: string): StoredPart => layout.parts[id] as StoredPart;

/**
 * `clear` laid out as a write stores it (`layoutOf`, with the schema-3 vault `withVault` when given), as
 * storage hands it back, edited there by `edit` (a change made outside the extension), and put back into the
 * one document `readStoredData` reads (`assembleDocument`).
 */
function throughStorage(
  clear: StoredData,
  withVault?: typeof sealing,
  edit: (layout: StoredLayout) => void = () => undefined,
): unknown {
  // A structured copy, typed loosely so a test can change what a write would never store.
  const layout = stored(layoutOf(clear, withVault)) as unknown as StoredLayout;
  edit(layout);
  return assembleDocument(layout.index, (id) =>
    Object.hasOwn(layout.parts, id) ? layout.parts[id] : undefined,
  );
}

/** A document as schema 2 stored it, whole under one key: with a vault, without any secret field. */
function schema2Document(clear: StoredData, blob?: VaultBlob): Record<string, unknown> {
  const whole = { ...stored(clear), schemaVersion: 2 };
  if (!blob) return whole;
  const { history: _sealed, ...rest } = whole;
  return {
    ...rest,
    profiles: rest.profiles.map(({ clientSecret: _s, refreshToken: _r, ...settings }) => settings),
    tokens: Object.fromEntries(
      Object.entries(rest.tokens).map(([id, { accessToken: _a, ...token }]) => [id, token]),
    ),
    vault: blob,
  };
}

/** A profile's settings as a sealed layout stores them: no secret field. */
const settingsOf = ({ clientSecret: _s, refreshToken: _r, ...settings }: Profile) => settings;
/** `doc`'s token state of profile A without its access token. */
const tokenAWithoutAccessToken = () => {
  const token = { ...doc.tokens['p-a'] };
  delete token.accessToken;
  return token;
};

describe('readStoredData', () => {
  it('reads nothing stored yet (undefined or null) as empty data, without a problem', () => {
    expect(readStoredData(undefined)).toEqual({ data: emptyData() });
    expect(readStoredData(null)).toEqual({ data: emptyData() });
  });

  it('gives empty data of the current schema with no active profile', () => {
    expect(emptyData()).toEqual({
      schemaVersion: CURRENT_SCHEMA_VERSION,
      activeProfileId: null,
      profiles: [],
      tokens: {},
    });
    expect(CURRENT_SCHEMA_VERSION).toBe(3);
  });

  it('round-trips a valid document unchanged and without a problem', () => {
    expect(readStoredData(stored(doc))).toEqual({ data: doc });
  });

  it('round-trips empty data', () => {
    expect(readStoredData(stored(emptyData()))).toEqual({ data: emptyData() });
  });

  it('reports data from a newer schema as read-only and returns empty data', () => {
    const result = readStoredData(stored({ ...doc, schemaVersion: CURRENT_SCHEMA_VERSION + 1 }));
    expect(result.data).toEqual(emptyData());
    expect(result.readOnly).toBe(true);
    expect(result.problem).toMatch(/newer version.*schema 4.*nothing is changed/);
  });

  it.each([
    ['a string', 'hello'],
    ['a number', 42],
    ['a list', [doc]],
    ['true', true],
  ])('reports a stored value that is %s as unreadable and returns empty data', (_label, raw) => {
    const result = readStoredData(raw);
    expect(result.data).toEqual(emptyData());
    expect(result.problem).toMatch(/could not be read \(it is not an object\)/);
  });

  it.each([
    ['missing', {}],
    ['a string', { schemaVersion: '1' }],
    ['zero', { schemaVersion: 0 }],
    ['negative', { schemaVersion: -1 }],
    ['fractional', { schemaVersion: 1.5 }],
    ['NaN', { schemaVersion: NaN }],
  ])('reports a schema version that is %s as unreadable and returns empty data', (_label, raw) => {
    const result = readStoredData({ ...raw, profiles: [profileA] });
    expect(result.data).toEqual(emptyData());
    expect(result.problem).toMatch(/no valid schema version/);
  });

  it('drops one damaged profile, keeps the good ones, and says one was damaged', () => {
    const result = readStoredData(stored({ ...doc, profiles: [profileA, { name: 'no id' }, profileB] }));
    expect(result.data.profiles).toEqual([profileA, profileB]);
    expect(result.problem).toMatch(/\(1 damaged profile\)/);
  });

  it('counts several damaged profiles in the problem', () => {
    const damaged = [null, 'x', { id: '' }, { id: 'p-c' }, { id: 5, refreshToken: 'rt' }];
    const result = readStoredData(stored({ ...doc, profiles: [...damaged, profileA] }));
    expect(result.data.profiles).toEqual([profileA]);
    expect(result.problem).toMatch(/\(5 damaged profiles\)/);
  });

  it('drops the token state of a dropped profile', () => {
    const result = readStoredData(stored({ ...doc, profiles: [profileA, { ...profileB, refreshToken: 7 }] }));
    expect(Object.keys(result.data.tokens)).toEqual(['p-a']);
  });

  it('ignores token states of unknown profiles', () => {
    const result = readStoredData(stored({ ...doc, tokens: { ...doc.tokens, 'p-x': { accessToken: 'x' } } }));
    expect(Object.keys(result.data.tokens)).toEqual(['p-a', 'p-b']);
    expect(result.problem).toBeUndefined();
  });

  it('reports a token state that is not an object, and keeps the other profiles’ tokens', () => {
    const result = readStoredData(stored({ ...doc, tokens: { ...doc.tokens, 'p-b': 'junk' } }));
    expect(Object.keys(result.data.tokens)).toEqual(['p-a']);
    expect(result.problem).toMatch(/^Part of your saved data could not be read \(1 damaged token entry\)\./);
  });

  it.each([
    ['a failure that is a string', { lastError: 'oops' }, {}],
    ['a failure of an unknown kind', { lastError: { kind: 'boom', title: 't', action: 'a', at: 1 } }, {}],
    ['a failure without words', { lastError: { kind: 'network', at: 1 } }, {}],
    ['an expiry that is a string', { accessToken: 'at', expiresAt: 'soon' }, { accessToken: 'at' }],
    ['an expiry that is not finite', { accessToken: 'at', expiresAt: null }, { accessToken: 'at' }],
    ['an expiry Date cannot show', { accessToken: 'at', expiresAt: 1e20 }, { accessToken: 'at' }],
    [
      'a failure at a time Date cannot show',
      { lastError: { kind: 'network', title: 't', action: 'a', at: 1e20 } },
      {},
    ],
    ['warnings that are not strings', { accessToken: 'at', warnings: [1, {}] }, { accessToken: 'at' }],
    ['an access token that is a number', { accessToken: 7, tokenType: 'Bearer' }, { tokenType: 'Bearer' }],
  ])('drops the damaged field of %s, keeps the rest and reports it', (_what, token, kept) => {
    const result = readStoredData(stored({ ...doc, tokens: { 'p-a': token } }));
    expect(result.data.tokens['p-a'] ?? {}).toEqual(kept);
    expect(result.problem).toContain('1 damaged token entry');
    expect(result.data.profiles).toHaveLength(2);
  });

  it('reads a missing token map as no tokens', () => {
    const withoutTokens: Partial<StoredData> = stored(doc);
    delete withoutTokens.tokens;
    expect(readStoredData(withoutTokens).data.tokens).toEqual({});
  });

  it('reports a missing profile list', () => {
    const result = readStoredData({ schemaVersion: 1 });
    expect(result.data).toEqual(emptyData());
    expect(result.problem).toMatch(/no profile list/);
  });

  it('fills in defaults for missing or mistyped optional profile fields', () => {
    const result = readStoredData({
      schemaVersion: 1,
      activeProfileId: 'p-min',
      profiles: [{ id: 'p-min', refreshToken: 'rt', name: 3, clientAuth: 'digest', oauthHost: null }],
      tokens: {},
    });
    expect(result.problem).toBeUndefined();
    expect(result.data.profiles).toEqual([
      {
        id: 'p-min',
        name: 'My API app',
        clientId: '',
        clientSecret: '',
        refreshToken: 'rt',
        oauthHost: 'https://app.hellosign.com',
        clientAuth: 'body',
      },
    ]);
  });

  it('drops unknown extra fields of a profile', () => {
    const result = readStoredData(stored({ ...doc, profiles: [{ ...profileA, extra: 'x' }] }));
    expect(result.data.profiles).toEqual([profileA]);
  });

  it('falls back to the first profile when the active profile id is unknown, missing or not a string', () => {
    for (const activeProfileId of ['p-gone', undefined, 5, null]) {
      expect(readStoredData(stored({ ...doc, activeProfileId })).data.activeProfileId).toBe('p-a');
    }
  });

  it('falls back to the first kept profile when the active one was damaged', () => {
    const result = readStoredData(
      stored({ ...doc, activeProfileId: 'p-a', profiles: [{ ...profileA, id: 3 }, profileB] }),
    );
    expect(result.data.activeProfileId).toBe('p-b');
  });

  it('has no active profile when there are no profiles', () => {
    expect(readStoredData({ ...emptyData(), activeProfileId: 'p-a' }).data.activeProfileId).toBeNull();
  });

  it(
    'never throws, and always returns current-schema data whose active profile and tokens belong to it (property)',
    () => {
      const profileArb = fc.oneof(
        fc.record(
          {
            id: fc.oneof(fc.string(), fc.anything()),
            name: fc.anything(),
            clientId: fc.oneof(fc.string(), fc.anything()),
            clientSecret: fc.string(),
            refreshToken: fc.oneof(fc.string(), fc.anything()),
            oauthHost: fc.anything(),
            clientAuth: fc.oneof(fc.constantFrom('body', 'basic', 'both'), fc.anything()),
          },
          { requiredKeys: [] },
        ),
        fc.anything(),
      );
      const rawArb = fc.oneof(
        fc.anything(),
        fc.record(
          {
            schemaVersion: fc.oneof(fc.constant(1), fc.integer(), fc.anything()),
            activeProfileId: fc.oneof(fc.string(), fc.anything()),
            profiles: fc.oneof(fc.array(profileArb, { maxLength: 5 }), fc.anything()),
            tokens: fc.oneof(fc.dictionary(fc.string(), fc.anything()), fc.anything()),
          },
          { requiredKeys: [] },
        ),
      );
      fc.assert(
        fc.property(rawArb, (raw) => {
          const { data, problem } = readStoredData(raw);
          expect(data.schemaVersion).toBe(CURRENT_SCHEMA_VERSION);
          expect(Array.isArray(data.profiles)).toBe(true);
          for (const p of data.profiles) {
            expect(typeof p.id).toBe('string');
            expect(p.id).not.toBe('');
            expect(typeof p.refreshToken).toBe('string');
            expect(['body', 'basic', 'both']).toContain(p.clientAuth);
          }
          const ids = data.profiles.map((p) => p.id);
          if (data.activeProfileId !== null) expect(ids).toContain(data.activeProfileId);
          else expect(ids).toEqual([]);
          for (const id of Object.keys(data.tokens)) expect(ids).toContain(id);
          if (problem !== undefined) expect(problem.length).toBeGreaterThan(0);
        }),
        { numRuns: 1000 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

describe('readStoredData: automatic refresh settings', () => {
  it('reads back autoRefresh and leadMinutes', () => {
    const profiles = [{ ...profileA, autoRefresh: true, leadMinutes: 10 }, profileB];
    const result = readStoredData(stored({ ...doc, profiles }));
    expect(result.problem).toBeUndefined();
    expect(result.data.profiles).toEqual(profiles);
  });

  it('reads back the lead at both ends of its range, 1 and 60', () => {
    for (const leadMinutes of [1, 60]) {
      const result = readStoredData(stored({ ...doc, profiles: [{ ...profileA, leadMinutes }] }));
      expect(result.data.profiles[0]?.leadMinutes).toBe(leadMinutes);
    }
  });

  it.each<[string, unknown]>([
    ['0', 0],
    ['61', 61],
    ['2.5', 2.5],
    ['the text "5"', '5'],
    ['negative', -5],
    ['NaN', Number.NaN],
    ['null', null],
  ])('drops a lead of %s and keeps the profile', (_label, leadMinutes) => {
    const result = readStoredData({
      ...stored(doc),
      profiles: [{ ...profileA, autoRefresh: true, leadMinutes }],
    });
    expect(result.data.profiles).toEqual([{ ...profileA, autoRefresh: true }]);
  });

  it.each<[string, unknown]>([
    ['false', false],
    ['the text "true"', 'true'],
    ['1', 1],
  ])('reads autoRefresh %s as off', (_label, autoRefresh) => {
    const result = readStoredData(stored({ ...doc, profiles: [{ ...profileA, autoRefresh }] }));
    expect(result.data.profiles).toEqual([profileA]);
    expect(result.data.profiles[0]).not.toHaveProperty('autoRefresh');
  });

  it('reads back a token’s retry count and pause', () => {
    const tokens = { ...doc.tokens, 'p-b': { ...doc.tokens['p-b'], autoRetries: 2, autoPaused: 'Rejected' } };
    const result = readStoredData(stored({ ...doc, tokens }));
    expect(result.problem).toBeUndefined();
    expect(result.data.tokens).toEqual(tokens);
  });

  it('keeps the settings in clear beside a vault, and through a sealed write and read', () => {
    const data = stored({ ...doc, profiles: [{ ...profileA, autoRefresh: true as const, leadMinutes: 20 }] });
    const { clear, secrets } = splitSecrets(data);
    expect(clear.profiles[0]).toMatchObject({ autoRefresh: true, leadMinutes: 20 });
    const read = readStoredData(throughStorage(clear, sealing));
    expect(read.data.profiles[0]).toMatchObject({ autoRefresh: true, leadMinutes: 20 });
    expect(mergeSecrets(read.data, stored(secrets)).data.profiles).toEqual(data.profiles);
  });
});

describe('the migration from schema 1 (no vault) to 3', () => {
  const v1 = { ...stored(doc), schemaVersion: 1 };

  it('reads a schema-1 document unchanged, as data without a vault and without a problem', () => {
    const result = readStoredData(v1);
    expect(result).toEqual({ data: doc });
    expect(result.data.schemaVersion).toBe(3);
    expect(result.vault).toBeUndefined();
  });

  it('reads a schema-1 document as it is: there are no parts to put back', () => {
    const partOf = vi.fn();
    expect(assembleDocument(v1, partOf)).toBe(v1);
    expect(partOf).not.toHaveBeenCalled();
    expect(readStoredData(assembleDocument(stored(v1), partOf))).toEqual({ data: doc });
  });

  it('keeps the secrets of a schema-1 document in clear: they are only sealed once a passphrase is set', () => {
    const { data } = readStoredData(v1);
    expect(data.profiles.map((p) => [p.clientSecret, p.refreshToken])).toEqual([
      ['secret-a', 'rt-a'],
      ['secret-a', 'rt-b'],
    ]);
    expect(data.tokens['p-a']?.accessToken).toBe('at-a');
  });

  it.each([
    ['a one-blob vault', legacyVault],
    ['a vault in parts', vault],
  ])('does not take a `vault` key in a schema-1 document for a vault, even %s', (_label, notOurs) => {
    const result = readStoredData({ ...v1, vault: notOurs });
    expect(result.vault).toBeUndefined();
    expect(result.problem).toBeUndefined();
    expect(result.data).toEqual(doc);
  });
});

describe('reading what schema 2 stored: one whole document, one vault blob', () => {
  it('reads a schema-2 document without a vault, secrets in clear, unchanged', () => {
    const v2 = schema2Document(doc);
    expect(assembleDocument(v2, () => undefined)).toBe(v2);
    const result = readStoredData(stored(v2));
    expect(result).toEqual({ data: doc });
    expect(result.data.schemaVersion).toBe(3);
  });

  it('reads a schema-2 document with its one-blob vault as before: clear fields, no secret, the blob kept', () => {
    const { clear, secrets } = splitSecrets(stored(doc));
    const v2 = schema2Document(clear, legacyVault);
    expect(JSON.stringify(v2)).not.toMatch(/clientSecret|refreshToken|accessToken/);
    const partOf = vi.fn();
    expect(assembleDocument(v2, partOf)).toBe(v2);
    expect(partOf).not.toHaveBeenCalled();
    const read = readStoredData(stored(v2));
    expect(read.problem).toBeUndefined();
    expect(read.vault).toEqual(legacyVault);
    expect(read.data.schemaVersion).toBe(3);
    expect(read.data.profiles.every((p) => p.clientSecret === '' && p.refreshToken === '')).toBe(true);
    expect(read.data.tokens['p-a']).not.toHaveProperty('accessToken');
    // What the blob opens to is one `VaultSecrets`, merged as before.
    expect(mergeSecrets(read.data, stored(secrets))).toEqual({ data: doc, altered: [] });
  });

  it('reads the settings of a schema-2 vault', () => {
    const { clear } = splitSecrets(stored(doc));
    const withSettings: VaultBlob = { ...legacyVault, sealedAfterClear: true, autoLockMinutes: 15 };
    expect(readStoredData(schema2Document(clear, withSettings)).vault).toEqual(withSettings);
  });

  it('reports a damaged one-blob vault in a schema-2 document, and keeps the profiles', () => {
    const { clear } = splitSecrets(stored(doc));
    const damaged = { ...legacyVault, sealed: { iv: 'AAAAAAAAAAAAAAAA' } } as unknown as VaultBlob;
    const result = readStoredData(schema2Document(clear, damaged));
    expect(result.vault).toBeUndefined();
    expect(result.problem).toMatch(/encrypted part of your saved data could not be read/);
    expect(result.data.profiles.map((p) => p.id)).toEqual(['p-a', 'p-b']);
  });
});

describe('splitSecrets, mergeSecrets and the stored layout', () => {
  it('takes out every client secret, refresh token and access token, and nothing else', () => {
    const { clear, secrets } = splitSecrets(stored(doc));
    const bound = (p: Profile) => ({
      oauthHost: p.oauthHost,
      clientId: p.clientId,
      clientAuth: p.clientAuth,
    });
    expect(secrets).toEqual({
      profiles: {
        'p-a': { clientSecret: 'secret-a', refreshToken: 'rt-a', ...bound(profileA) },
        'p-b': { clientSecret: 'secret-a', refreshToken: 'rt-b', ...bound(profileB) },
      },
      tokens: { 'p-a': { accessToken: 'at-a' } },
    });
    expect(clear.profiles).toEqual([
      { ...profileA, clientSecret: '', refreshToken: '' },
      { ...profileB, clientSecret: '', refreshToken: '' },
    ]);
    const tokenA = { ...doc.tokens['p-a'] };
    delete tokenA.accessToken;
    expect(clear.tokens).toEqual({ 'p-a': tokenA, 'p-b': doc.tokens['p-b'] });
  });

  it('does not change the data it splits', () => {
    const data = stored(doc);
    splitSecrets(data);
    expect(data).toEqual(doc);
  });

  it('merges the secrets back into exactly the data that was split', () => {
    const { clear, secrets } = splitSecrets(stored(doc));
    expect(mergeSecrets(clear, stored(secrets))).toEqual({ data: doc, altered: [] });
  });

  it('merges the secrets into the clear view read from a sealed layout', () => {
    const { clear, secrets } = splitSecrets(stored(doc));
    const read = readStoredData(throughStorage(clear, sealing));
    expect(read.problem).toBeUndefined();
    expect(read.vault).toEqual(vault);
    expect(mergeSecrets(read.data, secrets)).toEqual({ data: doc, altered: [] });
  });

  it('takes the sealed OAuth host, client ID and client authentication over clear ones edited while locked', () => {
    const { clear, secrets } = splitSecrets(stored(doc));
    const edited = readStoredData(
      throughStorage(clear, sealing, (layout) => {
        Object.assign(partIn(layout, 'p-a').profile, {
          oauthHost: 'https://attacker.example',
          clientAuth: 'basic',
        });
        Object.assign(partIn(layout, 'p-b').profile, { clientId: 'someone-else' });
      }),
    );
    expect(edited.data.profiles[0]?.oauthHost).toBe('https://attacker.example');
    const merged = mergeSecrets(edited.data, stored(secrets));
    expect(merged.data).toEqual(doc);
    expect(merged.altered).toEqual(['Production', 'Local sandbox']);
    expect(alteredWhileLockedProblem(merged.altered)).toContain('“Production”, “Local sandbox”');
    expect(alteredWhileLockedProblem([])).toBeUndefined();
  });

  it('marks the profiles of a vault sealed before the bound fields were for review, and keeps them so', () => {
    const { clear, secrets } = splitSecrets(stored(doc));
    const legacy = {
      ...secrets,
      profiles: Object.fromEntries(
        Object.entries(secrets.profiles).map(([id, { clientSecret, refreshToken }]) => [
          id,
          { clientSecret, refreshToken },
        ]),
      ),
    };
    const merged = mergeSecrets(clear, legacy);
    expect(merged.data.profiles.map((p) => p.needsReview)).toEqual([true, true]);
    expect(merged.data.profiles.map(({ needsReview: _n, ...p }) => p)).toEqual(doc.profiles);
    // Written again, the unchecked clear copy is not sealed as if it had been vouched for...
    const again = splitSecrets(merged.data);
    expect(again.secrets.profiles['p-a']).toEqual({ clientSecret: 'secret-a', refreshToken: 'rt-a' });
    expect(JSON.stringify(again.clear)).not.toContain('needsReview');
    // ...so the next read still asks for the review.
    expect(mergeSecrets(again.clear, again.secrets).data.profiles[0]?.needsReview).toBe(true);
  });

  it('leaves a secret it cannot find or read as empty, and never throws on a malformed value', () => {
    const { clear } = splitSecrets(stored(doc));
    for (const opened of [undefined, null, 'x', [], { profiles: 'x', tokens: 7 }]) {
      expect(mergeSecrets(clear, opened)).toEqual({ data: clear, altered: [] });
    }
    const partial = mergeSecrets(clear, {
      profiles: { 'p-a': { clientSecret: 5, refreshToken: 'rt-a' }, toString: { refreshToken: 'x' } },
      tokens: { 'p-a': { accessToken: {} } },
    });
    // No bound fields sealed for it either: not trusted until reviewed.
    expect(partial.data.profiles[0]).toEqual({ ...profileA, clientSecret: '', needsReview: true });
    expect(partial.data.tokens['p-a']?.accessToken).toBeUndefined();
  });

  it('stores a sealed layout with no secret field at all, only the header and each profile’s sealed part', () => {
    const { clear } = splitSecrets(stored(doc));
    const written = layoutOf(clear, sealing);
    const json = JSON.stringify(written);
    for (const secret of ['secret-a', 'rt-a', 'rt-b', 'at-a']) expect(json).not.toContain(secret);
    expect(json).not.toMatch(/clientSecret|refreshToken|accessToken/);
    expect(written).toEqual({
      index: { schemaVersion: 3, activeProfileId: 'p-b', profiles: ['p-a', 'p-b'], vault: header },
      parts: {
        'p-a': {
          profile: settingsOf(profileA),
          token: tokenAWithoutAccessToken(),
          sealed: sealedParts['p-a'],
        },
        'p-b': { profile: settingsOf(profileB), token: doc.tokens['p-b'], sealed: sealedParts['p-b'] },
      },
    });
  });

  it('stores the data as it is when there is no vault, and reads it back unchanged', () => {
    expect(layoutOf(stored(doc)).parts).toEqual({
      'p-a': { profile: profileA, token: doc.tokens['p-a'] },
      'p-b': { profile: profileB, token: doc.tokens['p-b'] },
    });
    expect(readStoredData(throughStorage(stored(doc)))).toEqual({ data: doc });
  });
});

describe('reading a sealed layout', () => {
  const sealedDoc = (edit?: (layout: StoredLayout) => void) =>
    throughStorage(splitSecrets(stored(doc)).clear, sealing, edit);

  it('returns the clear fields with every secret empty or absent, and the vault', () => {
    const result = readStoredData(sealedDoc());
    expect(result.problem).toBeUndefined();
    expect(result.vault).toEqual(vault);
    expect(result.data.profiles.map((p) => p.id)).toEqual(['p-a', 'p-b']);
    expect(result.data.profiles.every((p) => p.clientSecret === '' && p.refreshToken === '')).toBe(true);
    expect(result.data.tokens['p-a']).not.toHaveProperty('accessToken');
    expect(result.data.tokens['p-a']?.expiresAt).toBe(1_737_028_800_000);
  });

  it('reads the vault’s own settings from the index and ignores malformed ones', () => {
    const withSettings = { ...header, sealedAfterClear: true as const, autoLockMinutes: 15 };
    const read = readStoredData(
      throughStorage(splitSecrets(stored(doc)).clear, { ...sealing, header: withSettings }),
    );
    expect(read.vault).toEqual({ ...withSettings, parts: sealedParts });
    const malformed = sealedDoc((layout) => {
      layout.index.vault = { ...header, sealedAfterClear: 'yes', autoLockMinutes: -5 };
    });
    expect(readStoredData(malformed).vault).toEqual(vault);
  });

  it('ignores secrets found in clear beside a vault: the vault is the only source', () => {
    const tampered = sealedDoc((layout) => {
      Object.assign(partIn(layout, 'p-a').profile, { clientSecret: 'planted', refreshToken: 'planted' });
      Object.assign(partIn(layout, 'p-a').token ?? {}, { accessToken: 'planted' });
    });
    expect(JSON.stringify(tampered)).toContain('planted');
    expect(JSON.stringify(readStoredData(tampered).data)).not.toContain('planted');
  });

  it.each([
    ['not an object', 'x'],
    ['without KDF parameters', { check: header.check }],
    ['with another KDF', { ...header, kdf: { ...kdf, name: 'scrypt' } }],
    ['with zero iterations', { ...header, kdf: { ...kdf, iterations: 0 } }],
    ['with too few iterations to resist guessing', { ...header, kdf: { ...kdf, iterations: 1000 } }],
    ['with so many iterations that unlocking would hang', { ...header, kdf: { ...kdf, iterations: 1e9 } }],
    ['with a salt that is not base64', { ...header, kdf: { ...kdf, salt: 'not base64!' } }],
    ['without a check', { kdf }],
    ['with a check without a ciphertext', { ...header, check: { iv: 'AAAAAAAAAAAAAAAA' } }],
  ])('reports a vault that is %s, keeps the profiles, and has no secret to offer', (_label, damaged) => {
    const result = readStoredData(
      sealedDoc((layout) => {
        layout.index.vault = damaged;
      }),
    );
    expect(result.vault).toBeUndefined();
    expect(result.problem).toMatch(/encrypted part of your saved data could not be read/);
    expect(result.data.profiles.map((p) => p.id)).toEqual(['p-a', 'p-b']);
    expect(result.data.profiles.every((p) => p.clientSecret === '' && p.refreshToken === '')).toBe(true);
  });
});

const API_HOST = 'https://sign-api.example.test';

/** `doc` with an API host of its own on profile A. */
const withApiHost = (): StoredData => {
  const data = stored(doc);
  data.profiles[0] = { ...profileA, apiHost: API_HOST };
  return data;
};

/**
 * The clear part of `data` as a sealed layout stores it, its profiles' stored settings (in the index's order)
 * edited by `edit`, read back the way the worker reads it; and the secrets as its sealed parts open to.
 */
function sealedRead(data: StoredData, edit: (profiles: Record<string, unknown>[]) => void = () => undefined) {
  const { clear, secrets } = splitSecrets(stored(data));
  const written = throughStorage(clear, sealing, (layout) => {
    edit((layout.index.profiles as string[]).map((id) => partIn(layout, id).profile));
  });
  const opened = gatherSecrets(stored(secretsByProfile(clear, secrets)));
  return { read: readStoredData(written), secrets: opened };
}

describe('the API host', () => {
  it('is read from a document in clear, and round-trips', () => {
    const result = readStoredData(stored(withApiHost()));
    expect(result).toEqual({ data: withApiHost() });
    expect(result.data.profiles[0]?.apiHost).toBe(API_HOST);
    expect(result.data.profiles[1]).not.toHaveProperty('apiHost');
  });

  it.each([
    ['empty', ''],
    ['a number', 443],
    ['null', null],
    ['an object', { origin: API_HOST }],
  ])('is left out when stored %s: it is derived again', (_label, apiHost) => {
    const result = readStoredData(stored({ ...doc, profiles: [{ ...profileA, apiHost }, profileB] }));
    expect(result.data.profiles[0]).not.toHaveProperty('apiHost');
    expect(result.data.profiles[0]).toEqual(profileA);
    expect(result.problem).toBeUndefined();
  });

  it('is sealed beside the secrets when set, and not when derived', () => {
    const { clear, secrets } = splitSecrets(withApiHost());
    expect(secrets.profiles['p-a']).toMatchObject({ apiHost: API_HOST });
    expect(secrets.profiles['p-b']).not.toHaveProperty('apiHost');
    // Shown while locked: the clear copy keeps it too.
    expect(clear.profiles[0]?.apiHost).toBe(API_HOST);
    const { parts } = layoutOf(clear, sealing);
    expect(parts['p-a']?.profile).toMatchObject({ id: 'p-a', apiHost: API_HOST });
    expect(parts['p-b']?.profile).not.toHaveProperty('apiHost');
  });

  it('is not sealed for a profile still to be reviewed: that would vouch for the clear copy unseen', () => {
    const data = withApiHost();
    data.profiles[0] = { ...profileA, apiHost: API_HOST, needsReview: true };
    const { secrets } = splitSecrets(data);
    expect(secrets.profiles['p-a']).toEqual({ clientSecret: 'secret-a', refreshToken: 'rt-a' });
  });

  it('round-trips through a sealed document, unchanged and not reported', () => {
    const { read, secrets } = sealedRead(withApiHost());
    expect(mergeSecrets(read.data, secrets)).toEqual({ data: withApiHost(), altered: [] });
  });

  it('sealed wins over a different one in the clear copy, and the profile is named', () => {
    const { read, secrets } = sealedRead(withApiHost(), (profiles) => {
      Object.assign(profiles[0] ?? {}, { apiHost: 'https://attacker.example' });
    });
    const merged = mergeSecrets(read.data, secrets);
    expect(merged.data.profiles[0]?.apiHost).toBe(API_HOST);
    expect(merged.data).toEqual(withApiHost());
    expect(merged.altered).toEqual(['Production']);
    expect(alteredWhileLockedProblem(merged.altered)).toMatch(/API host/);
  });

  it('sealed is restored when it was removed from the clear copy while locked, and the profile is named', () => {
    const { read, secrets } = sealedRead(withApiHost(), (profiles) => {
      delete profiles[0]?.apiHost;
    });
    expect(read.data.profiles[0]).not.toHaveProperty('apiHost');
    const merged = mergeSecrets(read.data, secrets);
    expect(merged.data.profiles[0]?.apiHost).toBe(API_HOST);
    expect(merged.altered).toEqual(['Production']);
  });

  it('added to the clear copy while locked is dropped, and the profile is named', () => {
    const { read, secrets } = sealedRead(stored(doc), (profiles) => {
      Object.assign(profiles[1] ?? {}, { apiHost: 'https://attacker.example' });
    });
    expect(read.data.profiles[1]?.apiHost).toBe('https://attacker.example');
    const merged = mergeSecrets(read.data, secrets);
    expect(merged.data.profiles[1]).not.toHaveProperty('apiHost');
    expect(merged.data).toEqual(doc);
    expect(merged.altered).toEqual(['Local sandbox']);
  });

  it('names a profile once when its API host and OAuth host were both edited', () => {
    const { read, secrets } = sealedRead(withApiHost(), (profiles) => {
      Object.assign(profiles[0] ?? {}, { apiHost: 'https://a.example', oauthHost: 'https://b.example' });
    });
    const merged = mergeSecrets(read.data, secrets);
    expect(merged.altered).toEqual(['Production']);
    expect(merged.data).toEqual(withApiHost());
  });

  it('is taken from the sealed part whatever its type there: a non-text sealed value counts as none', () => {
    const { read, secrets } = sealedRead(withApiHost());
    const damaged = {
      ...secrets,
      profiles: { ...secrets.profiles, 'p-a': { ...secrets.profiles['p-a'], apiHost: 7 } },
    };
    const merged = mergeSecrets(read.data, damaged);
    expect(merged.data.profiles[0]).not.toHaveProperty('apiHost');
    expect(merged.altered).toEqual(['Production']);
  });
});

describe('the refresh history', () => {
  const line = (at: number, overrides: Partial<HistoryEntry> = {}): HistoryEntry => ({
    at,
    kind: 'refresh',
    ok: true,
    status: 200,
    outcome: 'New token',
    expiresIn: 3600,
    refreshTokenChanged: false,
    accessTokenEnd: 'abcd',
    ...overrides,
  });
  const failed: HistoryEntry = {
    at: 1_736_942_300_000,
    kind: 'automatic',
    ok: false,
    status: 400,
    outcome: 'invalid_grant',
  };
  const withHistory = (): StoredData => ({
    ...stored(doc),
    history: {
      'p-a': [line(1_736_942_400_000), failed],
      'p-b': [line(1_736_942_200_000, { kind: 'authorization' })],
    },
  });

  it('is read from a document in clear, and round-trips', () => {
    expect(readStoredData(stored(withHistory()))).toEqual({ data: withHistory() });
  });

  it('is absent when there is none, or it is not an object', () => {
    for (const history of [undefined, null, 'x', [line(1_736_942_000_000)], {}]) {
      const result = readStoredData(stored({ ...doc, history }));
      expect(result.data).not.toHaveProperty('history');
      expect(result.problem).toBeUndefined();
    }
  });

  it('keeps entries as stored, unreported; `readHistory` (where they are used) drops the damaged ones', () => {
    const damaged = [
      line(1_736_942_400_000),
      { ...line(1_736_942_390_000), secret: 'not ours' },
      { ...line(1_736_942_380_000), kind: 'manual' },
      { ...failed, accessTokenEnd: 'abcd' },
      'a line',
      null,
      failed,
    ];
    const result = readStoredData(stored({ ...doc, history: { 'p-a': damaged } }));
    expect(result.data.history).toEqual({ 'p-a': damaged });
    expect(readHistory(result.data.history?.['p-a'])).toEqual([line(1_736_942_400_000), failed]);
    expect(result.problem).toBeUndefined();
  });

  it('drops a profile’s history that is not a list or is empty, and the history of an unknown profile', () => {
    const result = readStoredData(
      stored({
        ...doc,
        history: {
          'p-a': 'lines',
          'p-b': [],
          'p-gone': [line(1_736_942_000_000)],
          toString: [line(1_736_942_000_000)],
        },
      }),
    );
    expect(result.data).not.toHaveProperty('history');
  });

  it(`keeps at most ${HISTORY_LIMIT} entries per profile, the newest (first)`, () => {
    const many = Array.from({ length: HISTORY_LIMIT + 5 }, (_, i) => line(1_736_942_400_000 - i * 1000));
    const result = readStoredData(stored({ ...doc, history: { 'p-a': many } }));
    expect(readHistory(result.data.history?.['p-a'])).toEqual(many.slice(0, HISTORY_LIMIT));
  });

  it('is still read from a schema-2 document that held it itself', () => {
    expect(readStoredData(stored(schema2Document(withHistory())))).toEqual({ data: withHistory() });
  });

  it('is in neither the index nor the parts without a vault: the platform layer stores it apart', () => {
    const layout = layoutOf(withHistory());
    expect(JSON.stringify(layout)).not.toMatch(/history|New token/);
    expect(layout).toEqual(layoutOf(stored(doc)));
    expect(readStoredData(throughStorage(withHistory()))).toEqual({ data: doc });
  });

  it('is sealed with a vault: split into the secrets, and neither the layout nor the sealed parts hold it', () => {
    const { clear, secrets } = splitSecrets(withHistory());
    expect(secrets.history).toEqual(withHistory().history);
    expect(clear).not.toHaveProperty('history');
    expect(JSON.stringify(layoutOf(clear, sealing))).not.toMatch(/history|New token/);
    // Each profile's history is sealed apart by the platform layer, not in its part's secrets.
    expect(JSON.stringify(secretsByProfile(clear, secrets))).not.toMatch(/history|New token/);
  });

  it('is never stored in clear beside a vault, even when the clear view carries one', () => {
    expect(JSON.stringify(layoutOf(withHistory(), sealing))).not.toMatch(/history|New token/);
  });

  it('round-trips through a schema-2 document, whose one blob held it', () => {
    const { clear, secrets } = splitSecrets(withHistory());
    const read = readStoredData(stored(schema2Document(clear, legacyVault)));
    expect(read.data).not.toHaveProperty('history');
    expect(mergeSecrets(read.data, stored(secrets))).toEqual({ data: withHistory(), altered: [] });
  });

  it('is not carried through a sealed layout: the rest round-trips, and the history comes from its own keys', () => {
    const { read, secrets } = sealedRead(withHistory());
    expect(read.data).not.toHaveProperty('history');
    expect(secrets).not.toHaveProperty('history');
    expect(mergeSecrets(read.data, secrets)).toEqual({ data: doc, altered: [] });
  });

  it('found in clear beside a vault is not taken: the sealed one is the history', () => {
    const { clear, secrets } = splitSecrets(withHistory());
    const planted = { 'p-a': [line(1_736_942_000_000)] };
    const inIndex = throughStorage(clear, sealing, (layout) => {
      layout.index.history = planted;
    });
    // An index holds no history: what is planted there is not even assembled.
    expect(inIndex).not.toHaveProperty('history');
    expect(readStoredData(inIndex).data).not.toHaveProperty('history');
    // Nor without a vault.
    const withoutVault = throughStorage(withHistory(), undefined, (layout) => {
      layout.index.history = planted;
    });
    expect(readStoredData(withoutVault).data).not.toHaveProperty('history');
    const read = readStoredData({ ...schema2Document(clear, legacyVault), history: planted });
    expect(read.data).not.toHaveProperty('history');
    expect(mergeSecrets(read.data, stored(secrets)).data.history).toEqual(withHistory().history);
    // Nor a history in the clear view the secrets are merged into.
    const merged = mergeSecrets(
      { ...read.data, history: { 'p-a': [line(1_736_942_000_000)] } },
      { ...stored(secrets), history: undefined },
    );
    expect(merged.data).not.toHaveProperty('history');
  });

  it('drops unknown profiles from the sealed part too; damaged entries go when read', () => {
    const { clear, secrets } = splitSecrets(withHistory());
    const opened = {
      ...stored(secrets),
      history: { 'p-a': [{ at: 'now' }, failed], 'p-gone': [line(1_736_942_000_000)] },
    };
    const merged = mergeSecrets(clear, opened).data.history;
    expect(Object.keys(merged ?? {})).toEqual(['p-a']);
    expect(readHistory(merged?.['p-a'])).toEqual([failed]);
    expect(mergeSecrets(clear, { ...stored(secrets), history: 'x' }).data).not.toHaveProperty('history');
  });

  it('leaves the sealed part without history when there is none', () => {
    expect(splitSecrets(stored(doc)).secrets).not.toHaveProperty('history');
  });
});

describe('layoutOf', () => {
  it('lists the profile ids in the index, in the switcher’s order, with the active one', () => {
    const { index } = layoutOf({ ...stored(doc), profiles: [profileB, profileA] });
    expect(index).toEqual({ schemaVersion: 3, activeProfileId: 'p-b', profiles: ['p-b', 'p-a'] });
  });

  it('puts each profile’s settings and token state in its own part, and none of them in the index', () => {
    const { index, parts } = layoutOf(stored(doc));
    expect(parts).toEqual({
      'p-a': { profile: profileA, token: doc.tokens['p-a'] },
      'p-b': { profile: profileB, token: doc.tokens['p-b'] },
    });
    expect(JSON.stringify(index)).not.toMatch(/Production|cid-a|tokens/);
  });

  it('gives a profile without a token state a part without one', () => {
    const { 'p-b': _tokenB, ...tokens } = stored(doc.tokens);
    const { parts } = layoutOf({ ...stored(doc), tokens });
    expect(parts['p-b']).toEqual({ profile: profileB });
    expect(parts['p-a']?.token).toEqual(doc.tokens['p-a']);
  });

  it('lays out empty data as an index of no profile and no part', () => {
    expect(layoutOf(emptyData())).toEqual({
      index: { schemaVersion: 3, activeProfileId: null, profiles: [] },
      parts: {},
    });
  });

  it('with a vault, stores no secret field even of a clear view that still holds the secrets', () => {
    const { index, parts } = layoutOf(stored(doc), sealing);
    const json = JSON.stringify({ index, parts });
    for (const secret of ['secret-a', 'rt-a', 'rt-b', 'at-a']) expect(json).not.toContain(secret);
    expect(json).not.toMatch(/clientSecret|refreshToken|accessToken/);
    expect(parts['p-a']?.token).toEqual(tokenAWithoutAccessToken());
  });

  it('with a vault, puts each profile’s own sealed part in its part, and the header in the index', () => {
    const { clear } = splitSecrets(stored(doc));
    const { index, parts } = layoutOf(clear, sealing);
    expect(index.vault).toEqual(header);
    expect(parts['p-a']?.sealed).toEqual(sealedParts['p-a']);
    expect(parts['p-b']?.sealed).toEqual(sealedParts['p-b']);
  });

  it('with a vault, gives a profile with nothing sealed no `sealed`', () => {
    const { clear } = splitSecrets(stored(doc));
    const { parts } = layoutOf(clear, { header, sealed: { 'p-a': sealedAs('secrets of p-a') } });
    expect(parts['p-a']?.sealed).toEqual(sealedAs('secrets of p-a'));
    expect(parts['p-b']).not.toHaveProperty('sealed');
  });

  it('does not change the data it lays out', () => {
    const data = stored(doc);
    layoutOf(data, sealing);
    expect(data).toEqual(doc);
  });
});

describe('assembleDocument', () => {
  it('takes a profile listed twice for a damaged entry, not for two profiles with one id', () => {
    const assembled = throughStorage(stored(doc), undefined, (layout) => {
      layout.index.profiles = ['p-a', 'p-a', 'p-b'];
    });
    const read = readStoredData(assembled);
    expect(read.data.profiles.map((p) => p.id)).toEqual(['p-a', 'p-b']);
    expect(read.problem).toMatch(/1 damaged profile/);
  });

  it('puts the parts back into the one document they were laid out from, without a vault', () => {
    expect(throughStorage(stored(doc))).toEqual(doc);
    expect(readStoredData(throughStorage(stored(doc)))).toEqual({ data: doc });
  });

  it('with a vault, round-trips: the clear view and the vault are read, and the opened parts merge into the data', () => {
    const data = withApiHost();
    data.profiles[1] = { ...profileB, autoRefresh: true, leadMinutes: 5 };
    const { clear, secrets } = splitSecrets(data);
    const read = readStoredData(throughStorage(clear, sealing));
    expect(read.problem).toBeUndefined();
    expect(read.vault).toEqual(vault);
    const opened = gatherSecrets(stored(secretsByProfile(clear, secrets)));
    expect(mergeSecrets(read.data, opened)).toEqual({ data, altered: [] });
  });

  it('gathers the profiles’ sealed parts into `vault.parts`, over any found in the index', () => {
    const { clear } = splitSecrets(stored(doc));
    const assembled = throughStorage(clear, sealing, (layout) => {
      layout.index.vault = { ...header, parts: { 'p-a': sealedAs('planted'), 'p-x': sealedAs('planted') } };
    });
    expect(assembled).toMatchObject({ vault: { ...header, parts: sealedParts } });
    expect((assembled as { vault: VaultBlob }).vault.parts).toEqual(sealedParts);
    expect(assembled).not.toHaveProperty('vault.sealed');
  });

  it('takes the token states from the parts only, not from the index', () => {
    const assembled = throughStorage(stored(doc), undefined, (layout) => {
      layout.index.tokens = { 'p-a': { accessToken: 'planted' }, 'p-b': { accessToken: 'planted' } };
      delete partIn(layout, 'p-a').token;
    });
    expect(readStoredData(assembled).data.tokens).toEqual({ 'p-b': doc.tokens['p-b'] });
  });

  it.each<[string, (layout: StoredLayout) => void]>([
    ['missing', (layout) => delete layout.parts['p-a']],
    ['not an object', (layout) => (layout.parts['p-a'] = 'a part')],
    ['null', (layout) => (layout.parts['p-a'] = null)],
    ['without a profile', (layout) => Reflect.deleteProperty(partIn(layout, 'p-a'), 'profile')],
    ['with a profile that is not an object', (layout) => (partIn(layout, 'p-a').profile = 'p-a' as never)],
    ['with a profile of another id', (layout) => (partIn(layout, 'p-a').profile.id = 'p-x')],
    ['moved from another profile’s key', (layout) => (layout.parts['p-a'] = stored(layout.parts['p-b']))],
  ])('reports a listed profile whose part is %s as damaged, and keeps the others', (_label, damage) => {
    const result = readStoredData(
      throughStorage({ ...stored(doc), activeProfileId: 'p-a' }, undefined, damage),
    );
    expect(result.problem).toMatch(/^Part of your saved data could not be read \(1 damaged profile\)\./);
    expect(result.data.profiles).toEqual([profileB]);
    expect(result.data.tokens).toEqual({ 'p-b': doc.tokens['p-b'] });
    expect(result.data.activeProfileId).toBe('p-b');
  });

  it('reports each entry of the index’s list that is not an id as a damaged profile, and reads no part for it', () => {
    const partOf = vi.fn((id: string) => ({ profile: id === 'p-a' ? profileA : profileB }));
    const index = { ...layoutOf(stored(doc)).index, profiles: ['p-a', 7, { id: 'p-b' }, 'p-b'] };
    const result = readStoredData(assembleDocument(index, partOf));
    expect(partOf.mock.calls).toEqual([['p-a'], ['p-b']]);
    expect(result.data.profiles).toEqual([profileA, profileB]);
    expect(result.problem).toMatch(/\(2 damaged profiles\)/);
  });

  it('with a vault, leaves a damaged profile’s sealed part out of the vault, and keeps the others', () => {
    const { clear } = splitSecrets(stored(doc));
    const result = readStoredData(
      throughStorage(clear, sealing, (layout) => {
        layout.parts['p-a'] = stored(layout.parts['p-b']);
      }),
    );
    expect(result.problem).toMatch(/\(1 damaged profile\)/);
    expect(result.vault).toEqual({ ...header, parts: { 'p-b': sealedParts['p-b'] } });
    expect(result.data.profiles.map((p) => p.id)).toEqual(['p-b']);
  });

  it('reads an index without a profile list as such, and reports it', () => {
    const assembled = throughStorage(stored(doc), undefined, (layout) => {
      layout.index.profiles = 'p-a';
    });
    const result = readStoredData(assembled);
    expect(result.data).toEqual(emptyData());
    expect(result.problem).toMatch(/no profile list/);
  });

  it.each<[string, unknown]>([
    ['nothing', undefined],
    ['null', null],
    ['text', 'x'],
    ['a list', ['p-a']],
    ['a schema-1 document', { ...doc, schemaVersion: 1 }],
    ['a schema-2 document', schema2Document(doc)],
    ['a newer schema’s index', { schemaVersion: 4, activeProfileId: 'p-a', profiles: ['p-a'] }],
    ['a version that is text', { schemaVersion: '3', activeProfileId: 'p-a', profiles: ['p-a'] }],
  ])('passes %s through as it is, without reading a part', (_label, raw) => {
    const partOf = vi.fn(() => ({ profile: profileA }));
    expect(assembleDocument(raw, partOf)).toBe(raw);
    expect(partOf).not.toHaveBeenCalled();
  });

  it(
    'never throws on what storage may hold, and gives a document read as current-schema data (property)',
    () => {
      const partArb = fc.oneof(
        fc.record(
          {
            profile: fc.oneof(fc.constantFrom(profileA, profileB), fc.anything()),
            token: fc.anything(),
            sealed: fc.anything(),
          },
          { requiredKeys: [] },
        ),
        fc.anything(),
      );
      const indexArb = fc.record(
        {
          schemaVersion: fc.constant(3),
          activeProfileId: fc.oneof(fc.constantFrom('p-a', 'p-b'), fc.anything()),
          profiles: fc.oneof(
            fc.array(fc.oneof(fc.constantFrom('p-a', 'p-b', 'p-x'), fc.anything())),
            fc.anything(),
          ),
          vault: fc.oneof(fc.constant(header), fc.anything()),
        },
        { requiredKeys: ['schemaVersion'] },
      );
      fc.assert(
        fc.property(
          indexArb,
          fc.dictionary(fc.constantFrom('p-a', 'p-b', 'p-x'), partArb),
          (index, parts) => {
            const assembled = assembleDocument(index, (id) =>
              Object.hasOwn(parts, id) ? parts[id] : undefined,
            );
            const { data } = readStoredData(assembled);
            expect(data.schemaVersion).toBe(3);
            const ids = data.profiles.map((p) => p.id);
            for (const id of ids) expect(['p-a', 'p-b']).toContain(id);
            for (const id of Object.keys(data.tokens)) expect(ids).toContain(id);
          },
        ),
        { numRuns: 300 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

describe('listedProfileIds', () => {
  it('lists the ids a schema-3 index lists, in its order', () => {
    const { index } = layoutOf({ ...stored(doc), profiles: [profileB, profileA] });
    expect(listedProfileIds(stored(index))).toEqual(['p-b', 'p-a']);
  });

  it('leaves out what is not an id', () => {
    expect(listedProfileIds({ schemaVersion: 3, profiles: ['p-a', 7, null, { id: 'p-c' }, 'p-b'] })).toEqual([
      'p-a',
      'p-b',
    ]);
  });

  it.each<[string, unknown]>([
    ['nothing', undefined],
    ['text', 'x'],
    ['a schema-1 document', { schemaVersion: 1, profiles: ['p-a'] }],
    ['a schema-2 document', { schemaVersion: 2, profiles: ['p-a'] }],
    ['a newer schema’s index', { schemaVersion: 4, profiles: ['p-a'] }],
    ['an index without a profile list', { schemaVersion: 3, profiles: 'p-a' }],
  ])('lists none for %s', (_label, raw) => {
    expect(listedProfileIds(raw)).toEqual([]);
  });
});

describe('storedVaultHeader', () => {
  const { clear } = splitSecrets(stored(doc));

  it.each<[string, unknown]>([
    ['nothing', undefined],
    ['text', 'x'],
    ['a document without a version', { vault: legacyVault }],
    ['a schema-1 document, even with a `vault` key', { ...doc, schemaVersion: 1, vault: legacyVault }],
    ['a schema-1 document with a vault in parts', { ...doc, schemaVersion: 1, vault }],
    ['a schema-3 index without a vault', layoutOf(clear).index],
    ['a schema-3 index with a damaged header', { ...layoutOf(clear).index, vault: { kdf } }],
  ])('gives none for %s', (_label, raw) => {
    expect(storedVaultHeader(stored(raw))).toBeUndefined();
  });

  it('reads the one-blob vault of a schema-2 document', () => {
    const blob: VaultBlob = { ...legacyVault, autoLockMinutes: 10 };
    expect(storedVaultHeader(stored(schema2Document(clear, blob)))).toEqual(blob);
  });

  it('reads the header of a schema-3 index, without any part', () => {
    const withSettings = { ...header, sealedAfterClear: true as const, autoLockMinutes: 5 };
    const { index } = layoutOf(clear, { header: withSettings, sealed: sealedParts });
    const read = storedVaultHeader(stored(index));
    expect(read).toMatchObject(withSettings);
    expect(read).not.toHaveProperty('sealed');
    expect(read?.parts ?? {}).toEqual({});
  });
});

describe('secretsByProfile and gatherSecrets', () => {
  const entry: HistoryEntry = { at: 1_736_942_400_000, kind: 'refresh', ok: false, outcome: 'network' };

  it('split the secrets of a document per profile, each with its own id', () => {
    const { clear, secrets } = splitSecrets(stored(doc));
    expect(secretsByProfile(clear, secrets)).toEqual({
      'p-a': { id: 'p-a', profile: secrets.profiles['p-a'], token: { accessToken: 'at-a' } },
      'p-b': { id: 'p-b', profile: secrets.profiles['p-b'] },
    });
  });

  it('leave out what belongs to no listed profile, and any history', () => {
    const { clear, secrets } = splitSecrets(stored(doc));
    const extra = {
      profiles: { ...secrets.profiles, 'p-gone': { clientSecret: 'gone', refreshToken: 'gone' } },
      tokens: { ...secrets.tokens, 'p-gone': { accessToken: 'gone' } },
      history: { 'p-a': [entry] },
    };
    const byProfile = secretsByProfile(clear, extra);
    expect(Object.keys(byProfile)).toEqual(['p-a', 'p-b']);
    expect(JSON.stringify(byProfile)).not.toMatch(/gone|history|network/);
  });

  it('gather the opened parts back into the secrets they were split from', () => {
    const { clear, secrets } = splitSecrets(stored(doc));
    expect(gatherSecrets(stored(secretsByProfile(clear, secrets)))).toEqual(secrets);
  });

  it('carry a profile still to be reviewed through the parts: it is still to be reviewed after', () => {
    const data = stored(doc);
    data.profiles[0] = { ...profileA, needsReview: true };
    const { clear, secrets } = splitSecrets(data);
    const opened = gatherSecrets(stored(secretsByProfile(clear, secrets)));
    expect(opened.profiles['p-a']).toEqual({ clientSecret: 'secret-a', refreshToken: 'rt-a' });
    expect(mergeSecrets(clear, opened).data.profiles.map((p) => p.needsReview)).toEqual([true, undefined]);
  });

  it('drop a part that opened to another profile’s id: its secrets go nowhere', () => {
    const { clear, secrets } = splitSecrets(stored(doc));
    const byProfile = stored(secretsByProfile(clear, secrets));
    const swapped = gatherSecrets({ 'p-a': byProfile['p-b'], 'p-b': byProfile['p-a'] });
    expect(swapped).toEqual({ profiles: {}, tokens: {} });
    const moved = gatherSecrets({ 'p-a': byProfile['p-b'], 'p-b': byProfile['p-b'] });
    expect(moved).toEqual({ profiles: { 'p-b': secrets.profiles['p-b'] }, tokens: {} });
    const merged = mergeSecrets(clear, moved).data.profiles[0];
    expect(merged).toMatchObject({ id: 'p-a', clientSecret: '', refreshToken: '' });
  });

  it('drop what is not a part, and keep a part whose token is malformed without it', () => {
    const own = { clientSecret: 's', refreshToken: 'r' };
    const gathered = gatherSecrets({
      'p-a': 'a part',
      'p-b': { id: 'p-b' },
      'p-c': { id: 'p-c', profile: 'secrets' },
      'p-d': { id: 'p-d', profile: own, token: 'at' },
      'p-e': null,
    });
    expect(gathered).toEqual({ profiles: { 'p-d': own }, tokens: {} });
  });
});
