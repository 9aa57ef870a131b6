import {
  authorizeProblemWords,
  buildAuthorizeUrl,
  buildCodeExchangeRequest,
  checkState,
  codeExchangeAdvice,
  newState,
  parseCallback,
  type AuthorizeProblem,
} from '../core/authorize';
import { failure } from '../core/failures';
import type { HistoryEntry } from '../core/history';
import { historyEntryFor } from '../core/history-entry';
import type { AuthorizeReply } from '../core/protocol';
import type { RefreshFailure } from '../core/refresh-outcome';
import { describeRequest } from '../core/refresh-request';
import { tokenStateFrom, type TokenState } from '../core/token-state';
import { attemptOf, endAttempt, startAttempt } from '../platform/auth-attempts';
import { AuthFlowError, callbackUrl, runAuthFlow } from '../platform/identity';
import { hasHostAccess } from '../platform/permissions';
import { loadData, StoredDataReadOnlyError, updateData, VaultLockedError } from '../platform/storage-write';
import { addHistory, askTokenEndpoint, permissionFailure } from './refresh';

/**
 * The first token (issue 11): the authorization-code flow. The worker runs all of it, so a popup that closes
 * when the authorization window takes the focus loses nothing: the outcome is stored on the profile's token
 * state, like a refresh's (a token, or `lastError`).
 *
 * Two ways to the code: the browser's authorization window (`launchWebAuthFlow`, which ends on the
 * extension's callback URL), or the paste fallback (the authorize page in a tab; the user pastes the URL
 * they landed on, or the code). Either way the attempt's `state` is kept in `storage.session` until the
 * attempt ends, a callback with another state is refused before anything is sent, and one code is
 * exchanged once (`exchanging`).
 */

/** Exchanges in progress, by code: a second "Use code" with the same code joins the first. */
const exchanging = new Map<string, Promise<AuthorizeReply>>();

/** Authorizations in progress in the window, by profile: a second click joins the first. */
const authorizing = new Map<string, Promise<AuthorizeReply>>();

const randomBytes = (n: number) => crypto.getRandomValues(new Uint8Array(n));

/** "Authorize with Dropbox Sign": the whole flow in the browser's authorization window. */
export function authorizeInWindow(profileId: string): Promise<AuthorizeReply> {
  const running = authorizing.get(profileId);
  if (running) return running;
  const started = runWindowFlow(profileId).finally(() => authorizing.delete(profileId));
  authorizing.set(profileId, started);
  return started;
}

async function runWindowFlow(profileId: string): Promise<AuthorizeReply> {
  const ready = await readyToAuthorize(profileId);
  if (!ready.ok) return ready.reply;
  const state = newState(randomBytes);
  await startAttempt(profileId, { state, startedAt: Date.now(), via: 'window' });
  let ended: string;
  try {
    ended = await runAuthFlow(buildAuthorizeUrl(ready.profile.oauthHost, ready.profile.clientId, state));
  } catch (error) {
    await endAttempt(profileId, state);
    // Chrome and Firefox end the flow the same way whether the user closed the window or the page never came
    // back to the callback URL (another one registered): the words name both, with the URL to register.
    // Anything else (the browser refused to open it) is the callback's problem too, as far as we can tell.
    const reason = error instanceof AuthFlowError ? error.reason : '';
    return recordProblem(
      profileId,
      /user|cancel|closed|did not approve/i.test(reason) ? 'window_closed' : 'callback_not_registered',
    );
  }
  return useCallback(profileId, ended, state, 'window');
}

/**
 * The paste fallback, first half: a new attempt (its state replaces any older one) and the authorize URL for
 * the page to open in a tab.
 */
export async function beginAuthorizationInTab(
  profileId: string,
): Promise<{ ok: true; url: string } | { ok: false; failure: RefreshFailure }> {
  const ready = await readyToAuthorize(profileId);
  if (!ready.ok) return { ok: false, failure: ready.reply.failure };
  const state = newState(randomBytes);
  await startAttempt(profileId, { state, startedAt: Date.now(), via: 'tab' });
  return { ok: true, url: buildAuthorizeUrl(ready.profile.oauthHost, ready.profile.clientId, state) };
}

/**
 * The paste fallback, second half: what the user pasted (the callback URL they landed on, or the bare code).
 * A URL's state must be the open attempt's; only a bare code, which has none, is accepted unchecked, with a
 * note. A second "Use code" with a code being exchanged joins that exchange.
 */
export async function useAuthorizationCode(profileId: string, input: string): Promise<AuthorizeReply> {
  const parsed = parseCallback(input);
  if (parsed.kind === 'code') {
    const running = exchanging.get(parsed.code);
    if (running) return running;
  }
  const attempt = await attemptOf(profileId);
  return useCallback(profileId, input, attempt?.state, 'tab');
}

async function useCallback(
  profileId: string,
  input: string,
  expectedState: string | undefined,
  via: 'window' | 'tab',
): Promise<AuthorizeReply> {
  const parsed = parseCallback(input);
  if (parsed.kind === 'invalid') {
    return recordProblem(profileId, 'invalid_callback', { title: parsed.problem });
  }
  if (expectedState === undefined) return recordProblem(profileId, 'no_attempt');
  // Only a code pasted alone may come without a state: an address always carries the one it was sent.
  const stateCheck =
    parsed.kind === 'code' && parsed.bare
      ? checkState(expectedState, undefined)
      : parsed.state === undefined
        ? 'mismatch'
        : checkState(expectedState, parsed.state);
  if (stateCheck === 'mismatch') {
    // The window's attempt is over either way; a pasted one stays open, since the page the user opened may
    // still come back with the right state.
    if (via === 'window') await endAttempt(profileId, expectedState);
    return recordProblem(profileId, 'state_mismatch');
  }
  if (parsed.kind === 'error') {
    await endAttempt(profileId, expectedState);
    return recordProblem(
      profileId,
      'access_denied',
      {},
      {
        error: parsed.error,
        ...(parsed.description ? { description: parsed.description } : {}),
      },
    );
  }
  const { code } = parsed;
  const running = exchanging.get(code);
  if (running) return running;
  const note =
    stateCheck === 'unchecked'
      ? 'A bare code carries no state, so it could not be checked against the page you opened.'
      : undefined;
  const started = exchange(profileId, code, expectedState, note).finally(() => exchanging.delete(code));
  exchanging.set(code, started);
  return started;
}

/** The profile, when it can be authorized: it exists, the vault is open, and it has a client ID and secret. */
async function readyToAuthorize(
  profileId: string,
): Promise<
  | { ok: true; profile: { oauthHost: string; clientId: string } }
  | { ok: false; reply: { ok: false; failure: RefreshFailure } }
> {
  const { data, locked, readOnly } = await loadData();
  const at = Date.now();
  if (readOnly) return { ok: false, reply: { ok: false, failure: failure('storage_newer', at) } };
  if (locked) return { ok: false, reply: { ok: false, failure: failure('locked', at) } };
  const profile = data.profiles.find((p) => p.id === profileId);
  if (!profile) return { ok: false, reply: { ok: false, failure: failure('unknown_profile', at) } };
  // As for a refresh: a host that could have been edited while locked is not trusted with the secret.
  if (profile.needsReview) return { ok: false, reply: { ok: false, failure: failure('needs_review', at) } };
  if (!profile.clientId || !profile.clientSecret) {
    return { ok: false, reply: await recordProblem(profileId, 'no_client_credentials') };
  }
  // Checked before the window opens: approving first and learning afterwards that nothing can be sent
  // would waste the user's consent.
  if (!(await hasHostAccess(profile.oauthHost).catch(() => false))) {
    return { ok: false, reply: await recordFailure(profileId, permissionFailure(profile.oauthHost, at)) };
  }
  return { ok: true, profile };
}

async function exchange(
  profileId: string,
  code: string,
  state: string,
  note: string | undefined,
): Promise<AuthorizeReply> {
  const { data, locked } = await loadData();
  const profile = data.profiles.find((p) => p.id === profileId);
  const at = Date.now();
  if (locked) return { ok: false, failure: failure('locked', at) };
  if (!profile) return { ok: false, failure: failure('unknown_profile', at) };
  if (profile.needsReview) return { ok: false, failure: failure('needs_review', at) };
  if (!(await hasHostAccess(profile.oauthHost).catch(() => false))) {
    return recordFailure(profileId, permissionFailure(profile.oauthHost, at));
  }
  // The code is about to be spent: the attempt ends here (not before, so a paste refused while locked or
  // without host access can be used again once that is fixed).
  await endAttempt(profileId, state);
  const request = buildCodeExchangeRequest(profile, code, state);
  const { parsed, status, recorded } = await askTokenEndpoint(
    request,
    profile.oauthHost,
    [profile.clientSecret, code],
    { profileId, kind: 'exchange' },
  );
  await recorded;
  const lastRequest = describeRequest(request);
  const entry = historyEntryFor(parsed, 'authorization', '', Date.now(), status);
  if (!parsed.ok) {
    const advice = codeExchangeAdvice(parsed.failure.serverMessage);
    return recordFailure(profileId, { ...parsed.failure, ...(advice ?? {}) }, lastRequest, entry);
  }
  const issued = parsed.token;
  if (!issued.refreshToken) {
    return recordFailure(
      profileId,
      failure('authorization', Date.now(), {
        title: 'The answer had no refresh token',
        action:
          'Dropbox Sign answered the code exchange without a refresh_token, so the token cannot be refreshed later. Authorize again.',
      }),
      lastRequest,
      failedEntry(entry, 'No refresh token in the answer'),
    );
  }
  // The refresh token and the token state in one write, exactly like a refresh's answer; nothing else of the
  // profile changes.
  try {
    return await updateData((stored): AuthorizeReply => {
      const target = stored.profiles.find((p) => p.id === profileId);
      const token: TokenState = {
        ...tokenStateFrom(issued),
        lastRequest,
        ...(note ? { warnings: [...(issued.warnings.length ? issued.warnings : []), note] } : {}),
      };
      if (!target) return { ok: false, failure: failure('unknown_profile', Date.now()) };
      target.refreshToken = issued.refreshToken ?? target.refreshToken;
      stored.tokens[profileId] = token;
      addHistory(stored, profileId, entry);
      return { ok: true, token };
    });
  } catch (error) {
    if (error instanceof VaultLockedError) return { ok: false, failure: failure('locked', Date.now()) };
    throw error;
  }
}

/** The line of an answer taken as a failure: nothing of the token it brought. */
function failedEntry(entry: HistoryEntry, outcome: string): HistoryEntry {
  const { accessTokenEnd: _end, refreshTokenChanged: _changed, expiresIn: _expires, ...rest } = entry;
  return { ...rest, ok: false, outcome };
}

/** An authorization problem, in words, recorded on the profile's token state like a refresh's failure. */
function recordProblem(
  profileId: string,
  problem: AuthorizeProblem,
  override: { title?: string } = {},
  details: { error?: string; description?: string } = {},
): Promise<AuthorizeReply & { ok: false }> {
  const words = authorizeProblemWords(problem, { callbackUrl: callbackUrl(), ...details });
  return recordFailure(profileId, failure('authorization', Date.now(), { ...words, ...override }));
}

async function recordFailure(
  profileId: string,
  f: RefreshFailure,
  lastRequest?: string,
  entry?: HistoryEntry,
): Promise<AuthorizeReply & { ok: false }> {
  try {
    await updateData((stored) => {
      if (!stored.profiles.some((p) => p.id === profileId)) return;
      if (entry) addHistory(stored, profileId, entry);
      stored.tokens[profileId] = {
        ...stored.tokens[profileId],
        lastError: f,
        lastAttemptAt: f.at,
        ...(lastRequest ? { lastRequest } : {}),
      };
    });
  } catch (error) {
    // Locked or newer data: the answer still says what happened; there is just nothing to record it on.
    if (!(error instanceof VaultLockedError) && !(error instanceof StoredDataReadOnlyError)) throw error;
  }
  return { ok: false, failure: f };
}
