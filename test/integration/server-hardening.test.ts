// `footprint serve`'s HTTP server against what an outside review tried (issue 9): requests over the
// API's bounds, foreign Host headers on every path (DNS rebinding), token guessing, thousands of
// live-event streams, malformed paths and arguments — and a fuzz of odd requests, none of which may
// answer 500 or log an error. The server runs on a real history file; no source polls.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { READ_LIMITS, httpRoutes } from '../../shared/api.js';
import type { Sample } from '../../shared/metrics.js';
import { parseConfig, parseListenAddress } from '../../electron/core/config/config.js';
import { FootprintCore } from '../../electron/core/core.js';
import { createLogger } from '../../electron/core/log.js';
import { startServer, type RunningServer, type ServerOptions } from '../../electron/core/server.js';
import { HistoryStore } from '../../electron/core/store/history-store.js';
import { createHttpClient } from '../../renderer/api/http-client.js';
import { loadGlance } from '../../renderer/views/glance.js';
import { loadOverview } from '../../renderer/views/overview.js';
import { waitFor } from '../support/footprint-process.js';
import { seededRandom } from '../support/random.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SERIES = 30;
const githubToken = `ghp_${randomBytes(18).toString('hex')}`;

let dir: string;
let configText: string;
let configFile: string;
/** Log lines of level error and above, of every server of the test. */
const errorLines: string[] = [];
const running: { core: FootprintCore; server: RunningServer }[] = [];

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-hardening-'));
  // Two weeks of hourly polls of SERIES star counts, as the GitHub source would have stored them.
  const store = HistoryStore.open(path.join(dir, 'history.db'));
  const end = Date.now() - HOUR;
  const next = seededRandom(9);
  const values = Array.from({ length: SERIES }, (_, index) => 10 + index);
  for (let poll = 0; poll < 14 * 24; poll++) {
    const samples: Sample[] = values.map((value, index) => {
      if (next() < 0.3) values[index] = value + 1;
      return { metric: 'github_repo_stars', labels: { repo: `repo-${index}`, user: 'acme' }, value: values[index]! };
    });
    store.ingest('github', samples, end - (14 * 24 - 1 - poll) * HOUR);
  }
  store.recordRun('github', { time: end, ok: true, complete: true });
  store.close();
  // A configured source (so /api/latest reads the store) that never polls: the core is not started.
  configText = `storage: { path: "./history.db" }\ngithub:\n  apiUrl: "http://127.0.0.1:9"\n  token: "\${GITHUB_TOKEN}"\n  orgs: [acme]\n  interval: 1h\n`;
  configFile = path.join(dir, 'footprint.yaml');
  writeFileSync(configFile, configText);
});

afterEach(async () => {
  for (const { core, server } of running.splice(0)) {
    await server.close();
    await core.close();
  }
  expect(errorLines.splice(0), 'no request may log an error').toEqual([]);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A server on the history file of `folder` (default: the two weeks of 30 series above). */
async function start(options: Partial<ServerOptions> = {}, folder = dir) {
  const loaded = parseConfig(configText, { file: path.join(folder, 'footprint.yaml'), env: { GITHUB_TOKEN: githubToken }, dataDir: folder, homedir: folder });
  const log = createLogger({
    level: 'debug',
    destination: { write: (line: string) => void ((JSON.parse(line) as { level: number }).level >= 50 && errorLines.push(line)) },
  });
  const core = new FootprintCore({ loaded, log });
  const server = await startServer(core, { listen: parseListenAddress('127.0.0.1:0'), ...options }, log);
  running.push({ core, server });
  return { core, server };
}

interface RawAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** One request exactly as given (any method, path or header), from `localAddress` when set. */
function raw(server: RunningServer, target: string, init: { method?: string; headers?: Record<string, string>; body?: string; localAddress?: string } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.request({
      host: '127.0.0.1',
      port: server.address.port,
      path: target,
      method: init.method ?? 'GET',
      headers: init.headers,
      ...(init.localAddress ? { localAddress: init.localAddress } : {}),
      agent: false,
    }, (response) => {
      if (response.headers['content-type']?.startsWith('text/event-stream')) {
        // A live-event stream does not end: its head is the answer.
        resolve({ status: response.statusCode!, headers: response.headers, body: '' });
        request.destroy();
        return;
      }
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => { body += chunk; });
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }));
    });
    request.on('error', (error) => (request.destroyed ? undefined : reject(error)));
    request.end(init.body);
  });
}

async function api(server: RunningServer, method: keyof typeof httpRoutes, args: unknown[] = []): Promise<{ status: number; body: any }> {
  const route = httpRoutes[method];
  const answer = route.method === 'GET'
    ? await raw(server, `${route.path}${args.length ? `?q=${encodeURIComponent(JSON.stringify(args[0]))}` : ''}`)
    : await raw(server, route.path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ args }) });
  return { status: answer.status, body: JSON.parse(answer.body) };
}

/** The message of a refusal: `error` of a JSON answer (API paths), else the plain text. */
function problemText(answer: RawAnswer): string {
  return answer.headers['content-type']?.startsWith('application/json') ? (JSON.parse(answer.body) as { error: string }).error : answer.body;
}

const seriesIds = (core: FootprintCore) => core.store.series({ metric: 'github_repo_stars' }).map((series) => series.id);

describe('API input bounds', () => {
  it('refuses a request over a limit with a 400 naming the limit', async () => {
    const { server, core } = await start();
    const ids = seriesIds(core);
    const now = Date.now();
    const tooManyIds = Array.from({ length: READ_LIMITS.seriesPerRequest + 1 }, (_, index) => index + 1);
    const cases: [keyof typeof httpRoutes, unknown[], RegExp][] = [
      // What the review sent: 5,000 series × 2,000 windows.
      ['changes', [Array.from({ length: 5_000 }, (_, index) => index + 1), Array.from({ length: 2_000 }, (_, index) => (index + 1) * HOUR)], /5,000 series; at most 1,000 per request/],
      ['changes', [ids, Array.from({ length: 2_000 }, (_, index) => (index + 1) * HOUR)], /2,000 windows; at most 16 per request/],
      ['changes', [tooManyIds, [DAY]], /1,001 series; at most 1,000 per request/],
      ['changes', [ids, [0]], /each window must be a duration in milliseconds from 1 to/],
      ['changes', [ids, [1e300]], /from 1 to .*\(200 years\)/],
      ['range', [{ series: tooManyIds, start: now - DAY, end: now, points: 2 }], /1,001 series; at most 1,000 per request/],
      ['range', [{ series: ids, start: now - DAY, end: now, points: 10_001 }], /points must be a whole number from 2 to 10,000/],
      ['range', [{ series: ids, start: now - DAY, end: now, points: 5_000 }], /30 series × 5,000 points is over 100,000 values per request/],
      ['range', [{ series: ids, start: 0, end: 1e15, points: 10 }], /at most .* ms \(200 years\)/],
      ['range', [{ series: ids, start: -DAY, end: now, points: 10 }], /epoch milliseconds from 0 to/],
      ['range', [{ series: ids, start: now, end: now - 1, points: 10 }], /start < end/],
      ['range', [{ series: ids, start: null, end: now, points: 10 }], /start and end must be epoch milliseconds/],
      ['rangeSums', [{ groups: [tooManyIds.slice(0, 600), tooManyIds.slice(600)], start: now - DAY, end: now, points: 2 }], /rangeSums: groups: 1,001 series; at most 1,000 per request/],
      ['rangeSums', [{ groups: ids, start: now - DAY, end: now, points: 2 }], /rangeSums: groups must be a list of lists of series ids/],
      ['rangeSums', [{ groups: [ids], start: now - DAY, end: now, points: 5_000 }], /rangeSums: 30 series × 5,000 points is over 100,000 values/],
      ['rangeSums', [{ groups: [ids], start: now, end: now - 1, points: 10 }], /rangeSums: start and end .*start < end/],
      ['latest', [{ metric: 'm'.repeat(READ_LIMITS.filterChars + 1) }], /filter\.metric is 201 characters; at most 200/],
      ['latest', [{ metric: {} }], /filter\.metric must be a non-empty text/],
      ['latest', [{ labels: { repo: 'x' } }], /unknown filter key "labels"/],
    ];
    for (const [method, args, message] of cases) {
      const answer = await api(server, method, args);
      expect({ method, args: JSON.stringify(args).slice(0, 80), status: answer.status }).toEqual({ method, args: JSON.stringify(args).slice(0, 80), status: 400 });
      expect(answer.body.error).toMatch(message);
    }
    for (const source of ['x'.repeat(200_000), { name: 'github' }]) {
      const refused = await api(server, 'pause', [source]);
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatch(/^pause: .{1,61} is not a configured source — use one of: github$/);
    }
    const longQ = await raw(server, `/api/latest?q=${encodeURIComponent(JSON.stringify({ metric: 'x'.repeat(5_000) }))}`);
    expect(longQ.status).toBe(400);
    expect(JSON.parse(longQ.body).error).toBe('q is 5,013 characters; at most 4,096');
  });

  it('counts a repeated series id or window once', async () => {
    const { server, core } = await start();
    const [id] = seriesIds(core);
    const changes = await api(server, 'changes', [Array(5_000).fill(id), [DAY, DAY, 7 * DAY, DAY]]);
    expect(changes.status).toBe(200);
    expect(changes.body).toHaveLength(1);
    expect(changes.body[0].changes.map((change: { windowMs: number }) => change.windowMs)).toEqual([DAY, 7 * DAY]);
    const now = Date.now();
    const range = await api(server, 'range', [{ series: Array(3_000).fill(id), start: now - DAY, end: now, points: 100 }]);
    expect(range.body.series.map((series: { id: number }) => series.id)).toEqual([id]);
  });

  it('answers the largest allowed requests in slices that join to what the store holds', async () => {
    const { server, core } = await start();
    const ids = seriesIds(core);
    const end = Date.now();
    const from = end - 15 * DAY;
    // One series at the most points (several stretches), and all series at the most values (several groups).
    for (const [series, points] of [[ids.slice(0, 1), READ_LIMITS.rangePoints], [ids, Math.floor(READ_LIMITS.rangeValues / ids.length)]] as const) {
      const answer = await api(server, 'range', [{ series, start: from, end, points }]);
      expect(answer.status).toBe(200);
      const step = Math.floor((end - from) / (points - 1));
      const expected = core.store.range(series, { start: end - (points - 1) * step, end, step });
      expect(answer.body.series).toEqual(expected.map((item) => ({ id: item.series.id, times: item.times, values: item.values })));
    }
    const windows = Array.from({ length: READ_LIMITS.changeWindows }, (_, index) => (index + 1) * 20 * HOUR);
    const changes = await api(server, 'changes', [ids, windows]);
    expect(changes.status).toBe(200);
    expect(changes.body.map((change: { id: number }) => change.id)).toEqual(ids);
    for (const change of changes.body) expect(change.changes.map((item: { windowMs: number }) => item.windowMs)).toEqual(windows);
  });
});

describe('rangeSums', () => {
  it("answers each group's sum of the store's own series at each point of range()'s grid", async () => {
    const { server, core } = await start();
    const ids = seriesIds(core);
    const request = { start: Date.now() - 3 * DAY, end: Date.now(), points: 97 };
    // Overlapping groups, a repeated id (counted once), a group of one, and an empty group.
    const groups = [ids.slice(0, 20), ids.slice(10), [ids[3]!, ids[3]!], []];
    const range = await api(server, 'range', [{ series: ids, ...request }]);
    const sums = await api(server, 'rangeSums', [{ groups, ...request }]);
    expect(sums.status).toBe(200);
    const byId = new Map<number, { times: number[]; values: (number | null)[] }>(range.body.series.map((series: { id: number }) => [series.id, series]));
    const times = byId.get(ids[0]!)!.times;
    const expected = groups.map((group) => times.map((_, index) => {
      const present = [...new Set(group)].map((id) => byId.get(id)!.values[index]).filter((value) => value !== null) as number[];
      return present.length === 0 ? null : present.reduce((a, b) => a + b, 0);
    }));
    expect(sums.body).toEqual({ times, sums: expected });
    // The history starts two weeks ago: every point has a value, and the last one is the latest total.
    const latest = await api(server, 'latest', []);
    const total = (latest.body as { id: number; value: number }[]).filter((series) => ids.slice(0, 20).includes(series.id)).reduce((a, series) => a + series.value, 0);
    expect(sums.body.sums[0].at(-1)).toBe(total);
    expect(sums.body.sums[3]).toEqual(times.map(() => null));
  });

  it('splits a bigger ask in the client and adds the parts up to the same sums', async () => {
    const { server, core } = await start();
    const ids = seriesIds(core);
    const client = createHttpClient({ baseUrl: `${server.url}/` });
    const request = { start: Date.now() - 3 * DAY, end: Date.now(), points: 5_000 };
    const groups = [ids.slice(0, 25), ids.slice(5), ids.slice(29)];
    // 30 series × 5,000 points is over the 100,000 values of one request: the core refuses it whole.
    expect((await api(server, 'rangeSums', [{ groups, ...request }])).status).toBe(400);
    const split = await client.rangeSums({ groups, ...request });
    const range = await client.range({ series: ids, ...request });
    const expected = groups.map((group) => range.series[0]!.times.map((_, index) => group.reduce<number | null>((sum, id) => {
      const value = range.series.find((series) => series.id === id)!.values[index];
      return value === null || value === undefined ? sum : (sum ?? 0) + value;
    }, null)));
    expect(split).toEqual({ times: range.series[0]!.times, sums: expected });
  });
});

describe('the dashboard within the limits', () => {
  it('loads Overview and Glance at 10,000 repositories (20,000 headline series) in requests the core accepts', async () => {
    const folder = mkdtempSync(path.join(dir, 'big-'));
    const store = HistoryStore.open(path.join(folder, 'history.db'));
    const now = Date.now();
    for (let poll = 0; poll < 3; poll++) {
      const samples: Sample[] = [];
      for (let repo = 0; repo < 10_000; repo++) {
        const labels = { repo: `repo-${repo}`, user: `org-${repo % 40}` };
        samples.push({ metric: 'github_repo_stars', labels, value: repo + poll }, { metric: 'github_repo_forks', labels, value: repo % 10 });
      }
      store.ingest('github', samples, now - (3 - poll) * DAY);
    }
    store.recordRun('github', { time: now - DAY, ok: true, complete: true });
    store.close();
    const { server } = await start({}, folder);
    const requests: string[] = [];
    const counting: typeof fetch = (input, init) => {
      requests.push(new URL(String(input)).pathname);
      return fetch(input, init);
    };
    const client = createHttpClient({ baseUrl: `${server.url}/`, fetch: counting });
    const overview = await loadOverview(client);
    // The core composes the 40 owners' cards: one request, not the 20,000 series' values and changes.
    expect(overview.cards).toHaveLength(40);
    const org1 = overview.cards.find((card) => card.key === 'github:org-1')!;
    const stars = Array.from({ length: 250 }, (_, index) => 1 + index * 40 + 2).reduce((a, b) => a + b, 0);
    // org-1's repositories are 1, 41, 81, …: each has repo % 10 = 1 fork.
    expect(org1.figures.map((figure) => [figure.metric, figure.total, figure.seriesIds.length])).toEqual([['github_repo_stars', stars, 250], ['github_repo_forks', 250, 250]]);
    // The last poll was a day ago: nothing changed since; a week reaches before the history's start.
    expect(org1.figures[0]!.changes.map((change) => [change.delta, change.historyStart])).toEqual([[0, null], [null, now - 3 * DAY], [null, now - 3 * DAY]]);
    expect(org1.historyStart).toBe(now - 3 * DAY);
    expect(org1.trend.values.at(-1)).toBe(stars);
    expect(org1.trend.values.find((value) => value !== null)).toBe(stars - 2 * 250);
    expect(requests.filter((route) => route === '/api/overview')).toHaveLength(1);
    expect(requests.filter((route) => ['/api/changes', '/api/range-sums', '/api/range', '/api/latest'].includes(route))).toHaveLength(0);
    const glance = await loadGlance(client);
    expect(glance.book.byId.size).toBe(20_000);
  });
});

describe('the Host check (DNS rebinding)', () => {
  const paths = ['/metrics', '/healthz', '/', '/assets/app.js', '/api/info', '/api/latest', '/api/events'];

  it('refuses a foreign Host on every path while on loopback', async () => {
    const { server } = await start();
    for (const target of paths) {
      const answer = await raw(server, target, { headers: { host: 'rebound.example:9171' } });
      expect({ target, status: answer.status }).toEqual({ target, status: 403 });
      expect(problemText(answer)).toMatch(/Host "rebound\.example:9171" is not a name of this server: open http:\/\/127\.0\.0\.1:\d+\/ instead, or add the name to server\.allowedHosts/);
    }
  });

  it('answers localhost and IP addresses (Prometheus scraping 127.0.0.1, localhost or [::1])', async () => {
    const { server } = await start();
    const port = server.address.port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, 'LOCALHOST', '127.0.0.1']) {
      for (const target of ['/metrics', '/healthz', '/api/info']) {
        expect({ host, target, status: (await raw(server, target, { headers: { host } })).status }).toEqual({ host, target, status: 200 });
      }
    }
  });

  it('answers the names in server.allowedHosts too (a local reverse proxy)', async () => {
    const { server } = await start({ allowedHosts: ['footprint.local'] });
    for (const host of ['footprint.local', 'footprint.local:8443', 'Footprint.Local']) {
      for (const target of ['/metrics', '/api/info']) expect((await raw(server, target, { headers: { host } })).status).toBe(200);
    }
    expect((await raw(server, '/metrics', { headers: { host: 'footprint.local.rebound.example' } })).status).toBe(403);
  });
});

describe('access-token guessing', () => {
  const authToken = randomBytes(20).toString('hex');

  it('answers 429 with Retry-After once a client sent too many wrong tokens, and only to that client', async () => {
    let now = Date.UTC(2026, 0, 1);
    const { server } = await start({ authToken, authThrottle: { maxFailures: 5, blockMs: 60_000, now: () => now } });
    const wrong = (token: string) => raw(server, '/api/info', { headers: { authorization: `Bearer ${token}` } });
    for (let attempt = 1; attempt < 5; attempt++) expect((await wrong(`guess-${attempt}`)).status).toBe(401);
    const blocked = await wrong('guess-5');
    expect(blocked.status).toBe(429);
    expect(blocked.headers['retry-after']).toBe('60');
    expect(JSON.parse(blocked.body).error).toBe('too many wrong access tokens from this address: wait 60 s before trying again');
    // While blocked even the right token is refused, or a guesser would learn it was right.
    expect((await raw(server, '/api/info', { headers: { authorization: `Bearer ${authToken}` } })).status).toBe(429);
    expect((await raw(server, '/', { headers: { authorization: `Bearer ${authToken}` } })).status).toBe(429);
    // Another client is not held up; /metrics without metricsAuth and /healthz need no token.
    expect((await raw(server, '/api/info', { headers: { authorization: `Bearer ${authToken}` }, localAddress: '127.0.0.2' })).status).toBe(200);
    expect((await raw(server, '/metrics')).status).toBe(200);
    expect((await raw(server, '/healthz')).status).toBe(200);
    now += 30_000;
    expect((await wrong(authToken)).headers['retry-after']).toBe('30');
    now += 30_000;
    expect((await raw(server, '/api/info', { headers: { authorization: `Bearer ${authToken}` } })).status).toBe(200);
  });

  it('does not count requests that carry no token (a first visit), and refuses a token one character off either way', async () => {
    const { server } = await start({ authToken, authThrottle: { maxFailures: 3 } });
    for (let visit = 0; visit < 10; visit++) expect((await raw(server, '/')).status).toBe(401);
    expect((await raw(server, '/api/info', { headers: { authorization: `Bearer ${authToken}` } })).status).toBe(200);
    expect((await raw(server, '/api/info', { headers: { authorization: `Bearer ${authToken}0` } })).status).toBe(401);
    expect((await raw(server, '/api/info', { headers: { authorization: `Bearer ${authToken.slice(0, -1)}` } })).status).toBe(401);
    // A malformed session cookie is a wrong token, not a server error.
    expect((await raw(server, '/api/info', { headers: { cookie: 'footprint_session=%E0%A4%A' } })).status).toBe(429);
  });
});

describe('live-event streams', () => {
  function openStream(server: RunningServer): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Promise<string>; close: () => void }> {
    return new Promise((resolve, reject) => {
      const request = http.get({ host: '127.0.0.1', port: server.address.port, path: '/api/events', agent: false }, (response) => {
        let body = '';
        const ended = new Promise<string>((done) => {
          response.setEncoding('utf8').on('data', (chunk: string) => { body += chunk; });
          response.on('end', () => done(body));
          response.on('close', () => done(body));
        });
        resolve({ status: response.statusCode!, headers: response.headers, body: ended, close: () => request.destroy() });
      });
      request.on('error', (error) => (request.destroyed ? undefined : reject(error)));
    });
  }

  it('accepts at most 64 at once by default, answers 503 beyond, and frees a slot when a stream closes', async () => {
    const { server } = await start();
    const open = [];
    for (let index = 0; index < 64; index++) {
      const stream = await openStream(server);
      expect(stream.status).toBe(200);
      open.push(stream);
    }
    const refused = await openStream(server);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('30');
    expect(JSON.parse(await refused.body).error).toBe('too many live-update streams are open (64): close other Footprint tabs or windows, then reload');
    open.pop()!.close();
    const again = await waitFor(async () => {
      const stream = await openStream(server);
      if (stream.status === 200) return stream;
      await stream.body;
      return undefined;
    }, 'a slot after a stream closed');
    open.push(again);
    for (const stream of open) stream.close();
  });

  it('takes the cap from the server options', async () => {
    const { server } = await start({ maxEventStreams: 1 });
    const first = await openStream(server);
    expect(first.status).toBe(200);
    expect((await openStream(server)).status).toBe(503);
    first.close();
  });
});

describe('malformed requests', () => {
  it('answers 400, not 500, to malformed %-encoding in any path and to bad JSON arguments', async () => {
    const { server } = await start();
    for (const target of ['/%E0%A4%A', '/assets/%ZZ.js', '/api/info%', '/metrics%C0', '/api/events%']) {
      const answer = await raw(server, target);
      expect({ target, status: answer.status }).toEqual({ target, status: 400 });
      expect(answer.body).toMatch(/not a valid URL path: check its %-escapes/);
    }
    // What no URL base can parse (an invalid port after //) is a path like any other.
    expect((await raw(server, '//:99999')).status).toBeLessThan(500);
    const badQ = await raw(server, '/api/latest?q=%7B%22source%22');
    expect(badQ.status).toBe(400);
    expect(JSON.parse(badQ.body).error).toMatch(/^q is not valid JSON: /);
    for (const body of ['null', '[1]', '"x"', '{"args":5}', '{"args":', '']) {
      const answer = await raw(server, '/api/range', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect({ body, status: answer.status }).toEqual({ body, status: 400 });
    }
    expect((await raw(server, '/api/events', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(405);
  });

  it('never answers 500 to a fuzz of odd methods, paths, headers, arguments and bodies', async () => {
    const authToken = randomBytes(16).toString('hex');
    const { server } = await start({ authToken, authThrottle: { maxFailures: 1_000_000 } });
    const next = seededRandom(2026);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    const junk = () => Array.from({ length: Math.floor(next() * 12) }, () => pick(['a', '%', '%2', 'Z', '/', '.', '..', '~', '%00', '%ff', '%E0%A4', '{', '"', '[', ':', '-', '9', 'é'])).join('');
    const value = (depth = 0): unknown => {
      switch (Math.floor(next() * (depth > 2 ? 6 : 9))) {
        case 0: return null;
        case 1: return pick([0, -1, 1, 1.5, 1e300, -1e300, 2 ** 53, Date.now(), 86_400_000]);
        case 2: return pick(['', 'github', 'npm', 'x'.repeat(300), junk()]);
        case 3: return next() < 0.5;
        case 4: return pick([[], [1, 2, 3], Array(2_000).fill(1), Array.from({ length: 1_500 }, (_, index) => index)]);
        case 5: return pick([{}, { source: 'github' }, { metric: 'github_repo_stars' }, { source: 7 }]);
        case 6: return Array.from({ length: Math.floor(next() * 4) }, () => value(depth + 1));
        case 7: return { series: value(depth + 1), start: value(depth + 1), end: value(depth + 1), points: pick([2, 60, 10_000, 10_001, -1, 1.5, null]) };
        default: return Object.fromEntries(Array.from({ length: Math.floor(next() * 4) }, () => [junk(), value(depth + 1)]));
      }
    };
    // Settings the config routes could apply or test for real (removing the source, polling) are not fuzzed: refresh polls, so it is left out.
    const routes = Object.entries(httpRoutes).filter(([name]) => name !== 'refresh').map(([, route]) => route.path);
    const bases = ['/', '/metrics', '/healthz', '/api/events', '/api/', '/api/nope', '/assets/app.js', '/index.html', '/%2e%2e/%2e%2e/etc/passwd', '/%00', '/%', '/a%2Fb', ...routes];
    const seen = new Map<number, number>();
    for (let round = 0; round < 400; round++) {
      const method = pick(['GET', 'GET', 'GET', 'POST', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']);
      let target = next() < 0.15 ? `/${junk()}` : pick(bases);
      if (next() < 0.5) target += `?q=${next() < 0.7 ? encodeURIComponent(JSON.stringify(value()) ?? '') : junk()}`;
      if (next() < 0.1) target += `${target.includes('?') ? '&' : '?'}token=${pick([authToken, junk()])}`;
      const headers: Record<string, string> = {};
      const auth = next();
      if (auth < 0.6) headers.authorization = `Bearer ${authToken}`;
      else if (auth < 0.8) headers.authorization = pick(['Bearer', 'Basic !!!', `Basic ${Buffer.from(junk()).toString('base64')}`, 'Digest x', `bearer  ${authToken} `]);
      if (next() < 0.8) headers['content-type'] = pick(['application/json', 'text/plain', 'application/json; charset=utf-16', 'multipart/form-data']);
      if (next() < 0.2) headers.origin = pick(['http://evil.example', 'null', junk()]);
      if (next() < 0.2) headers.cookie = pick([`footprint_session=${junk()}`, 'footprint_session', `a=b; footprint_session=${authToken}`, junk()]);
      if (next() < 0.1) headers.host = pick(['evil.example', '[::1', `localhost:${server.address.port}`, 'localhost:99999999']);
      let body: string | undefined;
      if (method === 'POST' || (method !== 'GET' && method !== 'HEAD' && next() < 0.3)) {
        const args = Array.from({ length: Math.floor(next() * 4) }, () => value());
        body = pick([JSON.stringify({ args }), JSON.stringify({ args }), JSON.stringify(value()), junk(), '', `{"args":[${'['.repeat(5_000)}`]);
      }
      let answer: RawAnswer;
      try {
        answer = await raw(server, target, { method, headers, ...(body === undefined ? {} : { body }) });
      } catch (error) {
        // The server may close a connection it cannot parse (Node answers such requests itself).
        expect(String(error)).toMatch(/ECONNRESET|socket hang up/);
        continue;
      }
      seen.set(answer.status, (seen.get(answer.status) ?? 0) + 1);
      if (answer.status >= 500) {
        throw new Error(`${method} ${target} ${JSON.stringify(headers)} ${body?.slice(0, 200)} answered ${answer.status}: ${answer.body.slice(0, 300)}`);
      }
    }
    // The fuzz reached the API and its refusals, not only the gate.
    expect([...seen.keys()].sort()).toEqual(expect.arrayContaining([200, 400, 401, 403, 404, 405]));
  });
});
