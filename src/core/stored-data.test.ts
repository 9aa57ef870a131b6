import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
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
