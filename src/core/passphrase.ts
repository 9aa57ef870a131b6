/**
 * The rules for a vault passphrase and the words for each way a vault operation can fail: one table, so the
 * worker's replies, the popup and the tests say the same thing.
 */

/**
 * Anyone who copies the browser profile can try passphrases offline, as fast as their hardware allows; each
 * guess costs one PBKDF2 run, and length is what makes the number of guesses too large to finish.
 */
export const MIN_PASSPHRASE_LENGTH = 12;
/** Far beyond any typed passphrase; only stops a pasted document from being taken for one. */
export const MAX_PASSPHRASE_LENGTH = 1024;

export type VaultFailureKind =
  | 'wrong_passphrase'
  | 'too_short'
  | 'too_long'
  | 'current_required' // a passphrase is set: changing it needs the current one
  | 'not_enabled'
  | 'locked' // the change needs the secrets open: unlock first
  | 'read_only' // stored data from a newer version: nothing may be written
  | 'damaged'; // the passphrase opened the vault, but what it held could not be read

export type VaultReply = { ok: true } | { ok: false; kind: VaultFailureKind; message: string };

const WORDS: Record<VaultFailureKind, string> = {
  wrong_passphrase: 'That passphrase is not right. Nothing was changed.',
  too_short: `A passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters.`,
  too_long: `A passphrase can have at most ${MAX_PASSPHRASE_LENGTH.toLocaleString('en-US')} characters.`,
  current_required: 'A passphrase is already set. Enter the current one to change it.',
  not_enabled: 'No passphrase is set. Nothing was changed.',
  locked: 'The secrets are locked. Unlock them first; nothing was changed.',
  read_only:
    'Nothing was changed: your saved data is from a newer version of this extension. Update it first.',
  damaged: 'The encrypted secrets could not be read, though the passphrase matched. Nothing was changed.',
};

export function vaultFailure(kind: VaultFailureKind): VaultReply {
  return { ok: false, kind, message: WORDS[kind] };
}

const GRAPHEMES = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * Counted in characters as a person sees them (grapheme clusters after NFC), not UTF-16 units or code points:
 * an emoji built of five code points is one symbol to a person, and adds about one symbol's worth to guess.
 */
export function passphraseLength(passphrase: string): number {
  return Array.from(GRAPHEMES.segment(passphrase.normalize('NFC'))).length;
}

/** Why a new passphrase cannot be used, or undefined when it can. */
export function newPassphraseProblem(passphrase: string): VaultFailureKind | undefined {
  const length = passphraseLength(passphrase);
  if (length < MIN_PASSPHRASE_LENGTH) return 'too_short';
  if (length > MAX_PASSPHRASE_LENGTH) return 'too_long';
  return undefined;
}

/** Shown under every field where a new passphrase is chosen, so the rule comes with its reason. */
export const PASSPHRASE_LENGTH_HINT =
  `At least ${MIN_PASSPHRASE_LENGTH} characters. Anyone who copies this browser profile can try passphrases ` +
  'offline, without limit; length is what makes that too slow to succeed.';

export function vaultFailureWords(kind: VaultFailureKind): string {
  return WORDS[kind];
}
