import { test as base } from '@playwright/test';
import { rm } from 'node:fs/promises';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { createSelfSignedCert } from '../sandbox/tls';
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
  /**
   * Starts a recording sandbox on another origin (its own port of 127.0.0.1; https with a throwaway
   * certificate, which the test browser accepts, or plain http), e.g. as the target of a redirect that must
   * receive nothing. Closed after the test.
   */
  otherOrigin: (scheme: 'https' | 'http') => Promise<Sandbox>;
}

export const test = base.extend<Fixtures, { tls: { key: string; cert: string } }>({
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
  // eslint-disable-next-line no-empty-pattern
  firefox: async ({}, use) => {
    const firefox = await launchFirefoxWithExtension();
    await use(firefox);
    await firefox.browser.close();
    await rm(firefox.downloadDir, { recursive: true, force: true });
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

export { expect } from '@playwright/test';
