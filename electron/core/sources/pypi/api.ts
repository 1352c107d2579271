// Talking to pypistats.org (test/fixtures/api/README.md §4; pypistats.org/api): the shared HTTP
// client with pypistats' patience, one request at a time, and the API's words from an error reply.
import type { CollectContext } from '../../source.js';
import { DEFAULT_HTTP_TUNING, HttpClient } from '../common/http-client.js';
import type { HttpTuning } from '../common/http-client.js';
import { oneLine } from '../common/one-line.js';

/** Names the API in messages. */
export const PYPI_API = 'pypistats.org';

export interface PypiTuning extends HttpTuning {
  /** The pause between two requests: pypistats limits requests per IP. */
  readonly spacingMs: number;
}

export const productionTuning: PypiTuning = { ...DEFAULT_HTTP_TUNING, maxRateLimitWaitMs: 60_000, spacingMs: 1_000 };

/** The client for one run (or backfill step): one request in flight at a time. */
export function pypiHttp(ctx: CollectContext, signal: AbortSignal, tuning: PypiTuning): HttpClient {
  return new HttpClient({ api: PYPI_API, signal, log: ctx.log, countRequest: ctx.countRequest, tuning, concurrency: 1, headers: { accept: 'application/json' } });
}

/** The API's own words: pypistats answers errors as plain text or HTML. */
export function apiMessageOf(body: string): string {
  return oneLine(body) || '(empty body)';
}

/** pypistats answers an unknown package with a bare "404"; any other 404 page is another server. */
export function isUnknownPackage(status: number, body: string): boolean {
  return status === 404 && /^\s*404\b/.test(body) && body.trim().length < 100;
}

/** What a reply that is not 200 means, for a package. */
export function failureOf(status: number, body: string, name: string, apiUrl: string, what: string): string {
  if (status === 404) {
    return isUnknownPackage(status, body)
      ? `pypistats.org does not know the package '${name}' (404) — check pypi.packages (a new package shows there a day after its first downloads)`
      : `${apiUrl} answered 404 (${apiMessageOf(body)}) instead of download counts — check pypi.apiUrl`;
  }
  const hint = status >= 500 ? ' — pypistats.org is having trouble; trying again later' : '';
  return `pypistats.org answered ${status} to ${what}: ${apiMessageOf(body)}${hint}`;
}
