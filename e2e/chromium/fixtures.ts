import { test as base, chromium, type BrowserContext, type Worker } from '@playwright/test';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { PlaywrightPopup } from '../pages/playwright-popup';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { createSelfSignedCert } from '../sandbox/tls';

export const CHROME_DIST = path.resolve('dist/chrome');
export const POPUP_PATH = 'src/popup/index.html';

/** Flags without which Chromium's start-up and connections stall on a closed network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

/**
 * The real Dropbox Sign hosts are sent to the local sandbox, so tests run the default configuration
 * (`https://app.hellosign.com`) over real HTTPS with a throwaway certificate.
 */
export function hostMappingArgs(port: number): string[] {
  return [
    `--host-resolver-rules=MAP app.hellosign.com 127.0.0.1:${port}, MAP api.hellosign.com 127.0.0.1:${port}`,
    '--ignore-certificate-errors',
  ];
}

export async function launchWithExtension(sandboxPort: number, headless = true): Promise<BrowserContext> {
  if (!existsSync(path.join(CHROME_DIST, 'manifest.json'))) {
    throw new Error(`No built extension in ${CHROME_DIST}: run "npm run build" first.`);
  }
  return chromium.launchPersistentContext('', {
    executablePath: chromiumPath(),
    headless,
    viewport: { width: 400, height: 640 },
    args: [
      `--disable-extensions-except=${CHROME_DIST}`,
      `--load-extension=${CHROME_DIST}`,
      ...CHROMIUM_ARGS,
      ...hostMappingArgs(sandboxPort),
    ],
  });
}

export async function extensionWorker(context: BrowserContext): Promise<Worker> {
  return context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
}

interface Fixtures {
  sandbox: Sandbox;
  context: BrowserContext;
  extensionId: string;
  popup: PlaywrightPopup;
  /** Every console line of the worker and the pages, for the no-secret-in-logs checks. */
  consoleLines: string[];
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
