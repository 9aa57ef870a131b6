import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEnvelope, type RemovedProfile } from './protocol';

/** Property runs take a few hundred ms alone, but can be slow on a busy machine: never a flaky timeout. */
const PROPERTY_TIMEOUT_MS = 60_000;

const profile = {
  name: 'Production',
  clientId: 'cid',
  clientSecret: 'secret',
  refreshToken: 'rt',
  oauthHost: 'https://app.hellosign.com',
  clientAuth: 'body',
};

const removed: RemovedProfile = {
  profile: { ...profile, id: 'p-1', clientAuth: 'basic' },
  token: {
    accessToken: 'at',
    tokenType: 'Bearer',
    receivedAt: 1_736_942_400_000,
    expiresAt: 1_737_028_800_000,
    warnings: ['basic_account_info'],
    lastError: { kind: 'invalid_grant', title: 't', action: 'a', status: 400, at: 1_736_942_400_000 },
    lastRequest: 'POST …',
    lastAttemptAt: 1_736_942_400_000,
  },
  index: 2,
  wasActive: true,
};

/** `record` with some fields replaced; a field given as undefined is left out. */
function changed(record: object, change: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries({ ...record, ...change }).filter(([, v]) => v !== undefined));
}

const removedWith = (change: Record<string, unknown>) => changed(removed, change);
const removedProfileWith = (change: Record<string, unknown>) =>
  removedWith({ profile: changed(removed.profile, change) });

describe('parseEnvelope', () => {
  it('accepts getSnapshot with an empty payload', () => {
    expect(parseEnvelope({ type: 'getSnapshot', payload: {} })).toEqual({ type: 'getSnapshot', payload: {} });
  });

  it('accepts getSnapshot without a payload, reading it as an empty one', () => {
    expect(parseEnvelope({ type: 'getSnapshot' })).toEqual({ type: 'getSnapshot', payload: {} });
    expect(parseEnvelope({ type: 'getSnapshot', payload: null })).toEqual({
      type: 'getSnapshot',
      payload: {},
    });
  });

  it('accepts saveProfile with a profile of string fields', () => {
    const message = { type: 'saveProfile', payload: { profile } };
    expect(parseEnvelope(message)).toEqual(message);
  });

  it('accepts saveProfile for an existing profile, with its id', () => {
    const message = { type: 'saveProfile', payload: { profile: { ...profile, id: 'p-1' } } };
    expect(parseEnvelope(message)).toEqual(message);
  });

  it('accepts refresh with a profile id', () => {
    expect(parseEnvelope({ type: 'refresh', payload: { profileId: 'p-1' } })).toEqual({
      type: 'refresh',
      payload: { profileId: 'p-1' },
    });
  });

  it.each([
    ['unlockVault', { passphrase: 'correct horse' }],
    ['lockVault', {}],
    ['setPassphrase', { passphrase: 'correct horse' }],
    ['setPassphrase', { passphrase: 'new horse', currentPassphrase: 'correct horse' }],
    ['removePassphrase', { passphrase: 'correct horse' }],
  ])('accepts %s with %o', (type, payload) => {
    expect(parseEnvelope({ type, payload })).toEqual({ type, payload });
  });

  it.each([
    ['createProfile', {}],
    ['duplicateProfile', { profileId: 'p-1' }],
    ['renameProfile', { profileId: 'p-1', name: 'Sandbox' }],
    ['renameProfile', { profileId: 'p-1', name: '' }],
    ['deleteProfile', { profileId: 'p-1' }],
    ['restoreProfile', { removed }],
    ['restoreProfile', { removed: removedWith({ token: undefined, index: 0, wasActive: false }) }],
    ['restoreProfile', { removed: removedWith({ token: {} }) }],
    ['restoreProfile', { removed: removedProfileWith({ needsReview: true }) }],
    ['switchProfile', { profileId: 'p-1' }],
  ])('accepts %s with %o', (type, payload) => {
    expect(parseEnvelope({ type, payload })).toEqual({ type, payload });
  });

  it('accepts createProfile without a payload', () => {
    expect(parseEnvelope({ type: 'createProfile' })).toEqual({ type: 'createProfile', payload: {} });
  });

  it('accepts restoreProfile after structured cloning, as runtime messaging does', () => {
    const message = structuredClone({ type: 'restoreProfile', payload: { removed } });
    expect(parseEnvelope(message)).toEqual(message);
  });

  it('accepts a message that went through structured cloning, as runtime messaging does', () => {
    const message = structuredClone({ type: 'saveProfile', payload: { profile } });
    expect(parseEnvelope(message)).toEqual(message);
  });

  it.each([
    ['an unknown type', { type: 'deleteEverything', payload: {} }],
    ['a type in another case', { type: 'Refresh', payload: { profileId: 'p-1' } }],
    ['a missing type', { payload: {} }],
    ['a non-string type', { type: 1, payload: {} }],
    ['the prototype key toString', { type: 'toString', payload: {} }],
    ['the prototype key __proto__', { type: '__proto__', payload: {} }],
    ['the prototype key constructor', { type: 'constructor', payload: {} }],
    ['the prototype key hasOwnProperty', { type: 'hasOwnProperty', payload: {} }],
    ['the prototype key valueOf', { type: 'valueOf', payload: {} }],
  ])('rejects %s', (_label, raw) => {
    expect(parseEnvelope(raw)).toBeUndefined();
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'refresh'],
    ['a number', 7],
    ['a list', [{ type: 'getSnapshot' }]],
  ])('rejects a message that is %s', (_label, raw) => {
    expect(parseEnvelope(raw)).toBeUndefined();
  });

  it.each([
    ['a string payload', { type: 'getSnapshot', payload: 'x' }],
    ['a list payload', { type: 'getSnapshot', payload: [] }],
    ['saveProfile without a payload', { type: 'saveProfile' }],
    ['saveProfile without a profile', { type: 'saveProfile', payload: {} }],
    ['saveProfile with a non-object profile', { type: 'saveProfile', payload: { profile: 'x' } }],
    ['saveProfile with a list profile', { type: 'saveProfile', payload: { profile: [] } }],
    [
      'saveProfile with a non-string field',
      { type: 'saveProfile', payload: { profile: { ...profile, clientAuth: 1 } } },
    ],
    [
      'saveProfile with a nested object field',
      { type: 'saveProfile', payload: { profile: { ...profile, name: {} } } },
    ],
    ['refresh without a payload', { type: 'refresh' }],
    ['refresh without a profile id', { type: 'refresh', payload: {} }],
    ['refresh with an empty profile id', { type: 'refresh', payload: { profileId: '' } }],
    ['refresh with a numeric profile id', { type: 'refresh', payload: { profileId: 1 } }],
    ['unlockVault without a passphrase', { type: 'unlockVault', payload: {} }],
    ['unlockVault with a numeric passphrase', { type: 'unlockVault', payload: { passphrase: 12345678 } }],
    ['setPassphrase without a passphrase', { type: 'setPassphrase', payload: { currentPassphrase: 'x' } }],
    [
      'setPassphrase with a non-string current passphrase',
      { type: 'setPassphrase', payload: { passphrase: 'correct horse', currentPassphrase: null } },
    ],
    ['removePassphrase without a passphrase', { type: 'removePassphrase' }],
    ['removePassphrase with a list passphrase', { type: 'removePassphrase', payload: { passphrase: [] } }],
    ['createProfile with a list payload', { type: 'createProfile', payload: [] }],
    ...(['duplicateProfile', 'deleteProfile', 'switchProfile'] as const).flatMap(
      (type): [string, unknown][] => [
        [`${type} without a payload`, { type }],
        [`${type} without a profile id`, { type, payload: {} }],
        [`${type} with an empty profile id`, { type, payload: { profileId: '' } }],
        [`${type} with a numeric profile id`, { type, payload: { profileId: 1 } }],
        [`${type} with a list profile id`, { type, payload: { profileId: ['p-1'] } }],
      ],
    ),
    ['renameProfile without a name', { type: 'renameProfile', payload: { profileId: 'p-1' } }],
    ['renameProfile with a null name', { type: 'renameProfile', payload: { profileId: 'p-1', name: null } }],
    ['renameProfile with an object name', { type: 'renameProfile', payload: { profileId: 'p-1', name: {} } }],
    ['renameProfile without a profile id', { type: 'renameProfile', payload: { name: 'X' } }],
    [
      'renameProfile with an empty profile id',
      { type: 'renameProfile', payload: { profileId: '', name: 'X' } },
    ],
    ['restoreProfile without a payload', { type: 'restoreProfile' }],
    ['restoreProfile without removed', { type: 'restoreProfile', payload: {} }],
    ['restoreProfile with a null removed', { type: 'restoreProfile', payload: { removed: null } }],
    ['restoreProfile with a list removed', { type: 'restoreProfile', payload: { removed: [removed] } }],
    ['restoreProfile with a string removed', { type: 'restoreProfile', payload: { removed: 'p-1' } }],
  ])('rejects %s', (_label, raw) => {
    expect(parseEnvelope(raw)).toBeUndefined();
  });

  it.each<[string, Record<string, unknown>]>([
    ['without a profile', removedWith({ profile: undefined })],
    ['with a list profile', removedWith({ profile: [removed.profile] })],
    ['without an index', removedWith({ index: undefined })],
    ['with a negative index', removedWith({ index: -1 })],
    ['with a fractional index', removedWith({ index: 1.5 })],
    ['with an infinite index', removedWith({ index: Infinity })],
    ['with a NaN index', removedWith({ index: NaN })],
    ['with a string index', removedWith({ index: '0' })],
    ['without wasActive', removedWith({ wasActive: undefined })],
    ['with a string wasActive', removedWith({ wasActive: 'true' })],
    ['with a numeric wasActive', removedWith({ wasActive: 1 })],
    ['with an unknown field', removedWith({ extra: 'x' })],
    ['with a null token', removedWith({ token: null })],
    ['with a string token', removedWith({ token: 'at' })],
    ['with a list token', removedWith({ token: [] })],
    ['with a token field of the wrong type', removedWith({ token: { ...removed.token, expiresAt: '1' } })],
    ['with a token of an unknown field', removedWith({ token: { ...removed.token, refreshToken: 'x' } })],
    ['with a token whose error is a string', removedWith({ token: { lastError: 'invalid_grant' } })],
    ['with a token time Date cannot show', removedWith({ token: { receivedAt: 1e300 } })],
    ['with a profile without an id', removedProfileWith({ id: undefined })],
    ['with a profile with an empty id', removedProfileWith({ id: '' })],
    ['with a profile with a numeric id', removedProfileWith({ id: 1 })],
    ...(['name', 'clientId', 'clientSecret', 'refreshToken', 'oauthHost'] as const).flatMap(
      (field): [string, Record<string, unknown>][] => [
        [`with a profile without ${field}`, removedProfileWith({ [field]: undefined })],
        [`with a profile whose ${field} is a number`, removedProfileWith({ [field]: 7 })],
        [`with a profile whose ${field} is an object`, removedProfileWith({ [field]: {} })],
      ],
    ),
    ['with a profile without clientAuth', removedProfileWith({ clientAuth: undefined })],
    ['with a profile of an unknown clientAuth', removedProfileWith({ clientAuth: 'header' })],
    ['with a profile whose clientAuth is in another case', removedProfileWith({ clientAuth: 'Body' })],
    ['with a profile whose needsReview is false', removedProfileWith({ needsReview: false })],
    ['with a profile whose needsReview is a string', removedProfileWith({ needsReview: 'true' })],
    ['with a profile of an unknown field', removedProfileWith({ accessToken: 'x' })],
  ])('rejects restoreProfile with a removed profile %s', (_label, malformed) => {
    expect(parseEnvelope({ type: 'restoreProfile', payload: { removed: malformed } })).toBeUndefined();
  });

  it(
    'never throws, and only returns known messages with object payloads (property)',
    () => {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.anything(),
            fc.record(
              {
                type: fc.oneof(
                  fc.constantFrom(
                    'getSnapshot',
                    'saveProfile',
                    'refresh',
                    'unlockVault',
                    'setPassphrase',
                    'createProfile',
                    'duplicateProfile',
                    'renameProfile',
                    'deleteProfile',
                    'restoreProfile',
                    'switchProfile',
                    'toString',
                    '__proto__',
                  ),
                  fc.string(),
                ),
                payload: fc.oneof(
                  fc.anything(),
                  fc.record({ profileId: fc.anything() }, { requiredKeys: [] }),
                  fc.record({ profileId: fc.anything(), name: fc.anything() }, { requiredKeys: [] }),
                  fc.record({ removed: fc.oneof(fc.constant(removed), fc.anything()) }, { requiredKeys: [] }),
                  fc.record(
                    { passphrase: fc.oneof(fc.string(), fc.anything()), currentPassphrase: fc.anything() },
                    { requiredKeys: [] },
                  ),
                  fc.record({ profile: fc.oneof(fc.dictionary(fc.string(), fc.string()), fc.anything()) }),
                ),
              },
              { requiredKeys: [] },
            ),
          ),
          (raw) => {
            const envelope = parseEnvelope(raw);
            if (envelope === undefined) return;
            expect([
              'getSnapshot',
              'saveProfile',
              'refresh',
              'unlockVault',
              'lockVault',
              'setPassphrase',
              'removePassphrase',
              'createProfile',
              'duplicateProfile',
              'renameProfile',
              'deleteProfile',
              'restoreProfile',
              'switchProfile',
            ]).toContain(envelope.type);
            expect(typeof envelope.payload).toBe('object');
            expect(envelope.payload).not.toBeNull();
            if (
              ['refresh', 'duplicateProfile', 'renameProfile', 'deleteProfile', 'switchProfile'].includes(
                envelope.type,
              )
            ) {
              const { profileId } = envelope.payload as { profileId: unknown };
              expect(typeof profileId === 'string' && profileId.length > 0).toBe(true);
            }
            if (envelope.type === 'renameProfile') {
              expect(typeof (envelope.payload as { name: unknown }).name).toBe('string');
            }
            if (envelope.type === 'restoreProfile') {
              expect((envelope.payload as { removed: unknown }).removed).toEqual(removed);
            }
            if (envelope.type === 'unlockVault' || envelope.type === 'setPassphrase') {
              const { passphrase, currentPassphrase } = envelope.payload as Record<string, unknown>;
              expect(typeof passphrase).toBe('string');
              if (envelope.type === 'setPassphrase') {
                expect(currentPassphrase === undefined || typeof currentPassphrase === 'string').toBe(true);
              }
            }
            if (envelope.type === 'saveProfile') {
              const fields = Object.values((envelope.payload as { profile: object }).profile);
              expect(fields.every((v) => typeof v === 'string')).toBe(true);
            }
          },
        ),
        { numRuns: 1000 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

describe('parseEnvelope: setAutoRefresh', () => {
  it.each([
    { profileId: 'p-1', enabled: true, leadMinutes: 5 },
    { profileId: 'p-1', enabled: false, leadMinutes: 5 },
    { profileId: 'p-1', enabled: true, leadMinutes: 1 },
    { profileId: 'p-1', enabled: true, leadMinutes: 60 },
  ])('accepts %o', (payload) => {
    const message = { type: 'setAutoRefresh', payload };
    expect(parseEnvelope(structuredClone(message))).toEqual(message);
  });

  it.each<[string, unknown]>([
    ['without a payload', undefined],
    ['without a profile id', { enabled: true, leadMinutes: 5 }],
    ['with an empty profile id', { profileId: '', enabled: true, leadMinutes: 5 }],
    ['with a numeric profile id', { profileId: 1, enabled: true, leadMinutes: 5 }],
    ['without enabled', { profileId: 'p-1', leadMinutes: 5 }],
    ['with enabled as text', { profileId: 'p-1', enabled: 'true', leadMinutes: 5 }],
    ['with enabled as 1', { profileId: 'p-1', enabled: 1, leadMinutes: 5 }],
    ['with enabled null', { profileId: 'p-1', enabled: null, leadMinutes: 5 }],
    ['without a lead', { profileId: 'p-1', enabled: true }],
    ['with lead 0', { profileId: 'p-1', enabled: true, leadMinutes: 0 }],
    ['with lead 61', { profileId: 'p-1', enabled: true, leadMinutes: 61 }],
    ['with lead 1.5', { profileId: 'p-1', enabled: true, leadMinutes: 1.5 }],
    ['with lead "5"', { profileId: 'p-1', enabled: true, leadMinutes: '5' }],
    ['with lead -5', { profileId: 'p-1', enabled: true, leadMinutes: -5 }],
    ['with lead NaN', { profileId: 'p-1', enabled: true, leadMinutes: Number.NaN }],
    ['with lead Infinity', { profileId: 'p-1', enabled: true, leadMinutes: Infinity }],
    ['with a list payload', [{ profileId: 'p-1', enabled: true, leadMinutes: 5 }]],
  ])('rejects one %s', (_label, payload) => {
    const raw = payload === undefined ? { type: 'setAutoRefresh' } : { type: 'setAutoRefresh', payload };
    expect(parseEnvelope(raw)).toBeUndefined();
  });

  it('accepts the automatic-refresh fields in a removed profile for Undo, and a paused token', () => {
    const payload = {
      removed: removedWith({
        profile: { ...removed.profile, autoRefresh: true, leadMinutes: 15 },
        token: { ...removed.token, autoRetries: 2, autoPaused: 'The refresh token was rejected' },
      }),
    };
    expect(parseEnvelope({ type: 'restoreProfile', payload })).toEqual({ type: 'restoreProfile', payload });
  });

  it.each<[string, Record<string, unknown>]>([
    ['a lead of 0 in the profile', { profile: { ...removed.profile, leadMinutes: 0 } }],
    ['autoRefresh false in the profile', { profile: { ...removed.profile, autoRefresh: false } }],
    ['a retry count of 0', { token: { ...removed.token, autoRetries: 0 } }],
    ['a fractional retry count', { token: { ...removed.token, autoRetries: 1.5 } }],
    ['a pause that is not text', { token: { ...removed.token, autoPaused: true } }],
  ])('rejects a removed profile with %s', (_label, change) => {
    expect(
      parseEnvelope({ type: 'restoreProfile', payload: { removed: removedWith(change) } }),
    ).toBeUndefined();
  });
});
