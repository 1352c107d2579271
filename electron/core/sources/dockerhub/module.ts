// The Docker Hub source as the registry lists it: its config schema, metric catalogue and Settings form.
// The collector loads when the source first runs (index.ts, deferredSource).
import type { SourceModule } from '../../source.js';
import { deferredSource } from '../common/deferred-source.js';
import { dockerhubConfigSchema } from './config.js';
import type { DockerHubConfig } from './config.js';
import { dockerhubMetrics } from './metrics.js';
import { dockerhubUi } from './ui.js';

export const dockerhubSource: SourceModule<DockerHubConfig> = {
  id: 'dockerhub',
  title: 'Docker Hub',
  configSchema: dockerhubConfigSchema,
  metrics: dockerhubMetrics,
  ui: dockerhubUi,
  secrets: (config) => (config.token ? [config.token] : []),
  // The login (POST apiUrl/v2/auth/token, with the token in its body) goes to the same base as every other call.
  destinations: (config) => [{ key: 'apiUrl', url: config.apiUrl }],
  create: (config) => deferredSource(
    { id: 'dockerhub', intervalMs: config.interval, timeoutMs: config.timeout, backfill: false },
    async () => (await import('./index.js')).createDockerHubSource(config),
  ),
};
