// The npm source: downloads of packages in the last available day, 7 days and 30 days, from the npm
// downloads API, and their daily history (backfill). The downloads API is public: no secret.
import type { Source } from '../../source.js';
import { productionTuning } from './api.js';
import type { NpmTuning } from './api.js';
import { createNpmBackfiller } from './backfill.js';
import type { NpmConfig } from './config.js';
import { collectPoints } from './points.js';

export { MAX_BULK_PACKAGES, productionTuning } from './api.js';
export type { NpmTuning } from './api.js';
export { DEFAULT_INTERVAL_MS, npmConfigSchema, packageNameProblem } from './config.js';
export type { NpmConfig } from './config.js';
export { npmMetrics } from './metrics.js';
export { planRequests } from './points.js';

/** Lower-level knobs, for tests; `npmSource.create` uses the production defaults. */
export type NpmSourceOptions = Partial<NpmTuning>;

export function createNpmSource(config: NpmConfig, options: NpmSourceOptions = {}): Source {
  const overrides = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  const tuning: NpmTuning = { ...productionTuning, requestTimeoutMs: config.timeout, ...overrides };
  return {
    id: 'npm',
    intervalMs: config.interval,
    timeoutMs: tuning.requestTimeoutMs,
    collect: (ctx) => collectPoints(config, tuning, ctx),
    backfill: createNpmBackfiller(config, tuning),
  };
}

export { npmSource } from './module.js';
