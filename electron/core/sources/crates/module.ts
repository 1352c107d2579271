// The crates.io source as the registry lists it: its config schema, metric catalogue and Settings form.
// The collector loads when the source first runs (index.ts, deferredSource).
import type { SourceModule } from '../../source.js';
import { deferredSource } from '../common/deferred-source.js';
import { cratesConfigSchema } from './config.js';
import type { CratesConfig } from './config.js';
import { cratesMetrics } from './metrics.js';
import { cratesUi } from './ui.js';

export const cratesSource: SourceModule<CratesConfig> = {
  id: 'crates',
  title: 'crates.io',
  configSchema: cratesConfigSchema,
  metrics: cratesMetrics,
  ui: cratesUi,
  // The crates.io API is public: the section holds no secret.
  secrets: () => [],
  create: (config) => deferredSource(
    { id: 'crates', intervalMs: config.interval, timeoutMs: config.timeout, backfill: true },
    async () => (await import('./index.js')).createCratesSource(config),
  ),
};
