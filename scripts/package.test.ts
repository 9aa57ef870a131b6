import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { chromeStoreZip, readZipEntry, releaseProblems, storeManifest } from './package';
import { withTopLevelVersion } from './version-bump';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'package-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], {
    cwd: dir,
    stdio: 'pipe',
  });

/** A committed project at `version` in all three files, with a changelog section for it. */
function releasableRepo(version = '1.2.3'): void {
  const json = (value: object) => `${JSON.stringify(value, null, 2)}\n`;
  writeFileSync(path.join(dir, 'package.json'), json({ name: 'x', version }));
  writeFileSync(
    path.join(dir, 'package-lock.json'),
    json({ name: 'x', version, lockfileVersion: 3, packages: { '': { name: 'x', version } } }),
  );
  writeFileSync(path.join(dir, 'manifest.json'), json({ manifest_version: 3, name: 'X', version }));
  writeFileSync(
    path.join(dir, 'CHANGELOG.md'),
    `# Changelog\n\n## [Unreleased]\n\n## [${version}] - 2026-11-01\n\n- First.\n`,
  );
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'Release');
}

describe('npm run package refuses', () => {
  test('nothing, for a clean tree whose versions agree', () => {
    releasableRepo();
    expect(releaseProblems(dir)).toEqual([]);
  });

  test('an uncommitted change', () => {
    releasableRepo();
    writeFileSync(path.join(dir, 'CHANGELOG.md'), '# Changelog\n\n## [1.2.3]\n\n- Edited.\n');
    expect(releaseProblems(dir)).toEqual([
      expect.stringMatching(/^The tree has uncommitted or untracked changes; .*\n {4} M CHANGELOG\.md$/),
    ]);
  });

  test('an untracked file', () => {
    releasableRepo();
    writeFileSync(path.join(dir, 'notes.txt'), 'x');
    expect(releaseProblems(dir)).toEqual([expect.stringContaining('?? notes.txt')]);
  });

  test('versions that disagree (committed)', () => {
    releasableRepo();
    const manifest = path.join(dir, 'manifest.json');
    writeFileSync(manifest, withTopLevelVersion(readFileSync(manifest, 'utf8'), '1.2.4', 'manifest.json'));
    git('commit', '-q', '-am', 'Bump the manifest alone');
    expect(releaseProblems(dir)).toEqual([
      'The versions disagree (package.json 1.2.3, package-lock.json 1.2.3, manifest.json 1.2.4); make them equal by hand first.',
    ]);
  });

  test('a version without its changelog section', () => {
    releasableRepo();
    writeFileSync(path.join(dir, 'CHANGELOG.md'), '# Changelog\n\n## [Unreleased]\n');
    git('commit', '-q', '-am', 'Lose the section');
    expect(releaseProblems(dir)).toEqual([
      'CHANGELOG.md has no "## [1.2.3]" section (npm run version:bump adds it from Unreleased).',
    ]);
  });

  test('a folder that is not a git checkout', () => {
    const plain = path.join(dir, 'plain');
    mkdirSync(plain);
    writeFileSync(path.join(plain, 'package.json'), '{}');
    expect(releaseProblems(plain)[0]).toBe(
      `${plain} is not a git checkout: the source zip is made from the last commit.`,
    );
  });
});

test('the Chrome Web Store zip is the build without its key', () => {
  const dist = path.join(dir, 'dist-chrome');
  mkdirSync(path.join(dist, 'icons'), { recursive: true });
  const manifest = { manifest_version: 3, name: 'X', version: '1.2.3', key: 'MIIBIjANBg…' };
  writeFileSync(path.join(dist, 'manifest.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(path.join(dist, 'icons/icon-16.png'), 'not really a png');
  expect(storeManifest(manifest)).toEqual({ manifest_version: 3, name: 'X', version: '1.2.3' });

  const zip = chromeStoreZip(dist, path.join(dir, 'artifacts'), 'x-chrome.zip');
  expect(JSON.parse(String(readZipEntry(zip, 'manifest.json')))).toEqual(storeManifest(manifest));
  expect(readZipEntry(zip, 'icons/icon-16.png')?.toString('utf8')).toBe('not really a png');
  // The build itself keeps its key: unpacked, it is what fixes the extension id.
  expect(JSON.parse(readFileSync(path.join(dist, 'manifest.json'), 'utf8'))).toEqual(manifest);
});
