import { classifyFailure } from '../core/auto-refresh';
import { failure, networkFailure, redirectFailure, timeoutFailure } from '../core/failures';
import type { RefreshReply } from '../core/protocol';
import { buildRefreshRequest, describeRequest, type HttpRequestSpec } from '../core/refresh-request';
import type { ParsedTokenResponse } from '../core/refresh-outcome';
import { parseTokenResponse, type RawHttpResponse } from '../core/token-response';
import type { Profile } from '../core/profile';
import { tokenStateFrom, type TokenState } from '../core/token-state';
import type { RecordedExchange } from '../core/exchange-record';
import { appendHistory, readHistory, type HistoryEntry } from '../core/history';
import { historyEntryFor } from '../core/history-entry';
import type { StoredData } from '../core/stored-data';
import { exchangeEra, recordExchange } from '../platform/exchange-log';
import { hasHostAccess } from '../platform/permissions';
import { readInFlight, type InFlight } from '../platform/storage-read';
import { loadData, updateData, VaultLockedError, writeInFlight } from '../platform/storage-write';

/** Chrome kills a worker whose fetch takes over 30 s; give up well before. */
export const REFRESH_TIMEOUT_SECONDS = 15;

/**
 * Refreshes in progress, by profile. A refresh token may be single-use: two POSTs with the same one would
 * make the second fail with invalid_grant and could lose the rotated token, so every caller that arrives
 * while a refresh runs joins it. This map only tracks work in progress; results live in storage.
 */
const inProgress = new Map<string, Promise<RefreshReply>>();

/**
 * When each refresh whose request may be on the wire started: what the in-flight marks in storage say, from
 * the moment the request is about to be sent until its answer is stored. Written with every change.
 */
const sending = new Map<string, number>();

function currentMarks(): InFlight {
  return Object.fromEntries([...sending].map(([id, startedAt]) => [id, { startedAt }]));
}

/** Set when the worker starts; refreshes wait for it so a new in-flight mark is not taken for an old one. */
let recovery: Promise<void> = Promise.resolve();

/** Set while the vault is being locked: refreshes asked for meanwhile answer 'locked' at once. */
let locking: Promise<void> | undefined;

/**
 * Refreshes one profile's token, or joins the refresh of it already running (a click during an automatic
 * refresh gets that refresh's answer). `automatic`: started by the schedule, not by the user; its transient
 * failures count towards the backoff.
 */
export function refreshProfile(profileId: string, automatic = false): Promise<RefreshReply> {
  const running = inProgress.get(profileId);
  if (running) return running;
  if (locking) return Promise.resolve({ ok: false, failure: failure('locked', Date.now()), token: {} });
  const started = runRefresh(profileId, automatic).finally(() => inProgress.delete(profileId));
  inProgress.set(profileId, started);
  return started;
}

/** Resolves once a fresh start has checked for refreshes a stopped worker left unfinished. */
export function interruptedRefreshesChecked(): Promise<void> {
  return recovery;
}

export function refreshingProfileIds(): string[] {
  return [...inProgress.keys()];
}

/**
 * Runs `next` once no refresh of `profileId` is in progress: each one's answer stored (or refused),
 * whatever it was. `next` is called in the same turn as the last check, so a refresh asked for later
 * queues its read behind whatever `next` queues synchronously (an `updateData`, say).
 */
export async function afterRefreshOf<T>(profileId: string, next: () => Promise<T>): Promise<T> {
  for (let running = inProgress.get(profileId); running; running = inProgress.get(profileId)) {
    await running.catch(() => undefined);
  }
  return next();
}

/**
 * Runs `lock` once every refresh in progress has stored its answer. A refresh holds the secrets from its
 * start to its write; locking in between would refuse that write and lose a rotated refresh token. Refreshes
 * asked for while this waits are not started.
 */
export function lockWhenIdle(lock: () => Promise<void>): Promise<void> {
  locking ??= (async () => {
    await recovery;
    await Promise.allSettled([...inProgress.values()]);
    await lock();
  })().finally(() => {
    locking = undefined;
  });
  return locking;
}

async function runRefresh(profileId: string, automatic: boolean): Promise<RefreshReply> {
  await recovery;
  const { data, readOnly, locked } = await loadData();
  const profile = data.profiles.find((p) => p.id === profileId);
  const startedAt = Date.now();
  // Its answer could not be stored: spending the refresh token would lose the rotated one.
  if (readOnly) return { ok: false, failure: failure('storage_newer', startedAt), token: {} };
  // Nothing to send, and nothing may be written: the refresh waits for the user to unlock.
  if (locked)
    return { ok: false, failure: failure('locked', startedAt), token: data.tokens[profileId] ?? {} };
  if (!profile) return { ok: false, failure: failure('unknown_profile', startedAt), token: {} };
  // Answered without a write: any write would seal the unchecked host as if the user had confirmed it.
  if (profile.needsReview) {
    return { ok: false, failure: failure('needs_review', startedAt), token: data.tokens[profileId] ?? {} };
  }
  if (!profile.refreshToken)
    return recordFailure(profileId, failure('no_refresh_token', startedAt), automatic);

  // Before anything is sent: without host access the browser may still deliver the POST (a server that
  // allows CORS gets the secrets) and only hide the answer, so asking after a failure is too late.
  if (!(await hasHostAccess(profile.oauthHost).catch(() => false))) {
    return recordFailure(profileId, permissionFailure(profile.oauthHost, startedAt), automatic);
  }

  const request = buildRefreshRequest(profile);
  sending.set(profileId, startedAt);
  let marksWritten = false;
  try {
    // The mark is written while the request goes out, not before: a round trip less before the new token
    // is on screen. The mark only serves the "interrupted" notice after a stopped worker, so one that failed
    // to land must not cost the answer (the rotated refresh token) that comes back.
    const marked = writeInFlight(currentMarks).catch(() => undefined);
    const { parsed, status, recorded } = await askTokenEndpoint(
      request,
      profile.oauthHost,
      [profile.clientSecret, profile.refreshToken],
      { profileId, kind: 'refresh' },
    );
    await marked;
    // The answer is stored before anyone is told, so a closed popup or a stopped worker loses nothing; the
    // same write ends the mark, and adds the history line. The inspector's record is written beside it.
    sending.delete(profileId);
    const entry = historyEntryFor(
      parsed,
      automatic ? 'automatic' : 'refresh',
      profile.refreshToken,
      Date.now(),
      status,
    );
    const [reply] = await Promise.all([
      store(profileId, profile, parsed, automatic, describeRequest(request), entry),
      recorded,
    ]);
    marksWritten = true;
    return reply;
  } finally {
    sending.delete(profileId);
    // The answer could not be written (say, locked meanwhile): a mark left behind would show
    // "Refreshing…" until the next worker start.
    if (!marksWritten) await writeInFlight(currentMarks);
  }
}

/**
 * Sends a request to the token endpoint (a refresh, or a code exchange) and reads the answer: a token, or a
 * classified failure (a refused redirect, the transport's, the server's). `secrets` are kept out of any
 * words the failure quotes from the server. `recorded` settles once the "Last exchange" record is kept (it
 * never rejects: a failure to keep the record must not cost the token); await it before telling anyone.
 */
export async function askTokenEndpoint(
  request: HttpRequestSpec,
  oauthHost: string,
  secrets: string[],
  record: { profileId: string; kind: 'refresh' | 'exchange' },
): Promise<{ parsed: ParsedTokenResponse; status?: number; recorded: Promise<void> }> {
  const sentAt = Date.now();
  const started = performance.now();
  const era = exchangeEra();
  const exchange: RecordedExchange = {
    kind: record.kind,
    at: sentAt,
    request: {
      method: request.method,
      url: request.url,
      headers: Object.entries(request.headers),
      body: request.body,
    },
  };
  let parsed: ParsedTokenResponse;
  let status: number | undefined;
  try {
    const response = await sendTokenRequest(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
    });
    if ('redirect' in response) {
      parsed = {
        ok: false,
        failure: redirectFailure(Date.now(), response.redirect.status, response.redirect.location),
      };
      exchange.error = parsed.failure.title;
    } else {
      status = response.status;
      exchange.response = {
        status: response.status,
        headers: Object.entries(response.headers),
        body: response.bodyText,
        ms: Math.round(performance.now() - started),
      };
      parsed = parseTokenResponse(response, Date.now(), secrets);
    }
  } catch (error) {
    parsed = { ok: false, failure: await transportFailure(error, oauthHost, Date.now()) };
    exchange.error = parsed.failure.title;
  }
  // Started before the answer is stored, and awaited by the caller before it tells anyone: the inspector
  // shows what the popup is about to report. Its two session round trips run beside the answer's write
  // instead of before it.
  const recorded = recordExchange(record.profileId, exchange, era).catch(() => undefined);
  return { parsed, ...(status !== undefined ? { status } : {}), recorded };
}

/** A redirect the worker refused to follow: where it pointed, when the browser lets us see that. */
interface RefusedRedirect {
  redirect: { status?: number; location?: string };
}

/**
 * Sends a request that carries secrets. It never follows a redirect: `fetch` would POST the client secret
 * and refresh token again to whatever the `Location` names, plain http:// included, and we would store the
 * token that address returned. `manual` hands back an opaque redirect instead (browsers hide its target);
 * an answer from any URL but the one asked is refused as well, in case a browser followed one anyway.
 */
export async function sendTokenRequest(
  url: string,
  init: RequestInit,
): Promise<RawHttpResponse | RefusedRedirect> {
  const response = await fetch(url, {
    ...init,
    redirect: 'manual',
    credentials: 'omit', // never send the user's Dropbox Sign session cookies
    cache: 'no-store',
    signal: AbortSignal.timeout(REFRESH_TIMEOUT_SECONDS * 1000),
  });
  if (response.type === 'opaqueredirect') return { redirect: {} };
  if (response.redirected || (response.url !== '' && response.url !== url)) {
    return { redirect: { location: response.url } };
  }
  if (response.status >= 300 && response.status < 400 && response.headers.has('location')) {
    return { redirect: { status: response.status, location: response.headers.get('location') ?? '' } };
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name.toLowerCase()] = value));
  return { status: response.status, headers, bodyText: await response.text() };
}

async function transportFailure(error: unknown, oauthHost: string, at: number) {
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return timeoutFailure(at, REFRESH_TIMEOUT_SECONDS);
  }
  // Access revoked while the request ran looks like any network error; tell them apart.
  const granted = await hasHostAccess(oauthHost).catch(() => true);
  if (!granted) return permissionFailure(oauthHost, at);
  return networkFailure(at, new URL(oauthHost).host);
}

export function permissionFailure(oauthHost: string, at: number) {
  return failure('permission', at, {
    title: `The extension has no access to ${new URL(oauthHost).host}; nothing was sent`,
  });
}

/** The fields a refresh was made with; if any changed while it ran, the user has saved new credentials. */
type SentWith = Pick<Profile, 'refreshToken' | 'clientId' | 'clientSecret' | 'oauthHost' | 'clientAuth'>;

function sameCredentials(a: SentWith, b: SentWith): boolean {
  return (
    a.refreshToken === b.refreshToken &&
    a.clientId === b.clientId &&
    a.clientSecret === b.clientSecret &&
    a.oauthHost === b.oauthHost &&
    a.clientAuth === b.clientAuth
  );
}

async function store(
  profileId: string,
  sent: SentWith,
  parsed: ParsedTokenResponse,
  automatic: boolean,
  lastRequest: string,
  entry: HistoryEntry,
): Promise<RefreshReply> {
  return updateData(
    (data): RefreshReply => {
      addHistory(data, profileId, entry);
      const profile = data.profiles.find((p) => p.id === profileId);
      const previous = data.tokens[profileId] ?? {};
      const returned = parsed.ok ? parsed.token.refreshToken : parsed.refreshToken;
      const unchanged = profile !== undefined && sameCredentials(profile, sent);
      // Keep a rotated refresh token, unless the user saved a different one while we waited: theirs wins.
      if (profile && returned && profile.refreshToken === sent.refreshToken) profile.refreshToken = returned;
      // A failure of the old credentials says nothing about the ones saved meanwhile.
      if (!parsed.ok && !unchanged) return { ok: false, failure: parsed.failure, token: previous };
      let token: TokenState;
      if (parsed.ok) {
        token = tokenStateFrom(parsed.token);
      } else {
        // A failure never erases the last good token: it may still be valid for a while.
        token = afterFailure(
          { ...previous, lastError: parsed.failure, lastAttemptAt: parsed.failure.at },
          automatic,
        );
      }
      token.lastRequest = lastRequest;
      if (profile) data.tokens[profileId] = token;
      return parsed.ok ? { ok: true, token } : { ok: false, failure: parsed.failure, token };
    },
    { inFlight: currentMarks },
  );
}

/** Adds a history line for a profile still in the list (one removed meanwhile keeps none). */
export function addHistory(data: StoredData, profileId: string, entry: HistoryEntry): void {
  if (!data.profiles.some((p) => p.id === profileId)) return;
  const history = { ...data.history };
  history[profileId] = appendHistory(readHistory(history[profileId]), entry);
  data.history = history;
}

/**
 * The automatic refresh's bookkeeping after a failure, in the same write as the failure: one retrying
 * cannot fix pauses it (whoever made the attempt: a click that gets invalid_grant says the next alarm
 * would too); a transient one of an automatic attempt counts towards the backoff.
 */
function afterFailure(token: TokenState, automatic: boolean): TokenState {
  const failed = token.lastError;
  if (!failed) return token;
  const kind = classifyFailure(failed);
  if (kind === 'permanent') {
    const { autoRetries: _retries, ...rest } = token;
    return { ...rest, autoPaused: failed.title };
  }
  if (kind === 'transient' && automatic) return { ...token, autoRetries: (token.autoRetries ?? 0) + 1 };
  return token;
}

async function recordFailure(
  profileId: string,
  f: ReturnType<typeof failure>,
  automatic: boolean,
): Promise<RefreshReply> {
  return updateData((data): RefreshReply => {
    const token = afterFailure({ ...data.tokens[profileId], lastError: f, lastAttemptAt: f.at }, automatic);
    if (data.profiles.some((p) => p.id === profileId)) data.tokens[profileId] = token;
    return { ok: false, failure: f, token };
  });
}

/**
 * A worker that starts and finds refreshes marked in flight was stopped in the middle of them (in-memory
 * work does not survive a stop). Their answers were never stored: say so on the token, so the user knows
 * the refresh token may have been rotated away.
 */
export function recoverInterruptedRefreshes(): Promise<void> {
  recovery = markInterrupted().catch((error: unknown) => {
    console.error(
      'Could not check for interrupted refreshes:',
      error instanceof Error ? error.name : 'unknown',
    );
  });
  return recovery;
}

async function markInterrupted(): Promise<void> {
  const marks = await readInFlight();
  const interrupted = Object.keys(marks);
  if (interrupted.length === 0) return;
  const now = Date.now();
  try {
    // The notes and the end of the marks in one write. No refresh runs yet (each waits for this), so the
    // current marks are none.
    await updateData(
      (data) => {
        for (const id of interrupted) {
          if (!data.profiles.some((p) => p.id === id)) continue;
          // Stopped after the answer was stored but before the mark was cleared: nothing was lost.
          const attempted = data.tokens[id]?.lastAttemptAt;
          if (attempted !== undefined && attempted >= (marks[id]?.startedAt ?? Infinity)) continue;
          data.tokens[id] = {
            ...data.tokens[id],
            lastError: failure('interrupted', now),
            lastAttemptAt: now,
          };
        }
      },
      { inFlight: currentMarks },
    );
  } catch (error) {
    // Whatever happened, a mark left behind would show "Refreshing…" forever.
    await writeInFlight(currentMarks);
    // Locked since: the note cannot be written. Any other failure is reported by the caller.
    if (!(error instanceof VaultLockedError)) throw error;
  }
}
