import type { RecordedRequest } from '../sandbox/server';
import { refreshTokenIn, saveAndRefresh } from '../scenarios/core';
import { expect, test } from './fixtures';

/**
 * Automatic refresh in Firefox, where the same code runs as an event page: the alarm fires with no add-on
 * page open, the event page refreshes with the rotated refresh token, and the badge follows. Tokens live
 * 5 min 30 s, so with the default 5-minute lead the refresh falls due 30 s after the first one.
 */
const isTokenPost = (request: RecordedRequest) =>
  request.method === 'POST' && request.path.startsWith('/oauth/token');

test.describe.configure({ timeout: 150_000 });

test('refreshes automatically with no add-on page open, and the badge follows the new token', async ({
  popup,
  sandbox,
}) => {
  sandbox.settings.expiresIn = 330;
  await saveAndRefresh({ popup, sandbox, oauthHost: sandbox.url });
  const first = sandbox.lastIssued();
  if (!first?.refreshToken) throw new Error('the sandbox should rotate refresh tokens');

  await popup.setAutoRefresh(true);
  expect(await popup.autoRefreshStatus()).toMatch(/^Next automatic refresh: /);
  expect(await popup.autoRefreshAlarms()).toHaveLength(1);
  expect(await popup.badge()).toMatchObject({ text: '5m' });

  const automatic = sandbox.nextRequest(isTokenPost);
  await popup.page.goto('about:blank'); // no page of the add-on is open any more
  expect(refreshTokenIn(await automatic)).toBe(first.refreshToken);

  await popup.open();
  const second = sandbox.lastIssued();
  await expect.poll(() => popup.revealAccessToken()).toBe(second?.accessToken);
  const badge = await popup.badge();
  expect(badge.text).toBe('5m');
  expect(badge.title).toContain('expires in 5 min');
  expect(sandbox.tokenRefreshRequests()).toHaveLength(2);
});
