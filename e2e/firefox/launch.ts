import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { PuppeteerPopup } from '../pages/puppeteer-popup';

/**
 * Firefox with the add-on installed, driven by puppeteer-core over WebDriver BiDi (Playwright cannot drive a
 * stock Firefox). The add-on is installed as a temporary add-on, so it needs no signature. Used by the e2e
 * fixtures and by scripts/package.ts to check the packed add-on installs.
 */
export const FIREFOX_DIST = path.resolve('dist/firefox');
export const POPUP_PATH = 'src/popup/index.html';

export function firefoxPath(): string {
  return process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
}

/** The add-on id, read from the built manifest (it comes from scripts/firefox-manifest.ts). */
export function geckoId(dist = FIREFOX_DIST): string {
  const manifestFile = path.join(dist, 'manifest.json');
  if (!existsSync(manifestFile)) {
    throw new Error(`No built extension in ${dist}: run "npm run build" first.`);
  }
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as {
    browser_specific_settings?: { gecko?: { id?: string } };
  };
  const id = manifest.browser_specific_settings?.gecko?.id;
  if (!id) throw new Error(`${manifestFile} has no browser_specific_settings.gecko.id`);
  return id;
}

/**
 * Preferences of the test profile.
 * - `extensions.webextensions.uuids` pins the moz-extension:// host, so the test knows the popup's URL.
 * - `extensions.webextOptionalPermissionPrompts: false` grants what `permissions.request()` asks for without
 *   the doorhanger, which WebDriver cannot answer. Firefox still requires the call to come from a user's
 *   click (puppeteer's clicks are real input over BiDi), so the product path is the same as for a person.
 * - Clipboard: `navigator.clipboard.writeText()` works from the extension page as it is (checked on
 *   firefox-esr 153, with and without a click), and `readText()` returns it without Firefox's "Paste" menu
 *   because the same origin wrote it. `dom.events.testing.asyncClipboard` makes sure the test's read can
 *   never block on that menu anyway.
 */
export function firefoxPrefs(id: string, uuid: string, downloadDir: string): Record<string, unknown> {
  return {
    // A download (the profiles export) is saved to this launch's own folder, without a dialog.
    'browser.download.folderList': 2,
    'browser.download.dir': downloadDir,
    'browser.download.useDownloadDir': true,
    'browser.download.always_ask_before_handling_new_types': false,
    'extensions.webextensions.uuids': JSON.stringify({ [id]: uuid }),
    'extensions.webextOptionalPermissionPrompts': false,
    'dom.events.testing.asyncClipboard': true,
    // Headless Firefox closes notifications at once through the system's backend; its own keeps them, so
    // `notifications.getAll()` lists what the add-on showed.
    'alerts.useSystemBackend': false,
    // The e2e fixtures keep one browser per worker and install the add-on afresh for each test: uninstalling
    // clears its storage, alarms and granted permissions, and this keeps its moz-extension:// host, which
    // Firefox would otherwise forget with it.
    'extensions.webextensions.keepUuidOnUninstall': true,
  };
}

export interface FirefoxWithExtension extends FirefoxBrowser {
  addonId: string;
}

/** A Firefox without the add-on yet, with the prefs above; `origin` is where the add-on will live. */
export interface FirefoxBrowser {
  browser: Browser;
  /** The moz-extension:// origin, e.g. `moz-extension://<uuid>`. */
  origin: string;
  /** Where this browser saves downloads (a fresh temporary folder per launch). */
  downloadDir: string;
  /** The tab a test starts in (pages() can still list tabs closed a moment before, so it is kept here). */
  firstTab: Page;
}

export async function launchFirefox(): Promise<FirefoxBrowser> {
  const uuid = randomUUID();
  const downloadDir = await mkdtemp(path.join(tmpdir(), 'str-firefox-downloads-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath(),
    protocol: 'webDriverBiDi',
    headless: true,
    // Without it, Firefox refuses to navigate a WebDriver-controlled tab to moz-extension:// pages.
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: firefoxPrefs(geckoId(), uuid, downloadDir),
    defaultViewport: { width: 400, height: 640 },
    // The tests' https servers (e.g. the other origin of the redirect tests) use a throwaway certificate; as
    // Chromium's --ignore-certificate-errors, this makes the whole browser accept it, the add-on included.
    acceptInsecureCerts: true,
  });
  const firstTab = (await browser.pages())[0] ?? (await browser.newPage());
  return { browser, origin: `moz-extension://${uuid}`, downloadDir, firstTab };
}

/** Launches Firefox and installs the add-on from a directory or a packed .zip/.xpi. */
export async function launchFirefoxWithExtension(extension = FIREFOX_DIST): Promise<FirefoxWithExtension> {
  const firefox = await launchFirefox();
  try {
    return { ...firefox, addonId: await firefox.browser.installExtension(extension) };
  } catch (error) {
    await firefox.browser.close();
    throw error;
  }
}

export async function openPopup(firefox: FirefoxWithExtension, page?: Page): Promise<PuppeteerPopup> {
  const tab = page ?? firefox.firstTab;
  const popup = new PuppeteerPopup(tab, `${firefox.origin}/${POPUP_PATH}`);
  await popup.open();
  return popup;
}
