import { defineConfig } from '@playwright/test';

// Every test launches its own browser with the built extension and its own sandbox, so tests are independent
// and can run two at a time on a 2-core machine.
export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  timeout: 45_000,
  expect: { timeout: 8_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: process.env.CI ? [['list'], ['./e2e/summary-reporter.ts']] : [['list'], ['./e2e/summary-reporter.ts']],
  outputDir: 'test-results',
  use: { trace: 'off', screenshot: 'off' },
});
