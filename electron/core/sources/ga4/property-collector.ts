// One property's collection: daily totals, top pages and realtime users, then quota; a failure
// becomes that property's outcome (its samples so far kept), except the ones that end the whole
// collection (credentials refused, a stop), which are thrown.
import type { Sample } from '../../../../shared/metrics.js';
import type { DataApiClient } from './data-api.js';
import { apiFailureMessage, GoogleApiError, GoogleAuthError, GoogleUnreachableError, MalformedResponseError } from './errors.js';
import type { PropertyFailureContext } from './errors.js';
import { isAbortError } from './http.js';
import { ApiDownError } from '../common/outage-guard.js';
import type { CallContext } from './http.js';
import { dailySamples, quotaSamples, realtimeSamples, topPageSamples } from './metrics.js';
import { quotaRetryAt } from './quota-reset.js';
import { dailyReportRequest, readDailyReport, readRealtimeActiveUsers, readTopPages, realtimeRequest, topPagesRequest } from './reports.js';
import type { QuotaRemaining } from './reports.js';

export type PropertyOutcome =
  /** `problem`: what was left out of an otherwise complete collection (unreadable top-page rows). */
  | { readonly kind: 'ok'; readonly propertyId: string; readonly samples: Sample[]; readonly problem?: string }
  | { readonly kind: 'failed' | 'unreachable'; readonly propertyId: string; readonly samples: Sample[]; readonly message: string }
  | { readonly kind: 'rate-limited'; readonly propertyId: string; readonly samples: Sample[]; readonly message: string; readonly retryAt: number };

export interface PropertyCollectorDeps {
  readonly client: DataApiClient;
  readonly ctx: CallContext;
  readonly now: () => number;
  readonly failureContext: (propertyId: string) => PropertyFailureContext;
}

export function rateLimitedMessage(propertyId: string, apiMessage: string, retryAt: number): string {
  return `the GA4 quota of property ${propertyId} is exhausted (${apiMessage}); collecting it again after ${new Date(retryAt).toISOString()}`;
}

export async function collectProperty(propertyId: string, deps: PropertyCollectorDeps): Promise<PropertyOutcome> {
  const { client, ctx } = deps;
  const samples: Sample[] = [];
  let quota: QuotaRemaining | null = null;
  try {
    const daily = readDailyReport(await client.call(propertyId, 'runReport', dailyReportRequest(), ctx), propertyId);
    samples.push(...dailySamples(propertyId, daily.totals));
    quota = daily.quota;
    const top = readTopPages(await client.call(propertyId, 'runReport', topPagesRequest(), ctx), propertyId);
    samples.push(...topPageSamples(propertyId, top.pages));
    const skipped = top.skipped.length === 0 ? null : `${top.skipped.length === 1 ? '1 top page was' : `${top.skipped.length} top pages were`} left out (${top.skipped[0]}${top.skipped.length > 1 ? '; …' : ''}); the other pages and figures are reported`;
    // The later reply has the fresher quota.
    quota = top.quota;
    const realtime = readRealtimeActiveUsers(await client.call(propertyId, 'runRealtimeReport', realtimeRequest(), ctx), propertyId);
    samples.push(...realtimeSamples(propertyId, realtime));
    samples.push(...quotaSamples(propertyId, quota));
    return skipped === null ? { kind: 'ok', propertyId, samples } : { kind: 'ok', propertyId, samples, problem: skipped };
  } catch (error) {
    if (error instanceof GoogleAuthError || isAbortError(error) || ctx.signal.aborted) throw error;
    if (quota !== null) samples.push(...quotaSamples(propertyId, quota));
    if (error instanceof GoogleApiError && error.status === 429) {
      const retryAt = quotaRetryAt(error.apiMessage, deps.now());
      return { kind: 'rate-limited', propertyId, samples, retryAt, message: rateLimitedMessage(propertyId, error.apiMessage, retryAt) };
    }
    if (error instanceof GoogleApiError) return { kind: 'failed', propertyId, samples, message: apiFailureMessage(error, deps.failureContext(propertyId)) };
    if (error instanceof MalformedResponseError) return { kind: 'failed', propertyId, samples, message: `Google's reply cannot be read: ${error.message}` };
    if (error instanceof GoogleUnreachableError || error instanceof ApiDownError) return { kind: 'unreachable', propertyId, samples, message: error.message };
    throw error;
  }
}
