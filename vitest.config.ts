import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'e2e/sandbox/**/*.test.ts'],
    environment: 'node',
    restoreMocks: true,
  },
});
