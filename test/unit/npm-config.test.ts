import { describe, expect, it } from 'vitest';
import {
  MAX_BULK_PACKAGES,
  npmConfigSchema,
  npmMetrics,
  npmSource,
  packageNameProblem,
  planRequests,
} from '../../electron/core/sources/npm/index.js';
import { retryAfterSeconds } from '../../electron/core/sources/common/retry-at.js';
import { refusedIssues } from '../support/config-issues.js';

const issuesOf = (input: unknown) => refusedIssues(npmConfigSchema, input);

describe('npm config schema', () => {
  it('fills the documented defaults', () => {
    expect(npmConfigSchema.parse({ packages: ['left-pad', '@scope/name'] })).toEqual({
      apiUrl: 'https://api.npmjs.org',
      packages: ['left-pad', '@scope/name'],
      interval: 6 * 3_600_000,
      timeout: 20_000,
    });
  });

  it('parses the interval, drops a trailing slash from apiUrl and counts a name listed twice once', () => {
    const config = npmConfigSchema.parse({ apiUrl: 'http://127.0.0.1:8080/', packages: [' a ', 'a', 'b'], interval: '90m' });
    expect(config).toEqual({ apiUrl: 'http://127.0.0.1:8080', packages: ['a', 'b'], interval: 5_400_000, timeout: 20_000 });
  });

  it('asks for at least one package, under npm.packages', () => {
    const expected = [{ path: 'packages', message: 'npm needs at least one package: list names under npm.packages, e.g. ["left-pad", "@scope/name"]' }];
    expect(issuesOf({})).toEqual(expected);
    expect(issuesOf({ packages: [] })).toEqual(expected);
  });

  it('refuses unknown keys, a non-http apiUrl and an interval under a second', () => {
    expect(issuesOf({ packages: ['a'], token: 'x' }).map((issue) => issue.message).join()).toMatch(/token/);
    expect(issuesOf({ packages: ['a'], apiUrl: 'ftp://api.npmjs.org' })).toEqual([
      { path: 'apiUrl', message: '"ftp://api.npmjs.org" is not an http(s) base URL: use "https://api.npmjs.org"' },
    ]);
    expect(issuesOf({ packages: ['a'], interval: '500ms' })).toEqual([{ path: 'interval', message: '500ms is too short: use at least 1s' }]);
  });

  it('names the bad package by its index', () => {
    expect(issuesOf({ packages: ['ok', 'scope/name'] })).toEqual([{ path: 'packages.1', message: '"scope/name" is missing the "@" of its scope: write "@scope/name"' }]);
  });
});

describe('npm package names', () => {
  it('accepts unscoped, scoped and old capitalised names', () => {
    for (const name of ['left-pad', 'lodash.merge', 'a_b', 'socket.io', '@types/node', '@babel/core', 'JSONStream', 'x~y', "it's"]) {
      expect(packageNameProblem(name), name).toBeNull();
    }
  });

  it('shows the right form for the usual mistakes', () => {
    expect(packageNameProblem('https://www.npmjs.com/package/@scope/name')).toBe('"https://www.npmjs.com/package/@scope/name" is a web address: write the package name only, e.g. "@scope/name"');
    expect(packageNameProblem('npmjs.com/package/left-pad?activeTab=versions')).toBe('"npmjs.com/package/left-pad?activeTab=versions" is a web address: write the package name only, e.g. "left-pad"');
    expect(packageNameProblem('react@18.2.0')).toBe('"react@18.2.0" names a version: write the package name only, e.g. "react"');
    expect(packageNameProblem('@scope/name@^2')).toBe('"@scope/name@^2" names a version: write the package name only, e.g. "@scope/name"');
    expect(packageNameProblem('@scope')).toBe('"@scope" is a scope without a package: write "@scope/name"');
    expect(packageNameProblem('@a/b/c')).toBe('"@a/b/c" is not a scoped package name: write it as "@scope/name"');
    expect(packageNameProblem('scope/name')).toBe('"scope/name" is missing the "@" of its scope: write "@scope/name"');
    expect(packageNameProblem('.hidden')).toBe('".hidden" starts with ".", which npm names cannot: write it without, e.g. "hidden"');
    expect(packageNameProblem('_private')).toBe('"_private" starts with "_", which npm names cannot: write it without, e.g. "private"');
    expect(packageNameProblem('node_modules')).toBe('"node_modules" is a name npm reserves, not a package: write a name such as "left-pad" or "@scope/name"');
    expect(packageNameProblem('')).toBe('an empty name is not an npm package: write a name such as "left-pad" or "@scope/name"');
  });

  it('suggests a valid name for one with spaces, commas or colons', () => {
    expect(packageNameProblem('My Package')).toBe('"My Package" holds characters npm names cannot (spaces, commas, ":" and the like): use letters, digits, "-", "." and "_", e.g. "my-package"');
    // A comma would split a bulk request, so it must never get through.
    expect(packageNameProblem('a,b')).toMatch(/^"a,b" holds characters npm names cannot .* e\.g\. "a-b"$/);
    expect(packageNameProblem('@my scope/x:y')).toMatch(/e\.g\. "@my-scope\/x-y"$/);
    expect(packageNameProblem('???')).toMatch(/a name such as "left-pad" or "@scope\/name"$/);
  });

  it('limits names to 214 characters', () => {
    expect(packageNameProblem('a'.repeat(214))).toBeNull();
    expect(packageNameProblem('a'.repeat(215))).toBe(`"${'a'.repeat(40)}…" is 215 characters long: npm names have at most 214`);
  });
});

describe('npm request plan', () => {
  it('sends unscoped names in bulk batches of at most 128 and scoped names alone, for each period', () => {
    const unscoped = Array.from({ length: 130 }, (_, index) => `pkg-${index}`);
    const plan = planRequests([...unscoped, '@s/one', '@s/two']);
    expect(plan).toHaveLength(3 * 4);
    for (const period of ['last-day', 'last-week', 'last-month']) {
      const requests = plan.filter((request) => request.period === period);
      expect(requests.map((request) => request.names)).toEqual([unscoped.slice(0, MAX_BULK_PACKAGES), unscoped.slice(MAX_BULK_PACKAGES), ['@s/one'], ['@s/two']]);
    }
  });

  it('sends a lone unscoped name as a single request', () => {
    expect(planRequests(['only'])).toEqual([
      { period: 'last-day', names: ['only'] },
      { period: 'last-week', names: ['only'] },
      { period: 'last-month', names: ['only'] },
    ]);
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.UTC(2025, 5, 1, 12, 0, 0);
    expect(retryAfterSeconds('7', now)).toBe(7);
    expect(retryAfterSeconds(new Date(now + 90_000).toUTCString(), now)).toBe(90);
    expect(retryAfterSeconds(new Date(now - 90_000).toUTCString(), now)).toBe(0);
    expect(retryAfterSeconds(null, now)).toBeNull();
    expect(retryAfterSeconds('soon', now)).toBeNull();
  });
});

describe('npm source module', () => {
  it('declares its metric with help text and holds no secrets', () => {
    expect(npmSource.id).toBe('npm');
    expect(npmMetrics).toEqual([expect.objectContaining({ name: 'npm_package_downloads', type: 'gauge', labels: ['package', 'period'] })]);
    expect(npmMetrics[0]!.help.length).toBeGreaterThan(20);
    expect(npmSource.secrets(npmConfigSchema.parse({ packages: ['a'] }))).toEqual([]);
    expect(npmSource.create(npmConfigSchema.parse({ packages: ['a'], interval: '2h' })).intervalMs).toBe(7_200_000);
  });
});
