import { assembleDocument } from '../src/core/stored-data';
import { DATA_KEY, PROFILE_KEY_PREFIX } from '../src/platform/storage-keys';

/**
 * The stored document as one object, from all of `storage.local`: the index with each profile's part put
 * back in it (src/core/stored-data.ts, `assembleDocument`), the shape schemas 1 and 2 stored whole. With a
 * vault, `vault.parts` holds each profile's sealed secrets.
 */
export function storedDocument(local: Record<string, unknown>): unknown {
  return assembleDocument(local[DATA_KEY], (id) => local[PROFILE_KEY_PREFIX + id]);
}
