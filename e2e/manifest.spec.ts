import { expect, test } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { workerBytes } from '../scripts/bench/bytes';
import { WORKER_FILE } from '../scripts/one-file-worker';
import { chromeStoreZip, readZipEntry, unpackedExtensionId } from '../scripts/package';

/**
 * The built manifests ask for exactly what the extension needs and open nothing to the outside. Reads the
 * build output (run after `npm run build`); no browser. Every key is listed, so anything a plugin or an edit
 * adds (content_scripts, externally_connectable, web_accessible_resources, a CSP override...) fails here and
 * has to be looked at. The one `key` is the public key that fixes the unpacked Chrome build's id; the store
 * zip and the Firefox build have none.
 */

type Manifest = Record<string, unknown> & {
  key?: string;
  background?: Record<string, unknown>;
  browser_specific_settings?: { gecko?: Record<string, unknown> };
};

const SOURCE = JSON.parse(readFileSync(path.resolve('manifest.json'), 'utf8')) as Manifest;
const CHROME_DIST = path.resolve('dist/chrome');
const FIREFOX_DIST = path.resolve('dist/firefox');

/**
 * `alarms`: the auto-lock, the automatic refresh and the badge's minute tick must fire with the worker
 * stopped (no host access, no warning at install).
 * `identity`: "Authorize with Dropbox Sign" opens the browser's authorization window (launchWebAuthFlow); no
 * warning at install.
 * `sidePanel` (Chrome only, no warning at install): the popup's "Open in side panel". Firefox's sidebar
 * (`sidebar_action`) needs no permission, and Firefox does not know `sidePanel`, so its build leaves it out.
 */
// declarativeNetRequestWithHostAccess: the API tab's one header rule, on hosts already granted (no new warning).
const FIREFOX_PERMISSIONS = ['storage', 'alarms', 'identity', 'declarativeNetRequestWithHostAccess'];
const PERMISSIONS = ['storage', 'alarms', 'identity', 'sidePanel', 'declarativeNetRequestWithHostAccess'];
const HOST_PERMISSIONS = ['https://app.hellosign.com/*', 'https://api.hellosign.com/*'];
/** Asked for at run time only, for a custom OAuth host (e.g. a local sandbox); never granted at install. */
const OPTIONAL_HOST_PERMISSIONS = ['https://*/*', 'http://localhost/*', 'http://127.0.0.1/*'];
/** Asked for by the "Notify me" click only; installing asks for nothing new. */
const OPTIONAL_PERMISSIONS = ['notifications'];

/** The keys of both builds; the hand-kept manifest and Chrome's add `side_panel`, Firefox's `sidebar_action`. */
const COMMON_KEYS = [
  'manifest_version',
  'name',
  'short_name',
  'version',
  'description',
  'icons',
  'action',
  'commands',
  'background',
  'permissions',
  'host_permissions',
  'optional_host_permissions',
  'optional_permissions',
];
/** `key` fixes the id of an unpacked Chrome build; the store zip and Firefox leave it out. */
const CHROME_KEYS = [...COMMON_KEYS, 'side_panel', 'key'];

/**
 * The unpacked Chrome build's id, derived from manifest.json's `key`; the README gives its OAuth callback URL
 * to register.
 */
const UNPACKED_ID = 'pmpkjobhoipmhepjoahfdmabbejfdnkg';

/** The popup's page, also shown in Chrome's side panel and Firefox's sidebar (src/platform/views.ts). */
const SIDE_PANEL = { default_path: 'src/popup/index.html' };

/** Keys that would widen what other code can reach or run; none may appear. */
const FORBIDDEN_KEYS = [
  'content_scripts',
  'externally_connectable',
  // No override: MV3's default extension-pages CSP ("script-src 'self'; object-src 'self'") applies, so no
  // inline or remote script can run in the popup or worker.
  'content_security_policy',
  // crxjs adds web_accessible_resources in a build only for content scripts (their chunks and CSS) and, in
  // dev mode only, a catch-all `<all_urls>` entry for its HMR client. This extension has no content script,
  // so the build removes the key and no web page can load any file of the extension.
  'web_accessible_resources',
  'update_url',
  'sandbox',
];

function readManifest(dist: string): Manifest {
  const file = path.join(dist, 'manifest.json');
  if (!existsSync(file)) throw new Error(`No ${file}: run "npm run build" first.`);
  return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
}

/** Every file the manifest names exists in the build (a missing icon or popup fails to load). */
function expectReferencedFiles(dist: string, manifest: Manifest, backgroundFiles: string[]): void {
  const action = manifest.action as { default_popup: string; default_icon: Record<string, string> };
  const sidePanel = manifest.side_panel as { default_path: string } | undefined;
  const sidebar = manifest.sidebar_action as
    { default_panel: string; default_icon: Record<string, string> } | undefined;
  const files = [
    action.default_popup,
    ...Object.values(manifest.icons as Record<string, string>),
    ...Object.values(action.default_icon),
    ...(sidePanel ? [sidePanel.default_path] : []),
    ...(sidebar ? [sidebar.default_panel, ...Object.values(sidebar.default_icon)] : []),
    ...backgroundFiles,
  ];
  for (const file of files) expect(existsSync(path.join(dist, file)), file).toBe(true);
}

/** The popup loads its code from files only: the default CSP would block inline script. */
function expectNoInlineScript(dist: string, manifest: Manifest): void {
  const popup = readFileSync(
    path.join(dist, (manifest.action as { default_popup: string }).default_popup),
    'utf8',
  );
  const scripts = [...popup.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
  expect(scripts.length).toBeGreaterThan(0);
  for (const [, attributes, body] of scripts) {
    // The bundle, or the storage read the popup starts before it (public/popup/early-read.js).
    expect(attributes).toMatch(/\ssrc="\/(assets\/[^"]+|popup\/early-read)\.js"/);
    expect(body?.trim()).toBe('');
  }
  expect(popup).not.toMatch(/\son[a-z]+=/i); // no inline event handlers
  expect(popup).not.toMatch(/https?:\/\//); // nothing loaded from the network
}

function expectCommon(manifest: Manifest, permissions: string[]): void {
  expect(manifest.manifest_version).toBe(3);
  expect(manifest.permissions).toEqual(permissions);
  expect(manifest.host_permissions).toEqual(HOST_PERMISSIONS);
  expect(manifest.optional_host_permissions).toEqual(OPTIONAL_HOST_PERMISSIONS);
  expect(manifest.optional_permissions).toEqual(OPTIONAL_PERMISSIONS);
  for (const key of FORBIDDEN_KEYS) expect(manifest, key).not.toHaveProperty(key);
  // The same identity and UI as the hand-kept manifest.
  for (const key of ['name', 'short_name', 'version', 'description', 'icons', 'action', 'commands']) {
    expect(manifest[key], key).toEqual(SOURCE[key]);
  }
}

/**
 * Two shortcuts: open the popup, and refresh the active profile's token with the popup closed. The suggested
 * keys are not among Chrome's or Firefox's own shortcuts on Windows, Linux or macOS (Alt is Option there).
 */
test('the keyboard shortcuts: open the popup (Alt+Shift+S) and refresh (Alt+Shift+R)', () => {
  expect(SOURCE.commands).toEqual({
    _execute_action: { suggested_key: { default: 'Alt+Shift+S' }, description: 'Open Sign Token Refresher' },
    'refresh-active-profile': {
      suggested_key: { default: 'Alt+Shift+R' },
      description: "Refresh the active profile's token",
    },
  });
});

test('the hand-kept manifest.json asks for the same, and no more', () => {
  expect(SOURCE.permissions).toEqual(PERMISSIONS);
  expect(SOURCE.host_permissions).toEqual(HOST_PERMISSIONS);
  expect(SOURCE.optional_host_permissions).toEqual(OPTIONAL_HOST_PERMISSIONS);
  for (const key of FORBIDDEN_KEYS) expect(SOURCE, key).not.toHaveProperty(key);
  expect(SOURCE.side_panel).toEqual(SIDE_PANEL);
  expect(Object.keys(SOURCE).sort()).toEqual([...CHROME_KEYS].sort());
  expect(unpackedExtensionId(SOURCE.key ?? '')).toBe(UNPACKED_ID);
});

test('the unpacked Chrome build has the fixed id the README gives, with its callback URL', () => {
  const manifest = readManifest(CHROME_DIST);
  expect(manifest.key).toBe(SOURCE.key);
  // A public key (an RSA 2048 SubjectPublicKeyInfo), never a private one.
  expect(
    Buffer.from(manifest.key ?? '', 'base64')
      .subarray(0, 4)
      .toString('hex'),
  ).toBe('30820122');
  expect(unpackedExtensionId(manifest.key ?? '')).toBe(UNPACKED_ID);
  expect(readFileSync(path.resolve('README.md'), 'utf8')).toContain(
    `https://${UNPACKED_ID}.chromiumapp.org/`,
  );
});

test('the Chrome Web Store zip is dist/chrome without the key', () => {
  const artifacts = mkdtempSync(path.join(os.tmpdir(), 'store-zip-'));
  try {
    const zip = chromeStoreZip(CHROME_DIST, artifacts, 'chrome.zip');
    const zipped = JSON.parse(String(readZipEntry(zip, 'manifest.json'))) as Manifest;
    expect(zipped).not.toHaveProperty('key');
    const { key: _unpackedOnly, ...rest } = readManifest(CHROME_DIST);
    expect(zipped).toEqual(rest);
    expect(readZipEntry(zip, WORKER_FILE)).toEqual(readFileSync(path.join(CHROME_DIST, WORKER_FILE)));
  } finally {
    rmSync(artifacts, { recursive: true, force: true });
  }
});

test('dist/chrome/manifest.json: exactly the permissions needed, nothing exposed, default CSP', () => {
  const manifest = readManifest(CHROME_DIST);
  expectCommon(manifest, PERMISSIONS);
  expect(Object.keys(manifest).sort()).toEqual([...CHROME_KEYS].sort());
  expect(manifest.side_panel).toEqual(SIDE_PANEL);
  // The worker is bundled apart into one file (scripts/one-file-worker.ts): a stopped worker starts by
  // fetching that file alone, and it imports nothing.
  expect(manifest.background).toEqual({ service_worker: WORKER_FILE, type: 'module' });
  expect(workerBytes(CHROME_DIST).files.map((f) => f.file)).toEqual([WORKER_FILE]);
  expectReferencedFiles(CHROME_DIST, manifest, [WORKER_FILE]);
  expectNoInlineScript(CHROME_DIST, manifest);
});

test('dist/firefox/manifest.json: the same permissions but sidePanel, an event page, a fixed add-on id, a sidebar', () => {
  test.skip(
    !existsSync(path.join(FIREFOX_DIST, 'manifest.json')),
    'dist/firefox is not built (npm run build builds it; vite build alone builds only Chrome)',
  );
  const manifest = readManifest(FIREFOX_DIST);
  expectCommon(manifest, FIREFOX_PERMISSIONS);
  expect(Object.keys(manifest).sort()).toEqual(
    [...COMMON_KEYS, 'sidebar_action', 'browser_specific_settings'].sort(),
  );
  expect(manifest).not.toHaveProperty('key'); // Firefox has its fixed add-on id and no use for a key
  // Chrome's side panel becomes Firefox's sidebar: the same page, under the toolbar button's title and icons,
  // opened only on request.
  const action = SOURCE.action as { default_title: string; default_icon: Record<string, string> };
  expect(manifest.sidebar_action).toEqual({
    default_panel: SIDE_PANEL.default_path,
    default_title: action.default_title,
    default_icon: action.default_icon,
    open_at_install: false,
  });
  // Firefox runs the same module as an event page, not a service worker.
  expect(manifest.background).toEqual({ scripts: [WORKER_FILE], type: 'module' });
  expect(manifest.browser_specific_settings).toEqual({
    gecko: {
      id: expect.stringMatching(/^[a-z0-9.-]+@[a-z0-9.-]+$/),
      strict_min_version: expect.stringMatching(/^\d+\.\d+$/),
      data_collection_permissions: { required: ['none'] },
    },
  });
  expectReferencedFiles(FIREFOX_DIST, manifest, [WORKER_FILE]);
  expectNoInlineScript(FIREFOX_DIST, manifest);
});
