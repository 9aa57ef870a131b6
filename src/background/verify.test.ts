import { fakeBrowser } from '@webext-core/fake-browser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import manifest from '../../manifest.json' with { type: 'json' };
import type { RecordedExchange } from '../core/exchange-record';
import type { VerifyReply } from '../core/protocol';
import type { TokenState } from '../core/token-state';
import { readLastExchanges } from '../platform/exchange-read';
import { LAST_EXCHANGE_KEY_PREFIX } from '../platform/storage-keys';
import {
  ACCESS_TOKEN,
  CLIENT_SECRET,
  fetchCall,
  jsonResponse,
  REFRESH_TOKEN,
  seedData,
  send,
  spyOnPermissions,
  storedJson,
  storedProfile,
  stubFetch,
  tokenResponse,
  storeLegacyVaultEdited,
} from '../test-support/worker';

/** PBKDF2 at its real cost is not what these tests are about (the locked and review ones set a passphrase). */
vi.mock('../core/vault-crypto', async (importOriginal) =>
  (await import('../test-support/fast-vault-crypto')).fastVaultCrypto(
    await importOriginal<typeof import('../core/vault-crypto')>(),
  ),
);

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const PASSPHRASE = 'correct horse battery staple';
const ACCOUNT_URL = 'https://api.hellosign.com/v3/account';
const TOKEN: TokenState = {
  accessToken: ACCESS_TOKEN,
  tokenType: 'Bearer',
  receivedAt: NOW - 60_000,
  expiresAt: NOW + 3_600_000,
};

/** What `GET /v3/account` answers, as the API reference shows it. */
const ACCOUNT_BODY = {
  account: {
    account_id: '5008b25c7f67153e57d5a357b1687968068fb465',
    email_address: 'me@example.com',
    is_locked: false,
    is_paid_hs: true,
    is_paid_hf: false,
    quotas: {
      templates_left: 5,
      api_signature_requests_left: 1250,
      documents_left: null,
      sms_verifications_left: 0,
    },
    role_code: 'a',
  },
};

beforeEach(async () => {
  vi.resetModules();
  const [{ listenForMessages }, { handlers }] = await Promise.all([
    import('../platform/message-listener'),
    import('./handlers'),
  ]);
  listenForMessages(handlers);
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});

afterEach(() => {
  vi.useRealTimers();
});

const verify = (profileId = 'p-1') => send('verifyToken', { profileId });

/** A profile with a current access token: what "Verify token" needs. */
async function seedWithToken(overrides: Parameters<typeof storedProfile>[0] = {}): Promise<void> {
  await seedData([storedProfile(overrides)], { 'p-1': TOKEN });
}

async function lastVerify(profileId = 'p-1'): Promise<RecordedExchange | undefined> {
  return (await readLastExchanges(profileId)).verify;
}

function refusal(reply: VerifyReply): Extract<VerifyReply, { ok: false }> {
  if (reply.ok) throw new Error(`expected a refusal, got the account ${reply.account.email}`);
  return reply;
}

/** A Response as `fetch` hands one back, with the fields a constructed Response cannot be given. */
function responseWith(
  fields: { type?: ResponseType; redirected?: boolean; url?: string },
  init?: ResponseInit,
) {
  const response = new Response(null, init);
  for (const [name, value] of Object.entries(fields)) Object.defineProperty(response, name, { value });
  return response;
}

describe('verifyToken: the request', () => {
  it('GETs https://api.hellosign.com/v3/account with the Bearer token, no cookies, no cache, no redirect', async () => {
    await seedWithToken();
    const fetchSpy = stubFetch(() => jsonResponse(200, ACCOUNT_BODY));
    await verify();
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    const { url, init } = fetchCall(fetchSpy);
    expect(url).toBe(ACCOUNT_URL);
    expect(init.method).toBe('GET');
    expect(init.headers).toEqual({ Authorization: `Bearer ${ACCESS_TOKEN}`, Accept: 'application/json' });
    expect(init.body).toBeUndefined();
    expect(init.redirect).toBe('manual');
    expect(init.credentials).toBe('omit');
    expect(init.cache).toBe('no-store');
    expect(init.signal).toBeInstanceOf(AbortSignal);
  });

  it('derives the API host from the default OAuth host, and checks access to that host', async () => {
    await seedWithToken({ oauthHost: 'https://app.hellosign.com' });
    const contains = spyOnPermissions('contains').mockResolvedValue(true);
    const fetchSpy = stubFetch(() => jsonResponse(200, ACCOUNT_BODY));
    await verify();
    expect(fetchCall(fetchSpy).url).toBe('https://api.hellosign.com/v3/account');
    expect(contains).toHaveBeenCalledWith({ origins: ['https://api.hellosign.com/*'] });
  });

  it('sends to the OAuth host itself when that is a local stand-in and no API host is set', async () => {
    await seedWithToken({ oauthHost: 'http://127.0.0.1:8443' });
    const fetchSpy = stubFetch(() => jsonResponse(200, ACCOUNT_BODY));
    await verify();
    expect(fetchCall(fetchSpy).url).toBe('http://127.0.0.1:8443/v3/account');
  });

  it('sends to the profile’s own API host when one is set, and checks access to it, not the derived one', async () => {
    await seedWithToken({ apiHost: 'https://sign-api.example.test:8443' });
    const contains = spyOnPermissions('contains').mockResolvedValue(true);
    const fetchSpy = stubFetch(() => jsonResponse(200, ACCOUNT_BODY));
    expect(await verify()).toMatchObject({ ok: true });
    expect(fetchCall(fetchSpy).url).toBe('https://sign-api.example.test:8443/v3/account');
    expect(contains).toHaveBeenCalledWith({ origins: ['https://sign-api.example.test/*'] });
    expect(contains).not.toHaveBeenCalledWith({ origins: ['https://api.hellosign.com/*'] });
  });

  it('sends the token without the spaces or line break a paste left around it', async () => {
    await seedData([storedProfile()], { 'p-1': { ...TOKEN, accessToken: `  ${ACCESS_TOKEN}\n` } });
    const fetchSpy = stubFetch(() => jsonResponse(200, ACCOUNT_BODY));
    await verify();
    expect(fetchCall(fetchSpy).init.headers).toMatchObject({ Authorization: `Bearer ${ACCESS_TOKEN}` });
  });

  it('needs no permission prompt for the default API host: the manifest holds it', () => {
    expect(manifest.host_permissions).toContain('https://api.hellosign.com/*');
  });

  it('writes nothing to the stored document, whatever the answer', async () => {
    await seedWithToken();
    const before = await storedJson();
    stubFetch(() => jsonResponse(401, { error: { error_msg: 'Unauthorized', error_name: 'unauthorized' } }));
    await verify();
    expect(JSON.parse(await storedJson())).toEqual(JSON.parse(before));
  });
});

describe('verifyToken: the answer', () => {
  it('gives the account and the rate limit for a 200', async () => {
    await seedWithToken();
    stubFetch(() =>
      jsonResponse(200, ACCOUNT_BODY, {
        'X-RateLimit-Limit': '100',
        'X-RateLimit-Remaining': '99',
        'X-Ratelimit-Reset': '1736942460',
      }),
    );
    expect(await verify()).toEqual({
      ok: true,
      status: 200,
      account: {
        accountId: '5008b25c7f67153e57d5a357b1687968068fb465',
        email: 'me@example.com',
        isPaidHs: true,
        isPaidHf: false,
        quotas: [
          { label: 'API signature requests left', value: '1250' },
          { label: 'Documents left', value: 'unlimited' },
          { label: 'Templates left', value: '5' },
          { label: 'SMS verifications left', value: '0' },
        ],
        roleCode: 'a',
      },
      rateLimit: { limit: 100, remaining: 99, resetAt: 1_736_942_460_000 },
    });
  });

  it('gives an empty rate limit when the headers are absent', async () => {
    await seedWithToken();
    stubFetch(() => jsonResponse(200, ACCOUNT_BODY));
    expect(await verify()).toMatchObject({ ok: true, rateLimit: {} });
  });

  it('says a 401 means the token expired or was revoked, and to refresh', async () => {
    await seedWithToken();
    stubFetch(() =>
      jsonResponse(401, { error: { error_msg: 'Unauthorized api key', error_name: 'unauthorized' } }),
    );
    const reply = refusal(await verify());
    expect(reply).toMatchObject({ ok: false, status: 401, reason: 'expired' });
    expect(reply.message).toMatch(/401/);
    expect(reply.message).toMatch(/expired or was revoked/);
    expect(reply.message).toMatch(/Refresh it/);
    expect(reply.message).toContain('Unauthorized api key');
  });

  it('says a 403 means the app’s scopes do not allow the account endpoint, and names the scopes', async () => {
    await seedWithToken();
    stubFetch(() =>
      jsonResponse(403, { error: { error_msg: 'Insufficient scope', error_name: 'forbidden' } }),
    );
    const reply = refusal(await verify());
    expect(reply).toMatchObject({ ok: false, status: 403, reason: 'scopes' });
    expect(reply.message).toMatch(/403/);
    expect(reply.message).toMatch(/scopes/);
    expect(reply.message).toContain('basic_account_info');
    expect(reply.message).toContain('account_access');
  });

  it('says a 429 is rate limiting, not the token, and when to try again', async () => {
    await seedWithToken();
    stubFetch(() =>
      jsonResponse(
        429,
        { error: { error_msg: 'Rate limit exceeded', error_name: 'exceeded_rate' } },
        { 'Retry-After': '30', 'X-RateLimit-Limit': '100', 'X-RateLimit-Remaining': '0' },
      ),
    );
    const reply = refusal(await verify());
    expect(reply).toMatchObject({
      ok: false,
      status: 429,
      reason: 'rate-limited',
      retryAt: NOW + 30_000,
      rateLimit: { limit: 100, remaining: 0 },
    });
    expect(reply.message).toMatch(/Too many requests/);
    expect(reply.message).toMatch(/429/);
    expect(reply.message).toMatch(/token itself may be fine/);
  });

  it('says a 5xx is on Dropbox Sign’s side', async () => {
    await seedWithToken();
    stubFetch(() => new Response('<html><title>Bad gateway</title></html>', { status: 502 }));
    const reply = refusal(await verify());
    expect(reply).toMatchObject({ ok: false, status: 502, reason: 'server' });
    expect(reply.message).toMatch(/server error \(502\)/);
  });

  it('never quotes the access token, even when the server echoes it', async () => {
    await seedWithToken();
    stubFetch(() =>
      jsonResponse(401, {
        error: { error_msg: `Token ${ACCESS_TOKEN} is invalid`, error_name: 'unauthorized' },
      }),
    );
    expect(JSON.stringify(await verify())).not.toContain(ACCESS_TOKEN);
  });
});

describe('verifyToken: refusals that send nothing', () => {
  it('refuses an unknown profile', async () => {
    await seedWithToken();
    const fetchSpy = stubFetch(() => jsonResponse(200, ACCOUNT_BODY));
    expect(await verify('p-gone')).toMatchObject({ ok: false, reason: 'unknown_profile' });
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(await lastVerify('p-gone')).toBeUndefined();
  });

  it('refuses a profile without an access token, and says to refresh first', async () => {
    await seedData([storedProfile()], {
      'p-1': { lastError: { kind: 'network', title: 't', action: 'a', at: NOW }, lastAttemptAt: NOW },
    });
    const fetchSpy = stubFetch(() => jsonResponse(200, ACCOUNT_BODY));
    const reply = refusal(await verify());
    expect(reply).toMatchObject({ ok: false, reason: 'no_token' });
    expect(reply.message).toMatch(/Refresh first/);
    expect(reply).not.toHaveProperty('status');
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(await lastVerify()).toBeUndefined();
  });

  it('refuses a profile that has no token state at all', async () => {
    await seedData([storedProfile()]);
    const fetchSpy = stubFetch(() => jsonResponse(200, ACCOUNT_BODY));
    expect(await verify()).toMatchObject({ ok: false, reason: 'no_token' });
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('refuses while the vault is locked: the token cannot be read', async () => {
    await seedWithToken();
    expect(await send('setPassphrase', { passphrase: PASSPHRASE })).toEqual({ ok: true });
    expect(await send('lockVault', {})).toEqual({ ok: true });
    const fetchSpy = stubFetch(() => jsonResponse(200, ACCOUNT_BODY));
    const reply = refusal(await verify());
    expect(reply).toMatchObject({ ok: false, reason: 'locked' });
    expect(reply.message).toMatch(/unlock/);
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(await lastVerify()).toBeUndefined();
  });

  it('works again once the vault is unlocked', async () => {
    await seedWithToken();
    await send('setPassphrase', { passphrase: PASSPHRASE });
    await send('lockVault', {});
    await send('unlockVault', { passphrase: PASSPHRASE });
    const fetchSpy = stubFetch(() => jsonResponse(200, ACCOUNT_BODY));
    expect(await verify()).toMatchObject({ ok: true });
    expect(fetchCall(fetchSpy).init.headers).toMatchObject({ Authorization: `Bearer ${ACCESS_TOKEN}` });
  });

  it('refuses a profile whose hosts await review (vault sealed before they were), and sends nothing', async () => {
    // What a vault sealed by an older version gives after the clear copy's host was edited (hardening.test.ts).
    await seedWithToken();
    expect(await send('setPassphrase', { passphrase: PASSPHRASE })).toEqual({ ok: true });
    await storeLegacyVaultEdited({ apiHost: 'https://attacker.example' });
    const fetchSpy = stubFetch(() => jsonResponse(200, ACCOUNT_BODY));
    const reply = refusal(await verify());
    expect(reply).toMatchObject({ ok: false, reason: 'needs_review' });
    expect(reply.message).toMatch(/nothing is sent/);
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(await lastVerify()).toBeUndefined();
  });

  it('refuses without host access to the API host, and names it', async () => {
    await seedWithToken();
    spyOnPermissions('contains').mockResolvedValue(false);
    const fetchSpy = stubFetch(() => jsonResponse(200, ACCOUNT_BODY));
    const reply = refusal(await verify());
    expect(reply).toMatchObject({ ok: false, reason: 'permission' });
    expect(reply.message).toContain('api.hellosign.com');
    expect(reply.message).toMatch(/nothing was sent/);
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(await lastVerify()).toBeUndefined();
  });

  it('refuses when the permission check itself fails', async () => {
    await seedWithToken();
    spyOnPermissions('contains').mockRejectedValue(new Error('permissions.contains is not available'));
    const fetchSpy = stubFetch(() => jsonResponse(200, ACCOUNT_BODY));
    expect(await verify()).toMatchObject({ ok: false, reason: 'permission' });
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});

describe('verifyToken: a redirect from the API host', () => {
  it('is not followed: one request, the token not sent on, and says so with the Location', async () => {
    await seedWithToken();
    const fetchSpy = stubFetch(
      () =>
        new Response(null, { status: 302, headers: { Location: 'https://elsewhere.example/v3/account' } }),
    );
    const reply = refusal(await verify());
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    expect(fetchCall(fetchSpy).url).toBe(ACCOUNT_URL);
    expect(fetchCall(fetchSpy).init.redirect).toBe('manual');
    expect(reply).toMatchObject({ ok: false, reason: 'redirect' });
    expect(reply.message).toContain('https://elsewhere.example/v3/account');
    expect(reply.message).toMatch(/not followed/);
  });

  it('is refused when the browser hides it (an opaque redirect)', async () => {
    await seedWithToken();
    const fetchSpy = stubFetch(() => responseWith({ type: 'opaqueredirect' }, { status: 200 }));
    const reply = refusal(await verify());
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    expect(reply).toMatchObject({ ok: false, reason: 'redirect' });
    expect(reply.message).toMatch(/not followed/);
  });

  it('is refused when a browser followed it anyway: the answer of another URL is not read', async () => {
    await seedWithToken();
    stubFetch(() =>
      responseWith(
        { redirected: true, url: 'https://elsewhere.example/v3/account' },
        { status: 200, headers: { 'Content-Type': 'application/json' } },
      ),
    );
    const reply = refusal(await verify());
    expect(reply).toMatchObject({ ok: false, reason: 'redirect' });
    expect(reply.message).toContain('https://elsewhere.example/v3/account');
  });

  it('is recorded with the refusal as the error and no response', async () => {
    await seedWithToken();
    stubFetch(() => new Response(null, { status: 307, headers: { Location: 'http://plain.example/' } }));
    const reply = refusal(await verify());
    const recorded = await lastVerify();
    expect(recorded).toMatchObject({ kind: 'verify', error: reply.message });
    expect(recorded).not.toHaveProperty('response');
  });
});

describe('verifyToken: no answer', () => {
  it('is a network failure when fetch rejects, naming the API host', async () => {
    await seedWithToken();
    stubFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    const reply = refusal(await verify());
    expect(reply).toMatchObject({ ok: false, reason: 'network' });
    expect(reply.message).toContain('api.hellosign.com');
    expect(reply).not.toHaveProperty('status');
    expect(await lastVerify()).toMatchObject({ kind: 'verify', error: reply.message });
    expect(await lastVerify()).not.toHaveProperty('response');
  });

  it('is a timeout when the request is aborted by its timeout signal', async () => {
    await seedWithToken();
    stubFetch(() => {
      throw new DOMException('The operation timed out.', 'TimeoutError');
    });
    const reply = refusal(await verify());
    expect(reply).toMatchObject({ ok: false, reason: 'timeout' });
    expect(await lastVerify()).toMatchObject({ error: reply.message });
  });

  it('is a permission refusal when access to the API host is revoked while the request runs', async () => {
    await seedWithToken();
    const contains = spyOnPermissions('contains').mockResolvedValue(true);
    stubFetch(() => {
      // What a revoke in the middle looks like: the request fails like any network error.
      contains.mockResolvedValue(false);
      throw new TypeError('Failed to fetch');
    });
    const reply = refusal(await verify());
    expect(reply).toMatchObject({ ok: false, reason: 'permission' });
    expect(reply.message).toContain('api.hellosign.com');
  });

  // The request went to the API host: a message sending the user to the OAuth host misleads them.
  it('tells the user to check the API host, not the OAuth host, when the API host cannot be reached', async () => {
    await seedWithToken();
    stubFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    const { message } = refusal(await verify());
    expect(message).not.toMatch(/OAuth/);
    expect(message).toMatch(/API host/);
  });

  it('says the API server, not the OAuth server, did not answer in time', async () => {
    await seedWithToken();
    stubFetch(() => {
      throw new DOMException('The operation timed out.', 'TimeoutError');
    });
    const { message } = refusal(await verify());
    expect(message).not.toMatch(/OAuth/);
  });
});

describe('verifyToken: the recorded exchange', () => {
  it('holds the whole request and response, token and headers included, with the time it took', async () => {
    await seedWithToken();
    const body = JSON.stringify(ACCOUNT_BODY);
    stubFetch(
      () =>
        new Response(body, {
          status: 200,
          headers: { 'Content-Type': 'application/json', 'X-RateLimit-Remaining': '99' },
        }),
    );
    await verify();
    const recorded = await lastVerify();
    expect(recorded).toEqual({
      kind: 'verify',
      at: NOW,
      request: {
        method: 'GET',
        url: ACCOUNT_URL,
        headers: [
          ['Authorization', `Bearer ${ACCESS_TOKEN}`],
          ['Accept', 'application/json'],
        ],
      },
      response: {
        status: 200,
        headers: expect.arrayContaining([
          ['content-type', 'application/json'],
          ['x-ratelimit-remaining', '99'],
        ]) as unknown,
        body,
        ms: expect.any(Number) as unknown,
      },
    });
    expect(recorded?.response?.ms).toBeGreaterThanOrEqual(0);
  });

  it('records a refused answer (401) whole too', async () => {
    await seedWithToken();
    const body = JSON.stringify({ error: { error_msg: 'Unauthorized', error_name: 'unauthorized' } });
    stubFetch(() => new Response(body, { status: 401 }));
    await verify();
    expect(await lastVerify()).toMatchObject({ response: { status: 401, body } });
    expect(await lastVerify()).not.toHaveProperty('error');
  });

  it('is in storage.session before the reply is given', async () => {
    await seedWithToken();
    stubFetch(() => jsonResponse(200, ACCOUNT_BODY));
    const events: string[] = [];
    const session = fakeBrowser.storage.session as unknown as {
      set: (items: Record<string, unknown>) => Promise<void>;
    };
    const original = session.set.bind(session);
    vi.spyOn(session, 'set').mockImplementation(async (items) => {
      await original(items);
      events.push(`wrote ${Object.keys(items).join(',')}`);
    });
    await verify().then(() => events.push('reply'));
    expect(events).toEqual([`wrote ${LAST_EXCHANGE_KEY_PREFIX}p-1`, 'reply']);
  });

  it('replaces the last verify call, and keeps the profile’s last refresh beside it', async () => {
    await seedWithToken();
    stubFetch(() => tokenResponse());
    expect(await send('refresh', { profileId: 'p-1' })).toMatchObject({ ok: true });
    stubFetch(() => jsonResponse(401, {}));
    await verify();
    stubFetch(() => jsonResponse(200, ACCOUNT_BODY));
    await verify();
    const exchanges = await readLastExchanges('p-1');
    expect(exchanges.refresh?.kind).toBe('refresh');
    expect(exchanges.verify?.response?.status).toBe(200);
  });

  it('is kept per profile', async () => {
    await seedData([storedProfile({ id: 'p-1' }), storedProfile({ id: 'p-2', name: 'Other' })], {
      'p-1': TOKEN,
      'p-2': { ...TOKEN, accessToken: 'the-other-access-token' },
    });
    stubFetch(() => jsonResponse(200, ACCOUNT_BODY));
    await verify('p-2');
    expect(await lastVerify('p-1')).toBeUndefined();
    expect((await lastVerify('p-2'))?.request.headers).toContainEqual([
      'Authorization',
      'Bearer the-other-access-token',
    ]);
  });

  it('never reaches storage.local: the record holds the token in clear', async () => {
    await seedWithToken();
    stubFetch(() => jsonResponse(200, ACCOUNT_BODY));
    await verify();
    expect(await storedJson()).not.toContain(LAST_EXCHANGE_KEY_PREFIX);
    for (const secret of [CLIENT_SECRET, REFRESH_TOKEN]) {
      expect(JSON.stringify(await lastVerify())).not.toContain(secret);
    }
  });
});
