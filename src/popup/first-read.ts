import type { AppSnapshot } from '../core/protocol';
import { readStoredSnapshot } from '../platform/storage-read';

/**
 * The popup's first storage read, started by its own small script in index.html before the UI's larger
 * module graph has loaded, so the read and the loading overlap. Taken once: later reads go to storage again.
 */
let pending: Promise<AppSnapshot> | undefined = readStoredSnapshot();

export function takeFirstRead(): Promise<AppSnapshot> {
  const first = pending ?? readStoredSnapshot();
  pending = undefined;
  return first;
}
