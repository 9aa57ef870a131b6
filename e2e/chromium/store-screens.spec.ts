import type { Locator, Page } from '@playwright/test';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MASK } from '../../src/core/redact';
import type { PlaywrightPopup } from '../pages/playwright-popup';
import { refreshTokenIn, saveAndRefresh } from '../scenarios/core';
import type { Sandbox } from '../sandbox/server';
import { expect, test } from './fixtures';
import { pageOpenedBy } from './opened-page';

/**
 * The store screenshots (docs/store/): 1280×800, light and dark, of the real extension in its main states,
 * driven against the local sandbox like every other e2e test. Each shot is a page of ours that shows one or
 * two views of the real popup, captured at their true size (400 px wide, as the browser shows it), beside a
 * caption. Each test asserts the state its shot claims, and that no secret the sandbox issued or received is
 * in the popup's text or HTML when a view is captured.
 *
 *   npx playwright test e2e/chromium/store-screens.spec.ts                        # → artifacts/store-screenshots/
 *   STORE_SCREENSHOTS=1 npx playwright test e2e/chromium/store-screens.spec.ts    # → docs/store/screenshots/
 *
 * Only the second form writes to the committed folder, so an ordinary test run leaves the tree clean.
 */

const OUT_DIR = path.resolve(
  process.env.STORE_SCREENSHOTS === '1' ? 'docs/store/screenshots' : 'artifacts/store-screenshots',
);
const SHOT = { width: 1280, height: 800 };
/** One view of the popup: its real width, and as much height as the 800 px shot holds beside a label. */
const VIEW = { width: 400, height: 680 };
/** The committed PNGs stay small; a shot this large would mean something went wrong (photo-like noise). */
const MAX_BYTES = 400_000;

type Scheme = 'light' | 'dark';

interface View {
  png: Buffer;
  label: string;
}

interface Caption {
  title: string;
  text: string;
  points?: string[];
  note?: string;
}

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`store screenshots, ${scheme}`, () => {
    test.beforeEach(async ({ popup }) => {
      await popup.page.emulateMedia({ colorScheme: scheme });
      await popup.page.setViewportSize(VIEW);
    });

    test('1 token: refreshed, masked, counting down, copied as a header', async ({ popup, sandbox }) => {
      const { page } = popup;
      const credentials = await saveAndRefresh({ popup, sandbox });
      await collapse(page, 'details.credentials-details');

      await expect(page.getByRole('timer', { name: 'Expires in' })).toHaveText(/^(1:00:00|0:59:\d\d)$/);
      const issued = sandbox.lastIssued();
      expect(issued?.accessToken).toBeTruthy();
      expect(await popup.accessTokenShown()).toMatch(/^•+$/);
      expect(await popup.copyAsHeader()).toBe('Copied header');
      expect(await popup.clipboardText()).toBe(`Authorization: Bearer ${issued?.accessToken ?? ''}`);
      // The confirmation stands in the token's place for a moment; the shot shows the token, masked.
      await expect(page.locator('.copy-status')).toHaveText('');
      expect(await popup.accessTokenShown()).toMatch(/^•+$/);

      const view = await captureView(popup, secretsOf(sandbox, credentials.refreshToken));
      await writeShot(page, scheme, '1-token', {
        caption: {
          title: 'A fresh Dropbox Sign access token, one click away',
          text: 'Refresh your API app’s OAuth token, copy it or the whole Authorization header, and watch it count down to expiry.',
          points: [
            'A rotated refresh token is stored with the new access token, in one write',
            'Failures explained: invalid_grant, invalid_client, rate limits, timeouts',
            'Secrets masked, never logged, never synced; optional passphrase vault',
            'Several API apps, one profile each',
          ],
          note: 'Not affiliated with Dropbox. Shown against a local test server.',
        },
        views: [{ png: view, label: 'A fresh token, masked, counting down' }],
      });
    });

    test('2 use the token: verified, last exchange masked, code copied, history', async ({
      popup,
      sandbox,
    }) => {
      const { page } = popup;
      const credentials = await saveAndRefresh({ popup, sandbox });
      await popup.refresh();
      await collapse(page, 'details.credentials-details');

      const verified = await popup.verifyToken();
      expect(verified).toContain('The token works');
      expect(verified).toContain('me@dropboxsign.com');
      // The select re-renders from the worker's record: read it once it shows the refresh.
      await expect
        .poll(async () => (await popup.lastExchange('refresh')).summary)
        .toContain('POST /oauth/token?refresh');
      const exchange = await popup.lastExchange();
      expect(exchange.request).toContain(`"client_secret": "${MASK}"`);
      expect(exchange.request).toContain(`"refresh_token": "${MASK}"`);
      expect(exchange.response).toContain('HTTP 200');
      await expect.poll(async () => (await popup.history()).rows.length).toBe(2);
      expect((await popup.history()).rotation).toContain('Refresh tokens rotate on refresh');
      const copied = await popup.copyCode({ language: 'python', call: 'account', form: 'sdk' });
      expect(copied).toMatch(/^Copied/);
      const code = await popup.clipboardText();
      expect(code).toContain('api.AccountApi(api_client).account_get()');
      expect(code).toContain('DROPBOX_SIGN_ACCESS_TOKEN');

      const secrets = secretsOf(sandbox, credentials.refreshToken);
      const verify = await captureView(popup, secrets, { top: page.locator('.use-token-section') });
      const codeAndHistory = await captureView(popup, secrets, {
        top: page.locator('.copy-code'),
        bottom: page.locator('.history'),
      });
      await writeShot(page, scheme, '2-use-token', {
        caption: {
          title: 'Use the token right away',
          text: 'Verify it against GET /v3/account, inspect the last exchange with its secrets masked, copy the call as code in 9 languages, and see every refresh in the history.',
        },
        views: [
          { png: verify, label: 'Verified; the last exchange, masked' },
          { png: codeAndHistory, label: 'Copy as code; the refresh history' },
        ],
      });
    });

    test('3 authorize: the app authorized in the browser’s window, the first token stored', async ({
      popup,
      sandbox,
      extensionId,
    }) => {
      const { page } = popup;
      const callbackUrl = `https://${extensionId}.chromiumapp.org/`;
      sandbox.setCallbackUrl(callbackUrl);
      await popup.fill('Client ID', sandbox.app.clientId);
      await popup.fill('Client secret', sandbox.app.clientSecret);
      expect(await popup.save()).toContain('Saved');
      await collapse(page, 'details.credentials-details');
      const authorize = page.getByRole('button', { name: 'Authorize with Dropbox Sign' });
      await expect(authorize).toBeVisible();
      await expect(page.getByLabel('Callback URL to register')).toHaveValue(callbackUrl);
      expect(await popup.hasAccessToken()).toBe(false);
      const before = await captureView(popup, secretsOf(sandbox, ''));

      // The real identity.launchWebAuthFlow: the sandbox's consent page opens in the authorization window.
      const consent = await pageOpenedBy(page.context(), () => authorize.click(), /\/oauth\/authorize/);
      await consent.getByRole('button', { name: 'Approve' }).click();
      const status = page.locator('.authorize-status');
      await expect(status).toContainText('Authorized');
      await expect.poll(() => popup.hasAccessToken()).toBe(true);
      expect(sandbox.codeExchangeRequests()).toHaveLength(1);
      await expect(page.getByRole('timer', { name: 'Expires in' })).toHaveText(/^(1:00:00|0:59:\d\d)$/);

      // The top of the popup: the first token and its countdown (the status line is further down).
      const after = await captureView(popup, secretsOf(sandbox, ''));
      await writeShot(page, scheme, '3-authorize', {
        caption: {
          title: 'No refresh token yet? Authorize the app',
          text: 'Approve once on Dropbox Sign’s consent page, in the browser’s own authorization window. The code is exchanged and both tokens are stored together. Each attempt has its own random state.',
        },
        views: [
          { png: before, label: 'Client ID and secret saved' },
          { png: after, label: 'Authorized: the first token, counting down' },
        ],
      });
    });

    test('4 automatic refresh: on with its alarm and badge, then paused by a rejected refresh token', async ({
      popup,
      sandbox,
    }) => {
      const { page } = popup;
      const credentials = await saveAndRefresh({ popup, sandbox });
      await collapse(page, 'details.credentials-details');
      await popup.setAutoRefresh(true);
      await expect(page.locator('.auto-status')).toContainText('Next automatic refresh');
      expect(await popup.autoRefreshAlarms()).toHaveLength(1);
      expect((await popup.badge()).text).toMatch(/^(59|60)m$/);
      const on = await captureView(popup, secretsOf(sandbox, credentials.refreshToken));

      sandbox.injectFault({
        kind: 'json',
        status: 400,
        body: { error: 'invalid_grant', error_description: 'Invalid refresh token' },
      });
      await popup.refresh();
      await expect(page.locator('.auto-status')).toContainText('Paused: The refresh token was rejected');
      expect(await popup.failureTitle()).toBe('The refresh token was rejected');
      await expect.poll(async () => (await popup.badge()).text).toBe('!');
      // The last good token is kept.
      expect(await popup.hasAccessToken()).toBe(true);
      const paused = await captureView(popup, secretsOf(sandbox, credentials.refreshToken), {
        top: page.locator('.refresh-row'),
        bottom: page.locator('.auto-status'),
      });
      await writeShot(page, scheme, '4-auto-refresh', {
        caption: {
          title: 'Refreshed before it expires',
          text: 'Turn on automatic refresh and the token is renewed minutes before expiry, with the popup closed. The toolbar badge shows the time left. A rejected refresh token pauses it, with the reason and the fix.',
        },
        views: [
          { png: on, label: 'Automatic refresh on' },
          { png: paused, label: 'Paused: the refresh token was rejected' },
        ],
      });
    });
  });
}

/**
 * Everything secret the sandbox issued or received in this test: the client secret, every refresh token sent
 * or issued, every access token and authorization code issued.
 */
function secretsOf(sandbox: Sandbox, firstRefreshToken: string): string[] {
  const sent = sandbox.tokenRefreshRequests().map((request) => refreshTokenIn(request));
  return [
    sandbox.app.clientSecret,
    firstRefreshToken,
    sandbox.lastIssued()?.refreshToken ?? '',
    ...sent.filter((token): token is string => typeof token === 'string'),
    ...sandbox.issuedAccessTokens(),
    ...sandbox.issuedCodes().map((code) => code.code),
  ].filter((secret) => secret.length > 0);
}

async function collapse(page: Page, selector: string): Promise<void> {
  const details = page.locator(selector);
  if (await details.evaluate((el) => (el as HTMLDetailsElement).open)) {
    await details.locator('> summary').click();
  }
}

/**
 * The popup's viewport as it is now (400 × 680), scrolled so `top` (if given) is just below the top edge, or
 * further down if that is what it takes to show all of `bottom` too. Checks first that no secret is in the
 * page's text or HTML.
 */
async function captureView(
  popup: PlaywrightPopup,
  secrets: string[],
  anchors: { top?: Locator; bottom?: Locator } = {},
): Promise<Buffer> {
  const { page } = popup;
  const text = await page.locator('body').innerText();
  const html = await page.content();
  for (const secret of secrets) {
    expect(text).not.toContain(secret);
    expect(html).not.toContain(secret);
  }
  const edge = (locator: Locator, side: 'top' | 'bottom') =>
    locator.evaluate((el, s) => el.getBoundingClientRect()[s] + window.scrollY, side);
  let y = anchors.top ? (await edge(anchors.top, 'top')) - 12 : 0;
  if (anchors.bottom) y = Math.max(y, (await edge(anchors.bottom, 'bottom')) + 16 - VIEW.height);
  await page.evaluate((scrollTo) => window.scrollTo(0, scrollTo), y);
  if (anchors.bottom) {
    // The whole of `bottom` is in the view.
    expect(await edge(anchors.bottom, 'bottom')).toBeLessThanOrEqual(
      (await page.evaluate(() => window.scrollY)) + VIEW.height,
    );
  }
  // No hover style left on the last button clicked; two frames for the scroll to be painted.
  await page.mouse.move(VIEW.width - 1, VIEW.height - 1);
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
  return page.screenshot({ animations: 'disabled', caret: 'hide' });
}

/** Flat backgrounds: Chromium dithers gradients, and the noise doubles the PNGs' size. */
const PALETTE: Record<Scheme, Record<string, string>> = {
  light: {
    bg: '#edf1fa',
    title: '#15192a',
    text: '#36405a',
    muted: '#566078',
    accent: '#1f5bea',
    border: '#cfd6e4',
    shadow: '0 18px 48px rgba(21, 25, 42, 0.18), 0 2px 6px rgba(21, 25, 42, 0.08)',
  },
  dark: {
    bg: '#10141f',
    title: '#eef1f8',
    text: '#c4cbdb',
    muted: '#a3acc2',
    accent: '#6b9bff',
    border: '#3a435b',
    shadow: '0 18px 48px rgba(0, 0, 0, 0.55), 0 2px 6px rgba(0, 0, 0, 0.4)',
  },
};

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const dataUrl = (type: string, bytes: Buffer | string): string =>
  `data:${type};base64,${Buffer.from(bytes).toString('base64')}`;

/** The caption beside the views: the extension's name and icon, a title, a sentence, maybe a list. */
function shotHtml(scheme: Scheme, icon: string, caption: Caption, views: View[]): string {
  const c = PALETTE[scheme];
  const points = caption.points?.length
    ? `<ul>${caption.points.map((point) => `<li>${escapeHtml(point)}</li>`).join('')}</ul>`
    : '';
  const note = caption.note ? `<p class="note">${escapeHtml(caption.note)}</p>` : '';
  const figures = views
    .map(
      (view) =>
        `<figure><img class="view" alt="" src="${dataUrl('image/png', view.png)}">` +
        `<figcaption>${escapeHtml(view.label)}</figcaption></figure>`,
    )
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><style>
    html, body { margin: 0; width: ${SHOT.width}px; height: ${SHOT.height}px; overflow: hidden; }
    body { background: ${c.bg}; color: ${c.text};
           font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif; }
    main { box-sizing: border-box; height: 100%; padding: 0 40px; display: flex; align-items: center;
           justify-content: center; gap: 40px; }
    .caption { flex: 0 1 600px; min-width: 0; }
    .brand { display: flex; align-items: center; gap: 12px; margin-bottom: 28px;
             font-size: 20px; font-weight: 700; color: ${c.title}; }
    .brand img { width: 44px; height: 44px; }
    h1 { margin: 0 0 18px; font-size: ${views.length > 1 ? 32 : 40}px; line-height: 1.18; color: ${c.title};
         letter-spacing: -0.01em; max-width: 560px; }
    p { margin: 0; font-size: 19px; line-height: 1.55; max-width: 540px; }
    ul { margin: 22px 0 0; padding: 0; list-style: none; max-width: 540px; }
    li { position: relative; padding-left: 26px; margin: 10px 0; font-size: 17px; line-height: 1.45; }
    li::before { content: ''; position: absolute; left: 4px; top: 0.5em; width: 9px; height: 9px;
                 border-radius: 50%; background: ${c.accent}; }
    .note { margin-top: 26px; font-size: 14px; color: ${c.muted}; }
    .views { flex: none; display: flex; gap: 24px; }
    figure { margin: 0; }
    .view { display: block; width: ${VIEW.width}px; height: ${VIEW.height}px; border: 1px solid ${c.border};
            border-radius: 12px; box-shadow: ${c.shadow}; }
    figcaption { margin-top: 12px; text-align: center; font-size: 15px; font-weight: 600; color: ${c.muted}; }
  </style></head><body><main>
    <section class="caption">
      <div class="brand"><img alt="" src="${icon}">Sign Token Refresher</div>
      <h1>${escapeHtml(caption.title)}</h1>
      <p>${escapeHtml(caption.text)}</p>${points}${note}
    </section>
    <div class="views">${figures}</div>
  </main></body></html>`;
}

/**
 * Lays the views out on a 1280×800 page of ours (a new tab of the same browser, at device scale 1, so each
 * view is shown pixel for pixel) and saves it as `<name>-<scheme>.png`, then checks the file is what the
 * stores take: a PNG of exactly 1280×800 without an alpha channel.
 */
async function writeShot(
  popupPage: Page,
  scheme: Scheme,
  name: string,
  shot: { caption: Caption; views: View[] },
): Promise<void> {
  const icon = dataUrl('image/svg+xml', await readFile(path.resolve('public/icons/icon.svg')));
  const page = await popupPage.context().newPage();
  try {
    await page.setViewportSize(SHOT);
    await page.setContent(shotHtml(scheme, icon, shot.caption, shot.views));
    await page.evaluate(() => Promise.all(Array.from(document.images).map((img) => img.decode())));
    // Everything fits: no caption text runs past the bottom, no view is cut off at the side.
    const overflow = await page.evaluate(() => {
      const main = document.querySelector('main');
      const caption = document.querySelector('.caption');
      return {
        width: main?.scrollWidth ?? 0,
        captionBottom: caption?.getBoundingClientRect().bottom ?? 0,
      };
    });
    expect(overflow.width).toBeLessThanOrEqual(SHOT.width);
    expect(overflow.captionBottom).toBeLessThanOrEqual(SHOT.height - 24);
    const png = await page.screenshot({ animations: 'disabled' });
    const header = readPngHeader(png);
    expect(header).toEqual({ width: SHOT.width, height: SHOT.height, colorType: 2 });
    expect(png.length).toBeLessThan(MAX_BYTES);
    await mkdir(OUT_DIR, { recursive: true });
    await writeFile(path.join(OUT_DIR, `${name}-${scheme}.png`), png);
  } finally {
    await page.close();
  }
}

/** Width, height and colour type (2: RGB, 6: RGBA) from a PNG's IHDR chunk. */
function readPngHeader(png: Buffer): { width: number; height: number; colorType: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), colorType: png.readUInt8(25) };
}
