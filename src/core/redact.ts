/** Keeping secrets out of everything a person or a log can see. */

export const MASK = '••••••••';

/** Replaces every occurrence of each secret (of 4+ characters) in `text` with a mask. */
export function scrubSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    result = result.split(secret).join(MASK);
  }
  return result;
}

/** A short hint that tells two tokens apart without revealing them: `MDZh…NW=` style. */
export function fingerprint(secret: string): string {
  if (secret.length <= 8) return MASK;
  return `${secret.slice(0, 4)}…${secret.slice(-3)}`;
}
