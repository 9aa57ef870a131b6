import browser from 'webextension-polyfill';
import type { Envelope, MessageName, RequestOf, ResponseOf } from '../core/protocol';

/**
 * The worker could not be reached, or gave no answer: it was stopped, is still starting, or refused the
 * sender. Asking again may help.
 */
export class NoAnswerError extends Error {
  constructor() {
    super('The extension’s background worker did not answer.');
    this.name = 'NoAnswerError';
  }
}

/**
 * The worker answered, with a failure its handler threw (a bug, or storage that failed under it). Asking
 * again will likely fail the same way. `reason` is the error's name only, never its text (it could quote a
 * secret).
 */
export class WorkerFailedError extends Error {
  constructor(readonly reason: string) {
    super(`The extension’s background worker failed (${reason}).`);
    this.name = 'WorkerFailedError';
  }
}

/** Prefixes the rejection a failed handler sends back, so the sender can tell it from a missing answer. */
export const WORKER_FAILED = 'sign-token-refresher:worker-failed:';

/**
 * Sends one typed message to the background worker and returns its answer. Rejects with `NoAnswerError` or
 * `WorkerFailedError`, never with a browser's own words.
 */
export async function sendMessage<K extends MessageName>(
  type: K,
  payload: RequestOf<K>,
): Promise<ResponseOf<K>> {
  const envelope: Envelope<K> = { type, payload };
  let reply: unknown;
  try {
    reply = await browser.runtime.sendMessage(envelope);
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    if (message.startsWith(WORKER_FAILED)) throw new WorkerFailedError(message.slice(WORKER_FAILED.length));
    throw new NoAnswerError();
  }
  // No listener answered: the worker ignored the message (it does for anything it does not accept).
  if (reply === undefined || reply === null) throw new NoAnswerError();
  // The worker is this extension's own code, built from the same protocol: its answers are trusted.
  return reply as ResponseOf<K>;
}
