import type { RefreshFailure, RefreshFailureKind } from './refresh-outcome';

/**
 * The plain words for each failure kind: a title that says what went wrong and an action that says what to
 * do. One table, so the UI, the tests and the README all speak the same language.
 */
const WORDS: Record<RefreshFailureKind, { title: string; action: string }> = {
  invalid_grant: {
    title: 'The refresh token was rejected',
    action:
      'It was used already, revoked or expired, so refreshing again will not help. Get a new one by authorizing the app again (OAuth authorize → code → token).',
  },
  invalid_client: {
    title: 'The client ID or client secret was rejected',
    action:
      'Refreshing again will not help: copy both again from your API app’s settings in Dropbox Sign (API → your app → OAuth), and check the client authentication under Advanced.',
  },
  invalid_request: {
    title: 'Dropbox Sign says the request is malformed',
    action:
      'Check the client authentication under Advanced and that the refresh token was pasted whole; the server’s words below say which part it did not accept.',
  },
  unauthorized: {
    title: 'Dropbox Sign did not accept the credentials',
    action:
      'Refreshing again will not help: check the client ID, client secret and refresh token (new API apps need the client ID and secret).',
  },
  forbidden: {
    title: 'Dropbox Sign refused the request',
    action: 'The app may not be allowed to use OAuth, or the account lacks access. Check the app’s settings.',
  },
  rate_limited: {
    title: 'Too many requests: Dropbox Sign is rate limiting',
    action:
      'Wait until the limit resets, then refresh again. Your stored token and credentials are unchanged.',
  },
  server_error: {
    title: 'Dropbox Sign had a server error',
    action: 'This is on their side. Try again in a minute; nothing you stored was changed.',
  },
  http_error: {
    title: 'Dropbox Sign answered with an error',
    action: 'Check the OAuth host under Advanced; the server’s answer is shown below.',
  },
  bad_response: {
    title: 'The answer was not the JSON Dropbox Sign sends',
    action:
      'A proxy, captive portal or wrong OAuth host may be in the way. Check the OAuth host under Advanced and try again.',
  },
  missing_access_token: {
    title: 'The answer had no access token',
    action:
      'Dropbox Sign answered “OK” without an access_token. Try again; if it persists, check the OAuth host under Advanced.',
  },
  network: {
    title: 'Could not reach the OAuth server',
    action: 'Check your connection, VPN or proxy, and the OAuth host under Advanced, then try again.',
  },
  timeout: {
    title: 'The OAuth server did not answer in time',
    action:
      'Try again. If the request reached the server, a rotated refresh token may be lost; see the note below.',
  },
  permission: {
    title: 'The browser does not let the extension reach this host',
    action: 'Grant access to the OAuth host, then refresh again.',
  },
  redirect: {
    title: 'The OAuth host answered with a redirect — nothing was sent there',
    action:
      'The token endpoint never redirects, so the client secret and refresh token were not sent on. Check the OAuth host under Advanced; a proxy or captive portal may be in the way. Nothing stored was changed.',
  },
  no_refresh_token: {
    title: 'No refresh token is saved',
    action: 'Paste the refresh_token from your last token response into “Refresh token” and save.',
  },
  needs_review: {
    title: 'Check this profile’s OAuth host before refreshing',
    action:
      'Its settings were encrypted by an older version, which did not protect the OAuth host. Check the OAuth host under Advanced and the client ID, then press Save; nothing is sent until then.',
  },
  unknown_profile: {
    title: 'These credentials are no longer saved',
    action: 'Enter the client ID, client secret and refresh token again and save.',
  },
  interrupted: {
    title: 'The last refresh was interrupted before its answer was saved',
    action:
      'Refresh again. If that says the refresh token was rejected, the server had already rotated it: authorize the app again for a new one.',
  },
  storage_newer: {
    title: 'Your saved data is from a newer version of this extension',
    action: 'Update the extension. Nothing was sent, so your refresh token is still good.',
  },
  authorization: {
    title: 'The authorization did not finish',
    action: 'Nothing was stored. Authorize the app again.',
  },
  locked: {
    title: 'The vault is locked',
    action: 'Enter your passphrase to unlock the stored secrets, then refresh.',
  },
};

export function failure(
  kind: RefreshFailureKind,
  at: number,
  details: Partial<Omit<RefreshFailure, 'kind' | 'at'>> = {},
): RefreshFailure {
  return { kind, at, ...WORDS[kind], ...details };
}

export function timeoutFailure(at: number, seconds: number): RefreshFailure {
  return failure('timeout', at, {
    title: `The OAuth server did not answer within ${seconds} seconds`,
  });
}

/**
 * A redirect refused. `location` is named when the browser exposes it (a response that was followed anyway);
 * for a refused one (`redirect: 'manual'`) browsers hide the target from extensions too.
 */
export function redirectFailure(at: number, status: number | undefined, location?: string): RefreshFailure {
  return failure('redirect', at, {
    ...(location
      ? { title: `The OAuth host answered with a redirect to ${location} — nothing was sent there` }
      : {}),
    ...(status ? { status } : {}),
  });
}

export function networkFailure(at: number, host: string): RefreshFailure {
  return failure('network', at, { title: `Could not reach ${host}` });
}
