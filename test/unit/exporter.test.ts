import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { MetricsExporter, selfMetricDefs } from '../../electron/core/exporter.js';
import { SelfGauge } from '../../electron/core/self-metrics.js';
import type { SourceModule } from '../../electron/core/source.js';
import type { MetricDef, Sample } from '../../shared/metrics.js';

function sourceModule(id: string, metrics: MetricDef[]): SourceModule<Record<string, never>> {
  return {
    id,
    title: id,
    configSchema: z.object({}) as unknown as z.ZodType<Record<string, never>>,
    metrics,
    secrets: () => [],
    create: () => ({ id, intervalMs: 60_000, timeoutMs: 20_000, collect: async () => ({ samples: [], errors: [], collected: 0 }) }),
  };
}

const repoLabels = ['repo', 'user', 'private'];
const hub = sourceModule('dockerhub', [
  { name: 'dockerhub_image_pulls_total', help: 'Pulls of the image since it was created.', type: 'counter', labels: ['image', 'user'] },
  { name: 'dockerhub_image_stars', help: 'Stars of the image.', type: 'gauge', labels: ['image', 'user'] },
]);
const gh = sourceModule('github', [
  { name: 'github_repo_stars', help: 'Stargazers of the repository.', type: 'gauge', labels: repoLabels },
  { name: 'github_repo_forks', help: 'Forks of the repository.', type: 'gauge', labels: repoLabels },
  { name: 'github_rate_remaining', help: 'Requests left in the "core" window\\quota,\nper token.', type: 'gauge', labels: [] },
]);

function makeExporter(): MetricsExporter {
  return new MetricsExporter({ modules: [gh, hub], version: '1.2.3' });
}

function stars(repo: string, value: number, user = 'acme'): Sample {
  return { metric: 'github_repo_stars', labels: { repo, user, private: 'false' }, value };
}

/** Data lines of an exposition: "name{labels}" → value. */
function seriesOf(text: string): Map<string, number> {
  const series = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    series.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return series;
}

function dataLines(text: string, metric: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(`${metric}{`) || line.startsWith(`${metric} `));
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('MetricsExporter: data series', () => {
  it('a complete update makes the series exactly the given samples', async () => {
    const exporter = makeExporter();
    exporter.updateSource('github', [stars('a', 1), stars('b', 2)], { complete: true });
    exporter.updateSource('github', [stars('a', 5)], { complete: true });
    const series = seriesOf(await exporter.render());
    expect(series.get('github_repo_stars{repo="a",user="acme",private="false"}')).toBe(5);
    expect(series.has('github_repo_stars{repo="b",user="acme",private="false"}')).toBe(false);
  });

  it('an incomplete update overwrites what it has and keeps what it lacks', async () => {
    const exporter = makeExporter();
    exporter.updateSource('github', [stars('a', 1, 'org1'), stars('b', 2, 'org2')], { complete: true });
    // org2 failed this run: its repo must not go blank.
    exporter.updateSource('github', [stars('a', 7, 'org1'), stars('c', 3, 'org1')], { complete: false });
    const series = seriesOf(await exporter.render());
    expect(series.get('github_repo_stars{repo="a",user="org1",private="false"}')).toBe(7);
    expect(series.get('github_repo_stars{repo="b",user="org2",private="false"}')).toBe(2);
    expect(series.get('github_repo_stars{repo="c",user="org1",private="false"}')).toBe(3);
  });

  it('a complete update of one source leaves the other sources alone', async () => {
    const exporter = makeExporter();
    exporter.updateSource('dockerhub', [{ metric: 'dockerhub_image_stars', labels: { image: 'acme/web', user: 'acme' }, value: 4 }], { complete: true });
    exporter.updateSource('github', [], { complete: true });
    expect(seriesOf(await exporter.render()).get('dockerhub_image_stars{image="acme/web",user="acme"}')).toBe(4);
  });

  it('duplicate series in one update become one series, last value wins', async () => {
    const exporter = makeExporter();
    const result = exporter.updateSource('github', [stars('a', 1), stars('a', 2), stars('a', 3)], { complete: true });
    expect(result).toEqual({ accepted: 3, rejected: [] });
    const text = await exporter.render();
    expect(dataLines(text, 'github_repo_stars')).toEqual(['github_repo_stars{repo="a",user="acme",private="false"} 3']);
    // The same labels given in another key order are the same series.
    exporter.updateSource('github', [{ metric: 'github_repo_stars', labels: { private: 'false', user: 'acme', repo: 'a' }, value: 9 }], { complete: false });
    expect(dataLines(await exporter.render(), 'github_repo_stars')).toEqual(['github_repo_stars{repo="a",user="acme",private="false"} 9']);
  });

  it('skips and reports samples outside the catalogue or with bad labels or values', async () => {
    const exporter = makeExporter();
    const result = exporter.updateSource(
      'github',
      [
        stars('good', 1),
        { metric: 'github_repo_unknown', labels: {}, value: 1 },
        { metric: 'dockerhub_image_stars', labels: { image: 'x', user: 'y' }, value: 1 },
        { metric: 'github_repo_stars', labels: { repo: 'x', user: 'y', private: 'false', colour: 'red' }, value: 1 },
        { metric: 'github_repo_stars', labels: { repo: 'x', user: 'y', private: false as unknown as string }, value: 1 },
        { metric: 'github_repo_stars', labels: { repo: 'x' }, value: Number.NaN },
        { metric: 'github_repo_forks', labels: { repo: 'x' }, value: Number.POSITIVE_INFINITY },
        // Missing label values are empty strings, not a rejection.
        { metric: 'github_repo_forks', labels: { repo: 'partial' }, value: 2 },
      ],
      { complete: true },
    );
    expect(result.accepted).toBe(2);
    expect(result.rejected).toEqual([
      { metric: 'github_repo_unknown', reason: 'metric is not in the "github" catalogue' },
      { metric: 'dockerhub_image_stars', reason: 'metric is not in the "github" catalogue' },
      { metric: 'github_repo_stars', reason: 'label "colour" is not declared (declared: repo, user, private)' },
      { metric: 'github_repo_stars', reason: 'label "private" must be a string, got boolean' },
      { metric: 'github_repo_stars', reason: 'value must be a finite number, got NaN' },
      { metric: 'github_repo_forks', reason: 'value must be a finite number, got Infinity' },
    ]);
    const text = await exporter.render();
    expect([...seriesOf(text).keys()].filter((key) => key.startsWith('github_'))).toEqual([
      'github_repo_forks{repo="partial",user="",private=""}',
      'github_repo_stars{repo="good",user="acme",private="false"}',
    ]);
  });

  it('renders label-less metrics without braces', async () => {
    const exporter = makeExporter();
    exporter.updateSource('github', [{ metric: 'github_rate_remaining', labels: {}, value: 4999 }], { complete: true });
    expect(dataLines(await exporter.render(), 'github_rate_remaining')).toEqual(['github_rate_remaining 4999']);
  });

  it('escapes label values and help text', async () => {
    const exporter = makeExporter();
    exporter.updateSource('github', [stars('back\\slash "quoted"\nnewline', 1, 'ünïcødé,{}=')], { complete: true });
    const text = await exporter.render();
    expect(dataLines(text, 'github_repo_stars')).toEqual([
      'github_repo_stars{repo="back\\\\slash \\"quoted\\"\\nnewline",user="ünïcødé,{}=",private="false"} 1',
    ]);
    exporter.updateSource('github', [{ metric: 'github_rate_remaining', labels: {}, value: 1 }], { complete: true });
    expect(await exporter.render()).toContain('# HELP github_rate_remaining Requests left in the "core" window\\\\quota,\\nper token.\n');
  });

  it('serves a label value with a lone UTF-16 surrogate as U+FFFD: valid text, one series, no duplicate line', async () => {
    const exporter = makeExporter();
    exporter.updateSource('github', [stars('bad\ud800', 1), stars('bad\udfff', 2), stars('good', 3)], { complete: true });
    const text = await exporter.render();
    expect(text.isWellFormed()).toBe(true);
    // Encoded for the wire, the two garbage names would otherwise be two identical lines, and Prometheus refuses the scrape.
    expect(dataLines(Buffer.from(text).toString('utf8'), 'github_repo_stars')).toEqual([
      'github_repo_stars{repo="bad\ufffd",user="acme",private="false"} 2',
      'github_repo_stars{repo="good",user="acme",private="false"} 3',
    ]);
  });

  it('screens a run\'s samples: well-formed labels for the store, a reason for each it cannot take', () => {
    const exporter = makeExporter();
    const screened = exporter.screen('github', [stars('bad\ud800', 1), stars('nan', Number.NaN), { metric: 'dockerhub_image_stars', labels: {}, value: 1 }]);
    expect(screened.samples).toEqual([stars('bad\ufffd', 1)]);
    expect(screened.rejected).toEqual([
      { metric: 'github_repo_stars', reason: 'value must be a finite number, got NaN' },
      { metric: 'dockerhub_image_stars', reason: 'metric is not in the "github" catalogue' },
    ]);
  });

  it('renders counters as counters carrying the absolute totals', async () => {
    const exporter = makeExporter();
    const pulls = (value: number): Sample => ({ metric: 'dockerhub_image_pulls_total', labels: { image: 'acme/web', user: 'acme' }, value });
    exporter.updateSource('dockerhub', [pulls(1_234_567_890)], { complete: true });
    let text = await exporter.render();
    expect(text).toContain('# TYPE dockerhub_image_pulls_total counter\n');
    expect(dataLines(text, 'dockerhub_image_pulls_total')).toEqual(['dockerhub_image_pulls_total{image="acme/web",user="acme"} 1234567890']);
    exporter.updateSource('dockerhub', [pulls(1_234_567_990)], { complete: true });
    text = await exporter.render();
    expect(dataLines(text, 'dockerhub_image_pulls_total')).toEqual(['dockerhub_image_pulls_total{image="acme/web",user="acme"} 1234567990']);
    expect(exporter.updateSource('dockerhub', [pulls(-1)], { complete: false }).rejected).toEqual([
      { metric: 'dockerhub_image_pulls_total', reason: 'a counter total cannot be negative, got -1' },
    ]);
  });

  it('restore serves stored values at once, like a complete update', async () => {
    const exporter = makeExporter();
    exporter.updateSource('github', [stars('old', 1)], { complete: true });
    expect(exporter.restore('github', [stars('stored', 42)])).toEqual({ accepted: 1, rejected: [] });
    const series = seriesOf(await exporter.render());
    expect(series.get('github_repo_stars{repo="stored",user="acme",private="false"}')).toBe(42);
    expect(series.has('github_repo_stars{repo="old",user="acme",private="false"}')).toBe(false);
  });

  it('one HELP and TYPE per family, families sorted, empty families left out', async () => {
    const exporter = makeExporter();
    exporter.registerSource('github');
    exporter.updateSource('github', [stars('a', 1), stars('b', 2), { metric: 'github_repo_forks', labels: { repo: 'a' }, value: 3 }], { complete: true });
    exporter.updateSource('dockerhub', [{ metric: 'dockerhub_image_stars', labels: { image: 'i' }, value: 1 }], { complete: true });
    const text = await exporter.render();
    const helpNames = text.split('\n').filter((line) => line.startsWith('# HELP ')).map((line) => line.split(' ')[2]!);
    const typeNames = text.split('\n').filter((line) => line.startsWith('# TYPE ')).map((line) => line.split(' ')[2]!);
    expect(helpNames).toEqual([...helpNames].sort());
    expect(new Set(helpNames).size).toBe(helpNames.length);
    expect(typeNames).toEqual(helpNames);
    expect(helpNames).toContain('footprint_source_up');
    expect(helpNames).not.toContain('github_rate_remaining');
    expect(helpNames).not.toContain('dockerhub_image_pulls_total');
    expect(helpNames).not.toContain('footprint_api_requests_total');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('refuses unknown sources and broken catalogues with clear errors', () => {
    const exporter = makeExporter();
    expect(() => exporter.updateSource('npm', [], { complete: true })).toThrow('MetricsExporter.updateSource: unknown source "npm" (known sources: "github", "dockerhub")');
    expect(() => exporter.recordRun('npm', { ok: true, finishedAt: 0, durationMs: 0, lastSuccessAt: null })).toThrow(/unknown source "npm"/);
    const make = (...modules: SourceModule<any>[]) => () => new MetricsExporter({ modules, version: '1' });
    expect(make(gh, sourceModule('copy', [{ name: 'github_repo_stars', help: 'x', type: 'gauge', labels: [] }]))).toThrow(/github_repo_stars is already declared by source module "github"/);
    expect(make(sourceModule('x', [{ name: 'footprint_own', help: 'x', type: 'gauge', labels: [] }]))).toThrow(/reserved/);
    expect(make(sourceModule('x', [{ name: 'x-y', help: 'x', type: 'gauge', labels: [] }]))).toThrow(/not a valid Prometheus name/);
    expect(make(sourceModule('x', [{ name: 'x_y', help: 'x', type: 'gauge', labels: ['bad-label'] }]))).toThrow(/label name "bad-label" is invalid/);
    expect(make(sourceModule('x', [{ name: 'x_y', help: 'x', type: 'gauge', labels: ['a', 'a'] }]))).toThrow(/label "a" is listed twice/);
    expect(make(sourceModule('x', [{ name: 'x_y', help: 'x', type: 'histogram' as 'gauge', labels: [] }]))).toThrow(/type must be "gauge" or "counter"/);
    expect(make(gh, gh)).toThrow(/"github" is listed twice/);
    expect(() => new MetricsExporter({ modules: [gh], version: '' })).toThrow(/version/);
  });

  it('swaps a source\'s catalogue for the one its configuration defines, dropping its old series, refusing a name another source has', async () => {
    const user = sourceModule('http', []);
    const exporter = new MetricsExporter({ modules: [gh, user], version: '1' });
    const orders: MetricDef = { name: 'shop_orders', help: 'Orders of the shop.', type: 'gauge', labels: ['endpoint'] };
    exporter.setCatalogue('http', [orders]);
    exporter.updateSource('http', [{ metric: 'shop_orders', labels: { endpoint: 'shop' }, value: 3 }], { complete: true });
    exporter.updateSource('github', [stars('rocket', 5)], { complete: true });
    expect(dataLines(await exporter.render(), 'shop_orders')).toEqual(['shop_orders{endpoint="shop"} 3']);
    exporter.setCatalogue('http', [{ ...orders, name: 'shop_sales' }]);
    const text = await exporter.render();
    expect(dataLines(text, 'shop_orders')).toEqual([]);
    expect(exporter.screen('http', [{ metric: 'shop_orders', labels: { endpoint: 'shop' }, value: 1 }]).rejected).toEqual([{ metric: 'shop_orders', reason: 'metric is not in the "http" catalogue' }]);
    expect(dataLines(text, 'github_repo_stars')).toHaveLength(1);
    expect(() => exporter.setCatalogue('http', [{ ...orders, name: 'github_repo_forks' }])).toThrow(/github_repo_forks is already declared by source module "github"/);
    expect(() => exporter.setCatalogue('http', [orders, orders])).toThrow(/shop_orders is already declared/);
  });
});

describe('MetricsExporter: self metrics', () => {
  it('registered sources show up=0, no errors and no series until they run', async () => {
    const exporter = makeExporter();
    exporter.registerSource('github');
    const series = seriesOf(await exporter.render());
    expect(series.get('footprint_source_up{source="github"}')).toBe(0);
    expect(series.get('footprint_source_errors_total{source="github"}')).toBe(0);
    expect(series.get('footprint_source_series{source="github"}')).toBe(0);
    expect(series.has('footprint_source_up{source="dockerhub"}')).toBe(false);
    expect(series.has('footprint_source_last_success_timestamp_seconds{source="github"}')).toBe(false);
    expect(series.get(`footprint_build_info{version="1.2.3",node="${process.version}"}`)).toBe(1);
  });

  it('a restored source keeps up=0 until its first run, with the stored last success', async () => {
    const exporter = makeExporter();
    exporter.restore('github', [stars('a', 1), stars('b', 2)]);
    exporter.setLastSuccess('github', 1_700_000_000_000);
    let series = seriesOf(await exporter.render());
    expect(series.get('footprint_source_up{source="github"}')).toBe(0);
    expect(series.get('footprint_source_last_success_timestamp_seconds{source="github"}')).toBe(1_700_000_000);
    expect(series.get('footprint_source_series{source="github"}')).toBe(2);
    exporter.recordRun('github', { ok: true, finishedAt: 1_700_000_600_500, durationMs: 2_000, lastSuccessAt: 1_700_000_600_500 });
    series = seriesOf(await exporter.render());
    expect(series.get('footprint_source_up{source="github"}')).toBe(1);
    expect(series.get('footprint_source_last_success_timestamp_seconds{source="github"}')).toBe(1_700_000_600.5);
  });

  it('recordRun sets up, timestamps, duration and errors', async () => {
    const exporter = makeExporter();
    exporter.recordRun('github', { ok: true, finishedAt: 1_700_000_000_000, durationMs: 750, lastSuccessAt: 1_700_000_000_000 });
    exporter.recordRun('github', { ok: false, finishedAt: 1_700_000_060_000, durationMs: 45_000, lastSuccessAt: 1_700_000_000_000 });
    const series = seriesOf(await exporter.render());
    expect(series.get('footprint_source_up{source="github"}')).toBe(0);
    expect(series.get('footprint_source_errors_total{source="github"}')).toBe(1);
    expect(series.get('footprint_source_last_attempt_timestamp_seconds{source="github"}')).toBe(1_700_000_060);
    expect(series.get('footprint_source_last_success_timestamp_seconds{source="github"}')).toBe(1_700_000_000);
    expect(series.get('footprint_source_collection_duration_seconds_count{source="github"}')).toBe(2);
    expect(series.get('footprint_source_collection_duration_seconds_sum{source="github"}')).toBe(45.75);
    expect(series.get('footprint_source_collection_duration_seconds_bucket{le="0.1",source="github"}')).toBe(0);
    expect(series.get('footprint_source_collection_duration_seconds_bucket{le="1",source="github"}')).toBe(1);
    expect(series.get('footprint_source_collection_duration_seconds_bucket{le="60",source="github"}')).toBe(2);
    expect(series.get('footprint_source_collection_duration_seconds_bucket{le="120",source="github"}')).toBe(2);
  });

  it('countRequest counts API requests by source and status', async () => {
    const exporter = makeExporter();
    exporter.countRequest('github', 200);
    exporter.countRequest('github', 200);
    exporter.countRequest('github', 403);
    exporter.countRequest('dockerhub', 'error');
    const series = seriesOf(await exporter.render());
    expect(series.get('footprint_api_requests_total{source="github",status="200"}')).toBe(2);
    expect(series.get('footprint_api_requests_total{source="github",status="403"}')).toBe(1);
    expect(series.get('footprint_api_requests_total{source="dockerhub",status="error"}')).toBe(1);
    expect(() => exporter.countRequest('github', 2.5)).toThrow(/status must be an HTTP status code/);
  });

  it('selfMetricDefs describe exactly the footprint_* families served', async () => {
    const exporter = makeExporter();
    exporter.recordRun('github', { ok: false, finishedAt: 1_000, durationMs: 10, lastSuccessAt: 500 });
    exporter.countRequest('github', 500);
    exporter.remoteWrite.register('mimir', 'https://mimir.example.com/api/v1/push');
    exporter.remoteWrite.countRequest('mimir', 204);
    exporter.remoteWrite.update('mimir', { lastSuccessAt: 1_000, sentUntil: 900 }, 1_000);
    const text = await exporter.render();
    const served = text.split('\n').filter((line) => line.startsWith('# TYPE footprint_')).map((line) => line.split(' ').slice(2).join(' '));
    expect(served).toEqual(selfMetricDefs.map((def) => `${def.name} ${def.type}`).sort());
    for (const def of selfMetricDefs) {
      expect(text).toContain(`# HELP ${def.name} ${def.help}\n`);
      const line = text.split('\n').find((candidate) => candidate.startsWith(def.name) && !candidate.startsWith('#'))!;
      const labelNames = [...line.matchAll(/([a-z_]+)="/g)].map((match) => match[1]).filter((name) => name !== 'le');
      expect(labelNames).toEqual([...def.labels]);
    }
  });

  it('selfSamples are the footprint_* series /metrics shows, a histogram as its _bucket, _sum and _count', async () => {
    const exporter = makeExporter();
    exporter.recordRun('github', { ok: true, finishedAt: 1_000, durationMs: 300, lastSuccessAt: 1_000 });
    exporter.countRequest('github', 200);
    exporter.remoteWrite.register('mimir', 'https://mimir.example.com/api/v1/push');
    const text = await exporter.render();
    const shown = text.split('\n').filter((line) => line.startsWith('footprint_')).sort();
    const asLines = exporter.selfSamples().map((sample) => {
      // The exposition puts a histogram's le first, then the labels in declared order.
      const names = Object.keys(sample.labels).sort((a, b) => (a === 'le' ? -1 : b === 'le' ? 1 : 0));
      const labels = names.map((name) => `${name}="${sample.labels[name]}"`).join(',');
      return `${sample.name}{${labels}} ${sample.value}`;
    }).sort();
    expect(asLines).toEqual(shown);
  });

  it('footprint_source_series follows updates', async () => {
    const exporter = makeExporter();
    exporter.updateSource('github', [stars('a', 1), stars('b', 1), { metric: 'github_repo_forks', labels: { repo: 'a' }, value: 1 }], { complete: true });
    expect(seriesOf(await exporter.render()).get('footprint_source_series{source="github"}')).toBe(3);
    exporter.updateSource('github', [stars('a', 1)], { complete: true });
    expect(seriesOf(await exporter.render()).get('footprint_source_series{source="github"}')).toBe(1);
  });

  it('renders the footprint_* families in the exact text prom-client wrote before (series in first-set order, a bucket\'s le first)', async () => {
    const exporter = makeExporter();
    exporter.registerSource('github');
    exporter.registerSource('dockerhub');
    exporter.recordRun('github', { ok: true, finishedAt: 1_700_000_000_123, durationMs: 1_234, lastSuccessAt: 1_700_000_000_123 });
    exporter.recordRun('github', { ok: false, finishedAt: 1_700_000_100_000, durationMs: 70_000, lastSuccessAt: 1_700_000_000_123 });
    exporter.countRequest('github', 200);
    exporter.countRequest('github', 200);
    exporter.countRequest('github', 'error');
    exporter.countRequest('dockerhub', 404);
    exporter.unregisterSource('dockerhub');
    const help = new Map(selfMetricDefs.map((def) => [def.name, `# HELP ${def.name} ${def.help}\n# TYPE ${def.name} ${def.type}\n`]));
    const buckets = [['0.1', 0], ['0.25', 0], ['0.5', 0], ['1', 0], ['2.5', 1], ['5', 1], ['10', 1], ['30', 1], ['60', 1], ['120', 2], ['+Inf', 2]] as const;
    expect(await exporter.render()).toBe([
      help.get('footprint_api_requests_total'),
      'footprint_api_requests_total{source="github",status="200"} 2\n',
      'footprint_api_requests_total{source="github",status="error"} 1\n',
      help.get('footprint_build_info'),
      `footprint_build_info{version="1.2.3",node="${process.version}"} 1\n`,
      help.get('footprint_source_collection_duration_seconds'),
      ...buckets.map(([le, count]) => `footprint_source_collection_duration_seconds_bucket{le="${le}",source="github"} ${count}\n`),
      'footprint_source_collection_duration_seconds_sum{source="github"} 71.234\n',
      'footprint_source_collection_duration_seconds_count{source="github"} 2\n',
      help.get('footprint_source_errors_total'),
      'footprint_source_errors_total{source="github"} 1\n',
      help.get('footprint_source_last_attempt_timestamp_seconds'),
      'footprint_source_last_attempt_timestamp_seconds{source="github"} 1700000100\n',
      help.get('footprint_source_last_success_timestamp_seconds'),
      'footprint_source_last_success_timestamp_seconds{source="github"} 1700000000.123\n',
      help.get('footprint_source_series'),
      'footprint_source_series{source="github"} 0\n',
      help.get('footprint_source_up'),
      'footprint_source_up{source="github"} 0\n',
    ].join(''));
  });
});

describe('MetricsExporter: render cache', () => {
  it('serves the cached text until something changes', async () => {
    const exporter = makeExporter();
    exporter.updateSource('github', [stars('a', 1)], { complete: true });
    const collect = vi.spyOn(SelfGauge.prototype, 'render');
    const first = await exporter.render();
    const renderCalls = collect.mock.calls.length;
    expect(renderCalls).toBeGreaterThan(0);
    expect(await exporter.render()).toBe(first);
    expect(collect.mock.calls.length).toBe(renderCalls);

    exporter.updateSource('github', [stars('a', 2)], { complete: false });
    expect(seriesOf(await exporter.render()).get('github_repo_stars{repo="a",user="acme",private="false"}')).toBe(2);
    exporter.countRequest('github', 200);
    expect(seriesOf(await exporter.render()).get('footprint_api_requests_total{source="github",status="200"}')).toBe(1);
    exporter.recordRun('github', { ok: true, finishedAt: 5_000, durationMs: 1, lastSuccessAt: 5_000 });
    expect(seriesOf(await exporter.render()).get('footprint_source_up{source="github"}')).toBe(1);
    exporter.setLastSuccess('github', 9_000);
    expect(seriesOf(await exporter.render()).get('footprint_source_last_success_timestamp_seconds{source="github"}')).toBe(9);
  });

  it('a health change keeps the data families\' text; a data change renders its source\'s families again', async () => {
    const exporter = makeExporter();
    exporter.updateSource('github', [stars('a', 1)], { complete: true });
    exporter.updateSource('dockerhub', [{ metric: 'dockerhub_image_stars', labels: { image: 'i', user: 'u' }, value: 3 }], { complete: true });
    await exporter.render();
    // Rendering a family walks its series map; the GitHub stars family's keys begin with '{repo='.
    const iterate = vi.spyOn(Map.prototype, Symbol.iterator);
    const starsWalks = () => iterate.mock.contexts.filter((map) => map instanceof Map && [...map.keys()].some((key) => typeof key === 'string' && key.startsWith('{repo='))).length;

    // Counting an API request (what a poll does for each one) changes Footprint's own series only.
    exporter.countRequest('github', 200);
    const afterHealth = seriesOf(await exporter.render());
    expect(afterHealth.get('github_repo_stars{repo="a",user="acme",private="false"}')).toBe(1);
    expect(afterHealth.get('dockerhub_image_stars{image="i",user="u"}')).toBe(3);
    expect(afterHealth.get('footprint_api_requests_total{source="github",status="200"}')).toBe(1);
    expect(starsWalks()).toBe(0);

    exporter.updateSource('github', [stars('a', 5)], { complete: false });
    const afterData = seriesOf(await exporter.render());
    expect(afterData.get('github_repo_stars{repo="a",user="acme",private="false"}')).toBe(5);
    expect(afterData.get('dockerhub_image_stars{image="i",user="u"}')).toBe(3);
    expect(starsWalks()).toBeGreaterThan(0);
  });

  it('a change during a render is not hidden behind a stale cache', async () => {
    const exporter = makeExporter();
    exporter.updateSource('github', [stars('a', 1)], { complete: true });
    const rendering = exporter.render();
    // An update while a render is under way (begun, not yet awaited) must not be cached over.
    exporter.updateSource('github', [stars('a', 2)], { complete: true });
    await rendering;
    expect(seriesOf(await exporter.render()).get('github_repo_stars{repo="a",user="acme",private="false"}')).toBe(2);
  });

  it('declares the Prometheus text content type', () => {
    expect(makeExporter().contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  });
});

describe('MetricsExporter: promtool', () => {
  it('passes `promtool check metrics` with awkward label values and every kind of metric', async () => {
    const exporter = makeExporter();
    const awkward = ['', 'back\\slash', 'quote"inside', 'new\nline', 'tab\there', 'carriage\rreturn', 'ünïcødé ✓ 日本', '{}=,', '\\"\n', ' leading and trailing ', '#not a comment', 'a'.repeat(300)];
    exporter.updateSource('github', awkward.map((repo, index) => stars(repo, index)), { complete: true });
    exporter.updateSource('github', [{ metric: 'github_rate_remaining', labels: {}, value: 0.000001 }, { metric: 'github_repo_forks', labels: { repo: 'big' }, value: 1e21 }], { complete: false });
    exporter.updateSource('dockerhub', [
      { metric: 'dockerhub_image_pulls_total', labels: { image: 'library/nginx', user: 'library' }, value: 10_000_000_000 },
      { metric: 'dockerhub_image_stars', labels: { image: 'a"b\\c\nd', user: '' }, value: -3.5 },
    ], { complete: true });
    exporter.registerSource('github');
    exporter.recordRun('github', { ok: true, finishedAt: 1_700_000_000_000, durationMs: 1_234, lastSuccessAt: 1_700_000_000_000 });
    exporter.recordRun('dockerhub', { ok: false, finishedAt: 1_700_000_000_000, durationMs: 200_000, lastSuccessAt: null });
    exporter.countRequest('github', 200);
    exporter.countRequest('dockerhub', 'error');
    const text = await exporter.render();
    expect(seriesOf(text).size).toBeGreaterThan(awkward.length);

    const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error('promtool is not installed: run `apt-get install prometheus` (Debian) to get /usr/bin/promtool');
    }
    expect(result.error).toBeUndefined();
    expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it('promtool catches a broken exposition (the check can fail)', () => {
    const result = spawnSync('promtool', ['check', 'metrics'], { input: '# HELP x a\n# TYPE x gauge\nx{a="unterminated} 1\n', encoding: 'utf8' });
    if (result.error) throw new Error('promtool is not installed: run `apt-get install prometheus` (Debian) to get /usr/bin/promtool');
    expect(result.status).not.toBe(0);
  });
});

describe('unregisterSource', () => {
  it('drops the data and health series of a source removed from the configuration', async () => {
    const { MetricsExporter } = await import('../../electron/core/exporter.js');
    const module = { id: 'demo', title: 'Demo', configSchema: undefined as never, secrets: () => [], create: () => { throw new Error('unused'); },
      metrics: [{ name: 'demo_stars', help: 'Stars.', type: 'gauge' as const, labels: ['repo'] }] };
    const other = { ...module, id: 'other', metrics: [{ name: 'other_pulls', help: 'Pulls.', type: 'gauge' as const, labels: [] }] };
    const exporter = new MetricsExporter({ modules: [module, other], version: '1.0.0' });
    exporter.updateSource('demo', [{ metric: 'demo_stars', labels: { repo: 'a' }, value: 3 }], { complete: true });
    exporter.updateSource('other', [{ metric: 'other_pulls', labels: {}, value: 9 }], { complete: true });
    exporter.recordRun('demo', { ok: true, finishedAt: 1_000, durationMs: 5, lastSuccessAt: 1_000 });
    exporter.countRequest('demo', 200);
    expect(await exporter.render()).toContain('source="demo"');
    exporter.unregisterSource('demo');
    const text = await exporter.render();
    expect(text).not.toContain('demo_stars{');
    expect(text).not.toContain('source="demo"');
    expect(text).toContain('other_pulls 9');
    exporter.registerSource('demo');
    expect(await exporter.render()).toContain('footprint_source_up{source="demo"} 0');
  });
});

describe('history-only metrics (MetricDef.historyOnly)', () => {
  it('are never on /metrics: a poll sample of one is refused with the reason, and no HELP/TYPE is written', async () => {
    const daily: MetricDef = { name: 'x_views_daily', help: 'Views on one day.', type: 'gauge', labels: ['repo'], historyOnly: true };
    const exporter = new MetricsExporter({ modules: [sourceModule('x', [{ name: 'x_views', help: 'Views.', type: 'gauge', labels: ['repo'] }, daily])], version: '1.0.0' });
    const screened = exporter.screen('x', [{ metric: 'x_views', labels: { repo: 'a' }, value: 3 }, { metric: 'x_views_daily', labels: { repo: 'a' }, value: 1 }]);
    expect(screened.rejected).toEqual([{ metric: 'x_views_daily', reason: 'metric is stored history only (dated samples), never on /metrics' }]);
    const update = exporter.updateSource('x', [{ metric: 'x_views', labels: { repo: 'a' }, value: 3 }, { metric: 'x_views_daily', labels: { repo: 'a' }, value: 1 }], { complete: true });
    expect(update.accepted).toBe(1);
    const text = await exporter.render();
    expect(text).toContain('x_views{repo="a"} 3');
    expect(text).not.toContain('x_views_daily');
  });
});
