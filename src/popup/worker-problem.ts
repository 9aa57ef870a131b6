import { WorkerFailedError } from '../platform/messaging';

/** What the popup was asking the worker to do, in the words that finish "failed while …". */
export type WorkerTask =
  | 'reading the saved data'
  | 'saving the credentials'
  | 'refreshing the token'
  | 'unlocking the secrets'
  | 'changing the passphrase settings'
  | 'changing the profiles'
  | 'changing the automatic refresh'
  | 'authorizing the app'
  | 'verifying the token'
  | 'reading the history'
  | 'clearing the history'
  | 'opening the API tab';

export const NO_ANSWER = 'The background worker did not answer. Close and reopen this panel, then try again.';

/**
 * A message that got no reply, in plain words. Two different cases: the worker did not answer (it was stopped
 * or still starting: asking again may work), or it answered that its handler failed (a fault in the extension
 * or in the browser's storage: asking again would fail the same way). Only the error's name is shown; its
 * text could quote what it failed on.
 */
export function workerProblem(error: unknown, task: WorkerTask): string {
  if (error instanceof WorkerFailedError) {
    return (
      `The background worker failed while ${task} (${error.reason}). Trying again will likely fail the same ` +
      'way: restart the browser. If it keeps happening, the saved data may be damaged; report the name in ' +
      'brackets to the extension’s authors.'
    );
  }
  return NO_ANSWER;
}
