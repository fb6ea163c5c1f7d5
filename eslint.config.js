// ESLint flat config: @eslint/js recommended + typescript-eslint recommended (syntax only, not the
// type-checked set, so `npm run lint` stays fast; `npm run typecheck` covers types).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

// The runtime globals plain JavaScript files may use (TypeScript files are checked by tsc instead,
// and typescript-eslint turns no-undef off for them). Listed here because the `globals` package
// is not a dependency.
const sharedGlobals = Object.fromEntries(
  [
    'AbortController', 'AbortSignal', 'atob', 'btoa', 'Blob', 'clearInterval', 'clearTimeout',
    'console', 'crypto', 'CustomEvent', 'Event', 'EventTarget', 'fetch', 'FormData', 'globalThis',
    'Headers', 'performance', 'queueMicrotask', 'Request', 'Response', 'setInterval', 'setTimeout',
    'structuredClone', 'TextDecoder', 'TextEncoder', 'URL', 'URLSearchParams', 'WebSocket',
  ].map((name) => [name, 'readonly']),
);
const nodeOnly = ['Buffer', 'clearImmediate', 'process', 'setImmediate'];
const nodeGlobals = Object.fromEntries(nodeOnly.map((name) => [name, 'readonly']));
const browserGlobals = Object.fromEntries(
  [
    'customElements', 'document', 'CSS', 'HTMLElement', 'localStorage', 'location', 'MessageEvent',
    'navigator', 'sessionStorage', 'window',
  ].map((name) => [name, 'readonly']),
);

export default defineConfig(
  {
    ignores: ['dist/', 'node_modules/', 'bench/results/', 'data/', 'coverage/', 'test-results/', '.tmp/'],
  },
  {
    files: [
      '{src,test,bench,web,scripts,bin}/**/*.{ts,mts,cts,js,mjs,cjs}',
      '*.{js,mjs,cjs,ts}',
    ],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...sharedGlobals, ...nodeGlobals },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Browser code: the page's globals, not Node's (web/'s build script is Node code).
    files: ['web/**/*.{js,mjs}'],
    ignores: ['web/**/*.config.{js,mjs}', 'web/build*.{js,mjs}'],
    languageOptions: {
      globals: { ...browserGlobals, ...Object.fromEntries(nodeOnly.map((name) => [name, 'off'])) },
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', exports: 'writable', __dirname: 'readonly', __filename: 'readonly' },
    },
  },
);
