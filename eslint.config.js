// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'artifacts/', 'node_modules/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      // A secret must never reach a log line: console output is allowed only for warnings and errors,
      // and src/ code passes nothing secret to them (see redact.ts).
      'no-console': ['error', { allow: ['warn', 'error'] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The pure core must stay free of browser APIs so it runs and is tested in Node.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['webextension-polyfill', '../platform/*', '../background/*', '../popup/*'] },
      ],
      'no-restricted-globals': ['error', 'browser', 'chrome', 'window', 'document', 'localStorage'],
    },
  },
  {
    files: ['e2e/**/*.ts', 'scripts/**/*.{ts,mjs}'],
    rules: { 'no-console': 'off' },
  },
);
