import { randomUUID } from 'node:crypto';
import type { RecordedRequest } from '../sandbox/server';
import { credentialsFor, fillForm } from '../scenarios/core';
import { expect, test } from './fixtures';

/**
 * "Notify me" (issue 10 §3) in Firefox, which can show the permission request and keep the notification for
 * the test to read (see launch.ts: optional permissions are granted without a prompt, and notifications stay
 * listed). Chromium's optional-permission prompt cannot be accepted from a test, so it is not run there.
 * The test starts from a pasted token response: its access token is kept without a request, so no attempt
 * was made yet and the scheduler's 30 s gap between attempts does not apply; its `expires_in` makes the
 * refresh due a few seconds after the save, so it is sent as soon as automatic refresh is on (or its alarm
 * fires). The test waits for the request to reach the sandbox, never for a duration.
 */
const isTokenPost = (request: RecordedRequest) =>
  request.method === 'POST' && request.path.startsWith('/oauth/token');

const LEAD_SECONDS = 5 * 60; // the default lead

test.describe.configure({ timeout: 150_000 });

test('Notify me asks for the permission; a failed automatic refresh is then notified, with no secret in it', async ({
  popup,
  sandbox,
}) => {
  sandbox.settings.expiresIn = 330;
  const credentials = credentialsFor(sandbox);
  const accessToken = `pasted-access-${randomUUID()}`;
  const response = {
    access_token: accessToken,
    token_type: 'bearer',
    expires_in: LEAD_SECONDS + 3,
    refresh_token: credentials.refreshToken,
  };
  await fillForm(
    { popup, sandbox, oauthHost: sandbox.url },
    { ...credentials, refreshToken: JSON.stringify(response) },
  );
  expect(await popup.save()).toContain('Its access token is kept as the current token.');
  const granted = () =>
    popup.page.evaluate(() => browser.permissions.contains({ permissions: ['notifications'] }));
  expect(await granted()).toBe(false);

  await popup.page.locator('::-p-xpath(//label[normalize-space(.)="Notify me"])').click();
  await expect.poll(granted).toBe(true);

  // Nothing is sent before automatic refresh is on, however long the steps above took.
  expect(sandbox.tokenRefreshRequests()).toEqual([]);
  sandbox.injectFault({ kind: 'status', status: 503 });
  const automatic = sandbox.nextRequest(isTokenPost);
  await popup.setAutoRefresh(true);
  await automatic;
  const listed = () => popup.page.evaluate(async () => Object.keys(await browser.notifications.getAll()));
  await expect.poll(listed).toContain('sign-token-refresher:failed');
  const text = await popup.page.evaluate(async () => JSON.stringify(await browser.notifications.getAll()));
  for (const secret of [credentials.clientSecret, credentials.refreshToken, accessToken]) {
    expect(text).not.toContain(secret);
  }
  await expect.poll(() => popup.autoRefreshStatus()).toContain('retry 1 after a failure');
});
