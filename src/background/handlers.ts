import { newPassphraseProblem, vaultFailure, vaultFailureWords, type VaultReply } from '../core/passphrase';
import type {
  AppSnapshot,
  ImportProfilesReply,
  KeptSecret,
  ProfileOpReply,
  SaveProfileReply,
  HistoryReply,
} from '../core/protocol';
import { newProfileId, type Profile, type ProfileInput } from '../core/profile';
import {
  createProfile,
  deleteProfile,
  duplicateProfile,
  renameProfile,
  setAutoRefresh,
  restoreProfile,
  profileNamed,
  uniqueProfileName,
  type ProfileOpResult,
  UNKNOWN_PROFILE,
  type RemovedProfile,
} from '../core/profile-ops';
import type { StoredData } from '../core/stored-data';
import { tokenStateFrom, type TokenState } from '../core/token-state';
import { parseTokenResponse } from '../core/token-response';
import { validateProfile } from '../core/validate-profile';
import { addImported, type ImportedProfile } from '../core/profile-file';
import type { Handlers } from '../platform/message-listener';
import {
  changePassphrase,
  enableVault,
  loadData,
  removeVault,
  setActiveProfile,
  setAutoLockMinutes,
  StoredDataReadOnlyError,
  unlockVault,
  updateData,
  VaultLockedError,
} from '../platform/storage-write';
import { readInFlight } from '../platform/storage-read';
import { buildSnapshot } from '../core/snapshot';
import { readHistory } from '../core/history';
import { lockNow } from './auto-lock';
import { verifyToken } from './verify';
import { openApiTab, syncApiTab } from './api-tab';
import { forgetExchanges } from '../platform/exchange-log';
import { authorizeInWindow, beginAuthorizationInTab, useAuthorizationCode } from './authorize';
import { afterRefreshOf, interruptedRefreshesChecked, refreshProfile, refreshingProfileIds } from './refresh';

/** The worker's answers to each message of the protocol; the table's type makes a missing one a compile error. */
/**
 * For a message whose change may alter what the API tab's rule carries (a new token, another active profile,
 * a lock): the rule is brought in line before the reply, in the same step as the stored change, so when the
 * popup hears that the change is done, the API tab carries the new token (or nothing). The storage change
 * event syncs it too (and is all an automatic refresh has); a waiting sync is shared.
 */
function inStepWithApiTab<A, R>(handler: (args: A) => Promise<R>): (args: A) => Promise<R> {
  return async (args) => {
    const reply = await handler(args);
    await syncApiTab();
    return reply;
  };
}

export const handlers: Handlers = {
  getSnapshot,
  saveProfile: inStepWithApiTab(({ profile, keepStored, passphrase }) =>
    saveProfile(profile, keepStored ?? [], passphrase),
  ),
  refresh: inStepWithApiTab(({ profileId }) => refreshProfile(profileId)),
  unlockVault: inStepWithApiTab(({ passphrase }) => unlockVault(passphrase)),
  lockVault: inStepWithApiTab(async () => {
    await lockNow();
    return { ok: true };
  }),
  setPassphrase: ({ passphrase, currentPassphrase }) => setPassphrase(passphrase, currentPassphrase),
  removePassphrase: ({ passphrase }) => removeVault(passphrase),
  setAutoLock: ({ minutes }) => setAutoLockMinutes(minutes),
  createProfile: () => changeProfiles((data) => createProfile(data, newProfileId())),
  duplicateProfile: ({ profileId }) =>
    changeProfiles((data) => duplicateProfile(data, profileId, newProfileId())),
  renameProfile: ({ profileId, name }) => changeProfiles((data) => renameProfile(data, profileId, name)),
  // A refresh of it still running would find it gone and drop its answer, rotated refresh token included:
  // Undo would then give back a spent one. Its answer is stored first; the delete then takes it along.
  deleteProfile: inStepWithApiTab(({ profileId }) =>
    afterRefreshOf(profileId, async () => {
      const reply = await changeProfiles((data) => deleteProfile(data, profileId));
      // Its last exchanges hold its secrets; an undo brings the profile back, not them.
      if (reply.ok) await forgetExchanges([profileId]);
      return reply;
    }),
  ),
  restoreProfile: inStepWithApiTab(({ removed }) => changeProfiles((data) => restoreProfile(data, removed))),
  switchProfile: inStepWithApiTab(({ profileId }) => switchActiveProfile(profileId)),
  setAutoRefresh: ({ profileId, enabled, leadMinutes }) =>
    changeProfiles((data) => setAutoRefresh(data, profileId, enabled, leadMinutes)),
  importProfiles: ({ profiles }) => importProfiles(profiles),
  authorize: inStepWithApiTab(({ profileId }) => authorizeInWindow(profileId)),
  beginAuthorization: ({ profileId }) => beginAuthorizationInTab(profileId),
  useAuthorizationCode: inStepWithApiTab(({ profileId, input }) => useAuthorizationCode(profileId, input)),
  verifyToken: ({ profileId }) => verifyToken(profileId),
  getHistory: ({ profileId }) => readProfileHistory(profileId),
  clearHistory: ({ profileId }) => clearProfileHistory(profileId),
  openApiTab: ({ profileId }) => openApiTab(profileId),
};

const LOCKED_HISTORY =
  'The vault is locked: unlock it to see the history (it is encrypted with the secrets).';

async function readProfileHistory(profileId: string): Promise<HistoryReply> {
  const { data, locked } = await loadData({ historyOf: profileId });
  if (locked) return { ok: false, problem: LOCKED_HISTORY };
  if (!data.profiles.some((p) => p.id === profileId)) return { ok: false, problem: UNKNOWN_PROFILE };
  return { ok: true, history: readHistory(data.history?.[profileId]) };
}

/** After any refresh of the profile still running, whose line would otherwise come back right after. */
function clearProfileHistory(profileId: string): Promise<HistoryReply> {
  return afterRefreshOf(profileId, async () => {
    try {
      return await updateData((data): HistoryReply => {
        if (!data.profiles.some((p) => p.id === profileId)) return { ok: false, problem: UNKNOWN_PROFILE };
        const { [profileId]: _cleared, ...others } = data.history ?? {};
        data.history = others;
        return { ok: true, history: [] };
      });
    } catch (error) {
      if (error instanceof VaultLockedError) return { ok: false, problem: LOCKED_HISTORY };
      if (!(error instanceof StoredDataReadOnlyError)) throw error;
      return { ok: false, problem: NEWER_DATA_PROBLEM };
    }
  });
}

/** A save under a name another profile has: refused inside `updateData`, so nothing is written. */
class NameTakenError extends Error {
  constructor(readonly takenBy: string) {
    super('Another profile has that name; nothing was written.');
    this.name = 'NameTakenError';
  }
}

/** Carries a refusal out of `updateData`, so a refused operation writes nothing at all. */
class ProfileOpRefused extends Error {
  constructor(readonly problem: string) {
    super('The profile operation was refused; nothing was written.');
    this.name = 'ProfileOpRefused';
  }
}

/**
 * Runs one of the pure profile operations on the stored document: one write when it succeeds, none when it
 * is refused. Called synchronously up to `updateData`, so the operation is queued before anything that
 * starts after the call (a refresh's read included).
 */
async function changeProfiles(
  operation: (data: StoredData) => ProfileOpResult<{ removed?: RemovedProfile }>,
): Promise<ProfileOpReply> {
  try {
    return await updateData((data): ProfileOpReply => {
      const result = operation(data);
      if (!result.ok) throw new ProfileOpRefused(result.problem);
      // The document updateData writes is `data`: it takes the operation's result whole.
      Object.assign(data, result.data);
      const profileId = result.data.activeProfileId;
      return result.removed ? { ok: true, profileId, removed: result.removed } : { ok: true, profileId };
    });
  } catch (error) {
    if (error instanceof ProfileOpRefused) return { ok: false, problem: error.problem };
    if (error instanceof VaultLockedError) {
      return { ok: false, problem: 'Not changed: the secrets are locked. Unlock them first.' };
    }
    if (!(error instanceof StoredDataReadOnlyError)) throw error;
    return { ok: false, problem: NEWER_DATA_PROBLEM };
  }
}

const NEWER_DATA_PROBLEM =
  'Not changed: your saved data is from a newer version of this extension. Update it first.';

/**
 * Not through `changeProfiles`: which profile is active is not secret, so the switch rewrites only the clear
 * part of the document and works while the vault is locked (the locked popup lists every profile).
 */
async function switchActiveProfile(profileId: string): Promise<ProfileOpReply> {
  try {
    return (await setActiveProfile(profileId))
      ? { ok: true, profileId }
      : { ok: false, problem: UNKNOWN_PROFILE };
  } catch (error) {
    if (!(error instanceof StoredDataReadOnlyError)) throw error;
    return { ok: false, problem: NEWER_DATA_PROBLEM };
  }
}

/** One write for the whole file: every profile is added, or (locked, newer data) none is. */
async function importProfiles(profiles: ImportedProfile[]): Promise<ImportProfilesReply> {
  try {
    return await updateData((data): ImportProfilesReply => {
      const { data: next, added } = addImported(data, profiles, () => newProfileId());
      Object.assign(data, next);
      return { ok: true, added };
    });
  } catch (error) {
    if (error instanceof VaultLockedError) {
      return { ok: false, problem: 'Nothing was imported: the secrets are locked. Unlock them first.' };
    }
    if (!(error instanceof StoredDataReadOnlyError)) throw error;
    return {
      ok: false,
      problem:
        'Nothing was imported: your saved data is from a newer version of this extension. Update it first.',
    };
  }
}

async function getSnapshot(): Promise<AppSnapshot> {
  await interruptedRefreshesChecked();
  const [loaded, inFlight] = await Promise.all([loadData(), readInFlight()]);
  return buildSnapshot(loaded, [...refreshingProfileIds(), ...Object.keys(inFlight)]);
}

/** Without `current`, sets a first passphrase; with it, changes the one that is set. */
async function setPassphrase(passphrase: string, current: string | undefined): Promise<VaultReply> {
  const problem = newPassphraseProblem(passphrase);
  if (problem) return vaultFailure(problem);
  return current === undefined ? enableVault(passphrase) : changePassphrase(current, passphrase);
}

/**
 * With `passphrase`, the vault is set up first, so the secrets are sealed by the very first write and never
 * reach the disk in clear (a storage engine may keep an overwritten value for a long time).
 */
async function saveProfile(
  input: ProfileInput,
  keepStored: readonly KeptSecret[],
  passphrase: string | undefined,
): Promise<SaveProfileReply> {
  const { value, errors, warnings } = validateProfile(input);
  if (Object.keys(errors).length > 0) return { ok: false, errors, warnings };
  if (passphrase !== undefined) {
    const problem = newPassphraseProblem(passphrase);
    if (problem) return { ok: false, errors: {}, warnings, passphraseError: vaultFailureWords(problem) };
    const sealed = await enableVault(passphrase);
    // Already on (another page set it meanwhile): the save below is sealed all the same.
    if (!sealed.ok && sealed.kind !== 'current_required') {
      return { ok: false, errors: {}, warnings, passphraseError: sealed.message };
    }
  }
  let saved: Profile;
  try {
    saved = await saveValidated(value, keepStored, pastedToken(input.refreshToken, Date.now()));
  } catch (error) {
    if (error instanceof NameTakenError) {
      return {
        ok: false,
        errors: { name: `Another profile is already called “${error.takenBy}”. Choose a different name.` },
        warnings,
      };
    }
    if (error instanceof VaultLockedError) {
      return {
        ok: false,
        errors: {},
        warnings,
        problem: 'Not saved: the secrets are locked. Unlock them first.',
      };
    }
    if (!(error instanceof StoredDataReadOnlyError)) throw error;
    return {
      ok: false,
      errors: {},
      warnings,
      problem: 'Not saved: your saved data is from a newer version of this extension. Update it first.',
    };
  }
  return { ok: true, profileId: saved.id, profile: saved, warnings };
}

/**
 * A whole token response pasted into "Refresh token" also holds an access token: kept as the current token,
 * so the user does not spend a refresh (and rotate the refresh token) to get a token they already hold.
 * Its `expires_in` is counted from now, the moment it was pasted: the expiry note says it may come sooner.
 */
function pastedToken(rawRefreshToken: unknown, now: number): TokenState | undefined {
  if (typeof rawRefreshToken !== 'string' || !rawRefreshToken.trim().startsWith('{')) return undefined;
  const parsed = parseTokenResponse({ status: 200, headers: {}, bodyText: rawRefreshToken.trim() }, now);
  if (!parsed.ok) return undefined;
  // Pasting is not an attempt: no request was sent, so the gap between automatic attempts does not count
  // from it (a pasted token already inside its lead is refreshed at once).
  const { lastAttemptAt: _notAnAttempt, ...token } = tokenStateFrom(parsed.token);
  const counted = 'Counted from when the token response was pasted: it may expire sooner.';
  return { ...token, expiryNote: token.expiryNote ? `${token.expiryNote} ${counted}` : counted };
}

function saveValidated(
  value: ProfileInput,
  keepStored: readonly KeptSecret[],
  pasted: TokenState | undefined,
): Promise<Profile> {
  return updateData((data) => {
    const existing = value.id ? data.profiles.find((p) => p.id === value.id) : undefined;
    // An edit under another profile's name is refused; a new profile (or one deleted meanwhile in another
    // window, saved again) takes the next free name instead, as New profile and an import do.
    const clash = profileNamed(data.profiles, value.name, existing?.id);
    if (clash && existing) throw new NameTakenError(clash.name.trim());
    if (clash)
      value.name = uniqueProfileName(
        value.name,
        data.profiles.map((p) => p.name),
      );
    // Only when the refresh token itself was pasted: a kept one says nothing about that access token.
    const withToken = (id: string) => {
      if (pasted && !keepStored.includes('refreshToken')) data.tokens[id] = pasted;
    };
    if (existing) {
      for (const field of keepStored) value[field] = existing[field];
      const credentialsChanged =
        existing.refreshToken !== value.refreshToken ||
        existing.clientId !== value.clientId ||
        existing.clientSecret !== value.clientSecret ||
        existing.oauthHost !== value.oauthHost ||
        existing.clientAuth !== value.clientAuth;
      Object.assign(existing, value, { id: existing.id });
      // Cleared in the form: the API host is derived again.
      if (value.apiHost === undefined) delete existing.apiHost;
      // Saved by the user, who sees the OAuth host in the form: from now on it is sealed with the secrets.
      delete existing.needsReview;
      // An error about the old credentials says nothing about the new ones.
      const token = data.tokens[existing.id];
      if (credentialsChanged && token) {
        delete token.lastError;
        // New credentials resume an automatic refresh paused by the old ones, its backoff from the start.
        delete token.autoPaused;
        delete token.autoRetries;
      }
      withToken(existing.id);
      data.activeProfileId = existing.id;
      return { ...existing };
    }
    const created = { ...value, id: newProfileId() };
    data.profiles.push(created);
    withToken(created.id);
    data.activeProfileId = created.id;
    return { ...created };
  });
}
