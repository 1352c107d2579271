// Corporate proxies: with HTTPS_PROXY / HTTP_PROXY set, every source's requests (GitHub, Docker Hub, GA4, npm, PyPI, crates.io, JSON APIs) go
// through a real HTTP proxy on loopback; NO_PROXY names hosts that bypass it. The sources run against
// their loopback fakes; the proxy records where each connection was headed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Source } from '../../electron/core/source.js';
import { createDockerHubSource, dockerhubConfigSchema } from '../../electron/core/sources/dockerhub/index.js';
import { ga4ConfigSchema, ga4Source } from '../../electron/core/sources/ga4/index.js';
import { createNpmSource, npmConfigSchema } from '../../electron/core/sources/npm/index.js';
import { createPypiSource, pypiConfigSchema } from '../../electron/core/sources/pypi/index.js';
import { createCratesSource, cratesConfigSchema } from '../../electron/core/sources/crates/index.js';
import { createGitHubSource, githubConfigSchema } from '../../electron/core/sources/github/index.js';
import { createHttpSource, httpConfigSchema } from '../../electron/core/sources/http/index.js';
import { startFakeDockerHub } from '../fakes/dockerhub/index.js';
import { startFakeGitHub } from '../fakes/github/index.js';
import { startFakeNpm } from '../fakes/npm/index.js';
import { startFakePypi } from '../fakes/pypi/index.js';
import { startFakeCrates } from '../fakes/crates/index.js';
import { startFakeJsonApi } from '../fakes/json-api/index.js';
import { backfillContext as context } from '../support/backfill-driver.js';
import { GA4_PROPERTY, startGa4Property } from '../support/ga4-property.js';
import { startHttpProxy } from '../support/http-proxy.js';
import type { HttpProxy } from '../support/http-proxy.js';
import { fakeGitHubToken } from '../support/test-tokens.js';

const VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'] as const;
const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));

let dir: string;
let proxy: HttpProxy;
const closers: (() => Promise<void>)[] = [];
let sources: { id: string; origin: string; source: Source }[];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'footprint-proxy-'));
  proxy = await startHttpProxy();
  const hub = await startFakeDockerHub({ repositories: [{ namespace: 'acmecorp', name: 'widget', pullCount: 5, starCount: 1, isAutomated: false, lastUpdated: '2024-01-01T00:00:00.000Z' }] });
  const npm = await startFakeNpm({ packages: { 'left-pad': { last_day: 1, last_week: 7, last_month: 30 } } });
  const { google } = await startGa4Property(dir);
  const github = await startFakeGitHub({ repos: [{ owner: 'acme', name: 'rocket', stars: 3, forks: 0, watchers: 1, openIssues: 0, openPulls: 0, sizeKb: 10 }] });
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const pypi = await startFakePypi({ daily: { requests: { [yesterday]: 4 } } });
  const crates = await startFakeCrates({ crates: { serde: { before: 10, daily: { [yesterday]: 2 } } } });
  const json = await startFakeJsonApi({ '/stats.json': { count: 5 } });
  closers.push(() => json.close(), () => pypi.close(), () => crates.close(), () => hub.close(), () => npm.close(), () => google.close(), () => github.close(), () => proxy.close());
  const ga4Config = ga4Source.prepare!(ga4ConfigSchema.parse({ credentialsFile: './service-account.json', properties: [GA4_PROPERTY], apiUrl: google.url }), { configDir: dir, homedir: os.homedir() });
  sources = [
    { id: 'github', origin: github.url, source: createGitHubSource(githubConfigSchema.parse({ apiUrl: github.url, token: fakeGitHubToken(), orgs: ['acme'], traffic: { enabled: false } })) },
    { id: 'dockerhub', origin: hub.url, source: createDockerHubSource(dockerhubConfigSchema.parse({ apiUrl: hub.url, namespaces: ['acmecorp'] })) },
    { id: 'npm', origin: npm.url, source: createNpmSource(npmConfigSchema.parse({ apiUrl: npm.url, packages: ['left-pad'] })) },
    { id: 'ga4', origin: google.url, source: ga4Source.create(ga4Config) },
    { id: 'pypi', origin: pypi.url, source: createPypiSource(pypiConfigSchema.parse({ apiUrl: pypi.url, packages: ['requests'] })) },
    { id: 'crates', origin: crates.url, source: createCratesSource(cratesConfigSchema.parse({ apiUrl: crates.url, crates: ['serde'] })) },
    { id: 'http', origin: json.url, source: createHttpSource(httpConfigSchema.parse([{ name: 'stats', url: `${json.url}/stats.json`, metrics: [{ name: 'stats_count', value: 'count' }] }])) },
  ];
});

afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
  fs.rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  for (const name of VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

function useProxy(noProxy: string) {
  for (const name of VARIABLES) delete process.env[name];
  process.env.HTTPS_PROXY = proxy.url;
  process.env.HTTP_PROXY = proxy.url;
  if (noProxy !== '') process.env.NO_PROXY = noProxy;
}

async function collectEach(): Promise<void> {
  for (const { id, source } of sources) {
    const result = await source.collect(context().ctx);
    expect(result.errors, id).toEqual([]);
    expect(result.collected, id).toBeGreaterThan(0);
  }
}

describe('proxies from the environment', () => {
  it('sends every source\'s requests through HTTPS_PROXY / HTTP_PROXY', async () => {
    useProxy('');
    proxy.targets.length = 0;
    await collectEach();
    for (const { id, origin } of sources) expect(proxy.targets, id).toContain(new URL(origin).host);
  });

  it('lets hosts named in NO_PROXY bypass it', async () => {
    useProxy('127.0.0.1');
    proxy.targets.length = 0;
    await collectEach();
    expect(proxy.targets).toEqual([]);
  });

  it('uses no proxy when none is set', async () => {
    for (const name of VARIABLES) delete process.env[name];
    proxy.targets.length = 0;
    await collectEach();
    expect(proxy.targets).toEqual([]);
  });
});
