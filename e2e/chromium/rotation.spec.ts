import type { Page } from '@playwright/test';
import { credentialsFor } from '../scenarios/core';
import { expect, test } from './fixtures';

import { request } from 'node:https';

const ROUNDS = 25;
const CALLERS_PER_PAGE = 4;

interface RefreshReply {
  ok: boolean;
  token: { accessToken?: string };
  failure?: { kind: string };
}

/**
 * Sends `count` refresh messages at once from an extension page, and then one more message; resolves when the
 * worker has answered that one. A page's messages reach the worker in order, so by then every refresh message
 * has been received (and joined the refresh in progress, or started it). The replies stay in the page.
 */
function fireRefreshes(page: Page, profileId: string, count: number): Promise<void> {
  return page.evaluate(
    async ({ id, n }) => {
      const host = window as unknown as { refreshReplies?: Promise<unknown[]> };
      host.refreshReplies = Promise.all(
        Array.from({ length: n }, () =>
          chrome.runtime.sendMessage({ type: 'refresh', payload: { profileId: id } }),
        ),
      );
      await chrome.runtime.sendMessage({ type: 'getSnapshot', payload: {} });
    },
    { id: profileId, n: count },
  );
}

/** The replies to the refresh messages `fireRefreshes` sent from the page, once they have all come. */
function repliesIn(page: Page): Promise<RefreshReply[]> {
  return page.evaluate(
    () => (window as unknown as { refreshReplies: Promise<RefreshReply[]> }).refreshReplies,
  );
}

test(`rotation under stress: ${ROUNDS} rounds of ${CALLERS_PER_PAGE * 3} concurrent callers on 3 pages, one POST each, never invalid_grant`, async ({
  popup,
  sandbox,
  context,
}) => {
  test.setTimeout(120_000);
  sandbox.settings.rotateRefreshTokens = true;
  await popup.fillCredentials(credentialsFor(sandbox));
  await popup.save();
  const profileId = await popup.page.evaluate(async () => {
    const snapshot = (await chrome.runtime.sendMessage({ type: 'getSnapshot', payload: {} })) as {
      activeProfileId: string;
    };
    return snapshot.activeProfileId;
  });
  const pages = [popup.page, await context.newPage(), await context.newPage()];
  for (const page of pages.slice(1)) await page.goto(popup.page.url());

  for (let round = 1; round <= ROUNDS; round += 1) {
    // The round's POST is held until every caller's message has reached the worker: all are concurrent.
    const hold = sandbox.holdNext();
    await Promise.all(pages.map((page) => fireRefreshes(page, profileId, CALLERS_PER_PAGE)));
    await hold.arrived;
    expect(sandbox.tokenRefreshRequests()).toHaveLength(round);
    hold.release();
    const replies = (await Promise.all(pages.map(repliesIn))).flat();
    expect(replies).toHaveLength(CALLERS_PER_PAGE * pages.length);
    expect(sandbox.tokenRefreshRequests()).toHaveLength(round);
    const issued = sandbox.lastIssued();
    for (const reply of replies) {
      expect(reply.failure?.kind).toBeUndefined();
      expect(reply.ok).toBe(true);
      expect(reply.token.accessToken).toBe(issued?.accessToken);
    }
    // The stored refresh token is always the one the server just issued, and the server still honours it.
    const refreshToken = issued?.refreshToken ?? '';
    expect(sandbox.isRefreshTokenValid(refreshToken)).toBe(true);
  }
  await popup.open();
  expect(await popup.fieldValue('Refresh token')).toBe(sandbox.lastIssued()?.refreshToken);
  expect(await popup.alertText()).toBe('');
});

test('a refresh token spent elsewhere first gives invalid_grant with what to do, and keeps the token that was stored', async ({
  popup,
  sandbox,
}) => {
  const credentials = credentialsFor(sandbox);
  await popup.fillCredentials(credentials);
  await popup.save();
  // Another client (a script, a colleague's Postman) refreshes with the same token and rotates it away.
  await postFromElsewhere(`${sandbox.url}/oauth/token?refresh`, {
    grant_type: 'refresh_token',
    refresh_token: credentials.refreshToken,
    client_id: credentials.clientId,
    client_secret: credentials.clientSecret,
  });
  expect(sandbox.isRefreshTokenValid(credentials.refreshToken)).toBe(false);
  await popup.refresh();
  await expect.poll(() => popup.alertText()).toContain('The refresh token was rejected');
  expect(await popup.alertText()).toContain('invalid_grant');
  await popup.open();
  expect(await popup.fieldValue('Refresh token')).toBe(credentials.refreshToken);
});

/** A real HTTPS POST from outside the browser; the sandbox's certificate is self-signed. */
function postFromElsewhere(url: string, body: object): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, rejectUnauthorized: false },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}
