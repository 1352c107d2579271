// History files for tests: a committed file written by an older Footprint (test/fixtures/history/),
// copied into a test's folder so the migration under test never changes it; and stores opened in a
// folder of their own per test.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach } from 'vitest';
import { HistoryStore, type HistoryStoreOptions } from '../../electron/core/store/history-store.js';

/** Copies test/fixtures/history/`name` to `file` and returns the schema version it was written with. */
export function copyHistoryFixture(name: string, file: string): number {
  fs.copyFileSync(path.resolve('test/fixtures/history', name), file);
  const header = new DatabaseSync(file, { readOnly: true });
  try {
    return Number(header.prepare('PRAGMA user_version').get()?.user_version);
  } finally {
    header.close();
  }
}

/**
 * A fresh folder per test and a way to open history stores in it; every store opened is closed
 * and the folder removed after the test.
 */
export function historyStoresPerTest(): { dir: () => string; open: (name?: string, options?: HistoryStoreOptions) => HistoryStore } {
  let dir = '';
  const stores: HistoryStore[] = [];
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'footprint-'));
  });
  afterEach(() => {
    for (const store of stores.splice(0)) store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir: () => dir,
    open: (name = 'history.db', options) => {
      const store = HistoryStore.open(path.join(dir, name), options);
      stores.push(store);
      return store;
    },
  };
}
