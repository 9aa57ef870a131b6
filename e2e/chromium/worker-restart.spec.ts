import { refreshTokenIn, saveAndRefresh } from '../scenarios/core';
import { readDoc, readStorage, WorkerControl } from './devtools';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

/**
 * Chrome stops an MV3 service worker whenever it likes (idle 30 s, a fetch over 30 s, memory pressure, an
 * update). These tests stop ours for real, through the DevTools protocol (`ServiceWorker.stopAllWorkers`, the
 * same as "Stop" in chrome://serviceworker-internals), and check what survives.
 */

/** "Refresh now" (or "Refreshing…"): busy state is `aria-busy`; the button is never `disabled`. */
function refreshButton(page: Page) {
  return page.locator('.refresh-row .refresh-now');
}

test('a worker stopped in the middle of a refresh keeps the old pair and says the refresh was interrupted', async ({
  popup,
  sandbox,
  context,
  extensionId,
}) => {
  await saveAndRefresh({ popup, sandbox });
  const oldPair = sandbox.lastIssued();
  if (!oldPair?.refreshToken) throw new Error('the sandbox should rotate refresh tokens');
  const before = await readDoc(popup.page);
  expect(before.profile.refreshToken).toBe(oldPair.refreshToken);
  expect(before.doc.tokens[before.profile.id]?.accessToken).toBe(oldPair.accessToken);

  const worker = await WorkerControl.attach(context, popup.page, extensionId);
  expect(sandbox.settings.rotateRefreshTokens).toBe(true);
  const hold = sandbox.holdNext();
  await popup.page.getByRole('button', { name: 'Refresh now' }).click();
  // The POST has reached the server, which holds its answer until told; the worker marked the refresh in flight.
  const held = await hold.arrived;
  expect(refreshTokenIn(held)).toBe(oldPair.refreshToken);
  expect(sandbox.tokenRefreshRequests()).toHaveLength(2);
  expect((await readStorage(popup.page)).local.inFlight).toHaveProperty(before.profile.id);

  await worker.stop();
  // The popup that asked for the refresh loses its answer; it reloads, which wakes the worker again, and the
  // new worker finds the in-flight mark of the old one. The open popup says so without being reopened.
  await expect
    .poll(() => popup.alertText())
    .toContain('The last refresh was interrupted before its answer was saved');
  await expect(refreshButton(popup.page)).toHaveAttribute('aria-busy', 'false');

  // The server answers anyway, to a connection nobody reads: it has rotated the refresh token.
  hold.release();
  expect(await hold.outcome).toEqual({ kind: 'answered', status: 200 });
  expect(sandbox.lastIssued()?.accessToken).not.toBe(oldPair.accessToken);
  const lostPair = sandbox.lastIssued();
  expect(lostPair?.refreshToken).toBeTruthy();
  expect(sandbox.isRefreshTokenValid(oldPair.refreshToken)).toBe(false);

  // Reopened (as a user would): the worker is running again and what it stored is consistent.
  await popup.open();
  await expect.poll(() => worker.runningStatus()).toBe('running');
  expect(worker.restarts()).toBeGreaterThanOrEqual(1);

  const after = await readDoc(popup.page);
  const token = after.doc.tokens[after.profile.id];
  // Never a mix: the stored refresh token and access token came from the same answer. Here that is the old
  // pair, because the new one died with the worker.
  expect(after.profile.refreshToken).toBe(oldPair.refreshToken);
  expect(token?.accessToken).toBe(oldPair.accessToken);
  expect(after.profile.refreshToken).not.toBe(lostPair?.refreshToken);
  expect(token?.accessToken).not.toBe(lostPair?.accessToken);
  expect(token?.lastError?.kind).toBe('interrupted');
  expect((await readStorage(popup.page)).local.inFlight).toEqual({}); // no mark left
  // Nothing else was touched: same profile, same secret.
  expect(after.profile).toEqual(before.profile);

  // The server no longer accepts the stored refresh token, and the popup says so before the user finds out.
  const alert = await popup.alertText();
  expect(alert).toContain('The last refresh was interrupted before its answer was saved');
  expect(alert).toContain('authorize the app again');
  expect(await popup.revealAccessToken()).toBe(oldPair.accessToken);
  await expect(refreshButton(popup.page)).toHaveAttribute('aria-busy', 'false');

  // Following the advice: refreshing again reports the rotated-away token in plain words, and keeps everything.
  await popup.refresh();
  await expect.poll(() => popup.alertText()).toContain('The refresh token was rejected');
  expect(sandbox.tokenRefreshRequests()).toHaveLength(3);
  expect(refreshTokenIn(sandbox.tokenRefreshRequests()[2])).toBe(oldPair.refreshToken);
  const final = await readDoc(popup.page);
  expect(final.profile.refreshToken).toBe(oldPair.refreshToken);
  expect(final.doc.tokens[final.profile.id]?.accessToken).toBe(oldPair.accessToken);
});

test('a worker stopped while idle loses nothing: token, countdown and credentials are all still there', async ({
  popup,
  sandbox,
  context,
  extensionId,
}) => {
  const credentials = await saveAndRefresh({ popup, sandbox });
  const issued = sandbox.lastIssued();
  const storedBefore = await readStorage(popup.page);
  const countdownBefore = await popup.countdown();
  expect(countdownBefore).toMatch(/^(0:59:\d\d|1:00:00)$/);

  const worker = await WorkerControl.attach(context, popup.page, extensionId);
  await worker.stop();
  expect(worker.runningStatus()).toBe('stopped');

  await popup.open();
  await expect.poll(() => worker.runningStatus()).toBe('running');
  expect(await popup.alertText()).toBe('');
  // Still counting down from the same expiry (storage is compared whole below).
  const seconds = (text: string) => text.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);
  const countdownAfter = await popup.countdown();
  expect(countdownAfter).toMatch(/^(0:59:\d\d|1:00:00)$/);
  expect(seconds(countdownAfter)).toBeLessThanOrEqual(seconds(countdownBefore));
  expect(await popup.revealAccessToken()).toBe(issued?.accessToken);
  expect(await popup.fieldValue('Client secret')).toBe(credentials.clientSecret);
  expect(await popup.fieldValue('Refresh token')).toBe(issued?.refreshToken);
  expect(await readStorage(popup.page)).toEqual(storedBefore);

  // Stopped again under an open popup: its next message wakes the worker, and the refresh works.
  await worker.stop();
  await popup.refresh();
  await expect.poll(() => sandbox.tokenRefreshRequests().length).toBe(2);
  await expect.poll(() => popup.revealAccessToken()).toBe(sandbox.lastIssued()?.accessToken);
  expect(sandbox.lastIssued()?.accessToken).not.toBe(issued?.accessToken);
  expect(await popup.alertText()).toBe('');
  expect(worker.restarts()).toBe(2);
});
