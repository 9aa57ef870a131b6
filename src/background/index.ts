import { listenForMessages } from '../platform/message-listener';
import { onDataChanged } from '../platform/storage-read';
import { listenForApiTab, syncApiTab, syncApiTabAtStart } from './api-tab';
import { listenForAutoLock, noteUse } from './auto-lock';
import { listenForAutoRefresh, reschedule } from './auto-refresh';
import { listenForBadgeTicks, updateBadge } from './badge';
import { listenForNoticeClicks } from './notices';
import { handlers } from './handlers';
import { recoverInterruptedRefreshes } from './refresh';
import { listenForShortcuts } from './shortcut';

/**
 * Registers one group of listeners. A browser that lacks one API (a namespace missing without its optional
 * permission, an older version) must not cost the others: a throw here would end this script's first run
 * before the listeners after it, and the worker would never again wake for a message or an alarm.
 */
function register(what: string, listen: () => void): void {
  try {
    listen();
  } catch (error) {
    console.error(`Could not listen for ${what}:`, error instanceof Error ? error.name : typeof error);
  }
}

// Top level, synchronously: a stopped worker (Chrome) or unloaded event page (Firefox) is woken by a message
// or an alarm only if its listener is registered during the first run of this script.
register('messages', () => {
  listenForMessages(handlers, () => {
    noteUse().catch((error: unknown) => {
      console.error(
        'Could not reschedule the auto-lock:',
        error instanceof Error ? error.name : typeof error,
      );
    });
  });
});
register('the auto-lock', listenForAutoLock);
register('shortcuts', listenForShortcuts);
register('automatic refreshes', listenForAutoRefresh);
register('badge ticks', listenForBadgeTicks);
register('notification clicks', listenForNoticeClicks);
register('the API tab', listenForApiTab);
// Every stored change (a refresh, a save, a switch, a lock or unlock, from any page or from here) may move
// the next automatic refresh and change the badge.
register('storage changes', () =>
  onDataChanged(() => {
    void reschedule();
    void updateBadge();
    void syncApiTab();
  }),
);
void recoverInterruptedRefreshes();
// At every start: alarms may have been dropped (a browser restart), and a token may have entered its lead
// while the browser was closed or the laptop slept: that one is refreshed at once.
void reschedule();
void updateBadge();
// A rule left from before (a session rule outlives a stopped worker) is checked against what is stored now.
void syncApiTabAtStart();
