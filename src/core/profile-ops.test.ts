import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_OAUTH_HOST, DEFAULT_PROFILE_NAME, type Profile } from './profile';
import {
  createProfile,
  deleteProfile,
  duplicateProfile,
  isRemovedProfile,
  renameProfile,
  restoreProfile,
  setAutoRefresh,
  switchProfile,
  uniqueProfileName,
  type ProfileOpResult,
} from './profile-ops';
import type { HistoryEntry } from './history';
import { CURRENT_SCHEMA_VERSION, mergeSecrets, splitSecrets, type StoredData } from './stored-data';
import type { TokenState } from './token-state';
import { MAX_NAME_LENGTH } from './validate-profile';

/** Property runs take a few hundred ms alone, but can be slow on a busy machine: never a flaky timeout. */
const PROPERTY_TIMEOUT_MS = 60_000;

function profile(id: string, overrides: Partial<Profile> = {}): Profile {
  return {
    id,
    name: `Profile ${id}`,
    clientId: `cid-${id}`,
    clientSecret: `secret-${id}`,
    refreshToken: `rt-${id}`,
    oauthHost: 'https://app.hellosign.com',
    clientAuth: 'basic',
    ...overrides,
  };
}

const TOKEN_A: TokenState = {
  accessToken: 'at-a',
  tokenType: 'Bearer',
  receivedAt: 1_736_942_400_000,
  expiresAt: 1_737_028_800_000,
  warnings: ['basic_account_info'],
  lastAttemptAt: 1_736_942_400_000,
};
const TOKEN_C: TokenState = {
  lastError: { kind: 'invalid_grant', title: 't', action: 'a', status: 400, at: 1_736_942_400_000 },
  lastAttemptAt: 1_736_942_400_000,
};

/** Three profiles, B active; A and C have token state. Frozen all the way down: no operation may change it. */
function threeProfiles(): StoredData {
  return deepFreeze({
    schemaVersion: CURRENT_SCHEMA_VERSION,
    activeProfileId: 'p-b',
    profiles: [
      profile('p-a', { name: 'Production' }),
      profile('p-b', { name: 'Staging' }),
      profile('p-c', { name: 'Local' }),
    ],
    tokens: { 'p-a': TOKEN_A, 'p-c': TOKEN_C },
  });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

function succeeded<R extends ProfileOpResult>(result: R): Extract<R, { ok: true }> {
  if (!result.ok) throw new Error(`expected success, got: ${result.problem}`);
  return result as Extract<R, { ok: true }>;
}

const ids = (data: StoredData) => data.profiles.map((p) => p.id);

describe('uniqueProfileName', () => {
  it('keeps a name no profile has', () => {
    expect(uniqueProfileName('My API app', [])).toBe('My API app');
    expect(uniqueProfileName('My API app', ['Production'])).toBe('My API app');
  });

  it('numbers a taken name from 2, taking the first number free', () => {
    expect(uniqueProfileName('My API app', ['My API app'])).toBe('My API app 2');
    expect(uniqueProfileName('My API app', ['My API app', 'My API app 2'])).toBe('My API app 3');
    expect(uniqueProfileName('My API app', ['My API app', 'My API app 3'])).toBe('My API app 2');
  });

  it('compares trimmed and regardless of case', () => {
    expect(uniqueProfileName('My API app', ['  my api APP '])).toBe('My API app 2');
    expect(uniqueProfileName(' My API app ', ['MY API APP', 'my api app 2'])).toBe('My API app 3');
  });

  it('trims the name, and uses the default name for an empty one', () => {
    expect(uniqueProfileName('  Production  ', [])).toBe('Production');
    expect(uniqueProfileName('   ', [])).toBe(DEFAULT_PROFILE_NAME);
    expect(uniqueProfileName('', [DEFAULT_PROFILE_NAME])).toBe(`${DEFAULT_PROFILE_NAME} 2`);
  });

  it(`shortens a long name so the number still fits in ${MAX_NAME_LENGTH} characters`, () => {
    const long = 'x'.repeat(MAX_NAME_LENGTH);
    const unique = uniqueProfileName(long, [long]);
    expect(unique).toBe(`${'x'.repeat(MAX_NAME_LENGTH - 2)} 2`);
    expect(unique).toHaveLength(MAX_NAME_LENGTH);
  });

  it('never cuts a character in half when shortening', () => {
    const long = '😀'.repeat(MAX_NAME_LENGTH / 2); // 2 UTF-16 units each: exactly the limit
    const unique = uniqueProfileName(long, [long]);
    expect(unique.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
    expect(unique).toMatch(/^(😀)+ 2$/u);
  });
});

describe('createProfile', () => {
  it('appends an empty profile with the defaults and makes it active', () => {
    const before = threeProfiles();
    const { data, profileId } = succeeded(createProfile(before, 'p-new'));
    expect(profileId).toBe('p-new');
    expect(data.activeProfileId).toBe('p-new');
    expect(ids(data)).toEqual(['p-a', 'p-b', 'p-c', 'p-new']);
    expect(data.profiles[3]).toEqual({
      id: 'p-new',
      name: DEFAULT_PROFILE_NAME,
      clientId: '',
      clientSecret: '',
      refreshToken: '',
      oauthHost: DEFAULT_OAUTH_HOST,
      clientAuth: 'body',
    });
    expect(data.tokens).toEqual(before.tokens);
  });

  it('gives each new profile a name of its own', () => {
    let data: StoredData = { ...threeProfiles(), profiles: [], tokens: {}, activeProfileId: null };
    for (const id of ['p-1', 'p-2', 'p-3']) data = succeeded(createProfile(data, id)).data;
    expect(data.profiles.map((p) => p.name)).toEqual([
      DEFAULT_PROFILE_NAME,
      `${DEFAULT_PROFILE_NAME} 2`,
      `${DEFAULT_PROFILE_NAME} 3`,
    ]);
  });

  it('refuses an id that is already used', () => {
    expect(createProfile(threeProfiles(), 'p-b')).toMatchObject({ ok: false, kind: 'id_taken' });
  });
});

describe('duplicateProfile', () => {
  it('copies the credentials but not the refresh token, right after the source, and makes the copy active', () => {
    const { data, profileId } = succeeded(duplicateProfile(threeProfiles(), 'p-a', 'p-copy'));
    expect(profileId).toBe('p-copy');
    expect(data.activeProfileId).toBe('p-copy');
    expect(ids(data)).toEqual(['p-a', 'p-copy', 'p-b', 'p-c']);
    expect(data.profiles[1]).toEqual({
      id: 'p-copy',
      name: 'Production copy',
      clientId: 'cid-p-a',
      clientSecret: 'secret-p-a',
      refreshToken: '',
      oauthHost: 'https://app.hellosign.com',
      clientAuth: 'basic',
    });
  });

  it('gives the copy no token state: no access token, no error, nothing of the source', () => {
    const { data } = succeeded(duplicateProfile(threeProfiles(), 'p-a', 'p-copy'));
    expect(data.tokens).not.toHaveProperty('p-copy');
    expect(data.tokens).toEqual(threeProfiles().tokens);
    expect(JSON.stringify(data.profiles[1])).not.toContain('rt-p-a');
  });

  it('names further copies “copy 2”, “copy 3”, also when a copy is copied', () => {
    let data = succeeded(duplicateProfile(threeProfiles(), 'p-a', 'p-copy')).data;
    data = succeeded(duplicateProfile(data, 'p-a', 'p-copy-2')).data;
    data = succeeded(duplicateProfile(data, 'p-copy', 'p-copy-3')).data;
    expect(data.profiles.map((p) => p.name)).toEqual([
      'Production',
      'Production copy 2',
      'Production copy',
      'Production copy 3',
      'Staging',
      'Local',
    ]);
  });

  it('keeps a copy of a profile still to be reviewed still to be reviewed', () => {
    const before = deepFreeze({
      ...threeProfiles(),
      profiles: [profile('p-a', { name: 'Production', needsReview: true })],
    });
    const { data } = succeeded(duplicateProfile(before, 'p-a', 'p-copy'));
    expect(data.profiles[1]?.needsReview).toBe(true);
  });

  it('keeps it so through a sealed write and read: its bound fields are not sealed unseen', () => {
    const before = deepFreeze({
      ...threeProfiles(),
      profiles: [profile('p-a', { name: 'Production', needsReview: true }), profile('p-b')],
    });
    const { data } = succeeded(duplicateProfile(before, 'p-a', 'p-copy'));
    const { clear, secrets } = splitSecrets(data);
    expect(secrets.profiles['p-copy']).toEqual({ clientSecret: 'secret-p-a', refreshToken: '' });
    const reread = mergeSecrets(clear, structuredClone(secrets)).data;
    expect(reread.profiles.map((p) => [p.id, p.needsReview])).toEqual([
      ['p-a', true],
      ['p-copy', true],
      ['p-b', undefined],
    ]);
  });

  it('adds no needsReview to a copy of a reviewed profile', () => {
    const { data } = succeeded(duplicateProfile(threeProfiles(), 'p-a', 'p-copy'));
    expect(data.profiles[1]).not.toHaveProperty('needsReview');
  });

  it('refuses an unknown source, saying what happened', () => {
    const result = duplicateProfile(threeProfiles(), 'p-gone', 'p-copy');
    expect(result).toEqual({
      ok: false,
      kind: 'unknown_profile',
      problem: expect.stringMatching(/no longer exists.*Nothing was changed/) as unknown,
    });
  });

  it('refuses a new id that is already used', () => {
    expect(duplicateProfile(threeProfiles(), 'p-a', 'p-c')).toMatchObject({ ok: false, kind: 'id_taken' });
  });
});

describe('renameProfile', () => {
  it('stores the name trimmed and changes nothing else', () => {
    const before = threeProfiles();
    const { data, profileId } = succeeded(renameProfile(before, 'p-c', '  Sandbox  '));
    expect(profileId).toBe('p-c');
    expect(data).toEqual({
      ...before,
      profiles: [before.profiles[0], before.profiles[1], { ...before.profiles[2], name: 'Sandbox' }],
    });
  });

  it('accepts a change of case of its own name', () => {
    expect(succeeded(renameProfile(threeProfiles(), 'p-a', 'PRODUCTION')).data.profiles[0]?.name).toBe(
      'PRODUCTION',
    );
  });

  it(`accepts exactly ${MAX_NAME_LENGTH} characters`, () => {
    const name = 'n'.repeat(MAX_NAME_LENGTH);
    expect(succeeded(renameProfile(threeProfiles(), 'p-a', name)).data.profiles[0]?.name).toBe(name);
  });

  it('refuses an empty name, saying to enter one', () => {
    for (const name of ['', '   ', '\n\t']) {
      expect(renameProfile(threeProfiles(), 'p-a', name)).toEqual({
        ok: false,
        kind: 'name_empty',
        problem: 'Enter a name for the profile. Nothing was changed.',
      });
    }
  });

  it(`refuses a name over ${MAX_NAME_LENGTH} characters, saying the limit`, () => {
    const result = renameProfile(threeProfiles(), 'p-a', 'n'.repeat(MAX_NAME_LENGTH + 1));
    expect(result).toEqual({
      ok: false,
      kind: 'name_too_long',
      problem: `Use at most ${MAX_NAME_LENGTH} characters for the name (this one has ${MAX_NAME_LENGTH + 1}). Nothing was changed.`,
    });
  });

  it('refuses another profile’s name, whatever its case and spaces, naming that profile', () => {
    const result = renameProfile(threeProfiles(), 'p-a', '  staging ');
    expect(result).toEqual({
      ok: false,
      kind: 'name_taken',
      problem: 'Another profile is already called “Staging”. Choose a different name. Nothing was changed.',
    });
  });

  it('keeps a profile still to be reviewed so: a new name confirms nothing about its host', () => {
    const before = deepFreeze({ ...threeProfiles(), profiles: [profile('p-a', { needsReview: true })] });
    expect(succeeded(renameProfile(before, 'p-a', 'Renamed')).data.profiles[0]?.needsReview).toBe(true);
  });

  it('refuses an unknown profile', () => {
    expect(renameProfile(threeProfiles(), 'p-gone', 'X')).toMatchObject({
      ok: false,
      kind: 'unknown_profile',
    });
  });
});

describe('deleteProfile', () => {
  it('removes the profile and its token state, and returns both for Undo', () => {
    const before = threeProfiles();
    const { data, profileId, removed } = succeeded(deleteProfile(before, 'p-a'));
    expect(profileId).toBe('p-a');
    expect(ids(data)).toEqual(['p-b', 'p-c']);
    expect(data.tokens).toEqual({ 'p-c': TOKEN_C });
    expect(data.activeProfileId).toBe('p-b');
    expect(removed).toEqual({ profile: before.profiles[0], token: TOKEN_A, index: 0, wasActive: false });
  });

  it('makes the next profile active when the active one goes', () => {
    const { data, removed } = succeeded(deleteProfile(threeProfiles(), 'p-b'));
    expect(data.activeProfileId).toBe('p-c');
    expect(removed).toEqual({ profile: threeProfiles().profiles[1], index: 1, wasActive: true });
    expect(removed).not.toHaveProperty('token');
  });

  it('makes the previous profile active when the active one was the last', () => {
    const before = deepFreeze({ ...threeProfiles(), activeProfileId: 'p-c' });
    expect(succeeded(deleteProfile(before, 'p-c')).data.activeProfileId).toBe('p-b');
  });

  it('leaves no profile active when the last one goes', () => {
    let data = threeProfiles();
    for (const id of ['p-b', 'p-c', 'p-a']) data = succeeded(deleteProfile(data, id)).data;
    expect(data).toEqual({ ...threeProfiles(), activeProfileId: null, profiles: [], tokens: {} });
  });

  it('refuses an unknown profile', () => {
    expect(deleteProfile(threeProfiles(), 'p-gone')).toMatchObject({ ok: false, kind: 'unknown_profile' });
  });
});

describe('restoreProfile', () => {
  it.each(['p-a', 'p-b', 'p-c'])('gives back exactly the data there was after deleting %s', (id) => {
    const before = threeProfiles();
    const { data, removed } = succeeded(deleteProfile(before, id));
    const restored = succeeded(restoreProfile(data, removed));
    expect(restored.data).toEqual(before);
    expect(restored.profileId).toBe(id);
  });

  it(
    'undoes any delete, on any list, to deep-equal data (property)',
    () => {
      const profileArb = fc.record({
        name: fc.string({ maxLength: 8 }),
        refreshToken: fc.string({ maxLength: 4 }),
        needsReview: fc.boolean(),
        hasToken: fc.boolean(),
      });
      fc.assert(
        fc.property(
          fc.array(profileArb, { minLength: 1, maxLength: 6 }),
          fc.nat(),
          fc.nat(),
          (specs, pick, activePick) => {
            // Names as stored ones are: unique, trimmed, never empty.
            const profiles = specs.map((spec, i) =>
              profile(`p-${i}`, {
                name: `${spec.name.trim() || 'n'} #${i}`,
                refreshToken: spec.refreshToken,
                ...(spec.needsReview ? { needsReview: true } : {}),
              }),
            );
            const tokens: Record<string, TokenState> = {};
            specs.forEach((spec, i) => {
              if (spec.hasToken) tokens[`p-${i}`] = { ...TOKEN_A, accessToken: `at-${i}` };
            });
            const before = deepFreeze<StoredData>({
              schemaVersion: CURRENT_SCHEMA_VERSION,
              activeProfileId: profiles[activePick % profiles.length]?.id ?? null,
              profiles,
              tokens,
            });
            const id = profiles[pick % profiles.length]?.id ?? '';
            const { data, removed } = succeeded(deleteProfile(before, id));
            expect(succeeded(restoreProfile(data, removed)).data).toEqual(before);
          },
        ),
        { numRuns: 300 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it('refuses when a profile with its id exists (restored already), changing nothing', () => {
    const { data, removed } = succeeded(deleteProfile(threeProfiles(), 'p-a'));
    const once = succeeded(restoreProfile(data, removed)).data;
    const twice = restoreProfile(once, removed);
    expect(twice).toEqual({
      ok: false,
      kind: 'id_taken',
      problem: '“Production” is already back in the list. Nothing was changed.',
    });
  });

  it('makes the name unique when another profile took it meanwhile', () => {
    const { data, removed } = succeeded(deleteProfile(threeProfiles(), 'p-a'));
    const renamed = succeeded(renameProfile(data, 'p-c', 'production')).data;
    const restored = succeeded(restoreProfile(renamed, removed)).data;
    expect(restored.profiles.map((p) => p.name)).toEqual(['Production 2', 'Staging', 'production']);
  });

  it('puts it at the end when the list got shorter than its place', () => {
    const { data, removed } = succeeded(deleteProfile(threeProfiles(), 'p-c'));
    const shorter = succeeded(deleteProfile(data, 'p-a')).data;
    expect(ids(succeeded(restoreProfile(shorter, removed)).data)).toEqual(['p-b', 'p-c']);
  });

  it('makes it active again only if it was', () => {
    const { data: afterActive, removed: active } = succeeded(deleteProfile(threeProfiles(), 'p-b'));
    const switched = succeeded(switchProfile(afterActive, 'p-a')).data;
    expect(succeeded(restoreProfile(switched, active)).data.activeProfileId).toBe('p-b');
    const { data: afterOther, removed: other } = succeeded(deleteProfile(threeProfiles(), 'p-c'));
    const restored = succeeded(restoreProfile(afterOther, other));
    expect(restored.data.activeProfileId).toBe('p-b');
    expect(restored.profileId).toBe('p-c');
  });

  it('makes it active when no profile is active', () => {
    const first = succeeded(deleteProfile(threeProfiles(), 'p-a'));
    let data = first.data;
    for (const id of ['p-b', 'p-c']) data = succeeded(deleteProfile(data, id)).data;
    expect(data.activeProfileId).toBeNull();
    expect(succeeded(restoreProfile(data, first.removed)).data.activeProfileId).toBe('p-a');
  });
});

describe('switchProfile', () => {
  it('makes the profile active and changes nothing else', () => {
    const before = threeProfiles();
    const { data, profileId } = succeeded(switchProfile(before, 'p-c'));
    expect(profileId).toBe('p-c');
    expect(data).toEqual({ ...before, activeProfileId: 'p-c' });
  });

  it('refuses an unknown profile', () => {
    expect(switchProfile(threeProfiles(), 'p-gone')).toMatchObject({ ok: false, kind: 'unknown_profile' });
  });
});

describe('isRemovedProfile', () => {
  it('accepts what deleteProfile returns, after structured cloning', () => {
    for (const id of ['p-a', 'p-b']) {
      const { removed } = succeeded(deleteProfile(threeProfiles(), id));
      expect(isRemovedProfile(structuredClone(removed))).toBe(true);
    }
  });

  it('accepts a profile still to be reviewed', () => {
    expect(
      isRemovedProfile({ profile: profile('p-a', { needsReview: true }), index: 0, wasActive: false }),
    ).toBe(true);
  });
});

describe('setAutoRefresh', () => {
  const PAUSED: TokenState = {
    ...TOKEN_A,
    lastError: { kind: 'invalid_grant', title: 'The refresh token was rejected', action: 'a', at: 1 },
    autoPaused: 'The refresh token was rejected',
  };

  /** Three profiles with A's automatic refresh as given and its token paused after a failure. */
  function withA(overrides: Partial<Profile>, token: TokenState = PAUSED): StoredData {
    const before = threeProfiles();
    return deepFreeze({
      ...before,
      profiles: before.profiles.map((p) => (p.id === 'p-a' ? { ...p, ...overrides } : p)),
      tokens: { ...before.tokens, 'p-a': token },
    });
  }

  it('turns it on with the default lead, which is not stored, and changes nothing else', () => {
    const before = threeProfiles();
    const { data, profileId } = succeeded(setAutoRefresh(before, 'p-a', true, 5));
    expect(profileId).toBe('p-a');
    expect(data.profiles[0]).toEqual({ ...profile('p-a', { name: 'Production' }), autoRefresh: true });
    expect(data.profiles[0]).not.toHaveProperty('leadMinutes');
    expect(data.profiles.slice(1)).toEqual(before.profiles.slice(1));
    expect(data.tokens).toEqual(before.tokens);
    expect(data.activeProfileId).toBe('p-b');
  });

  it('stores a lead other than the default', () => {
    const { data } = succeeded(setAutoRefresh(threeProfiles(), 'p-c', true, 10));
    expect(data.profiles[2]).toMatchObject({ id: 'p-c', autoRefresh: true, leadMinutes: 10 });
  });

  it('drops a stored lead when set back to the default', () => {
    const { data } = succeeded(setAutoRefresh(withA({ autoRefresh: true, leadMinutes: 30 }), 'p-a', true, 5));
    expect(data.profiles[0]).not.toHaveProperty('leadMinutes');
    expect(data.profiles[0]?.autoRefresh).toBe(true);
  });

  it('turns it off: no autoRefresh field at all, the lead kept for next time', () => {
    const { data } = succeeded(
      setAutoRefresh(withA({ autoRefresh: true, leadMinutes: 30 }), 'p-a', false, 30),
    );
    expect(data.profiles[0]).not.toHaveProperty('autoRefresh');
    expect(data.profiles[0]?.leadMinutes).toBe(30);
  });

  it('clears a pause and the retry count when turning it on, keeping the rest of the token state', () => {
    const { data } = succeeded(setAutoRefresh(withA({}, { ...PAUSED, autoRetries: 3 }), 'p-a', true, 5));
    const { autoPaused: _paused, ...kept } = PAUSED;
    expect(data.tokens['p-a']).toEqual(kept);
    expect(data.tokens['p-c']).toEqual(TOKEN_C);
  });

  it('keeps a pause when turning it off', () => {
    const { data } = succeeded(setAutoRefresh(withA({ autoRefresh: true }), 'p-a', false, 5));
    expect(data.tokens['p-a']).toEqual(PAUSED);
  });

  it('keeps a retry count when turning it off', () => {
    const retrying = { ...TOKEN_A, autoRetries: 2 };
    const { data } = succeeded(setAutoRefresh(withA({ autoRefresh: true }, retrying), 'p-a', false, 5));
    expect(data.tokens['p-a']).toEqual(retrying);
  });

  it('turns it on for a profile without token state, adding none', () => {
    const { data } = succeeded(setAutoRefresh(threeProfiles(), 'p-b', true, 5));
    expect(data.tokens).not.toHaveProperty('p-b');
  });

  it('refuses an unknown profile and changes nothing', () => {
    expect(setAutoRefresh(threeProfiles(), 'p-gone', true, 5)).toMatchObject({
      ok: false,
      kind: 'unknown_profile',
      problem: expect.stringMatching(/no longer exists/) as unknown,
    });
  });
});

describe('duplicateProfile and automatic refresh', () => {
  it('copies the setting and its lead, but not the token state, a pause or a retry count', () => {
    const before = deepFreeze({
      ...threeProfiles(),
      profiles: [profile('p-a', { name: 'Production', autoRefresh: true, leadMinutes: 12 })],
      tokens: { 'p-a': { ...TOKEN_A, autoRetries: 2, autoPaused: 'The refresh token was rejected' } },
    });
    const { data } = succeeded(duplicateProfile(before, 'p-a', 'p-copy'));
    expect(data.profiles[1]).toEqual({
      id: 'p-copy',
      name: 'Production copy',
      clientId: 'cid-p-a',
      clientSecret: 'secret-p-a',
      refreshToken: '',
      oauthHost: 'https://app.hellosign.com',
      clientAuth: 'basic',
      autoRefresh: true,
      leadMinutes: 12,
    });
    expect(data.tokens).not.toHaveProperty('p-copy');
  });

  it('adds neither field to a copy of a profile with it off', () => {
    const { data } = succeeded(duplicateProfile(threeProfiles(), 'p-a', 'p-copy'));
    expect(data.profiles[1]).not.toHaveProperty('autoRefresh');
    expect(data.profiles[1]).not.toHaveProperty('leadMinutes');
  });
});

describe('isRemovedProfile and automatic refresh', () => {
  it('accepts a profile with automatic refresh and a paused, retried token', () => {
    const removed = {
      profile: profile('p-a', { autoRefresh: true, leadMinutes: 60 }),
      token: { ...TOKEN_A, autoRetries: 1, autoPaused: 'The refresh token was rejected' },
      index: 0,
      wasActive: false,
    };
    expect(isRemovedProfile(structuredClone(removed))).toBe(true);
  });

  it.each<[string, Record<string, unknown>]>([
    ['autoRefresh false', { autoRefresh: false }],
    ['autoRefresh as text', { autoRefresh: 'true' }],
    ['lead 0', { leadMinutes: 0 }],
    ['lead 61', { leadMinutes: 61 }],
    ['lead 2.5', { leadMinutes: 2.5 }],
    ['lead as text', { leadMinutes: '5' }],
  ])('refuses a profile with %s', (_label, change) => {
    expect(isRemovedProfile({ profile: { ...profile('p-a'), ...change }, index: 0, wasActive: false })).toBe(
      false,
    );
  });
});

describe('deleteProfile and the refresh history', () => {
  const line = (at: number): HistoryEntry => ({
    at,
    kind: 'refresh',
    ok: true,
    status: 200,
    outcome: 'New token',
    expiresIn: 3600,
    refreshTokenChanged: true,
    accessTokenEnd: 'abcd',
  });
  const withHistory = (): StoredData =>
    deepFreeze({
      ...threeProfiles(),
      history: {
        'p-a': [line(1_736_942_400_000)],
        'p-b': [line(1_736_942_500_000), line(1_736_942_400_000)],
      },
    });

  it('drops the deleted profile’s history and keeps the others’', () => {
    const { data } = succeeded(deleteProfile(withHistory(), 'p-a'));
    expect(data.history).toEqual({ 'p-b': withHistory().history?.['p-b'] });
  });

  it('drops it when it was the active profile too', () => {
    const { data } = succeeded(deleteProfile(withHistory(), 'p-b'));
    expect(data.history).toEqual({ 'p-a': withHistory().history?.['p-a'] });
  });

  it('changes nothing of the others’ history for a profile that has none', () => {
    const { data } = succeeded(deleteProfile(withHistory(), 'p-c'));
    expect(data.history).toEqual(withHistory().history);
  });

  it('does not change the data it is given (deep-frozen) and puts no history in what Undo needs', () => {
    const before = withHistory();
    const { removed } = succeeded(deleteProfile(before, 'p-a'));
    expect(before.history?.['p-a']).toHaveLength(1);
    expect(JSON.stringify(removed)).not.toContain('New token');
    expect(isRemovedProfile(structuredClone(removed))).toBe(true);
  });

  it('is not undone: Undo brings back the profile and its token, not its history', () => {
    const { data, removed } = succeeded(deleteProfile(withHistory(), 'p-a'));
    const restored = succeeded(restoreProfile(data, removed)).data;
    expect(restored.profiles).toEqual(withHistory().profiles);
    expect(restored.tokens).toEqual(withHistory().tokens);
    expect(restored.history).not.toHaveProperty('p-a');
    expect(restored.history?.['p-b']).toHaveLength(2);
  });

  it('drops the history from the sealed part too, once the result is written with a vault', () => {
    const { data } = succeeded(deleteProfile(withHistory(), 'p-a'));
    const { secrets } = splitSecrets(data);
    expect(secrets.history).not.toHaveProperty('p-a');
    expect(mergeSecrets(splitSecrets(data).clear, structuredClone(secrets)).data.history).toEqual(
      data.history,
    );
  });

  it('a duplicate starts with no history of its own', () => {
    const { data } = succeeded(duplicateProfile(withHistory(), 'p-a', 'p-copy'));
    expect(data.history).not.toHaveProperty('p-copy');
    expect(data.history).toEqual(withHistory().history);
  });
});

describe('profile operations and the API host', () => {
  const custom = 'https://sign-api.example.test';

  it('Undo of a profile with its own API host is accepted and gives the API host back', () => {
    const before = deepFreeze<StoredData>({
      ...threeProfiles(),
      profiles: [
        profile('p-a', { name: 'Production', apiHost: custom }),
        ...threeProfiles().profiles.slice(1),
      ],
    });
    const { data, removed } = succeeded(deleteProfile(before, 'p-a'));
    // What the popup sends back for Undo is checked with this before the worker restores it.
    expect(isRemovedProfile(structuredClone(removed))).toBe(true);
    expect(succeeded(restoreProfile(data, removed)).data).toEqual(before);
  });

  it('refuses an API host that is not text in what comes back for Undo', () => {
    expect(
      isRemovedProfile({ profile: { ...profile('p-a'), apiHost: 42 }, index: 0, wasActive: false }),
    ).toBe(false);
  });

  it('a duplicate keeps the source’s API host, as it keeps its OAuth host', () => {
    const before = deepFreeze<StoredData>({
      ...threeProfiles(),
      profiles: [
        profile('p-a', { name: 'Production', apiHost: custom }),
        ...threeProfiles().profiles.slice(1),
      ],
    });
    const { data } = succeeded(duplicateProfile(before, 'p-a', 'p-copy'));
    expect(data.profiles[1]).toMatchObject({ id: 'p-copy', apiHost: custom });
  });
});
