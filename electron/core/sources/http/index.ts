// The user-defined JSON sources (`http:`): any JSON API, its numbers picked out by JMESPath
// expressions. The metric catalogue is the configuration's: `catalogue()` lists it for the exporter,
// the store and the UI; header values are secrets sent only to their entry's url.
import type { Source } from '../../source.js';
import { HttpEntries, productionTuning } from './collect.js';
import type { HttpSourceTuning } from './collect.js';
import type { HttpConfig } from './config.js';

export { DEFAULT_INTERVAL_MS, ENDPOINT_LABEL, httpConfigSchema } from './config.js';
export type { HttpConfig, HttpEntry } from './config.js';

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

export { httpCatalogue, httpSecrets, httpSource } from './module.js';
