/**
 * What `npm run bench` runs inside the pages it times. Each function is serialized by Playwright and runs in
 * the page, so it must not use anything from its module scope.
 */

/** What the paint probe leaves in `window.__benchPaint`; times are `performance.now()` of the page. */
export interface PaintMarks {
  /** The countdown is in the document, has text, and has a laid-out, visible box. */
  seen?: number;
  /** The start of the next frame after `seen` (first `requestAnimationFrame`): the frame that paints it. */
  frame?: number;
}

/**
 * Installed with `context.addInitScript`, so it runs in every extension page before any of the page's own
 * code (and, for the static blank page, before the parser adds the element). It watches the document and
 * marks when the countdown is visible: an element with role `timer` whose accessible name (from
 * `aria-labelledby`, else `aria-label`) is "Expires in", with text, a non-empty box and not hidden by
 * display, visibility or opacity. `performance.now()` counts from the navigation's start (the time origin of
 * the new document), so the figure covers the whole load: fetching and running the page's scripts and
 * styles, and, for the popup, its round trip to the worker.
 */
export function installPaintProbe(): void {
  if (location.protocol !== 'chrome-extension:') return;
  const marks: { seen?: number; frame?: number } = {};
  (window as unknown as { __benchPaint: typeof marks }).__benchPaint = marks;
  const nameOf = (el: Element): string => {
    const ids = el.getAttribute('aria-labelledby');
    if (ids) {
      return ids
        .split(/\s+/)
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' ')
        .trim();
    }
    return (el.getAttribute('aria-label') ?? '').trim();
  };
  const visible = (): boolean => {
    for (const el of document.querySelectorAll('[role="timer"]')) {
      if (nameOf(el) !== 'Expires in' || !el.textContent.trim()) continue;
      const box = el.getBoundingClientRect();
      if (
        box.width > 0 &&
        box.height > 0 &&
        el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })
      ) {
        return true;
      }
    }
    return false;
  };
  const check = (): void => {
    if (marks.seen !== undefined || !visible()) return;
    marks.seen = performance.now();
    observer.disconnect();
    requestAnimationFrame(() => {
      marks.frame = performance.now();
    });
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true, characterData: true, attributes: true });
  check();
}

export interface RefreshMarks {
  /** Just before the click was dispatched. */
  clicked: number;
  /** The access token element shows a token other than the one before the click. */
  seen: number;
  /** The start of the next frame after `seen`. */
  frame: number;
  /** The token shown (checked against the sandbox's last issued token by the caller). */
  shown: string;
}

/**
 * Run with `locator.evaluate` on the "Refresh now" button of a popup whose token is revealed: clicks it and
 * resolves when the revealed access token (role textbox, name "Access token") shows a different token.
 */
export function clickAndWaitForNewToken(button: Element, timeoutMs: number): Promise<RefreshMarks | string> {
  const tokenText = (): string => {
    for (const el of document.querySelectorAll('[role="textbox"][aria-label="Access token"]')) {
      return el.textContent.trim();
    }
    return '';
  };
  const before = tokenText();
  return new Promise((resolve) => {
    let seen: number | undefined;
    const timer = setTimeout(() => {
      observer.disconnect();
      resolve(`no new token on screen after ${timeoutMs} ms (still "${before.slice(0, 6)}…")`);
    }, timeoutMs);
    const observer = new MutationObserver(() => {
      const now = tokenText();
      if (seen !== undefined || !now || now === before || now.includes('•')) return;
      seen = performance.now();
      const at = seen;
      observer.disconnect();
      clearTimeout(timer);
      requestAnimationFrame(() => {
        resolve({ clicked, seen: at, frame: performance.now(), shown: now });
      });
    });
    observer.observe(document, { childList: true, subtree: true, characterData: true });
    const clicked = performance.now();
    (button as HTMLElement).click();
  });
}

export interface FetchRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * The bare request a refresh makes, from the page, to the same point as the figure it is the floor of: the
 * worker's URL, headers, body and fetch options, the body read as text and parsed, as the worker does, the
 * access token written into the page, and the first frame after that (the figure, too, ends at a frame).
 * Resolves with the time to that frame, the time of the fetch and parse alone, and the status.
 */
export async function bareFetch(
  request: FetchRequest,
): Promise<{ ms: number; fetchMs: number; status: number; ok: boolean }> {
  const start = performance.now();
  const response = await fetch(request.url, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
    redirect: 'manual',
    credentials: 'omit',
    cache: 'no-store',
  });
  const parsed = JSON.parse(await response.text()) as { access_token?: unknown };
  const fetchMs = performance.now() - start;
  const shown = document.createElement('p');
  shown.textContent = typeof parsed.access_token === 'string' ? parsed.access_token : '';
  document.body.append(shown);
  const ms = await new Promise<number>((resolve) =>
    requestAnimationFrame(() => {
      resolve(performance.now() - start);
    }),
  );
  shown.remove();
  return { ms, fetchMs, status: response.status, ok: typeof parsed.access_token === 'string' };
}

/**
 * The init script for `context.addInitScript`: the paint probe, and a `__name` helper. tsx compiles this file
 * with esbuild's `keepNames`, which wraps named inner functions of the page functions here in `__name(…)`;
 * defining it (as the identity) in every page lets Playwright run them there unchanged.
 */
export function initScript(): string {
  return `globalThis.__name ??= (f) => f;\n(${installPaintProbe.toString()})();\n`;
}
