import { fakeBrowser } from '@webext-core/fake-browser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HISTORY_LIMIT, type HistoryEntry } from '../core/history';
import type { HistoryReply } from '../core/protocol';
import {
  CURRENT_SCHEMA_VERSION,
  type StoredData,
  type VaultBlob,
  type VaultSecrets,
} from '../core/stored-data';
import { deriveKeyBytes, seal } from '../core/vault-crypto';
import type { TokenState } from '../core/token-state';
import { readLastExchanges } from '../platform/exchange-read';
import {
  DATA_KEY,
  HISTORY_KEY_PREFIX,
  IN_FLIGHT_KEY,
  LAST_EXCHANGE_KEY_PREFIX,
  PROFILE_KEY_PREFIX,
} from '../platform/storage-keys';
import {
  ACCESS_TOKEN,
  CLIENT_ID,
  CLIENT_SECRET,
  deferred,
  jsonResponse,
  openStoredHistory,
  openStoredVault,
  REFRESH_TOKEN,
  seedData,
  send,
  spyOnLocalSet,
  spyOnPermissions,
  storedData,
  withStoredHistories,
  storedJson,
  storedProfile,
  storedVault,
  stubFetch,
  TOKEN_URL,
  tokenResponse,
} from '../test-support/worker';

/** PBKDF2 at its real cost is not what these tests are about (the vault ones set a passphrase). */
vi.mock('../core/vault-crypto', async (importOriginal) =>
  (await import('../test-support/fast-vault-crypto')).fastVaultCrypto(
    await importOriginal<typeof import('../core/vault-crypto')>(),
  ),
);

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const PASSPHRASE = 'correct horse battery staple';
const ROTATED = 'rotated-refresh-token-0123456789';
/** Where the browser's authorization window ends (`identity.getRedirectURL()`), as Chrome names it. */
const CALLBACK = 'https://abc.chromiumapp.org/';
const CODE = 'c2lnbi1hdXRob3JpemF0aW9uLWNvZGUtMDEyMzQ1';
const EXCHANGE_URL = 'https://app.hellosign.com/oauth/token';
const NEW_ACCESS = 'bmV3LWFjY2Vzcy10b2tlbi1mcm9tLXRoZS1jb2RlLWV4Y2hhbmdlQk9C';
const TOKEN: TokenState = {
  accessToken: ACCESS_TOKEN,
  tokenType: 'Bearer',
  receivedAt: NOW - 60_000,
  expiresAt: NOW + 3_600_000,
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
  vi.spyOn(fakeBrowser.identity, 'getRedirectURL').mockReturnValue(CALLBACK);
});

afterEach(() => {
  vi.useRealTimers();
});

/** `storage.*.set` in its promise form (the browser types' callback overload would be picked otherwise). */
type StorageSet = (items: Record<string, unknown>) => Promise<void>;

const refresh = (profileId = 'p-1') => send('refresh', { profileId });

/** Two profiles (p-1, p-2), the vault on if asked, each refreshed once: each then has an exchange and a line. */
async function twoProfilesRefreshed(options: { passphrase?: boolean } = {}): Promise<void> {
  await seedData([storedProfile({ id: 'p-1' }), storedProfile({ id: 'p-2', name: 'Other' })]);
  if (options.passphrase) await setPassphrase();
  stubFetch(() => tokenResponse());
  await refresh('p-1');
  await refresh('p-2');
}
const getHistory = (profileId = 'p-1') => send('getHistory', { profileId });
const clearHistory = (profileId = 'p-1') => send('clearHistory', { profileId });
const setPassphrase = () => send('setPassphrase', { passphrase: PASSPHRASE });
const lock = () => send('lockVault', {});
const unlock = () => send('unlockVault', { passphrase: PASSPHRASE });

function historyOf(reply: HistoryReply): HistoryEntry[] {
  if (!reply.ok) throw new Error(`expected the history, got the problem “${reply.problem}”`);
  return reply.history;
}

/** The profile's history as stored in clear (no vault). */
async function storedHistory(profileId = 'p-1'): Promise<HistoryEntry[] | undefined> {
  return (await storedData())?.history?.[profileId];
}

/** Stores `history` beside the seeded document, as an earlier session would have written it (no vault). */
async function seedHistory(history: Record<string, HistoryEntry[]>): Promise<void> {
  await fakeBrowser.storage.local.set(
    Object.fromEntries(Object.entries(history).map(([id, entries]) => [HISTORY_KEY_PREFIX + id, entries])),
  );
}

/** The seeded document rewritten as schema 2 stored it, whole under one key, with `history` inside it. */
async function seedSchema2WithHistory(history: Record<string, HistoryEntry[]>): Promise<void> {
  const doc = await storedData();
  const partKeys = Object.keys(await fakeBrowser.storage.local.get(null)).filter((key) =>
    key.startsWith(PROFILE_KEY_PREFIX),
  );
  await fakeBrowser.storage.local.remove(partKeys);
  await fakeBrowser.storage.local.set({ [DATA_KEY]: { ...doc, schemaVersion: 2, history } });
}

/** Every `lastExchange:` key in `storage.session`. */
async function exchangeKeys(): Promise<string[]> {
  return Object.keys(await fakeBrowser.storage.session.get(null)).filter((key) =>
    key.startsWith(LAST_EXCHANGE_KEY_PREFIX),
  );
}

/** The stored documents written since `set` started spying, in order. */
/** Each write of the document, with the histories written in the same `set` as its `history`. */
/** Each write of a profile's part: the parts and the histories it wrote, read as one document. */
function dataWrites(set: ReturnType<typeof spyOnLocalSet>): StoredData[] {
  return set.mock.calls.flatMap(([items]) => {
    const ids = Object.keys(items)
      .filter((key) => key.startsWith(PROFILE_KEY_PREFIX))
      .map((key) => key.slice(PROFILE_KEY_PREFIX.length));
    if (ids.length === 0) return [];
    const index = { schemaVersion: CURRENT_SCHEMA_VERSION, activeProfileId: ids[0], profiles: ids };
    const doc = withStoredHistories({ ...items, [DATA_KEY]: index });
    return doc ? [doc] : [];
  });
}

function oldEntry(i: number): HistoryEntry {
  return {
    at: NOW - (i + 1) * 3_600_000,
    kind: 'automatic',
    ok: true,
    status: 200,
    outcome: 'New token',
    expiresIn: 3600,
    refreshTokenChanged: false,
    accessTokenEnd: `o${String(i).padStart(3, '0')}`,
  };
}

describe('a refresh records its exchange', () => {
  it('whole and unmasked: the request with its secrets, the response with headers, body and time', async () => {
    await seedData();
    const answer = JSON.stringify({
      access_token: ACCESS_TOKEN,
      expires_in: 3600,
      refresh_token: ROTATED,
      token_type: 'Bearer',
    });
    stubFetch(() => new Response(answer, { status: 200, headers: { 'Content-Type': 'application/json' } }));
    await refresh();
    const recorded = (await readLastExchanges('p-1')).refresh;
    expect(recorded).toEqual({
      kind: 'refresh',
      at: NOW,
      request: {
        method: 'POST',
        url: TOKEN_URL,
        headers: [
          ['Content-Type', 'application/json'],
          ['Accept', 'application/json'],
        ],
        body: expect.any(String) as unknown,
      },
      response: {
        status: 200,
        headers: [['content-type', 'application/json']],
        body: answer,
        ms: expect.any(Number) as unknown,
      },
    });
    // The raw record: the secrets as sent and received, for the inspector to mask (and reveal on demand).
    expect(JSON.parse(recorded?.request.body ?? '')).toEqual({
      grant_type: 'refresh_token',
      refresh_token: REFRESH_TOKEN,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
    expect(recorded?.response?.body).toContain(ACCESS_TOKEN);
    expect(recorded?.response?.ms).toBeGreaterThanOrEqual(0);
  });

  it('beside the answer’s write, both before the reply is given', async () => {
    await seedData();
    stubFetch(() => tokenResponse());
    const events: string[] = [];
    for (const area of ['local', 'session'] as const) {
      const store = fakeBrowser.storage[area] as unknown as { set: StorageSet };
      const original = store.set.bind(store);
      vi.spyOn(store, 'set').mockImplementation(async (items) => {
        await original(items);
        for (const key of Object.keys(items)) events.push(`${area} ${key}`);
      });
    }
    await refresh().then(() => events.push('reply'));
    // The record and the answer are written side by side (neither waits for the other), the reply after both.
    const beforeReply = events.slice(0, -1).filter((e) => e !== 'local inFlight');
    expect(beforeReply.sort()).toEqual([
      `local ${HISTORY_KEY_PREFIX}p-1`,
      `local ${PROFILE_KEY_PREFIX}p-1`,
      `session ${LAST_EXCHANGE_KEY_PREFIX}p-1`,
    ]);
    expect(events.at(-1)).toBe('reply');
  });

  it('with the error when no answer came, and no response', async () => {
    await seedData();
    stubFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    const reply = await refresh();
    const recorded = (await readLastExchanges('p-1')).refresh;
    expect(recorded).toMatchObject({ kind: 'refresh', error: reply.ok ? '' : reply.failure.title });
    expect(recorded).not.toHaveProperty('response');
  });

  it('with a failed answer whole', async () => {
    await seedData();
    const body = JSON.stringify({ error: 'invalid_grant', error_description: 'Invalid refresh token' });
    stubFetch(() => new Response(body, { status: 400 }));
    await refresh();
    expect((await readLastExchanges('p-1')).refresh).toMatchObject({ response: { status: 400, body } });
  });

  it('not at all when nothing was sent (no host access)', async () => {
    await seedData();
    spyOnPermissions('contains').mockResolvedValue(false);
    const fetchSpy = stubFetch(() => tokenResponse());
    await refresh();
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(await readLastExchanges('p-1')).toEqual({});
  });

  it('never on disk: storage.local holds no record', async () => {
    await seedData();
    stubFetch(() => tokenResponse());
    await refresh();
    expect(await storedJson()).not.toContain(LAST_EXCHANGE_KEY_PREFIX);
    expect(await storedJson()).not.toContain('"request"');
  });
});

describe('a refresh adds a history line', () => {
  it('in the same write as the token: one stored document holds both', async () => {
    await seedData();
    stubFetch(() => tokenResponse({ expires_in: 3600, refresh_token: ROTATED }));
    const set = spyOnLocalSet();
    await refresh();
    const writes = dataWrites(set);
    expect(writes).toHaveLength(1);
    expect(writes[0]?.tokens['p-1']?.accessToken).toBe(ACCESS_TOKEN);
    expect(writes[0]?.profiles[0]?.refreshToken).toBe(ROTATED);
    expect(writes[0]?.history?.['p-1']).toEqual([
      {
        at: NOW,
        kind: 'refresh',
        ok: true,
        status: 200,
        outcome: 'New token',
        expiresIn: 3600,
        refreshTokenChanged: true,
        accessTokenEnd: ACCESS_TOKEN.slice(-4),
      },
    ]);
  });

  it('says the refresh token did not change when the server sent the same one back', async () => {
    await seedData();
    stubFetch(() => tokenResponse({ refresh_token: REFRESH_TOKEN }));
    await refresh();
    expect(await storedHistory()).toEqual([
      expect.objectContaining({ ok: true, refreshTokenChanged: false, expiresIn: 86400 }),
    ]);
  });

  it('says the refresh token did not change when the answer carried none', async () => {
    await seedData();
    stubFetch(() =>
      jsonResponse(200, { access_token: ACCESS_TOKEN, expires_in: 3600, token_type: 'Bearer' }),
    );
    await refresh();
    expect((await storedHistory())?.[0]).toMatchObject({ ok: true, refreshTokenChanged: false });
  });

  it('of kind “automatic” for a refresh the schedule started', async () => {
    await seedData();
    stubFetch(() => tokenResponse({ refresh_token: ROTATED }));
    const { refreshProfile } = await import('./refresh');
    expect(await refreshProfile('p-1', true)).toMatchObject({ ok: true });
    expect(await storedHistory()).toEqual([
      expect.objectContaining({ kind: 'automatic', ok: true, refreshTokenChanged: true }),
    ]);
  });

  it('newest first, one per refresh', async () => {
    await seedData();
    stubFetch(() => tokenResponse({ access_token: 'first-token-AAAA', refresh_token: ROTATED }));
    await refresh();
    vi.setSystemTime(NOW + 60_000);
    stubFetch(() => tokenResponse({ access_token: 'second-token-BBBB', refresh_token: ROTATED }));
    await refresh();
    expect((await storedHistory())?.map((e) => [e.at, e.accessTokenEnd, e.refreshTokenChanged])).toEqual([
      // The second refresh sent the rotated token and got the same one back.
      [NOW + 60_000, 'BBBB', false],
      [NOW, 'AAAA', true],
    ]);
  });

  it('holds no secret', async () => {
    await seedData();
    stubFetch(() => tokenResponse({ refresh_token: ROTATED }));
    await refresh();
    const json = JSON.stringify(await storedHistory());
    for (const secret of [ACCESS_TOKEN, REFRESH_TOKEN, ROTATED, CLIENT_SECRET]) {
      expect(json).not.toContain(secret);
    }
  });

  it('with ok false and the status for a refused refresh', async () => {
    await seedData([storedProfile()], { 'p-1': TOKEN });
    stubFetch(() =>
      jsonResponse(400, { error: 'invalid_grant', error_description: 'Invalid refresh token' }),
    );
    await refresh();
    expect(await storedHistory()).toEqual([
      { at: NOW, kind: 'refresh', ok: false, status: 400, outcome: 'invalid_grant' },
    ]);
  });

  it('with ok false and the status for a server error', async () => {
    await seedData();
    stubFetch(() => new Response('<html><title>Bad gateway</title></html>', { status: 502 }));
    await refresh();
    expect(await storedHistory()).toEqual([
      expect.objectContaining({ kind: 'refresh', ok: false, status: 502 }),
    ]);
  });

  it('with ok false and no status when no answer came', async () => {
    await seedData();
    stubFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    await refresh();
    const history = await storedHistory();
    expect(history).toEqual([expect.objectContaining({ kind: 'refresh', ok: false })]);
    expect(history?.[0]).not.toHaveProperty('status');
    expect(history?.[0]?.outcome).toContain('app.hellosign.com');
  });

  it('of kind “automatic” for a failed automatic refresh', async () => {
    await seedData();
    stubFetch(() => jsonResponse(400, { error: 'invalid_grant' }));
    const { refreshProfile } = await import('./refresh');
    await refreshProfile('p-1', true);
    expect(await storedHistory()).toEqual([
      expect.objectContaining({ kind: 'automatic', ok: false, status: 400, outcome: 'invalid_grant' }),
    ]);
  });

  it('but none when nothing was sent', async () => {
    await seedData();
    spyOnPermissions('contains').mockResolvedValue(false);
    stubFetch(() => tokenResponse());
    await refresh();
    expect(await storedHistory()).toBeUndefined();
  });

  it(`keeps the ${HISTORY_LIMIT} newest lines: the oldest goes`, async () => {
    await seedData();
    const old = Array.from({ length: HISTORY_LIMIT }, (_, i) => oldEntry(i));
    await seedHistory({ 'p-1': old });
    stubFetch(() => tokenResponse());
    await refresh();
    const history = await storedHistory();
    expect(history).toHaveLength(HISTORY_LIMIT);
    expect(history?.[0]).toMatchObject({ at: NOW, kind: 'refresh' });
    expect(history?.slice(1)).toEqual(old.slice(0, HISTORY_LIMIT - 1));
  });

  it('for its own profile only', async () => {
    await seedData([storedProfile({ id: 'p-1' }), storedProfile({ id: 'p-2', name: 'Other' })]);
    await seedHistory({ 'p-2': [oldEntry(0)] });
    stubFetch(() => tokenResponse());
    await refresh('p-1');
    expect(await storedHistory('p-1')).toHaveLength(1);
    expect(await storedHistory('p-2')).toEqual([oldEntry(0)]);
  });
});

describe('a code exchange', () => {
  /** The paste fallback: begin, then paste the callback URL Dropbox Sign sent the user back to. */
  async function exchangeCode() {
    const begun = await send('beginAuthorization', { profileId: 'p-1' });
    if (!begun.ok) throw new Error(`beginAuthorization failed: ${begun.failure.title}`);
    const state = new URL(begun.url).searchParams.get('state') ?? '';
    const input = `${CALLBACK}?${new URLSearchParams({ code: CODE, state }).toString()}`;
    return send('useAuthorizationCode', { profileId: 'p-1', input });
  }

  it('adds an “authorization” line, without a rotation, in the same write as the token', async () => {
    await seedData([storedProfile({ refreshToken: '' })]);
    stubFetch(() => tokenResponse({ access_token: NEW_ACCESS, refresh_token: ROTATED, expires_in: 3600 }));
    const set = spyOnLocalSet();
    expect(await exchangeCode()).toMatchObject({ ok: true });
    const withToken = dataWrites(set).filter((d) => d.tokens['p-1']?.accessToken === NEW_ACCESS);
    expect(withToken).toHaveLength(1);
    expect(withToken[0]?.history?.['p-1']).toEqual([
      {
        at: NOW,
        kind: 'authorization',
        ok: true,
        status: 200,
        outcome: 'First token',
        expiresIn: 3600,
        accessTokenEnd: NEW_ACCESS.slice(-4),
      },
    ]);
    expect(historyOf(await getHistory())).toEqual(withToken[0]?.history?.['p-1']);
  });

  it('records the “exchange”, code and client secret included, beside the last refresh', async () => {
    await seedData();
    stubFetch(() => tokenResponse());
    await refresh();
    const answer = JSON.stringify({ access_token: NEW_ACCESS, refresh_token: ROTATED, expires_in: 3600 });
    stubFetch(() => new Response(answer, { status: 200 }));
    await exchangeCode();
    const { exchange, refresh: lastRefresh } = await readLastExchanges('p-1');
    expect(lastRefresh?.kind).toBe('refresh');
    expect(exchange).toMatchObject({
      kind: 'exchange',
      at: NOW,
      request: { method: 'POST', url: EXCHANGE_URL },
      response: { status: 200, body: answer },
    });
    expect(JSON.parse(exchange?.request.body ?? '')).toMatchObject({
      grant_type: 'authorization_code',
      code: CODE,
      client_secret: CLIENT_SECRET,
    });
  });

  it('adds an ok false “authorization” line with the status when the code is refused', async () => {
    await seedData();
    stubFetch(() => jsonResponse(400, { error: 'invalid_grant', error_description: 'Bad code' }));
    expect(await exchangeCode()).toMatchObject({ ok: false });
    expect(historyOf(await getHistory())).toEqual([
      { at: NOW, kind: 'authorization', ok: false, status: 400, outcome: 'invalid_grant' },
    ]);
  });

  it('adds an ok false “authorization” line when the answer has no refresh token, and it reads back', async () => {
    await seedData();
    stubFetch(() => jsonResponse(200, { access_token: NEW_ACCESS, expires_in: 3600, token_type: 'Bearer' }));
    expect(await exchangeCode()).toMatchObject({ ok: false });
    const history = historyOf(await getHistory());
    expect(history).toEqual([
      expect.objectContaining({
        kind: 'authorization',
        ok: false,
        status: 200,
        outcome: 'No refresh token in the answer',
      }),
    ]);
  });

  it('adds a line with no status when the token endpoint cannot be reached', async () => {
    await seedData();
    stubFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    await exchangeCode();
    const history = historyOf(await getHistory());
    expect(history).toEqual([expect.objectContaining({ kind: 'authorization', ok: false })]);
    expect(history[0]).not.toHaveProperty('status');
    expect((await readLastExchanges('p-1')).exchange).toMatchObject({
      kind: 'exchange',
      error: expect.any(String) as unknown,
    });
  });
});

describe('getHistory', () => {
  it('gives [] for a profile with none yet', async () => {
    await seedData();
    expect(await getHistory()).toEqual({ ok: true, history: [] });
  });

  it('gives the profile’s lines, newest first', async () => {
    await seedData();
    await seedHistory({ 'p-1': [oldEntry(0), oldEntry(1)] });
    expect(await getHistory()).toEqual({ ok: true, history: [oldEntry(0), oldEntry(1)] });
  });

  it('drops damaged lines it reads back', async () => {
    await seedData();
    await seedHistory({
      'p-1': [oldEntry(0), { at: 'yesterday' } as unknown as HistoryEntry, oldEntry(1)],
    });
    expect(historyOf(await getHistory())).toEqual([oldEntry(0), oldEntry(1)]);
  });

  it('says so for an unknown profile', async () => {
    await seedData();
    expect(await getHistory('p-gone')).toMatchObject({ ok: false, problem: expect.any(String) as unknown });
  });

  it('says the vault is locked while it is, and gives the history once unlocked', async () => {
    await seedData();
    stubFetch(() => tokenResponse());
    await refresh();
    await setPassphrase();
    await lock();
    const locked = await getHistory();
    expect(locked).toMatchObject({ ok: false });
    expect(locked.ok ? '' : locked.problem).toMatch(/locked/);
    expect(locked.ok ? '' : locked.problem).toMatch(/unlock/);
    await unlock();
    expect(historyOf(await getHistory())).toEqual([expect.objectContaining({ kind: 'refresh', ok: true })]);
  });
});

describe('clearHistory', () => {
  it('forgets the profile’s lines, and only its own', async () => {
    await seedData([storedProfile({ id: 'p-1' }), storedProfile({ id: 'p-2', name: 'Other' })]);
    await seedHistory({ 'p-1': [oldEntry(0)], 'p-2': [oldEntry(1)] });
    expect(await clearHistory('p-1')).toEqual({ ok: true, history: [] });
    expect(await getHistory('p-1')).toEqual({ ok: true, history: [] });
    expect(await getHistory('p-2')).toEqual({ ok: true, history: [oldEntry(1)] });
    expect(await storedHistory('p-1')).toBeUndefined();
  });

  it('waits for a refresh of the profile still running, whose line would otherwise come back', async () => {
    await seedData();
    await seedHistory({ 'p-1': [oldEntry(0)] });
    const answer = deferred<Response>();
    const fetchSpy = stubFetch(() => answer.promise);
    const events: string[] = [];
    const refreshed = refresh().then(() => events.push('refreshed'));
    await vi.waitFor(() => expect(fetchSpy).toHaveBeenCalled());
    const cleared = clearHistory().then((reply) => {
      events.push('cleared');
      return reply;
    });
    // Give the clear every chance to run early.
    for (let i = 0; i < 20; i++) await Promise.resolve();
    expect(events).toEqual([]);
    answer.resolve(tokenResponse());
    expect(await cleared).toEqual({ ok: true, history: [] });
    await refreshed;
    expect(events).toEqual(['refreshed', 'cleared']);
    expect(await getHistory()).toEqual({ ok: true, history: [] });
    // The refresh's token was stored all the same.
    expect((await storedData())?.tokens['p-1']?.accessToken).toBe(ACCESS_TOKEN);
  });

  it('says the vault is locked while it is, and clears nothing', async () => {
    await seedData();
    stubFetch(() => tokenResponse());
    await refresh();
    await setPassphrase();
    await lock();
    const reply = await clearHistory();
    expect(reply).toMatchObject({ ok: false });
    expect(reply.ok ? '' : reply.problem).toMatch(/locked/);
    await unlock();
    expect(historyOf(await getHistory())).toHaveLength(1);
  });

  it('says so for an unknown profile', async () => {
    await seedData();
    expect(await clearHistory('p-gone')).toMatchObject({ ok: false, problem: expect.any(String) as unknown });
  });
});

describe('deleting a profile', () => {
  it('forgets its exchanges and its history, and only its own', async () => {
    await twoProfilesRefreshed();
    expect(await send('deleteProfile', { profileId: 'p-1' })).toMatchObject({ ok: true });
    expect(await readLastExchanges('p-1')).toEqual({});
    expect(await exchangeKeys()).toEqual([`${LAST_EXCHANGE_KEY_PREFIX}p-2`]);
    const stored = await storedData();
    expect(stored?.history).not.toHaveProperty('p-1');
    expect(stored?.history?.['p-2']).toHaveLength(1);
  });

  it('does not bring the history back on Undo', async () => {
    await seedData();
    stubFetch(() => tokenResponse());
    await refresh();
    const reply = await send('deleteProfile', { profileId: 'p-1' });
    if (!reply.ok || !('removed' in reply)) throw new Error('not deleted');
    const { removed } = reply;
    expect(await send('restoreProfile', { removed })).toMatchObject({ ok: true });
    expect(await getHistory()).toEqual({ ok: true, history: [] });
    expect(await readLastExchanges('p-1')).toEqual({});
  });

  it('with the vault on, drops the history from the sealed part too', async () => {
    await twoProfilesRefreshed({ passphrase: true });
    await send('deleteProfile', { profileId: 'p-1' });
    expect(await fakeBrowser.storage.local.get(`${HISTORY_KEY_PREFIX}p-1`)).toEqual({});
    expect(await openStoredHistory(PASSPHRASE, 'p-2')).toHaveLength(1);
  });
});

describe('locking', () => {
  it('forgets every profile’s exchanges: they hold the secrets in clear', async () => {
    await twoProfilesRefreshed({ passphrase: true });
    expect(await exchangeKeys()).toHaveLength(2);
    expect(await lock()).toEqual({ ok: true });
    expect(await exchangeKeys()).toEqual([]);
    // Nothing else of the session goes: an authorization attempt, say.
    await fakeBrowser.storage.session.set({ unrelated: 1 });
    await lock();
    expect(await fakeBrowser.storage.session.get('unrelated')).toEqual({ unrelated: 1 });
  });

  it('waits for a refresh in flight, then forgets its exchange too', async () => {
    await seedData();
    await setPassphrase();
    const answer = deferred<Response>();
    const fetchSpy = stubFetch(() => answer.promise);
    const refreshed = refresh();
    await vi.waitFor(() => expect(fetchSpy).toHaveBeenCalled());
    const locked = lock();
    answer.resolve(tokenResponse());
    expect(await refreshed).toMatchObject({ ok: true });
    await locked;
    expect(await exchangeKeys()).toEqual([]);
  });

  it('leaves no record of a verify call that was on the wire when the lock came', async () => {
    await seedData([storedProfile()], { 'p-1': TOKEN });
    await setPassphrase();
    const answer = deferred<Response>();
    const fetchSpy = stubFetch(() => answer.promise);
    const verified = send('verifyToken', { profileId: 'p-1' });
    await vi.waitFor(() => expect(fetchSpy).toHaveBeenCalled());
    expect(await lock()).toEqual({ ok: true });
    answer.resolve(jsonResponse(200, { account: { account_id: 'a', email_address: 'me@example.com' } }));
    await verified;
    // Locked means no record holding the access token in clear is readable.
    expect(JSON.stringify(await fakeBrowser.storage.session.get(null))).not.toContain(ACCESS_TOKEN);
    expect(await exchangeKeys()).toEqual([]);
  });
});

describe('the histories beside the document, one key per profile (issue 9: a refresh does not rewrite them all)', () => {
  it('a refresh writes its own profile’s history, not another’s, in the one write of its answer', async () => {
    await twoProfilesRefreshed();
    stubFetch(() => tokenResponse({ access_token: 'another-access-token-for-p-1' }));
    const set = spyOnLocalSet();
    await refresh('p-1');
    const withAnswer = set.mock.calls.filter(([items]) => `${PROFILE_KEY_PREFIX}p-1` in items);
    expect(withAnswer).toHaveLength(1);
    // Its own part and history: not the index, not the other profile's part or history.
    expect(Object.keys(withAnswer[0]?.[0] ?? {}).sort()).toEqual([
      `${HISTORY_KEY_PREFIX}p-1`,
      IN_FLIGHT_KEY,
      `${PROFILE_KEY_PREFIX}p-1`,
    ]);
    expect(withAnswer[0]?.[0][`${PROFILE_KEY_PREFIX}p-1`]).not.toHaveProperty('history');
    expect((await storedData())?.history?.['p-2']).toHaveLength(1);
  });

  it('the snapshot reads no history; the history of one profile reads that profile’s key only', async () => {
    await twoProfilesRefreshed();
    const local = fakeBrowser.storage.local as unknown as { get: (keys?: unknown) => Promise<unknown> };
    const get = vi.spyOn(local, 'get');
    await send('getSnapshot', {});
    const asked = () => get.mock.calls.map(([keys]) => keys);
    expect(asked().some((keys) => keys === null || JSON.stringify(keys).includes(HISTORY_KEY_PREFIX))).toBe(
      false,
    );
    get.mockClear();
    expect(historyOf(await getHistory('p-2'))).toHaveLength(1);
    expect(asked()).toContainEqual([DATA_KEY, `${HISTORY_KEY_PREFIX}p-2`]);
    expect(JSON.stringify(asked())).not.toContain(`${HISTORY_KEY_PREFIX}p-1`);
  });

  it('a document from before, with the history inside, moves it out at the next write', async () => {
    await seedData();
    await seedSchema2WithHistory({ 'p-1': [oldEntry(0)] });
    stubFetch(() => tokenResponse());
    await refresh();
    const raw = (await fakeBrowser.storage.local.get(DATA_KEY))[DATA_KEY];
    expect(raw).not.toHaveProperty('history');
    expect(
      (await fakeBrowser.storage.local.get(`${HISTORY_KEY_PREFIX}p-1`))[`${HISTORY_KEY_PREFIX}p-1`],
    ).toEqual([expect.objectContaining({ kind: 'refresh' }), oldEntry(0)]);
  });

  it('Clear history removes the key, and a switch of the active profile leaves every history as it is', async () => {
    await twoProfilesRefreshed();
    expect(await send('switchProfile', { profileId: 'p-2' })).toMatchObject({ ok: true });
    expect(Object.keys((await storedData())?.history ?? {})).toEqual(['p-1', 'p-2']);
    expect(await send('clearHistory', { profileId: 'p-1' })).toEqual({ ok: true, history: [] });
    expect(await fakeBrowser.storage.local.get(`${HISTORY_KEY_PREFIX}p-1`)).toEqual({});
    expect((await storedData())?.history?.['p-2']).toHaveLength(1);
  });
});

describe('the history with the vault on', () => {
  it('is sealed: the stored document has no history in clear, the sealed part has it', async () => {
    await seedData();
    await setPassphrase();
    stubFetch(() => tokenResponse({ refresh_token: ROTATED }));
    await refresh();
    const stored = (await storedData()) as unknown as Record<string, unknown>;
    expect(stored).not.toHaveProperty('history');
    expect(await storedJson()).not.toContain('"history"');
    expect(await storedJson()).not.toContain('New token');
    // Sealed beside the document, in its own key: not in the document's vault.
    expect((await openStoredVault(PASSPHRASE)) as VaultSecrets).not.toHaveProperty('history');
    expect(await openStoredHistory(PASSPHRASE, 'p-1')).toEqual([
      expect.objectContaining({ kind: 'refresh', ok: true, refreshTokenChanged: true }),
    ]);
  });

  it('moves into the sealed part when a passphrase is set over a history in clear', async () => {
    await seedData();
    await seedHistory({ 'p-1': [oldEntry(0)] });
    await setPassphrase();
    expect(await storedData()).not.toHaveProperty('history');
    expect(await openStoredHistory(PASSPHRASE, 'p-1')).toEqual([oldEntry(0)]);
    expect(await getHistory()).toEqual({ ok: true, history: [oldEntry(0)] });
  });

  it('moves out of a vault sealed before the histories were kept apart, at the next write', async () => {
    await seedData();
    await setPassphrase();
    // As an earlier version sealed it: the history inside the document's vault.
    const vault = (await storedVault()) as VaultBlob;
    const key = await deriveKeyBytes(PASSPHRASE, vault.kdf);
    const secrets = (await openStoredVault(PASSPHRASE)) as VaultSecrets;
    const sealed = await seal(key, { ...secrets, history: { 'p-1': [oldEntry(0)] } });
    const { check: _check, parts: _parts, ...header } = vault;
    await seedSchema2WithHistory({});
    const raw = (await fakeBrowser.storage.local.get(DATA_KEY))[DATA_KEY] as Record<string, unknown>;
    await fakeBrowser.storage.local.set({
      [DATA_KEY]: { ...raw, history: undefined, vault: { ...header, sealed } },
    });
    expect(await getHistory()).toEqual({ ok: true, history: [oldEntry(0)] });
    stubFetch(() => tokenResponse());
    await refresh();
    expect((await openStoredVault(PASSPHRASE)) as VaultSecrets).not.toHaveProperty('history');
    expect(await openStoredHistory(PASSPHRASE, 'p-1')).toEqual([
      expect.objectContaining({ kind: 'refresh' }),
      oldEntry(0),
    ]);
  });

  it('survives a lock and unlock, and a switch of the active profile while locked', async () => {
    await seedData([storedProfile({ id: 'p-1' }), storedProfile({ id: 'p-2', name: 'Other' })]);
    await setPassphrase();
    stubFetch(() => tokenResponse());
    await refresh();
    await lock();
    expect(await send('switchProfile', { profileId: 'p-2' })).toMatchObject({ ok: true });
    await unlock();
    expect(historyOf(await getHistory())).toHaveLength(1);
  });

  it('ignores a history planted in clear beside the vault', async () => {
    await seedData();
    await setPassphrase();
    const raw = (await fakeBrowser.storage.local.get(DATA_KEY))[DATA_KEY] as Record<string, unknown>;
    await fakeBrowser.storage.local.set({ [DATA_KEY]: { ...raw, history: { 'p-1': [oldEntry(0)] } } });
    expect(await getHistory()).toEqual({ ok: true, history: [] });
    // Nor one in clear in the history's own key.
    await fakeBrowser.storage.local.set({ [`${HISTORY_KEY_PREFIX}p-1`]: [oldEntry(1)] });
    expect(await getHistory()).toEqual({ ok: true, history: [] });
  });

  it('comes back in clear when the passphrase is removed', async () => {
    await seedData();
    await setPassphrase();
    stubFetch(() => tokenResponse());
    await refresh();
    expect(await send('removePassphrase', { passphrase: PASSPHRASE })).toEqual({ ok: true });
    expect(await storedHistory()).toEqual([expect.objectContaining({ kind: 'refresh', ok: true })]);
  });
});
