// The Google Analytics 4 source: per property, daily totals, top pages, realtime users and the
// remaining quota from the GA4 Data API (v1beta), authenticated with a service account's key file or
// Application Default Credentials (credentials.ts).
import os from 'node:os';
import type { Sample } from '../../../../shared/metrics.js';
import { mapWithConcurrency } from '../common/concurrency.js';
import { RateLimitedError, TargetsFailedError } from '../../source.js';
import type { CollectContext, CollectResult, Source } from '../../source.js';
import { createGa4Backfiller } from './backfill.js';
import type { Ga4Config } from './config.js';
import { createCredentials } from './credentials.js';
import { DataApiClient } from './data-api.js';
import { callContext, productionTuning } from './http.js';
import type { HttpTuning } from '../common/http-client.js';
import { collectProperty } from './property-collector.js';
import type { PropertyOutcome } from './property-collector.js';
import { withCollectionSignal } from '../common/collection-signal.js';
import { prepareGa4Config } from './module.js';

export type { Ga4Config, Ga4Settings } from './config.js';
export { ga4Source, prepareGa4Config } from './module.js';
export { ga4ConfigSchema } from './config.js';
export type { HttpTuning } from '../common/http-client.js';
export { ga4Metrics } from './metrics.js';
export { nextPacificMidnight, quotaRetryAt } from './quota-reset.js';
export { ServiceAccountKey } from './service-account.js';

/** Lower-level knobs, for tests; `ga4Source.create` uses the production defaults. */
export interface Ga4SourceOptions extends Partial<HttpTuning> {
  /** The clock for quota waits (epoch ms); credentials follow the system clock. */
  readonly now?: () => number;
  /** Properties collected at once (each sends its three reports one after another). Default 4. */
  readonly concurrency?: number;
}

const DEFAULT_CONCURRENCY = 4;

function prepared(config: Ga4Config): Ga4Config {
  if (config.credentialsFile === undefined || config.serviceAccount) return config;
  return prepareGa4Config(config, { configDir: process.cwd(), homedir: os.homedir() });
}

/** When every property failed the same way the source as a whole is down: one error for the scheduler. */
function wholeSourceError(outcomes: readonly PropertyOutcome[], apiUrl: string): Error | null {
  if (outcomes.length === 0 || outcomes.some((outcome) => outcome.kind === 'ok' || outcome.samples.length > 0)) return null;
  const limited = outcomes.filter((outcome) => outcome.kind === 'rate-limited');
  if (limited.length === outcomes.length) {
    const retryAt = Math.min(...limited.map((outcome) => outcome.retryAt));
    const detail = limited.length === 1 ? limited[0]!.message : `every GA4 property's quota is exhausted; collecting again after ${new Date(retryAt).toISOString()}`;
    return new RateLimitedError(detail, retryAt);
  }
  const first = outcomes[0]!;
  if (first.kind === 'unreachable' && outcomes.every((outcome) => outcome.kind === 'unreachable')) {
    const errors = outcomes.map((outcome) => ({ target: `property:${outcome.propertyId}`, message: (outcome as { message: string }).message }));
    return new TargetsFailedError(`the Google Analytics Data API could not be used: ${first.message} — check ga4.apiUrl (${apiUrl}) and the network`, errors);
  }
  return null;
}

export function createGa4Source(config: Ga4Config, options: Ga4SourceOptions = {}): Source {
  const { now = Date.now, concurrency = DEFAULT_CONCURRENCY, ...tuningOverrides } = options;
  const tuning: HttpTuning = {
    ...productionTuning,
    requestTimeoutMs: config.timeout,
    ...Object.fromEntries(Object.entries(tuningOverrides).filter(([, value]) => value !== undefined)),
  };
  const credentials = createCredentials(prepared(config).serviceAccount, config.apiUrl);
  const client = new DataApiClient(config.apiUrl, credentials);
  /** Properties whose quota ran out: not asked again before their quota returns. */
  const quietUntil = new Map<string, { retryAt: number; message: string }>();
  const failureContext = (propertyId: string) => ({ propertyId, ...credentials.identity() });

  async function collect(ctx: CollectContext): Promise<CollectResult> {
    return withCollectionSignal(ctx.signal, async (controller) => {
      const calls = callContext(ctx, controller.signal, tuning);
      const outcomes = await mapWithConcurrency(config.properties, concurrency, async (propertyId): Promise<PropertyOutcome> => {
        const quiet = quietUntil.get(propertyId);
        if (quiet && now() < quiet.retryAt) return { kind: 'rate-limited', propertyId, samples: [], ...quiet };
        quietUntil.delete(propertyId);
        const outcome = await collectProperty(propertyId, { client, ctx: calls, now, failureContext });
        if (outcome.kind === 'rate-limited') quietUntil.set(propertyId, { retryAt: outcome.retryAt, message: outcome.message });
        return outcome;
      });
      const fatal = wholeSourceError(outcomes, config.apiUrl);
      if (fatal) throw fatal;
      const samples: Sample[] = outcomes.flatMap((outcome) => outcome.samples);
      const errors = outcomes.flatMap((outcome) => {
        const message = outcome.kind === 'ok' ? outcome.problem : outcome.message;
        return message === undefined ? [] : [{ target: `property:${outcome.propertyId}`, message }];
      });
      const collected = outcomes.filter((outcome) => outcome.kind === 'ok' || outcome.samples.length > 0).length;
      return { samples, errors, collected };
    });
  }

  return { id: 'ga4', intervalMs: config.interval, timeoutMs: tuning.requestTimeoutMs, collect, backfill: createGa4Backfiller({ client, config, now, failureContext, tuning }) };
}
