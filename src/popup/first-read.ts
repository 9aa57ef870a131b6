import { mirrorStorage, type EarlyStorage, type StorageMirror } from '../platform/storage-mirror';

declare global {
  /** Left by public/popup/early-read.js while the page's HTML was parsed; taken once, below. */
  var earlyStorage: EarlyStorage | undefined;
}

/**
 * The popup's copy of storage, from the read the page's first script started before the UI's module graph
 * had loaded (so the read and the loading overlap), or from a read started now when that script did not run
 * (the unit tests). Taken once.
 */
export function takeStorageMirror(): StorageMirror {
  const early = globalThis.earlyStorage;
  globalThis.earlyStorage = undefined;
  return mirrorStorage(early);
}
