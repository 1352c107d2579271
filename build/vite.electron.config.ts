// The Electron main process and preload builds, used by vite.config.ts's `main` and `preload` modes:
//   vite build --mode main     → dist/main/main.js (ESM)
//   vite build --mode preload  → dist/preload/preload.cjs
// The main bundle holds the core and every npm dependency, so the packaged app needs no node_modules;
// only `electron` and Node's built-ins (node:sqlite among them) stay outside. The preload is one
// CommonJS script because a sandboxed preload cannot import modules.
import { builtinModules } from 'node:module';
import path from 'node:path';
import type { UserConfig } from 'vite';

const root = path.resolve(import.meta.dirname, '..');
const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`), 'node:sqlite', 'node:sea', 'node:test'];

export function mainConfig(): UserConfig {
  return {
    root,
    publicDir: false,
    logLevel: 'warn',
    build: {
      ssr: path.join(root, 'electron', 'main.ts'),
      outDir: path.join(root, 'dist', 'main'),
      emptyOutDir: true,
      // Electron 45 runs Node 22.
      target: 'node22',
      sourcemap: true,
      minify: false,
      rolldownOptions: {
        external: ['electron', ...nodeBuiltins],
        // One file: the packaged app loads dist/main/main.js alone.
        output: { format: 'es', entryFileNames: 'main.js', codeSplitting: false },
      },
    },
    ssr: { noExternal: true, target: 'node' },
  };
}

export function preloadConfig(): UserConfig {
  return {
    root,
    publicDir: false,
    logLevel: 'warn',
    build: {
      outDir: path.join(root, 'dist', 'preload'),
      emptyOutDir: true,
      target: 'chrome120',
      sourcemap: false,
      minify: false,
      lib: { entry: path.join(root, 'electron', 'preload.ts'), formats: ['cjs'], fileName: () => 'preload.cjs' },
      rolldownOptions: { external: ['electron'] },
    },
  };
}
