import { fakeBrowser } from '@webext-core/fake-browser';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { readRawSnapshot } from '../platform/storage-read';
import { DATA_KEY, IN_FLIGHT_KEY, VAULT_KEY } from '../platform/storage-keys';
import { seedData, storedProfile } from '../test-support/worker';
import { takeFirstRead } from './first-read';

const EARLY_READ = readFileSync(path.resolve('public/popup/early-read.js'), 'utf8');

/** Runs public/popup/early-read.js as the page would, against the fake browser as `chrome`; returns its read. */
function runEarlyRead(): Promise<unknown> {
  const page: { chrome: typeof fakeBrowser; earlyStorageRead?: Promise<unknown> } = { chrome: fakeBrowser };
  runInNewContext(EARLY_READ, Object.assign(page, { globalThis: page }));
  if (!page.earlyStorageRead) throw new Error('early-read.js set no globalThis.earlyStorageRead');
  return page.earlyStorageRead;
}

afterEach(() => {
  globalThis.earlyStorageRead = undefined;
});

describe('the early storage read (public/popup/early-read.js)', () => {
  it('reads exactly what readRawSnapshot reads, keys and areas alike', async () => {
    await seedData([storedProfile({ name: 'Early app' })]);
    await fakeBrowser.storage.local.set({ [IN_FLIGHT_KEY]: { p1: { startedAt: 1 } }, other: 'not read' });
    await fakeBrowser.storage.session.set({ [VAULT_KEY]: 'a-key', unrelated: 1 });

    const early = await runEarlyRead();

    expect(early).toEqual(await readRawSnapshot());
    expect(Object.keys((early as [object, object])[0]).sort()).toEqual([DATA_KEY, IN_FLIGHT_KEY].sort());
  });
});

describe('takeFirstRead', () => {
  it('builds the first frame from the read the page started, and takes it only once', async () => {
    await seedData([storedProfile({ name: 'Stored before the page opened' })]);
    const early = runEarlyRead() as NonNullable<typeof globalThis.earlyStorageRead>;
    await early;
    // Changed after the early read was answered: the first frame shows what that read saw.
    await seedData([storedProfile({ name: 'Stored later' })]);
    globalThis.earlyStorageRead = early;

    expect((await takeFirstRead()).profiles[0]?.name).toBe('Stored before the page opened');
    expect(globalThis.earlyStorageRead).toBeUndefined();
    expect((await takeFirstRead()).profiles[0]?.name).toBe('Stored later');
  });
});
