// Talking to the npm downloads API (test/fixtures/api/README.md §4; npm/registry docs/download-counts.md):
// the shared HTTP client with npm's patience, and the API's own words from an error reply.
import type { CollectContext } from '../../source.js';
import { DEFAULT_HTTP_TUNING, HttpClient } from '../common/http-client.js';
import type { HttpTuning } from '../common/http-client.js';
import { oneLine } from '../common/one-line.js';

/** Names the API in messages. */
export const NPM_API = 'the npm downloads API';

/** The API's limit on names in one bulk request. */
export const MAX_BULK_PACKAGES = 128;

/** How long to wait and how often to retry in-process, and how many requests at once; tests shrink the waits. */
export interface NpmTuning extends HttpTuning {
  /** Requests in flight at once. */
  readonly concurrency: number;
}

export const productionTuning: NpmTuning = { ...DEFAULT_HTTP_TUNING, maxRateLimitWaitMs: 30_000, concurrency: 4 };

/** The client for one run (or backfill step): `signal` is that run's own, `now` the clock of rate-limit times. */
export function npmHttp(ctx: CollectContext, signal: AbortSignal, tuning: NpmTuning, now?: () => number): HttpClient {
  return new HttpClient({ api: NPM_API, signal, log: ctx.log, countRequest: ctx.countRequest, tuning, now, headers: { accept: 'application/json' } });
}

/** The API's own words: `{"error":"…"}`, else the body as text. */
export function apiMessageOf(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { error?: unknown }).error === 'string') {
      return oneLine((parsed as { error: string }).error);
    }
  } catch {
    // Not JSON: the text itself is the best description.
  }
  return oneLine(body) || '(empty body)';
}

/** npm's 404 for an unknown package is `{"error":"package X not found"}`; any other 404 means the URL is not the downloads API. */
export function isUnknownPackage(status: number, body: string): boolean {
  return status === 404 && /not found/i.test(apiMessageOf(body)) && /^\s*\{/.test(body);
}
