// remoteWrite end to end: `footprint serve` polling a GitHub-compatible API on loopback pushes to a real
// Prometheus started with --web.enable-remote-write-receiver. The receiver is stopped while the values
// change and started again on the same data and port; PromQL then shows every value Footprint stored,
// at every step, the outage included.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../electron/core/store/history-store.js';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github/index.js';
import { metricValue, startServe, waitFor, type ServeProcess } from '../support/footprint-process.js';
import { freePort, requireTool, startPrometheusWithConfig, type RunningPrometheus } from '../support/prometheus.js';

const token = `ghp_${randomBytes(18).toString('hex')}`;
const pushToken = randomBytes(20).toString('hex');
const STARS = 'github_repo_stars{repo="rocket",user="acme",instance="ci-runner-1",job="footprint"}';

let dir: string;
let fake: FakeGitHub | undefined;
let serve: ServeProcess | undefined;
let prometheus: RunningPrometheus | undefined;

afterAll(async () => {
  await serve?.stop();
  await prometheus?.stop();
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Raw samples of one series in Prometheus (a range selector, not evaluated steps): [epoch ms, value]. */
async function rawSamples(prometheusUrl: string, selector: string, window: string): Promise<[number, number][]> {
  const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(`${selector}[${window}]`)}`);
  const body = await response.json() as { status: string; error?: string; data: { result: { values: [number, string][] }[] } };
  if (body.status !== 'success') throw new Error(`PromQL ${selector}: ${body.error}`);
  if (body.data.result.length !== 1) return [];
  return body.data.result[0]!.values.map(([seconds, value]) => [Math.round(seconds * 1000), Number(value)]);
}

async function scrape(url: string): Promise<string> {
  return (await fetch(`${url}/metrics`)).text();
}

describe('remoteWrite to a real Prometheus', () => {
  it('sends every stored value, keeps them while Prometheus is down and delivers them once it is back', async () => {
    if (!requireTool('prometheus', 'apt-get install prometheus')) return;
    dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-rw-prom-'));
    const dataDir = path.join(dir, 'prometheus-data');
    mkdirSync(dataDir);
    const port = await freePort();
    // No scrape jobs: everything Prometheus holds came through remote write.
    const promConfig = 'global:\n  scrape_interval: 1m\n';
    const startReceiver = () => startPrometheusWithConfig(promConfig, { dataDir, port, flags: ['--web.enable-remote-write-receiver'] });
    prometheus = await startReceiver();

    fake = await startFakeGitHub({
      token,
      owners: [{ login: 'acme', type: 'Organization' }],
      repos: [{ owner: 'acme', name: 'rocket', stars: 42, forks: 7, watchers: 5, openIssues: 3, openPulls: 2, sizeKb: 1200 }],
    });
    const config = path.join(dir, 'footprint.yaml');
    writeFileSync(config, [
      'server: { listen: "127.0.0.1:0" }',
      'storage: { path: "./history.db" }',
      'github:',
      `  apiUrl: "${fake.url}"`,
      '  token: "${GITHUB_TOKEN}"',
      '  repos: [acme/rocket]',
      '  interval: 1s',
      'remoteWrite:',
      `  - url: "${prometheus.url}/api/v1/write"`,
      '    name: local-prometheus',
      '    authorization: { credentials: "${REMOTE_WRITE_TOKEN}" }',
      '    interval: 1s',
      '    timeout: 2s',
      '    labels: { instance: ci-runner-1 }',
      '',
    ].join('\n'));
    serve = await startServe(['--config', config], { GITHUB_TOKEN: token, REMOTE_WRITE_TOKEN: pushToken });

    const current = async () => Number((await prometheus!.query(STARS))[0]?.value[1]);
    await waitFor(async () => ((await current()) === 42 ? true : undefined), 'Prometheus to receive 42 stars', 30_000);

    await prometheus.stop();
    prometheus = undefined;
    const downAt = Date.now();
    // Footprint keeps polling while the receiver is away; the values change twice.
    fake.updateRepo('acme/rocket', { stars: 43 });
    await waitFor(async () => (metricValue(await scrape(serve!.url), 'github_repo_stars', { repo: 'rocket' }) === 43 ? true : undefined), '43 stars polled');
    await waitFor(async () => ((metricValue(await scrape(serve!.url), 'footprint_remote_write_requests_total', { remote: 'local-prometheus', status: 'error' }) ?? 0) >= 2 ? true : undefined), 'failed pushes to be counted');
    fake.updateRepo('acme/rocket', { stars: 44 });
    await waitFor(async () => (metricValue(await scrape(serve!.url), 'github_repo_stars', { repo: 'rocket' }) === 44 ? true : undefined), '44 stars polled');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const behind = metricValue(await scrape(serve!.url), 'footprint_remote_write_behind_seconds', { remote: 'local-prometheus' })!;
    expect(behind).toBeGreaterThanOrEqual(2);
    // /healthz (no token needed) names the receiver and why it waits, never its address.
    const healthz = await (await fetch(`${serve!.url}/healthz`)).json() as { remoteWrite: { name: string; lastError: string | null; retryAt: string | null }[] };
    expect(healthz.remoteWrite).toEqual([expect.objectContaining({ name: 'local-prometheus', lastError: expect.stringContaining('the receiver could not be reached') })]);
    expect(JSON.stringify(healthz)).not.toContain(String(port));
    // The dashboard's Health view reads the same through the API.
    const api = await (await fetch(`${serve!.url}/api/remote-write`)).json() as { name: string; url: string; lastError: string | null }[];
    expect(api).toEqual([expect.objectContaining({ name: 'local-prometheus', url: `http://127.0.0.1:${port}/api/v1/write`, lastError: expect.stringContaining('could not be reached') })]);
    const upAgainAt = Date.now();

    prometheus = await startReceiver();
    await waitFor(async () => ((await current()) === 44 ? true : undefined), 'Prometheus to receive 44 stars after its restart', 30_000);
    await waitFor(async () => ((metricValue(await scrape(serve!.url), 'footprint_remote_write_behind_seconds', { remote: 'local-prometheus' }) ?? 99) <= 2 ? true : undefined), 'the backlog to be sent');
    const metrics = await scrape(serve.url);
    expect(metricValue(metrics, 'footprint_remote_write_samples_total', { remote: 'local-prometheus', outcome: 'rejected' })).toBe(0);
    expect(metricValue(metrics, 'footprint_remote_write_skipped_seconds_total', { remote: 'local-prometheus' })).toBe(0);
    expect(metrics).not.toContain(pushToken);
    expect(serve.output().stderr).not.toContain(pushToken);

    // Footprint's own metrics arrive too, at the steps they were current (a histogram as its series).
    expect(Number((await prometheus.query('footprint_source_up{source="github",instance="ci-runner-1",job="footprint"}'))[0]?.value[1])).toBe(1);
    expect(Number((await prometheus.query('footprint_source_collection_duration_seconds_count{source="github"}'))[0]?.value[1])).toBeGreaterThan(0);
    expect((await prometheus.query('footprint_remote_write_samples_total{remote="local-prometheus",outcome="sent"}'))).toHaveLength(1);

    await serve.stop();
    serve = undefined;
    const samples = await rawSamples(prometheus.url, STARS, '10m');
    // One sample a second from the first push to the last, none missing, the outage included.
    const first = samples[0]![0];
    const last = samples.at(-1)![0];
    expect(samples.map(([time]) => time)).toEqual(Array.from({ length: (last - first) / 1000 + 1 }, (_, index) => first + index * 1000));
    expect(samples.some(([time]) => time > downAt && time < upAgainAt)).toBe(true);
    expect(samples.map(([, value]) => value).filter((value, index, all) => value !== all[index - 1])).toEqual([42, 43, 44]);

    // Each of them is the value Footprint's history holds for that time.
    const store = HistoryStore.open(path.join(dir, 'history.db'));
    try {
      const series = store.series({ source: 'github', metric: 'github_repo_stars' }).find((info) => info.labels.repo === 'rocket')!;
      const [range] = store.range([series.id], { start: first, end: last, step: 1000 });
      expect(samples.map(([, value]) => value)).toEqual(range!.values);
    } finally {
      store.close();
    }
  }, 120_000);
});
