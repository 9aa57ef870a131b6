import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { vendorJson } from './fixtures/fixtures';
import type { ClientAuthMode } from './profile';
import { MASK } from './redact';
import { basicAuthorization, buildRefreshRequest, describeRequest, TOKEN_PATH } from './refresh-request';

/** Property runs take a few hundred ms alone, but can be slow on a busy machine: never a flaky timeout. */
const PROPERTY_TIMEOUT_MS = 60_000;

const REFRESH_TOKEN = 'hNTI2MTFmM2VmZDQxZTZjOWRmZmFjZmVmMGMyNGFjMzI2MGI5YzgzNmE3';
const CLIENT_ID = 'cc91c61d00f8bb2ece1428035716b';
const CLIENT_SECRET = '1d14434088507ffa390e6f5528465';

function profile(clientAuth: ClientAuthMode, overrides: { clientId?: string; clientSecret?: string } = {}) {
  return {
    oauthHost: 'https://app.hellosign.com',
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    refreshToken: REFRESH_TOKEN,
    clientAuth,
    ...overrides,
  };
}

const bodyOf = (spec: { body: string }) => JSON.parse(spec.body) as Record<string, unknown>;
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describe('buildRefreshRequest', () => {
  it('POSTs to exactly {host}/oauth/token?refresh, the literal query without a value', () => {
    const spec = buildRefreshRequest(profile('body'));
    expect(spec.method).toBe('POST');
    expect(spec.url).toBe('https://app.hellosign.com/oauth/token?refresh');
    expect(TOKEN_PATH).toBe('/oauth/token');
  });

  it('uses the profile’s host, e.g. a local test server', () => {
    const spec = buildRefreshRequest({ ...profile('body'), oauthHost: 'http://127.0.0.1:8443' });
    expect(spec.url).toBe('http://127.0.0.1:8443/oauth/token?refresh');
  });

  it('sends a JSON body with a JSON content type and asks for JSON back', () => {
    const spec = buildRefreshRequest(profile('body'));
    expect(spec.headers['Content-Type']).toBe('application/json');
    expect(spec.headers.Accept).toBe('application/json');
    expect(() => bodyOf(spec)).not.toThrow();
  });

  it("always sends grant_type 'refresh_token' and the refresh token", () => {
    for (const mode of ['body', 'basic', 'both'] as const) {
      const body = bodyOf(buildRefreshRequest(profile(mode)));
      expect(body.grant_type).toBe('refresh_token');
      expect(body.refresh_token).toBe(REFRESH_TOKEN);
    }
  });

  it("'body' mode puts client_id and client_secret in the body and sends no Authorization header", () => {
    const spec = buildRefreshRequest(profile('body'));
    expect(bodyOf(spec)).toEqual({
      grant_type: 'refresh_token',
      refresh_token: REFRESH_TOKEN,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
    expect(Object.keys(spec.headers).map((h) => h.toLowerCase())).not.toContain('authorization');
  });

  it("'basic' mode sends Authorization: Basic base64(id:secret) and no client credentials in the body", () => {
    const spec = buildRefreshRequest(profile('basic'));
    expect(spec.headers.Authorization).toBe(`Basic ${base64(`${CLIENT_ID}:${CLIENT_SECRET}`)}`);
    expect(bodyOf(spec)).toEqual({ grant_type: 'refresh_token', refresh_token: REFRESH_TOKEN });
  });

  it("'both' mode sends the credentials in the body and in the Basic header", () => {
    const spec = buildRefreshRequest(profile('both'));
    expect(spec.headers.Authorization).toBe(`Basic ${base64(`${CLIENT_ID}:${CLIENT_SECRET}`)}`);
    expect(bodyOf(spec)).toMatchObject({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
  });

  it('omits an empty client id and client secret from the body, matching the vendor’s refresh example', () => {
    const spec = buildRefreshRequest(profile('body', { clientId: '', clientSecret: '' }));
    expect(bodyOf(spec)).toEqual(vendorJson('OAuthTokenRefreshRequest'));
  });

  it('omits only the empty one of client id and client secret', () => {
    expect(bodyOf(buildRefreshRequest(profile('body', { clientSecret: '' })))).not.toHaveProperty(
      'client_secret',
    );
    expect(bodyOf(buildRefreshRequest(profile('body', { clientId: '' })))).not.toHaveProperty('client_id');
    expect(bodyOf(buildRefreshRequest(profile('body', { clientId: '' })))).toHaveProperty(
      'client_secret',
      CLIENT_SECRET,
    );
  });

  it('sends no Basic header when there is no client id to put in it', () => {
    const spec = buildRefreshRequest(profile('basic', { clientId: '', clientSecret: '' }));
    expect(spec.headers).not.toHaveProperty('Authorization');
  });

  it('keeps a refresh token with quotes, backslashes and non-ASCII characters intact in the JSON', () => {
    const odd = 'a"b\\c/é✓\u2028';
    expect(bodyOf(buildRefreshRequest({ ...profile('body'), refreshToken: odd })).refresh_token).toBe(odd);
  });
});

describe('basicAuthorization', () => {
  it('is Basic base64(client_id:client_secret) for ASCII credentials', () => {
    expect(basicAuthorization('Aladdin', 'open sesame')).toBe('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
  });

  it('encodes non-ASCII credentials as UTF-8 before base64 (RFC 7617), where plain btoa would throw', () => {
    expect(() => btoa('clïent:sécret✓')).toThrow();
    expect(basicAuthorization('clïent', 'sécret✓')).toBe(`Basic ${base64('clïent:sécret✓')}`);
  });

  it('keeps a colon in the secret (only the first colon separates id from secret)', () => {
    const decoded = Buffer.from(basicAuthorization('id', 'se:cret').slice(6), 'base64').toString('utf8');
    expect(decoded).toBe('id:se:cret');
  });

  it(
    'decodes back to id:secret for any text (property)',
    () => {
      fc.assert(
        fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (id, secret) => {
          const value = basicAuthorization(id, secret);
          expect(value.startsWith('Basic ')).toBe(true);
          expect(Buffer.from(value.slice(6), 'base64').toString('utf8')).toBe(`${id}:${secret}`);
        }),
        { numRuns: 500 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

describe('describeRequest', () => {
  it('shows the method and exact URL on the first line', () => {
    const text = describeRequest(buildRefreshRequest(profile('body')));
    expect(text.split('\n')[0]).toBe('POST https://app.hellosign.com/oauth/token?refresh');
  });

  it('shows grant_type and client_id but masks client_secret and refresh_token', () => {
    const text = describeRequest(buildRefreshRequest(profile('body')));
    expect(text).toContain('"grant_type": "refresh_token"');
    expect(text).toContain(`"client_id": "${CLIENT_ID}"`);
    expect(text).toContain(`"client_secret": "${MASK}"`);
    expect(text).toContain(`"refresh_token": "${MASK}"`);
    expect(text).not.toContain(CLIENT_SECRET);
    expect(text).not.toContain(REFRESH_TOKEN);
  });

  it('shows the Content-Type header as sent', () => {
    expect(describeRequest(buildRefreshRequest(profile('body')))).toContain('Content-Type: application/json');
  });

  it('shows the Basic scheme but masks the Basic value', () => {
    const spec = buildRefreshRequest(profile('both'));
    const text = describeRequest(spec);
    expect(text).toContain(`Authorization: Basic ${MASK}`);
    expect(text).not.toContain(base64(`${CLIENT_ID}:${CLIENT_SECRET}`));
    expect(text).not.toContain(CLIENT_SECRET);
  });

  it(
    'never shows the secret or refresh token, in any mode and for any values (property)',
    () => {
      fc.assert(
        fc.property(
          fc.constantFrom<ClientAuthMode>('body', 'basic', 'both'),
          fc.stringMatching(/^[A-Za-z0-9]{1,30}$/),
          // Prefixed so that a secret cannot also be, say, the word "refresh_token" shown in the text.
          fc.stringMatching(/^[A-Za-z0-9+/=-]{8,60}$/).map((s) => `cs_${s}`),
          fc.stringMatching(/^[A-Za-z0-9+/=-]{8,60}$/).map((s) => `rt_${s}`),
          (clientAuth, clientId, clientSecret, refreshToken) => {
            const spec = buildRefreshRequest({
              ...profile(clientAuth),
              clientId,
              clientSecret,
              refreshToken,
            });
            const text = describeRequest(spec);
            expect(text).not.toContain(clientSecret);
            expect(text).not.toContain(refreshToken);
            if (spec.headers.Authorization) expect(text).not.toContain(spec.headers.Authorization.slice(6));
          },
        ),
        { numRuns: 300 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
