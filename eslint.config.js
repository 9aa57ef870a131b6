// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'artifacts/', 'node_modules/', 'test-results/', 'playwright-report/', '.scratch/'] },
  js.configs.recommended,
  // Type-aware: catches floating and misused promises, `any` leaking out of browser APIs, and assertions
  // the types already prove, none of which the syntax-only `strict` set can see.
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.browser, ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A secret must never reach a log line: console output is allowed only for warnings and errors,
      // and src/ code passes nothing secret to them (see redact.ts).
      'no-console': ['error', { allow: ['warn', 'error'] }],
      // `const { dropped: _dropped, ...rest } = value` is how a key is left out of a copy.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // Numbers read fine in messages (`${seconds} s`); objects, `undefined` and `null` still do not.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `() => void doSomething()` style callbacks that return a void call are the idiom for handlers.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
    },
  },
  {
    // Preact components and their hooks follow the same rules as React's: hooks called unconditionally, and
    // every value an effect reads listed in its dependencies.
    files: ['src/popup/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      // One writer by construction: the popup reads storage itself (to paint at once) but every write goes
      // through a message to the worker, the only code that may import the write side.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/platform/storage-write',
                '**/platform/auth-attempts',
                '**/platform/exchange-log',
                '**/background/*',
              ],
              message: 'Only the background worker writes storage: send it a message instead.',
            },
            {
              group: ['**/platform/message-listener'],
              message: 'The worker listens; a page sends with platform/messaging.',
            },
          ],
        },
      ],
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
  {
    // Plain JavaScript has no types to check against: keep the syntax rules, drop the type-aware ones.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
