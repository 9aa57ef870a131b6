import { describe, expect, it } from 'vitest';
import {
  MAX_PASSPHRASE_LENGTH,
  MIN_PASSPHRASE_LENGTH,
  newPassphraseProblem,
  passphraseLength,
  vaultFailure,
  type VaultFailureKind,
} from './passphrase';

describe('newPassphraseProblem', () => {
  it('wants at least 8 characters', () => {
    expect(MIN_PASSPHRASE_LENGTH).toBe(8);
    expect(newPassphraseProblem('')).toBe('too_short');
    expect(newPassphraseProblem('1234567')).toBe('too_short');
    expect(newPassphraseProblem('12345678')).toBeUndefined();
  });

  it('counts characters as a person sees them, not UTF-16 units', () => {
    expect(passphraseLength('🔐🔐🔐🔐')).toBe(4);
    expect(newPassphraseProblem('🔐🔐🔐🔐')).toBe('too_short');
    expect(passphraseLength('cafe\u0301')).toBe(4);
  });

  it('refuses something far too long to be a typed passphrase', () => {
    expect(newPassphraseProblem('x'.repeat(MAX_PASSPHRASE_LENGTH))).toBeUndefined();
    expect(newPassphraseProblem('x'.repeat(MAX_PASSPHRASE_LENGTH + 1))).toBe('too_long');
  });
});

describe('vaultFailure', () => {
  it('says a wrong passphrase changed nothing', () => {
    expect(vaultFailure('wrong_passphrase')).toEqual({
      ok: false,
      kind: 'wrong_passphrase',
      message: 'That passphrase is not right. Nothing was changed.',
    });
  });

  it.each<VaultFailureKind>([
    'wrong_passphrase',
    'too_short',
    'too_long',
    'current_required',
    'not_enabled',
    'read_only',
    'damaged',
  ])('has plain words for %s', (kind) => {
    const reply = vaultFailure(kind);
    expect(reply.ok).toBe(false);
    expect(reply.ok ? '' : reply.message).toMatch(/^[A-Z].{20,}\.$/);
  });
});
