import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isKnownVendorWarning, judge } from './lint-firefox';

const innerHtml = { code: 'UNSAFE_VAR_ASSIGNMENT', file: 'assets/jsxRuntime-D8gzsWk5.js', line: 1 };

describe('the Firefox lint step', () => {
  it('passes with only Preact’s innerHTML warning, and names it', () => {
    const { ok, lines } = judge({ errors: [], notices: [], warnings: [innerHtml] });
    expect(ok).toBe(true);
    expect(lines[0]).toContain('1 known');
  });

  it('fails on any other warning, a notice or an error, and prints it', () => {
    const other = { code: 'UNSAFE_VAR_ASSIGNMENT', file: 'assets/index.html-abc.js', line: 3 };
    expect(judge({ errors: [], notices: [], warnings: [innerHtml, other] })).toMatchObject({ ok: false });
    expect(judge({ errors: [{ code: 'X' }], notices: [], warnings: [] }).ok).toBe(false);
    expect(judge({ errors: [], notices: [{ code: 'Y' }], warnings: [] }).ok).toBe(false);
    expect(judge({ errors: [], notices: [], warnings: [other] }).lines.join('\n')).toContain(
      'index.html-abc.js',
    );
    expect(isKnownVendorWarning({ ...innerHtml, code: 'DANGEROUS_EVAL' })).toBe(false);
  });

  it('holds because our code never sets innerHTML', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (/\.tsx?$/.test(name) && !name.includes('.test.')) files.push(full);
      }
    };
    walk('src');
    const offenders = files.filter((f) => /innerHTML|dangerouslySetInnerHTML/.test(readFileSync(f, 'utf8')));
    expect(files.length).toBeGreaterThan(50);
    expect(offenders).toEqual([]);
  });
});
