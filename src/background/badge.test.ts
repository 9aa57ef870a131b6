import { fakeBrowser } from '@webext-core/fake-browser';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { formatClockTime, PRODUCT_NAME } from '../core/badge';
import type { Profile } from '../core/profile';
import type { TokenState } from '../core/token-state';
import {
  deferred,
  jsonResponse,
  seedData,
  send,
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

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const NAME = 'My API app';
const HEAD = `${PRODUCT_NAME} — ${NAME}: `;
/** `getBadgeBackgroundColor` answers RGBA. */
const BLUE = [0x3d, 0x6a, 0x99, 255];
const AMBER = [0xf9, 0xa8, 0x25, 255];
const RED = [0xc6, 0x28, 0x28, 255];

const token = (expiresAt: number): TokenState => ({
  accessToken: 'the-current-access-token',
  tokenType: 'Bearer',
  receivedAt: NOW - MINUTE,
  expiresAt,
});

let updateBadge: () => Promise<void>;
let reschedule: () => Promise<void>;
let consoleError: MockInstance;

beforeEach(() => {
  vi.resetModules();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
  consoleError = vi.spyOn(console, 'error');
});

afterEach(async () => {
  await Promise.all([updateBadge(), reschedule()]);
  vi.useRealTimers();
  expect(consoleError).not.toHaveBeenCalled();
});

/** Loads the worker script as the browser does on a (re)start, and waits for its first badge. */
async function startWorker(): Promise<void> {
  await import('./index');
  ({ updateBadge } = await import('./badge'));
  ({ reschedule } = await import('./auto-refresh'));
  await updateBadge();
}

/** The badge as the toolbar shows it now. */
async function shown() {
  const action = fakeBrowser.action;
  const [text, title, color, textColor] = await Promise.all([
    action.getBadgeText({}),
    action.getTitle({}),
    action.getBadgeBackgroundColor({}),
    action.getBadgeTextColor({}),
  ]);
  return { text, title, color, textColor };
}

/** A badge update after every stored change; the tests wait for the one that follows the change. */
async function afterChange<T>(change: Promise<T>): Promise<T> {
  const result = await change;
  await updateBadge();
  return result;
}

/** What the browser does every minute while the tick alarm is set. */
async function tick(to: number): Promise<void> {
  vi.setSystemTime(to);
  const alarm = await fakeBrowser.alarms.get('badge-tick');
  await fakeBrowser.alarms.onAlarm.trigger({
    name: 'badge-tick',
    scheduledTime: to,
    periodInMinutes: 1,
    persistAcrossSessions: false,
  });
  expect(alarm).toBeDefined();
  await updateBadge();
}

/** Resolves with the next badge text the worker sets, whoever asked it to. */
function nextBadgeText(): Promise<string | null> {
  const set = deferred<string | null>();
  type SetText = (details: { text: string | null }) => Promise<void>;
  const action = fakeBrowser.action as unknown as { setBadgeText: SetText };
  const original = action.setBadgeText.bind(action);
  vi.spyOn(action, 'setBadgeText').mockImplementation(async (details) => {
    await original(details);
    set.resolve(details.text);
  });
  return set.promise;
}

const refresh = (profileId = 'p-1') => afterChange(send('refresh', { profileId }));

const tickAlarm = () => fakeBrowser.alarms.get('badge-tick');

describe('after a refresh', () => {
  it('shows the time left of a 24 h token: 1d at the very millisecond, 23h from a second later', async () => {
    await seedData();
    stubFetch(() => tokenResponse({ expires_in: 86_400 }));
    await startWorker();
    expect(await shown()).toMatchObject({ text: '', title: `${HEAD}no token yet` });
    expect(await refresh()).toMatchObject({ ok: true });
    // Rounded down, as everywhere: exactly 24 h left is a day.
    expect(await shown()).toEqual({
      text: '1d',
      title: `${HEAD}expires in 24 h`,
      color: BLUE,
      textColor: '#ffffff',
    });
    await tick(NOW + SECOND);
    expect(await shown()).toEqual({
      text: '23h',
      title: `${HEAD}expires in 23 h 59 min (${formatClockTime(NOW + DAY)})`,
      color: BLUE,
      textColor: '#ffffff',
    });
  });

  it('shows 59m for expires_in 3600 a second after it came (1h at the very millisecond)', async () => {
    await seedData();
    stubFetch(() => tokenResponse({ expires_in: 3600 }));
    await startWorker();
    await refresh();
    expect((await shown()).text).toBe('1h');
    await tick(NOW + SECOND);
    const badge = await shown();
    expect(badge.text).toBe('59m');
    expect(badge.title).toContain(NAME);
    expect(badge.title).toContain('expires in 59 min');
  });

  it('sets the one-minute tick alarm while the token has a future expiry', async () => {
    await seedData();
    stubFetch(() => tokenResponse({ expires_in: 3600 }));
    await startWorker();
    expect(await tickAlarm()).toBeUndefined();
    await refresh();
    expect(await tickAlarm()).toMatchObject({ name: 'badge-tick', periodInMinutes: 1 });
  });
});

describe('the tick', () => {
  it('counts down as the clock moves, turns amber in the last five minutes, and red at expiry', async () => {
    await seedData();
    stubFetch(() => tokenResponse({ expires_in: 3600 }));
    await startWorker();
    await refresh();
    await tick(NOW + 30 * MINUTE);
    expect(await shown()).toMatchObject({
      text: '30m',
      title: `${HEAD}expires in 30 min (${formatClockTime(NOW + HOUR)})`,
      color: BLUE,
    });
    await tick(NOW + 56 * MINUTE);
    expect(await shown()).toMatchObject({ text: '4m', color: AMBER, textColor: '#1f1f1f' });
    await tick(NOW + 59 * MINUTE + 30 * SECOND);
    expect((await shown()).text).toBe('<1m');
    await tick(NOW + HOUR);
    expect(await shown()).toMatchObject({
      text: 'exp',
      title: `${HEAD}expired at ${formatClockTime(NOW + HOUR)}`,
      color: RED,
      textColor: '#ffffff',
    });
    // Past expiry the text no longer changes: the tick stops.
    expect(await tickAlarm()).toBeUndefined();
  });

  it('turns amber at the automatic-refresh lead when that is on', async () => {
    await seedData([storedProfile({ autoRefresh: true, leadMinutes: 15 })], { 'p-1': token(NOW + HOUR) });
    await startWorker();
    await tick(NOW + 44 * MINUTE);
    expect(await shown()).toMatchObject({ text: '16m', color: BLUE });
    await tick(NOW + 45 * MINUTE);
    expect(await shown()).toMatchObject({ text: '15m', color: AMBER });
  });

  it('is not set for a token already expired at start-up', async () => {
    await fakeBrowser.alarms.create('badge-tick', { delayInMinutes: 1, periodInMinutes: 1 });
    await seedData([storedProfile()], { 'p-1': token(NOW - MINUTE) });
    await startWorker();
    expect((await shown()).text).toBe('exp');
    expect(await tickAlarm()).toBeUndefined();
  });
});

describe('a failed refresh', () => {
  it('shows “!” in red, with the failure in the tooltip', async () => {
    await seedData([storedProfile()], { 'p-1': token(NOW + HOUR) });
    stubFetch(() => jsonResponse(400, { error: 'invalid_grant' }));
    await startWorker();
    expect((await shown()).text).toBe('1h');
    expect(await refresh()).toMatchObject({ ok: false });
    expect(await shown()).toMatchObject({
      text: '!',
      color: RED,
      textColor: '#ffffff',
    });
    expect((await shown()).title).toMatch(
      new RegExp(`^${HEAD}the last refresh failed: The refresh token was rejected`),
    );
  });

  it('shows “!” after a transient failure too, and the time left again after the next success', async () => {
    await seedData([storedProfile()], { 'p-1': token(NOW + HOUR) });
    const fetchSpy = stubFetch(() => jsonResponse(500, {}));
    await startWorker();
    await refresh();
    expect((await shown()).text).toBe('!');
    fetchSpy.mockImplementation(() => Promise.resolve(tokenResponse({ expires_in: 7200 })));
    vi.setSystemTime(NOW + SECOND);
    await refresh();
    expect(await shown()).toMatchObject({ text: '2h', color: BLUE });
  });

  it('adds the pause to the tooltip when automatic refresh is on', async () => {
    await seedData([storedProfile({ autoRefresh: true })], { 'p-1': token(NOW + HOUR) });
    stubFetch(() => jsonResponse(400, { error: 'invalid_grant' }));
    await startWorker();
    await refresh();
    expect((await shown()).title).toBe(
      `${HEAD}the last refresh failed: The refresh token was rejected · automatic refresh paused: The refresh token was rejected`,
    );
  });

  it('does not speak of a paused automatic refresh for a profile that has it off', async () => {
    // A click that gets invalid_grant stores the pause whatever the setting (turning it on later clears
    // it); the popup shows "Paused" only with the setting on, and the tooltip must agree.
    await seedData([storedProfile()], { 'p-1': token(NOW + HOUR) });
    stubFetch(() => jsonResponse(400, { error: 'invalid_grant' }));
    await startWorker();
    await refresh();
    expect((await shown()).title).toBe(`${HEAD}the last refresh failed: The refresh token was rejected`);
  });
});

describe('the active profile', () => {
  const two = (): [Profile[], Record<string, TokenState>] => [
    [storedProfile(), storedProfile({ id: 'p-2', name: 'Second' })],
    { 'p-1': token(NOW + 2 * HOUR), 'p-2': token(NOW + 30 * MINUTE) },
  ];

  it('is the one shown, and a switch shows the other at once', async () => {
    await seedData(...two());
    await startWorker();
    expect(await shown()).toMatchObject({
      text: '2h',
      title: expect.stringContaining(`— ${NAME}:`) as unknown,
    });
    // Shown by the worker on its own after the stored change, before anyone asks.
    const next = nextBadgeText();
    expect(await send('switchProfile', { profileId: 'p-2' })).toMatchObject({ ok: true });
    expect(await next).toBe('30m');
    await updateBadge();
    expect(await shown()).toMatchObject({
      text: '30m',
      title: `${PRODUCT_NAME} — Second: expires in 30 min (${formatClockTime(NOW + 30 * MINUTE)})`,
    });
  });

  it('without a token yet shows no text', async () => {
    await seedData(...two());
    await startWorker();
    expect((await shown()).text).toBe('2h');
    await afterChange(send('createProfile', {}));
    expect(await shown()).toMatchObject({
      text: '',
      title: `${PRODUCT_NAME} — My API app 2: no token yet`,
    });
  });

  it('without any token sets no tick', async () => {
    await fakeBrowser.alarms.create('badge-tick', { delayInMinutes: 1, periodInMinutes: 1 });
    await seedData([storedProfile()]);
    await startWorker();
    expect(await shown()).toMatchObject({ text: '', title: `${HEAD}no token yet` });
    expect(await tickAlarm()).toBeUndefined();
  });

  it('gone, with no profile left: no text, “no profile yet”, and no tick', async () => {
    await seedData([storedProfile()], { 'p-1': token(NOW + 2 * HOUR) });
    await startWorker();
    expect((await shown()).text).toBe('2h');
    expect(await tickAlarm()).toBeDefined();
    expect(await afterChange(send('deleteProfile', { profileId: 'p-1' }))).toMatchObject({
      ok: true,
      profileId: null,
    });
    expect(await shown()).toMatchObject({ text: '', title: `${PRODUCT_NAME} — no profile yet` });
    expect(await tickAlarm()).toBeUndefined();
  });
});

describe('with the vault locked', () => {
  const PASSPHRASE = 'correct horse battery staple';

  it('keeps the time left (the expiry is stored in clear) and says an automatic refresh waits', async () => {
    await seedData([storedProfile({ autoRefresh: true })], { 'p-1': token(NOW + HOUR) });
    await startWorker();
    expect(await afterChange(send('setPassphrase', { passphrase: PASSPHRASE }))).toEqual({ ok: true });
    expect(await afterChange(send('lockVault', {}))).toEqual({ ok: true });
    expect(await shown()).toMatchObject({
      text: '1h',
      title: `${HEAD}expires in 1 h (${formatClockTime(NOW + HOUR)})`,
    });
    await tick(NOW + 56 * MINUTE);
    expect(await shown()).toMatchObject({
      text: '4m',
      color: AMBER,
      title: `${HEAD}expires in 4 min (${formatClockTime(NOW + HOUR)}) · automatic refresh waits for you to unlock`,
    });
  });
});
