import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALL_FAILURE_KINDS, vendorJson, vendorText, type VendorExample } from './fixtures/fixtures';
import { MASK } from './redact';
import type { IssuedToken, ParsedTokenResponse, RefreshFailure, RefreshFailureKind } from './refresh-outcome';
import { parseTokenResponse } from './token-response';

/** Property runs take a few hundred ms alone, but can be slow on a busy machine: never a flaky timeout. */
const PROPERTY_TIMEOUT_MS = 60_000;

const AT = Date.UTC(2025, 0, 15, 12, 0, 0);
const CLIENT_SECRET = 'cs_1d14434088507ffa390e6f5528465';
const SENT_REFRESH_TOKEN = 'rt_hNTI2MTFmM2VmZDQxZTZjOWRmZmFjZmVmMGMy';
const SECRETS = [CLIENT_SECRET, SENT_REFRESH_TOKEN];

function parse(
  status: number,
  body: string | object,
  headers: Record<string, string> = {},
  secrets: readonly (string | undefined)[] = SECRETS,
): ParsedTokenResponse {
  const bodyText = typeof body === 'string' ? body : JSON.stringify(body);
  return parseTokenResponse({ status, headers, bodyText }, AT, secrets);
}

function tokenOf(result: ParsedTokenResponse): IssuedToken {
  if (!result.ok) throw new Error(`expected a token, got failure ${JSON.stringify(result.failure)}`);
  return result.token;
}

/** Asserts a failure of `kind` that carries the plain words, the time and the status, and returns it. */
function failureOf(result: ParsedTokenResponse, kind: RefreshFailureKind, status: number): RefreshFailure {
  if (result.ok) throw new Error(`expected a ${kind} failure, got a token`);
  const { failure } = result;
  expect(failure.kind).toBe(kind);
  expect(failure.title.trim()).not.toBe('');
  expect(failure.action.trim()).not.toBe('');
  expect(failure.at).toBe(AT);
  expect(failure.status).toBe(status);
  return failure;
}

const vendor = (status: number, name: VendorExample, headers: Record<string, string> = {}) =>
  parse(status, vendorText(name), headers);

describe('parseTokenResponse: a token', () => {
  it('reads the vendor’s 200 refresh example: token, Bearer type, expiry 86400 s after receipt', () => {
    const example = vendorJson('OAuthTokenRefreshResponse') as {
      access_token: string;
      refresh_token: string;
    };
    const token = tokenOf(vendor(200, 'OAuthTokenRefreshResponse'));
    expect(token).toEqual({
      accessToken: example.access_token,
      tokenType: 'Bearer',
      receivedAt: AT,
      expiresAt: AT + 86_400_000,
      refreshToken: example.refresh_token,
      warnings: [],
    });
  });

  it('reads the vendor’s code-exchange example, keeping its state', () => {
    const token = tokenOf(vendor(200, 'OAuthTokenGenerateResponse'));
    expect(token.state).toBe('900e06e2');
    expect(token.accessToken).toBe('NWNiOTMxOGFkOGVjMDhhNTAxZN2NkNjgxMjMwOWJiYTEzZTBmZGUzMjMThhMzYyMzc=');
  });

  it('surfaces a new (rotated) refresh token so it can replace the stored one', () => {
    const token = tokenOf(parse(200, { access_token: 'at-1', expires_in: 3600, refresh_token: 'rt-new' }));
    expect(token.refreshToken).toBe('rt-new');
  });

  it('has no refreshToken when none came back, so the stored one is kept', () => {
    const token = tokenOf(parse(200, { access_token: 'at-1', expires_in: 3600 }));
    expect(token).not.toHaveProperty('refreshToken');
  });

  it.each([
    ['an empty string', ''],
    ['blanks', '   '],
    ['null', null],
    ['a number', 42],
  ])('treats a refresh_token of %s as absent', (_label, value) => {
    const token = tokenOf(parse(200, { access_token: 'at-1', refresh_token: value }));
    expect(token).not.toHaveProperty('refreshToken');
  });

  it('defaults the token type to Bearer when it is missing, empty or not a string', () => {
    expect(tokenOf(parse(200, { access_token: 'a' })).tokenType).toBe('Bearer');
    expect(tokenOf(parse(200, { access_token: 'a', token_type: '' })).tokenType).toBe('Bearer');
    expect(tokenOf(parse(200, { access_token: 'a', token_type: 7 })).tokenType).toBe('Bearer');
  });

  it('keeps the token type the server sent', () => {
    expect(tokenOf(parse(200, { access_token: 'a', token_type: 'bearer' })).tokenType).toBe('bearer');
  });

  it('keeps a null state, and ignores a state that is neither string nor null', () => {
    expect(tokenOf(parse(200, { access_token: 'a', state: null })).state).toBeNull();
    expect(tokenOf(parse(200, { access_token: 'a', state: 5 }))).not.toHaveProperty('state');
    expect(tokenOf(parse(200, { access_token: 'a' }))).not.toHaveProperty('state');
  });

  it('reads warnings: warning_msg, else warning_name, skipping anything unreadable', () => {
    const token = tokenOf(
      parse(200, {
        access_token: 'a',
        warnings: [
          { warning_msg: 'Scope template_access was not granted.', warning_name: 'scope_missing' },
          { warning_name: 'only_a_name' },
          { warning_msg: '' },
          'not an object',
          null,
        ],
      }),
    );
    expect(token.warnings).toEqual(['Scope template_access was not granted.', 'only_a_name']);
  });

  it('has no warnings when warnings is not a list', () => {
    expect(tokenOf(parse(200, { access_token: 'a', warnings: { warning_msg: 'x' } })).warnings).toEqual([]);
  });

  it('scrubs secrets from warnings and truncates long ones', () => {
    const token = tokenOf(
      parse(200, {
        access_token: 'a',
        warnings: [{ warning_msg: `echo ${CLIENT_SECRET}` }, { warning_msg: 'w'.repeat(1000) }],
      }),
    );
    expect(token.warnings[0]).toBe(`echo ${MASK}`);
    expect(token.warnings[1]).toHaveLength(301);
  });

  it('gives no expiry and an expiry note when expires_in is missing', () => {
    const token = tokenOf(parse(200, { access_token: 'a' }));
    expect(token).not.toHaveProperty('expiresAt');
    expect(token.expiryNote).toMatch(/no expires_in/);
  });

  it('reads an epoch expires_in as an epoch time and notes it', () => {
    const token = tokenOf(parse(200, { access_token: 'a', expires_in: AT / 1000 + 3600 }));
    expect(token.expiresAt).toBe(AT + 3_600_000);
    expect(token.expiryNote).toMatch(/epoch/);
  });

  it('succeeds on any 2xx, e.g. 201', () => {
    expect(tokenOf(parse(201, { access_token: 'a', expires_in: 60 })).expiresAt).toBe(AT + 60_000);
  });

  it('is not put off by `error: null` beside a token', () => {
    expect(tokenOf(parse(200, { access_token: 'a', error: null })).accessToken).toBe('a');
  });
});

describe('parseTokenResponse: RFC 6749 errors {error, error_description}', () => {
  it('classifies invalid_grant: the refresh token was used, revoked or expired', () => {
    const f = failureOf(
      parse(400, { error: 'invalid_grant', error_description: 'Invalid refresh token' }),
      'invalid_grant',
      400,
    );
    expect(f.serverCode).toBe('invalid_grant');
    expect(f.serverMessage).toBe('Invalid refresh token');
    expect(f.title).toBe('The refresh token was rejected');
  });

  it('classifies invalid_client by its code even on a 401', () => {
    const f = failureOf(
      parse(401, { error: 'invalid_client', error_description: 'Wrong client secret' }),
      'invalid_client',
      401,
    );
    expect(f.serverMessage).toBe('Wrong client secret');
  });

  it('classifies invalid_request with the server’s words', () => {
    const description = 'Either the combo client_id/code is wrong or the code has expired';
    const f = failureOf(
      parse(400, { error: 'invalid_request', error_description: description }),
      'invalid_request',
      400,
    );
    expect(f.serverCode).toBe('invalid_request');
    expect(f.serverMessage).toBe(description);
  });

  it.each([
    ['unauthorized_client', 'invalid_client'],
    ['unsupported_grant_type', 'invalid_request'],
    ['access_denied', 'forbidden'],
  ] as const)('classifies the other RFC code %s as %s', (code, kind) => {
    failureOf(parse(400, { error: code }), kind, 400);
  });

  it('has no serverMessage when there is no error_description', () => {
    const f = failureOf(parse(400, { error: 'invalid_grant' }), 'invalid_grant', 400);
    expect(f).not.toHaveProperty('serverMessage');
  });

  it('falls back to the status for an unknown code, keeping the code', () => {
    const f = failureOf(parse(418, { error: 'teapot' }), 'http_error', 418);
    expect(f.serverCode).toBe('teapot');
    failureOf(parse(503, { error: 'temporarily_unavailable' }), 'server_error', 503);
  });

  it('treats an error body on a 200 as the error it is', () => {
    failureOf(parse(200, { error: 'invalid_grant', error_description: 'used' }), 'invalid_grant', 200);
    failureOf(parse(200, { access_token: 'a', error: 'invalid_client' }), 'invalid_client', 200);
  });
});

describe('parseTokenResponse: the Dropbox Sign envelope {error: {error_name, error_msg, error_path}}', () => {
  it.each([
    ['bad_request', 400, 'invalid_request'],
    ['unauthorized', 401, 'unauthorized'],
    ['payment_required', 402, 'http_error'],
    ['forbidden', 403, 'forbidden'],
    ['not_found', 404, 'http_error'],
    ['conflict', 409, 'http_error'],
    ['deleted', 410, 'http_error'],
    ['unprocessable_entity', 422, 'invalid_request'],
    ['exceeded_rate', 429, 'rate_limited'],
  ] as const)('classifies %s (%i) as %s, keeping its name and message', (name, status, kind) => {
    const f = failureOf(
      parse(status, { error: { error_msg: `Message for ${name}.`, error_name: name } }),
      kind,
      status,
    );
    expect(f.serverCode).toBe(name);
    expect(f.serverMessage).toBe(`Message for ${name}.`);
  });

  it('reads the vendor’s 401 example', () => {
    const f = failureOf(vendor(401, 'Error401Response'), 'unauthorized', 401);
    expect(f.serverCode).toBe('unauthorized');
    expect(f.serverMessage).toBe('Unauthorized user. No credentials supplied.');
  });

  it('reads the vendor’s 403 example', () => {
    const f = failureOf(vendor(403, 'Error403Response'), 'forbidden', 403);
    expect(f.serverMessage).toBe('A paid API plan is required to access this endpoint.');
  });

  it('reads the vendor’s 429 example as a rate limit, with its message', () => {
    const f = failureOf(vendor(429, 'Error429Response'), 'rate_limited', 429);
    expect(f.serverCode).toBe('exceeded_rate');
    expect(f.serverMessage).toBe('Too many requests.');
  });

  it('classifies exceeded_rate as a rate limit whatever the status', () => {
    failureOf(parse(400, { error: { error_name: 'exceeded_rate' } }), 'rate_limited', 400);
  });

  it('appends error_path to the message', () => {
    const f = failureOf(
      parse(400, {
        error: {
          error_msg: 'This value should not be blank',
          error_path: 'refresh_token',
          error_name: 'bad_request',
        },
      }),
      'invalid_request',
      400,
    );
    expect(f.serverMessage).toBe('This value should not be blank (refresh_token)');
  });

  it('reads an envelope with only a message, classifying by status', () => {
    const f = failureOf(parse(401, { error: { error_msg: 'No credentials.' } }), 'unauthorized', 401);
    expect(f).not.toHaveProperty('serverCode');
    expect(f.serverMessage).toBe('No credentials.');
  });

  it('treats the vendor’s 400 / 4XX examples (trailing comma, not valid JSON) as malformed JSON', () => {
    expect((): unknown => JSON.parse(vendorText('Error4XXResponse'))).toThrow();
    for (const name of ['Error400Response', 'Error4XXResponse'] as const) {
      const f = failureOf(vendor(400, name), 'bad_response', 400);
      expect(f.serverMessage).toBe('The body was JSON that could not be read (malformed).');
    }
  });
});

describe('parseTokenResponse: rate limits (429)', () => {
  it('sets retryAt from Retry-After seconds, and names the hourly limit in the action', () => {
    const f = failureOf(
      vendor(429, 'Error429Response', { 'retry-after': '120', 'x-ratelimit-limit': '100' }),
      'rate_limited',
      429,
    );
    expect(f.retryAt).toBe(AT + 120_000);
    expect(f.action).toContain('Dropbox Sign allows 100 requests per hour.');
    expect(f.action).toContain('Try again after');
    expect(f.action).toContain('unchanged');
  });

  it('sets retryAt from X-Ratelimit-Reset (epoch seconds) when there is no Retry-After', () => {
    const reset = AT / 1000 + 1800;
    const f = failureOf(parse(429, '', { 'x-ratelimit-reset': String(reset) }), 'rate_limited', 429);
    expect(f.retryAt).toBe(reset * 1000);
  });

  it('prefers Retry-After over X-Ratelimit-Reset', () => {
    const f = failureOf(
      parse(429, '', { 'retry-after': '10', 'x-ratelimit-reset': String(AT / 1000 + 1800) }),
      'rate_limited',
      429,
    );
    expect(f.retryAt).toBe(AT + 10_000);
  });

  it('ignores a negative or non-numeric Retry-After and a reset that is not an epoch time', () => {
    const cases: Record<string, string>[] = [
      { 'retry-after': '-5' },
      { 'retry-after': 'soon' },
      { 'x-ratelimit-reset': '3600' },
    ];
    for (const headers of cases) {
      const f = failureOf(parse(429, '', headers), 'rate_limited', 429);
      expect(f).not.toHaveProperty('retryAt');
      expect(f.action).not.toContain('Try again after');
    }
  });

  it('gives no retry time, rather than "Invalid Date", for values too large to be a time', () => {
    const cases: Record<string, string>[] = [
      { 'retry-after': '1e306' },
      { 'retry-after': '1e13' },
      { 'x-ratelimit-reset': '1e20' },
    ];
    for (const headers of cases) {
      const f = failureOf(parse(429, '', headers), 'rate_limited', 429);
      expect(f).not.toHaveProperty('retryAt');
      expect(f.action).not.toContain('Invalid Date');
    }
  });

  it('speaks of "a limited number of requests" without a usable X-RateLimit-Limit', () => {
    expect(failureOf(parse(429, ''), 'rate_limited', 429).action).toContain('a limited number of requests');
    const odd = failureOf(parse(429, '', { 'x-ratelimit-limit': 'lots <b>' }), 'rate_limited', 429);
    expect(odd.action).toContain('a limited number of requests');
    expect(odd.action).not.toContain('lots');
  });

  it('is a rate limit even when the 429 body is HTML or not an error shape', () => {
    failureOf(
      parse(429, '<html><title>Slow down</title></html>', { 'content-type': 'text/html' }),
      'rate_limited',
      429,
    );
    failureOf(parse(429, { message: 'slow down' }), 'rate_limited', 429);
  });
});

describe('parseTokenResponse: answers that are not the JSON Dropbox Sign sends', () => {
  const html = (title: string) =>
    `<!DOCTYPE html>\n<html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>`;

  it('classifies a 500 HTML page as a server error, quoting its title', () => {
    const f = failureOf(parse(500, html(' 500 Internal Server Error ')), 'server_error', 500);
    expect(f.serverMessage).toBe('An HTML page came back: “500 Internal Server Error”.');
  });

  it('classifies a 502 HTML page without a title as a server error', () => {
    const f = failureOf(
      parse(502, '<h1>Bad Gateway</h1>', { 'content-type': 'text/html; charset=utf-8' }),
      'server_error',
      502,
    );
    expect(f.serverMessage).toBe('An HTML page came back instead of JSON.');
  });

  it('classifies an HTML page on a 200 (a captive portal, say) as a bad response', () => {
    const f = failureOf(parse(200, html('Sign in to Wi-Fi')), 'bad_response', 200);
    expect(f.serverMessage).toBe('An HTML page came back: “Sign in to Wi-Fi”.');
    expect(f.title).toBe('The answer was not the JSON Dropbox Sign sends');
  });

  it('classifies an HTML 404 as a bad response (a wrong host, likely)', () => {
    failureOf(parse(404, html('Not Found')), 'bad_response', 404);
  });

  it('classifies an empty body as a bad response that says it was empty', () => {
    for (const body of ['', '  \n\t']) {
      const f = failureOf(parse(200, body), 'bad_response', 200);
      expect(f.serverMessage).toBe('The body was empty.');
    }
    failureOf(parse(400, ''), 'bad_response', 400);
  });

  it('classifies an empty 500, 401 and 403 by their status', () => {
    failureOf(parse(500, ''), 'server_error', 500);
    failureOf(parse(401, ''), 'unauthorized', 401);
    failureOf(parse(403, ''), 'forbidden', 403);
  });

  it('classifies malformed JSON as a bad response that says so', () => {
    const f = failureOf(parse(200, '{"access_token": "abc",'), 'bad_response', 200);
    expect(f.serverMessage).toBe('The body was JSON that could not be read (malformed).');
  });

  it('names the content type of a plain-text body', () => {
    const f = failureOf(
      parse(503, 'upstream connect error', { 'content-type': 'text/plain; charset=utf-8' }),
      'server_error',
      503,
    );
    expect(f.serverMessage).toBe('The body was text/plain text, not JSON.');
    expect(failureOf(parse(200, 'hello'), 'bad_response', 200).serverMessage).toBe(
      'The body was text, not JSON.',
    );
  });

  it.each([
    ['a list', '[{"access_token":"a"}]'],
    ['a number', '42'],
    ['a string', '"access_token"'],
    ['null', 'null'],
    ['true', 'true'],
  ])('classifies a 200 whose JSON is %s as a bad response', (_label, body) => {
    failureOf(parse(200, body), 'bad_response', 200);
  });

  it('classifies a 3xx redirect answer as a bad response', () => {
    failureOf(parse(302, '', { location: 'https://app.hellosign.com/account/logIn' }), 'bad_response', 302);
  });

  it('classifies other non-2xx JSON without an error shape by status, naming only the fields', () => {
    const f = failureOf(parse(404, { message: 'no route', secret_thing: CLIENT_SECRET }), 'http_error', 404);
    expect(f.serverMessage).toBe('Fields received: message, secret_thing.');
    expect(f.serverMessage).not.toContain('no route');
    failureOf(parse(503, { status: 'down' }), 'server_error', 503);
    expect(failureOf(parse(404, {}), 'http_error', 404).serverMessage).toBe('The JSON object was empty.');
  });
});

describe('parseTokenResponse: 200 without an access token', () => {
  it('is a missing_access_token failure that names the fields received, not their values', () => {
    const f = failureOf(parse(200, { token_type: 'Bearer', expires_in: 3600 }), 'missing_access_token', 200);
    expect(f.serverMessage).toBe('Fields received: token_type, expires_in.');
  });

  it('keeps a refresh token that came back, in the failure result, so it is not lost', () => {
    const result = parse(200, { refresh_token: 'rt-rotated', expires_in: 3600 });
    failureOf(result, 'missing_access_token', 200);
    expect(result).toMatchObject({ ok: false, refreshToken: 'rt-rotated' });
  });

  it('treats an empty, blank or non-string access_token as missing', () => {
    for (const accessToken of ['', '   ', 123, null, { value: 'a' }]) {
      failureOf(parse(200, { access_token: accessToken }), 'missing_access_token', 200);
    }
  });

  it('says the object was empty for {}', () => {
    expect(failureOf(parse(200, {}), 'missing_access_token', 200).serverMessage).toBe(
      'The JSON object was empty.',
    );
  });

  it('keeps a returned refresh token on error answers too', () => {
    const result = parse(400, { error: 'invalid_request', refresh_token: 'rt-rotated' });
    expect(result).toMatchObject({ ok: false, refreshToken: 'rt-rotated' });
  });

  it('has no refreshToken on a failure without one', () => {
    expect(parse(400, { error: 'invalid_grant' })).not.toHaveProperty('refreshToken');
  });
});

describe('parseTokenResponse: secrets and length', () => {
  it('scrubs the client secret and refresh token from the server’s message and code', () => {
    const f = failureOf(
      parse(400, {
        error: `invalid_client:${CLIENT_SECRET}`,
        error_description: `Wrong client secret ${CLIENT_SECRET} for token ${SENT_REFRESH_TOKEN}`,
      }),
      'http_error',
      400,
    );
    expect(f.serverMessage).toBe(`Wrong client secret ${MASK} for token ${MASK}`);
    expect(f.serverCode).toBe(`invalid_client:${MASK}`);
  });

  it('scrubs secrets from the Dropbox envelope message and path', () => {
    const f = failureOf(
      parse(400, {
        error: {
          error_name: 'bad_request',
          error_msg: `Bad ${SENT_REFRESH_TOKEN}`,
          error_path: CLIENT_SECRET,
        },
      }),
      'invalid_request',
      400,
    );
    expect(f.serverMessage).toBe(`Bad ${MASK} (${MASK})`);
  });

  it('scrubs secrets from an HTML title', () => {
    const f = failureOf(parse(500, `<html><title>Echo ${CLIENT_SECRET}</title></html>`), 'server_error', 500);
    expect(f.serverMessage).not.toContain(CLIENT_SECRET);
    expect(f.serverMessage).toContain(MASK);
  });

  it('scrubs secrets from field names it reports', () => {
    const f = failureOf(parse(200, { [SENT_REFRESH_TOKEN]: true }), 'missing_access_token', 200);
    expect(f.serverMessage).toBe(`Fields received: ${MASK}.`);
  });

  it('scrubs secrets from the expiry note, token type and state', () => {
    const token = tokenOf(
      parse(200, {
        access_token: 'a',
        expires_in: CLIENT_SECRET,
        token_type: CLIENT_SECRET,
        state: CLIENT_SECRET,
      }),
    );
    expect(JSON.stringify(token)).not.toContain(CLIENT_SECRET);
  });

  it('does not scrub the tokens themselves', () => {
    const token = tokenOf(parse(200, { access_token: 'at-new', refresh_token: SENT_REFRESH_TOKEN }));
    expect(token.refreshToken).toBe(SENT_REFRESH_TOKEN);
  });

  it('truncates long server messages to 300 characters plus an ellipsis', () => {
    const f = failureOf(
      parse(400, { error: 'invalid_grant', error_description: 'x'.repeat(5000) }),
      'invalid_grant',
      400,
    );
    expect(f.serverMessage).toBe(`${'x'.repeat(300)}…`);
  });

  it('scrubs before truncating, so a secret at the cut is not half shown', () => {
    const description = `${'x'.repeat(290)}${CLIENT_SECRET}`;
    const f = failureOf(
      parse(400, { error: 'invalid_grant', error_description: description }),
      'invalid_grant',
      400,
    );
    expect(f.serverMessage).toBe(`${'x'.repeat(290)}${MASK}`);
    const longer = `${'x'.repeat(295)}${CLIENT_SECRET}`;
    const g = failureOf(
      parse(400, { error: 'invalid_grant', error_description: longer }),
      'invalid_grant',
      400,
    );
    expect(g.serverMessage).not.toContain(CLIENT_SECRET.slice(0, 5));
  });

  it('keeps reported field names short however many and long they are', () => {
    const body = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`${'k'.repeat(100)}${i}`, i]));
    const f = failureOf(parse(200, body), 'missing_access_token', 200);
    expect(f.serverMessage?.length).toBeLessThanOrEqual(301);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Properties: whatever comes back, the parser classifies it and leaks nothing.

/** A placeholder put into generated bodies and headers, replaced by the generated secret before parsing. */
const HOLE = '@@SECRET@@';

const secretArb = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9]{6,24}$/).map((s) => `sk_${s}`),
  fc.stringMatching(/^[0-9]{8,16}$/), // a digits-only secret would survive as a "numeric" expires_in
);

/** Strings that may hold the secret, whole or inside other text. */
const textArb = fc.oneof(
  fc.string(),
  fc.constant(HOLE),
  fc.tuple(fc.string(), fc.string()).map(([a, b]) => `${a}${HOLE}${b}`),
  fc.string({ unit: 'binary', maxLength: 400 }),
);

const anyValueArb = fc.oneof(textArb, fc.jsonValue(), fc.double(), fc.integer(), fc.constant(null));

const errorArb = fc.oneof(
  textArb,
  fc.constantFrom('invalid_grant', 'invalid_client', 'invalid_request', 'exceeded_rate', 'unauthorized', ''),
  fc.record(
    {
      error_name: fc.oneof(
        textArb,
        fc.constantFrom('bad_request', 'unauthorized', 'forbidden', 'exceeded_rate', 'deleted'),
        fc.jsonValue(),
      ),
      error_msg: fc.oneof(textArb, fc.jsonValue()),
      error_path: fc.oneof(textArb, fc.jsonValue()),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue(),
);

const tokenishArb = fc
  .tuple(
    fc.record(
      {
        access_token: fc.oneof(textArb, fc.stringMatching(/^[A-Za-z0-9=]{1,40}$/), anyValueArb),
        expires_in: fc.oneof(
          anyValueArb,
          fc.integer({ min: -100, max: 100_000 }),
          fc.double({ min: 1e9, max: 1e308 }),
          fc.stringMatching(/^\s*-?\d{1,320}(\.\d{1,5})?\s*$/),
          fc.constant(HOLE),
        ),
        refresh_token: fc.oneof(textArb, anyValueArb),
        token_type: fc.oneof(textArb, anyValueArb),
        state: fc.oneof(textArb, anyValueArb),
        error: errorArb,
        error_description: fc.oneof(textArb, anyValueArb),
        warnings: fc.oneof(
          fc.array(
            fc.oneof(
              fc.record({ warning_msg: anyValueArb, warning_name: anyValueArb }, { requiredKeys: [] }),
              anyValueArb,
            ),
            { maxLength: 4 },
          ),
          anyValueArb,
        ),
      },
      { requiredKeys: [] },
    ),
    fc.dictionary(fc.oneof(fc.string(), fc.constant(HOLE)), anyValueArb, { maxKeys: 4 }),
  )
  .map(([known, extra]) => JSON.stringify({ ...extra, ...known }));

const bodyArb = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.json(),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  tokenishArb,
  tokenishArb.map((json) => json.slice(0, -1)), // cut short: malformed
  fc
    .tuple(textArb, fc.string())
    .map(([title, rest]) => `<!doctype html><html><title>${title}</title>${rest}`),
  fc.constantFrom('', ' ', vendorText('OAuthTokenRefreshResponse'), vendorText('Error4XXResponse')),
);

const headerNameArb = fc.oneof(
  fc.constantFrom(
    'content-type',
    'retry-after',
    'x-ratelimit-reset',
    'x-ratelimit-limit',
    'x-ratelimit-remaining',
  ),
  fc.string(),
);
const headerValueArb = fc.oneof(
  textArb,
  fc.constantFrom('text/html', 'application/json', 'text/plain; charset=utf-8', '0', '-1', 'NaN', 'Infinity'),
  fc.double().map(String),
  fc.integer().map(String),
  fc.integer({ min: 1_000_000_001, max: 99_999_999_999 }).map(String),
);
const headersArb = fc.dictionary(headerNameArb, headerValueArb, { maxKeys: 6 });

const statusArb = fc.oneof(
  fc.integer({ min: 100, max: 599 }),
  fc.constantFrom(200, 201, 204, 400, 401, 402, 403, 404, 409, 410, 422, 429, 500, 502, 503),
);

/** Every string in a value, with its path, for leak checks. */
function stringsIn(value: unknown, path: string[] = []): { path: string; text: string }[] {
  if (typeof value === 'string') return [{ path: path.join('.'), text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringsIn(v, [...path, String(i)]));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => [
      { path: [...path, k].join('.'), text: k },
      ...stringsIn(v, [...path, k]),
    ]);
  }
  return [];
}

/** Where a token itself may legitimately hold the secret (the server may send back what we sent). */
const TOKEN_PATHS = new Set(['token.accessToken', 'token.refreshToken', 'refreshToken']);

describe('parseTokenResponse: properties', () => {
  it(
    'never throws, and always returns a usable token or a fully worded failure of a known kind',
    () => {
      fc.assert(
        fc.property(
          statusArb,
          headersArb,
          bodyArb,
          fc.integer({ min: 0, max: 4_102_444_800_000 }),
          (status, headers, bodyText, at) => {
            const result = parseTokenResponse({ status, headers, bodyText }, at, [
              CLIENT_SECRET,
              undefined,
              '',
            ]);
            if (result.ok) {
              const { token } = result;
              expect(status >= 200 && status < 300).toBe(true);
              expect(typeof token.accessToken).toBe('string');
              expect(token.accessToken.trim()).not.toBe('');
              expect(token.expiresAt === undefined || Number.isFinite(token.expiresAt)).toBe(true);
              if (token.expiresAt === undefined) expect(token.expiryNote).toBeTruthy();
              expect(typeof token.tokenType).toBe('string');
              expect(token.tokenType.trim()).not.toBe('');
              expect(token.receivedAt).toBe(at);
              expect(
                token.warnings.every((w) => typeof w === 'string' && w.length > 0 && w.length <= 301),
              ).toBe(true);
              if (token.refreshToken !== undefined) expect(token.refreshToken.trim()).not.toBe('');
            } else {
              const { failure } = result;
              expect(ALL_FAILURE_KINDS).toContain(failure.kind);
              expect(failure.title.trim()).not.toBe('');
              expect(failure.action.trim()).not.toBe('');
              expect(failure.title.length).toBeLessThanOrEqual(200);
              expect(failure.action.length).toBeLessThanOrEqual(600);
              expect(failure.at).toBe(at);
              expect(failure.status).toBe(status);
              expect(failure.serverMessage === undefined || failure.serverMessage.length <= 301).toBe(true);
              expect(failure.serverCode === undefined || failure.serverCode.length <= 301).toBe(true);
              if (failure.retryAt !== undefined)
                expect(Number.isFinite(new Date(failure.retryAt).getTime())).toBe(true);
              expect(failure.action).not.toContain('Invalid Date');
            }
          },
        ),
        { numRuns: 3000 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'never lets a secret through in any string except the returned tokens themselves',
    () => {
      fc.assert(
        fc.property(statusArb, headersArb, bodyArb, secretArb, (status, rawHeaders, rawBody, secret) => {
          const fill = (text: string) => text.split(HOLE).join(secret);
          const headers = Object.fromEntries(Object.entries(rawHeaders).map(([k, v]) => [fill(k), fill(v)]));
          const result = parseTokenResponse({ status, headers, bodyText: fill(rawBody) }, AT, [secret]);
          for (const { path, text } of stringsIn(result)) {
            if (TOKEN_PATHS.has(path)) continue;
            expect(text, `secret leaked at ${path}`).not.toContain(secret);
          }
        }),
        { numRuns: 3000 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'never loses a refresh token that came back in a JSON object, whatever else the answer says',
    () => {
      fc.assert(
        fc.property(
          statusArb,
          headersArb,
          tokenishArb,
          fc.stringMatching(/^[A-Za-z0-9+/=_-]{1,60}$/),
          (status, headers, json, refreshToken) => {
            const body = { ...(JSON.parse(json) as Record<string, unknown>), refresh_token: refreshToken };
            const result = parseTokenResponse({ status, headers, bodyText: JSON.stringify(body) }, AT, [
              refreshToken,
            ]);
            expect(result.ok ? result.token.refreshToken : result.refreshToken).toBe(refreshToken);
          },
        ),
        { numRuns: 1000 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'always accepts a 2xx JSON object with a non-blank access_token and no error',
    () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 200, max: 299 }),
          headersArb,
          tokenishArb,
          fc.stringMatching(/^[A-Za-z0-9+/=_-]{1,80}$/),
          (status, headers, json, accessToken) => {
            const body: Record<string, unknown> = {
              ...(JSON.parse(json) as Record<string, unknown>),
              access_token: accessToken,
            };
            delete body.error;
            const result = parseTokenResponse({ status, headers, bodyText: JSON.stringify(body) }, AT);
            expect(result.ok && result.token.accessToken).toBe(accessToken);
          },
        ),
        { numRuns: 1000 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
