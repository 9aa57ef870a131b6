import { DEFAULT_LEAD_MINUTES, nextRefreshAt, type AutoRefreshState } from './auto-refresh';
import type { Profile } from './profile';
import type { TokenState } from './token-state';

/**
 * What the scheduler needs of a stored profile and its token state: one function, so the worker's alarms
 * and the popup's "Next automatic refresh" line cannot disagree.
 */
export function autoRefreshStateOf(profile: Profile, token: TokenState | undefined): AutoRefreshState {
  return {
    enabled: profile.autoRefresh === true,
    leadMinutes: profile.leadMinutes ?? DEFAULT_LEAD_MINUTES,
    hasRefreshToken: profile.refreshToken !== '',
    retries: token?.autoRetries ?? 0,
    paused: token?.autoPaused !== undefined,
    ...(token?.expiresAt !== undefined ? { expiresAt: token.expiresAt } : {}),
    ...(token?.lastAttemptAt !== undefined ? { lastAttemptAt: token.lastAttemptAt } : {}),
    ...(token?.lastError?.retryAt !== undefined ? { retryAt: token.lastError.retryAt } : {}),
  };
}

/** When the profile's token will be refreshed automatically next, if at all. */
export function nextAutoRefreshAt(
  profile: Profile,
  token: TokenState | undefined,
  now: number,
): number | undefined {
  return nextRefreshAt(autoRefreshStateOf(profile, token), now);
}
