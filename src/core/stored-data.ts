import { CLIENT_AUTH_MODES, DEFAULT_OAUTH_HOST, type ClientAuthMode, type Profile } from './profile';
import type { TokenState } from './token-state';

/**
 * The one document the extension keeps in `storage.local`. Versioned: data written by an older version is
 * migrated on read; data that cannot be read is reported, never silently dropped (the platform layer keeps a
 * copy of the raw value before anything overwrites it).
 */
export const CURRENT_SCHEMA_VERSION = 1;

export interface StoredData {
  schemaVersion: typeof CURRENT_SCHEMA_VERSION;
  activeProfileId: string | null;
  profiles: Profile[];
  /** Latest token state per profile id. */
  tokens: Record<string, TokenState>;
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
}

export function emptyData(): StoredData {
  return { schemaVersion: CURRENT_SCHEMA_VERSION, activeProfileId: null, profiles: [], tokens: {} };
}

/** Each step takes the document of version N and returns version N + 1. */
const MIGRATIONS: Record<number, (old: Record<string, unknown>) => Record<string, unknown>> = {};

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
  const rawProfiles = Array.isArray(doc.profiles) ? doc.profiles : [];
  const profiles = rawProfiles.map(readProfile).filter((p): p is Profile => p !== undefined);
  const tokens: Record<string, TokenState> = {};
  if (isRecord(doc.tokens)) {
    for (const profile of profiles) {
      const token = doc.tokens[profile.id];
      if (isRecord(token)) tokens[profile.id] = token as TokenState;
    }
  }
  const activeProfileId =
    typeof doc.activeProfileId === 'string' && profiles.some((p) => p.id === doc.activeProfileId)
      ? doc.activeProfileId
      : (profiles[0]?.id ?? null);
  const data: StoredData = { schemaVersion: CURRENT_SCHEMA_VERSION, activeProfileId, profiles, tokens };
  const lost = rawProfiles.length - profiles.length;
  if (lost > 0 || !Array.isArray(doc.profiles)) {
    return {
      data,
      problem: `Part of your saved data could not be read (${lost > 0 ? `${lost} damaged profile${lost > 1 ? 's' : ''}` : 'no profile list'}). A copy of it was kept; check and save your credentials again.`,
    };
  }
  return { data };
}

function readProfile(value: unknown): Profile | undefined {
  if (!isRecord(value)) return undefined;
  const { id, refreshToken } = value;
  if (typeof id !== 'string' || !id || typeof refreshToken !== 'string') return undefined;
  const str = (v: unknown, fallback = '') => (typeof v === 'string' ? v : fallback);
  return {
    id,
    name: str(value.name, 'My API app'),
    clientId: str(value.clientId),
    clientSecret: str(value.clientSecret),
    refreshToken,
    oauthHost: str(value.oauthHost, DEFAULT_OAUTH_HOST),
    clientAuth: CLIENT_AUTH_MODES.includes(value.clientAuth as ClientAuthMode)
      ? (value.clientAuth as ClientAuthMode)
      : 'body',
  };
}

function unreadable(why: string): ReadResult {
  return {
    data: emptyData(),
    problem: `Your saved data could not be read (${why}). A copy was kept; enter your credentials again.`,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
