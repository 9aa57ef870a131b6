import { scrubSecrets } from './redact';

/**
 * Reading what a Dropbox Sign server said, for the token endpoint's answers (token-response.ts) and the
 * account endpoint's (account.ts) alike: its JSON, if any, and its words as they may be shown.
 */

/** Longest server text quoted to the user: enough for any real message, not a whole HTML page. */
const MAX_SERVER_TEXT = 300;

/** Server text as it may be shown: secrets masked, capped. */
export function quoteServerText(text: string, secrets: readonly (string | undefined)[]): string {
  const clean = scrubSecrets(text, secrets);
  return clean.length > MAX_SERVER_TEXT ? `${clean.slice(0, MAX_SERVER_TEXT)}…` : clean;
}

/** The body as JSON, or undefined when it is empty or not JSON. Never throws. */
export function parseJson(text: string): unknown {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value : undefined;
}
