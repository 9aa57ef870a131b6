/**
 * The authorization-code flow (issue 11): the authorize page's address, reading what comes back from it,
 * the state check and the code exchange. Pure: the worker passes in its random source and sends the request.
 */
import type { Profile } from './profile';
import { TOKEN_PATH, tokenEndpointRequest, type HttpRequestSpec } from './refresh-request';

export const AUTHORIZE_PATH = '/oauth/authorize';

/** 32 bytes: 256 bits, twice the 128 that make a state unguessable, and a round 43 characters. */
const STATE_BYTES = 32;

/**
 * At least 128 random bits, base64url, from the given random source (crypto.getRandomValues in the worker).
 * A short or broken source is a bug and throws: a guessable state would defeat the check it exists for.
 */
export function newState(randomBytes: (n: number) => Uint8Array): string {
  const bytes = randomBytes(STATE_BYTES);
  if (bytes.length !== STATE_BYTES) {
    throw new Error(`The random source gave ${bytes.length} bytes; ${STATE_BYTES} were asked for`);
  }
  return base64url(bytes);
}

/**
 * Exactly what `newState` makes: 43 base64url characters. 256 bits fill 42 characters and 4 bits of the last,
 * whose 2 spare bits are zero, so only 16 characters can end it.
 */
const STATE_SHAPE = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;

export function isState(value: unknown): value is string {
  return typeof value === 'string' && STATE_SHAPE.test(value);
}

/**
 * `{oauthHost}/oauth/authorize?response_type=code&client_id=<id>&state=<state>`. Never a scope parameter:
 * scopes live in the app's settings, and Dropbox Sign fails an authorization that names them in the URL.
 */
export function buildAuthorizeUrl(oauthHost: string, clientId: string, state: string): string {
  const query = [
    'response_type=code',
    `client_id=${encodeURIComponent(clientId)}`,
    `state=${encodeURIComponent(state)}`,
  ].join('&');
  return `${withoutTrailingSlash(oauthHost)}${AUTHORIZE_PATH}?${query}`;
}

export type CallbackInput =
  /** From a URL with code (and state if present), or a bare code. */
  /** `bare`: a code alone, with no address or parameters around it (so no state could come with it). */
  | { kind: 'code'; code: string; state?: string; bare?: true }
  /** The authorize page sent back `error=` (access_denied etc.) instead of a code. */
  | { kind: 'error'; error: string; description?: string; state?: string }
  /** What was wrong and what to do, in words that never quote the input (it may hold a code). */
  | { kind: 'invalid'; problem: string };

/** Far above any real callback address; a paste this long is something else, and is not worth scanning. */
const MAX_INPUT = 4096;
/** A code pasted alone: URL-unreserved characters only, so it cannot be mistaken for a query or an address. */
const BARE_CODE = /^[A-Za-z0-9._~-]+$/;
const MIN_CODE = 4;
const MAX_CODE = 512;
/**
 * A code read from a URL arrives percent-decoded, so it may hold more than a bare paste would (base64's
 * `+/=`), but still only visible ASCII, and never quotes, backticks, angle brackets or backslashes.
 */
const URL_CODE = /^[!#-&(-;=?-[\]-_a-~]+$/;
/** The parameters that carry the answer; any of them twice makes the answer ambiguous. */
const ANSWER_KEYS = ['code', 'state', 'error', 'error_description'] as const;
const MAX_ERROR = 100;
const MAX_DESCRIPTION = 300;

const say = (problem: string): CallbackInput => ({ kind: 'invalid', problem });

const PASTE_AGAIN =
  'Copy the whole address from the browser’s address bar after you approve (it contains “code=”), or only the code, and paste it again.';

/**
 * Reads what the user pasted (a whole callback URL, a query string, a fragment or a bare code) or what
 * launchWebAuthFlow returned. Never throws, and never quotes the input back: it may hold a code.
 */
export function parseCallback(input: string): CallbackInput {
  const text = input.trim();
  if (!text) {
    return say(
      'Nothing was pasted. Paste the address Dropbox Sign sent you to after you approved (it contains “code=”), or only the code.',
    );
  }
  if (text.length > MAX_INPUT) return tooLong();
  // Line breaks and tabs are reported as spaces below; anything else of the kind is not text someone copied.
  if (/[\p{Cc}\p{Cf}]/u.test(text.replace(/[\t\n\r]/g, ''))) {
    return say(`What was pasted contains control or invisible characters. ${PASTE_AGAIN}`);
  }
  if (/^[[{]/.test(text)) {
    return say(
      'That looks like JSON, not a callback address or a code. If it is a token response, its refresh_token goes into “Refresh token” instead.',
    );
  }
  if (text.startsWith('<'))
    return say(`That looks like HTML, not a callback address or a code. ${PASTE_AGAIN}`);
  if (/\s/.test(text)) {
    return say(
      'What was pasted contains spaces or line breaks, which neither an address nor a code has. Copy it again in one piece.',
    );
  }

  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(text)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    if (scheme !== 'http' && scheme !== 'https') {
      return say(`Only a web address (http or https) is read as a callback address. ${PASTE_AGAIN}`);
    }
    return fromUrl(text);
  }
  if (text.startsWith('?') || text.startsWith('#')) return fromParams(new URLSearchParams(text.slice(1)));
  if (text.includes('=') || text.includes('&')) return fromParams(new URLSearchParams(text));
  return fromBareCode(text);
}

function tooLong(): CallbackInput {
  return say(
    `What was pasted is too long to be a callback address or a code (over ${MAX_INPUT} characters). ${PASTE_AGAIN}`,
  );
}

function fromUrl(text: string): CallbackInput {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return say(`That address could not be read. ${PASTE_AGAIN}`);
  }
  const query = new URLSearchParams(url.search);
  const fragment = new URLSearchParams(url.hash.slice(1));
  const inQuery = carriesAnswer(query);
  const inFragment = carriesAnswer(fragment);
  if (inQuery && inFragment) {
    return say(
      'The address carries an answer both after “?” and after “#”, so which one counts is unclear. Start the authorization again.',
    );
  }
  return fromParams(inFragment ? fragment : query);
}

function carriesAnswer(params: URLSearchParams): boolean {
  return ANSWER_KEYS.some((key) => params.has(key));
}

function fromParams(params: URLSearchParams): CallbackInput {
  const repeated = ANSWER_KEYS.find((key) => params.getAll(key).length > 1);
  if (repeated) {
    return say(
      `The address has “${repeated}” more than once, so it is ambiguous and may have been tampered with. Start the authorization again.`,
    );
  }
  const code = params.get('code');
  const error = params.get('error');
  const stateValue = params.get('state');
  const state = stateValue === null ? {} : { state: stateValue };
  if (code !== null && error !== null) {
    return say(
      'The address has both a code and an error, which Dropbox Sign never sends together. Start the authorization again.',
    );
  }
  if (error !== null) {
    const description = cleanText(params.get('error_description') ?? '', MAX_DESCRIPTION);
    return {
      kind: 'error',
      error: cleanText(error, MAX_ERROR),
      ...(description ? { description } : {}),
      ...state,
    };
  }
  if (code === null) {
    if (params.has('response_type') || params.has('client_id')) {
      return say(
        'That is the address of the authorization page, not the one it sends you back to. Open it, approve, then paste the address you land on.',
      );
    }
    return say(`The address has no code in it. ${PASTE_AGAIN}`);
  }
  if (!code) return say(`The code in the address is empty. ${PASTE_AGAIN}`);
  if (code.length < MIN_CODE || code.length > MAX_CODE || !URL_CODE.test(code)) {
    return say(`The code in the address is not one Dropbox Sign would send. ${PASTE_AGAIN}`);
  }
  return { kind: 'code', code, ...state };
}

function fromBareCode(text: string): CallbackInput {
  if (!BARE_CODE.test(text)) {
    return say(
      `That is neither a callback address nor a code: a code has only letters, digits and “-”, “_”, “.”, “~”. ${PASTE_AGAIN}`,
    );
  }
  if (text.length < MIN_CODE) return say(`That is too short to be a code. ${PASTE_AGAIN}`);
  if (text.length > MAX_CODE) return say(`That is too long to be a code. ${PASTE_AGAIN}`);
  return { kind: 'code', code: text, bare: true };
}

/**
 * The state check. 'ok': the answer belongs to this attempt. 'mismatch': refuse, send nothing. 'unchecked':
 * a bare code carries no state, so it is accepted with a note. With no expected state there is nothing to
 * vouch for the answer: refused.
 */
export function checkState(expected: string, got: string | undefined): 'ok' | 'mismatch' | 'unchecked' {
  if (!expected) return 'mismatch';
  if (got === undefined) return 'unchecked';
  return got === expected ? 'ok' : 'mismatch';
}

/**
 * The code exchange: `POST {oauthHost}/oauth/token` (no `?refresh`) with a JSON body, and the client
 * authentication chosen for the refresh. `state` is omitted when undefined; for a bare code the caller
 * passes the attempt's state, since a code issued with one is only exchanged with it.
 */
export function buildCodeExchangeRequest(
  profile: Pick<Profile, 'oauthHost' | 'clientId' | 'clientSecret' | 'clientAuth'>,
  code: string,
  state: string | undefined,
): HttpRequestSpec {
  const grant: Record<string, string> = { grant_type: 'authorization_code', code };
  if (state !== undefined) grant.state = state;
  return tokenEndpointRequest(profile, `${withoutTrailingSlash(profile.oauthHost)}${TOKEN_PATH}`, grant);
}

/** Every problem, as a value: a stored or received problem is checked against it. */
export const AUTHORIZE_PROBLEMS = [
  'window_closed',
  'access_denied', // also any other `error=` the authorize page sends back
  'state_mismatch',
  'no_attempt',
  'callback_not_registered',
  'no_client_credentials',
  'invalid_callback',
] as const;

/** The authorization's own failures; the token endpoint's are classified by parseTokenResponse. */
export type AuthorizeProblem = (typeof AUTHORIZE_PROBLEMS)[number];

/** An OAuth error code is a short word; anything else from the address is not shown as one. */
const ERROR_CODE = /^[A-Za-z0-9_.-]{1,64}$/;

/** Plain words for the authorization's own failures: what went wrong, and what to do. */
export function authorizeProblemWords(
  problem: AuthorizeProblem,
  details: { callbackUrl?: string; error?: string; description?: string } = {},
): { title: string; action: string } {
  switch (problem) {
    case 'window_closed': {
      // The browsers end the flow the same way when the user closes the window and when the page never
      // comes back to the callback URL (approved, but the app has another callback registered): say both.
      const callback = details.callbackUrl?.trim();
      return {
        title: 'The authorization window closed before it came back to the extension',
        action: callback
          ? `Nothing was sent or stored. If you approved and Dropbox Sign showed an error, the app’s “OAuth callback URL” is not ${callback}: register it (Dropbox Sign → API → your app → Edit → OAuth callback), or use “Open authorization page” and paste the address you land on. Otherwise, authorize again and approve.`
          : 'Nothing was sent or stored. Authorize again and approve the app in the Dropbox Sign window.',
      };
    }
    case 'access_denied': {
      const { error } = details;
      const declined = error === undefined || error === 'access_denied';
      const description = cleanText(details.description ?? '', MAX_DESCRIPTION);
      const said = description ? `Dropbox Sign said: “${description}”. ` : '';
      const code = !declined && ERROR_CODE.test(error) ? ` (${error})` : '';
      return {
        title: declined ? 'You declined the authorization' : `Dropbox Sign did not authorize the app${code}`,
        action: `${said}Nothing was stored. To get a token, authorize again and approve the app; until Dropbox Sign approves the app for production, only its owner can.`,
      };
    }
    case 'state_mismatch':
      return {
        title: 'Refused: the answer does not belong to this authorization',
        action:
          'Its state differs from the one this extension sent, so it may come from another attempt or be forged. Nothing was sent to Dropbox Sign and nothing was stored. Start the authorization again.',
      };
    case 'no_attempt':
      return {
        title: 'No authorization is in progress',
        action:
          'Start the authorization first, then paste the address you land on. An answer to an earlier attempt cannot be checked, so it is not used.',
      };
    case 'callback_not_registered': {
      const callback = details.callbackUrl?.trim();
      const target = callback ? `exactly ${callback}` : 'exactly the callback address this extension shows';
      return {
        title: 'Dropbox Sign could not send you back to the extension',
        action: `The app’s “OAuth callback URL” must be ${target} (Dropbox Sign → API → your app → Edit → OAuth callback). An app has only one: if another program of yours uses it, use “Open authorization page” instead, approve, and paste the address you land on.`,
      };
    }
    case 'no_client_credentials':
      return {
        title: 'The client ID and client secret are needed first',
        action:
          'Enter both from your API app’s settings in Dropbox Sign (API → your app) and save, then authorize: exchanging the code always needs them.',
      };
    case 'invalid_callback':
      return { title: 'That is not a callback address or code from Dropbox Sign', action: PASTE_AGAIN };
  }
}

/**
 * Dropbox Sign's answer to a stale, reused or foreign code ("Either the combo client_id/code is wrong or this
 * request was made more than 1 hour after the inital grant", sic): better words, as a title/action override.
 */
export function codeExchangeAdvice(
  serverMessage: string | undefined,
): { title: string; action: string } | undefined {
  if (!serverMessage || !/combo client_id\/code|more than 1 hour after/i.test(serverMessage))
    return undefined;
  return {
    title: 'The authorization code was already used, is older than about an hour, or is another app’s',
    action:
      'A code works once, for about an hour, and only with the client ID of the app it was issued for. Check the client ID, then authorize again and exchange the new code straight away.',
  };
}

function withoutTrailingSlash(host: string): string {
  return host.replace(/\/+$/, '');
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Text from the address, shown to the user: one line, no control or invisible characters, capped. */
function cleanText(text: string, max: number): string {
  const line = text.replace(/[\s\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}
