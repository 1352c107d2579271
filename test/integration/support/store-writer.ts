// Child process of store-crash.test.ts: opens a history file and ingests batches as fast as it
// can, printing each batch number once `ingest` (and the run record) returned, until it is killed.
// Usage: node --import scripts/ts-register.mjs store-writer.ts FILE
import { HistoryStore } from '../../../electron/core/store/history-store.js';
import type { Sample } from '../../../shared/metrics.js';

/** Batch n is stored at this time; the parent checks the value at each acknowledged batch's time. */
export const BATCH_BASE_TIME = Date.UTC(2026, 0, 1);
export const BATCH_INTERVAL_MS = 1_000;
export const REPOS = 200;
/** A repo's star count at batch n: changes every (1 + repo % 7) batches, so most samples only extend. */
export const starsAt = (repo: number, batch: number): number => Math.floor(batch / (1 + (repo % 7)));
/** Stops by itself should the parent never kill it. */
const MAX_RUN_MS = 30_000;

function batchSamples(batch: number): Sample[] {
  const samples: Sample[] = [{ metric: 'batch', labels: {}, value: batch }];
  for (let repo = 0; repo < REPOS; repo++) samples.push({ metric: 'stars', labels: { repo: `r${repo}` }, value: starsAt(repo, batch) });
  return samples;
}

function main(file: string): void {
  const store = HistoryStore.open(file);
  let batch = store.latest({ source: 'crash', metric: 'batch' })[0]?.value ?? 0;
  process.stdout.write(`ready ${batch}\n`);
  const started = Date.now();
  while (Date.now() - started < MAX_RUN_MS) {
    batch++;
    const time = BATCH_BASE_TIME + batch * BATCH_INTERVAL_MS;
    store.ingest('crash', batchSamples(batch), time);
    store.recordRun('crash', { time, ok: true, complete: true });
    // Writes to a pipe are synchronous on Linux: once this returns the parent can read it.
    process.stdout.write(`${batch}\n`);
  }
  store.close();
}

// Run as a script only; the test imports the constants above.
if (import.meta.main) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: store-writer.ts HISTORY_FILE');
  main(file);
}
