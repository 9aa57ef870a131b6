/**
 * What a refresh can end in. Errors are values: every outcome is either a token or a classified failure
 * that already carries the plain words the UI shows, so the UI renders and never interprets.
 */

/** Every kind, as a value: stored failures are checked against it when read back. */
export const REFRESH_FAILURE_KINDS = [
  'invalid_grant', // refresh token unknown, revoked or already used
  'invalid_client', // client ID / secret wrong or missing
  'invalid_request', // the server says the request itself was malformed
  'unauthorized', // 401 without an OAuth error code
  'forbidden',
  'rate_limited',
  'server_error', // 5xx
  'http_error', // any other non-2xx
  'bad_response', // not JSON: HTML page, empty body, malformed JSON
  'missing_access_token', // 2xx JSON without an access_token
  'network', // no answer: DNS, refused, dropped, TLS, CORS
  'timeout',
  'permission', // the browser does not let the extension reach the host
  'redirect', // the OAuth host answered with a redirect: refused, the secrets are never sent on
  'no_refresh_token', // nothing to send
  'unknown_profile',
  'needs_review', // the OAuth host could have been edited while locked: nothing is sent until the user saves
  'interrupted', // the worker stopped before the answer was saved
  'locked', // the vault is locked, secrets cannot be read
  'storage_newer', // stored data from a newer version: nothing may be written
  'authorization', // the authorization itself failed (window closed, declined, state mismatch…): words in the failure
] as const;

export type RefreshFailureKind = (typeof REFRESH_FAILURE_KINDS)[number];

export interface RefreshFailure {
  kind: RefreshFailureKind;
  /** One line: what went wrong. */
  title: string;
  /** One or two sentences: what to do about it. */
  action: string;
  status?: number;
  /** The server's own code (`error` or `error.error_name`) and words, secrets removed. */
  serverCode?: string;
  serverMessage?: string;
  /** Epoch ms after which a retry makes sense (rate limits). */
  retryAt?: number;
  /** Epoch ms of the failure. */
  at: number;
}

export interface IssuedToken {
  accessToken: string;
  tokenType: string;
  receivedAt: number;
  /** Absent when the server gave no usable lifetime; `expiryNote` then says why. */
  expiresAt?: number;
  expiryNote?: string;
  /** Present when the server sent one; it replaces the stored refresh token. */
  refreshToken?: string;
  state?: string | null;
  warnings: string[];
}

export type ParsedTokenResponse =
  | { ok: true; token: IssuedToken }
  | {
      ok: false;
      failure: RefreshFailure;
      /**
       * A refresh token that came back in an otherwise unusable answer. The server may already have
       * invalidated the one we sent, so it must be stored all the same, or the user is locked out.
       */
      refreshToken?: string;
    };
