// `footprint export --format openmetrics` of a big organisation's year: 1,000 series with the
// github-exporter's labels, a star-like value changing on half of the 6-hourly polls. The output is
// ~span/step samples per series whatever the changes, so the figures scale with series x span / step.
// With promtool installed, the 1-hour export is also turned into blocks, as the README says.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { writeOpenMetrics } from '../electron/core/cli/export-openmetrics.js';
import { CommandOutput } from '../electron/core/cli/output.js';
import { sourceModules } from '../electron/core/sources/registry.js';
import { HistoryStore } from '../electron/core/store/history-store.js';
import type { Sample } from '../shared/metrics.js';
import { seededRandom } from '../test/support/random.js';
import { which } from '../test/support/prometheus.js';
import { recordBench } from './report.js';

const BENCH = 'openmetrics';
const SERIES = 1_000;
const POLL_MS = 6 * 3_600_000;
const POLLS = 365 * 4;
const CHANGE_PROBABILITY = 0.5;
const START = Date.UTC(2025, 0, 1);
const catalogue = sourceModules.flatMap((module) => module.metrics);

const round = (value: number, digits = 1) => Number(value.toFixed(digits));

describe('OpenMetrics export: 1,000 series over a year', () => {
  let dir: string;
  let store: HistoryStore;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'footprint-om-'));
    store = HistoryStore.open(path.join(dir, 'history.db'));
    const next = seededRandom(11);
    const labels = Array.from({ length: SERIES }, (_, i) => ({
      repo: `repository-${String(i).padStart(4, '0')}`, user: 'example-org', private: 'false', fork: 'false', archived: 'false', license: 'Apache-2.0', language: 'TypeScript',
    }));
    const values = Array.from({ length: SERIES }, (_, i) => 100 + i);
    for (let poll = 0; poll < POLLS; poll++) {
      // Only the series that changed: the others hold their value until the last poll confirms it.
      const samples: Sample[] = [];
      for (let i = 0; i < SERIES; i++) {
        if (poll === 0 || poll === POLLS - 1 || next() < CHANGE_PROBABILITY) {
          if (poll > 0) values[i]! += next() < 0.9 ? 1 : -1;
          samples.push({ metric: 'github_repo_stars', labels: labels[i]!, value: values[i]! });
        }
      }
      store.ingest('github', samples, START + poll * POLL_MS);
    }
    recordBench({ bench: BENCH, name: 'change points in the history', value: store.stats().points, unit: 'points' });
  }, 600_000);

  afterAll(() => {
    store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function exportTo(stream: Writable, stepMs: number): Promise<{ seconds: number; samples: number }> {
    const out = new CommandOutput(stream);
    const started = performance.now();
    const summary = await writeOpenMetrics(store.exportRows(), { catalogue, stepMs, extraLabels: { job: 'footprint', instance: 'localhost:9171' } }, (chunk) => out.write(chunk));
    await new Promise<void>((resolve) => stream.end(resolve));
    return { seconds: (performance.now() - started) / 1000, samples: summary.samples };
  }

  it('exports at the default 5-minute step (to a sink that counts bytes)', async () => {
    let bytes = 0;
    const sink = new Writable({ write(chunk: Buffer, _encoding, callback) { bytes += chunk.length; callback(); } });
    const { seconds, samples } = await exportTo(sink, 5 * 60_000);
    recordBench({ bench: BENCH, name: 'samples at --step 5m', value: samples, unit: 'samples' });
    recordBench({ bench: BENCH, name: 'output at --step 5m', value: round(bytes / 1e9, 2), unit: 'GB' });
    recordBench({ bench: BENCH, name: 'export time at --step 5m', value: round(seconds), unit: 's' });
    recordBench({ bench: BENCH, name: 'export throughput at --step 5m', value: Math.round(samples / seconds), unit: 'samples/s' });
  });

  it('exports at --step 1h to a file and, with promtool here, makes blocks of it', async () => {
    const file = path.join(dir, 'history.om');
    const { seconds, samples } = await exportTo(fs.createWriteStream(file), 3_600_000);
    recordBench({ bench: BENCH, name: 'samples at --step 1h', value: samples, unit: 'samples' });
    recordBench({ bench: BENCH, name: 'output at --step 1h', value: round(fs.statSync(file).size / 1e6), unit: 'MB' });
    recordBench({ bench: BENCH, name: 'export time at --step 1h (to a file)', value: round(seconds), unit: 's' });
    if (!which('promtool')) return;
    const blocks = path.join(dir, 'blocks');
    const started = performance.now();
    const result = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', '--max-block-duration=744h', file, blocks], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`promtool failed: ${result.stderr}`);
    recordBench({ bench: BENCH, name: 'promtool create-blocks-from, --step 1h file, --max-block-duration=744h', value: round((performance.now() - started) / 1000), unit: 's' });
    const blockBytes = fs.readdirSync(blocks, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .reduce((sum, entry) => sum + fs.statSync(path.join(entry.parentPath, entry.name)).size, 0);
    recordBench({ bench: BENCH, name: 'TSDB blocks from the --step 1h file', value: round(blockBytes / 1e6), unit: 'MB' });
  });
});
