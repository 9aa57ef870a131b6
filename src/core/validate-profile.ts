import {
  CLIENT_AUTH_MODES,
  DEFAULT_OAUTH_HOST,
  DEFAULT_PROFILE_NAME,
  type ClientAuthMode,
  type ProfileInput,
} from './profile';

export type ProfileField =
  'name' | 'clientId' | 'clientSecret' | 'refreshToken' | 'oauthHost' | 'apiHost' | 'clientAuth';
export type FieldMessages = Partial<Record<ProfileField, string>>;

export interface ProfileValidation {
  /** The input trimmed and normalized; safe to store when `errors` is empty. */
  value: ProfileInput;
  /** Blocking: the profile is not saved. */
  errors: FieldMessages;
  /** Saved anyway, but the user should know. */
  warnings: FieldMessages;
}

export const MAX_NAME_LENGTH = 60;

/** Checks what the form submits. Every message says what is wrong and what to do. */
export function validateProfile(input: Partial<Record<keyof ProfileInput, unknown>>): ProfileValidation {
  const errors: FieldMessages = {};
  const warnings: FieldMessages = {};
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

  const name = text(input.name) || DEFAULT_PROFILE_NAME;
  if (name.length > MAX_NAME_LENGTH) errors.name = `Use at most ${MAX_NAME_LENGTH} characters for the name.`;

  const clientId = text(input.clientId);
  const clientSecret = text(input.clientSecret);
  const refreshToken = extractRefreshToken(text(input.refreshToken));

  // "Bearer …" is checked before spaces: its space would otherwise hide the more useful message.
  // No refresh token yet is fine when the app can be authorized (issue 11): that needs the client ID and secret.
  if (!refreshToken && clientId && clientSecret) {
    warnings.refreshToken = 'No refresh token yet: save, then authorize the app to get one.';
  } else if (!refreshToken) {
    errors.refreshToken =
      'Enter a refresh token (the refresh_token from your last OAuth token response), or the client ID and client secret so the app can be authorized.';
  } else if (/^bearer$/i.test(refreshToken) || /^(bearer|basic)\s/i.test(text(input.refreshToken))) {
    errors.refreshToken = 'Paste only the refresh token itself, without “Bearer”.';
  } else if (/\s/.test(refreshToken)) {
    errors.refreshToken = 'The refresh token contains spaces or line breaks. Paste it again as one piece.';
  } else if (/^[{["]/.test(refreshToken)) {
    errors.refreshToken =
      'This looks like JSON without a refresh_token field. Paste the refresh_token value from the token response.';
  }

  if (/\s/.test(clientId)) errors.clientId = 'The client ID contains spaces. Paste it again as one piece.';
  else if (!clientId) warnings.clientId = 'Required for new API apps. Find it in your API app’s settings.';
  if (/\s/.test(clientSecret))
    errors.clientSecret = 'The client secret contains spaces. Paste it again as one piece.';
  else if (!clientSecret)
    warnings.clientSecret = 'Required for new API apps. Find it in your API app’s settings.';

  const clientAuth: ClientAuthMode = CLIENT_AUTH_MODES.includes(input.clientAuth as ClientAuthMode)
    ? (input.clientAuth as ClientAuthMode)
    : 'body';
  if (clientAuth !== 'body' && (!clientId || !clientSecret)) {
    errors.clientAuth =
      'HTTP Basic needs both the client ID and the client secret. Enter both, or send credentials in the body.';
  }

  const host = normalizeOauthHost(text(input.oauthHost) || DEFAULT_OAUTH_HOST);
  if ('error' in host) errors.oauthHost = host.error;
  // Empty: derived from the OAuth host (see `apiHostOf` in account.ts), so the common case stores nothing.
  const apiHostText = text(input.apiHost);
  const apiHost = apiHostText ? normalizeApiHost(apiHostText) : undefined;
  if (apiHost && 'error' in apiHost) errors.apiHost = apiHost.error;

  const id = text(input.id);
  return {
    value: {
      ...(id ? { id } : {}),
      name,
      clientId,
      clientSecret,
      refreshToken,
      oauthHost: 'origin' in host ? host.origin : text(input.oauthHost),
      ...(apiHost ? { apiHost: 'origin' in apiHost ? apiHost.origin : apiHostText } : {}),
      clientAuth,
    },
    errors,
    warnings,
  };
}

/**
 * The hosts plain http:// is accepted for. Each must have its `http://HOST/*` in the manifest's
 * `optional_host_permissions` (a test checks), or a saved host could never be granted.
 */
export const LOCAL_HTTP_HOSTS: readonly string[] = ['localhost', '127.0.0.1'];

/** An origin like `https://app.hellosign.com`: https, or http only for this machine. */
export function normalizeOauthHost(raw: string): { origin: string } | { error: string } {
  return normalizeHost(raw, 'OAuth host', 'https://app.hellosign.com');
}

/** The API host's origin; the API's base URL (`https://api.hellosign.com/v3`) is accepted as pasted. */
export function normalizeApiHost(raw: string): { origin: string } | { error: string } {
  return normalizeHost(raw.replace(/\/v3\/?$/i, ''), 'API host', 'https://api.hellosign.com');
}

function normalizeHost(
  raw: string,
  label: 'OAuth host' | 'API host',
  example: string,
): { origin: string } | { error: string } {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`);
  } catch {
    return { error: `Enter the ${label} as a URL, e.g. ${example}.` };
  }
  if (url.protocol === 'http:' && url.hostname === '[::1]') {
    return {
      error:
        'Use http://127.0.0.1 or http://localhost instead of http://[::1]: the extension can be granted only those.',
    };
  }
  const local = LOCAL_HTTP_HOSTS.includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    return { error: `Use https:// for the ${label} (http:// is allowed only for localhost).` };
  }
  // Before the path check: the likely paste is the API base URL `https://api.hellosign.com/v3`.
  if (label === 'OAuth host' && url.hostname === 'api.hellosign.com') {
    return {
      error: 'The token endpoint is on app.hellosign.com, not api.hellosign.com (which answers 404 there).',
    };
  }
  if (
    (url.pathname !== '/' && url.pathname !== '') ||
    url.search ||
    url.hash ||
    url.username ||
    url.password
  ) {
    return { error: `Enter only the host, without a path: ${url.origin}` };
  }
  return { origin: url.origin };
}

/** What a pasted token response holds besides its refresh token: the token it already carries. */
export interface PastedTokenResponse {
  refreshToken: string;
  accessToken?: string;
  /** `expires_in` as pasted, when it is a number: seconds from when the response was issued. */
  expiresIn?: number;
  tokenType?: string;
}

/**
 * A whole token response JSON pasted where the refresh token belongs, read for everything it holds; undefined
 * when the text is not such a JSON object with a `refresh_token` string.
 */
export function readPastedTokenResponse(pasted: string): PastedTokenResponse | undefined {
  const text = pasted.trim();
  if (!text.startsWith('{')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined; // Not JSON after all: validated as typed.
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const fields = parsed as Record<string, unknown>;
  const refreshToken = typeof fields.refresh_token === 'string' ? fields.refresh_token.trim() : undefined;
  if (refreshToken === undefined) return undefined;
  const accessToken = typeof fields.access_token === 'string' ? fields.access_token.trim() : '';
  const tokenType = typeof fields.token_type === 'string' ? fields.token_type.trim() : '';
  const expiresIn = fields.expires_in;
  return {
    refreshToken,
    ...(accessToken ? { accessToken } : {}),
    ...(typeof expiresIn === 'number' && Number.isFinite(expiresIn) ? { expiresIn } : {}),
    ...(tokenType ? { tokenType } : {}),
  };
}

/**
 * People paste what they have: the whole token response JSON, or `refresh_token=...`. Take the token out of
 * those rather than storing something that can never work.
 */
export function extractRefreshToken(pasted: string): string {
  const fromJson = readPastedTokenResponse(pasted);
  if (fromJson) return fromJson.refreshToken;
  const assignment = /^"?refresh_token"?\s*[:=]\s*"?([^"\s,]+)"?,?$/.exec(pasted);
  return assignment?.[1] ?? pasted;
}
