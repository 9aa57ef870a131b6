import { lastFour, type HistoryEntry, type HistoryKind } from './history';
import type { ParsedTokenResponse } from './refresh-outcome';

/**
 * The history line for one answer of the token endpoint: what the user needs to see rotation and token
 * lifetimes at a glance, and nothing secret (the access token's last four characters only, to tell tokens
 * apart).
 */
export function historyEntryFor(
  parsed: ParsedTokenResponse,
  kind: HistoryKind,
  sentRefreshToken: string,
  at: number,
  /** The answer's HTTP status, when there was an answer. */
  httpStatus?: number,
): HistoryEntry {
  if (!parsed.ok) {
    const { failure } = parsed;
    const status = failure.status ?? httpStatus;
    return {
      at,
      kind,
      ok: false,
      ...(status !== undefined ? { status } : {}),
      outcome: failure.serverCode ?? failure.title,
    };
  }
  const { token } = parsed;
  const expiresIn =
    token.expiresAt === undefined ? undefined : Math.round((token.expiresAt - token.receivedAt) / 1000);
  return {
    at,
    kind,
    ok: true,
    ...(httpStatus !== undefined ? { status: httpStatus } : {}),
    outcome: kind === 'authorization' ? 'First token' : 'New token',
    ...(expiresIn !== undefined ? { expiresIn } : {}),
    // A code exchange sends no refresh token: whatever it returns is new, not a rotation.
    ...(kind === 'authorization'
      ? {}
      : {
          refreshTokenChanged: token.refreshToken !== undefined && token.refreshToken !== sentRefreshToken,
        }),
    accessTokenEnd: lastFour(token.accessToken),
  };
}
