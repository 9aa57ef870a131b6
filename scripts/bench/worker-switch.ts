import type { BrowserContext, CDPSession, Page } from '@playwright/test';

type RunningStatus = 'stopped' | 'starting' | 'running' | 'stopping';

/**
 * The extension's service worker through the DevTools protocol: stopped for real (`ServiceWorker.stopAllWorkers`,
 * what Chrome does to an idle worker) or started (`ServiceWorker.startWorker`), and its running status.
 * Like `WorkerControl` in e2e/chromium/devtools.ts, but idempotent (stopping a stopped worker returns at once)
 * and free of the test runner's `expect.poll`, since the bench runs outside Playwright Test.
 */
export class WorkerSwitch {
  private status: RunningStatus | undefined;

  private constructor(
    private readonly cdp: CDPSession,
    private readonly origin: string,
  ) {
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      for (const version of versions) {
        if (version.scriptURL.startsWith(this.origin)) this.status = version.runningStatus;
      }
    });
  }

  /** `page` hosts the DevTools session: keep it open for as long as the switch is used. */
  static async attach(context: BrowserContext, page: Page, extensionId: string): Promise<WorkerSwitch> {
    const control = new WorkerSwitch(await context.newCDPSession(page), `chrome-extension://${extensionId}/`);
    await control.cdp.send('ServiceWorker.enable');
    await control.until('running', 'reported running after attach');
    return control;
  }

  runningStatus(): RunningStatus | undefined {
    return this.status;
  }

  /** Stops the worker (no-op when it is stopped) and waits until Chrome reports it stopped. */
  async stop(): Promise<void> {
    if (this.status === 'stopped') return;
    // A worker still starting (the popup just woke it) ignored the stop sent then, and ran on: two bench
    // runs here failed so. Let it settle first, as start() does.
    await this.until(['running', 'stopped'], 'settled');
    if (this.runningStatus() === 'stopped') return;
    await this.cdp.send('ServiceWorker.stopAllWorkers');
    await this.until('stopped', 'stopped');
  }

  /** Starts the worker (no-op when it runs) and waits until it runs; returns whether it had to start it. */
  async start(): Promise<boolean> {
    if (this.status === 'running') return false;
    await this.until(['running', 'stopped'], 'settled');
    if (this.runningStatus() === 'running') return false;
    await this.cdp.send('ServiceWorker.startWorker', { scopeURL: this.origin });
    await this.until('running', 'started');
    return true;
  }

  private async until(
    wanted: RunningStatus | RunningStatus[],
    what: string,
    timeoutMs = 10_000,
  ): Promise<void> {
    const list = Array.isArray(wanted) ? wanted : [wanted];
    const deadline = Date.now() + timeoutMs;
    while (!this.status || !list.includes(this.status)) {
      if (Date.now() > deadline) {
        throw new Error(
          `the extension's worker was not ${what} within ${timeoutMs} ms (${this.status ?? 'unknown'})`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}
