import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ITERATIONS,
  KDF_ITERATION_LIMITS,
  deriveKeyBytes,
  fromBase64,
  isKdfParams,
  isSealed,
  IV_BYTES,
  newKdfParams,
  open,
  SALT_BYTES,
  seal,
  toBase64,
  type KdfParams,
} from './vault-crypto';

/** Fast parameters for the tests that are not about the iteration count itself. */
const FAST: KdfParams = { ...newKdfParams(1000) };
const SECRETS = {
  profiles: { 'p-1': { clientSecret: 'client-secret-1234', refreshToken: 'refresh-token-5678' } },
  tokens: { 'p-1': { accessToken: 'access-token-9012' } },
};

describe('the key derivation parameters', () => {
  it('default to PBKDF2-SHA256 with at least 600,000 iterations', () => {
    expect(DEFAULT_ITERATIONS).toBeGreaterThanOrEqual(600_000);
    const kdf = newKdfParams();
    expect(kdf).toMatchObject({ name: 'PBKDF2', hash: 'SHA-256', iterations: DEFAULT_ITERATIONS });
    expect(isKdfParams(kdf)).toBe(true);
  });

  it('have a random 16-byte salt, a new one every time', () => {
    const salts = Array.from({ length: 20 }, () => newKdfParams().salt);
    for (const salt of salts) expect(fromBase64(salt)).toHaveLength(SALT_BYTES);
    expect(SALT_BYTES).toBe(16);
    expect(new Set(salts).size).toBe(salts.length);
  });

  it('are refused outside 600,000 to 10,000,000 iterations: anything else is damaged data', () => {
    const at = (iterations: number) => ({ ...newKdfParams(), iterations });
    expect(isKdfParams(at(600_000))).toBe(true);
    expect(isKdfParams(at(10_000_000))).toBe(true);
    expect(isKdfParams(at(599_999))).toBe(false);
    expect(isKdfParams(at(1))).toBe(false);
    expect(isKdfParams(at(10_000_001))).toBe(false);
    expect(isKdfParams(at(Number.MAX_SAFE_INTEGER))).toBe(false);
    expect(KDF_ITERATION_LIMITS).toEqual({ min: 600_000, max: 10_000_000 });
  });

  it('are refused when they are not what this module derives with', () => {
    for (const bad of [
      null,
      'PBKDF2',
      { ...FAST, name: 'scrypt' },
      { ...FAST, hash: 'SHA-1' },
      { ...FAST, iterations: 0 },
      { ...FAST, iterations: 1.5 },
      { ...FAST, iterations: '600000' },
      { ...FAST, salt: '' },
      { ...FAST, salt: 'no base64 here' },
    ]) {
      expect(isKdfParams(bad)).toBe(false);
    }
  });
});

describe('deriveKeyBytes', () => {
  it('gives 32 raw bytes, the same for the same passphrase and parameters', async () => {
    const a = await deriveKeyBytes('correct horse battery', FAST);
    expect(fromBase64(a)).toHaveLength(32);
    expect(await deriveKeyBytes('correct horse battery', FAST)).toBe(a);
  });

  it('gives another key for another passphrase, salt or iteration count', async () => {
    const a = await deriveKeyBytes('correct horse battery', FAST);
    expect(await deriveKeyBytes('correct horse batterY', FAST)).not.toBe(a);
    expect(await deriveKeyBytes('correct horse battery', { ...FAST, salt: newKdfParams().salt })).not.toBe(a);
    expect(await deriveKeyBytes('correct horse battery', { ...FAST, iterations: 1001 })).not.toBe(a);
  });

  it('is PBKDF2-HMAC-SHA256 with the stored parameters (RFC 7914 §11 test vector)', async () => {
    // P = "passwd", S = "salt", c = 1, dkLen = 64: the first 32 bytes of the published output.
    const key = await deriveKeyBytes('passwd', {
      name: 'PBKDF2',
      hash: 'SHA-256',
      iterations: 1,
      salt: toBase64(new TextEncoder().encode('salt')),
    });
    const hex = [...fromBase64(key)].map((b) => b.toString(16).padStart(2, '0')).join('');
    expect(hex).toBe('55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc');
  });

  it('reads the same passphrase typed as composed or decomposed characters as one (NFC)', async () => {
    const composed = 'caf\u00e9 au lait';
    const decomposed = 'cafe\u0301 au lait';
    expect(await deriveKeyBytes(decomposed, FAST)).toBe(await deriveKeyBytes(composed, FAST));
  });
});

describe('seal and open', () => {
  it('round-trips a value', async () => {
    const key = await deriveKeyBytes('correct horse battery', FAST);
    const sealed = await seal(key, SECRETS);
    expect(isSealed(sealed)).toBe(true);
    expect(await open(key, sealed)).toEqual({ ok: true, value: SECRETS });
  });

  it('uses a fresh 12-byte IV for every seal, so sealing the same value twice gives two ciphertexts', async () => {
    const key = await deriveKeyBytes('correct horse battery', FAST);
    const seals = await Promise.all(Array.from({ length: 20 }, () => seal(key, SECRETS)));
    for (const { iv } of seals) expect(fromBase64(iv)).toHaveLength(IV_BYTES);
    expect(IV_BYTES).toBe(12);
    expect(new Set(seals.map((s) => s.iv)).size).toBe(seals.length);
    expect(new Set(seals.map((s) => s.ciphertext)).size).toBe(seals.length);
  });

  it('keeps the plaintext out of the sealed value', async () => {
    const key = await deriveKeyBytes('correct horse battery', FAST);
    const json = JSON.stringify(await seal(key, SECRETS));
    for (const secret of ['client-secret-1234', 'refresh-token-5678', 'access-token-9012']) {
      expect(json).not.toContain(secret);
      expect(json).not.toContain(toBase64(new TextEncoder().encode(secret)).slice(0, 12));
    }
  });

  it('answers wrong_key, without throwing, for a key from another passphrase', async () => {
    const sealed = await seal(await deriveKeyBytes('correct horse battery', FAST), SECRETS);
    const wrong = await deriveKeyBytes('incorrect horse battery', FAST);
    expect(await open(wrong, sealed)).toEqual({ ok: false, reason: 'wrong_key' });
  });

  it('answers wrong_key for a ciphertext, tag or IV changed by one bit', async () => {
    const key = await deriveKeyBytes('correct horse battery', FAST);
    const sealed = await seal(key, SECRETS);
    const flip = (b64: string, index: number) => {
      const bytes = fromBase64(b64);
      bytes[index] = (bytes[index] ?? 0) ^ 1;
      return toBase64(bytes);
    };
    const length = fromBase64(sealed.ciphertext).length;
    for (const index of [0, Math.floor(length / 2), length - 1]) {
      expect(await open(key, { ...sealed, ciphertext: flip(sealed.ciphertext, index) })).toEqual({
        ok: false,
        reason: 'wrong_key',
      });
    }
    expect(await open(key, { ...sealed, iv: flip(sealed.iv, 0) })).toEqual({
      ok: false,
      reason: 'wrong_key',
    });
  });

  it('answers wrong_key for a ciphertext cut short, and damaged for a malformed one', async () => {
    const key = await deriveKeyBytes('correct horse battery', FAST);
    const sealed = await seal(key, SECRETS);
    const short = toBase64(fromBase64(sealed.ciphertext).slice(0, 20));
    expect(await open(key, { ...sealed, ciphertext: short })).toEqual({ ok: false, reason: 'wrong_key' });
    expect(await open(key, { ...sealed, ciphertext: '%%%' })).toEqual({ ok: false, reason: 'damaged' });
    expect(await open(key, { ...sealed, iv: toBase64(new Uint8Array(16)) })).toEqual({
      ok: false,
      reason: 'damaged',
    });
    expect(await open('c2hvcnQ=', sealed)).toEqual({ ok: false, reason: 'damaged' });
  });

  it('does not open a blob sealed by plain AES-GCM without this vault’s additional data', async () => {
    const key = await deriveKeyBytes('correct horse battery', FAST);
    const cryptoKey = await crypto.subtle.importKey('raw', fromBase64(key), 'AES-GCM', false, ['encrypt']);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const ciphertext = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv },
      cryptoKey,
      new TextEncoder().encode(JSON.stringify(SECRETS)),
    );
    const foreign = { iv: toBase64(iv), ciphertext: toBase64(new Uint8Array(ciphertext)) };
    expect(await open(key, foreign)).toEqual({ ok: false, reason: 'wrong_key' });
  });
});

describe('base64', () => {
  it('round-trips every byte value and large inputs', () => {
    const bytes = new Uint8Array(70_000).map((_, i) => i % 256);
    expect(fromBase64(toBase64(bytes))).toEqual(bytes);
    expect(toBase64(new Uint8Array([0xfb, 0xff]))).toBe('+/8=');
  });
});
