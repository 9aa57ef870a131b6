import browser, { type Runtime } from 'webextension-polyfill';
import {
  parseEnvelope,
  type Envelope,
  type MessageName,
  type Protocol,
  type RequestOf,
  type ResponseOf,
} from '../core/protocol';
import { WORKER_FAILED } from './messaging';

/**
 * The worker's side of the message protocol: its handler table, and the one listener that checks who sent a
 * message and what it holds before any handler sees it. Apart from `messaging.ts` (the pages' side) so the
 * popup does not load the payload checks (and the profile rules they use) it never runs; a lint rule keeps
 * the popup out of this module.
 */

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
