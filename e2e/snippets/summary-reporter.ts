/**
 * Closes the executed-snippet run with what was really executed, one language per entry:
 *   Snippets executed: java 5/5, csharp 5/5, … · skipped: ruby (ruby is not installed …) · not executable here: Swift (…), the … SDK forms (…)
 * and the suite's wall time.
 */
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import { SNIPPET_LANGUAGES } from '../../src/core/snippets';
import { notExecuted, RUNTIMES } from './runtimes';

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
  total: number;
  reasons: Set<string>;
}

export default class SnippetSummaryReporter implements Reporter {
  private readonly startedAt = Date.now();

  onTestRunEnd(testModules: readonly TestModule[]): void {
    const tallies = new Map<string, Tally>();
    for (const runtime of RUNTIMES) {
      tallies.set(runtime.name, { passed: 0, failed: 0, skipped: 0, total: 0, reasons: new Set() });
    }
    for (const module of testModules) {
      for (const testCase of module.children.allTests()) this.count(tallies, testCase);
    }

    const executed: string[] = [];
    /** Reason -> the languages skipped for it (one reason is usually shared by all of them). */
    const skippedFor = new Map<string, string[]>();
    for (const [name, tally] of tallies) {
      if (tally.total === 0) continue;
      if (tally.skipped === tally.total) {
        const reason = [...tally.reasons].join('; ') || 'filtered out';
        skippedFor.set(reason, [...(skippedFor.get(reason) ?? []), name]);
        continue;
      }
      const failed = tally.failed > 0 ? ` (${tally.failed} FAILED)` : '';
      executed.push(`${name} ${tally.passed}/${tally.total}${failed}`);
    }
    const notHere = notExecuted(SNIPPET_LANGUAGES);
    const parts = [`Snippets executed: ${executed.length > 0 ? executed.join(', ') : 'none'}`];
    const skipped = [...skippedFor].map(([reason, names]) => `${names.join(', ')} (${reason})`);
    if (skipped.length > 0) parts.push(`skipped: ${skipped.join('; ')}`);
    if (notHere.length > 0) parts.push(`not executable here: ${notHere.join(', ')}`);
    console.log(`\n${parts.join(' · ')}`);
    console.log(`snippets wall time: ${((Date.now() - this.startedAt) / 1000).toFixed(1)} s`);
  }

  private count(tallies: Map<string, Tally>, testCase: TestCase): void {
    const suite = testCase.parent.type === 'suite' ? testCase.parent.name : '(top level)';
    let tally = tallies.get(suite);
    if (!tally) {
      tally = { passed: 0, failed: 0, skipped: 0, total: 0, reasons: new Set() };
      tallies.set(suite, tally);
    }
    tally.total += 1;
    const state = testCase.result().state;
    if (state === 'passed') tally.passed += 1;
    else if (state === 'failed') tally.failed += 1;
    else tally.skipped += 1;
    const reason = testCase.meta().snippetSkip;
    if (reason) tally.reasons.add(reason);
  }
}
