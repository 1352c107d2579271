// The PyPI source: downloads of packages in the last day, 7 days and 30 days, from pypistats.org,
// and their daily history of the last 180 days (backfill). pypistats is public: no secret.
import type { Source } from '../../source.js';
import { productionTuning } from './api.js';
import type { PypiTuning } from './api.js';
import { createPypiBackfiller } from './backfill.js';
import type { PypiConfig } from './config.js';
import { collectPoints } from './points.js';

export { productionTuning } from './api.js';
export type { PypiTuning } from './api.js';
export { createPypiBackfiller, PYPI_HISTORY_DAYS } from './backfill.js';
export { DEFAULT_INTERVAL_MS, normalizedPackageName, packageNameProblem, pypiConfigSchema } from './config.js';
export type { PypiConfig } from './config.js';
export { pypiMetrics } from './metrics.js';

/** Lower-level knobs, for tests; `pypiSource.create` uses the production defaults. */
export type PypiSourceOptions = Partial<PypiTuning> & { readonly now?: () => number };

export function createPypiSource(config: PypiConfig, options: PypiSourceOptions = {}): Source {
  const { now, ...knobs } = options;
  const overrides = Object.fromEntries(Object.entries(knobs).filter(([, value]) => value !== undefined));
  const tuning: PypiTuning = { ...productionTuning, requestTimeoutMs: config.timeout, ...overrides };
  return {
    id: 'pypi',
    intervalMs: config.interval,
    timeoutMs: tuning.requestTimeoutMs,
    collect: (ctx) => collectPoints(config, tuning, ctx),
    backfill: createPypiBackfiller(config, tuning, { now }),
  };
}

export { pypiSource } from './module.js';
