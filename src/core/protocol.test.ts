import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEnvelope } from './protocol';

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
  ])('rejects %s', (_label, raw) => {
    expect(parseEnvelope(raw)).toBeUndefined();
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
                    'toString',
                    '__proto__',
                  ),
                  fc.string(),
                ),
                payload: fc.oneof(
                  fc.anything(),
                  fc.record({ profileId: fc.anything() }, { requiredKeys: [] }),
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
            ]).toContain(envelope.type);
            expect(typeof envelope.payload).toBe('object');
            expect(envelope.payload).not.toBeNull();
            if (envelope.type === 'refresh') {
              const { profileId } = envelope.payload as { profileId: unknown };
              expect(typeof profileId === 'string' && profileId.length > 0).toBe(true);
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
