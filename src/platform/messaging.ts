import browser, { type Runtime } from 'webextension-polyfill';
import {
  parseEnvelope,
  type Envelope,
  type MessageName,
  type Protocol,
  type RequestOf,
  type ResponseOf,
} from '../core/protocol';

/** Sends one typed message to the background worker and returns its typed answer. */
export async function sendMessage<K extends MessageName>(
  type: K,
  payload: RequestOf<K>,
): Promise<ResponseOf<K>> {
  const envelope: Envelope<K> = { type, payload };
  return (await browser.runtime.sendMessage(envelope)) as ResponseOf<K>;
}

export type Handlers = { [K in MessageName]: (payload: RequestOf<K>) => Promise<ResponseOf<K>> };

/**
 * Registers the worker's handler table. Must be called at the top level of the worker so a message can wake
 * it. Only the extension's own pages are answered; anything else, or any malformed message, is ignored.
 */
export function listenForMessages(handlers: Handlers): void {
  browser.runtime.onMessage.addListener((raw: unknown, sender: Runtime.MessageSender) => {
    if (!isOwnPage(sender)) return undefined;
    const envelope = parseEnvelope(raw);
    if (!envelope) return undefined;
    return dispatch(handlers, envelope);
  });
}

function dispatch<K extends MessageName>(
  handlers: Handlers,
  envelope: Envelope<K>,
): Promise<Protocol[K]['response']> {
  return handlers[envelope.type](envelope.payload);
}

/** The sender is this extension (not another one, not a web page or content script) and one of its pages. */
export function isOwnPage(sender: Runtime.MessageSender): boolean {
  if (sender.id !== browser.runtime.id) return false;
  const ownOrigin = browser.runtime.getURL('');
  return typeof sender.url === 'string' && sender.url.startsWith(ownOrigin);
}
