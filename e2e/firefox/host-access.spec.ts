import type { Page } from 'puppeteer-core';
import { saveAndRefresh } from '../scenarios/core';
import { expect, test } from './fixtures';

/**
 * Firefox lets the user withdraw an MV3 add-on's host access at any time. The popup notices (permissions
 * .contains, and the onRemoved event while it is open) and offers a button that asks again from the click.
 * The test profile grants what permissions.request() asks for without the doorhanger (see launch.ts).
 */
const SANDBOX_PATTERN = 'http://127.0.0.1/*';

interface PermissionsApi {
  permissions: {
    contains(p: { origins: string[] }): Promise<boolean>;
    remove(p: { origins: string[] }): Promise<boolean>;
  };
}

function hasSandboxAccess(page: Page): Promise<boolean> {
  return page.evaluate(
    (pattern) =>
      (globalThis as unknown as { browser: PermissionsApi }).browser.permissions.contains({
        origins: [pattern],
      }),
    SANDBOX_PATTERN,
  );
}

function revokeSandboxAccess(page: Page): Promise<boolean> {
  return page.evaluate(
    (pattern) =>
      (globalThis as unknown as { browser: PermissionsApi }).browser.permissions.remove({
        origins: [pattern],
      }),
    SANDBOX_PATTERN,
  );
}

test('a revoked host permission shows "Grant access to <host>", and the button grants it again', async ({
  popup,
  sandbox,
}) => {
  const { page } = popup;
  const host = new URL(sandbox.url).host;
  const grantButton = `::-p-aria([name="Grant access to ${host}"][role="button"])`;

  // Save asked for the sandbox's host from the click, and the profile granted it.
  await saveAndRefresh({ popup, sandbox, oauthHost: sandbox.url });
  expect(await hasSandboxAccess(page)).toBe(true);
  expect(await page.$(grantButton)).toBeNull();

  // As if the user removed it in about:addons: the open popup shows the button at once, and so does a new one.
  expect(await revokeSandboxAccess(page)).toBe(true);
  await page.locator(grantButton).wait();
  await popup.open();
  await page.locator(grantButton).click();

  await page.waitForFunction(() => !document.querySelector('.host-access'), { polling: 50, timeout: 8_000 });
  expect(await hasSandboxAccess(page)).toBe(true);
  await popup.refresh();
  expect(await popup.alertText()).toBe('');
  expect(sandbox.tokenRefreshRequests()).toHaveLength(2);
});
