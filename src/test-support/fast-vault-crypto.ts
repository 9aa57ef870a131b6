import type * as VaultCrypto from '../core/vault-crypto';

/**
 * The vault's cryptography with cheap key derivation, for tests about storage and the worker rather than
 * PBKDF2's cost (vault-crypto.test.ts covers that). Stored vaults are clamped to 600,000+ iterations, so the
 * shape check accepts the fast ones these tests make. Use inside a test file's `vi.mock` factory.
 */
export function fastVaultCrypto(
  real: typeof VaultCrypto,
  iterations: () => number | undefined = () => 1000,
): typeof VaultCrypto {
  return {
    ...real,
    newKdfParams: () => real.newKdfParams(iterations()),
    isKdfParams: (value: unknown) => real.isKdfParams(value, { min: 1000, max: 10_000_000 }),
  };
}
