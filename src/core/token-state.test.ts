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

  it.each<[string, unknown]>([
    ['0', 0],
    ['negative', -1],
    ['fractional', 1.5],
    ['text', '2'],
    ['NaN', Number.NaN],
    ['Infinity', Infinity],
    ['absurdly large', 1e9],
  ])('drops a retry count that is %s, and says the state was damaged', (_label, autoRetries) => {
    expect(readTokenState({ accessToken: 'at', autoRetries })).toEqual({
      token: { accessToken: 'at' },
      damaged: true,
    });
  });

  it('reads back retry counts 1 and 999', () => {
    for (const autoRetries of [1, 999]) {
      expect(readTokenState({ autoRetries })).toEqual({ token: { autoRetries }, damaged: false });
    }
  });

  it.each<[string, unknown]>([
    ['true', true],
    ['a number', 1],
    ['an object', { title: 'x' }],
    ['null', null],
  ])('drops a pause that is %s, and says the state was damaged', (_label, autoPaused) => {
    expect(readTokenState({ accessToken: 'at', autoPaused })).toEqual({
      token: { accessToken: 'at' },
      damaged: true,
    });
  });

  it('reads back a pause with an empty reason as a pause', () => {
    expect(readTokenState({ autoPaused: '' })).toEqual({ token: { autoPaused: '' }, damaged: false });
  });
});
