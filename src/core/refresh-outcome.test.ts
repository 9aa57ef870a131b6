import { describe, expect, expectTypeOf, it } from 'vitest';
import { ALL_FAILURE_KINDS } from './fixtures/fixtures';
import type { IssuedToken, ParsedTokenResponse, RefreshFailure, RefreshFailureKind } from './refresh-outcome';

// refresh-outcome.ts holds types only: these tests are checked by `tsc` and prove the shapes callers rely on.
describe('refresh-outcome types', () => {
  it('narrows a parsed response on `ok` to a token or a failure', () => {
    const read = (parsed: ParsedTokenResponse) =>
      parsed.ok ? parsed.token.accessToken : parsed.failure.kind;
    expectTypeOf(read).returns.toEqualTypeOf<string>();
    expect(
      read({ ok: true, token: { accessToken: 'a', tokenType: 'Bearer', receivedAt: 0, warnings: [] } }),
    ).toBe('a');
  });

  it('lets a failure carry a returned refresh token, which a token carries inside itself', () => {
    expectTypeOf<Extract<ParsedTokenResponse, { ok: false }>['refreshToken']>().toEqualTypeOf<
      string | undefined
    >();
    expectTypeOf<IssuedToken['refreshToken']>().toEqualTypeOf<string | undefined>();
  });

  it('requires the plain words and the time on every failure', () => {
    expectTypeOf<RefreshFailure>().toHaveProperty('title').toEqualTypeOf<string>();
    expectTypeOf<RefreshFailure>().toHaveProperty('action').toEqualTypeOf<string>();
    expectTypeOf<RefreshFailure>().toHaveProperty('at').toEqualTypeOf<number>();
  });

  it('has 18 failure kinds, all listed in the test support', () => {
    expectTypeOf(ALL_FAILURE_KINDS).toEqualTypeOf<RefreshFailureKind[]>();
    expect(ALL_FAILURE_KINDS).toHaveLength(18);
    expect(new Set(ALL_FAILURE_KINDS).size).toBe(18);
  });
});
