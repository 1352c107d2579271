// Remote write at the scale of a big organisation: 10,000 series, a 1-minute interval. Figures: one
// live step (what every minute costs), and draining a 2-hour backlog (a receiver back after an outage,
// 1.2M samples) — reading the store, encoding, compressing and pushing to a loopback receiver that
// reads each body and answers 204 (decoding is the receiver's cost, not Footprint's).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { parseConfig } from '../electron/core/config/config.js';
import { MetricsExporter } from '../electron/core/exporter.js';
import { RemoteWriteSender } from '../electron/core/remote-write/sender.js';
import { HistoryStore } from '../electron/core/store/history-store.js';
import { serveOnLoopback, type LoopbackServer } from '../test/fakes/loopback.js';
import { seededRandom } from '../test/support/random.js';
import { recordBench } from './report.js';

const BENCH = 'remote-write';
const SERIES = 10_000;
const MINUTE = 60_000;
const BACKLOG_STEPS = 120;
/** A step time (multiple of the interval). */
const START = 1_800_000_000_000;
const round = (value: number, digits = 1) => Number(value.toFixed(digits));

describe('remote write: 10,000 series every minute', () => {
  let dir: string;
  let store: HistoryStore;
  let receiver: LoopbackServer;
  let bytes = 0;
  let pushes = 0;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'footprint-rw-bench-'));
    store = HistoryStore.open(path.join(dir, 'history.db'));
    receiver = await serveOnLoopback(async (req, res) => {
      for await (const chunk of req) bytes += (chunk as Buffer).length;
      pushes += 1;
      res.writeHead(204);
      res.end();
    }, (message) => message);
    // A poll every 5 minutes for the backlog's 2 hours and the live step after it; ~5 % of values change per poll.
    const next = seededRandom(7);
    const values = Array.from({ length: SERIES }, (_, i) => 100 + i);
    for (let time = START - 5 * MINUTE; time <= START + (BACKLOG_STEPS + 1) * MINUTE; time += 5 * MINUTE) {
      for (let i = 0; i < SERIES; i++) if (next() < 0.05) values[i]! += 1;
      store.ingest('github', values.map((value, i) => ({ metric: 'github_repo_stars', labels: { user: `org-${i % 50}`, repo: `repo-${String(i).padStart(5, '0')}` }, value })), time);
    }
  }, 300_000);

  afterAll(async () => {
    store?.close();
    await receiver?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('drains a 2-hour backlog, then sends one live step', async () => {
    const [target] = parseConfig(`remoteWrite:\n  - url: ${receiver.origin}/api/v1/write\n    interval: 1m\n    maxBacklog: 3h\n`, { file: path.join(dir, 'footprint.yaml'), env: {}, modules: [], dataDir: dir }).config.remoteWrite;
    const clock = { now: START };
    const sender = new RemoteWriteSender({
      target: target!,
      store,
      health: new MetricsExporter({ modules: [], version: 'bench' }).remoteWrite,
      log: pino({ level: 'silent' }),
      now: () => clock.now,
      series: () => ({ staleMsBySource: new Map([['github', 15 * MINUTE]]), historyOnly: new Set() }),
      userAgent: 'Footprint/bench',
    });
    const signal = new AbortController().signal;
    await sender.sendDue(signal); // the receiver's first step: the cursor starts at START

    clock.now = START + BACKLOG_STEPS * MINUTE;
    bytes = 0;
    pushes = 0;
    let started = performance.now();
    await sender.sendDue(signal);
    const drainMs = performance.now() - started;
    const samples = SERIES * BACKLOG_STEPS;
    recordBench({ bench: BENCH, name: `2 h backlog (${samples.toLocaleString('en')} samples) drained`, value: round(drainMs / 1000), unit: 's', target: '< 60 s', met: drainMs < 60_000 });
    recordBench({ bench: BENCH, name: 'backlog throughput', value: Math.round(samples / (drainMs / 1000)), unit: 'samples/s' });
    recordBench({ bench: BENCH, name: 'bytes per sample on the wire', value: round(bytes / samples, 2), unit: 'B' });
    recordBench({ bench: BENCH, name: 'pushes for the backlog', value: pushes, unit: 'pushes' });

    clock.now += MINUTE;
    started = performance.now();
    await sender.sendDue(signal);
    const liveMs = performance.now() - started;
    recordBench({ bench: BENCH, name: 'one live step of 10,000 series', value: round(liveMs), unit: 'ms', target: '< 1000 ms', met: liveMs < 1_000 });
  }, 600_000);
});
