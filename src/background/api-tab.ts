import { apiHostOf } from '../core/account';
import { API_TAB_RULE_ID, apiTabStartUrl, apiTabState, isOnApiOrigin } from '../core/api-tab';
import type { OpenApiTabReply } from '../core/protocol';
import { clearAlarm, onAlarm, scheduleAlarmAt } from '../platform/alarms';
import {
  createBlankTab,
  markTab,
  navigateTab,
  onTabClosed,
  onTabLoading,
  readApiTab,
  removeHeaderRuleIfAny,
  setHeaderRule,
  tabExists,
  writeApiTab,
} from '../platform/api-tab-rules';
import { hasHostAccess } from '../platform/permissions';
import { loadData } from '../platform/storage-write';

/**
 * "Open API tab": a tab whose GET navigations to the API host carry the active profile's access token (a
 * `declarativeNetRequest` session rule, see core/api-tab.ts for each of its conditions), and nothing else
 * ever does. The rule follows what is stored: `syncApiTab` runs after every stored change (a refresh, a
 * switch, a lock, a delete), at every worker start, when the token expires (an alarm) and when the tab closes.
 */
export const API_TAB_EXPIRY_ALARM = 'api-tab-expiry';

export async function openApiTab(profileId: string): Promise<OpenApiTabReply> {
  const { data, locked } = await loadData();
  const profile = data.profiles.find((p) => p.id === profileId);
  if (!profile) return { ok: false, problem: 'This profile no longer exists. Choose another one.' };
  if (locked) return { ok: false, problem: 'The secrets are locked: unlock them to open the API tab.' };
  if (data.activeProfileId !== profileId) {
    return {
      ok: false,
      problem: 'Switch to this profile first: the API tab carries the active profile’s token.',
    };
  }
  const host = apiHostOf(profile);
  if (!(await hasHostAccess(host).catch(() => false))) {
    return {
      ok: false,
      problem: `The extension has no access to ${new URL(host).host}: grant it, then open the API tab again.`,
    };
  }
  const token = data.tokens[profileId];
  if (!token?.accessToken || (token.expiresAt !== undefined && token.expiresAt <= Date.now())) {
    return { ok: false, problem: 'There is no valid access token: refresh first, then open the API tab.' };
  }
  // Blank first, so the rule is in place, for this tab id, before its first request.
  const tabId = await createBlankTab();
  // One API tab at a time: an older one keeps its page but no longer carries anything.
  const previous = await readApiTab();
  await writeApiTab({ tabId, profileId });
  await syncApiTab();
  if (previous && previous.tabId !== tabId && (await tabExists(previous.tabId))) {
    await markTab(previous.tabId, '', 'Sign Token Refresher');
  }
  try {
    await navigateTab(tabId, apiTabStartUrl(profile));
  } catch {
    // Closed before it could load (its close event ends the API tab).
    return {
      ok: false,
      problem: 'The new tab closed before the API page could open in it. Open the API tab again.',
    };
  }
  return { ok: true, tabId };
}

/**
 * One queue for everything that touches the rule (a sync, a closed tab, a tab that left the API), so a
 * closed tab's end can never be undone by a sync that read the record before it.
 */
let chain: Promise<void> = Promise.resolve();
let pendingSync: Promise<void> | undefined;

function enqueue(work: () => Promise<void>): Promise<void> {
  chain = chain.then(work).catch((error: unknown) => {
    console.error('Could not update the API tab:', error instanceof Error ? error.name : 'unknown');
  });
  return chain;
}

/**
 * Resolves once the API-tab work queued so far has run. Event listeners queue their work as the event is
 * delivered, so after an event this says that it was handled (what the tests wait for before they assert
 * that an event changed nothing, instead of sleeping).
 */
export function apiTabWorkDone(): Promise<void> {
  return chain;
}

/**
 * Brings the header rule, the tab's marker and the expiry alarm in line with storage. Calls while one waits
 * share it; each run reads storage afresh (the reschedule pattern of auto-refresh).
 */
export function syncApiTab(): Promise<void> {
  pendingSync ??= enqueue(async () => {
    pendingSync = undefined;
    await applyState();
  });
  return pendingSync;
}

/** At worker start: also a rule found without its record (a worker stopped between the two) is removed. */
export function syncApiTabAtStart(): Promise<void> {
  return enqueue(async () => {
    if (!(await readApiTab())) await removeHeaderRuleIfAny(API_TAB_RULE_ID);
    await applyState();
  });
}

async function applyState(): Promise<void> {
  const tab = await readApiTab();
  // No record, no rule: the record is written before the rule is set and removed after it is, so nothing
  // to do here (this runs after every stored change, most of them with no API tab ever opened).
  if (!tab) return;
  if (!(await tabExists(tab.tabId))) {
    await endApiTab(tab.tabId);
    return;
  }
  const { data, locked } = await loadData();
  const state = apiTabState(tab, data, locked === true, Date.now());
  await setHeaderRule(API_TAB_RULE_ID, state.kind === 'carries' ? state.rule : undefined);
  if (state.kind === 'carries' && state.expiresAt !== undefined) {
    await scheduleAlarmAt(API_TAB_EXPIRY_ALARM, state.expiresAt);
  } else {
    await clearAlarm(API_TAB_EXPIRY_ALARM);
  }
  await markTab(
    tab.tabId,
    state.kind === 'carries' ? 'API' : 'off',
    state.kind === 'carries'
      ? `API tab: GETs to ${new URL(state.rule.condition.urlFilter.slice(1)).host} in this tab carry the access token of “${state.profileName}”`
      : `API tab: carries no token (${state.why})`,
  );
}

/**
 * Ends the API tab: the rule first, then the record (stopped in between, the next start finds the record
 * and ends it). `left`: the tab is still open but went to another site; its marker says so.
 */
async function endApiTab(tabId: number, left?: string): Promise<void> {
  const tab = await readApiTab();
  if (tab?.tabId !== tabId) return;
  await setHeaderRule(API_TAB_RULE_ID, undefined);
  await clearAlarm(API_TAB_EXPIRY_ALARM);
  await writeApiTab(undefined);
  if (left)
    await markTab(tabId, 'off', `No longer the API tab: ${left}. Open the API tab again from the popup.`);
}

/**
 * A load in the API tab. Once the tab has been on the API, a page anywhere else ends it: the rule must not
 * let a site loaded there send the tab back to the API with the token (a link or a script navigation from
 * that site would carry it, as the rule cannot tell who started a navigation). Best effort: a stopped worker
 * wakes for this event, but the site's page may load before it has run. A finished load puts the marker
 * back (browsers clear a tab's own badge and tooltip on every navigation).
 */
async function onApiTabLoad(tabId: number, status: 'loading' | 'complete', url: string | undefined) {
  const tab = await readApiTab();
  if (tab?.tabId !== tabId) return;
  const { data } = await loadData();
  const profile = data.profiles.find((p) => p.id === tab.profileId);
  const onApi = url !== undefined && profile !== undefined && isOnApiOrigin(url, apiHostOf(profile));
  if (onApi) {
    if (!tab.reached) await writeApiTab({ ...tab, reached: true });
    if (status === 'complete') await applyState();
    return;
  }
  // Before the first API page the tab shows the blank page it was created with.
  if (!tab.reached) return;
  await endApiTab(tabId, 'it left the API host');
}

/** Top level of the worker only: a closed tab, a load and the expiry alarm wake a stopped worker. */
export function listenForApiTab(): void {
  onTabClosed((tabId) => void enqueue(() => endApiTab(tabId)));
  onTabLoading((tabId, status, url) => void enqueue(() => onApiTabLoad(tabId, status, url)));
  onAlarm(API_TAB_EXPIRY_ALARM, () => void syncApiTab());
}
