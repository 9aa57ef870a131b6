/**
 * Vitest setup (`setupFiles` in vitest.config.ts): every unit test runs against one in-memory fake browser,
 * `@webext-core/fake-browser`, in place of `webextension-polyfill`, emptied before each test. A test file
 * needs no `vi.mock` of its own, and none can forget the reset and see another test's storage.
 */
import { fakeBrowser } from '@webext-core/fake-browser';
import { beforeEach, vi } from 'vitest';

vi.mock('webextension-polyfill', () => ({ default: fakeBrowser }));

const shortcutListeners: ((command: string) => void)[] = [];

/** What the browser does when the user presses the keys of the extension command `name`. */
export function pressShortcut(name: string): void {
  for (const listener of shortcutListeners) listener(name);
}

beforeEach(() => {
  fakeBrowser.reset();
  // The fake has no `permissions` (its methods throw). An installed extension holds its host permissions
  // unless the user revoked them, so that is the default here; tests of a revoke spy on it again.
  vi.spyOn(
    fakeBrowser.permissions as unknown as { contains: (p: { origins?: string[] }) => Promise<boolean> },
    'contains',
  ).mockResolvedValue(true);
  // Nor `commands`: the worker's shortcut listeners are kept here, and `pressShortcut` calls them.
  shortcutListeners.length = 0;
  vi.spyOn(fakeBrowser.commands.onCommand, 'addListener').mockImplementation((listener) => {
    shortcutListeners.push(listener);
  });
  // Nor `declarativeNetRequest`: no session rule until a test models them (api-tab.test.ts); the worker's start
  // looks for one left behind.
  const dnr = (
    fakeBrowser as unknown as {
      declarativeNetRequest: {
        getSessionRules: () => Promise<unknown[]>;
        updateSessionRules: () => Promise<void>;
      };
    }
  ).declarativeNetRequest;
  vi.spyOn(dnr, 'getSessionRules').mockResolvedValue([]);
  vi.spyOn(dnr, 'updateSessionRules').mockResolvedValue(undefined);
  // Nor permission events: nothing in a unit test grants or revokes one, so listening is a no-op.
  for (const event of [fakeBrowser.permissions.onAdded, fakeBrowser.permissions.onRemoved]) {
    vi.spyOn(event, 'addListener').mockImplementation(() => undefined);
    vi.spyOn(event, 'removeListener').mockImplementation(() => undefined);
  }
});
