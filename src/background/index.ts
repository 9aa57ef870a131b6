import { listenForMessages } from '../platform/message-listener';
import { listenForAutoLock, noteUse } from './auto-lock';
import { handlers } from './handlers';
import { recoverInterruptedRefreshes } from './refresh';
import { listenForShortcuts } from './shortcut';

// Top level, synchronously: a stopped worker (Chrome) or unloaded event page (Firefox) is woken by a message
// or an alarm only if its listener is registered during the first run of this script.
listenForMessages(handlers, () => {
  noteUse().catch((error: unknown) => {
    console.error('Could not reschedule the auto-lock:', error instanceof Error ? error.name : typeof error);
  });
});
listenForAutoLock();
listenForShortcuts();
void recoverInterruptedRefreshes();
