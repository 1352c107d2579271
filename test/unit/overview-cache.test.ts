// The core's overview() (issue 15): the cards are composed ahead (at start, and after each poll) and
// reused until a poll, stored history or the configuration changes them (after five minutes they are
// composed again behind the answer, after an hour before it); a failure is not kept.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { CoreApi } from '../../electron/core/api.js';
import { parseConfig } from '../../electron/core/config/config.js';
import { FootprintCore } from '../../electron/core/core.js';
import { silentLogger } from '../../electron/core/log.js';
import type { CollectResult, SourceModule } from '../../electron/core/source.js';

const polls: CollectResult[] = [];

const demo: SourceModule<{ interval: string }> = {
  id: 'demo',
  title: 'Demo',
  configSchema: z.object({ interval: z.string().default('1m') }).strict(),
  // No ui: the cards group the first labelled metric by its first label (one card per repo).
  metrics: [{ name: 'demo_stars', help: 'Stars of a demo repository.', type: 'gauge', labels: ['repo'] }],
  secrets: () => [],
  create: () => ({
    id: 'demo',
    intervalMs: 60_000,
    timeoutMs: 20_000,
    async collect() {
      const poll = polls.shift();
      if (!poll) throw new Error('no poll scripted');
      return poll;
    },
  }),
};

const stars = (a: number, b: number): CollectResult => ({
  samples: [{ metric: 'demo_stars', labels: { repo: 'a' }, value: a }, { metric: 'demo_stars', labels: { repo: 'b' }, value: b }],
  errors: [],
  collected: 2,
});

let dir: string;
let core: FootprintCore;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-overview-'));
  const loaded = parseConfig('storage: { path: history.db }\ndemo: {}\n', { file: path.join(dir, 'footprint.yaml'), env: {}, modules: [demo], dataDir: dir });
  core = new FootprintCore({ loaded, log: silentLogger(), modules: [demo] });
});
afterEach(async () => {
  vi.useRealTimers();
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

const totals = async (api: CoreApi) => Object.fromEntries((await api.overview()).cards.map((card) => [card.group, card.figures[0]!.total]));

describe('overview() in the core', () => {
  it('reuses the composed cards until a poll changes them, composing them again right after the poll', async () => {
    const api = new CoreApi(core, { metricsUrl: () => null });
    const reads = vi.spyOn(core.store, 'changes');
    polls.push(stars(1, 2));
    await core.collectOnce();
    expect(await totals(api)).toEqual({ a: 1, b: 2 });
    expect(reads).toHaveBeenCalledTimes(1);
    expect(await totals(api)).toEqual({ a: 1, b: 2 });
    expect(reads).toHaveBeenCalledTimes(1);

    polls.push(stars(5, 2));
    await core.collectOnce();
    // Composed again at once, ahead of any ask: the next ask finds them, with the poll’s values.
    await vi.waitFor(() => expect(reads).toHaveBeenCalledTimes(2));
    expect(await totals(api)).toEqual({ a: 5, b: 2 });
    expect(reads).toHaveBeenCalledTimes(2);

    // A failed run stores nothing: the cards stand.
    const [failed] = await core.collectOnce();
    expect(failed!.ok).toBe(false);
    expect(await totals(api)).toEqual({ a: 5, b: 2 });
    expect(reads).toHaveBeenCalledTimes(2);
  });

  it('composes ahead after a poll, before any ask; after five minutes answers at once and composes again behind, after an hour waits', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const api = new CoreApi(core, { metricsUrl: () => null });
    const reads = vi.spyOn(core.store, 'changes');
    polls.push(stars(1, 2));
    await core.collectOnce();
    await vi.waitFor(() => expect(reads).toHaveBeenCalledTimes(1));
    const first = await api.overview();
    expect(first.cards.map((card) => card.figures[0]!.total)).toEqual([2, 1]);
    expect(reads).toHaveBeenCalledTimes(1);
    vi.setSystemTime(Date.now() + 4 * 60_000);
    expect(await api.overview()).toEqual(first);
    expect(reads).toHaveBeenCalledTimes(1);
    // Aged: the same cards at once, and new ones composed for the next ask (their windows slid).
    vi.setSystemTime(Date.now() + 60_001);
    expect(await api.overview()).toEqual(first);
    const newest = async () => (await api.overview()).cards[0]!.trend.times.at(-1)!;
    await vi.waitFor(async () => expect(await newest()).toBeGreaterThan(first.cards[0]!.trend.times.at(-1)!));
    const second = await api.overview();
    expect(reads).toHaveBeenCalledTimes(2);
    // An hour without a poll or a look: composed again before answering.
    vi.setSystemTime(Date.now() + 60 * 60_000);
    const third = await api.overview();
    expect(reads).toHaveBeenCalledTimes(3);
    expect(third.cards[0]!.trend.times.at(-1)).toBeGreaterThan(second.cards[0]!.trend.times.at(-1)!);
  });

  it('composes ahead at start when a source is configured, from the history already stored', async () => {
    polls.push(stars(3, 4));
    await core.collectOnce(); // stored before this CoreApi existed: as a file kept from the last run
    const api = new CoreApi(core, { metricsUrl: () => null });
    const reads = vi.spyOn(core.store, 'changes');
    api.composeAhead();
    expect(reads).toHaveBeenCalledTimes(1);
    expect(await totals(api)).toEqual({ a: 3, b: 4 });
    api.composeAhead(); // already composed: nothing more
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('keeps no failure: the next ask composes again', async () => {
    const api = new CoreApi(core, { metricsUrl: () => null });
    const reads = vi.spyOn(core.store, 'changes').mockImplementationOnce(() => {
      throw new Error('disk I/O error');
    });
    polls.push(stars(1, 2));
    await core.collectOnce();
    await vi.waitFor(() => expect(reads).toHaveBeenCalledTimes(1)); // composed ahead, and failed
    expect(await totals(api)).toEqual({ a: 1, b: 2 });
    expect(reads).toHaveBeenCalledTimes(2);
    reads.mockImplementationOnce(() => {
      throw new Error('disk I/O error');
    });
    polls.push(stars(5, 6));
    await core.collectOnce();
    await vi.waitFor(() => expect(reads).toHaveBeenCalledTimes(3));
    expect(await totals(api)).toEqual({ a: 5, b: 6 });
  });
});

describe('composing ahead with nothing configured', () => {
  it('reads nothing', async () => {
    const loaded = parseConfig('storage: { path: empty.db }\n', { file: path.join(dir, 'empty.yaml'), env: {}, modules: [demo], dataDir: dir });
    const bare = new FootprintCore({ loaded, log: silentLogger(), modules: [demo] });
    try {
      const api = new CoreApi(bare, { metricsUrl: () => null });
      const reads = vi.spyOn(bare.store, 'changes');
      const latest = vi.spyOn(bare, 'currentLatest');
      api.composeAhead();
      expect(reads).not.toHaveBeenCalled();
      expect(latest).not.toHaveBeenCalled();
    } finally {
      await bare.close();
    }
  });
});
