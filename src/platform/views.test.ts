import { fakeBrowser } from '@webext-core/fake-browser';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Windows } from 'webextension-polyfill';
import manifest from '../../manifest.json' with { type: 'json' };
import { canOpenSidePanel, currentView, openInTab, openSidePanel, sidePanelName, VIEW_PAGE } from './views';

/**
 * The fake browser is Chrome-shaped: it has `sidePanel` (whose methods throw until mocked) and no
 * `sidebarAction`. A Firefox test adds `sidebarAction` and takes `sidePanel` away; afterEach puts them back.
 */
const apis = fakeBrowser as unknown as {
  sidePanel?: { open: (options: { windowId: number }) => Promise<void> };
  sidebarAction?: { open: () => Promise<void> };
};
const chromeSidePanel = apis.sidePanel;

/** `windows.getCurrent` answers `window` (its overloads confuse `mockResolvedValue`'s type). */
function currentWindow(window: Windows.Window): void {
  vi.spyOn(fakeBrowser.windows, 'getCurrent').mockImplementation(() => Promise.resolve(window) as never);
}

function asFirefox(open: () => Promise<void>): void {
  delete apis.sidePanel;
  apis.sidebarAction = { open };
}

afterEach(() => {
  if (chromeSidePanel) apis.sidePanel = chromeSidePanel;
  delete apis.sidebarAction;
});

describe('sidePanelName and canOpenSidePanel', () => {
  it('Chrome: the side panel', () => {
    expect(sidePanelName()).toBe('side panel');
    expect(canOpenSidePanel()).toBe(true);
  });

  it('Firefox: the sidebar', () => {
    asFirefox(() => Promise.resolve());
    expect(sidePanelName()).toBe('sidebar');
    expect(canOpenSidePanel()).toBe(true);
  });

  it('neither (Firefox for Android, an older Chrome): nothing to offer', () => {
    delete apis.sidePanel;
    expect(sidePanelName()).toBeUndefined();
    expect(canOpenSidePanel()).toBe(false);
  });
});

describe('openSidePanel', () => {
  it('Chrome: opens the panel in the current window', async () => {
    currentWindow({ id: 7, focused: true, incognito: false, alwaysOnTop: false });
    const open = vi.fn<(options: { windowId: number }) => Promise<void>>().mockResolvedValue();
    apis.sidePanel = { open };
    await openSidePanel();
    expect(open).toHaveBeenCalledWith({ windowId: 7 });
  });

  it('Chrome: rejects, opening nothing, when there is no current window', async () => {
    currentWindow({ focused: false, incognito: false, alwaysOnTop: false });
    const open = vi.fn<(options: { windowId: number }) => Promise<void>>();
    apis.sidePanel = { open };
    await expect(openSidePanel()).rejects.toThrow('No current window');
    expect(open).not.toHaveBeenCalled();
  });

  it('Firefox: opens the sidebar before anything is awaited, while the click is being handled', async () => {
    const getCurrent = vi.spyOn(fakeBrowser.windows, 'getCurrent');
    const open = vi.fn<() => Promise<void>>().mockResolvedValue();
    asFirefox(open);
    const opened = openSidePanel();
    // Synchronously, in the same turn as the click handler that called it.
    expect(open).toHaveBeenCalledTimes(1);
    await opened;
    expect(getCurrent).not.toHaveBeenCalled();
  });

  it('passes the browser’s refusal on (e.g. no user gesture)', async () => {
    asFirefox(() =>
      Promise.reject(new Error('sidebarAction.open may only be called from a user input handler')),
    );
    await expect(openSidePanel()).rejects.toThrow('user input handler');
  });

  it('rejects in a browser without a panel', async () => {
    delete apis.sidePanel;
    await expect(openSidePanel()).rejects.toThrow('no side panel');
  });
});

describe('openInTab', () => {
  it('opens the extension’s own page in a new tab', async () => {
    const create = vi.spyOn(fakeBrowser.tabs, 'create');
    await openInTab();
    expect(create).toHaveBeenCalledWith({ url: fakeBrowser.runtime.getURL(VIEW_PAGE) });
  });

  it('is the page the manifest gives the popup and the side panel', () => {
    expect(VIEW_PAGE).toBe(manifest.action.default_popup);
    expect(VIEW_PAGE).toBe(manifest.side_panel.default_path);
  });
});

describe('currentView', () => {
  const self = {} as Window;
  const other = {} as Window;

  function listing(byType: Partial<Record<'popup' | 'tab', Window[]>>) {
    vi.spyOn(fakeBrowser.extension, 'getViews').mockImplementation(
      (properties) => byType[properties?.type as 'popup' | 'tab'] ?? [],
    );
  }

  it('"popup" when the browser lists this document as its popup', () => {
    listing({ popup: [self], tab: [other] });
    expect(currentView(self)).toBe('popup');
  });

  it('"tab" when it lists it among the tabs', () => {
    listing({ popup: [other], tab: [other, self] });
    expect(currentView(self)).toBe('tab');
  });

  it('"panel" when it is neither (Chrome’s side panel, Firefox’s sidebar)', () => {
    listing({ popup: [other], tab: [other] });
    expect(currentView(self)).toBe('panel');
  });

  it('"popup", the page as it always was, when the browser cannot tell', () => {
    vi.spyOn(fakeBrowser.extension, 'getViews').mockImplementation(() => {
      throw new Error('not available');
    });
    expect(currentView(self)).toBe('popup');
  });
});
