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
  storage: { local: StorageAreaForTests; session: StorageAreaForTests };
  /** `dispatch` delivers a command to the worker's listeners as the browser does (Chromium's bindings). */
  commands: { onCommand: { dispatch(name: string): void } };
};
