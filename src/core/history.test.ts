import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  appendHistory,
  HISTORY_LIMIT,
  isHistoryEntry,
  lastFour,
  readHistory,
  type HistoryEntry,
} from './history';
import { formatLifetime, lifetimeSummary, rotationSummary } from './history-summary';

/** Property runs are quick alone, but can be slow on a busy machine: never a flaky timeout. */
const PROPERTY_TIMEOUT_MS = 60_000;

const AT = Date.UTC(2024, 0, 1);

function refresh(overrides: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    at: AT,
    kind: 'refresh',
    ok: true,
    status: 200,
    outcome: 'New token',
    expiresIn: 3600,
    refreshTokenChanged: true,
    accessTokenEnd: 'AbCd',
    ...overrides,
  };
}

const failed: HistoryEntry = { at: AT, kind: 'automatic', ok: false, status: 400, outcome: 'invalid_grant' };
const networkError: HistoryEntry = { at: AT, kind: 'refresh', ok: false, outcome: 'Network error' };

describe('appendHistory', () => {
  it('puts the new entry first', () => {
    const older = refresh({ at: AT });
    const newer = refresh({ at: AT + 1 });
    expect(appendHistory(appendHistory([], older), newer)).toEqual([newer, older]);
  });

  it('keeps the 50 newest of 51 appends', () => {
    let history: HistoryEntry[] = [];
    for (let i = 0; i < 51; i++) history = appendHistory(history, refresh({ at: AT + i }));
    expect(history).toHaveLength(HISTORY_LIMIT);
    expect(history[0]?.at).toBe(AT + 50);
    expect(history.at(-1)?.at).toBe(AT + 1);
  });

  it('honours a smaller limit', () => {
    const history = appendHistory([refresh({ at: 1 }), refresh({ at: 0 })], refresh({ at: 2 }), 2);
    expect(history.map((e) => e.at)).toEqual([2, 1]);
  });

  it('never mutates the history it is given', () => {
    const history = Object.freeze([refresh({ at: 1 }), refresh({ at: 0 })]);
    const copy = structuredClone(history);
    const result = appendHistory(history, refresh({ at: 2 }), 2);
    expect(history).toEqual(copy);
    expect(result).not.toBe(history);
  });

  it(
    'after any sequence of appends: at most `limit` entries, newest first, in insertion order (property)',
    () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 1, max: 60 }), (count, limit) => {
          let history: HistoryEntry[] = [];
          // `at` numbers the appends, so the expected order is known without trusting the clock.
          for (let i = 0; i < count; i++) history = appendHistory(history, refresh({ at: i }), limit);
          expect(history.length).toBe(Math.min(count, limit));
          expect(history.map((e) => e.at)).toEqual(
            Array.from({ length: history.length }, (_, k) => count - 1 - k),
          );
        }),
        { numRuns: 200 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

describe('isHistoryEntry', () => {
  it('accepts the shapes the worker writes', () => {
    expect(isHistoryEntry(refresh())).toBe(true);
    expect(isHistoryEntry(failed)).toBe(true);
    expect(isHistoryEntry(networkError)).toBe(true);
    expect(isHistoryEntry({ at: AT, kind: 'authorization', ok: true, outcome: 'First token' })).toBe(true);
  });

  it.each([
    ['null', null],
    ['a string', 'New token'],
    ['an array', [refresh()]],
    ['no at', { kind: 'refresh', ok: true, outcome: 'x' }],
    ['at as text', refresh({ at: '2024-01-01' as unknown as number })],
    ['at beyond a Date', refresh({ at: 1e20 })],
    ['an unknown kind', refresh({ kind: 'manual' as HistoryEntry['kind'] })],
    ['ok as text', refresh({ ok: 'true' as unknown as boolean })],
    ['no outcome', { at: AT, kind: 'refresh', ok: false }],
    ['status as text', refresh({ status: '200' as unknown as number })],
    ['a fractional status', refresh({ status: 200.5 })],
    ['expiresIn NaN', refresh({ expiresIn: Number.NaN })],
    ['refreshTokenChanged as text', refresh({ refreshTokenChanged: 'yes' as unknown as boolean })],
    ['a whole access token as its end', refresh({ accessTokenEnd: 'a-whole-access-token' })],
    ['an unknown field', { ...refresh(), accessToken: 'leaked-token' }],
    ['a field present as undefined', { ...failed, status: undefined }],
    ['token details on a failure', { ...failed, accessTokenEnd: 'AbCd' }],
    ['rotation on a failure', { ...failed, refreshTokenChanged: false }],
  ])('rejects %s', (_name, value) => {
    expect(isHistoryEntry(value)).toBe(false);
  });
});

describe('readHistory', () => {
  it('reads nothing from garbage', () => {
    for (const garbage of [undefined, null, 0, 'x', {}, { 0: refresh() }])
      expect(readHistory(garbage)).toEqual([]);
  });

  it('drops malformed entries and keeps the order of the rest', () => {
    const a = refresh({ at: 3 });
    const b = refresh({ at: 1 });
    expect(readHistory([a, null, { at: 2 }, 'x', b])).toEqual([a, b]);
  });

  it('keeps at most HISTORY_LIMIT entries, the first ones (newest)', () => {
    const stored = Array.from({ length: 70 }, (_, i) => refresh({ at: 100 - i }));
    const read = readHistory(stored);
    expect(read).toHaveLength(HISTORY_LIMIT);
    expect(read[0]?.at).toBe(100);
  });
});

describe('lastFour', () => {
  it('gives the last four characters, or all of a shorter token', () => {
    expect(lastFour('abcdefgh')).toBe('efgh');
    expect(lastFour('ab')).toBe('ab');
    expect(lastFour('')).toBe('');
  });

  it('never splits a character outside the BMP', () => {
    expect(lastFour('xxabc😀')).toBe('abc😀');
  });
});

describe('rotationSummary', () => {
  it('says when there was no refresh yet', () => {
    expect(rotationSummary([])).toEqual({ observed: 0, of: 0, text: 'No refresh yet' });
  });

  it('counts only successful refreshes: failures and code exchanges cannot show a rotation', () => {
    const summary = rotationSummary([
      failed,
      networkError,
      { at: AT, kind: 'authorization', ok: true, outcome: 'First token' },
    ]);
    expect(summary).toEqual({ observed: 0, of: 0, text: 'No refresh yet' });
  });

  it('observed every time', () => {
    const history = [refresh(), refresh({ kind: 'automatic' }), refresh()];
    expect(rotationSummary(history)).toEqual({
      observed: 3,
      of: 3,
      text: 'Refresh tokens rotate on refresh: observed 3 of 3 times',
    });
  });

  it('observed some of the time', () => {
    const history = [
      refresh(),
      refresh({ refreshTokenChanged: false }),
      refresh({ refreshTokenChanged: false }),
    ];
    expect(rotationSummary([...history, refresh({ refreshTokenChanged: false }), failed]).text).toBe(
      'Refresh tokens rotate on refresh: observed 1 of 4 times',
    );
  });

  it('not observed', () => {
    const history = [
      refresh({ refreshTokenChanged: false }),
      refresh({ kind: 'automatic', refreshTokenChanged: false }),
    ];
    expect(rotationSummary(history).text).toBe(
      'Refresh tokens rotate on refresh: not observed (0 of 2 times)',
    );
  });

  it('says "time" for a single refresh', () => {
    expect(rotationSummary([refresh()]).text).toBe('Refresh tokens rotate on refresh: observed 1 of 1 time');
    expect(rotationSummary([refresh({ refreshTokenChanged: false })]).text).toBe(
      'Refresh tokens rotate on refresh: not observed (0 of 1 time)',
    );
  });
});

describe('lifetimeSummary', () => {
  it('is undefined without any lifetime', () => {
    expect(lifetimeSummary([])).toBeUndefined();
    expect(lifetimeSummary([failed, networkError])).toBeUndefined();
  });

  it('lists distinct lifetimes, newest first', () => {
    expect(lifetimeSummary([refresh(), refresh()])).toBe('Token lifetime received: 1 h');
    expect(
      lifetimeSummary([refresh(), refresh({ expiresIn: 86400 }), refresh(), refresh({ expiresIn: 86400 })]),
    ).toBe('Token lifetime received: 1 h, 24 h');
  });

  it('leaves out values that are no lifetime', () => {
    expect(
      lifetimeSummary([refresh({ expiresIn: 0 }), refresh({ expiresIn: -5 }), refresh({ expiresIn: 1.7e9 })]),
    ).toBe(undefined);
  });
});

describe('formatLifetime', () => {
  it.each([
    [3600, '1 h'],
    [86400, '24 h'],
    [5400, '1 h 30 min'],
    [90, '1 min 30 s'],
    [45, '45 s'],
    [60, '1 min'],
    [3630, '1 h 30 s'],
    [3661, '1 h 1 min 1 s'],
    [0, '0 s'],
    [44.6, '45 s'],
    [-1, '0 s'],
    [Number.POSITIVE_INFINITY, 'unknown'],
  ])('%s s is %s', (seconds, text) => {
    expect(formatLifetime(seconds)).toBe(text);
  });
});
