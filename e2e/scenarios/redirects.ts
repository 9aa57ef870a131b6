import { expect } from '@playwright/test';
import type { RecordedRequest, RedirectStatus, Sandbox } from '../sandbox/server';
import { saveAndRefresh, type ScenarioContext } from './core';
import { storedDocument } from '../stored-document';

/**
 * No secret follows a redirect. The OAuth host answers the refresh POST with a redirect to another origin; a
 * `fetch` left to follow it would send the client secret and refresh token there (a 307/308 re-POSTs the
 * body as it is), plain http:// included, and would store whatever tokens came back. The other origin is a
 * second sandbox that records every request (preflights included) and answers a token POST as a token
 * endpoint would, so a client that followed would also store its tokens.
 */
export interface RedirectScenarioContext extends ScenarioContext {
  /** Starts a recording server on another origin (another port of 127.0.0.1); closed after the test. */
  otherOrigin(scheme: 'https' | 'http'): Promise<Sandbox>;
  /** What `storage.local` holds now, read from an extension page. */
  readLocalStorage(): Promise<Record<string, unknown>>;
}

export interface RedirectCase {
  name: string;
  status: RedirectStatus;
  /** The scheme of the origin the redirect points to. */
  scheme: 'https' | 'http';
}

export const REDIRECT_CASES: RedirectCase[] = [
  { name: '307 to another origin over https', status: 307, scheme: 'https' },
  { name: '307 to a plain http:// origin', status: 307, scheme: 'http' },
  { name: '308 to another origin over https', status: 308, scheme: 'https' },
  { name: '308 to a plain http:// origin', status: 308, scheme: 'http' },
  { name: '302 to a plain http:// origin', status: 302, scheme: 'http' },
];

export const REDIRECT_TITLE = 'The OAuth host answered with a redirect';

/** What the other origin hands out: a client that followed the redirect would store these. */
const FOREIGN_TOKENS = {
  access_token: 'foreign-access-token-from-the-other-origin',
  refresh_token: 'foreign-refresh-token-from-the-other-origin',
  expires_in: 3600,
  token_type: 'Bearer',
};

interface StoredState {
  /** The active profile as stored: client ID, client secret, refresh token, OAuth host and the rest. */
  profile: Record<string, unknown>;
  /** The stored token state of that profile: last good access token, its expiry, the last error. */
  token: { accessToken?: string; expiresAt?: number; lastError?: { kind?: string } };
  /** All of `storage.local`, as text. */
  raw: string;
}

async function readState(ctx: RedirectScenarioContext): Promise<StoredState> {
  const local = await ctx.readLocalStorage();
  const data = storedDocument(local) as {
    activeProfileId?: string;
    profiles?: Record<string, unknown>[];
    tokens?: Record<string, StoredState['token']>;
  };
  const profile = data.profiles?.find((p) => p.id === data.activeProfileId) ?? data.profiles?.[0];
  if (!profile) throw new Error('no profile stored');
  return { profile, token: data.tokens?.[String(profile.id)] ?? {}, raw: JSON.stringify(local) };
}

const isRefreshPost = (r: RecordedRequest) => r.method === 'POST' && r.search === '?refresh';

export async function runRedirectCase(ctx: RedirectScenarioContext, redirect: RedirectCase): Promise<void> {
  const { popup, sandbox } = ctx;
  const credentials = await saveAndRefresh(ctx);
  const goodToken = sandbox.lastIssued();
  if (!goodToken?.refreshToken) throw new Error('the sandbox should rotate refresh tokens');
  const elsewhere = await ctx.otherOrigin(redirect.scheme);
  elsewhere.injectFault({ kind: 'json', status: 200, body: FOREIGN_TOKENS }, 5);
  const location = `${elsewhere.url}/oauth/token?refresh`;
  expect(new URL(location).origin).not.toBe(new URL(ctx.oauthHost ?? 'https://app.hellosign.com').origin);

  const before = await readState(ctx);
  expect(before.profile.refreshToken).toBe(goodToken.refreshToken);
  expect(before.profile.clientSecret).toBe(credentials.clientSecret);
  expect(before.token.accessToken).toBe(goodToken.accessToken);

  sandbox.injectFault({ kind: 'redirect', status: redirect.status, location });
  const redirected = sandbox.nextRequest(isRefreshPost);
  await popup.refresh();
  // The secrets went to the OAuth host, which answered with the redirect (and spent nothing).
  expect(JSON.parse((await redirected).bodyText)).toMatchObject({ refresh_token: goodToken.refreshToken });
  expect(sandbox.isRefreshTokenValid(goodToken.refreshToken)).toBe(true);

  // (b) The popup says what happened.
  await expect.poll(() => popup.failureTitle()).toMatch(new RegExp(`^${REDIRECT_TITLE}`));
  expect(await popup.alertText()).toContain('unchanged');
  // (a) The other origin received nothing at all: no POST, no preflight. The refresh has finished, and a
  // followed redirect would have reached it before the worker got any answer.
  expect(elsewhere.requests).toEqual([]);
  // (c) Nothing stored changed: same profile (refresh token, client secret, host, ...), same last good token.
  const after = await readState(ctx);
  expect(after.profile).toEqual(before.profile);
  expect(after.token.accessToken).toBe(before.token.accessToken);
  expect(after.token.expiresAt).toBe(before.token.expiresAt);
  expect(after.token.lastError?.kind).toBe('redirect');
  expect(after.raw).not.toContain(FOREIGN_TOKENS.access_token);
  expect(after.raw).not.toContain(FOREIGN_TOKENS.refresh_token);
  expect(await popup.revealAccessToken()).toBe(goodToken.accessToken);

  // Reopened, the popup still says so, and the form holds the refresh token that was stored before.
  await popup.open();
  expect(await popup.failureTitle()).toMatch(new RegExp(`^${REDIRECT_TITLE}`));
  expect(await popup.fieldValue('Refresh token')).toBe(goodToken.refreshToken);

  // (d) Without the fault, the next refresh works, with the stored refresh token.
  await popup.refresh();
  await expect.poll(() => popup.alertText()).toBe('');
  const next = sandbox.lastIssued();
  expect(next?.accessToken).not.toBe(goodToken.accessToken);
  await expect.poll(() => popup.revealAccessToken()).toBe(next?.accessToken);
  const lastSent = sandbox.tokenRefreshRequests().at(-1);
  expect(JSON.parse(lastSent?.bodyText ?? '{}')).toMatchObject({ refresh_token: goodToken.refreshToken });
  const final = await readState(ctx);
  expect(final.profile.refreshToken).toBe(next?.refreshToken);
  expect(final.token.accessToken).toBe(next?.accessToken);
  expect(final.token.lastError).toBeUndefined();
  expect(elsewhere.requests).toEqual([]);
}
