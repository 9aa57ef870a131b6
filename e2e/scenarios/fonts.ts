import { expect } from '@playwright/test';
import { credentialsFor, fillForm, saveAndRefresh, type ScenarioContext } from './core';

/**
 * Chromium injects `body { font-size: 75% }` into extension pages; Firefox does not. The popup sets its own
 * sizes, so both browsers must show the same ones: each browser is held to these fixed values, which makes
 * them equal, and no text anywhere may be smaller than MIN_TEXT_PX.
 */
export const EXPECTED_PX: Record<string, number> = {
  'body text': 14,
  'field label': 13,
  'Save button': 14,
  'empty-state step': 14,
  'Refresh now': 15,
  'copy button': 14,
  'countdown value': 20,
  'expiry details': 12.5,
  'error: what to do': 14,
  'error: title': 15,
  'fix button': 15,
};

export const MIN_TEXT_PX = 12;

/** The elements measured, by name; a name absent from the state being measured is skipped. */
const SELECTORS: Record<string, string> = {
  'body text': 'body',
  'field label': '.field label',
  'Save button': '.form-actions button',
  'empty-state step': '.empty li',
  'Refresh now': '.refresh-row .refresh-now',
  'copy button': '.copy-row button',
  'countdown value': '[role="timer"]',
  'expiry details': '.expiry-meta',
  'error: what to do': '.notice-action',
  'error: title': '.notice-title',
  'fix button': '.notice-fix button',
};

export interface FontReport {
  /** Computed font size in px of each named element present. */
  sizes: Record<string, number>;
  /** Each visible text below the minimum: its element, size and first words. */
  tooSmall: string[];
}

/**
 * In the page (serialised by Playwright and puppeteer alike, so it uses nothing from outside its body):
 * measures the named elements and every visible element that holds text of its own.
 */
export function measureFonts(args: { selectors: Record<string, string>; min: number }): FontReport {
  const px = (el: Element) => parseFloat(getComputedStyle(el).fontSize);
  const sizes: Record<string, number> = {};
  for (const [name, selector] of Object.entries(args.selectors)) {
    const el = document.querySelector(selector);
    if (el) sizes[name] = px(el);
  }
  const tooSmall: string[] = [];
  for (const el of document.querySelectorAll('body *')) {
    const ownText = [...el.childNodes]
      .filter((n) => n.nodeType === Node.TEXT_NODE)
      .map((n) => n.textContent ?? '')
      .join('')
      .trim();
    if (!ownText || el.getClientRects().length === 0) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden') continue;
    if (px(el) < args.min)
      tooSmall.push(`${el.tagName.toLowerCase()}.${el.className} ${px(el)}px "${ownText.slice(0, 30)}"`);
  }
  return { sizes, tooSmall };
}

export type Measure = (args: { selectors: Record<string, string>; min: number }) => Promise<FontReport>;

/**
 * Walks the empty state, a token, and a refresh refused with invalid_grant, and checks the sizes in each.
 * `measure` runs `measureFonts` in the popup with the browser's own driver.
 */
export async function checkFontSizes(
  ctx: ScenarioContext,
  measure: Measure,
): Promise<Record<string, number>> {
  const seen: Record<string, number> = {};
  const check = async (state: string, names: string[]) => {
    const report = await measure({ selectors: SELECTORS, min: MIN_TEXT_PX });
    expect(report.tooSmall, `texts below ${MIN_TEXT_PX}px in the ${state} state`).toEqual([]);
    for (const name of names) {
      expect(report.sizes[name], `${name} in the ${state} state`).toBe(EXPECTED_PX[name]);
      seen[name] = report.sizes[name] ?? 0;
    }
  };

  await check('empty', ['body text', 'empty-state step', 'field label', 'Save button']);
  await saveAndRefresh(ctx);
  await check('token', ['Refresh now', 'copy button', 'countdown value', 'expiry details']);

  // A refresh token the sandbox never issued: refused with invalid_grant, which a retry cannot cure.
  await fillForm(ctx, { ...credentialsFor(ctx.sandbox), refreshToken: 'not-a-token-the-sandbox-issued' });
  await ctx.popup.save();
  await ctx.popup.refresh();
  await expect.poll(() => ctx.popup.failureTitle()).toBe('The refresh token was rejected');
  await check('error', ['error: what to do', 'error: title', 'fix button']);
  return seen;
}
