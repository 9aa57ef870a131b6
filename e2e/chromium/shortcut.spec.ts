import { extensionWorker } from './launch';
import { saveAndRefresh } from '../scenarios/core';
import { expect, test } from './fixtures';

/**
 * Headless Chromium does not route synthesized key events (the DevTools protocol's Input.dispatchKeyEvent,
 * which Playwright's keyboard uses) to its shortcut handling: Alt+Shift+R on a tab reached the page, not the
 * extension (tried). So the command is delivered the way the browser delivers it once the keys are matched:
 * through the worker's own `chrome.commands.onCommand` event object (`dispatch`, which Chromium's extension
 * bindings expose), to whatever listener the worker registered at its start. The keys themselves are pinned
 * in manifest.spec.ts.
 */
test('the refresh shortcut refreshes the active profile with the popup closed, and the popup then shows the new token', async ({
  context,
  popup,
  sandbox,
}) => {
  await saveAndRefresh({ popup, sandbox });
  const before = sandbox.tokenRefreshRequests().length;
  await popup.page.goto('about:blank'); // the popup closed: no extension page is open

  const arrived = sandbox.nextRequest((r) => r.path === '/oauth/token');
  const worker = await extensionWorker(context);
  await worker.evaluate(() => {
    chrome.commands.onCommand.dispatch('refresh-active-profile');
  });
  await arrived;

  expect(sandbox.tokenRefreshRequests()).toHaveLength(before + 1);
  await popup.open();
  await expect.poll(() => popup.revealAccessToken()).toBe(sandbox.lastIssued()?.accessToken);
});
