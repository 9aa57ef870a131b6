import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'e2e/sandbox/**/*.test.ts', 'scripts/*.test.ts'],
    environment: 'node',
    restoreMocks: true,
    // The one fake browser every unit test runs against, reset before each test.
    setupFiles: ['src/test-support/fake-browser.ts'],
  },
});
