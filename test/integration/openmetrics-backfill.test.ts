// "Backfill a Prometheus" as the README gives it: `footprint export --format openmetrics` of a
// history file with a past star history, `promtool tsdb create-blocks-from openmetrics`, then a
// real Prometheus on those blocks answers PromQL at past times with the stored values.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../electron/core/store/history-store.js';
import { runFootprint } from '../support/footprint-process.js';
import { requireTool, runPromtool, startPrometheusWithConfig, type RunningPrometheus } from '../support/prometheus.js';

const toolsHere = requireTool('promtool', 'apt-get install prometheus') && requireTool('prometheus', 'apt-get install prometheus');

const DAY = 86_400_000;
const at = (month: number, day: number, hour = 0, minute = 0) => Date.UTC(2026, month - 1, day, hour, minute);

const repoLabels = (repo: string, license = 'MIT') => ({ repo, user: 'acme', private: 'false', fork: 'false', archived: 'false', license, language: 'Go' });
const rocket = repoLabels('rocket');
/** A label value with every character OpenMetrics escapes. */
const oddLicense = 'Apache "2.0" \\ or\nMIT';
const quirky = repoLabels('quirky', oddLicense);
const gone = repoLabels('gone');
const image = { image: 'rocket', user: 'acme', namespace: 'acme' };

let dir: string;
let config: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-backfill-'));
  // A past history, stored through the store's API with explicit times (oldest first).
  const store = HistoryStore.open(path.join(dir, 'history.db'));
  store.ingest('github', [
    { metric: 'github_repo_stars', labels: rocket, value: 10 },
    { metric: 'github_repo_stars', labels: quirky, value: 3 },
    { metric: 'github_repo_stars', labels: gone, value: 5 },
  ], at(1, 1));
  store.ingest('dockerhub', [{ metric: 'docker_hub_image_pulls_total', labels: image, value: 100 }], at(1, 1));
  // "gone" is seen for the last time on January 10th, then no more.
  store.ingest('github', [{ metric: 'github_repo_stars', labels: gone, value: 5 }], at(1, 10));
  store.ingest('dockerhub', [{ metric: 'docker_hub_image_pulls_total', labels: image, value: 150 }], at(2, 1));
  store.ingest('github', [{ metric: 'github_repo_stars', labels: rocket, value: 25 }], at(2, 15));
  store.ingest('github', [{ metric: 'github_repo_stars', labels: rocket, value: 40 }], at(3, 20));
  // The last poll: every remaining series is last seen on March 21st.
  store.ingest('github', [{ metric: 'github_repo_stars', labels: rocket, value: 40 }, { metric: 'github_repo_stars', labels: quirky, value: 3 }], at(3, 21));
  store.ingest('dockerhub', [{ metric: 'docker_hub_image_pulls_total', labels: image, value: 150 }], at(3, 21));
  // Traffic GitHub reported day by day (stored history only: never on /metrics), the days of March 18-20.
  store.ingestDated('github', [18, 19, 20].map((day, index) => ({ metric: 'github_repo_traffic_views_daily', labels: { repo: 'rocket', user: 'acme' }, value: [120, 95, 140][index]!, time: at(3, day + 1) - 1 })));
  store.close();
  config = path.join(dir, 'footprint.yaml');
  writeFileSync(config, 'storage: { path: ./history.db }\n');
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const exportArgs = (...args: string[]) => ['export', '--format', 'openmetrics', ...args, '--config', config];

describe.skipIf(!toolsHere)('footprint export --format openmetrics into a real Prometheus', () => {
  let prometheus: RunningPrometheus;
  let exported: string;

  beforeAll(async () => {
    // The README's commands.
    const result = await runFootprint(exportArgs('--label', 'job=footprint', '--label', 'instance=localhost:9171'), { HOME: dir });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    exported = result.stdout;
    const file = path.join(dir, 'history.om');
    writeFileSync(file, exported);
    const blocks = path.join(dir, 'blocks');
    const promtool = runPromtool(['tsdb', 'create-blocks-from', 'openmetrics', '--max-block-duration=744h', file, blocks]);
    expect(promtool.output).not.toMatch(/error/i);
    expect(promtool.status).toBe(0);
    prometheus = await startPrometheusWithConfig('global: {}\n', { dataDir: blocks, flags: ['--storage.tsdb.retention.time=10y'] });
  });

  afterAll(async () => {
    await prometheus?.stop();
  });

  const valueAt = async (expr: string, time: number) => (await prometheus.query(expr, time)).map((result) => Number(result.value[1]));

  it('returns the backfilled star count at past times', async () => {
    const stars = 'github_repo_stars{repo="rocket"}';
    expect(await valueAt(stars, at(1, 1))).toEqual([10]);
    expect(await valueAt(stars, at(1, 20, 13, 37))).toEqual([10]);
    expect(await valueAt(stars, at(2, 15) - 1_000)).toEqual([10]);
    expect(await valueAt(stars, at(2, 15))).toEqual([25]);
    expect(await valueAt(stars, at(3, 1, 7, 2))).toEqual([25]);
    expect(await valueAt(stars, at(3, 20, 12))).toEqual([40]);
    expect(await valueAt(stars, at(3, 21))).toEqual([40]);
  });

  it('brings the days Footprint kept of GitHub traffic, which /metrics never carries, to the traffic dashboard\'s queries', async () => {
    const perDay = 'sum by (user, repo) (github_repo_traffic_views_daily{user=~"acme", repo=~"rocket"})';
    expect(await valueAt(perDay, at(3, 19) - 1)).toEqual([120]);
    expect(await valueAt(perDay, at(3, 20) - 1)).toEqual([95]);
    expect(await valueAt(perDay, at(3, 21) - 1)).toEqual([140]);
  });

  it('has nothing before the first value or after the series was last seen (plus the 5-minute lookback)', async () => {
    expect(await valueAt('github_repo_stars{repo="rocket"}', at(1, 1) - 1_000)).toEqual([]);
    expect(await valueAt('github_repo_stars{repo="rocket"}', at(3, 21, 0, 6))).toEqual([]);
    expect(await valueAt('github_repo_stars{repo="gone"}', at(1, 5))).toEqual([5]);
    expect(await valueAt('github_repo_stars{repo="gone"}', at(1, 20))).toEqual([]);
    expect(await valueAt('count(github_repo_stars)', at(1, 5))).toEqual([3]);
    expect(await valueAt('count(github_repo_stars)', at(1, 20))).toEqual([2]);
  });

  it('keeps the /metrics names and labels, with the added job and instance', async () => {
    const [pulls] = await prometheus.query('docker_hub_image_pulls_total', at(2, 10));
    expect(pulls?.metric).toEqual({ __name__: 'docker_hub_image_pulls_total', ...image, job: 'footprint', instance: 'localhost:9171' });
    expect(pulls?.value[1]).toBe('150');
    const [odd] = await prometheus.query('github_repo_stars{repo="quirky"}', at(2, 10));
    expect(odd?.metric.license).toBe(oddLicense);
    expect(odd?.value[1]).toBe('3');
    // Every day of the stored span answers a plain instant query, at any minute.
    for (let time = at(1, 1, 0, 1); time < at(3, 21); time += DAY + 7 * 60_000) {
      expect(await valueAt('count(github_repo_stars{repo=~"rocket|quirky"})', time), new Date(time).toISOString()).toEqual([2]);
    }
  });

  it('writes nothing but OpenMetrics on stdout', () => {
    const lines = exported.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('# EOF');
    expect(lines.slice(0, -1).filter((line) => !/^(# (HELP|TYPE) \w+ .*|[a-z_]+\{.*\} \S+ \d+)$/.test(line))).toEqual([]);
  });
});

describe('footprint export --format openmetrics options', () => {
  const rocketSamples = (stdout: string) => stdout.split('\n').filter((line) => line.startsWith('github_repo_stars{') && line.includes('repo="rocket"'))
    .map((line) => line.split(' ').slice(-2).map(Number));

  it('--since starts with the value that held then, though it was last stored before; --until ends there', async () => {
    const result = await runFootprint(exportArgs('--since', '2026-02-01', '--until', '2026-03-01T00:00:00Z', '--step', '1h'), { HOME: dir });
    expect(result.status).toBe(0);
    const samples = rocketSamples(result.stdout);
    expect(samples[0]).toEqual([10, at(2, 1) / 1000]);
    expect(samples.at(-1)).toEqual([25, at(3, 1) / 1000]);
    expect(samples).toHaveLength(28 * 24 + 1);
    // "gone" ended in January: not in the output.
    expect(result.stdout).not.toContain('repo="gone"');
  });

  it.each([
    [['--step', '90ms'], '--step "90ms" must be a duration in whole seconds, at least 1s'],
    [['--step', 'often'], '--step "often" must be a duration'],
    [['--label', 'job'], '--label "job" must be NAME=VALUE'],
    [['--label', '__name__=x'], '--label "__name__=x" must be NAME=VALUE'],
    [['--label', 'repo=x'], '--label repo: Footprint\'s series have a "repo" label of their own'],
    [['--label', 'job=a', '--label', 'job=b'], '--label job is given twice'],
    [['--until', 'soon'], '--until "soon" is not a date'],
    [['--since', '2026-03-01', '--until', '2026-02-01'], 'is before --since'],
  ])('refuses %j with exit 2 and says why', async (args, message) => {
    const result = await runFootprint(exportArgs(...args), { HOME: dir });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });

  it('refuses the OpenMetrics options with CSV and JSON', async () => {
    const result = await runFootprint(['export', '--format', 'csv', '--step', '1h', '--config', config], { HOME: dir });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--step is for --format openmetrics');
  });
});
