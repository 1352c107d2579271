// Faults through the whole core (a real source on the scheduler, the store and /metrics) against the
// loopback fakes: a hung API shows down within its interval plus its timeout; during an outage (every
// request answered 500) a source makes at most half the requests of a healthy spell of the same length,
// lists each target's error, and recovers when the API does.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../electron/core/config/config.js';
import { FootprintCore } from '../../electron/core/core.js';
import { silentLogger } from '../../electron/core/log.js';
import { sourceModules } from '../../electron/core/sources/registry.js';
import { FAULT_SOURCES, faultRigs, type Rig, type SourceId } from '../support/fault-rigs.js';
import { metricValue, waitFor } from '../support/footprint-process.js';

let dir: string;
const open: { close(): Promise<void> }[] = [];
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-faults-'));
});
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
  rmSync(dir, { recursive: true, force: true });
});

async function start(id: SourceId, interval: string, timeout: string): Promise<{ rig: Rig; core: FootprintCore }> {
  const rig = await faultRigs[id](dir);
  open.push(rig);
  const loaded = parseConfig(`storage: { path: history.db }\n${rig.section(interval, timeout)}\n`, { file: path.join(dir, 'footprint.yaml'), env: {}, modules: sourceModules, dataDir: dir });
  // Backoff scaled down with the 1-2 s intervals: 2 s after the first failure, then 4 s, 8 s…
  const core = new FootprintCore({ loaded, log: silentLogger(), scheduler: { backoffBaseMs: 2_000, jitter: 0 } });
  open.push(core);
  core.start();
  return { rig, core };
}

async function upOf(core: FootprintCore, id: SourceId): Promise<number | undefined> {
  return metricValue(await core.exporter.render(), 'footprint_source_up', { source: id });
}

async function until(core: FootprintCore, id: SourceId, up: 0 | 1, what: string, timeoutMs: number): Promise<void> {
  await waitFor(async () => ((await upOf(core, id)) === up ? true : undefined), what, timeoutMs);
}

describe('a hung API', () => {
  for (const id of FAULT_SOURCES) {
    it(`${id}: footprint_source_up goes from 1 to 0 within the interval plus the timeout, saying it did not answer`, async () => {
      // Interval 2 s, timeout 1 s: the run's deadline (2 s) is later than one request's timeout.
      const { rig, core } = await start(id, '2s', '1s');
      await until(core, id, 1, `${id} up`, 15_000);
      // The API hangs right after a run, so the next run meets it from its first request.
      await new Promise<void>((resolve) => core.once('collected', () => resolve(rig.controls.setHanging(true))));
      const hungAt = Date.now();
      // The bound: down within the interval plus 30 s (here it takes about interval + timeout).
      await until(core, id, 0, `${id} down after the hang`, 2_000 + 30_000);
      expect(Date.now() - hungAt).toBeLessThan(2_000 + 30_000);

      const [status] = core.status();
      expect(status!.lastError).toMatch(/did not answer .*within 1 s/);
      expect(status!.consecutiveFailures).toBeGreaterThanOrEqual(1);
      // One wave of at most four concurrent requests (GitHub: its one listing): none retried, and none
      // sent once one timed out with nothing else answering.
      expect(rig.controls.hungRequests).toBeGreaterThan(0);
      expect(rig.controls.hungRequests).toBeLessThanOrEqual(4);
    });
  }
});

/** Requests the fake saw during `ms`. */
async function requestsDuring(rig: Rig, ms: number): Promise<number> {
  const before = rig.requestCount();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return rig.requestCount() - before;
}

const WINDOW_MS = 4_000;

describe('an outage (every request answered 500)', () => {
  for (const id of FAULT_SOURCES) {
    it(`${id}: costs at most half the requests of a healthy spell as long, backs off, lists each target's error, and recovers`, async () => {
      const { rig, core } = await start(id, '1s', '20s');
      await until(core, id, 1, `${id} up`, 15_000);

      const healthy = await requestsDuring(rig, WINDOW_MS);
      rig.failAll();
      const outage = await requestsDuring(rig, WINDOW_MS);

      expect(healthy).toBeGreaterThan(0);
      expect(outage, `healthy ${healthy}, outage ${outage}`).toBeLessThanOrEqual(healthy / 2);
      // A run may still be in its retry waits (GitHub waits 1 s, then 4 s): it ends failed.
      await until(core, id, 0, `${id} down in the outage`, 15_000);
      const [status] = core.status();
      expect(status!.consecutiveFailures).toBeGreaterThanOrEqual(1);
      expect(status!.targetErrors.length).toBeGreaterThan(0);
      expect(core.store.sourceRuns()[0]!.lastError).toBeTruthy();

      rig.controls.clearFailures();
      // A manual refresh runs at once, even in backoff (or joins a run already under way, which may still fail).
      await waitFor(async () => {
        await core.refreshNow(id);
        return (await upOf(core, id)) === 1 ? true : undefined;
      }, `${id} up again`, 15_000);
      expect(core.status()[0]).toMatchObject({ consecutiveFailures: 0, lastError: null, targetErrors: [] });
    });
  }
});
