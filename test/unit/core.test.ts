// FootprintCore with a scripted source: what reaches the store and /metrics on success, partial and total failure.
import { mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, parseConfig } from '../../electron/core/config/config.js';
import { FootprintCore } from '../../electron/core/core.js';
import { silentLogger } from '../../electron/core/log.js';
import type { CollectResult, SourceModule } from '../../electron/core/source.js';
import { metricValue } from '../support/footprint-process.js';

type Step = CollectResult | Error;

function scriptedModule(steps: Step[]): SourceModule<{ interval: string }> {
  return {
    id: 'demo',
    title: 'Demo',
    configSchema: z.object({ interval: z.string().default('1m') }).strict(),
    metrics: [
      { name: 'demo_stars', help: 'Stars of a demo repository.', type: 'gauge', labels: ['repo'] },
      { name: 'demo_daily_downloads', help: 'Downloads of a demo repository on a day.', type: 'gauge', labels: ['repo'] },
    ],
    secrets: () => [],
    create: () => ({
      id: 'demo',
      intervalMs: 60_000,
      async collect() {
        const step = steps.shift();
        if (!step) throw new Error('script ran out');
        if (step instanceof Error) throw step;
        return step;
      },
    }),
  };
}

const stars = (repo: string, value: number) => ({ metric: 'demo_stars', labels: { repo }, value });

let dir: string;
beforeEach(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-core-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function open(steps: Step[], now: () => number) {
  const module = scriptedModule(steps);
  const loaded = parseConfig('storage: { path: history.db }\ndemo: {}\n', { file: path.join(dir, 'footprint.yaml'), env: {}, modules: [module], dataDir: dir });
  return new FootprintCore({ loaded, log: silentLogger(), modules: [module], now });
}

describe('FootprintCore', () => {
  it('stores a run, keeps series through a partial failure, drops them after a complete run, and restores on restart', async () => {
    let clock = 1_000_000;
    const core = open([
      { samples: [stars('a', 1), stars('b', 2)], errors: [] },
      { samples: [stars('a', 5)], errors: [{ target: 'org:x', message: 'organization x not found' }] },
      { samples: [stars('a', 6)], errors: [] },
    ], () => clock);

    const [first] = await core.collectOnce();
    expect(first).toMatchObject({ ok: true, complete: true, error: null });
    let text = await core.exporter.render();
    expect(metricValue(text, 'demo_stars', { repo: 'b' })).toBe(2);
    expect(metricValue(text, 'footprint_source_up', { source: 'demo' })).toBe(1);

    clock += 60_000;
    const [partial] = await core.collectOnce();
    expect(partial).toMatchObject({ ok: true, complete: false, errors: [{ target: 'org:x' }] });
    text = await core.exporter.render();
    expect(metricValue(text, 'demo_stars', { repo: 'a' })).toBe(5);
    expect(metricValue(text, 'demo_stars', { repo: 'b' })).toBe(2); // a failed target does not blank what it had
    expect(metricValue(text, 'footprint_source_up', { source: 'demo' })).toBe(0);
    expect(core.store.sourceRuns()[0]).toMatchObject({ lastError: 'org:x: organization x not found' });

    clock += 60_000;
    await core.collectOnce();
    text = await core.exporter.render();
    expect(metricValue(text, 'demo_stars', { repo: 'a' })).toBe(6);
    expect(metricValue(text, 'demo_stars', { repo: 'b' })).toBeUndefined();
    await core.close();

    const restarted = open([], () => clock);
    text = await restarted.exporter.render();
    expect(metricValue(text, 'demo_stars', { repo: 'a' })).toBe(6);
    expect(metricValue(text, 'demo_stars', { repo: 'b' })).toBeUndefined();
    expect(metricValue(text, 'footprint_source_last_success_timestamp_seconds', { source: 'demo' })).toBe(clock / 1000);
    await restarted.close();
  });

  it('keeps every value when a whole run fails, and records the reason', async () => {
    const core = open([{ samples: [stars('a', 1)], errors: [] }, new Error('GitHub could not be reached')], () => 5_000_000);
    await core.collectOnce();
    const [failed] = await core.collectOnce();
    expect(failed).toMatchObject({ ok: false, error: 'GitHub could not be reached' });
    const text = await core.exporter.render();
    expect(metricValue(text, 'demo_stars', { repo: 'a' })).toBe(1);
    expect(metricValue(text, 'footprint_source_up', { source: 'demo' })).toBe(0);
    expect(core.store.sourceRuns()[0]).toMatchObject({ lastSuccess: 5_000_000, lastError: 'GitHub could not be reached' });
    await core.close();
  });

  it('still stores results when the system clock steps back', async () => {
    let clock = 9_000_000;
    const core = open([{ samples: [stars('a', 1)], errors: [] }, { samples: [stars('a', 2)], errors: [] }], () => clock);
    await core.collectOnce();
    clock -= 3_600_000; // e.g. NTP correcting an hour
    const [second] = await core.collectOnce();
    expect(second).toMatchObject({ ok: true, complete: true });
    const [latest] = core.store.latest({ metric: 'demo_stars' });
    expect(latest).toMatchObject({ value: 2 });
    await core.close();
  });

  it('stores the dated values a poll reads, lists series only dated values write with their newest value, and keeps them off /metrics', async () => {
    const day = (n: number) => Date.UTC(2026, 0, n) - 1;
    const downloads = (n: number, value: number) => ({ metric: 'demo_daily_downloads', labels: { repo: 'a' }, value, time: day(n) });
    let clock = day(3) - 3_600_000;
    const core = open([
      { samples: [stars('a', 1)], dated: [downloads(1, 10), downloads(2, 12), downloads(3, 4)], errors: [] },
      { samples: [stars('a', 1)], dated: [downloads(2, 12), downloads(3, 9)], errors: [] },
    ], () => clock);
    await core.collectOnce();
    clock += 60_000;
    await core.collectOnce();
    const [series] = core.store.series({ metric: 'demo_daily_downloads' });
    expect([1, 2, 3].map((n) => core.store.valueAt(series!.id, day(n)))).toEqual([10, 12, 9]);
    // Today's downloads, stamped at the end of today, are listed with the polled stars.
    expect(core.currentLatest().map((point) => [point.metric, point.value, point.lastSeen])).toEqual([['demo_daily_downloads', 9, day(3)], ['demo_stars', 1, clock]]);
    expect(core.currentLatest({ metric: 'demo_daily_downloads' })).toHaveLength(1);
    await core.close();

    // /metrics shows what polls see, after a restart too.
    const restarted = open([], () => clock);
    const text = await restarted.exporter.render();
    expect(metricValue(text, 'demo_stars', { repo: 'a' })).toBe(1);
    expect(text).not.toContain('demo_daily_downloads');
    expect(restarted.currentLatest().map((point) => point.metric)).toEqual(['demo_daily_downloads', 'demo_stars']);
    await restarted.close();
  });

  it('reports a storage.path that cannot be a history file as a configuration problem naming the key', () => {
    const module = scriptedModule([]);
    mkdirSync(path.join(dir, 'history.db'));
    const loaded = parseConfig('storage: { path: history.db }\ndemo: {}\n', { file: path.join(dir, 'footprint.yaml'), env: {}, modules: [module], dataDir: dir });
    const build = () => new FootprintCore({ loaded, log: silentLogger(), modules: [module] });
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(`${path.join(dir, 'footprint.yaml')}: storage.path: ${path.join(dir, 'history.db')} is a directory — name a file, e.g. ${path.join(dir, 'history.db', 'footprint.db')}`);
  });

  // Counted through /proc/self/fd, which only Linux has.
  it.skipIf(process.platform !== 'linux')('lets go of the history file when it cannot start (a source that cannot be created)', () => {
    const file = path.join(dir, 'history.db');
    const openHandles = () => readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`).startsWith(file);
      } catch {
        return false; // closed while listing
      }
    }).length;
    const broken: SourceModule<{ interval: string }> = { ...scriptedModule([]), create: () => { throw new Error('cannot create'); } };
    const loaded = parseConfig('storage: { path: history.db }\ndemo: {}\n', { file: path.join(dir, 'footprint.yaml'), env: {}, modules: [broken], dataDir: dir });
    expect(() => new FootprintCore({ loaded, log: silentLogger(), modules: [broken] })).toThrow('cannot create');
    expect(openHandles()).toBe(0);
  });
});
