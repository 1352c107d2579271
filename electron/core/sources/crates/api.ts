// Talking to the crates.io API (test/fixtures/api/README.md §4; crates.io/data-access): the shared
// HTTP client with a User-Agent naming Footprint and where to reach it (crates.io refuses requests
// without one), one request at a time, and the API's words from an error reply.
import type { CollectContext } from '../../source.js';
import { footprintUserAgent } from '../common/user-agent.js';
import { DEFAULT_HTTP_TUNING, HttpClient } from '../common/http-client.js';
import type { HttpTuning } from '../common/http-client.js';
import { oneLine } from '../common/one-line.js';

/** Names the API in messages. */
export const CRATES_API = 'the crates.io API';

/** Who is asking, as crates.io's crawler policy wants it: the application, its version and a contact. */
export function cratesUserAgent(): string {
  return footprintUserAgent();
}

export interface CratesTuning extends HttpTuning {
  /** The pause between two requests: crates.io asks for at most one a second. */
  readonly spacingMs: number;
}

export const productionTuning: CratesTuning = { ...DEFAULT_HTTP_TUNING, maxRateLimitWaitMs: 60_000, spacingMs: 1_000 };

/** The client for one run (or backfill step): one request in flight at a time. */
export function cratesHttp(ctx: CollectContext, signal: AbortSignal, tuning: CratesTuning): HttpClient {
  return new HttpClient({
    api: CRATES_API, signal, log: ctx.log, countRequest: ctx.countRequest, tuning, concurrency: 1,
    headers: { accept: 'application/json', 'user-agent': cratesUserAgent() },
  });
}

/** crates.io's error body is `{"errors":[{"detail":"…"}]}`; else the body as text. */
export function apiMessageOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { errors?: { detail?: unknown }[] };
    const details = Array.isArray(parsed.errors) ? parsed.errors.map((error) => error?.detail).filter((detail) => typeof detail === 'string') : [];
    if (details.length > 0) return oneLine(details.join('; '));
  } catch {
    // Not JSON: the text itself is the best description.
  }
  return oneLine(body) || '(empty body)';
}

/** What a reply that is not 200 means, for a crate. */
export function failureOf(status: number, body: string, name: string, apiUrl: string, what: string): string {
  if (status === 404) {
    return isUnknownCrate(status, body)
      ? `crates.io does not know the crate '${name}' (404) — check crates.crates`
      : `${apiUrl} answered 404 (${apiMessageOf(body)}) instead of crate data — check crates.apiUrl`;
  }
  const hint = status >= 500 ? ' — crates.io is having trouble; trying again later' : '';
  return `${CRATES_API} answered ${status} to ${what}: ${apiMessageOf(body)}${hint}`;
}

/** crates.io's 404 for an unknown crate is `{"errors":[{"detail":"Not Found"}]}`; any other 404 means the URL is not the API. */
export function isUnknownCrate(status: number, body: string): boolean {
  return status === 404 && /^\s*\{/.test(body) && /not found/i.test(apiMessageOf(body));
}
