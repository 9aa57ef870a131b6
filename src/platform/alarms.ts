import browser from 'webextension-polyfill';

/**
 * Named alarms, the only timers that outlive a stopped worker (Chrome) or an unloaded event page (Firefox):
 * a `setTimeout` dies with it. Browsers fire an alarm no sooner than 30 seconds ahead.
 */

/** Creates or moves the alarm `name` to fire once, `minutes` from now. */
export async function scheduleAlarm(name: string, minutes: number): Promise<void> {
  await browser.alarms.create(name, { delayInMinutes: minutes });
}

export async function clearAlarm(name: string): Promise<void> {
  await browser.alarms.clear(name);
}

/** Must be called at the top level of the worker, so that the alarm can wake it. */
export function onAlarm(name: string, listener: () => void): void {
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === name) listener();
  });
}
