// The few extension APIs that e2e tests call inside extension pages and the worker (page.evaluate /
// worker.evaluate), where `chrome` exists at run time but not in the test's own type scope.
interface StorageAreaForTests {
  get(keys?: string | string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  clear(): Promise<void>;
}

declare const chrome: {
  runtime: {
    id: string;
    sendMessage(...args: unknown[]): Promise<unknown>;
    getURL(path: string): string;
  };
  storage: {
    local: StorageAreaForTests;
    session: StorageAreaForTests;
    onChanged: {
      addListener(listener: (changes: Record<string, { newValue?: unknown }>, area: string) => void): void;
    };
  };
  /** `dispatch` delivers a command to the worker's listeners as the browser does (Chromium's bindings). */
  commands: { onCommand: { dispatch(name: string): void } };
  action: ActionForTests;
  alarms: AlarmsForTests;
};

interface ActionForTests {
  getBadgeText(details: object): Promise<string>;
  getTitle(details: object): Promise<string>;
}

interface AlarmsForTests {
  getAll(): Promise<{ name: string; scheduledTime: number; periodInMinutes?: number }[]>;
}

/** Firefox's name for the same APIs (add-on pages have both `browser` and `chrome`). */
declare const browser: {
  action: ActionForTests;
  alarms: AlarmsForTests;
  permissions: { contains(permissions: { permissions?: string[] }): Promise<boolean> };
  notifications: { getAll(): Promise<Record<string, unknown>> };
  identity: { getRedirectURL(): string };
};
