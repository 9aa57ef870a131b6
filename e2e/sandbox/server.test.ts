/**
 * The sandbox, exercised over real HTTP(S) with fetch: it must behave like the Dropbox Sign token
 * endpoint as /work/shared/reference/dropbox-sign-oauth.md describes it, strictly.
 */
import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildAccountRequest, readAccountResponse } from '../../src/core/account';
import { INVALID_CODE, MISSING_ACCOUNT_SCOPE, startSandbox } from './server';
import type { Fault, Sandbox, SandboxApp, SandboxOptions } from './server';
import { createSelfSignedCert } from './tls';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

/** Run `run` against an extra sandbox started with `options`, closing it afterwards. */
async function withSandbox(options: SandboxOptions, run: (s: Sandbox) => Promise<void>): Promise<void> {
  const s = await startSandbox(options);
  try {
    await run(s);
  } finally {
    await s.close();
  }
}

const creds = (app: SandboxApp = sb.app) => ({ client_id: app.clientId, client_secret: app.clientSecret });
const basic = (id: string, secret: string) => 'Basic ' + Buffer.from(`${id}:${secret}`).toString('base64');

interface PostOptions {
  search?: string;
  headers?: Record<string, string>;
  /** Raw body; default JSON.stringify(body). */
  raw?: string;
  base?: string;
  path?: string;
}

/** POST to the token endpoint (`?refresh` unless `search` says otherwise), JSON by default. */
function post(body: unknown, o: PostOptions = {}): Promise<Response> {
  const url = `${o.base ?? sb.url}${o.path ?? '/oauth/token'}${o.search ?? '?refresh'}`;
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...o.headers },
    body: o.raw ?? JSON.stringify(body),
  });
}

/** A valid refresh request for the seeded app (fresh token each call unless given). */
function refreshBody(token = sb.issueRefreshToken(), app: SandboxApp = sb.app) {
  return { grant_type: 'refresh_token', refresh_token: token, ...creds(app) };
}

async function expectOAuthError(res: Response, status: number, error: string, description?: string | RegExp) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/json');
  const body = (await res.json()) as { error: string; error_description: string };
  expect(body.error).toBe(error);
  expect(typeof body.error_description).toBe('string');
  if (description !== undefined) expect(body.error_description).toMatch(description);
}

async function expectDropboxError(res: Response, status: number, name: string, msg?: string) {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { error: { error_msg: string; error_name: string } };
  expect(body.error.error_name).toBe(name);
  expect(typeof body.error.error_msg).toBe('string');
  if (msg !== undefined) expect(body.error.error_msg).toBe(msg);
}

describe('POST /oauth/token?refresh: success', () => {
  it('answers the OAuthTokenResponse shape, rotates the refresh token and sends rate-limit headers', async () => {
    const old = sb.issueRefreshToken();
    const res = await post(refreshBody(old));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-ratelimit-limit')).toBe('100');
    expect(Number(res.headers.get('x-ratelimit-remaining'))).toBeLessThan(100);
    expect(Number(res.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['access_token', 'expires_in', 'refresh_token', 'token_type', 'state']);
    expect(body).toMatchObject({ expires_in: 3600, token_type: 'Bearer', state: null });
    expect(body.access_token).toMatch(/^[A-Za-z0-9+/]{56,}={0,2}$/);
    expect(body.refresh_token).toMatch(/^[A-Za-z0-9]{50,}$/);
    expect(body.refresh_token).not.toBe(old);
    expect(sb.isRefreshTokenValid(old)).toBe(false);
    expect(sb.isRefreshTokenValid(body.refresh_token as string)).toBe(true);
    expect(sb.issuedAccessTokens()).toEqual([body.access_token]);
    expect(sb.lastIssued()).toEqual({ accessToken: body.access_token, refreshToken: body.refresh_token });
  });

  it('rejects a rotated-away refresh token with invalid_grant; the new one works', async () => {
    const old = sb.issueRefreshToken();
    const first = (await (await post(refreshBody(old))).json()) as { refresh_token: string };
    await expectOAuthError(
      await post(refreshBody(old)),
      400,
      'invalid_grant',
      'The refresh token is invalid, expired or has already been used',
    );
    expect((await post(refreshBody(first.refresh_token))).status).toBe(200);
  });

  it('counts X-RateLimit-Remaining down per request', async () => {
    const a = Number((await post(refreshBody())).headers.get('x-ratelimit-remaining'));
    const b = Number((await post(refreshBody())).headers.get('x-ratelimit-remaining'));
    expect(b).toBe(a - 1);
  });

  it('returns the same refresh token when rotation is off', async () => {
    sb.settings.rotateRefreshTokens = false;
    const token = sb.issueRefreshToken();
    const body = (await (await post(refreshBody(token))).json()) as { refresh_token: string };
    expect(body.refresh_token).toBe(token);
    expect(sb.isRefreshTokenValid(token)).toBe(true);
    expect((await post(refreshBody(token))).status).toBe(200);
  });

  it('omits refresh_token when returnRefreshToken is false, and the old one stays valid', async () => {
    sb.settings.returnRefreshToken = false;
    const token = sb.issueRefreshToken();
    const body = (await (await post(refreshBody(token))).json()) as Record<string, unknown>;
    expect(body).not.toHaveProperty('refresh_token');
    expect(sb.isRefreshTokenValid(token)).toBe(true);
    expect(sb.lastIssued()).toEqual({ accessToken: body.access_token });
    expect((await post(refreshBody(token))).status).toBe(200);
  });

  it.each([
    [86400, 86400],
    ['3600', '3600'],
    [null, null],
    [1_900_000_000, 1_900_000_000],
  ])('puts expiresIn %j verbatim into expires_in', async (setting, expected) => {
    sb.settings.expiresIn = setting;
    const body = (await (await post(refreshBody())).json()) as Record<string, unknown>;
    expect(body.expires_in).toEqual(expected);
  });

  it("leaves expires_in out when expiresIn is 'omit'", async () => {
    sb.settings.expiresIn = 'omit';
    const body = (await (await post(refreshBody())).json()) as Record<string, unknown>;
    expect(body).not.toHaveProperty('expires_in');
    expect(body.token_type).toBe('Bearer');
  });

  it('accepts a charset parameter on application/json', async () => {
    const res = await post(refreshBody(), { headers: { 'Content-Type': 'application/json; charset=UTF-8' } });
    expect(res.status).toBe(200);
  });

  it('accepts application/x-www-form-urlencoded (older SDKs)', async () => {
    const raw = new URLSearchParams(refreshBody()).toString();
    const res = await post(undefined, {
      raw,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(200);
  });

  it('accepts client credentials by HTTP Basic only', async () => {
    const body = { grant_type: 'refresh_token', refresh_token: sb.issueRefreshToken() };
    const res = await post(body, { headers: { Authorization: basic(sb.app.clientId, sb.app.clientSecret) } });
    expect(res.status).toBe(200);
  });

  it('accepts credentials in both places when they agree', async () => {
    const res = await post(refreshBody(), {
      headers: { Authorization: basic(sb.app.clientId, sb.app.clientSecret) },
    });
    expect(res.status).toBe(200);
  });

  it('ignores a Bearer Authorization header (security: [])', async () => {
    const res = await post(refreshBody(), { headers: { Authorization: 'Bearer some-api-key' } });
    expect(res.status).toBe(200);
  });

  it('needs no client credentials for an app that does not require them', async () => {
    const app = sb.createApp({ requireClientCredentials: false });
    expect(app.requireClientCredentials).toBe(false);
    const res = await post({ grant_type: 'refresh_token', refresh_token: sb.issueRefreshToken(app) });
    expect(res.status).toBe(200);
  });
});

describe('POST /oauth/token?refresh: rejections (and nothing is consumed)', () => {
  it.each([
    ['missing', undefined],
    ['text/plain', 'text/plain'],
    ['multipart/form-data', 'multipart/form-data; boundary=x'],
  ])('rejects a %s Content-Type with 400 invalid_request', async (_label, type) => {
    const token = sb.issueRefreshToken();
    const res = await fetch(`${sb.url}/oauth/token?refresh`, {
      method: 'POST',
      headers: type ? { 'Content-Type': type } : {},
      // A Blob without a type makes fetch send no Content-Type at all.
      body: new Blob([JSON.stringify(refreshBody(token))]),
    });
    await expectOAuthError(res, 400, 'invalid_request', /Content-Type/);
    expect(sb.isRefreshTokenValid(token)).toBe(true);
    expect(sb.tokenRefreshRequests().at(-1)?.headers['content-type']).toBe(type);
  });

  it.each([
    ['unparseable JSON', '{"grant_type": "refresh_token",'],
    ['a JSON array', '[]'],
    ['a JSON string', '"refresh_token"'],
    ['an empty body', ''],
  ])('rejects %s with 400 invalid_request', async (_label, raw) => {
    await expectOAuthError(await post(undefined, { raw }), 400, 'invalid_request');
  });

  it('requires grant_type, exactly refresh_token', async () => {
    const token = sb.issueRefreshToken();
    await expectOAuthError(
      await post({ refresh_token: token, ...creds() }),
      400,
      'invalid_request',
      'Missing grant_type',
    );
    await expectOAuthError(
      await post({ ...refreshBody(token), grant_type: 'authorization_code' }),
      400,
      'unsupported_grant_type',
    );
    expect(sb.isRefreshTokenValid(token)).toBe(true);
  });

  it('requires refresh_token', async () => {
    await expectOAuthError(
      await post({ grant_type: 'refresh_token', ...creds() }),
      400,
      'invalid_request',
      'Missing refresh_token',
    );
  });

  it('rejects non-string fields with 400 invalid_request', async () => {
    await expectOAuthError(await post({ ...refreshBody(), refresh_token: 42 }), 400, 'invalid_request');
    await expectOAuthError(await post({ ...refreshBody(), client_id: ['x'] }), 400, 'invalid_request');
  });

  it('requires client credentials for the app (401 invalid_client)', async () => {
    const token = sb.issueRefreshToken();
    await expectOAuthError(
      await post({ grant_type: 'refresh_token', refresh_token: token }),
      401,
      'invalid_client',
      'Client credentials are required for this app',
    );
    await expectOAuthError(
      await post({ grant_type: 'refresh_token', refresh_token: token, client_id: sb.app.clientId }),
      401,
      'invalid_client',
      'Client credentials are required for this app',
    );
    expect(sb.isRefreshTokenValid(token)).toBe(true);
  });

  it('rejects a wrong client secret (body or Basic) with 401 "Wrong client secret"', async () => {
    const token = sb.issueRefreshToken();
    await expectOAuthError(
      await post({ ...refreshBody(token), client_secret: 'nope' }),
      401,
      'invalid_client',
      'Wrong client secret',
    );
    await expectOAuthError(
      await post(
        { grant_type: 'refresh_token', refresh_token: token },
        { headers: { Authorization: basic(sb.app.clientId, 'nope') } },
      ),
      401,
      'invalid_client',
      'Wrong client secret',
    );
    expect(sb.isRefreshTokenValid(token)).toBe(true);
  });

  it('rejects an unknown client_id with 401 invalid_client', async () => {
    await expectOAuthError(
      await post({ ...refreshBody(), client_id: 'unknown' }),
      401,
      'invalid_client',
      'Invalid Client',
    );
  });

  it('rejects body and Basic credentials that disagree', async () => {
    const other = sb.createApp();
    await expectOAuthError(
      await post(refreshBody(), { headers: { Authorization: basic(other.clientId, other.clientSecret) } }),
      401,
      'invalid_client',
    );
    await expectOAuthError(
      await post(refreshBody(), { headers: { Authorization: basic(sb.app.clientId, 'other-secret') } }),
      401,
      'invalid_client',
    );
  });

  it.each(['Basic', 'Basic !!!', 'Basic ' + Buffer.from('no-colon').toString('base64')])(
    'rejects a malformed Basic header %j with 401 invalid_client',
    async (header) => {
      await expectOAuthError(
        await post(refreshBody(), { headers: { Authorization: header } }),
        401,
        'invalid_client',
      );
    },
  );

  it('rejects an unknown refresh token with 400 invalid_grant', async () => {
    await expectOAuthError(await post(refreshBody('hUnknownToken')), 400, 'invalid_grant');
  });

  it("rejects another app's refresh token with 400 invalid_grant", async () => {
    const other = sb.createApp();
    const token = sb.issueRefreshToken(other);
    await expectOAuthError(await post(refreshBody(token, sb.app)), 400, 'invalid_grant');
    expect(sb.isRefreshTokenValid(token)).toBe(true);
  });

  it.each(['?refresh=', '?refresh=1', '?Refresh', '?refresh&x=1'])(
    'only the literal ?refresh refreshes: %s is a 400',
    async (search) => {
      const token = sb.issueRefreshToken();
      await expectOAuthError(await post(refreshBody(token), { search }), 400, 'invalid_request', /\?refresh/);
      expect(sb.isRefreshTokenValid(token)).toBe(true);
      expect(sb.tokenRefreshRequests()).toHaveLength(0);
      expect(sb.requests.at(-1)?.search).toBe(search);
    },
  );

  it("uses the Dropbox envelope when errorShape is 'dropbox'", async () => {
    sb.settings.errorShape = 'dropbox';
    await expectDropboxError(
      await post(refreshBody('hUnknown')),
      400,
      'bad_request',
      'The refresh token is invalid, expired or has already been used',
    );
    await expectDropboxError(await post({ ...refreshBody(), client_secret: 'x' }), 401, 'unauthorized');
  });
});

describe('POST /oauth/token: authorization-code exchange', () => {
  const exchange = (code: string, state?: string, app: SandboxApp = sb.app, extra: object = {}) =>
    post({ grant_type: 'authorization_code', code, state, ...creds(app), ...extra }, { search: '' });

  it('exchanges a code once, echoing state; the refresh token it returns works', async () => {
    const code = sb.issueAuthorizationCode(sb.app, 'st8');
    const res = await exchange(code, 'st8');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-limit')).toBe('100');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['access_token', 'expires_in', 'refresh_token', 'token_type', 'state']);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, state: 'st8' });
    expect(body.access_token).toEqual(sb.lastIssued()?.accessToken);
    expect((await post(refreshBody(body.refresh_token as string))).status).toBe(200);
    // Reused: the live wording, verbatim.
    await expectOAuthError(await exchange(code, 'st8'), 400, 'invalid_request', INVALID_CODE);
    expect(INVALID_CODE).toBe(
      'Either the combo client_id/code is wrong or this request was made more than 1 hour after the inital grant',
    );
  });

  it('needs the state the code was issued with; a mismatch does not spend the code', async () => {
    const code = sb.issueAuthorizationCode(undefined, 'expected');
    await expectOAuthError(await exchange(code, 'other'), 400, 'invalid_request', /state/);
    await expectOAuthError(await exchange(code), 400, 'invalid_request', /state/);
    expect((await exchange(code, 'expected')).status).toBe(200);
  });

  it('answers state null for a code issued without state, and accepts and echoes a state sent anyway', async () => {
    const body = (await (await exchange(sb.issueAuthorizationCode())).json()) as Record<string, unknown>;
    expect(body.state).toBeNull();
    const echoed = (await (await exchange(sb.issueAuthorizationCode(), 'mine')).json()) as Record<
      string,
      unknown
    >;
    expect(echoed.state).toBe('mine');
  });

  it('names the missing field with 400 invalid_request, spending nothing', async () => {
    const code = sb.issueAuthorizationCode();
    const full = { grant_type: 'authorization_code', code, ...creds() };
    for (const name of ['grant_type', 'client_id', 'client_secret', 'code'] as const) {
      const body = Object.fromEntries(Object.entries(full).filter(([key]) => key !== name));
      await expectOAuthError(
        await post(body, { search: '' }),
        400,
        'invalid_request',
        `Parameter ${name} is missing`,
      );
      // Empty reads as missing too.
      await expectOAuthError(
        await post({ ...full, [name]: '' }, { search: '' }),
        400,
        'invalid_request',
        `Parameter ${name} is missing`,
      );
    }
    expect(sb.codeExchangeRequests()).toHaveLength(8);
    expect((await post(full, { search: '' })).status).toBe(200);
  });

  it('always requires client credentials, even for an app that does not on refresh', async () => {
    const app = sb.createApp({ requireClientCredentials: false });
    const code = sb.issueAuthorizationCode(app);
    await expectOAuthError(
      await post({ grant_type: 'authorization_code', code }, { search: '' }),
      400,
      'invalid_request',
      'Parameter client_id is missing',
    );
    await expectOAuthError(
      await post({ grant_type: 'authorization_code', code, client_id: app.clientId }, { search: '' }),
      400,
      'invalid_request',
      'Parameter client_secret is missing',
    );
    expect((await exchange(code, undefined, app)).status).toBe(200);
  });

  it('rejects a wrong client secret and an unknown client with 401 invalid_client, spending nothing', async () => {
    const code = sb.issueAuthorizationCode();
    await expectOAuthError(
      await exchange(code, undefined, sb.app, { client_secret: 'x' }),
      401,
      'invalid_client',
      'Wrong client secret',
    );
    await expectOAuthError(
      await exchange(code, undefined, sb.app, { client_id: 'f'.repeat(32) }),
      401,
      'invalid_client',
      'Invalid Client',
    );
    expect((await exchange(code)).status).toBe(200);
  });

  it('accepts the client credentials by HTTP Basic', async () => {
    const res = await post(
      { grant_type: 'authorization_code', code: sb.issueAuthorizationCode() },
      { search: '', headers: { Authorization: basic(sb.app.clientId, sb.app.clientSecret) } },
    );
    expect(res.status).toBe(200);
  });

  it("rejects another app's code (without spending it) and an unknown code with the live wording", async () => {
    const other = sb.createApp();
    const code = sb.issueAuthorizationCode(other);
    await expectOAuthError(await exchange(code), 400, 'invalid_request', INVALID_CODE);
    await expectOAuthError(await exchange('0123456789abcdef'), 400, 'invalid_request', INVALID_CODE);
    expect((await exchange(code, undefined, other)).status).toBe(200);
  });

  it('requires grant_type authorization_code', async () => {
    const code = sb.issueAuthorizationCode();
    await expectOAuthError(
      await exchange(code, undefined, sb.app, { grant_type: 'refresh_token' }),
      400,
      'unsupported_grant_type',
    );
    expect((await exchange(code)).status).toBe(200);
  });

  it('a code is good for an hour (by the sandbox clock), stale after that with the live wording', async () => {
    let now = Date.now();
    await withSandbox({ now: () => now }, async (s) => {
      const fresh = s.issueAuthorizationCode();
      const stale = s.issueAuthorizationCode();
      const send = (code: string) =>
        post({ grant_type: 'authorization_code', code, ...creds(s.app) }, { base: s.url, search: '' });
      now += 3600_000;
      expect((await send(fresh)).status).toBe(200);
      now += 1;
      await expectOAuthError(await send(stale), 400, 'invalid_request', INVALID_CODE);
      expect(s.issuedCodes().map((c) => c.used)).toEqual([true, false]);
    });
  });

  it("uses the Dropbox envelope when errorShape is 'dropbox'", async () => {
    sb.settings.errorShape = 'dropbox';
    await expectDropboxError(await exchange('0123456789abcdef'), 400, 'bad_request', INVALID_CODE);
  });
});

/** GET a consent page without following redirects. */
const authorize = (query: string, base = sb.url) =>
  fetch(`${base}/oauth/authorize${query}`, { redirect: 'manual' });

/** Open the consent page for `app` (and `state`) and return the form's consent id. */
async function openConsent(app: SandboxApp = sb.app, state?: string, s: Sandbox = sb): Promise<string> {
  const res = await fetch(s.authorizeUrl(state === undefined ? { app } : { app, state }));
  expect(res.status).toBe(200);
  const consent = /name="consent" value="([0-9a-f]+)"/.exec(await res.text())?.[1];
  expect(consent).toBeDefined();
  return consent ?? '';
}

/** Post the consent form's decision, as a browser would, without following the redirect. */
const decide = (consent: string, decision: string, base = sb.url, redirect: RequestRedirect = 'manual') =>
  fetch(`${base}/oauth/authorize/decision`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ consent, decision }).toString(),
    redirect,
  });

/** The redirect's Location, checked to be exactly `callback` plus a query; returns that query. */
function redirectQuery(res: Response, callback = sb.callbackUrlFor()): URLSearchParams {
  expect(res.status).toBe(302);
  expect(res.headers.get('cache-control')).toBe('no-store');
  const location = res.headers.get('location') ?? '';
  const base = callback.includes('?') ? `${callback}&` : `${callback}?`;
  expect(location.startsWith(base)).toBe(true);
  return new URLSearchParams(location.slice(base.length));
}

describe('GET /oauth/authorize: the consent page', () => {
  it('shows the app and an Approve and a Deny button in a form posting to the decision URL, no script', async () => {
    const res = await authorize(`?response_type=code&client_id=${sb.app.clientId}&state=State-XYZ-42`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('<title>Authorize Sandbox app</title>');
    expect(html).toContain('<strong>Sandbox app</strong>');
    expect(html).toContain(sb.app.clientId);
    expect(html).toContain('<form method="post" action="/oauth/authorize/decision">');
    const buttons = [...html.matchAll(/<button type="submit"[^>]*>([^<]*)<\/button>/g)].map((m) => m[1]);
    expect(buttons).toEqual(['Approve', 'Deny']);
    expect(html).not.toContain('<script');
    expect(html).not.toContain('State-XYZ-42'); // the state stays on the server, not in the form
    expect(sb.authorizeRequests()).toEqual([sb.requests[0]]);
  });

  it('names an app without a name by its client ID, escaped names safely', async () => {
    const plain = sb.createApp();
    const html = await (await authorize(`?response_type=code&client_id=${plain.clientId}`)).text();
    expect(html).toContain(`<title>Authorize ${plain.clientId}</title>`);
    const odd = sb.createApp({ name: '<b>"Acme" & co</b>' });
    const oddHtml = await (await authorize(`?response_type=code&client_id=${odd.clientId}`)).text();
    expect(oddHtml).toContain('<title>Authorize &lt;b&gt;&quot;Acme&quot; &amp; co&lt;/b&gt;</title>');
    expect(oddHtml).not.toContain('<b>');
  });

  it.each([
    ['', 'response_type is missing; it must be code.'],
    ['?response_type=token', 'response_type must be code.'],
    ['?response_type=CODE', 'response_type must be code.'],
    ['?response_type=code', 'client_id is missing.'],
    ['?response_type=code&client_id=nope', 'client_id is not the client ID of a known app.'],
    ['?response_type=code&response_type=code&client_id=x', 'response_type is given more than once.'],
    ['?response_type=code&state=a&state=b', 'state is given more than once.'],
  ])('answers a 400 page for %j', async (query, message) => {
    const res = await authorize(query.replace('client_id=x', `client_id=${sb.app.clientId}`));
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    expect(html).toContain(`<p>${message}</p>`);
    expect(html).not.toContain('<form');
  });

  it.each(['scope=basic_account_info', 'scope=', 'scope=account_access%20template_access'])(
    'rejects any scope parameter (%s): scopes are set in the app settings',
    async (scope) => {
      const res = await authorize(`?response_type=code&client_id=${sb.app.clientId}&state=s&${scope}`);
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain("scope is not accepted; scopes are set in the app's settings");
      expect(html).not.toContain('<form');
    },
  );

  it('ignores other parameters such as redirect_uri: the app callback URL decides', async () => {
    const res = await authorize(
      `?response_type=code&client_id=${sb.app.clientId}&redirect_uri=${encodeURIComponent('https://evil.test/')}`,
    );
    expect(res.status).toBe(200);
    const consent = /name="consent" value="([0-9a-f]+)"/.exec(await res.text())?.[1] ?? '';
    redirectQuery(await decide(consent, 'approve'));
  });

  it('only GET: other methods on the page routes are 405 with Allow', async () => {
    const res = await fetch(`${sb.url}/oauth/authorize`, { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
    const decision = await fetch(`${sb.url}/oauth/authorize/decision`);
    expect(decision.status).toBe(405);
    expect(decision.headers.get('allow')).toBe('POST');
  });
});

describe('POST /oauth/authorize/decision: Approve and Deny', () => {
  const exchange = (code: string, state?: string, app: SandboxApp = sb.app) =>
    post({ grant_type: 'authorization_code', code, state, ...creds(app) }, { search: '' });

  it('Approve: 302 to the callback with a new code and the state; the code works once', async () => {
    const res = await decide(await openConsent(sb.app, 'xyz ABC/+='), 'approve');
    const query = redirectQuery(res, `${sb.url}/oauth/callback`);
    expect([...query.keys()]).toEqual(['code', 'state']);
    expect(query.get('state')).toBe('xyz ABC/+=');
    const code = query.get('code') ?? '';
    expect(code).toMatch(/^[0-9a-f]{16}$/);
    expect(sb.issuedCodes()).toEqual([
      {
        code,
        clientId: sb.app.clientId,
        state: 'xyz ABC/+=',
        issuedAt: expect.any(Number) as number,
        expiresAt: expect.any(Number) as number,
        used: false,
        via: 'consent',
      },
    ]);
    const [issued] = sb.issuedCodes();
    expect((issued?.expiresAt ?? 0) - (issued?.issuedAt ?? 0)).toBe(3600_000);

    const res1 = await exchange(code, 'xyz ABC/+=');
    expect(res1.status).toBe(200);
    expect(((await res1.json()) as { state: string }).state).toBe('xyz ABC/+=');
    expect(sb.issuedCodes()[0]?.used).toBe(true);
    await expectOAuthError(await exchange(code, 'xyz ABC/+='), 400, 'invalid_request', INVALID_CODE);
  });

  it('Approve without a state: no state in the redirect, and the code exchanges without one', async () => {
    const query = redirectQuery(await decide(await openConsent(), 'approve'));
    expect([...query.keys()]).toEqual(['code']);
    expect((await exchange(query.get('code') ?? '')).status).toBe(200);
  });

  it('Deny: 302 to the callback with error=access_denied, a description and the state; no code', async () => {
    const query = redirectQuery(await decide(await openConsent(sb.app, 's2'), 'deny'));
    expect(Object.fromEntries(query)).toEqual({
      error: 'access_denied',
      error_description: 'The user denied the authorization request',
      state: 's2',
    });
    expect(sb.issuedCodes()).toEqual([]);
  });

  it('a consent page is answered once; unknown ids, bad decisions and non-form posts are 400 pages', async () => {
    const consent = await openConsent();
    expect((await decide(consent, 'maybe')).status).toBe(400);
    expect((await decide(consent, 'approve')).status).toBe(302);
    const again = await decide(consent, 'deny');
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('answered already');
    expect((await decide('0'.repeat(32), 'approve')).status).toBe(400);
    const json = await fetch(`${sb.url}/oauth/authorize/decision`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ consent: await openConsent(), decision: 'approve' }),
      redirect: 'manual',
    });
    expect(json.status).toBe(400);
    expect(sb.issuedCodes()).toHaveLength(1);
  });

  it("redirects to the app's own callback URL, keeping its query; setCallbackUrl changes and clears it", async () => {
    const app = sb.createApp({ callbackUrl: 'https://abcdefghijklmnop.chromiumapp.org' });
    expect(app.callbackUrl).toBe('https://abcdefghijklmnop.chromiumapp.org/');
    expect(sb.callbackUrlFor(app)).toBe('https://abcdefghijklmnop.chromiumapp.org/');
    const first = await decide(await openConsent(app, 'a'), 'approve');
    expect(first.headers.get('location')).toMatch(
      /^https:\/\/abcdefghijklmnop\.chromiumapp\.org\/\?code=[0-9a-f]{16}&state=a$/,
    );

    sb.setCallbackUrl('https://h.extensions.allizom.org/cb?x=1%202&flag', app);
    const second = await decide(await openConsent(app, 'b c'), 'approve');
    expect(second.headers.get('location')).toMatch(
      /^https:\/\/h\.extensions\.allizom\.org\/cb\?x=1%202&flag&code=[0-9a-f]{16}&state=b\+c$/,
    );
    const code = redirectQuery(second, sb.callbackUrlFor(app)).get('code') ?? '';
    expect((await exchange(code, 'b c', app)).status).toBe(200);

    sb.setCallbackUrl(undefined, app);
    expect(app.callbackUrl).toBeUndefined();
    expect(sb.callbackUrlFor(app)).toBe(`${sb.url}/oauth/callback`);
    redirectQuery(await decide(await openConsent(app), 'deny'), `${sb.url}/oauth/callback`);
  });

  it('the seeded app takes setCallbackUrl by default, and callback URLs survive reset', async () => {
    sb.setCallbackUrl('http://127.0.0.1:9/back');
    sb.reset();
    expect(sb.callbackUrlFor()).toBe('http://127.0.0.1:9/back');
    redirectQuery(await decide(await openConsent(), 'approve'), 'http://127.0.0.1:9/back');
    sb.setCallbackUrl(undefined);
  });

  it('SandboxOptions.callbackUrl is the default of apps without their own', async () => {
    await withSandbox({ callbackUrl: 'https://app.example/oauth' }, async (s) => {
      expect(s.callbackUrlFor()).toBe('https://app.example/oauth');
      const own = s.createApp({ callbackUrl: 'https://own.example/' });
      expect(s.callbackUrlFor(own)).toBe('https://own.example/');
      const res = await decide(await openConsent(s.app, 'z', s), 'approve', s.url);
      expect(redirectQuery(res, 'https://app.example/oauth').get('state')).toBe('z');
    });
  });

  it('refuses callback URLs that are relative, not http(s), or have a fragment', async () => {
    for (const bad of ['/oauth/callback', 'ftp://x.test/', 'https://x.test/#frag', 'https://x.test/#']) {
      expect(() => sb.setCallbackUrl(bad)).toThrow('Invalid callback URL');
      expect(() => sb.createApp({ callbackUrl: bad })).toThrow('Invalid callback URL');
    }
    await expect(startSandbox({ callbackUrl: 'nope' })).rejects.toThrow('Invalid callback URL');
    expect(sb.app.callbackUrl).toBeUndefined();
    const foreign = { clientId: 'x', clientSecret: 'y', requireClientCredentials: true };
    expect(() => sb.setCallbackUrl('https://x.test/', foreign)).toThrow('Unknown app');
  });

  it('tamperNextState: the next redirect carries another state, once; the code keeps the real one', async () => {
    sb.tamperNextState();
    const query = redirectQuery(await decide(await openConsent(sb.app, 'real'), 'approve'));
    const tampered = query.get('state');
    expect(tampered).toMatch(/^tampered-[0-9a-f]{16}$/);
    const code = query.get('code') ?? '';
    expect(sb.issuedCodes()[0]?.state).toBe('real');
    // A client that trusted the tampered state fails the exchange (spending nothing); the real one works.
    await expectOAuthError(await exchange(code, tampered ?? ''), 400, 'invalid_request', /state/);
    expect((await exchange(code, 'real')).status).toBe(200);
    // Once only.
    expect(redirectQuery(await decide(await openConsent(sb.app, 'next'), 'approve')).get('state')).toBe(
      'next',
    );
  });

  it('tamperNextState(value): on a Deny too, and added when the request had no state; reset cancels it', async () => {
    sb.tamperNextState('evil');
    expect(redirectQuery(await decide(await openConsent(sb.app, 'ok'), 'deny')).get('state')).toBe('evil');
    sb.tamperNextState('evil');
    expect(redirectQuery(await decide(await openConsent(), 'approve')).get('state')).toBe('evil');
    sb.tamperNextState('evil');
    sb.reset();
    expect(redirectQuery(await decide(await openConsent(sb.app, 'ok'), 'approve')).get('state')).toBe('ok');
  });
});

describe('GET /oauth/callback: the default callback page (paste fallback)', () => {
  it('a browser following the Approve redirect lands on a page showing the code and state as text', async () => {
    const res = await decide(await openConsent(sb.app, 'st<1>'), 'approve', sb.url, 'follow');
    expect(res.status).toBe(200);
    expect(res.url.startsWith(`${sb.url}/oauth/callback?code=`)).toBe(true);
    const html = await res.text();
    const code = sb.issuedCodes()[0]?.code ?? '';
    expect(html).toContain('<title>Authorization code</title>');
    expect(html).toContain(`<code id="code">${code}</code>`);
    expect(html).toContain('<code id="state">st&lt;1&gt;</code>');
    expect(html).toContain(`<code id="callback-url">${res.url.replace(/&/g, '&amp;')}</code>`);
    expect(html).not.toContain('<script');
  });

  it('shows a denial, and answers 400 when neither a code nor an error came', async () => {
    const res = await decide(await openConsent(sb.app, 's'), 'deny', sb.url, 'follow');
    const html = await res.text();
    expect(html).toContain('<title>Authorization not granted</title>');
    expect(html).toContain('<code id="error">access_denied</code>');
    expect(html).toContain('<code id="state">s</code>');
    expect((await fetch(`${sb.url}/oauth/callback`)).status).toBe(400);
  });
});

describe('OAuth recordings', () => {
  it('authorizeRequests, codeExchangeRequests and tokenRefreshRequests split the requests; reset clears them', async () => {
    const waiting = sb.nextRequest((r) => r.path === '/oauth/authorize');
    await authorize('?response_type=token');
    expect((await waiting).search).toBe('?response_type=token');
    const consent = await openConsent(sb.app, 'q');
    const code = redirectQuery(await decide(consent, 'approve')).get('code') ?? '';
    await post(
      { grant_type: 'authorization_code', code, state: 'q', ...creds() },
      { search: '', headers: { 'X-Exchange': '1' } },
    );
    await post(refreshBody());
    await post({}, { search: '?bogus' });

    expect(sb.authorizeRequests().map((r) => r.search)).toEqual([
      '?response_type=token',
      `?response_type=code&client_id=${sb.app.clientId}&state=q`,
    ]);
    const exchanges = sb.codeExchangeRequests();
    expect(exchanges.map((r) => r.search)).toEqual(['', '?bogus']);
    expect(exchanges[0]?.headers['x-exchange']).toBe('1');
    expect(JSON.parse(exchanges[0]?.bodyText ?? '')).toMatchObject({ code, state: 'q' });
    expect(sb.tokenRefreshRequests()).toHaveLength(1);
    expect(sb.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /oauth/authorize',
      'GET /oauth/authorize',
      'POST /oauth/authorize/decision',
      'POST /oauth/token',
      'POST /oauth/token',
      'POST /oauth/token',
    ]);

    sb.issueAuthorizationCode();
    expect(sb.issuedCodes().map((c) => c.via)).toEqual(['consent', 'issueAuthorizationCode']);
    const kept = sb.issuedCodes()[1]?.code ?? '';
    sb.reset();
    expect(sb.authorizeRequests()).toEqual([]);
    expect(sb.codeExchangeRequests()).toEqual([]);
    expect(sb.issuedCodes()).toEqual([]);
    // Codes and consent pages stay valid across a reset.
    expect(
      (await post({ grant_type: 'authorization_code', code: kept, ...creds() }, { search: '' })).status,
    ).toBe(200);
  });

  it('holds and faults are for the token endpoint only: the consent pages pass', async () => {
    const hold = sb.holdNext();
    sb.injectFault({ kind: 'status', status: 500 });
    const consent = await openConsent();
    expect((await decide(consent, 'approve')).status).toBe(302);
    expect((await fetch(`${sb.url}/oauth/callback?code=x`)).status).toBe(200);
    const code = sb.issuedCodes()[0]?.code ?? '';
    const pending = post({ grant_type: 'authorization_code', code, ...creds() }, { search: '' });
    expect((await hold.arrived).path).toBe('/oauth/token');
    hold.release();
    expect((await pending).status).toBe(500);
  });

  it('builds authorize URLs on any base', () => {
    const app = sb.createApp();
    expect(sb.authorizeUrl()).toBe(
      `${sb.url}/oauth/authorize?response_type=code&client_id=${sb.app.clientId}`,
    );
    expect(sb.authorizeUrl({ app, state: 'a b', base: 'https://app.hellosign.com' })).toBe(
      `https://app.hellosign.com/oauth/authorize?response_type=code&client_id=${app.clientId}&state=a+b`,
    );
  });

  it('log lines of the OAuth pages hold no code or state', async () => {
    const lines: string[] = [];
    await withSandbox({ log: (l) => lines.push(l) }, async (s) => {
      const res = await decide(await openConsent(s.app, 'secret-state', s), 'approve', s.url, 'follow');
      expect(res.status).toBe(200);
      const code = s.issuedCodes()[0]?.code ?? '';
      await vi.waitFor(() =>
        expect(lines).toEqual([
          'GET /oauth/authorize?… -> 200',
          'POST /oauth/authorize/decision -> 302',
          'GET /oauth/callback?… -> 200',
        ]),
      );
      for (const line of lines) {
        expect(line).not.toContain(code);
        expect(line).not.toContain('secret-state');
      }
    });
  });
});

describe('GET /v3/account', () => {
  const account = (auth?: string, base = sb.url) =>
    fetch(`${base}/v3/account`, { headers: auth ? { Authorization: auth } : {} });

  it('answers the account for an issued access token', async () => {
    await post(refreshBody());
    const res = await account(`Bearer ${sb.lastIssued()?.accessToken}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-remaining')).not.toBeNull();
    const body = (await res.json()) as { account: Record<string, unknown> };
    expect(body.account).toMatchObject({
      account_id: '5008b25c7f67153e57d5a357b1687968068fb465',
      email_address: 'me@dropboxsign.com',
      quotas: { api_signature_requests_left: 1250 },
      locale: 'en-US',
    });
  });

  it('answers 401 "Unauthorized api key" for an unknown token, a refresh token or an API key', async () => {
    await expectDropboxError(await account('Bearer nope'), 401, 'unauthorized', 'Unauthorized api key');
    await expectDropboxError(
      await account(`Bearer ${sb.issueRefreshToken()}`),
      401,
      'unauthorized',
      'Unauthorized api key',
    );
    await expectDropboxError(
      await account(basic('api-key', '')),
      401,
      'unauthorized',
      'Unauthorized api key',
    );
  });

  it('answers 401 without an Authorization header', async () => {
    await expectDropboxError(await account(), 401, 'unauthorized');
  });

  it('answers 401 once the access token has expired', async () => {
    let now = Date.now();
    await withSandbox({ now: () => now, settings: { expiresIn: 60 } }, async (s) => {
      await post(refreshBody(s.issueRefreshToken(), s.app), { base: s.url });
      const auth = `Bearer ${s.lastIssued()?.accessToken}`;
      expect((await account(auth, s.url)).status).toBe(200);
      now += 61_000;
      await expectDropboxError(await account(auth, s.url), 401, 'unauthorized', 'Unauthorized api key');
    });
  });

  it('reads an epoch expires_in as an expiry time', async () => {
    let now = 1_800_000_000_000;
    await withSandbox({ now: () => now, settings: { expiresIn: 1_800_000_100 } }, async (s) => {
      await post(refreshBody(s.issueRefreshToken(), s.app), { base: s.url });
      const auth = `Bearer ${s.lastIssued()?.accessToken}`;
      expect((await account(auth, s.url)).status).toBe(200);
      now += 101_000;
      expect((await account(auth, s.url)).status).toBe(401);
    });
  });

  it('sends the remaining count also as X-RateLimit-Limit-Remaining, and exposes the headers to CORS', async () => {
    await post(refreshBody());
    const res = await account(`Bearer ${sb.lastIssued()?.accessToken}`);
    expect(res.status).toBe(200);
    const remaining = res.headers.get('x-ratelimit-remaining');
    expect(Number(remaining)).toBeGreaterThan(0);
    expect(res.headers.get('x-ratelimit-limit-remaining')).toBe(remaining);
    expect(res.headers.get('x-ratelimit-limit')).toBe('100');
    expect(Number(res.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    const exposed = (res.headers.get('access-control-expose-headers') ?? '').toLowerCase().split(/,\s*/);
    for (const h of [
      'x-ratelimit-limit',
      'x-ratelimit-remaining',
      'x-ratelimit-limit-remaining',
      'x-ratelimit-reset',
      'retry-after',
    ])
      expect(exposed).toContain(h);
  });

  it('answers a browser extension: preflight with Authorization, then the GET with its Origin echoed', async () => {
    const origin = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
    const preflight = await fetch(`${sb.url}/v3/account`, {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('GET');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    await post(refreshBody());
    const res = await fetch(`${sb.url}/v3/account`, {
      headers: {
        Origin: origin,
        Authorization: `Bearer ${sb.lastIssued()?.accessToken}`,
        Accept: 'application/json',
      },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(origin);
  });

  it('seeds apps with basic_account_info and request_signature', () => {
    expect(sb.app.scopes).toEqual(['basic_account_info', 'request_signature']);
    expect(sb.createApp().scopes).toEqual(['basic_account_info', 'request_signature']);
  });

  it.each([[['request_signature']], [['signature_request_access', 'template_access']], [[]]])(
    'answers 403 forbidden for a token of an app with scopes %j (neither account scope)',
    async (scopes) => {
      const app = sb.createApp({ scopes });
      expect(app.scopes).toEqual(scopes);
      await post(refreshBody(sb.issueRefreshToken(app), app));
      const res = await account(`Bearer ${sb.lastIssued()?.accessToken}`);
      expect(res.headers.get('content-type')).toBe('application/json');
      await expectDropboxError(res, 403, 'forbidden', MISSING_ACCOUNT_SCOPE);
      expect(MISSING_ACCOUNT_SCOPE).toMatch(/basic_account_info/);
      expect(MISSING_ACCOUNT_SCOPE).toMatch(/account_access/);
    },
  );

  it.each([[['basic_account_info']], [['account_access']], [['account_access', 'template_access']]])(
    'answers 200 for a token of an app with scopes %j',
    async (scopes) => {
      const app = sb.createApp({ scopes });
      await post(refreshBody(sb.issueRefreshToken(app), app));
      expect((await account(`Bearer ${sb.lastIssued()?.accessToken}`)).status).toBe(200);
    },
  );

  it('a token keeps the scopes its app had when it was issued; an expired one is a 401 whatever its scopes', async () => {
    let now = Date.now();
    await withSandbox({ now: () => now, appScopes: ['request_signature'] }, async (s) => {
      expect(s.app.scopes).toEqual(['request_signature']);
      await post(refreshBody(s.issueRefreshToken(), s.app), { base: s.url });
      const narrow = `Bearer ${s.lastIssued()?.accessToken}`;
      s.app.scopes = ['basic_account_info'];
      await post(refreshBody(s.issueRefreshToken(), s.app), { base: s.url });
      const wide = `Bearer ${s.lastIssued()?.accessToken}`;
      expect((await account(narrow, s.url)).status).toBe(403);
      expect((await account(wide, s.url)).status).toBe(200);
      now += 3601_000;
      await expectDropboxError(await account(narrow, s.url), 401, 'unauthorized');
    });
  });

  it('createApp refuses unknown scopes and owner-charged scopes mixed with user-charged ones', async () => {
    expect(() => sb.createApp({ scopes: ['basic_account_infos'] })).toThrow(
      /Unknown scope basic_account_infos/,
    );
    expect(() => sb.createApp({ scopes: ['basic_account_info', 'account_access'] })).toThrow(
      /cannot be mixed/,
    );
    expect(() => sb.createApp({ scopes: ['request_signature', 'template_access'] })).toThrow(
      /cannot be mixed/,
    );
    await expect(startSandbox({ appScopes: ['nope'] })).rejects.toThrow(/Unknown scope/);
  });

  it('accountRequests() lists the GETs of /v3/account only, with their Authorization header', async () => {
    await post(refreshBody());
    const auth = `Bearer ${sb.lastIssued()?.accessToken}`;
    await fetch(`${sb.url}/v3/account`, { method: 'OPTIONS' });
    await account(auth);
    await account();
    await fetch(`${sb.url}/v3/account`, { method: 'POST' });
    await fetch(`${sb.url}/v3/account?x=1`);
    const recorded = sb.accountRequests();
    expect(recorded.map((r) => [r.method, r.path, r.search])).toEqual([
      ['GET', '/v3/account', ''],
      ['GET', '/v3/account', ''],
      ['GET', '/v3/account', '?x=1'],
    ]);
    expect(recorded[0]?.headers.authorization).toBe(auth);
    expect(recorded[1]?.headers.authorization).toBeUndefined();
    expect(sb.tokenRefreshRequests()).toHaveLength(1);
    sb.reset();
    expect(sb.accountRequests()).toEqual([]);
  });
});

describe('GET /v3/account: faults (injectAccountFault)', () => {
  const authed = async () => {
    await post(refreshBody());
    return `Bearer ${sb.lastIssued()?.accessToken}`;
  };
  const account = (auth?: string, init: RequestInit = {}) =>
    fetch(`${sb.url}/v3/account`, { ...init, headers: auth ? { Authorization: auth } : {} });

  it('rate-limit: 429 exceeded_rate with X-RateLimit-* (remaining 0, both spellings), reset and Retry-After', async () => {
    const auth = await authed();
    sb.injectAccountFault({ kind: 'rate-limit', resetInSeconds: 90 });
    const res = await account(auth);
    await expectDropboxError(res, 429, 'exceeded_rate');
    expect(res.headers.get('x-ratelimit-limit')).toBe('100');
    expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(res.headers.get('x-ratelimit-limit-remaining')).toBe('0');
    expect(res.headers.get('retry-after')).toBe('90');
    const reset = Number(res.headers.get('x-ratelimit-reset'));
    expect(reset).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 88);
    expect(reset).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 90);
    expect((await account(auth)).status).toBe(200);
  });

  it('status, html, malformed-json, empty-body and json answer as on the token endpoint', async () => {
    const auth = await authed();
    sb.injectAccountFault({ kind: 'status', status: 503 });
    await expectDropboxError(await account(auth), 503, 'internal_server_error');
    sb.injectAccountFault({
      kind: 'status',
      status: 500,
      body: 'Oops',
      contentType: 'text/plain',
      headers: { 'X-Custom': 'yes' },
    });
    const custom = await account(auth);
    expect([custom.status, custom.headers.get('content-type'), custom.headers.get('x-custom')]).toEqual([
      500,
      'text/plain',
      'yes',
    ]);
    expect(await custom.text()).toBe('Oops');
    sb.injectAccountFault({ kind: 'html' });
    const html = await account(auth);
    expect(html.status).toBe(502);
    expect(await html.text()).toContain('<title>502 Bad Gateway</title>');
    sb.injectAccountFault({ kind: 'malformed-json' });
    const malformed = await account(auth);
    expect(malformed.status).toBe(200);
    const text = await malformed.text();
    expect(() => JSON.parse(text) as unknown).toThrow();
    expect(text).toContain('"account"');
    sb.injectAccountFault({ kind: 'empty-body', status: 200 });
    expect(await (await account(auth)).text()).toBe('');
    sb.injectAccountFault({
      kind: 'json',
      status: 200,
      body: { account: { email_address: 'x@example.com' } },
    });
    expect(await (await account(auth)).json()).toEqual({ account: { email_address: 'x@example.com' } });
    expect((await account(auth)).status).toBe(200);
  });

  it('applies before the token is looked at: a request without one gets the fault too', async () => {
    sb.injectAccountFault({
      kind: 'json',
      status: 200,
      body: { account: { account_id: 'a', email_address: 'b' } },
    });
    expect((await account()).status).toBe(200);
    expect((await account()).status).toBe(401);
  });

  it('redirect: the status and Location only; drop: no answer at all', async () => {
    const auth = await authed();
    sb.injectAccountFault({ kind: 'redirect', status: 302, location: 'https://elsewhere.test/v3/account' });
    const res = await account(auth, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://elsewhere.test/v3/account');
    sb.injectAccountFault({ kind: 'drop' });
    await expect(account(auth)).rejects.toThrow();
    expect((await account(auth)).status).toBe(200);
    expect(sb.accountRequests()).toHaveLength(3);
  });

  it('applies `times` times, in queue order', async () => {
    const auth = await authed();
    sb.injectAccountFault({ kind: 'status', status: 500 }, 2);
    sb.injectAccountFault({ kind: 'rate-limit' });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await account(auth)).status);
    expect(statuses).toEqual([500, 500, 429, 200]);
  });

  it('is a queue of its own: never the token endpoint, OPTIONS or a wrong method, nor token faults here', async () => {
    sb.injectAccountFault({ kind: 'status', status: 500 });
    expect((await post(refreshBody())).status).toBe(200);
    const auth = `Bearer ${sb.lastIssued()?.accessToken}`;
    expect((await fetch(`${sb.url}/v3/account`, { method: 'OPTIONS' })).status).toBe(204);
    expect((await fetch(`${sb.url}/v3/account`, { method: 'POST' })).status).toBe(405);
    sb.injectFault({ kind: 'status', status: 502 });
    expect((await account(auth)).status).toBe(500);
    expect((await account(auth)).status).toBe(200);
    expect((await post(refreshBody())).status).toBe(502);
  });

  it('clearFaults and reset drop queued account faults', async () => {
    sb.injectAccountFault({ kind: 'status', status: 500 }, 3);
    sb.clearFaults();
    expect((await account()).status).toBe(401);
    sb.injectAccountFault({ kind: 'status', status: 500 }, 3);
    sb.reset();
    expect((await account()).status).toBe(401);
    sb.injectAccountFault({ kind: 'status', status: 500 }, 0);
    expect((await account()).status).toBe(401);
  });
});

describe('GET /v3/account read by the extension’s core (src/core/account.ts)', () => {
  async function verify(accessToken: string) {
    const spec = buildAccountRequest(sb.url, accessToken);
    const res = await fetch(spec.url, { method: spec.method, headers: spec.headers });
    return readAccountResponse(res.status, res.headers, await res.text(), Date.now(), [accessToken]);
  }
  const issue = async (app: SandboxApp = sb.app) => {
    await post(refreshBody(sb.issueRefreshToken(app), app));
    return sb.lastIssued()?.accessToken ?? '';
  };

  it('ok with the account and the rate limit; every other answer classified as the core expects', async () => {
    const token = await issue();
    const ok = await verify(token);
    expect(ok).toMatchObject({ ok: true, status: 200, account: { email: 'me@dropboxsign.com' } });
    expect(ok.rateLimit.limit).toBe(100);
    expect(ok.rateLimit.remaining).toBeGreaterThan(0);
    expect(sb.accountRequests()[0]?.headers.accept).toBe('application/json');

    expect(await verify('not-a-token')).toMatchObject({ ok: false, reason: 'expired', status: 401 });
    const narrow = await issue(sb.createApp({ scopes: ['request_signature'] }));
    expect(await verify(narrow)).toMatchObject({ ok: false, reason: 'scopes', status: 403 });

    sb.injectAccountFault({ kind: 'rate-limit', resetInSeconds: 60 });
    const limited = await verify(token);
    expect(limited).toMatchObject({
      ok: false,
      reason: 'rate-limited',
      status: 429,
      rateLimit: { remaining: 0 },
    });
    if (!limited.ok) expect(limited.retryAt).toBeGreaterThan(Date.now());
    sb.injectAccountFault({ kind: 'html' });
    expect(await verify(token)).toMatchObject({ ok: false, reason: 'server', status: 502 });
    sb.injectAccountFault({ kind: 'malformed-json' });
    expect(await verify(token)).toMatchObject({ ok: false, reason: 'unexpected', status: 200 });
  });
});

describe('routing', () => {
  it('POST /v3/oauth/token is a 404: the token endpoint lives on the app host only', async () => {
    const token = sb.issueRefreshToken();
    await expectDropboxError(await post(refreshBody(token), { path: '/v3/oauth/token' }), 404, 'not_found');
    await expectDropboxError(
      await post(refreshBody(token), { path: '/v3/oauth/token', search: '' }),
      404,
      'not_found',
    );
    expect(sb.isRefreshTokenValid(token)).toBe(true);
  });

  it('unknown paths are a 404 Dropbox envelope', async () => {
    await expectDropboxError(await fetch(`${sb.url}/nope`), 404, 'not_found');
    await expectDropboxError(await post(refreshBody(), { path: '/oauth/token/' }), 404, 'not_found');
  });

  it('a wrong method is a 405 with Allow', async () => {
    const get = await fetch(`${sb.url}/oauth/token?refresh`);
    await expectDropboxError(get, 405, 'method_not_allowed');
    expect(get.headers.get('allow')).toBe('POST, OPTIONS');
    const postAccount = await fetch(`${sb.url}/v3/account`, { method: 'POST' });
    await expectDropboxError(postAccount, 405, 'method_not_allowed');
    expect(postAccount.headers.get('allow')).toBe('GET, OPTIONS');
  });
});

describe('CORS', () => {
  it('answers a preflight with 204, echoing the Origin, and records it', async () => {
    const origin = 'chrome-extension://abcdefghijklmnop';
    const res = await fetch(`${sb.url}/oauth/token?refresh`, {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type, authorization',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(origin);
    expect(res.headers.get('access-control-allow-methods')).toBe('POST, GET, OPTIONS');
    expect(res.headers.get('access-control-allow-headers')).toBe('Content-Type, Authorization');
    expect(Number(res.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    expect(sb.requests.map((r) => r.method)).toEqual(['OPTIONS']);
  });

  it('puts Allow-Origin (* without an Origin) and Expose-Headers on every answer, errors included', async () => {
    const ok = await post(refreshBody());
    expect(ok.headers.get('access-control-allow-origin')).toBe('*');
    const exposed = ok.headers.get('access-control-expose-headers') ?? '';
    for (const h of ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-Ratelimit-Reset'])
      expect(exposed).toContain(h);
    const err = await post(refreshBody('hUnknown'), { headers: { Origin: 'moz-extension://x' } });
    expect(err.status).toBe(400);
    expect(err.headers.get('access-control-allow-origin')).toBe('moz-extension://x');
    const notFound = await fetch(`${sb.url}/nope`);
    expect(notFound.headers.get('access-control-allow-origin')).toBe('*');
    sb.injectFault({ kind: 'html' });
    expect((await post(refreshBody())).headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('faults', () => {
  /** Inject one fault, send a valid refresh, and check the token survived and the request was recorded. */
  async function faulted(fault: Fault): Promise<Response> {
    const token = sb.issueRefreshToken();
    sb.injectFault(fault);
    const res = await post(refreshBody(token));
    await res.arrayBuffer().catch(() => undefined); // read fully before checking
    expect(sb.isRefreshTokenValid(token)).toBe(true);
    expect(sb.tokenRefreshRequests()).toHaveLength(1);
    expect(sb.issuedAccessTokens()).toEqual([]);
    return res;
  }

  it('status: the given status with a default Dropbox envelope', async () => {
    const res = await faulted({ kind: 'status', status: 503 });
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('application/json');
  });

  it('status: a custom body, content type and headers', async () => {
    sb.injectFault({
      kind: 'status',
      status: 500,
      body: 'Oops',
      contentType: 'text/plain',
      headers: { 'X-Custom': 'yes' },
    });
    const res = await post(refreshBody());
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('text/plain');
    expect(res.headers.get('x-custom')).toBe('yes');
    expect(await res.text()).toBe('Oops');
  });

  it('html: 502 with an HTML page by default, or the given status', async () => {
    const res = await faulted({ kind: 'html' });
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toContain('text/html');
    sb.injectFault({ kind: 'html', status: 503 });
    const other = await post(refreshBody());
    expect(other.status).toBe(503);
    expect(await other.text()).toContain('<html>');
  });

  it('malformed-json: 200 with a truncated JSON body', async () => {
    sb.injectFault({ kind: 'malformed-json' });
    const res = await post(refreshBody());
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(() => JSON.parse(text) as unknown).toThrow();
    expect(text).toContain('access_token');
  });

  it('empty-body: 200 (or the given status) with no body', async () => {
    sb.injectFault({ kind: 'empty-body' });
    const res = await post(refreshBody());
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    sb.injectFault({ kind: 'empty-body', status: 500 });
    expect((await post(refreshBody())).status).toBe(500);
  });

  it('json: an arbitrary JSON answer, e.g. 200 without access_token', async () => {
    sb.injectFault({ kind: 'json', status: 200, body: { token_type: 'Bearer' } });
    const res = await post(refreshBody());
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ token_type: 'Bearer' });
  });

  it('rate-limit: 429 exceeded_rate with rate-limit headers and Retry-After', async () => {
    sb.settings.errorShape = 'oauth'; // the envelope is Dropbox's whatever the error shape
    const res = await faulted({ kind: 'rate-limit', resetInSeconds: 120 });
    expect(res.status).toBe(429);
    sb.injectFault({ kind: 'rate-limit', resetInSeconds: 120 });
    const again = await post(refreshBody());
    await expectDropboxError(again, 429, 'exceeded_rate');
    expect(again.headers.get('retry-after')).toBe('120');
    expect(again.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(again.headers.get('x-ratelimit-limit')).toBe('100');
    const reset = Number(again.headers.get('x-ratelimit-reset'));
    expect(reset).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 118);
  });

  it('drop: the connection is destroyed without an answer', async () => {
    const token = sb.issueRefreshToken();
    sb.injectFault({ kind: 'drop' });
    await expect(post(refreshBody(token))).rejects.toThrow();
    expect(sb.isRefreshTokenValid(token)).toBe(true);
    expect(sb.tokenRefreshRequests()).toHaveLength(1);
    expect((await post(refreshBody(token))).status).toBe(200);
  });

  it('applies a fault `times` times, then answers normally, in queue order', async () => {
    sb.injectFault({ kind: 'status', status: 500 }, 2);
    sb.injectFault({ kind: 'html', status: 504 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await post(refreshBody())).status);
    expect(statuses).toEqual([500, 500, 504, 200]);
  });

  it('redirect: answers with the status and a Location header, spends nothing, is never processed', async () => {
    for (const status of [302, 307, 308] as const) {
      const token = sb.issueRefreshToken();
      const location = `https://elsewhere.test/oauth/token?refresh&n=${status}`;
      sb.injectFault({ kind: 'redirect', status, location });
      const res = await fetch(`${sb.url}/oauth/token?refresh`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(refreshBody(token)),
        redirect: 'manual',
      });
      expect(res.status).toBe(status);
      expect(res.headers.get('location')).toBe(location);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(sb.isRefreshTokenValid(token)).toBe(true);
    }
    expect(sb.issuedAccessTokens()).toEqual([]);
  });

  it('redirect: a second sandbox records what a client that follows a 307 sends to the other origin', async () => {
    await withSandbox({}, async (elsewhere) => {
      const token = sb.issueRefreshToken();
      sb.injectFault({ kind: 'redirect', status: 307, location: `${elsewhere.url}/oauth/token?refresh` });
      // fetch's default is to follow: the body, secret included, is POSTed again to the other origin.
      const res = await post(refreshBody(token));
      expect(res.url).toBe(`${elsewhere.url}/oauth/token?refresh`);
      expect(res.status).toBe(401); // elsewhere knows neither the client nor its token
      expect(elsewhere.requests).toHaveLength(1);
      expect(elsewhere.requests[0]?.bodyText).toContain(sb.app.clientSecret);
      expect(sb.isRefreshTokenValid(token)).toBe(true);
    });
  });

  it('applies to the code exchange too, without spending the code', async () => {
    const code = sb.issueAuthorizationCode();
    sb.injectFault({ kind: 'status', status: 500 });
    const body = { grant_type: 'authorization_code', code, ...creds() };
    expect((await post(body, { search: '' })).status).toBe(500);
    expect((await post(body, { search: '' })).status).toBe(200);
  });

  it('does not apply to /v3/account, OPTIONS or unknown paths', async () => {
    sb.injectFault({ kind: 'status', status: 500 });
    expect((await fetch(`${sb.url}/v3/account`)).status).toBe(401);
    expect((await fetch(`${sb.url}/oauth/token?refresh`, { method: 'OPTIONS' })).status).toBe(204);
    expect((await fetch(`${sb.url}/nope`, { method: 'POST' })).status).toBe(404);
    expect((await post(refreshBody())).status).toBe(500);
  });

  it('clearFaults drops queued faults', async () => {
    sb.injectFault({ kind: 'status', status: 500 }, 3);
    sb.clearFaults();
    expect((await post(refreshBody())).status).toBe(200);
  });
});

describe('holdNext and nextRequest', () => {
  /** A refresh POST whose answer the test awaits later; `signal` lets the client give up. */
  function pendingRefresh(token: string, signal?: AbortSignal): Promise<Response> {
    return fetch(`${sb.url}/oauth/token?refresh`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(refreshBody(token)),
      ...(signal ? { signal } : {}),
    });
  }

  it('records the held request on arrival and answers it only after release, then processes it', async () => {
    const token = sb.issueRefreshToken();
    const hold = sb.holdNext();
    let answered = false;
    const response = pendingRefresh(token).then((res) => {
      answered = true;
      return res;
    });
    const request = await hold.arrived;
    expect(request).toMatchObject({ method: 'POST', path: '/oauth/token', search: '?refresh' });
    expect(JSON.parse(request.bodyText)).toMatchObject({ refresh_token: token });
    expect(sb.tokenRefreshRequests()).toEqual([request]);
    // Held: nothing processed, nothing answered.
    expect(sb.isRefreshTokenValid(token)).toBe(true);
    expect(sb.issuedAccessTokens()).toEqual([]);
    expect(answered).toBe(false);

    hold.release();
    const res = await response;
    expect(res.status).toBe(200);
    expect(await hold.outcome).toEqual({ kind: 'answered', status: 200 });
    expect(sb.isRefreshTokenValid(token)).toBe(false);
    expect(((await res.json()) as { access_token: string }).access_token).toBe(sb.lastIssued()?.accessToken);
  });

  it('the refresh still happens when the client gives up while it is held', async () => {
    const token = sb.issueRefreshToken();
    const hold = sb.holdNext();
    const controller = new AbortController();
    const response = pendingRefresh(token, controller.signal);
    await hold.arrived;
    controller.abort();
    await expect(response).rejects.toThrow();
    expect(sb.isRefreshTokenValid(token)).toBe(true);

    hold.release();
    // Answered to a connection nobody reads: the server has rotated the token all the same.
    expect(await hold.outcome).toEqual({ kind: 'answered', status: 200 });
    expect(sb.isRefreshTokenValid(token)).toBe(false);
    expect(sb.lastIssued()?.refreshToken).toBeDefined();
  });

  it('a held request is answered with the fault that was queued when it arrived', async () => {
    sb.injectFault({ kind: 'status', status: 500 });
    const hold = sb.holdNext();
    const response = pendingRefresh(sb.issueRefreshToken());
    await hold.arrived;
    sb.injectFault({ kind: 'html', status: 502 }); // queued after the arrival: for the next request
    hold.release();
    expect((await response).status).toBe(500);
    expect(await hold.outcome).toEqual({ kind: 'answered', status: 500 });
    expect((await post(refreshBody())).status).toBe(502);
    expect((await post(refreshBody())).status).toBe(200);
  });

  it('a held drop fault ends the connection on release', async () => {
    const token = sb.issueRefreshToken();
    sb.injectFault({ kind: 'drop' });
    const hold = sb.holdNext();
    const response = pendingRefresh(token);
    await hold.arrived;
    hold.release();
    await expect(response).rejects.toThrow();
    expect(await hold.outcome).toEqual({ kind: 'dropped' });
    expect(sb.isRefreshTokenValid(token)).toBe(true);
  });

  it('each hold takes one request, in arrival order; they can be released in any order', async () => {
    const [first, second] = [sb.holdNext(), sb.holdNext()];
    const [tokenA, tokenB] = [sb.issueRefreshToken(), sb.issueRefreshToken()];
    const responseA = pendingRefresh(tokenA);
    expect(JSON.parse((await first.arrived).bodyText)).toMatchObject({ refresh_token: tokenA });
    const responseB = pendingRefresh(tokenB);
    expect(JSON.parse((await second.arrived).bodyText)).toMatchObject({ refresh_token: tokenB });

    second.release();
    expect((await responseB).status).toBe(200);
    expect(sb.isRefreshTokenValid(tokenB)).toBe(false);
    expect(sb.isRefreshTokenValid(tokenA)).toBe(true);
    first.release();
    expect((await responseA).status).toBe(200);
    // A third request is not held.
    expect((await post(refreshBody())).status).toBe(200);
  });

  it('released before its request arrives, a hold does not wait at all', async () => {
    const hold = sb.holdNext();
    hold.release();
    hold.release(); // idempotent
    const res = await post(refreshBody());
    expect(res.status).toBe(200);
    expect((await hold.arrived).search).toBe('?refresh');
    expect(await hold.outcome).toEqual({ kind: 'answered', status: 200 });
  });

  it('holds only token-endpoint POSTs: OPTIONS, /v3/account and unknown paths pass', async () => {
    const hold = sb.holdNext();
    expect((await fetch(`${sb.url}/oauth/token?refresh`, { method: 'OPTIONS' })).status).toBe(204);
    expect((await fetch(`${sb.url}/v3/account`)).status).toBe(401);
    expect((await fetch(`${sb.url}/nope`, { method: 'POST' })).status).toBe(404);
    const code = sb.issueAuthorizationCode();
    const exchange = post({ grant_type: 'authorization_code', code, ...creds() }, { search: '' });
    expect((await hold.arrived).search).toBe('');
    hold.release();
    expect((await exchange).status).toBe(200);
  });

  it('reset() ends held requests unanswered and cancels pending holds and waits', async () => {
    const held = sb.holdNext();
    const pending = sb.holdNext();
    const client = new AbortController();
    const response = pendingRefresh(sb.issueRefreshToken(), client.signal).then(
      (res) => res.status,
      () => 'no answer',
    );
    await held.arrived;
    const waiting = sb.nextRequest();
    sb.reset();
    expect(await held.outcome).toEqual({ kind: 'closed' });
    expect(await pending.outcome).toEqual({ kind: 'closed' });
    await expect(pending.arrived).rejects.toThrow('reset');
    await expect(waiting).rejects.toThrow('reset');
    held.release(); // too late: does nothing
    // The held request was never answered; the socket stays open until the client or close() ends it.
    expect(sb.issuedAccessTokens()).toEqual([]);
    // A new request goes through: nothing is held any more.
    expect((await post(refreshBody())).status).toBe(200);
    client.abort();
    expect(await response).toBe('no answer');
  });

  it('nextRequest resolves with the next matching request once it has arrived in full', async () => {
    await fetch(`${sb.url}/v3/account`); // before the wait: not matched
    const anyRequest = sb.nextRequest();
    const refresh = sb.nextRequest((r) => r.method === 'POST' && r.search === '?refresh');
    const preflight = sb.nextRequest((r) => r.method === 'OPTIONS');
    const body = refreshBody();
    await fetch(`${sb.url}/oauth/token?refresh`, { method: 'OPTIONS' });
    expect(await anyRequest).toMatchObject({ method: 'OPTIONS' });
    expect(await preflight).toBe(await anyRequest);
    await post(body);
    const recorded = await refresh;
    expect(JSON.parse(recorded.bodyText)).toEqual(body);
    expect(sb.requests.at(-1)).toBe(recorded);
  });

  it('a predicate that throws rejects its own wait only', async () => {
    const broken = sb.nextRequest(() => {
      throw new Error('bad predicate');
    });
    const fine = sb.nextRequest();
    await post(refreshBody());
    await expect(broken).rejects.toThrow('bad predicate');
    expect((await fine).method).toBe('POST');
  });
});

describe('records and controls', () => {
  it('records every request with method, path, search, headers, body and time', async () => {
    const before = Date.now();
    const body = refreshBody();
    await post(body, { headers: { 'X-Test': '1' } });
    await fetch(`${sb.url}/v3/account`);
    expect(sb.requests).toHaveLength(2);
    const [first, second] = sb.requests;
    expect(first).toMatchObject({ method: 'POST', path: '/oauth/token', search: '?refresh' });
    expect(first?.headers['x-test']).toBe('1');
    expect(first?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(first?.bodyText ?? '')).toEqual(body);
    expect(first?.receivedAt).toBeGreaterThanOrEqual(before);
    expect(second).toMatchObject({ method: 'GET', path: '/v3/account', search: '', bodyText: '' });
    expect(sb.tokenRefreshRequests()).toEqual([first]);
  });

  it('reset clears records, faults and settings but keeps apps and tokens', async () => {
    const app = sb.createApp();
    const token = sb.issueRefreshToken(app);
    await post(refreshBody());
    sb.settings.errorShape = 'dropbox';
    sb.settings.rotateRefreshTokens = false;
    sb.injectFault({ kind: 'status', status: 500 });
    sb.reset();
    expect(sb.requests).toEqual([]);
    expect(sb.issuedAccessTokens()).toEqual([]);
    expect(sb.lastIssued()).toBeUndefined();
    expect(sb.settings).toEqual({
      rotateRefreshTokens: true,
      expiresIn: 3600,
      returnRefreshToken: true,
      errorShape: 'oauth',
    });
    expect(sb.isRefreshTokenValid(token)).toBe(true);
    expect((await post(refreshBody(token, app))).status).toBe(200);
  });

  it('reset restores the settings the sandbox was started with', async () => {
    await withSandbox({ settings: { errorShape: 'dropbox' } }, (s) => {
      s.settings.errorShape = 'oauth';
      s.reset();
      expect(s.settings.errorShape).toBe('dropbox');
      return Promise.resolve();
    });
  });

  it('seeds one app that requires client credentials; mints distinct tokens and codes', () => {
    expect(sb.app.requireClientCredentials).toBe(true);
    expect(sb.app.clientId).toMatch(/^[0-9a-f]{32}$/);
    expect(sb.app.clientSecret).not.toBe(sb.app.clientId);
    expect(sb.issueRefreshToken()).not.toBe(sb.issueRefreshToken());
    expect(sb.issueAuthorizationCode()).not.toBe(sb.issueAuthorizationCode());
    expect(sb.isRefreshTokenValid('hUnknown')).toBe(false);
  });

  it('refuses to mint for an app of another sandbox', () => {
    const foreign = { clientId: 'x', clientSecret: 'y', requireClientCredentials: true };
    expect(() => sb.issueRefreshToken(foreign)).toThrow();
    expect(() => sb.issueAuthorizationCode(foreign)).toThrow();
  });
});

describe('logging and shutdown', () => {
  it('prints nothing by default, and log lines hold no secret, token or code', async () => {
    const printed: unknown[] = [];
    for (const m of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, m).mockImplementation((...args: unknown[]) => void printed.push(...args));
    }
    const lines: string[] = [];
    await withSandbox({}, async (quiet) => {
      await post(refreshBody(quiet.issueRefreshToken(), quiet.app), { base: quiet.url });
    });
    await withSandbox({ log: (l) => lines.push(l) }, async (s) => {
      const code = s.issueAuthorizationCode(s.app, 'st');
      await post(
        { grant_type: 'authorization_code', code, state: 'st', ...creds(s.app) },
        { base: s.url, search: '' },
      );
      await post(refreshBody(s.issueRefreshToken(), s.app), { base: s.url });
      await post(refreshBody(s.issueRefreshToken(), s.app), { base: s.url, search: `?code=${code}` });
      const secrets = [
        s.app.clientSecret,
        code,
        ...s.issuedAccessTokens(),
        s.lastIssued()?.refreshToken ?? '',
      ];
      expect(lines.length).toBe(3);
      expect(lines[1]).toBe('POST /oauth/token?refresh -> 200');
      for (const line of lines) for (const secret of secrets) expect(line).not.toContain(secret);
    });
    expect(printed).toEqual([]);
  });

  it('close() ends keep-alive connections and held requests, and cancels pending holds and waits', async () => {
    const s = await startSandbox();
    // A keep-alive connection left open by a finished request.
    const agent = new http.Agent({ keepAlive: true });
    await new Promise<void>((resolve) =>
      http.get(`${s.url}/nope`, { agent }, (r) => r.resume().on('end', resolve)),
    );
    // A request held forever, a hold no request has claimed, and a wait no request has met.
    const held = s.holdNext();
    const unclaimed = s.holdNext();
    const waiting = s.nextRequest((r) => r.path === '/never');
    const pending = post(refreshBody(s.issueRefreshToken(), s.app), { base: s.url }).catch(() => 'closed');
    await held.arrived;
    // Resolves at all (the test would time out otherwise): nothing is left to keep the server open.
    await s.close();
    expect(await pending).toBe('closed');
    expect(await held.outcome).toEqual({ kind: 'closed' });
    expect(await unclaimed.outcome).toEqual({ kind: 'closed' });
    await expect(unclaimed.arrived).rejects.toThrow('closed');
    await expect(waiting).rejects.toThrow('closed');
    held.release(); // after close: does nothing
    expect(s.issuedAccessTokens()).toEqual([]);
    agent.destroy();
  });
});

describe('TLS', () => {
  it('creates a certificate for the hostnames plus localhost and 127.0.0.1', async () => {
    const { key, cert } = await createSelfSignedCert(['sandbox.test', '10.0.0.7']);
    expect(key).toContain('PRIVATE KEY');
    const x509 = new X509Certificate(cert);
    const sans = x509.subjectAltName ?? '';
    for (const name of ['DNS:sandbox.test', 'IP Address:10.0.0.7', 'DNS:localhost', 'IP Address:127.0.0.1']) {
      expect(sans).toContain(name);
    }
    expect(x509.checkHost('sandbox.test')).toBe('sandbox.test');
    expect(x509.ca).toBe(false);
  });

  it('serves HTTPS that verifies against the certificate for 127.0.0.1 and localhost', async () => {
    const tls = await createSelfSignedCert([]);
    await withSandbox({ tls }, async (s) => {
      expect(s.url).toBe(`https://127.0.0.1:${s.port}`);
      const body = JSON.stringify(refreshBody(s.issueRefreshToken(), s.app));
      const request = (host: string) =>
        new Promise<{ status: number; text: string }>((resolve, reject) => {
          const req = https.request(
            {
              host,
              port: s.port,
              path: '/oauth/token?refresh',
              method: 'POST',
              ca: tls.cert,
              agent: false,
              headers: { 'Content-Type': 'application/json' },
            },
            (res) => {
              let text = '';
              res.setEncoding('utf8').on('data', (c: string) => (text += c));
              res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
            },
          );
          req.on('error', reject);
          req.end(body);
        });
      const first = await request('127.0.0.1');
      expect(first.status).toBe(200);
      // The rotated-away token over a `localhost` connection: TLS verifies, the grant does not.
      const second = await request('localhost');
      expect(second.status).toBe(400);
      expect(JSON.parse(second.text)).toMatchObject({ error: 'invalid_grant' });
    });
  });

  it('plays app.hellosign.com and api.hellosign.com: OAuth and /v3/account over TLS verified for those names', async () => {
    const tls = await createSelfSignedCert(['app.hellosign.com', 'api.hellosign.com']);
    const x509 = new X509Certificate(tls.cert);
    for (const name of ['app.hellosign.com', 'api.hellosign.com']) expect(x509.checkHost(name)).toBe(name);
    expect(x509.verify(x509.publicKey)).toBe(true); // self-signed: trusted as its own anchor (CA:FALSE)
    await withSandbox({ tls }, async (s) => {
      const call = (host: string, path: string, o: Partial<HttpsCall> = {}) =>
        httpsCall({ host, port: s.port, path, ca: tls.cert, ...o });
      const refreshed = await call('app.hellosign.com', '/oauth/token?refresh', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(refreshBody(s.issueRefreshToken(), s.app)),
      });
      expect(refreshed.status).toBe(200);
      const { access_token } = JSON.parse(refreshed.text) as { access_token: string };
      const checked = await call('api.hellosign.com', '/v3/account', {
        headers: { Authorization: `Bearer ${access_token}` },
      });
      expect(checked.status).toBe(200);
      expect(JSON.parse(checked.text)).toMatchObject({ account: { email_address: 'me@dropboxsign.com' } });
      expect(s.accountRequests()[0]?.headers.host).toBe(`api.hellosign.com:${s.port}`);
      // A name the certificate does not cover is refused by TLS.
      await expect(call('other.example', '/v3/account')).rejects.toThrow(/altnames|other\.example/);
    });
  });
});

interface HttpsCall {
  host: string;
  port: number;
  path: string;
  ca: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** Every name resolves to the loopback, as in a network namespace where the Dropbox Sign hosts point here. */
const loopbackLookup = ((_host: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) => {
  if (opts.all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
  else cb(null, '127.0.0.1', 4);
}) as unknown as NonNullable<https.RequestOptions['lookup']>;

/** One HTTPS request to `host` (resolved to 127.0.0.1), verified against `ca` for that name. */
function httpsCall(o: HttpsCall): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: o.host,
        port: o.port,
        path: o.path,
        method: o.method ?? 'GET',
        headers: o.headers ?? {},
        ca: o.ca,
        agent: false,
        lookup: loopbackLookup,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(o.body ?? '');
  });
}

describe('cli', () => {
  it('prints the URL and client ID only, writes a 0600 credentials file, and stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-cli-'));
    const file = join(dir, 'credentials.json');
    const tsx = join(process.cwd(), 'node_modules/.bin/tsx');
    const child = spawn(tsx, ['e2e/sandbox/cli.ts', '--credentials-file', file, '--verbose'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (out += c));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await vi.waitFor(() => expect(out).toContain('written to'), { timeout: 15_000, interval: 50 });
      const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(Object.keys(saved).sort()).toEqual(
        ['baseUrl', 'clientId', 'clientSecret', 'refreshToken', 'requireClientCredentials'].sort(),
      );
      expect(out).toContain(saved.baseUrl);
      expect(out).toContain(saved.clientId);
      expect(out).toContain(
        `authorize URL:    ${saved.baseUrl}/oauth/authorize?response_type=code&client_id=${saved.clientId}&state=demo`,
      );
      expect(out).toContain(`callback URL:     ${saved.baseUrl}/oauth/callback`);
      const res = await post(
        { grant_type: 'refresh_token', refresh_token: saved.refreshToken },
        {
          base: saved.baseUrl ?? '',
          headers: { Authorization: basic(saved.clientId ?? '', saved.clientSecret ?? '') },
        },
      );
      const tokens = (await res.json()) as { access_token: string; refresh_token: string };
      expect(res.status).toBe(200);
      await vi.waitFor(() => expect(out).toContain('-> 200'));
      for (const secret of [
        saved.clientSecret,
        saved.refreshToken,
        tokens.access_token,
        tokens.refresh_token,
      ]) {
        expect(out).not.toContain(secret);
      }
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('--https: a certificate for the Dropbox Sign hosts and --cert-host written first; --scopes sets the app', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-cli-'));
    const file = join(dir, 'credentials.json');
    const certFile = join(dir, 'ca.pem');
    const tsx = join(process.cwd(), 'node_modules/.bin/tsx');
    const args = ['e2e/sandbox/cli.ts', '--https', '--cert-file', certFile, '--cert-host', 'sandbox.test'];
    args.push('--credentials-file', file, '--scopes', 'request_signature');
    const child = spawn(tsx, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (out += c));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await vi.waitFor(() => expect(out).toContain('certificate written to'), {
        timeout: 15_000,
        interval: 50,
      });
      const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
      const cert = readFileSync(certFile, 'utf8');
      expect(cert).not.toContain('PRIVATE KEY');
      const x509 = new X509Certificate(cert);
      for (const name of ['app.hellosign.com', 'api.hellosign.com', 'sandbox.test', 'localhost'])
        expect(x509.checkHost(name)).toBe(name);
      expect(out).toContain('app scopes:       request_signature');
      expect(out).toContain(`account endpoint: ${saved.baseUrl}/v3/account`);
      const port = Number(new URL(saved.baseUrl ?? '').port);
      const refreshed = await httpsCall({
        host: 'app.hellosign.com',
        port,
        path: '/oauth/token?refresh',
        ca: cert,
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          grant_type: 'refresh_token',
          refresh_token: saved.refreshToken,
          client_id: saved.clientId,
          client_secret: saved.clientSecret,
        }),
      });
      expect(refreshed.status).toBe(200);
      const { access_token } = JSON.parse(refreshed.text) as { access_token: string };
      const checked = await httpsCall({
        host: 'api.hellosign.com',
        port,
        path: '/v3/account',
        ca: cert,
        headers: { Authorization: `Bearer ${access_token}` },
      });
      expect(checked.status).toBe(403);
      expect(JSON.parse(checked.text)).toMatchObject({ error: { error_name: 'forbidden' } });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);
});
