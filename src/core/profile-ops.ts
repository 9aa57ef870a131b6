import { DEFAULT_LEAD_MINUTES, isLeadMinutes } from './auto-refresh';
import { isRecord } from './guards';
import {
  CLIENT_AUTH_MODES,
  emptyProfileInput,
  DEFAULT_PROFILE_NAME,
  type ClientAuthMode,
  type Profile,
} from './profile';
import type { StoredData } from './stored-data';
import { readTokenState, type TokenState } from './token-state';
import { MAX_NAME_LENGTH } from './validate-profile';

/**
 * What the user does with their list of profiles: add, duplicate, rename, delete (and undo that), switch.
 *
 * Style: every operation is pure. It takes a `StoredData`, never changes it, and returns the new data (or a
 * failure). Three reasons: a refused operation has changed nothing by construction, not by care; a caller
 * can compare before and after (the worker, to write only what succeeded; the tests, to check that delete
 * then restore gives back exactly what was there); and the same functions serve import later, which works
 * on data that is not the stored document. The worker copies the result into the document it writes. The
 * returned data shares the untouched profiles and token states with the input: treat both as read-only.
 */

/** Why an operation was refused; `problem` says it in words, with what to do. */
export type ProfileOpFailureKind =
  'unknown_profile' | 'id_taken' | 'name_empty' | 'name_too_long' | 'name_taken';

export interface ProfileOpFailure {
  ok: false;
  kind: ProfileOpFailureKind;
  problem: string;
}

/** `profileId`: the profile the operation acted on (the one created, the copy, the one deleted…). */
export type ProfileOpResult<Extra extends object = object> =
  ({ ok: true; data: StoredData; profileId: string } & Extra) | ProfileOpFailure;

/** Everything a delete took away, so Undo can put it back as it was. Holds the profile's secrets. */
export interface RemovedProfile {
  profile: Profile;
  /**
   * The profile's token state, when it had one. `deleteProfile` leaves the key out; undefined is accepted
   * too (and read as none), as a page may build this from `snapshot.tokens[id]`.
   */
  token?: TokenState | undefined;
  /** Where it was in the list. */
  index: number;
  /** It was the active profile. */
  wasActive: boolean;
}

export const UNKNOWN_PROFILE =
  'That profile no longer exists (it may have been deleted in another window). Nothing was changed.';

function unknownProfile(): ProfileOpFailure {
  return { ok: false, kind: 'unknown_profile', problem: UNKNOWN_PROFILE };
}

/** Names are compared as a person reads them: surrounding spaces and letter case do not make two names. */
function nameKey(name: string): string {
  return name.normalize('NFC').trim().toLowerCase();
}

/** The profile other than `exceptId` whose name reads as `name` (see `nameKey`), if any. */
export function profileNamed(
  profiles: readonly Profile[],
  name: string,
  exceptId?: string,
): Profile | undefined {
  return profiles.find((p) => p.id !== exceptId && nameKey(p.name) === nameKey(name));
}

/**
 * `base` itself when no existing name matches it, else `base 2`, `base 3`… (the first number free). The
 * result never exceeds MAX_NAME_LENGTH: `base` is shortened to leave room for the number.
 */
export function uniqueProfileName(base: string, existingNames: Iterable<string>): string {
  const taken = new Set([...existingNames].map(nameKey));
  const trimmed = base.trim() || DEFAULT_PROFILE_NAME;
  for (let n = 1; ; n += 1) {
    const suffix = n === 1 ? '' : ` ${n}`;
    const candidate = fitName(trimmed, suffix);
    if (!taken.has(nameKey(candidate))) return candidate;
  }
}

/** `base + suffix`, `base` cut (never inside a character) so the whole fits MAX_NAME_LENGTH. */
function fitName(base: string, suffix: string): string {
  if (base.length + suffix.length <= MAX_NAME_LENGTH) return base + suffix;
  let cut = '';
  for (const char of base) {
    if (cut.length + char.length + suffix.length > MAX_NAME_LENGTH) break;
    cut += char;
  }
  return cut.trimEnd() + suffix;
}

/** "Production" → "Production copy"; a copy's copy is "Production copy 2", not "Production copy copy". */
function copyName(name: string, existingNames: Iterable<string>): string {
  const original = name.trim().replace(/ copy(?: \d+)?$/i, '');
  return uniqueProfileName(`${original || DEFAULT_PROFILE_NAME} copy`, existingNames);
}

function names(profiles: readonly Profile[], except?: string): string[] {
  return profiles.filter((p) => p.id !== except).map((p) => p.name);
}

function idTaken(): ProfileOpFailure {
  return {
    ok: false,
    kind: 'id_taken',
    problem: 'A profile with this id already exists. Nothing was changed; try again.',
  };
}

/** A new, empty profile at the end of the list, made active. `id` must be new (see `newProfileId`). */
export function createProfile(data: StoredData, id: string): ProfileOpResult {
  if (data.profiles.some((p) => p.id === id)) return idTaken();
  const profile: Profile = {
    ...emptyProfileInput(),
    id,
    name: uniqueProfileName(DEFAULT_PROFILE_NAME, names(data.profiles)),
  };
  return {
    ok: true,
    data: { ...data, activeProfileId: id, profiles: [...data.profiles, profile] },
    profileId: id,
  };
}

/**
 * A copy of `sourceId` right after it, made active: its name (as a copy), client ID, client secret, OAuth
 * host and client authentication. Never its refresh token, never its token state: two profiles spending one
 * refresh token would lock each other out (the first refresh rotates it; the other then holds a dead one).
 * A copy of a profile still to be reviewed is still to be reviewed: its host was never confirmed either.
 */
export function duplicateProfile(data: StoredData, sourceId: string, newId: string): ProfileOpResult {
  const index = data.profiles.findIndex((p) => p.id === sourceId);
  const source = data.profiles[index];
  if (!source) return unknownProfile();
  if (data.profiles.some((p) => p.id === newId)) return idTaken();
  const copy: Profile = {
    id: newId,
    name: copyName(source.name, names(data.profiles)),
    clientId: source.clientId,
    clientSecret: source.clientSecret,
    refreshToken: '',
    oauthHost: source.oauthHost,
    ...(source.apiHost ? { apiHost: source.apiHost } : {}),
    clientAuth: source.clientAuth,
    ...(source.autoRefresh ? { autoRefresh: true } : {}),
    ...(source.leadMinutes !== undefined ? { leadMinutes: source.leadMinutes } : {}),
    ...(source.needsReview ? { needsReview: true } : {}),
  };
  const profiles = [...data.profiles];
  profiles.splice(index + 1, 0, copy);
  return { ok: true, data: { ...data, activeProfileId: newId, profiles }, profileId: newId };
}

/**
 * Turns "Refresh automatically" on or off and sets its lead. Turning it on (from off) clears a pause (the
 * user has acted on the failure that caused it) and the backoff count, so the next attempt is scheduled
 * afresh; changing only the lead keeps them.
 */
export function setAutoRefresh(
  data: StoredData,
  id: string,
  enabled: boolean,
  leadMinutes: number,
): ProfileOpResult {
  const index = data.profiles.findIndex((p) => p.id === id);
  const profile = data.profiles[index];
  if (!profile) return unknownProfile();
  const { autoRefresh: _was, leadMinutes: _lead, ...rest } = profile;
  const updated: Profile = {
    ...rest,
    ...(enabled ? { autoRefresh: true } : {}),
    ...(leadMinutes !== DEFAULT_LEAD_MINUTES ? { leadMinutes } : {}),
  };
  const profiles = data.profiles.map((p, i) => (i === index ? updated : p));
  const token = data.tokens[id];
  let tokens = data.tokens;
  // Turned on from off: the user has acted on what paused it. A new lead alone changes nothing of that.
  const turnedOn = enabled && !profile.autoRefresh;
  if (turnedOn && token && (token.autoPaused !== undefined || token.autoRetries !== undefined)) {
    const { autoPaused: _paused, autoRetries: _retries, ...kept } = token;
    tokens = { ...data.tokens, [id]: kept };
  }
  return { ok: true, data: { ...data, profiles, tokens }, profileId: id };
}

/** The name, trimmed. Refused when empty, too long, or another profile already has it. */
export function renameProfile(data: StoredData, id: string, name: string): ProfileOpResult {
  const index = data.profiles.findIndex((p) => p.id === id);
  const profile = data.profiles[index];
  if (!profile) return unknownProfile();
  const trimmed = name.trim();
  if (!trimmed) {
    return { ok: false, kind: 'name_empty', problem: 'Enter a name for the profile. Nothing was changed.' };
  }
  if (trimmed.length > MAX_NAME_LENGTH) {
    return {
      ok: false,
      kind: 'name_too_long',
      problem: `Use at most ${MAX_NAME_LENGTH} characters for the name (this one has ${trimmed.length}). Nothing was changed.`,
    };
  }
  const clash = profileNamed(data.profiles, trimmed, id);
  if (clash) {
    return {
      ok: false,
      kind: 'name_taken',
      problem: `Another profile is already called “${clash.name.trim()}”. Choose a different name. Nothing was changed.`,
    };
  }
  const profiles = [...data.profiles];
  profiles[index] = { ...profile, name: trimmed };
  return { ok: true, data: { ...data, profiles }, profileId: id };
}

/**
 * Removes the profile and its token state. When it was active, its neighbour becomes active (the next one,
 * else the previous one), or none when no profile is left. `removed` is what `restoreProfile` needs.
 */
export function deleteProfile(data: StoredData, id: string): ProfileOpResult<{ removed: RemovedProfile }> {
  const index = data.profiles.findIndex((p) => p.id === id);
  const profile = data.profiles[index];
  if (!profile) return unknownProfile();
  const profiles = data.profiles.filter((p) => p.id !== id);
  const { [id]: token, ...tokens } = data.tokens;
  const wasActive = data.activeProfileId === id;
  const activeProfileId = wasActive
    ? (profiles[index]?.id ?? profiles[index - 1]?.id ?? null)
    : data.activeProfileId;
  const removed: RemovedProfile = { profile, ...(token ? { token } : {}), index, wasActive };
  // Its history goes with it (an undo brings back the credentials and token, not the log of them).
  const { history: before, ...rest } = data;
  const { [id]: _history, ...history } = before ?? {};
  return {
    ok: true,
    data: { ...rest, activeProfileId, profiles, tokens, ...(before ? { history } : {}) },
    profileId: id,
    removed,
  };
}

/**
 * Undo of a delete: the profile back at its place (or the end, if the list is shorter now), with its token
 * state, and active again if it was (or if no profile is active). Refused when a profile with its id exists
 * (restored already). Renamed as `uniqueProfileName` does when its name has been taken meanwhile.
 */
export function restoreProfile(data: StoredData, removed: RemovedProfile): ProfileOpResult {
  const { profile, token, index, wasActive } = removed;
  if (data.profiles.some((p) => p.id === profile.id)) {
    return {
      ok: false,
      kind: 'id_taken',
      problem: `“${profile.name}” is already back in the list. Nothing was changed.`,
    };
  }
  const others = names(data.profiles);
  const name = others.some((n) => nameKey(n) === nameKey(profile.name))
    ? uniqueProfileName(profile.name, others)
    : profile.name;
  const profiles = [...data.profiles];
  profiles.splice(Math.min(Math.max(0, index), profiles.length), 0, { ...profile, name });
  const tokens = Object.fromEntries(Object.entries(data.tokens).filter(([id]) => id !== profile.id));
  if (token) tokens[profile.id] = token;
  const activeProfileId = wasActive || data.activeProfileId === null ? profile.id : data.activeProfileId;
  return { ok: true, data: { ...data, activeProfileId, profiles, tokens }, profileId: profile.id };
}

/** Makes `id` the active profile. */
export function switchProfile(data: StoredData, id: string): ProfileOpResult {
  if (!data.profiles.some((p) => p.id === id)) return unknownProfile();
  return { ok: true, data: { ...data, activeProfileId: id }, profileId: id };
}

const PROFILE_KEYS: ReadonlySet<string> = new Set([
  'id',
  'name',
  'clientId',
  'clientSecret',
  'refreshToken',
  'oauthHost',
  'apiHost',
  'clientAuth',
  'autoRefresh',
  'leadMinutes',
  'needsReview',
]);
const REMOVED_KEYS: ReadonlySet<string> = new Set(['profile', 'token', 'index', 'wasActive']);

/**
 * A `RemovedProfile` as it comes back over the wire for Undo, checked strictly: every profile field of its
 * type, no field that `Profile` does not have, a token state that reads back whole (`readTokenState`, and
 * no field it would drop), a non-negative integer index.
 */
export function isRemovedProfile(value: unknown): value is RemovedProfile {
  if (!isRecord(value) || !Object.keys(value).every((key) => REMOVED_KEYS.has(key))) return false;
  const { profile, token, index, wasActive } = value;
  return (
    isStoredProfile(profile) &&
    (token === undefined || isWholeTokenState(token)) &&
    typeof index === 'number' &&
    Number.isSafeInteger(index) &&
    index >= 0 &&
    typeof wasActive === 'boolean'
  );
}

function isStoredProfile(value: unknown): value is Profile {
  if (!isRecord(value) || !Object.keys(value).every((key) => PROFILE_KEYS.has(key))) return false;
  const text = (key: string) => typeof value[key] === 'string';
  return (
    text('id') &&
    value.id !== '' &&
    text('name') &&
    text('clientId') &&
    text('clientSecret') &&
    text('refreshToken') &&
    text('oauthHost') &&
    (value.apiHost === undefined || (text('apiHost') && value.apiHost !== '')) &&
    CLIENT_AUTH_MODES.includes(value.clientAuth as ClientAuthMode) &&
    (value.autoRefresh === undefined || value.autoRefresh === true) &&
    (value.leadMinutes === undefined || isLeadMinutes(value.leadMinutes)) &&
    (value.needsReview === undefined || value.needsReview === true)
  );
}

function isWholeTokenState(value: unknown): value is TokenState {
  if (!isRecord(value)) return false;
  const { token, damaged } = readTokenState(value);
  return !damaged && Object.keys(token).length === Object.keys(value).length;
}
