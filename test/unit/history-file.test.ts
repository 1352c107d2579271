// Which paths can hold the history file, and what the store says about the ones that cannot —
// before SQLite is asked to open them ("disk I/O error" for a folder, a hang on a named pipe).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { historyFileProblem } from '../../electron/core/store/history-file.js';
import { HistoryFileError, HistoryStore, StoreError } from '../../electron/core/store/history-store.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'footprint-history-file-'));
});
afterEach(() => {
  fs.chmodSync(dir, 0o700);
  fs.rmSync(dir, { recursive: true, force: true });
});

function openError(file: string): Error {
  try {
    HistoryStore.open(file).close();
  } catch (error) {
    return error as Error;
  }
  throw new Error(`expected HistoryStore.open(${file}) to fail`);
}

describe('historyFileProblem', () => {
  it('accepts a new file in a folder still to be made, and an existing history file', () => {
    expect(historyFileProblem(path.join(dir, 'a', 'b', 'history.db'))).toBeNull();
    const file = path.join(dir, 'history.db');
    HistoryStore.open(file).close();
    expect(historyFileProblem(file)).toBeNull();
  });

  it('refuses a directory, suggesting a file inside it, and the store says so instead of "disk I/O error"', () => {
    const message = `${dir} is a directory — name a file, e.g. ${path.join(dir, 'footprint.db')}`;
    expect(historyFileProblem(dir)).toBe(message);
    const error = openError(dir);
    expect(error).toBeInstanceOf(HistoryFileError);
    expect(error).toBeInstanceOf(StoreError);
    expect(error.message).toBe(message);
  });

  it('refuses a path under a file', () => {
    const file = path.join(dir, 'plain.txt');
    fs.writeFileSync(file, 'x');
    expect(historyFileProblem(path.join(file, 'history.db'))).toBe(`${file} is a file, so ${path.join(file, 'history.db')} cannot be created under it — name a file in a folder`);
  });

  it.skipIf(process.platform === 'win32')('refuses a named pipe without opening it (opening one blocks until a writer comes)', () => {
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    expect(historyFileProblem(fifo)).toBe(`${fifo} is a named pipe (FIFO), not a file — name a file on a disk`);
  });

  it.skipIf(process.platform !== 'linux')('refuses the kernel filesystems /proc and /sys, existing entries or not', () => {
    expect(historyFileProblem('/proc/footprint.db')).toBe("/proc/footprint.db is on the kernel's proc filesystem, which cannot hold files — name a file on a disk");
    expect(historyFileProblem('/proc/self/status')).toBe("/proc/self/status is on the kernel's proc filesystem, which cannot hold files — name a file on a disk");
    expect(historyFileProblem('/sys/kernel/footprint/history.db')).toBe("/sys/kernel/footprint/history.db is on the kernel's sysfs filesystem, which cannot hold files — name a file on a disk");
    expect(openError('/proc/footprint.db')).toBeInstanceOf(HistoryFileError);
  });

  it.skipIf(process.platform === 'win32')('refuses /dev and its devices', () => {
    expect(historyFileProblem('/dev/null')).toBe('/dev/null is in /dev, the folder of device files — name a file on a disk');
    expect(historyFileProblem('/dev/footprint.db')).toBe('/dev/footprint.db is in /dev, the folder of device files — name a file on a disk');
    expect(openError('/dev/null')).toBeInstanceOf(HistoryFileError);
  });

  // root may write anywhere, so only an ordinary user can see this refusal.
  it.skipIf(process.platform === 'win32' || process.getuid?.() === 0)('refuses a folder this user cannot write to', () => {
    fs.chmodSync(dir, 0o500);
    expect(historyFileProblem(path.join(dir, 'sub', 'history.db'))).toBe(`${dir} is not writable by this user — choose a place this user can write to, or change the permissions`);
  });
});
