import { EPOCH_THRESHOLD_SECONDS } from './expiry';
import type { HistoryEntry } from './history';

/**
 * What the history shows above its rows: rotation and lifetimes, the two things Dropbox Sign does not document.
 * Apart from history.ts, which the popup's first frame reads with the stored data: only the "Use the token"
 * chunk needs these, and importing them from there through history.ts made the bundler split the popup's
 * shared modules into one more first-frame chunk.
 */

export interface RotationSummary {
  /** Refreshes whose answer carried a different refresh token. */
  observed: number;
  /** Successful refreshes (manual and automatic; code exchanges send no refresh token, so they cannot rotate). */
  of: number;
  text: string;
}

export function rotationSummary(history: readonly HistoryEntry[]): RotationSummary {
  const refreshes = history.filter((e) => e.ok && e.kind !== 'authorization');
  const of = refreshes.length;
  const observed = refreshes.filter((e) => e.refreshTokenChanged === true).length;
  if (of === 0) return { observed, of, text: 'No refresh yet' };
  const count = `${observed} of ${of} ${of === 1 ? 'time' : 'times'}`;
  const text =
    observed === 0
      ? `Refresh tokens rotate on refresh: not observed (${count})`
      : `Refresh tokens rotate on refresh: observed ${count}`;
  return { observed, of, text };
}

/**
 * The distinct lifetimes received, newest first, or undefined when none was. Values that are no lifetime
 * (zero, negative, an epoch time) are left out: they would read as nonsense durations.
 */
export function lifetimeSummary(history: readonly HistoryEntry[]): string | undefined {
  const seen: string[] = [];
  for (const { expiresIn } of history) {
    if (expiresIn === undefined || !(expiresIn > 0 && expiresIn <= EPOCH_THRESHOLD_SECONDS)) continue;
    const text = formatLifetime(expiresIn);
    if (!seen.includes(text)) seen.push(text);
  }
  return seen.length > 0 ? `Token lifetime received: ${seen.join(', ')}` : undefined;
}

/**
 * A lifetime in words a person compares at a glance: hours stay hours (86400 is '24 h', as the docs' "24
 * hours"), zero parts are left out: 3600 '1 h', 5400 '1 h 30 min', 90 '1 min 30 s', 45 '45 s'.
 */
export function formatLifetime(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'unknown';
  const total = Math.max(0, Math.round(seconds));
  if (total === 0) return '0 s';
  const parts = [
    [Math.floor(total / 3600), 'h'],
    [Math.floor((total % 3600) / 60), 'min'],
    [total % 60, 's'],
  ] as const;
  return parts
    .filter(([n]) => n > 0)
    .map(([n, unit]) => `${n} ${unit}`)
    .join(' ');
}
