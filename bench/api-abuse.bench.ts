// /metrics while the largest API requests `footprint serve` allows run in a loop (issue 9: one
// /api/changes request used to stop the server for 80 s). A real `footprint serve` child process on a
// real history file: 167 repositories of the loopback GitHub fake (1,002 repository series) with 180
// days of hourly history before its first poll. Figures: /metrics latency at rest and under load
// (p50, p99, and the p99 ratio, target < 5×), what the load got done, the server's memory, and how
// fast the request the review sent (5,000 series × 2,000 windows) is refused. The load runs twice;
// the figures of requests and /metrics under load are the second round's.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { READ_LIMITS } from '../shared/api.js';
import { startFakeGitHub, type FakeGitHub, type FakeRepo } from '../test/fakes/github/index.js';
import { seedGitHubHistory } from '../test/e2e/web/support/seed-history.js';
import { createTempHome, type TempHome } from '../test/e2e/web/support/temp-home.js';
import { startServe, waitFor, type ServeProcess } from '../test/support/footprint-process.js';
import { seededRandom } from '../test/support/random.js';
import { median, recordBench } from './report.js';
import { agent, heavyReads, latestSeries, request, round, rssMb, sleep } from './support/serve-client.js';

const BENCH = 'api-abuse';
const ORGS = 10;
const REPOS = 167; // × 6 repository metrics = 1,002 series
const HISTORY_DAYS = 180;
const DAY_MS = 86_400_000;
/** Clients looping the heavy requests at once (the core runs two at a time; the others wait in line). */
const LOAD_CLIENTS = 4;
const METRICS_SAMPLES = 1_000;
/** Between two /metrics requests, as a scraper would leave some air (and so the load gets the server in between). */
const METRICS_GAP_MS = 5;
const RATIO_TARGET = 5;

const token = `ghp_${randomBytes(18).toString('hex')}`;

function repos(): FakeRepo[] {
  const next = seededRandom(99);
  return Array.from({ length: REPOS }, (_, index) => {
    const stars = Math.floor(next() ** 3 * 20_000);
    return { owner: `org-${index % ORGS}`, name: `repo-${index}`, stars, forks: Math.floor(stars / 12), watchers: Math.floor(stars / 40), openIssues: index % 30, openPulls: index % 7, sizeKb: 100 + index * 13, license: 'mit', language: 'TypeScript' };
  });
}

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

async function metricsLatencies(url: string): Promise<number[]> {
  const durations: number[] = [];
  for (let index = 0; index < METRICS_SAMPLES; index++) {
    const answer = await request(`${url}/metrics`);
    if (answer.status !== 200) throw new Error(`/metrics answered ${answer.status}`);
    durations.push(answer.ms);
    await sleep(METRICS_GAP_MS);
  }
  return durations;
}

describe('/metrics while the largest allowed API requests run in a loop', () => {
  let fake: FakeGitHub;
  let home: TempHome;
  let serve: ServeProcess;

  beforeAll(async () => {
    fake = await startFakeGitHub({ token, repos: repos() });
    home = createTempHome();
    const orgs = Array.from({ length: ORGS }, (_, index) => `org-${index}`);
    const configFile = path.join(home.dir, 'footprint.yaml');
    writeFileSync(configFile, `storage: { path: "./history.db" }\ngithub:\n  apiUrl: "${fake.url}"\n  token: "\${GITHUB_TOKEN}"\n  orgs: [${orgs.join(', ')}]\n  interval: 1h\n`);
    const seeded = await seedGitHubHistory({ file: path.join(home.dir, 'history.db'), apiUrl: fake.url, token, orgs, users: [], days: HISTORY_DAYS, stepHours: 1, end: Date.now() - 3_600_000 });
    recordBench({ bench: BENCH, name: `series with ${HISTORY_DAYS} days of hourly history`, value: seeded, unit: 'series' });
    serve = await startServe(['--config', configFile, '--listen', '127.0.0.1:0'], { ...home.env, GITHUB_TOKEN: token, FOOTPRINT_LOG_LEVEL: 'warn' });
  }, 600_000);

  afterAll(async () => {
    await serve?.stop();
    await fake?.close();
    home?.remove();
    agent.destroy();
  });

  it('records /metrics p99 at rest and under load, and what the load got done', async () => {
    const url = serve.url;
    // The first poll fills /metrics and tells which series the API knows.
    const latest = await waitFor(async () => {
      const series = (await latestSeries(url, 'github')).filter((item) => item.metric.startsWith('github_repo_'));
      return series.length >= REPOS * 6 ? series : undefined;
    }, 'the first poll', 120_000);
    const { ids, windows, rangeBody, changesBody } = heavyReads(latest, Date.now(), HISTORY_DAYS * DAY_MS, 11 * DAY_MS);
    const metricsBytes = (await request(`${url}/metrics`)).bytes;
    recordBench({ bench: BENCH, name: '/metrics size', value: round(metricsBytes / 1024, 1), unit: 'KiB' });

    // Warm up, then at rest.
    for (let index = 0; index < 20; index++) await request(`${url}/metrics`);
    await request(`${url}/api/range`, { method: 'POST', body: rangeBody });
    await request(`${url}/api/changes`, { method: 'POST', body: changesBody });
    const rssAtRest = rssMb(serve.child.pid!);
    const rest = await metricsLatencies(url);
    // One client, one largest request after the other: what each costs in memory (the review saw
    // one changes request add 1.1 GB).
    for (let index = 0; index < 20; index++) {
      await request(`${url}/api/range`, { method: 'POST', body: rangeBody });
      await request(`${url}/api/changes`, { method: 'POST', body: changesBody });
    }
    const rssSequential = rssMb(serve.child.pid!);

    // Under load: each client alternates the largest range and the largest changes request. Two
    // rounds, so the memory figures tell a bound (the second round needs no more) from a leak.
    const heavy: { route: string; ms: number; bytes: number }[] = [];
    let busy = 0;
    const peakRss: number[] = [];
    let loaded: number[] = [];
    let loadSeconds = 0;
    for (let round = 0; round < 2; round++) {
      let running = true;
      let peak = rssMb(serve.child.pid!);
      const clients = Array.from({ length: LOAD_CLIENTS }, async (_, client) => {
        for (let turn = client; running; turn++) {
          const route = turn % 2 === 0 ? '/api/range' : '/api/changes';
          const answer = await request(`${url}${route}`, { method: 'POST', body: route === '/api/range' ? rangeBody : changesBody });
          if (answer.status === 503) busy++;
          else if (answer.status !== 200) throw new Error(`${route} answered ${answer.status}`);
          else if (round === 1) heavy.push({ route, ms: answer.ms, bytes: answer.bytes });
        }
      });
      const memory = setInterval(() => { peak = Math.max(peak, rssMb(serve.child.pid!)); }, 250);
      await sleep(500);
      const loadStarted = performance.now();
      loaded = await metricsLatencies(url);
      loadSeconds = (performance.now() - loadStarted) / 1000;
      running = false;
      await Promise.all(clients);
      clearInterval(memory);
      peakRss.push(peak);
    }
    const restP99 = percentile(rest, 0.99);
    const loadedP99 = percentile(loaded, 0.99);
    const ratio = loadedP99 / restP99;
    recordBench({ bench: BENCH, name: `/metrics p50 at rest (${METRICS_SAMPLES} requests)`, value: round(median(rest)), unit: 'ms' });
    recordBench({ bench: BENCH, name: `/metrics p99 at rest (${METRICS_SAMPLES} requests)`, value: round(restP99), unit: 'ms' });
    recordBench({ bench: BENCH, name: `/metrics p50 under load (${LOAD_CLIENTS} clients looping the largest range and changes)`, value: round(median(loaded)), unit: 'ms' });
    recordBench({ bench: BENCH, name: `/metrics p99 under load (${LOAD_CLIENTS} clients looping the largest range and changes)`, value: round(loadedP99), unit: 'ms' });
    recordBench({ bench: BENCH, name: '/metrics p99 under load / at rest', value: round(ratio), unit: '×', target: `< ${RATIO_TARGET}×`, met: ratio < RATIO_TARGET });
    for (const route of ['/api/range', '/api/changes']) {
      const done = heavy.filter((item) => item.route === route);
      const what = route === '/api/range' ? `${ids.length} series × ${Math.floor(READ_LIMITS.rangeValues / ids.length)} points` : `${ids.length} series × ${windows.length} windows`;
      recordBench({ bench: BENCH, name: `${route} ${what}: answered under load`, value: round(done.length / loadSeconds, 1), unit: 'requests/s' });
      recordBench({ bench: BENCH, name: `${route} ${what}: median time under load`, value: round(median(done.map((item) => item.ms)), 1), unit: 'ms' });
      recordBench({ bench: BENCH, name: `${route} ${what}: answer size`, value: round((done[0]?.bytes ?? 0) / 1024, 1), unit: 'KiB' });
    }
    recordBench({ bench: BENCH, name: 'heavy requests told "busy" (503) under load', value: busy, unit: 'requests' });
    // V8 keeps the pages of a heap it grew (RSS does not fall after a GC, even in a plain script):
    // what tells a bound from a leak is that the second round needs no more than the first.
    recordBench({ bench: BENCH, name: 'server memory (RSS) at rest', value: rssAtRest, unit: 'MB' });
    recordBench({ bench: BENCH, name: 'server memory (RSS) after 20 largest range + 20 largest changes, one at a time', value: rssSequential, unit: 'MB' });
    recordBench({ bench: BENCH, name: `server memory (RSS) peak, first round of ${LOAD_CLIENTS} looping clients`, value: peakRss[0]!, unit: 'MB' });
    recordBench({ bench: BENCH, name: `server memory (RSS) peak, second round of ${LOAD_CLIENTS} looping clients`, value: peakRss[1]!, unit: 'MB' });

    // What the review sent: refused at once, without work.
    const abusive = JSON.stringify({ args: [Array.from({ length: 5_000 }, (_, index) => index + 1), Array.from({ length: 2_000 }, (_, index) => (index + 1) * 3_600_000)] });
    const refusals: number[] = [];
    for (let index = 0; index < 21; index++) {
      const answer = await request(`${url}/api/changes`, { method: 'POST', body: abusive });
      if (answer.status !== 400) throw new Error(`5,000 × 2,000 changes answered ${answer.status}`);
      refusals.push(answer.ms);
    }
    recordBench({ bench: BENCH, name: '/api/changes 5,000 series × 2,000 windows (60 KB): time to the 400', value: round(median(refusals)), unit: 'ms' });
  });
});
