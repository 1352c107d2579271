// The GitHub source as the registry lists it: its config schema, metric catalogue, Settings form,
// secrets and key files. The collectors load when the source first runs (index.ts, deferredSource).
import type { ConfigContext, SourceModule } from '../../source.js';
import { resolveConfigPath } from '../common/config-path.js';
import { deferredSource } from '../common/deferred-source.js';
import { githubConfigSchema } from './config.js';
import type { GitHubConfig } from './config.js';
import { readAppPrivateKey, readTokenFile } from './credential-files.js';
import { githubMetrics } from './metrics.js';
import { githubUi } from './ui.js';

/**
 * Resolves github.tokenFile and github.app.privateKeyFile against the configuration's folder and checks
 * what they hold: what `prepare()` does at config load, and `create()` when it was skipped.
 */
export function prepareGitHubConfig(config: GitHubConfig, context: ConfigContext): GitHubConfig {
  const prepared: GitHubConfig = { ...config };
  if (config.tokenFile !== undefined) {
    const tokenFile = resolveConfigPath(config.tokenFile, context);
    Object.assign(prepared, { tokenFile });
    Object.defineProperty(prepared, 'fileToken', { value: readTokenFile(tokenFile), enumerable: false });
  }
  if (config.app !== undefined) {
    const privateKeyFile = resolveConfigPath(config.app.privateKeyFile, context);
    Object.assign(prepared, { app: { ...config.app, privateKeyFile } });
    // Not enumerable: the effective config printed by check-config lists the user's keys only.
    Object.defineProperty(prepared, 'appKey', { value: readAppPrivateKey(privateKeyFile), enumerable: false });
  }
  return prepared;
}

export const githubSource: SourceModule<GitHubConfig> = {
  id: 'github',
  title: 'GitHub',
  configSchema: githubConfigSchema,
  metrics: githubMetrics,
  ui: githubUi,
  budget: { limit: 'github_rate_limit', remaining: 'github_rate_remaining', resetSeconds: 'github_rate_reset', spentPerPoll: 'github_rate_spent_per_poll' },
  secrets: (config) => [config.token, config.fileToken, ...(config.appKey?.secretValues() ?? [])].filter((secret): secret is string => secret !== undefined),
  secretKey: (config, secret) => {
    if (secret === config.token) return 'token';
    if (secret === config.fileToken) return 'tokenFile';
    return config.appKey?.secretValues().includes(secret) ? 'app.privateKeyFile' : undefined;
  },
  prepare: prepareGitHubConfig,
  create: (config) => deferredSource(
    { id: 'github', intervalMs: config.interval, timeoutMs: config.timeout, backfill: true, describesConnection: true },
    async () => (await import('./index.js')).createGitHubSource(config),
  ),
};
