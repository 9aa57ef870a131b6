import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from 'puppeteer-core';
import type { CodeOptions, CredentialField, Credentials, PopupPage } from './popup';
import { buttonSettled, REFRESH_BUTTON, refreshFinished, refreshIdle, watchRefresh } from './refresh-watch';
import {
  readExchange,
  readHistory,
  VERIFY_BUTTON,
  type ExchangeShown,
  type HistoryShown,
} from './use-token-dom';

export const SCREENSHOT_DIR = path.resolve('artifacts/screenshots');

/** A name for puppeteer's ARIA selector: quotes escaped, matched against the accessible name exactly. */
function aria(name: string, role?: string): string {
  const quoted = JSON.stringify(name);
  return `::-p-aria([name=${quoted}]${role ? `[role="${role}"]` : ''})`;
}

/**
 * The popup page object over puppeteer (Firefox, WebDriver BiDi), mirroring playwright-popup.ts. Buttons and
 * the access token are found by role and accessible name (puppeteer's ARIA selectors), inputs by their label:
 * as a person finds them. Locators wait for their element as Playwright's do.
 */
export class PuppeteerPopup implements PopupPage {
  constructor(
    readonly page: Page,
    private readonly url: string,
  ) {}

  async open(): Promise<void> {
    // Leave the popup through about:blank, a navigation puppeteer sees to its end. Going from one
    // moz-extension:// document straight to the next leaves puppeteer's isolated world (where locators wait
    // for ARIA selectors) on the old document, and the first locator afterwards hangs.
    await this.page.goto('about:blank');
    // Firefox never reports the end of a navigation to a moz-extension:// page over BiDi: don't await it.
    this.page.goto(this.url).catch(() => undefined);
    await this.page.waitForFunction(
      () =>
        location.protocol === 'moz-extension:' &&
        document.readyState === 'complete' &&
        !!document.querySelector('main') &&
        !document.querySelector('main')?.textContent.includes('Loading…'),
      { polling: 100, timeout: 10_000 },
    );
  }

  /**
   * An input by the text of its <label>, as Playwright's getByLabel finds it. Not by ARIA: a password input
   * has no role to ask for, and each of Firefox's accessibility queries costs a few hundred milliseconds.
   */
  private field(label: string): Locator<Element> {
    const xpath = `//input[@id = //label[normalize-space(.) = ${JSON.stringify(label)}]/@for]`;
    return this.page.locator(`::-p-xpath(${JSON.stringify(xpath)})`);
  }

  private button(name: string): Locator<Element> {
    return this.page.locator(aria(name, 'button'));
  }

  async fill(field: CredentialField | 'OAuth host', value: string): Promise<void> {
    if (field === 'OAuth host') await this.openAdvanced();
    await this.openCredentials();
    // Set at once, as Playwright's fill does, rather than typed key by key (slow over BiDi for long secrets).
    await this.field(field).fill(value, { typingThreshold: 0 });
  }

  async fillCredentials(credentials: Credentials): Promise<void> {
    await this.fill('Client ID', credentials.clientId);
    await this.fill('Client secret', credentials.clientSecret);
    await this.fill('Refresh token', credentials.refreshToken);
  }

  async save(): Promise<string> {
    await this.openCredentials();
    const before = await this.textOf('.form-status');
    await this.button('Save').click();
    return this.waitForNewText('.form-status', before);
  }

  async fieldValue(field: CredentialField): Promise<string> {
    await this.openCredentials();
    return this.field(field)
      .map((el) => (el as HTMLInputElement).value)
      .wait();
  }

  async refresh(): Promise<void> {
    // Idle first, so the click is taken (a busy button ignores it); then watch the busy state come and go.
    await this.page.waitForFunction(refreshIdle, { polling: 50, timeout: 15_000 }, REFRESH_BUTTON);
    await this.page.evaluate(watchRefresh, REFRESH_BUTTON);
    await this.button('Refresh now').click();
    // The worker gives up on the token endpoint after 15 s: a refresh always ends well within this.
    await this.page.waitForFunction(refreshFinished, { polling: 50, timeout: 25_000 }, REFRESH_BUTTON);
  }

  async clickRefresh(times: number): Promise<void> {
    // Clicks as fast as the page takes them; a disabled button swallows them, as it does for a person.
    await this.page.$eval(
      '.refresh-row .refresh-now',
      (el, n) => {
        for (let i = 0; i < n; i += 1) (el as HTMLElement).click();
      },
      times,
    );
  }

  async refreshButtonLabel(): Promise<string> {
    return this.page.$eval('.refresh-row .refresh-now', (el) => el.textContent);
  }

  private accessToken(): Locator<Element> {
    return this.page.locator(aria('Access token', 'textbox'));
  }

  async accessTokenShown(): Promise<string> {
    return this.accessToken()
      .map((el) => el.textContent)
      .wait();
  }

  async revealAccessToken(): Promise<string> {
    const show = await this.page.$(aria('Show access token', 'button'));
    if (show) await show.click();
    await show?.dispose();
    return this.accessTokenShown();
  }

  async hasAccessToken(): Promise<boolean> {
    return (await this.page.$$('[role="textbox"][aria-label="Access token"]')).length > 0;
  }

  async countdown(): Promise<string> {
    return this.page.$eval('[role="timer"]', (el) => el.textContent);
  }

  async alertText(): Promise<string> {
    return this.page.evaluate(() => document.querySelector('[role="alert"]')?.textContent ?? '');
  }

  async failureTitle(): Promise<string> {
    return this.page.evaluate(
      () => document.querySelector('[role="alert"] .notice-title')?.textContent ?? '',
    );
  }

  async copyAccessToken(): Promise<string> {
    return this.copy('Copy access token');
  }

  async refreshAndCopy(): Promise<string> {
    const before = await this.textOf('.refresh-copy-status');
    await this.button('Refresh and copy').click();
    return this.waitForNewText('.refresh-copy-status', before);
  }

  async copyAsHeader(): Promise<string> {
    return this.copy('Copy as header');
  }

  private async copy(name: string): Promise<string> {
    const before = await this.textOf('.copy-status');
    await this.button(name).click();
    return this.waitForNewText('.copy-status', before);
  }

  async clipboardText(): Promise<string> {
    return this.page.evaluate(() => navigator.clipboard.readText());
  }

  async screenshot(name: string): Promise<string> {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    const file = path.join(SCREENSHOT_DIR, `${name}.png`);
    await this.page.screenshot({ path: file, fullPage: true });
    return file;
  }

  async setPassphrase(passphrase: string, confirm = passphrase): Promise<string> {
    await this.openSecurity();
    await this.field('New passphrase').fill(passphrase, { typingThreshold: 0 });
    await this.field('Confirm passphrase').fill(confirm, { typingThreshold: 0 });
    await this.button('Set passphrase').click();
    return this.vaultOutcome();
  }

  async lock(): Promise<void> {
    await this.openSecurity();
    await this.button('Lock now').click();
    await this.page.waitForFunction(() => !!document.querySelector('#lock-heading'), {
      polling: 50,
      timeout: 8_000,
    });
  }

  async isLocked(): Promise<boolean> {
    return this.page.evaluate(() => !!document.querySelector('#lock-heading'));
  }

  async unlock(passphrase: string): Promise<string> {
    await this.field('Passphrase').fill(passphrase, { typingThreshold: 0 });
    await this.button('Unlock').click();
    // Unlocked: the lock panel goes once the popup has reloaded; refused: its field shows the error.
    const handle = await this.page.waitForFunction(
      () => {
        const panel = document.querySelector('.lock-panel');
        if (!panel) return { text: '' };
        const alert = panel.querySelector('[role="alert"]');
        return alert && !panel.querySelector('[aria-busy="true"]') ? { text: alert.textContent } : false;
      },
      { polling: 50, timeout: 15_000 },
    );
    const { text } = (await handle.jsonValue()) as { text: string };
    await handle.dispose();
    return text;
  }

  async removePassphrase(currentPassphrase: string): Promise<string> {
    await this.openSecurity();
    const summary = this.page.locator(
      `::-p-xpath(${JSON.stringify('//details[contains(@class, "vault-panel")]/summary[normalize-space(.) = "Remove passphrase"]')})`,
    );
    const open = await summary.map((el) => (el.parentElement as HTMLDetailsElement).open).wait();
    if (!open) await summary.click();
    await this.field('Current passphrase').fill(currentPassphrase, { typingThreshold: 0 });
    // By the form's name, not ARIA: the panel's <summary> reads "Remove passphrase" as well.
    await this.page.locator('form[aria-label="Remove passphrase"] button[type="submit"]').click();
    return this.vaultOutcome();
  }

  /**
   * The outcome of a passphrase form under Security: the status line, or the error a field shows (role
   * alert), once no button is busy any more. Submitting clears both, in the same render that marks it busy.
   */
  private async vaultOutcome(): Promise<string> {
    const handle = await this.page.waitForFunction(
      () => {
        const section = document.querySelector('.security-section');
        if (!section || section.querySelector('[aria-busy="true"]')) return false;
        const status = section.querySelector('.security-status')?.textContent ?? '';
        if (/\S/.test(status)) return status;
        return section.querySelector('[role="alert"]')?.textContent || false;
      },
      { polling: 50, timeout: 15_000 },
    );
    const text = (await handle.jsonValue()) as string;
    await handle.dispose();
    return text;
  }

  private async openSecurity(): Promise<void> {
    await this.openDetails('details.security-details');
  }

  private textOf(selector: string): Promise<string> {
    return this.page.evaluate((sel) => document.querySelector(sel)?.textContent ?? '', selector);
  }

  /**
   * Waits for the status line to show an outcome: non-blank text other than what it showed before the click
   * (or, should the new outcome read the same as the old one, that text once the wait runs out).
   */
  private async waitForNewText(selector: string, before: string): Promise<string> {
    const handle = await this.page
      .waitForFunction(
        (sel, old) => {
          const text = document.querySelector(sel)?.textContent ?? '';
          return /\S/.test(text) && text !== old ? text : false;
        },
        { polling: 50, timeout: 8_000 },
        selector,
        before,
      )
      .catch(() => undefined);
    if (!handle) return before;
    const text = (await handle.jsonValue()) as string;
    await handle.dispose();
    return text;
  }

  private async openDetails(selector: string): Promise<void> {
    const open = await this.page.$eval(selector, (el) => (el as HTMLDetailsElement).open);
    if (!open) await this.page.locator(`${selector} > summary`).click();
  }

  private async openCredentials(): Promise<void> {
    await this.openDetails('details.credentials-details');
  }

  private async openAdvanced(): Promise<void> {
    await this.openCredentials();
    await this.openDetails('details.advanced');
  }

  async profileNames(): Promise<string[]> {
    return this.page.evaluate(() =>
      [...document.querySelectorAll('#profile-select option')].map((o) => o.textContent),
    );
  }

  async activeProfileName(): Promise<string> {
    return this.page.evaluate(
      () =>
        document.querySelector<HTMLSelectElement>('#profile-select')?.selectedOptions[0]?.textContent ?? '',
    );
  }

  async switchProfile(name: string): Promise<void> {
    await this.page.locator('#profile-select').wait();
    const value = await this.page.evaluate(
      (label) =>
        [...document.querySelectorAll<HTMLOptionElement>('#profile-select option')].find(
          (o) => o.textContent === label,
        )?.value,
      name,
    );
    if (value === undefined) throw new Error(`no profile named ${JSON.stringify(name)} in the switcher`);
    await this.page.select('#profile-select', value);
  }

  async profileAction(action: 'New profile' | 'Duplicate profile' | 'Delete profile'): Promise<void> {
    await this.button(action).click();
  }

  async undoDelete(): Promise<void> {
    await this.button('Undo').click();
  }

  async renameProfile(name: string): Promise<void> {
    await this.button('Rename profile').click();
    await this.field('Profile name').fill(name, { typingThreshold: 0 });
    await this.page.keyboard.press('Enter');
  }

  async setAutoRefresh(on: boolean, leadMinutes?: number): Promise<void> {
    if (leadMinutes !== undefined) {
      const lead = this.field('Minutes before expiry');
      await lead.fill(String(leadMinutes), { typingThreshold: 0 });
      await this.page.keyboard.press('Enter');
    }
    const box = this.field('Refresh automatically');
    const checked = await box.map((el) => (el as HTMLInputElement).checked).wait();
    if (checked !== on) await box.click();
    await this.page.waitForFunction(
      (wanted) =>
        wanted ? !!document.querySelector('.auto-status') : !!document.querySelector('.auto-refresh .hint'),
      { polling: 50, timeout: 8_000 },
      on,
    );
  }

  async autoRefreshStatus(): Promise<string> {
    return this.page.evaluate(() => document.querySelector('.auto-status')?.textContent ?? '');
  }

  async badge(): Promise<{ text: string; title: string }> {
    return this.page.evaluate(async () => ({
      text: await browser.action.getBadgeText({}),
      title: await browser.action.getTitle({}),
    }));
  }

  async autoRefreshAlarms(): Promise<string[]> {
    return this.page.evaluate(async () =>
      (await browser.alarms.getAll()).map((a) => a.name).filter((n) => n.startsWith('auto-refresh:')),
    );
  }

  async openUseToken(): Promise<void> {
    await this.openDetails('details.use-token-details');
    await this.page.waitForSelector('.use-token-body', { timeout: 15_000 });
  }

  async verifyToken(): Promise<string> {
    await this.openUseToken();
    await this.page.evaluate(watchRefresh, VERIFY_BUTTON);
    await this.page.locator(VERIFY_BUTTON).click();
    // The worker gives up on the API after 15 s: a verify always ends well within this.
    await this.page.waitForFunction(buttonSettled, { polling: 50, timeout: 25_000 }, VERIFY_BUTTON);
    return this.textOf('.verify-result');
  }

  async lastExchange(kind?: 'refresh' | 'exchange' | 'verify'): Promise<ExchangeShown> {
    await this.openUseToken();
    await this.page.waitForSelector('.last-exchange .exchange-summary', { timeout: 15_000 });
    // The select is there only when there is more than one kind to choose from.
    if (kind && (await this.page.$('.last-exchange select.exchange-kind'))) {
      await this.page.select('.last-exchange select.exchange-kind', kind);
    }
    return this.page.evaluate(readExchange);
  }

  async toggleExchangeSecrets(): Promise<void> {
    await this.page.locator('.last-exchange .section-head button').click();
  }

  async copyCode(options: CodeOptions): Promise<string> {
    await this.openUseToken();
    await this.page.waitForSelector('select.code-language option', { timeout: 15_000 });
    await this.page.select('select.code-language', options.language);
    await this.page.select('select.code-call', options.call);
    const formEnabled = await this.page.$eval('select.code-form', (el) => !el.disabled);
    if (options.form && formEnabled) await this.page.select('select.code-form', options.form);
    const checked = await this.page.$eval('.code-include-secrets', (el) => (el as HTMLInputElement).checked);
    if (checked !== (options.includeSecrets ?? false))
      await this.page.locator('.code-include-secrets').click();
    const before = await this.textOf('.copy-code .inline-status');
    await this.page.locator('.copy-code-button').click();
    return this.waitForNewText('.copy-code .inline-status', before);
  }

  async history(): Promise<HistoryShown> {
    await this.openUseToken();
    await this.page.waitForFunction(
      () =>
        !!document.querySelector('.history .rotation-summary') ||
        (document.querySelector('.history .hint')?.textContent ?? '').includes('No refresh'),
      { polling: 50, timeout: 15_000 },
    );
    return this.page.evaluate(readHistory);
  }

  async clearHistory(): Promise<void> {
    await this.page.locator('.clear-history').click();
    await this.page.waitForFunction(
      () =>
        (document.querySelector('.history [role="status"]')?.textContent ?? '').includes('History cleared.'),
      { polling: 50, timeout: 15_000 },
    );
  }
}
