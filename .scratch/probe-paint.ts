import { launchWithExtension, extensionWorker, POPUP_PATH } from '../e2e/chromium/launch';
import { startSandbox } from '../e2e/sandbox/server';
import { createSelfSignedCert } from '../e2e/sandbox/tls';
import { initScript } from '../scripts/bench/probes';

const tls = await createSelfSignedCert(['app.hellosign.com', 'api.hellosign.com']);
const sandbox = await startSandbox({ tls });
const context = await launchWithExtension(sandbox.port);
const id = new URL((await extensionWorker(context)).url()).host;
const popupUrl = `chrome-extension://${id}/${POPUP_PATH}`;
await context.addInitScript({ content: initScript() + `
(() => { if (location.protocol !== 'chrome-extension:') return;
  const t = (window.__t = { start: performance.now() });
  const orig = chrome.storage.local.get.bind(chrome.storage.local);
  chrome.storage.local.get = (...a) => { const k = 'get' + Object.keys(t).length; t[k + 'call'] = performance.now(); const p = orig(...a); p.then(() => t[k + 'done'] = performance.now()); return p; };
  document.addEventListener('DOMContentLoaded', () => t.dcl = performance.now());
})();` });
{
  const page = await context.newPage();
  await page.goto(popupUrl);
  await page.getByText('Loading…').waitFor({ state: 'detached' });
  await page.getByLabel('Client ID', { exact: true }).fill(sandbox.app.clientId);
  await page.getByLabel('Client secret', { exact: true }).fill(sandbox.app.clientSecret);
  await page.getByLabel('Refresh token', { exact: true }).fill(sandbox.issueRefreshToken());
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
  await page.getByRole('button', { name: 'Refresh now', exact: true }).click();
  await page.getByRole('timer', { name: 'Expires in' }).waitFor();
  await page.close();
}
for (let i = 0; i < 8; i++) {
  for (const url of [popupUrl]) {
    const page = await context.newPage();
    await page.goto(url).catch(() => {});
    await page.waitForFunction(() => (window as any).__benchPaint?.frame !== undefined || location.href.includes('blank'), undefined, { timeout: 10000 });
    const r = await page.evaluate(() => ({
      t: (window as any).__t, paint: (window as any).__benchPaint,
      nav: (() => { const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming; return { resp: n.responseEnd, dom: n.domInteractive, dcl: n.domContentLoadedEventEnd }; })(),
      res: performance.getEntriesByType('resource').map((e) => `${e.name.split('/').pop()} ${e.startTime.toFixed(0)}-${e.responseEnd.toFixed(0)}`),
      fcp: performance.getEntriesByType('paint').map((e) => `${e.name} ${e.startTime.toFixed(0)}`),
    }));
    if (!url.includes('blank')) console.log(JSON.stringify(r, (k, v) => typeof v === 'number' ? Math.round(v) : v));
    await page.close();
  }
}
await context.close(); await sandbox.close();
