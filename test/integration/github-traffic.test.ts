// Issue 11, traffic: the GitHub source against the loopback fake (real HTTP) with a real SQLite history.
// GitHub serves 14 days; the fake's calendar moves on for weeks while Footprint polls, and every day
// stays in the store, revised while GitHub revises it; /metrics shows the 14-day totals only.
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { endOfUtcDay } from '../../electron/core/backfill/contract.js';
import { writeExport } from '../../electron/core/cli/export-format.js';
import { writeOpenMetrics } from '../../electron/core/cli/export-openmetrics.js';
import { parseConfig } from '../../electron/core/config/config.js';
import { FootprintCore, type RunReport } from '../../electron/core/core.js';
import { CoreApi } from '../../electron/core/api.js';
import { silentLogger } from '../../electron/core/log.js';
import type { SourceModule } from '../../electron/core/source.js';
import { createGitHubSource, githubSource } from '../../electron/core/sources/github/index.js';
import type { GitHubConfig } from '../../electron/core/sources/github/index.js';
import { MIN_REPOSITORIES_PER_POLL, TRAFFIC_NEEDS_PUSH } from '../../electron/core/sources/github/traffic.js';
import { startFakeGitHub } from '../fakes/github/index.js';
import type { FakeGitHub, FakeRepo, FakeTrafficCounts } from '../fakes/github/index.js';
import { promtoolCheckMetrics, requireTool } from '../support/prometheus.js';
import { fakeGitHubToken } from '../support/test-tokens.js';

const TOKEN = fakeGitHubToken();
const DAY = 86_400_000;
const HOUR = 3_600_000;
/** The fake's calendar starts here (noon UTC), in the past so no stored time is in the future. */
const START = Date.parse('2025-03-01T12:00:00Z');
const dayStart = (time: number) => Math.floor(time / DAY) * DAY;

/** A day's full numbers, different from its neighbours; today's grow with the hours gone by. */
function model(seed: number): (day: string, asOf: number) => FakeTrafficCounts {
  return (day, asOf) => {
    const start = Date.parse(`${day}T00:00:00Z`);
    const index = Math.round(start / DAY);
    const full = { count: 20 + ((index * 7 + seed) % 31), uniques: 5 + ((index * 3 + seed) % 11) };
    const clones = { count: 2 + ((index + seed) % 5), uniques: 1 + ((index + seed) % 3) };
    // Every fourth day nobody came: GitHub leaves such days out.
    if (index % 4 === 0) return { views: { count: 0, uniques: 0 }, clones: { count: 0, uniques: 0 } };
    const share = Math.min(1, (asOf - start) / DAY);
    const part = (value: number) => Math.floor(value * share);
    return { views: { count: part(full.count), uniques: part(full.uniques) }, clones: { count: part(clones.count), uniques: part(clones.uniques) } };
  };
}

function repo(owner: string, name: string, extra: Partial<FakeRepo> = {}): FakeRepo {
  return { owner, name, stars: 3, forks: 1, watchers: 1, openIssues: 0, openPulls: 0, sizeKb: 10, ...extra };
}

interface Rig {
  readonly fake: FakeGitHub;
  readonly core: FootprintCore;
  readonly clock: { now: number };
  readonly dir: string;
}

const rigs: Rig[] = [];
afterEach(async () => {
  for (const rig of rigs.splice(0)) {
    await rig.core.close();
    await rig.fake.close();
    rmSync(rig.dir, { recursive: true, force: true });
  }
});

async function rig(repos: FakeRepo[], github: string): Promise<Rig> {
  const clock = { now: START };
  const fake = await startFakeGitHub({ token: TOKEN, repos, clock: () => clock.now });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-traffic-'));
  // The source on the test's calendar; everything else as `footprint serve` builds it.
  const module: SourceModule<GitHubConfig> = { ...githubSource, create: (config) => createGitHubSource(config, { now: () => clock.now, retryAfterUnitMs: 5, retryDelayMs: 5 }) };
  const text = `storage: { path: history.db }\nbackfill: { enabled: false }\ngithub:\n  apiUrl: "${fake.url}"\n  token: "${TOKEN}"\n${github}\n`;
  const loaded = parseConfig(text, { file: path.join(dir, 'footprint.yaml'), env: {}, modules: [module], dataDir: dir });
  const core = new FootprintCore({ loaded, log: silentLogger(), modules: [module] });
  const made = { fake, core, clock, dir };
  rigs.push(made);
  return made;
}

async function poll(core: FootprintCore) {
  const [report] = await core.collectOnce();
  return report!;
}

const trafficRequests = (fake: FakeGitHub) => fake.requests.filter((request) => request.path.includes('/traffic/'));

/** Each day's stored views (its value at the day's end) from a range query, first to last day. */
function storedDays(core: FootprintCore, metric: string, labels: Record<string, string>, first: number, last: number): Map<string, number | null> {
  const series = core.store.latest({ source: 'github', metric }).find((point) => Object.entries(labels).every(([key, value]) => point.labels[key] === value));
  expect(series, `${metric} ${JSON.stringify(labels)} is stored`).toBeDefined();
  const [range] = core.store.range([series!.id], { start: endOfUtcDay(first), end: endOfUtcDay(last), step: DAY });
  return new Map(range!.times.map((time, index) => [new Date(time).toISOString().slice(0, 10), range!.values[index]!]));
}

function fullViews(seed: number, day: number): number {
  return model(seed)(new Date(day).toISOString().slice(0, 10), day + DAY).views.count;
}

describe('GitHub traffic', () => {
  it('stores the 14 days GitHub has at the first poll, keeps them after GitHub drops them and revises a day instead of duplicating it', async () => {
    const { fake, core, clock } = await rig([repo('acme', 'rocket', { trafficModel: model(1), referrers: [{ referrer: 'news.ycombinator.com', count: 120, uniques: 90 }, { referrer: 'github.com', count: 40, uniques: 12 }], popularPaths: [{ path: '/acme/rocket', title: 'rocket', count: 300, uniques: 80 }] })], '  repos: [acme/rocket]\n  interval: 10m\n  traffic: { interval: 6h }');
    const labels = { repo: 'rocket', user: 'acme' };
    const firstDay = dayStart(START) - 13 * DAY;

    const first = await poll(core);
    expect(first).toMatchObject({ ok: true, complete: true });
    expect(trafficRequests(fake)).toHaveLength(4);
    const initial = storedDays(core, 'github_repo_traffic_views_daily', labels, firstDay, dayStart(START));
    expect(initial.size).toBe(14);
    for (let day = firstDay; day < dayStart(START); day += DAY) {
      expect(initial.get(new Date(day).toISOString().slice(0, 10)), new Date(day).toISOString()).toBe(fullViews(1, day));
    }
    // Today so far: half a day's views at noon.
    const todayKey = new Date(dayStart(START)).toISOString().slice(0, 10);
    expect(initial.get(todayKey)).toBe(Math.floor(fullViews(1, dayStart(START)) / 2));

    // Twenty days later, polled every 12 hours (traffic every 6): GitHub has long dropped the first days.
    for (let step = 1; step <= 40; step++) {
      clock.now = START + step * 12 * HOUR;
      expect(await poll(core)).toMatchObject({ ok: true, complete: true });
    }
    const lastDay = dayStart(clock.now);
    const kept = storedDays(core, 'github_repo_traffic_views_daily', labels, firstDay, lastDay - DAY);
    expect(kept.size).toBe(33);
    for (let day = firstDay; day < lastDay; day += DAY) {
      expect(kept.get(new Date(day).toISOString().slice(0, 10)), new Date(day).toISOString()).toBe(fullViews(1, day));
    }
    // The day that was "today" at the first poll now holds its whole count, in one stored point.
    expect(kept.get(todayKey)).toBe(fullViews(1, dayStart(START)));
    const rows = [...core.store.exportRows()].filter((row) => row.metric === 'github_repo_traffic_views_daily' && row.since === endOfUtcDay(dayStart(START)));
    expect(rows.map((row) => row.value)).toEqual([fullViews(1, dayStart(START))]);
    // GitHub's oldest served day is never zeroed: the first day of the first window kept its count.
    expect(kept.get(new Date(firstDay).toISOString().slice(0, 10))).toBe(fullViews(1, firstDay));
    expect(storedDays(core, 'github_repo_traffic_clones_unique_daily', labels, firstDay, firstDay).get(new Date(firstDay).toISOString().slice(0, 10))).not.toBeNull();
  });

  it('reads only repositories the token can push to; a refusal is a note, never a failure', async () => {
    const { fake, core } = await rig(
      [repo('acme', 'rocket', { trafficModel: model(2) }), repo('acme', 'locked', { trafficForbidden: true }), repo('acme', 'docs', { pushAccess: false })],
      '  orgs: [acme]',
    );
    // Scheduled as `footprint serve` runs it, so the health view has the source.
    const collected = once(core, 'collected');
    core.start();
    const [report] = (await collected) as [RunReport];
    expect(report).toMatchObject({ ok: true, complete: true, errors: [] });
    const asked = new Set(trafficRequests(fake).map((request) => request.path.split('/traffic/')[0]));
    expect(asked).toEqual(new Set(['/repos/acme/rocket', '/repos/acme/locked']));
    // (docs is asked for its contributors, like every repository, but never for traffic.)
    expect(fake.requests.some((request) => request.path.startsWith('/repos/acme/docs/traffic'))).toBe(false);
    // The GraphQL listing asked for the token's permission.
    expect(fake.requests.find((request) => request.graphql)?.graphqlQuery).toContain('viewerPermission');

    const [health] = await new CoreApi(core, { metricsUrl: () => null }).health();
    expect(health).toMatchObject({ lastError: null, consecutiveFailures: 0, failedTargets: [] });
    expect(health!.notes).toEqual([{ target: 'repo:acme/locked', message: expect.stringContaining(TRAFFIC_NEEDS_PUSH) }]);
    expect(health!.notes![0]!.message).toContain('Must have push access to repository');
    const text = await core.exporter.render();
    expect(text).toContain('github_repo_traffic_views{repo="rocket",user="acme"}');
    expect(text).not.toContain('github_repo_traffic_views{repo="locked"');
    expect(text).toMatch(/^footprint_source_up\{source="github"\} 1$/m);
  });

  it('honours github.traffic.interval: polls between refreshes send no traffic request, and a big set is spread over the polls', async () => {
    const repos = Array.from({ length: 60 }, (_, index) => repo('big', `r${String(index).padStart(2, '0')}`, { trafficModel: model(index) }));
    const { fake, core, clock } = await rig(repos, '  orgs: [big]\n  interval: 10m\n  traffic: { interval: 1h }');
    const perPoll: number[] = [];
    for (let step = 0; step < 8; step++) {
      clock.now = START + step * 10 * 60_000;
      fake.resetRequests();
      expect(await poll(core)).toMatchObject({ ok: true, complete: true });
      perPoll.push(new Set(trafficRequests(fake).map((request) => request.path.split('/traffic/')[0])).size);
    }
    // 60 repositories over an hour of 10-minute polls: at least 25 a poll (all of a small set at once), each read once an hour.
    expect(MIN_REPOSITORIES_PER_POLL).toBe(25);
    expect(perPoll).toEqual([25, 25, 10, 0, 0, 0, 25, 25]);
  });

  it('keeps to its share of the REST budget, so the rest of the source still has what it needs', async () => {
    const repos = Array.from({ length: 40 }, (_, index) => repo('big', `r${String(index).padStart(2, '0')}`, { trafficModel: model(index) }));
    const { fake, core } = await rig(repos, '  orgs: [big]');
    fake.setRemaining('core', 400);
    expect(await poll(core)).toMatchObject({ ok: true, complete: true });
    const spent = trafficRequests(fake).filter((request) => request.status !== 304).length;
    // A quarter of the 400 left, give or take the requests in flight when the share ran out.
    expect(spent).toBeGreaterThan(0);
    expect(spent).toBeLessThanOrEqual(100 + 4 * 4);
    const text = await core.exporter.render();
    expect(text).toContain('github_repo_stars{repo="r39"');
  });

  it('shows the contract gauges with exactly their labels on /metrics, never the daily series, which footprint export has', async () => {
    const { core } = await rig(
      [repo('acme', 'rocket', { trafficModel: model(3), referrers: [{ referrer: 'Google', count: 12, uniques: 3 }], popularPaths: [{ path: '/acme/rocket/blob/main/README.md', title: 'README', count: 7, uniques: 2 }] })],
      '  repos: [acme/rocket]',
    );
    await poll(core);
    const text = await core.exporter.render();
    const traffic = text.split('\n').filter((line) => line.startsWith('github_repo_traffic_'));
    const names = new Set(traffic.map((line) => line.slice(0, line.indexOf('{'))));
    expect(names).toEqual(new Set(['github_repo_traffic_views', 'github_repo_traffic_views_unique', 'github_repo_traffic_clones', 'github_repo_traffic_clones_unique', 'github_repo_traffic_referrer_views', 'github_repo_traffic_path_views']));
    expect(traffic).toContain('github_repo_traffic_referrer_views{repo="rocket",user="acme",referrer="Google"} 12');
    expect(traffic).toContain('github_repo_traffic_path_views{repo="rocket",user="acme",path="/acme/rocket/blob/main/README.md"} 7');
    const window = Array.from({ length: 14 }, (_, index) => dayStart(START) - (13 - index) * DAY);
    const views = window.reduce((sum, day) => sum + model(3)(new Date(day).toISOString().slice(0, 10), START).views.count, 0);
    expect(traffic).toContain(`github_repo_traffic_views{repo="rocket",user="acme"} ${views}`);
    expect(text).not.toContain('_daily');
    if (requireTool('promtool', 'apt-get install prometheus')) expect(promtoolCheckMetrics(text).findings).toEqual([]);

    let csv = '';
    await writeExport({ rows: core.store.exportRows(), labelNames: core.store.exportLabelNames() }, 'csv', (chunk) => void (csv += chunk));
    const columns = csv.slice(0, csv.indexOf('\n')).split(',');
    const daily = csv.split('\n').find((line) => line.startsWith('github,github_repo_traffic_views_daily,'))!.split(',');
    expect([daily[columns.indexOf('repo')], daily[columns.indexOf('user')], daily[columns.indexOf('path')]]).toEqual(['rocket', 'acme', '']);
    let openMetrics = '';
    const catalogue = core.modules.flatMap((module) => module.metrics);
    await writeOpenMetrics(core.store.exportRows(), { catalogue, stepMs: DAY, since: endOfUtcDay(window[0]!), until: endOfUtcDay(window[13]!) }, (chunk) => void (openMetrics += chunk));
    expect(openMetrics).toContain('# TYPE github_repo_traffic_views_daily gauge');
    const firstFull = window.find((day) => fullViews(3, day) > 0)!;
    expect(openMetrics).toContain(`github_repo_traffic_views_daily{repo="rocket",user="acme"} ${fullViews(3, firstFull)} ${Math.floor(endOfUtcDay(firstFull) / 1000)}`);
  });
});
