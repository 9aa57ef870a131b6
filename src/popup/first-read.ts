import type { AppSnapshot } from '../core/protocol';
import { readRawSnapshot, readStoredSnapshot, type RawSnapshotRead } from '../platform/storage-read';

declare global {
  /** Started by public/popup/early-read.js while the page's HTML was parsed; taken once, below. */
  var earlyStorageRead: Promise<RawSnapshotRead> | undefined;
}

/**
 * The popup's first frame, from the storage read the page's first script started before the UI's module
 * graph had loaded (so the read and the loading overlap), or from a read started now when that script did
 * not run (the unit tests). Taken once: later reads go to storage again.
 */
export function takeFirstRead(): Promise<AppSnapshot> {
  const early = globalThis.earlyStorageRead;
  globalThis.earlyStorageRead = undefined;
  return readStoredSnapshot(early ?? readRawSnapshot());
}
