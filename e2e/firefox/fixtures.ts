import { test as base } from '@playwright/test';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { launchFirefoxWithExtension, openPopup, type FirefoxWithExtension } from './launch';
import type { PuppeteerPopup } from '../pages/puppeteer-popup';

/**
 * Firefox end to end: Playwright is only the test runner here. Each test launches firefox-esr with
 * puppeteer-core over WebDriver BiDi (see launch.ts), installs dist/firefox as a temporary add-on and gets
 * its own sandbox, so tests are independent like the Chromium ones.
 */
interface Fixtures {
  /** Plain HTTP on 127.0.0.1: Firefox has no host-resolver rules to send app.hellosign.com here. */
  sandbox: Sandbox;
  firefox: FirefoxWithExtension;
  popup: PuppeteerPopup;
}

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern
  sandbox: async ({}, use) => {
    const sandbox = await startSandbox();
    await use(sandbox);
    await sandbox.close();
  },
  // eslint-disable-next-line no-empty-pattern
  firefox: async ({}, use) => {
    const firefox = await launchFirefoxWithExtension();
    await use(firefox);
    await firefox.browser.close();
  },
  popup: async ({ firefox }, use) => {
    await use(await openPopup(firefox));
  },
});

export { expect } from '@playwright/test';
