import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprint, MASK, scrubSecrets } from './redact';

/** Property runs take a few hundred ms alone, but can be slow on a busy machine: never a flaky timeout. */
const PROPERTY_TIMEOUT_MS = 60_000;

describe('scrubSecrets', () => {
  it('replaces every occurrence of a secret with the mask', () => {
    expect(scrubSecrets('a SECRET1 b SECRET1 c', ['SECRET1'])).toBe(`a ${MASK} b ${MASK} c`);
  });

  it('replaces each of several secrets', () => {
    expect(scrubSecrets('client cs-1234, token rt-5678', ['cs-1234', 'rt-5678'])).toBe(
      `client ${MASK}, token ${MASK}`,
    );
  });

  it('leaves text without any secret unchanged', () => {
    expect(scrubSecrets('Invalid Client', ['cs-1234'])).toBe('Invalid Client');
  });

  it('skips undefined, empty and shorter-than-4 secrets, so common short words are not masked', () => {
    expect(scrubSecrets('the abc token', [undefined, '', 'abc', 'the'])).toBe('the abc token');
  });

  it('masks a secret of exactly 4 characters', () => {
    expect(scrubSecrets('x abcd y', ['abcd'])).toBe(`x ${MASK} y`);
  });

  it('masks a longer secret whole even when a shorter secret is part of it (no tail left visible)', () => {
    expect(scrubSecrets('abcdefgh', ['abcd', 'abcdefgh'])).toBe(MASK);
    expect(scrubSecrets('xx abcdefgh yy', ['cdef', 'abcdefgh'])).toBe(`xx ${MASK} yy`);
  });

  it('treats secrets as literal text, not as patterns', () => {
    expect(scrubSecrets('a.b*c+d? and axbxcxd', ['a.b*c+d?'])).toBe(`${MASK} and axbxcxd`);
  });

  it(
    'never leaves a secret in the text, whatever the text and secrets (property)',
    () => {
      // A secret made only of mask characters could never be removed; real secrets never are.
      const secret = fc.string({ minLength: 4, maxLength: 12 }).filter((s) => !s.includes('•'));
      fc.assert(
        fc.property(
          fc.array(fc.oneof(fc.string(), secret), { maxLength: 6 }),
          fc.array(secret, { minLength: 1, maxLength: 3 }),
          (pieces, secrets) => {
            const text = [...pieces, ...secrets, ...pieces].join('');
            const clean = scrubSecrets(text, secrets);
            for (const s of secrets) expect(clean).not.toContain(s);
          },
        ),
        { numRuns: 1000 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

describe('fingerprint', () => {
  it('shows the first 4 and last 3 characters of a long secret', () => {
    expect(fingerprint('MDZhYzBlMGI1YzQ0ZjI1ZjYzYmUyNmMzZWQ5ZGNmOGYyNmQxMmMyMmQ2NmNiY2M3NW=')).toBe(
      'MDZh…NW=',
    );
  });

  it('shows only the mask for secrets of 8 characters or fewer', () => {
    expect(fingerprint('')).toBe(MASK);
    expect(fingerprint('abcd')).toBe(MASK);
    expect(fingerprint('abcdefgh')).toBe(MASK);
  });

  it('shows a hint from 9 characters on', () => {
    expect(fingerprint('abcdefghi')).toBe('abcd…ghi');
  });

  it('tells two different tokens apart', () => {
    expect(fingerprint('hNTI2MTFmM2VmZDQxZTZj-one')).not.toBe(fingerprint('hNTI2MTFmM2VmZDQxZTZj-two'));
  });

  it(
    'never contains a long secret whole (property)',
    () => {
      fc.assert(
        fc.property(fc.string({ minLength: 9, maxLength: 80 }), (secret) => {
          expect(fingerprint(secret)).not.toContain(secret);
        }),
        { numRuns: 300 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
