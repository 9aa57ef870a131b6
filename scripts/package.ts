/**
 * `npm run package` (after `npm run build`): the three files a release needs, in artifacts/.
 *
 *   sign-token-refresher-<version>-chrome.zip    dist/chrome, manifest at the root: the Chrome Web Store upload
 *   sign-token-refresher-<version>-firefox.zip   `web-ext build` of dist/firefox: the addons.mozilla.org upload
 *   sign-token-refresher-<version>-source.zip    `git archive HEAD`: the source AMO reviewers rebuild from
 *                                                (tracked files only: no node_modules, no dist)
 *
 * Then it installs the Firefox package itself into firefox-esr (puppeteer over WebDriver BiDi, as the e2e
 * tests do) and opens its popup, so a package that Firefox refuses fails here. `--no-install-check` skips that.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { launchFirefoxWithExtension, openPopup } from '../e2e/firefox/launch';

const ROOT = path.resolve(import.meta.dirname, '..');
const ARTIFACTS = path.join(ROOT, 'artifacts');
const { name, version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
};

function webExtBuild(sourceDir: string, filename: string): string {
  const bin = path.join(path.dirname(createRequire(import.meta.url).resolve('web-ext')), 'bin/web-ext.js');
  execFileSync(
    process.execPath,
    [
      bin,
      'build',
      '--source-dir',
      sourceDir,
      '--artifacts-dir',
      ARTIFACTS,
      '--filename',
      filename,
      '--overwrite-dest',
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return path.join(ARTIFACTS, filename);
}

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' });
}

function sourceZip(file: string): string {
  rmSync(file, { force: true });
  git('archive', '--format=zip', `--prefix=${name}-${version}/`, '--output', file, 'HEAD');
  if (git('status', '--porcelain', '--untracked-files=no').trim()) {
    console.warn(
      'Warning: uncommitted changes are not in the source zip (it holds HEAD); commit, then package.',
    );
  }
  return file;
}

function checkBuilt(dir: string): void {
  if (!existsSync(path.join(dir, 'manifest.json'))) {
    throw new Error(`No build in ${path.relative(ROOT, dir)}: run "npm run build" first.`);
  }
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { version: string };
  if (manifest.version !== version) {
    throw new Error(
      `${path.relative(ROOT, dir)} is version ${manifest.version}, package.json says ${version}.`,
    );
  }
}

/** Installs the packed add-on into Firefox and opens its popup. */
async function installCheck(xpi: string): Promise<void> {
  const started = Date.now();
  const firefox = await launchFirefoxWithExtension(xpi);
  try {
    const popup = await openPopup(firefox);
    const title = await popup.page.$eval('h1', (el) => el.textContent);
    if (title !== 'Sign Token Refresher') throw new Error(`the popup shows "${title}"`);
    console.log(
      `Firefox installed ${path.basename(xpi)} (${firefox.addonId}) and opened its popup in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  } finally {
    await firefox.browser.close();
    rmSync(firefox.downloadDir, { recursive: true, force: true });
  }
}

const dist = { chrome: path.join(ROOT, 'dist/chrome'), firefox: path.join(ROOT, 'dist/firefox') };
checkBuilt(dist.chrome);
checkBuilt(dist.firefox);
mkdirSync(ARTIFACTS, { recursive: true });

const outputs = [
  webExtBuild(dist.chrome, `${name}-${version}-chrome.zip`),
  webExtBuild(dist.firefox, `${name}-${version}-firefox.zip`),
  sourceZip(path.join(ARTIFACTS, `${name}-${version}-source.zip`)),
];
for (const file of outputs) {
  console.log(`${path.relative(ROOT, file)}  ${(statSync(file).size / 1024).toFixed(1)} KiB`);
}

if (!process.argv.includes('--no-install-check')) await installCheck(outputs[1] as string);
