// The PyPI source as the registry lists it: its config schema, metric catalogue and Settings form.
// The collector loads when the source first runs (index.ts, deferredSource).
import type { SourceModule } from '../../source.js';
import { deferredSource } from '../common/deferred-source.js';
import { pypiConfigSchema } from './config.js';
import type { PypiConfig } from './config.js';
import { pypiMetrics } from './metrics.js';
import { pypiUi } from './ui.js';

export const pypiSource: SourceModule<PypiConfig> = {
  id: 'pypi',
  title: 'PyPI',
  configSchema: pypiConfigSchema,
  metrics: pypiMetrics,
  ui: pypiUi,
  // pypistats is public: the section holds no secret.
  secrets: () => [],
  create: (config) => deferredSource(
    { id: 'pypi', intervalMs: config.interval, timeoutMs: config.timeout, backfill: true },
    async () => (await import('./index.js')).createPypiSource(config),
  ),
};
