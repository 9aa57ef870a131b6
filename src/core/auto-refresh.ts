/**
 * When to refresh a profile's token on its own. Pure: the caller passes the time and turns the answer into
 * an alarm, so every rule here can be tested with plain numbers.
 */
import type { RefreshFailure, RefreshFailureKind } from './refresh-outcome';

export const DEFAULT_LEAD_MINUTES = 5;
export const MIN_LEAD_MINUTES = 1;
export const MAX_LEAD_MINUTES = 60;
/** Two automatic attempts are never closer than this (browsers fire alarms no sooner than 30 s ahead anyway). */
export const MIN_GAP_MS = 30_000;
export const MAX_BACKOFF_MINUTES = 15;

const MINUTE_MS = 60_000;

/** transient: retry with backoff; permanent: pause automatic refresh until the user acts; waits: the vault is locked, nothing was sent, catch up after unlock. */
export type FailureClass = 'transient' | 'permanent' | 'waits';

/**
 * Keyed by every kind but `http_error` (which depends on its status), so a new kind fails to compile until
 * someone decides whether retrying it can help. Permanent means the same request would fail the same way:
 * retrying a rejected grant or secret only adds noise to the user's API log, or could trip a lockout.
 */
const CLASS_BY_KIND: Record<Exclude<RefreshFailureKind, 'http_error'>, FailureClass> = {
  network: 'transient',
  timeout: 'transient',
  server_error: 'transient',
  rate_limited: 'transient',
  // A proxy or captive portal in the way goes as it came.
  bad_response: 'transient',
  missing_access_token: 'transient',
  interrupted: 'transient',
  locked: 'waits',
  invalid_grant: 'permanent',
  invalid_client: 'permanent',
  invalid_request: 'permanent',
  unauthorized: 'permanent',
  forbidden: 'permanent',
  permission: 'permanent',
  // The secrets must never be sent on, whoever asks, so only the user can clear it.
  redirect: 'permanent',
  no_refresh_token: 'permanent',
  unknown_profile: 'permanent',
  needs_review: 'permanent',
  storage_newer: 'permanent',
  // Only the authorization flow records it, and only the user can start that again.
  authorization: 'permanent',
};

export function classifyFailure(failure: RefreshFailure): FailureClass {
  if (failure.kind === 'http_error') {
    // A 4xx is the server refusing this request; a 5xx, or no status at all, says nothing about the request.
    return failure.status === undefined || failure.status >= 500 ? 'transient' : 'permanent';
  }
  return CLASS_BY_KIND[failure.kind];
}

/** 1, 2, 4, 8 … minutes, capped at 15, for the n-th consecutive transient failure (n ≥ 1). */
export function backoffMinutes(retries: number): number {
  // Anything below 2 (0, negative, NaN from damaged storage) gets the shortest wait rather than a NaN alarm.
  if (!(retries >= 2)) return 1;
  return Math.min(MAX_BACKOFF_MINUTES, 2 ** (Math.floor(retries) - 1));
}

export interface AutoRefreshState {
  /** The profile's "Refresh automatically" checkbox. */
  enabled: boolean;
  /** "Minutes before expiry", 1..60; anything else is read as the default. */
  leadMinutes: number;
  hasRefreshToken: boolean;
  /** Epoch ms of the current access token's expiry, if known. */
  expiresAt?: number;
  /** Epoch ms of the last attempt (manual or automatic). */
  lastAttemptAt?: number;
  /** Consecutive transient failures of automatic refresh so far (0 after a success). */
  retries: number;
  /** Set after a permanent failure; cleared by the user (save, manual success). */
  paused: boolean;
  /** Epoch ms before which the server asked not to retry (429 Retry-After / X-Ratelimit-Reset). */
  retryAt?: number;
}

/**
 * When to refresh next, in epoch ms, or undefined for never (until the state changes). A time already
 * past comes back as `now` itself, never earlier, so the result can go straight into an alarm: `<= now`
 * means "refresh at once".
 */
export function nextRefreshAt(state: AutoRefreshState, now: number): number | undefined {
  if (!state.enabled || state.paused || !state.hasRefreshToken) return undefined;
  const expiresAt = known(state.expiresAt);
  const lastAttemptAt = known(state.lastAttemptAt);
  const retrying = state.retries > 0;

  // The floor every answer respects: the server's own wish, and a gap so a failing profile cannot hammer it.
  const earliest = Math.max(
    known(state.retryAt) ?? -Infinity,
    lastAttemptAt === undefined ? -Infinity : lastAttemptAt + MIN_GAP_MS,
  );

  let at: number;
  if (!retrying) {
    // Without an expiry there is nothing to lead; only a failed attempt gives a reason to try again.
    if (expiresAt === undefined) return undefined;
    const lead = isLeadMinutes(state.leadMinutes) ? state.leadMinutes : DEFAULT_LEAD_MINUTES;
    at = expiresAt - lead * MINUTE_MS;
  } else {
    // No recorded attempt should not happen after a failure; counting from now at least waits the backoff.
    at = (lastAttemptAt ?? now) + backoffMinutes(state.retries) * MINUTE_MS;
    // A long backoff must not sleep through the expiry when one more try still fits before it. When it no
    // longer fits the token lapses anyway, and the plain backoff spares the server. `now` is left out of the
    // comparison on purpose: a deadline just passed still means "try at once", which beats waiting minutes.
    if (expiresAt !== undefined && expiresAt - MIN_GAP_MS > earliest) {
      at = Math.min(at, expiresAt - MIN_GAP_MS);
    }
  }
  return Math.max(at, earliest, now);
}

/** Whether a lead value from the form or from storage is acceptable (integer 1..60). */
export function isLeadMinutes(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= MIN_LEAD_MINUTES &&
    value <= MAX_LEAD_MINUTES
  );
}

/** A damaged stored time (NaN, Infinity) counts as unknown, or it would turn every answer into NaN. */
function known(time: number | undefined): number | undefined {
  return time !== undefined && Number.isFinite(time) ? time : undefined;
}
