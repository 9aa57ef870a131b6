#!/usr/bin/env node
// Every test the project has, the fast checks first: lint beside types, snippets, build; unit; end to end.
// Prints each runner's own summary, then one closing line with the totals.
import { spawn, spawnSync } from 'node:child_process';
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

/**
 * Runs chains of steps side by side, each chain's steps one after the other, their output held and printed
 * chain by chain once all are done (interleaved lines would be unreadable). For the single-threaded checks:
 * eslint alone takes one core for over a minute while the other would idle.
 */
async function sideBySide(chains) {
  const started = Date.now();
  const runs = chains.map(async (chain) => {
    const log = [];
    for (const [name, command, args] of chain) {
      log.push(`\n=== ${name}: ${[command, ...args].join(' ')}\n`);
      const stepStarted = Date.now();
      const status = await new Promise((resolve) => {
        const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
        child.stdout.on('data', (chunk) => log.push(chunk));
        child.stderr.on('data', (chunk) => log.push(chunk));
        child.on('close', (code, signal) => resolve(code ?? signal));
      });
      timings.push(`${name} ${((Date.now() - stepStarted) / 1000).toFixed(1)} s`);
      if (status !== 0) return { log, failed: `${name} failed (exit ${status}).` };
    }
    return { log };
  });
  const results = await Promise.all(runs);
  for (const { log } of results) process.stdout.write(log.join(''));
  console.log(`\n(side by side: ${((Date.now() - started) / 1000).toFixed(1)} s wall)`);
  const failures = results.filter((r) => r.failed).map((r) => r.failed);
  if (failures.length > 0) {
    console.log(`\n${failures.join('\n')}`);
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

// The single-threaded checks and the build, two chains side by side; then the unit tests (which use both
// cores); then end to end. The snippet suite writes artifacts/snippets.json itself: the "Copy as code"
// programs, run unmodified by their own runtimes against the sandbox (in a network namespace as root; skipped
// with the reason otherwise).
await sideBySide([
  [['lint', 'npm', ['run', '--silent', 'lint']]],
  [
    ['typecheck', 'npm', ['run', '--silent', 'typecheck']],
    ['snippets', 'bash', ['scripts/run-snippets.sh']],
    ['build', 'npm', ['run', '--silent', 'build']],
    ['firefox lint', 'npm', ['run', '--silent', 'lint:firefox']],
  ],
]);
/** Counts from vitest's JSON reporter. */
const vitestCounts = (r) => ({
  passed: r.numPassedTests,
  failed: r.numFailedTests,
  skipped: r.numPendingTests + r.numTodoTests,
});
addCounts('artifacts/snippets.json', vitestCounts);
step('unit', 'npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  '--outputFile=artifacts/unit.json',
]);
addCounts('artifacts/unit.json', vitestCounts);
step('e2e', 'npx', ['playwright', 'test']);
addCounts('artifacts/e2e-summary.json', (r) => r);
finish(true);
