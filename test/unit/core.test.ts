// FootprintCore with a scripted source: what reaches the store and /metrics on success, partial and total failure.
import { mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { z } from 'zod';
import { ConfigError, parseConfig } from '../../electron/core/config/config.js';
import { FootprintCore, runDeadlineMs, type RunReport } from '../../electron/core/core.js';
import { silentLogger } from '../../electron/core/log.js';
import { TargetsFailedError, type CollectContext, type CollectResult, type SourceModule } from '../../electron/core/source.js';
import type { SchedulerOptions } from '../../electron/core/scheduler.js';
import { metricValue } from '../support/footprint-process.js';

/** A run's result, its failure, or what the run does (given its context). */
type Step = CollectResult | Error | ((ctx: CollectContext) => Promise<CollectResult>);

function scriptedModule(steps: Step[], timeoutMs = 20_000): SourceModule<{ interval: string }> {
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
      timeoutMs,
      async collect(ctx) {
        const step = steps.shift();
        if (!step) throw new Error('script ran out');
        if (step instanceof Error) throw step;
        if (typeof step === 'function') return step(ctx);
        return step;
      },
    }),
  };
}

const stars = (repo: string, value: number) => ({ metric: 'demo_stars', labels: { repo }, value });

let dir: string;
beforeEach(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-core-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function open(steps: Step[], now: () => number = Date.now, options: { timeoutMs?: number; scheduler?: SchedulerOptions } = {}) {
  const module = scriptedModule(steps, options.timeoutMs);
  const loaded = parseConfig('storage: { path: history.db }\ndemo: {}\n', { file: path.join(dir, 'footprint.yaml'), env: {}, modules: [module], dataDir: dir });
  return new FootprintCore({ loaded, log: silentLogger(), modules: [module], now, ...(options.scheduler ? { scheduler: options.scheduler } : {}) });
}

describe('FootprintCore', () => {
  it('stores a run, keeps series through a partial failure, drops them after a complete run, and restores on restart', async () => {
    let clock = 1_000_000;
    const core = open([
      { samples: [stars('a', 1), stars('b', 2)], errors: [], collected: 2 },
      { samples: [stars('a', 5)], errors: [{ target: 'org:x', message: 'organization x not found' }], collected: 1 },
      { samples: [stars('a', 6)], errors: [], collected: 1 },
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
    const core = open([{ samples: [stars('a', 1)], errors: [], collected: 1 }, new Error('GitHub could not be reached')], () => 5_000_000);
    await core.collectOnce();
    const [failed] = await core.collectOnce();
    expect(failed).toMatchObject({ ok: false, error: 'GitHub could not be reached' });
    const text = await core.exporter.render();
    expect(metricValue(text, 'demo_stars', { repo: 'a' })).toBe(1);
    expect(metricValue(text, 'footprint_source_up', { source: 'demo' })).toBe(0);
    expect(core.store.sourceRuns()[0]).toMatchObject({ lastSuccess: 5_000_000, lastError: 'GitHub could not be reached' });
    await core.close();
  });

  it('fails a run that kept no value when a target failed, even when the source counted something collected (issue 13: not "PARTIAL, 0 series")', async () => {
    const core = open([{ samples: [], errors: [{ target: 'property:1', message: 'Google Analytics refused access to property 1' }], collected: 1 }], () => 5_000_000);
    const [run] = await core.collectOnce();
    expect(run).toMatchObject({ ok: false, complete: false, errors: [{ target: 'property:1' }] });
    expect(run!.error).toMatch(/^nothing could be collected — property:1: Google Analytics refused access/);
    await core.close();
  });

  it('logs targets that failed for the same reason as one warning with a count, not one each (issue 13)', async () => {
    const lines: string[] = [];
    const module = scriptedModule([{ samples: [stars('a', 1)], errors: Array.from({ length: 54 }, (_, index) => ({ target: `repo:acme/r${index}`, message: 'GitHub answered 502' })), collected: 1 }]);
    const loaded = parseConfig('storage: { path: history.db }\ndemo: {}\n', { file: path.join(dir, 'footprint.yaml'), env: {}, modules: [module], dataDir: dir });
    const core = new FootprintCore({ loaded, log: pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) }), modules: [module] });
    await core.collectOnce();
    const warnings = lines.map((line) => JSON.parse(line) as { level: number; msg: string; count?: number }).filter((line) => line.level === 40);
    expect(warnings).toEqual([expect.objectContaining({ msg: 'GitHub answered 502 (× 54)', count: 54 })]);
    await core.close();
  });

  it('still stores results when the system clock steps back', async () => {
    let clock = 9_000_000;
    const core = open([{ samples: [stars('a', 1)], errors: [], collected: 1 }, { samples: [stars('a', 2)], errors: [], collected: 1 }], () => clock);
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
      { samples: [stars('a', 1)], dated: [downloads(1, 10), downloads(2, 12), downloads(3, 4)], errors: [], collected: 1 },
      { samples: [stars('a', 1)], dated: [downloads(2, 12), downloads(3, 9)], errors: [], collected: 1 },
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

  it('fails a run in which every target failed: the scheduler backs off, each target\'s error is still listed', async () => {
    const failed = { samples: [], errors: [{ target: 'org:a', message: 'GitHub answered 500' }, { target: 'org:b', message: 'GitHub answered 502' }], collected: 0 };
    const core = open([{ samples: [stars('a', 1)], errors: [], collected: 1 }, failed], Date.now, { scheduler: { backoffBaseMs: 60_000, jitter: 0 } });
    await core.collectOnce();
    const runs: RunReport[] = [];
    core.on('collected', (report: RunReport) => runs.push(report));
    core.start();
    await waitUntil(() => runs.length === 1);

    expect(runs[0]).toMatchObject({ ok: false, complete: false, errors: failed.errors, error: 'nothing could be collected — org:a: GitHub answered 500; org:b: GitHub answered 502' });
    const [status] = core.status();
    expect(status).toMatchObject({ state: 'backoff', consecutiveFailures: 1, targetErrors: failed.errors });
    // Backed off (60 s), not polled again at the 60 s interval's pace after a "partial" run.
    expect(status!.nextRunAt! - status!.lastRunAt!).toBeGreaterThanOrEqual(60_000);
    const text = await core.exporter.render();
    expect(metricValue(text, 'footprint_source_up', { source: 'demo' })).toBe(0);
    expect(metricValue(text, 'footprint_source_errors_total', { source: 'demo' })).toBe(1);
    expect(metricValue(text, 'demo_stars', { repo: 'a' })).toBe(1); // the last good values stay
    expect(core.store.sourceRuns()[0]).toMatchObject({ lastError: runs[0]!.error });
    await core.close();
  });

  it('lists each target\'s error of a run a source failed as a whole with TargetsFailedError', async () => {
    const errors = [{ target: 'org:a', message: 'could not read organization a: ECONNREFUSED' }];
    const core = open([new TargetsFailedError('GitHub could not be reached at http://127.0.0.1:9', errors)]);
    const runs: RunReport[] = [];
    core.on('collected', (report: RunReport) => runs.push(report));
    core.start();
    await waitUntil(() => runs.length === 1);

    expect(runs[0]).toMatchObject({ ok: false, errors, error: 'GitHub could not be reached at http://127.0.0.1:9' });
    expect(core.status()[0]).toMatchObject({ state: 'backoff', targetErrors: errors });
    await core.close();
  });

  it('leaves out a value it cannot store or serve (NaN, Infinity), reports it, and keeps every other', async () => {
    const core = open([{ samples: [stars('a', 1), stars('b', Number.NaN), stars('c', Number.POSITIVE_INFINITY), stars('d', 4)], errors: [], collected: 4 }]);
    const [report] = await core.collectOnce();

    expect(report).toMatchObject({ ok: true, complete: false, errors: [{ target: 'metric:demo_stars', message: '2 values were left out: value must be a finite number, got NaN; …' }] });
    expect(core.store.latest({ metric: 'demo_stars' }).map((point) => [point.labels.repo, point.value])).toEqual([['a', 1], ['d', 4]]);
    const text = await core.exporter.render();
    expect(metricValue(text, 'demo_stars', { repo: 'd' })).toBe(4);
    expect(metricValue(text, 'demo_stars', { repo: 'b' })).toBeUndefined();
    await core.close();
  });

  it('stores and serves a label value with a lone surrogate as U+FFFD, one series, the others untouched', async () => {
    const core = open([{ samples: [stars('bad\ud800', 1), stars('bad\udbff', 2), stars('good', 3)], errors: [], collected: 3 }]);
    const [report] = await core.collectOnce();
    expect(report).toMatchObject({ ok: true, complete: true });

    const text = await core.exporter.render();
    expect(text.isWellFormed()).toBe(true);
    expect(text.split('\n').filter((line) => line.startsWith('demo_stars{'))).toEqual(['demo_stars{repo="bad\ufffd"} 2', 'demo_stars{repo="good"} 3']);
    const stored = core.store.latest({ metric: 'demo_stars' }).map((point) => [point.labels.repo, point.value]);
    expect(stored).toEqual([['bad\ufffd', 2], ['good', 3]]);
    await core.close();
  });

  it('ends a run at its deadline even when the source ignores its signal, as a failed run saying so', async () => {
    let seen: AbortSignal | undefined;
    // Timeout 50 ms: the deadline is ten timeouts (the 60 s interval is longer), 0.5 s.
    const core = open([(ctx) => { seen = ctx.signal; return new Promise<CollectResult>(() => undefined); }], Date.now, { timeoutMs: 50 });
    const [report] = await core.collectOnce();

    expect(report).toMatchObject({ ok: false, error: 'Demo did not answer within 0.5 s: a run may last 10 × demo.timeout, at most demo.interval' });
    expect(seen?.aborted).toBe(true);
    const text = await core.exporter.render();
    expect(metricValue(text, 'footprint_source_up', { source: 'demo' })).toBe(0);
    await core.close();
  });

  it('sets the deadline at ten request timeouts, cut to the interval, never below one timeout', () => {
    expect(runDeadlineMs({ intervalMs: 600_000, timeoutMs: 20_000 })).toBe(200_000);
    expect(runDeadlineMs({ intervalMs: 60_000, timeoutMs: 20_000 })).toBe(60_000);
    expect(runDeadlineMs({ intervalMs: 1_000, timeoutMs: 20_000 })).toBe(20_000);
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}
