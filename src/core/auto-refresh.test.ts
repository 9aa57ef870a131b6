import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AutoRefreshState,
  type FailureClass,
  backoffMinutes,
  classifyFailure,
  DEFAULT_LEAD_MINUTES,
  isLeadMinutes,
  MAX_BACKOFF_MINUTES,
  MAX_LEAD_MINUTES,
  MIN_GAP_MS,
  MIN_LEAD_MINUTES,
  nextRefreshAt,
} from './auto-refresh';
import { failure } from './failures';
import { REFRESH_FAILURE_KINDS, type RefreshFailureKind } from './refresh-outcome';

/** Property runs take a few hundred ms alone, but can be slow on a busy machine: never a flaky timeout. */
const PROPERTY_TIMEOUT_MS = 60_000;

const T = Date.UTC(2025, 0, 15, 12, 0, 0);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A profile that has just refreshed at T and waits for its next turn; each test changes what it is about. */
function state(overrides: Partial<AutoRefreshState> = {}): AutoRefreshState {
  return {
    enabled: true,
    leadMinutes: DEFAULT_LEAD_MINUTES,
    hasRefreshToken: true,
    expiresAt: T + HOUR,
    lastAttemptAt: T,
    retries: 0,
    paused: false,
    ...overrides,
  };
}

/** Removes a field outright: with exactOptionalPropertyTypes, `expiresAt: undefined` is not "unknown". */
function without(s: AutoRefreshState, key: 'expiresAt' | 'lastAttemptAt' | 'retryAt'): AutoRefreshState {
  const { [key]: _removed, ...rest } = s;
  return rest;
}

describe('classifyFailure', () => {
  // Written out again rather than imported, so a change to the module's table has to be made here too.
  const EXPECTED: Record<RefreshFailureKind, FailureClass> = {
    network: 'transient',
    timeout: 'transient',
    server_error: 'transient',
    rate_limited: 'transient',
    bad_response: 'transient',
    missing_access_token: 'transient',
    interrupted: 'transient',
    http_error: 'transient', // no status: says nothing about the request
    locked: 'waits',
    invalid_grant: 'permanent',
    invalid_client: 'permanent',
    invalid_request: 'permanent',
    unauthorized: 'permanent',
    forbidden: 'permanent',
    permission: 'permanent',
    redirect: 'permanent',
    no_refresh_token: 'permanent',
    unknown_profile: 'permanent',
    needs_review: 'permanent',
    storage_newer: 'permanent',
    authorization: 'permanent',
  };

  it.each(REFRESH_FAILURE_KINDS.map((kind) => [kind, EXPECTED[kind]]))('classes %s as %s', (kind, cls) => {
    expect(classifyFailure(failure(kind, T))).toBe(cls);
  });

  it.each([400, 404, 405, 409, 418, 499])('treats an http_error with status %i as permanent', (status) => {
    expect(classifyFailure(failure('http_error', T, { status }))).toBe('permanent');
  });

  it.each([500, 502, 503, 504, 599])('treats an http_error with status %i as transient', (status) => {
    expect(classifyFailure(failure('http_error', T, { status }))).toBe('transient');
  });

  it('goes by the kind, not the status, for every other kind (a 401 invalid_grant stays permanent)', () => {
    expect(classifyFailure(failure('invalid_grant', T, { status: 500 }))).toBe('permanent');
    expect(classifyFailure(failure('rate_limited', T, { status: 429 }))).toBe('transient');
  });
});

describe('backoffMinutes', () => {
  it('doubles from one minute and stops at fifteen: 1, 2, 4, 8, 15, 15', () => {
    expect([1, 2, 3, 4, 5, 6].map(backoffMinutes)).toEqual([1, 2, 4, 8, 15, 15]);
  });

  it('stays at fifteen for a very long run of failures, never Infinity', () => {
    expect(backoffMinutes(1000)).toBe(MAX_BACKOFF_MINUTES);
    expect(backoffMinutes(Infinity)).toBe(MAX_BACKOFF_MINUTES);
  });

  it('gives the shortest wait for a count below one or a damaged one, never NaN', () => {
    expect(backoffMinutes(0)).toBe(1);
    expect(backoffMinutes(-3)).toBe(1);
    expect(backoffMinutes(NaN)).toBe(1);
  });

  it(
    'never decreases as failures add up, and stays within 1..15 minutes (property)',
    () => {
      fc.assert(
        fc.property(fc.integer({ min: -5, max: 200 }), fc.integer({ min: -5, max: 200 }), (a, b) => {
          const [fewer, more] = a <= b ? [a, b] : [b, a];
          expect(backoffMinutes(fewer)).toBeLessThanOrEqual(backoffMinutes(more));
          expect(backoffMinutes(more)).toBeGreaterThanOrEqual(1);
          expect(backoffMinutes(more)).toBeLessThanOrEqual(MAX_BACKOFF_MINUTES);
        }),
        { numRuns: 500 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

describe('isLeadMinutes', () => {
  it.each([MIN_LEAD_MINUTES, 5, 30, MAX_LEAD_MINUTES])('accepts %s', (value) => {
    expect(isLeadMinutes(value)).toBe(true);
  });

  it.each([
    ['zero', 0],
    ['above the maximum', 61],
    ['negative', -5],
    ['a fraction', 2.5],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['a numeric string from the form', '5'],
    ['null', null],
    ['undefined', undefined],
  ])('rejects %s', (_label, value) => {
    expect(isLeadMinutes(value)).toBe(false);
  });
});

describe('nextRefreshAt', () => {
  it('refreshes a one-hour token five minutes before it expires', () => {
    expect(nextRefreshAt(state(), T)).toBe(T + 55 * MINUTE);
  });

  it('refreshes a 24-hour token (the vendor’s 86400) five minutes before it expires', () => {
    expect(nextRefreshAt(state({ expiresAt: T + 24 * HOUR }), T)).toBe(T + 24 * HOUR - 5 * MINUTE);
  });

  it('uses the profile’s own lead, up to an hour', () => {
    expect(nextRefreshAt(state({ expiresAt: T + 24 * HOUR, leadMinutes: 60 }), T)).toBe(T + 23 * HOUR);
    expect(nextRefreshAt(state({ leadMinutes: 1 }), T)).toBe(T + 59 * MINUTE);
  });

  it('reads a damaged lead as the default instead of scheduling at NaN or hours early', () => {
    expect(nextRefreshAt(state({ leadMinutes: NaN }), T)).toBe(T + 55 * MINUTE);
    expect(nextRefreshAt(state({ leadMinutes: 600 }), T)).toBe(T + 55 * MINUTE);
  });

  it('gives the same answer whatever time it is asked, as long as that time is still ahead', () => {
    expect(nextRefreshAt(state(), T + 20 * MINUTE)).toBe(T + 55 * MINUTE);
  });

  it('is due now, as `now` itself, once the lead time has passed (e.g. the browser was closed)', () => {
    expect(nextRefreshAt(state(), T + 57 * MINUTE)).toBe(T + 57 * MINUTE);
    expect(nextRefreshAt(state(), T + 3 * HOUR)).toBe(T + 3 * HOUR);
  });

  it('waits 30 s after an attempt even when the lead already covers the whole token lifetime', () => {
    // A 10-minute token with a 60-minute lead would otherwise be refreshed in a loop.
    expect(nextRefreshAt(state({ expiresAt: T + 10 * MINUTE, leadMinutes: 60 }), T)).toBe(T + MIN_GAP_MS);
  });

  it('never schedules when automatic refresh is off', () => {
    expect(nextRefreshAt(state({ enabled: false }), T)).toBeUndefined();
    expect(nextRefreshAt(state({ enabled: false, retries: 2 }), T)).toBeUndefined();
  });

  it('never schedules while paused by a permanent failure', () => {
    expect(nextRefreshAt(state({ paused: true }), T)).toBeUndefined();
    expect(nextRefreshAt(state({ paused: true, retries: 3 }), T)).toBeUndefined();
  });

  it('never schedules without a refresh token', () => {
    expect(nextRefreshAt(state({ hasRefreshToken: false }), T)).toBeUndefined();
  });

  it('never schedules when the expiry is unknown and nothing failed: there is nothing to lead', () => {
    expect(nextRefreshAt(without(state(), 'expiresAt'), T)).toBeUndefined();
  });

  it('treats a damaged expiry like an unknown one instead of answering NaN', () => {
    expect(nextRefreshAt(state({ expiresAt: NaN }), T)).toBeUndefined();
  });

  it('retries after 1, 2, 4, 8, 15, 15 minutes when the expiry is unknown', () => {
    const waits = [1, 2, 3, 4, 5, 6].map((retries) => {
      const at = nextRefreshAt(without(state({ retries }), 'expiresAt'), T);
      return at === undefined ? undefined : (at - T) / MINUTE;
    });
    expect(waits).toEqual([1, 2, 4, 8, 15, 15]);
  });

  it('retries after the backoff, not at the lead time, while the token is far from expiry', () => {
    // Failed at T + 55 min (the lead time) with an hour-and-a-half token: next try one minute later.
    const failedAt = T + 55 * MINUTE;
    expect(
      nextRefreshAt(state({ expiresAt: T + 90 * MINUTE, lastAttemptAt: failedAt, retries: 1 }), failedAt),
    ).toBe(failedAt + MINUTE);
  });

  it('counts the backoff from now when no attempt was recorded', () => {
    expect(nextRefreshAt(without(state({ retries: 2, expiresAt: T + 24 * HOUR }), 'lastAttemptAt'), T)).toBe(
      T + 2 * MINUTE,
    );
  });

  it('pulls a long backoff in to 30 s before expiry, so one more try lands in time', () => {
    // Fourth failure 2 minutes before expiry: an 8-minute backoff would sleep through it.
    const failedAt = T + HOUR - 2 * MINUTE;
    expect(nextRefreshAt(state({ lastAttemptAt: failedAt, retries: 4 }), failedAt)).toBe(
      T + HOUR - MIN_GAP_MS,
    );
  });

  it('keeps the plain backoff when no try fits before the expiry any more', () => {
    // 20 s before expiry: 30 s before it is already behind us, so no point hurrying.
    const failedAt = T + HOUR - 20_000;
    expect(nextRefreshAt(state({ lastAttemptAt: failedAt, retries: 4 }), failedAt)).toBe(
      failedAt + 8 * MINUTE,
    );
  });

  it('keeps backing off after the token has expired', () => {
    const failedAt = T + 2 * HOUR;
    expect(nextRefreshAt(state({ lastAttemptAt: failedAt, retries: 3 }), failedAt)).toBe(
      failedAt + 4 * MINUTE,
    );
  });

  it('waits for a 429’s retryAt when it is later than the backoff', () => {
    const failedAt = T + 55 * MINUTE;
    const retryAt = failedAt + 10 * MINUTE;
    expect(nextRefreshAt(state({ lastAttemptAt: failedAt, retries: 1, retryAt }), failedAt)).toBe(retryAt);
  });

  it('waits for retryAt even past the 30-s-before-expiry deadline: the server said so', () => {
    const failedAt = T + 58 * MINUTE;
    const retryAt = T + 70 * MINUTE;
    expect(nextRefreshAt(state({ lastAttemptAt: failedAt, retries: 2, retryAt }), failedAt)).toBe(retryAt);
  });

  it('keeps the backoff when a 429’s retryAt comes sooner', () => {
    const failedAt = T + 55 * MINUTE;
    expect(
      nextRefreshAt(state({ lastAttemptAt: failedAt, retries: 3, retryAt: failedAt + 10_000 }), failedAt),
    ).toBe(failedAt + 4 * MINUTE);
  });
});

describe('nextRefreshAt (properties)', () => {
  const NOW_MIN = T - 2 * 24 * HOUR;
  const NOW_MAX = T + 2 * 24 * HOUR;
  const time = fc.integer({ min: NOW_MIN, max: NOW_MAX });

  const states: fc.Arbitrary<AutoRefreshState> = fc.record(
    {
      enabled: fc.boolean(),
      leadMinutes: fc.oneof(
        fc.integer({ min: MIN_LEAD_MINUTES, max: MAX_LEAD_MINUTES }),
        fc.constantFrom(0, -1, 61, 2.5, NaN),
      ),
      hasRefreshToken: fc.boolean(),
      expiresAt: time,
      lastAttemptAt: time,
      retries: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 40 })),
      paused: fc.boolean(),
      retryAt: time,
    },
    { requiredKeys: ['enabled', 'leadMinutes', 'hasRefreshToken', 'retries', 'paused'] },
  );
  /** States that are on and able to refresh, so the timing properties are not vacuously about `undefined`. */
  const active = states.map((s) => ({ ...s, enabled: true, paused: false, hasRefreshToken: true }));

  const property = (name: string, check: (s: AutoRefreshState, now: number) => void) =>
    it(
      `${name} (property)`,
      () => {
        fc.assert(fc.property(fc.oneof(states, active), time, check), { numRuns: 2000 });
      },
      PROPERTY_TIMEOUT_MS,
    );

  property('is never sooner than 30 s after the last attempt', (s, now) => {
    const at = nextRefreshAt(s, now);
    if (at !== undefined && s.lastAttemptAt !== undefined) {
      expect(at).toBeGreaterThanOrEqual(s.lastAttemptAt + MIN_GAP_MS);
    }
  });

  property('never schedules after a permanent failure (paused)', (s, now) => {
    expect(nextRefreshAt({ ...s, paused: true }, now)).toBeUndefined();
  });

  property('never schedules when disabled', (s, now) => {
    expect(nextRefreshAt({ ...s, enabled: false }, now)).toBeUndefined();
  });

  property('is never before retryAt', (s, now) => {
    const at = nextRefreshAt(s, now);
    if (at !== undefined && s.retryAt !== undefined) expect(at).toBeGreaterThanOrEqual(s.retryAt);
  });

  property('is never before now, so a due refresh reads as `now`', (s, now) => {
    const at = nextRefreshAt(s, now);
    if (at !== undefined) expect(at).toBeGreaterThanOrEqual(now);
  });

  property('is always a finite time when it schedules', (s, now) => {
    const at = nextRefreshAt(s, now);
    if (at !== undefined) expect(Number.isFinite(at)).toBe(true);
  });

  property('schedules an active profile whenever it knows the expiry or is retrying', (s, now) => {
    const activeState = { ...s, enabled: true, paused: false, hasRefreshToken: true };
    const expected = s.expiresAt !== undefined || s.retries > 0;
    expect(nextRefreshAt(activeState, now) !== undefined).toBe(expected);
  });

  property('lands before expiry, with no failure, whenever the waits allow it', (s, now) => {
    if (s.retries !== 0 || s.expiresAt === undefined) return;
    const earliest = Math.max(
      now,
      s.lastAttemptAt === undefined ? -Infinity : s.lastAttemptAt + MIN_GAP_MS,
      s.retryAt ?? -Infinity,
    );
    const at = nextRefreshAt(s, now);
    if (at !== undefined && s.expiresAt - earliest > 0) expect(at).toBeLessThan(s.expiresAt);
  });

  property('retries no later than 30 s before expiry when that is still allowed', (s, now) => {
    if (s.retries === 0 || s.expiresAt === undefined) return;
    const deadline = s.expiresAt - MIN_GAP_MS;
    const floor = Math.max(
      s.lastAttemptAt === undefined ? -Infinity : s.lastAttemptAt + MIN_GAP_MS,
      s.retryAt ?? -Infinity,
    );
    const at = nextRefreshAt(s, now);
    if (at !== undefined && deadline > floor) expect(at).toBeLessThanOrEqual(Math.max(deadline, now));
  });

  property('retries no later than the backoff allows, barring retryAt and the 30-s gap', (s, now) => {
    if (s.retries === 0 || s.lastAttemptAt === undefined) return;
    const at = nextRefreshAt(s, now);
    if (at === undefined) return;
    const backoff = s.lastAttemptAt + backoffMinutes(s.retries) * MINUTE;
    expect(at).toBeLessThanOrEqual(Math.max(backoff, s.retryAt ?? -Infinity, now));
  });
});
