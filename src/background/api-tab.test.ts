import { fakeBrowser } from '@webext-core/fake-browser';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { API_TAB_RULE_ID, type HeaderRule } from '../core/api-tab';
import type { OpenApiTabReply } from '../core/protocol';
import type { TokenState } from '../core/token-state';
import { API_TAB_KEY } from '../platform/storage-keys';
import {
  ACCESS_TOKEN,
  deferred,
  seedData,
  send,
  spyOnPermissions,
  storedProfile,
  stubFetch,
  tokenResponse,
} from '../test-support/worker';

/** PBKDF2 at its real cost is not what these tests are about (the lock ones set a passphrase). */
vi.mock('../core/vault-crypto', async (importOriginal) =>
  (await import('../test-support/fast-vault-crypto')).fastVaultCrypto(
    await importOriginal<typeof import('../core/vault-crypto')>(),
  ),
);

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const HOUR = 3_600_000;
const PASSPHRASE = 'correct horse battery staple';
const NEW_ACCESS = 'bmV3LWFjY2Vzcy10b2tlbi1hZnRlci1hLXJlZnJlc2gtMDEyMzQ1Njc4OQ==';
const START_URL = 'https://api.hellosign.com/v3/account';
const EXPIRY_ALARM = 'api-tab-expiry';

const TOKEN: TokenState = {
  accessToken: ACCESS_TOKEN,
  tokenType: 'Bearer',
  receivedAt: NOW - 60_000,
  expiresAt: NOW + HOUR,
};

/**
 * The browser as far as the API tab uses it, in memory. The fake browser has no `declarativeNetRequest`
 * (its methods throw), and its `tabs.get` answers `undefined` for a closed tab where a browser rejects, so
 * both are modelled here: session rules as Chrome keeps them (removals first, then additions; an id taken
 * twice is refused), and open tabs. `events` lists what happened, in order.
 */
interface World {
  rules: HeaderRule[];
  open: Set<number>;
  events: string[];
  /** Each navigation, with the session rules as they were when it started. */
  navigations: { tabId: number; url: string; rulesThen: HeaderRule[] }[];
  created: { url: string | undefined; active: boolean | undefined; openerTabId: unknown }[];
  ruleWrites: MockInstance;
}

let world: World;
let consoleError: MockInstance;

type UpdateRules = (options: { removeRuleIds?: number[]; addRules?: HeaderRule[] }) => Promise<void>;
interface DnrApi {
  updateSessionRules: UpdateRules;
  getSessionRules: () => Promise<HeaderRule[]>;
}
type TabsApi = {
  create: (props: { url?: string; active?: boolean; openerTabId?: number }) => Promise<{ id?: number }>;
  update: (tabId: number, props: { url?: string }) => Promise<{ id: number }>;
  get: (tabId: number) => Promise<{ id: number }>;
};

function modelBrowser(): World {
  const rules: HeaderRule[] = [];
  const open = new Set<number>([0]);
  const events: string[] = [];
  const navigations: World['navigations'] = [];
  const created: World['created'] = [];
  let nextTabId = 1;
  const dnr = (fakeBrowser as unknown as { declarativeNetRequest: DnrApi }).declarativeNetRequest;
  const ruleWrites = vi.spyOn(dnr, 'updateSessionRules').mockImplementation((options) => {
    const removeIds = options.removeRuleIds ?? [];
    const kept = rules.filter((rule) => !removeIds.includes(rule.id));
    for (const rule of options.addRules ?? []) {
      if (kept.some((k) => k.id === rule.id)) {
        return Promise.reject(new Error(`Rule with id ${rule.id} does not have a unique ID.`));
      }
      kept.push(structuredClone(rule));
    }
    rules.splice(0, rules.length, ...kept);
    events.push(
      rules.length === 0
        ? 'rules: none'
        : `rules: ${rules.map((r) => `tab ${r.condition.tabIds.join()}`).join(', ')}`,
    );
    return Promise.resolve();
  });
  vi.spyOn(dnr, 'getSessionRules').mockImplementation(() => Promise.resolve(structuredClone(rules)));

  const tabs = fakeBrowser.tabs as unknown as TabsApi;
  vi.spyOn(tabs, 'create').mockImplementation((props) => {
    const id = nextTabId++;
    open.add(id);
    created.push({ url: props.url, active: props.active, openerTabId: props.openerTabId });
    events.push(`create tab ${id} on ${props.url ?? '(new tab page)'}`);
    return Promise.resolve({ id });
  });
  vi.spyOn(tabs, 'update').mockImplementation((tabId, props) => {
    if (!open.has(tabId)) return Promise.reject(new Error(`No tab with id: ${tabId}.`));
    if (props.url !== undefined) {
      navigations.push({ tabId, url: props.url, rulesThen: structuredClone(rules) });
      events.push(`navigate tab ${tabId} to ${props.url}`);
    }
    return Promise.resolve({ id: tabId });
  });
  vi.spyOn(tabs, 'get').mockImplementation((tabId) =>
    open.has(tabId) ? Promise.resolve({ id: tabId }) : Promise.reject(new Error(`No tab with id: ${tabId}.`)),
  );
  return { rules, open, events, navigations, created, ruleWrites };
}

/** What the browser does when the user closes tab `tabId`. */
async function closeTab(tabId: number): Promise<void> {
  world.open.delete(tabId);
  await fakeBrowser.tabs.onRemoved.trigger(tabId, { windowId: 0, isWindowClosing: false });
}

/**
 * Waits until the worker has handled the events delivered so far (its API-tab queue has run): before an
 * assertion that an event changed nothing. The module as the worker loaded it (each test loads it afresh).
 */
async function apiTabWorkDone(): Promise<void> {
  await (await import('./api-tab')).apiTabWorkDone();
}

/** Loads the worker script the way the browser does on a (re)start, and waits for its first sync. */
async function startWorker(): Promise<void> {
  await import('./index');
  await (await import('./api-tab')).syncApiTab();
}

/** The session rules' Authorization values (one per rule), as the browser holds them now. */
const headers = () => world.rules.map((rule) => rule.action.requestHeaders[0]?.value);

/** Waits (in real time: only `Date` is faked) until the worker's listeners have brought the rules to `expected`. */
async function rulesBecome(expected: (string | undefined)[]): Promise<void> {
  await vi.waitFor(() => expect(headers()).toEqual(expected), { timeout: 2000, interval: 5 });
}

async function storedApiTab(): Promise<unknown> {
  return (await fakeBrowser.storage.session.get(API_TAB_KEY))[API_TAB_KEY];
}

const openApiTab = (profileId = 'p-1'): Promise<OpenApiTabReply> => send('openApiTab', { profileId });

async function openedTab(profileId = 'p-1'): Promise<number> {
  const reply = await openApiTab(profileId);
  if (!reply.ok) throw new Error(`the API tab did not open: ${reply.problem}`);
  return reply.tabId;
}

const badgeOf = (tabId: number) =>
  Promise.all([fakeBrowser.action.getBadgeText({ tabId }), fakeBrowser.action.getTitle({ tabId })]);

/** Two profiles, the first active with a valid token, the second with its own. */
async function seedTwo(tokens: Record<string, TokenState> = { 'p-1': TOKEN }): Promise<void> {
  await seedData(
    [storedProfile({ id: 'p-1', name: 'Production' }), storedProfile({ id: 'p-2', name: 'Staging' })],
    tokens,
  );
}

beforeEach(() => {
  vi.resetModules();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
  world = modelBrowser();
  consoleError = vi.spyOn(console, 'error');
});

afterEach(() => {
  vi.useRealTimers();
  // A failed sync is only logged: a test that made one would otherwise pass unseen.
  expect(consoleError).not.toHaveBeenCalled();
});

describe('openApiTab refuses, opening nothing and writing no rule', () => {
  async function expectRefused(reply: OpenApiTabReply, problem: RegExp): Promise<void> {
    expect(reply).toEqual({ ok: false, problem: expect.stringMatching(problem) as unknown });
    expect(world.created).toEqual([]);
    expect(world.navigations).toEqual([]);
    expect(world.rules).toEqual([]);
    expect(await storedApiTab()).toBeUndefined();
  }

  it('for an unknown profile', async () => {
    await seedTwo();
    await startWorker();
    await expectRefused(await openApiTab('p-gone'), /no longer exists/);
  });

  it('while the secrets are locked', async () => {
    await seedTwo();
    await startWorker();
    expect(await send('setPassphrase', { passphrase: PASSPHRASE })).toEqual({ ok: true });
    expect(await send('lockVault', {})).toEqual({ ok: true });
    await expectRefused(await openApiTab(), /locked/);
  });

  it('for a profile that is not the active one, even with a valid token', async () => {
    await seedTwo({ 'p-1': TOKEN, 'p-2': { ...TOKEN, accessToken: 'staging-token' } });
    await startWorker();
    await expectRefused(await openApiTab('p-2'), /Switch to this profile first/);
  });

  it('without host access to the API host (and asks for it for that host)', async () => {
    await seedTwo();
    const contains = spyOnPermissions('contains').mockResolvedValue(false);
    await startWorker();
    await expectRefused(await openApiTab(), /no access to api\.hellosign\.com/);
    expect(contains).toHaveBeenCalledWith({ origins: ['https://api.hellosign.com/*'] });
  });

  it('when the permission check itself fails', async () => {
    await seedTwo();
    spyOnPermissions('contains').mockRejectedValue(new Error('boom'));
    await startWorker();
    await expectRefused(await openApiTab(), /no access/);
    // The badge checks the same permission and says so; nothing else may have failed.
    expect(consoleError.mock.calls.filter(([line]) => line !== 'Could not update the badge:')).toEqual([]);
    consoleError.mockClear();
  });

  it('without an access token', async () => {
    await seedTwo({});
    await startWorker();
    await expectRefused(await openApiTab(), /no valid access token/);
  });

  it('with an expired access token (at the very millisecond of expiry)', async () => {
    await seedTwo({ 'p-1': { ...TOKEN, expiresAt: NOW } });
    await startWorker();
    await expectRefused(await openApiTab(), /no valid access token/);
  });
});

describe('openApiTab', () => {
  it('creates a blank tab, writes the rule for its id, and only then navigates it to /v3/account', async () => {
    await seedTwo();
    await startWorker();
    world.events.length = 0;
    expect(await openApiTab()).toEqual({ ok: true, tabId: 1 });

    expect(world.created).toEqual([{ url: 'about:blank', active: true, openerTabId: undefined }]);
    const createdAt = world.events.indexOf('create tab 1 on about:blank');
    const ruleAt = world.events.indexOf('rules: tab 1');
    const navigateAt = world.events.indexOf(`navigate tab 1 to ${START_URL}`);
    expect(createdAt).toBeGreaterThanOrEqual(0);
    expect(ruleAt).toBeGreaterThan(createdAt);
    expect(navigateAt).toBeGreaterThan(ruleAt);
    // The one navigation started with exactly the rule in place, for that tab only.
    expect(world.navigations).toEqual([
      {
        tabId: 1,
        url: START_URL,
        rulesThen: [
          {
            id: API_TAB_RULE_ID,
            priority: 1,
            action: {
              type: 'modifyHeaders',
              requestHeaders: [
                { header: 'Authorization', operation: 'set', value: `Bearer ${ACCESS_TOKEN}` },
              ],
            },
            condition: {
              tabIds: [1],
              requestDomains: ['api.hellosign.com'],
              urlFilter: '|https://api.hellosign.com/',
              requestMethods: ['get'],
              resourceTypes: ['main_frame'],
            },
          },
        ],
      },
    ]);
    expect(await storedApiTab()).toEqual({ tabId: 1, profileId: 'p-1' });
  });

  it('marks that tab (and only that tab) with the profile whose token it carries', async () => {
    await seedTwo();
    await startWorker();
    const tabId = await openedTab();
    const [text, title] = await badgeOf(tabId);
    expect(text).toBe('API');
    expect(title).toContain('“Production”');
    expect(title).toContain('api.hellosign.com');
    expect(await fakeBrowser.action.getBadgeText({ tabId: 0 })).not.toBe('API');
  });

  it('sets an expiry alarm at the token’s expiry', async () => {
    await seedTwo();
    await startWorker();
    await openedTab();
    expect(await fakeBrowser.alarms.get(EXPIRY_ALARM)).toMatchObject({ scheduledTime: NOW + HOUR });
  });

  it('opens the sandbox API host for a profile whose OAuth host is the sandbox', async () => {
    await seedData([storedProfile({ oauthHost: 'http://127.0.0.1:8443' })], { 'p-1': TOKEN });
    await startWorker();
    await openedTab();
    expect(world.navigations.map((n) => n.url)).toEqual(['http://127.0.0.1:8443/v3/account']);
    expect(world.rules.map((r) => r.condition.requestDomains)).toEqual([['127.0.0.1']]);
    // The origin, port included: another server on 127.0.0.1 gets nothing.
    expect(world.rules.map((r) => r.condition.urlFilter)).toEqual(['|http://127.0.0.1:8443/']);
  });

  it('a second API tab takes the rule over: one rule, for the new tab; the old tab loses its marker', async () => {
    await seedTwo();
    await startWorker();
    const first = await openedTab();
    const second = await openedTab();
    expect(second).not.toBe(first);
    expect(world.rules).toHaveLength(1);
    expect(world.rules[0]?.condition.tabIds).toEqual([second]);
    expect(await storedApiTab()).toEqual({ tabId: second, profileId: 'p-1' });
    expect((await badgeOf(first))[0]).toBe('');
    expect((await badgeOf(second))[0]).toBe('API');

    // Closing the old one changes nothing for the new one.
    await closeTab(first);
    await apiTabWorkDone();
    expect(world.rules.map((r) => r.condition.tabIds)).toEqual([[second]]);
    expect(await storedApiTab()).toEqual({ tabId: second, profileId: 'p-1' });
  });
});

describe('the rule follows what is stored', () => {
  it('a refresh puts the new token in the rule, for the same tab', async () => {
    await seedTwo();
    stubFetch(() => tokenResponse({ access_token: NEW_ACCESS, expires_in: 7200 }));
    await startWorker();
    const tabId = await openedTab();
    expect(await send('refresh', { profileId: 'p-1' })).toMatchObject({ ok: true });
    // In the same step: the reply comes once the rule carries the new token.
    expect(headers()).toEqual([`Bearer ${NEW_ACCESS}`]);
    expect(world.rules[0]?.condition.tabIds).toEqual([tabId]);
    await vi.waitFor(async () =>
      expect(await fakeBrowser.alarms.get(EXPIRY_ALARM)).toMatchObject({ scheduledTime: NOW + 2 * HOUR }),
    );
  });

  it('a switch to another profile removes it (the other profile’s token is never carried); back again restores it', async () => {
    await seedTwo({ 'p-1': TOKEN, 'p-2': { ...TOKEN, accessToken: 'staging-token' } });
    await startWorker();
    const tabId = await openedTab();
    expect(await send('switchProfile', { profileId: 'p-2' })).toMatchObject({ ok: true });
    expect(headers()).toEqual([]);
    expect(await fakeBrowser.alarms.get(EXPIRY_ALARM)).toBeUndefined();
    await vi.waitFor(async () => expect((await badgeOf(tabId))[0]).toBe('off'));
    expect((await badgeOf(tabId))[1]).toContain('no longer the active profile');

    expect(await send('switchProfile', { profileId: 'p-1' })).toMatchObject({ ok: true });
    expect(headers()).toEqual([`Bearer ${ACCESS_TOKEN}`]);
  });

  it('a lock removes it; an unlock restores it', async () => {
    await seedTwo();
    await startWorker();
    const tabId = await openedTab();
    expect(await send('setPassphrase', { passphrase: PASSPHRASE })).toEqual({ ok: true });
    await rulesBecome([`Bearer ${ACCESS_TOKEN}`]);
    expect(await send('lockVault', {})).toEqual({ ok: true });
    expect(headers()).toEqual([]);
    await vi.waitFor(async () => expect((await badgeOf(tabId))[1]).toContain('locked'));

    expect(await send('unlockVault', { passphrase: PASSPHRASE })).toEqual({ ok: true });
    expect(headers()).toEqual([`Bearer ${ACCESS_TOKEN}`]);
  });

  it('deleting the profile removes it', async () => {
    await seedTwo();
    await startWorker();
    const tabId = await openedTab();
    expect(await send('deleteProfile', { profileId: 'p-1' })).toMatchObject({ ok: true });
    expect(headers()).toEqual([]);
    await vi.waitFor(async () => expect((await badgeOf(tabId))[1]).toContain('deleted'));
  });

  it('the expiry alarm removes it once the token has expired', async () => {
    await seedTwo();
    await startWorker();
    const tabId = await openedTab();
    const alarm = await fakeBrowser.alarms.get(EXPIRY_ALARM);
    expect(alarm?.scheduledTime).toBe(NOW + HOUR);
    vi.setSystemTime(NOW + HOUR);
    await fakeBrowser.alarms.onAlarm.trigger({
      name: EXPIRY_ALARM,
      scheduledTime: NOW + HOUR,
      persistAcrossSessions: false,
    });
    await rulesBecome([]);
    await vi.waitFor(async () => expect((await badgeOf(tabId))[1]).toContain('expired'));
    // The tab stays the API tab: a refresh gives it the new token.
    expect(await storedApiTab()).toEqual({ tabId, profileId: 'p-1' });
  });

  it('an alarm of another name does not touch it', async () => {
    await seedTwo();
    await startWorker();
    await openedTab();
    vi.setSystemTime(NOW + HOUR);
    const writes = world.ruleWrites.mock.calls.length;
    await fakeBrowser.alarms.onAlarm.trigger({
      name: 'badge-tick',
      scheduledTime: NOW + HOUR,
      periodInMinutes: 1,
      persistAcrossSessions: false,
    });
    await apiTabWorkDone();
    expect(world.ruleWrites.mock.calls.length).toBe(writes);
    expect(headers()).toEqual([`Bearer ${ACCESS_TOKEN}`]);
  });

  it('closing the tab removes the rule and forgets the tab; a later refresh adds nothing', async () => {
    await seedTwo();
    stubFetch(() => tokenResponse({ access_token: NEW_ACCESS }));
    await startWorker();
    const tabId = await openedTab();
    await closeTab(tabId);
    await rulesBecome([]);
    await vi.waitFor(async () => expect(await storedApiTab()).toBeUndefined());
    expect(await fakeBrowser.alarms.get(EXPIRY_ALARM)).toBeUndefined();

    expect(await send('refresh', { profileId: 'p-1' })).toMatchObject({ ok: true });
    await apiTabWorkDone();
    expect(world.rules).toEqual([]);
  });

  it('closing another tab changes nothing', async () => {
    await seedTwo();
    await startWorker();
    await openedTab();
    await closeTab(0);
    await apiTabWorkDone();
    expect(headers()).toEqual([`Bearer ${ACCESS_TOKEN}`]);
    expect(await storedApiTab()).toMatchObject({ tabId: 1 });
  });
});

describe('a tab closed while a sync is under way', () => {
  it('leaves no rule behind: a rule write still under way does not put the closed tab’s rule back', async () => {
    await seedTwo();
    await startWorker();
    // The browser takes its time over the next rule write: the one for the tab being opened.
    const gate = deferred<undefined>();
    const reached = deferred<undefined>();
    const apply = world.ruleWrites.getMockImplementation() as UpdateRules;
    world.ruleWrites.mockImplementationOnce(async (options: Parameters<UpdateRules>[0]) => {
      reached.resolve(undefined);
      await gate.promise;
      await apply(options);
    });
    const opening = openApiTab();
    await reached.promise;
    // The user closes the new tab right then; the browser reports it while the write waits.
    await closeTab(1);
    // The close is queued behind the write under way (one queue for the rule), and ends the tab after it.
    gate.resolve(undefined);
    await vi.waitFor(async () => expect(await storedApiTab()).toBeUndefined());
    // Its navigation fails (the tab is gone): the reply says so in words.
    expect(await opening).toMatchObject({ ok: false, problem: expect.stringContaining('closed') as unknown });
    consoleError.mockClear();
    // Nothing else is stored or changes after this: the end state must be what storage says (no API tab, so
    // no rule and no alarm). No syncApiTab() call here: a fresh run would hide what the interrupted one left.
    await apiTabWorkDone();
    expect(world.rules).toEqual([]);
    expect(await fakeBrowser.alarms.get(EXPIRY_ALARM)).toBeUndefined();
  });
});

describe('worker start', () => {
  it('removes a rule left behind when no API tab is recorded', async () => {
    await seedTwo();
    const dnr = (fakeBrowser as unknown as { declarativeNetRequest: DnrApi }).declarativeNetRequest;
    await dnr.updateSessionRules({
      addRules: [
        {
          id: API_TAB_RULE_ID,
          priority: 1,
          action: {
            type: 'modifyHeaders',
            requestHeaders: [{ header: 'Authorization', operation: 'set', value: 'Bearer stale' }],
          },
          condition: {
            tabIds: [5],
            requestDomains: ['api.hellosign.com'],
            urlFilter: '|https://api.hellosign.com/',
            requestMethods: ['get'],
            resourceTypes: ['main_frame'],
          },
        },
      ],
    });
    await startWorker();
    expect(world.rules).toEqual([]);
  });

  it('forgets a recorded tab that closed while the worker was stopped, and writes no rule for it', async () => {
    await seedTwo();
    await fakeBrowser.storage.session.set({ [API_TAB_KEY]: { tabId: 5, profileId: 'p-1' } });
    await startWorker();
    expect(world.rules).toEqual([]);
    expect(await storedApiTab()).toBeUndefined();
  });

  it('puts back the rule of a recorded tab that is still open, with the token stored now', async () => {
    await seedTwo();
    world.open.add(5);
    await fakeBrowser.storage.session.set({ [API_TAB_KEY]: { tabId: 5, profileId: 'p-1' } });
    await startWorker();
    expect(headers()).toEqual([`Bearer ${ACCESS_TOKEN}`]);
    expect(world.rules[0]?.condition.tabIds).toEqual([5]);
  });
});
