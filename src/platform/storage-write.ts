import browser from 'webextension-polyfill';
import { vaultFailure, type VaultReply } from '../core/passphrase';
import {
  CURRENT_SCHEMA_VERSION,
  layoutOf,
  readStoredData,
  secretsByProfile,
  splitSecrets,
  VAULT_CHECK,
  type ReadResult,
  type StoredData,
} from '../core/stored-data';
import type { HistoryEntry } from '../core/history';
import { deriveKeyBytes, newKdfParams, open, seal, type Sealed } from '../core/vault-crypto';
import { BACKUP_KEY_PREFIX, DATA_KEY, HISTORY_KEY_PREFIX, IN_FLIGHT_KEY, VAULT_KEY } from './storage-keys';
import {
  attachHistories,
  damagedPartsProblem,
  documentOf as readableDocumentOf,
  mergeOpened,
  historyKeysIn,
  openRead,
  openVault,
  partKeysIn,
  profileKey,
  readDocumentLocal,
  readLocal,
  vaultExtras,
  type InFlight,
  type LoadResult,
  type SealWith,
  type VaultExtras,
} from './storage-read';

/**
 * The write side of extension storage: only the background worker imports it (a lint rule keeps the popup
 * out), so there is one writer by construction. The document lives in `storage.local` as an index and one
 * part per profile (schema 3, see stored-data.ts); a change writes, in one `set`, the index and the parts it
 * changed: one write holds a token and the refresh token that came with it, so they can never be split, and
 * a refresh rewrites its own profile's part, not every profile's. Each profile's history lives under its own
 * key, written in the same `set` when it changed. Never `storage.sync`: that would send secrets off the machine.
 *
 * With a passphrase set, each profile's secrets are sealed (AES-GCM) in its part, and the key that opens
 * them lives only in `storage.session` (memory only, trusted contexts only) while the user keeps the vault
 * unlocked. Callers see the plaintext `StoredData` either way: sealing happens here, on every write, for the
 * parts whose secrets changed. Which key lives where, and when each is cleared: `storage-keys.ts`.
 */

/**
 * Queued behind writes, so a reader never sees a passphrase change half done (sealed, key not yet kept).
 * `historyOf`: that profile's history is read too (from its own key); no other reader needs one, so the
 * snapshot, the badge and a refresh never read or open the histories.
 */
export function loadData(options: { historyOf?: string } = {}): Promise<LoadResult> {
  const { historyOf } = options;
  return serialized(async () => {
    const local = await readDocumentLocal(historyOf === undefined ? [] : [HISTORY_KEY_PREFIX + historyOf]);
    const { result, sealWith } = await openRead(readStoredData(documentOf(local)));
    if (historyOf !== undefined && !result.locked) await attachHistories(result.data, local, sealWith);
    return result;
  });
}

/**
 * What a write starts from: the histories read from their keys (by profile id; unchanged arrays are not
 * rewritten), every history key there was (those whose profile has none any more are removed), and the
 * document as stored (its index and its parts: unchanged ones are not rewritten, those of removed profiles
 * are removed).
 */
interface StoredBefore {
  read: Record<string, HistoryEntry[]>;
  keys: string[];
  local: Record<string, unknown>;
}

/** Reads everything, and gives `data` every history (see attachHistories); what a write needs after. */
async function historiesFor(
  data: StoredData,
  local: Record<string, unknown>,
  vault: { key: string } | undefined,
): Promise<StoredBefore> {
  return { read: await attachHistories(data, local, vault), keys: historyKeysIn(local), local };
}

/** Refuses writes over data a newer version of the extension wrote. */
export class StoredDataReadOnlyError extends Error {
  constructor() {
    super('Saved data comes from a newer version of the extension; not overwriting it.');
    this.name = 'StoredDataReadOnlyError';
  }
}

/** Refuses writes while the vault is locked: a write without the secrets would drop them. */
export class VaultLockedError extends Error {
  constructor() {
    super('The vault is locked; nothing was written.');
    this.name = 'VaultLockedError';
  }
}

let writeQueue: Promise<unknown> = Promise.resolve();

/** Every read-modify-write of the document, and every vault change, runs here, one at a time. */
function serialized<T>(work: () => Promise<T>): Promise<T> {
  const run = writeQueue.then(work);
  writeQueue = run.catch(() => undefined);
  return run;
}

/**
 * Read-modify-write, serialized: a token arriving while the user saves the form cannot undo either change.
 * The queue is only an ordering of in-progress work; the data itself lives in storage.
 */
export function updateData<T>(
  change: (data: StoredData) => T,
  options: { inFlight?: () => InFlight } = {},
): Promise<T> {
  return serialized(async () => {
    const local = await readLocal();
    const read = readStoredData(documentOf(local));
    if (read.readOnly) throw new StoredDataReadOnlyError();
    const { result, sealWith, damagedParts } = await openRead(read);
    if (result.locked) throw new VaultLockedError();
    await backUpIfUnreadable(storedItemsOf(local), read, damagedParts);
    const histories = await historiesFor(result.data, local, sealWith);
    const outcome = change(result.data);
    // A refresh's answer and the end of its in-flight mark in one write: one round trip, one change event.
    await write(
      result.data,
      sealWith,
      histories,
      options.inFlight ? { [IN_FLIGHT_KEY]: options.inFlight() } : {},
    );
    return outcome;
  });
}

/**
 * Makes `profileId` the active profile; false when no such profile exists. Which profile is active is not
 * secret, so this rewrites only that field of the stored index (or of a document from before) and keeps
 * everything else as stored: it works while the vault is locked (a locked popup still lists every profile
 * and its expiry), and decrypts nothing.
 */
export function setActiveProfile(profileId: string): Promise<boolean> {
  return serialized(async () => {
    const local = await readDocumentLocal();
    const read = readStoredData(documentOf(local));
    if (read.readOnly) throw new StoredDataReadOnlyError();
    if (!read.data.profiles.some((p) => p.id === profileId)) return false;
    await backUpIfUnreadable(storedItemsOf(local), read);
    await browser.storage.local.set({
      [DATA_KEY]: { ...(local[DATA_KEY] as Record<string, unknown>), activeProfileId: profileId },
    });
    return true;
  });
}

/** Seals the secrets under a first passphrase. With one already set, changes nothing: see changePassphrase. */
export function enableVault(passphrase: string): Promise<VaultReply> {
  return serialized(async () => {
    const local = await readLocal();
    const read = readStoredData(documentOf(local));
    if (read.readOnly) return vaultFailure('read_only');
    if (read.vault) return vaultFailure('current_required');
    await backUpIfUnreadable(storedItemsOf(local), read);
    const histories = await historiesFor(read.data, local, undefined);
    // What was written in clear may outlive this write on disk (LevelDB keeps old values until it
    // compacts): remember it, so the UI can say so instead of promising more than encryption now gives.
    const wasInClear = hasSecrets(read.data) || (await backupNames()).length > 0;
    await sealUnderNewPassphrase(
      read.data,
      histories,
      passphrase,
      undefined,
      wasInClear ? { sealedAfterClear: true } : {},
    );
    return { ok: true };
  });
}

function hasSecrets(data: StoredData): boolean {
  return (
    data.profiles.some((p) => p.clientSecret !== '' || p.refreshToken !== '') ||
    Object.values(data.tokens).some((t) => Boolean(t.accessToken))
  );
}

/**
 * Writes `data` sealed under a key from `passphrase` and a fresh salt, every history included, and keeps that
 * key for the session.
 */
async function sealUnderNewPassphrase(
  data: StoredData,
  histories: StoredBefore,
  passphrase: string,
  oldKey: string | undefined,
  extras: VaultExtras,
): Promise<void> {
  const kdf = newKdfParams();
  const key = await deriveKeyBytes(passphrase, kdf);
  await browser.storage.session.set({ [VAULT_KEY]: key });
  await write(data, { kdf, key, extras }, { ...histories, read: {} });
  await rewriteBackups(oldKey, { kdf, key, extras });
}

/**
 * Auto-lock after `minutes` without use, or never (null). Needs the vault unlocked: the setting is written
 * with the document, and a locked document cannot be written.
 */
export function setAutoLockMinutes(minutes: number | null): Promise<VaultReply> {
  return serialized(async () => {
    const local = await readLocal();
    const read = readStoredData(documentOf(local));
    if (read.readOnly) return vaultFailure('read_only');
    const { result, sealWith, damagedParts } = await openRead(read);
    if (!sealWith) return vaultFailure(result.locked ? 'locked' : 'not_enabled');
    await backUpIfUnreadable(storedItemsOf(local), read, damagedParts);
    const histories = await historiesFor(result.data, local, sealWith);
    const { autoLockMinutes: _old, ...extras } = sealWith.extras;
    await write(
      result.data,
      { ...sealWith, extras: minutes === null ? extras : { ...extras, autoLockMinutes: minutes } },
      histories,
    );
    return { ok: true };
  });
}

async function backupNames(): Promise<string[]> {
  return Object.keys(await browser.storage.local.get(null)).filter((name) =>
    name.startsWith(BACKUP_KEY_PREFIX),
  );
}

/**
 * Backups of unreadable data can hold secrets from before the passphrase was set. They follow the vault:
 * sealed under its key while it is on (re-sealed when the passphrase changes), in clear again when removed.
 */
async function rewriteBackups(oldKey: string | undefined, sealWith: SealWith | undefined): Promise<void> {
  const all = await browser.storage.local.get(null);
  for (const [name, value] of Object.entries(all)) {
    if (!name.startsWith(BACKUP_KEY_PREFIX)) continue;
    let raw: unknown = value;
    if (isSealedBackup(value)) {
      if (oldKey === undefined) continue;
      const opened = await open(oldKey, value.sealedBackup);
      if (!opened.ok) continue; // not ours to open: leave it as it is
      raw = (opened.value as { raw?: unknown }).raw;
    }
    const next = sealWith ? { sealedBackup: await seal(sealWith.key, { raw }) } : raw;
    await browser.storage.local.set({ [name]: next });
  }
}

function isSealedBackup(value: unknown): value is { sealedBackup: Parameters<typeof open>[1] } {
  return typeof value === 'object' && value !== null && 'sealedBackup' in value;
}

/** Keeps the key for this browser session if `passphrase` opens the vault; changes nothing otherwise. */
export function unlockVault(passphrase: string): Promise<VaultReply> {
  return serialized(async () => {
    const opened = await openWithPassphrase(
      readStoredData(documentOf(await readDocumentLocal())),
      passphrase,
    );
    if (!opened.ok) return opened.reply;
    await browser.storage.session.set({ [VAULT_KEY]: opened.key });
    return { ok: true };
  });
}

/** Drops the key. Serialized, so a write already queued (a refresh's answer) still lands sealed first. */
export function lockVault(): Promise<VaultReply> {
  return serialized(async () => {
    await browser.storage.session.remove(VAULT_KEY);
    return { ok: true };
  });
}

/** Re-seals every secret under `next`, with a new salt; `current` must open the vault as it is. */
export function changePassphrase(current: string, next: string): Promise<VaultReply> {
  return serialized(async () => {
    const local = await readLocal();
    const read = readStoredData(documentOf(local));
    const opened = await openWithPassphrase(read, current);
    if (!opened.ok) return opened.reply;
    await backUpIfUnreadable(storedItemsOf(local), read, opened.damagedParts);
    const histories = await historiesFor(opened.data, local, opened);
    await sealUnderNewPassphrase(opened.data, histories, next, opened.key, vaultExtras(read.vault));
    return { ok: true };
  });
}

/** Stores every secret in clear again; `current` must open the vault. */
export function removeVault(current: string): Promise<VaultReply> {
  return serialized(async () => {
    const local = await readLocal();
    const read = readStoredData(documentOf(local));
    const opened = await openWithPassphrase(read, current);
    if (!opened.ok) return opened.reply;
    await backUpIfUnreadable(storedItemsOf(local), read, opened.damagedParts);
    // Every history written again, in clear.
    const histories = await historiesFor(opened.data, local, opened);
    await write(opened.data, undefined, { ...histories, read: {} });
    await rewriteBackups(opened.key, undefined);
    await browser.storage.session.remove(VAULT_KEY);
    return { ok: true };
  });
}

type Opened =
  { ok: true; key: string; data: StoredData; damagedParts: boolean } | { ok: false; reply: VaultReply };

async function openWithPassphrase(read: ReadResult, passphrase: string): Promise<Opened> {
  if (read.readOnly) return { ok: false, reply: vaultFailure('read_only') };
  if (!read.vault) return { ok: false, reply: vaultFailure('not_enabled') };
  const key = await deriveKeyBytes(passphrase, read.vault.kdf);
  const opened = await openVault(
    key,
    read.vault,
    read.data.profiles.map((p) => p.id),
  );
  if (!opened.ok) {
    return { ok: false, reply: vaultFailure(opened.reason === 'wrong_key' ? 'wrong_passphrase' : 'damaged') };
  }
  const { data } = mergeOpened(read.data, opened);
  return { ok: true, key, data, damagedParts: damagedPartsProblem(data, opened.damaged) !== undefined };
}

/**
 * The document a read-modify-write starts from (see storage-read's `documentOf`). Parts found without any
 * index (it was lost) make a document without a profile list: reported as unreadable, so a copy of them is
 * kept before the write (storedItemsOf). Only here: a page's reads fetch the listed parts alone.
 */
function documentOf(local: Record<string, unknown>): unknown {
  if (local[DATA_KEY] === undefined && partKeysIn(local).length > 0) {
    return { schemaVersion: CURRENT_SCHEMA_VERSION, activeProfileId: null, profiles: null };
  }
  return readableDocumentOf(local);
}

/**
 * The stored document exactly as it is, for a backup: the index (or the whole document of schemas 1 and 2)
 * alone when no part is stored, else the index and every part, by key, whether the index lists them or not.
 */
function storedItemsOf(local: Record<string, unknown>): unknown {
  const parts = partKeysIn(local);
  if (parts.length === 0) return local[DATA_KEY];
  return Object.fromEntries([DATA_KEY, ...parts].map((key) => [key, local[key]]));
}

/**
 * Keep what could not be read before the first write replaces it: the document as stored (with its parts,
 * see storedItemsOf), when part of it was unreadable or a profile's sealed part did not open.
 */
async function backUpIfUnreadable(raw: unknown, read: ReadResult, damagedParts?: boolean): Promise<void> {
  if ((read.problem || damagedParts) && raw !== undefined) {
    await browser.storage.local.set({ [`${BACKUP_KEY_PREFIX}${Date.now()}`]: raw });
  }
}

/**
 * Writes the document as an index and a part per profile, and each history that is not the array `before`
 * read (with a vault, each profile's secrets sealed in its part, under a fresh IV when they changed), in one
 * `storage.local.set` with `alongside`. Only what differs from `before` is written: a refresh writes its own
 * profile's part and history, not every profile's. Then the keys of profiles that are gone (their parts) and
 * of histories no profile has any more are removed: left behind, one would only be ignored, as only listed
 * profiles' parts and histories are read.
 */
async function write(
  data: StoredData,
  sealWith: SealWith | undefined,
  before: StoredBefore,
  alongside: Record<string, unknown> = {},
): Promise<void> {
  const { history = {}, ...doc } = data;
  const items: Record<string, unknown> = { ...alongside };
  const kept = new Set<string>();
  for (const [id, entries] of Object.entries(history)) {
    if (entries.length === 0) continue;
    kept.add(HISTORY_KEY_PREFIX + id);
    if (before.read[id] === entries) continue;
    items[HISTORY_KEY_PREFIX + id] = sealWith ? { sealed: await seal(sealWith.key, entries) } : entries;
  }
  const { index, parts } = sealWith ? await sealedLayout(doc, sealWith) : layoutOf(doc);
  if (!sameJson(index, before.local[DATA_KEY])) items[DATA_KEY] = index;
  for (const [id, part] of Object.entries(parts)) {
    const key = profileKey(id);
    kept.add(key);
    if (!sameJson(part, before.local[key])) items[key] = part;
  }
  if (Object.keys(items).length > 0) await browser.storage.local.set(items);
  const stale = [...before.keys, ...partKeysIn(before.local)].filter((key) => !kept.has(key));
  if (stale.length > 0) await browser.storage.local.remove(stale);
}

/** The layout of `doc` with its secrets sealed per profile; a profile's unchanged secrets keep their ciphertext. */
async function sealedLayout(doc: StoredData, sealWith: SealWith): Promise<ReturnType<typeof layoutOf>> {
  const { clear, secrets } = splitSecrets(doc);
  const sealed: Record<string, Sealed> = {};
  for (const [id, own] of Object.entries(secretsByProfile(doc, secrets))) {
    const before = sealWith.opened?.[id];
    sealed[id] = before?.json === JSON.stringify(own) ? before.sealed : await seal(sealWith.key, own);
  }
  const check = sealWith.check ?? (await seal(sealWith.key, VAULT_CHECK));
  return layoutOf(clear, { header: { kdf: sealWith.kdf, check, ...sealWith.extras }, sealed });
}

/**
 * Whether `value` would be stored as what is stored: both as JSON (what `storage.local` keeps), whatever the
 * order of their keys (a part read back and normalized lists its fields in another order than the change
 * that wrote it, and must not count as changed for that).
 */
function sameJson(value: unknown, stored: unknown): boolean {
  return stored !== undefined && canonicalJson(value) === canonicalJson(stored);
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * Writes the in-flight marks as `current()` gives them when the write runs: the worker's refreshes in
 * progress (refresh.ts), which, since a starting worker records and clears whatever marks a stopped one
 * left, are all the marks there are. Taken inside the one write queue, so the last write always holds the
 * current set and two refreshes cannot drop or revive each other's mark; no read is needed.
 */
export function writeInFlight(current: () => InFlight): Promise<void> {
  return serialized(async () => {
    await browser.storage.local.set({ [IN_FLIGHT_KEY]: current() });
  });
}
