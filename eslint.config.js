// Lint, and the layering rules of DEVELOPERS.md (also checked import-by-import in test/unit/layering.test.ts):
// electron/core never imports Electron or the shell; renderer never imports Node or Electron; shared imports neither.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'http', 'https', 'net', 'crypto', 'url', 'util', 'stream', 'events', 'worker_threads'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.tmp/**', '.ci/node/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'bin/**/*.js', '.ci/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
  },
  {
    files: ['electron/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'electron/core runs under plain Node: never import electron here (put shell code in electron/).' }],
        patterns: [
          { group: ['electron/*'], message: 'electron/core never imports Electron.' },
          { group: ['**/renderer/**', '../*.js', '../../electron/**'], message: 'electron/core is the lowest layer: it never imports the shell (electron/*) or the renderer.' },
        ],
      }],
    },
  },
  {
    files: ['electron/core/*/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'electron/core runs under plain Node: never import electron here.' }],
        patterns: [
          { group: ['electron/*'], message: 'electron/core never imports Electron.' },
          { group: ['**/renderer/**'], message: 'electron/core never imports the renderer.' },
        ],
      }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'The renderer never imports Electron: use the typed client in renderer/api.' }],
        patterns: [
          { group: nodeBuiltins, message: 'The renderer never imports Node: it talks to the core through the typed client.' },
          { group: ['**/electron/**'], message: 'The renderer never imports the main process: only shared/ contracts.' },
        ],
      }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'shared/ is used by both sides: no Electron.' }],
        patterns: [
          { group: nodeBuiltins, message: 'shared/ is used by the renderer too: no Node modules.' },
          { group: ['**/electron/**', '**/renderer/**'], message: 'shared/ is the bottom layer: it imports neither side.' },
        ],
      }],
    },
  },
);
