import browser from 'webextension-polyfill';
import type { AppSnapshot } from '../core/protocol';
import {
  changesSnapshot,
  partsMissing,
  readRawSnapshot,
  readStoredSnapshot,
  withChange,
  type AreaChanges,
  type RawSnapshotRead,
} from './storage-read';

/**
 * What public/popup/early-read.js leaves on the page. That script is the popup's storage read, started while
 * the HTML is still being parsed: a classic script in <head>, so it runs before the UI's module graph has
 * even been fetched, and the read (a round trip to the browser process) overlaps the loading and compiling
 * of that graph. Plain JS outside the bundle on purpose: bundled, it would run only after every module had
 * loaded; and shipped as is, so it carries no comment of its own (every byte is read at each opening). It
 * registers its change listener before it starts the read, so no change between the two is missed, and
 * queues the events until the UI sets `listener`. Its keys must be those of storage-keys.ts (a unit test
 * checks), and it ignores the read's failure (the UI's own read reports errors). `chrome.*` returns
 * promises for these calls in Chrome's and Firefox's MV3 extension pages.
 */
export interface EarlyStorage {
  read: Promise<RawSnapshotRead>;
  changes: [AreaChanges, string][];
  listener?: ((changes: AreaChanges, area: string) => void) | undefined;
}

/** A page's copy of what a snapshot is built from, kept current by change events rather than new reads. */
export interface StorageMirror {
  /** The snapshot as of every change seen so far, built with the same pure code as the worker's. */
  snapshot(): Promise<AppSnapshot>;
  /** Calls `listener` after each change that touches the snapshot. */
  onChange(listener: () => void): () => void;
  /** Stops listening (a test's page goes away; a real page's listener ends with the page). */
  stop(): void;
}

/**
 * Each storage change event already carries the new values, so a page that read storage once can apply the
 * events instead of reading again: after a refresh, that saves the popup a round trip to the browser
 * process between the worker's write and the new token on screen. The events are applied in order on top of
 * the first read (queued behind it while it is still under way); if a read fails, the next change reads
 * storage afresh, and that read includes the change.
 *
 * With `early` (the popup), the first read and the events before this call come from early-read.js.
 * Without (the unit tests), the listener is registered here, before the first read starts.
 */
export function mirrorStorage(early?: EarlyStorage): StorageMirror {
  const listeners = new Set<() => void>();
  // Set below before any event can be applied: early's queue is applied after it, later events are async.
  let current!: Promise<RawSnapshotRead>;
  const apply = (changes: AreaChanges, area: string) => {
    if (!changesSnapshot(changes, area)) return;
    current = current.then(
      (read) => withChange(read, changes, area),
      () => readRawSnapshot(),
    );
    for (const listener of listeners) listener();
  };
  let stop: () => void;
  if (early) {
    // Its two reads (the index, then the parts it lists) may straddle a write that removed a part: then
    // the index and its parts are read again, here (see readDocumentLocal).
    current = early.read.then((read) => (partsMissing(read) ? readRawSnapshot() : read));
    for (const [changes, area] of early.changes.splice(0)) apply(changes, area);
    early.listener = apply;
    stop = () => {
      early.listener = undefined;
    };
  } else {
    browser.storage.onChanged.addListener(apply);
    current = readRawSnapshot();
    stop = () => {
      browser.storage.onChanged.removeListener(apply);
    };
  }
  return {
    snapshot: () => readStoredSnapshot(current),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      listeners.clear();
      stop();
    },
  };
}
