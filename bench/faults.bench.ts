// Faults with production settings on a 1 s interval (request timeout 20 s by default, backoff from 30 s):
// - a hung API (connections accepted, never answered): seconds until footprint_source_up goes 0;
//   the target is the interval plus 30 s;
// - an outage (every request answered 500): requests in 60 s against those of a healthy 60 s;
//   the target is at most half.
// Every source runs at once, each in its own core, against the fakes of test/support/fault-rigs.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../electron/core/config/config.js';
import { FootprintCore } from '../electron/core/core.js';
import { silentLogger } from '../electron/core/log.js';
import { sourceModules } from '../electron/core/sources/registry.js';
import { FAULT_SOURCES, faultRigs, type SourceId } from '../test/support/fault-rigs.js';
import { metricValue } from '../test/support/footprint-process.js';
import { recordBench } from './report.js';

const BENCH = 'faults';
const INTERVAL_MS = 1_000;
const WINDOW_MS = 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function startCore(id: SourceId) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `footprint-bench-${id}-`));
  const rig = await faultRigs[id](dir);
  const loaded = parseConfig(`storage: { path: history.db }\n${rig.section('1s', null)}\n`, { file: path.join(dir, 'footprint.yaml'), env: {}, modules: sourceModules, dataDir: dir });
  const core = new FootprintCore({ loaded, log: silentLogger() });
  core.start();
  const up = async () => metricValue(await core.exporter.render(), 'footprint_source_up', { source: id });
  const until = async (value: number, limitMs: number) => {
    const started = Date.now();
    while ((await up()) !== value) {
      if (Date.now() - started > limitMs) throw new Error(`${id}: footprint_source_up not ${value} after ${limitMs} ms`);
      await sleep(50);
    }
    return Date.now() - started;
  };
  const close = async () => {
    await core.close();
    await rig.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { rig, core, until, close };
}

async function hung(id: SourceId): Promise<void> {
  const { rig, until, close } = await startCore(id);
  try {
    await until(1, 30_000);
    rig.controls.setHanging(true);
    const ms = await until(0, 120_000);
    recordBench({ bench: BENCH, name: `${id}: hung API to footprint_source_up 0`, value: Math.round(ms / 100) / 10, unit: 's', target: `< ${(INTERVAL_MS + 30_000) / 1000} s`, met: ms < INTERVAL_MS + 30_000 });
  } finally {
    await close();
  }
}

async function outage(id: SourceId): Promise<void> {
  const { rig, core, until, close } = await startCore(id);
  try {
    await until(1, 30_000);
    let before = rig.requestCount();
    await sleep(WINDOW_MS);
    const healthy = rig.requestCount() - before;
    rig.failAll();
    before = rig.requestCount();
    await sleep(WINDOW_MS);
    const failing = rig.requestCount() - before;
    const ratio = Math.round((failing / healthy) * 1000) / 1000;
    recordBench({ bench: BENCH, name: `${id}: requests in a 60 s outage / healthy 60 s (${failing} / ${healthy})`, value: ratio, unit: '×', target: '≤ 0.5', met: ratio <= 0.5 });
    expect(core.status()[0]!.consecutiveFailures).toBeGreaterThan(0);
  } finally {
    await close();
  }
}

describe('faults', () => {
  it('hung APIs and outages, every source at once', async () => {
    await Promise.all(FAULT_SOURCES.flatMap((id) => [hung(id), outage(id)]));
  }, 5 * 60_000);
});
