// /metrics at 10,000 data series: 2,000 repositories × 5 metrics with the GitHub exporter's seven
// "std" labels. Figures: the uncached render (cache invalidated before each timed render), the
// cached render, each also with the UTF-8 encoding a response write does, and the complete update
// that feeds them.
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MetricsExporter } from '../electron/core/exporter.js';
import type { SourceModule } from '../electron/core/source.js';
import type { MetricDef, Sample } from '../shared/metrics.js';
import { median, recordBench } from './report.js';

const REPOS = 2_000;
const STD_LABELS = ['repo', 'user', 'private', 'fork', 'archived', 'license', 'language'];
const METRICS: MetricDef[] = ['stars', 'forks', 'watchers', 'open_issues', 'size_bytes'].map((name) => ({
  name: `bench_repo_${name}`,
  help: `Repository ${name.replace('_', ' ')}.`,
  type: 'gauge',
  labels: STD_LABELS,
}));
const LICENSES = ['mit', 'apache-2.0', 'gpl-3.0', ''];
const LANGUAGES = ['Go', 'TypeScript', 'Rust', 'C++', 'Python'];

const module: SourceModule<Record<string, never>> = {
  id: 'bench',
  title: 'Bench',
  configSchema: z.object({}) as unknown as z.ZodType<Record<string, never>>,
  metrics: METRICS,
  secrets: () => [],
  create: () => ({ id: 'bench', intervalMs: 60_000, timeoutMs: 20_000, collect: async () => ({ samples: [], errors: [], collected: 0 }) }),
};

function samples(round: number): Sample[] {
  const result: Sample[] = [];
  for (let repo = 0; repo < REPOS; repo++) {
    const labels = {
      repo: `project-${repo}`,
      user: `org-${repo % 40}`,
      private: repo % 7 === 0 ? 'true' : 'false',
      fork: repo % 11 === 0 ? 'true' : 'false',
      archived: 'false',
      license: LICENSES[repo % LICENSES.length]!,
      language: LANGUAGES[repo % LANGUAGES.length]!,
    };
    METRICS.forEach((def, index) => result.push({ metric: def.name, labels, value: (repo * 31 + index * 7 + round) % 100_000 }));
  }
  return result;
}

async function timed(fn: () => unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

const round = (ms: number) => Math.round(ms * 10_000) / 10_000;

describe('/metrics render at 10,000 series', () => {
  it('records uncached and cached render medians', async () => {
    const exporter = new MetricsExporter({ modules: [module], version: 'bench' });
    const data = samples(0);
    const updateTimes: number[] = [];
    for (let round = 0; round < 20; round++) {
      const next = samples(round);
      updateTimes.push(await timed(() => exporter.updateSource('bench', next, { complete: true })));
    }
    exporter.updateSource('bench', data, { complete: true });
    exporter.recordRun('bench', { ok: true, finishedAt: Date.now(), durationMs: 1_500, lastSuccessAt: Date.now() });

    const text = await exporter.render();
    const dataLines = text.split('\n').filter((line) => line.startsWith('bench_repo_'));
    expect(dataLines).toHaveLength(REPOS * METRICS.length);

    // Warm-up, then the timed runs. setLastSuccess is the cheapest change: it only drops the cache.
    for (let i = 0; i < 10; i++) {
      exporter.setLastSuccess('bench', Date.now());
      await exporter.render();
    }
    const uncached: number[] = [];
    const uncachedServed: number[] = [];
    for (let i = 0; i < 60; i++) {
      exporter.setLastSuccess('bench', Date.now());
      uncached.push(await timed(() => exporter.render()));
      exporter.setLastSuccess('bench', Date.now());
      uncachedServed.push(await timed(async () => Buffer.from(await exporter.render(), 'utf8')));
    }
    const cached: number[] = [];
    const cachedServed: number[] = [];
    await exporter.render();
    for (let i = 0; i < 200; i++) {
      cached.push(await timed(() => exporter.render()));
      cachedServed.push(await timed(async () => Buffer.from(await exporter.render(), 'utf8')));
    }

    const figure = (name: string, times: number[], target?: number) => {
      const value = round(median(times));
      recordBench({ bench: 'metrics', name: `${name} (median of ${times.length})`, value, unit: 'ms', ...(target === undefined ? {} : { target: `< ${target} ms`, met: value < target }) });
    };
    figure('render 10k series, uncached', uncached, 20);
    figure('render 10k series + UTF-8 encode, uncached', uncachedServed, 20);
    figure('render 10k series, cached', cached, 20);
    figure('render 10k series + UTF-8 encode, cached', cachedServed, 20);
    figure('complete update of 10k samples', updateTimes);
    recordBench({ bench: 'metrics', name: 'exposition size at 10k series', value: Math.round(Buffer.byteLength(text) / 1024), unit: 'KiB' });
  });
});
