import { listenForMessages } from '../platform/messaging';
import { handlers } from './handlers';
import { recoverInterruptedRefreshes } from './refresh';

// Top level, synchronously: a stopped worker (Chrome) or unloaded event page (Firefox) is woken by a message
// only if the listener is registered during the first run of this script.
listenForMessages(handlers);
void recoverInterruptedRefreshes();
