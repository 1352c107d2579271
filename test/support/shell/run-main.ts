// Runs main-harness.ts (electron/main.ts, or a built bundle, under the fake Electron) in a child
// process with a config file in `dir`, and returns the RESULT object it prints.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');

export function runMain(dir: string, configText: string, env: Record<string, string> = {}): Promise<Record<string, any>> {
  const configFile = path.join(dir, 'footprint.yaml');
  writeFileSync(configFile, configText);
  // Without the developer's own Footprint settings or tokens.
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('FOOTPRINT_') && !key.endsWith('_TOKEN')));
  const child = spawn(process.execPath, ['--import', './scripts/ts-register.mjs', 'test/support/shell/main-harness.ts'], {
    cwd: repoRoot,
    env: { ...clean, FOOTPRINT_CONFIG: configFile, FOOTPRINT_USER_DATA_DIR: path.join(dir, 'user-data'), FOOTPRINT_TEST_HOOKS: '1', FOOTPRINT_LOG_LEVEL: 'silent', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve, reject) => {
    child.once('close', () => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((text) => text.startsWith('RESULT '));
      if (line) resolve(JSON.parse(line.slice('RESULT '.length)));
      else reject(new Error(`the harness printed no result\nstdout: ${stdout}\nstderr: ${stderr}`));
    });
  });
}
