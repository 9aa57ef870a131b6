import type { Page } from 'puppeteer-core';
import { saveAndRefresh } from '../scenarios/core';
import { expect, test } from './fixtures';

/**
 * The popup's page also as Firefox's sidebar and as a tab (src/platform/views.ts, ViewLinks.tsx).
 *
 * Neither the toolbar popup nor the sidebar is a WebDriver BiDi browsing context, but both are documents of
 * the add-on, so the tests' add-on page (a tab) reaches them with `extension.getViews({type})`, reads them
 * and clicks in them. `action.openPopup()` opens the real popup headless.
 *
 * The user gesture: Firefox opens the sidebar only while a user's input is being handled, and a script's
 * `button.click()` in the popup is not one (the first test shows the popup's refusal message). A real click
 * (BiDi) on a button of the test's tab whose handler clicks the popup's button is: Firefox counts the input
 * for every add-on document in that process while the tab's click is handled, which is how the popup's own
 * handler runs with the gesture a person's click would give it.
 */

type ViewType = 'popup' | 'sidebar' | 'tab';

/** What a test reads of one document of the add-on. */
interface ViewState {
  view: string | undefined;
  hasToken: boolean;
  /** The text of the access token element (masked until revealed). */
  token: string;
  links: string[];
  alert: string;
}

/**
 * Runs in the test's tab: finds the other add-on document of `type` and reads it (`op: 'read'`), or clicks
 * its button named `name` (`op: 'click'`). Self-contained: puppeteer sends its source to the page.
 */
function inView(type: string, op: string, name = ''): ViewState | boolean | null {
  const api = chrome as unknown as { extension: { getViews(p: { type: string }): Window[] } };
  const other = api.extension.getViews({ type }).find((w) => w !== window);
  if (!other) return null;
  const doc = other.document;
  const buttonName = (b: Element) => b.getAttribute('aria-label') ?? b.textContent.trim();
  if (op === 'click') {
    const button = [...doc.querySelectorAll('button')].find((b) => buttonName(b) === name);
    button?.click();
    return !!button;
  }
  return {
    view: doc.documentElement.dataset.view,
    hasToken: !!doc.querySelector('[role="timer"]'),
    token: doc.querySelector('[role="textbox"][aria-label="Access token"]')?.textContent ?? '',
    links: [...doc.querySelectorAll('[role="group"][aria-label="Open elsewhere"] button')].map(buttonName),
    alert: [...doc.querySelectorAll('[role="alert"]')].map((a) => a.textContent).join(' '),
  };
}

async function read(page: Page, type: ViewType): Promise<ViewState | null> {
  return (await page.evaluate(inView, type, 'read')) as ViewState | null;
}

/** Waits until a document of `type` (other than the test's tab) shows a token; returns what it shows. */
async function waitForView(page: Page, type: ViewType): Promise<ViewState> {
  await expect.poll(async () => (await read(page, type))?.hasToken, { timeout: 15_000 }).toBe(true);
  const state = await read(page, type);
  if (!state) throw new Error(`no ${type}`);
  return state;
}

async function clickIn(page: Page, type: ViewType, name: string): Promise<void> {
  expect(await page.evaluate(inView, type, 'click', name)).toBe(true);
}

/** Reveals the token in the document of `type` and returns it. */
async function revealIn(page: Page, type: ViewType): Promise<string> {
  const masked = (await read(page, type))?.token;
  await clickIn(page, type, 'Show access token');
  await expect.poll(async () => (await read(page, type))?.token).not.toBe(masked);
  return (await read(page, type))?.token ?? '';
}

async function openToolbarPopup(page: Page): Promise<ViewState> {
  await page.evaluate(() =>
    (chrome as unknown as { action: { openPopup(): Promise<void> } }).action.openPopup(),
  );
  await waitForView(page, 'popup');
  // The view links come with a chunk loaded after the first frame.
  await expect.poll(async () => (await read(page, 'popup'))?.links.length ?? 0).toBeGreaterThan(0);
  return waitForView(page, 'popup');
}

async function popupClosed(page: Page): Promise<void> {
  await expect.poll(() => read(page, 'popup')).toBeNull();
}

test('the popup opens the sidebar from a click, closes, and the sidebar shows the same token', async ({
  popup,
  sandbox,
}) => {
  await saveAndRefresh({ popup, sandbox, oauthHost: sandbox.url });
  const token = sandbox.lastIssued()?.accessToken;
  expect(token).toBeTruthy();
  const { page } = popup;
  // The page the tests use is a tab: it offers no other view.
  expect(await page.evaluate(() => document.documentElement.dataset.view)).toBe('tab');
  expect(await page.$('[role="group"][aria-label="Open elsewhere"]')).toBeNull();

  const shown = await openToolbarPopup(page);
  expect(shown.view).toBe('popup');
  expect(shown.links).toEqual(['Open in sidebar', 'Open in a tab']);

  // No user gesture, no sidebar: the popup says why and stays open.
  await clickIn(page, 'popup', 'Open in sidebar');
  await expect
    .poll(async () => (await read(page, 'popup'))?.alert)
    .toContain('Could not open the sidebar: sidebarAction.open may only be called from a user input handler');

  // A real click: the sidebar opens and the popup closes.
  await page.evaluate(() => {
    const relay = document.createElement('button');
    relay.id = 'relay-to-popup';
    relay.textContent = 'Relay';
    relay.addEventListener('click', () => {
      const api = chrome as unknown as { extension: { getViews(p: { type: string }): Window[] } };
      const [popupWindow] = api.extension.getViews({ type: 'popup' });
      [...(popupWindow?.document.querySelectorAll('button') ?? [])]
        .find((b) => b.textContent.trim() === 'Open in sidebar')
        ?.click();
    });
    document.body.append(relay);
  });
  await page.click('#relay-to-popup');
  const sidebar = await waitForView(page, 'sidebar');
  await popupClosed(page);
  expect(sidebar.view).toBe('panel');
  expect(sidebar.links).toEqual([]);
  expect(await revealIn(page, 'sidebar')).toBe(token);
  // The sidebar is narrower than the popup (about 250 px here): the page takes its width, no sideways scroll.
  expect(
    await page.evaluate(() => {
      const api = chrome as unknown as { extension: { getViews(p: { type: string }): Window[] } };
      const [w] = api.extension.getViews({ type: 'sidebar' });
      return w ? w.document.documentElement.scrollWidth <= w.innerWidth : false;
    }),
  ).toBe(true);
});

test('the popup opens the page in a tab, closes, and the tab shows the same token', async ({
  popup,
  sandbox,
}) => {
  await saveAndRefresh({ popup, sandbox, oauthHost: sandbox.url });
  const token = sandbox.lastIssued()?.accessToken;
  const { page } = popup;
  await openToolbarPopup(page);
  // Opening a tab of the add-on's own page needs no gesture.
  await clickIn(page, 'popup', 'Open in a tab');
  const tab = await waitForView(page, 'tab');
  await popupClosed(page);
  expect(tab.view).toBe('tab');
  expect(tab.links).toEqual([]);
  expect(await revealIn(page, 'tab')).toBe(token);
});
