/**
 * `npm run try`: builds nothing itself (the npm script builds first), starts the local Dropbox Sign sandbox
 * over HTTPS, opens Chromium with the extension loaded, the real hosts mapped to the sandbox, and a profile
 * already saved, so a person can press "Refresh now" at once. The seeded app's OAuth callback URL is the
 * extension's identity redirect URL (`https://<extension id>.chromiumapp.org/`), so "Authorize with Dropbox
 * Sign" runs through the sandbox's consent page too. Without a display it says so, runs one refresh through
 * the popup headless, and writes a screenshot.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { extensionWorker, launchWithExtension, POPUP_PATH } from '../e2e/chromium/launch';
import { PlaywrightPopup } from '../e2e/pages/playwright-popup';
import { startSandbox } from '../e2e/sandbox/server';
import { createSelfSignedCert } from '../e2e/sandbox/tls';

const headless = !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const sandbox = await startSandbox({
  tls: await createSelfSignedCert(['app.hellosign.com', 'api.hellosign.com']),
});
const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'sign-token-refresher-'));
console.log(
  `Local Dropbox Sign sandbox: ${sandbox.url} (app.hellosign.com and api.hellosign.com are mapped to it)`,
);

const context = await launchWithExtension(sandbox.port, headless, userDataDir);
const extensionId = new URL((await extensionWorker(context)).url()).host;
// What chrome.identity.getRedirectURL() answers: launchWebAuthFlow ends when the consent page redirects there.
sandbox.setCallbackUrl(`https://${extensionId}.chromiumapp.org/`);
const page = context.pages()[0] ?? (await context.newPage());
const popup = new PlaywrightPopup(page, `chrome-extension://${extensionId}/${POPUP_PATH}`);
await popup.open();
await popup.fillCredentials({
  clientId: sandbox.app.clientId,
  clientSecret: sandbox.app.clientSecret,
  refreshToken: sandbox.issueRefreshToken(),
});
await page.locator('details.advanced > summary').click();
await page.getByLabel('Name', { exact: true }).fill('Local sandbox');
await popup.save();
await popup.open();

async function shutdown(code = 0): Promise<never> {
  await context.close().catch(() => undefined);
  await sandbox.close();
  await rm(userDataDir, { recursive: true, force: true });
  process.exit(code);
}

if (headless) {
  console.log('No display found (DISPLAY is not set): running one refresh through the popup, headless.');
  await popup.refresh();
  const ok = await popup.hasAccessToken();
  const file = await popup.screenshot('try-it');
  console.log(
    ok ? 'Refresh succeeded: the popup shows a fresh access token.' : 'The refresh did not produce a token.',
  );
  console.log(`Screenshot: ${file}`);
  await shutdown(ok ? 0 : 1);
} else {
  console.log(`Chromium is open with the extension (id ${extensionId}) and a saved "Local sandbox" profile.`);
  console.log(
    'Press "Refresh now" in the tab, or click the toolbar icon. Close the browser or press Ctrl+C to stop.',
  );
  console.log(
    `"Authorize with Dropbox Sign" opens the sandbox's consent page (${sandbox.authorizeUrl({ base: 'https://app.hellosign.com' })}),`,
  );
  console.log(`which answers to the app's OAuth callback URL ${sandbox.callbackUrlFor()}.`);
  context.on('close', () => void shutdown(0));
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
}
