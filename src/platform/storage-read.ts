import browser from 'webextension-polyfill';
import { isFiniteNumber, isRecord } from '../core/guards';
import type { AppSnapshot, VaultStatus } from '../core/protocol';
import { buildSnapshot } from '../core/snapshot';
import type { HistoryEntry } from '../core/history';
import {
  alteredWhileLockedProblem,
  assembleDocument,
  gatherSecrets,
  listedProfileIds,
  mergeSecrets,
  readStoredData,
  storedVaultHeader,
  VAULT_CHECK,
  type ReadResult,
  type StoredData,
  type VaultBlob,
} from '../core/stored-data';
import { isSealed, open, type KdfParams, type Sealed } from '../core/vault-crypto';
import { DATA_KEY, HISTORY_KEY_PREFIX, IN_FLIGHT_KEY, PROFILE_KEY_PREFIX, VAULT_KEY } from './storage-keys';

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

/**
 * What a write needs to seal: the vault's KDF parameters, the unlocked key, and the clear settings; and,
 * from the read it follows, the passphrase check and each profile's part as opened (its JSON and the
 * ciphertext it came from), so a part whose secrets did not change is stored as it was, not sealed again.
 */
export interface SealWith {
  kdf: KdfParams;
  key: string;
  extras: VaultExtras;
  check?: Sealed;
  opened?: OpenedParts;
}

/** By profile id: a sealed part that opened, as JSON, and the ciphertext it opened from. */
export type OpenedParts = Record<string, { json: string; sealed: Sealed }>;

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

export function profileKey(profileId: string): string {
  return PROFILE_KEY_PREFIX + profileId;
}

/**
 * The document's index and `keys` in one round trip, then the parts the index lists in a second. Read at
 * two moments, the two may straddle a write; a write sets the index with its parts in one `set`, so only a
 * part removed in between can be missing (a profile deleted): then both are read again.
 */
export async function readDocumentLocal(keys: string[] = []): Promise<Record<string, unknown>> {
  for (let attempt = 1; ; attempt++) {
    const local = await browser.storage.local.get([DATA_KEY, ...keys]);
    const ids = listedProfileIds(local[DATA_KEY]);
    if (ids.length === 0) return local;
    const read = { ...local, ...(await browser.storage.local.get(ids.map(profileKey))) };
    if (attempt === 3 || !partsMissing([read, {}])) return read;
  }
}

/** Whether a part the index lists is missing from what was read (the reads straddled a write). */
export function partsMissing([local]: RawSnapshotRead): boolean {
  return listedProfileIds(local[DATA_KEY]).some((id) => local[profileKey(id)] === undefined);
}

/** The one document `readStoredData` reads, from what was read of `storage.local` (see assembleDocument). */
export function documentOf(local: Record<string, unknown>): unknown {
  return assembleDocument(local[DATA_KEY], (id) => local[profileKey(id)]);
}

/** The part keys among what `readLocal` gave. */
export function partKeysIn(local: Record<string, unknown>): string[] {
  return Object.keys(local).filter((key) => key.startsWith(PROFILE_KEY_PREFIX));
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

/** What `key` opens of a vault: its secrets, as one `VaultSecrets`, and the parts that opened. */
export type OpenedVault =
  | { ok: true; secrets: unknown; opened: OpenedParts; damaged: string[]; checkDamaged?: true }
  | { ok: false; reason: 'wrong_key' | 'damaged' };

/**
 * Opens a vault with `key`. Schema 2: its one blob. Schema 3: its check first (a wrong key opens nothing
 * else), then every profile's part at once; of `profileIds`, one whose part is missing or does not open is
 * `damaged` (its secrets are then missing), the others are still read.
 */
export async function openVault(
  key: string,
  vault: VaultBlob,
  profileIds: readonly string[],
): Promise<OpenedVault> {
  if (vault.sealed) {
    const opened = await open(key, vault.sealed);
    return opened.ok ? { ok: true, secrets: opened.value, opened: {}, damaged: [] } : opened;
  }
  if (!vault.check) return { ok: false, reason: 'damaged' };
  const entries = Object.entries(vault.parts ?? {});
  const [check, results] = await Promise.all([
    open(key, vault.check),
    Promise.all(entries.map(([, sealed]) => open(key, sealed))),
  ]);
  // A check that does not open, while a part does, is a damaged check, not a wrong passphrase: the key is
  // taken (the check is sealed again at the next write) rather than locking out every intact profile.
  const checked = check.ok && check.value === VAULT_CHECK;
  if (!checked && !results.some((result) => result.ok)) {
    return check.ok ? { ok: false, reason: 'damaged' } : check;
  }
  const values: Record<string, unknown> = {};
  const opened: OpenedParts = {};
  const damaged: string[] = [];
  entries.forEach(([id, sealed], i) => {
    const result = results[i];
    if (!result?.ok) {
      damaged.push(id);
      return;
    }
    values[id] = result.value;
    opened[id] = { json: JSON.stringify(result.value), sealed };
  });
  const secrets = gatherSecrets(values);
  // Every profile of a sealed document has its sealed part: one without, or whose part opened to
  // something else, has lost its secrets.
  for (const id of profileIds) {
    if (!Object.hasOwn(secrets.profiles, id) && !damaged.includes(id)) damaged.push(id);
  }
  return { ok: true, secrets, opened, damaged, ...(checked ? {} : { checkDamaged: true as const }) };
}

/**
 * `mergeSecrets` of what opened. A profile whose sealed part is missing or did not open is to be reviewed:
 * nothing vouches for its hosts (whoever removed the part may have edited them), so it sends nothing until
 * the user has checked and saved it.
 */
export function mergeOpened(
  clear: StoredData,
  opened: Extract<OpenedVault, { ok: true }>,
): ReturnType<typeof mergeSecrets> {
  const merged = mergeSecrets(clear, opened.secrets);
  for (const profile of merged.data.profiles) {
    if (opened.damaged.includes(profile.id)) profile.needsReview = true;
  }
  return merged;
}

/** Profiles whose sealed part did not open: what the user is told, and why a copy is kept before a write. */
export function damagedPartsProblem(data: StoredData, damaged: readonly string[]): string | undefined {
  if (damaged.length === 0) return undefined;
  const names = data.profiles.filter((p) => damaged.includes(p.id)).map((p) => `“${p.name}”`);
  return `The encrypted secrets of ${names.join(', ') || 'a profile'} could not be read, so its client secret and refresh token are missing. A copy was kept; enter them again.`;
}

/** The plaintext view of what was read: opened with the session's key, or the locked view without secrets. */
export async function openRead(
  read: ReadResult,
  key?: string,
): Promise<{ result: LoadResult; sealWith?: SealWith; keyRejected?: true; damagedParts?: true }> {
  const { vault, ...rest } = read;
  if (!vault) return { result: { ...rest, vault: vaultStatus(undefined, false) } };
  const sessionKey = key ?? (await readSessionKey());
  if (sessionKey !== undefined) {
    const opened = await openVault(
      sessionKey,
      vault,
      rest.data.profiles.map((p) => p.id),
    );
    if (opened.ok) {
      const { data, altered } = mergeOpened(rest.data, opened);
      const damaged = damagedPartsProblem(data, opened.damaged);
      const problems = [rest.problem, damaged, alteredWhileLockedProblem(altered)].filter(Boolean);
      const problem = problems.length > 0 ? problems.join(' ') : undefined;
      return {
        result: { ...rest, data, ...(problem ? { problem } : {}), vault: vaultStatus(vault, true) },
        sealWith: {
          kdf: vault.kdf,
          key: sessionKey,
          extras: vaultExtras(vault),
          ...(vault.check && !opened.checkDamaged ? { check: vault.check } : {}),
          opened: opened.opened,
        },
        ...(damaged ? { damagedParts: true as const } : {}),
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

/**
 * Both areas at once (the document's index and parts, then, see readDocumentLocal). public/popup/early-read.js
 * starts the same read before the UI loads.
 */
export function readRawSnapshot(): Promise<RawSnapshotRead> {
  return Promise.all([readDocumentLocal([IN_FLIGHT_KEY]), browser.storage.session.get(VAULT_KEY)]);
}

/**
 * The snapshot as stored, from a read already started or a new one. Refreshes marked in flight count as
 * refreshing: the worker marks each before it sends, so this agrees with its own answer to `getSnapshot`.
 */
export async function readStoredSnapshot(
  read: Promise<RawSnapshotRead> = readRawSnapshot(),
): Promise<AppSnapshot> {
  const [local, session] = await read;
  const { result, keyRejected } = await openRead(readStoredData(documentOf(local)), sessionKeyOf(session));
  // Not shown as locked: the caller asks the worker, whose reads wait for its writes to finish.
  if (keyRejected) throw new VaultChangingError();
  return buildSnapshot(result, Object.keys(inFlightOf(local[IN_FLIGHT_KEY])));
}

/** The auto-lock delay of an unlocked vault; undefined when off, or when there is nothing unlocked to lock. */
export async function readAutoLockMinutes(): Promise<number | undefined> {
  const vault = storedVaultHeader(await readRaw());
  if (!vault?.autoLockMinutes) return undefined;
  return (await readSessionKey()) === undefined ? undefined : vault.autoLockMinutes;
}

/** What `storage.onChanged` hands a listener for one area: each changed key's new value (none when removed). */
export type AreaChanges = Record<string, { newValue?: unknown } | undefined>;

/** The `storage.local` keys a snapshot is built from: the document's index and parts, and the marks. */
function isSnapshotLocalKey(key: string): boolean {
  return key === DATA_KEY || key === IN_FLIGHT_KEY || key.startsWith(PROFILE_KEY_PREFIX);
}

/** Whether a change touches what a snapshot is built from: the document, the marks, or the vault's key. */
export function changesSnapshot(changes: AreaChanges, area: string): boolean {
  return (
    (area === 'local' && Object.keys(changes).some(isSnapshotLocalKey)) ||
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
  const apply = (
    current: Record<string, unknown>,
    isKey: (key: string) => boolean,
  ): Record<string, unknown> => {
    const changed = Object.keys(changes).filter(isKey);
    const next = Object.entries(current).filter(([key]) => !changed.includes(key));
    for (const key of changed) {
      const value = changes[key]?.newValue;
      if (value !== undefined) next.push([key, value]);
    }
    return Object.fromEntries(next);
  };
  if (area === 'local') return [apply(local, isSnapshotLocalKey), session];
  if (area === 'session') return [local, apply(session, (key) => key === VAULT_KEY)];
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
