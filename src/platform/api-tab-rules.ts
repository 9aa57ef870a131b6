import browser from 'webextension-polyfill';
import type { ApiTab, HeaderRule } from '../core/api-tab';
import { isRecord } from '../core/guards';
import { API_TAB_KEY } from './storage-keys';

/**
 * The browser side of the API tab (worker only): its record in `storage.session`, the session header rule,
 * the tab itself and its marker on the toolbar button. The only code that calls these APIs.
 */

/** `declarativeNetRequest` as far as this feature uses it (the polyfill types it loosely in Firefox). */
interface SessionRules {
  updateSessionRules(options: { removeRuleIds?: number[]; addRules?: HeaderRule[] }): Promise<void>;
  getSessionRules(): Promise<HeaderRule[]>;
}

function dnr(): SessionRules {
  return (browser as unknown as { declarativeNetRequest: SessionRules }).declarativeNetRequest;
}

/**
 * Removes the rule if one is there, and does nothing where the API is missing: for the worker's start, which
 * checks for a rule a stopped worker left without its record.
 */
export async function removeHeaderRuleIfAny(ruleId: number): Promise<void> {
  const api = (browser as unknown as { declarativeNetRequest?: SessionRules }).declarativeNetRequest;
  if (!api) return;
  if ((await api.getSessionRules()).some((rule) => rule.id === ruleId)) {
    await api.updateSessionRules({ removeRuleIds: [ruleId] });
  }
}

export async function readApiTab(): Promise<ApiTab | undefined> {
  const raw = (await browser.storage.session.get(API_TAB_KEY))[API_TAB_KEY];
  if (!isRecord(raw) || typeof raw.tabId !== 'number' || typeof raw.profileId !== 'string') return undefined;
  return { tabId: raw.tabId, profileId: raw.profileId, ...(raw.reached === true ? { reached: true } : {}) };
}

export async function writeApiTab(tab: ApiTab | undefined): Promise<void> {
  if (tab) await browser.storage.session.set({ [API_TAB_KEY]: tab });
  else await browser.storage.session.remove(API_TAB_KEY);
}

/** Replaces the rule with `rule` (or none) in one call: never two rules, never a gap with a stale one. */
export async function setHeaderRule(ruleId: number, rule: HeaderRule | undefined): Promise<void> {
  await dnr().updateSessionRules({ removeRuleIds: [ruleId], ...(rule ? { addRules: [rule] } : {}) });
}

/** A blank tab with no opener: its id is known before anything is loaded in it. */
export async function createBlankTab(): Promise<number> {
  const tab = await browser.tabs.create({ url: 'about:blank', active: true });
  if (tab.id === undefined) throw new Error('The browser gave the new tab no id.');
  return tab.id;
}

export async function navigateTab(tabId: number, url: string): Promise<void> {
  await browser.tabs.update(tabId, { url });
}

export async function tabExists(tabId: number): Promise<boolean> {
  try {
    await browser.tabs.get(tabId);
    return true;
  } catch {
    return false;
  }
}

/** The toolbar button, in that tab only: a badge and a tooltip that say whose token the tab carries. */
export async function markTab(tabId: number, text: string, title: string): Promise<void> {
  await Promise.all([
    browser.action.setBadgeText({ tabId, text }),
    browser.action.setTitle({ tabId, title }),
  ]);
}

/**
 * Calls `listener` when a tab starts loading a page or has finished, with the page's address when the
 * extension may see it (its host permissions), else undefined. Top level of the worker only.
 */
export function onTabLoading(
  listener: (tabId: number, status: 'loading' | 'complete', url: string | undefined) => void,
): void {
  browser.tabs.onUpdated.addListener((tabId, change, tab) => {
    if (change.status === 'loading' || change.status === 'complete') listener(tabId, change.status, tab.url);
  });
}

/** Calls `listener` with the id of every tab that closes. Top level of the worker only. */
export function onTabClosed(listener: (tabId: number) => void): void {
  browser.tabs.onRemoved.addListener((tabId) => listener(tabId));
}
