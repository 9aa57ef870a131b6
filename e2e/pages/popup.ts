/**
 * The popup as a user sees it: labelled fields and named buttons. Test bodies speak this language; the
 * selectors live here. One interface, one implementation per browser driver (Playwright for Chromium,
 * puppeteer for Firefox), so the scenarios in `e2e/scenarios/` run unchanged in both.
 */
import type { ExchangeShown, HistoryShown } from './use-token-dom';

export type { ExchangeShown, HistoryShown };

export interface Credentials {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

export type CredentialField = 'Client ID' | 'Client secret' | 'Refresh token';

export interface PopupPage {
  /** Opens (or reopens) the popup page fresh, as clicking the toolbar icon does. */
  open(): Promise<void>;
  fill(field: CredentialField | 'OAuth host', value: string): Promise<void>;
  fillCredentials(credentials: Credentials): Promise<void>;
  /** Clicks Save and waits for the outcome line. */
  save(): Promise<string>;
  fieldValue(field: CredentialField): Promise<string>;
  /**
   * Waits until "Refresh now" takes a click, clicks it, and waits until that refresh has finished: the button
   * went busy and is idle again (the worker answered the popup). The popup may still be applying the stored
   * outcome right then: read outcomes with `expect.poll`.
   */
  refresh(): Promise<void>;
  clickRefresh(times: number): Promise<void>;
  refreshButtonLabel(): Promise<string>;
  /** The text the access token element shows now (masked or not). */
  accessTokenShown(): Promise<string>;
  /** Clicks "Show access token" and returns the token. */
  revealAccessToken(): Promise<string>;
  hasAccessToken(): Promise<boolean>;
  countdown(): Promise<string>;
  /** Text of the error alert, or '' when there is none. */
  alertText(): Promise<string>;
  /** The title line of the failure notice (the alert), or '' when there is none. */
  failureTitle(): Promise<string>;
  copyAccessToken(): Promise<string>;
  /** Clicks "Refresh and copy" and returns the line that says what was copied. */
  refreshAndCopy(): Promise<string>;
  copyAsHeader(): Promise<string>;
  clipboardText(): Promise<string>;
  /** Full-page screenshot in artifacts/screenshots/<name>.png; returns the path. */
  screenshot(name: string): Promise<string>;

  // The optional passphrase vault ("Security" section, and the lock panel while locked).
  /**
   * Fills "New passphrase" and "Confirm passphrase" under Security, clicks "Set passphrase" and waits for the
   * outcome: the status line, or the field's error (role alert).
   */
  setPassphrase(passphrase: string, confirm?: string): Promise<string>;
  /** Clicks "Lock now" under Security and waits for the lock panel. */
  lock(): Promise<void>;
  /** Whether the lock panel ("Secrets are locked") is shown. */
  isLocked(): Promise<boolean>;
  /** Fills "Passphrase" on the lock panel, clicks "Unlock"; returns '' once unlocked, else the error (role alert). */
  unlock(passphrase: string): Promise<string>;
  /**
   * Opens "Remove passphrase" under Security, fills "Current passphrase", clicks "Remove passphrase" and waits
   * for the outcome: the status line, or the field's error (role alert).
   */
  removePassphrase(currentPassphrase: string): Promise<string>;

  // Profiles (the switcher and its actions under the header).
  /** The names the "Profile" switcher lists, in order; [] when it is not shown (no profile). */
  profileNames(): Promise<string[]>;
  /** The name of the profile selected in the switcher, or '' when it is not shown. */
  activeProfileName(): Promise<string>;
  /** Picks `name` in the "Profile" switcher. */
  switchProfile(name: string): Promise<void>;
  /** Clicks one of the profile actions (the worker's answer shows in the switcher; poll it). */
  profileAction(action: 'New profile' | 'Duplicate profile' | 'Delete profile'): Promise<void>;
  /** Clicks "Undo" after a delete. */
  undoDelete(): Promise<void>;
  /** Clicks "Rename profile", types `name` into "Profile name" and presses Enter. */
  renameProfile(name: string): Promise<void>;

  // Automatic refresh, the badge and the alarms behind them.
  /**
   * Sets "Minutes before expiry" (when given; Enter stores it) and ticks or unticks "Refresh automatically",
   * then waits until the stored setting shows: the "Next automatic refresh" line when on, the reason it is off
   * by default when off.
   */
  setAutoRefresh(on: boolean, leadMinutes?: number): Promise<void>;
  /** The automatic refresh's state line ("Next automatic refresh: …", "Paused: …"), or ''. */
  autoRefreshStatus(): Promise<string>;
  /** The toolbar button's badge text and tooltip, as the extension set them (read from this page). */
  badge(): Promise<{ text: string; title: string }>;
  /** Names of the extension's alarms that will refresh a profile automatically (read from this page). */
  autoRefreshAlarms(): Promise<string[]>;

  // Use the token: verify, last exchange, copy as code, history.
  /** Opens "Use the token" and waits for its parts (they mount on the first opening). */
  openUseToken(): Promise<void>;
  /** Clicks "Verify token", waits until it has finished, and returns what the result area shows. */
  verifyToken(): Promise<string>;
  /** "Last exchange" as shown (masked unless revealed); `kind` picks one in its select first. */
  lastExchange(kind?: 'refresh' | 'exchange' | 'verify'): Promise<ExchangeShown>;
  /** Clicks "Show secrets" (or "Hide secrets") in "Last exchange". */
  toggleExchangeSecrets(): Promise<void>;
  /** Picks language, call and form, sets "Include secrets", clicks "Copy code"; returns the status line. */
  copyCode(options: CodeOptions): Promise<string>;
  /** The history as shown, once the worker's answer is in (the summary line, or the empty-state line). */
  history(): Promise<HistoryShown>;
  /** Clicks "Clear history" and waits for "History cleared.". */
  clearHistory(): Promise<void>;
}

export interface CodeOptions {
  /** A language id: curl, php, csharp, typescript, java, ruby, python, go, swift. */
  language: string;
  call: 'refresh' | 'account';
  form?: 'sdk' | 'http';
  includeSecrets?: boolean;
}
