import browser from 'webextension-polyfill';

/**
 * Named alarms, the only timers that outlive a stopped worker (Chrome) or an unloaded event page (Firefox):
 * a `setTimeout` dies with it. Browsers fire an alarm no sooner than 30 seconds ahead.
 */

/** Creates or moves the alarm `name` to fire once, `minutes` from now. */
export async function scheduleAlarm(name: string, minutes: number): Promise<void> {
  await browser.alarms.create(name, { delayInMinutes: minutes });
}

/** Creates or moves the alarm `name` to fire once at `when` (epoch ms); left as it is when already there. */
export async function scheduleAlarmAt(name: string, when: number): Promise<void> {
  const existing = await browser.alarms.get(name);
  if (existing?.scheduledTime === when && existing.periodInMinutes === undefined) return;
  await browser.alarms.create(name, { when });
}

/** Creates the alarm `name` to fire every `minutes`, unless it already does (it would restart its period). */
export async function scheduleRepeatingAlarm(name: string, minutes: number): Promise<void> {
  const existing = await browser.alarms.get(name);
  if (existing?.periodInMinutes === minutes) return;
  await browser.alarms.create(name, { delayInMinutes: minutes, periodInMinutes: minutes });
}

export async function clearAlarm(name: string): Promise<void> {
  await browser.alarms.clear(name);
}

/** The names of the alarms that start with `prefix`. */
export async function alarmNames(prefix: string): Promise<string[]> {
  return (await browser.alarms.getAll()).map((a) => a.name).filter((name) => name.startsWith(prefix));
}

/** Must be called at the top level of the worker, so that the alarm can wake it. */
export function onAlarm(name: string, listener: () => void): void {
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === name) listener();
  });
}

/** The same for every alarm whose name starts with `prefix`; the listener gets the rest of the name. */
export function onAlarmPrefixed(prefix: string, listener: (rest: string) => void): void {
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name.startsWith(prefix)) listener(alarm.name.slice(prefix.length));
  });
}
