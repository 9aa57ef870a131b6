import browser from 'webextension-polyfill';
import type { ExchangeKind, RecordedExchange } from '../core/exchange-record';
import { readLastExchanges } from './exchange-read';
import { LAST_EXCHANGE_KEY_PREFIX } from './storage-keys';

/**
 * The write side of the "Last exchange" inspector (worker only; a lint rule keeps the pages out). Where the
 * records live and when they are cleared: LAST_EXCHANGE_KEY_PREFIX.
 */

/** One queue: two calls of one profile ending together must not drop each other's record. */
let queue: Promise<unknown> = Promise.resolve();

function serialized<T>(work: () => Promise<T>): Promise<T> {
  const next = queue.then(work, work);
  queue = next.catch(() => undefined);
  return next;
}

/**
 * How many times records were forgotten (a lock, a delete). A call still on the wire then (a verify, a code
 * exchange) must not write its record afterwards: it would put the secrets back in clear after a lock, or a
 * deleted profile's back. Take `exchangeEra()` before sending and hand it to `recordExchange`. In memory: a
 * stopped worker has no call on the wire. (A delete drops the records of calls of other profiles on the wire
 * too: rare, and only the inspector's record is lost.)
 */
let era = 0;

export function exchangeEra(): number {
  return era;
}

/** Keeps `exchange` as the profile's latest of its kind, unless records were forgotten since `startedIn`. */
export function recordExchange(
  profileId: string,
  exchange: RecordedExchange,
  startedIn: number,
): Promise<void> {
  return serialized(async () => {
    if (startedIn !== era) return;
    const current = await readLastExchanges(profileId);
    await browser.storage.session.set({
      [LAST_EXCHANGE_KEY_PREFIX + profileId]: { ...current, [exchange.kind]: exchange },
    });
  });
}

/** Forgets the records of the listed profiles, or of every profile (on lock: they hold secrets in clear). */
export function forgetExchanges(profileIds?: readonly string[]): Promise<void> {
  era += 1;
  return serialized(async () => {
    const keys = profileIds
      ? profileIds.map((id) => LAST_EXCHANGE_KEY_PREFIX + id)
      : Object.keys(await browser.storage.session.get(null)).filter((key) =>
          key.startsWith(LAST_EXCHANGE_KEY_PREFIX),
        );
    if (keys.length > 0) await browser.storage.session.remove(keys);
  });
}

export type { ExchangeKind };
