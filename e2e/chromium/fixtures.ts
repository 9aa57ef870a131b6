import { test as base, type BrowserContext } from '@playwright/test';
import { PlaywrightPopup } from '../pages/playwright-popup';
import { extensionWorker, launchWithExtension, POPUP_PATH } from './launch';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { createSelfSignedCert } from '../sandbox/tls';

interface Fixtures {
  sandbox: Sandbox;
  context: BrowserContext;
  extensionId: string;
  popup: PlaywrightPopup;
  /** Every console line of the worker and the pages, for the no-secret-in-logs checks. */
  consoleLines: string[];
  /**
   * Starts a recording sandbox on another origin (its own port of 127.0.0.1; https with the test
   * certificate, which the browser accepts, or plain http), e.g. as the target of a redirect that must
   * receive nothing. Closed after the test.
   */
  otherOrigin: (scheme: 'https' | 'http') => Promise<Sandbox>;
}

export const test = base.extend<Fixtures, { tls: { key: string; cert: string } }>({
  tls: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => use(await createSelfSignedCert(['app.hellosign.com', 'api.hellosign.com'])),
    { scope: 'worker' },
  ],
  sandbox: async ({ tls }, use) => {
    const sandbox = await startSandbox({ tls });
    await use(sandbox);
    await sandbox.close();
  },
  consoleLines: async ({}, use) => use([]), // eslint-disable-line no-empty-pattern
  otherOrigin: async ({ tls }, use) => {
    const started: Sandbox[] = [];
    await use(async (scheme) => {
      const other = await startSandbox(scheme === 'https' ? { tls } : {});
      started.push(other);
      return other;
    });
    await Promise.all(started.map((other) => other.close()));
  },
  context: async ({ sandbox, consoleLines }, use) => {
    const context = await launchWithExtension(sandbox.port);
    context.on('console', (message) => consoleLines.push(message.text()));
    context.on('weberror', (error) => consoleLines.push(String(error.error())));
    await use(context);
    await context.close();
  },
  extensionId: async ({ context }, use) => {
    const worker = await extensionWorker(context);
    await use(new URL(worker.url()).host);
  },
  popup: async ({ context, extensionId }, use) => {
    // Chromium refuses per-origin grants for chrome-extension:// origins; a context-wide grant works.
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const page = context.pages()[0] ?? (await context.newPage());
    const popup = new PlaywrightPopup(page, `chrome-extension://${extensionId}/${POPUP_PATH}`);
    await popup.open();
    await use(popup);
  },
});

export { expect } from '@playwright/test';
