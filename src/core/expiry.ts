/** Expiry arithmetic: from `expires_in` to an absolute time, and from there to a countdown. */

/** Above this, `expires_in` cannot be a lifetime in seconds (that would be 31+ years): it is an epoch time. */
export const EPOCH_THRESHOLD_SECONDS = 1_000_000_000;

/** The countdown turns to a warning in the last five minutes. */
export const EXPIRY_WARNING_MS = 5 * 60 * 1000;

/** The latest time a JavaScript Date can hold; beyond it `expires_in * 1000` is no time at all (or Infinity). */
const MAX_DATE_MS = 8.64e15;

export interface ResolvedExpiry {
  expiresAt?: number;
  /** Why the expiry is unknown or was read unusually; absent when `expires_in` was a plain duration. */
  note?: string;
}

/**
 * The spec calls `expires_in` "Number of seconds until the access_token expires. Uses epoch time." and its
 * examples are durations (86400). Read it as seconds from receipt, unless it can only be an epoch time.
 */
export function resolveExpiry(expiresIn: unknown, receivedAt: number): ResolvedExpiry {
  if (expiresIn === undefined || expiresIn === null) {
    return {
      note: 'Dropbox Sign sent no expires_in, so the expiry is unknown (tokens usually last an hour).',
    };
  }
  let seconds: number;
  let note: string | undefined;
  if (typeof expiresIn === 'number') {
    seconds = expiresIn;
  } else if (typeof expiresIn === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(expiresIn)) {
    seconds = Number(expiresIn);
    note = `expires_in came as the text "${expiresIn.trim()}" and was read as a number.`;
  } else {
    return {
      note: `Dropbox Sign sent an expires_in that is not a number (${describeValue(expiresIn)}), so the expiry is unknown.`,
    };
  }
  if (!Number.isFinite(seconds)) {
    return { note: 'Dropbox Sign sent an expires_in that is not a finite number, so the expiry is unknown.' };
  }
  if (seconds > EPOCH_THRESHOLD_SECONDS) {
    const expiresAt = Math.round(seconds * 1000);
    if (!(Math.abs(expiresAt) <= MAX_DATE_MS)) {
      return {
        note: joinNotes(
          note,
          'Dropbox Sign sent an expires_in too large to be a time, so the expiry is unknown.',
        ),
      };
    }
    return {
      expiresAt,
      note: joinNotes(note, 'expires_in was an epoch time, not a duration, and was read as one.'),
    };
  }
  if (seconds <= 0) {
    return {
      note: `Dropbox Sign sent expires_in ${seconds}, which is no usable lifetime, so the expiry is unknown.`,
    };
  }
  return { expiresAt: receivedAt + Math.round(seconds * 1000), ...(note ? { note } : {}) };
}

export type CountdownPhase = 'valid' | 'expiring' | 'expired' | 'unknown';

export interface Countdown {
  phase: CountdownPhase;
  /** Milliseconds left, never negative; absent when the expiry is unknown. */
  remainingMs?: number;
  /** `h:mm:ss`, or a word for the phases without a time. */
  text: string;
}

export function countdown(expiresAt: number | undefined, now: number): Countdown {
  // Non-finite too: a damaged stored value must not show as "NaN:NaN:NaN".
  if (expiresAt === undefined || !Number.isFinite(expiresAt)) return { phase: 'unknown', text: 'Unknown' };
  const remainingMs = Math.max(0, expiresAt - now);
  if (remainingMs === 0) return { phase: 'expired', remainingMs, text: 'Expired' };
  return {
    phase: remainingMs <= EXPIRY_WARNING_MS ? 'expiring' : 'valid',
    remainingMs,
    text: formatDuration(remainingMs),
  };
}

/** `h:mm:ss`; rounds up so a token is never shown as 0:00:00 while it is still valid. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  return `${hours}:${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return `"${value.slice(0, 20)}"`;
  if (Array.isArray(value)) return 'a list';
  return typeof value;
}

function joinNotes(a: string | undefined, b: string): string {
  return a ? `${a} ${b}` : b;
}
