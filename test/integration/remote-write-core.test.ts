// FootprintCore runs the remote-write senders (in `footprint serve` and in the desktop app alike):
// started with the core, replaced when the remoteWrite section changes, stopped before the store closes.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseConfig, type LoadedConfig } from '../../electron/core/config/config.js';
import { FootprintCore } from '../../electron/core/core.js';
import { silentLogger } from '../../electron/core/log.js';
import type { SourceModule } from '../../electron/core/source.js';
import { startFakeReceiver, type FakeReceiver } from '../fakes/remote-write/receiver.js';
import { closedAfterEach } from '../support/closed-after-each.js';
import { metricValue, waitFor } from '../support/footprint-process.js';

const startReceiver = closedAfterEach(startFakeReceiver);

let stars = 1;
const module: SourceModule<{ interval: string }> = {
  id: 'demo',
  title: 'Demo',
  configSchema: z.strictObject({ interval: z.string().prefault('1s') }),
  metrics: [{ name: 'demo_stars', help: 'Stars of a demo repository.', type: 'gauge', labels: ['repo'] }],
  secrets: () => [],
  create: () => ({ id: 'demo', intervalMs: 1_000, timeoutMs: 1_000, collect: async () => ({ samples: [{ metric: 'demo_stars', labels: { repo: 'a' }, value: stars }], errors: [], collected: 1 }) }),
};

let dir: string;
beforeEach(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-rw-core-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The demo_stars values a receiver accepted, oldest first. */
function starsIn(receiver: FakeReceiver): number[] {
  const key = [...receiver.samples().keys()].find((name) => name.startsWith('__name__=demo_stars,'));
  return key === undefined ? [] : receiver.samples().get(key)!.map((sample) => sample.value);
}

function load(remoteWrite: string): LoadedConfig {
  return parseConfig(`storage: { path: history.db }\ndemo: {}\n${remoteWrite}`, { file: path.join(dir, 'footprint.yaml'), env: {}, modules: [module], dataDir: dir });
}

describe('FootprintCore with remoteWrite', () => {
  it('pushes what it polls, switches receivers on reconfigure, and stops pushing on close', async () => {
    const first = await startReceiver(undefined);
    const second = await startReceiver(undefined);
    const core = new FootprintCore({ loaded: load(`remoteWrite:\n  - { url: "${first.url}", name: first, interval: 1s }\n`), log: silentLogger(), modules: [module], remoteWrite: { tuning: { retryBaseMs: 50 } } });
    try {
      core.start();
      stars = 5;
      await waitFor(() => (starsIn(first).includes(5) ? true : undefined), 'the first receiver to get 5 stars');
      expect(metricValue(await core.exporter.render(), 'footprint_remote_write_samples_total', { remote: 'first', outcome: 'sent' })).toBeGreaterThan(0);
      // Footprint's own series go along at the current step: up, and the histogram as _bucket/_sum/_count.
      const sentNames = new Set(first.pushes.flatMap((push) => push.series.map((series) => series.labels.find((label) => label.name === '__name__')!.value)));
      for (const name of ['footprint_source_up', 'footprint_build_info', 'footprint_source_collection_duration_seconds_bucket', 'footprint_source_collection_duration_seconds_count']) expect(sentNames).toContain(name);
      const inf = first.pushes.flatMap((push) => push.series).find((series) => series.labels.some((label) => label.name === 'le' && label.value === '+Inf'));
      expect(inf?.labels.map((label) => label.name)).toEqual(['__name__', 'instance', 'job', 'le', 'source']);

      await core.reconfigure(load(`remoteWrite:\n  - { url: "${second.url}", name: second, interval: 1s }\n`));
      const pushesToFirst = first.pushes.length;
      stars = 6;
      await waitFor(() => (starsIn(second).includes(6) ? true : undefined), 'the second receiver to get 6 stars');
      const text = await core.exporter.render();
      expect(metricValue(text, 'footprint_remote_write_samples_total', { remote: 'first', outcome: 'sent' })).toBeUndefined();
      expect(metricValue(text, 'footprint_remote_write_samples_total', { remote: 'second', outcome: 'sent' })).toBeGreaterThan(0);
      expect(first.pushes.length).toBe(pushesToFirst);
    } finally {
      await core.close();
    }
    const pushes = second.pushes.length;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(second.pushes.length).toBe(pushes);
  });
});
