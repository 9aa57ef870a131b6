import { isEpochMs, isFiniteNumber, isRecord, isStringArray } from './guards';
import { REFRESH_FAILURE_KINDS, type IssuedToken, type RefreshFailure } from './refresh-outcome';

/** The latest token a refresh produced for one profile, and the last failure if the latest attempt failed. */
export interface TokenState {
  accessToken?: string;
  tokenType?: string;
  /** Epoch ms when the token response arrived. */
  receivedAt?: number;
  /** Epoch ms when the access token expires; absent when the server gave no usable expiry. */
  expiresAt?: number;
  /** Why `expiresAt` is absent or was read unusually (e.g. an epoch `expires_in`). */
  expiryNote?: string;
  /** Scopes or other notes the server sent back (`warnings`), shown as they are. */
  warnings?: string[];
  /** The last attempt's failure; cleared by the next success. The last good token above stays. */
  lastError?: RefreshFailure;
  /** The last request as sent, secrets masked (`describeRequest`), so the user can compare with their own call. */
  lastRequest?: string;
  /** Epoch ms of the last attempt, successful or not. */
  lastAttemptAt?: number;
  /** Consecutive transient failures of automatic refreshes (the backoff counts them); gone after a success. */
  autoRetries?: number;
  /**
   * Automatic refresh stopped after a failure retrying cannot fix (the title of that failure). It never
   * retries by itself; saving the profile, turning the setting on again or a successful refresh clears it.
   */
  autoPaused?: string;
}

/**
 * A token state read back from storage, checked field by field against `TokenState`. A field of the wrong
 * type is dropped (and reported through `damaged`) rather than trusted: the popup renders these values, and
 * a string where a failure object belongs once made it throw and show nothing.
 */
export function readTokenState(value: unknown): { token: TokenState; damaged: boolean } {
  if (!isRecord(value)) return { token: {}, damaged: true };
  const token: TokenState = {};
  let damaged = false;
  const take = <K extends keyof TokenState>(key: K, check: (v: unknown) => v is TokenState[K]) => {
    const field = value[key];
    if (field === undefined) return;
    if (check(field)) token[key] = field;
    else damaged = true;
  };
  take('accessToken', isString);
  take('tokenType', isString);
  take('receivedAt', isEpochMs);
  take('expiresAt', isEpochMs);
  take('expiryNote', isString);
  take('warnings', isStringArray);
  take('lastError', isRefreshFailure);
  take('lastRequest', isString);
  take('lastAttemptAt', isEpochMs);
  take('autoRetries', isRetryCount);
  take('autoPaused', isString);
  return { token, damaged };
}

function isRetryCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 1000;
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

const KINDS: readonly string[] = REFRESH_FAILURE_KINDS;

export function isRefreshFailure(value: unknown): value is RefreshFailure {
  if (!isRecord(value)) return false;
  const optional = (key: string, check: (v: unknown) => boolean) =>
    value[key] === undefined || check(value[key]);
  return (
    typeof value.kind === 'string' &&
    KINDS.includes(value.kind) &&
    typeof value.title === 'string' &&
    typeof value.action === 'string' &&
    isEpochMs(value.at) &&
    optional('status', isFiniteNumber) &&
    optional('serverCode', isString) &&
    optional('serverMessage', isString) &&
    optional('retryAt', isEpochMs)
  );
}

/** The state to store for a token just issued (or pasted): the last error goes, the token replaces the old. */
export function tokenStateFrom(issued: IssuedToken): TokenState {
  const { accessToken, tokenType, receivedAt, expiresAt, expiryNote, warnings } = issued;
  return {
    accessToken,
    tokenType,
    receivedAt,
    ...(expiresAt !== undefined ? { expiresAt } : {}),
    ...(expiryNote ? { expiryNote } : {}),
    ...(warnings.length ? { warnings } : {}),
    lastAttemptAt: receivedAt,
  };
}
