import { nextAutoRefreshAt } from '../core/auto-refresh-state';
import { alarmNames, clearAlarm, onAlarmPrefixed, scheduleAlarmAt } from '../platform/alarms';
import { loadData } from '../platform/storage-write';
import { noticeAutomaticFailure } from './notices';
import { refreshProfile } from './refresh';

/**
 * Automatic refresh: one alarm per profile with "Refresh automatically" on, at the time the pure scheduler
 * (`nextRefreshAt`) gives for what is stored. Alarms, not timers, so it happens with every page closed and
 * the worker stopped; re-created from storage at every worker start (Chrome may drop alarms on a restart)
 * and after every stored change, so the schedule always follows the latest token, failure and setting.
 */
export const AUTO_REFRESH_ALARM_PREFIX = 'auto-refresh:';

let queued: Promise<void> | undefined;
let running: Promise<void> = Promise.resolve();

/**
 * Brings the alarms in line with storage. Runs one at a time; calls while one waits to start share it
 * (a burst of storage changes makes one more run, not one each), and each run reads storage afresh.
 */
export function reschedule(): Promise<void> {
  queued ??= running.then(() => {
    queued = undefined;
    return scheduleAll(Date.now());
  });
  running = queued.catch((error: unknown) => {
    console.error('Could not schedule automatic refreshes:', error instanceof Error ? error.name : 'unknown');
  });
  return running;
}

async function scheduleAll(now: number): Promise<void> {
  const { data, locked, readOnly } = await loadData();
  const existing = new Set(await alarmNames(AUTO_REFRESH_ALARM_PREFIX));
  const wanted = new Set<string>();
  // Locked: nothing may be sent, so nothing is scheduled; the unlock is a storage change and reschedules,
  // and whatever fell due meanwhile is refreshed then. Newer data: nothing may be written.
  if (!locked && !readOnly) {
    for (const profile of data.profiles) {
      const at = nextAutoRefreshAt(profile, data.tokens[profile.id], now);
      if (at === undefined) continue;
      if (at <= now) {
        void runAutomatic(profile.id);
        continue;
      }
      const name = AUTO_REFRESH_ALARM_PREFIX + profile.id;
      wanted.add(name);
      await scheduleAlarmAt(name, at);
    }
  }
  await Promise.all([...existing].filter((name) => !wanted.has(name)).map((name) => clearAlarm(name)));
}

/**
 * The refresh an alarm (or a start-up that found a token inside its lead) asks for. Checked against what is
 * stored now: the user may have refreshed by hand, turned it off or locked the vault since it was set.
 */
async function runAutomatic(profileId: string): Promise<void> {
  try {
    const { data, locked } = await loadData();
    const profile = data.profiles.find((p) => p.id === profileId);
    if (locked || !profile) return;
    const at = nextAutoRefreshAt(profile, data.tokens[profileId], Date.now());
    if (at === undefined || at > Date.now()) {
      await reschedule();
      return;
    }
    // The same single-flight refresh as a click: a click meanwhile joins this one.
    const reply = await refreshProfile(profileId, true);
    if (!reply.ok) await noticeAutomaticFailure(profile.name, reply.failure, reply.token.autoRetries ?? 1);
  } catch (error) {
    console.error('Automatic refresh failed:', error instanceof Error ? error.name : 'unknown');
  }
}

/** Top level of the worker only: an alarm wakes a stopped worker only if this listener is registered. */
export function listenForAutoRefresh(): void {
  onAlarmPrefixed(AUTO_REFRESH_ALARM_PREFIX, (profileId) => {
    void runAutomatic(profileId);
  });
}
