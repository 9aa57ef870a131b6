import type { BrowserContext, CDPSession, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PlaywrightPopup, SCREENSHOT_DIR } from '../pages/playwright-popup';
import { saveAndRefresh } from '../scenarios/core';
import { expect, test } from './fixtures';
import { CHROME_DIST, POPUP_PATH } from './launch';

/**
 * The popup's page also as Chrome's side panel and as a tab (src/platform/views.ts, ViewLinks.tsx).
 *
 * Playwright does not list the toolbar popup or the side panel among a context's pages (neither lives in a
 * tab), but DevTools lists both as page targets, and `chrome.action.openPopup()` opens the real popup headless.
 * So the popup and the panel are driven over the DevTools protocol: real mouse input (`Input.dispatchMouseEvent`,
 * which gives the user gesture `sidePanel.open` requires), `Runtime.evaluate` to read them, and
 * `Page.captureScreenshot`. The tab that "Open in a tab" creates is an ordinary Playwright page.
 */

type View = 'popup' | 'panel' | 'tab';

test('the built manifest offers the popup page as the side panel, with the sidePanel permission', () => {
  const manifest = JSON.parse(readFileSync(path.join(CHROME_DIST, 'manifest.json'), 'utf8')) as {
    action: { default_popup: string };
    side_panel?: { default_path: string };
    permissions: string[];
  };
  expect(manifest.side_panel).toEqual({ default_path: POPUP_PATH });
  expect(manifest.action.default_popup).toBe(POPUP_PATH);
  expect(manifest.permissions).toContain('sidePanel');
});

test('the popup opens the side panel from a click, closes, and the panel shows the same token', async ({
  context,
  popup,
  sandbox,
}) => {
  await saveAndRefresh({ popup, sandbox });
  const token = sandbox.lastIssued()?.accessToken;
  expect(token).toBeTruthy();
  // The page the tests use is a tab: it offers no other view.
  await expect(popup.page.locator('html')).toHaveAttribute('data-view', 'tab');
  await expect(popup.page.getByRole('group', { name: 'Open elsewhere' })).toHaveCount(0);

  const devtools = await DevTools.attach(context, popup.page);
  const toolbarPopup = await devtools.openToolbarPopup();
  // The links come with the parts rendered after the first frame (the token's timer): waited for, as the
  // Firefox spec does (read at once, a loaded run once found none yet).
  await expect
    .poll(() => toolbarPopup.buttonNames('[role="group"][aria-label="Open elsewhere"] button'))
    .toEqual(['Open in side panel', 'Open in a tab']);
  expect(await toolbarPopup.revealAccessToken()).toBe(token);
  await toolbarPopup.click('Hide access token');
  // Headless, the popup window keeps a small default size instead of fitting its content: the pictures take
  // the whole page (the links sit at its foot).
  for (const scheme of ['light', 'dark'] as const) {
    await toolbarPopup.screenshot(`view-popup-${scheme}`, scheme, { wholePage: true });
  }

  await toolbarPopup.click('Open in side panel');
  const panel = await devtools.view('panel');
  await expect.poll(() => devtools.contextCount('POPUP')).toBe(0);
  expect(await devtools.contextCount('SIDE_PANEL')).toBe(1);
  expect(await panel.buttonNames('[role="group"][aria-label="Open elsewhere"] button')).toEqual([]);
  expect(await panel.revealAccessToken()).toBe(token);
  // The panel takes its own width, not the popup's 400 px.
  await panel.resize(360, 800);
  expect(await panel.evaluate(() => document.body.getBoundingClientRect().width)).toBe(360);
  expect(await panel.evaluate(() => document.documentElement.scrollWidth)).toBe(360);

  // Masked again for the pictures: no secret in a screenshot.
  await panel.click('Hide access token');
  for (const scheme of ['light', 'dark'] as const) {
    await panel.screenshot(`view-panel-${scheme}`, scheme);
  }
});

test('the popup opens the page in a tab, closes, and the tab shows the same token in a centred column', async ({
  context,
  popup,
  sandbox,
}) => {
  await saveAndRefresh({ popup, sandbox });
  const token = sandbox.lastIssued()?.accessToken;
  const devtools = await DevTools.attach(context, popup.page);
  const toolbarPopup = await devtools.openToolbarPopup();

  const opened = context.waitForEvent('page');
  await toolbarPopup.click('Open in a tab');
  const tab = await opened;
  await expect.poll(() => devtools.contextCount('POPUP')).toBe(0);
  expect(tab.url()).toBe(popup.page.url());
  const tabView = new PlaywrightPopup(tab, tab.url());
  await tab.getByRole('timer', { name: 'Expires in' }).waitFor();
  await expect(tab.locator('html')).toHaveAttribute('data-view', 'tab');
  await expect(tab.getByRole('group', { name: 'Open elsewhere' })).toHaveCount(0);
  expect(await tabView.revealAccessToken()).toBe(token);
  // Live: a refresh made in another view (the test's own page) reaches the tab through storage's change
  // events, without a reload.
  await popup.refresh();
  const next = sandbox.lastIssued()?.accessToken;
  expect(next).not.toBe(token);
  await expect(tab.getByRole('textbox', { name: 'Access token' })).toHaveText(next ?? 'missing');
  await tab.getByRole('button', { name: 'Hide access token' }).click();

  await tab.setViewportSize({ width: 1280, height: 800 });
  const column = await tab.locator('main').boundingBox();
  expect(column?.width).toBe(600);
  expect(Math.round((column?.x ?? 0) * 2 + (column?.width ?? 0))).toBe(1280); // centred
  for (const scheme of ['light', 'dark'] as const) {
    await tab.emulateMedia({ colorScheme: scheme });
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await tab.screenshot({ path: path.join(SCREENSHOT_DIR, `view-tab-${scheme}.png`) });
  }
});

/** The CDP answer to one command sent to an attached target. */
interface TargetAnswer {
  id?: number;
  result?: unknown;
  error?: { message: string };
}

/**
 * The extension's documents that are not Playwright pages, reached through a DevTools session of any page:
 * `Target.attachToTarget` (not flattened: Playwright's CDPSession has no way to address a child session),
 * then commands wrapped in `Target.sendMessageToTarget`.
 */
class DevTools {
  private readonly attached = new Map<string, ExtensionDocument>();
  private nextId = 0;
  private readonly waiting = new Map<number, (answer: TargetAnswer) => void>();

  private constructor(
    /** An extension page in a tab (the tests' popup page): where extension APIs are called from. */
    private readonly page: Page,
    private readonly cdp: CDPSession,
  ) {
    cdp.on('Target.receivedMessageFromTarget', ({ message }) => {
      const answer = JSON.parse(message) as TargetAnswer;
      if (answer.id === undefined) return; // an event
      this.waiting.get(answer.id)?.(answer);
      this.waiting.delete(answer.id);
    });
  }

  static async attach(context: BrowserContext, page: Page): Promise<DevTools> {
    return new DevTools(page, await context.newCDPSession(page));
  }

  /** Sends `method` to the target of `sessionId` and resolves with its result. */
  async send(sessionId: string, method: string, params: object = {}): Promise<unknown> {
    const id = (this.nextId += 1);
    const answer = new Promise<TargetAnswer>((resolve) => this.waiting.set(id, resolve));
    await this.cdp.send('Target.sendMessageToTarget', {
      sessionId,
      message: JSON.stringify({ id, method, params }),
    });
    const { result, error } = await answer;
    if (error) throw new Error(`${method}: ${error.message}`);
    return result;
  }

  /** Opens the toolbar popup, as a click on the extension's icon does, and waits until it shows its content. */
  async openToolbarPopup(): Promise<ExtensionDocument> {
    await this.page.evaluate(() =>
      (chrome as unknown as { action: { openPopup(): Promise<void> } }).action.openPopup(),
    );
    return this.view('popup');
  }

  /**
   * The extension document showing `view` (its `<html data-view>`, set by src/popup/main.tsx), once it has
   * rendered the popup's content; attaches to each new extension page target once.
   */
  async view(view: Exclude<View, 'tab'>): Promise<ExtensionDocument> {
    let found: ExtensionDocument | undefined;
    await expect
      .poll(
        async () => {
          const { targetInfos } = await this.cdp.send('Target.getTargets');
          for (const target of targetInfos) {
            if (target.type !== 'page' || !target.url.endsWith(`/${POPUP_PATH}`)) continue;
            let doc = this.attached.get(target.targetId);
            if (!doc) {
              const { sessionId } = await this.cdp.send('Target.attachToTarget', {
                targetId: target.targetId,
                flatten: false,
              });
              doc = new ExtensionDocument(this, sessionId);
              this.attached.set(target.targetId, doc);
            }
            const shown = await doc
              .evaluate(() =>
                document.querySelector('[role="timer"]') ? document.documentElement.dataset.view : undefined,
              )
              .catch(() => undefined); // closing, or not loaded yet
            if (shown === view) found = doc;
          }
          return found !== undefined;
        },
        // A panel or tab starts a whole page: on CI's loaded cores that has taken longer than the default.
        { message: `an extension document showing data-view="${view}"`, timeout: 20_000 },
      )
      .toBe(true);
    if (!found) throw new Error(`no ${view}`);
    return found;
  }

  /** How many documents of `type` (POPUP, SIDE_PANEL, TAB) the extension has open, as Chrome counts them. */
  contextCount(type: 'POPUP' | 'SIDE_PANEL' | 'TAB'): Promise<number> {
    return this.page.evaluate(
      async (contextType) =>
        (
          await (
            chrome as unknown as {
              runtime: { getContexts(filter: { contextTypes: string[] }): Promise<unknown[]> };
            }
          ).runtime.getContexts({ contextTypes: [contextType] })
        ).length,
      type,
    );
  }
}

/** A document of the extension outside any tab (the toolbar popup, the side panel), over DevTools. */
class ExtensionDocument {
  constructor(
    private readonly devtools: DevTools,
    private readonly sessionId: string,
  ) {}

  private send(method: string, params: object = {}): Promise<unknown> {
    return this.devtools.send(this.sessionId, method, params);
  }

  /** Runs `fn(arg)` in the document and returns its (JSON) result, awaited. */
  async evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R> {
    const { result, exceptionDetails } = (await this.send('Runtime.evaluate', {
      expression: `(${fn.toString()})(${JSON.stringify(arg)})`,
      awaitPromise: true,
      returnByValue: true,
    })) as { result: { value: R }; exceptionDetails?: { text: string } };
    if (exceptionDetails) throw new Error(exceptionDetails.text);
    return result.value;
  }

  /** The accessible names (text) of the buttons matching `selector`. */
  buttonNames(selector: string): Promise<string[]> {
    return this.evaluate(
      (s) =>
        [...document.querySelectorAll(s)].map((b) => b.getAttribute('aria-label') ?? b.textContent.trim()),
      selector,
    );
  }

  /** A real mouse click (it carries a user gesture) in the middle of the button named `name`. */
  async click(name: string): Promise<void> {
    const find = () =>
      this.evaluate((n) => {
        const button = [...document.querySelectorAll('button')].find(
          (b) => (b.getAttribute('aria-label') ?? b.textContent.trim()) === n,
        );
        if (!button) return undefined;
        button.scrollIntoView({ block: 'center' });
        const box = button.getBoundingClientRect();
        return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
      }, name);
    // Some buttons (the view links) come with a chunk loaded after the first frame: wait for the button.
    let point: { x: number; y: number } | undefined;
    await expect
      .poll(async () => (point = await find()) !== undefined, { message: `a button named "${name}"` })
      .toBe(true);
    if (!point) throw new Error(`no button named "${name}"`);
    for (const type of ['mousePressed', 'mouseReleased']) {
      await this.send('Input.dispatchMouseEvent', { type, ...point, button: 'left', clickCount: 1 });
    }
  }

  /** Clicks "Show access token" and returns the token once it is shown. */
  async revealAccessToken(): Promise<string> {
    const text = () =>
      this.evaluate(
        () => document.querySelector('[role="textbox"][aria-label="Access token"]')?.textContent ?? '',
      );
    const masked = await text();
    await this.click('Show access token');
    await expect.poll(text).not.toBe(masked);
    return text();
  }

  /** Gives the document a viewport of `width` × `height` CSS pixels, as a panel of that size. */
  async resize(width: number, height: number): Promise<void> {
    await this.send('Emulation.setDeviceMetricsOverride', {
      width,
      height,
      deviceScaleFactor: 1,
      mobile: false,
    });
  }

  /** The viewport, or with `wholePage` the whole document (beyond the viewport), in `scheme`. */
  async screenshot(name: string, scheme: 'light' | 'dark', { wholePage = false } = {}): Promise<string> {
    await this.send('Emulation.setEmulatedMedia', {
      features: [{ name: 'prefers-color-scheme', value: scheme }],
    });
    const size = await this.evaluate(() => ({
      width: document.documentElement.scrollWidth,
      height: document.documentElement.scrollHeight,
    }));
    const { data } = (await this.send('Page.captureScreenshot', {
      format: 'png',
      ...(wholePage ? { captureBeyondViewport: true, clip: { x: 0, y: 0, ...size, scale: 1 } } : {}),
    })) as { data: string };
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    const file = path.join(SCREENSHOT_DIR, `${name}.png`);
    await writeFile(file, Buffer.from(data, 'base64'));
    return file;
  }
}
