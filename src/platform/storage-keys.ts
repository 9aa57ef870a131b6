/**
 * Every key this extension keeps in extension storage, declared once: `storage.ts` reads and writes them, and
 * the tests import them instead of repeating the strings. Each says where it lives and when it is cleared,
 * so the vault's rules can be read here rather than pieced together from the code that uses them.
 * Nothing is ever kept in `storage.sync`: that would send secrets off the machine.
 */

/**
 * `storage.local`. The stored document's index (schema 3): schema version, the profile ids in order, the
 * active one, and with a passphrase set the vault's header (KDF parameters, the passphrase check, settings).
 * Each profile's part lives apart (PROFILE_KEY_PREFIX), and so does its history (HISTORY_KEY_PREFIX); a
 * change writes the index and the parts it changed in one `set`. A document from before (schemas 1 and 2)
 * held everything under this key: it is read as it is and laid out in parts at the next write.
 * Cleared: never by the extension; it goes with the profile when the extension is removed.
 */
export const DATA_KEY = 'data';

/**
 * `storage.local`, as the prefix of `<prefix><profile id>`. The profile's part of the document (schema 3):
 * its settings and token state, and with a passphrase set its own secrets sealed (`sealed`), the secret
 * fields then absent from the clear copy. Apart from the index, so a refresh rewrites its own profile's part
 * and not every profile's. Cleared: when its profile is removed.
 */
export const PROFILE_KEY_PREFIX = 'profile:';

/**
 * `storage.local`, as the prefix of `<prefix><profile id>`. The profile's history (issue 12): its entries in
 * clear, or `{ sealed }` under the vault's key while a passphrase is set. Apart from the document, per
 * profile, so a refresh rewrites its own profile's history and not every profile's (with 100 profiles of 50
 * rows each, the history is nearly all of the stored bytes), and the popup's first read, which needs no
 * history, does not carry it. A document from before kept the history inside it (or inside its vault): it
 * moves here at the next write. Cleared: when the history is cleared, and when its profile is removed.
 */
export const HISTORY_KEY_PREFIX = 'history:';

/**
 * `storage.local`. The refreshes in flight: profile id and start time, nothing secret. In `local`, not
 * `session`, so a mark outlives a stopped worker or a browser quit and the next start can say the refresh
 * was interrupted. Cleared: each mark in the same write that stores its refresh's answer (an empty object
 * stays once none is left); a mark left behind, at the next worker start, in the write that records it as
 * an `interrupted` failure.
 */
export const IN_FLIGHT_KEY = 'inFlight';

/**
 * `storage.session` (memory only, extension pages and worker only). The unlocked vault's key, base64 raw
 * AES-256. Cleared: on lock (Lock now, auto-lock), when the passphrase is removed, and on browser restart.
 */
export const VAULT_KEY = 'vaultKey';

/**
 * `storage.local`, as the prefix of `<prefix><epoch ms>`. A copy of stored data that could not be read,
 * kept before the first write replaces it. Sealed under the vault's key while a passphrase is set, in
 * clear again when it is removed. Cleared: never by the extension (the user may still need what it holds).
 */
export const BACKUP_KEY_PREFIX = 'unreadable-backup-';

/**
 * `storage.local`. Which token each profile was last warned of by an "about to expire" notification (profile
 * id → that token's expiry, epoch ms), so one token is warned of once, across worker stops. Nothing secret;
 * apart from the document, so marking one neither rewrites the document nor reaches the popup's listener.
 * Cleared: never; an entry is replaced when its profile's next token is warned of.
 */
export const EXPIRY_WARNED_KEY = 'expiryWarned';

/**
 * `storage.session`. The authorization attempt in progress per profile: its `state` (128+ random bits) and
 * how it was started. In storage, not in the worker's memory, so a stopped worker does not lose the attempt
 * whose consent page is open. Cleared: when the attempt ends (exchanged, refused, window closed), when a new
 * attempt of the profile replaces it, and on browser restart.
 */
export const AUTH_ATTEMPTS_KEY = 'authAttempts';

/**
 * `storage.session`, as the prefix of `<prefix><profile id>`. The profile's last refresh, code exchange and
 * verify call, whole (request and response, secrets included), for the "Last exchange" inspector. In the
 * session store, not on disk, and per profile so one profile's write never rewrites another's. Cleared: on
 * lock (they hold secrets in clear), when the profile is removed, and on browser restart.
 */
export const LAST_EXCHANGE_KEY_PREFIX = 'lastExchange:';

/**
 * `storage.session`. The API tab, if one is open: its tab id and profile id (nothing secret; the token is in
 * the header rule, a session rule that ends with the browser too). Cleared: when the tab closes, when a new
 * API tab replaces it, and on browser restart.
 */
export const API_TAB_KEY = 'apiTab';
