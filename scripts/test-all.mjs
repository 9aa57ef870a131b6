#!/usr/bin/env node
// Every test the project has, in the order that fails fastest: lint, types, unit, snippets, build, end to end.
// Prints each runner's own summary, then one closing line with the totals.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';

mkdirSync('artifacts', { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
const timings = [];

function step(name, command, args, env = {}) {
  console.log(`\n=== ${name}: ${[command, ...args].join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const seconds = (Date.now() - started) / 1000;
  timings.push(`${name} ${seconds.toFixed(1)} s`);
  if (result.status !== 0) {
    console.log(`\n${name} failed (exit ${result.status ?? result.signal}).`);
    finish(false);
  }
}

function finish(ok) {
  console.log(`\nTimings: ${timings.join(' · ')}`);
  console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  process.exit(ok && totals.failed === 0 ? 0 : 1);
}

function addCounts(file, read) {
  try {
    const counts = read(JSON.parse(readFileSync(file, 'utf8')));
    totals.passed += counts.passed;
    totals.failed += counts.failed;
    totals.skipped += counts.skipped;
  } catch {
    console.log(`(no result file ${file})`);
  }
}

step('lint', 'npm', ['run', '--silent', 'lint']);
step('typecheck', 'npm', ['run', '--silent', 'typecheck']);
step('unit', 'npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  '--outputFile=artifacts/unit.json',
]);
/** Counts from vitest's JSON reporter. */
const vitestCounts = (r) => ({
  passed: r.numPassedTests,
  failed: r.numFailedTests,
  skipped: r.numPendingTests + r.numTodoTests,
});
addCounts('artifacts/unit.json', vitestCounts);
// The "Copy as code" programs, run unmodified by their own runtimes against the sandbox (in a network namespace
// as root; skipped with the reason otherwise). It writes artifacts/snippets.json itself.
step('snippets', 'bash', ['scripts/run-snippets.sh']);
addCounts('artifacts/snippets.json', vitestCounts);
step('build', 'npm', ['run', '--silent', 'build']);
step('firefox lint', 'npm', ['run', '--silent', 'lint:firefox']);
step('e2e', 'npx', ['playwright', 'test']);
addCounts('artifacts/e2e-summary.json', (r) => r);
finish(true);
