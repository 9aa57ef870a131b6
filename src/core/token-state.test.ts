import { describe, expect, expectTypeOf, it } from 'vitest';
import { failure } from './failures';
import type { IssuedToken } from './refresh-outcome';
import type { TokenState } from './token-state';

// token-state.ts holds a type only: these tests are checked by `tsc` and by a storage-like round trip.
describe('TokenState', () => {
  it('holds every field of an issued token it keeps, with the same types', () => {
    expectTypeOf<Pick<IssuedToken, 'accessToken' | 'tokenType' | 'receivedAt'>>().toExtend<TokenState>();
    expectTypeOf<TokenState['expiresAt']>().toEqualTypeOf<IssuedToken['expiresAt']>();
  });

  it('is entirely optional, so a profile that never refreshed has {}', () => {
    expectTypeOf<Record<string, never>>().toExtend<TokenState>();
  });

  it('survives a JSON round trip (storage.local) unchanged, failure included', () => {
    const state: TokenState = {
      accessToken: 'at',
      tokenType: 'Bearer',
      receivedAt: 1,
      expiresAt: 2,
      warnings: ['w'],
      lastError: failure('rate_limited', 3, { status: 429, retryAt: 4 }),
      lastAttemptAt: 3,
    };
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });
});
