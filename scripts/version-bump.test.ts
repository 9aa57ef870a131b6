import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import {
  bumpVersion,
  changelogWithRelease,
  currentVersion,
  lockWithVersion,
  nextVersion,
  withTopLevelVersion,
} from './version-bump';

describe('nextVersion', () => {
  test('patch, minor and major', () => {
    expect(nextVersion('0.1.0', 'patch')).toBe('0.1.1');
    expect(nextVersion('0.1.9', 'minor')).toBe('0.2.0');
    expect(nextVersion('1.2.3', 'major')).toBe('2.0.0');
  });

  test('an explicit version after the current one', () => {
    expect(nextVersion('0.1.0', '0.2.0')).toBe('0.2.0');
    expect(nextVersion('0.9.0', '0.10.0')).toBe('0.10.0'); // numbers, not strings, are compared
  });

  test('refuses a version that is not after the current one', () => {
    expect(() => nextVersion('0.2.0', '0.2.0')).toThrow('0.2.0 is not after the current version 0.2.0.');
    expect(() => nextVersion('0.10.0', '0.9.0')).toThrow('is not after');
  });

  test('refuses what a browser manifest cannot hold', () => {
    for (const bad of ['1.0', '1.0.0-beta', '1.0.0+1', '01.0.0', '1.0.70000', 'v1.0.0', 'minor ']) {
      expect(() => nextVersion('0.1.0', bad), bad).toThrow('is not a version this extension can have');
    }
  });
});

test('withTopLevelVersion changes the top-level version only and keeps the formatting', () => {
  const manifest = [
    '{',
    '  "name": "X",',
    '  "version": "0.1.0",',
    '  "commands": { "a": { "suggested_key": { "default": "Alt+Shift+S" }, "version": "keep" } }',
    '}',
    '',
  ].join('\n');
  expect(withTopLevelVersion(manifest, '0.2.0', 'manifest.json')).toBe(
    manifest.replace('"version": "0.1.0"', '"version": "0.2.0"'),
  );
  // A nested "version" before the top-level one would be changed instead: refused.
  const nestedFirst = '{ "a": { "version": "1" }, "version": "0.1.0" }';
  expect(() => withTopLevelVersion(nestedFirst, '0.2.0', 'x.json')).toThrow('change it by hand');
});

test('lockWithVersion sets the lock and its root package, in npm’s format', () => {
  const lock = {
    name: 'x',
    version: '0.1.0',
    lockfileVersion: 3,
    packages: { '': { name: 'x', version: '0.1.0' }, 'node_modules/a': { version: '0.1.0' } },
  };
  const text = lockWithVersion(`${JSON.stringify(lock, null, 2)}\n`, '0.2.0');
  expect(text.endsWith('}\n')).toBe(true);
  expect(JSON.parse(text)).toEqual({
    ...lock,
    version: '0.2.0',
    packages: { '': { name: 'x', version: '0.2.0' }, 'node_modules/a': { version: '0.1.0' } },
  });
});

describe('changelogWithRelease', () => {
  const changelog = [
    '# Changelog',
    '',
    '## [Unreleased]',
    '',
    '### Added',
    '',
    '- Something new.',
    '',
    '## [0.1.0] - 2026-11-01',
    '',
    '- The first release.',
    '',
  ].join('\n');

  test('the Unreleased entries become the version’s; an empty Unreleased stays on top', () => {
    expect(changelogWithRelease(changelog, '0.2.0', '2026-12-01')).toBe(
      changelog.replace('## [Unreleased]\n', '## [Unreleased]\n\n## [0.2.0] - 2026-12-01\n'),
    );
  });

  test('refuses an empty Unreleased section, a missing one, or a version already there', () => {
    const empty = changelogWithRelease(changelog, '0.2.0', '2026-12-01');
    expect(() => changelogWithRelease(empty, '0.3.0', '2026-12-02')).toThrow('nothing under');
    expect(() => changelogWithRelease('# Changelog\n', '0.2.0', 'd')).toThrow('no "## [Unreleased]"');
    expect(() => changelogWithRelease(changelog, '0.1.0', 'd')).toThrow('already has a section for 0.1.0');
  });
});

describe('bumpVersion on a copy of the project’s own files', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function copyProject(): string {
    dir = mkdtempSync(path.join(os.tmpdir(), 'version-bump-'));
    for (const file of ['package.json', 'package-lock.json', 'manifest.json', 'CHANGELOG.md']) {
      writeFileSync(path.join(dir, file), readFileSync(path.resolve(file), 'utf8'));
    }
    return dir;
  }
  const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');

  test('writes one new version in package.json, package-lock.json, manifest.json and CHANGELOG.md', () => {
    copyProject();
    const before = {
      packageJson: read('package.json'),
      manifest: read('manifest.json'),
      changelog: read('CHANGELOG.md'),
    };
    const from = currentVersion(dir);
    // The project's own Unreleased section may be empty between releases: give it an entry.
    writeFileSync(
      path.join(dir, 'CHANGELOG.md'),
      before.changelog.replace('## [Unreleased]\n', '## [Unreleased]\n\n- A change.\n'),
    );

    const bump = bumpVersion(dir, 'major', '2030-01-02');
    const to = nextVersion(from, 'major');
    expect(bump).toEqual({
      from,
      to,
      files: ['package.json', 'package-lock.json', 'manifest.json', 'CHANGELOG.md'],
    });
    expect(currentVersion(dir)).toBe(to);
    // Nothing else in the files changed.
    const swap = (text: string) => text.replaceAll(`"version": "${to}"`, `"version": "${from}"`);
    expect(swap(read('package.json'))).toBe(before.packageJson);
    expect(swap(read('manifest.json'))).toBe(before.manifest);
    const lock = JSON.parse(read('package-lock.json')) as {
      version: string;
      packages: Record<string, object>;
    };
    expect(lock.version).toBe(to);
    expect(lock.packages['']).toMatchObject({ version: to });
    expect(read('CHANGELOG.md')).toContain(`## [Unreleased]\n\n## [${to}] - 2030-01-02\n\n- A change.\n`);
  });

  test('refuses, writing nothing, when the files disagree', () => {
    copyProject();
    const manifest = read('manifest.json');
    writeFileSync(path.join(dir, 'manifest.json'), withTopLevelVersion(manifest, '9.9.9', 'manifest.json'));
    const lock = read('package-lock.json');
    expect(() => bumpVersion(dir, 'patch')).toThrow(/^The versions disagree \(.*manifest\.json 9\.9\.9\)/);
    expect(read('package-lock.json')).toBe(lock);
  });

  test('refuses when the lock’s root package says another version', () => {
    copyProject();
    const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { version: string }> };
    const from = currentVersion(dir);
    (lock.packages[''] as { version: string }).version = '0.0.9';
    writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify(lock, null, 2));
    expect(() => bumpVersion(dir, 'patch')).toThrow(
      `package-lock.json ${from} (its root package 0.0.9), manifest.json ${from}`,
    );
  });
});
