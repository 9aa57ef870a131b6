import browser from 'webextension-polyfill';

/** The match pattern that covers an OAuth host's origin, e.g. `https://app.hellosign.com/*`. */
export function originPattern(origin: string): string {
  const url = new URL(origin);
  return `${url.protocol}//${url.hostname}/*`;
}

export function hasHostAccess(origin: string): Promise<boolean> {
  return browser.permissions.contains({ origins: [originPattern(origin)] });
}

/** Must run from a user's click: browsers only show the permission prompt for a user gesture. */
export function requestHostAccess(origin: string): Promise<boolean> {
  return browser.permissions.request({ origins: [originPattern(origin)] });
}
