// The user-defined JSON sources (`http:`): any JSON API, its numbers picked out by JMESPath
// expressions. The metric catalogue is the configuration's: `catalogue()` lists it for the exporter,
// the store and the UI; header values are secrets sent only to their entry's url.
import type { MetricDef } from '../../../../shared/metrics.js';
import type { ConfiguredMetric, Source, SourceModule } from '../../source.js';
import { headerSecrets, HttpEntries, productionTuning } from './collect.js';
import type { HttpSourceTuning } from './collect.js';
import { ENDPOINT_LABEL, httpConfigSchema } from './config.js';
import type { HttpConfig } from './config.js';
import { httpUi, httpUiFor } from './ui.js';

export { DEFAULT_INTERVAL_MS, ENDPOINT_LABEL, httpConfigSchema } from './config.js';
export type { HttpConfig, HttpEntry } from './config.js';

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

export type HttpSourceOptions = Partial<HttpSourceTuning> & { readonly now?: () => number };

export function createHttpSource(config: HttpConfig, options: HttpSourceOptions = {}): Source {
  const { now, ...knobs } = options;
  const overrides = Object.fromEntries(Object.entries(knobs).filter(([, value]) => value !== undefined));
  const entries = new HttpEntries(config, { ...productionTuning, ...overrides }, now);
  return {
    id: 'http',
    intervalMs: entries.intervalMs,
    timeoutMs: entries.timeoutMs,
    collect: (ctx) => entries.collect(ctx),
  };
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
  create: (config) => createHttpSource(config),
};
