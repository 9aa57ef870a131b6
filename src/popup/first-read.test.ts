import { fakeBrowser } from '@webext-core/fake-browser';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import type { EarlyStorage } from '../platform/storage-mirror';
import { readRawSnapshot } from '../platform/storage-read';
import { DATA_KEY, IN_FLIGHT_KEY, PROFILE_KEY_PREFIX, VAULT_KEY } from '../platform/storage-keys';
import { betweenLocalReads, seedData, storedProfile } from '../test-support/worker';
import { takeStorageMirror } from './first-read';

const EARLY_READ = readFileSync(path.resolve('public/popup/early-read.js'), 'utf8');

/** Runs public/popup/early-read.js as the page would, against the fake browser as `chrome`. */
function runEarlyRead(): EarlyStorage {
  const page: { chrome: typeof fakeBrowser; earlyStorage?: EarlyStorage } = { chrome: fakeBrowser };
  runInNewContext(EARLY_READ, Object.assign(page, { globalThis: page }));
  if (!page.earlyStorage) throw new Error('early-read.js set no globalThis.earlyStorage');
  return page.earlyStorage;
}

afterEach(() => {
  globalThis.earlyStorage = undefined;
});

describe('the early storage read (public/popup/early-read.js)', () => {
  it('reads exactly what readRawSnapshot reads, keys and areas alike', async () => {
    await seedData([storedProfile({ name: 'Early app' })]);
    await fakeBrowser.storage.local.set({ [IN_FLIGHT_KEY]: { p1: { startedAt: 1 } }, other: 'not read' });
    await fakeBrowser.storage.session.set({ [VAULT_KEY]: 'a-key', unrelated: 1 });

    const early = await runEarlyRead().read;

    expect(early).toEqual(await readRawSnapshot());
    expect(Object.keys(early[0]).sort()).toEqual(
      [DATA_KEY, IN_FLIGHT_KEY, `${PROFILE_KEY_PREFIX}p-1`].sort(),
    );
  });

  it('gives the first frame the index and parts read again when a listed part was removed between its two reads', async () => {
    await seedData([
      storedProfile({ id: 'p-1', name: 'Kept' }),
      storedProfile({ id: 'p-2', name: 'Deleted' }),
    ]);
    // The worker deletes p-2 right after the index was read: its part is gone when the parts are read.
    await fakeBrowser.storage.local.remove(`${PROFILE_KEY_PREFIX}p-2`);
    const reads = betweenLocalReads(async (read) => {
      if (read === 1) await seedData([storedProfile({ id: 'p-1', name: 'Kept' })]);
    });
    globalThis.earlyStorage = runEarlyRead();
    const mirror = takeStorageMirror();
    const first = await mirror.snapshot();
    mirror.stop();
    expect(first.storageProblem).toBeUndefined();
    expect(first.profiles.map((p) => p.name)).toEqual(['Kept']);
    expect(reads()).toBe(4);
  });

  it('queues the changes made after it started, until the UI takes them', async () => {
    const early = runEarlyRead();
    await fakeBrowser.storage.local.set({ [IN_FLIGHT_KEY]: { p1: { startedAt: 1 } } });
    expect(early.changes.map(([changes, area]) => [Object.keys(changes), area])).toEqual([
      [[IN_FLIGHT_KEY], 'local'],
    ]);
  });
});

describe('takeStorageMirror', () => {
  it('builds the first frame from the read the page started, then follows the changes queued since', async () => {
    await seedData([storedProfile({ name: 'Stored before the page opened' })]);
    const early = runEarlyRead();
    await early.read;
    // Changed after the early read was answered, before the UI loaded: queued, then applied.
    await seedData([storedProfile({ name: 'Stored while the UI loaded' })]);
    globalThis.earlyStorage = early;

    const mirror = takeStorageMirror();
    expect(globalThis.earlyStorage).toBeUndefined();
    expect((await mirror.snapshot()).profiles[0]?.name).toBe('Stored while the UI loaded');
    mirror.stop();
  });
});
