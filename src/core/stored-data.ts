import { isLeadMinutes } from './auto-refresh';
import { isRecord } from './guards';
import { CLIENT_AUTH_MODES, DEFAULT_OAUTH_HOST, type ClientAuthMode, type Profile } from './profile';
import type { HistoryEntry } from './history';
import { readTokenState, type TokenState } from './token-state';
import { isKdfParams, isSealed, type KdfParams, type Sealed } from './vault-crypto';

/**
 * The data the extension keeps in `storage.local`. Versioned: data written by an older version is migrated on
 * read; data that cannot be read is reported, never silently dropped (the platform layer keeps a copy of the
 * raw value before anything overwrites it).
 *
 * Schema 3 stores it in parts (issue 9, scale): an index (which profiles, in which order, which one is
 * active, the vault's header) and one part per profile (its settings, its token state and, with a
 * passphrase, its own sealed secrets). A refresh then rewrites its own profile's part, not every profile's.
 * `assembleDocument` puts the parts back into one document, the shape schemas 1 and 2 stored whole, and
 * everything from there on reads that one shape; `layoutOf` takes a document apart for writing.
 */
export const CURRENT_SCHEMA_VERSION = 3;

/**
 * The data as the extension works with it: every secret in clear. With a vault on, this shape exists only in
 * memory; what is stored is `layoutOf(splitSecrets(data).clear, sealed)` (see storage-write.ts).
 */
export interface StoredData {
  schemaVersion: typeof CURRENT_SCHEMA_VERSION;
  activeProfileId: string | null;
  profiles: Profile[];
  /** Latest token state per profile id. */
  tokens: Record<string, TokenState>;
  /**
   * The last refreshes and code exchanges per profile id, newest first (issue 12). Absent: none yet. Sealed
   * while the vault is on: it tells when and how the tokens changed. Stored apart from the document, one key
   * per profile (the platform layer's HISTORY_KEY_PREFIX); a document from before holds it itself, or in its
   * vault, which is still read here. As read from storage, the entries are unchecked: read them through
   * `readHistory`.
   */
  history?: Record<string, HistoryEntry[]>;
}

export interface ReadResult {
  data: StoredData;
  /** Set when some or all of the raw data could not be read; says what happened and what to do. */
  problem?: string;
  /**
   * Set when the data comes from a newer version of the extension: nothing may be written over it, or
   * that version would lose what it stored.
   */
  readOnly?: true;
  /**
   * Present when the secrets are sealed with a passphrase. `data` then holds every secret as '' (client
   * secrets and refresh tokens) or absent (access tokens) until `mergeSecrets` puts the opened ones back.
   */
  vault?: VaultBlob;
}

/**
 * The passphrase vault (schema 2 on). The KDF parameters travel with the ciphertexts they open. Schema 2
 * sealed every secret as one blob (`sealed`); schema 3 seals each profile's secrets apart (`parts`), so a
 * refresh re-seals only its own profile's, with `check` to tell a right passphrase from a wrong one when
 * there is no profile to open. A read gives one or the other; a write always gives schema 3's.
 */
export interface VaultBlob {
  kdf: KdfParams;
  /** Schema 2: every secret (`VaultSecrets`) in one blob. Rewritten as parts at the next write. */
  sealed?: Sealed;
  /** Schema 3: VAULT_CHECK sealed under the key. */
  check?: Sealed;
  /** Schema 3: by profile id, that profile's `ProfileSecrets`, sealed. */
  parts?: Record<string, Sealed>;
  /** The passphrase was set over secrets already written in clear (old copies may linger on disk). */
  sealedAfterClear?: true;
  /** Lock after this many minutes without use; absent: never. */
  autoLockMinutes?: number;
}

/** The profile fields that decide where and how the secrets are sent: sealed beside them, see `mergeSecrets`. */
export type BoundField = 'oauthHost' | 'clientId' | 'clientAuth';
const BOUND_FIELDS: readonly BoundField[] = ['oauthHost', 'clientId', 'clientAuth'];

/** Everything secret in a document, sealed as one blob: one write can never split a token from its peers. */
export interface VaultSecrets {
  /** The bound fields are absent only for a profile still to be reviewed (`Profile.needsReview`). */
  profiles: Record<
    string,
    { clientSecret: string; refreshToken: string } & Partial<Pick<Profile, BoundField | 'apiHost'>>
  >;
  tokens: Record<string, { accessToken: string }>;
  /** Only in a vault sealed before the histories were kept apart (they are sealed per profile now). */
  history?: Record<string, HistoryEntry[]>;
}

/** What each profile's sealed part holds: its own secrets and bound fields, and the id it belongs to. */
export interface ProfileSecrets {
  /** A part moved under another profile's key does not open as that profile's. */
  id: string;
  profile: VaultSecrets['profiles'][string];
  token?: VaultSecrets['tokens'][string];
}

/** What a schema-3 vault's `check` opens to. */
export const VAULT_CHECK = 'sign-token-refresher vault check';

/** Each profile's sealed secrets, from the secrets of a whole document (see `splitSecrets`). */
export function secretsByProfile(data: StoredData, secrets: VaultSecrets): Record<string, ProfileSecrets> {
  const byProfile: Record<string, ProfileSecrets> = {};
  for (const { id } of data.profiles) {
    const profile = secrets.profiles[id];
    if (!profile) continue;
    const token = Object.hasOwn(secrets.tokens, id) ? secrets.tokens[id] : undefined;
    byProfile[id] = { id, profile, ...(token ? { token } : {}) };
  }
  return byProfile;
}

/**
 * The opened parts of a schema-3 vault, as the one `VaultSecrets` a schema-2 blob opened to (what
 * `mergeSecrets` reads). A part that opened to another profile's id, or to nothing of the right shape, is
 * left out: that profile's secrets are then missing, as with a damaged blob.
 */
export function gatherSecrets(opened: Record<string, unknown>): VaultSecrets {
  const secrets: VaultSecrets = { profiles: {}, tokens: {} };
  for (const [id, value] of Object.entries(opened)) {
    if (!isRecord(value) || value.id !== id || !isRecord(value.profile)) continue;
    secrets.profiles[id] = value.profile as VaultSecrets['profiles'][string];
    if (isRecord(value.token)) secrets.tokens[id] = value.token as VaultSecrets['tokens'][string];
  }
  return secrets;
}

export function emptyData(): StoredData {
  return { schemaVersion: CURRENT_SCHEMA_VERSION, activeProfileId: null, profiles: [], tokens: {} };
}

/** Each step takes the document of version N and returns version N + 1. */
const MIGRATIONS: Record<number, (old: Record<string, unknown>) => Record<string, unknown>> = {
  // Schema 1 had no vault: its secrets are in clear and stay so until the user sets a passphrase. A `vault`
  // key in a schema-1 document was not written by this extension, so it is not taken for one.
  1: ({ vault: _notOurs, ...old }) => ({ ...old, schemaVersion: 2 }),
  // Schema 3 differs only in how it is laid out in storage, which `assembleDocument` has already undone.
  2: (old) => ({ ...old, schemaVersion: 3 }),
};

export function readStoredData(raw: unknown): ReadResult {
  if (raw === undefined || raw === null) return { data: emptyData() };
  if (!isRecord(raw)) return unreadable('it is not an object');
  let doc = raw;
  if (
    typeof doc.schemaVersion !== 'number' ||
    !Number.isInteger(doc.schemaVersion) ||
    doc.schemaVersion < 1
  ) {
    return unreadable('it has no valid schema version');
  }
  let version: number = doc.schemaVersion;
  if (version > CURRENT_SCHEMA_VERSION) {
    return {
      data: emptyData(),
      problem: `Your saved data was written by a newer version of this extension (schema ${version}). Update the extension to read it; until then nothing is changed or sent.`,
      readOnly: true,
    };
  }
  while (version < CURRENT_SCHEMA_VERSION) {
    const step = MIGRATIONS[version];
    if (!step) return unreadable(`there is no migration from schema ${version}`);
    doc = step(doc);
    version = doc.schemaVersion as number;
  }
  return salvage(doc);
}

function salvage(doc: Record<string, unknown>): ReadResult {
  // A sealed document keeps no secret in clear, even when its vault is damaged: nothing there to read.
  const vaulted = doc.vault !== undefined;
  const vault = readVault(doc.vault);
  const rawProfiles = Array.isArray(doc.profiles) ? doc.profiles : [];
  const profiles = rawProfiles
    .map((p) => readProfile(p, vaulted))
    .filter((p): p is Profile => p !== undefined);
  const tokens: Record<string, TokenState> = {};
  let damagedTokens = 0;
  if (isRecord(doc.tokens)) {
    for (const profile of profiles) {
      const raw = doc.tokens[profile.id];
      if (raw === undefined) continue;
      const { token, damaged } = readTokenState(raw);
      if (damaged) damagedTokens += 1;
      // A sealed document stores no access token in clear; one found there is not trusted over the vault.
      if (vaulted) delete token.accessToken;
      if (isRecord(raw)) tokens[profile.id] = token;
    }
  }
  const activeProfileId =
    typeof doc.activeProfileId === 'string' && profiles.some((p) => p.id === doc.activeProfileId)
      ? doc.activeProfileId
      : (profiles[0]?.id ?? null);
  const data: StoredData = { schemaVersion: CURRENT_SCHEMA_VERSION, activeProfileId, profiles, tokens };
  // A sealed document keeps its history in the vault; one found in clear beside it is not its own.
  if (!vaulted) {
    const history = readHistoryMap(doc.history, profiles);
    if (history) data.history = history;
  }
  const withVault = vault ? { vault } : {};
  if (vaulted && !vault) {
    return {
      data,
      problem:
        'The encrypted part of your saved data could not be read, so the client secrets and refresh tokens are missing. A copy was kept; enter them again. Encryption is off until you set a passphrase again.',
    };
  }
  const lost = rawProfiles.length - profiles.length;
  const damage = [
    ...(Array.isArray(doc.profiles) ? [] : ['no profile list']),
    ...(lost > 0 ? [plural(lost, 'damaged profile')] : []),
    ...(damagedTokens > 0 ? [plural(damagedTokens, 'damaged token entry', 'damaged token entries')] : []),
  ];
  if (damage.length > 0) {
    return {
      data,
      problem: `Part of your saved data could not be read (${damage.join(', ')}). A copy of it was kept; check and save your credentials again.`,
      ...withVault,
    };
  }
  return { data, ...withVault };
}

/**
 * The listed profiles' histories, as stored: each entry is checked where it is used (the worker's
 * `readHistory`), not here, so the popup's first frame, which reads this document but never the history,
 * carries no code for it.
 */
function readHistoryMap(value: unknown, profiles: readonly Profile[]): StoredData['history'] {
  if (!isRecord(value)) return undefined;
  const history: Record<string, HistoryEntry[]> = {};
  for (const { id } of profiles) {
    const entries = Object.hasOwn(value, id) ? value[id] : undefined;
    if (Array.isArray(entries) && entries.length > 0) history[id] = entries as HistoryEntry[];
  }
  return Object.keys(history).length > 0 ? history : undefined;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

function readVault(value: unknown): VaultBlob | undefined {
  if (!isRecord(value) || !isKdfParams(value.kdf)) return undefined;
  const copy = ({ iv, ciphertext }: Sealed): Sealed => ({ iv, ciphertext });
  let sealed: Pick<VaultBlob, 'sealed' | 'check' | 'parts'>;
  // A schema-3 vault (its parts gathered by assembleDocument) is read as one, never as a schema-2 blob:
  // a blob from before the parts, planted in its header, would roll every secret back.
  if (isRecord(value.parts) || isSealed(value.check)) {
    if (!isSealed(value.check)) return undefined;
    const parts: Record<string, Sealed> = {};
    if (isRecord(value.parts)) {
      for (const [id, part] of Object.entries(value.parts)) if (isSealed(part)) parts[id] = copy(part);
    }
    sealed = { check: copy(value.check), parts };
  } else if (isSealed(value.sealed)) {
    sealed = { sealed: copy(value.sealed) };
  } else {
    return undefined;
  }
  const { name, hash, iterations, salt } = value.kdf;
  const { autoLockMinutes } = value;
  return {
    kdf: { name, hash, iterations, salt },
    ...sealed,
    ...(value.sealedAfterClear === true ? { sealedAfterClear: true } : {}),
    ...(typeof autoLockMinutes === 'number' && Number.isInteger(autoLockMinutes) && autoLockMinutes > 0
      ? { autoLockMinutes }
      : {}),
  };
}

/** In a sealed document the secrets are not stored in clear: they are read as '' and come from the vault. */
function readProfile(value: unknown, vaulted: boolean): Profile | undefined {
  if (!isRecord(value)) return undefined;
  const { id } = value;
  const refreshToken = vaulted ? '' : value.refreshToken;
  if (typeof id !== 'string' || !id || typeof refreshToken !== 'string') return undefined;
  const str = (v: unknown, fallback = '') => (typeof v === 'string' ? v : fallback);
  return {
    id,
    name: str(value.name, 'My API app'),
    clientId: str(value.clientId),
    clientSecret: vaulted ? '' : str(value.clientSecret),
    refreshToken,
    oauthHost: str(value.oauthHost, DEFAULT_OAUTH_HOST),
    ...(typeof value.apiHost === 'string' && value.apiHost ? { apiHost: value.apiHost } : {}),
    clientAuth: CLIENT_AUTH_MODES.includes(value.clientAuth as ClientAuthMode)
      ? (value.clientAuth as ClientAuthMode)
      : 'body',
    ...(value.autoRefresh === true ? { autoRefresh: true } : {}),
    ...(isLeadMinutes(value.leadMinutes) ? { leadMinutes: value.leadMinutes } : {}),
  };
}

/** Takes the secrets out of `data`: what remains may be stored in clear beside the sealed secrets. */
export function splitSecrets(data: StoredData): { clear: StoredData; secrets: VaultSecrets } {
  const secrets: VaultSecrets = { profiles: {}, tokens: {} };
  const profiles = data.profiles.map(({ needsReview, ...profile }) => {
    const { clientSecret, refreshToken, oauthHost, clientId, clientAuth, apiHost } = profile;
    // The bound fields stay in clear too (shown while locked), but the sealed copy is the one that counts.
    // Not for a profile still to be reviewed: sealing its clear copy now would vouch for it unseen.
    secrets.profiles[profile.id] = needsReview
      ? { clientSecret, refreshToken }
      : { clientSecret, refreshToken, oauthHost, clientId, clientAuth, ...(apiHost ? { apiHost } : {}) };
    return { ...profile, clientSecret: '', refreshToken: '' };
  });
  const tokens: Record<string, TokenState> = {};
  for (const [id, token] of Object.entries(data.tokens)) {
    const { accessToken, ...rest } = token;
    if (accessToken !== undefined) secrets.tokens[id] = { accessToken };
    tokens[id] = rest;
  }
  const { history, ...rest } = data;
  if (history) secrets.history = history;
  return { clear: { ...rest, profiles, tokens }, secrets };
}

/**
 * Puts opened secrets back into the clear view `readStoredData` gave. The opened value is checked field by
 * field: a profile or token without a readable secret keeps '' (or no access token) rather than failing.
 *
 * The fields that say where the secrets go (OAuth host, client ID, client authentication) are sealed too,
 * and the sealed copy wins: someone who edits the clear copy while the vault is locked cannot send the
 * secrets elsewhere after the next unlock. `altered` names the profiles whose clear copy was changed.
 */
export function mergeSecrets(clear: StoredData, secrets: unknown): { data: StoredData; altered: string[] } {
  const opened = isRecord(secrets) ? secrets : {};
  const profileSecrets = isRecord(opened.profiles) ? opened.profiles : {};
  const tokenSecrets = isRecord(opened.tokens) ? opened.tokens : {};
  const str = (record: unknown, key: string) =>
    isRecord(record) && typeof record[key] === 'string' ? record[key] : undefined;
  const altered: string[] = [];
  const profiles = clear.profiles.map((profile) => {
    const own = Object.hasOwn(profileSecrets, profile.id) ? profileSecrets[profile.id] : undefined;
    const merged: Profile = {
      ...profile,
      clientSecret: str(own, 'clientSecret') ?? '',
      refreshToken: str(own, 'refreshToken') ?? '',
    };
    // Sealed before the bound fields were: the clear copy is all there is, and it is not trusted.
    if (own !== undefined && BOUND_FIELDS.every((field) => str(own, field) === undefined)) {
      merged.needsReview = true;
    }
    for (const field of BOUND_FIELDS) {
      const sealed = str(own, field);
      if (sealed === undefined) continue;
      if (field === 'clientAuth' && !CLIENT_AUTH_MODES.includes(sealed as ClientAuthMode)) continue;
      if (sealed !== merged[field]) {
        if (!altered.includes(profile.name)) altered.push(profile.name);
        Object.assign(merged, { [field]: sealed });
      }
    }
    // The API host (where the access token goes) is optional: sealed when set, and the sealed copy wins
    // both ways, so one added to the clear copy while locked is dropped.
    if (own !== undefined && !merged.needsReview) {
      const sealedApiHost = str(own, 'apiHost');
      if (sealedApiHost !== merged.apiHost) {
        if (!altered.includes(profile.name)) altered.push(profile.name);
        if (sealedApiHost === undefined) delete merged.apiHost;
        else merged.apiHost = sealedApiHost;
      }
    }
    return merged;
  });
  const tokens: Record<string, TokenState> = {};
  for (const [id, token] of Object.entries(clear.tokens)) {
    const own = Object.hasOwn(tokenSecrets, id) ? tokenSecrets[id] : undefined;
    const accessToken = str(own, 'accessToken');
    tokens[id] = accessToken === undefined ? token : { ...token, accessToken };
  }
  const history = readHistoryMap(opened.history, profiles);
  const { history: _clearHistory, ...rest } = clear;
  return { data: { ...rest, profiles, tokens, ...(history ? { history } : {}) }, altered };
}

/** The problem to report when `mergeSecrets` found the clear copy of bound fields altered. */
export function alteredWhileLockedProblem(names: readonly string[]): string | undefined {
  if (names.length === 0) return undefined;
  return `The OAuth host, API host, client ID or client authentication of ${names.map((n) => `“${n}”`).join(', ')} was changed in storage outside the extension while the secrets were encrypted. The encrypted values were used and nothing was sent elsewhere; check the credentials.`;
}

/** One profile's part of the stored layout (schema 3). */
export interface ProfilePart {
  /** Its settings; with a vault, without the secret fields (not even as ''). */
  profile: Omit<Profile, 'clientSecret' | 'refreshToken'> &
    Partial<Pick<Profile, 'clientSecret' | 'refreshToken'>>;
  /** Its token state; with a vault, without the access token. */
  token?: Omit<TokenState, 'accessToken'> & Partial<Pick<TokenState, 'accessToken'>>;
  /** With a vault: its `ProfileSecrets`, sealed. */
  sealed?: Sealed;
}

/** The index of the stored layout (schema 3): stored under the document's own key. */
export interface StoredIndex {
  schemaVersion: typeof CURRENT_SCHEMA_VERSION;
  activeProfileId: string | null;
  /** Profile ids, in the order the switcher lists them: each has its part. */
  profiles: string[];
  /** The vault's header: without the parts, which live in the profiles' parts. */
  vault?: Omit<VaultBlob, 'sealed' | 'parts'>;
}

/**
 * `clear` (with a vault, the clear half `splitSecrets` gave) laid out as stored: the index, and a part per
 * profile. With a vault, `sealed` holds each profile's sealed secrets and `vault` the header: the stored
 * JSON then holds no secret, sealed or blank, outside a `sealed` or the header's `check`. The histories are
 * not here: the platform layer stores each apart.
 */
export function layoutOf(
  clear: StoredData,
  vault?: { header: Omit<VaultBlob, 'sealed' | 'parts'>; sealed: Record<string, Sealed> },
): { index: StoredIndex; parts: Record<string, ProfilePart> } {
  const parts: Record<string, ProfilePart> = {};
  for (const profile of clear.profiles) {
    const token = Object.hasOwn(clear.tokens, profile.id) ? clear.tokens[profile.id] : undefined;
    if (!vault) {
      parts[profile.id] = { profile, ...(token ? { token } : {}) };
      continue;
    }
    const { clientSecret: _s, refreshToken: _r, ...settings } = profile;
    const sealed = vault.sealed[profile.id];
    let clearToken: ProfilePart['token'];
    if (token) {
      const { accessToken: _a, ...rest } = token;
      clearToken = rest;
    }
    parts[profile.id] = {
      profile: settings,
      ...(clearToken ? { token: clearToken } : {}),
      ...(sealed ? { sealed } : {}),
    };
  }
  const index: StoredIndex = {
    schemaVersion: CURRENT_SCHEMA_VERSION,
    activeProfileId: clear.activeProfileId,
    profiles: clear.profiles.map((p) => p.id),
    ...(vault ? { vault: vault.header } : {}),
  };
  return { index, parts };
}

/**
 * The one document `readStoredData` reads, from what storage holds: a schema-3 index with its parts put back
 * (`partOf(id)`: the stored part of that profile, undefined when missing), or an older document as it is.
 * A listed profile whose part is missing or not an object comes out as a damaged profile entry, so the read
 * reports it and keeps a copy, as it does for a damaged profile in an older document.
 */
export function assembleDocument(raw: unknown, partOf: (id: string) => unknown): unknown {
  if (!isRecord(raw) || raw.schemaVersion !== CURRENT_SCHEMA_VERSION) return raw;
  if (!Array.isArray(raw.profiles)) return { ...raw, profiles: undefined };
  const profiles: unknown[] = [];
  const tokens: Record<string, unknown> = {};
  const sealed: Record<string, unknown> = {};
  const seen = new Set<string>();
  for (const id of raw.profiles as unknown[]) {
    const part = typeof id === 'string' && !seen.has(id) ? partOf(id) : undefined;
    if (typeof id === 'string') seen.add(id);
    // An entry that is no id or listed twice, or whose part is missing or another profile's: a damaged entry.
    if (typeof id !== 'string' || !isRecord(part) || !isRecord(part.profile) || part.profile.id !== id) {
      profiles.push(null);
      continue;
    }
    profiles.push(part.profile);
    if (part.token !== undefined) tokens[id] = part.token;
    if (part.sealed !== undefined) sealed[id] = part.sealed;
  }
  const vault = isRecord(raw.vault) ? { ...raw.vault, parts: sealed } : raw.vault;
  // Only what an index holds: anything else found there (a history, secrets) was not written by this schema.
  const { schemaVersion, activeProfileId } = raw;
  return { schemaVersion, activeProfileId, profiles, tokens, ...(vault === undefined ? {} : { vault }) };
}

/** The profile ids a schema-3 index lists (their parts are to be read with it); none for older documents. */
export function listedProfileIds(raw: unknown): string[] {
  if (!isRecord(raw) || raw.schemaVersion !== CURRENT_SCHEMA_VERSION || !Array.isArray(raw.profiles))
    return [];
  return raw.profiles.filter((id): id is string => typeof id === 'string');
}

/** The vault's header as stored, without reading any part (the auto-lock delay, the unlock's KDF). */
export function storedVaultHeader(raw: unknown): VaultBlob | undefined {
  if (!isRecord(raw) || typeof raw.schemaVersion !== 'number' || raw.schemaVersion < 2) return undefined;
  return readVault(raw.vault);
}

function unreadable(why: string): ReadResult {
  return {
    data: emptyData(),
    problem: `Your saved data could not be read (${why}). A copy was kept; enter your credentials again.`,
  };
}
