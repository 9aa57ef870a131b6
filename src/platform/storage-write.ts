import browser from 'webextension-polyfill';
import { vaultFailure, type VaultReply } from '../core/passphrase';
import {
  mergeSecrets,
  readStoredData,
  splitSecrets,
  storedDocument,
  type ReadResult,
  type StoredData,
  type VaultBlob,
} from '../core/stored-data';
import type { HistoryEntry } from '../core/history';
import { deriveKeyBytes, newKdfParams, open, seal } from '../core/vault-crypto';
import { BACKUP_KEY_PREFIX, DATA_KEY, HISTORY_KEY_PREFIX, IN_FLIGHT_KEY, VAULT_KEY } from './storage-keys';
import {
  attachHistories,
  historyKeysIn,
  openRead,
  readLocal,
  readRaw,
  vaultExtras,
  type InFlight,
  type LoadResult,
  type SealWith,
  type VaultExtras,
} from './storage-read';

/**
 * The write side of extension storage: only the background worker imports it (a lint rule keeps the popup
 * out), so there is one writer by construction. The document lives in `storage.local` under one key, written
 * whole: one write holds a token and the refresh token that came with it, so they can never be split. Each
 * profile's history lives under its own key, written in the same `set` as the document when it changed.
 * Never `storage.sync`: that would send secrets off the machine.
 *
 * With a passphrase set, the secrets are sealed (AES-GCM) in that same document, and the key that opens
 * them lives only in `storage.session` (memory only, trusted contexts only) while the user keeps the vault
 * unlocked. Callers see the plaintext `StoredData` either way: sealing happens here, on every write.
 * Which key lives where, and when each is cleared: `storage-keys.ts`.
 */

/**
 * Queued behind writes, so a reader never sees a passphrase change half done (sealed, key not yet kept).
 * `historyOf`: that profile's history is read too (from its own key); no other reader needs one, so the
 * snapshot, the badge and a refresh never read or open the histories.
 */
export function loadData(options: { historyOf?: string } = {}): Promise<LoadResult> {
  const { historyOf } = options;
  return serialized(async () => {
    const keys = historyOf === undefined ? [DATA_KEY] : [DATA_KEY, HISTORY_KEY_PREFIX + historyOf];
    const local = await browser.storage.local.get(keys);
    const { result, sealWith } = await openRead(readStoredData(local[DATA_KEY]));
    if (historyOf !== undefined && !result.locked) await attachHistories(result.data, local, sealWith);
    return result;
  });
}

/**
 * The histories a write starts from: the entries read from their keys (by profile id; unchanged arrays are
 * not rewritten) and every history key there was (those whose profile has none any more are removed).
 */
interface StoredHistories {
  read: Record<string, HistoryEntry[]>;
  keys: string[];
}

/** Reads everything, and gives `data` every history (see attachHistories); what a write needs after. */
async function historiesFor(
  data: StoredData,
  local: Record<string, unknown>,
  vault: { key: string } | undefined,
): Promise<StoredHistories> {
  return { read: await attachHistories(data, local, vault), keys: historyKeysIn(local) };
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
    const raw = local[DATA_KEY];
    const read = readStoredData(raw);
    if (read.readOnly) throw new StoredDataReadOnlyError();
    const { result, sealWith } = await openRead(read);
    if (result.locked) throw new VaultLockedError();
    await backUpIfUnreadable(raw, read);
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
 * secret, so this rewrites only the document's clear part and keeps the sealed part as stored: it works
 * while the vault is locked (a locked popup still lists every profile and its expiry), and decrypts nothing.
 */
export function setActiveProfile(profileId: string): Promise<boolean> {
  return serialized(async () => {
    const raw = await readRaw();
    const read = readStoredData(raw);
    if (read.readOnly) throw new StoredDataReadOnlyError();
    if (!read.data.profiles.some((p) => p.id === profileId)) return false;
    await backUpIfUnreadable(raw, read);
    read.data.activeProfileId = profileId;
    await browser.storage.local.set({ [DATA_KEY]: storedDocument(read.data, read.vault) });
    return true;
  });
}

/** Seals the secrets under a first passphrase. With one already set, changes nothing: see changePassphrase. */
export function enableVault(passphrase: string): Promise<VaultReply> {
  return serialized(async () => {
    const local = await readLocal();
    const raw = local[DATA_KEY];
    const read = readStoredData(raw);
    if (read.readOnly) return vaultFailure('read_only');
    if (read.vault) return vaultFailure('current_required');
    await backUpIfUnreadable(raw, read);
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
  histories: StoredHistories,
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
    const raw = local[DATA_KEY];
    const read = readStoredData(raw);
    if (read.readOnly) return vaultFailure('read_only');
    const { result, sealWith } = await openRead(read);
    if (!sealWith) return vaultFailure(result.locked ? 'locked' : 'not_enabled');
    await backUpIfUnreadable(raw, read);
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
    const opened = await openWithPassphrase(readStoredData(await readRaw()), passphrase);
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
    const raw = local[DATA_KEY];
    const read = readStoredData(raw);
    const opened = await openWithPassphrase(read, current);
    if (!opened.ok) return opened.reply;
    await backUpIfUnreadable(raw, read);
    const histories = await historiesFor(opened.data, local, opened);
    await sealUnderNewPassphrase(opened.data, histories, next, opened.key, vaultExtras(read.vault));
    return { ok: true };
  });
}

/** Stores every secret in clear again; `current` must open the vault. */
export function removeVault(current: string): Promise<VaultReply> {
  return serialized(async () => {
    const local = await readLocal();
    const raw = local[DATA_KEY];
    const read = readStoredData(raw);
    const opened = await openWithPassphrase(read, current);
    if (!opened.ok) return opened.reply;
    await backUpIfUnreadable(raw, read);
    // Every history written again, in clear.
    const histories = await historiesFor(opened.data, local, opened);
    await write(opened.data, undefined, { ...histories, read: {} });
    await rewriteBackups(opened.key, undefined);
    await browser.storage.session.remove(VAULT_KEY);
    return { ok: true };
  });
}

type Opened = { ok: true; key: string; data: StoredData } | { ok: false; reply: VaultReply };

async function openWithPassphrase(read: ReadResult, passphrase: string): Promise<Opened> {
  if (read.readOnly) return { ok: false, reply: vaultFailure('read_only') };
  if (!read.vault) return { ok: false, reply: vaultFailure('not_enabled') };
  const key = await deriveKeyBytes(passphrase, read.vault.kdf);
  const opened = await open(key, read.vault.sealed);
  if (!opened.ok) {
    return { ok: false, reply: vaultFailure(opened.reason === 'wrong_key' ? 'wrong_passphrase' : 'damaged') };
  }
  return { ok: true, key, data: mergeSecrets(read.data, opened.value).data };
}

/** Keep what could not be read before the first write replaces it. */
async function backUpIfUnreadable(raw: unknown, read: ReadResult): Promise<void> {
  if (read.problem && raw !== undefined) {
    await browser.storage.local.set({ [`${BACKUP_KEY_PREFIX}${Date.now()}`]: raw });
  }
}

/**
 * Writes the document whole, and each history that is not the array `histories` read (with a vault, the
 * secrets and those histories sealed under fresh IVs), in one `storage.local.set` with `alongside`. Then the
 * history keys of profiles that have none any more (cleared, or the profile removed) are removed: left
 * behind, one would only be ignored, as only listed profiles' histories are read.
 */
async function write(
  data: StoredData,
  sealWith: SealWith | undefined,
  histories: StoredHistories,
  alongside: Record<string, unknown> = {},
): Promise<void> {
  const { history = {}, ...doc } = data;
  const items: Record<string, unknown> = { ...alongside };
  const kept = new Set<string>();
  for (const [id, entries] of Object.entries(history)) {
    if (entries.length === 0) continue;
    kept.add(HISTORY_KEY_PREFIX + id);
    if (histories.read[id] === entries) continue;
    items[HISTORY_KEY_PREFIX + id] = sealWith ? { sealed: await seal(sealWith.key, entries) } : entries;
  }
  if (sealWith) {
    const { clear, secrets } = splitSecrets(doc);
    const sealed = await seal(sealWith.key, secrets);
    const vault: VaultBlob = { kdf: sealWith.kdf, sealed, ...sealWith.extras };
    items[DATA_KEY] = storedDocument(clear, vault);
  } else {
    items[DATA_KEY] = storedDocument(doc);
  }
  await browser.storage.local.set(items);
  const stale = histories.keys.filter((key) => !kept.has(key));
  if (stale.length > 0) await browser.storage.local.remove(stale);
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
