// Issue "four sources": one config with GitHub, Docker Hub, GA4 and npm served by `footprint serve`,
// scraped by a real Prometheus; a failing source leaves the others working and says why.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDockerHub, type FakeDockerHub } from '../fakes/dockerhub/index.js';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github/index.js';
import type { FakeGoogle } from '../fakes/google/index.js';
import { startFakeNpm, type FakeNpm } from '../fakes/npm/index.js';
import { metricValue, runFootprint, startServe, waitFor, type ServeProcess } from '../support/footprint-process.js';
import { promtoolCheckMetrics, requireTool, startPrometheus, type RunningPrometheus } from '../support/prometheus.js';
import { startGa4Property } from '../support/ga4-property.js';

const githubToken = `ghp_${randomBytes(18).toString('hex')}`;
const dockerToken = `dckr_pat_${randomBytes(16).toString('hex')}`;
let dir: string;
let env: NodeJS.ProcessEnv;
let github: FakeGitHub;
let dockerhub: FakeDockerHub;
let google: FakeGoogle;
let npm: FakeNpm;
let privateKeyPem: string;

function writeConfig(name: string, dockerhubUrl: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, `
storage: { path: "./history.db" }
github:
  apiUrl: "${github.url}"
  token: "\${GITHUB_TOKEN}"
  orgs: [acme]
  interval: 1s
dockerhub:
  apiUrl: "${dockerhubUrl}"
  namespaces: [acme]
  images: [library/nginx, acme/rocket]
  username: acme-bot
  token: "\${DOCKERHUB_TOKEN}"
  interval: 1s
ga4:
  credentialsFile: "./service-account.json"
  properties: ["123456789"]
  apiUrl: "${google.url}"
  interval: 1s
npm:
  apiUrl: "${npm.url}"
  packages: [rocket-cli, "@acme/engine"]
  interval: 1s
`);
  return file;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-all-'));
  env = { HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'config'), XDG_DATA_HOME: path.join(dir, 'data'), GITHUB_TOKEN: githubToken, DOCKERHUB_TOKEN: dockerToken };
  github = await startFakeGitHub({
    token: githubToken,
    repos: [{ owner: 'acme', name: 'rocket', stars: 42, forks: 7, watchers: 5, openIssues: 3, openPulls: 2, sizeKb: 1200 }],
  });
  dockerhub = await startFakeDockerHub({
    credentials: { username: 'acme-bot', token: dockerToken },
    repositories: [
      { namespace: 'acme', name: 'rocket', pullCount: 123_456, starCount: 12, isAutomated: true, lastUpdated: '2026-11-01T10:00:00Z' },
      { namespace: 'acme', name: 'engine', pullCount: 999, starCount: 1, isPrivate: true, lastUpdated: '2026-10-01T10:00:00Z' },
      { namespace: 'library', name: 'nginx', pullCount: 1_000_000_000, starCount: 20_000, lastUpdated: '2026-11-20T00:00:00Z' },
    ],
  });
  const ga4 = await startGa4Property(dir);
  google = ga4.google;
  privateKeyPem = ga4.account.privateKeyPem;
  npm = await startFakeNpm({ packages: { 'rocket-cli': { last_day: 10, last_week: 70, last_month: 300 }, '@acme/engine': { last_day: 1, last_week: 7, last_month: 30 } } });
});

afterAll(async () => {
  await Promise.all([github?.close(), dockerhub?.close(), google?.close(), npm?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('four sources in one footprint serve', () => {
  let serve: ServeProcess | undefined;
  let prometheus: RunningPrometheus | undefined;
  afterAll(async () => {
    await serve?.stop();
    await prometheus?.stop();
  });

  it('serves every source\'s values as the fake APIs hold them, in one /metrics that a real Prometheus scrapes', async () => {
    serve = await startServe(['--config', writeConfig('all.yaml', dockerhub.url), '--listen', '127.0.0.1:0'], env);
    const text = await waitFor(async () => {
      const body = await (await fetch(`${serve!.url}/metrics`)).text();
      const up = ['github', 'dockerhub', 'ga4', 'npm'].map((source) => metricValue(body, 'footprint_source_up', { source }));
      return up.every((value) => value === 1) ? body : undefined;
    }, 'all four sources up', 30_000);

    expect(metricValue(text, 'github_repo_stars', { repo: 'rocket', user: 'acme' })).toBe(42);
    expect(metricValue(text, 'docker_hub_image_pulls_total', { image: 'rocket', user: 'acme', namespace: 'acme' })).toBe(123_456);
    expect(metricValue(text, 'docker_hub_image_pulls_total', { image: 'engine', namespace: 'acme' })).toBe(999); // private: needs the login
    expect(metricValue(text, 'docker_hub_image_pulls_total', { image: 'nginx', namespace: 'library' })).toBe(1_000_000_000);
    expect(metricValue(text, 'docker_hub_image_is_automated', { image: 'rocket', namespace: 'acme' })).toBe(1);
    expect(metricValue(text, 'docker_hub_image_last_updated', { image: 'rocket', namespace: 'acme' })).toBe(Date.parse('2026-11-01T10:00:00Z') / 1000);
    // acme/rocket is listed directly and through its namespace: one series.
    expect(text.split('\n').filter((line) => line.startsWith('docker_hub_image_stars{') && line.includes('image="rocket"'))).toHaveLength(1);
    expect(metricValue(text, 'ga4_active_users', { property: '123456789', period: 'last_28_days' })).toBe(3000);
    expect(metricValue(text, 'ga4_page_views', { property: '123456789', period: 'today' })).toBe(40);
    expect(metricValue(text, 'ga4_realtime_active_users', { property: '123456789' })).toBe(7);
    expect(metricValue(text, 'ga4_page_views_by_page', { property: '123456789', page: '/docs' })).toBe(300);
    expect(metricValue(text, 'npm_package_downloads', { package: 'rocket-cli', period: 'last_week' })).toBe(70);
    expect(metricValue(text, 'npm_package_downloads', { package: '@acme/engine', period: 'last_month' })).toBe(30);
    for (const secret of [githubToken, dockerToken, privateKeyPem.split('\n')[1]!]) expect(text).not.toContain(secret);

    if (requireTool('promtool', 'apt-get install prometheus')) expect(promtoolCheckMetrics(text).findings).toEqual([]);
    if (!requireTool('prometheus', 'apt-get install prometheus')) return;
    prometheus = await startPrometheus([new URL(serve.url).host]);
    const sources = await waitFor(async () => {
      const result = await prometheus!.query('footprint_source_up == 1');
      return result.length === 4 ? result.map((series) => series.metric.source).sort() : undefined;
    }, 'Prometheus to see four sources up', 30_000);
    expect(sources).toEqual(['dockerhub', 'ga4', 'github', 'npm']);
    const pulls = await prometheus.query('sum(docker_hub_image_pulls_total{namespace="acme"})');
    expect(Number(pulls[0]?.value[1])).toBe(123_456 + 999);
    const users = await prometheus.query('ga4_active_users{period="yesterday"}');
    expect(Number(users[0]?.value[1])).toBe(120);
  });

  it('a failing source shows footprint_source_up 0 while the others keep working', async () => {
    await serve!.stop();
    serve = await startServe(['--config', writeConfig('docker-down.yaml', 'http://127.0.0.1:9'), '--listen', '127.0.0.1:0'], env);
    const text = await waitFor(async () => {
      const body = await (await fetch(`${serve!.url}/metrics`)).text();
      const up = Object.fromEntries(['github', 'dockerhub', 'ga4', 'npm'].map((source) => [source, metricValue(body, 'footprint_source_up', { source })]));
      return up.github === 1 && up.ga4 === 1 && up.npm === 1 && up.dockerhub === 0 && metricValue(body, 'footprint_source_errors_total', { source: 'dockerhub' })! >= 1 ? body : undefined;
    }, 'dockerhub down, the others up', 30_000);
    expect(metricValue(text, 'npm_package_downloads', { package: 'rocket-cli', period: 'last_day' })).toBe(10);
    const health = await (await fetch(`${serve!.url}/healthz`)).json() as { sources: { source: string; lastError: string | null }[] };
    expect(health.sources.find((source) => source.source === 'dockerhub')?.lastError).toMatch(/dockerhub\.apiUrl/);
  });

  it('footprint collect --once names the failing source and why, exits 1, and still prints the others', async () => {
    const result = await runFootprint(['collect', '--once', '--config', writeConfig('collect.yaml', 'http://127.0.0.1:9')], env);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^dockerhub\s+FAILED\s+0\s+\S+\s+.*could not be reached.*dockerhub\.apiUrl/m);
    for (const source of ['github', 'ga4', 'npm']) expect(result.stdout).toMatch(new RegExp(`^${source}\\s+ok\\s+\\d+`, 'm'));
    expect(result.stdout).toMatch(/npm_package_downloads\s+package=rocket-cli period=last_week\s+70$/m);
    for (const secret of [githubToken, dockerToken]) expect(result.stdout + result.stderr).not.toContain(secret);
  });
});
