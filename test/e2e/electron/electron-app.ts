// Launching the real Footprint app for end-to-end tests: a temp folder with a config that points at
// loopback fakes, the app's own settings folder, the built bundles, and Playwright's _electron.
// Where the Electron binary is not installed (it downloads from GitHub releases), every spec is
// skipped with a SKIPPED line: it is never counted as passed.
import { _electron, test, type ElectronApplication } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
export const SKIP_REASON = 'SKIPPED: Electron binary not installed (npx install-electron)';

/** The Electron executable (as scripts/start.mjs finds it), or null when it is not installed. */
export function electronExecutable(): string | null {
  const packageDir = path.join(repoRoot, 'node_modules', 'electron');
  const pathFile = path.join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron');
  if (!relative) return null;
  const executable = path.join(packageDir, 'dist', relative);
  return existsSync(executable) ? executable : null;
}

let announced = false;

/** Call at the top of each spec file: skips its tests (with a printed SKIPPED line) when Electron is missing. */
export function skipWithoutElectron(): void {
  const missing = electronExecutable() === null;
  if (missing && !announced) {
    announced = true;
    console.log(SKIP_REASON);
  }
  test.skip(missing, SKIP_REASON);
}

let built = false;

/** Builds renderer, main and preload once per worker (npm start builds the same way). */
export function buildApp(): void {
  if (built) return;
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'start.mjs'), '--build-only'], { cwd: repoRoot, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`building the app failed:\n${result.stdout}\n${result.stderr}`);
  built = true;
}

export interface RunningApp {
  readonly app: ElectronApplication;
  readonly dir: string;
  readonly configFile: string;
  close(): Promise<void>;
}

/** The test's environment without the developer's own Footprint settings or tokens. */
function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || key.startsWith('FOOTPRINT_') || key.endsWith('_TOKEN') || key === 'ELECTRON_RUN_AS_NODE') continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

/** Starts the app with `configText` as its config file (storage and settings in a temp folder). */
export async function launchApp(configText: string, env: Record<string, string> = {}): Promise<RunningApp> {
  buildApp();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-e2e-'));
  const configFile = path.join(dir, 'footprint.yaml');
  writeFileSync(configFile, configText);
  const executablePath = electronExecutable();
  if (!executablePath) throw new Error(SKIP_REASON);
  // Chromium refuses to run as root with its OS sandbox (CI containers); the renderer sandbox setting is unaffected.
  const chromiumFlags = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  const app = await _electron.launch({
    executablePath,
    args: [...chromiumFlags, repoRoot, '--config', configFile],
    cwd: dir,
    env: cleanEnv({ ...env, FOOTPRINT_USER_DATA_DIR: path.join(dir, 'user-data'), FOOTPRINT_TEST_HOOKS: '1', FOOTPRINT_LOG_LEVEL: 'warn' }),
    timeout: 60_000,
  });
  return {
    app,
    dir,
    configFile,
    close: async () => {
      await app.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What main.ts exposes to tests (FOOTPRINT_TEST_HOOKS=1) on the main process's globalThis. */
/** What the app exposes with --test-hooks (electron/shell/lifecycle/test-hooks.ts). */
export type { ShellTestHooks as ShellHooks } from '../../../electron/shell/lifecycle/test-hooks.js';

/** Polls `probe` until it returns something other than undefined/false/null. */
export async function eventually<T>(probe: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    last = await probe();
    if (last !== undefined && last !== null && last !== false) return last as T;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}
