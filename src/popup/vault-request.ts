import type { VaultReply } from '../core/passphrase';
import { workerProblem, type WorkerTask } from './worker-problem';

/** The Security section's one status line: what the last vault action did, or why it failed. */
export interface StatusLine {
  text: string;
  tone: 'ok' | 'error';
}

/** What every vault form gets: report the outcome, and clear the previous one when it starts. */
export interface VaultFormProps {
  onDone: (status: StatusLine) => void;
  onStart: () => void;
}

export type VaultOutcome = VaultReply | { ok: false; message: string };

/**
 * Sends one vault message; a worker that does not answer, or whose handler failed, is a failure like any
 * other, in words that say which of the two it was.
 */
export async function askVault(send: () => Promise<VaultReply>, task: WorkerTask): Promise<VaultOutcome> {
  try {
    return await send();
  } catch (error) {
    return { ok: false, message: workerProblem(error, task) };
  }
}
