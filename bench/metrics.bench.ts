// /metrics at 10,000 data series (2,000 repositories × 5 metrics) and at 80,000 (issue 15's 10,000
// repositories × 8 metrics), with the GitHub exporter's seven "std" labels. Figures: the render after
// a data change (a poll's new values: every family rendered again), after a health change (Footprint's
// own series: the data families' text is kept), the cached render, each also with the UTF-8 encoding a
// response write does, and the complete update that feeds them.
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MetricsExporter } from '../electron/core/exporter.js';
import type { SourceModule } from '../electron/core/source.js';
import type { MetricDef, Sample } from '../shared/metrics.js';
import { median, recordBench } from './report.js';

const STD_LABELS = ['repo', 'user', 'private', 'fork', 'archived', 'license', 'language'];
const METRICS: MetricDef[] = ['stars', 'forks', 'watchers', 'open_issues', 'size_bytes', 'open_pulls', 'commits', 'releases'].map((name) => ({
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

/** Repositories and metrics per repository: 10,000 and 80,000 series, with the render target of each. */
const SCALES = [
  { repos: 2_000, metrics: 5, targetMs: 20 },
  { repos: 10_000, metrics: 8, targetMs: 100 },
] as const;

function samples(repos: number, metrics: readonly MetricDef[], round: number): Sample[] {
  const result: Sample[] = [];
  for (let repo = 0; repo < repos; repo++) {
    const labels = {
      repo: `project-${repo}`,
      user: `org-${repo % 40}`,
      private: repo % 7 === 0 ? 'true' : 'false',
      fork: repo % 11 === 0 ? 'true' : 'false',
      archived: 'false',
      license: LICENSES[repo % LICENSES.length]!,
      language: LANGUAGES[repo % LANGUAGES.length]!,
    };
    metrics.forEach((def, index) => result.push({ metric: def.name, labels, value: (repo * 31 + index * 7 + round) % 100_000 }));
  }
  return result;
}

async function timed(fn: () => unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

const round = (ms: number) => Math.round(ms * 10_000) / 10_000;

describe('/metrics render at 10,000 and 80,000 series', () => {
  for (const { repos, metrics: metricCount, targetMs } of SCALES) {
    const metrics = METRICS.slice(0, metricCount);
    const seriesCount = repos * metricCount;
    const scale = `${seriesCount / 1000}k`;
    it(`records uncached and cached render medians at ${scale} series`, async () => {
      // Only the catalogue's first metrics get samples; an empty family is left off /metrics.
      const exporter = new MetricsExporter({ modules: [module], version: 'bench' });
      const data = samples(repos, metrics, 0);
      const updateTimes: number[] = [];
      for (let round = 0; round < 20; round++) {
        const next = samples(repos, metrics, round);
        updateTimes.push(await timed(() => exporter.updateSource('bench', next, { complete: true })));
      }
      exporter.updateSource('bench', data, { complete: true });
      exporter.recordRun('bench', { ok: true, finishedAt: Date.now(), durationMs: 1_500, lastSuccessAt: Date.now() });

      const text = await exporter.render();
      const dataLines = text.split('\n').filter((line) => line.startsWith('bench_repo_'));
      expect(dataLines).toHaveLength(seriesCount);

      // Warm-up, then the timed runs. A data change (a poll's complete update, not timed here) re-renders
      // every family; a health change (setLastSuccess, or each API request a poll counts) re-renders only
      // Footprint's own series, the data families' text being kept.
      const rounds = Array.from({ length: 4 }, (_, index) => samples(repos, metrics, 100 + index));
      for (let i = 0; i < 10; i++) {
        exporter.updateSource('bench', rounds[i % rounds.length]!, { complete: true });
        await exporter.render();
      }
      const afterData: number[] = [];
      const afterDataServed: number[] = [];
      const afterHealth: number[] = [];
      const afterHealthServed: number[] = [];
      for (let i = 0; i < 30; i++) {
        exporter.updateSource('bench', rounds[i % rounds.length]!, { complete: true });
        afterData.push(await timed(() => exporter.render()));
        exporter.updateSource('bench', rounds[(i + 1) % rounds.length]!, { complete: true });
        afterDataServed.push(await timed(async () => Buffer.from(await exporter.render(), 'utf8')));
      }
      for (let i = 0; i < 60; i++) {
        exporter.setLastSuccess('bench', Date.now());
        afterHealth.push(await timed(() => exporter.render()));
        exporter.setLastSuccess('bench', Date.now());
        afterHealthServed.push(await timed(async () => Buffer.from(await exporter.render(), 'utf8')));
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
      figure(`render ${scale} series after a data change (poll), every family rendered`, afterData, targetMs);
      figure(`render ${scale} series + UTF-8 encode after a data change`, afterDataServed, targetMs);
      figure(`render ${scale} series after a health change (API request counted), data text kept`, afterHealth, targetMs);
      figure(`render ${scale} series + UTF-8 encode after a health change`, afterHealthServed, targetMs);
      figure(`render ${scale} series, cached`, cached, targetMs);
      figure(`render ${scale} series + UTF-8 encode, cached`, cachedServed, targetMs);
      figure(`complete update of ${scale} samples`, updateTimes);
      recordBench({ bench: 'metrics', name: `exposition size at ${scale} series`, value: Math.round(Buffer.byteLength(text) / 1024), unit: 'KiB' });
    }, 300_000);
  }
});
