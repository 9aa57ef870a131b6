import { isRecord } from './guards';
import { newPassphraseProblem, vaultFailureWords } from './passphrase';
import { CLIENT_AUTH_MODES, type ClientAuthMode, type Profile } from './profile';
import { uniqueProfileName } from './profile-ops';
import type { StoredData } from './stored-data';
import { MAX_NAME_LENGTH, normalizeApiHost, normalizeOauthHost } from './validate-profile';
import {
  deriveKeyBytes,
  isKdfParams,
  isSealed,
  KDF_ITERATION_LIMITS,
  newKdfParams,
  open,
  seal,
  type KdfParams,
  type Sealed,
} from './vault-crypto';

/**
 * "Export profiles" and "Import profiles": the file, its checks, and how imported profiles join the list.
 * Pure: the page or worker that wires these up reads and writes the file and the storage.
 *
 * The file, pretty-printed JSON:
 *
 *     { "format": "sign-token-refresher-profiles", "version": 1 or 2, "exportedAt": "<ISO time>",
 *       "profiles": [{ "name", "clientId", "oauthHost", "apiHost"?, "clientAuth", "needsReview"?: true }, …],
 *       "encrypted"?: { "kdf": KdfParams, "sealed": Sealed } }
 *
 * Version 2 adds a profile's own API host (issue 12), and is written only by an export that holds one: a file
 * without any stays version 1, which an install from before reads as it always did; one with an API host
 * tells such an install that it comes from a newer version, instead of losing the host in silence.
 *
 * What is left out, always: profile ids (they are per install: an import gives fresh ones, so it can never
 * overwrite a profile), and the token state with its access token. An access token is short-lived and
 * belongs to the refresh-token pair that issued it: once the imported refresh token is used (or the old
 * install uses it), that access token and its expiry say nothing true any more, and a stale token shown as
 * current is worse than none. The imported profile gets a new one at its first refresh.
 *
 * The secrets (client secret and refresh token) are written only when asked for, and then only sealed: the
 * `encrypted` block holds, by position, one entry per exported profile. Like the vault (see `mergeSecrets`),
 * each entry also seals the fields that decide where the secrets are sent (OAuth host, client ID, client
 * authentication): someone who edits the clear part of the file cannot make an import send the secrets to
 * another host; the import refuses the file instead. A profile still to be reviewed (`needsReview`) seals no
 * such fields, as in the vault: its host was never confirmed, so sealing it would vouch for it unseen; it is
 * imported still to be reviewed.
 *
 * The same key derivation and cipher as the vault (PBKDF2-SHA256, 600,000 iterations; AES-GCM-256), with its
 * own random salt. The sealed value is a list here and an object in the vault, so neither opens as the other.
 */

export const EXPORT_FORMAT = 'sign-token-refresher-profiles';
/** The newest version this reads and writes; see the format above for when 1 is written still. */
export const EXPORT_VERSION = 2;

/** A profile as read from a file: everything but an id and token state. Secrets only from a sealed file. */
export interface ImportedProfile {
  name: string;
  clientId: string;
  oauthHost: string;
  /** Absent: the profile derives it from the OAuth host, as a profile with the field left empty. */
  apiHost?: string;
  clientAuth: ClientAuthMode;
  clientSecret?: string;
  refreshToken?: string;
  needsReview?: true;
}

export type ImportResult =
  | { ok: true; profiles: ImportedProfile[]; hasSecrets: boolean }
  /**
   * `problem` says what is wrong and what to do; it never holds a secret or the passphrase.
   * `needsPassphrase`: the file holds encrypted secrets and no passphrase (or a wrong one) was given: ask for it.
   */
  | { ok: false; problem: string; needsPassphrase?: true };

export interface ExportOptions {
  /** Present: the secrets are sealed with this passphrase. Absent: the file holds no secret at all. */
  secrets?: { passphrase: string };
}

export interface AddedProfile {
  id: string;
  name: string;
  /** The name in the file, when it was taken already and the profile was renamed. */
  renamedFrom?: string;
}

/** One sealed entry per exported profile. The bound fields are absent for a profile still to be reviewed. */
interface SealedEntry {
  clientSecret: string;
  refreshToken: string;
  oauthHost?: string;
  clientId?: string;
  clientAuth?: ClientAuthMode;
  /** Sealed when the profile has one, as in the vault: it decides where the access token is sent. */
  apiHost?: string;
}

/**
 * `sign-token-refresher-profiles-YYYY-MM-DD.json`, in the local date: the date the user sees on their own
 * calendar when they export (an export at 01:00 in UTC+2 is named today, not yesterday as UTC would have it).
 */
const IMPORTED_KEYS: ReadonlySet<string> = new Set([
  'name',
  'clientId',
  'oauthHost',
  'apiHost',
  'clientAuth',
  'clientSecret',
  'refreshToken',
  'needsReview',
]);

/**
 * What the popup sends the worker after `readImport`: the worker checks it again (shape, a name that fits,
 * an OAuth host `normalizeOauthHost` takes as it is), since it stores whatever it accepts.
 */
export function isImportedProfile(value: unknown): value is ImportedProfile {
  if (!isRecord(value) || !Object.keys(value).every((key) => IMPORTED_KEYS.has(key))) return false;
  const host = typeof value.oauthHost === 'string' ? normalizeOauthHost(value.oauthHost) : undefined;
  const apiHost = typeof value.apiHost === 'string' ? normalizeApiHost(value.apiHost) : undefined;
  return (
    typeof value.name === 'string' &&
    value.name.trim() !== '' &&
    value.name.length <= MAX_NAME_LENGTH &&
    typeof value.clientId === 'string' &&
    host !== undefined &&
    'origin' in host &&
    host.origin === value.oauthHost &&
    (value.apiHost === undefined ||
      (apiHost !== undefined && 'origin' in apiHost && apiHost.origin === value.apiHost)) &&
    CLIENT_AUTH_MODES.includes(value.clientAuth as ClientAuthMode) &&
    (value.clientSecret === undefined || typeof value.clientSecret === 'string') &&
    (value.refreshToken === undefined || typeof value.refreshToken === 'string') &&
    (value.needsReview === undefined || value.needsReview === true)
  );
}

export function exportFileName(now: Date): string {
  if (Number.isNaN(now.getTime())) throw new RangeError('exportFileName needs a valid date.');
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  const date = `${pad(now.getFullYear(), 4)}-${pad(now.getMonth() + 1, 2)}-${pad(now.getDate(), 2)}`;
  return `${EXPORT_FORMAT}-${date}.json`;
}

/**
 * The file's text: JSON with 2-space indents and a final newline. Rejects (nothing to write) when no profile
 * is chosen, or when the passphrase breaks the vault's rule for a new passphrase (the file can be attacked
 * offline for ever, like a copied vault). The profiles must be the clear ones (secrets opened).
 */
export async function buildExport(profiles: Profile[], options: ExportOptions): Promise<string> {
  if (profiles.length === 0) throw new Error('Choose at least one profile to export.');
  const file: Record<string, unknown> = {
    format: EXPORT_FORMAT,
    version: profiles.some((p) => p.apiHost) ? EXPORT_VERSION : 1,
    exportedAt: new Date().toISOString(),
    profiles: profiles.map((p) => ({
      name: p.name,
      // Not a secret: the vault keeps it in clear too, and the user needs it to recognize the app.
      clientId: p.clientId,
      oauthHost: p.oauthHost,
      ...(p.apiHost ? { apiHost: p.apiHost } : {}),
      clientAuth: p.clientAuth,
      ...(p.needsReview ? { needsReview: true } : {}),
    })),
  };
  if (options.secrets) {
    const { passphrase } = options.secrets;
    const weak = newPassphraseProblem(passphrase);
    if (weak) throw new Error(vaultFailureWords(weak));
    const entries: SealedEntry[] = profiles.map((p) =>
      p.needsReview
        ? { clientSecret: p.clientSecret, refreshToken: p.refreshToken }
        : {
            clientSecret: p.clientSecret,
            refreshToken: p.refreshToken,
            oauthHost: p.oauthHost,
            clientId: p.clientId,
            clientAuth: p.clientAuth,
            ...(p.apiHost ? { apiHost: p.apiHost } : {}),
          },
    );
    const kdf = newKdfParams();
    const sealed = await seal(await deriveKeyBytes(passphrase, kdf), entries);
    file.encrypted = { kdf, sealed };
  }
  return `${JSON.stringify(file, null, 2)}\n`;
}

const NOTHING = 'Nothing was imported.';
const EXPORT_AGAIN = 'Export the profiles again and import the new file.';

export const IMPORT_PROBLEMS = {
  notJson: `This file is not valid JSON, so it is not a profiles export. Choose the .json file that “Export profiles” saved. ${NOTHING}`,
  notOurs: `This file is not a profiles export of Sign Token Refresher (its “format” is missing or different). Choose a file that “Export profiles” saved. ${NOTHING}`,
  noProfileList: `This file has no list of profiles (“profiles” is missing or not a list). ${EXPORT_AGAIN} ${NOTHING}`,
  noProfiles: `This file holds no profiles. Export again with at least one profile chosen. ${NOTHING}`,
  needsPassphrase: 'This file holds encrypted secrets: enter the passphrase it was exported with.',
  wrongPassphrase: `That passphrase does not open the secrets in this file (or the file was changed after it was exported). Check the passphrase and try again. ${NOTHING}`,
  damagedBlock: `The encrypted secrets in this file are damaged and cannot be read. ${EXPORT_AGAIN} ${NOTHING}`,
  damagedContent: `The passphrase is right, but the encrypted secrets in this file could not be read. ${EXPORT_AGAIN} ${NOTHING}`,
  kdfLimits: `The encrypted secrets in this file ask for key-derivation settings this extension does not accept (it uses PBKDF2-SHA256 with ${KDF_ITERATION_LIMITS.min.toLocaleString('en-US')} to ${KDF_ITERATION_LIMITS.max.toLocaleString('en-US')} iterations). The file may have been altered. ${EXPORT_AGAIN} ${NOTHING}`,
} as const;

export function newerVersionProblem(version: number): string {
  return `This file was exported by a newer version of Sign Token Refresher (file version ${version}; this one reads version ${EXPORT_VERSION}). Update the extension, then import the file again. ${NOTHING}`;
}

function unknownVersionProblem(version: unknown): string {
  const shown =
    typeof version === 'number' && Number.isFinite(version) ? String(version) : describeValue(version);
  return `This file’s version (${shown}) is not one Sign Token Refresher knows. ${EXPORT_AGAIN} ${NOTHING}`;
}

const TOP_KEYS: ReadonlySet<string> = new Set(['format', 'version', 'exportedAt', 'profiles', 'encrypted']);
const PROFILE_KEYS: ReadonlySet<string> = new Set([
  'name',
  'clientId',
  'oauthHost',
  'apiHost',
  'clientAuth',
  'needsReview',
]);
const ENCRYPTED_KEYS: ReadonlySet<string> = new Set(['kdf', 'sealed']);
const ENTRY_KEYS: ReadonlySet<string> = new Set([
  'clientSecret',
  'refreshToken',
  'oauthHost',
  'clientId',
  'clientAuth',
  'apiHost',
]);

type Failure = Extract<ImportResult, { ok: false }>;

function fail(problem: string): Failure {
  return { ok: false, problem };
}

/**
 * Reads an export file, checking everything before anything is returned: a file with any problem gives no
 * profile at all (one message, the first problem found), so a bad file can change nothing. Messages quote
 * field names, counts, the version number, a valid profile name and the OAuth host check's own words; never
 * another value (a value of the wrong type, or in an unknown field, could be a secret pasted in the wrong place).
 */
export async function readImport(text: string, options: { passphrase?: string }): Promise<ImportResult> {
  let parsed: unknown;
  try {
    // A byte-order mark, which some editors add on save, is not JSON.
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return fail(IMPORT_PROBLEMS.notJson);
  }
  if (!isRecord(parsed) || parsed.format !== EXPORT_FORMAT) return fail(IMPORT_PROBLEMS.notOurs);
  const { version } = parsed;
  if (version !== 1 && version !== EXPORT_VERSION) {
    return fail(
      typeof version === 'number' && Number.isSafeInteger(version) && version > EXPORT_VERSION
        ? newerVersionProblem(version)
        : unknownVersionProblem(version),
    );
  }
  const extra = Object.keys(parsed).find((key) => !TOP_KEYS.has(key));
  if (extra !== undefined) {
    return fail(
      `This file has a field Sign Token Refresher does not write (“${shortKey(extra)}”). ${EXPORT_AGAIN} ${NOTHING}`,
    );
  }
  if (parsed.exportedAt !== undefined && typeof parsed.exportedAt !== 'string') {
    return fail(
      `This file’s “exportedAt” should be text, not ${describeValue(parsed.exportedAt)}. ${EXPORT_AGAIN} ${NOTHING}`,
    );
  }
  const { profiles: rawProfiles } = parsed;
  if (!Array.isArray(rawProfiles)) return fail(IMPORT_PROBLEMS.noProfileList);
  if (rawProfiles.length === 0) return fail(IMPORT_PROBLEMS.noProfiles);

  const profiles: ImportedProfile[] = [];
  for (const [index, raw] of rawProfiles.entries()) {
    const read = readProfileEntry(raw, index + 1);
    if (!read.ok) return read;
    profiles.push(read.profile);
  }

  if (parsed.encrypted === undefined) return { ok: true, profiles, hasSecrets: false };
  const opened = await openSecrets(parsed.encrypted, options.passphrase, rawProfiles as unknown[]);
  if (!opened.ok) return opened;
  return {
    ok: true,
    profiles: profiles.map((profile, i) => {
      const entry = opened.entries[i] as SealedEntry;
      // No sealed bound fields: the host was never confirmed at export; it stays to be reviewed.
      const unbound = entry.oauthHost === undefined;
      return {
        ...profile,
        clientSecret: entry.clientSecret,
        refreshToken: entry.refreshToken,
        ...(unbound ? { needsReview: true } : {}),
      };
    }),
    hasSecrets: true,
  };
}

function readProfileEntry(raw: unknown, n: number): { ok: true; profile: ImportedProfile } | Failure {
  const again = `${EXPORT_AGAIN} ${NOTHING}`;
  if (!isRecord(raw)) {
    return fail(`Profile ${n} in this file should be an object, not ${describeValue(raw)}. ${again}`);
  }
  const extra = Object.keys(raw).find((key) => !PROFILE_KEYS.has(key));
  if (extra !== undefined) {
    return fail(
      `Profile ${n} in this file has a field Sign Token Refresher does not export (“${shortKey(extra)}”). ${again}`,
    );
  }
  const text = (field: 'name' | 'clientId' | 'oauthHost' | 'clientAuth'): string | Failure => {
    const value = raw[field];
    if (typeof value === 'string') return value;
    const what = value === undefined ? 'is missing' : `should be text, not ${describeValue(value)}`;
    return fail(`Profile ${n} in this file: “${field}” ${what}. ${again}`);
  };
  const name = text('name');
  if (typeof name !== 'string') return name;
  const clientId = text('clientId');
  if (typeof clientId !== 'string') return clientId;
  const oauthHost = text('oauthHost');
  if (typeof oauthHost !== 'string') return oauthHost;
  const clientAuth = text('clientAuth');
  if (typeof clientAuth !== 'string') return clientAuth;
  const { needsReview, apiHost: rawApiHost } = raw;
  const trimmed = name.trim();
  if (!trimmed) {
    return fail(
      `Profile ${n} in this file has an empty name. Give it a name in the file, or export it again. ${NOTHING}`,
    );
  }
  if (trimmed.length > MAX_NAME_LENGTH) {
    return fail(
      `Profile ${n} in this file has a name of ${trimmed.length} characters; at most ${MAX_NAME_LENGTH} are allowed. Shorten it in the file, or rename the profile and export it again. ${NOTHING}`,
    );
  }
  const host = normalizeOauthHost(oauthHost);
  if ('error' in host) {
    return fail(
      `Profile ${n} in this file (“${trimmed}”) has an OAuth host that is not accepted: ${host.error} ${NOTHING}`,
    );
  }
  let apiHost: string | undefined;
  if (rawApiHost !== undefined) {
    if (typeof rawApiHost !== 'string') {
      return fail(
        `Profile ${n} in this file (“${trimmed}”): “apiHost” should be text, not ${describeValue(rawApiHost)}. ${again}`,
      );
    }
    const api = normalizeApiHost(rawApiHost);
    if ('error' in api) {
      return fail(
        `Profile ${n} in this file (“${trimmed}”) has an API host that is not accepted: ${api.error} ${NOTHING}`,
      );
    }
    apiHost = api.origin;
  }
  if (!CLIENT_AUTH_MODES.includes(clientAuth as ClientAuthMode)) {
    return fail(
      `Profile ${n} in this file (“${trimmed}”): “clientAuth” should be one of ${CLIENT_AUTH_MODES.map((m) => `“${m}”`).join(', ')}. ${again}`,
    );
  }
  if (needsReview !== undefined && needsReview !== true) {
    return fail(
      `Profile ${n} in this file (“${trimmed}”): “needsReview” should be true or absent, not ${describeValue(needsReview)}. ${again}`,
    );
  }
  return {
    ok: true,
    profile: {
      name: trimmed,
      clientId,
      oauthHost: host.origin,
      ...(apiHost ? { apiHost } : {}),
      clientAuth: clientAuth as ClientAuthMode,
      ...(needsReview === true ? { needsReview: true } : {}),
    },
  };
}

/**
 * The sealed entries, checked against the clear profiles they belong to (`rawProfiles`, already checked by
 * `readProfileEntry`). The block's shape is checked before the passphrase is asked for: a damaged file says
 * so at once rather than after the user has typed it.
 */
async function openSecrets(
  encrypted: unknown,
  passphrase: string | undefined,
  rawProfiles: unknown[],
): Promise<{ ok: true; entries: SealedEntry[] } | Failure> {
  if (!isRecord(encrypted) || !Object.keys(encrypted).every((key) => ENCRYPTED_KEYS.has(key))) {
    return fail(IMPORT_PROBLEMS.damagedBlock);
  }
  const { kdf, sealed } = encrypted;
  if (!isRecord(kdf) || !isSealed(sealed)) return fail(IMPORT_PROBLEMS.damagedBlock);
  // The vault's own limits: a file must not make the import derive cheaply (or hang deriving for ever).
  if (!isKdfParams(kdf)) return fail(IMPORT_PROBLEMS.kdfLimits);
  if (passphrase === undefined || passphrase === '') {
    return { ok: false, problem: IMPORT_PROBLEMS.needsPassphrase, needsPassphrase: true };
  }
  const params: KdfParams = { name: kdf.name, hash: kdf.hash, iterations: kdf.iterations, salt: kdf.salt };
  const box: Sealed = { iv: sealed.iv, ciphertext: sealed.ciphertext };
  const result = await open(await deriveKeyBytes(passphrase, params), box);
  if (!result.ok) {
    return result.reason === 'wrong_key'
      ? { ok: false, problem: IMPORT_PROBLEMS.wrongPassphrase, needsPassphrase: true }
      : fail(IMPORT_PROBLEMS.damagedBlock);
  }
  const entries = result.value;
  if (!Array.isArray(entries) || !entries.every(isSealedEntry)) return fail(IMPORT_PROBLEMS.damagedContent);
  if (entries.length !== rawProfiles.length) {
    return fail(
      `This file was changed after it was exported: it lists ${plural(rawProfiles.length, 'profile')} but its encrypted secrets are for ${entries.length}. ${EXPORT_AGAIN} ${NOTHING}`,
    );
  }
  for (const [i, entry] of entries.entries()) {
    const clear = rawProfiles[i] as Record<string, unknown>;
    if (entry.oauthHost === undefined) continue; // A profile still to be reviewed: nothing bound.
    if (
      entry.oauthHost !== clear.oauthHost ||
      entry.clientId !== clear.clientId ||
      entry.clientAuth !== clear.clientAuth ||
      entry.apiHost !== clear.apiHost
    ) {
      return fail(
        `This file was changed after it was exported: the OAuth host, API host, client ID or client authentication of profile ${i + 1} no longer matches its encrypted copy, so its secrets could be sent elsewhere. ${EXPORT_AGAIN} ${NOTHING}`,
      );
    }
  }
  return { ok: true, entries };
}

/** Both secrets as text; the bound fields all present (and valid) or all absent. No other field. */
function isSealedEntry(value: unknown): value is SealedEntry {
  if (!isRecord(value) || !Object.keys(value).every((key) => ENTRY_KEYS.has(key))) return false;
  if (typeof value.clientSecret !== 'string' || typeof value.refreshToken !== 'string') return false;
  if (value.apiHost !== undefined && typeof value.apiHost !== 'string') return false;
  const bound = [value.oauthHost, value.clientId, value.clientAuth];
  if (bound.every((v) => v === undefined)) return value.apiHost === undefined;
  return (
    typeof value.oauthHost === 'string' &&
    typeof value.clientId === 'string' &&
    CLIENT_AUTH_MODES.includes(value.clientAuth as ClientAuthMode)
  );
}

/**
 * The imported profiles appended to `data` with fresh ids from `newId`, in file order. Existing profiles and
 * token states are kept as they are (shared, not copied: treat both as read-only, as in profile-ops); an
 * imported profile gets no token state. A name already taken, by an existing profile or one imported before
 * it, is made unique with `uniqueProfileName` and reported in `renamedFrom`. The active profile stays; when
 * there is none, the first added one becomes active. A secret the file did not hold is '' for the user to
 * fill in. Also a preview: called on the current data, it says what an import would add, under which names.
 */
export function addImported(
  data: StoredData,
  imported: ImportedProfile[],
  newId: () => string,
): { data: StoredData; added: AddedProfile[] } {
  // An id left in `tokens` without its profile would hand its token state to the new profile: taken too.
  const takenIds = new Set([...data.profiles.map((p) => p.id), ...Object.keys(data.tokens)]);
  const names = data.profiles.map((p) => p.name);
  const profiles = [...data.profiles];
  const added: AddedProfile[] = [];
  for (const item of imported) {
    const id = freshId(newId, takenIds);
    takenIds.add(id);
    const name = uniqueProfileName(item.name, names);
    names.push(name);
    profiles.push({
      id,
      name,
      clientId: item.clientId,
      clientSecret: item.clientSecret ?? '',
      refreshToken: item.refreshToken ?? '',
      oauthHost: item.oauthHost,
      ...(item.apiHost ? { apiHost: item.apiHost } : {}),
      clientAuth: item.clientAuth,
      ...(item.needsReview ? { needsReview: true } : {}),
    });
    added.push({ id, name, ...(name !== item.name ? { renamedFrom: item.name } : {}) });
  }
  if (added.length === 0) return { data, added };
  const activeProfileId = data.activeProfileId ?? added[0]?.id ?? null;
  return { data: { ...data, activeProfileId, profiles }, added };
}

/** A random id source never repeats in practice; a few more draws guard against one that does. */
function freshId(newId: () => string, taken: ReadonlySet<string>): string {
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const id = newId();
    if (id !== '' && !taken.has(id)) return id;
  }
  throw new Error('addImported: newId keeps returning ids already in use.');
}

/** How a value is named in a message: its kind only, never its content (it could be a misplaced secret). */
function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return 'text';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    default:
      return 'an object';
  }
}

/** A field name from the file, cut short: it is quoted to help, not to echo whatever the file holds. */
function shortKey(key: string): string {
  if (key.length <= 40) return key;
  let cut = '';
  for (const char of key) {
    if (cut.length + char.length > 40) break;
    cut += char;
  }
  return `${cut}…`;
}

function plural(count: number, one: string): string {
  return `${count} ${count === 1 ? one : `${one}s`}`;
}
