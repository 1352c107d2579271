import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../electron/core/config/config.js';
import { normalizedPackageName, packageNameProblem, pypiConfigSchema, pypiMetrics, pypiSource } from '../../electron/core/sources/pypi/index.js';
import { findSourceModule, sourceModules } from '../../electron/core/sources/registry.js';

function issuesOf(input: unknown): { path: string; message: string }[] {
  const result = pypiConfigSchema.safeParse(input);
  if (result.success) throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  return result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

describe('pypi config schema', () => {
  it('fills the documented defaults: pypistats.org, once a day', () => {
    expect(pypiConfigSchema.parse({ packages: ['requests'] })).toEqual({ apiUrl: 'https://pypistats.org', packages: ['requests'], interval: 86_400_000, timeout: 20_000 });
  });

  it('stores names as PyPI normalises them, and one package written two ways once', () => {
    const config = pypiConfigSchema.parse({ packages: ['Typing_Extensions', 'typing-extensions', 'zope.interface', 'A__b-.C'], interval: '12h' });
    expect(config.packages).toEqual(['typing-extensions', 'zope-interface', 'a-b-c']);
    expect(config.interval).toBe(43_200_000);
  });

  it('asks for at least one package, under pypi.packages', () => {
    const expected = [{ path: 'packages', message: 'pypi needs at least one package: list names under pypi.packages, e.g. ["requests", "typing-extensions"]' }];
    expect(issuesOf({})).toEqual(expected);
    expect(issuesOf({ packages: [] })).toEqual(expected);
  });

  it('refuses unknown keys and a non-http apiUrl, naming the key', () => {
    expect(issuesOf({ packages: ['a'], token: 'x' }).map((issue) => issue.message).join()).toMatch(/token/);
    expect(issuesOf({ packages: ['a'], apiUrl: 'ftp://pypistats.org' })).toEqual([{ path: 'apiUrl', message: '"ftp://pypistats.org" is not an http(s) base URL: use "https://pypistats.org"' }]);
  });

  it('names the bad package by its index', () => {
    expect(issuesOf({ packages: ['ok', 'requests>=2'] })).toEqual([{ path: 'packages.1', message: '"requests>=2" is a requirement (extras, version or marker): write the package name only, e.g. "requests"' }]);
  });
});

describe('PyPI package names', () => {
  it('normalises like PEP 503', () => {
    expect(normalizedPackageName('Friendly-Bard')).toBe('friendly-bard');
    expect(normalizedPackageName('FRIENDLY-BARD')).toBe('friendly-bard');
    expect(normalizedPackageName('friendly.bard')).toBe('friendly-bard');
    expect(normalizedPackageName('friendly_bard')).toBe('friendly-bard');
    expect(normalizedPackageName('friendly--bard')).toBe('friendly-bard');
    expect(normalizedPackageName('FrIeNdLy-._.-bArD')).toBe('friendly-bard');
  });

  it('accepts PEP 508 names', () => {
    for (const name of ['requests', 'a', 'Django', 'zope.interface', 'typing_extensions', 'py3-x']) expect(packageNameProblem(name), name).toBeNull();
  });

  it('shows the right form for the usual mistakes', () => {
    expect(packageNameProblem('')).toBe('an empty name is not a PyPI package: write a name such as "requests" or "typing-extensions"');
    expect(packageNameProblem('https://pypi.org/project/Typing_Extensions/')).toBe('"https://pypi.org/project/Typing_Extensions/" is a web address: write the package name only, e.g. "typing-extensions"');
    expect(packageNameProblem('requests==2.31.0')).toBe('"requests==2.31.0" is a requirement (extras, version or marker): write the package name only, e.g. "requests"');
    expect(packageNameProblem('requests[socks]')).toBe('"requests[socks]" is a requirement (extras, version or marker): write the package name only, e.g. "requests"');
    expect(packageNameProblem('-leading')).toBe('"-leading" is not a PyPI package name: use letters, digits, "-", "_" and "." (not at either end), e.g. "leading"');
    expect(packageNameProblem('my package!')).toBe('"my package!" is not a PyPI package name: use letters, digits, "-", "_" and "." (not at either end), e.g. "my-package"');
    expect(packageNameProblem('requests >= 2')).toBe('"requests >= 2" is a requirement (extras, version or marker): write the package name only, e.g. "requests"');
    expect(packageNameProblem('ünï')).toBe('"ünï" is not a PyPI package name: use letters, digits, "-", "_" and "." (not at either end), e.g. "n"');
    expect(packageNameProblem('!!!')).toBe('"!!!" is not a PyPI package name: use letters, digits, "-", "_" and "." (not at either end), a name such as "requests" or "typing-extensions"');
  });
});

describe('pypi source module', () => {
  it('is registered, declares its metric and holds no secrets', () => {
    expect(findSourceModule('pypi')).toBe(pypiSource);
    expect(pypiMetrics.map((metric) => [metric.name, metric.labels])).toEqual([['pypi_package_downloads', ['package', 'period']]]);
    expect(pypiSource.secrets(pypiConfigSchema.parse({ packages: ['requests'] }))).toEqual([]);
    expect(pypiSource.ui?.history?.backfilled).toEqual(['pypi_package_downloads']);
  });
});

describe('pypi and crates sections of the configuration file', () => {
  it('name the bad key with its section, and load good sections with their defaults', () => {
    const load = (text: string) => parseConfig(text, { file: path.join(os.tmpdir(), 'footprint.yaml'), env: {}, modules: sourceModules, dataDir: os.tmpdir() });
    const refused = (() => {
      try {
        load('pypi: { packages: ["requests==2.31"] }\ncrates: { crates: ["serde"], interval: 2h, token: x }\n');
      } catch (caught) {
        return caught as ConfigError;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(refused).toBeInstanceOf(ConfigError);
    expect(refused.issues).toContainEqual({ path: 'pypi.packages[0]', message: '"requests==2.31" is a requirement (extras, version or marker): write the package name only, e.g. "requests"' });
    expect(refused.issues).toContainEqual({ path: 'crates.token', message: 'unknown key — remove it or use one of: apiUrl, crates, interval, timeout' });

    const loaded = load('pypi: { packages: [Typing_Extensions] }\ncrates: { crates: [serde] }\n');
    expect(loaded.config.sources).toEqual({
      pypi: { apiUrl: 'https://pypistats.org', packages: ['typing-extensions'], interval: 86_400_000, timeout: 20_000 },
      crates: { apiUrl: 'https://crates.io', crates: ['serde'], interval: 86_400_000, timeout: 20_000 },
    });
  });
});
