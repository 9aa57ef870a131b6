import type { Page } from '@playwright/test';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
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

export class PlaywrightPopup implements PopupPage {
  constructor(
    readonly page: Page,
    private readonly url: string,
  ) {}

  async open(): Promise<void> {
    await this.page.goto(this.url);
    await this.page.locator('main').waitFor();
    await this.page.getByText('Loading…').waitFor({ state: 'detached' });
  }

  private field(label: string) {
    return this.page.getByLabel(label, { exact: true });
  }

  async fill(field: CredentialField | 'OAuth host', value: string): Promise<void> {
    if (field === 'OAuth host') await this.openAdvanced();
    await this.openCredentials();
    await this.field(field).fill(value);
  }

  async fillCredentials(credentials: Credentials): Promise<void> {
    await this.fill('Client ID', credentials.clientId);
    await this.fill('Client secret', credentials.clientSecret);
    await this.fill('Refresh token', credentials.refreshToken);
  }

  /**
   * First run only: ticks "Encrypt the secrets with a passphrase" in the credentials form and fills the new
   * passphrase twice, so the next save seals the secrets before anything is written.
   */
  async choosePassphraseForFirstSave(passphrase: string, confirm = passphrase): Promise<void> {
    await this.openCredentials();
    await this.page.getByRole('checkbox', { name: 'Encrypt the secrets with a passphrase' }).check();
    await this.field('New passphrase').fill(passphrase);
    await this.field('Confirm passphrase').fill(confirm);
  }

  async save(): Promise<string> {
    await this.openCredentials();
    const status = this.page.locator('.form-status');
    await this.page.getByRole('button', { name: 'Save', exact: true }).click();
    await status.filter({ hasText: /\S/ }).waitFor();
    return (await status.textContent()) ?? '';
  }

  async fieldValue(field: CredentialField): Promise<string> {
    await this.openCredentials();
    return this.field(field).inputValue();
  }

  async refresh(): Promise<void> {
    // Idle first, so the click is taken (a busy button ignores it); then watch the busy state come and go.
    await this.page.waitForFunction(refreshIdle, REFRESH_BUTTON, { polling: 50 });
    await this.page.evaluate(watchRefresh, REFRESH_BUTTON);
    await this.page.getByRole('button', { name: 'Refresh now' }).click();
    // The worker gives up on the token endpoint after 15 s: a refresh always ends well within this.
    await this.page.waitForFunction(refreshFinished, REFRESH_BUTTON, { polling: 50, timeout: 25_000 });
  }

  async clickRefresh(times: number): Promise<void> {
    const button = this.page.locator('.refresh-row .refresh-now');
    // Clicks as fast as the page takes them; a disabled button swallows them, as it does for a person.
    await button.evaluate((el, n) => {
      for (let i = 0; i < n; i += 1) (el as HTMLButtonElement).click();
    }, times);
  }

  async refreshButtonLabel(): Promise<string> {
    return (await this.page.locator('.refresh-row .refresh-now').textContent()) ?? '';
  }

  private accessToken() {
    return this.page.getByRole('textbox', { name: 'Access token', exact: true });
  }

  async accessTokenShown(): Promise<string> {
    return (await this.accessToken().textContent()) ?? '';
  }

  async revealAccessToken(): Promise<string> {
    const show = this.page.getByRole('button', { name: 'Show access token' });
    if (await show.isVisible()) await show.click();
    return this.accessTokenShown();
  }

  async hasAccessToken(): Promise<boolean> {
    return (await this.accessToken().count()) > 0;
  }

  async countdown(): Promise<string> {
    return (await this.page.getByRole('timer', { name: 'Expires in' }).textContent()) ?? '';
  }

  async alertText(): Promise<string> {
    const alert = this.page.getByRole('alert');
    return (await alert.count()) ? ((await alert.first().textContent()) ?? '') : '';
  }

  async failureTitle(): Promise<string> {
    const title = this.page.getByRole('alert').locator('.notice-title');
    return (await title.count()) ? ((await title.first().textContent()) ?? '') : '';
  }

  async copyAccessToken(): Promise<string> {
    return this.copy('Copy access token');
  }

  async refreshAndCopy(): Promise<string> {
    const status = this.page.locator('.refresh-copy-status');
    await this.page.getByRole('button', { name: 'Refresh and copy' }).click();
    await status.filter({ hasText: /\S/ }).waitFor();
    return (await status.textContent()) ?? '';
  }

  async copyAsHeader(): Promise<string> {
    return this.copy('Copy as header');
  }

  private async copy(name: string): Promise<string> {
    await this.page.getByRole('button', { name }).click();
    const status = this.page.locator('.copy-status');
    await status.filter({ hasText: /\S/ }).waitFor();
    return (await status.textContent()) ?? '';
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
    await this.field('New passphrase').fill(passphrase);
    await this.field('Confirm passphrase').fill(confirm);
    await this.page.getByRole('button', { name: 'Set passphrase', exact: true }).click();
    return this.vaultOutcome();
  }

  async lock(): Promise<void> {
    await this.openSecurity();
    await this.page.getByRole('button', { name: 'Lock now' }).click();
    await this.lockHeading().waitFor();
  }

  private lockHeading() {
    return this.page.getByRole('heading', { name: 'Secrets are locked' });
  }

  async isLocked(): Promise<boolean> {
    return (await this.lockHeading().count()) > 0;
  }

  async unlock(passphrase: string): Promise<string> {
    await this.field('Passphrase').fill(passphrase);
    await this.page.getByRole('button', { name: 'Unlock', exact: true }).click();
    // Unlocked: the lock panel goes once the popup has reloaded; refused: its field shows the error.
    const error = this.page.locator('.lock-panel').getByRole('alert');
    await this.page.locator('main:not(:has(.lock-panel))').or(error).first().waitFor({ timeout: 15_000 });
    return (await error.count()) ? ((await error.first().textContent()) ?? '') : '';
  }

  async removePassphrase(currentPassphrase: string): Promise<string> {
    await this.openSecurity();
    const panel = this.page.locator('details.vault-panel', {
      has: this.page.locator('> summary', { hasText: 'Remove passphrase' }),
    });
    if (!(await panel.evaluate((el) => (el as HTMLDetailsElement).open))) {
      await panel.locator('> summary').click();
    }
    await this.field('Current passphrase').fill(currentPassphrase);
    await this.page.getByRole('button', { name: 'Remove passphrase', exact: true }).click();
    return this.vaultOutcome();
  }

  /**
   * The outcome of a passphrase form under Security: the status line, or the error a field shows (role
   * alert), once no button is busy any more. Submitting clears both, in the same render that marks it busy.
   */
  private async vaultOutcome(): Promise<string> {
    const section = this.page.locator('.security-section');
    await section.locator('[aria-busy="true"]').waitFor({ state: 'detached', timeout: 15_000 });
    const outcome = section
      .locator('.security-status')
      .filter({ hasText: /\S/ })
      .or(section.getByRole('alert'))
      .first();
    await outcome.waitFor();
    return (await outcome.textContent()) ?? '';
  }

  private async openSecurity(): Promise<void> {
    const details = this.page.locator('details.security-details');
    if (!(await details.evaluate((el) => (el as HTMLDetailsElement).open))) {
      await details.locator('> summary').click();
    }
  }

  private async openCredentials(): Promise<void> {
    const details = this.page.locator('details.credentials-details');
    if (!(await details.evaluate((el) => (el as HTMLDetailsElement).open))) {
      await details.locator('> summary').click();
    }
  }

  private async openAdvanced(): Promise<void> {
    await this.openCredentials();
    const details = this.page.locator('details.advanced');
    if (!(await details.evaluate((el) => (el as HTMLDetailsElement).open))) {
      await details.locator('> summary').click();
    }
  }

  private switcher() {
    return this.page.getByRole('combobox', { name: 'Profile', exact: true });
  }

  async profileNames(): Promise<string[]> {
    if ((await this.switcher().count()) === 0) return [];
    return this.switcher().locator('option').allTextContents();
  }

  async activeProfileName(): Promise<string> {
    if ((await this.switcher().count()) === 0) return '';
    return this.switcher().evaluate((el) => {
      const select = el as HTMLSelectElement;
      return select.selectedOptions[0]?.textContent ?? '';
    });
  }

  async switchProfile(name: string): Promise<void> {
    await this.switcher().selectOption({ label: name });
  }

  async profileAction(action: 'New profile' | 'Duplicate profile' | 'Delete profile'): Promise<void> {
    await this.page.getByRole('button', { name: action, exact: true }).click();
  }

  async undoDelete(): Promise<void> {
    await this.page.getByRole('button', { name: 'Undo', exact: true }).click();
  }

  async renameProfile(name: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Rename profile', exact: true }).click();
    await this.field('Profile name').fill(name);
    await this.field('Profile name').press('Enter');
  }

  async setAutoRefresh(on: boolean, leadMinutes?: number): Promise<void> {
    if (leadMinutes !== undefined) {
      const lead = this.field('Minutes before expiry');
      await lead.fill(String(leadMinutes));
      await lead.press('Enter');
    }
    const box = this.page.getByRole('checkbox', { name: 'Refresh automatically' });
    if (on) await box.check();
    else await box.uncheck();
    const shown = on ? this.page.locator('.auto-status') : this.page.getByText('Off by default');
    await shown.first().waitFor();
  }

  async autoRefreshStatus(): Promise<string> {
    const status = this.page.locator('.auto-status');
    return (await status.count()) ? ((await status.first().textContent()) ?? '') : '';
  }

  async badge(): Promise<{ text: string; title: string }> {
    return this.page.evaluate(async () => ({
      text: await chrome.action.getBadgeText({}),
      title: await chrome.action.getTitle({}),
    }));
  }

  async autoRefreshAlarms(): Promise<string[]> {
    return this.page.evaluate(async () =>
      (await chrome.alarms.getAll()).map((a) => a.name).filter((n) => n.startsWith('auto-refresh:')),
    );
  }

  async openUseToken(): Promise<void> {
    const details = this.page.locator('details.use-token-details');
    if (!(await details.evaluate((el) => (el as HTMLDetailsElement).open))) {
      await details.locator('> summary').click();
    }
    await this.page.locator('.use-token-body').waitFor();
  }

  async verifyToken(): Promise<string> {
    await this.openUseToken();
    await this.page.evaluate(watchRefresh, VERIFY_BUTTON);
    await this.page.getByRole('button', { name: 'Verify token' }).click();
    // The worker gives up on the API after 15 s: a verify always ends well within this.
    await this.page.waitForFunction(buttonSettled, VERIFY_BUTTON, { polling: 50, timeout: 25_000 });
    return (await this.page.locator('.verify-result').textContent()) ?? '';
  }

  async lastExchange(kind?: 'refresh' | 'exchange' | 'verify'): Promise<ExchangeShown> {
    await this.openUseToken();
    await this.page.locator('.last-exchange .exchange-summary').waitFor();
    // The select is there only when there is more than one kind to choose from.
    const select = this.page.getByLabel('Exchange', { exact: true });
    if (kind && (await select.count())) await select.selectOption(kind);
    return this.page.evaluate(readExchange);
  }

  async toggleExchangeSecrets(): Promise<void> {
    await this.page.locator('.last-exchange .section-head button').first().click();
  }

  async copyCode(options: CodeOptions): Promise<string> {
    await this.openUseToken();
    await this.page.getByLabel('Language', { exact: true }).selectOption(options.language);
    await this.page.getByLabel('Call', { exact: true }).selectOption(options.call);
    const form = this.page.getByLabel('Form', { exact: true });
    if (options.form && (await form.isEnabled())) await form.selectOption(options.form);
    await this.page
      .getByRole('checkbox', { name: 'Include secrets' })
      .setChecked(options.includeSecrets ?? false);
    const status = this.page.locator('.copy-code .inline-status');
    await this.page.getByRole('button', { name: 'Copy code' }).click();
    await status.filter({ hasText: /\S/ }).waitFor();
    return (await status.textContent()) ?? '';
  }

  async history(): Promise<HistoryShown> {
    await this.openUseToken();
    await this.page
      .locator('.history .rotation-summary, .history .hint:has-text("No refresh")')
      .first()
      .waitFor();
    return this.page.evaluate(readHistory);
  }

  async clearHistory(): Promise<void> {
    await this.page.getByRole('button', { name: 'Clear history' }).click();
    await this.page.getByText('History cleared.').waitFor();
  }
}
