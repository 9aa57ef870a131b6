import { mkdirSync, writeFileSync } from 'node:fs';
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

/** Prints the plain closing line CI reads: `e2e: N passed, N failed, N skipped`. */
export default class SummaryReporter implements Reporter {
  private passed = 0;
  private failed = 0;
  private skipped = 0;
  private startedAt = Date.now();

  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.retry < test.retries && result.status !== 'passed') return;
    if (result.status === 'passed') this.passed += 1;
    else if (result.status === 'skipped') this.skipped += 1;
    else this.failed += 1;
  }

  onEnd(_result: FullResult): void {
    const seconds = ((Date.now() - this.startedAt) / 1000).toFixed(1);
    console.log(`e2e wall time: ${seconds} s`);
    console.log(`e2e: ${this.passed} passed, ${this.failed} failed, ${this.skipped} skipped`);
    mkdirSync('artifacts', { recursive: true });
    const summary = {
      passed: this.passed,
      failed: this.failed,
      skipped: this.skipped,
      seconds: Number(seconds),
    };
    writeFileSync('artifacts/e2e-summary.json', JSON.stringify(summary));
  }
}
