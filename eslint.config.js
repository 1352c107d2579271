// Lint, and the layering rules of DEVELOPERS.md: electron/core never imports Electron or the shell; the
// renderer never imports Node, Electron or the main process; shared/ imports neither side. Imports are
// resolved to files (TypeScript's resolver) and each file is put in a layer by its path, as VS Code's
// code-import-patterns does, so `../shell/x.js` from electron/core is caught whatever its spelling, and a
// file no layer covers is an error. test/unit/layering.test.ts proves each rule fails on a wrong import.
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';

/** Every file of the project belongs to one layer; the first pattern that matches decides. */
const layers = [
  { type: 'shared', pattern: 'shared/**', partialMatch: false },
  { type: 'core', pattern: 'electron/core/**', partialMatch: false },
  { type: 'shell', pattern: 'electron/**', partialMatch: false },
  { type: 'renderer', pattern: 'renderer/**', partialMatch: false },
  // Not shipped in a layer of the app: tests, benchmarks, build and tool scripts may import any layer.
  { type: 'tooling', pattern: ['test/**', 'bench/**', 'build/**', 'scripts/**', 'bin/**', '.ci/**'], partialMatch: false },
];

const layer = (type) => ({ element: { type } });
const nodeBuiltins = { module: { origin: 'core' } };
const electronModule = { module: { origin: 'external', source: 'electron' } };

const layering = {
  files: ['**/*.{ts,tsx,js,mjs}'],
  plugins: { boundaries },
  settings: {
    'boundaries/elements': layers,
    'boundaries/include': ['**/*.{ts,tsx,js,mjs}'],
    'boundaries/dependency-nodes': ['import', 'export', 'dynamic-import', 'require'],
    // The tools' own configuration files at the root (vite, vitest, playwright, this one) are no layer of the app.
    'boundaries/ignore': ['*.config.{ts,js,mjs}'],
    'import/resolver': { typescript: { project: './tsconfig.json' }, node: true },
  },
  rules: {
    'boundaries/no-unknown-files': 'error',
    'boundaries/no-unknown-dependencies': 'error',
    'boundaries/dependencies': ['error', {
      default: 'disallow',
      checkAllOrigins: true, // Node's own modules and packages (electron) too, not only project files
      message: '{{from.element.type}} must not import {{to.element.type}}{{to.module.source}} (see the layers in DEVELOPERS.md)',
      policies: [
        { from: layer('shared'), allow: { to: layer('shared') } },
        { from: layer('core'), allow: { to: [layer('shared'), layer('core'), nodeBuiltins, { module: { origin: 'external' } }] } },
        { from: layer('core'), disallow: { to: electronModule }, message: 'electron/core runs under plain Node: it never imports electron (put shell code in electron/)' },
        { from: layer('shell'), allow: { to: [layer('shared'), layer('core'), layer('shell'), nodeBuiltins, { module: { origin: 'external' } }] } },
        { from: layer('renderer'), allow: { to: [layer('shared'), layer('renderer'), { module: { origin: 'external' } }] } },
        { from: layer('renderer'), disallow: { to: electronModule }, message: 'The renderer never imports Electron: use the typed client in renderer/api' },
        { from: layer('tooling'), allow: { to: [layer('shared'), layer('core'), layer('shell'), layer('renderer'), layer('tooling'), nodeBuiltins, { module: { origin: 'external' } }] } },
      ],
    }],
  },
};

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
  layering,
);
