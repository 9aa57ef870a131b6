import type { RecordedRequest, Sandbox } from '../sandbox/server';

/**
 * What the Chromium and Firefox API tab specs share: the pages and requests of their §2 cases (issue 14),
 * each browser driving its own page objects.
 */

/**
 * A cross-site page: a real HTML page served once by another recording server, through its account route's
 * fault queue; `origin` is where the browser reaches that server (another site than the API host).
 */
export function crossSitePage(other: Sandbox, html: string, origin = other.url): string {
  other.injectAccountFault({
    kind: 'status',
    status: 200,
    contentType: 'text/html; charset=utf-8',
    body: `<!DOCTYPE html><html><head><title>Elsewhere</title></head><body>${html}</body></html>`,
  });
  return `${origin}/v3/account`;
}

/** The request to the sandbox (the API host) whose query is `?case=<name>` (and `method`), once it has arrived. */
export function caseRequest(sandbox: Sandbox, name: string, method = 'GET'): Promise<RecordedRequest> {
  return sandbox.nextRequest((r) => r.search === `?case=${name}` && r.method === method);
}

/**
 * Run in a page: a credentialed `fetch` of `url`, and what came of it. Sent either way; without
 * Allow-Credentials its answer is not readable, which is said rather than thrown.
 */
export async function credentialedFetch(url: string): Promise<string> {
  try {
    const response = await fetch(url, { credentials: 'include' });
    return `status ${response.status}`;
  } catch {
    return 'blocked by CORS';
  }
}
