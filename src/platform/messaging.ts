import browser, { type Runtime } from 'webextension-polyfill';
import {
  parseEnvelope,
  type Envelope,
  type MessageName,
  type Protocol,
  type RequestOf,
  type ResponseOf,
} from '../core/protocol';

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
const WORKER_FAILED = 'sign-token-refresher:worker-failed:';

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

export type Handlers = { [K in MessageName]: (payload: RequestOf<K>) => Promise<ResponseOf<K>> };

/**
 * Registers the worker's handler table. Must be called at the top level of the worker so a message can wake
 * it. Only the extension's own pages are answered; anything else, or any malformed message, is ignored.
 * `afterHandled` runs once each accepted message has been answered (or has failed).
 */
export function listenForMessages(handlers: Handlers, afterHandled?: (type: MessageName) => void): void {
  browser.runtime.onMessage.addListener((raw: unknown, sender: Runtime.MessageSender) => {
    if (!isOwnPage(sender)) return undefined;
    const envelope = parseEnvelope(raw);
    if (!envelope) return undefined;
    const answer = dispatch(handlers, envelope);
    if (afterHandled) void answer.finally(() => afterHandled(envelope.type)).catch(() => undefined);
    return answer;
  });
}

async function dispatch<K extends MessageName>(
  handlers: Handlers,
  envelope: Envelope<K>,
): Promise<Protocol[K]['response']> {
  try {
    return await handlers[envelope.type](envelope.payload);
  } catch (error) {
    // The name only: an error's message or stack can quote what it failed on, a secret included.
    const reason = error instanceof Error ? error.name : typeof error;
    console.error(`The worker’s “${envelope.type}” handler failed:`, reason);
    // No `cause`: this error crosses to the page, and the original may quote a secret.
    // eslint-disable-next-line preserve-caught-error
    throw new Error(`${WORKER_FAILED}${reason}`);
  }
}

/** The sender is this extension (not another one, not a web page or content script) and one of its pages. */
export function isOwnPage(sender: Runtime.MessageSender): boolean {
  if (sender.id !== browser.runtime.id) return false;
  const ownOrigin = browser.runtime.getURL('');
  return typeof sender.url === 'string' && sender.url.startsWith(ownOrigin);
}
