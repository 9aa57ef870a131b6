/**
 * "Refresh now" has finished: the button went busy after the click and is idle again. Checked in the page by
 * both page objects (Playwright and puppeteer serialise these functions into it, so they use nothing from
 * outside their own bodies).
 *
 * The button never gets `disabled` while busy (it keeps focus with `aria-disabled` and `aria-busy`), so
 * `:enabled` is always true and says nothing; and reading the label right after the click can see the old
 * "Refresh now" before the page has re-rendered. A MutationObserver armed before the click records the busy
 * state however short it was, so the wait neither passes early nor misses a fast refresh.
 */
export const REFRESH_BUTTON = '.refresh-row .refresh-now';

interface RefreshWatch {
  seenBusy: boolean;
  observer: MutationObserver;
}

/** In the page: the button is there and idle (not busy, not aria-disabled), so a click is taken. */
export function refreshIdle(selector: string): boolean {
  const button = document.querySelector(selector);
  return (
    !!button &&
    button.getAttribute('aria-busy') !== 'true' &&
    button.getAttribute('aria-disabled') !== 'true' &&
    !(button as HTMLButtonElement).disabled
  );
}

/** In the page: starts recording whether the refresh button goes busy (call it right before the click). */
export function watchRefresh(selector: string): void {
  const host = window as unknown as { refreshWatch?: RefreshWatch };
  host.refreshWatch?.observer.disconnect();
  // No named inner function here: tsx (the try script) wraps those in a `__name()` helper the page lacks.
  const watch: RefreshWatch = {
    seenBusy: false,
    observer: new MutationObserver((records) => {
      if (watch.seenBusy) return;
      // Busy now, or busy at some point since the last callback (an aria-busy change whose old value was
      // "true"): either way the click was taken and the refresh ran.
      watch.seenBusy =
        document.querySelector(selector)?.getAttribute('aria-busy') === 'true' ||
        records.some(
          (r) =>
            r.type === 'attributes' &&
            r.oldValue === 'true' &&
            r.target instanceof Element &&
            r.target.matches(selector),
        );
    }),
  };
  watch.observer.observe(document, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['aria-busy'],
    attributeOldValue: true,
  });
  host.refreshWatch = watch;
}

/** In the page: the watched refresh ran and is over (the button reads "Refresh now" and is idle again). */
export function refreshFinished(selector: string): boolean {
  const host = window as unknown as { refreshWatch?: RefreshWatch };
  const watch = host.refreshWatch;
  if (!watch?.seenBusy) return false;
  const button = document.querySelector(selector);
  const done =
    !!button &&
    button.getAttribute('aria-busy') !== 'true' &&
    button.getAttribute('aria-disabled') !== 'true' &&
    button.textContent.trim() === 'Refresh now';
  if (done) watch.observer.disconnect();
  return done;
}

/**
 * In the page: the button watched with `watchRefresh` went busy after the click and is not busy any more:
 * any busy button's work (Verify token, say), whatever its label says.
 */
export function buttonSettled(selector: string): boolean {
  const host = window as unknown as { refreshWatch?: RefreshWatch };
  const watch = host.refreshWatch;
  if (!watch?.seenBusy) return false;
  const done = document.querySelector(selector)?.getAttribute('aria-busy') !== 'true';
  if (done) watch.observer.disconnect();
  return done;
}
