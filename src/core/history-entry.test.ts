import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { failure, networkFailure, redirectFailure, timeoutFailure } from './failures';
import { isHistoryEntry, type HistoryKind } from './history';
import { historyEntryFor } from './history-entry';
import type { IssuedToken, ParsedTokenResponse } from './refresh-outcome';
import { parseTokenResponse } from './token-response';

/** Property runs take a few hundred ms alone, but can be slow on a busy machine: never a flaky timeout. */
const PROPERTY_TIMEOUT_MS = 60_000;

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const SENT = 'hNTI2MTFmM2VmZDQxZTZjOWRmZmFjZmVmMGMyNGFjMzI2MGI5YzgzNmE3';
const ROTATED = 'rotated-refresh-token-0123456789';
const ACCESS = 'MDZhYzBlMGI1YzQ0ZjI1ZjYzYmUyNmMzZWQ5ZGNmOGYyNmQxMmMyMmQ2NmNiY2M3WxYz';

/** A token as the parser gives it; an override of `undefined` leaves that field out. */
function issued(
  overrides: { [K in keyof IssuedToken]?: IssuedToken[K] | undefined } = {},
): ParsedTokenResponse {
  const token = {
    accessToken: ACCESS,
    tokenType: 'Bearer',
    receivedAt: NOW,
    expiresAt: NOW + 86_400_000,
    warnings: [],
    ...overrides,
  };
  const present = Object.entries(token).filter(([, value]) => value !== undefined);
  return { ok: true, token: Object.fromEntries(present) as unknown as IssuedToken };
}

describe('historyEntryFor a token', () => {
  it('records a refresh: when, kind, status, “New token”, the lifetime and the access token’s last four', () => {
    expect(historyEntryFor(issued({ refreshToken: ROTATED }), 'refresh', SENT, NOW + 5, 200)).toEqual({
      at: NOW + 5,
      kind: 'refresh',
      ok: true,
      status: 200,
      outcome: 'New token',
      expiresIn: 86_400,
      refreshTokenChanged: true,
      accessTokenEnd: 'WxYz',
    });
  });

  it('records an automatic refresh as such, with the same fields', () => {
    const entry = historyEntryFor(issued({ refreshToken: ROTATED }), 'automatic', SENT, NOW, 200);
    expect(entry).toMatchObject({
      kind: 'automatic',
      ok: true,
      outcome: 'New token',
      refreshTokenChanged: true,
    });
  });

  it('says the refresh token did not change when the server sent the same one back', () => {
    expect(
      historyEntryFor(issued({ refreshToken: SENT }), 'refresh', SENT, NOW, 200).refreshTokenChanged,
    ).toBe(false);
  });

  it('says the refresh token did not change when the answer carried none', () => {
    const entry = historyEntryFor(issued(), 'refresh', SENT, NOW, 200);
    expect(entry).toHaveProperty('refreshTokenChanged', false);
  });

  it('rounds the lifetime to whole seconds', () => {
    const entry = historyEntryFor(issued({ expiresAt: NOW + 3_599_600 }), 'refresh', SENT, NOW, 200);
    expect(entry.expiresIn).toBe(3600);
  });

  it('leaves the lifetime out when the token came without a usable one', () => {
    const entry = historyEntryFor(issued({ expiresAt: undefined }), 'refresh', SENT, NOW, 200);
    expect(entry).not.toHaveProperty('expiresIn');
    // exactOptionalPropertyTypes: no key holding undefined either, or the stored entry would be refused.
    expect(Object.values(entry)).not.toContain(undefined);
    expect(isHistoryEntry(structuredClone(entry))).toBe(true);
  });

  it('leaves the status out when none is given', () => {
    const entry = historyEntryFor(issued(), 'refresh', SENT, NOW);
    expect(entry).not.toHaveProperty('status');
    expect(isHistoryEntry(entry)).toBe(true);
  });

  it('records a code exchange as “First token”, without a rotation: nothing was sent to rotate', () => {
    const entry = historyEntryFor(issued({ refreshToken: ROTATED }), 'authorization', '', NOW, 200);
    expect(entry).toEqual({
      at: NOW,
      kind: 'authorization',
      ok: true,
      status: 200,
      outcome: 'First token',
      expiresIn: 86_400,
      accessTokenEnd: 'WxYz',
    });
    expect(entry).not.toHaveProperty('refreshTokenChanged');
  });

  it('keeps a whole access token of four characters or fewer, and never splits a character outside the BMP', () => {
    expect(historyEntryFor(issued({ accessToken: 'abc' }), 'refresh', SENT, NOW, 200).accessTokenEnd).toBe(
      'abc',
    );
    const emoji = historyEntryFor(issued({ accessToken: `token-x😀yz` }), 'refresh', SENT, NOW, 200);
    expect(emoji.accessTokenEnd).toBe('x😀yz');
    expect(isHistoryEntry(emoji)).toBe(true);
  });

  it('holds no secret: neither refresh token nor the access token, only its last four', () => {
    const json = JSON.stringify(
      historyEntryFor(issued({ refreshToken: ROTATED }), 'refresh', SENT, NOW, 200),
    );
    for (const secret of [SENT, ROTATED, ACCESS, ACCESS.slice(0, -4)]) expect(json).not.toContain(secret);
  });

  it('reads a real token endpoint answer end to end', () => {
    const parsed = parseTokenResponse(
      {
        status: 200,
        headers: { 'content-type': 'application/json' },
        bodyText: JSON.stringify({
          access_token: ACCESS,
          expires_in: 3600,
          refresh_token: ROTATED,
          token_type: 'Bearer',
        }),
      },
      NOW,
    );
    expect(historyEntryFor(parsed, 'refresh', SENT, NOW, 200)).toEqual({
      at: NOW,
      kind: 'refresh',
      ok: true,
      status: 200,
      outcome: 'New token',
      expiresIn: 3600,
      refreshTokenChanged: true,
      accessTokenEnd: 'WxYz',
    });
  });
});

describe('historyEntryFor a failure', () => {
  it('names the server’s code and the failure’s status', () => {
    const parsed: ParsedTokenResponse = {
      ok: false,
      failure: failure('invalid_grant', NOW, {
        status: 400,
        serverCode: 'invalid_grant',
        serverMessage: 'x',
      }),
    };
    expect(historyEntryFor(parsed, 'refresh', SENT, NOW + 1, 400)).toEqual({
      at: NOW + 1,
      kind: 'refresh',
      ok: false,
      status: 400,
      outcome: 'invalid_grant',
    });
  });

  it('falls back on the failure’s title without a server code, and on the HTTP status without the failure’s', () => {
    const parsed: ParsedTokenResponse = { ok: false, failure: failure('bad_response', NOW) };
    expect(historyEntryFor(parsed, 'automatic', SENT, NOW, 502)).toEqual({
      at: NOW,
      kind: 'automatic',
      ok: false,
      status: 502,
      outcome: 'The answer was not the JSON Dropbox Sign sends',
    });
  });

  it.each([
    ['a network error', networkFailure(NOW, 'app.hellosign.com'), 'Could not reach app.hellosign.com'],
    ['a timeout', timeoutFailure(NOW, 15), 'The OAuth server did not answer within 15 seconds'],
  ])('has no status for %s (no answer came)', (_label, f, outcome) => {
    const entry = historyEntryFor({ ok: false, failure: f }, 'refresh', SENT, NOW);
    expect(entry).toEqual({ at: NOW, kind: 'refresh', ok: false, outcome });
    expect(isHistoryEntry(entry)).toBe(true);
  });

  it('keeps a refused redirect’s status', () => {
    const entry = historyEntryFor({ ok: false, failure: redirectFailure(NOW, 302) }, 'refresh', SENT, NOW);
    expect(entry).toMatchObject({ ok: false, status: 302 });
  });

  it('records no rotation and no token end, even when a refresh token came back with the failure', () => {
    const parsed: ParsedTokenResponse = {
      ok: false,
      failure: failure('missing_access_token', NOW, { status: 200 }),
      refreshToken: ROTATED,
    };
    const entry = historyEntryFor(parsed, 'refresh', SENT, NOW, 200);
    expect(entry).not.toHaveProperty('refreshTokenChanged');
    expect(entry).not.toHaveProperty('accessTokenEnd');
    expect(JSON.stringify(entry)).not.toContain(ROTATED);
    expect(isHistoryEntry(entry)).toBe(true);
  });

  it('records a failed code exchange as an authorization line', () => {
    const parsed: ParsedTokenResponse = {
      ok: false,
      failure: failure('invalid_grant', NOW, { status: 400, serverCode: 'invalid_grant' }),
    };
    expect(historyEntryFor(parsed, 'authorization', '', NOW, 400)).toEqual({
      at: NOW,
      kind: 'authorization',
      ok: false,
      status: 400,
      outcome: 'invalid_grant',
    });
  });
});

describe('historyEntryFor, whatever the answer', () => {
  it(
    'gives an entry the stored-history reader accepts (property)',
    () => {
      const kinds: HistoryKind[] = ['refresh', 'automatic', 'authorization'];
      fc.assert(
        fc.property(
          fc.constantFrom(...kinds),
          fc.integer({ min: 100, max: 599 }),
          fc.option(fc.integer({ min: 100, max: 599 }), { nil: undefined }),
          fc.string(),
          fc.option(fc.string({ minLength: 1 }), { nil: undefined }),
          fc.string({ minLength: 1 }),
          fc.option(fc.integer({ min: 1, max: 10 ** 8 }), { nil: undefined }),
          fc.boolean(),
          (kind, httpStatus, failureStatus, body, returned, accessToken, lifetime, ok) => {
            const parsed: ParsedTokenResponse = ok
              ? issued({
                  accessToken,
                  expiresAt: lifetime === undefined ? undefined : NOW + lifetime * 1000,
                  refreshToken: returned,
                })
              : {
                  ok: false,
                  failure: failure('http_error', NOW, {
                    ...(failureStatus !== undefined ? { status: failureStatus } : {}),
                    serverCode: body,
                  }),
                };
            const entry = historyEntryFor(parsed, kind, SENT, NOW, httpStatus);
            expect(isHistoryEntry(structuredClone(entry))).toBe(true);
            expect(entry.kind).toBe(kind);
            expect(entry.ok).toBe(ok);
          },
        ),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
