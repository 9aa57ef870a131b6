/**
 * Reading "Use the token" (verify, last exchange, history) in the page, for both page objects: Playwright and
 * puppeteer serialise these functions into the page, so they use nothing from outside their own bodies.
 */
export const VERIFY_BUTTON = '.verify-token';

export interface ExchangeShown {
  summary: string;
  request: string;
  response: string;
}

export function readExchange(): ExchangeShown {
  const text = (selector: string) => document.querySelector(selector)?.textContent ?? '';
  const parts = [...document.querySelectorAll('.last-exchange .exchange-text')];
  return {
    summary: text('.last-exchange .exchange-summary'),
    request: parts[0]?.textContent ?? '',
    response: parts[1]?.textContent ?? text('.last-exchange .exchange-error'),
  };
}

export interface HistoryShown {
  rotation: string;
  lifetime: string;
  /** One line per row, its cells joined with " | ". */
  rows: string[];
  empty: boolean;
}

export function readHistory(): HistoryShown {
  const text = (selector: string) => document.querySelector(selector)?.textContent ?? '';
  return {
    rotation: text('.history .rotation-summary'),
    lifetime: text('.history .lifetime-summary'),
    rows: [...document.querySelectorAll('.history-table tbody tr')].map((row) =>
      [...row.querySelectorAll('td')].map((cell) => cell.textContent.trim()).join(' | '),
    ),
    empty: text('.history .hint').includes('No refresh or authorization recorded yet'),
  };
}
