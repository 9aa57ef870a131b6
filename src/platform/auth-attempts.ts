import browser from 'webextension-polyfill';
import { isRecord } from '../core/guards';
import { AUTH_ATTEMPTS_KEY } from './storage-keys';

/**
 * The authorization attempts in progress (worker side only: the worker is the one writer of storage, and a
 * lint rule keeps the pages out of this module). See AUTH_ATTEMPTS_KEY for where they live and why.
 */
export interface AuthAttempt {
  state: string;
  startedAt: number;
  /** 'window': launchWebAuthFlow; 'tab': the paste fallback. */
  via: 'window' | 'tab';
}

async function readAttempts(): Promise<Record<string, AuthAttempt>> {
  const raw = (await browser.storage.session.get(AUTH_ATTEMPTS_KEY))[AUTH_ATTEMPTS_KEY];
  const attempts: Record<string, AuthAttempt> = {};
  if (!isRecord(raw)) return attempts;
  for (const [id, value] of Object.entries(raw)) {
    if (
      isRecord(value) &&
      typeof value.state === 'string' &&
      typeof value.startedAt === 'number' &&
      (value.via === 'window' || value.via === 'tab')
    ) {
      attempts[id] = { state: value.state, startedAt: value.startedAt, via: value.via };
    }
  }
  return attempts;
}

/** Starts a new attempt for the profile: any older one of it is forgotten (its state no longer accepted). */
export async function startAttempt(profileId: string, attempt: AuthAttempt): Promise<void> {
  const attempts = await readAttempts();
  attempts[profileId] = attempt;
  await browser.storage.session.set({ [AUTH_ATTEMPTS_KEY]: attempts });
}

export async function attemptOf(profileId: string): Promise<AuthAttempt | undefined> {
  return (await readAttempts())[profileId];
}

/** Ends the profile's attempt, if `state` is still its state (a newer attempt is left alone). */
export async function endAttempt(profileId: string, state: string): Promise<void> {
  const attempts = await readAttempts();
  if (attempts[profileId]?.state !== state) return;
  const { [profileId]: _ended, ...rest } = attempts;
  await browser.storage.session.set({ [AUTH_ATTEMPTS_KEY]: rest });
}
