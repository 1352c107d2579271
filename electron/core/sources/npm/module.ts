// The npm source as the registry lists it: its config schema, metric catalogue and Settings form.
// The collector loads when the source first runs (index.ts, deferredSource).
import type { SourceModule } from '../../source.js';
import { deferredSource } from '../common/deferred-source.js';
import { npmConfigSchema } from './config.js';
import type { NpmConfig } from './config.js';
import { npmMetrics } from './metrics.js';
import { npmUi } from './ui.js';

export const npmSource: SourceModule<NpmConfig> = {
  id: 'npm',
  title: 'npm',
  configSchema: npmConfigSchema,
  metrics: npmMetrics,
  ui: npmUi,
  // The downloads API is public: the section holds no secret.
  secrets: () => [],
  create: (config) => deferredSource(
    { id: 'npm', intervalMs: config.interval, timeoutMs: config.timeout, backfill: true },
    async () => (await import('./index.js')).createNpmSource(config),
  ),
};
