import browser from 'webextension-polyfill';
import type { AppSnapshot } from '../core/protocol';
import {
  changesSnapshot,
  readRawSnapshot,
  readStoredSnapshot,
  withChange,
  type AreaChanges,
  type RawSnapshotRead,
} from './storage-read';

/**
 * What public/popup/early-read.js leaves on the page: the storage read it started while the HTML was parsed,
 * and the change events that came since (it registered its listener before starting the read). Once
 * `listener` is set, it hands every later event there instead of queuing it.
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
    current = early.read;
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
