import { isLeadMinutes } from './auto-refresh';
import { isRecord } from './guards';
import { CLIENT_AUTH_MODES, DEFAULT_OAUTH_HOST, type ClientAuthMode, type Profile } from './profile';
import type { HistoryEntry } from './history';
import { readTokenState, type TokenState } from './token-state';
import { isKdfParams, isSealed, type KdfParams, type Sealed } from './vault-crypto';

/**
 * The one document the extension keeps in `storage.local`. Versioned: data written by an older version is
 * migrated on read; data that cannot be read is reported, never silently dropped (the platform layer keeps a
 * copy of the raw value before anything overwrites it).
 */
export const CURRENT_SCHEMA_VERSION = 2;

/**
 * The data as the extension works with it: every secret in clear. With a vault on, this shape exists only in
 * memory; what is stored is `storedDocument(clear, vault)`.
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

/** Schema 2: the passphrase vault. The KDF parameters travel with the ciphertext they open. */
export interface VaultBlob {
  kdf: KdfParams;
  sealed: Sealed;
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

export function emptyData(): StoredData {
  return { schemaVersion: CURRENT_SCHEMA_VERSION, activeProfileId: null, profiles: [], tokens: {} };
}

/** Each step takes the document of version N and returns version N + 1. */
const MIGRATIONS: Record<number, (old: Record<string, unknown>) => Record<string, unknown>> = {
  // Schema 1 had no vault: its secrets are in clear and stay so until the user sets a passphrase. A `vault`
  // key in a schema-1 document was not written by this extension, so it is not taken for one.
  1: ({ vault: _notOurs, ...old }) => ({ ...old, schemaVersion: 2 }),
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
  if (!isRecord(value) || !isKdfParams(value.kdf) || !isSealed(value.sealed)) return undefined;
  const { name, hash, iterations, salt } = value.kdf;
  const { autoLockMinutes } = value;
  return {
    kdf: { name, hash, iterations, salt },
    sealed: { iv: value.sealed.iv, ciphertext: value.sealed.ciphertext },
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

/**
 * The document to store. With a vault, the secret fields are left out entirely (not even as ''): the stored
 * JSON holds no secret, sealed or blank, outside `vault.sealed`.
 */
export function storedDocument(clear: StoredData, vault?: VaultBlob): Record<string, unknown> {
  if (!vault) return { ...clear };
  const { history: _sealedHistory, ...withoutHistory } = clear;
  clear = withoutHistory;
  const profiles = clear.profiles.map(({ clientSecret: _s, refreshToken: _r, ...rest }) => rest);
  const tokens = Object.fromEntries(
    Object.entries(clear.tokens).map(([id, { accessToken: _a, ...rest }]) => [id, rest]),
  );
  return { ...clear, profiles, tokens, vault };
}

function unreadable(why: string): ReadResult {
  return {
    data: emptyData(),
    problem: `Your saved data could not be read (${why}). A copy was kept; enter your credentials again.`,
  };
}
