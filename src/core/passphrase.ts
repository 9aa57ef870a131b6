/**
 * The rules for a vault passphrase and the words for each way a vault operation can fail: one table, so the
 * worker's replies, the popup and the tests say the same thing.
 */

export const MIN_PASSPHRASE_LENGTH = 8;
/** Far beyond any typed passphrase; only stops a pasted document from being taken for one. */
export const MAX_PASSPHRASE_LENGTH = 1024;

export type VaultFailureKind =
  | 'wrong_passphrase'
  | 'too_short'
  | 'too_long'
  | 'current_required' // a passphrase is set: changing it needs the current one
  | 'not_enabled'
  | 'read_only' // stored data from a newer version: nothing may be written
  | 'damaged'; // the passphrase opened the vault, but what it held could not be read

export type VaultReply = { ok: true } | { ok: false; kind: VaultFailureKind; message: string };

const WORDS: Record<VaultFailureKind, string> = {
  wrong_passphrase: 'That passphrase is not right. Nothing was changed.',
  too_short: `A passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters.`,
  too_long: `A passphrase can have at most ${MAX_PASSPHRASE_LENGTH.toLocaleString('en-US')} characters.`,
  current_required: 'A passphrase is already set. Enter the current one to change it.',
  not_enabled: 'No passphrase is set. Nothing was changed.',
  read_only:
    'Nothing was changed: your saved data is from a newer version of this extension. Update it first.',
  damaged: 'The encrypted secrets could not be read, though the passphrase matched. Nothing was changed.',
};

export function vaultFailure(kind: VaultFailureKind): VaultReply {
  return { ok: false, kind, message: WORDS[kind] };
}

/** Counted in characters as a person sees them (code points after NFC), not UTF-16 units. */
export function passphraseLength(passphrase: string): number {
  return [...passphrase.normalize('NFC')].length;
}

/** Why a new passphrase cannot be used, or undefined when it can. */
export function newPassphraseProblem(passphrase: string): VaultFailureKind | undefined {
  const length = passphraseLength(passphrase);
  if (length < MIN_PASSPHRASE_LENGTH) return 'too_short';
  if (length > MAX_PASSPHRASE_LENGTH) return 'too_long';
  return undefined;
}

export function vaultFailureWords(kind: VaultFailureKind): string {
  return WORDS[kind];
}
