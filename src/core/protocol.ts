import { isLeadMinutes } from './auto-refresh';
import { isRecord } from './guards';
import type { RateLimit, VerifyOutcome } from './account';
import type { HistoryEntry } from './history';
import type { VaultReply } from './passphrase';
import type { Profile, ProfileInput } from './profile';
import { isRemovedProfile, type RemovedProfile } from './profile-ops';
import type { RefreshFailure } from './refresh-outcome';
import type { TokenState } from './token-state';
import type { FieldMessages } from './validate-profile';
import { isImportedProfile, type AddedProfile, type ImportedProfile } from './profile-file';

/**
 * The one message protocol between the extension's pages and its background worker. The worker's handler
 * table is typed by `Protocol`, so a missing or mistyped handler is a compile error.
 */

/** Everything the popup renders, read by the worker (which alone may decrypt, once a vault exists). */
export interface AppSnapshot {
  activeProfileId: string | null;
  profiles: Profile[];
  tokens: Record<string, TokenState>;
  /** Profiles whose refresh is in flight right now. */
  refreshing: string[];
  /** Set when stored data could not be fully read. */
  storageProblem?: string;
  /**
   * Whether the secrets are sealed with a passphrase, and whether they are open for this browser session.
   * While locked, every client secret and refresh token above is '' and no token has an access token.
   */
  vault: VaultStatus;
}

export interface VaultStatus {
  enabled: boolean;
  unlocked: boolean;
  /**
   * The passphrase was set over secrets that had already been written in clear. Storage engines keep
   * overwritten values on disk for a while (Chromium's LevelDB log), so the UI says so plainly.
   */
  sealedAfterClear: boolean;
  /** Lock after this many minutes without use; null: only on request or browser restart. */
  autoLockMinutes: number | null;
}

/** The choices the popup offers for auto-lock; anything else is refused by the worker. */
export const AUTO_LOCK_CHOICES: readonly number[] = [5, 15, 30, 60, 240];

/**
 * Secret fields the user did not edit. The worker keeps what is stored for them instead of what the form
 * holds: a refresh token rotated after the form was filled must not be replaced by the one it shows.
 */
export type KeptSecret = 'refreshToken' | 'clientSecret';
export const KEPT_SECRETS: readonly KeptSecret[] = ['refreshToken', 'clientSecret'];

export type SaveProfileReply =
  | { ok: true; profileId: string; profile: Profile; warnings: FieldMessages }
  | {
      ok: false;
      errors: FieldMessages;
      warnings: FieldMessages;
      problem?: string;
      /** The first-save passphrase could not be used (too short, too long); nothing was written. */
      passphraseError?: string;
    };

/**
 * The outcome of an authorization (window or pasted code): the new token (its refresh token stored with it),
 * or the failure, which is also recorded on the profile's token state (the popup may have closed meanwhile).
 */
export type AuthorizeReply = { ok: true; token: TokenState } | { ok: false; failure: RefreshFailure };

/** Longest callback URL or code accepted from the paste field. */
export const MAX_CALLBACK_INPUT = 4096;

export type RefreshReply =
  { ok: true; token: TokenState } | { ok: false; failure: RefreshFailure; token: TokenState };

export type { RemovedProfile } from './profile-ops';

/**
 * The one reply of every operation on the list of profiles (create, duplicate, rename, delete, restore,
 * switch). `profileId` is the active profile afterwards, the one to show: the new one after create or
 * duplicate, the neighbour after deleting the active one (null when none is left). `removed` comes with a
 * delete only: send it back as it is in `restoreProfile` to undo; it holds the profile's secrets, so drop
 * it once Undo is no longer offered. A refusal changed nothing; `problem` says why and what to do, and
 * never quotes a secret.
 */
export type ProfileOpReply =
  { ok: true; profileId: string | null; removed?: RemovedProfile } | { ok: false; problem: string };

export interface Protocol {
  getSnapshot: { request: Record<string, never>; response: AppSnapshot };
  /**
   * With `passphrase` (first save only, no vault yet), the vault is set up before anything is written, so a
   * secret never touches the disk in clear.
   */
  saveProfile: {
    request: { profile: ProfileInput; keepStored?: KeptSecret[]; passphrase?: string };
    response: SaveProfileReply;
  };
  refresh: { request: { profileId: string }; response: RefreshReply };
  unlockVault: { request: { passphrase: string }; response: VaultReply };
  lockVault: { request: Record<string, never>; response: VaultReply };
  /** Sets a first passphrase, or (with the current one) changes it; both re-seal every secret. */
  setPassphrase: { request: { passphrase: string; currentPassphrase?: string }; response: VaultReply };
  /** Stores the secrets unencrypted again; needs the current passphrase. */
  removePassphrase: { request: { passphrase: string }; response: VaultReply };
  /** Auto-lock after `minutes` (one of AUTO_LOCK_CHOICES) without use, or never (null). */
  setAutoLock: { request: { minutes: number | null }; response: VaultReply };
  /** Adds an empty profile (a unique default name, the default OAuth host) and makes it active. */
  createProfile: { request: Record<string, never>; response: ProfileOpReply };
  /**
   * Copies a profile's name, client ID, client secret, OAuth host and client authentication, right after
   * it, and makes the copy active. Never its refresh token or token state: the copy needs its own.
   */
  duplicateProfile: { request: { profileId: string }; response: ProfileOpReply };
  /** Stores the name trimmed; refused when it is empty, too long, or another profile's (any case). */
  renameProfile: { request: { profileId: string; name: string }; response: ProfileOpReply };
  /**
   * Removes a profile and its token state; its neighbour becomes active if it was. A refresh of it still
   * running is waited for first (at most a refresh's timeout), so `removed` holds the refresh token that
   * refresh may have rotated: Undo then gives back a profile that still works.
   */
  deleteProfile: { request: { profileId: string }; response: ProfileOpReply };
  /** Undo of a delete, with the `removed` its reply gave. Renamed if its name was taken meanwhile. */
  restoreProfile: { request: { removed: RemovedProfile }; response: ProfileOpReply };
  switchProfile: { request: { profileId: string }; response: ProfileOpReply };
  /**
   * "Refresh automatically" and its "Minutes before expiry" (MIN_LEAD_MINUTES to MAX_LEAD_MINUTES) for one
   * profile. Turning it on (or saving it on) resumes an automatic refresh paused after a failure.
   */
  setAutoRefresh: {
    request: { profileId: string; enabled: boolean; leadMinutes: number };
    response: ProfileOpReply;
  };
  /**
   * Adds the profiles read from an export file (`readImport`, in the page) after every existing one, with
   * new ids, renamed where a name is taken. Never changes or removes an existing profile or secret.
   */
  importProfiles: { request: { profiles: ImportedProfile[] }; response: ImportProfilesReply };
  /** "Authorize with Dropbox Sign": the authorization window, the code exchange, the token stored. */
  authorize: { request: { profileId: string }; response: AuthorizeReply };
  /** The paste fallback's first half: a new attempt, and the authorize URL for the page to open in a tab. */
  beginAuthorization: {
    request: { profileId: string };
    response: { ok: true; url: string } | { ok: false; failure: RefreshFailure };
  };
  /** The paste fallback's second half: the callback URL the user landed on, or the bare code. */
  useAuthorizationCode: { request: { profileId: string; input: string }; response: AuthorizeReply };
  /** "Verify token": `GET {api host}/v3/account` with the profile's access token, sent by the worker. */
  verifyToken: { request: { profileId: string }; response: VerifyReply };
  /** The profile's refresh history, newest first (read by the worker: it is sealed with the vault). */
  getHistory: { request: { profileId: string }; response: HistoryReply };
  /** "Clear history": forgets the profile's history; the reply is the (empty) history. */
  clearHistory: { request: { profileId: string }; response: HistoryReply };
  /**
   * "Open API tab": a new tab on `{api host}/v3/account` whose GET navigations to the API host carry the
   * active profile's token (a header rule for that tab only, kept in step with the token by the worker).
   */
  openApiTab: { request: { profileId: string }; response: OpenApiTabReply };
}

/**
 * "Verify token": the account the token belongs to, or why not, in words that say what to do. Refusals
 * before anything was sent (locked, no token, no host access) carry no status.
 */
export type VerifyReply =
  | Extract<VerifyOutcome, { ok: true }>
  | {
      ok: false;
      reason:
        | Extract<VerifyOutcome, { ok: false }>['reason']
        | 'locked'
        | 'unknown_profile'
        | 'needs_review'
        | 'no_token'
        | 'permission'
        | 'redirect'
        | 'network'
        | 'timeout';
      message: string;
      status?: number;
      retryAt?: number;
      rateLimit?: RateLimit;
    };

export type OpenApiTabReply = { ok: true; tabId: number } | { ok: false; problem: string };

export type HistoryReply = { ok: true; history: HistoryEntry[] } | { ok: false; problem: string };

export type ImportProfilesReply = { ok: true; added: AddedProfile[] } | { ok: false; problem: string };

/** More would be a file no one exported by hand; the check stays cheap. */
export const MAX_IMPORTED_PROFILES = 500;

export type MessageName = keyof Protocol;
export type RequestOf<K extends MessageName> = Protocol[K]['request'];
export type ResponseOf<K extends MessageName> = Protocol[K]['response'];

export interface Envelope<K extends MessageName = MessageName> {
  type: K;
  payload: RequestOf<K>;
}

const isProfileId = (value: unknown) => typeof value === 'string' && value.length > 0;

/** Shape checks for what arrives over the wire: a forged or malformed message is refused, not half-handled. */
const PAYLOAD_CHECKS: { [K in MessageName]: (payload: Record<string, unknown>) => boolean } = {
  getSnapshot: () => true,
  saveProfile: (p) =>
    isRecord(p.profile) &&
    Object.values(p.profile).every((v) => typeof v === 'string') &&
    (p.keepStored === undefined ||
      (Array.isArray(p.keepStored) && p.keepStored.every((k) => KEPT_SECRETS.includes(k as KeptSecret)))) &&
    (p.passphrase === undefined || typeof p.passphrase === 'string'),
  refresh: (p) => isProfileId(p.profileId),
  unlockVault: (p) => typeof p.passphrase === 'string',
  lockVault: () => true,
  setPassphrase: (p) =>
    typeof p.passphrase === 'string' &&
    (p.currentPassphrase === undefined || typeof p.currentPassphrase === 'string'),
  removePassphrase: (p) => typeof p.passphrase === 'string',
  setAutoLock: (p) =>
    p.minutes === null || (typeof p.minutes === 'number' && AUTO_LOCK_CHOICES.includes(p.minutes)),
  createProfile: () => true,
  duplicateProfile: (p) => isProfileId(p.profileId),
  renameProfile: (p) => isProfileId(p.profileId) && typeof p.name === 'string',
  deleteProfile: (p) => isProfileId(p.profileId),
  restoreProfile: (p) => isRemovedProfile(p.removed),
  switchProfile: (p) => isProfileId(p.profileId),
  setAutoRefresh: (p) =>
    isProfileId(p.profileId) && typeof p.enabled === 'boolean' && isLeadMinutes(p.leadMinutes),
  authorize: (p) => isProfileId(p.profileId),
  verifyToken: (p) => isProfileId(p.profileId),
  getHistory: (p) => isProfileId(p.profileId),
  clearHistory: (p) => isProfileId(p.profileId),
  openApiTab: (p) => isProfileId(p.profileId),
  beginAuthorization: (p) => isProfileId(p.profileId),
  useAuthorizationCode: (p) =>
    isProfileId(p.profileId) && typeof p.input === 'string' && p.input.length <= MAX_CALLBACK_INPUT,
  importProfiles: (p) =>
    Array.isArray(p.profiles) &&
    p.profiles.length > 0 &&
    p.profiles.length <= MAX_IMPORTED_PROFILES &&
    p.profiles.every(isImportedProfile),
};

export function parseEnvelope(raw: unknown): Envelope | undefined {
  if (!isRecord(raw) || typeof raw.type !== 'string' || !Object.hasOwn(PAYLOAD_CHECKS, raw.type))
    return undefined;
  const type = raw.type as MessageName;
  const payload = raw.payload ?? {};
  if (!isRecord(payload) || !PAYLOAD_CHECKS[type](payload)) return undefined;
  return { type, payload } as Envelope;
}
