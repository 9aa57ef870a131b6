import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Profile } from './profile';
import { CURRENT_SCHEMA_VERSION, emptyData, readStoredData, type StoredData } from './stored-data';

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
  schemaVersion: 1,
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
    expect(CURRENT_SCHEMA_VERSION).toBe(1);
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
    expect(result.problem).toMatch(/newer version.*schema 2.*nothing is changed/);
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

  it('ignores token states for unknown profiles and ones that are not objects', () => {
    const result = readStoredData(
      stored({ ...doc, tokens: { ...doc.tokens, 'p-x': { accessToken: 'x' }, 'p-b': 'junk' } }),
    );
    expect(Object.keys(result.data.tokens)).toEqual(['p-a']);
    expect(result.problem).toBeUndefined();
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
