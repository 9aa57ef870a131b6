/** Snapshots and worker replies for the popup's unit tests: what the worker would answer, built in one place. */
import type { Profile } from '../core/profile';
import type { AppSnapshot, SaveProfileReply, VaultStatus } from '../core/protocol';

export const VAULT_OFF: VaultStatus = {
  enabled: false,
  unlocked: false,
  sealedAfterClear: false,
  autoLockMinutes: null,
};

export function testProfile(overrides: Partial<Profile> = {}): Profile {
  return {
    id: 'p-1',
    name: 'My API app',
    clientId: 'cc91c61d00f8bb2ece1428035716b',
    clientSecret: 'stored-client-secret-1d14434088507ffa',
    refreshToken: 'stored-refresh-token-hNTI2MTFmM2VmZDQx',
    oauthHost: 'https://app.hellosign.com',
    clientAuth: 'body',
    ...overrides,
  };
}

export function snapshotOf(overrides: Partial<AppSnapshot> = {}): AppSnapshot {
  const profiles = overrides.profiles ?? [testProfile()];
  return {
    activeProfileId: profiles[0]?.id ?? null,
    profiles,
    tokens: {},
    refreshing: [],
    vault: VAULT_OFF,
    ...overrides,
  };
}

/** The worker's answer to a save that worked: what it stored is what was sent, with the id it has. */
export function savedReply(profile: Profile): SaveProfileReply {
  return { ok: true, profileId: profile.id, profile, warnings: {} };
}
