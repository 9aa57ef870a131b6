import browser from 'webextension-polyfill';

/**
 * The authorization window (`identity.launchWebAuthFlow`) and the callback URL it ends on. The only code
 * that calls the `identity` API.
 */

/**
 * Where Dropbox Sign must send the user back for the window flow to end: `https://<id>.chromiumapp.org/` in
 * Chrome, `https://<hash>.extensions.allizom.org/` in Firefox (stable there because the add-on id is fixed).
 */
export function callbackUrl(): string {
  return browser.identity.getRedirectURL();
}

/** The flow ended without a callback URL: the window was closed, or the browser refused to start it. */
export class AuthFlowError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'AuthFlowError';
  }
}

/**
 * Opens `url` in the browser's authorization window and resolves with the callback URL it ended on. Rejects
 * with `AuthFlowError` when the user closes the window (or the page never comes back to the callback URL).
 */
export async function runAuthFlow(url: string): Promise<string> {
  try {
    const ended = await browser.identity.launchWebAuthFlow({ url, interactive: true });
    if (typeof ended !== 'string' || !ended) throw new AuthFlowError('no callback URL');
    return ended;
  } catch (error) {
    if (error instanceof AuthFlowError) throw error;
    throw new AuthFlowError(error instanceof Error ? error.message : String(error));
  }
}
