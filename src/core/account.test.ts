import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_PATH,
  DEFAULT_API_HOST,
  buildAccountRequest,
  describeAccountRequest,
  readAccountResponse,
  readRateLimit,
  type AccountInfo,
  type VerifyOutcome,
} from './account';
import { vendorText } from './fixtures/fixtures';
import { MASK } from './redact';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
/** Shaped like the spec's access tokens (base64 of hex). */
const TOKEN = 'MDZhYzBlMGI1YzQ0ZjI1ZjYzYmUyNmMzZWQ5ZGNmOGYyNmQxMmMyMmQ2NmNiY2M3NW=';

/**
 * `examples/json/AccountGetResponse.json` of hellosign/hellosign-openapi (Apache-2.0), byte for byte: the
 * body of `GET /v3/account` (not among ./fixtures, which this file does not own).
 */
const VENDOR_ACCOUNT = `{
  "account": {
    "account_id": "5008b25c7f67153e57d5a357b1687968068fb465",
    "email_address": "me@dropboxsign.com",
    "is_locked": false,
    "is_paid_hs": true,
    "is_paid_hf": false,
    "quotas": {
      "api_signature_requests_left": 1250,
      "documents_left": null,
      "templates_left": null,
      "sms_signatures_left": 1
    },
    "callback_url": null,
    "role_code": null,
    "locale": "en-US"
  }
}
`;

/** Rate-limit headers as the sandbox and the live API send them (reset in epoch seconds). */
const RATE_HEADERS = {
  'X-RateLimit-Limit': '100',
  'X-RateLimit-Remaining': '97',
  'X-Ratelimit-Reset': String(NOW / 1000 + 3000),
};

function read(
  status: number,
  body: string | object,
  headers: Record<string, string> | Headers = {},
  secrets: readonly string[] = [TOKEN],
): VerifyOutcome {
  return readAccountResponse(
    status,
    headers,
    typeof body === 'string' ? body : JSON.stringify(body),
    NOW,
    secrets,
  );
}

function failureOf(outcome: VerifyOutcome, reason: string, status: number) {
  if (outcome.ok) throw new Error(`expected ${reason}, got the account`);
  expect(outcome.reason).toBe(reason);
  expect(outcome.status).toBe(status);
  expect(outcome.message.trim()).not.toBe('');
  expect(outcome.message).not.toContain(TOKEN);
  return outcome;
}

function accountOf(outcome: VerifyOutcome): AccountInfo {
  if (!outcome.ok) throw new Error(`expected the account, got ${outcome.reason}: ${outcome.message}`);
  return outcome.account;
}

describe('buildAccountRequest', () => {
  it('is GET {host}/v3/account with the Bearer token and Accept: application/json', () => {
    expect(buildAccountRequest(DEFAULT_API_HOST, TOKEN)).toEqual({
      url: 'https://api.hellosign.com/v3/account',
      method: 'GET',
      headers: { Authorization: `Bearer ${TOKEN}`, Accept: 'application/json' },
    });
    expect(DEFAULT_API_HOST).toBe('https://api.hellosign.com');
    expect(ACCOUNT_PATH).toBe('/v3/account');
  });

  it.each([
    'https://api.hellosign.com/',
    'https://api.hellosign.com/v3',
    'https://api.hellosign.com/v3/',
    ' https://api.hellosign.com ',
  ])('tolerates %j as the host', (host) => {
    expect(buildAccountRequest(host, TOKEN).url).toBe('https://api.hellosign.com/v3/account');
  });

  it('points at a local stand-in as given, and trims a pasted token', () => {
    const spec = buildAccountRequest('http://127.0.0.1:4321', `  ${TOKEN}\n`);
    expect(spec.url).toBe('http://127.0.0.1:4321/v3/account');
    expect(spec.headers.Authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('describes the request with the token masked', () => {
    const text = describeAccountRequest(buildAccountRequest(DEFAULT_API_HOST, TOKEN));
    expect(text).toBe(
      `GET https://api.hellosign.com/v3/account\nAuthorization: Bearer ${MASK}\nAccept: application/json`,
    );
    expect(text).not.toContain(TOKEN);
  });
});

describe('readRateLimit', () => {
  it('reads the three headers, the reset from epoch seconds to ms', () => {
    expect(readRateLimit(RATE_HEADERS)).toEqual({ limit: 100, remaining: 97, resetAt: NOW + 3_000_000 });
  });

  it('reads a fetch Headers object and lower-case names alike', () => {
    const headers = new Headers({
      'x-ratelimit-limit': '25',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': '1736946000',
    });
    expect(readRateLimit(headers)).toEqual({ limit: 25, remaining: 0, resetAt: 1_736_946_000_000 });
    expect(readRateLimit({ 'x-ratelimit-limit': '25', 'X-RATELIMIT-REMAINING': '3' })).toEqual({
      limit: 25,
      remaining: 3,
    });
  });

  it('reads x-ratelimit-limit-remaining (as seen live) when X-RateLimit-Remaining is absent', () => {
    expect(readRateLimit({ 'x-ratelimit-limit': '100', 'x-ratelimit-limit-remaining': '42' })).toEqual({
      limit: 100,
      remaining: 42,
    });
    expect(readRateLimit(new Headers({ 'X-RateLimit-Limit-Remaining': '7' }))).toEqual({ remaining: 7 });
    // Both: the documented one wins.
    expect(readRateLimit({ 'X-RateLimit-Remaining': '5', 'x-ratelimit-limit-remaining': '6' })).toEqual({
      remaining: 5,
    });
  });

  it('reads a reset that can only be epoch ms as ms', () => {
    expect(readRateLimit({ 'X-RateLimit-Reset': String(NOW + 60_000) })).toEqual({ resetAt: NOW + 60_000 });
  });

  it.each(['', 'abc', '-1', '1.5', '12 apples', '99999999999999999999'])(
    'leaves out a header that is not a plain count: %j',
    (value) => {
      expect(readRateLimit({ 'X-RateLimit-Limit': value, 'X-RateLimit-Remaining': value })).toEqual({});
    },
  );

  it('leaves out a reset that is no epoch time (e.g. seconds from now)', () => {
    expect(readRateLimit({ 'X-RateLimit-Reset': '60' })).toEqual({});
    expect(readRateLimit({ 'X-RateLimit-Reset': '99999999999999999' })).toEqual({});
  });

  it('reads the first value of a header sent twice, and nothing from no headers', () => {
    expect(readRateLimit({ 'X-RateLimit-Limit': '100, 100' })).toEqual({ limit: 100 });
    expect(readRateLimit({})).toEqual({});
    expect(readRateLimit(new Headers())).toEqual({});
  });
});

describe('readAccountResponse: 200', () => {
  it('reads the vendor example: id, email, paid flags, quotas (null is unlimited), rate limit', () => {
    const outcome = read(200, VENDOR_ACCOUNT, { ...RATE_HEADERS, 'Content-Type': 'application/json' });
    expect(outcome).toEqual({
      ok: true,
      status: 200,
      account: {
        accountId: '5008b25c7f67153e57d5a357b1687968068fb465',
        email: 'me@dropboxsign.com',
        isPaidHs: true,
        isPaidHf: false,
        quotas: [
          { label: 'API signature requests left', value: '1250' },
          { label: 'Documents left', value: 'unlimited' },
          { label: 'Templates left', value: 'unlimited' },
          { label: 'SMS signatures left', value: '1' },
        ],
      },
      rateLimit: { limit: 100, remaining: 97, resetAt: NOW + 3_000_000 },
    });
  });

  it('lists the documented quotas in a fixed order, then others named from their key; skips odd values', () => {
    const account = accountOf(
      read(200, {
        account: {
          account_id: 'a1',
          email_address: 'owner@example.com',
          role_code: 'a',
          quotas: {
            num_fax_pages_left: 50,
            future_widgets_left: 3,
            sms_verifications_left: 0,
            templates_total: null,
            templates_left: 5,
            documents_left: { nested: true },
            api_signature_requests_left: 1250,
          },
        },
      }),
    );
    expect(account.quotas).toEqual([
      { label: 'API signature requests left', value: '1250' },
      { label: 'Templates left', value: '5' },
      { label: 'Templates in total', value: 'unlimited' },
      { label: 'SMS verifications left', value: '0' },
      { label: 'Fax pages left', value: '50' },
      { label: 'Future widgets left', value: '3' },
    ]);
    expect(account.roleCode).toBe('a');
    expect(account.isPaidHs).toBeUndefined();
  });

  it('has no quota lines when there are no quotas', () => {
    expect(accountOf(read(200, { account: { account_id: 'a', email_address: 'b@c.d' } })).quotas).toEqual([]);
  });

  it.each<[string, string | object, RegExp]>([
    [
      'an HTML page',
      '<!DOCTYPE html><html><head><title>Sign in</title></head></html>',
      /HTML page came back \(“Sign in”\)/,
    ],
    ['an empty body', '', /the body was empty/],
    // What the sandbox's `malformed-json` account fault sends.
    [
      'cut-off JSON',
      '{"account": {"account_id": "5008b25c7f67153e57d5a357b1687968068fb465",',
      /JSON that could not be read/,
    ],
    ['plain text', 'OK', /text, not JSON/],
    [
      'JSON without account',
      { token_type: 'Bearer', expires_in: 3600 },
      /no “account” object.*token_type, expires_in/,
    ],
    ['an account that is not an object', { account: 'me@dropboxsign.com' }, /“account” is not an object/],
    [
      'an account without account_id',
      { account: { email_address: 'me@dropboxsign.com' } },
      /no account_id.*email_address/,
    ],
    [
      'an account without email_address',
      { account: { account_id: 'a1', email_address: '' } },
      /no email_address/,
    ],
    ['a JSON array', [VENDOR_ACCOUNT], /JSON, but not an object holding the account/],
  ])('is unexpected for a 200 with %s, saying what was wrong', (_name, body, said) => {
    const f = failureOf(read(200, body, RATE_HEADERS), 'unexpected', 200);
    expect(f.message).toMatch(/^Dropbox Sign answered 200, but not with the account: /);
    expect(f.message).toMatch(said);
    if (typeof body === 'string') expect(f.message).toContain('check the API host');
    expect(f.rateLimit).toEqual({ limit: 100, remaining: 97, resetAt: NOW + 3_000_000 });
  });

  it('is unexpected for a 200 that carries an error envelope', () => {
    const f = failureOf(read(200, vendorText('Error401Response')), 'unexpected', 200);
    expect(f.message).toContain('“Unauthorized user. No credentials supplied.”');
  });
});

describe('readAccountResponse: 401', () => {
  const SENTENCE =
    'Dropbox Sign refused this access token (401): it has expired or was revoked. Refresh it, then verify again.';

  it('says the token expired or was revoked, with the API’s error_msg (vendor example)', () => {
    const f = failureOf(read(401, vendorText('Error401Response')), 'expired', 401);
    expect(f.message.startsWith(SENTENCE)).toBe(true);
    expect(f.message).toContain('Dropbox Sign said: “Unauthorized user. No credentials supplied.”');
    expect(f.message).toContain('No token reached it');
    expect(f.rateLimit).toEqual({});
    expect(f.retryAt).toBeUndefined();
  });

  it('quotes the sandbox’s and the RFC 6749 shape’s words, or none', () => {
    const api = failureOf(
      read(401, { error: { error_msg: 'Unauthorized api key', error_name: 'unauthorized' } }),
      'expired',
      401,
    );
    expect(api.message).toBe(`${SENTENCE} Dropbox Sign said: “Unauthorized api key”.`);
    const rfc = failureOf(
      read(401, { error: 'invalid_token', error_description: 'The access token provided has expired' }),
      'expired',
      401,
    );
    expect(rfc.message).toBe(`${SENTENCE} Dropbox Sign said: “The access token provided has expired”.`);
    const bare = failureOf(read(401, { error: 'invalid_token' }), 'expired', 401);
    expect(bare.message).toBe(`${SENTENCE} Dropbox Sign said: invalid_token.`);
    expect(failureOf(read(401, ''), 'expired', 401).message).toBe(SENTENCE);
  });
});

describe('readAccountResponse: 403', () => {
  it('says the app’s scopes do not allow it, which scopes, where to set them and to authorize again', () => {
    const body = {
      error: {
        error_msg:
          'Your app is not authorized to access this endpoint: it requires one of the scopes basic_account_info, account_access',
        error_name: 'forbidden',
      },
    };
    const f = failureOf(read(403, body), 'scopes', 403);
    expect(f.message).toMatch(/^Dropbox Sign did not let this access token read the account \(403\)/);
    expect(f.message).toContain('scopes do not allow it');
    expect(f.message).toContain('basic_account_info or account_access');
    expect(f.message).toContain('app’s settings on Dropbox Sign');
    expect(f.message).toContain('authorize the app again');
    expect(f.message).toContain(`Dropbox Sign said: “${body.error.error_msg}”.`);
  });

  it('quotes the server whatever it says (vendor example)', () => {
    const f = failureOf(read(403, vendorText('Error403Response')), 'scopes', 403);
    expect(f.message).toContain('“A paid API plan is required to access this endpoint.”');
    expect(f.message).not.toContain('.”.');
  });
});

describe('readAccountResponse: 429', () => {
  it('says when to retry from Retry-After, as a time (vendor example body, sandbox headers)', () => {
    const headers = {
      'X-RateLimit-Limit': '100',
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Limit-Remaining': '0',
      'X-Ratelimit-Reset': String(NOW / 1000 + 120),
      'Retry-After': '90',
    };
    const f = failureOf(read(429, vendorText('Error429Response'), headers), 'rate-limited', 429);
    expect(f.retryAt).toBe(NOW + 90_000);
    expect(f.rateLimit).toEqual({ limit: 100, remaining: 0, resetAt: NOW + 120_000 });
    expect(f.message).toContain('rate limiting (429, limit 100 requests)');
    expect(f.message).toContain('Dropbox Sign said: “Too many requests.”');
    expect(f.message).toContain(`Try again after ${new Date(NOW + 90_000).toLocaleTimeString()}.`);
  });

  it('falls back to X-RateLimit-Reset, then to “wait a minute”', () => {
    const reset = failureOf(
      read(429, vendorText('Error429Response'), { 'x-ratelimit-reset': String(NOW / 1000 + 600) }),
      'rate-limited',
      429,
    );
    expect(reset.retryAt).toBe(NOW + 600_000);
    expect(reset.message).toContain(new Date(NOW + 600_000).toLocaleTimeString());
    const none = failureOf(read(429, ''), 'rate-limited', 429);
    expect(none.retryAt).toBeUndefined();
    expect(none.message).toContain('Wait a minute, then verify again.');
  });

  it('reads Retry-After as an HTTP date, and names the day when it is far off', () => {
    const at = NOW + 2 * 24 * 3600_000;
    const f = failureOf(
      read(429, '', new Headers({ 'Retry-After': new Date(at).toUTCString() })),
      'rate-limited',
      429,
    );
    expect(f.retryAt).toBe(at);
    expect(f.message).toContain(new Date(at).toLocaleString());
  });

  it('is rate-limited for an exceeded_rate envelope whatever the status', () => {
    failureOf(
      read(400, { error: { error_msg: 'Too many requests.', error_name: 'exceeded_rate' } }),
      'rate-limited',
      400,
    );
  });
});

describe('readAccountResponse: 5xx', () => {
  it('is a server error, naming the HTML page that came', () => {
    const page =
      '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>\n';
    const f = failureOf(read(502, page, { 'Content-Type': 'text/html; charset=utf-8' }), 'server', 502);
    expect(f.message).toContain('server error (502)');
    expect(f.message).toContain('“502 Bad Gateway”');
    expect(f.message).toContain('not a problem with the token');
    expect(f.message).not.toContain('proxy');
    expect(f.message).toContain('verify again in a minute');
  });

  it('quotes an envelope and honours Retry-After', () => {
    const f = failureOf(
      read(
        503,
        { error: { error_msg: 'Service unavailable', error_name: 'internal_server_error' } },
        { 'Retry-After': '30' },
      ),
      'server',
      503,
    );
    expect(f.message).toContain('“Service unavailable”');
    expect(f.retryAt).toBe(NOW + 30_000);
    expect(f.message).toContain(`verify again after ${new Date(NOW + 30_000).toLocaleTimeString()}`);
  });
});

describe('readAccountResponse: anything else is unexpected', () => {
  it('404: points at the API host', () => {
    const f = failureOf(
      read(404, { error: { error_msg: 'Not found', error_name: 'not_found' } }),
      'unexpected',
      404,
    );
    expect(f.message).toContain('Dropbox Sign answered 404');
    expect(f.message).toContain('“Not found”');
    expect(f.message).toContain('Check the API host (default https://api.hellosign.com)');
  });

  it('a redirect: the API does not redirect', () => {
    const f = failureOf(read(302, 'Redirecting', { Location: 'https://elsewhere.test/' }), 'unexpected', 302);
    expect(f.message).toContain('The API does not redirect');
  });

  it('400 with the vendor’s example body (not valid JSON): says it could not be read', () => {
    const f = failureOf(read(400, vendorText('Error400Response')), 'unexpected', 400);
    expect(f.message).toContain('JSON that could not be read');
    expect(f.message).toContain('neither accepted nor refused');
  });

  it('402: quotes the server, and lists the fields of a JSON body without an error', () => {
    const paid = failureOf(
      read(402, { error: { error_msg: 'Payment required', error_name: 'payment_required' } }),
      'unexpected',
      402,
    );
    expect(paid.message).toContain('“Payment required”');
    const odd = failureOf(read(418, { teapot: true }), 'unexpected', 418);
    expect(odd.message).toContain('Fields received: teapot.');
  });
});

describe('readAccountResponse: never the token, never a throw', () => {
  it('masks the token where the server echoes it', () => {
    const echo = { error: { error_msg: `Token ${TOKEN} is expired`, error_name: 'unauthorized' } };
    const f = failureOf(read(401, echo), 'expired', 401);
    expect(f.message).toContain(`Token ${MASK} is expired`);
    const page = `<html><title>Bad ${TOKEN}</title></html>`;
    expect(failureOf(read(502, page), 'server', 502).message).toContain(MASK);
    expect(failureOf(read(418, { [TOKEN]: 1 }), 'unexpected', 418).message).toContain(MASK);
  });

  it('caps long server text', () => {
    const f = failureOf(
      read(401, { error: { error_msg: 'x'.repeat(5000), error_name: 'unauthorized' } }),
      'expired',
      401,
    );
    expect(f.message.length).toBeLessThan(600);
    expect(f.message).toContain('…');
  });

  it('classifies any status, headers and body without throwing, and no message holds the token', () => {
    const bodyArb = fc.oneof(
      fc.string(),
      fc.constantFrom(VENDOR_ACCOUNT, vendorText('Error401Response'), vendorText('Error400Response')),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string().map((s) => JSON.stringify({ error: { error_msg: `${s}${TOKEN}${s}`, error_name: s } })),
      fc.string().map((s) => JSON.stringify({ error: s, error_description: `${TOKEN} ${s}` })),
    );
    const headerArb = fc.dictionary(
      fc.constantFrom(
        'Retry-After',
        'x-ratelimit-reset',
        'X-RateLimit-Limit',
        'x-ratelimit-limit-remaining',
        'content-type',
      ),
      fc.oneof(
        fc.string(),
        fc.nat().map(String),
        fc.date({ noInvalidDate: true }).map((d) => d.toUTCString()),
      ),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999 }), headerArb, bodyArb, (status, headers, body) => {
        const outcome = readAccountResponse(status, headers, body, NOW, [TOKEN]);
        expect(outcome.status).toBe(status);
        if (!outcome.ok) {
          expect(outcome.message).not.toContain(TOKEN);
          expect(outcome.message.trim()).not.toBe('');
          if (outcome.retryAt !== undefined)
            expect(Number.isFinite(new Date(outcome.retryAt).getTime())).toBe(true);
        } else {
          expect(status).toBeGreaterThanOrEqual(200);
          expect(status).toBeLessThan(300);
        }
      }),
      { numRuns: 300 },
    );
  }, 60_000);
});
