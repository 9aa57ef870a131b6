import { chromium, expect, test } from '@playwright/test';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unpackedExtensionId } from '../../scripts/package';
import { CHROME_DIST, CHROMIUM_ARGS, chromiumPath, extensionWorker } from './launch';

/** `chrome.identity`, which e2e/extension-globals.d.ts does not declare. */
interface ChromeIdentity {
  identity: { getRedirectURL(): string };
}

/**
 * Chrome derives an unpacked extension's id from its folder's path, unless the manifest has a `key`. Ours
 * does (manifest.json), so a build loaded from anywhere has one id, and the OAuth callback URL a developer
 * registered (`https://<id>.chromiumapp.org/`) keeps working after the folder moves.
 */
test('the unpacked build has the same id, and callback URL, from two different folders', async () => {
  const { key } = JSON.parse(readFileSync(path.join(CHROME_DIST, 'manifest.json'), 'utf8')) as {
    key: string;
  };
  const expected = unpackedExtensionId(key);
  const root = mkdtempSync(path.join(os.tmpdir(), 'stable-id-'));
  const seen: { id: string; redirectUrl: string }[] = [];
  try {
    for (const folder of ['one', 'elsewhere/two']) {
      const dist = path.join(root, folder);
      cpSync(CHROME_DIST, dist, { recursive: true });
      const context = await chromium.launchPersistentContext('', {
        executablePath: chromiumPath(),
        headless: true,
        args: [`--disable-extensions-except=${dist}`, `--load-extension=${dist}`, ...CHROMIUM_ARGS],
      });
      try {
        const worker = await extensionWorker(context);
        seen.push({
          id: new URL(worker.url()).host,
          // What "Callback URL to register" shows: identity.getRedirectURL().
          redirectUrl: await worker.evaluate(() =>
            (globalThis as unknown as { chrome: ChromeIdentity }).chrome.identity.getRedirectURL(),
          ),
        });
      } finally {
        await context.close();
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const callback = { id: expected, redirectUrl: `https://${expected}.chromiumapp.org/` };
  expect(seen).toEqual([callback, callback]);
});
