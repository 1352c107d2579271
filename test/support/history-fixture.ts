// A committed history file written by an older Footprint (test/fixtures/history/), copied into a
// test's folder so the migration under test never changes the committed file.
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';

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
