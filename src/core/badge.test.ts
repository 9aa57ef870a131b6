import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BADGE_COLORS,
  badgeFor,
  formatClockTime,
  PRODUCT_NAME,
  soonWindowMs,
  timeLeftText,
  type BadgeInput,
  type BadgeTone,
} from './badge';

/** Property runs are quick alone, but can be slow on a busy machine: never a flaky timeout. */
const PROPERTY_TIMEOUT_MS = 60_000;

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A fixed clock: the offset from NOW in whole minutes, so titles do not depend on the machine's zone. */
const clock = (epochMs: number) => `T${Math.floor((epochMs - NOW) / MINUTE)}`;

function input(overrides: Partial<BadgeInput> = {}): BadgeInput {
  return {
    now: NOW,
    profileName: 'Work',
    hasToken: true,
    expiresAt: NOW + 42 * MINUTE,
    locked: false,
    formatClock: clock,
    ...overrides,
  };
}

/** WCAG relative luminance of `#rrggbb`. */
function luminance(hex: string): number {
  expect(hex).toMatch(/^#[0-9a-f]{6}$/);
  const channel = (offset: number) => {
    const c = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describe('contrast helper', () => {
  it('gives the known ratios (so the colour checks below can fail)', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
    expect(contrast('#777777', '#ffffff')).toBeLessThan(4.5);
  });
});

describe('timeLeftText', () => {
  it.each([
    [-DAY, 'exp'],
    [-1, 'exp'],
    [0, 'exp'],
    [1, '<1m'],
    [59 * SECOND + 999, '<1m'],
    [MINUTE, '1m'],
    [42 * MINUTE + 30 * SECOND, '42m'],
    [59 * MINUTE + 59 * SECOND, '59m'],
    [HOUR - 1, '59m'],
    [HOUR, '1h'],
    [2 * HOUR - 1, '1h'],
    [23 * HOUR + 59 * MINUTE + 59 * SECOND, '23h'],
    [DAY - 1, '23h'],
    [DAY, '1d'],
    [48 * HOUR - 1, '1d'],
    [48 * HOUR, '2d'],
    [99 * DAY, '99d'],
    [100 * DAY, '99d+'],
  ])('%d ms left → %s', (ms, text) => {
    expect(timeLeftText(ms)).toBe(text);
  });

  it('gives no text for a NaN time left', () => {
    expect(timeLeftText(Number.NaN)).toBe('');
  });

  it(
    'never exceeds four characters and never rounds up past the time left',
    () => {
      fc.assert(
        fc.property(fc.integer({ min: -1e12, max: 1e12 }), (ms) => {
          const text = timeLeftText(ms);
          expect(text.length).toBeLessThanOrEqual(4);
          const match = /^(\d+)([mhd])$/.exec(text);
          if (match) {
            const unit = { m: MINUTE, h: HOUR, d: DAY }[match[2] as 'm' | 'h' | 'd'];
            expect(Number(match[1]) * unit).toBeLessThanOrEqual(ms);
            expect((Number(match[1]) + 1) * unit).toBeGreaterThan(ms);
          }
        }),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

describe('badgeFor: text', () => {
  it('shows nothing with no profile', () => {
    const badge = badgeFor(input({ profileName: undefined }));
    expect(badge.text).toBe('');
    expect(badge.tone).toBe('none');
    expect(badge.title).toBe(`${PRODUCT_NAME} — no profile yet`);
  });

  it('shows nothing with no token yet', () => {
    const badge = badgeFor(input({ hasToken: false, expiresAt: undefined }));
    expect(badge).toMatchObject({ text: '', tone: 'none', title: `${PRODUCT_NAME} — Work: no token yet` });
  });

  it.each([
    [1, '<1m'],
    [59 * MINUTE + 59 * SECOND, '59m'],
    [HOUR, '1h'],
    [23 * HOUR + 59 * MINUTE + 59 * SECOND, '23h'],
    [DAY, '1d'],
    [48 * HOUR, '2d'],
    [0, 'exp'],
    [-1, 'exp'],
  ])('with %d ms left shows %s', (ms, text) => {
    expect(badgeFor(input({ expiresAt: NOW + ms })).text).toBe(text);
  });

  it('shows nothing, and says the expiry is unknown, for a token with no known expiry', () => {
    const badge = badgeFor(input({ expiresAt: undefined }));
    expect(badge).toMatchObject({ text: '', tone: 'none' });
    expect(badge.title).toBe(`${PRODUCT_NAME} — Work: the expiry is unknown`);
  });

  it('treats a non-finite or out-of-range expiry as unknown rather than showing NaN', () => {
    for (const expiresAt of [Number.NaN, Number.POSITIVE_INFINITY, 9e15]) {
      const badge = badgeFor(input({ expiresAt }));
      expect(badge.text).toBe('');
      expect(badge.title).toMatch(/expiry is unknown/);
    }
  });

  it('shows ! when the last attempt failed, outranking expiry', () => {
    const lastError = { title: 'The refresh token was rejected', at: NOW - MINUTE };
    for (const expiresAt of [NOW - HOUR, NOW, NOW + 2 * MINUTE, NOW + DAY, undefined]) {
      const badge = badgeFor(input({ expiresAt, lastError }));
      expect(badge).toMatchObject({ text: '!', tone: 'bad' });
      expect(badge.title).toBe(
        `${PRODUCT_NAME} — Work: the last refresh failed: The refresh token was rejected`,
      );
    }
  });

  it('shows nothing, but names the failure, when the very first refresh failed (no token)', () => {
    const lastError = { title: 'Network error', at: NOW };
    const badge = badgeFor(input({ hasToken: false, expiresAt: undefined, lastError }));
    expect(badge).toMatchObject({ text: '', tone: 'none' });
    expect(badge.title).toBe(`${PRODUCT_NAME} — Work: no token yet; the last refresh failed: Network error`);
  });
});

describe('badgeFor: tone', () => {
  const toneAt = (msLeft: number, overrides: Partial<BadgeInput> = {}): BadgeTone =>
    badgeFor(input({ expiresAt: NOW + msLeft, ...overrides })).tone;

  it('is fresh while more than five minutes remain and auto refresh is off', () => {
    expect(toneAt(HOUR)).toBe('fresh');
    expect(toneAt(5 * MINUTE + 1)).toBe('fresh');
  });

  it('is soon inside the last five minutes when auto refresh is off', () => {
    expect(toneAt(5 * MINUTE)).toBe('soon');
    expect(toneAt(1)).toBe('soon');
  });

  it('is soon inside the lead, not the last five minutes, when auto refresh is on', () => {
    expect(toneAt(10 * MINUTE + 1, { autoLeadMinutes: 10 })).toBe('fresh');
    expect(toneAt(10 * MINUTE, { autoLeadMinutes: 10 })).toBe('soon');
    expect(toneAt(8 * MINUTE, { autoLeadMinutes: 10 })).toBe('soon');
    // A short lead: four minutes left is still outside it, though inside the last five minutes.
    expect(toneAt(4 * MINUTE, { autoLeadMinutes: 2 })).toBe('fresh');
    expect(toneAt(2 * MINUTE, { autoLeadMinutes: 2 })).toBe('soon');
  });

  it('uses the last five minutes when automatic refresh is paused, whatever the lead', () => {
    const paused = { autoLeadMinutes: 10, pausedReason: 'the refresh token was revoked' };
    expect(toneAt(8 * MINUTE, paused)).toBe('fresh');
    expect(toneAt(4 * MINUTE, paused)).toBe('soon');
  });

  it('falls back to the last five minutes for an unusable lead', () => {
    expect(soonWindowMs(Number.NaN)).toBe(5 * MINUTE);
    expect(soonWindowMs(-3)).toBe(5 * MINUTE);
    expect(soonWindowMs(undefined)).toBe(5 * MINUTE);
    expect(soonWindowMs(15)).toBe(15 * MINUTE);
    expect(toneAt(4 * MINUTE, { autoLeadMinutes: Number.NaN })).toBe('soon');
  });

  it('is bad once expired, at the expiry time itself and after', () => {
    expect(toneAt(0)).toBe('bad');
    expect(toneAt(-DAY)).toBe('bad');
  });

  it('is bad when the last attempt failed, even with plenty of time left', () => {
    expect(toneAt(DAY, { lastError: { title: 'Server error', at: NOW } })).toBe('bad');
  });

  it('carries the colours of its tone', () => {
    for (const [msLeft, tone] of [
      [HOUR, 'fresh'],
      [MINUTE, 'soon'],
      [-1, 'bad'],
    ] as const) {
      const badge = badgeFor(input({ expiresAt: NOW + msLeft }));
      expect(badge.tone).toBe(tone);
      expect({ color: badge.color, textColor: badge.textColor }).toEqual(BADGE_COLORS[tone]);
    }
    expect(badgeFor(input({ hasToken: false })).color).toBe(BADGE_COLORS.none.color);
  });
});

describe('badge colours', () => {
  it.each(['none', 'fresh', 'soon', 'bad'] as const)(
    '%s: text on background has at least 4.5:1 contrast',
    (tone) => {
      const { color, textColor } = BADGE_COLORS[tone];
      expect(contrast(color, textColor)).toBeGreaterThanOrEqual(4.5);
    },
  );

  it('keeps the neutral background apart from both a light and a dark toolbar', () => {
    expect(contrast(BADGE_COLORS.fresh.color, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(contrast(BADGE_COLORS.fresh.color, '#202124')).toBeGreaterThanOrEqual(2.5);
  });

  it('uses white text on the neutral and red backgrounds and dark text on amber', () => {
    expect(BADGE_COLORS.fresh.textColor).toBe('#ffffff');
    expect(BADGE_COLORS.bad.textColor).toBe('#ffffff');
    expect(luminance(BADGE_COLORS.soon.textColor)).toBeLessThan(0.05);
    // Amber: red and green high, blue low; red: red channel dominant.
    expect(BADGE_COLORS.soon.color).toMatch(/^#[e-f][0-9a-f][9a-f][0-9a-f][0-4][0-9a-f]$/);
    expect(BADGE_COLORS.bad.color).toMatch(/^#[a-f][0-9a-f][0-4][0-9a-f][0-4][0-9a-f]$/);
  });
});

describe('badgeFor: title', () => {
  const title = (overrides: Partial<BadgeInput>) => badgeFor(input(overrides)).title;

  it('gives minutes and the clock time under an hour', () => {
    expect(title({ expiresAt: NOW + 42 * MINUTE })).toBe(`${PRODUCT_NAME} — Work: expires in 42 min (T42)`);
    expect(title({ expiresAt: NOW + 59 * MINUTE + 59 * SECOND })).toBe(
      `${PRODUCT_NAME} — Work: expires in 59 min (T59)`,
    );
  });

  it('says less than a minute in the last minute', () => {
    expect(title({ expiresAt: NOW + 30 * SECOND })).toBe(
      `${PRODUCT_NAME} — Work: expires in less than a minute (T0)`,
    );
  });

  it('gives hours and minutes from an hour up to 48 hours', () => {
    expect(title({ expiresAt: NOW + HOUR })).toBe(`${PRODUCT_NAME} — Work: expires in 1 h (T60)`);
    expect(title({ expiresAt: NOW + 3 * HOUR + 5 * MINUTE })).toBe(
      `${PRODUCT_NAME} — Work: expires in 3 h 5 min (T185)`,
    );
    // Past a day the clock alone would name the wrong day, so it is left out.
    expect(title({ expiresAt: NOW + DAY })).toBe(`${PRODUCT_NAME} — Work: expires in 24 h`);
    expect(title({ expiresAt: NOW + 48 * HOUR - 1 })).toBe(`${PRODUCT_NAME} — Work: expires in 47 h 59 min`);
  });

  it('gives days from 48 hours', () => {
    expect(title({ expiresAt: NOW + 48 * HOUR })).toBe(`${PRODUCT_NAME} — Work: expires in 2 days`);
    expect(title({ expiresAt: NOW + 9 * DAY + 5 * HOUR })).toBe(`${PRODUCT_NAME} — Work: expires in 9 days`);
  });

  it('says when it expired', () => {
    expect(title({ expiresAt: NOW })).toBe(`${PRODUCT_NAME} — Work: expired at T0`);
    expect(title({ expiresAt: NOW - 90 * MINUTE })).toBe(`${PRODUCT_NAME} — Work: expired at T-90`);
  });

  it('appends the reason when automatic refresh is paused', () => {
    const paused = { autoLeadMinutes: 10, pausedReason: 'the refresh token was revoked' };
    expect(title({ ...paused, expiresAt: NOW + HOUR })).toBe(
      `${PRODUCT_NAME} — Work: expires in 1 h (T60) · automatic refresh paused: the refresh token was revoked`,
    );
    expect(title({ ...paused, lastError: { title: 'Refresh token rejected', at: NOW } })).toBe(
      `${PRODUCT_NAME} — Work: the last refresh failed: Refresh token rejected · automatic refresh paused: the refresh token was revoked`,
    );
  });

  it('says the refresh waits for an unlock when locked, auto on and inside the lead', () => {
    const waiting = ' · automatic refresh waits for you to unlock';
    expect(title({ locked: true, autoLeadMinutes: 10, expiresAt: NOW + 8 * MINUTE })).toBe(
      `${PRODUCT_NAME} — Work: expires in 8 min (T8)${waiting}`,
    );
    expect(title({ locked: true, autoLeadMinutes: 10, expiresAt: NOW - MINUTE })).toBe(
      `${PRODUCT_NAME} — Work: expired at T-1${waiting}`,
    );
    expect(title({ locked: true, autoLeadMinutes: 10, expiresAt: NOW + 10 * MINUTE })).toContain(waiting);
  });

  it('does not say the refresh waits when it would not run anyway', () => {
    const waiting = /waits for you to unlock/;
    // Outside the lead.
    expect(title({ locked: true, autoLeadMinutes: 10, expiresAt: NOW + 10 * MINUTE + 1 })).not.toMatch(
      waiting,
    );
    // Auto refresh off.
    expect(title({ locked: true, expiresAt: NOW + MINUTE })).not.toMatch(waiting);
    // Unlocked.
    expect(title({ locked: false, autoLeadMinutes: 10, expiresAt: NOW + MINUTE })).not.toMatch(waiting);
    // Paused.
    expect(
      title({ locked: true, autoLeadMinutes: 10, pausedReason: 'revoked', expiresAt: NOW + MINUTE }),
    ).not.toMatch(waiting);
    // Expiry unknown.
    expect(title({ locked: true, autoLeadMinutes: 10, expiresAt: undefined })).not.toMatch(waiting);
  });

  it('keeps the tooltip on one line, whatever the name, failure or reason hold', () => {
    const badge = badgeFor(
      input({
        profileName: ' Work\nacct ',
        lastError: { title: 'Bad\r\nthing', at: NOW },
        pausedReason: 'token\trevoked\n',
      }),
    );
    expect(badge.title).toBe(
      `${PRODUCT_NAME} — Work acct: the last refresh failed: Bad thing · automatic refresh paused: token revoked`,
    );
  });

  it('names an unnamed profile rather than leaving a gap', () => {
    expect(title({ profileName: '  ' })).toBe(`${PRODUCT_NAME} — unnamed profile: expires in 42 min (T42)`);
  });

  it('uses the locale clock by default', () => {
    const expiresAt = NOW + 42 * MINUTE;
    expect(badgeFor(input({ expiresAt, formatClock: undefined })).title).toBe(
      `${PRODUCT_NAME} — Work: expires in 42 min (${formatClockTime(expiresAt)})`,
    );
    expect(formatClockTime(expiresAt)).toMatch(/\d{1,2}.\d{2}/);
  });

  it(
    'is always one line starting with the product name, for any input',
    () => {
      const words = fc.string().filter((s) => !/NaN|undefined/.test(s));
      fc.assert(
        fc.property(
          fc.record({
            msLeft: fc.option(fc.integer({ min: -10 * DAY, max: 10 * DAY }), { nil: undefined }),
            profileName: fc.option(words, { nil: undefined }),
            hasToken: fc.boolean(),
            failed: fc.option(words, { nil: undefined }),
            autoLeadMinutes: fc.option(fc.integer({ min: 0, max: 120 }), { nil: undefined }),
            pausedReason: fc.option(words, { nil: undefined }),
            locked: fc.boolean(),
          }),
          ({ msLeft, failed, ...rest }) => {
            const badge = badgeFor(
              input({
                ...rest,
                expiresAt: msLeft === undefined ? undefined : NOW + msLeft,
                lastError: failed === undefined ? undefined : { title: failed, at: NOW },
              }),
            );
            expect(badge.title.startsWith(`${PRODUCT_NAME} — `)).toBe(true);
            expect(badge.title).not.toMatch(/[\r\n]/);
            expect(badge.title).not.toMatch(/NaN|undefined/);
            expect(badge.text === '').toBe(badge.tone === 'none');
          },
        ),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
