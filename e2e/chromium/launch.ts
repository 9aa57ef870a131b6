import { chromium, type BrowserContext, type Worker } from '@playwright/test';
import { existsSync } from 'node:fs';
import path from 'node:path';

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

export async function launchWithExtension(
  sandboxPort: number,
  headless = true,
  userDataDir = '',
): Promise<BrowserContext> {
  if (!existsSync(path.join(CHROME_DIST, 'manifest.json'))) {
    throw new Error(`No built extension in ${CHROME_DIST}: run "npm run build" first.`);
  }
  return chromium.launchPersistentContext(userDataDir, {
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
