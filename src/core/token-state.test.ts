import { describe, expect, it } from 'vitest';
import { failure } from './failures';
import { readTokenState, type TokenState } from './token-state';

describe('readTokenState', () => {
  it('reads back every field of a state as storage.local returns it, failure included, unchanged', () => {
    const state: Required<TokenState> = {
      accessToken: 'at',
      tokenType: 'Bearer',
      receivedAt: 1,
      expiresAt: 2,
      expiryNote: 'expires_in was read as an epoch time',
      warnings: ['w'],
      lastError: failure('rate_limited', 3, { status: 429, retryAt: 4, serverCode: 'exceeded_rate' }),
      lastRequest: 'POST https://app.hellosign.com/oauth/token?refresh',
      lastAttemptAt: 3,
      autoRetries: 2,
      autoPaused: 'The refresh token was rejected',
    };
    expect(readTokenState(structuredClone(state))).toEqual({ token: state, damaged: false });
  });
});
