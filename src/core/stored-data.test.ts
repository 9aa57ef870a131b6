import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HISTORY_LIMIT, readHistory, type HistoryEntry } from './history';
import type { Profile } from './profile';
import {
  alteredWhileLockedProblem,
  CURRENT_SCHEMA_VERSION,
  emptyData,
  mergeSecrets,
  readStoredData,
  splitSecrets,
  storedDocument,
  type StoredData,
  type VaultBlob,
} from './stored-data';

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
    expect(CURRENT_SCHEMA_VERSION).toBe(2);
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
    expect(result.problem).toMatch(/newer version.*schema 3.*nothing is changed/);
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
    const read = readStoredData(stored(storedDocument(clear, vault)));
    expect(mergeSecrets(read.data, stored(secrets)).data.profiles).toEqual(data.profiles);
  });
});

const vault: VaultBlob = {
  kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: 600_000, salt: 'AAAAAAAAAAAAAAAAAAAAAA==' },
  sealed: { iv: 'AAAAAAAAAAAAAAAA', ciphertext: 'c2VhbGVkIHNlY3JldHM=' },
};

describe('the migration from schema 1 (no vault) to 2', () => {
  const v1 = { ...stored(doc), schemaVersion: 1 };

  it('reads a schema-1 document unchanged, as data without a vault and without a problem', () => {
    const result = readStoredData(v1);
    expect(result).toEqual({ data: doc });
    expect(result.data.schemaVersion).toBe(2);
    expect(result.vault).toBeUndefined();
  });

  it('keeps the secrets of a schema-1 document in clear: they are only sealed once a passphrase is set', () => {
    const { data } = readStoredData(v1);
    expect(data.profiles.map((p) => [p.clientSecret, p.refreshToken])).toEqual([
      ['secret-a', 'rt-a'],
      ['secret-a', 'rt-b'],
    ]);
    expect(data.tokens['p-a']?.accessToken).toBe('at-a');
  });

  it('does not take a `vault` key in a schema-1 document for a vault', () => {
    const result = readStoredData({ ...v1, vault });
    expect(result.vault).toBeUndefined();
    expect(result.data).toEqual(doc);
  });
});

describe('splitSecrets, mergeSecrets and storedDocument', () => {
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

  it('merges the secrets into the clear view read from a sealed document', () => {
    const { clear, secrets } = splitSecrets(stored(doc));
    const read = readStoredData(stored(storedDocument(clear, vault)));
    expect(read.vault).toEqual(vault);
    expect(mergeSecrets(read.data, secrets)).toEqual({ data: doc, altered: [] });
  });

  it('takes the sealed OAuth host, client ID and client authentication over clear ones edited while locked', () => {
    const { clear, secrets } = splitSecrets(stored(doc));
    const edited = readStoredData(
      stored({
        ...storedDocument(clear, vault),
        profiles: [
          { ...clear.profiles[0], oauthHost: 'https://attacker.example', clientAuth: 'basic' },
          { ...clear.profiles[1], clientId: 'someone-else' },
        ],
      }),
    );
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

  it('stores a sealed document with no secret field at all, only the vault', () => {
    const { clear } = splitSecrets(stored(doc));
    const written = storedDocument(clear, vault);
    const json = JSON.stringify(written);
    for (const secret of ['secret-a', 'rt-a', 'rt-b', 'at-a']) expect(json).not.toContain(secret);
    expect(json).not.toMatch(/clientSecret|refreshToken|accessToken/);
    expect(written).toMatchObject({
      schemaVersion: CURRENT_SCHEMA_VERSION,
      activeProfileId: 'p-b',
      profiles: [
        { id: 'p-a', name: 'Production', clientId: 'cid-a', oauthHost: 'https://app.hellosign.com' },
        expect.objectContaining({ id: 'p-b', clientAuth: 'both' }),
      ],
      tokens: { 'p-a': { tokenType: 'Bearer', expiresAt: 1_737_028_800_000 }, 'p-b': doc.tokens['p-b'] },
      vault,
    });
  });

  it('stores the data as it is when there is no vault', () => {
    expect(storedDocument(stored(doc))).toEqual(doc);
  });
});

describe('reading a sealed document', () => {
  const sealedDoc = () => stored(storedDocument(splitSecrets(stored(doc)).clear, vault));

  it('returns the clear fields with every secret empty or absent, and the vault', () => {
    const result = readStoredData(sealedDoc());
    expect(result.problem).toBeUndefined();
    expect(result.vault).toEqual(vault);
    expect(result.data.profiles.map((p) => p.id)).toEqual(['p-a', 'p-b']);
    expect(result.data.profiles.every((p) => p.clientSecret === '' && p.refreshToken === '')).toBe(true);
    expect(result.data.tokens['p-a']).not.toHaveProperty('accessToken');
    expect(result.data.tokens['p-a']?.expiresAt).toBe(1_737_028_800_000);
  });

  it('reads the vault’s own settings and ignores malformed ones', () => {
    const withSettings = { ...vault, sealedAfterClear: true, autoLockMinutes: 15 };
    expect(readStoredData({ ...sealedDoc(), vault: withSettings }).vault).toEqual(withSettings);
    const malformed = { ...vault, sealedAfterClear: 'yes', autoLockMinutes: -5 };
    expect(readStoredData({ ...sealedDoc(), vault: malformed }).vault).toEqual(vault);
  });

  it('ignores secrets found in clear beside a vault: the vault is the only source', () => {
    const tampered = sealedDoc() as { profiles: Record<string, unknown>[]; tokens: Record<string, object> };
    Object.assign(tampered.profiles[0] ?? {}, { clientSecret: 'planted', refreshToken: 'planted' });
    Object.assign(tampered.tokens['p-a'] ?? {}, { accessToken: 'planted' });
    expect(JSON.stringify(readStoredData(tampered).data)).not.toContain('planted');
  });

  it.each([
    ['not an object', 'x'],
    ['without KDF parameters', { sealed: vault.sealed }],
    ['with another KDF', { ...vault, kdf: { ...vault.kdf, name: 'scrypt' } }],
    ['with zero iterations', { ...vault, kdf: { ...vault.kdf, iterations: 0 } }],
    ['with too few iterations to resist guessing', { ...vault, kdf: { ...vault.kdf, iterations: 1000 } }],
    [
      'with so many iterations that unlocking would hang',
      { ...vault, kdf: { ...vault.kdf, iterations: 1e9 } },
    ],
    ['with a salt that is not base64', { ...vault, kdf: { ...vault.kdf, salt: 'not base64!' } }],
    ['without a ciphertext', { ...vault, sealed: { iv: vault.sealed.iv } }],
  ])('reports a vault that is %s, keeps the profiles, and has no secret to offer', (_label, damaged) => {
    const result = readStoredData({ ...sealedDoc(), vault: damaged });
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

/** The clear part of `data` as a sealed document stores it, read back the way the worker reads it. */
function sealedRead(data: StoredData, edit: (profiles: Record<string, unknown>[]) => void = () => undefined) {
  const { clear, secrets } = splitSecrets(stored(data));
  const written = stored(storedDocument(clear, vault)) as { profiles: Record<string, unknown>[] };
  edit(written.profiles);
  return { read: readStoredData(written), secrets: stored(secrets) };
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
    expect(storedDocument(clear, vault)).toMatchObject({
      profiles: [{ id: 'p-a', apiHost: API_HOST }, { id: 'p-b' }],
    });
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

  it('is stored in clear without a vault', () => {
    expect(storedDocument(withHistory())).toEqual(withHistory());
  });

  it('is sealed with a vault: split into the secrets, and the stored document has no history key', () => {
    const { clear, secrets } = splitSecrets(withHistory());
    expect(secrets.history).toEqual(withHistory().history);
    expect(clear).not.toHaveProperty('history');
    const written = storedDocument(clear, vault);
    expect(written).not.toHaveProperty('history');
    expect(JSON.stringify(written)).not.toContain('New token');
  });

  it('is never stored in clear beside a vault, even when the clear view carries one', () => {
    expect(storedDocument(withHistory(), vault)).not.toHaveProperty('history');
  });

  it('round-trips through a sealed document', () => {
    const { read, secrets } = sealedRead(withHistory());
    expect(read.data).not.toHaveProperty('history');
    expect(mergeSecrets(read.data, secrets)).toEqual({ data: withHistory(), altered: [] });
  });

  it('found in clear beside a vault is not taken: the sealed one is the history', () => {
    const { clear, secrets } = splitSecrets(withHistory());
    const planted = {
      ...stored(storedDocument(clear, vault)),
      history: { 'p-a': [line(1_736_942_000_000)] },
    };
    const read = readStoredData(planted);
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
