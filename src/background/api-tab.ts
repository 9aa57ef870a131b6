import { apiHostOf } from '../core/account';
import { API_TAB_RULE_ID, apiTabStartUrl, apiTabState } from '../core/api-tab';
import type { OpenApiTabReply } from '../core/protocol';
import { clearAlarm, onAlarm, scheduleAlarmAt } from '../platform/alarms';
import {
  createBlankTab,
  markTab,
  navigateTab,
  onTabClosed,
  readApiTab,
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
  await navigateTab(tabId, apiTabStartUrl(profile));
  return { ok: true, tabId };
}

let queued: Promise<void> | undefined;
let running: Promise<void> = Promise.resolve();

/**
 * Brings the header rule, the tab's marker and the expiry alarm in line with storage. One run at a time;
 * calls while one waits share it, and each run reads storage afresh (the reschedule pattern of auto-refresh).
 */
export function syncApiTab(): Promise<void> {
  queued ??= running.then(() => {
    queued = undefined;
    return applyState();
  });
  running = queued.catch((error: unknown) => {
    console.error('Could not update the API tab:', error instanceof Error ? error.name : 'unknown');
  });
  return running;
}

async function applyState(): Promise<void> {
  const tab = await readApiTab();
  // No record, no rule: the record is written before the rule is set and removed after it is, so nothing
  // to do here (this runs after every stored change, most of them with no API tab ever opened).
  if (!tab) return;
  const { data, locked } = await loadData();
  const state = apiTabState(tab, data, locked === true, Date.now());
  await setHeaderRule(API_TAB_RULE_ID, state.kind === 'carries' ? state.rule : undefined);
  if (state.kind === 'carries' && state.expiresAt !== undefined) {
    await scheduleAlarmAt(API_TAB_EXPIRY_ALARM, state.expiresAt);
  } else {
    await clearAlarm(API_TAB_EXPIRY_ALARM);
  }
  if (!(await tabExists(tab.tabId))) {
    await forgetTab(tab.tabId);
    return;
  }
  await markTab(
    tab.tabId,
    state.kind === 'carries' ? 'API' : 'off',
    state.kind === 'carries'
      ? `API tab: GETs to ${state.rule.condition.requestDomains[0] ?? 'the API'} in this tab carry the access token of “${state.profileName}”`
      : `API tab: carries no token (${state.why})`,
  );
}

/** The rule first, then the record: stopped in between, the next start still finds the record and ends it. */
async function forgetTab(tabId: number): Promise<void> {
  const tab = await readApiTab();
  if (tab?.tabId !== tabId) return;
  await setHeaderRule(API_TAB_RULE_ID, undefined);
  await clearAlarm(API_TAB_EXPIRY_ALARM);
  await writeApiTab(undefined);
}

/** Top level of the worker only: a closed tab and the expiry alarm wake a stopped worker. */
export function listenForApiTab(): void {
  onTabClosed((tabId) => {
    void forgetTab(tabId).catch((error: unknown) => {
      console.error('Could not end the API tab:', error instanceof Error ? error.name : 'unknown');
    });
  });
  onAlarm(API_TAB_EXPIRY_ALARM, () => void syncApiTab());
}
