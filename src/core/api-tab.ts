import { apiHostOf } from './account';
import type { StoredData } from './stored-data';

/**
 * The API tab (issue 14): one browser tab in which GET navigations to the API host carry the active profile's
 * access token, so the API can be read by typing its URLs. Pure: what the header rule must be for what is
 * stored; the worker applies it with `declarativeNetRequest` and keeps it in step.
 */

/** The tab the extension opened, and whose token it carries. In `storage.session`: it ends with the browser. */
export interface ApiTab {
  tabId: number;
  profileId: string;
  /** Set once the tab has loaded from the API host (before that it is the blank page it was created with). */
  reached?: true;
}

export const API_TAB_RULE_ID = 1;

/** The subset of a `declarativeNetRequest` rule this feature uses: one header set on one tab's GETs. */
export interface HeaderRule {
  id: number;
  priority: number;
  action: {
    type: 'modifyHeaders';
    requestHeaders: { header: 'Authorization'; operation: 'set'; value: string }[];
  };
  condition: {
    /** Only the tab the extension opened (with no opener, so no page can navigate it). */
    tabIds: number[];
    /** Only the API host: never another site, in that tab or elsewhere. */
    requestDomains: string[];
    /**
     * Only the API's own origin, scheme and port included (`|https://api.hellosign.com/`): the host alone
     * would match it over plain http and on any other port.
     */
    urlFilter: string;
    /** Reading only: a page cannot make it carry the token into a state change. */
    requestMethods: ['get'];
    /** Only what the tab itself loads: not a page's fetch, image or iframe. */
    resourceTypes: ['main_frame'];
  };
}

export type ApiTabState =
  | { kind: 'carries'; rule: HeaderRule; profileName: string; expiresAt?: number }
  | { kind: 'none'; why: string };

/**
 * The rule for the API tab as things stand, or why there is none: the profile deleted or no longer the
 * active one, the vault locked, no token, or the token expired. Without a rule the tab still loads, and the
 * API answers 401, which is the truth.
 */
export function apiTabState(
  tab: ApiTab,
  data: Pick<StoredData, 'activeProfileId' | 'profiles' | 'tokens'>,
  locked: boolean,
  now: number,
): ApiTabState {
  const profile = data.profiles.find((p) => p.id === tab.profileId);
  if (!profile) return { kind: 'none', why: 'its profile was deleted' };
  if (data.activeProfileId !== profile.id)
    return { kind: 'none', why: `“${profile.name}” is no longer the active profile` };
  if (locked) return { kind: 'none', why: 'the secrets are locked' };
  const token = data.tokens[profile.id];
  if (!token?.accessToken) return { kind: 'none', why: `“${profile.name}” has no access token` };
  if (token.expiresAt !== undefined && token.expiresAt <= now) {
    return { kind: 'none', why: `the access token of “${profile.name}” has expired` };
  }
  return {
    kind: 'carries',
    profileName: profile.name,
    ...(token.expiresAt !== undefined ? { expiresAt: token.expiresAt } : {}),
    rule: {
      id: API_TAB_RULE_ID,
      priority: 1,
      action: {
        type: 'modifyHeaders',
        // "Bearer" whatever case `token_type` came in: the scheme the API documents.
        requestHeaders: [{ header: 'Authorization', operation: 'set', value: `Bearer ${token.accessToken}` }],
      },
      condition: {
        tabIds: [tab.tabId],
        requestDomains: [new URL(apiHostOf(profile)).hostname],
        urlFilter: `|${new URL(apiHostOf(profile)).origin}/`,
        requestMethods: ['get'],
        resourceTypes: ['main_frame'],
      },
    },
  };
}

/** Where "Open API tab" lands: the cheapest read-only call, the account the token belongs to. */
export function apiTabStartUrl(profile: Parameters<typeof apiHostOf>[0]): string {
  return `${apiHostOf(profile)}/v3/account`;
}

/** Whether `url` is on the API's origin (a page the API tab may show while it carries the token). */
export function isOnApiOrigin(url: string, apiHost: string): boolean {
  try {
    return new URL(url).origin === new URL(apiHost).origin;
  } catch {
    return false;
  }
}
