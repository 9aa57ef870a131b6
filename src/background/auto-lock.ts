import { clearAlarm, onAlarm, scheduleAlarm } from '../platform/alarms';
import { forgetExchanges } from '../platform/exchange-log';
import { readAutoLockMinutes } from '../platform/storage-read';
import { lockVault } from '../platform/storage-write';
import { lockWhenIdle } from './refresh';

/**
 * "Lock after N minutes without use": every message from the extension's pages counts as use and pushes the
 * lock back; an alarm, not a timer, so a stopped worker still locks on time.
 */
export const AUTO_LOCK_ALARM = 'auto-lock';

/** After each message handled: reschedule the lock, or drop it when auto-lock is off or nothing is unlocked. */
export async function noteUse(): Promise<void> {
  const minutes = await readAutoLockMinutes();
  if (minutes === undefined) await clearAlarm(AUTO_LOCK_ALARM);
  else await scheduleAlarm(AUTO_LOCK_ALARM, minutes);
}

/** Locks once every refresh in progress has stored its answer, as a lock asked for from the popup does. */
export function lockNow(): Promise<void> {
  return lockWhenIdle(async () => {
    await lockVault();
    // The inspector's records hold the secrets in clear: locked means none is readable.
    await forgetExchanges();
    await clearAlarm(AUTO_LOCK_ALARM);
  });
}

async function lockIfStillOn(): Promise<void> {
  if ((await readAutoLockMinutes()) !== undefined) await lockNow();
}

/** Top level of the worker only. */
export function listenForAutoLock(): void {
  onAlarm(AUTO_LOCK_ALARM, () => {
    // Turned off (or locked by hand) after this alarm was set: an alarm already due must not lock.
    lockIfStillOn().catch((error: unknown) => {
      console.error('Auto-lock failed:', error instanceof Error ? error.name : typeof error);
    });
  });
}
