import browser from 'webextension-polyfill';
import { readStoredData, type ReadResult, type StoredData } from '../core/stored-data';

/**
 * The only code that touches extension storage. Everything lives in `storage.local` under one key, written
 * whole: one write holds a token and the refresh token that came with it, so they can never be split.
 * Never `storage.sync`: that would send secrets off the machine.
 */
const DATA_KEY = 'data';
const BACKUP_KEY_PREFIX = 'unreadable-backup-';

export async function loadData(): Promise<ReadResult> {
  const raw = (await browser.storage.local.get(DATA_KEY))[DATA_KEY];
  return readStoredData(raw);
}

/** Refuses writes over data a newer version of the extension wrote. */
export class StoredDataReadOnlyError extends Error {
  constructor() {
    super('Saved data comes from a newer version of the extension; not overwriting it.');
    this.name = 'StoredDataReadOnlyError';
  }
}

let writeQueue: Promise<unknown> = Promise.resolve();

/**
 * Read-modify-write, serialized: a token arriving while the user saves the form cannot undo either change.
 * The queue is only an ordering of in-progress work; the data itself lives in storage.
 */
export function updateData<T>(change: (data: StoredData) => T): Promise<T> {
  const run = writeQueue.then(async () => {
    const raw = (await browser.storage.local.get(DATA_KEY))[DATA_KEY];
    const { data, problem, readOnly } = readStoredData(raw);
    if (readOnly) throw new StoredDataReadOnlyError();
    if (problem && raw !== undefined) {
      // Keep what could not be read before the first write replaces it.
      await browser.storage.local.set({ [`${BACKUP_KEY_PREFIX}${Date.now()}`]: raw });
    }
    const result = change(data);
    await browser.storage.local.set({ [DATA_KEY]: data });
    return result;
  });
  writeQueue = run.catch(() => undefined);
  return run;
}

/** Calls `listener` after any change to the stored data or to the refreshes in flight, from any context. */
export function onDataChanged(listener: () => void): () => void {
  const handler = (changes: Record<string, unknown>, area: string) => {
    if ((area === 'local' && DATA_KEY in changes) || (area === 'session' && IN_FLIGHT_KEY in changes))
      listener();
  };
  browser.storage.onChanged.addListener(handler);
  return () => browser.storage.onChanged.removeListener(handler);
}

/**
 * In-flight refreshes, in `storage.session` (memory only, trusted contexts only). If the worker is stopped
 * mid-refresh, the entry outlives it, so the next start knows the outcome was lost.
 */
const IN_FLIGHT_KEY = 'inFlight';
export type InFlight = Record<string, { startedAt: number }>;

export async function readInFlight(): Promise<InFlight> {
  const raw = (await browser.storage.session.get(IN_FLIGHT_KEY))[IN_FLIGHT_KEY];
  return typeof raw === 'object' && raw !== null ? (raw as InFlight) : {};
}

export function markInFlight(profileId: string, startedAt: number): Promise<void> {
  return updateInFlight((current) => ({ ...current, [profileId]: { startedAt } }));
}

export function clearInFlight(profileId: string): Promise<void> {
  return updateInFlight(({ [profileId]: _done, ...rest }) => rest);
}

let inFlightQueue: Promise<unknown> = Promise.resolve();

/** Serialized like `updateData`: two profiles refreshing at once must not drop or revive each other's mark. */
function updateInFlight(change: (current: InFlight) => InFlight): Promise<void> {
  const run = inFlightQueue.then(async () => {
    await browser.storage.session.set({ [IN_FLIGHT_KEY]: change(await readInFlight()) });
  });
  inFlightQueue = run.catch(() => undefined);
  return run;
}
