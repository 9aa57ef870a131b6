import { expect, type BrowserContext, type CDPSession, type Page, type Worker } from '@playwright/test';
import { storedDocument } from '../stored-document';

/**
 * Test-side access to the running extension that a user does not have: its storage, and its service worker's
 * life cycle through the DevTools protocol. Used by the worker-restart and security specs.
 */

export interface StorageAreas {
  local: Record<string, unknown>;
  session: Record<string, unknown>;
}

/**
 * Reads both storage areas from an extension page or the extension's worker (both are trusted contexts, so
 * storage.session is readable).
 */
export function readStorage(target: Page | Worker): Promise<StorageAreas> {
  const read = async () => ({
    local: await chrome.storage.local.get(null),
    session: await chrome.storage.session.get(null),
  });
  return isPage(target) ? target.evaluate(read) : target.evaluate(read);
}

/** Writes `storage.local` keys directly, as an older version, a crash or a hand edit might have left them. */
export function writeLocal(target: Page | Worker, items: Record<string, unknown>): Promise<void> {
  const write = (values: Record<string, unknown>) => chrome.storage.local.set(values);
  return isPage(target) ? target.evaluate(write, items) : target.evaluate(write, items);
}

/**
 * Resolves once the worker has answered a message from `page`. A page's messages reach the worker in the
 * order they were sent, so by then the worker has received (and begun handling) every message that page sent
 * before: an event to wait on, instead of a guess at how long delivery takes.
 */
export async function workerHasReceived(page: Page): Promise<void> {
  await page.evaluate(() => chrome.runtime.sendMessage({ type: 'getSnapshot', payload: {} }));
}

function isPage(target: Page | Worker): target is Page {
  return 'goto' in target;
}

/** The stored document as far as these tests look into it (see src/core/stored-data.ts). */
export interface StoredDoc {
  schemaVersion: number;
  activeProfileId: string | null;
  profiles: {
    id: string;
    clientId: string;
    clientSecret: string;
    refreshToken: string;
    autoRefresh?: true;
    leadMinutes?: number;
  }[];
  tokens: Record<
    string,
    {
      accessToken?: string;
      expiresAt?: number;
      receivedAt?: number;
      lastError?: { kind: string };
      autoPaused?: string;
    }
  >;
}

export async function readDoc(
  target: Page | Worker,
): Promise<{ doc: StoredDoc; profile: StoredDoc['profiles'][number] }> {
  const { local } = await readStorage(target);
  const doc = storedDocument(local) as StoredDoc;
  const [profile] = doc.profiles;
  if (!profile) throw new Error('no profile stored');
  return { doc, profile };
}

type RunningStatus = 'stopped' | 'starting' | 'running' | 'stopping';

/**
 * Our service worker as DevTools sees it: its running status, and a way to stop it for real
 * (`ServiceWorker.stopAllWorkers`, what "Stop" in chrome://serviceworker-internals does), as Chrome does to
 * an idle worker, one whose fetch takes too long, or under memory pressure.
 */
export class WorkerControl {
  private status: RunningStatus | undefined;
  private starts = 0;
  private stops = 0;

  private constructor(
    private readonly cdp: CDPSession,
    private readonly scriptOrigin: string,
  ) {
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      for (const version of versions) {
        if (!version.scriptURL.startsWith(this.scriptOrigin)) continue;
        const next: RunningStatus = version.runningStatus;
        if (next === 'running' && this.status !== 'running') this.starts += 1;
        if (next === 'stopped' && this.status !== 'stopped') this.stops += 1;
        this.status = next;
      }
    });
  }

  /** Attaches through `page` (any page of the browser works) and waits until the running worker is seen. */
  static async attach(context: BrowserContext, page: Page, extensionId: string): Promise<WorkerControl> {
    const control = new WorkerControl(
      await context.newCDPSession(page),
      `chrome-extension://${extensionId}/`,
    );
    await control.cdp.send('ServiceWorker.enable');
    await expect.poll(() => control.status).toBe('running');
    control.starts = 0;
    return control;
  }

  runningStatus(): RunningStatus | undefined {
    return this.status;
  }

  /** How many times the worker went to "running" since `attach`. */
  restarts(): number {
    return this.starts;
  }

  /**
   * Stops the worker at once, whatever it is doing, and waits until Chrome reports it stopped. (It may be
   * running again by then: an open page whose message was cut off can wake it straight away.)
   */
  async stop(): Promise<void> {
    const stopsBefore = this.stops;
    await this.cdp.send('ServiceWorker.stopAllWorkers');
    await expect.poll(() => this.stops).toBe(stopsBefore + 1);
  }
}
