// Backfill through the UI's API over real HTTP: progress (and its live events), pause, resume and
// re-run per source or all, and the markers read with its bounds.
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { READ_LIMITS, httpRoutes, type BackfillProgress, type HistoryChange, type LiveEvent } from '../../shared/api.js';
import { endOfUtcDay } from '../../electron/core/backfill/contract.js';
import { parseConfig, parseListenAddress } from '../../electron/core/config/config.js';
import { FootprintCore } from '../../electron/core/core.js';
import { silentLogger } from '../../electron/core/log.js';
import { startServer, type RunningServer } from '../../electron/core/server.js';
import type { SourceModule } from '../../electron/core/source.js';
import { startFakeHistory, type FakeHistory } from '../fakes/history/index.js';
import { historySourceModule } from '../support/history-source.js';

const DAY = 86_400_000;
const FIRST_DAY = endOfUtcDay(Date.UTC(2024, 0, 1));

/** A source that only polls: it cannot read its past. */
const plainModule: SourceModule<{ interval?: string }> = {
  id: 'plain',
  title: 'Plain',
  configSchema: z.strictObject({ interval: z.string().optional() }),
  metrics: [{ name: 'plain_value', help: 'A value.', type: 'gauge', labels: [] }],
  secrets: () => [],
  create: () => ({ id: 'plain', intervalMs: 3_600_000, timeoutMs: 20_000, collect: async () => ({ samples: [{ metric: 'plain_value', labels: {}, value: 1 }], errors: [], collected: 1 }) }),
};

let dir: string;
let fake: FakeHistory;
let core: FootprintCore;
let server: RunningServer;

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-backfill-api-'));
  fake = await startFakeHistory({
    firstDay: FIRST_DAY,
    targets: { a: Array.from({ length: 30 }, (_, day) => 100 + day), b: Array.from({ length: 8 }, () => 7) },
    releases: { a: [{ tag: 'v1.0.0', time: FIRST_DAY + 2 * DAY }, { tag: 'v1.1.0', time: FIRST_DAY + 20 * DAY }] },
  });
  const modules = [historySourceModule(), plainModule];
  const text = `storage: { path: history.db }\nhistory:\n  apiUrl: "${fake.url}"\nplain: {}\n`;
  const loaded = parseConfig(text, { file: path.join(dir, 'footprint.yaml'), env: {}, modules, dataDir: dir });
  core = new FootprintCore({ loaded, log: silentLogger(), modules });
  server = await startServer(core, { listen: parseListenAddress('127.0.0.1:0') }, silentLogger());
});

afterEach(async () => {
  await server.close();
  await core.close();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

async function call(method: keyof typeof httpRoutes, args: unknown[] = []): Promise<{ status: number; body: any }> {
  const route = httpRoutes[method];
  const url = route.method === 'GET' ? `${server.url}${route.path}${args.length ? `?q=${encodeURIComponent(JSON.stringify(args[0]))}` : ''}` : `${server.url}${route.path}`;
  const response = await fetch(url, route.method === 'GET' ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ args }) });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}

/**
 * Live backfill events from /api/events until `until` accepts one; `connected` once the stream is open.
 * The history events seen meanwhile are collected into `changes`.
 */
function backfillEvents(until: (progress: BackfillProgress) => boolean, changes: HistoryChange[] = []): { connected: Promise<void>; events: Promise<BackfillProgress[]> } {
  let connected!: () => void;
  const open = new Promise<void>((resolve) => { connected = resolve; });
  const events = new Promise<BackfillProgress[]>((resolve, reject) => {
    const seen: BackfillProgress[] = [];
    const request = http.get(`${server.url}/api/events`, (response) => {
      connected();
      let buffer = '';
      response.setEncoding('utf8').on('data', (chunk: string) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const data = buffer.slice(0, end).split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n');
          buffer = buffer.slice(end + 2);
          if (!data) continue;
          const event = JSON.parse(data) as LiveEvent;
          if (event.type === 'history') changes.push({ source: event.source, series: event.series });
          if (event.type !== 'backfill') continue;
          seen.push(event.progress);
          if (until(event.progress)) {
            request.destroy();
            resolve(seen);
          }
        }
      });
    });
    request.on('error', reject);
  });
  return { connected: open, events };
}

const isDone = (progress: BackfillProgress) => progress.state === 'done';

describe('backfill in the API', () => {
  it('shows progress live, and pauses, resumes and re-runs a source or all of them', async () => {
    const changes: HistoryChange[] = [];
    const live = backfillEvents(isDone, changes);
    await live.connected;
    core.start();
    const events = await live.events;
    // The stream says which series a step changed (what an open chart reads again).
    const ids = core.store.series({ source: 'history' }).map((series) => series.id);
    expect(changes.length).toBeGreaterThan(0);
    expect(new Set(changes.flatMap((change) => change.series))).toEqual(new Set(ids));
    expect(changes.every((change) => change.source === 'history')).toBe(true);
    expect(events.map((event) => event.state)).toEqual(expect.arrayContaining(['planning', 'running', 'done']));
    const running = events.filter((event) => event.state === 'running' && event.units.done > 0);
    expect(running.length).toBeGreaterThan(0);
    const [progress] = (await call('backfill')).body as BackfillProgress[];
    expect(progress).toMatchObject({ source: 'history', title: 'Fake history', state: 'done', paused: false, tasks: { total: 2, done: 2 }, units: { done: 38, total: 38 }, requests: 8 });

    expect(await call('pauseBackfill', ['history'])).toEqual({ status: 200, body: null });
    expect((await call('backfill')).body[0]).toMatchObject({ state: 'paused', paused: true });
    const rerun = backfillEvents((event) => event.state === 'done' && event.tasks.done === 2);
    await rerun.connected;
    expect((await call('rerunBackfill', ['history'])).status).toBe(200);
    // Still paused: the re-run waits for resume.
    expect((await call('backfill')).body[0]).toMatchObject({ state: 'paused', tasks: { done: 0 } });
    expect((await call('resumeBackfill')).status).toBe(200);
    await rerun.events;
    expect(fake.requests.filter((request) => request.path === '/history')).toHaveLength(16);
    expect((await call('pauseBackfill')).status).toBe(200);
    expect((await call('backfill')).body[0]).toMatchObject({ paused: true });
    expect((await call('rerunBackfill')).status).toBe(200);
  });

  it('names what it cannot pause: an unknown source, or one that cannot read its past', async () => {
    expect(await call('pauseBackfill', ['nope'])).toEqual({ status: 400, body: { error: 'pauseBackfill: "nope" is not a configured source — use one of: history, plain' } });
    expect(await call('rerunBackfill', ['plain'])).toEqual({ status: 400, body: { error: 'rerunBackfill: plain cannot read its past — sources that can: history' } });
  });

  it('serves the markers of a series in a time range, bounded like the other reads', async () => {
    const live = backfillEvents(isDone);
    await live.connected;
    core.start();
    await live.events;
    const all = await call('markers', [{ source: 'history', start: FIRST_DAY, end: FIRST_DAY + 40 * DAY }]);
    expect(all).toEqual({ status: 200, body: [
      { kind: 'release', labels: { target: 'a' }, time: FIRST_DAY + 2 * DAY, text: 'v1.0.0' },
      { kind: 'release', labels: { target: 'a' }, time: FIRST_DAY + 20 * DAY, text: 'v1.1.0' },
    ] });
    expect((await call('markers', [{ source: 'history', labels: { target: 'b' }, start: FIRST_DAY, end: FIRST_DAY + 40 * DAY }])).body).toEqual([]);
    expect((await call('markers', [{ source: 'history', labels: { target: 'a' }, start: FIRST_DAY + 10 * DAY, end: FIRST_DAY + 40 * DAY }])).body.map((marker: { text: string }) => marker.text)).toEqual(['v1.1.0']);

    const refused = async (request: unknown) => (await call('markers', [request])).body.error as string;
    expect(await refused({ source: 'history', start: 10, end: 5 })).toMatch(/^markers: start and end must be epoch milliseconds/);
    expect(await refused({ source: 'history', start: 0, end: READ_LIMITS.spanMs + 1 })).toMatch(/at most 6,307,200,000,000 ms \(200 years\)/);
    expect(await refused({ source: '', start: 0, end: 1 })).toMatch(/^markers: source must be a non-empty text/);
    expect(await refused({ source: 'history', start: 0, end: 1, since: 0 })).toBe('markers: unknown key "since" — use source, labels, start and end');
    const labels = Object.fromEntries(Array.from({ length: READ_LIMITS.markerLabels + 1 }, (_, index) => [`l${index}`, 'x']));
    expect(await refused({ source: 'history', labels, start: 0, end: 1 })).toBe(`markers: ${READ_LIMITS.markerLabels + 1} labels; at most ${READ_LIMITS.markerLabels}`);

    const many = Array.from({ length: READ_LIMITS.markers + 1 }, (_, index) => ({ kind: 'release' as const, labels: { target: 'c' }, time: FIRST_DAY + index * 60_000, text: `v${index}` }));
    core.store.ingestDated('history', [], { markers: many });
    expect(await refused({ source: 'history', start: FIRST_DAY, end: FIRST_DAY + 40 * DAY })).toBe('markers: more than 1,000 markers of history between start and end — ask for a shorter range or name the series\' labels');
    expect((await call('markers', [{ source: 'history', labels: { target: 'c' }, start: FIRST_DAY, end: FIRST_DAY + 999 * 60_000 }])).body).toHaveLength(1_000);
  });
});
