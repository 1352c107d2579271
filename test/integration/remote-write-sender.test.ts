// The remote-write sender against a loopback receiver that decodes what it gets (Snappy + protobuf),
// reading a real history file, on a clock the test moves: what is sent at each step, auth headers,
// retries (5xx, 429 + Retry-After), refusals (400), the backlog across a restart, and maxBacklog.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../electron/core/config/config.js';
import type { RemoteWriteTarget } from '../../electron/core/config/remote-write.js';
import { MetricsExporter } from '../../electron/core/exporter.js';
import { RemoteWriteSender } from '../../electron/core/remote-write/sender.js';
import { HistoryStore } from '../../electron/core/store/history-store.js';
import { metricValue } from '../support/footprint-process.js';
import { closedAfterEach } from '../support/closed-after-each.js';
import { startFakeReceiver, type FakeReceiver } from '../fakes/remote-write/receiver.js';
import { startHttpProxy } from '../support/http-proxy.js';

const startReceiver = closedAfterEach(startFakeReceiver);
const MINUTE = 60_000;
/** A step time: the sender's steps are multiples of the interval. */
const T0 = 1_800_000_000_000;
const TOKEN = 'rw-secret-token-0123456789';

let dir: string;
let store: HistoryStore;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-rw-'));
  store = HistoryStore.open(path.join(dir, 'history.db'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function target(receiver: FakeReceiver, extra = ''): RemoteWriteTarget {
  const loaded = parseConfig(`remoteWrite:\n  - url: ${receiver.url}\n    interval: 1m\n    labels: { instance: laptop-1 }\n${extra}`, { file: path.join(dir, 'footprint.yaml'), env: { RW_TOKEN: TOKEN }, dataDir: dir });
  return loaded.config.remoteWrite[0]!;
}

interface Rig {
  sender: RemoteWriteSender;
  exporter: MetricsExporter;
  logLines: string[];
  clock: { now: number };
  send(): Promise<number>;
}

function rig(rwTarget: RemoteWriteTarget, clock = { now: T0 }, history = store): Rig {
  const exporter = new MetricsExporter({ modules: [], version: '1.0.0' });
  const logLines: string[] = [];
  const sender = new RemoteWriteSender({
    target: rwTarget,
    store: history,
    health: exporter.remoteWrite,
    log: pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) }),
    now: () => clock.now,
    series: () => ({ staleMsBySource: new Map([['demo', 10 * MINUTE]]), historyOnly: new Set(['demo_daily']) }),
    userAgent: 'Footprint/test',
    tuning: { retryBaseMs: 1_000, retryMaxMs: 8_000, retryAfterUnitMs: 1_000 },
  });
  const signal = new AbortController().signal;
  return { sender, exporter, logLines, clock, send: () => sender.sendDue(signal) };
}

const stars = (repo: string, value: number) => ({ metric: 'demo_stars', labels: { repo }, value });

/** Values the receiver holds for demo_stars{repo}, as [minutes after T0, value]. */
function received(receiver: FakeReceiver, repo: string): [number, number][] {
  const key = [...receiver.samples().keys()].find((name) => name.includes('__name__=demo_stars') && name.includes(`repo=${repo}`));
  return (key === undefined ? [] : receiver.samples().get(key)!).map((sample) => [(sample.timestamp - T0) / MINUTE, sample.value]);
}

describe('RemoteWriteSender', () => {
  it('sends each series\' stored value at every step with sorted identity labels, the protocol headers and the bearer token', async () => {
    const receiver = await startReceiver(undefined);
    const { send, clock, exporter } = rig(target(receiver, '    authorization: { credentials: "${RW_TOKEN}" }\n'));
    store.ingest('demo', [stars('a', 1), stars('b', 10)], T0 - 30_000);
    // First call: the receiver is new to this history, values from the current step on.
    expect(await send()).toBe(MINUTE);
    expect(receiver.pushes).toHaveLength(1);
    clock.now = T0 + 30_000;
    store.ingest('demo', [stars('a', 2), stars('b', 10)], clock.now);
    store.ingest('demo', [{ metric: 'demo_daily', labels: { repo: 'a' }, value: 5 }], clock.now);
    clock.now = T0 + 3 * MINUTE + 5_000;
    expect(await send()).toBe(MINUTE - 5_000);

    expect(received(receiver, 'a')).toEqual([[0, 1], [1, 2], [2, 2], [3, 2]]);
    expect(received(receiver, 'b')).toEqual([[0, 10], [1, 10], [2, 10], [3, 10]]);
    expect([...receiver.samples().keys()].some((key) => key.includes('demo_daily'))).toBe(false);
    const push = receiver.pushes[0]!;
    expect(push.headers).toMatchObject({ authorization: `Bearer ${TOKEN}`, 'content-encoding': 'snappy', 'content-type': 'application/x-protobuf', 'x-prometheus-remote-write-version': '0.1.0', 'user-agent': 'Footprint/test' });
    expect(push.series[0]!.labels).toEqual([
      { name: '__name__', value: 'demo_stars' },
      { name: 'instance', value: 'laptop-1' },
      { name: 'job', value: 'footprint' },
      { name: 'repo', value: 'a' },
    ]);
    const text = await exporter.render();
    const remote = `127.0.0.1:${new URL(receiver.url).port}/api/v1/write`;
    expect(metricValue(text, 'footprint_remote_write_samples_total', { remote, outcome: 'sent' })).toBe(8);
    expect(metricValue(text, 'footprint_remote_write_requests_total', { remote, status: '204' })).toBe(2);
    expect(metricValue(text, 'footprint_remote_write_behind_seconds', { remote })).toBe(5);
    expect(metricValue(text, 'footprint_remote_write_last_success_timestamp_seconds', { remote })).toBe((T0 + 3 * MINUTE + 5_000) / 1000);
    expect(text).not.toContain(TOKEN);
  });

  it('sends basic auth as one Authorization header', async () => {
    const receiver = await startReceiver(undefined);
    const { send, clock } = rig(target(receiver, '    basicAuth: { username: "12345", password: "${RW_TOKEN}" }\n'));
    store.ingest('demo', [stars('a', 1)], T0);
    await send();
    clock.now = T0 + MINUTE;
    await send();
    expect(receiver.pushes[0]!.headers.authorization).toBe(`Basic ${Buffer.from(`12345:${TOKEN}`).toString('base64')}`);
  });

  it('retries a 5xx with doubling backoff, obeys Retry-After on a 429, and loses nothing', async () => {
    const receiver = await startReceiver(undefined);
    const { send, clock, exporter, sender } = rig(target(receiver));
    store.ingest('demo', [stars('a', 1)], T0);
    await send();
    receiver.failNext({ status: 503, times: 2 });
    receiver.failNext({ status: 429, retryAfter: '7' });
    clock.now = T0 + MINUTE;
    expect(await send()).toBe(1_000);
    store.ingest('demo', [stars('a', 2)], T0 + MINUTE + 10_000);
    clock.now = T0 + 2 * MINUTE;
    expect(await send()).toBe(2_000);
    expect(await send()).toBe(7_000);
    expect(received(receiver, 'a')).toEqual([[0, 1]]);
    expect(await send()).toBe(MINUTE);
    expect(received(receiver, 'a')).toEqual([[0, 1], [1, 1], [2, 2]]);
    const text = await exporter.render();
    expect(metricValue(text, 'footprint_remote_write_samples_total', { remote: sender.name, outcome: 'retried' })).toBe(5);
    expect(metricValue(text, 'footprint_remote_write_requests_total', { remote: sender.name, status: '503' })).toBe(2);
    expect(metricValue(text, 'footprint_remote_write_requests_total', { remote: sender.name, status: '429' })).toBe(1);
    expect(exporter.remoteWrite.states()[0]).toMatchObject({ lastError: null, retryAt: null, sentUntil: T0 + 2 * MINUTE });
  });

  it('after a failure in the middle of a backlog, sends only what the receiver does not have yet', async () => {
    const receiver = await startReceiver(undefined);
    const { send, clock, exporter, sender } = rig(target(receiver, '    maxSamplesPerSend: 100\n    maxBacklog: 3h\n'));
    store.ingest('demo', [stars('a', 1), stars('b', 2)], T0);
    await send();
    for (let minute = 10; minute <= 100; minute += 10) store.ingest('demo', [stars('a', minute), stars('b', minute + 1)], T0 + minute * MINUTE - 1_000);
    clock.now = T0 + 100 * MINUTE;
    // 100 steps of a, then of b, each one push of 100 samples: the push of b fails.
    receiver.failNext({ status: 503, after: 1 });
    expect(await send()).toBe(1_000);
    expect(received(receiver, 'a')).toHaveLength(101);
    expect(received(receiver, 'b')).toHaveLength(1);
    await send();
    expect(receiver.pushes.map((push) => push.status)).toEqual([204, 204, 503, 204]);
    expect(received(receiver, 'b')).toHaveLength(101);
    expect(received(receiver, 'b').at(-1)).toEqual([100, 101]);
    expect(metricValue(await exporter.render(), 'footprint_remote_write_samples_total', { remote: sender.name, outcome: 'rejected' })).toBe(0);
  });

  it('drops a push the receiver refuses with a 400, counts it, and goes on with the next steps', async () => {
    const receiver = await startReceiver(undefined);
    const { send, clock, exporter, sender, logLines } = rig(target(receiver));
    store.ingest('demo', [stars('a', 1)], T0);
    await send();
    receiver.failNext({ status: 400, body: 'out of bounds' });
    clock.now = T0 + MINUTE;
    expect(await send()).toBe(MINUTE);
    clock.now = T0 + 2 * MINUTE;
    await send();
    expect(received(receiver, 'a')).toEqual([[0, 1], [2, 1]]);
    expect(metricValue(await exporter.render(), 'footprint_remote_write_samples_total', { remote: sender.name, outcome: 'rejected' })).toBe(1);
    expect(logLines.join('\n')).toContain('the receiver answered 400 (out of bounds): these samples were refused and are not sent again');
  });

  it('keeps the values while the receiver is down, across a restart, and sends them from the stored cursor', async () => {
    const receiver = await startReceiver(undefined);
    const file = store.file;
    const first = rig(target(receiver));
    store.ingest('demo', [stars('a', 1)], T0);
    await first.send();
    receiver.setHanging(true);
    for (let minute = 1; minute <= 4; minute++) {
      store.ingest('demo', [stars('a', minute * 10)], T0 + minute * MINUTE - 1_000);
      first.clock.now = T0 + minute * MINUTE;
    }
    // No answer within the timeout: retried later, the cursor stays.
    const down = rig({ ...target(receiver), timeoutMs: 200 }, first.clock);
    expect(await down.send()).toBe(1_000);
    expect(down.exporter.remoteWrite.states()[0]!.lastError).toContain('no answer within 0.2 s');
    store.close();

    receiver.setHanging(false);
    store = HistoryStore.open(file);
    const after = rig(target(receiver), { now: T0 + 5 * MINUTE });
    expect(store.remoteWriteCursor(receiver.url)).toBe(T0);
    await after.send();
    expect(received(receiver, 'a')).toEqual([[0, 1], [1, 10], [2, 20], [3, 30], [4, 40], [5, 40]]);
  });

  it('skips what is older than maxBacklog, counts the seconds and says so', async () => {
    const receiver = await startReceiver(undefined);
    const { send, clock, exporter, sender, logLines } = rig(target(receiver, '    maxBacklog: 5m\n'));
    store.ingest('demo', [stars('a', 1)], T0);
    await send();
    clock.now = T0 + 8 * MINUTE;
    store.ingest('demo', [stars('a', 2)], clock.now - 1_000);
    await send();
    // Steps 1 and 2 are skipped; value 2 was first stored a second before step 8.
    expect(received(receiver, 'a')).toEqual([[0, 1], [3, 1], [4, 1], [5, 1], [6, 1], [7, 1], [8, 2]]);
    expect(metricValue(await exporter.render(), 'footprint_remote_write_skipped_seconds_total', { remote: sender.name })).toBe(120);
    expect(logLines.join('\n')).toContain('not reached for longer than maxBacklog: 120 s of values are not sent');
  });

  it('stops sending a series its source has not seen for longer than the source\'s staleness', async () => {
    const receiver = await startReceiver(undefined);
    const { send, clock } = rig(target(receiver));
    store.ingest('demo', [stars('a', 1), stars('gone', 7)], T0);
    await send();
    store.ingest('demo', [stars('a', 1)], T0 + 5 * MINUTE);
    store.ingest('demo', [stars('a', 1)], T0 + 10 * MINUTE);
    clock.now = T0 + 12 * MINUTE;
    await send();
    expect(received(receiver, 'gone').map(([minute]) => minute)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(received(receiver, 'a')).toHaveLength(13);
  });

  it('keeps the credentials out of its errors, logs and metrics when the receiver echoes them', async () => {
    const receiver = await startReceiver(undefined);
    const { send, clock, exporter, logLines } = rig(target(receiver, '    authorization: { credentials: "${RW_TOKEN}" }\n'));
    store.ingest('demo', [stars('a', 1)], T0);
    await send();
    receiver.failNext({ status: 401, body: `invalid token Bearer ${TOKEN}` });
    clock.now = T0 + MINUTE;
    expect(await send()).toBe(1_000);
    const state = exporter.remoteWrite.states()[0]!;
    expect(state.lastError).toContain('the receiver answered 401');
    expect(state.lastError).toContain('check the credentials');
    expect(JSON.stringify(state) + logLines.join('\n') + (await exporter.render())).not.toContain(TOKEN);
    // A 401 keeps the values: once the credentials work they arrive.
    await send();
    expect(received(receiver, 'a')).toEqual([[0, 1], [1, 1]]);
  });

  it('pushes through the proxy HTTP_PROXY names', async () => {
    const receiver = await startReceiver(undefined);
    const proxy = await startHttpProxy();
    const saved = { HTTP_PROXY: process.env.HTTP_PROXY, NO_PROXY: process.env.NO_PROXY, no_proxy: process.env.no_proxy };
    try {
      process.env.HTTP_PROXY = proxy.url;
      delete process.env.NO_PROXY;
      delete process.env.no_proxy;
      const { send } = rig(target(receiver));
      store.ingest('demo', [stars('a', 1)], T0);
      await send();
      expect(proxy.targets).toContain(new URL(receiver.url).host);
      expect(received(receiver, 'a')).toEqual([[0, 1]]);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      await proxy.close();
    }
  });
});
