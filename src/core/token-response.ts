import { nonEmptyString, parseJson, quoteServerText } from './server-text';
import { resolveExpiry } from './expiry';
import { failure } from './failures';
import { isRecord } from './guards';
import type { ParsedTokenResponse, RefreshFailure, RefreshFailureKind } from './refresh-outcome';
import { scrubSecrets } from './redact';

/** What the parser needs of an HTTP answer; `fetch`'s Response is read into this first. */
export interface RawHttpResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  bodyText: string;
}

/**
 * Classifies any answer from the token endpoint: a usable token, or a failure that says what went wrong.
 * Never throws, whatever the status, headers or body. `secrets` are scrubbed from the server's words.
 */
export function parseTokenResponse(
  response: RawHttpResponse,
  receivedAt: number,
  secrets: readonly (string | undefined)[] = [],
): ParsedTokenResponse {
  const { status } = response;
  const json = parseJson(response.bodyText);
  const body = isRecord(json) ? json : undefined;
  const rotated = body && nonEmptyString(body.refresh_token);
  const withRotated = (f: RefreshFailure): ParsedTokenResponse =>
    rotated ? { ok: false, failure: f, refreshToken: rotated } : { ok: false, failure: f };

  const serverError = body ? readServerError(body) : undefined;
  if (status >= 200 && status < 300 && !serverError) {
    if (!body) return withRotated(notJsonFailure(response, receivedAt, secrets));
    const accessToken = nonEmptyString(body.access_token);
    if (!accessToken) {
      return withRotated(
        failure('missing_access_token', receivedAt, { status, serverMessage: describeKeys(body, secrets) }),
      );
    }
    const { expiresAt, note } = resolveExpiry(body.expires_in, receivedAt);
    return {
      ok: true,
      token: {
        accessToken,
        tokenType: scrubSecrets(nonEmptyString(body.token_type) ?? 'Bearer', secrets),
        receivedAt,
        ...(expiresAt !== undefined ? { expiresAt } : {}),
        ...(note ? { expiryNote: quoteServerText(note, secrets) } : {}),
        ...(rotated ? { refreshToken: rotated } : {}),
        ...(typeof body.state === 'string' ? { state: scrubSecrets(body.state, secrets) } : {}),
        ...(body.state === null ? { state: null } : {}),
        warnings: readWarnings(body.warnings).map((w) => quoteServerText(w, secrets)),
      },
    };
  }

  if (!serverError) {
    // A non-2xx answer without either error shape.
    if (status === 429) return withRotated(rateLimited(response, receivedAt, undefined, undefined, secrets));
    const kind = statusKind(status);
    if (!body) {
      return withRotated(
        failure(kind === 'http_error' ? 'bad_response' : kind, receivedAt, {
          status,
          serverMessage: describeNonJson(response, secrets),
        }),
      );
    }
    return withRotated(failure(kind, receivedAt, { status, serverMessage: describeKeys(body, secrets) }));
  }

  const code = serverError.code;
  const message =
    serverError.message !== undefined ? quoteServerText(serverError.message, secrets) : undefined;
  const details = {
    status,
    ...(code ? { serverCode: quoteServerText(code, secrets) } : {}),
    ...(message ? { serverMessage: message } : {}),
  };
  if (status === 429 || code === 'exceeded_rate') {
    return withRotated(rateLimited(response, receivedAt, details.serverCode, message, secrets));
  }
  return withRotated(failure(codeKind(code) ?? statusKind(status), receivedAt, details));
}

function rateLimited(
  response: RawHttpResponse,
  at: number,
  serverCode: string | undefined,
  serverMessage: string | undefined,
  secrets: readonly (string | undefined)[],
): RefreshFailure {
  const retryAt = readRetryAt(response.headers, at);
  // A header is the server's text: shown only when it is the plain number it should be.
  const rawLimit = response.headers['x-ratelimit-limit']?.trim() ?? '';
  const limit =
    /^\d{1,9}$/.test(rawLimit) && scrubSecrets(rawLimit, secrets) === rawLimit ? rawLimit : undefined;
  const wait = retryAt ? ` Try again after ${new Date(retryAt).toLocaleTimeString()}.` : '';
  return failure('rate_limited', at, {
    status: response.status,
    ...(serverCode ? { serverCode } : {}),
    ...(serverMessage ? { serverMessage } : {}),
    ...(retryAt ? { retryAt } : {}),
    action: `Dropbox Sign allows ${limit ? `${limit} requests` : 'a limited number of requests'} per hour.${wait} Your stored token and credentials are unchanged.`,
  });
}

/** `Retry-After` (seconds) or `X-Ratelimit-Reset` (epoch seconds), whichever is present and a real time. */
function readRetryAt(headers: Record<string, string>, at: number): number | undefined {
  const retryAfter = Number(headers['retry-after']);
  if (headers['retry-after'] && Number.isFinite(retryAfter) && retryAfter >= 0) {
    const retryAt = at + retryAfter * 1000;
    if (isDateTime(retryAt)) return retryAt;
  }
  const reset = Number(headers['x-ratelimit-reset']);
  if (
    headers['x-ratelimit-reset'] &&
    Number.isFinite(reset) &&
    reset > 1_000_000_000 &&
    isDateTime(reset * 1000)
  ) {
    return reset * 1000;
  }
  return undefined;
}

/** Within what a Date can hold: beyond it `toLocaleTimeString` says "Invalid Date". */
function isDateTime(ms: number): boolean {
  return Number.isFinite(new Date(ms).getTime());
}

/** Both error shapes: RFC 6749 `{error, error_description}` and Dropbox Sign's `{error: {error_name, error_msg}}`. */
function readServerError(body: Record<string, unknown>): { code?: string; message?: string } | undefined {
  const { error } = body;
  if (typeof error === 'string' && error) {
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

function codeKind(code: string | undefined): RefreshFailureKind | undefined {
  switch (code) {
    case 'invalid_grant':
      return 'invalid_grant';
    case 'invalid_client':
    case 'unauthorized_client':
      return 'invalid_client';
    case 'invalid_request':
    case 'unsupported_grant_type':
    case 'bad_request':
    case 'unprocessable_entity':
      return 'invalid_request';
    case 'unauthorized':
      return 'unauthorized';
    case 'forbidden':
    case 'access_denied':
      return 'forbidden';
    default:
      return undefined;
  }
}

function statusKind(status: number): RefreshFailureKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  return 'http_error';
}

function notJsonFailure(
  response: RawHttpResponse,
  at: number,
  secrets: readonly (string | undefined)[],
): RefreshFailure {
  return failure('bad_response', at, {
    status: response.status,
    serverMessage: describeNonJson(response, secrets),
  });
}

/** What came instead of JSON, in the server's words where there are some (a page title), secrets removed. */
function describeNonJson(response: RawHttpResponse, secrets: readonly (string | undefined)[]): string {
  return quoteServerText(describeBody(response), secrets);
}

function describeBody(response: RawHttpResponse): string {
  const text = response.bodyText.trim();
  const type = response.headers['content-type'] ?? '';
  if (!text) return 'The body was empty.';
  if (/<html|<!doctype/i.test(text.slice(0, 500)) || type.includes('text/html')) {
    const title = /<title[^>]*>([^<]{1,120})<\/title>/i.exec(text)?.[1]?.trim();
    return title ? `An HTML page came back: “${title}”.` : 'An HTML page came back instead of JSON.';
  }
  if (type.includes('json') || /^[[{]/.test(text))
    return 'The body was JSON that could not be read (malformed).';
  return `The body was ${type ? `${type.split(';')[0]} ` : ''}text, not JSON.`;
}

/** Names the fields that did come, never their values (names are the server's text too: scrubbed, capped). */
function describeKeys(body: Record<string, unknown>, secrets: readonly (string | undefined)[]): string {
  const keys = Object.keys(body).slice(0, 8);
  return keys.length
    ? quoteServerText(`Fields received: ${keys.join(', ')}.`, secrets)
    : 'The JSON object was empty.';
}

function readWarnings(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((w) => {
    if (!isRecord(w)) return [];
    const msg = nonEmptyString(w.warning_msg) ?? nonEmptyString(w.warning_name);
    return msg ? [msg] : [];
  });
}
