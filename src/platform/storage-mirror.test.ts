import { fakeBrowser } from '@webext-core/fake-browser';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { seedData, storedProfile } from '../test-support/worker';
import { IN_FLIGHT_KEY } from './storage-keys';
import { mirrorStorage, type StorageMirror } from './storage-mirror';
import { readStoredSnapshot } from './storage-read';

let mirror: StorageMirror | undefined;

afterEach(() => {
  mirror?.stop();
  mirror = undefined;
  vi.restoreAllMocks();
});

/** Resolves at the next change the mirror reports. */
function nextChange(of: StorageMirror): Promise<void> {
  return new Promise((resolve) => {
    const stop = of.onChange(() => {
      stop();
      resolve();
    });
  });
}

describe('mirrorStorage', () => {
  it('follows every change from the events alone, with no read after the first', async () => {
    await seedData([storedProfile({ id: 'p1', name: 'First' })]);
    const get = vi.spyOn(fakeBrowser.storage.local, 'get');
    mirror = mirrorStorage();
    expect((await mirror.snapshot()).profiles[0]?.name).toBe('First');

    let changed = nextChange(mirror);
    await fakeBrowser.storage.local.set({ [IN_FLIGHT_KEY]: { p1: { startedAt: 1 } } });
    await changed;
    expect((await mirror.snapshot()).refreshing).toEqual(['p1']);

    changed = nextChange(mirror);
    await seedData([storedProfile({ id: 'p1', name: 'Renamed' })]);
    await changed;
    changed = nextChange(mirror);
    await fakeBrowser.storage.local.remove(IN_FLIGHT_KEY);
    await changed;

    const mirrored = await mirror.snapshot();
    expect(mirrored).toEqual(await readStoredSnapshot());
    expect(mirrored.profiles[0]?.name).toBe('Renamed');
    expect(mirrored.refreshing).toEqual([]);
    // The mirror's first read and the comparison's read above: each the index, then the part it lists.
    expect(get).toHaveBeenCalledTimes(4);
  });

  it('is not told of changes to keys a snapshot is not built from', async () => {
    mirror = mirrorStorage();
    await mirror.snapshot();
    const listener = vi.fn();
    mirror.onChange(listener);
    await fakeBrowser.storage.local.set({ unrelated: 1 });
    await fakeBrowser.storage.session.set({ unrelated: 2 });
    expect(listener).not.toHaveBeenCalled();
  });

  it('reads storage afresh at the next change after a read that failed', async () => {
    await seedData([storedProfile({ name: 'Before' })]);
    vi.spyOn(fakeBrowser.storage.local, 'get').mockRejectedValueOnce(new Error('no storage'));
    mirror = mirrorStorage();
    await expect(mirror.snapshot()).rejects.toThrow('no storage');

    const changed = nextChange(mirror);
    await seedData([storedProfile({ name: 'After' })]);
    await changed;
    expect((await mirror.snapshot()).profiles[0]?.name).toBe('After');
  });

  it('stops following when stopped', async () => {
    await seedData([storedProfile({ name: 'Kept' })]);
    mirror = mirrorStorage();
    await mirror.snapshot();
    mirror.stop();
    await seedData([storedProfile({ name: 'Not seen' })]);
    expect((await mirror.snapshot()).profiles[0]?.name).toBe('Kept');
  });
});
