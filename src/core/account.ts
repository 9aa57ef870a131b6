/**
 * "Verify token": `GET {api host}/v3/account` with the access token, and what its answer means. Pure: the
 * request is described as data and the answer is read from its status, headers and body text, so the worker
 * sends it with `fetch` and the tests need no network.
 *
 * Every outcome carries plain words for the user. They never contain the access token: the server's own words
 * are quoted (they say what it refused, and are not secret), but with the secrets the caller passes removed.
 */
import { nonEmptyString, parseJson, quoteServerText } from './server-text';
import { isRecord } from './guards';
import { DEFAULT_OAUTH_HOST, type Profile } from './profile';
import { MASK } from './redact';

export const DEFAULT_API_HOST = 'https://api.hellosign.com';
/**
 * The API host a profile's access token is sent to: its own, else the real API beside the real OAuth host,
 * else the OAuth host itself (a local stand-in, like the sandbox, serves both).
 */
export function apiHostOf(profile: Pick<Profile, 'oauthHost' | 'apiHost'>): string {
  if (profile.apiHost) return profile.apiHost;
  return profile.oauthHost === DEFAULT_OAUTH_HOST ? DEFAULT_API_HOST : profile.oauthHost;
}

export const ACCOUNT_PATH = '/v3/account';

/** Either scope lets a token read `GET /v3/account`. */
export const ACCOUNT_SCOPES = ['basic_account_info', 'account_access'] as const;

export interface AccountRequestSpec {
  url: string;
  method: 'GET';
  headers: Record<string, string>;
}

/**
 * `GET {apiHost}/v3/account` with `Authorization: Bearer <token>`. `apiHost` is an origin; a trailing slash
 * or a trailing `/v3` (the reference writes the API host as `https://api.hellosign.com/v3`) is tolerated.
 * Whitespace around a pasted token is dropped: a line break would make the header invalid.
 */
export function buildAccountRequest(apiHost: string, accessToken: string): AccountRequestSpec {
  const base = apiHost.trim().replace(/\/+$/, '').replace(/\/v3$/i, '');
  return {
    url: `${base}${ACCOUNT_PATH}`,
    method: 'GET',
    headers: { Authorization: `Bearer ${accessToken.trim()}`, Accept: 'application/json' },
  };
}

/** The request as text with the token masked: what "What was sent" shows. */
export function describeAccountRequest(spec: AccountRequestSpec): string {
  const lines = [`${spec.method} ${spec.url}`];
  for (const [name, value] of Object.entries(spec.headers)) {
    lines.push(
      `${name}: ${name.toLowerCase() === 'authorization' ? `${value.split(' ')[0]} ${MASK}` : value}`,
    );
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------
// Rate limits
// ---------------------------------------------------------------------------------------------------

export interface RateLimit {
  /** Requests allowed in the current window. */
  limit?: number;
  /** Requests left in it. */
  remaining?: number;
  /** When the window resets, epoch ms. */
  resetAt?: number;
}

type HeaderSource = Headers | Record<string, string>;

/**
 * Reads `X-RateLimit-Limit`, `X-RateLimit-Remaining` (or `X-RateLimit-Limit-Remaining`, as the live service
 * has been seen to spell it) and `X-RateLimit-Reset` (epoch seconds; a value that can only be epoch ms is read
 * as such), in any letter case. A header that is not a plain non-negative number is left out.
 */
export function readRateLimit(headers: HeaderSource): RateLimit {
  const limit = count(header(headers, 'x-ratelimit-limit'));
  const remaining =
    count(header(headers, 'x-ratelimit-remaining')) ?? count(header(headers, 'x-ratelimit-limit-remaining'));
  const resetAt = epochMs(header(headers, 'x-ratelimit-reset'));
  return {
    ...(limit !== undefined ? { limit } : {}),
    ...(remaining !== undefined ? { remaining } : {}),
    ...(resetAt !== undefined ? { resetAt } : {}),
  };
}

/** A header's whole value whatever the case of its name (`name` in lower case). */
function rawHeader(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return typeof value === 'string' ? value : undefined;
}

/** A numeric header's value: the first of a comma-joined list (a header sent twice), trimmed. */
function header(headers: HeaderSource, name: string): string | undefined {
  const first = rawHeader(headers, name)?.split(',')[0]?.trim();
  return first ? first : undefined;
}

function count(text: string | undefined): number | undefined {
  return text !== undefined && /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}

/** Epoch seconds (10^9 to 10^11) or, defensively, epoch ms (10^12 up to what a Date holds). */
function epochMs(text: string | undefined): number | undefined {
  const value = count(text);
  if (value === undefined) return undefined;
  if (value > 1e9 && value < 1e11) return value * 1000;
  if (value >= 1e12 && value <= 8.64e15) return value;
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// The answer
// ---------------------------------------------------------------------------------------------------

export interface AccountInfo {
  accountId: string;
  email: string;
  isPaidHs?: boolean;
  isPaidHf?: boolean;
  /** One line per quota the account reports, e.g. `{ label: 'Templates left', value: 'unlimited' }`. */
  quotas: { label: string; value: string }[];
  roleCode?: string;
}

export type VerifyReason = 'expired' | 'scopes' | 'rate-limited' | 'server' | 'unexpected';

export type VerifyOutcome =
  | { ok: true; account: AccountInfo; rateLimit: RateLimit; status: number }
  | {
      ok: false;
      status: number;
      reason: VerifyReason;
      /** What went wrong and what to do, in one or a few sentences. */
      message: string;
      /** Epoch ms after which asking again makes sense (rate limit, or a server's Retry-After). */
      retryAt?: number;
      rateLimit: RateLimit;
    };

/** Labels of the quotas Dropbox Sign documents, in the order they are shown; others follow, named from the key. */
const QUOTA_LABELS: Record<string, string> = {
  api_signature_requests_left: 'API signature requests left',
  documents_left: 'Documents left',
  templates_left: 'Templates left',
  templates_total: 'Templates in total',
  sms_verifications_left: 'SMS verifications left',
  sms_signatures_left: 'SMS signatures left',
  num_fax_pages_left: 'Fax pages left',
};

/**
 * Classifies any answer of `GET /v3/account`. Never throws. `now` (epoch ms) is when the answer came, for
 * `Retry-After`. `secrets` (the access token, at least) are masked in anything quoted from the server.
 *
 * - 2xx with an `account` that has an `account_id` and an `email_address`: ok.
 * - 401: the token expired or was revoked (`expired`).
 * - 403: the app's scopes do not allow the endpoint (`scopes`).
 * - 429, or an `exceeded_rate` error whatever the status: `rate-limited`, with when to retry.
 * - 5xx: `server`.
 * - Anything else, a 2xx that is not the account included: `unexpected`, saying what was wrong.
 * Both error shapes are read for the server's words: `{"error":{"error_msg","error_name"}}` and
 * `{"error","error_description"}`.
 */
export function readAccountResponse(
  status: number,
  headers: HeaderSource,
  bodyText: string,
  now: number,
  secrets: readonly (string | undefined)[] = [],
): VerifyOutcome {
  const rateLimit = readRateLimit(headers);
  const json = parseJson(bodyText);
  const body = isRecord(json) ? json : undefined;
  const serverError = body ? readServerError(body) : undefined;
  const said = serverError ? ` Dropbox Sign said: ${serverWords(serverError, secrets)}` : '';
  const fail = (reason: VerifyReason, message: string, retryAt?: number): VerifyOutcome => ({
    ok: false,
    status,
    reason,
    message,
    ...(retryAt !== undefined ? { retryAt } : {}),
    rateLimit,
  });

  if (status === 429 || serverError?.code === 'exceeded_rate') {
    const retryAt = readRetryAt(headers, now) ?? rateLimit.resetAt;
    const limit = rateLimit.limit !== undefined ? `, limit ${rateLimit.limit} requests` : '';
    const when =
      retryAt !== undefined && retryAt > now
        ? `Try again after ${formatTime(retryAt, now)}.`
        : 'Wait a minute, then verify again.';
    return fail(
      'rate-limited',
      `Too many requests: Dropbox Sign is rate limiting (${status}${limit}).${said} ${when} The token itself may be fine.`,
      retryAt,
    );
  }

  if (status >= 200 && status < 300) {
    if (serverError) {
      return fail(
        'unexpected',
        `Dropbox Sign answered ${status} with an error instead of the account.${said}`,
      );
    }
    if (!body) {
      const what =
        json === undefined
          ? `${describeBody(bodyText, headers, secrets)} A proxy, captive portal or login page may be in the way; check the API host (default ${DEFAULT_API_HOST}).`
          : 'the body was JSON, but not an object holding the account.';
      return fail('unexpected', `Dropbox Sign answered ${status}, but not with the account: ${what}`);
    }
    const read = readAccount(body, secrets);
    if (typeof read === 'string') {
      return fail('unexpected', `Dropbox Sign answered ${status}, but not with the account: ${read}`);
    }
    return { ok: true, account: read, rateLimit, status };
  }

  if (status === 401) {
    const noToken = /no credentials/i.test(serverError?.message ?? '')
      ? ' No token reached it: check that one is stored and that nothing on the way removes the Authorization header.'
      : '';
    return fail(
      'expired',
      `Dropbox Sign refused this access token (401): it has expired or was revoked. Refresh it, then verify again.${said}${noToken}`,
    );
  }

  if (status === 403) {
    return fail(
      'scopes',
      `Dropbox Sign did not let this access token read the account (403): the app’s scopes do not allow it.${said} ` +
        `GET /v3/account needs the scope ${ACCOUNT_SCOPES[0]} or ${ACCOUNT_SCOPES[1]}: add one in the app’s settings on ` +
        `Dropbox Sign (API → your app), then authorize the app again to get a token that has it (changing the ` +
        `scopes ends the existing authorizations).`,
    );
  }

  if (status >= 500 && status < 600) {
    const retryAt = readRetryAt(headers, now);
    const what = said || (body ? '' : ` ${capitalize(describeBody(bodyText, headers, secrets))}`);
    const when = retryAt !== undefined && retryAt > now ? `after ${formatTime(retryAt, now)}` : 'in a minute';
    return fail(
      'server',
      `Dropbox Sign had a server error (${status}).${what} This is on their side, not a problem with the token: verify again ${when}.`,
      retryAt,
    );
  }

  const what =
    said || ` ${body ? describeKeys(body, secrets) : capitalize(describeBody(bodyText, headers, secrets))}`;
  const hint =
    status >= 300 && status < 400
      ? ` The API does not redirect: check the API host (default ${DEFAULT_API_HOST}).`
      : status === 404 || status === 405
        ? ` Check the API host (default ${DEFAULT_API_HOST}): it must be the API, not the OAuth host.`
        : ' The token was neither accepted nor refused.';
  return fail(
    'unexpected',
    `Dropbox Sign answered ${status}, which a token check does not expect.${what}${hint}`,
  );
}

/** The account, or what was wrong with it. */
function readAccount(
  body: Record<string, unknown>,
  secrets: readonly (string | undefined)[],
): AccountInfo | string {
  const { account } = body;
  if (!isRecord(account)) {
    return account === undefined
      ? `the JSON has no “account” object. ${describeKeys(body, secrets)}`
      : `“account” is not an object.`;
  }
  const accountId = nonEmptyString(account.account_id);
  if (!accountId) return `the account has no account_id. ${describeKeys(account, secrets)}`;
  const email = nonEmptyString(account.email_address);
  if (!email) return `the account has no email_address. ${describeKeys(account, secrets)}`;
  const roleCode = nonEmptyString(account.role_code);
  return {
    accountId: quoteServerText(accountId, secrets),
    email: quoteServerText(email, secrets),
    ...(typeof account.is_paid_hs === 'boolean' ? { isPaidHs: account.is_paid_hs } : {}),
    ...(typeof account.is_paid_hf === 'boolean' ? { isPaidHf: account.is_paid_hf } : {}),
    quotas: readQuotas(account.quotas, secrets),
    ...(roleCode ? { roleCode: quoteServerText(roleCode, secrets) } : {}),
  };
}

/**
 * One line per quota: the documented ones first in a fixed order, then any other, named from its key. A number
 * is shown as it is, `null` as "unlimited" (what Dropbox Sign means by it); a quota that is absent or of
 * another type is left out.
 */
function readQuotas(
  quotas: unknown,
  secrets: readonly (string | undefined)[],
): { label: string; value: string }[] {
  if (!isRecord(quotas)) return [];
  const known = Object.keys(QUOTA_LABELS).filter((key) => key in quotas);
  const others = Object.keys(quotas)
    .filter((key) => !(key in QUOTA_LABELS))
    .slice(0, 20);
  return [...known, ...others].flatMap((key) => {
    const value = quotas[key];
    const shown =
      value === null
        ? 'unlimited'
        : typeof value === 'number' && Number.isFinite(value)
          ? String(value)
          : typeof value === 'string' && value.trim()
            ? quoteServerText(value.trim(), secrets)
            : undefined;
    if (shown === undefined) return [];
    return [{ label: QUOTA_LABELS[key] ?? labelFromKey(key, secrets), value: shown }];
  });
}

/** `sms_signatures_left` → "Sms signatures left" (only for keys not in the table). */
function labelFromKey(key: string, secrets: readonly (string | undefined)[]): string {
  const words = quoteServerText(key, secrets).replace(/^num_/, '').replace(/_/g, ' ').trim();
  return words ? `${words[0]?.toUpperCase() ?? ''}${words.slice(1)}` : key;
}

/** `Retry-After` as seconds or an HTTP date, made absolute; undefined when absent or not a real time. */
function readRetryAt(headers: HeaderSource, now: number): number | undefined {
  const text = rawHeader(headers, 'retry-after')?.trim();
  if (!text) return undefined;
  const seconds = count(text);
  const at = seconds !== undefined ? now + seconds * 1000 : /[a-z]/i.test(text) ? Date.parse(text) : NaN;
  return Number.isFinite(at) && Number.isFinite(new Date(at).getTime()) ? at : undefined;
}

/**
 * A time for the message: the clock time within the next day, the date and time beyond. Local time zone, as
 * the user reads it.
 */
function formatTime(at: number, now: number): string {
  const date = new Date(at);
  return at - now < 20 * 3600_000 ? date.toLocaleTimeString() : date.toLocaleString();
}

/** Both error shapes: Dropbox Sign's `{error: {error_name, error_msg, error_path}}` and RFC 6749's. */
function readServerError(body: Record<string, unknown>): { code?: string; message?: string } | undefined {
  const { error } = body;
  if (typeof error === 'string' && error.trim()) {
    const description = nonEmptyString(body.error_description);
    return { code: error, ...(description ? { message: description } : {}) };
  }
  if (isRecord(error)) {
    const name = nonEmptyString(error.error_name);
    const msg = nonEmptyString(error.error_msg);
    if (!name && !msg) return undefined;
    const path = nonEmptyString(error.error_path);
    return {
      ...(name ? { code: name } : {}),
      ...(msg ? { message: path ? `${msg} (${path})` : msg } : {}),
    };
  }
  return undefined;
}

/** The server's message (or its error code) quoted, ending a sentence. */
function serverWords(
  error: { code?: string; message?: string },
  secrets: readonly (string | undefined)[],
): string {
  if (error.message) {
    const text = quoteServerText(error.message.trim(), secrets);
    return `“${text}”${/[.!?]$/.test(text) ? '' : '.'}`;
  }
  return `${quoteServerText(error.code ?? '', secrets)}.`;
}

function capitalize(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

/** What came instead of JSON: empty, an HTML page (with its title), malformed JSON or other text. */
function describeBody(
  bodyText: string,
  headers: HeaderSource,
  secrets: readonly (string | undefined)[],
): string {
  const text = bodyText.trim();
  const type = (header(headers, 'content-type') ?? '').split(';')[0]?.trim() ?? '';
  if (!text) return 'the body was empty.';
  if (/<html|<!doctype/i.test(text.slice(0, 500)) || type === 'text/html') {
    const found = /<title[^>]*>([^<]{1,120})<\/title>/i.exec(text)?.[1]?.trim();
    const title = found ? quoteServerText(found, secrets) : undefined;
    return title ? `an HTML page came back (“${title}”).` : 'an HTML page came back instead of JSON.';
  }
  if (type.includes('json') || /^[[{]/.test(text))
    return 'the body was JSON that could not be read (malformed or cut off).';
  return `the body was ${type ? `${type} ` : ''}text, not JSON.`;
}

/** The field names that came, never their values. */
function describeKeys(body: Record<string, unknown>, secrets: readonly (string | undefined)[]): string {
  const keys = Object.keys(body).slice(0, 8);
  return keys.length
    ? `Fields received: ${quoteServerText(keys.join(', '), secrets)}.`
    : 'The JSON object was empty.';
}
