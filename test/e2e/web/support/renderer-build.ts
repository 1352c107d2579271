// `footprint serve` serves the built renderer (dist/renderer). A browser test of stale files would test
// old code, so the build is redone whenever a renderer or shared source is newer than the build.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../../support/footprint-process.js';

const builtIndex = path.join(repoRoot, 'dist', 'renderer', 'index.html');
const inputs = ['renderer', 'shared', 'vite.config.ts'].map((entry) => path.join(repoRoot, entry));

function newestChange(entry: string): number {
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of readdirSync(entry)) newest = Math.max(newest, newestChange(path.join(entry, child)));
  return newest;
}

/** Builds dist/renderer with Vite when it is missing or older than its sources. */
export function ensureRendererBuilt(): void {
  if (existsSync(builtIndex) && statSync(builtIndex).mtimeMs >= Math.max(...inputs.filter(existsSync).map(newestChange))) return;
  const vite = path.join(repoRoot, 'node_modules', '.bin', 'vite');
  // The bundle users get (npm run build): under Vitest NODE_ENV is "test", and Vite would build React's
  // development runtime, several times slower than the production one the benches mean to time.
  const result = spawnSync(vite, ['build', '--logLevel', 'warn'], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
  if (result.status !== 0) throw new Error(`vite build failed (status ${result.status}):\n${result.stdout}\n${result.stderr}`);
}
