/** A Dropbox Sign API app's OAuth credentials, as the user entered them. */

/** How the client authenticates to the token endpoint. */
export type ClientAuthMode = 'body' | 'basic' | 'both';

export const CLIENT_AUTH_MODES: readonly ClientAuthMode[] = ['body', 'basic', 'both'];

export const DEFAULT_OAUTH_HOST = 'https://app.hellosign.com';
export const DEFAULT_PROFILE_NAME = 'My API app';

export interface Profile {
  id: string;
  name: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** Origin of the OAuth endpoints, without a trailing slash. */
  oauthHost: string;
  clientAuth: ClientAuthMode;
  /**
   * Origin of the API (`GET /v3/account` for "Verify token"), without a trailing slash; absent: see
   * `apiHostOf` (account.ts). Where the access token is sent, so it is sealed beside the secrets like the OAuth host.
   */
  apiHost?: string;
  /**
   * "Refresh automatically": the worker refreshes this profile's token `leadMinutes` before it expires, with
   * every page closed. Off unless set: each refresh rotates the refresh token, so a backend of the user's
   * holding the same one would lose it.
   */
  autoRefresh?: true;
  /** "Minutes before expiry" for the automatic refresh, 1 to 60; absent: the default (5). */
  leadMinutes?: number;
  /**
   * Set only while reading a vault sealed before the OAuth host, client ID and client authentication were
   * sealed too: those came from the clear copy, which could have been edited. Nothing is sent for this
   * profile until the user checks and saves it. Never stored in clear, never taken from the clear copy.
   */
  needsReview?: true;
}

/** What the form submits; `id` is absent for a new profile. */
export type ProfileInput = Omit<Profile, 'id'> & { id?: string };

/** A profile with nothing entered yet: the default name, host and client authentication. */
export function emptyProfileInput(): Omit<Profile, 'id'> {
  return {
    name: DEFAULT_PROFILE_NAME,
    clientId: '',
    clientSecret: '',
    refreshToken: '',
    oauthHost: DEFAULT_OAUTH_HOST,
    clientAuth: 'body',
  };
}

export function newProfileId(random: () => string = () => crypto.randomUUID()): string {
  return `p-${random()}`;
}
