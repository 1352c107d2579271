// `footprint serve` end to end: a GitHub-compatible API on loopback, the real command, a real Prometheus.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github/index.js';
import { metricValue, startServe, waitFor, type ServeProcess } from '../support/footprint-process.js';
import { promtoolCheckMetrics, requireTool, startPrometheus, type RunningPrometheus } from '../support/prometheus.js';

const token = `ghp_${randomBytes(18).toString('hex')}`; // made at test time: no secret is tracked
let fake: FakeGitHub;
let dir: string;

function writeConfig(name: string, apiUrl: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, [
    'server: { listen: "127.0.0.1:0" }',
    'storage: { path: "./history.db" }',
    'github:',
    `  apiUrl: "${apiUrl}"`,
    '  token: "${GITHUB_TOKEN}"',
    '  orgs: [acme]',
    '  users: [octo-user]',
    '  repos: [acme/rocket]',
    '  interval: 1s',
    '',
  ].join('\n'));
  return file;
}

async function scrape(url: string): Promise<string> {
  const response = await fetch(`${url}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-serve-'));
  fake = await startFakeGitHub({
    token,
    owners: [{ login: 'acme', type: 'Organization' }, { login: 'octo-user', type: 'User' }],
    repos: [
      { owner: 'acme', name: 'rocket', stars: 42, forks: 7, watchers: 5, openIssues: 3, openPulls: 2, sizeKb: 1200, license: 'mit', language: 'TypeScript',
        releases: [{ name: 'v1.0', tag: 'v1.0.0', createdAt: '2026-01-02T03:04:05Z', assets: [{ name: 'rocket.tar.gz', downloads: 99 }] }] },
      { owner: 'acme', name: 'engine', stars: 10, forks: 1, watchers: 2, openIssues: 0, openPulls: 0, sizeKb: 50 },
      { owner: 'octo-user', name: 'dotfiles', stars: 3, forks: 0, watchers: 1, openIssues: 1, openPulls: 0, sizeKb: 10 },
    ],
  });
});

afterAll(async () => {
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('footprint serve', () => {
  let serve: ServeProcess | undefined;
  let prometheus: RunningPrometheus | undefined;

  afterAll(async () => {
    await serve?.stop();
    await prometheus?.stop();
  });

  it('serves the API\'s star count, passes promtool, and a real Prometheus follows a change within one interval', async () => {
    const config = writeConfig('footprint.yaml', fake.url);
    serve = await startServe(['--config', config], { GITHUB_TOKEN: token });
    const exposition = await waitFor(async () => {
      const text = await scrape(serve!.url);
      return metricValue(text, 'github_repo_stars', { repo: 'rocket', user: 'acme' }) === 42 ? text : undefined;
    }, 'github_repo_stars{repo="rocket",user="acme"} = 42');

    // Compatible with the public github-exporter's names and labels.
    expect(metricValue(exposition, 'github_repo_stars', { repo: 'rocket', user: 'acme', private: 'false', fork: 'false', archived: 'false', license: 'mit', language: 'TypeScript' })).toBe(42);
    expect(metricValue(exposition, 'github_repo_open_issues', { repo: 'rocket', user: 'acme' })).toBe(3);
    expect(metricValue(exposition, 'github_repo_pull_request_count', { repo: 'rocket', user: 'acme' })).toBe(2);
    expect(metricValue(exposition, 'github_repo_watchers', { repo: 'rocket', user: 'acme' })).toBe(5);
    expect(metricValue(exposition, 'github_repo_release_downloads', { repo: 'rocket', user: 'acme', tag: 'v1.0.0', name: 'rocket.tar.gz' })).toBe(99);
    expect(metricValue(exposition, 'github_repo_stars', { repo: 'dotfiles', user: 'octo-user' })).toBe(3);
    expect(metricValue(exposition, 'footprint_source_up', { source: 'github' })).toBe(1);
    // acme/rocket is reached through the org and the repo list: counted once.
    expect(exposition.split('\n').filter((line) => line.startsWith('github_repo_stars{') && line.includes('repo="rocket"'))).toHaveLength(1);

    if (requireTool('promtool', 'apt-get install prometheus')) {
      const check = promtoolCheckMetrics(exposition);
      expect(check.findings).toEqual([]);
      expect(check.ok).toBe(true);
    }

    if (!requireTool('prometheus', 'apt-get install prometheus')) return;
    prometheus = await startPrometheus([new URL(serve.url).host]);
    const starsIn = async () => {
      const result = await prometheus!.query('github_repo_stars{repo="rocket",user="acme"}');
      return result.length === 1 ? Number(result[0]!.value[1]) : undefined;
    };
    expect(await waitFor(async () => ((await starsIn()) === 42 ? 42 : undefined), 'Prometheus to scrape 42 stars', 30_000)).toBe(42);
    expect(await waitFor(async () => Number((await prometheus!.query('sum(github_repo_stars)'))[0]?.value[1]) || undefined, 'sum of stars')).toBe(55);

    fake.updateRepo('acme/rocket', { stars: 43 });
    const changedAt = Date.now();
    await waitFor(async () => ((await starsIn()) === 43 ? true : undefined), 'Prometheus to see 43 stars', 15_000);
    // One interval (1 s) + one scrape (1 s) + jitter and a margin for a loaded CI machine.
    expect(Date.now() - changedAt).toBeLessThan(10_000);
  });

  it('never shows the token in /metrics, /healthz or the logs', async () => {
    expect(serve).toBeDefined();
    const metrics = await scrape(serve!.url);
    const health = await (await fetch(`${serve!.url}/healthz`)).text();
    const { stdout, stderr } = serve!.output();
    for (const text of [metrics, health, stdout, stderr]) expect(text).not.toContain(token);
    expect(JSON.parse(health).sources[0]).toMatchObject({ source: 'github', lastError: null });
  });

  it('after a restart serves the last stored values at once, before the first poll', async () => {
    await serve!.stop();
    serve = undefined;
    // The API is unreachable now, so every value served must come from the history file.
    const deadApi = writeConfig('footprint.yaml', 'http://127.0.0.1:9');
    serve = await startServe(['--config', deadApi], { GITHUB_TOKEN: token });
    const text = await scrape(serve.url);
    expect(metricValue(text, 'github_repo_stars', { repo: 'rocket', user: 'acme' })).toBe(43);
    expect(metricValue(text, 'github_repo_stars', { repo: 'dotfiles', user: 'octo-user' })).toBe(3);
    expect(metricValue(text, 'footprint_source_last_success_timestamp_seconds', { source: 'github' })).toBeGreaterThan(Date.now() / 1000 - 600);
    // …and once the poll against the dead API fails, the source is down but the values stay.
    const failed = await waitFor(async () => {
      const now = await scrape(serve!.url);
      return metricValue(now, 'footprint_source_up', { source: 'github' }) === 0 ? now : undefined;
    }, 'footprint_source_up{source="github"} = 0');
    expect(metricValue(failed, 'github_repo_stars', { repo: 'rocket', user: 'acme' })).toBe(43);
  });
});

describe('footprint serve without any configuration', () => {
  it('starts, serves only footprint_* series and says where the config file goes', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'footprint-home-'));
    const serve = await startServe(['--listen', '127.0.0.1:0'], { HOME: home, XDG_CONFIG_HOME: path.join(home, 'config'), XDG_DATA_HOME: path.join(home, 'data') });
    try {
      const text = await scrape(serve.url);
      const series = text.split('\n').filter((line) => line && !line.startsWith('#'));
      expect(series.length).toBeGreaterThan(0);
      for (const line of series) expect(line).toMatch(/^footprint_/);
      const { stdout } = serve.output();
      expect(stdout).toContain(path.join(home, 'config', 'footprint', 'footprint.yaml'));
      expect(stdout).toMatch(/github:/);
      expect(stdout).toContain(`Or open ${serve.url}/#/settings`);
    } finally {
      await serve.stop();
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('footprint serve memory settings', () => {
  /** Runs serve without a configuration and returns the Node options its process (the one that answers) runs with. */
  async function serveNodeOptions(env: Record<string, string> = {}): Promise<string[]> {
    const home = mkdtempSync(path.join(os.tmpdir(), 'footprint-home-'));
    const serve = await startServe(['--listen', '127.0.0.1:0'], { HOME: home, XDG_CONFIG_HOME: path.join(home, 'config'), XDG_DATA_HOME: path.join(home, 'data'), ...env });
    try {
      expect((await fetch(`${serve.url}/healthz`)).status).toBe(200);
      // /proc/PID/cmdline: the arguments of the program the process runs now (after an exec, the new ones).
      const argv = readFileSync(`/proc/${serve.child.pid}/cmdline`, 'utf8').split('\0');
      return argv.slice(1, argv.findIndex((arg) => arg.endsWith(path.join('bin', 'footprint.js'))));
    } finally {
      await serve.stop();
      rmSync(home, { recursive: true, force: true });
    }
  }

  // A young generation grown under a burst of requests is never given back: serve caps it, and keeps
  // a heap that is given back sooner, in its own process.
  it.runIf(process.platform === 'linux')('runs with 4 MB semi-spaces and optimized for size in the same process it was started as', async () => {
    expect(await serveNodeOptions()).toEqual(['--max-semi-space-size=4', '--optimize-for-size']);
  });

  it.runIf(process.platform === 'linux')('keeps a semi-space size the user gives in NODE_OPTIONS', async () => {
    expect(await serveNodeOptions({ NODE_OPTIONS: '--max-semi-space-size=16' })).toEqual([]);
  });
});
