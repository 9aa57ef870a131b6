import browser from 'webextension-polyfill';

/**
 * The keyboard shortcuts declared under `commands` in manifest.json (the user can change the keys in the
 * browser's shortcut settings). `_execute_action` opens the popup and never reaches the worker.
 */
export const REFRESH_COMMAND = 'refresh-active-profile';

/** Must be called at the top level of the worker, so that a shortcut can wake it. */
export function onCommand(name: string, listener: () => void): void {
  browser.commands.onCommand.addListener((command: string) => {
    if (command === name) listener();
  });
}
