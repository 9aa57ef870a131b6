import { fakeBrowser } from '@webext-core/fake-browser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { basicAuthorization } from '../core/refresh-request';
import type { RefreshReply } from '../core/protocol';
import type { ClientAuthMode } from '../core/profile';
import type { ProfilePart } from '../core/stored-data';
import { HISTORY_KEY_PREFIX, IN_FLIGHT_KEY, PROFILE_KEY_PREFIX } from '../platform/storage-keys';
import {
  ACCESS_TOKEN,
  CLIENT_ID,
  CLIENT_SECRET,
  deferred,
  fetchCall,
  jsonResponse,
  profileInput,
  REFRESH_TOKEN,
  seedData,
  seedInFlight,
  send,
  sentJson,
  spyOnLocalSet,
  spyOnPermissions,
  storedData,
  storedInFlight,
  storedProfile,
  stubFetch,
  TOKEN_URL,
  tokenResponse,
} from '../test-support/worker';
import { REFRESH_TIMEOUT_SECONDS } from './refresh';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const ROTATED = 'rotated-refresh-token-0123456789';

let recoverInterruptedRefreshes: () => Promise<void>;

// A fresh worker per test: the single-flight map and the recovery promise are module state, and a test that
// fails with a request still pending must not leave it for the next one to join.
beforeEach(async () => {
  vi.resetModules();
  const [{ listenForMessages }, { handlers }, refreshModule] = await Promise.all([
    import('../platform/message-listener'),
    import('./handlers'),
    import('./refresh'),
  ]);
  listenForMessages(handlers);
  recoverInterruptedRefreshes = refreshModule.recoverInterruptedRefreshes;
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});

afterEach(() => {
  vi.useRealTimers();
});

const refresh = (profileId = 'p-1') => send('refresh', { profileId });

/** Grants host access in the fake browser, which has no `permissions` of its own. */
function hostAccess(granted: boolean) {
  return spyOnPermissions('contains').mockResolvedValue(granted);
}

describe('the request', () => {
  it('POSTs JSON to exactly https://app.hellosign.com/oauth/token?refresh, without cookies or cache', async () => {
    await seedData();
    const fetchSpy = stubFetch(() => tokenResponse());
    await refresh();
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    const { url, init } = fetchCall(fetchSpy);
    expect(url).toBe(TOKEN_URL);
    expect(init.method).toBe('POST');
    expect(init.credentials).toBe('omit');
    expect(init.cache).toBe('no-store');
    expect(init.signal).toBeInstanceOf(AbortSignal);
    expect(init.headers).toMatchObject({ 'Content-Type': 'application/json', Accept: 'application/json' });
  });

  it.each<[ClientAuthMode, Record<string, string>, boolean]>([
    [
      'body',
      {
        grant_type: 'refresh_token',
        refresh_token: REFRESH_TOKEN,
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
      },
      false,
    ],
    ['basic', { grant_type: 'refresh_token', refresh_token: REFRESH_TOKEN }, true],
    [
      'both',
      {
        grant_type: 'refresh_token',
        refresh_token: REFRESH_TOKEN,
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
      },
      true,
    ],
  ])(
    'with client authentication "%s" sends the body and Authorization header that mode calls for',
    async (mode, body, basic) => {
      await seedData([storedProfile({ clientAuth: mode })]);
      const fetchSpy = stubFetch(() => tokenResponse());
      await refresh();
      const { init } = fetchCall(fetchSpy);
      expect(sentJson(fetchSpy)).toEqual(body);
      const headers = init.headers as Record<string, string>;
      if (basic) expect(headers.Authorization).toBe(basicAuthorization(CLIENT_ID, CLIENT_SECRET));
      else expect(headers).not.toHaveProperty('Authorization');
    },
  );

  it('sends to the profile’s own OAuth host, e.g. a local test server', async () => {
    await seedData([storedProfile({ oauthHost: 'http://127.0.0.1:8443' })]);
    const fetchSpy = stubFetch(() => tokenResponse());
    await refresh();
    expect(fetchCall(fetchSpy).url).toBe('http://127.0.0.1:8443/oauth/token?refresh');
  });
});

describe('a successful refresh', () => {
  it('stores the access token, its expiry from expires_in and the rotated refresh token', async () => {
    await seedData();
    stubFetch(() => tokenResponse({ expires_in: 3600, refresh_token: ROTATED }));
    const reply = await refresh();
    const expected = {
      accessToken: ACCESS_TOKEN,
      tokenType: 'Bearer',
      receivedAt: NOW,
      expiresAt: NOW + 3600 * 1000,
      lastAttemptAt: NOW,
    };
    expect(reply).toMatchObject({ ok: true, token: expected });
    const data = await storedData();
    expect(data?.tokens['p-1']).toMatchObject(expected);
    expect(data?.tokens['p-1']).toEqual(reply.token);
    expect(data?.tokens['p-1']).not.toHaveProperty('expiryNote');
    expect(data?.tokens['p-1']).not.toHaveProperty('lastError');
    expect(data?.profiles).toEqual([storedProfile({ refreshToken: ROTATED })]);
  });

  it('writes token and rotated refresh token in one storage write, finished before the reply is given', async () => {
    await seedData();
    stubFetch(() => tokenResponse({ refresh_token: ROTATED }));
    const events: string[] = [];
    const local = fakeBrowser.storage.local;
    const original = local.set.bind(local);
    const set = spyOnLocalSet().mockImplementation(async (items) => {
      await original(items);
      events.push(`wrote ${Object.keys(items).join(',')}`);
    });
    await refresh().then(() => events.push('reply'));
    // The in-flight mark before the request; the answer and the end of the mark in one write, before the reply.
    // The answer is the profile's own part (the index, unchanged, is not written again), and the history
    // line (apart, per profile) is in that same write.
    expect(events).toEqual([
      `wrote ${IN_FLIGHT_KEY}`,
      `wrote ${IN_FLIGHT_KEY},${HISTORY_KEY_PREFIX}p-1,${PROFILE_KEY_PREFIX}p-1`,
      'reply',
    ]);
    expect(set.mock.calls.map(([items]) => items[IN_FLIGHT_KEY])).toEqual([
      { 'p-1': { startedAt: NOW } },
      {},
    ]);
    const written = set.mock.calls
      .map(([items]) => items)
      .find((items) => `${PROFILE_KEY_PREFIX}p-1` in items)?.[`${PROFILE_KEY_PREFIX}p-1`] as ProfilePart;
    expect(written.token).toMatchObject({
      accessToken: ACCESS_TOKEN,
      expiresAt: NOW + 86400 * 1000,
    });
    expect(written.profile).toEqual(storedProfile({ refreshToken: ROTATED }));
  });

  it('has the new token in storage at the moment the reply resolves', async () => {
    await seedData();
    stubFetch(() => tokenResponse({ refresh_token: ROTATED }));
    // `get` reads the fake's memory when called, i.e. right as the reply resolves.
    const atReply = await refresh().then(() => storedData());
    expect(atReply?.tokens['p-1']?.accessToken).toBe(ACCESS_TOKEN);
    expect(atReply?.profiles[0]?.refreshToken).toBe(ROTATED);
  });

  it('keeps the stored refresh token when the answer carries none', async () => {
    await seedData();
    stubFetch(() =>
      jsonResponse(200, { access_token: ACCESS_TOKEN, expires_in: 3600, token_type: 'Bearer' }),
    );
    const reply = await refresh();
    expect(reply.ok).toBe(true);
    expect((await storedData())?.profiles[0]?.refreshToken).toBe(REFRESH_TOKEN);
  });

  it('clears the last error and replaces the previous token', async () => {
    await seedData([storedProfile()], {
      'p-1': {
        accessToken: 'old',
        receivedAt: 1,
        expiresAt: 2,
        lastError: { kind: 'network', title: 't', action: 'a', at: 1 },
      },
    });
    stubFetch(() => tokenResponse());
    await refresh();
    const token = (await storedData())?.tokens['p-1'];
    expect(token?.accessToken).toBe(ACCESS_TOKEN);
    expect(token).not.toHaveProperty('lastError');
  });

  it('stores no secret in the token state, whatever it records about the attempt', async () => {
    await seedData();
    stubFetch(() => tokenResponse({ refresh_token: ROTATED }));
    const reply = await refresh();
    const text = JSON.stringify([reply, (await storedData())?.tokens]);
    for (const secret of [CLIENT_SECRET, REFRESH_TOKEN, ROTATED]) expect(text).not.toContain(secret);
  });

  it('leaves no in-flight mark behind', async () => {
    await seedData();
    stubFetch(() => tokenResponse());
    await refresh();
    expect(await storedInFlight()).toEqual({});
  });
});

describe('a failed refresh', () => {
  const lastGood = {
    accessToken: 'last-good-access',
    tokenType: 'Bearer',
    receivedAt: NOW - 1000,
    expiresAt: NOW + 1000,
  };

  it('keeps the credentials and the last good access token, and records the error', async () => {
    await seedData([storedProfile()], { 'p-1': lastGood });
    stubFetch(() =>
      jsonResponse(400, { error: 'invalid_grant', error_description: 'Invalid refresh token' }),
    );
    const reply = await refresh();
    expect(reply).toMatchObject({ ok: false, failure: { kind: 'invalid_grant', status: 400, at: NOW } });
    const data = await storedData();
    expect(data?.profiles).toEqual([storedProfile()]);
    expect(data?.tokens['p-1']).toMatchObject({ ...lastGood, lastAttemptAt: NOW });
    expect(data?.tokens['p-1']?.lastError).toEqual(reply.ok ? undefined : reply.failure);
    expect(reply.token).toEqual(data?.tokens['p-1']);
    expect(await storedInFlight()).toEqual({});
  });

  it('still stores a refresh token that came back in a 200 without an access token', async () => {
    await seedData([storedProfile()], { 'p-1': lastGood });
    stubFetch(() => jsonResponse(200, { refresh_token: ROTATED, token_type: 'Bearer' }));
    const reply = await refresh();
    expect(reply).toMatchObject({ ok: false, failure: { kind: 'missing_access_token' } });
    const data = await storedData();
    expect(data?.profiles).toEqual([storedProfile({ refreshToken: ROTATED })]);
    expect(data?.tokens['p-1']).toMatchObject({ ...lastGood, lastError: { kind: 'missing_access_token' } });
  });

  it('says so without sending anything when the profile is not saved', async () => {
    await seedData();
    const fetchSpy = stubFetch(() => tokenResponse());
    const reply = await refresh('p-unknown');
    expect(reply).toMatchObject({ ok: false, failure: { kind: 'unknown_profile' }, token: {} });
    expect(fetchSpy).not.toHaveBeenCalled();
    expect((await storedData())?.tokens).toEqual({});
  });

  it('says so without sending anything when the profile has no refresh token', async () => {
    await seedData([storedProfile({ refreshToken: '' })]);
    const fetchSpy = stubFetch(() => tokenResponse());
    const reply = await refresh();
    expect(reply).toMatchObject({ ok: false, failure: { kind: 'no_refresh_token' } });
    expect(fetchSpy).not.toHaveBeenCalled();
    expect((await storedData())?.tokens['p-1']?.lastError?.kind).toBe('no_refresh_token');
  });

  it('is a timeout when the request is aborted by its timeout signal', async () => {
    await seedData([storedProfile()], { 'p-1': lastGood });
    stubFetch(() => {
      throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    });
    const reply = await refresh();
    expect(reply).toMatchObject({
      ok: false,
      failure: {
        kind: 'timeout',
        title: `The OAuth server did not answer within ${REFRESH_TIMEOUT_SECONDS} seconds`,
      },
    });
    expect((await storedData())?.tokens['p-1']).toMatchObject({
      ...lastGood,
      lastError: { kind: 'timeout' },
    });
    expect(await storedInFlight()).toEqual({});
  });

  it(`gives the request a ${REFRESH_TIMEOUT_SECONDS} s timeout signal that ends a fetch still waiting`, async () => {
    await seedData();
    const controller = new AbortController();
    const timeout = vi.spyOn(AbortSignal, 'timeout').mockReturnValue(controller.signal);
    const started = deferred<undefined>();
    stubFetch(
      (_url, init) =>
        new Promise<Response>((_resolve, reject) => {
          // As fetch does: it rejects with the signal's reason, here the DOMException this test aborts with.
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason as DOMException));
          started.resolve(undefined);
        }),
    );
    const reply = refresh();
    await started.promise;
    expect(timeout).toHaveBeenCalledWith(REFRESH_TIMEOUT_SECONDS * 1000);
    controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    expect(await reply).toMatchObject({ ok: false, failure: { kind: 'timeout' } });
  });

  it('is a network failure when fetch rejects and the host is allowed', async () => {
    await seedData([storedProfile()], { 'p-1': lastGood });
    const contains = hostAccess(true);
    stubFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    const reply = await refresh();
    expect(reply).toMatchObject({
      ok: false,
      failure: { kind: 'network', title: 'Could not reach app.hellosign.com' },
    });
    expect(contains).toHaveBeenCalledWith({ origins: ['https://app.hellosign.com/*'] });
    expect((await storedData())?.tokens['p-1']).toMatchObject({
      ...lastGood,
      lastError: { kind: 'network' },
    });
  });

  it('sends nothing when the extension has no access to the host, and says so', async () => {
    await seedData();
    hostAccess(false);
    const fetchSpy = stubFetch(() => tokenResponse());
    const reply = await refresh();
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(reply).toMatchObject({
      ok: false,
      failure: {
        kind: 'permission',
        title: 'The extension has no access to app.hellosign.com; nothing was sent',
      },
    });
    expect((await storedData())?.profiles[0]?.refreshToken).toBe(REFRESH_TOKEN);
    expect(await storedInFlight()).toEqual({});
  });

  it('is a permission failure when access is revoked while the request runs', async () => {
    await seedData();
    hostAccess(true).mockResolvedValueOnce(true).mockResolvedValue(false);
    stubFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    const reply = await refresh();
    expect(reply).toMatchObject({ ok: false, failure: { kind: 'permission' } });
    expect(await storedInFlight()).toEqual({});
  });

  it('sends nothing when the permission check itself fails', async () => {
    await seedData();
    spyOnPermissions('contains').mockImplementation(() => {
      throw new Error('permissions.contains is not available');
    });
    const fetchSpy = stubFetch(() => tokenResponse());
    const reply = await refresh();
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(reply).toMatchObject({ ok: false, failure: { kind: 'permission' } });
    expect(await storedInFlight()).toEqual({});
  });
});

describe('a redirect from the OAuth host', () => {
  /** What `fetch(…, { redirect: 'manual' })` gives in a browser: an opaque redirect, its target hidden. */
  function opaqueRedirect(): Response {
    const response = new Response(null, { status: 200 });
    Object.defineProperties(response, {
      type: { value: 'opaqueredirect' },
      status: { value: 0 },
      url: { value: TOKEN_URL },
    });
    return response;
  }

  function followedTo(url: string): Response {
    const response = tokenResponse({ access_token: 'from-elsewhere', refresh_token: 'planted-refresh' });
    Object.defineProperties(response, { redirected: { value: true }, url: { value: url } });
    return response;
  }

  it('is never followed: the request asks for manual redirects', async () => {
    await seedData();
    const fetchSpy = stubFetch(() => tokenResponse());
    await refresh();
    expect(fetchCall(fetchSpy).init.redirect).toBe('manual');
  });

  it.each([
    ['an opaque redirect (the browser refused to follow it)', () => opaqueRedirect(), undefined],
    [
      'an answer that was followed to another URL',
      () => followedTo('http://attacker.example/steal'),
      'http://attacker.example/steal',
    ],
    [
      'a 307 with a Location (as Node answers manual redirects)',
      () => new Response(null, { status: 307, headers: { Location: 'http://attacker.example/' } }),
      'http://attacker.example/',
    ],
  ])(
    '%s is refused, stores nothing it brought, and keeps every credential',
    async (_what, answer, location) => {
      await seedData([storedProfile()], {
        'p-1': { accessToken: ACCESS_TOKEN, tokenType: 'Bearer', receivedAt: 1 },
      });
      const fetchSpy = stubFetch(() => answer());
      const reply = await refresh();
      expect(fetchSpy).toHaveBeenCalledTimes(1);
      expect(reply).toMatchObject({ ok: false, failure: { kind: 'redirect' } });
      if (!reply.ok) {
        expect(reply.failure.title).toMatch(/^The OAuth host answered with a redirect/);
        if (location) expect(reply.failure.title).toContain(location);
      }
      const stored = await storedData();
      expect(stored?.profiles[0]).toEqual(storedProfile());
      expect(stored?.tokens['p-1']?.accessToken).toBe(ACCESS_TOKEN);
      expect(JSON.stringify(stored)).not.toContain('planted-refresh');
      expect(JSON.stringify(stored)).not.toContain('from-elsewhere');
    },
  );
});

describe('a refresh token saved while a refresh is in flight', () => {
  it('is kept over the rotated one the refresh brings back', async () => {
    await seedData();
    const answer = deferred<Response>();
    const started = deferred<undefined>();
    stubFetch(() => {
      started.resolve(undefined);
      return answer.promise;
    });
    const reply = refresh();
    await started.promise;
    const saved = await send('saveProfile', {
      profile: profileInput({ id: 'p-1', refreshToken: 'typed-by-the-user' }),
    });
    expect(saved.ok).toBe(true);
    answer.resolve(tokenResponse({ refresh_token: ROTATED }));
    expect((await reply).ok).toBe(true);
    const data = await storedData();
    expect(data?.profiles[0]?.refreshToken).toBe('typed-by-the-user');
    expect(data?.tokens['p-1']?.accessToken).toBe(ACCESS_TOKEN);
  });
});

describe('single flight', () => {
  it('sends one request for many concurrent refreshes of a profile, and all get the same reply', async () => {
    await seedData();
    const answer = deferred<Response>();
    const fetchSpy = stubFetch(() => answer.promise);
    const replies = Array.from({ length: 5 }, () => refresh());
    await vi.waitFor(() => expect(fetchSpy).toHaveBeenCalled());
    answer.resolve(tokenResponse({ refresh_token: ROTATED }));
    const settled = await Promise.all(replies);
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    expect(settled[0]?.ok).toBe(true);
    for (const reply of settled) expect(reply).toBe(settled[0]);
    expect((await storedData())?.profiles[0]?.refreshToken).toBe(ROTATED);
  });

  it('joins a caller that arrives while the request is already on the wire', async () => {
    await seedData();
    const answer = deferred<Response>();
    const fetchSpy = stubFetch(() => answer.promise);
    const first = refresh();
    await vi.waitFor(() => expect(fetchSpy).toHaveBeenCalled());
    const second = refresh();
    answer.resolve(tokenResponse());
    expect(await second).toBe(await first);
    expect(fetchSpy).toHaveBeenCalledTimes(1);
  });

  it('sends a new request, with the rotated refresh token, for a refresh after the last one finished', async () => {
    await seedData();
    const fetchSpy = stubFetch(() => tokenResponse({ refresh_token: ROTATED }));
    await refresh();
    await refresh();
    expect(fetchSpy).toHaveBeenCalledTimes(2);
    expect(sentJson(fetchSpy, 1)).toMatchObject({ refresh_token: ROTATED });
  });

  it('sends a new request after a failed one', async () => {
    await seedData();
    const fetchSpy = stubFetch(() => jsonResponse(500, { error: 'server_error' }));
    await refresh();
    await refresh();
    expect(fetchSpy).toHaveBeenCalledTimes(2);
  });

  it('refreshes two profiles independently, and clears both in-flight marks', async () => {
    await seedData([
      storedProfile({ id: 'p-1' }),
      storedProfile({ id: 'p-2', refreshToken: 'second-refresh-token' }),
    ]);
    const fetchSpy = stubFetch(() => tokenResponse());
    const replies: RefreshReply[] = await Promise.all([refresh('p-1'), refresh('p-2')]);
    expect(replies.map((r) => r.ok)).toEqual([true, true]);
    expect(fetchSpy).toHaveBeenCalledTimes(2);
    expect(await storedInFlight()).toEqual({});
    expect(Object.keys((await storedData())?.tokens ?? {}).sort()).toEqual(['p-1', 'p-2']);
  });

  it('marks both profiles in flight while two refreshes run at once', async () => {
    await seedData([
      storedProfile({ id: 'p-1' }),
      storedProfile({ id: 'p-2', refreshToken: 'second-refresh-token' }),
    ]);
    const answer = deferred<Response>();
    const fetchSpy = stubFetch(() => answer.promise);
    const replies = Promise.all([refresh('p-1'), refresh('p-2')]);
    await vi.waitFor(() => expect(fetchSpy).toHaveBeenCalledTimes(2));
    expect(Object.keys((await storedInFlight()) as object).sort()).toEqual(['p-1', 'p-2']);
    answer.resolve(tokenResponse());
    await replies;
  });
});

describe('recovery of interrupted refreshes', () => {
  it('records an interrupted error on a profile left in flight, clears the mark, and keeps the credentials', async () => {
    const lastGood = { accessToken: 'last-good-access', receivedAt: NOW - 5000, expiresAt: NOW + 5000 };
    await seedData([storedProfile({ id: 'p-1' }), storedProfile({ id: 'p-2' })], { 'p-1': lastGood });
    await seedInFlight({ 'p-1': { startedAt: NOW - 60_000 } });
    await recoverInterruptedRefreshes();
    const data = await storedData();
    expect(data?.tokens['p-1']).toEqual({
      ...lastGood,
      lastError: expect.objectContaining({ kind: 'interrupted', at: NOW }) as unknown,
      lastAttemptAt: NOW,
    });
    expect(data?.tokens['p-1']?.accessToken).toBe('last-good-access');
    expect(data?.tokens['p-2']).toBeUndefined();
    expect(data?.profiles).toEqual([storedProfile({ id: 'p-1' }), storedProfile({ id: 'p-2' })]);
    expect(await storedInFlight()).toEqual({});
  });

  it('ignores a mark for a profile that is no longer saved, and clears it', async () => {
    await seedData();
    await seedInFlight({ 'p-gone': { startedAt: NOW } });
    await recoverInterruptedRefreshes();
    expect((await storedData())?.tokens).toEqual({});
    expect(await storedInFlight()).toEqual({});
  });

  it('writes nothing when no refresh was left in flight', async () => {
    await seedData();
    const set = vi.spyOn(fakeBrowser.storage.local, 'set');
    await recoverInterruptedRefreshes();
    expect(set).not.toHaveBeenCalled();
  });

  it('finishes before a refresh asked for meanwhile marks itself in flight', async () => {
    await seedData();
    await seedInFlight({ 'p-1': { startedAt: NOW - 60_000 } });
    stubFetch(() => tokenResponse());
    const recovered = recoverInterruptedRefreshes();
    const reply = await refresh();
    await recovered;
    // The refresh's own success replaced the interrupted error instead of being taken for the old one.
    expect(reply.ok).toBe(true);
    expect((await storedData())?.tokens['p-1']).not.toHaveProperty('lastError');
    expect(await storedInFlight()).toEqual({});
  });

  it('makes the snapshot wait for it', async () => {
    await seedData();
    await seedInFlight({ 'p-1': { startedAt: NOW - 60_000 } });
    void recoverInterruptedRefreshes();
    const snapshot = await send('getSnapshot', {});
    expect(snapshot.tokens['p-1']?.lastError?.kind).toBe('interrupted');
    expect(snapshot.refreshing).toEqual([]);
  });
});
