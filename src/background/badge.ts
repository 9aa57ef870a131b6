import { badgeFor } from '../core/badge';
import { showOnAction } from '../platform/action';
import { clearAlarm, onAlarm, scheduleRepeatingAlarm } from '../platform/alarms';
import { mayNotify } from '../platform/permissions';
import { loadData } from '../platform/storage-write';
import { warnOfExpiringTokens } from './notices';

/**
 * The toolbar badge and tooltip: the active profile's time left, kept current at minute resolution by one
 * repeating alarm (which also warns, with "Notify me" on, of tokens about to expire with nothing to refresh them) (a timer would die with the worker, and every badge call wakes it: once a minute is the
 * resolution the text has anyway), and at once after every stored change (refresh, switch, save, lock).
 */
export const BADGE_ALARM = 'badge-tick';

let queued: Promise<void> | undefined;
let running: Promise<void> = Promise.resolve();

/** One at a time; calls while one waits to start share it. Each run reads storage afresh. */
export function updateBadge(): Promise<void> {
  queued ??= running.then(() => {
    queued = undefined;
    return showBadge(Date.now());
  });
  running = queued.catch((error: unknown) => {
    console.error('Could not update the badge:', error instanceof Error ? error.name : 'unknown');
  });
  return running;
}

async function showBadge(now: number): Promise<void> {
  const { data, locked } = await loadData();
  const profile = data.profiles.find((p) => p.id === data.activeProfileId);
  const token = profile ? data.tokens[profile.id] : undefined;
  const hasToken = token?.receivedAt !== undefined || token?.expiresAt !== undefined;
  const badge = badgeFor({
    now,
    ...(profile ? { profileName: profile.name } : {}),
    hasToken,
    ...(token?.expiresAt !== undefined ? { expiresAt: token.expiresAt } : {}),
    ...(token?.lastError ? { lastError: token.lastError } : {}),
    ...(profile?.autoRefresh ? { autoLeadMinutes: profile.leadMinutes ?? 5 } : {}),
    // A pause matters only while automatic refresh is on (a click's invalid_grant sets it too).
    ...(profile?.autoRefresh && token?.autoPaused !== undefined ? { pausedReason: token.autoPaused } : {}),
    locked: locked === true,
  });
  await showOnAction(badge);
  if (await mayNotify()) await warnOfExpiringTokens(data, now);
  // Ticking only while some token counts down (the badge's, or one to warn of): past expiry nothing changes.
  if (Object.values(data.tokens).some((t) => t.expiresAt !== undefined && t.expiresAt > now)) {
    await scheduleRepeatingAlarm(BADGE_ALARM, 1);
  } else {
    await clearAlarm(BADGE_ALARM);
  }
}

/** Top level of the worker only. */
export function listenForBadgeTicks(): void {
  onAlarm(BADGE_ALARM, () => {
    void updateBadge();
  });
}
