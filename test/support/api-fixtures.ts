// Recorded API shapes (test/fixtures/api, with their README): the facts the loopback fakes and the
// sources' parsers are checked against. They live in the repository, so a fresh clone tests alone.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const API_FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures', 'api');

/** A fixture file's text. */
export function apiFixtureText(name: string): string {
  return readFileSync(path.join(API_FIXTURES, name), 'utf8');
}

/** A fixture file, parsed. */
export function apiFixture<T = any>(name: string): T {
  return JSON.parse(apiFixtureText(name)) as T;
}
