/**
 * The passphrase vault's cryptography, over the standard WebCrypto `crypto.subtle` (browsers and Node 20):
 * PBKDF2-SHA256 turns a passphrase and a random salt into a 256-bit key; AES-GCM-256 seals the secrets with a
 * fresh 96-bit IV on every call. No extension API here, so it runs the same in the worker and in unit tests.
 *
 * The key leaves this module as base64 raw bytes because `storage.session`, where an unlocked key lives,
 * holds only JSON-serializable values (a CryptoKey cannot be stored there).
 */

import { isRecord } from './guards';

/** OWASP's 2023 minimum for PBKDF2-HMAC-SHA256, also Bitwarden's default. */
export const DEFAULT_ITERATIONS = 600_000;

/**
 * The iteration counts a stored vault may name. Below the minimum, an attacker who can edit storage could
 * make the next passphrase change cheap to guess; far above it, unlocking would hang the worker. Anything
 * outside is damaged data, never used.
 */
export const KDF_ITERATION_LIMITS: Readonly<{ min: number; max: number }> = { min: 600_000, max: 10_000_000 };
export const SALT_BYTES = 16;
export const IV_BYTES = 12;
const KEY_BITS = 256;

/** Binds every ciphertext to this use: a blob sealed for anything else does not open as a vault. */
const ADDITIONAL_DATA = new TextEncoder().encode('sign-token-refresher/vault/v1');

/** How the key is derived; stored beside the ciphertext, so a later default does not lock anyone out. */
export interface KdfParams {
  name: 'PBKDF2';
  hash: 'SHA-256';
  iterations: number;
  /** base64, SALT_BYTES random bytes. */
  salt: string;
}

/** One AES-GCM ciphertext (with its tag) and the IV it was sealed under, both base64. */
export interface Sealed {
  iv: string;
  ciphertext: string;
}

export type OpenResult<T> =
  | { ok: true; value: T }
  /** `wrong_key`: the authentication tag did not verify (wrong passphrase, or the blob was altered). */
  | { ok: false; reason: 'wrong_key' | 'damaged' };

/** Fresh parameters for a new or changed passphrase: a new random salt every time. */
export function newKdfParams(iterations: number = DEFAULT_ITERATIONS): KdfParams {
  return {
    name: 'PBKDF2',
    hash: 'SHA-256',
    iterations,
    salt: toBase64(crypto.getRandomValues(new Uint8Array(SALT_BYTES))),
  };
}

/**
 * The raw AES key (base64) for `passphrase` under `kdf`. NFC first: the same characters typed on another
 * keyboard or OS must give the same key.
 */
export async function deriveKeyBytes(passphrase: string, kdf: KdfParams): Promise<string> {
  const material = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(passphrase.normalize('NFC')),
    'PBKDF2',
    false,
    ['deriveBits'],
  );
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: fromBase64(kdf.salt), iterations: kdf.iterations },
    material,
    KEY_BITS,
  );
  return toBase64(new Uint8Array(bits));
}

/** Encrypts `value` (as JSON) under the key, with a fresh random IV: never two ciphertexts under one IV. */
export async function seal(keyB64: string, value: unknown): Promise<Sealed> {
  const key = await importAesKey(keyB64, 'encrypt');
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const ciphertext = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: ADDITIONAL_DATA },
    key,
    new TextEncoder().encode(JSON.stringify(value)),
  );
  return { iv: toBase64(iv), ciphertext: toBase64(new Uint8Array(ciphertext)) };
}

/**
 * Decrypts and parses a sealed value. Never throws: errors from WebCrypto or JSON.parse could quote what they
 * failed on, so callers get only a reason.
 */
export async function open<T = unknown>(keyB64: string, sealed: Sealed): Promise<OpenResult<T>> {
  let key: CryptoKey;
  let iv: Uint8Array<ArrayBuffer>;
  let ciphertext: Uint8Array<ArrayBuffer>;
  try {
    key = await importAesKey(keyB64, 'decrypt');
    iv = fromBase64(sealed.iv);
    ciphertext = fromBase64(sealed.ciphertext);
    if (iv.length !== IV_BYTES) return { ok: false, reason: 'damaged' };
  } catch {
    return { ok: false, reason: 'damaged' };
  }
  let plaintext: ArrayBuffer;
  try {
    plaintext = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv, additionalData: ADDITIONAL_DATA },
      key,
      ciphertext,
    );
  } catch {
    return { ok: false, reason: 'wrong_key' };
  }
  try {
    return { ok: true, value: JSON.parse(new TextDecoder().decode(plaintext)) as T };
  } catch {
    return { ok: false, reason: 'damaged' };
  }
}

/** A shape check for stored KDF parameters: only what this module can derive with, within `limits`. */
export function isKdfParams(value: unknown, limits = KDF_ITERATION_LIMITS): value is KdfParams {
  if (!isRecord(value)) return false;
  return (
    value.name === 'PBKDF2' &&
    value.hash === 'SHA-256' &&
    typeof value.iterations === 'number' &&
    Number.isSafeInteger(value.iterations) &&
    value.iterations >= limits.min &&
    value.iterations <= limits.max &&
    typeof value.salt === 'string' &&
    isBase64(value.salt)
  );
}

export function isSealed(value: unknown): value is Sealed {
  return (
    isRecord(value) &&
    typeof value.iv === 'string' &&
    isBase64(value.iv) &&
    typeof value.ciphertext === 'string' &&
    isBase64(value.ciphertext)
  );
}

async function importAesKey(keyB64: string, use: 'encrypt' | 'decrypt'): Promise<CryptoKey> {
  const raw = fromBase64(keyB64);
  if (raw.length * 8 !== KEY_BITS) throw new Error('The vault key has the wrong length.');
  return crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, [use]);
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  // Chunked: String.fromCharCode(...bytes) overflows the argument limit for large inputs.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function isBase64(text: string): boolean {
  return text.length > 0 && text.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(text);
}
