/** Keeping secrets out of everything a person or a log can see. */

export const MASK = '••••••••';

/** Replaces every occurrence of each secret (of 4+ characters) in `text` with a mask. */
export function scrubSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text;
  // Longest first: masking a shorter secret inside a longer one first would leave the longer one's tail visible.
  const ordered = secrets
    .filter((s): s is string => !!s && s.length >= 4)
    .sort((a, b) => b.length - a.length);
  for (const secret of ordered) result = result.split(secret).join(MASK);
  return result;
}

/** A short hint that tells two tokens apart without revealing them: `MDZh…NW=` style. */
export function fingerprint(secret: string): string {
  if (secret.length <= 8) return MASK;
  return `${secret.slice(0, 4)}…${secret.slice(-3)}`;
}
