// `npm start` where the Electron binary is missing: a clear message and a non-zero exit, never a
// download attempt or a half-started app. The script runs from a copy in a temp folder whose
// node_modules/electron has no binary, so the result is the same whether or not this machine has one.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-start-'));
  mkdirSync(path.join(dir, 'scripts'));
  copyFileSync(path.join(repoRoot, 'scripts', 'start.mjs'), path.join(dir, 'scripts', 'start.mjs'));
  // What `npm install` leaves when the binary download was skipped or blocked: the package without dist/ or path.txt.
  mkdirSync(path.join(dir, 'node_modules', 'electron'), { recursive: true });
  writeFileSync(path.join(dir, 'node_modules', 'electron', 'package.json'), '{"name":"electron","version":"45.4.1"}');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function start(env: NodeJS.ProcessEnv = {}) {
  const clean = { ...process.env };
  delete clean.ELECTRON_OVERRIDE_DIST_PATH;
  return spawnSync(process.execPath, [path.join(dir, 'scripts', 'start.mjs')], { cwd: dir, encoding: 'utf8', env: { ...clean, ...env }, timeout: 20_000 });
}

describe('npm start without the Electron binary', () => {
  it('exits non-zero with what is missing, how to install it, and the headless alternative', () => {
    const result = start();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('the Electron binary is not installed');
    expect(result.stderr).toContain('GitHub releases');
    expect(result.stderr).toContain('npx install-electron');
    expect(result.stderr).toContain('node node_modules/electron/install.js');
    expect(result.stderr).toContain('npx footprint serve');
    expect(result.stdout).not.toContain('Building');
  });

  it('says the same when path.txt names a binary that is not there', () => {
    writeFileSync(path.join(dir, 'node_modules', 'electron', 'path.txt'), 'electron');
    const result = start();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('npx install-electron');
  });
});
