import { newPassphraseProblem, vaultFailureWords } from '../core/passphrase';

export interface NewPassphraseErrors {
  next?: string;
  confirm?: string;
}

/** The checks a person can be told before anything is sent: the same length rule the worker applies. */
export function checkNewPassphrase(next: string, confirm: string): NewPassphraseErrors {
  const problem = newPassphraseProblem(next);
  if (problem) return { next: vaultFailureWords(problem) };
  if (next !== confirm) return { confirm: 'The two passphrases do not match.' };
  return {};
}
