/**
 * `npm run version:bump -- <patch | minor | major | X.Y.Z>`: one version, written everywhere it lives.
 *
 *   package.json        "version"
 *   package-lock.json   "version" and packages[""].version (the root package)
 *   manifest.json       "version" (what the browsers and the stores read)
 *   CHANGELOG.md        "## [Unreleased]" gets a "## [X.Y.Z] - <today>" heading under it, so what was
 *                       unreleased becomes this version's entry and a new, empty Unreleased section stays on top
 *
 * It refuses (exit 1, nothing written) when the three files disagree before the bump, when the new version is
 * not after the current one, is not three plain numbers (browsers take no "-beta" or "+build" suffix), or when
 * the changelog has nothing under Unreleased. `npm run package` refuses to package mismatched versions.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export type BumpKind = 'patch' | 'minor' | 'major';

/** Where the version is kept: the three files `npm run package` compares. */
export const VERSION_FILES = ['package.json', 'package-lock.json', 'manifest.json'] as const;
export const CHANGELOG = 'CHANGELOG.md';

/** Chrome's rule for `version` (1 to 4 parts, each 0 to 65535, no leading zero), kept to X.Y.Z here. */
const VERSION = /^(0|[1-9]\d{0,4})\.(0|[1-9]\d{0,4})\.(0|[1-9]\d{0,4})$/;

function parts(version: string): [number, number, number] {
  const match = VERSION.exec(version);
  const numbers = match?.slice(1).map(Number);
  if (!numbers || numbers.some((n) => n > 65535)) {
    throw new Error(
      `"${version}" is not a version this extension can have: three numbers X.Y.Z, each 0 to 65535, no leading zeros.`,
    );
  }
  return numbers as [number, number, number];
}

function compare(a: string, b: string): number {
  const [pa, pb] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) {
    const diff = (pa[i] as number) - (pb[i] as number);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** The version after `current`: a kind of bump, or an explicit X.Y.Z that must come after it. */
export function nextVersion(current: string, wanted: string): string {
  const [major, minor, patch] = parts(current);
  let next: string;
  if (wanted === 'major') next = `${major + 1}.0.0`;
  else if (wanted === 'minor') next = `${major}.${minor + 1}.0`;
  else if (wanted === 'patch') next = `${major}.${minor}.${patch + 1}`;
  else next = wanted;
  if (compare(next, current) <= 0) {
    throw new Error(`${next} is not after the current version ${current}.`);
  }
  return next;
}

/**
 * The same JSON text with its top-level "version" changed and nothing else (manifest.json is formatted by
 * Prettier, not by JSON.stringify, so it is not rewritten whole). Checked by parsing the result.
 */
export function withTopLevelVersion(text: string, version: string, file: string): string {
  const before = JSON.parse(text) as Record<string, unknown>;
  const changed = text.replace(/("version"\s*:\s*)"[^"]*"/, `$1${JSON.stringify(version)}`);
  const after = JSON.parse(changed) as Record<string, unknown>;
  if (JSON.stringify(after) !== JSON.stringify({ ...before, version })) {
    throw new Error(`${file}: its first "version" is not the top-level one; change it by hand.`);
  }
  return changed;
}

/** package-lock.json, written as npm writes it (two-space JSON and a final newline). */
export function lockWithVersion(text: string, version: string): string {
  const lock = JSON.parse(text) as { version?: string; packages?: Record<string, { version?: string }> };
  lock.version = version;
  const root = lock.packages?.[''];
  if (root) root.version = version;
  return `${JSON.stringify(lock, null, 2)}\n`;
}

/** The Unreleased entries become `version`'s, dated `date` (YYYY-MM-DD); a new empty Unreleased stays on top. */
export function changelogWithRelease(text: string, version: string, date: string): string {
  const unreleased = /^## \[Unreleased\][^\n]*\n/m.exec(text);
  if (!unreleased) throw new Error(`${CHANGELOG} has no "## [Unreleased]" section.`);
  if (new RegExp(`^## \\[${version.replaceAll('.', '\\.')}\\]`, 'm').test(text)) {
    throw new Error(`${CHANGELOG} already has a section for ${version}.`);
  }
  const start = unreleased.index + unreleased[0].length;
  const nextHeading = text.slice(start).search(/^## /m);
  const body = nextHeading === -1 ? text.slice(start) : text.slice(start, start + nextHeading);
  if (!body.trim()) {
    throw new Error(`${CHANGELOG}: nothing under "## [Unreleased]"; say what changed in ${version} first.`);
  }
  return `${text.slice(0, start)}\n## [${version}] - ${date}\n${text.slice(start)}`;
}

export interface Bump {
  from: string;
  to: string;
  files: string[];
}

/** Reads the current version from the three files; they must agree. */
export function currentVersion(root: string): string {
  const versions = VERSION_FILES.map((file) => {
    const json = JSON.parse(readFileSync(path.join(root, file), 'utf8')) as {
      version?: string;
      packages?: Record<string, { version?: string }>;
    };
    // The lock names the version twice: its own and its root package's.
    const lockRoot = file === 'package-lock.json' ? json.packages?.['']?.version : json.version;
    return { file, version: json.version, lockRoot };
  });
  const all = versions.flatMap((v) => [v.version, v.lockRoot]);
  if (all.some((v) => v !== all[0])) {
    const list = versions
      .map(({ file, version, lockRoot }) =>
        lockRoot === version
          ? `${file} ${String(version)}`
          : `${file} ${String(version)} (its root package ${String(lockRoot)})`,
      )
      .join(', ');
    throw new Error(`The versions disagree (${list}); make them equal by hand first.`);
  }
  return all[0] as string;
}

/** Bumps every file under `root`, or writes nothing when any check fails. */
export function bumpVersion(
  root: string,
  wanted: string,
  date = new Date().toISOString().slice(0, 10),
): Bump {
  const from = currentVersion(root);
  const to = nextVersion(from, wanted);
  const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
  const written: Record<string, string> = {
    'package.json': withTopLevelVersion(read('package.json'), to, 'package.json'),
    'package-lock.json': lockWithVersion(read('package-lock.json'), to),
    'manifest.json': withTopLevelVersion(read('manifest.json'), to, 'manifest.json'),
    [CHANGELOG]: changelogWithRelease(read(CHANGELOG), to, date),
  };
  for (const [file, text] of Object.entries(written)) writeFileSync(path.join(root, file), text);
  return { from, to, files: Object.keys(written) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const wanted = process.argv[2];
  if (!wanted || process.argv.length > 3) {
    console.error('Usage: npm run version:bump -- <patch | minor | major | X.Y.Z>');
    process.exit(1);
  }
  try {
    const bump = bumpVersion(path.resolve(import.meta.dirname, '..'), wanted);
    console.log(`${bump.from} → ${bump.to}: ${bump.files.join(', ')}`);
    console.log(
      `Check ${CHANGELOG}, commit ("Release ${bump.to}"), then npm run package (it wants a clean tree).`,
    );
  } catch (error) {
    console.error(`Version not changed: ${(error as Error).message}`);
    process.exit(1);
  }
}
