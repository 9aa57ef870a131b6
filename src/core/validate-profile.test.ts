import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import manifest from '../../manifest.json' with { type: 'json' };
import { vendorText } from './fixtures/fixtures';
import { DEFAULT_OAUTH_HOST, DEFAULT_PROFILE_NAME } from './profile';
import {
  extractRefreshToken,
  LOCAL_HTTP_HOSTS,
  MAX_NAME_LENGTH,
  normalizeApiHost,
  normalizeOauthHost,
  readPastedTokenResponse,
  validateProfile,
  type ProfileField,
} from './validate-profile';

/** Property runs take a few hundred ms alone, but can be slow on a busy machine: never a flaky timeout. */
const PROPERTY_TIMEOUT_MS = 60_000;

const REFRESH_TOKEN = 'hNTI2MTFmM2VmZDQxZTZjOWRmZmFjZmVmMGMyNGFjMzI2MGI5YzgzNmE3';

const complete = {
  name: 'Production app',
  clientId: 'cc91c61d00f8bb2ece1428035716b',
  clientSecret: '1d14434088507ffa390e6f5528465',
  refreshToken: REFRESH_TOKEN,
  oauthHost: 'https://app.hellosign.com',
  clientAuth: 'body',
};

describe('validateProfile', () => {
  it('accepts a complete profile with no errors and no warnings', () => {
    const result = validateProfile(complete);
    expect(result.errors).toEqual({});
    expect(result.warnings).toEqual({});
    expect(result.value).toEqual(complete);
  });

  it('trims every field', () => {
    const result = validateProfile({
      id: '  p-1 ',
      name: '  Production app ',
      clientId: ` ${complete.clientId}\n`,
      clientSecret: `\t${complete.clientSecret} `,
      refreshToken: `  ${REFRESH_TOKEN}\n`,
      oauthHost: ' https://app.hellosign.com ',
      clientAuth: 'body',
    });
    expect(result.errors).toEqual({});
    expect(result.value).toEqual({ ...complete, id: 'p-1' });
  });

  it('leaves out the id of a new profile', () => {
    expect(validateProfile(complete).value).not.toHaveProperty('id');
    expect(validateProfile({ ...complete, id: '   ' }).value).not.toHaveProperty('id');
  });

  it('names an unnamed profile with the default name', () => {
    expect(validateProfile({ ...complete, name: '' }).value.name).toBe(DEFAULT_PROFILE_NAME);
    expect(validateProfile({ ...complete, name: '   ' }).value.name).toBe(DEFAULT_PROFILE_NAME);
    expect(validateProfile({ ...complete, name: undefined }).value.name).toBe(DEFAULT_PROFILE_NAME);
  });

  it('rejects a name longer than the limit, accepting one exactly at it', () => {
    expect(validateProfile({ ...complete, name: 'n'.repeat(MAX_NAME_LENGTH) }).errors).toEqual({});
    expect(validateProfile({ ...complete, name: 'n'.repeat(MAX_NAME_LENGTH + 1) }).errors.name).toMatch(
      /at most 60/,
    );
  });

  it('requires a refresh token, unless the client ID and secret are there to authorize the app', () => {
    for (const refreshToken of ['', '   ', undefined, 42]) {
      const alone = validateProfile({ ...complete, refreshToken, clientSecret: '' });
      expect(alone.errors.refreshToken).toMatch(/Enter a refresh token .*or the client ID and client secret/);
      const authorizable = validateProfile({ ...complete, refreshToken });
      expect(authorizable.errors).toEqual({});
      expect(authorizable.warnings.refreshToken).toMatch(/authorize the app/);
      expect(authorizable.value.refreshToken).toBe('');
    }
  });

  it('rejects a refresh token with spaces or line breaks inside', () => {
    for (const refreshToken of ['abc def', 'abc\ndef', 'abc\tdef']) {
      expect(validateProfile({ ...complete, refreshToken }).errors.refreshToken).toMatch(
        /spaces or line breaks/,
      );
    }
  });

  it('tells the user to leave out "Bearer" when they paste a Bearer header value', () => {
    for (const refreshToken of [`Bearer ${REFRESH_TOKEN}`, `bearer ${REFRESH_TOKEN}`, 'Bearer']) {
      expect(validateProfile({ ...complete, refreshToken }).errors.refreshToken).toMatch(/without “Bearer”/);
    }
  });

  it('takes the refresh token out of a whole pasted token response (the vendor’s example)', () => {
    const result = validateProfile({ ...complete, refreshToken: vendorText('OAuthTokenRefreshResponse') });
    expect(result.errors).toEqual({});
    expect(result.value.refreshToken).toBe(REFRESH_TOKEN);
  });

  it('takes the refresh token out of a pasted refresh_token=... or "refresh_token": "..." line', () => {
    for (const pasted of [
      `refresh_token=${REFRESH_TOKEN}`,
      `refresh_token: ${REFRESH_TOKEN}`,
      `"refresh_token": "${REFRESH_TOKEN}",`,
    ]) {
      const result = validateProfile({ ...complete, refreshToken: pasted });
      expect(result.errors).toEqual({});
      expect(result.value.refreshToken).toBe(REFRESH_TOKEN);
    }
  });

  it('warns, without blocking, that a missing client id or secret is "Required for new API apps"', () => {
    const result = validateProfile({ ...complete, clientId: '', clientSecret: '  ' });
    expect(result.errors).toEqual({});
    expect(result.warnings.clientId).toMatch(/^Required for new API apps/);
    expect(result.warnings.clientSecret).toMatch(/^Required for new API apps/);
    expect(result.value.clientId).toBe('');
    expect(result.value.clientSecret).toBe('');
  });

  it('rejects a client id or secret with spaces inside', () => {
    const result = validateProfile({ ...complete, clientId: 'cc91 c61d', clientSecret: '1d14\n4340' });
    expect(result.errors.clientId).toMatch(/contains spaces/);
    expect(result.errors.clientSecret).toMatch(/contains spaces/);
  });

  it.each(['basic', 'both'])("requires both client id and secret in '%s' mode", (clientAuth) => {
    expect(validateProfile({ ...complete, clientAuth }).errors).toEqual({});
    expect(validateProfile({ ...complete, clientAuth, clientSecret: '' }).errors.clientAuth).toMatch(
      /needs both the client ID and the client secret/,
    );
    expect(validateProfile({ ...complete, clientAuth, clientId: '' }).errors.clientAuth).toBeTruthy();
  });

  it("does not require client credentials in 'body' mode", () => {
    expect(validateProfile({ ...complete, clientId: '', clientSecret: '' }).errors).toEqual({});
  });

  it("falls back to 'body' for a missing or unknown client authentication mode", () => {
    expect(validateProfile({ ...complete, clientAuth: undefined }).value.clientAuth).toBe('body');
    expect(validateProfile({ ...complete, clientAuth: 'digest' }).value.clientAuth).toBe('body');
  });

  it('uses the default OAuth host when none is given', () => {
    expect(validateProfile({ ...complete, oauthHost: '' }).value.oauthHost).toBe(DEFAULT_OAUTH_HOST);
  });

  it('stores the normalized host', () => {
    const result = validateProfile({ ...complete, oauthHost: 'app.hellosign.com/' });
    expect(result.errors).toEqual({});
    expect(result.value.oauthHost).toBe('https://app.hellosign.com');
  });

  it('reports a bad host as an error on oauthHost, keeping what was typed', () => {
    const result = validateProfile({ ...complete, oauthHost: 'http://example.com' });
    expect(result.errors.oauthHost).toMatch(/https/);
    expect(result.value.oauthHost).toBe('http://example.com');
  });

  it('ignores non-string field values instead of throwing', () => {
    const result = validateProfile({ name: 5, clientId: {}, clientSecret: [], refreshToken: REFRESH_TOKEN });
    expect(result.value).toMatchObject({ name: DEFAULT_PROFILE_NAME, clientId: '', clientSecret: '' });
  });

  it(
    'never throws, words every message, and gives a usable value when there are no errors (property)',
    () => {
      const fields: ProfileField[] = [
        'name',
        'clientId',
        'clientSecret',
        'refreshToken',
        'oauthHost',
        'clientAuth',
      ];
      fc.assert(
        fc.property(
          fc.record(
            {
              id: fc.oneof(fc.string(), fc.anything()),
              name: fc.oneof(fc.string(), fc.anything()),
              clientId: fc.string(),
              clientSecret: fc.string(),
              refreshToken: fc.oneof(fc.string(), fc.json()),
              oauthHost: fc.oneof(fc.string(), fc.webUrl()),
              clientAuth: fc.oneof(fc.constantFrom('body', 'basic', 'both'), fc.anything()),
            },
            { requiredKeys: [] },
          ),
          (input) => {
            const { value, errors, warnings } = validateProfile(input);
            for (const message of [...Object.values(errors), ...Object.values(warnings)]) {
              expect(message).toMatch(/^[A-Z]\S*\s\S/);
            }
            for (const key of Object.keys({ ...errors, ...warnings })) expect(fields).toContain(key);
            expect(['body', 'basic', 'both']).toContain(value.clientAuth);
            if (Object.keys(errors).length === 0) {
              expect(value.refreshToken).not.toMatch(/\s/);
              // Empty only where the app can be authorized instead.
              if (value.refreshToken === '') expect(value.clientId && value.clientSecret).toBeTruthy();
              expect(value.oauthHost).toMatch(/^https?:\/\/[^/]+$/);
            }
          },
        ),
        { numRuns: 500 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

describe('extractRefreshToken', () => {
  it('returns a plain token unchanged', () => {
    expect(extractRefreshToken(REFRESH_TOKEN)).toBe(REFRESH_TOKEN);
  });

  it('reads refresh_token from pasted JSON, trimming it', () => {
    expect(extractRefreshToken('{"refresh_token": "  abc  ", "access_token": "x"}')).toBe('abc');
  });

  it('returns text starting with { that is not JSON unchanged', () => {
    expect(extractRefreshToken('{abc')).toBe('{abc');
  });
});

describe('readPastedTokenResponse', () => {
  it('reads the access token, expires_in and token type a pasted token response carries', () => {
    const pasted = JSON.stringify({
      access_token: ' the-access-token ',
      token_type: 'Bearer',
      refresh_token: 'the-refresh-token',
      expires_in: 3600,
      state: null,
    });
    expect(readPastedTokenResponse(`  ${pasted}\n`)).toEqual({
      refreshToken: 'the-refresh-token',
      accessToken: 'the-access-token',
      expiresIn: 3600,
      tokenType: 'Bearer',
    });
  });

  it('leaves out what the JSON lacks or holds in another type', () => {
    expect(readPastedTokenResponse('{"refresh_token":"r","access_token":"","expires_in":"3600"}')).toEqual({
      refreshToken: 'r',
    });
  });

  it('is undefined for a plain token, JSON without a refresh_token string, and text that is not JSON', () => {
    expect(readPastedTokenResponse(REFRESH_TOKEN)).toBeUndefined();
    expect(readPastedTokenResponse('{"access_token":"a"}')).toBeUndefined();
    expect(readPastedTokenResponse('{"refresh_token":42}')).toBeUndefined();
    expect(readPastedTokenResponse('[{"refresh_token":"r"}]')).toBeUndefined();
    expect(readPastedTokenResponse('{abc')).toBeUndefined();
  });
});

describe('normalizeOauthHost', () => {
  it.each([
    ['app.hellosign.com', 'https://app.hellosign.com'],
    ['https://app.hellosign.com', 'https://app.hellosign.com'],
    ['https://app.hellosign.com/', 'https://app.hellosign.com'],
    ['HTTPS://APP.HELLOSIGN.COM', 'https://app.hellosign.com'],
    ['https://app.hellosign.com:443', 'https://app.hellosign.com'],
    ['https://sign.example.test:8443/', 'https://sign.example.test:8443'],
    ['http://localhost:8080', 'http://localhost:8080'],
    ['http://localhost:8080/', 'http://localhost:8080'],
    ['http://127.0.0.1:3000', 'http://127.0.0.1:3000'],
    ['localhost:8443', 'https://localhost:8443'],
  ])('normalizes %s to %s', (raw, origin) => {
    expect(normalizeOauthHost(raw)).toEqual({ origin });
  });

  it('refuses http://[::1], which the manifest cannot grant, and names the hosts that work', () => {
    expect(normalizeOauthHost('http://[::1]:3000')).toEqual({
      error: expect.stringContaining('http://127.0.0.1 or http://localhost') as unknown,
    });
  });

  it('accepts plain http only for hosts the manifest can grant', () => {
    const optional = (manifest as { optional_host_permissions: string[] }).optional_host_permissions;
    for (const host of LOCAL_HTTP_HOSTS) expect(optional).toContain(`http://${host}/*`);
    expect(optional.filter((p) => p.startsWith('http://'))).toHaveLength(LOCAL_HTTP_HOSTS.length);
  });

  it.each([
    'http://app.hellosign.com',
    'http://example.com:8080',
    'http://localhost.example.com',
    'ftp://localhost',
  ])('rejects %s: https only, http only for this machine', (raw) => {
    expect(normalizeOauthHost(raw)).toEqual({
      error: 'Use https:// for the OAuth host (http:// is allowed only for localhost).',
    });
  });

  it.each([
    'https://app.hellosign.com/oauth/token',
    'https://app.hellosign.com/?refresh',
    'https://app.hellosign.com/#x',
    'https://user:pass@app.hellosign.com',
  ])('rejects %s: only the host, without a path', (raw) => {
    expect(normalizeOauthHost(raw)).toEqual({
      error: 'Enter only the host, without a path: https://app.hellosign.com',
    });
  });

  it.each([
    'api.hellosign.com',
    'https://api.hellosign.com',
    'https://api.hellosign.com/v3',
    'https://api.hellosign.com/v3/',
  ])('rejects the API host %s with a message naming app.hellosign.com', (raw) => {
    const result = normalizeOauthHost(raw);
    expect('error' in result && result.error).toMatch(/app\.hellosign\.com/);
    expect('error' in result && result.error).toMatch(/not api\.hellosign\.com/);
  });

  it('rejects text that is not a URL', () => {
    expect(normalizeOauthHost('app hellosign com')).toEqual({
      error: 'Enter the OAuth host as a URL, e.g. https://app.hellosign.com.',
    });
  });
});

describe('validateProfile on pasted JSON without a refresh token', () => {
  it('rejects it with a message naming the missing refresh_token field', () => {
    const result = validateProfile({ refreshToken: '{"access_token":"abc"}' });
    expect(result.errors.refreshToken).toMatch(/JSON without a refresh_token/);
  });
});

describe('validateProfile: the API host', () => {
  it.each([undefined, '', '   ', null, 42])(
    'leaves it out when none is entered (%s): it is derived',
    (apiHost) => {
      const result = validateProfile({ ...complete, apiHost });
      expect(result.errors).toEqual({});
      expect(result.warnings).toEqual({});
      expect(result.value).toEqual(complete);
      expect(result.value).not.toHaveProperty('apiHost');
    },
  );

  it.each([
    ['https://api.hellosign.com', 'https://api.hellosign.com'],
    ['https://api.hellosign.com/', 'https://api.hellosign.com'],
    ['https://api.hellosign.com/v3', 'https://api.hellosign.com'],
    ['https://api.hellosign.com/v3/', 'https://api.hellosign.com'],
    ['  https://api.hellosign.com/v3  ', 'https://api.hellosign.com'],
    ['api.hellosign.com', 'https://api.hellosign.com'],
    ['HTTPS://API.HELLOSIGN.COM', 'https://api.hellosign.com'],
    ['https://sign-api.example.test:8443', 'https://sign-api.example.test:8443'],
    ['http://localhost:8080', 'http://localhost:8080'],
    ['http://localhost:8080/v3', 'http://localhost:8080'],
    ['http://127.0.0.1:3000', 'http://127.0.0.1:3000'],
  ])('stores %s as the origin %s', (raw, origin) => {
    const result = validateProfile({ ...complete, apiHost: raw });
    expect(result.errors).toEqual({});
    expect(result.value.apiHost).toBe(origin);
    expect(normalizeApiHost(raw.trim())).toEqual({ origin });
  });

  it('accepts api.hellosign.com, which the OAuth host refuses', () => {
    const result = validateProfile({ ...complete, apiHost: 'https://api.hellosign.com/v3' });
    expect(result.errors).toEqual({});
    expect(normalizeOauthHost('https://api.hellosign.com/v3')).toHaveProperty('error');
  });

  it.each([
    'http://api.hellosign.com',
    'http://example.com:8080',
    'http://localhost.example.com',
    'ftp://localhost',
  ])('refuses %s: https only, http only for this machine', (raw) => {
    const result = validateProfile({ ...complete, apiHost: raw });
    expect(result.errors).toEqual({
      apiHost: 'Use https:// for the API host (http:// is allowed only for localhost).',
    });
  });

  it('refuses http://[::1], which the manifest cannot grant, and names the hosts that work', () => {
    expect(validateProfile({ ...complete, apiHost: 'http://[::1]:3000' }).errors.apiHost).toMatch(
      /http:\/\/127\.0\.0\.1 or http:\/\/localhost/,
    );
  });

  it.each([
    'https://api.hellosign.com/v3/account',
    'https://api.hellosign.com/v2',
    'https://api.hellosign.com/?x=1',
    'https://api.hellosign.com/#x',
    'https://user:pass@api.hellosign.com',
  ])('refuses %s: only the host (or the API base URL ending in /v3)', (raw) => {
    expect(validateProfile({ ...complete, apiHost: raw }).errors).toEqual({
      apiHost: 'Enter only the host, without a path: https://api.hellosign.com',
    });
  });

  it('refuses text that is not a URL, naming the API host and an example', () => {
    expect(validateProfile({ ...complete, apiHost: 'api hellosign com' }).errors).toEqual({
      apiHost: 'Enter the API host as a URL, e.g. https://api.hellosign.com.',
    });
  });

  it('keeps what was typed in the value when it is refused, so the form shows it again', () => {
    const result = validateProfile({ ...complete, apiHost: ' http://example.com ' });
    expect(result.value.apiHost).toBe('http://example.com');
    expect(result.errors.apiHost).toBeDefined();
  });

  it('checks the API host apart from the OAuth host: an error in one is not blamed on the other', () => {
    const badApi = validateProfile({ ...complete, apiHost: 'http://example.com' });
    expect(Object.keys(badApi.errors)).toEqual(['apiHost']);
    const badOauth = validateProfile({
      ...complete,
      oauthHost: 'http://example.com',
      apiHost: 'api.hellosign.com',
    });
    expect(Object.keys(badOauth.errors)).toEqual(['oauthHost']);
    expect(badOauth.value.apiHost).toBe('https://api.hellosign.com');
  });

  it('names the field in the list of fields a message can be for', () => {
    const field: ProfileField = 'apiHost';
    expect(validateProfile({ ...complete, apiHost: 'x y' }).errors[field]).toBeDefined();
  });
});
