import { defineConfig } from 'vitest/config';

// The executed-snippet suite only (scripts/run-snippets.sh runs it; the main vitest.config.ts leaves it out).
// Cases run concurrently: each waits mostly on a child process and tells its requests apart by its own tokens.
export default defineConfig({
  test: {
    include: ['e2e/snippets/**/*.test.ts'],
    environment: 'node',
    sequence: { concurrent: true },
    maxConcurrency: 4,
    testTimeout: 90_000,
    hookTimeout: 60_000,
    reporters: [
      'default',
      ['json', { outputFile: 'artifacts/snippets.json' }],
      './e2e/snippets/summary-reporter.ts',
    ],
  },
});
