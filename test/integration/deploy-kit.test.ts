// The Prometheus and Grafana kit in deploy/, against the real thing: promtool checks the shipped
// configuration and rules; then the four fake APIs feed `footprint serve` (1 s polls), a real
// Prometheus scrapes it through the shipped prometheus.yml (metricsAuth variant, 1 s) with the shipped
// rule files loaded, and every PromQL expression of every shipped dashboard and rule file must return
// data. Each alert is first false, then driven true by arranging its condition in the fakes.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { startFakeDockerHub, type FakeDockerHub } from '../fakes/dockerhub/index.js';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github/index.js';
import type { FakeGoogle } from '../fakes/google/index.js';
import { startFakeNpm, type FakeNpm } from '../fakes/npm/index.js';
import { startFakeCrates, type FakeCrates } from '../fakes/crates/index.js';
import { startFakePypi, type FakePypi } from '../fakes/pypi/index.js';
import { repoRoot, runFootprint, startServe, waitFor, type ServeProcess } from '../support/footprint-process.js';
import { startGa4Property } from '../support/ga4-property.js';
import { sourceModules } from '../../electron/core/sources/registry.js';
import {
  dashboardQueries,
  parseLabelValues,
  readRuleFiles,
  requireTool,
  runPromtool,
  startPrometheusWithConfig,
  substituteVariables,
  uncommentYamlBlock,
  variableQuery,
  type GrafanaDashboard,
  type RunningPrometheus,
} from '../support/prometheus.js';

const deployDir = path.join(repoRoot, 'deploy');
const prometheusDir = path.join(deployDir, 'prometheus');
const shippedConfig = path.join(prometheusDir, 'prometheus.yml');
const ruleFiles = readdirSync(prometheusDir).filter((name) => name.endsWith('.rules.yml')).map((name) => path.join(prometheusDir, name));
const dashboardDir = path.join(deployDir, 'grafana', 'dashboards');
const dashboards = readdirSync(dashboardDir).filter((name) => name.endsWith('.json'))
  .map((name) => JSON.parse(readFileSync(path.join(dashboardDir, name), 'utf8')) as GrafanaDashboard);
const rules = readRuleFiles(ruleFiles);
const publicQueries = JSON.parse(readFileSync(path.join(repoRoot, 'test', 'fixtures', 'public-dashboard-queries.json'), 'utf8')) as {
  dashboards: { name: string; queries: { panel: string; expr: string; labels: string[] }[] }[];
};

/** What Grafana would put in for each variable, chosen from the fakes' data below. */
const VARIABLE_VALUES: Readonly<Record<string, string>> = {
  user: 'acme',
  repo: 'rocket',
  namespace: 'acme',
  image: 'rocket',
  property: '123456789',
  package: 'rocket-cli',
  pypi_package: 'rocket-py',
  crate: 'rocket-rs',
  source: 'github',
  __rate_interval: '1m',
  __interval: '15s',
  __range: '1h',
};

/**
 * Series Footprint stores by day and never puts on /metrics (a scrape cannot carry past days), and the
 * recording rules over them: Prometheus has them only after `footprint export --format openmetrics` is
 * loaded, which openmetrics-backfill.test.ts does and queries at past times. A scrape here has none.
 */
const historyOnly = new Set(sourceModules.flatMap((module) => module.metrics.filter((metric) => metric.historyOnly).map((metric) => metric.name)));
const fromStoredDays = (expr: string) => [...historyOnly].some((metric) => expr.includes(metric));

const prometheusHere = requireTool('prometheus', 'apt-get install prometheus');
const promtoolHere = requireTool('promtool', 'apt-get install prometheus');

describe.skipIf(!promtoolHere)('promtool on the shipped Prometheus files', () => {
  it('promtool check config accepts prometheus.yml (and the rule files it names)', () => {
    const result = runPromtool(['check', 'config', shippedConfig]);
    expect(result.output).toContain('SUCCESS');
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain(`${ruleFiles.length} rule files found`);
  });

  it('promtool check rules accepts every *.rules.yml', () => {
    expect(ruleFiles.map((file) => path.basename(file)).sort()).toEqual(['footprint-alerts.rules.yml', 'footprint-recording.rules.yml']);
    const result = runPromtool(['check', 'rules', ...ruleFiles]);
    expect(result.status, result.output).toBe(0);
  });

  it('promtool test rules passes the unit tests of the alerts and the recording rules', () => {
    const testDir = path.join(prometheusDir, 'tests');
    const tests = readdirSync(testDir).filter((name) => name.endsWith('.test.yml')).map((name) => path.join(testDir, name));
    expect(tests).toHaveLength(2);
    const result = runPromtool(['test', 'rules', ...tests]);
    expect(result.status, result.output).toBe(0);
    expect(result.output).not.toContain('FAILED');
  });
});

describe('footprint check-config', () => {
  it('accepts deploy/footprint.example.yaml with FOOTPRINT_AUTH_TOKEN set, and names the variable when it is not', async () => {
    const token = randomBytes(24).toString('hex');
    const ok = await runFootprint(['check-config', '--config', path.join(deployDir, 'footprint.example.yaml')], { FOOTPRINT_AUTH_TOKEN: token });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('listen: :9171');
    expect(ok.stdout + ok.stderr).not.toContain(token);
    const missing = await runFootprint(['check-config', '--config', path.join(deployDir, 'footprint.example.yaml')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/server\.authToken: environment variable FOOTPRINT_AUTH_TOKEN is not set/);
  });
});

describe.skipIf(!prometheusHere)('the shipped dashboards and rules against footprint serve and a real Prometheus', () => {
  const githubToken = `ghp_${randomBytes(18).toString('hex')}`;
  const authToken = randomBytes(24).toString('hex');
  let dir: string;
  let github: FakeGitHub;
  let dockerhub: FakeDockerHub;
  let google: FakeGoogle;
  let npm: FakeNpm;
  let pypi: FakePypi;
  let crates: FakeCrates;
  let serve: ServeProcess | undefined;
  let prometheus: RunningPrometheus | undefined;

  /** The shipped prometheus.yml with its documented metricsAuth block switched on, pointed at the test's serve. */
  function prometheusConfig(target: string, tokenFile: string): string {
    const config = YAML.parse(uncommentYamlBlock(readFileSync(shippedConfig, 'utf8'), 'authorization')) as {
      global: Record<string, string>;
      rule_files: string[];
      scrape_configs: { job_name: string; scrape_interval?: string; static_configs: { targets: string[] }[]; authorization?: { type: string; credentials_file: string } }[];
    };
    const job = config.scrape_configs.find((candidate) => candidate.job_name === 'footprint');
    expect(job?.static_configs).toEqual([{ targets: ['footprint:9171'] }]);
    expect(job?.authorization).toEqual({ type: 'Bearer', credentials_file: '/etc/prometheus/secrets/footprint-token' });
    config.global.scrape_interval = '1s';
    config.global.evaluation_interval = '1s';
    config.rule_files = config.rule_files.map((file) => path.resolve(prometheusDir, file));
    job!.scrape_interval = '1s';
    job!.static_configs = [{ targets: [target] }];
    job!.authorization!.credentials_file = tokenFile;
    return YAML.stringify(config);
  }

  async function api<T>(route: string): Promise<T> {
    const body = await (await fetch(`${prometheus!.url}${route}`)).json() as { status: string; error?: string; data: T };
    if (body.status !== 'success') throw new Error(`${route}: ${body.error}`);
    return body.data;
  }

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-deploy-'));
    github = await startFakeGitHub({
      token: githubToken,
      repos: [
        {
          owner: 'acme', name: 'rocket', stars: 42, forks: 7, watchers: 5, openIssues: 3, openPulls: 2, sizeKb: 1200, license: 'mit', language: 'TypeScript',
          releases: [{ name: 'v1', tag: 'v1.0.0', createdAt: '2026-01-01T00:00:00Z', assets: [{ name: 'rocket.tgz', downloads: 17 }] }],
          trafficModel: () => ({ views: { count: 30, uniques: 9 }, clones: { count: 4, uniques: 2 } }),
          referrers: [{ referrer: 'news.ycombinator.com', count: 120, uniques: 80 }],
          popularPaths: [{ path: '/acme/rocket', title: 'acme/rocket', count: 90, uniques: 50 }],
        },
        { owner: 'acme', name: 'engine', stars: 5, forks: 1, watchers: 1, openIssues: 0, openPulls: 0, sizeKb: 10 },
      ],
    });
    dockerhub = await startFakeDockerHub({
      repositories: [
        { namespace: 'acme', name: 'rocket', pullCount: 123_456, starCount: 12, isAutomated: true, lastUpdated: '2026-11-01T10:00:00Z' },
        { namespace: 'acme', name: 'engine', pullCount: 999, starCount: 1, lastUpdated: '2026-10-01T10:00:00Z' },
      ],
    });
    ({ google } = await startGa4Property(dir));
    npm = await startFakeNpm({ packages: { 'rocket-cli': { last_day: 10, last_week: 70, last_month: 300 } } });
    const days = (count: number) => Object.fromEntries(Array.from({ length: 40 }, (_, ago) => [new Date(Date.now() - (ago + 1) * 86_400_000).toISOString().slice(0, 10), count + ago]));
    pypi = await startFakePypi({ daily: { 'rocket-py': days(20) } });
    crates = await startFakeCrates({ crates: { 'rocket-rs': { before: 5_000, daily: days(30) } } });

    const configFile = path.join(dir, 'footprint.yaml');
    writeFileSync(configFile, `
server: { authToken: "\${FOOTPRINT_AUTH_TOKEN}", metricsAuth: true }
storage: { path: "./history.db" }
github: { apiUrl: "${github.url}", token: "\${GITHUB_TOKEN}", orgs: [acme], interval: 1s }
dockerhub: { apiUrl: "${dockerhub.url}", namespaces: [acme], interval: 1s }
ga4: { credentialsFile: "./service-account.json", properties: ["123456789"], apiUrl: "${google.url}", interval: 1s }
npm: { apiUrl: "${npm.url}", packages: [rocket-cli], interval: 1s }
pypi: { apiUrl: "${pypi.url}", packages: [rocket-py], interval: 1s }
crates: { apiUrl: "${crates.url}", crates: [rocket-rs], interval: 1s }
`);
    const env = { HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'config'), XDG_DATA_HOME: path.join(dir, 'data'), GITHUB_TOKEN: githubToken, FOOTPRINT_AUTH_TOKEN: authToken };
    serve = await startServe(['--config', configFile, '--listen', '127.0.0.1:0'], env);
    const tokenFile = path.join(dir, 'footprint-token');
    writeFileSync(tokenFile, authToken, { mode: 0o600 });
    prometheus = await startPrometheusWithConfig(prometheusConfig(new URL(serve.url).host, tokenFile));
    await waitFor(async () => ((await prometheus!.query('footprint_source_up{job="footprint"} == 1')).length === 6 ? true : undefined), 'Prometheus to see six sources up', 30_000);
  });

  afterAll(async () => {
    await serve?.stop();
    await prometheus?.stop();
    await Promise.all([github?.close(), dockerhub?.close(), google?.close(), npm?.close(), pypi?.close(), crates?.close()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('Prometheus scrapes Footprint with the token from the documented credentials_file, which metricsAuth requires', async () => {
    expect((await fetch(`${serve!.url}/metrics`)).status).toBe(401);
    const up = await prometheus!.query('footprint_source_up{job="footprint"} == 1');
    expect(up.map((series) => series.metric.source).sort()).toEqual(['crates', 'dockerhub', 'ga4', 'github', 'npm', 'pypi']);
    const [scrape] = await prometheus!.query('up{job="footprint"}');
    expect(scrape?.value[1]).toBe('1');
  });

  it('the recording rules produce their series; gains show once values move', async () => {
    github.updateRepo('acme/rocket', { stars: 50 });
    dockerhub.updateRepo('acme/rocket', { pullCount: 124_456 });
    await waitFor(async () => (await prometheus!.query('github_repo_stars{repo="rocket"} == 50')).length === 1 || undefined, 'the new star count in Prometheus');
    await waitFor(async () => (await prometheus!.query('docker_hub_image_pulls_total{image="rocket"} == 124456')).length === 1 || undefined, 'the new pull count in Prometheus');
    const recorded = rules.filter((rule) => rule.kind === 'record' && !fromStoredDays(rule.expr));
    expect(recorded.length).toBeGreaterThanOrEqual(10);
    for (const rule of recorded) {
      await waitFor(async () => ((await prometheus!.query(rule.name)).length > 0 ? true : undefined), `recording rule ${rule.name} to produce a series`, 15_000);
    }
    // Recording rules evaluate every second: wait for an evaluation after both changes.
    const starGain = await waitFor(async () => {
      const value = Number((await prometheus!.query('footprint:github_repo_stars:delta1d{repo="rocket"}'))[0]?.value[1]);
      return value > 0 ? value : undefined;
    }, 'a positive star gain for acme/rocket');
    expect(starGain).toBeGreaterThanOrEqual(8);
    const pullGain = await waitFor(async () => {
      const value = Number((await prometheus!.query('footprint:docker_hub_image_pulls:increase1d{image="rocket"}'))[0]?.value[1]);
      return value >= 1000 ? value : undefined;
    }, 'the 1000 new pulls of acme/rocket in pulls per day');
    expect(pullGain).toBeGreaterThanOrEqual(1000);
    const ownerStars = await prometheus!.query('user:github_repo_stars:sum{user="acme"}');
    expect(Number(ownerStars[0]?.value[1])).toBe(50 + 5);
  });

  it('every expression of every shipped dashboard returns at least one series', async () => {
    const all = dashboards.flatMap(dashboardQueries);
    const queries = all.filter((query) => !fromStoredDays(query.expr) && !rules.some((rule) => rule.kind === 'record' && fromStoredDays(rule.expr) && query.expr.includes(rule.name)));
    // Only the day-by-day traffic and crates panels are left out (they show stored days loaded from footprint export).
    expect(all.length - queries.length).toBe(7);
    expect(queries.length).toBeGreaterThan(80);
    const empty: string[] = [];
    for (const query of queries) {
      const expr = substituteVariables(query.expr, VARIABLE_VALUES);
      const result = await prometheus!.query(expr);
      if (result.length === 0) empty.push(`${query.dashboard} / "${query.panel}" ${query.refId}: ${expr}`);
    }
    expect(empty).toEqual([]);
  });

  it('every dashboard variable lists the values of the fakes', async () => {
    for (const dashboard of dashboards) {
      for (const variable of dashboard.templating?.list ?? []) {
        if (variable.type !== 'query') continue;
        const { match, label } = parseLabelValues(variableQuery(variable));
        const route = `/api/v1/label/${label}/values${match ? `?match[]=${encodeURIComponent(substituteVariables(match, VARIABLE_VALUES))}` : ''}`;
        const values = await api<string[]>(route);
        expect(values, `${dashboard.uid}: $${variable.name}`).toContain(VARIABLE_VALUES[String(variable.name)]);
      }
    }
  });

  it('the public GitHub Stats (grafana.com 1559) and Docker Hub dashboards still get data, with the labels their panels show', async () => {
    const queries = publicQueries.dashboards.flatMap((dashboard) => dashboard.queries.map((query) => ({ ...query, dashboard: dashboard.name })));
    expect(queries.length).toBeGreaterThanOrEqual(9);
    for (const query of queries) {
      const result = await prometheus!.query(query.expr);
      expect(result.length, `${query.dashboard} / ${query.panel}: ${query.expr}`).toBeGreaterThan(0);
      for (const series of result) for (const label of query.labels) expect(series.metric[label], `${query.expr}: label ${label}`).toMatch(/\S/);
    }
  });

  it('every recording rule expression returns data', async () => {
    for (const rule of rules.filter((candidate) => candidate.kind === 'record' && !fromStoredDays(candidate.expr))) {
      expect((await prometheus!.query(rule.expr)).length, `${rule.name}: ${rule.expr}`).toBeGreaterThan(0);
    }
  });

  it('every alert is quiet while all is well, and fires (pending in Prometheus) once its condition is arranged', async () => {
    const alerts = rules.filter((rule) => rule.kind === 'alert');
    // How each alert's condition comes about here; an alert without a scenario fails this test.
    type Active = { labels: Record<string, string>; annotations: Record<string, string>; state: string };
    const scenarios: Record<string, { arrange: () => Promise<void> | void; expect: (series: Record<string, string>[]) => void; annotations?: (active: Active) => void }> = {
      FootprintSourceDown: {
        arrange: () => dockerhub.failNext({ status: 503, times: 1_000_000 }),
        expect: (series) => expect(series.map((labels) => labels.source)).toEqual(['dockerhub']),
      },
      FootprintGitHubBudgetLow: {
        arrange: () => github.setRemaining('graphql', 400), // 8 % of 5000
        // One budget per rate-limit resource: only graphql runs low (the contributor counts spend core).
        expect: (series) => expect(series.map((labels) => labels.resource)).toEqual(['graphql']),
        // The description's template queries that resource's budget left and reset time.
        annotations: (active) => expect(active.annotations.description).toMatch(/has \d+\s+graphql requests left until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d/),
      },
      FootprintGA4QuotaLow: {
        arrange: () => google.updateProperty('123456789', { quota: { tokensPerDay: 15_000 } }),
        expect: (series) => expect(series.map((labels) => labels.property)).toEqual(['123456789']),
      },
      FootprintGitHubStarDrop: {
        arrange: () => github.updateRepo('acme/rocket', { stars: 30 }), // 50 → 30
        expect: (series) => expect(series.map((labels) => `${labels.user}/${labels.repo}`)).toEqual(['acme/rocket']),
      },
      // Last: stops Footprint.
      FootprintDown: {
        arrange: async () => { await serve!.stop(); },
        expect: (series) => expect(series.map((labels) => labels.job)).toEqual(['footprint']),
      },
    };
    expect(alerts.map((alert) => alert.name).sort()).toEqual(Object.keys(scenarios).sort());

    for (const alert of alerts) expect(await prometheus!.query(alert.expr), `${alert.name} while all is well`).toEqual([]);

    for (const [name, scenario] of Object.entries(scenarios)) {
      const alert = alerts.find((candidate) => candidate.name === name)!;
      await scenario.arrange();
      const series = await waitFor(async () => {
        const result = await prometheus!.query(alert.expr);
        return result.length > 0 ? result.map((entry) => entry.metric) : undefined;
      }, `the condition of ${name}: ${alert.expr}`, 20_000);
      scenario.expect(series);
      // Prometheus evaluated the loaded rule too: the alert is active, with its annotations rendered.
      const active = await waitFor(async () => {
        const { alerts: list } = await api<{ alerts: Active[] }>('/api/v1/alerts');
        const found = list.filter((entry) => entry.labels.alertname === name);
        return found.length > 0 ? found : undefined;
      }, `Prometheus to list ${name} as active`, 10_000);
      for (const entry of active) {
        expect(['pending', 'firing']).toContain(entry.state);
        expect(entry.labels.severity).toMatch(/^(warning|info)$/);
        for (const text of [entry.annotations.summary, entry.annotations.description]) {
          expect(text, `${name} annotation`).toMatch(/\S/);
          expect(text, `${name} annotation`).not.toMatch(/<no value>|error executing template|\{\{/);
        }
        scenario.annotations?.(entry);
      }
    }
  });
});
