import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  countdown,
  EPOCH_THRESHOLD_SECONDS,
  EXPIRY_WARNING_MS,
  formatDuration,
  resolveExpiry,
} from './expiry';

/** Property runs take a few hundred ms alone, but can be slow on a busy machine: never a flaky timeout. */
const PROPERTY_TIMEOUT_MS = 60_000;

const RECEIVED_AT = Date.UTC(2025, 0, 15, 12, 0, 0);

describe('resolveExpiry', () => {
  it('reads expires_in as seconds from receipt, with no note (the vendor’s 86400)', () => {
    expect(resolveExpiry(86400, RECEIVED_AT)).toEqual({ expiresAt: RECEIVED_AT + 86_400_000 });
  });

  it('reads a one-hour duration as one hour from receipt', () => {
    expect(resolveExpiry(3600, RECEIVED_AT).expiresAt).toBe(RECEIVED_AT + 3_600_000);
  });

  it('rounds fractional seconds to whole milliseconds', () => {
    expect(resolveExpiry(1.0004, RECEIVED_AT).expiresAt).toBe(RECEIVED_AT + 1000);
  });

  it('still reads a value at the epoch threshold as a duration', () => {
    const { expiresAt, note } = resolveExpiry(EPOCH_THRESHOLD_SECONDS, RECEIVED_AT);
    expect(expiresAt).toBe(RECEIVED_AT + EPOCH_THRESHOLD_SECONDS * 1000);
    expect(note).toBeUndefined();
  });

  it('reads a value above 1e9 as an epoch time in seconds, and says so in a note', () => {
    const epochSeconds = RECEIVED_AT / 1000 + 3600;
    const { expiresAt, note } = resolveExpiry(epochSeconds, RECEIVED_AT);
    expect(expiresAt).toBe(RECEIVED_AT + 3_600_000);
    expect(note).toMatch(/epoch/);
  });

  it('gives no expiry for an epoch time too far out to be a date, instead of a non-finite time', () => {
    for (const value of [1e300, Number.MAX_VALUE, 1e13]) {
      const { expiresAt, note } = resolveExpiry(value, RECEIVED_AT);
      if (expiresAt !== undefined) expect(Number.isFinite(new Date(expiresAt).getTime())).toBe(true);
      expect(note).toBeTruthy();
    }
  });

  it('gives no expiry and a note when expires_in is missing', () => {
    const result = resolveExpiry(undefined, RECEIVED_AT);
    expect(result.expiresAt).toBeUndefined();
    expect(result.note).toMatch(/no expires_in/);
  });

  it('gives no expiry and a note when expires_in is null', () => {
    const result = resolveExpiry(null, RECEIVED_AT);
    expect(result.expiresAt).toBeUndefined();
    expect(result.note).toMatch(/no expires_in/);
  });

  it('gives no expiry and a note when expires_in is zero', () => {
    const result = resolveExpiry(0, RECEIVED_AT);
    expect(result.expiresAt).toBeUndefined();
    expect(result.note).toMatch(/expires_in 0\b.*no usable lifetime/);
  });

  it('gives no expiry and a note when expires_in is negative', () => {
    const result = resolveExpiry(-60, RECEIVED_AT);
    expect(result.expiresAt).toBeUndefined();
    expect(result.note).toMatch(/-60.*no usable lifetime/);
  });

  it('reads a numeric string as a number, and says so in a note', () => {
    const result = resolveExpiry(' 3600 ', RECEIVED_AT);
    expect(result.expiresAt).toBe(RECEIVED_AT + 3_600_000);
    expect(result.note).toBe('expires_in came as the text "3600" and was read as a number.');
  });

  it('reads a decimal numeric string as a number', () => {
    expect(resolveExpiry('1.5', RECEIVED_AT).expiresAt).toBe(RECEIVED_AT + 1500);
  });

  it('notes both the text and the epoch reading for a numeric string above 1e9', () => {
    const result = resolveExpiry(String(RECEIVED_AT / 1000 + 60), RECEIVED_AT);
    expect(result.expiresAt).toBe(RECEIVED_AT + 60_000);
    expect(result.note).toMatch(/text.*epoch/);
  });

  it('gives no expiry and a note for a negative numeric string', () => {
    const result = resolveExpiry('-5', RECEIVED_AT);
    expect(result.expiresAt).toBeUndefined();
    expect(result.note).toMatch(/no usable lifetime/);
  });

  it('gives no expiry and a note quoting a non-numeric string', () => {
    const result = resolveExpiry('one hour', RECEIVED_AT);
    expect(result.expiresAt).toBeUndefined();
    expect(result.note).toMatch(/not a number \("one hour"\)/);
  });

  it('quotes at most 20 characters of a non-numeric string', () => {
    const { note } = resolveExpiry('x'.repeat(500), RECEIVED_AT);
    expect(note).toContain(`"${'x'.repeat(20)}"`);
    expect(note).not.toContain('x'.repeat(21));
  });

  it.each([
    ['1e5 (exponent notation in a string)', '1e5'],
    ['an empty string', ''],
    ['a boolean', true],
    ['an object', { seconds: 3600 }],
    ['a list', [3600]],
  ])('gives no expiry and a note for %s', (_label, value) => {
    const result = resolveExpiry(value, RECEIVED_AT);
    expect(result.expiresAt).toBeUndefined();
    expect(result.note).toMatch(/not a number/);
  });

  it('names the type of a non-string, non-number value in its note', () => {
    expect(resolveExpiry([3600], RECEIVED_AT).note).toContain('(a list)');
    expect(resolveExpiry(true, RECEIVED_AT).note).toContain('(boolean)');
  });

  it.each([NaN, Infinity, -Infinity])('gives no expiry and a note for %s', (value) => {
    const result = resolveExpiry(value, RECEIVED_AT);
    expect(result.expiresAt).toBeUndefined();
    expect(result.note).toMatch(/not a finite number/);
  });

  it(
    'always gives a finite expiry or none, and a note whenever it gives none (property)',
    () => {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.anything(),
            fc.double(),
            fc.integer(),
            fc.double().map(String),
            fc.stringMatching(/^\s*-?\d{1,400}(\.\d{1,20})?\s*$/),
          ),
          fc.integer({ min: 0, max: 4_102_444_800_000 }),
          (value, receivedAt) => {
            const { expiresAt, note } = resolveExpiry(value, receivedAt);
            if (expiresAt === undefined) expect(note).toBeTruthy();
            else expect(Number.isFinite(expiresAt)).toBe(true);
            if (note !== undefined) expect(typeof note).toBe('string');
          },
        ),
        { numRuns: 1000 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

describe('countdown', () => {
  const NOW = RECEIVED_AT;

  it('is unknown, with no remaining time, when the expiry is unknown', () => {
    expect(countdown(undefined, NOW)).toEqual({ phase: 'unknown', text: 'Unknown' });
  });

  it('is unknown for a non-finite expiry (e.g. a damaged stored value), never NaN:NaN:NaN', () => {
    expect(countdown(NaN, NOW)).toEqual({ phase: 'unknown', text: 'Unknown' });
    expect(countdown(Infinity, NOW).phase).toBe('unknown');
  });

  it('is valid with h:mm:ss left while more than five minutes remain', () => {
    expect(countdown(NOW + 3_600_000, NOW)).toEqual({
      phase: 'valid',
      remainingMs: 3_600_000,
      text: '1:00:00',
    });
  });

  it('is still valid one millisecond before the last five minutes', () => {
    expect(countdown(NOW + EXPIRY_WARNING_MS + 1, NOW).phase).toBe('valid');
  });

  it('turns to expiring at exactly five minutes left', () => {
    expect(EXPIRY_WARNING_MS).toBe(300_000);
    expect(countdown(NOW + EXPIRY_WARNING_MS, NOW)).toEqual({
      phase: 'expiring',
      remainingMs: 300_000,
      text: '0:05:00',
    });
  });

  it('is expiring with one millisecond left, shown as 0:00:01', () => {
    expect(countdown(NOW + 1, NOW)).toEqual({ phase: 'expiring', remainingMs: 1, text: '0:00:01' });
  });

  it('is expired at the expiry time itself', () => {
    expect(countdown(NOW, NOW)).toEqual({ phase: 'expired', remainingMs: 0, text: 'Expired' });
  });

  it('is expired after the expiry, with zero (never negative) time left', () => {
    expect(countdown(NOW - 10_000, NOW)).toEqual({ phase: 'expired', remainingMs: 0, text: 'Expired' });
  });

  it(
    'never reports negative time and matches the phase to the time left (property)',
    () => {
      fc.assert(
        fc.property(fc.integer({ min: -1e10, max: 1e10 }), (offset) => {
          const c = countdown(NOW + offset, NOW);
          expect(c.remainingMs).toBe(Math.max(0, offset));
          if (offset <= 0) expect(c.phase).toBe('expired');
          else if (offset <= EXPIRY_WARNING_MS) expect(c.phase).toBe('expiring');
          else expect(c.phase).toBe('valid');
          if (offset > 0) expect(c.text).toMatch(/^\d+:[0-5]\d:[0-5]\d$/);
        }),
        { numRuns: 500 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

describe('formatDuration', () => {
  it.each([
    [0, '0:00:00'],
    [1, '0:00:01'],
    [999, '0:00:01'],
    [1000, '0:00:01'],
    [1001, '0:00:02'],
    [59_000, '0:00:59'],
    [60_000, '0:01:00'],
    [3_599_000, '0:59:59'],
    [3_600_000, '1:00:00'],
    [3_661_000, '1:01:01'],
    [86_399_001, '24:00:00'],
    [86_400_000, '24:00:00'],
    [100 * 3_600_000, '100:00:00'],
  ])('formats %i ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('rounds up, so a still-valid token never shows 0:00:00', () => {
    expect(formatDuration(0.001)).toBe('0:00:01');
  });

  it('shows 0:00:00 for negative durations', () => {
    expect(formatDuration(-5000)).toBe('0:00:00');
  });
});
