import browser from 'webextension-polyfill';
import { mayNotify } from './permissions';
import { EXPIRY_WARNED_KEY } from './storage-keys';

/**
 * Desktop notifications (worker side). Whether they may be shown is the optional `notifications`
 * permission itself: see `mayNotify` in permissions.ts.
 */

/** Shows (or replaces) the notification `id`; does nothing without the permission. Never pass a secret. */
export async function notify(id: string, title: string, message: string): Promise<void> {
  if (!(await mayNotify())) return;
  await browser.notifications.create(id, {
    type: 'basic',
    iconUrl: browser.runtime.getURL('icons/icon-128.png'),
    title,
    message,
  });
}

/**
 * Top level of the worker only. Without the permission the `notifications` namespace is missing, so the
 * listener is added once it does (a grant while the worker runs), and at every start that holds it.
 */
export function onNotificationClicked(listener: (id: string) => void): void {
  let listening = false;
  const listen = () => {
    // Firefox has the property, undefined, before the grant; Chrome has no property: test the value.
    const api = (browser as { notifications?: typeof browser.notifications }).notifications;
    if (listening || api === undefined) return;
    listening = true;
    api.onClicked.addListener(listener);
  };
  listen();
  browser.permissions.onAdded.addListener(listen);
}

/**
 * Which of `candidates` (profile id → token expiry) were not warned of yet; marks them as warned in the
 * same step. One token is warned of once, whatever stops the worker between two minutes' checks.
 */
export async function takeUnwarned(candidates: Record<string, number>): Promise<string[]> {
  const stored = (await browser.storage.local.get(EXPIRY_WARNED_KEY))[EXPIRY_WARNED_KEY];
  const warned: Record<string, unknown> = typeof stored === 'object' && stored !== null ? { ...stored } : {};
  const fresh = Object.keys(candidates).filter((id) => warned[id] !== candidates[id]);
  if (fresh.length === 0) return [];
  for (const id of fresh) warned[id] = candidates[id];
  await browser.storage.local.set({ [EXPIRY_WARNED_KEY]: warned });
  return fresh;
}
