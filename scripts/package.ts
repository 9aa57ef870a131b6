/**
 * `npm run package`: the three files a release needs, in artifacts/.
 *
 *   sign-token-refresher-<version>-chrome.zip    dist/chrome without the manifest's `key`, manifest at the
 *                                                root: the Chrome Web Store upload (the store refuses a `key`;
 *                                                it gives the extension its own id)
 *   sign-token-refresher-<version>-firefox.zip   `web-ext build` of dist/firefox: the addons.mozilla.org upload
 *   sign-token-refresher-<version>-source.zip    `git archive HEAD`: the source AMO reviewers rebuild from
 *                                                (tracked files only: no node_modules, no dist)
 *
 * First it refuses (exit 1, nothing built) when the tree has uncommitted or untracked changes (the source zip
 * would not be what was built), when package.json, package-lock.json and manifest.json disagree on the version,
 * or when CHANGELOG.md has no section for it (`npm run version:bump` keeps all of these in step). Then it
 * builds both browsers, packs, reads the Chrome zip back to check that it has no `key`, installs the Firefox
 * package into firefox-esr (puppeteer over WebDriver BiDi, as the e2e tests do) and opens its popup, so a
 * package that Firefox refuses fails here. `--no-install-check` skips that last step.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { CHANGELOG, currentVersion } from './version-bump';

const ROOT = path.resolve(import.meta.dirname, '..');
const ARTIFACTS = path.join(ROOT, 'artifacts');

/** Why `root` cannot be released as it is; empty when it can. */
export function releaseProblems(root: string): string[] {
  const problems: string[] = [];
  let status: string | undefined;
  try {
    status = execFileSync('git', ['status', '--porcelain'], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
  } catch {
    problems.push(`${root} is not a git checkout: the source zip is made from the last commit.`);
  }
  if (status?.trim()) {
    const lines = status.trimEnd().split('\n');
    const shown = lines.slice(0, 10).map((line) => `    ${line}`);
    if (lines.length > 10) shown.push(`    … and ${lines.length - 10} more`);
    problems.push(
      `The tree has uncommitted or untracked changes; the source zip holds the last commit, so commit (or stash) first:\n${shown.join('\n')}`,
    );
  }
  try {
    const version = currentVersion(root);
    const changelog = path.join(root, CHANGELOG);
    const section = new RegExp(`^## \\[${version.replaceAll('.', '\\.')}\\]`, 'm');
    if (!existsSync(changelog) || !section.test(readFileSync(changelog, 'utf8'))) {
      problems.push(
        `${CHANGELOG} has no "## [${version}]" section (npm run version:bump adds it from Unreleased).`,
      );
    }
  } catch (error) {
    problems.push((error as Error).message);
  }
  return problems;
}

/**
 * The id Chrome gives an unpacked extension whose manifest has this `key` (base64 of the public key's DER
 * SubjectPublicKeyInfo): the first 32 hex digits of its SHA-256, each 0-f written as a-p. Without a `key`, Chrome
 * hashes the folder's path instead, and the id changes when the folder moves.
 */
export function unpackedExtensionId(key: string): string {
  const hex = createHash('sha256').update(Buffer.from(key, 'base64')).digest('hex').slice(0, 32);
  return hex.replace(/[0-9a-f]/g, (digit) => String.fromCharCode(97 + parseInt(digit, 16)));
}

/** The manifest the Chrome Web Store accepts: the unpacked build's, without `key`. */
export function storeManifest<T extends Record<string, unknown>>(manifest: T): Omit<T, 'key'> {
  const { key: _unpackedOnly, ...rest } = manifest;
  return rest;
}

/** A copy of dist/chrome for the store, in `stagingDir`, its manifest without `key`. */
export function stageStoreBuild(distChrome: string, stagingDir: string): void {
  cpSync(distChrome, stagingDir, { recursive: true });
  const file = path.join(stagingDir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  writeFileSync(file, `${JSON.stringify(storeManifest(manifest), null, 2)}\n`);
}

export function webExtBuild(sourceDir: string, artifactsDir: string, filename: string): string {
  const bin = path.join(path.dirname(createRequire(import.meta.url).resolve('web-ext')), 'bin/web-ext.js');
  execFileSync(
    process.execPath,
    [
      bin,
      'build',
      '--source-dir',
      sourceDir,
      '--artifacts-dir',
      artifactsDir,
      '--filename',
      filename,
      '--overwrite-dest',
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return path.join(artifactsDir, filename);
}

/** One file of a zip archive (stored or deflated, as web-ext writes them), or undefined when absent. */
export function readZipEntry(zipFile: string, name: string): Buffer | undefined {
  const zip = readFileSync(zipFile);
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error(`${zipFile} is not a zip archive.`);
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < zip.readUInt16LE(end + 10); i++) {
    const nameLength = zip.readUInt16LE(at + 28);
    const next = at + 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    if (zip.toString('utf8', at + 46, at + 46 + nameLength) === name) {
      const method = zip.readUInt16LE(at + 10);
      const size = zip.readUInt32LE(at + 20);
      const local = zip.readUInt32LE(at + 42);
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + size);
      if (method === 0) return data;
      if (method === 8) return inflateRawSync(data);
      throw new Error(
        `${zipFile}: ${name} is packed with method ${method}, which this reader does not know.`,
      );
    }
    at = next;
  }
  return undefined;
}

/** The Chrome Web Store zip of `distChrome`, without `key`, read back to check it. */
export function chromeStoreZip(distChrome: string, artifactsDir: string, filename: string): string {
  const staging = mkdtempSync(path.join(os.tmpdir(), 'store-chrome-'));
  try {
    stageStoreBuild(distChrome, staging);
    const zip = webExtBuild(staging, artifactsDir, filename);
    const manifest = readZipEntry(zip, 'manifest.json');
    if (!manifest) throw new Error(`${filename} has no manifest.json at its root.`);
    if ('key' in (JSON.parse(manifest.toString('utf8')) as object)) {
      throw new Error(`${filename} still has a "key"; the Chrome Web Store would refuse it.`);
    }
    return zip;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function checkBuilt(dir: string, version: string): void {
  if (!existsSync(path.join(dir, 'manifest.json'))) {
    throw new Error(`No build in ${path.relative(ROOT, dir)}: the build did not write it.`);
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
  const { launchFirefoxWithExtension, openPopup } = await import('../e2e/firefox/launch');
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

async function main(): Promise<void> {
  const problems = releaseProblems(ROOT);
  if (problems.length > 0) {
    console.error(`Not packaging:\n${problems.map((problem) => `- ${problem}`).join('\n')}`);
    process.exit(1);
  }
  const { name, version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });

  const dist = { chrome: path.join(ROOT, 'dist/chrome'), firefox: path.join(ROOT, 'dist/firefox') };
  checkBuilt(dist.chrome, version);
  checkBuilt(dist.firefox, version);
  mkdirSync(ARTIFACTS, { recursive: true });

  const source = path.join(ARTIFACTS, `${name}-${version}-source.zip`);
  rmSync(source, { force: true });
  execFileSync(
    'git',
    ['archive', '--format=zip', `--prefix=${name}-${version}/`, '--output', source, 'HEAD'],
    {
      cwd: ROOT,
    },
  );
  const outputs = [
    chromeStoreZip(dist.chrome, ARTIFACTS, `${name}-${version}-chrome.zip`),
    webExtBuild(dist.firefox, ARTIFACTS, `${name}-${version}-firefox.zip`),
    source,
  ];
  for (const file of outputs) {
    console.log(`${path.relative(ROOT, file)}  ${(statSync(file).size / 1024).toFixed(1)} KiB`);
  }

  if (!process.argv.includes('--no-install-check')) await installCheck(outputs[1] as string);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
