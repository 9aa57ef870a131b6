import { describe, expect, it } from 'vitest';
import {
  MAX_PASSPHRASE_LENGTH,
  newPassphraseProblem,
  PASSPHRASE_LENGTH_HINT,
  passphraseLength,
  vaultFailure,
  type VaultFailureKind,
} from './passphrase';

describe('newPassphraseProblem', () => {
  it('refuses fewer than 12 characters and accepts 12', () => {
    expect(newPassphraseProblem('')).toBe('too_short');
    expect(newPassphraseProblem('12345678')).toBe('too_short');
    expect(newPassphraseProblem('12345678901')).toBe('too_short');
    expect(newPassphraseProblem('123456789012')).toBeUndefined();
  });

  it('counts characters as a person sees them, not UTF-16 units', () => {
    expect(passphraseLength('🔐🔐🔐🔐')).toBe(4);
    // Twelve UTF-16 units, six characters: still too short.
    expect(newPassphraseProblem('🔐'.repeat(6))).toBe('too_short');
    expect(newPassphraseProblem('🔐'.repeat(12))).toBeUndefined();
    expect(passphraseLength('cafe\u0301')).toBe(4);
    // One family emoji: five code points joined, one symbol.
    expect(passphraseLength('\u{1F468}\u200D\u{1F469}\u200D\u{1F467}')).toBe(1);
  });

  it('refuses something far too long to be a typed passphrase', () => {
    expect(newPassphraseProblem('x'.repeat(MAX_PASSPHRASE_LENGTH))).toBeUndefined();
    expect(newPassphraseProblem('x'.repeat(MAX_PASSPHRASE_LENGTH + 1))).toBe('too_long');
  });
});

describe('the words about passphrase length', () => {
  it('give the minimum and the reason: offline guessing, slowed by length', () => {
    expect(vaultFailure('too_short')).toMatchObject({
      message: 'A passphrase needs at least 12 characters.',
    });
    expect(PASSPHRASE_LENGTH_HINT).toMatch(/^At least 12 characters\./);
    expect(PASSPHRASE_LENGTH_HINT).toContain('offline');
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
