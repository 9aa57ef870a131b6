import browser from 'webextension-polyfill';

/** The match pattern that covers an OAuth host's origin, e.g. `https://app.hellosign.com/*`. */
export function originPattern(origin: string): string {
  const url = new URL(origin);
  return `${url.protocol}//${url.hostname}/*`;
}

/** Async so that a synchronous throw (bad origin, API missing) is a rejection the caller's `.catch` sees. */
export async function hasHostAccess(origin: string): Promise<boolean> {
  return browser.permissions.contains({ origins: [originPattern(origin)] });
}

/** Must run from a user's click: browsers only show the permission prompt for a user gesture. */
export function requestHostAccess(origin: string, ...more: string[]): Promise<boolean> {
  return browser.permissions.request({ origins: [origin, ...more].map(originPattern) });
}

/** Calls `listener` whenever this extension gains or loses a permission (a grant, or a revoke in about:addons). */
export function onPermissionsChanged(listener: () => void): () => void {
  browser.permissions.onAdded.addListener(listener);
  browser.permissions.onRemoved.addListener(listener);
  return () => {
    browser.permissions.onAdded.removeListener(listener);
    browser.permissions.onRemoved.removeListener(listener);
  };
}

/**
 * Desktop notifications, behind the optional `notifications` permission: installing asks for nothing, and
 * the "Notify me" checkbox asks at its click. Holding the permission is the setting itself (unticking gives
 * it back), so no stored flag can disagree with what the browser allows.
 */
const NOTIFICATIONS = { permissions: ['notifications' as const] };

export async function mayNotify(): Promise<boolean> {
  return browser.permissions.contains(NOTIFICATIONS);
}

/** Must run from a user's click: browsers only show the permission prompt for a user gesture. */
export function askToNotify(): Promise<boolean> {
  return browser.permissions.request(NOTIFICATIONS);
}

export async function stopNotifying(): Promise<void> {
  await browser.permissions.remove(NOTIFICATIONS);
}
