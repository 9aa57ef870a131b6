import { apiHostOf, buildAccountRequest, readAccountResponse } from '../core/account';
import type { RecordedExchange } from '../core/exchange-record';
import type { VerifyReply } from '../core/protocol';
import { exchangeEra, recordExchange } from '../platform/exchange-log';
import { hasHostAccess } from '../platform/permissions';
import { loadData } from '../platform/storage-write';
import { permissionFailure, REFRESH_TIMEOUT_SECONDS, sendTokenRequest } from './refresh';

/**
 * "Verify token": `GET {api host}/v3/account` with the profile's access token, from the worker (the page
 * never holds the token's host permission or sends it). The same rules as the token requests: nothing sent
 * without host access, no redirect followed (it would carry the token elsewhere), no cookies. The exchange
 * is recorded for the inspector before the answer is given.
 */
export async function verifyToken(profileId: string): Promise<VerifyReply> {
  const { data, locked } = await loadData();
  const profile = data.profiles.find((p) => p.id === profileId);
  if (locked) return refused('locked', 'The vault is locked: unlock it to verify the token.');
  if (!profile) return refused('unknown_profile', 'This profile no longer exists. Choose another one.');
  if (profile.needsReview) {
    return refused(
      'needs_review',
      'Check and save this profile’s credentials first; nothing is sent until then.',
    );
  }
  const accessToken = data.tokens[profileId]?.accessToken;
  if (!accessToken) {
    return refused('no_token', 'There is no access token to verify yet. Refresh first, then verify.');
  }
  const apiHost = apiHostOf(profile);
  if (!(await hasHostAccess(apiHost).catch(() => false))) {
    return refused(
      'permission',
      `${permissionFailure(apiHost, Date.now()).title}. Grant access, then verify again.`,
    );
  }

  const request = buildAccountRequest(apiHost, accessToken);
  const exchange: RecordedExchange = {
    kind: 'verify',
    at: Date.now(),
    request: { method: request.method, url: request.url, headers: Object.entries(request.headers) },
  };
  const started = performance.now();
  const era = exchangeEra();
  let reply: VerifyReply;
  try {
    const response = await sendTokenRequest(request.url, {
      method: request.method,
      headers: request.headers,
    });
    if ('redirect' in response) {
      const where = response.redirect.location ? ` to ${response.redirect.location}` : '';
      const refusal = refused(
        'redirect',
        `The API host answered with a redirect${where}. It was not followed, so the token went nowhere else. Check the API host under Advanced.`,
      );
      exchange.error = refusal.message;
      reply = refusal;
    } else {
      exchange.response = {
        status: response.status,
        headers: Object.entries(response.headers),
        body: response.bodyText,
        ms: Math.round(performance.now() - started),
      };
      reply = readAccountResponse(response.status, response.headers, response.bodyText, Date.now(), [
        accessToken,
      ]);
    }
  } catch (error) {
    const refusal = await noAnswer(error, apiHost);
    exchange.error = refusal.message;
    reply = refusal;
  }
  await recordExchange(profileId, exchange, era).catch(() => undefined);
  return reply;
}

type Refusal = Extract<VerifyReply, { ok: false }>;

/** No answer from the API host: its own words (the token endpoint's speak of the OAuth host and rotation). */
async function noAnswer(error: unknown, apiHost: string): Promise<Refusal> {
  const host = new URL(apiHost).host;
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return refused(
      'timeout',
      `${host} did not answer within ${REFRESH_TIMEOUT_SECONDS} seconds. Nothing changed; verify again in a moment.`,
    );
  }
  // Access taken away while the call ran looks like any network error; tell them apart.
  if (!(await hasHostAccess(apiHost).catch(() => true))) {
    return refused(
      'permission',
      `${permissionFailure(apiHost, Date.now()).title}. Grant access, then verify again.`,
    );
  }
  return refused(
    'network',
    `Could not reach ${host}: check your connection, or the API host under Advanced, then verify again.`,
  );
}

function refused(reason: Refusal['reason'], message: string): Refusal {
  return { ok: false, reason, message };
}
