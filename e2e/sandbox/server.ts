/**
 * A local stand-in for Dropbox Sign's OAuth token endpoint (and `GET /v3/account`), for tests and demos.
 *
 * It is deliberately strict: it rejects what the real service is documented to reject (see
 * /work/shared/reference/dropbox-sign-oauth.md), so a client that works here sends well-formed requests.
 * Built on Node's own http/https modules only. Nothing secret is ever printed: logging is off unless a
 * `log` function is passed, and log lines carry only method, path and status.
 *
 * Routes (one server plays both hosts, app.hellosign.com and api.hellosign.com):
 *   POST /oauth/token?refresh         refresh grant (the query must be exactly `?refresh`)
 *   POST /oauth/token                 authorization-code exchange
 *   GET  /v3/account                  token check with `Authorization: Bearer <access token>`: 200 with the
 *                                     vendor's example account and rate-limit headers; 401 for a missing,
 *                                     unknown or expired token; 403 `forbidden` when the token's app has
 *                                     neither `basic_account_info` nor `account_access` among its scopes
 *   OPTIONS on the three above        CORS preflight (any Origin, e.g. chrome-extension://…, is echoed; the
 *                                     Authorization and Content-Type headers are allowed; rate-limit headers
 *                                     and Retry-After are exposed)
 *   GET  /oauth/authorize             consent page (`response_type=code&client_id=...&state=...`), no JavaScript
 *   POST /oauth/authorize/decision    the consent page's form: Approve or Deny, answered with a 302 to the
 *                                     app's OAuth callback URL (`?code=...&state=...` or `?error=access_denied...`)
 *   GET  /oauth/callback              the default callback: shows the code and state as text (paste fallback)
 *
 * Knobs: `settings` (rotation, `expires_in`, refresh token returned or not, error shape); apps with their own
 * credentials, callback URL and scopes (`createApp`, `setCallbackUrl`); faults, queued separately for the token
 * endpoint (`injectFault`) and for `GET /v3/account` (`injectAccountFault`): a status, an HTML page, bad or
 * empty JSON, a dropped connection, a 429 with rate-limit headers, any JSON, a redirect; `tamperNextState`.
 * Records: `requests` and its filters (`tokenRefreshRequests`, `codeExchangeRequests`, `authorizeRequests`,
 * `accountRequests`), `issuedAccessTokens`, `issuedCodes`, `lastIssued`.
 *
 * Tests steer it with events, never with durations: `holdNext()` keeps the next token-endpoint answer until the
 * test releases it, and `nextRequest()` resolves when a request has arrived. A second instance makes a
 * recording "other origin", e.g. the target of a `redirect` fault that must receive nothing.
 *
 * It also runs as the real hosts: with `tls` from `createSelfSignedCert(['app.hellosign.com',
 * 'api.hellosign.com'])` (tls.ts) and `port: 443` where both names resolve to the listening address (e.g. in a
 * network namespace), every route above answers on https://app.hellosign.com and https://api.hellosign.com;
 * the Host header is not checked. See cli.ts for running it that way by hand.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// ---------------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------------

export type ErrorShape = 'oauth' | 'dropbox';

export interface SandboxApp {
  clientId: string;
  clientSecret: string;
  requireClientCredentials: boolean;
  /** Shown on the consent page ("Authorize <name>"); the client ID stands in when there is none. */
  name?: string;
  /**
   * The app's "OAuth callback URL" (stored normalised, as `new URL(url).href`). Absent: the sandbox default,
   * see `Sandbox.callbackUrlFor`. Change it with `Sandbox.setCallbackUrl`.
   */
  callbackUrl?: string;
  /**
   * The scopes set in the app's settings (`DEFAULT_APP_SCOPES` unless `createApp` was given others). Each
   * access token keeps the scopes of its app as they were when it was issued. `GET /v3/account` needs
   * `basic_account_info` or `account_access`.
   */
  scopes?: string[];
}

/** An authorization code the sandbox has minted (by an Approve on the consent page or `issueAuthorizationCode`). */
export interface IssuedCode {
  code: string;
  clientId: string;
  /** The state the code is bound to: the one of the authorize request (never a tampered one), if any. */
  state: string | undefined;
  issuedAt: number;
  /** `issuedAt` + 1 h; an exchange after this is refused as stale. */
  expiresAt: number;
  /** Spent by a successful exchange (as of the `issuedCodes()` call). */
  used: boolean;
  via: 'consent' | 'issueAuthorizationCode';
}

export interface RecordedRequest {
  method: string;
  path: string;
  search: string;
  headers: Record<string, string>;
  bodyText: string;
  receivedAt: number;
}

export type Fault =
  | { kind: 'status'; status: number; body?: string; contentType?: string; headers?: Record<string, string> }
  | { kind: 'html'; status?: number } // e.g. 502 with an HTML error page
  | { kind: 'malformed-json'; status?: number } // 200 by default, body like '{"access_token": "abc",'
  | { kind: 'empty-body'; status?: number }
  | { kind: 'drop' } // destroy the socket without answering
  | { kind: 'rate-limit'; resetInSeconds?: number } // 429 exceeded_rate with rate-limit headers + Retry-After
  | { kind: 'json'; status: number; body: unknown } // arbitrary JSON answer
  /** A redirect: the status with a `Location` header (and a one-line text body), nothing else processed. */
  | { kind: 'redirect'; status: RedirectStatus; location: string };

export type RedirectStatus = 301 | 302 | 303 | 307 | 308;

/** What became of a held token request (see `Sandbox.holdNext`). */
export type HeldOutcome =
  /** Processed after its release and answered with `status` (whether or not the client still listened). */
  | { kind: 'answered'; status: number }
  /** Its `drop` fault destroyed the connection without an answer. */
  | { kind: 'dropped' }
  /** The sandbox was closed or reset while the request was held or before one arrived: never answered. */
  | { kind: 'closed' };

/**
 * The next token-endpoint POST (refresh or code exchange), held: it is recorded as it arrives, and its answer
 * waits until `release()`. The request takes its place in the fault queue when it arrives, so a fault queued
 * before the request came is the one it is answered with after its release; without one, it is processed
 * normally then (a refresh token is spent and rotated at release time, even when the client has given up
 * meanwhile, as a real server that already has the request would). A hold that is never released keeps the
 * request open until `close()` (or `reset()`), which ends it without an answer: tests never hang on it.
 */
export interface Hold {
  /** Resolves with the request once it has arrived in full (body read and recorded); rejects on close/reset. */
  readonly arrived: Promise<RecordedRequest>;
  /**
   * Lets the request be answered. Before it has arrived: it will not wait at all. Safe to call more than
   * once, and after close (then it does nothing).
   */
  release(): void;
  /** Resolves once the request has been dealt with: answered after release, dropped, or ended by close. */
  readonly outcome: Promise<HeldOutcome>;
}

export interface SandboxSettings {
  /** Every successful refresh returns a NEW refresh token and invalidates the old one at once. */
  rotateRefreshTokens: boolean;
  /** Put verbatim into the 200 body as `expires_in`; the string 'omit' leaves the field out. */
  expiresIn: unknown;
  /** false: a refresh answers 200 without `refresh_token` (the old one stays valid). */
  returnRefreshToken: boolean;
  /** Shape of token-endpoint error bodies. */
  errorShape: ErrorShape;
}

export interface SandboxOptions {
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Serve HTTPS with this key and certificate (see tls.ts). */
  tls?: { key: string; cert: string } | undefined;
  settings?: Partial<SandboxSettings>;
  /** Clock in epoch milliseconds (default Date.now), e.g. to expire codes and tokens in tests. */
  now?: () => number;
  /** Receives one line per request (method, path, status; never bodies or headers). Off by default. */
  log?: ((line: string) => void) | undefined;
  /**
   * OAuth callback URL of every app that has none of its own (absolute http(s), no fragment). Default: the
   * sandbox's own page, `<url>/oauth/callback`.
   */
  callbackUrl?: string | undefined;
  /** Scopes of the seeded app (validated as in `createApp`); default `DEFAULT_APP_SCOPES`. */
  appScopes?: string[] | undefined;
}

export interface Sandbox {
  readonly url: string;
  readonly port: number;
  /** One app seeded at start: requireClientCredentials true, name "Sandbox app", no callback URL of its own. */
  readonly app: SandboxApp;
  /** Mutable by tests; read on every request. */
  readonly settings: SandboxSettings;
  /** Every request received (incl. OPTIONS), in arrival order. */
  readonly requests: RecordedRequest[];
  /** Just the `POST /oauth/token?refresh` requests. */
  tokenRefreshRequests(): RecordedRequest[];
  /** Just the `POST /oauth/token` requests without `?refresh` (code exchanges, whatever their query). */
  codeExchangeRequests(): RecordedRequest[];
  /** Just the `GET /oauth/authorize` requests (the consent page), valid or not. */
  authorizeRequests(): RecordedRequest[];
  /** Just the `GET /v3/account` requests (not their preflights), whatever the answer. */
  accountRequests(): RecordedRequest[];
  /**
   * A new app (requireClientCredentials default true). `callbackUrl` must be an absolute http(s) URL without a
   * fragment (it throws otherwise); it is stored normalised. `scopes` (default `DEFAULT_APP_SCOPES`) must be
   * known scope names, without mixing the owner-charged ones (`basic_account_info`, `request_signature`) and
   * the user-charged ones, which Dropbox Sign keeps apart; it throws otherwise.
   */
  createApp(opts?: {
    requireClientCredentials?: boolean;
    name?: string;
    callbackUrl?: string;
    scopes?: string[];
  }): SandboxApp;
  /**
   * Set the OAuth callback URL of `app` (default: the seeded app), e.g. to the extension's
   * `identity.getRedirectURL()`; `undefined` goes back to the sandbox default. Validated as in `createApp`.
   * Apps keep it across `reset()`.
   */
  setCallbackUrl(url: string | undefined, app?: SandboxApp): void;
  /**
   * Where Approve and Deny redirect for `app` (default: the seeded app): its own callback URL, else
   * `SandboxOptions.callbackUrl`, else `<url>/oauth/callback`. The `Location` is this plus the query.
   */
  callbackUrlFor(app?: SandboxApp): string;
  /**
   * A consent-page URL: `<base>/oauth/authorize?response_type=code&client_id=...[&state=...]`, `base`
   * defaulting to `url` (pass e.g. 'https://app.hellosign.com' when a browser maps that host here).
   */
  authorizeUrl(opts?: { app?: SandboxApp; state?: string; base?: string }): string;
  /**
   * The next consent redirect (Approve or Deny) carries `state` (default: a random value different from the
   * request's) instead of the request's state, or adds it when the request had none; applies once. The code it
   * carries stays bound to the request's own state. Cleared by `reset()`.
   */
  tamperNextState(state?: string): void;
  /** Codes minted since the start or the last `reset()`, in issue order (they stay valid across a reset). */
  issuedCodes(): IssuedCode[];
  /** Mint a valid refresh token for the app (default: the seeded app). */
  issueRefreshToken(app?: SandboxApp): string;
  /**
   * Mint an authorization code, valid once for an hour, bound to `state` when one is given (an exchange must
   * then send that state).
   */
  issueAuthorizationCode(app?: SandboxApp, state?: string): string;
  isRefreshTokenValid(token: string): boolean;
  /** Access tokens issued by the token endpoint, in issue order. */
  issuedAccessTokens(): string[];
  /** The tokens of the last successful token response (refreshToken as sent in the body, if any). */
  lastIssued(): { accessToken: string; refreshToken?: string } | undefined;
  /** Queue a fault for the next `times` (default 1) token-endpoint POSTs. */
  injectFault(fault: Fault, times?: number): void;
  /**
   * Queue a fault for the next `times` (default 1) `GET /v3/account` requests, in a queue of its own (the token
   * endpoint's faults never apply there, nor these to it). It is applied before the token is looked at.
   */
  injectAccountFault(fault: Fault, times?: number): void;
  /** Drops the queued faults of both queues. */
  clearFaults(): void;
  /**
   * Hold the next token-endpoint POST that arrives after this call (each call holds one more, in arrival
   * order). See `Hold`.
   */
  holdNext(): Hold;
  /**
   * Resolves with the next request (any method and path, OPTIONS included) that arrives after this call and
   * matches `predicate`, once it has arrived in full and been recorded; rejects on close/reset. A token POST
   * has taken its hold and its queued fault by then: a fault injected afterwards is for the next one.
   */
  nextRequest(predicate?: (request: RecordedRequest) => boolean): Promise<RecordedRequest>;
  /**
   * Clear records (requests, issued access tokens and codes), faults, a pending `tamperNextState` and the
   * rate-limit count; restore the start settings; end held requests without an answer and cancel pending holds
   * and `nextRequest` waits. Apps (with their callback URLs), tokens, codes and consent pages stay valid.
   */
  reset(): void;
  /** Stop listening; ends open connections and held requests (never answered), cancels pending waits. */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------------

export const DEFAULT_SETTINGS: Readonly<SandboxSettings> = Object.freeze({
  rotateRefreshTokens: true,
  expiresIn: 3600,
  returnRefreshToken: true,
  errorShape: 'oauth',
});

/** Scopes where the app owner is charged; they cannot be mixed with the user-charged ones. */
const OWNER_CHARGED_SCOPES: readonly string[] = ['basic_account_info', 'request_signature'];
/** Scopes where the user is charged. */
const USER_CHARGED_SCOPES: readonly string[] = [
  'account_access',
  'signature_request_access',
  'template_access',
  'team_access',
  'api_app_access',
];
/** Every scope an app's settings offer. */
export const KNOWN_SCOPES: readonly string[] = [...OWNER_CHARGED_SCOPES, ...USER_CHARGED_SCOPES];
/** Scopes of an app created without any given (the seeded one included): `GET /v3/account` is allowed. */
export const DEFAULT_APP_SCOPES: readonly string[] = Object.freeze([
  'basic_account_info',
  'request_signature',
]);
/** Either of these lets an access token read `GET /v3/account`. */
const ACCOUNT_SCOPES: readonly string[] = ['basic_account_info', 'account_access'];
/** The 403 `forbidden` message for a token whose app lacks both account scopes (our wording). */
export const MISSING_ACCOUNT_SCOPE =
  'Your app is not authorized to access this endpoint: it requires one of the scopes basic_account_info, account_access';

const TOKEN_PATH = '/oauth/token';
const ACCOUNT_PATH = '/v3/account';
const AUTHORIZE_PATH = '/oauth/authorize';
const DECISION_PATH = '/oauth/authorize/decision';
const CALLBACK_PATH = '/oauth/callback';
const SEEDED_APP_NAME = 'Sandbox app';
/** The HTML routes: one method each, no CORS preflight, no faults or holds. */
const PAGE_ROUTES: Record<
  string,
  { name: 'authorize' | 'decision' | 'callback'; method: string } | undefined
> = {
  [AUTHORIZE_PATH]: { name: 'authorize', method: 'GET' },
  [DECISION_PATH]: { name: 'decision', method: 'POST' },
  [CALLBACK_PATH]: { name: 'callback', method: 'GET' },
};
const MAX_BODY_BYTES = 1024 * 1024;
/** Bodies of the `malformed-json` fault: the start of the endpoint's real answer, cut off. */
const MALFORMED_TOKEN = '{"access_token": "abc",';
const MALFORMED_ACCOUNT = '{"account": {"account_id": "5008b25c7f67153e57d5a357b1687968068fb465",';
const CODE_LIFETIME_MS = 3600_000;
/** Lifetime of access tokens when `expiresIn` is not a number (e.g. 'omit' or a string). */
const FALLBACK_LIFETIME_S = 3600;
const RATE_LIMIT_PER_HOUR = 100;
/** Token responses must not be cached (RFC 6749 §5.1). */
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };
/**
 * Exposed to scripts by CORS. `X-RateLimit-Limit-Remaining` is how the live API has been seen spelling the
 * remaining count; the sandbox sends it beside `X-RateLimit-Remaining` on `GET /v3/account` answers.
 */
const RATE_LIMIT_HEADERS = [
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Limit-Remaining',
  'X-Ratelimit-Reset',
  'Retry-After',
];

const INVALID_REFRESH = 'The refresh token is invalid, expired or has already been used';
/** The live service's answer to a wrong, stale or reused code (its spelling, "inital" included). */
export const INVALID_CODE =
  'Either the combo client_id/code is wrong or this request was made more than 1 hour after the inital grant';
const SCOPE_REJECTED = "scope is not accepted; scopes are set in the app's settings";
const DENIED_DESCRIPTION = 'The user denied the authorization request';

/** `error_name` per HTTP status, as listed in the spec's ErrorResponse (405/413/5xx are our own). */
const DROPBOX_ERROR_NAMES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  402: 'payment_required',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  410: 'deleted',
  413: 'payload_too_large',
  422: 'unprocessable_entity',
  429: 'exceeded_rate',
};

/** Body of `GET /v3/account`, from examples/AccountGetResponse.json of hellosign-openapi (Apache-2.0). */
const ACCOUNT_BODY = {
  account: {
    account_id: '5008b25c7f67153e57d5a357b1687968068fb465',
    email_address: 'me@dropboxsign.com',
    is_locked: false,
    is_paid_hs: true,
    is_paid_hf: false,
    quotas: {
      api_signature_requests_left: 1250,
      documents_left: null,
      templates_left: null,
      sms_signatures_left: 1,
    },
    callback_url: null,
    role_code: null,
    locale: 'en-US',
  },
};

// ---------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------

/** A rejected token request: `code` is the RFC 6749 error code, `status` the HTTP status. */
class TokenError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
const invalidRequest = (msg: string) => new TokenError(400, 'invalid_request', msg);
const invalidClient = (msg: string) => new TokenError(401, 'invalid_client', msg);
const invalidGrant = (msg: string) => new TokenError(400, 'invalid_grant', msg);

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
/** Like the spec examples: base64 of a random hex string, e.g. "MDZhYzBl...=" (64 chars). */
const newAccessToken = () => Buffer.from(hex(24)).toString('base64');
/** Like the spec example "hNTI2MTFm...": 'h' + unpadded base64 of random hex (57 chars). */
const newRefreshToken = () => 'h' + Buffer.from(hex(21)).toString('base64').replace(/=+$/, '');

/** Validate and normalise an OAuth callback URL: absolute http(s), no fragment. Throws otherwise. */
function normaliseCallbackUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`Invalid callback URL (not an absolute URL): ${url}`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new Error(`Invalid callback URL (not http or https): ${url}`);
  }
  if (parsed.href.includes('#')) throw new Error(`Invalid callback URL (it has a fragment): ${url}`);
  return parsed.href;
}

/** Validate an app's scopes (see `Sandbox.createApp`) and return a copy. Throws otherwise. */
function checkScopes(scopes: readonly string[]): string[] {
  const unknown = scopes.filter((scope) => !KNOWN_SCOPES.includes(scope));
  if (unknown.length) {
    throw new Error(`Unknown scope ${unknown.join(', ')}; known: ${KNOWN_SCOPES.join(', ')}`);
  }
  if (
    scopes.some((scope) => OWNER_CHARGED_SCOPES.includes(scope)) &&
    scopes.some((scope) => USER_CHARGED_SCOPES.includes(scope))
  ) {
    throw new Error(
      `Scopes where the app owner is charged (${OWNER_CHARGED_SCOPES.join(', ')}) cannot be mixed with scopes where the user is charged`,
    );
  }
  return [...new Set(scopes)];
}

/**
 * `base` with `params` appended to its query; an existing query is kept as it is (RFC 6749 §3.1.2).
 * Undefined values are left out.
 */
function withQuery(base: string, params: [string, string | undefined][]): string {
  const url = new URL(base);
  const extra = new URLSearchParams();
  for (const [name, value] of params) if (value !== undefined) extra.append(name, value);
  const existing = url.search.slice(1);
  url.search = existing ? `${existing}&${extra.toString()}` : extra.toString();
  return url.href;
}

/** Escape text for HTML content and double-quoted attributes (the pages use no other kind). */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}

/** A small self-contained HTML page (no script). `body` is HTML; the title is escaped. */
function htmlPage(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem}
code{word-break:break-all}button{font:inherit;padding:.4rem 1.2rem;margin-right:.5rem}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

/** Constant-time string comparison (hashing first makes the lengths equal). */
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

function dropboxErrorName(status: number): string {
  return DROPBOX_ERROR_NAMES[status] ?? (status >= 500 ? 'internal_server_error' : 'bad_request');
}

function dropboxError(status: number, msg: string): unknown {
  return { error: { error_msg: msg, error_name: dropboxErrorName(status) } };
}

/** Read a body up to MAX_BODY_BYTES; `undefined` when it is larger (the rest is drained). */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Parse a token request body: JSON (any charset parameter) or form-urlencoded; anything else is a 400. */
function parseTokenBody(contentType: string | undefined, text: string): Record<string, unknown> {
  const media = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (media === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw invalidRequest('The request body is not valid JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw invalidRequest('The request body must be a JSON object');
    }
    return parsed as Record<string, unknown>;
  }
  if (media === 'application/x-www-form-urlencoded') {
    const fields: Record<string, unknown> = {};
    for (const [k, v] of new URLSearchParams(text)) if (!(k in fields)) fields[k] = v;
    return fields;
  }
  throw invalidRequest(
    media
      ? `Unsupported Content-Type ${media}; send application/json`
      : 'Missing Content-Type; send application/json',
  );
}

/** A string field; missing, null and '' read as absent, any other non-string is a 400. */
function field(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw invalidRequest(`${name} must be a string`);
  return value;
}

interface ClientCredentials {
  id: string | undefined;
  secret: string | undefined;
}

/** Credentials from `Authorization: Basic base64(id:secret)`; other schemes (e.g. Bearer) are ignored. */
function basicCredentials(header: string | undefined): ClientCredentials | undefined {
  const match = /^Basic(?:\s+(.*))?$/i.exec(header?.trim() ?? '');
  if (!match) return undefined;
  const encoded = match[1]?.trim() ?? '';
  const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(encoded)
    ? Buffer.from(encoded, 'base64').toString('utf8')
    : '';
  const colon = decoded.indexOf(':');
  if (colon < 0) throw invalidClient('Malformed Basic authorization header');
  return { id: decoded.slice(0, colon) || undefined, secret: decoded.slice(colon + 1) || undefined };
}

/** Merge body and Basic credentials; when both carry a value they must agree. */
function clientCredentials(req: IncomingMessage, body: Record<string, unknown>) {
  const basic = basicCredentials(req.headers.authorization);
  const merge = (name: string, fromBody: string | undefined, fromBasic: string | undefined) => {
    if (fromBody !== undefined && fromBasic !== undefined && fromBody !== fromBasic) {
      throw invalidClient(`The ${name} in the body and in the Authorization header do not match`);
    }
    return fromBody ?? fromBasic;
  };
  return {
    id: merge('client_id', field(body, 'client_id'), basic?.id),
    secret: merge('client_secret', field(body, 'client_secret'), basic?.secret),
  };
}

/** Take the head of a fault queue, counting down its `remaining`. */
function takeFrom(queue: { fault: Fault; remaining: number }[]): Fault | undefined {
  const head = queue[0];
  if (!head) return undefined;
  if (--head.remaining <= 0) queue.shift();
  return head.fault;
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/** Split the raw request target without normalising it, so `?refresh` stays distinguishable from `?refresh=`. */
function splitTarget(target: string): { path: string; search: string } {
  const q = target.indexOf('?');
  return q < 0 ? { path: target, search: '' } : { path: target.slice(0, q), search: target.slice(q) };
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: Error): void;
}

/** A promise with its settle functions (Node 20 has no Promise.withResolvers). */
function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Marked handled: a hold or wait the test never awaits must not fail the run when close() rejects it.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

// ---------------------------------------------------------------------------------------------------
// The sandbox
// ---------------------------------------------------------------------------------------------------

/** A hold's inner state: `gate` opens on release (true) or close/reset (false). */
interface HoldState {
  arrived: Deferred<RecordedRequest>;
  gate: Deferred<boolean>;
  outcome: Deferred<HeldOutcome>;
  released: boolean;
  ended: boolean;
}

interface RequestWait {
  predicate: (request: RecordedRequest) => boolean;
  found: Deferred<RecordedRequest>;
}

interface RefreshRecord {
  app: SandboxApp;
  valid: boolean;
}
interface CodeRecord {
  app: SandboxApp;
  state: string | undefined;
  issuedAt: number;
  used: boolean;
  via: IssuedCode['via'];
}
/** One rendering of the consent page; its form posts the id back, once. */
interface ConsentRecord {
  app: SandboxApp;
  state: string | undefined;
  answered: boolean;
}
interface AccessRecord {
  app: SandboxApp;
  expiresAt: number;
  /** The app's scopes when the token was issued. */
  scopes: readonly string[];
}
type TokenBody = Record<string, unknown>;

class SandboxServer implements Sandbox {
  url = '';
  port = 0;
  readonly app: SandboxApp;
  readonly settings: SandboxSettings;
  readonly requests: RecordedRequest[] = [];

  private readonly server: http.Server;
  private readonly now: () => number;
  private readonly log: ((line: string) => void) | undefined;
  private readonly startSettings: SandboxSettings;
  /** Holds not yet claimed by a request, oldest first. */
  private unclaimedHolds: HoldState[] = [];
  /** Holds claimed by a request that has not been answered yet. */
  private readonly heldRequests = new Set<HoldState>();
  private requestWaits: RequestWait[] = [];

  private readonly apps = new Map<string, SandboxApp>();
  private readonly refreshTokens = new Map<string, RefreshRecord>();
  private readonly accessTokens = new Map<string, AccessRecord>();
  private readonly codes = new Map<string, CodeRecord>();
  private readonly consents = new Map<string, ConsentRecord>();
  private readonly defaultCallbackUrl: string | undefined;
  private issued: string[] = [];
  /** Codes minted since the start or the last reset, in issue order. */
  private issuedCodeList: string[] = [];
  private pendingStateTamper: string | undefined;
  private last: { accessToken: string; refreshToken?: string } | undefined;
  private faults: { fault: Fault; remaining: number }[] = [];
  private accountFaults: { fault: Fault; remaining: number }[] = [];
  private rate = { used: 0, resetAt: 0 };

  constructor(private readonly options: SandboxOptions) {
    this.now = options.now ?? Date.now;
    this.log = options.log;
    this.startSettings = { ...DEFAULT_SETTINGS, ...options.settings };
    this.settings = { ...this.startSettings };
    this.defaultCallbackUrl =
      options.callbackUrl === undefined ? undefined : normaliseCallbackUrl(options.callbackUrl);
    this.app = this.createApp({
      name: SEEDED_APP_NAME,
      ...(options.appScopes ? { scopes: options.appScopes } : {}),
    });
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
    this.server = options.tls ? https.createServer({ ...options.tls }, handler) : http.createServer(handler);
  }

  async listen(): Promise<void> {
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
    // A wildcard address is not something to connect to; name the loopback instead.
    const shown = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
    const hostPart = shown.includes(':') ? `[${shown}]` : shown;
    this.url = `${this.options.tls ? 'https' : 'http'}://${hostPart}:${this.port}`;
  }

  // --- test controls -------------------------------------------------------------------------------

  tokenRefreshRequests(): RecordedRequest[] {
    return this.requests.filter(
      (r) => r.method === 'POST' && r.path === TOKEN_PATH && r.search === '?refresh',
    );
  }

  codeExchangeRequests(): RecordedRequest[] {
    return this.requests.filter(
      (r) => r.method === 'POST' && r.path === TOKEN_PATH && r.search !== '?refresh',
    );
  }

  authorizeRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'GET' && r.path === AUTHORIZE_PATH);
  }

  accountRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'GET' && r.path === ACCOUNT_PATH);
  }

  createApp(
    opts: { requireClientCredentials?: boolean; name?: string; callbackUrl?: string; scopes?: string[] } = {},
  ): SandboxApp {
    const app: SandboxApp = {
      clientId: hex(16),
      clientSecret: hex(16),
      requireClientCredentials: opts.requireClientCredentials ?? true,
      scopes: checkScopes(opts.scopes ?? DEFAULT_APP_SCOPES),
    };
    if (opts.name !== undefined) app.name = opts.name;
    if (opts.callbackUrl !== undefined) app.callbackUrl = normaliseCallbackUrl(opts.callbackUrl);
    this.apps.set(app.clientId, app);
    return app;
  }

  setCallbackUrl(url: string | undefined, app: SandboxApp = this.app): void {
    const stored = this.known(app);
    if (url === undefined) delete stored.callbackUrl;
    else stored.callbackUrl = normaliseCallbackUrl(url);
  }

  callbackUrlFor(app: SandboxApp = this.app): string {
    return this.known(app).callbackUrl ?? this.defaultCallbackUrl ?? `${this.url}${CALLBACK_PATH}`;
  }

  authorizeUrl(opts: { app?: SandboxApp; state?: string; base?: string } = {}): string {
    const app = this.known(opts.app ?? this.app);
    const query = new URLSearchParams({ response_type: 'code', client_id: app.clientId });
    if (opts.state !== undefined) query.set('state', opts.state);
    return `${opts.base ?? this.url}${AUTHORIZE_PATH}?${query.toString()}`;
  }

  tamperNextState(state?: string): void {
    this.pendingStateTamper = state ?? `tampered-${hex(8)}`;
  }

  issuedCodes(): IssuedCode[] {
    return this.issuedCodeList.flatMap((code) => {
      const record = this.codes.get(code);
      if (!record) return [];
      return [
        {
          code,
          clientId: record.app.clientId,
          state: record.state,
          issuedAt: record.issuedAt,
          expiresAt: record.issuedAt + CODE_LIFETIME_MS,
          used: record.used,
          via: record.via,
        },
      ];
    });
  }

  issueRefreshToken(app: SandboxApp = this.app): string {
    const token = newRefreshToken();
    this.refreshTokens.set(token, { app: this.known(app), valid: true });
    return token;
  }

  issueAuthorizationCode(app: SandboxApp = this.app, state?: string): string {
    return this.mintCode(this.known(app), state, 'issueAuthorizationCode');
  }

  private mintCode(app: SandboxApp, state: string | undefined, via: IssuedCode['via']): string {
    const code = hex(8); // 16 hex digits, like the live service's codes
    this.codes.set(code, { app, state, issuedAt: this.now(), used: false, via });
    this.issuedCodeList.push(code);
    return code;
  }

  isRefreshTokenValid(token: string): boolean {
    return this.refreshTokens.get(token)?.valid === true;
  }

  issuedAccessTokens(): string[] {
    return [...this.issued];
  }

  lastIssued(): { accessToken: string; refreshToken?: string } | undefined {
    return this.last && { ...this.last };
  }

  injectFault(fault: Fault, times = 1): void {
    if (times > 0) this.faults.push({ fault, remaining: times });
  }

  injectAccountFault(fault: Fault, times = 1): void {
    if (times > 0) this.accountFaults.push({ fault, remaining: times });
  }

  clearFaults(): void {
    this.faults = [];
    this.accountFaults = [];
  }

  holdNext(): Hold {
    const state: HoldState = {
      arrived: deferred(),
      gate: deferred(),
      outcome: deferred(),
      released: false,
      ended: false,
    };
    this.unclaimedHolds.push(state);
    return {
      arrived: state.arrived.promise,
      outcome: state.outcome.promise,
      release: () => {
        if (state.ended || state.released) return;
        state.released = true;
        state.gate.resolve(true);
      },
    };
  }

  nextRequest(predicate: (request: RecordedRequest) => boolean = () => true): Promise<RecordedRequest> {
    const found = deferred<RecordedRequest>();
    this.requestWaits.push({ predicate, found });
    return found.promise;
  }

  reset(): void {
    this.endHoldsAndWaits('The sandbox was reset');
    this.requests.length = 0;
    this.issued = [];
    this.issuedCodeList = [];
    this.pendingStateTamper = undefined;
    this.last = undefined;
    this.clearFaults();
    this.rate = { used: 0, resetAt: 0 };
    Object.assign(this.settings, this.startSettings);
  }

  async close(): Promise<void> {
    this.endHoldsAndWaits('The sandbox was closed');
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections(); // keep-alive sockets would otherwise hold close() open
    await closed;
  }

  /** Held requests end unanswered (their handlers return); holds and waits not yet met are rejected. */
  private endHoldsAndWaits(reason: string): void {
    for (const state of [...this.unclaimedHolds, ...this.heldRequests]) {
      if (state.ended) continue;
      state.ended = true;
      state.arrived.reject(new Error(`${reason} before the held request arrived`));
      state.gate.resolve(false);
      state.outcome.resolve({ kind: 'closed' });
    }
    this.unclaimedHolds = [];
    this.heldRequests.clear();
    for (const wait of this.requestWaits)
      wait.found.reject(new Error(`${reason} before the request arrived`));
    this.requestWaits = [];
  }

  /** Records a request that has arrived in full and wakes the `nextRequest` waits it meets. */
  private record(request: RecordedRequest): void {
    this.requests.push(request);
    const waits = this.requestWaits;
    this.requestWaits = [];
    for (const wait of waits) {
      let matches: boolean;
      try {
        matches = wait.predicate(request);
      } catch (error) {
        wait.found.reject(error instanceof Error ? error : new Error(String(error)));
        continue;
      }
      if (matches) wait.found.resolve(request);
      else this.requestWaits.push(wait);
    }
  }

  /** The stored app for a SandboxApp handle; throws for an app of another sandbox. */
  private known(app: SandboxApp): SandboxApp {
    const stored = this.apps.get(app.clientId);
    if (!stored) throw new Error('Unknown app: create it with createApp() on this sandbox');
    return stored;
  }

  // --- HTTP ----------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = this.now();
    const method = req.method ?? 'GET';
    const { path, search } = splitTarget(req.url ?? '/');
    res.on('close', () => this.logLine(method, path, search, res));
    this.setCorsHeaders(req, res);
    try {
      const body = await readBody(req);
      const recorded: RecordedRequest = {
        method,
        path,
        search,
        headers: flattenHeaders(req),
        bodyText: body ?? '',
        receivedAt,
      };
      this.record(recorded);
      if (body === undefined) {
        this.sendJson(res, 413, dropboxError(413, 'Request body too large'));
        return;
      }

      const page = PAGE_ROUTES[path];
      if (page) {
        if (method !== page.method) {
          this.methodNotAllowed(res, page.method);
          return;
        }
        if (page.name === 'authorize') this.authorizePage(res, search);
        else if (page.name === 'decision') this.decision(req, res, body);
        else this.callbackPage(req, res, search);
        return;
      }

      const route = path === TOKEN_PATH ? 'token' : path === ACCOUNT_PATH ? 'account' : undefined;
      if (!route) {
        this.sendJson(res, 404, dropboxError(404, 'Not found'));
        return;
      }
      if (method === 'OPTIONS') {
        this.preflight(res);
        return;
      }
      if (route === 'account') {
        if (method !== 'GET') {
          this.methodNotAllowed(res, 'GET, OPTIONS');
          return;
        }
        this.account(req, res);
        return;
      }
      if (method !== 'POST') {
        this.methodNotAllowed(res, 'POST, OPTIONS');
        return;
      }
      if (search !== '' && search !== '?refresh') {
        this.tokenError(
          res,
          invalidRequest('Unsupported query string; the refresh URL is /oauth/token?refresh'),
        );
        return;
      }
      await this.token(req, res, recorded, search === '?refresh' ? 'refresh' : 'code');
    } catch {
      // Only reached on a broken connection or a bug; say nothing that could hold a secret.
      if (!res.headersSent && !res.destroyed)
        this.sendJson(res, 500, dropboxError(500, 'Internal sandbox error'));
    }
  }

  /** One token-endpoint POST: wait while held, then apply its queued fault, else process the grant. */
  private async token(
    req: IncomingMessage,
    res: ServerResponse,
    recorded: RecordedRequest,
    grant: 'refresh' | 'code',
  ): Promise<void> {
    // Both taken on arrival: concurrent requests get their holds and faults in the order they came.
    const hold = this.unclaimedHolds.shift();
    const fault = this.takeFault();
    if (!hold) {
      this.answerToken(req, res, recorded.bodyText, grant, fault);
      return;
    }

    this.heldRequests.add(hold);
    hold.arrived.resolve(recorded);
    const released = await hold.gate.promise;
    this.heldRequests.delete(hold);
    if (!released) return; // closed or reset: ended unanswered (its outcome says so already)
    hold.ended = true;
    try {
      this.answerToken(req, res, recorded.bodyText, grant, fault);
    } catch (error) {
      hold.outcome.resolve({ kind: 'answered', status: 500 }); // handle() answers 500 for it
      throw error;
    }
    hold.outcome.resolve(
      fault?.kind === 'drop' ? { kind: 'dropped' } : { kind: 'answered', status: res.statusCode },
    );
  }

  private answerToken(
    req: IncomingMessage,
    res: ServerResponse,
    bodyText: string,
    grant: 'refresh' | 'code',
    fault: Fault | undefined,
  ): void {
    if (fault) {
      this.answerFault(req, res, fault);
      return;
    }
    let result: TokenBody;
    try {
      const body = parseTokenBody(req.headers['content-type'], bodyText);
      result = grant === 'refresh' ? this.refreshGrant(req, body) : this.codeGrant(req, body);
    } catch (err) {
      if (err instanceof TokenError) {
        this.tokenError(res, err);
        return;
      }
      throw err;
    }
    this.sendJson(res, 200, result, { ...this.rateHeaders(), ...NO_STORE });
  }

  /** `grant_type=refresh_token`: validate, then issue (and rotate per settings). */
  private refreshGrant(req: IncomingMessage, body: Record<string, unknown>): TokenBody {
    const grantType = field(body, 'grant_type');
    if (!grantType) throw invalidRequest('Missing grant_type');
    if (grantType !== 'refresh_token') {
      throw new TokenError(400, 'unsupported_grant_type', 'grant_type must be refresh_token');
    }
    const token = field(body, 'refresh_token');
    if (!token) throw invalidRequest('Missing refresh_token');
    const client = this.authenticateClient(clientCredentials(req, body), false);

    const record = this.refreshTokens.get(token);
    if (!record?.valid || (client && record.app !== client)) throw invalidGrant(INVALID_REFRESH);
    if (!client && record.app.requireClientCredentials) {
      throw invalidClient('Client credentials are required for this app');
    }

    let refreshOut: string | undefined;
    if (this.settings.returnRefreshToken) {
      if (this.settings.rotateRefreshTokens) {
        record.valid = false;
        refreshOut = this.issueRefreshToken(record.app);
      } else {
        refreshOut = token;
      }
    }
    return this.tokenResponse(record.app, refreshOut, null);
  }

  /**
   * `grant_type=authorization_code`: every field required (a missing one is a 400 invalid_request naming it,
   * "Parameter client_id is missing" as live), the client authenticated (unknown client or wrong secret: 401
   * invalid_client), then the code: unknown, another app's, already spent or issued more than an hour ago is
   * the live 400 invalid_request `INVALID_CODE`. A code bound to a state needs that state (a mismatch spends
   * nothing). Credentials may come in the body or by HTTP Basic.
   */
  private codeGrant(req: IncomingMessage, body: Record<string, unknown>): TokenBody {
    const grantType = field(body, 'grant_type');
    if (!grantType) throw invalidRequest('Parameter grant_type is missing');
    if (grantType !== 'authorization_code') {
      throw new TokenError(400, 'unsupported_grant_type', 'grant_type must be authorization_code');
    }
    const creds = clientCredentials(req, body);
    if (creds.id === undefined) throw invalidRequest('Parameter client_id is missing');
    if (creds.secret === undefined) throw invalidRequest('Parameter client_secret is missing');
    const code = field(body, 'code');
    if (!code) throw invalidRequest('Parameter code is missing');
    const state = field(body, 'state');
    const client = this.authenticateClient(creds, true);

    const record = this.codes.get(code);
    if (!record || record.used || this.now() - record.issuedAt > CODE_LIFETIME_MS || record.app !== client) {
      throw invalidRequest(INVALID_CODE);
    }
    if (record.state !== undefined && state !== record.state) {
      throw invalidRequest('The state does not match the one of the authorization request');
    }
    record.used = true;
    return this.tokenResponse(record.app, this.issueRefreshToken(record.app), state ?? null);
  }

  /**
   * Check client credentials. Returns the app, or undefined when no client_id was sent (allowed only
   * when `required` is false; the refresh token's app then decides).
   */
  private authenticateClient(creds: ClientCredentials, required: boolean): SandboxApp | undefined {
    if (creds.id === undefined) {
      if (creds.secret !== undefined) throw invalidRequest('client_secret was sent without client_id');
      if (required) throw invalidClient('Client credentials are required for this app');
      return undefined;
    }
    const app = this.apps.get(creds.id);
    if (!app) throw invalidClient('Invalid Client');
    if (creds.secret === undefined) {
      if (required || app.requireClientCredentials)
        throw invalidClient('Client credentials are required for this app');
      return app;
    }
    if (!sameSecret(creds.secret, app.clientSecret)) throw invalidClient('Wrong client secret');
    return app;
  }

  /** Mint an access token and build the 200 body in the field order of the spec example. */
  private tokenResponse(app: SandboxApp, refreshToken: string | undefined, state: string | null): TokenBody {
    const accessToken = newAccessToken();
    const expiresIn = this.settings.expiresIn;
    const now = this.now();
    let expiresAt = now + FALLBACK_LIFETIME_S * 1000;
    if (typeof expiresIn === 'number' && Number.isFinite(expiresIn)) {
      // A value above 10^9 can only be an epoch timestamp (the spec's "Uses epoch time").
      expiresAt = expiresIn > 1e9 ? expiresIn * 1000 : now + expiresIn * 1000;
    }
    this.accessTokens.set(accessToken, { app, expiresAt, scopes: [...(app.scopes ?? DEFAULT_APP_SCOPES)] });
    this.issued.push(accessToken);
    this.last = refreshToken === undefined ? { accessToken } : { accessToken, refreshToken };

    const body: TokenBody = { access_token: accessToken };
    if (expiresIn !== 'omit') body.expires_in = expiresIn;
    if (refreshToken !== undefined) body.refresh_token = refreshToken;
    body.token_type = 'Bearer';
    body.state = state;
    return body;
  }

  /**
   * `GET /v3/account`: its queued fault if any; else 200 for an issued, unexpired access token whose scopes
   * allow it (with rate-limit headers), 403 `forbidden` for one whose scopes do not, the Dropbox 401 envelope
   * otherwise (no rate-limit headers on the errors, as seen live).
   */
  private account(req: IncomingMessage, res: ServerResponse): void {
    const fault = takeFrom(this.accountFaults);
    if (fault) {
      this.answerFault(req, res, fault, 'account');
      return;
    }
    const header = req.headers.authorization;
    if (!header) {
      this.sendJson(res, 401, dropboxError(401, 'Unauthorized user. No credentials supplied.'));
      return;
    }
    const token = /^Bearer\s+(\S+)\s*$/i.exec(header.trim())?.[1];
    const record = token === undefined ? undefined : this.accessTokens.get(token);
    if (!record || this.now() >= record.expiresAt) {
      this.sendJson(res, 401, dropboxError(401, 'Unauthorized api key'));
      return;
    }
    if (!record.scopes.some((scope) => ACCOUNT_SCOPES.includes(scope))) {
      this.sendJson(res, 403, dropboxError(403, MISSING_ACCOUNT_SCOPE));
      return;
    }
    this.sendJson(res, 200, ACCOUNT_BODY, this.rateHeaders('account'));
  }

  // --- consent pages -------------------------------------------------------------------------------

  /**
   * `GET /oauth/authorize`: 400 page unless `response_type=code`, a known `client_id`, and no `scope` (the live
   * service breaks on one); each parameter at most once. `state` is optional and passed through. Other
   * parameters (e.g. a `redirect_uri`) are ignored: the app's callback URL decides where the answer goes.
   */
  private authorizePage(res: ServerResponse, search: string): void {
    const query = new URLSearchParams(search);
    for (const name of ['response_type', 'client_id', 'state', 'scope']) {
      if (query.getAll(name).length > 1) {
        this.badRequestPage(res, `${name} is given more than once.`);
        return;
      }
    }
    const responseType = query.get('response_type');
    if (responseType !== 'code') {
      this.badRequestPage(
        res,
        responseType === null || responseType === ''
          ? 'response_type is missing; it must be code.'
          : 'response_type must be code.',
      );
      return;
    }
    const clientId = query.get('client_id');
    if (clientId === null || clientId === '') {
      this.badRequestPage(res, 'client_id is missing.');
      return;
    }
    const app = this.apps.get(clientId);
    if (!app) {
      this.badRequestPage(res, 'client_id is not the client ID of a known app.');
      return;
    }
    if (query.has('scope')) {
      this.badRequestPage(res, `${SCOPE_REJECTED}.`);
      return;
    }
    const state = query.get('state') || undefined;

    const consent = hex(16);
    this.consents.set(consent, { app, state, answered: false });
    const shownName = app.name ?? app.clientId;
    const body = `<p><strong>${escapeHtml(shownName)}</strong> asks for access to your Dropbox Sign account, with the scopes set in the app's settings.</p>
<p>Client ID: <code>${escapeHtml(app.clientId)}</code></p>
<p>Your answer is sent to the app's OAuth callback URL: <code>${escapeHtml(this.callbackUrlFor(app))}</code></p>
<form method="post" action="${DECISION_PATH}">
<input type="hidden" name="consent" value="${consent}">
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>`;
    this.sendHtml(res, 200, htmlPage(`Authorize ${shownName}`, body));
  }

  /**
   * `POST /oauth/authorize/decision` (form-encoded `consent` and `decision`): a 302 to the app's callback URL,
   * `?code=&state=` for approve (a new code, single use, valid an hour, bound to the request's state),
   * `?error=access_denied&error_description=&state=` for deny. A consent page is answered once.
   */
  private decision(req: IncomingMessage, res: ServerResponse, bodyText: string): void {
    const media = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (media !== 'application/x-www-form-urlencoded') {
      this.badRequestPage(res, 'The decision must be posted by the consent page form.');
      return;
    }
    const form = new URLSearchParams(bodyText);
    const consent = this.consents.get(form.get('consent') ?? '');
    if (!consent) {
      this.badRequestPage(res, 'Unknown authorization request: open the authorize URL again.');
      return;
    }
    const decision = form.get('decision');
    if (decision !== 'approve' && decision !== 'deny') {
      this.badRequestPage(res, 'decision must be approve or deny.');
      return;
    }
    if (consent.answered) {
      this.badRequestPage(
        res,
        'This authorization request has been answered already: open the authorize URL again.',
      );
      return;
    }
    consent.answered = true;

    const state = this.pendingStateTamper ?? consent.state;
    this.pendingStateTamper = undefined;
    const callback = this.callbackUrlFor(consent.app);
    const location =
      decision === 'approve'
        ? withQuery(callback, [
            ['code', this.mintCode(consent.app, consent.state, 'consent')],
            ['state', state],
          ])
        : withQuery(callback, [
            ['error', 'access_denied'],
            ['error_description', DENIED_DESCRIPTION],
            ['state', state],
          ]);
    this.send(res, 302, `Redirecting to the app's OAuth callback URL\n`, {
      Location: location,
      'Content-Type': 'text/plain; charset=utf-8',
      'Referrer-Policy': 'no-referrer',
      ...NO_STORE,
    });
  }

  /** `GET /oauth/callback`: the default callback; shows what came back as text to copy (paste fallback). */
  private callbackPage(req: IncomingMessage, res: ServerResponse, search: string): void {
    const query = new URLSearchParams(search);
    const code = query.get('code');
    const error = query.get('error');
    if (!code && !error) {
      this.badRequestPage(res, 'Neither a code nor an error came back.');
      return;
    }
    const line = (label: string, id: string, value: string | null) =>
      `<p>${label}: <code id="${id}">${value === null ? '(none)' : escapeHtml(value)}</code></p>`;
    const scheme = this.options.tls ? 'https' : 'http';
    const whole = `${scheme}://${req.headers.host ?? new URL(this.url).host}${CALLBACK_PATH}${search}`;
    const lines = code
      ? [
          '<p>Copy the code (or the whole callback URL) into the app that asked for it.</p>',
          line('Code', 'code', code),
          line('State', 'state', query.get('state')),
        ]
      : [
          line('Error', 'error', error),
          line('Description', 'error-description', query.get('error_description')),
          line('State', 'state', query.get('state')),
        ];
    lines.push(line('Callback URL', 'callback-url', whole));
    this.sendHtml(
      res,
      200,
      htmlPage(code ? 'Authorization code' : 'Authorization not granted', lines.join('\n')),
    );
  }

  private badRequestPage(res: ServerResponse, message: string): void {
    this.sendHtml(res, 400, htmlPage('Bad authorization request', `<p>${escapeHtml(message)}</p>`));
  }

  private sendHtml(res: ServerResponse, status: number, page: string): void {
    this.send(res, status, page, {
      'Content-Type': 'text/html; charset=utf-8',
      'Referrer-Policy': 'no-referrer',
      ...NO_STORE,
    });
  }

  // --- faults --------------------------------------------------------------------------------------

  private takeFault(): Fault | undefined {
    return takeFrom(this.faults);
  }

  /**
   * Answer with `fault`. `route` only shapes the bodies that stand for a real answer: the truncated JSON starts
   * like the endpoint's own, and an account 429 also carries `X-RateLimit-Limit-Remaining: 0`.
   */
  private answerFault(
    req: IncomingMessage,
    res: ServerResponse,
    fault: Fault,
    route: 'token' | 'account' = 'token',
  ): void {
    switch (fault.kind) {
      case 'drop':
        req.socket.destroy();
        return;
      case 'status': {
        const body = fault.body ?? JSON.stringify(dropboxError(fault.status, 'Injected fault'));
        const type = fault.contentType ?? 'application/json';
        this.send(res, fault.status, body, { ...fault.headers, 'Content-Type': type });
        return;
      }
      case 'html': {
        const status = fault.status ?? 502;
        const title = `${status} ${http.STATUS_CODES[status] ?? 'Error'}`;
        const page = `<!DOCTYPE html>\n<html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>\n`;
        this.send(res, status, page, { 'Content-Type': 'text/html; charset=utf-8' });
        return;
      }
      case 'malformed-json':
        this.send(res, fault.status ?? 200, route === 'account' ? MALFORMED_ACCOUNT : MALFORMED_TOKEN, {
          'Content-Type': 'application/json',
        });
        return;
      case 'empty-body':
        this.send(res, fault.status ?? 200, '', { 'Content-Type': 'application/json' });
        return;
      case 'rate-limit': {
        const seconds = fault.resetInSeconds ?? 60;
        this.sendJson(res, 429, dropboxError(429, 'Too many requests.'), {
          'X-RateLimit-Limit': String(RATE_LIMIT_PER_HOUR),
          'X-RateLimit-Remaining': '0',
          ...(route === 'account' ? { 'X-RateLimit-Limit-Remaining': '0' } : {}),
          'X-Ratelimit-Reset': String(Math.floor(this.now() / 1000) + seconds),
          'Retry-After': String(seconds),
        });
        return;
      }
      case 'json':
        this.sendJson(res, fault.status, fault.body);
        return;
      case 'redirect':
        this.send(res, fault.status, `Redirecting to ${fault.location}\n`, {
          Location: fault.location,
          'Content-Type': 'text/plain; charset=utf-8',
          ...NO_STORE,
        });
        return;
    }
  }

  // --- responses -----------------------------------------------------------------------------------

  private tokenError(res: ServerResponse, err: TokenError): void {
    const body =
      this.settings.errorShape === 'dropbox'
        ? dropboxError(err.status, err.message)
        : { error: err.code, error_description: err.message };
    this.sendJson(res, err.status, body, { ...this.rateHeaders(), ...NO_STORE });
  }

  /**
   * Count one request against the hourly window (informational: the sandbox never enforces it). Account
   * answers also spell the remaining count `X-RateLimit-Limit-Remaining`, as the live API has been seen to.
   */
  private rateHeaders(route: 'token' | 'account' = 'token'): Record<string, string> {
    const nowS = Math.floor(this.now() / 1000);
    if (nowS >= this.rate.resetAt) this.rate = { used: 0, resetAt: nowS + 3600 };
    this.rate.used++;
    const remaining = String(Math.max(0, RATE_LIMIT_PER_HOUR - this.rate.used));
    return {
      'X-RateLimit-Limit': String(RATE_LIMIT_PER_HOUR),
      'X-RateLimit-Remaining': remaining,
      ...(route === 'account' ? { 'X-RateLimit-Limit-Remaining': remaining } : {}),
      'X-Ratelimit-Reset': String(this.rate.resetAt),
    };
  }

  /** CORS headers on every response: the Origin echoed (or *), rate-limit headers readable. */
  private setCorsHeaders(req: IncomingMessage, res: ServerResponse): void {
    res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*');
    res.setHeader('Access-Control-Expose-Headers', RATE_LIMIT_HEADERS.join(', '));
    res.setHeader('Vary', 'Origin');
  }

  private preflight(res: ServerResponse): void {
    res.writeHead(204, {
      'Access-Control-Allow-Methods': 'POST, GET, OPTIONS',
      'Access-Control-Allow-Headers': 'Content-Type, Authorization',
      'Access-Control-Max-Age': '600',
    });
    res.end();
  }

  private methodNotAllowed(res: ServerResponse, allow: string): void {
    this.sendJson(res, 405, dropboxError(405, 'Method not allowed'), { Allow: allow });
  }

  private sendJson(
    res: ServerResponse,
    status: number,
    value: unknown,
    headers: Record<string, string> = {},
  ): void {
    this.send(res, status, JSON.stringify(value), { ...headers, 'Content-Type': 'application/json' });
  }

  private send(res: ServerResponse, status: number, body: string, headers: Record<string, string>): void {
    res.writeHead(status, { ...headers, 'Content-Length': String(Buffer.byteLength(body)) });
    res.end(body);
  }

  /** Method, path and status only; a query other than `?refresh` is not echoed (it could hold a code). */
  private logLine(method: string, path: string, search: string, res: ServerResponse): void {
    if (!this.log) return;
    const query = search === '' || search === '?refresh' ? search : '?…';
    const outcome = res.writableFinished ? String(res.statusCode) : 'no response (connection closed)';
    this.log(`${method} ${path}${query} -> ${outcome}`);
  }
}

/** Start a sandbox and wait until it listens. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const sandbox = new SandboxServer(options);
  await sandbox.listen();
  return sandbox;
}
