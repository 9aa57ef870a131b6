import { randomUUID } from 'node:crypto';
import type { RecordedRequest } from '../sandbox/server';
import { credentialsFor, fillForm, refreshTokenIn } from '../scenarios/core';
import { expect, test } from './fixtures';

/**
 * Automatic refresh in Firefox, where the same code runs as an event page: the alarm fires with no add-on
 * page open, the event page refreshes with the stored refresh token, stores the rotated one, and the badge
 * follows. The test starts from a pasted token response: its access token is kept without a request, so no
 * attempt was made yet and the scheduler's 30 s gap between attempts does not apply; its `expires_in` puts
 * the refresh a few seconds after the save (a temporary add-on's alarm fires that soon). Tokens the sandbox
 * issues then live 5 min 30 s. The test waits for the request to reach the sandbox, never for a duration.
 */
const isTokenPost = (request: RecordedRequest) =>
  request.method === 'POST' && request.path.startsWith('/oauth/token');

const LEAD_SECONDS = 5 * 60; // the default lead
/**
 * Seconds from the save to the automatic refresh, for the popup's steps before it leaves the add-on's page,
 * allowing for a loaded CI machine. The test checks that nothing was sent before, so a machine too slow for
 * it fails the test instead of passing it for the wrong reason.
 */
const STEPS_FIRST_SECONDS = 10;

test.describe.configure({ timeout: 150_000 });

test('refreshes automatically with no add-on page open, and the badge follows the new token', async ({
  popup,
  sandbox,
}) => {
  sandbox.settings.expiresIn = 330;
  const credentials = credentialsFor(sandbox);
  const response = {
    access_token: `pasted-access-${randomUUID()}`,
    token_type: 'bearer',
    expires_in: LEAD_SECONDS + STEPS_FIRST_SECONDS,
    refresh_token: credentials.refreshToken,
  };
  await fillForm(
    { popup, sandbox, oauthHost: sandbox.url },
    { ...credentials, refreshToken: JSON.stringify(response) },
  );
  expect(await popup.save()).toContain('Its access token is kept as the current token.');

  await popup.setAutoRefresh(true);
  expect(await popup.autoRefreshStatus()).toMatch(/^Next automatic refresh: /);
  expect(await popup.autoRefreshAlarms()).toHaveLength(1);
  expect(await popup.badge()).toMatchObject({ text: '5m' });

  const automatic = sandbox.nextRequest(isTokenPost);
  await popup.page.goto('about:blank'); // no page of the add-on is open any more
  expect(sandbox.tokenRefreshRequests(), 'nothing may be sent before the page was left').toEqual([]);
  expect(refreshTokenIn(await automatic)).toBe(credentials.refreshToken);

  await popup.open();
  const second = sandbox.lastIssued();
  if (!second?.refreshToken) throw new Error('the sandbox should rotate refresh tokens');
  await expect.poll(() => popup.revealAccessToken()).toBe(second.accessToken);
  const badge = await popup.badge();
  expect(badge.text).toBe('5m');
  expect(badge.title).toContain('expires in 5 min');
  expect(sandbox.tokenRefreshRequests()).toHaveLength(1);

  // The refresh token the automatic refresh rotated in is the one the next refresh sends.
  await popup.refresh();
  expect(refreshTokenIn(sandbox.tokenRefreshRequests().at(-1))).toBe(second.refreshToken);
});
