import { describe, expect, it } from 'vitest';
import { crateNameProblem, cratesConfigSchema, cratesMetrics, cratesSource, cratesUserAgent } from '../../electron/core/sources/crates/index.js';
import { findSourceModule } from '../../electron/core/sources/registry.js';
import { footprintVersion } from '../../electron/core/version.js';

function issuesOf(input: unknown): { path: string; message: string }[] {
  const result = cratesConfigSchema.safeParse(input);
  if (result.success) throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  return result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

describe('crates config schema', () => {
  it('fills the documented defaults: crates.io, once a day', () => {
    expect(cratesConfigSchema.parse({ crates: ['serde'] })).toEqual({ apiUrl: 'https://crates.io', crates: ['serde'], interval: 86_400_000, timeout: 20_000 });
  });

  it('trims names, counts one listed twice once and drops a trailing slash from apiUrl', () => {
    expect(cratesConfigSchema.parse({ crates: [' serde ', 'serde', 'tokio'], apiUrl: 'http://127.0.0.1:9/' })).toMatchObject({ crates: ['serde', 'tokio'], apiUrl: 'http://127.0.0.1:9' });
  });

  it('asks for at least one crate, under crates.crates', () => {
    expect(issuesOf({})).toEqual([{ path: 'crates', message: 'crates needs at least one crate: list names under crates.crates, e.g. ["serde", "tokio"]' }]);
  });

  it('names the bad crate by its index, and refuses unknown keys', () => {
    expect(issuesOf({ crates: ['serde', 'serde@1.0'] })).toEqual([{ path: 'crates.1', message: '"serde@1.0" names a version: write the crate name only, e.g. "serde"' }]);
    expect(issuesOf({ crates: ['a'], packages: ['b'] }).map((issue) => issue.message).join()).toMatch(/packages/);
  });
});

describe('crate names', () => {
  it('accepts crates.io names', () => {
    for (const name of ['serde', 'serde_json', 'tokio-util', 'Inflector', 'a']) expect(crateNameProblem(name), name).toBeNull();
  });

  it('shows the right form for the usual mistakes', () => {
    expect(crateNameProblem('')).toBe('an empty name is not a crate: write a name such as "serde" or "tokio"');
    expect(crateNameProblem('https://crates.io/crates/serde_json')).toBe('"https://crates.io/crates/serde_json" is a web address: write the crate name only, e.g. "serde_json"');
    expect(crateNameProblem('tokio = "1"')).toBe('"tokio = "1"" names a version: write the crate name only, e.g. "tokio"');
    expect(crateNameProblem('1password')).toBe('"1password" is not a crate name: start with a letter and use letters, digits, "-" and "_", e.g. "serde" or "tokio"');
    expect(crateNameProblem('serde.json')).toBe('"serde.json" is not a crate name: start with a letter and use letters, digits, "-" and "_", e.g. "serde" or "tokio"');
    expect(crateNameProblem(`a${'b'.repeat(64)}`)).toBe(`"a${'b'.repeat(39)}…" is 65 characters long: crate names have at most 64`);
  });
});

describe('crates source module', () => {
  it('is registered, declares its metrics (the daily one history-only) and holds no secrets', () => {
    expect(findSourceModule('crates')).toBe(cratesSource);
    expect(cratesMetrics.map((metric) => [metric.name, metric.labels, metric.historyOnly ?? false])).toEqual([
      ['crates_downloads_total', ['crate'], false],
      ['crates_recent_downloads', ['crate'], false],
      ['crates_downloads_daily', ['crate'], true],
    ]);
    expect(cratesSource.secrets(cratesConfigSchema.parse({ crates: ['serde'] }))).toEqual([]);
  });

  it('names Footprint, its version and a contact in its User-Agent, as crates.io asks', () => {
    expect(cratesUserAgent()).toBe(`footprint/${footprintVersion()} (+https://github.com/footprint-app/footprint)`);
  });
});
