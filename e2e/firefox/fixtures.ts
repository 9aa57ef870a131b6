import { test as base } from '@playwright/test';
import { mkdir, rm } from 'node:fs/promises';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { createSelfSignedCert } from '../sandbox/tls';
import {
  FIREFOX_DIST,
  launchFirefox,
  openPopup,
  type FirefoxBrowser,
  type FirefoxWithExtension,
} from './launch';
import type { PuppeteerPopup } from '../pages/puppeteer-popup';

/**
 * Firefox end to end: Playwright is only the test runner here. Each Playwright worker launches one firefox-esr,
 * driven by puppeteer-core over WebDriver BiDi (see launch.ts), and each test installs dist/firefox in it as a
 * temporary add-on and uninstalls it after, with its own sandbox. Uninstalling clears the add-on's storage,
 * alarms, rules and granted permissions, so a test starts as on a fresh install, as the Chromium ones do; a
 * launch costs about 5 s idle (far more on CI's loaded cores) against 0.3 s for the reinstall. After a failed
 * test Playwright replaces the worker, and with it the browser.
 */
interface Fixtures {
  /** Plain HTTP on 127.0.0.1: Firefox has no host-resolver rules to send app.hellosign.com here. */
  sandbox: Sandbox;
  firefox: FirefoxWithExtension;
  popup: PuppeteerPopup;
  /**
   * Starts a recording sandbox on another origin (its own port of 127.0.0.1; https with a throwaway
   * certificate, which the test browser accepts, or plain http), e.g. as the target of a redirect that must
   * receive nothing. Closed after the test.
   */
  otherOrigin: (scheme: 'https' | 'http') => Promise<Sandbox>;
}

interface WorkerFixtures {
  tls: { key: string; cert: string };
  firefoxBrowser: FirefoxBrowser;
}

export const test = base.extend<Fixtures, WorkerFixtures>({
  tls: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => use(await createSelfSignedCert([])),
    { scope: 'worker' },
  ],
  // eslint-disable-next-line no-empty-pattern
  sandbox: async ({}, use) => {
    const sandbox = await startSandbox();
    await use(sandbox);
    await sandbox.close();
  },
  firefoxBrowser: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const firefox = await launchFirefox();
      await use(firefox);
      await firefox.browser.close();
      await rm(firefox.downloadDir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  firefox: async ({ firefoxBrowser }, use) => {
    const { browser, downloadDir } = firefoxBrowser;
    // Downloads of an earlier test (the profiles export) must not be mistaken for this one's.
    await rm(downloadDir, { recursive: true, force: true });
    await mkdir(downloadDir);
    const addonId = await browser.installExtension(FIREFOX_DIST);
    await use({ ...firefoxBrowser, addonId });
    // Off the add-on's pages first: uninstalling closes them, and closing a window's last tab closes it. The
    // blank tab left is the next test's first tab, as a fresh browser's.
    await leaveOneBlankTab(firefoxBrowser);
    await browser.uninstallExtension(addonId);
  },
  popup: async ({ firefox }, use) => {
    await use(await openPopup(firefox));
  },
  otherOrigin: async ({ tls }, use) => {
    const started: Sandbox[] = [];
    await use(async (scheme) => {
      const other = await startSandbox(scheme === 'https' ? { tls } : {});
      started.push(other);
      return other;
    });
    await Promise.all(started.map((other) => other.close()));
  },
});

/**
 * Leaves one new window with one tab at about:blank, closing every other tab and with them their windows,
 * as a fresh browser has it. A new window, as a panel (the toolbar popup) or the sidebar an earlier test left
 * open belongs to its window: Firefox refused `action.openPopup()` "while another panel is open" once. A new
 * tab, as the session history a reused tab piles up made each test's accessibility queries slower.
 */
async function leaveOneBlankTab(firefox: FirefoxBrowser): Promise<void> {
  const others = await firefox.browser.pages();
  firefox.firstTab = await firefox.browser.newPage({ type: 'window' });
  await Promise.all(others.map((page) => page.close()));
  await firefox.firstTab.bringToFront();
}

export { expect } from '@playwright/test';
