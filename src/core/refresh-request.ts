import type { Profile } from './profile';
import { MASK } from './redact';

/** A request described as data, so it can be sent by `fetch`, asserted in tests and shown to the user. */
export interface HttpRequestSpec {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
}

export const TOKEN_PATH = '/oauth/token';

/**
 * `POST {host}/oauth/token?refresh` with a JSON body, as the reference and the official SDKs send it.
 * The query is the literal `?refresh`, no value.
 */
export function buildRefreshRequest(
  profile: Pick<Profile, 'oauthHost' | 'clientId' | 'clientSecret' | 'refreshToken' | 'clientAuth'>,
): HttpRequestSpec {
  return tokenEndpointRequest(profile, `${profile.oauthHost}${TOKEN_PATH}?refresh`, {
    grant_type: 'refresh_token',
    refresh_token: profile.refreshToken,
  });
}

/**
 * A POST to the token endpoint (the refresh, or the authorization code's exchange): `grant` as the JSON
 * body, with the client authenticated as the profile says (in the body, an HTTP Basic header, or both).
 */
export function tokenEndpointRequest(
  profile: Pick<Profile, 'clientId' | 'clientSecret' | 'clientAuth'>,
  url: string,
  grant: Record<string, string>,
): HttpRequestSpec {
  const body: Record<string, string> = { ...grant };
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Accept: 'application/json',
  };
  if (profile.clientAuth !== 'basic') {
    if (profile.clientId) body.client_id = profile.clientId;
    if (profile.clientSecret) body.client_secret = profile.clientSecret;
  }
  if (profile.clientAuth !== 'body' && profile.clientId) {
    headers.Authorization = basicAuthorization(profile.clientId, profile.clientSecret);
  }
  return { url, method: 'POST', headers, body: JSON.stringify(body) };
}

/** RFC 6749 §2.3.1 / RFC 7617: `Basic base64(client_id:client_secret)`, UTF-8 safe. */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  const bytes = new TextEncoder().encode(`${clientId}:${clientSecret}`);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

/**
 * The request as text, secrets masked: what the user sees under "What was sent", so they can compare
 * with their own curl call without the panel leaking anything.
 */
export function describeRequest(spec: HttpRequestSpec): string {
  const lines = [`${spec.method} ${spec.url}`];
  for (const [name, value] of Object.entries(spec.headers)) {
    lines.push(
      `${name}: ${name.toLowerCase() === 'authorization' ? `${value.split(' ')[0]} ${MASK}` : value}`,
    );
  }
  const body = JSON.parse(spec.body) as Record<string, string>;
  const shown: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    shown[key] = key === 'grant_type' || key === 'client_id' ? value : MASK;
  }
  lines.push('', JSON.stringify(shown, null, 2));
  return lines.join('\n');
}
