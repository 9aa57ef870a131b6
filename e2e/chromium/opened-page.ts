import type { BrowserContext, Page } from '@playwright/test';

/**
 * The page an action opens, once it has reached `url`. It waits for any new page before the action, then for
 * that page's address: at Playwright's page event a new tab or window may still be about:blank, and a
 * predicate on its URL then misses it for good (this failed a clean-clone CI run twice in a row).
 */
export async function pageOpenedBy(
  context: BrowserContext,
  action: () => Promise<void>,
  url: RegExp,
): Promise<Page> {
  const opened = context.waitForEvent('page');
  await action();
  const page = await opened;
  await page.waitForURL(url);
  return page;
}
