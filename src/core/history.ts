import { isEpochMs, isFiniteNumber, isRecord } from './guards';

/**
 * Per-profile refresh history: the last answers of the token endpoint, newest first. It lets the user see
 * what the documentation leaves open (do refresh tokens rotate? how long do tokens last?) from their own
 * calls, and holds nothing secret (an access token's last four characters only, to tell tokens apart).
 */

/** Enough to see a pattern over days of automatic refreshes, small enough to store and render at once. */
export const HISTORY_LIMIT = 50;

export type HistoryKind = 'refresh' | 'authorization' | 'automatic';
const KINDS: readonly string[] = ['refresh', 'authorization', 'automatic'] satisfies HistoryKind[];

export interface HistoryEntry {
  /** Epoch ms when the answer came. */
  at: number;
  kind: HistoryKind;
  ok: boolean;
  /** HTTP status; absent when there was no answer (network error). */
  status?: number;
  /** Short human text: 'New token', 'invalid_grant', 'Network error', … */
  outcome: string;
  /** The lifetime received (`expires_in`), seconds. */
  expiresIn?: number;
  /** Ok entries only: the answer carried a refresh token different from the one sent. */
  refreshTokenChanged?: boolean;
  /** Ok entries only: the last four characters of the new access token. */
  accessTokenEnd?: string;
}

/** `entry` in front, the oldest dropped beyond `limit`. A new array: stored and rendered arrays stay as they were. */
export function appendHistory(
  history: readonly HistoryEntry[],
  entry: HistoryEntry,
  limit = HISTORY_LIMIT,
): HistoryEntry[] {
  return [entry, ...history].slice(0, Math.max(0, Math.floor(limit)));
}

const ENTRY_KEYS: ReadonlySet<string> = new Set([
  'at',
  'kind',
  'ok',
  'status',
  'outcome',
  'expiresIn',
  'refreshTokenChanged',
  'accessTokenEnd',
]);

/**
 * Strict: every field of the right type and no field this version does not write. History is read back from
 * storage and rendered; anything else is not an entry this extension wrote and is not trusted. A key present
 * with `undefined` counts as wrong too: the type says absent (exactOptionalPropertyTypes).
 */
export function isHistoryEntry(value: unknown): value is HistoryEntry {
  if (!isRecord(value) || !Object.keys(value).every((key) => ENTRY_KEYS.has(key))) return false;
  const optional = (key: string, check: (v: unknown) => boolean) =>
    !Object.hasOwn(value, key) || check(value[key]);
  const okOnly = (key: string) => value.ok === true || !Object.hasOwn(value, key);
  return (
    isEpochMs(value.at) &&
    typeof value.kind === 'string' &&
    KINDS.includes(value.kind) &&
    typeof value.ok === 'boolean' &&
    typeof value.outcome === 'string' &&
    // 0 included: a refused redirect can surface as an opaque answer of status 0.
    optional('status', (v) => isFiniteNumber(v) && Number.isInteger(v) && v >= 0 && v <= 999) &&
    optional('expiresIn', isFiniteNumber) &&
    optional('refreshTokenChanged', (v) => typeof v === 'boolean') &&
    optional('accessTokenEnd', (v) => typeof v === 'string' && Array.from(v).length <= 4) &&
    okOnly('refreshTokenChanged') &&
    okOnly('accessTokenEnd')
  );
}

/** Stored history as far as it can be read: malformed entries dropped, order kept, at most HISTORY_LIMIT. */
export function readHistory(value: unknown): HistoryEntry[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isHistoryEntry).slice(0, HISTORY_LIMIT);
}

/** By code point, so a token ending in a non-BMP character is not cut into half a surrogate pair. */
export function lastFour(token: string): string {
  return Array.from(token).slice(-4).join('');
}
