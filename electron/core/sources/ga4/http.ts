// GA4's side of the shared HTTP client (common/http-client.ts): one client per run (or backfill step)
// named "Google", 429s handed back as they are (GA4's quota replies say which quota, which decides
// how long to wait), and no answer in Google's words as GoogleUnreachableError.
import type { Logger } from 'pino';
import type { CollectContext } from '../../source.js';
import { formatSeconds } from '../../../../shared/duration.js';
import { DEFAULT_HTTP_TUNING, HttpClient, HttpError } from '../common/http-client.js';
import type { HttpAnswer, HttpTuning } from '../common/http-client.js';
import { GoogleUnreachableError } from './errors.js';

export const productionTuning: HttpTuning = DEFAULT_HTTP_TUNING;

/** What every call of one run shares: its signal, log and HTTP client (with the run's OutageGuard). */
export interface CallContext {
  readonly signal: AbortSignal;
  readonly log: Logger;
  readonly http: HttpClient;
  readonly tuning: HttpTuning;
}

/** The context of one run (or backfill step): `signal` is that run's own. */
export function callContext(ctx: Pick<CollectContext, 'log' | 'countRequest'>, signal: AbortSignal, tuning: HttpTuning): CallContext {
  const http = new HttpClient({ api: 'Google', signal, log: ctx.log, countRequest: ctx.countRequest, tuning, rateLimits: 'return' });
  return { signal, log: ctx.log, http, tuning };
}

export interface GoogleRequest {
  /** POST unless said. */
  readonly method?: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** What the request is for, in log lines and messages ("runReport for property 123"). */
  readonly what: string;
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/**
 * Sends through the run's client and returns the last reply (maybe a 5xx). Throws
 * GoogleUnreachableError when no attempt got a reply, ApiDownError when the guard stopped it before it
 * was sent, and the abort reason when the collection stops.
 */
export async function send(request: GoogleRequest, ctx: CallContext): Promise<HttpAnswer> {
  const origin = new URL(request.url).origin;
  try {
    return await ctx.http.send({ method: request.method ?? 'POST', url: request.url, headers: request.headers, body: request.body, what: request.what });
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    if (error.timedOut) throw new GoogleUnreachableError(`${origin} did not answer ${request.what} within ${formatSeconds(ctx.tuning.requestTimeoutMs)}`);
    throw new GoogleUnreachableError(`could not reach ${origin} for ${request.what} (${error.problem}) after ${error.attempts} attempts`);
  }
}
