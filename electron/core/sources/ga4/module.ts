// The Google Analytics 4 source as the registry lists it: its config schema, metric catalogue,
// Settings form, key file and where its credentials go. The collector (and google-auth-library, for
// Application Default Credentials) loads when the source first runs (index.ts, deferredSource).
import type { ConfigContext, SourceModule } from '../../source.js';
import { deferredSource } from '../common/deferred-source.js';
import { ga4ConfigSchema } from './config.js';
import type { Ga4Config } from './config.js';
import { ga4Metrics } from './metrics.js';
import { parseUploadedServiceAccountKey, readServiceAccountKey, resolveCredentialsPath } from './service-account.js';
import { ga4Ui } from './ui.js';

/**
 * Checks and reads the key file: what `prepare()` does at config load, and `create()` when it was
 * skipped. Without credentialsFile there is nothing to read: Application Default Credentials are
 * looked for at the first collection.
 */
export function prepareGa4Config(config: Ga4Config, context: ConfigContext): Ga4Config {
  if (config.credentialsFile === undefined) return config;
  const credentialsFile = resolveCredentialsPath(config.credentialsFile, context);
  const prepared: Ga4Config = { ...config, credentialsFile };
  // Not enumerable: the effective config printed by check-config lists the user's keys only.
  Object.defineProperty(prepared, 'serviceAccount', { value: readServiceAccountKey(credentialsFile), enumerable: false });
  return prepared;
}

export const ga4Source: SourceModule<Ga4Config> = {
  id: 'ga4',
  title: 'Google Analytics 4',
  configSchema: ga4ConfigSchema,
  metrics: ga4Metrics,
  ui: ga4Ui,
  secrets: (config) => config.serviceAccount?.secretValues() ?? [],
  keyFile: {
    key: 'credentialsFile',
    fileName: 'ga4-service-account.json',
    check: (text, file) => {
      const key = parseUploadedServiceAccountKey(text, file);
      return { secrets: key.secretValues(), account: key.clientEmail };
    },
  },
  // The self-signed JWT goes to the Data API; the key file's token_uri is where its key may be used.
  // Application Default Credentials are not in the config: their tokens go where Google's library sends them.
  destinations: (config) => [
    { key: 'apiUrl', url: config.apiUrl },
    ...(config.serviceAccount ? [{ key: 'credentialsFile', url: config.serviceAccount.tokenUri }] : []),
  ],
  prepare: prepareGa4Config,
  create: (config) => deferredSource(
    { id: 'ga4', intervalMs: config.interval, timeoutMs: config.timeout, backfill: true },
    async () => (await import('./index.js')).createGa4Source(config),
  ),
};
