/**
 * Shape checks for values read from storage or received over the wire. One copy, so every reader agrees on
 * what a record is; each reader checks the fields it needs against its own type.
 */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * A time in epoch milliseconds that `Date` can represent (±8.64e15): a larger one makes `toISOString` and
 * the popup's date formatting throw.
 */
export function isEpochMs(value: unknown): value is number {
  return isFiniteNumber(value) && Math.abs(value) <= 8.64e15;
}

export function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
