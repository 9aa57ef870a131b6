import { fakeBrowser } from '@webext-core/fake-browser';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import type { Alarms } from 'webextension-polyfill';
import type { Profile } from '../core/profile';
import type { StoredData } from '../core/stored-data';
import type { TokenState } from '../core/token-state';
import {
  ACCESS_TOKEN,
  deferred,
  jsonResponse,
  profileInput,
  REFRESH_TOKEN,
  seedData,
  send,
  sentJson,
  storedData,
  storedProfile,
  stubFetch,
  tokenResponse,
} from '../test-support/worker';

/** PBKDF2 at 600,000 iterations takes a noticeable time per derivation; the vault tests here need far fewer. */
vi.mock('../core/vault-crypto', async (importOriginal) =>
  (await import('../test-support/fast-vault-crypto')).fastVaultCrypto(
    await importOriginal<typeof import('../core/vault-crypto')>(),
  ),
);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
/** The seeded token's expiry, and the moment it falls due with the default lead (5 minutes). */
const EXPIRES = NOW + HOUR;
const DUE = EXPIRES - 5 * MINUTE;
const ROTATED = 'rotated-refresh-token-0123456789';
const PASSPHRASE = 'correct horse battery staple';
const ALARM = 'auto-refresh:p-1';

const TOKEN: TokenState = {
  accessToken: 'the-current-access-token',
  tokenType: 'Bearer',
  receivedAt: NOW - 23 * HOUR,
  expiresAt: EXPIRES,
  lastAttemptAt: NOW - 23 * HOUR,
};

let reschedule: () => Promise<void>;
let consoleError: MockInstance;

beforeEach(() => {
  vi.resetModules();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
  consoleError = vi.spyOn(console, 'error');
});

afterEach(async () => {
  // Whatever a test left scheduled runs to its end here, not in the next test's fake browser.
  await reschedule();
  vi.useRealTimers();
  // The worker reports a scheduling or refresh that threw only there: none may have.
  expect(consoleError).not.toHaveBeenCalled();
});

/**
 * Loads the worker script the way the browser does on a (re)start, and waits for its first schedule. Its
 * `reschedule` is the one the tests call: a run queued after (or shared with) the worker's own, reading
 * storage afresh, so awaiting it leaves the alarms as the stored data asks.
 */
async function startWorker(): Promise<void> {
  await import('./index');
  ({ reschedule } = await import('./auto-refresh'));
  await reschedule();
}

function autoProfile(overrides: Partial<Profile> = {}): Profile {
  return storedProfile({ autoRefresh: true, ...overrides });
}

async function seedAuto(profile: Partial<Profile> = {}, token: TokenState = TOKEN): Promise<void> {
  await seedData([autoProfile(profile)], { [profile.id ?? 'p-1']: token });
}

/** The automatic-refresh alarms, by name, with their times. */
async function autoAlarms(): Promise<Record<string, number>> {
  const all = await fakeBrowser.alarms.getAll();
  return Object.fromEntries(
    all.filter((a) => a.name.startsWith('auto-refresh:')).map((a) => [a.name, a.scheduledTime]),
  );
}

/** Delivers an alarm to the worker's listeners, as the browser does when it goes off. */
async function triggerAlarm(name: string, scheduledTime: number): Promise<void> {
  await fakeBrowser.alarms.onAlarm.trigger({ name, scheduledTime, persistAcrossSessions: false });
}

/** What the browser does when the alarm goes off: a one-shot alarm is gone once it has fired. */
async function fireAlarm(name = ALARM): Promise<void> {
  const alarm = await fakeBrowser.alarms.get(name);
  await fakeBrowser.alarms.clear(name);
  await triggerAlarm(name, alarm?.scheduledTime ?? Date.now());
}

/** Resolves with the stored document once `check` holds for it (at once, or after a later storage change). */
function storedWhen(check: (data: StoredData) => boolean): Promise<StoredData> {
  return new Promise((resolve, reject) => {
    let done = false;
    const test = async () => {
      const data = await storedData();
      if (done || !data || !check(data)) return;
      done = true;
      fakeBrowser.storage.onChanged.removeListener(listener);
      resolve(data);
    };
    const listener = () => {
      test().catch(reject);
    };
    fakeBrowser.storage.onChanged.addListener(listener);
    listener();
  });
}

const tokenOf = (data: StoredData, id = 'p-1') => data.tokens[id];

/**
 * Resolves at the next call of `browser.alarms.getAll`, which only a schedule run makes: the sign that an
 * alarm's handler looked at the stored data and went back to scheduling rather than refreshing.
 */
function nextScheduleRun(): Promise<void> {
  const called = deferred<undefined>();
  const alarms = fakeBrowser.alarms as unknown as { getAll: () => Promise<Alarms.Alarm[]> };
  const getAll = alarms.getAll.bind(alarms);
  vi.spyOn(alarms, 'getAll').mockImplementation(() => {
    called.resolve(undefined);
    return getAll();
  });
  return called.promise;
}

/** Resolves once the alarm `name` is created (or moved). */
function alarmCreated(name: string): Promise<number | undefined> {
  const created = deferred<number | undefined>();
  type Create = (name: string, info: Alarms.CreateAlarmInfoType) => Promise<void>;
  const alarms = fakeBrowser.alarms as unknown as { create: Create };
  const create = alarms.create.bind(alarms);
  vi.spyOn(alarms, 'create').mockImplementation(async (alarmName, info) => {
    await create(alarmName, info);
    if (alarmName === name) created.resolve(info.when);
  });
  return created.promise;
}

describe('scheduling', () => {
  it('sets one alarm at expiry minus the default 5 minutes for a profile with automatic refresh on', async () => {
    await seedAuto();
    await startWorker();
    expect(await autoAlarms()).toEqual({ [ALARM]: EXPIRES - 5 * MINUTE });
  });

  it('leads by the profile’s own minutes: 10 before expiry with leadMinutes 10', async () => {
    await seedAuto({ leadMinutes: 10 });
    await startWorker();
    expect(await autoAlarms()).toEqual({ [ALARM]: EXPIRES - 10 * MINUTE });
  });

  it('sets no alarm with automatic refresh off, and clears one left from before', async () => {
    await fakeBrowser.alarms.create(ALARM, { when: DUE });
    await seedData([storedProfile()], { 'p-1': TOKEN });
    await startWorker();
    expect(await autoAlarms()).toEqual({});
  });

  it('clears the alarm when automatic refresh is turned off, and sets it again when turned on', async () => {
    await seedAuto();
    await startWorker();
    expect(await autoAlarms()).toEqual({ [ALARM]: DUE });
    expect(await send('setAutoRefresh', { profileId: 'p-1', enabled: false, leadMinutes: 5 })).toMatchObject({
      ok: true,
    });
    await reschedule();
    expect(await autoAlarms()).toEqual({});
    await send('setAutoRefresh', { profileId: 'p-1', enabled: true, leadMinutes: 20 });
    await reschedule();
    expect(await autoAlarms()).toEqual({ [ALARM]: EXPIRES - 20 * MINUTE });
  });

  it('clears a deleted profile’s alarm and keeps the others', async () => {
    await seedData([autoProfile(), autoProfile({ id: 'p-2', name: 'Second' })], {
      'p-1': TOKEN,
      'p-2': { ...TOKEN, expiresAt: EXPIRES + HOUR },
    });
    await startWorker();
    expect(await autoAlarms()).toEqual({ [ALARM]: DUE, 'auto-refresh:p-2': DUE + HOUR });
    expect(await send('deleteProfile', { profileId: 'p-2' })).toMatchObject({ ok: true });
    await reschedule();
    expect(await autoAlarms()).toEqual({ [ALARM]: DUE });
  });

  it('clears an alarm left for a profile that no longer exists', async () => {
    await fakeBrowser.alarms.create('auto-refresh:p-gone', { when: DUE });
    await seedAuto();
    await startWorker();
    expect(await autoAlarms()).toEqual({ [ALARM]: DUE });
  });

  it('leaves alarms that are not its own alone', async () => {
    await fakeBrowser.alarms.create('auto-lock', { delayInMinutes: 15 });
    await seedAuto();
    await startWorker();
    expect(await fakeBrowser.alarms.get('auto-lock')).toMatchObject({ name: 'auto-lock' });
  });

  it('sets no alarm for a profile without a refresh token, or a token without a known expiry', async () => {
    await seedData([autoProfile({ refreshToken: '' }), autoProfile({ id: 'p-2', name: 'Second' })], {
      'p-1': TOKEN,
      'p-2': { accessToken: 'a', receivedAt: NOW },
    });
    const fetchSpy = stubFetch(() => tokenResponse());
    await startWorker();
    expect(await autoAlarms()).toEqual({});
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});

describe('a token already inside its lead at start-up', () => {
  it('is refreshed at once, without any alarm firing: one request, the rotated refresh token stored', async () => {
    await seedAuto({}, { ...TOKEN, expiresAt: NOW + 2 * MINUTE });
    const fetchSpy = stubFetch(() => tokenResponse({ refresh_token: ROTATED, expires_in: 3600 }));
    await startWorker();
    const data = await storedWhen((d) => d.profiles[0]?.refreshToken === ROTATED);
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    expect(sentJson(fetchSpy)).toMatchObject({ grant_type: 'refresh_token', refresh_token: REFRESH_TOKEN });
    expect(tokenOf(data)).toMatchObject({
      accessToken: ACCESS_TOKEN,
      receivedAt: NOW,
      expiresAt: NOW + HOUR,
    });
    await reschedule();
    // The next one follows the new token.
    expect(await autoAlarms()).toEqual({ [ALARM]: NOW + HOUR - 5 * MINUTE });
    expect(fetchSpy).toHaveBeenCalledTimes(1);
  });

  it('is refreshed at once also when it has already expired', async () => {
    await seedAuto({}, { ...TOKEN, expiresAt: NOW - HOUR });
    const fetchSpy = stubFetch(() => tokenResponse({ refresh_token: ROTATED }));
    await startWorker();
    await storedWhen((d) => tokenOf(d)?.receivedAt === NOW);
    expect(fetchSpy).toHaveBeenCalledTimes(1);
  });
});

describe('the alarm', () => {
  it('refreshes once when it fires at the due time, and moves to the new expiry minus the lead', async () => {
    await seedAuto();
    const fetchSpy = stubFetch(() => tokenResponse({ refresh_token: ROTATED, expires_in: 3600 }));
    await startWorker();
    expect(fetchSpy).not.toHaveBeenCalled();
    vi.setSystemTime(DUE);
    // The worker moves the alarm by itself once the new token is stored.
    const moved = alarmCreated(ALARM);
    await fireAlarm();
    expect(await moved).toBe(DUE + HOUR - 5 * MINUTE);
    const data = await storedWhen((d) => tokenOf(d)?.receivedAt === DUE);
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    expect(fetchSpy.mock.calls[0]?.[1]?.method).toBe('POST');
    expect(sentJson(fetchSpy)).toMatchObject({ refresh_token: REFRESH_TOKEN });
    expect(data.profiles[0]?.refreshToken).toBe(ROTATED);
    expect(tokenOf(data)).toEqual({
      accessToken: ACCESS_TOKEN,
      tokenType: 'Bearer',
      receivedAt: DUE,
      expiresAt: DUE + HOUR,
      lastAttemptAt: DUE,
      lastRequest: expect.any(String) as unknown,
    });
    await reschedule();
    expect(await autoAlarms()).toEqual({ [ALARM]: DUE + HOUR - 5 * MINUTE });
    expect(fetchSpy).toHaveBeenCalledTimes(1);
  });

  it('sends nothing when it fires before the token is due, and is set again for the due time', async () => {
    await seedAuto();
    const fetchSpy = stubFetch(() => tokenResponse());
    await startWorker();
    vi.setSystemTime(DUE - MINUTE);
    const rearmed = alarmCreated(ALARM);
    await fireAlarm();
    expect(await rearmed).toBe(DUE);
    await reschedule();
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(await autoAlarms()).toEqual({ [ALARM]: DUE });
  });

  it('sends nothing when a manual refresh made the token fresh before it fired', async () => {
    await seedAuto();
    const fetchSpy = stubFetch(() => tokenResponse({ refresh_token: ROTATED, expires_in: 3600 }));
    await startWorker();
    vi.setSystemTime(DUE);
    expect(await send('refresh', { profileId: 'p-1' })).toMatchObject({ ok: true });
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    await reschedule();
    expect(await autoAlarms()).toEqual({ [ALARM]: DUE + HOUR - 5 * MINUTE });
    // The old alarm, fired late (the worker was busy, the laptop woke up…).
    const rearmed = alarmCreated(ALARM);
    await triggerAlarm(ALARM, DUE);
    await fakeBrowser.alarms.clear(ALARM);
    expect(await rearmed).toBe(DUE + HOUR - 5 * MINUTE);
    await reschedule();
    expect(fetchSpy).toHaveBeenCalledTimes(1);
  });

  it('sends nothing when automatic refresh was turned off after the alarm was set', async () => {
    await seedAuto();
    const fetchSpy = stubFetch(() => tokenResponse());
    await startWorker();
    await send('setAutoRefresh', { profileId: 'p-1', enabled: false, leadMinutes: 5 });
    await reschedule();
    vi.setSystemTime(DUE);
    const ran = nextScheduleRun();
    await triggerAlarm(ALARM, DUE);
    await ran;
    await reschedule();
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(await autoAlarms()).toEqual({});
  });

  it('of a profile deleted meanwhile sends nothing', async () => {
    await seedData([autoProfile(), storedProfile({ id: 'p-2', name: 'Other' })], { 'p-1': TOKEN });
    const fetchSpy = stubFetch(() => tokenResponse());
    await startWorker();
    await send('deleteProfile', { profileId: 'p-1' });
    await reschedule();
    vi.setSystemTime(DUE);
    await triggerAlarm(ALARM, DUE);
    // The other profile's refresh, asked for afterwards, is the only request.
    expect(await send('refresh', { profileId: 'p-2' })).toMatchObject({ ok: true });
    await reschedule();
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    expect((await storedData())?.tokens).not.toHaveProperty('p-1');
    expect(await autoAlarms()).toEqual({});
  });

  it('is joined by a click during the automatic refresh: one POST, both get its answer', async () => {
    await seedAuto();
    const answer = deferred<Response>();
    const sent = deferred<undefined>();
    const fetchSpy = stubFetch(() => {
      sent.resolve(undefined);
      return answer.promise;
    });
    await startWorker();
    vi.setSystemTime(DUE);
    await fireAlarm();
    await sent.promise;
    const click = send('refresh', { profileId: 'p-1' });
    answer.resolve(tokenResponse({ refresh_token: ROTATED, expires_in: 3600 }));
    expect(await click).toMatchObject({ ok: true, token: { receivedAt: DUE, expiresAt: DUE + HOUR } });
    await reschedule();
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    expect((await storedData())?.profiles[0]?.refreshToken).toBe(ROTATED);
    expect(await autoAlarms()).toEqual({ [ALARM]: DUE + HOUR - 5 * MINUTE });
  });
});

describe('a transient failure of an automatic refresh', () => {
  it('counts a retry and tries again 1 minute after the attempt, then 2 minutes after the next', async () => {
    await seedAuto();
    const fetchSpy = stubFetch(() => jsonResponse(500, { error: 'server_error' }));
    await startWorker();

    vi.setSystemTime(DUE);
    const retry = alarmCreated(ALARM);
    await fireAlarm();
    expect(await retry).toBe(DUE + MINUTE);
    let data = await storedWhen((d) => tokenOf(d)?.autoRetries === 1);
    expect(tokenOf(data)).toMatchObject({
      accessToken: TOKEN.accessToken,
      expiresAt: EXPIRES,
      lastAttemptAt: DUE,
      lastError: { status: 500, at: DUE },
    });
    expect(tokenOf(data)).not.toHaveProperty('autoPaused');
    await reschedule();
    expect(await autoAlarms()).toEqual({ [ALARM]: DUE + MINUTE });

    const second = DUE + MINUTE;
    vi.setSystemTime(second);
    await fireAlarm();
    data = await storedWhen((d) => tokenOf(d)?.autoRetries === 2);
    expect(tokenOf(data)?.lastAttemptAt).toBe(second);
    await reschedule();
    expect(await autoAlarms()).toEqual({ [ALARM]: second + 2 * MINUTE });
    expect(fetchSpy).toHaveBeenCalledTimes(2);
  });

  it('forgets its retries after a success', async () => {
    await seedAuto({}, { ...TOKEN, autoRetries: 3, lastAttemptAt: DUE - 10 * MINUTE });
    stubFetch(() => tokenResponse({ expires_in: 3600 }));
    await startWorker();
    // 3 retries: 4 minutes after the last attempt, before the expiry.
    expect(await autoAlarms()).toEqual({ [ALARM]: DUE - 6 * MINUTE });
    vi.setSystemTime(DUE - 6 * MINUTE);
    await fireAlarm();
    const data = await storedWhen((d) => tokenOf(d)?.receivedAt === DUE - 6 * MINUTE);
    expect(tokenOf(data)).not.toHaveProperty('autoRetries');
    await reschedule();
    expect(await autoAlarms()).toEqual({ [ALARM]: DUE - 6 * MINUTE + HOUR - 5 * MINUTE });
  });

  it('waits for a 429’s Retry-After when it is later than the backoff', async () => {
    await seedAuto();
    stubFetch(() =>
      jsonResponse(
        429,
        { error: { error_name: 'exceeded_rate', error_msg: 'Too many requests.' } },
        {
          'Retry-After': '600',
        },
      ),
    );
    await startWorker();
    vi.setSystemTime(DUE);
    await fireAlarm();
    const data = await storedWhen((d) => tokenOf(d)?.autoRetries === 1);
    expect(tokenOf(data)?.lastError).toMatchObject({ kind: 'rate_limited', retryAt: DUE + 10 * MINUTE });
    await reschedule();
    expect(await autoAlarms()).toEqual({ [ALARM]: DUE + 10 * MINUTE });
  });

  it('keeps the backoff when a 429’s Retry-After is sooner', async () => {
    await seedAuto();
    stubFetch(() => jsonResponse(429, {}, { 'Retry-After': '5' }));
    await startWorker();
    vi.setSystemTime(DUE);
    await fireAlarm();
    const data = await storedWhen((d) => tokenOf(d)?.autoRetries === 1);
    expect(tokenOf(data)?.lastError).toMatchObject({ kind: 'rate_limited', retryAt: DUE + 5000 });
    await reschedule();
    expect(await autoAlarms()).toEqual({ [ALARM]: DUE + MINUTE });
  });

  it('counts a network failure too', async () => {
    await seedAuto();
    stubFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    await startWorker();
    vi.setSystemTime(DUE);
    await fireAlarm();
    const data = await storedWhen((d) => tokenOf(d)?.autoRetries === 1);
    expect(tokenOf(data)?.lastError).toMatchObject({ kind: 'network' });
    await reschedule();
    expect(await autoAlarms()).toEqual({ [ALARM]: DUE + MINUTE });
  });
});

describe('a permanent failure', () => {
  const invalidGrant = () =>
    jsonResponse(400, { error: 'invalid_grant', error_description: 'Invalid refresh token' });

  async function pausedByAlarm() {
    await seedAuto();
    const fetchSpy = stubFetch(invalidGrant);
    await startWorker();
    vi.setSystemTime(DUE);
    await fireAlarm();
    const data = await storedWhen((d) => tokenOf(d)?.autoPaused !== undefined);
    await reschedule();
    return { fetchSpy, data };
  }

  it('pauses automatic refresh with the failure’s title and sets no alarm', async () => {
    const { fetchSpy, data } = await pausedByAlarm();
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    expect(tokenOf(data)).toMatchObject({
      autoPaused: 'The refresh token was rejected',
      lastError: { kind: 'invalid_grant' },
      // The last good token is kept: it may still be valid for a while.
      accessToken: TOKEN.accessToken,
    });
    expect(tokenOf(data)).not.toHaveProperty('autoRetries');
    expect(await autoAlarms()).toEqual({});
    // Still on: the pause is the token's, not the setting's.
    expect(data.profiles[0]?.autoRefresh).toBe(true);
  });

  it('replaces a retry count: a transient failure then invalid_grant leaves only the pause', async () => {
    await seedAuto({}, { ...TOKEN, autoRetries: 2, lastAttemptAt: DUE - 2 * MINUTE });
    stubFetch(invalidGrant);
    await startWorker();
    vi.setSystemTime(DUE);
    await fireAlarm();
    const data = await storedWhen((d) => tokenOf(d)?.autoPaused !== undefined);
    expect(tokenOf(data)).not.toHaveProperty('autoRetries');
  });

  it('sends nothing when the old alarm fires afterwards', async () => {
    const { fetchSpy } = await pausedByAlarm();
    vi.setSystemTime(DUE + 10 * MINUTE);
    const ran = nextScheduleRun();
    await triggerAlarm(ALARM, DUE + MINUTE);
    await ran;
    await reschedule();
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    expect(await autoAlarms()).toEqual({});
  });

  it('is not retried at a worker restart either', async () => {
    const { fetchSpy } = await pausedByAlarm();
    // The stopped worker's listeners go with it.
    fakeBrowser.runtime.onMessage.removeAllListeners();
    fakeBrowser.storage.onChanged.removeAllListeners();
    fakeBrowser.alarms.onAlarm.removeAllListeners();
    vi.resetModules();
    await startWorker();
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    expect(await autoAlarms()).toEqual({});
  });

  it('is lifted by turning automatic refresh off and on again: the pause is cleared and an alarm is back', async () => {
    await pausedByAlarm();
    // A new lead alone (still on) is no fix of what paused it.
    await send('setAutoRefresh', { profileId: 'p-1', enabled: true, leadMinutes: 10 });
    expect(tokenOf((await storedData()) as StoredData)?.autoPaused).toBe('The refresh token was rejected');
    await send('setAutoRefresh', { profileId: 'p-1', enabled: false, leadMinutes: 5 });
    expect(await send('setAutoRefresh', { profileId: 'p-1', enabled: true, leadMinutes: 5 })).toMatchObject({
      ok: true,
    });
    const data = await storedData();
    expect(tokenOf(data as StoredData)).not.toHaveProperty('autoPaused');
    await reschedule();
    // Due already (5 minutes before expiry), but never sooner than 30 s after the failed attempt.
    expect(await autoAlarms()).toEqual({ [ALARM]: DUE + 30_000 });
  });

  it('stays paused when only the lead is changed with automatic refresh off', async () => {
    await pausedByAlarm();
    await send('setAutoRefresh', { profileId: 'p-1', enabled: false, leadMinutes: 10 });
    const data = await storedData();
    expect(tokenOf(data as StoredData)?.autoPaused).toBe('The refresh token was rejected');
  });

  it('is lifted by saving a new refresh token, with automatic refresh still on', async () => {
    await pausedByAlarm();
    const reply = await send('saveProfile', { profile: profileInput({ id: 'p-1', refreshToken: ROTATED }) });
    expect(reply.ok).toBe(true);
    const data = (await storedData()) as StoredData;
    expect(tokenOf(data)).not.toHaveProperty('autoPaused');
    expect(tokenOf(data)).not.toHaveProperty('lastError');
    expect(data.profiles[0]).toMatchObject({ refreshToken: ROTATED, autoRefresh: true });
    await reschedule();
    expect(await autoAlarms()).toEqual({ [ALARM]: DUE + 30_000 });
  });

  it('is not lifted by a save that changes only the name', async () => {
    await pausedByAlarm();
    const reply = await send('saveProfile', {
      profile: profileInput({ id: 'p-1', name: 'Renamed' }),
      keepStored: ['refreshToken', 'clientSecret'],
    });
    expect(reply.ok).toBe(true);
    const data = (await storedData()) as StoredData;
    expect(tokenOf(data)?.autoPaused).toBe('The refresh token was rejected');
    await reschedule();
    expect(await autoAlarms()).toEqual({});
  });
});

describe('a manual refresh', () => {
  it('that fails transiently does not count a retry: the alarm stays at expiry minus the lead', async () => {
    await seedAuto();
    stubFetch(() => jsonResponse(503, { error: 'temporarily_unavailable' }));
    await startWorker();
    const reply = await send('refresh', { profileId: 'p-1' });
    expect(reply).toMatchObject({ ok: false, failure: { kind: 'server_error' } });
    const token = tokenOf((await storedData()) as StoredData);
    expect(token).toMatchObject({ lastError: { kind: 'server_error' }, lastAttemptAt: NOW });
    expect(token).not.toHaveProperty('autoRetries');
    expect(token).not.toHaveProperty('autoPaused');
    await reschedule();
    expect(await autoAlarms()).toEqual({ [ALARM]: DUE });
  });

  it('that gets invalid_grant pauses automatic refresh', async () => {
    await seedAuto();
    stubFetch(() => jsonResponse(400, { error: 'invalid_grant' }));
    await startWorker();
    await send('refresh', { profileId: 'p-1' });
    expect(tokenOf((await storedData()) as StoredData)?.autoPaused).toBe('The refresh token was rejected');
    await reschedule();
    expect(await autoAlarms()).toEqual({});
  });

  it('that succeeds clears a pause and a retry count', async () => {
    await seedAuto({}, { ...TOKEN, autoPaused: 'The refresh token was rejected' });
    stubFetch(() => tokenResponse({ expires_in: 3600 }));
    await startWorker();
    expect(await autoAlarms()).toEqual({});
    await send('refresh', { profileId: 'p-1' });
    const token = tokenOf((await storedData()) as StoredData);
    expect(token).not.toHaveProperty('autoPaused');
    await reschedule();
    expect(await autoAlarms()).toEqual({ [ALARM]: NOW + HOUR - 5 * MINUTE });
  });
});

describe('with the vault locked', () => {
  async function lockedWithPassphrase() {
    await seedAuto();
    const fetchSpy = stubFetch(() => tokenResponse({ refresh_token: ROTATED, expires_in: 3600 }));
    await startWorker();
    expect(await send('setPassphrase', { passphrase: PASSPHRASE })).toEqual({ ok: true });
    await reschedule();
    expect(await autoAlarms()).toEqual({ [ALARM]: DUE });
    expect(await send('lockVault', {})).toEqual({ ok: true });
    await reschedule();
    return fetchSpy;
  }

  it('sets no alarm and sends nothing, even when due; after unlock the due refresh is sent', async () => {
    const fetchSpy = await lockedWithPassphrase();
    expect(await autoAlarms()).toEqual({});
    vi.setSystemTime(DUE + MINUTE);
    await reschedule();
    expect(await autoAlarms()).toEqual({});
    // An alarm the browser still held fires meanwhile.
    await triggerAlarm(ALARM, DUE);
    await reschedule();
    expect(fetchSpy).not.toHaveBeenCalled();

    expect(await send('unlockVault', { passphrase: PASSPHRASE })).toEqual({ ok: true });
    const data = await storedWhen((d) => tokenOf(d)?.receivedAt === DUE + MINUTE);
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    expect(sentJson(fetchSpy)).toMatchObject({ refresh_token: REFRESH_TOKEN });
    // Sealed: the clear copy holds the expiry, not the secrets.
    expect(tokenOf(data)).toMatchObject({ expiresAt: DUE + MINUTE + HOUR });
    expect(tokenOf(data)).not.toHaveProperty('accessToken');
    await reschedule();
    expect(await autoAlarms()).toEqual({ [ALARM]: DUE + MINUTE + HOUR - 5 * MINUTE });
    const snapshot = await send('getSnapshot', {});
    expect(snapshot.profiles[0]?.refreshToken).toBe(ROTATED);
    expect(snapshot.tokens['p-1']).toMatchObject({ accessToken: ACCESS_TOKEN });
  });

  it('is not counted as a failure: no retry, no pause, no error stored', async () => {
    const fetchSpy = await lockedWithPassphrase();
    vi.setSystemTime(DUE + MINUTE);
    await reschedule();
    const data = (await storedData()) as StoredData;
    expect(tokenOf(data)).not.toHaveProperty('lastError');
    expect(tokenOf(data)).not.toHaveProperty('autoRetries');
    expect(tokenOf(data)).not.toHaveProperty('autoPaused');
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('sets the alarm again at unlock when nothing is due yet, without sending', async () => {
    const fetchSpy = await lockedWithPassphrase();
    expect(await send('unlockVault', { passphrase: PASSPHRASE })).toEqual({ ok: true });
    await reschedule();
    expect(await autoAlarms()).toEqual({ [ALARM]: DUE });
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});
