// The user-defined JSON sources (`http:`) as the registry lists them: their schema (expressions
// compiled at load), the metric catalogue the configuration defines, the Settings form, and the
// header secrets, each sent only to its entry's url. Collecting loads at the first run (index.ts).
import type { MetricDef } from '../../../../shared/metrics.js';
import type { ConfiguredMetric, SourceModule } from '../../source.js';
import { deferredSource } from '../common/deferred-source.js';
import { ENDPOINT_LABEL, entriesInterval, entriesTimeout, headerSecrets, httpConfigSchema } from './config.js';
import type { HttpConfig } from './config.js';
import { httpUi, httpUiFor } from './ui.js';

/** The metrics the configuration defines, each with the key that defines it (for messages). */
export function httpCatalogue(config: HttpConfig): ConfiguredMetric[] {
  return config.flatMap((entry, index) => entry.metrics.map((metric, position): ConfiguredMetric => {
    const def: MetricDef = {
      name: metric.name,
      help: metric.help ?? `${metric.value} in the answer of ${entry.url} (http source '${entry.name}').`,
      type: metric.type,
      labels: [...Object.keys(metric.labels), ENDPOINT_LABEL],
    };
    return { key: `[${index}].metrics[${position}].name`, def };
  }));
}

/** Every entry's header values (and the credentials in them), so none shows anywhere. */
export function httpSecrets(config: HttpConfig): string[] {
  return config.flatMap(headerSecrets);
}

export const httpSource: SourceModule<HttpConfig> = {
  id: 'http',
  title: 'JSON APIs',
  configSchema: httpConfigSchema,
  // Nothing built in: every metric is one the user defines (catalogue()).
  metrics: [],
  catalogue: httpCatalogue,
  ui: httpUi,
  uiFor: httpUiFor,
  secrets: httpSecrets,
  secretKey: (config, secret) => {
    for (const [index, entry] of config.entries()) {
      for (const [name, value] of Object.entries(entry.headers)) if (value.includes(secret)) return `[${index}].headers.${name}`;
    }
    return undefined;
  },
  // Each entry's headers go to its url alone.
  destinations: (config) => config.filter((entry) => Object.keys(entry.headers).length > 0).map((entry) => ({ key: `[${config.indexOf(entry)}].url`, url: entry.url })),
  create: (config) => deferredSource(
    { id: 'http', intervalMs: entriesInterval(config), timeoutMs: entriesTimeout(config), backfill: false },
    async () => (await import('./index.js')).createHttpSource(config),
  ),
};
