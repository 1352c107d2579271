// The crates.io source: each crate's total and recent (90-day) downloads, and its daily downloads
// of the last 90 days (backfill). The crates.io API is public: no secret.
import type { Source } from '../../source.js';
import { productionTuning } from './api.js';
import type { CratesTuning } from './api.js';
import { createCratesBackfiller } from './backfill.js';
import type { CratesConfig } from './config.js';
import { collectPoints } from './points.js';

export { cratesUserAgent, productionTuning } from './api.js';
export type { CratesTuning } from './api.js';
export { CRATES_HISTORY_DAYS, createCratesBackfiller } from './backfill.js';
export { crateNameProblem, cratesConfigSchema, DEFAULT_INTERVAL_MS } from './config.js';
export type { CratesConfig } from './config.js';
export { cratesMetrics } from './metrics.js';

/** Lower-level knobs, for tests; `cratesSource.create` uses the production defaults. */
export type CratesSourceOptions = Partial<CratesTuning> & { readonly now?: () => number };

export function createCratesSource(config: CratesConfig, options: CratesSourceOptions = {}): Source {
  const { now, ...knobs } = options;
  const overrides = Object.fromEntries(Object.entries(knobs).filter(([, value]) => value !== undefined));
  const tuning: CratesTuning = { ...productionTuning, requestTimeoutMs: config.timeout, ...overrides };
  return {
    id: 'crates',
    intervalMs: config.interval,
    timeoutMs: tuning.requestTimeoutMs,
    collect: (ctx) => collectPoints(config, tuning, ctx),
    backfill: createCratesBackfiller(config, tuning, { now }),
  };
}

export { cratesSource } from './module.js';
