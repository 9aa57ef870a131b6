import type { RefreshReply } from '../core/protocol';
import { onCommand, REFRESH_COMMAND } from '../platform/commands';
import { loadData } from '../platform/storage-write';
import { refreshProfile } from './refresh';

/**
 * The "Refresh the active profile's token" shortcut, run by the worker with the popup closed. It is the same
 * single-flight refresh as the popup's button: its answer is stored before anything else, so the popup shows
 * it when opened. Nothing to do without an active profile.
 */
export async function refreshActiveProfile(): Promise<RefreshReply | undefined> {
  const { data } = await loadData();
  return data.activeProfileId ? refreshProfile(data.activeProfileId) : undefined;
}

/** Top level of the worker: a shortcut wakes a stopped worker only through a listener registered at start. */
export function listenForShortcuts(): void {
  onCommand(REFRESH_COMMAND, () => {
    refreshActiveProfile().catch((error: unknown) => {
      console.error('The refresh shortcut failed:', error instanceof Error ? error.name : typeof error);
    });
  });
}
