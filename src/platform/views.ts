import browser from 'webextension-polyfill';

/**
 * The popup's page in its three places: the toolbar popup, Chrome's side panel or Firefox's sidebar (both
 * "panel" here), and a plain tab. The only code that calls these browser APIs.
 */
export type View = 'popup' | 'panel' | 'tab';

/** The page every view shows (manifest.json: `action.default_popup`, `side_panel.default_path`). */
export const VIEW_PAGE = 'src/popup/index.html';

/**
 * The polyfill passes namespaces it does not know through untouched (`chrome.sidePanel` in Chrome) and its
 * types claim `sidebarAction` everywhere, so both are typed here as what they are: present in one browser only.
 */
interface PanelApis {
  /** Chrome 116+ (`sidePanel` permission). Needs a user gesture. */
  sidePanel?: { open?: (options: { windowId: number }) => Promise<void> };
  /** Firefox desktop (`sidebar_action` in the manifest); not Firefox for Android. Needs a user gesture. */
  sidebarAction?: { open?: () => Promise<void> };
}

const panelApis = browser as unknown as PanelApis;

/** What this browser calls its panel, or undefined when it has none the extension can open. */
export function sidePanelName(): 'side panel' | 'sidebar' | undefined {
  if (typeof panelApis.sidebarAction?.open === 'function') return 'sidebar';
  if (typeof panelApis.sidePanel?.open === 'function') return 'side panel';
  return undefined;
}

export function canOpenSidePanel(): boolean {
  return sidePanelName() !== undefined;
}

/** The id of the window this page is in, asked ahead so a click can open the panel at once. */
export async function currentWindowId(): Promise<number | undefined> {
  return (await browser.windows.getCurrent()).id;
}

/**
 * Opens the panel in the current window. Call it straight from a click handler: both browsers refuse without
 * a user gesture, and the gesture does not last long on a busy machine.
 * - Firefox: `sidebarAction.open()` is called before anything is awaited.
 * - Chrome: `sidePanel.open` needs a window id: pass the one `currentWindowId` gave when the page opened, so
 *   nothing is awaited before it either (without one it is asked for first, which the gesture usually
 *   survives).
 */
export async function openSidePanel(windowId?: number): Promise<void> {
  const { sidebarAction, sidePanel } = panelApis;
  if (typeof sidebarAction?.open === 'function') return sidebarAction.open();
  if (typeof sidePanel?.open !== 'function') throw new Error('This browser has no side panel.');
  const id = windowId ?? (await currentWindowId());
  if (id === undefined) throw new Error('No current window to open the side panel in.');
  await sidePanel.open({ windowId: id });
}

/** Opens `url` (an authorization page) in a new tab; no permission is needed to open one. */
export async function openUrlInTab(url: string): Promise<void> {
  await browser.tabs.create({ url });
}

/** Opens the same page in a new tab, next to the current one. No permission needed for the own page. */
export async function openInTab(): Promise<void> {
  await browser.tabs.create({ url: browser.runtime.getURL(VIEW_PAGE) });
}

/**
 * Where this document is shown, from the browser's own list of the extension's views rather than from the
 * URL: the manifest gives the popup and the panel the same path, and an e2e test or a bookmark opens it in a
 * tab with no query. `extension.getViews` is synchronous, so the first render already knows.
 * - Chrome lists the popup as type "popup" and a tab as "tab"; its side panel is neither (it has no type of
 *   its own there). Firefox lists its sidebar as "sidebar". So: not a popup and not a tab is a panel.
 * - If the API is missing or throws, "popup": the layout and links of the page as it always was.
 */
export function currentView(self: Window = window): View {
  try {
    const listed = (type: 'popup' | 'tab') => browser.extension.getViews({ type }).includes(self);
    if (listed('popup')) return 'popup';
    if (listed('tab')) return 'tab';
    return 'panel';
  } catch {
    return 'popup';
  }
}
