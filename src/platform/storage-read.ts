import browser from 'webextension-polyfill';
import { isFiniteNumber, isRecord } from '../core/guards';
import type { AppSnapshot, VaultStatus } from '../core/protocol';
import { buildSnapshot } from '../core/snapshot';
import type { HistoryEntry } from '../core/history';
import {
  alteredWhileLockedProblem,
  mergeSecrets,
  readStoredData,
  type ReadResult,
  type StoredData,
  type VaultBlob,
} from '../core/stored-data';
import { isSealed, open, type KdfParams } from '../core/vault-crypto';
import { DATA_KEY, HISTORY_KEY_PREFIX, IN_FLIGHT_KEY, VAULT_KEY } from './storage-keys';

/**
 * The read side of extension storage: what any extension page may use. It never writes; the worker alone
 * writes, through `storage-write.ts`, which the popup cannot import (a lint rule). So the popup paints its
 * first frame from storage at once, without waiting for a worker that Chrome has probably stopped, and the
 * one-writer rule still holds by construction.
 * Which key lives where, and when each is cleared: `storage-keys.ts`.
 */

export interface LoadResult extends Omit<ReadResult, 'vault'> {
  vault: VaultStatus;
  /** The vault is on and not unlocked: `data` holds no secret ('' and no access tokens), and nothing may be written. */
  locked?: true;
}

/** What the vault keeps in clear beside its ciphertext, carried over when the passphrase changes. */
export type VaultExtras = Pick<VaultBlob, 'sealedAfterClear' | 'autoLockMinutes'>;

/** What a write needs to seal: the vault's KDF parameters, the unlocked key, and the clear settings. */
export interface SealWith {
  kdf: KdfParams;
  key: string;
  extras: VaultExtras;
}

export function vaultExtras(vault: VaultBlob | undefined): VaultExtras {
  return {
    ...(vault?.sealedAfterClear ? { sealedAfterClear: true } : {}),
    ...(vault?.autoLockMinutes ? { autoLockMinutes: vault.autoLockMinutes } : {}),
  };
}

function vaultStatus(vault: VaultBlob | undefined, unlocked: boolean): VaultStatus {
  return {
    enabled: vault !== undefined,
    unlocked,
    sealedAfterClear: vault?.sealedAfterClear === true,
    autoLockMinutes: vault?.autoLockMinutes ?? null,
  };
}

export async function readRaw(): Promise<unknown> {
  return (await browser.storage.local.get(DATA_KEY))[DATA_KEY];
}

/** All of `storage.local` in one round trip: the document and, beside it, each profile's history. */
export async function readLocal(): Promise<Record<string, unknown>> {
  return browser.storage.local.get(null);
}

/** The history keys among what `readLocal` gave. */
export function historyKeysIn(local: Record<string, unknown>): string[] {
  return Object.keys(local).filter((key) => key.startsWith(HISTORY_KEY_PREFIX));
}

/**
 * Puts each listed profile's history, kept apart from the document (HISTORY_KEY_PREFIX), into `data`, over
 * what a document from before held itself. Sealed entries are opened with `key`; with a vault on, entries in
 * clear are not taken (a sealed document's history is sealed; one found in clear beside it is not its own),
 * and without one, sealed entries cannot be. Returns the entries as read, by profile id: the write that
 * follows compares against them to rewrite only the histories that changed. The entries are checked where
 * they are used (`readHistory`).
 */
export async function attachHistories(
  data: StoredData,
  local: Record<string, unknown>,
  vault: { key: string } | undefined,
): Promise<Record<string, HistoryEntry[]>> {
  const read: Record<string, HistoryEntry[]> = {};
  for (const { id } of data.profiles) {
    const value = local[HISTORY_KEY_PREFIX + id];
    let entries: unknown;
    if (vault) {
      if (!isRecord(value) || !isSealed(value.sealed)) continue;
      const opened = await open(vault.key, value.sealed);
      if (!opened.ok) continue;
      entries = opened.value;
    } else {
      entries = value;
    }
    if (Array.isArray(entries) && entries.length > 0) read[id] = entries as HistoryEntry[];
  }
  if (Object.keys(read).length > 0) data.history = { ...data.history, ...read };
  return read;
}

export async function readSessionKey(): Promise<string | undefined> {
  return sessionKeyOf(await browser.storage.session.get(VAULT_KEY));
}

function sessionKeyOf(session: Record<string, unknown>): string | undefined {
  const key = session[VAULT_KEY];
  return typeof key === 'string' ? key : undefined;
}

/** The plaintext view of what was read: opened with the session's key, or the locked view without secrets. */
export async function openRead(
  read: ReadResult,
  key?: string,
): Promise<{ result: LoadResult; sealWith?: SealWith; keyRejected?: true }> {
  const { vault, ...rest } = read;
  if (!vault) return { result: { ...rest, vault: vaultStatus(undefined, false) } };
  const sessionKey = key ?? (await readSessionKey());
  if (sessionKey !== undefined) {
    const opened = await open(sessionKey, vault.sealed);
    if (opened.ok) {
      const { data, altered } = mergeSecrets(rest.data, opened.value);
      const problem = rest.problem ?? alteredWhileLockedProblem(altered);
      return {
        result: { ...rest, data, ...(problem ? { problem } : {}), vault: vaultStatus(vault, true) },
        sealWith: { kdf: vault.kdf, key: sessionKey, extras: vaultExtras(vault) },
      };
    }
  }
  const locked = { result: { ...rest, vault: vaultStatus(vault, false), locked: true as const } };
  return sessionKey === undefined ? locked : { ...locked, keyRejected: true };
}

/**
 * A session key that does not open the stored vault: the worker is between the two writes of a passphrase
 * change (new key kept, data not yet sealed under it). Read from a page, that moment would look locked.
 */
export class VaultChangingError extends Error {
  constructor() {
    super('The vault is being re-sealed.');
    this.name = 'VaultChangingError';
  }
}

/** What a snapshot is built from: `storage.local`'s document and marks, and `storage.session`'s key. */
export type RawSnapshotRead = [local: Record<string, unknown>, session: Record<string, unknown>];

/** One round trip per area, both at once. public/popup/early-read.js starts the same read before the UI loads. */
export function readRawSnapshot(): Promise<RawSnapshotRead> {
  return Promise.all([
    browser.storage.local.get([DATA_KEY, IN_FLIGHT_KEY]),
    browser.storage.session.get(VAULT_KEY),
  ]);
}

/**
 * The snapshot as stored, from a read already started or a new one. Refreshes marked in flight count as
 * refreshing: the worker marks each before it sends, so this agrees with its own answer to `getSnapshot`.
 */
export async function readStoredSnapshot(
  read: Promise<RawSnapshotRead> = readRawSnapshot(),
): Promise<AppSnapshot> {
  const [local, session] = await read;
  const { result, keyRejected } = await openRead(readStoredData(local[DATA_KEY]), sessionKeyOf(session));
  // Not shown as locked: the caller asks the worker, whose reads wait for its writes to finish.
  if (keyRejected) throw new VaultChangingError();
  return buildSnapshot(result, Object.keys(inFlightOf(local[IN_FLIGHT_KEY])));
}

/** The auto-lock delay of an unlocked vault; undefined when off, or when there is nothing unlocked to lock. */
export async function readAutoLockMinutes(): Promise<number | undefined> {
  const { vault } = readStoredData(await readRaw());
  if (!vault?.autoLockMinutes) return undefined;
  return (await readSessionKey()) === undefined ? undefined : vault.autoLockMinutes;
}

/** What `storage.onChanged` hands a listener for one area: each changed key's new value (none when removed). */
export type AreaChanges = Record<string, { newValue?: unknown } | undefined>;

/** Whether a change touches what a snapshot is built from: the document, the marks, or the vault's key. */
export function changesSnapshot(changes: AreaChanges, area: string): boolean {
  return (
    (area === 'local' && (DATA_KEY in changes || IN_FLIGHT_KEY in changes)) ||
    (area === 'session' && VAULT_KEY in changes)
  );
}

/**
 * `read` with one change event applied. An event carries each changed key's whole new value, so applying
 * the events in the order they came to a read taken after the listener was registered gives what a new read
 * would (applying one the read already reflects writes the same value again).
 */
export function withChange(
  [local, session]: RawSnapshotRead,
  changes: AreaChanges,
  area: string,
): RawSnapshotRead {
  const apply = (current: Record<string, unknown>, keys: string[]): Record<string, unknown> => {
    const changed = keys.filter((key) => key in changes);
    const next = Object.entries(current).filter(([key]) => !changed.includes(key));
    for (const key of changed) {
      const value = changes[key]?.newValue;
      if (value !== undefined) next.push([key, value]);
    }
    return Object.fromEntries(next);
  };
  if (area === 'local') return [apply(local, [DATA_KEY, IN_FLIGHT_KEY]), session];
  if (area === 'session') return [local, apply(session, [VAULT_KEY])];
  return [local, session];
}

/**
 * Calls `listener` after any change to the stored data, to the refreshes in flight, or to the vault's lock
 * state, from any context.
 */
export function onDataChanged(listener: () => void): () => void {
  const handler = (changes: AreaChanges, area: string) => {
    if (changesSnapshot(changes, area)) listener();
  };
  browser.storage.onChanged.addListener(handler);
  return () => {
    browser.storage.onChanged.removeListener(handler);
  };
}

/**
 * In-flight refreshes (profile id and start time, nothing secret), in `storage.local`: if the worker is
 * stopped or the browser quits mid-refresh, the entry outlives it, so the next start knows the outcome was lost.
 */
export type InFlight = Record<string, { startedAt: number }>;

export async function readInFlight(): Promise<InFlight> {
  return inFlightOf((await browser.storage.local.get(IN_FLIGHT_KEY))[IN_FLIGHT_KEY]);
}

/** Entries that are not a mark are dropped: a damaged mark must not show "Refreshing…" forever. */
function inFlightOf(raw: unknown): InFlight {
  if (!isRecord(raw)) return {};
  const marks: InFlight = {};
  for (const [id, mark] of Object.entries(raw)) {
    if (isRecord(mark) && isFiniteNumber(mark.startedAt)) marks[id] = { startedAt: mark.startedAt };
  }
  return marks;
}
