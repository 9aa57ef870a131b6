import browser from 'webextension-polyfill';
import { isRecord } from '../core/guards';
import { isRecordedExchange, type ExchangeKind, type RecordedExchange } from '../core/exchange-record';
import { LAST_EXCHANGE_KEY_PREFIX } from './storage-keys';

/** The profile's latest exchange of each kind, as the worker recorded them (see exchange-log.ts). */
export type LastExchanges = Partial<Record<ExchangeKind, RecordedExchange>>;

const KINDS: readonly ExchangeKind[] = ['refresh', 'exchange', 'verify'];

export async function readLastExchanges(profileId: string): Promise<LastExchanges> {
  const key = LAST_EXCHANGE_KEY_PREFIX + profileId;
  const raw = (await browser.storage.session.get(key))[key];
  const exchanges: LastExchanges = {};
  if (!isRecord(raw)) return exchanges;
  for (const kind of KINDS) {
    const value = raw[kind];
    if (isRecordedExchange(value) && value.kind === kind) exchanges[kind] = value;
  }
  return exchanges;
}

/** Calls `listener` whenever the profile's records change (written or forgotten); returns the unsubscribe. */
export function onLastExchangesChanged(profileId: string, listener: () => void): () => void {
  const key = LAST_EXCHANGE_KEY_PREFIX + profileId;
  const changed = (changes: Record<string, unknown>, area: string) => {
    if (area === 'session' && Object.hasOwn(changes, key)) listener();
  };
  browser.storage.onChanged.addListener(changed);
  return () => browser.storage.onChanged.removeListener(changed);
}
