import type { RefreshFailure } from './refresh-outcome';

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
}
