// One POST to Google with what every call needs: the collection's abort signal, a timeout, each
// reply counted, and retries with backoff when no reply came or the server failed (5xx) — but not
// after a timeout, nor once the run's OutageGuard says Google is down.
import type { Logger } from 'pino';
import { GoogleUnreachableError, oneLine } from './errors.js';
import { formatSeconds } from '../../duration.js';
import type { OutageGuard } from '../common/outage-guard.js';
import { attemptSignal, RequestTimeoutError } from '../common/request-timeout.js';

/** How long to wait and how often to retry in-process; tests shrink the waits. */
export interface HttpTuning {
  /** Backoff after a failed attempt: retry n waits 2^(n-1) × this. */
  readonly retryDelayMs: number;
  /** Retries of one request after a network error or a 5xx. */
  readonly maxRetries: number;
  /** An attempt that takes longer is abandoned, and not retried (default: ga4.timeout). */
  readonly requestTimeoutMs: number;
}

export const productionTuning: HttpTuning = { retryDelayMs: 1_000, maxRetries: 2, requestTimeoutMs: 20_000 };

export interface CallContext {
  readonly signal: AbortSignal;
  readonly log: Logger;
  readonly countRequest: (status: number | 'error') => void;
  /** The run's view of whether Google is down: no retries, and no new requests, once it is. */
  readonly guard: OutageGuard;
}

export interface HttpReply {
  readonly status: number;
  readonly text: string;
}

export interface PostRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** What the request is for, in log lines and messages ("runReport for property 123"). */
  readonly what: string;
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/** Waits `ms`, ending early (rejecting) when the signal aborts. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason instanceof Error ? signal.reason : new DOMException('stopped', 'AbortError'));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason instanceof Error ? signal.reason : new DOMException('stopped', 'AbortError'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function causeOf(error: unknown): string {
  if (error instanceof RequestTimeoutError) return `no answer within ${formatSeconds(error.timeoutMs)}`;
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return oneLine(cause.message);
  return error instanceof Error ? oneLine(error.message) : String(error);
}

/** One attempt; counts the reply (or 'error' when none came, unless the collection stopped). */
async function attempt(request: PostRequest, ctx: CallContext, tuning: HttpTuning): Promise<HttpReply> {
  const attemptTimer = attemptSignal(ctx.signal, tuning.requestTimeoutMs);
  let counted = false;
  try {
    const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body, signal: attemptTimer.signal });
    ctx.countRequest(response.status);
    counted = true;
    return { status: response.status, text: await response.text() };
  } catch (error) {
    if (!ctx.signal.aborted && !counted) ctx.countRequest('error');
    if (attemptTimer.timedOut()) throw new RequestTimeoutError(new URL(request.url).origin, tuning.requestTimeoutMs);
    throw error;
  }
}

/**
 * Sends the request until a reply that is not a 5xx arrives or the retries run out; returns the
 * last reply (maybe a 5xx). Throws GoogleUnreachableError when no attempt got a reply, ApiDownError
 * when the guard stopped it before it was sent, and the abort error when the collection stops.
 */
export async function postWithRetries(request: PostRequest, ctx: CallContext, tuning: HttpTuning): Promise<HttpReply> {
  const origin = new URL(request.url).origin;
  const giveUp = (reply: HttpReply | null, failure: unknown, attempts: number): HttpReply => {
    if (reply !== null) return reply;
    throw new GoogleUnreachableError(`could not reach ${origin} for ${request.what} (${causeOf(failure)}) after ${attempts} attempts`);
  };
  let previous: { reply: HttpReply | null; failure: unknown } | null = null;
  for (let retry = 0; ; retry++) {
    ctx.signal.throwIfAborted();
    // A retry the guard stops (Google went down during the wait): the previous failure stands.
    if (previous !== null && ctx.guard.down) return giveUp(previous.reply, previous.failure, retry);
    ctx.guard.check();
    const mark = ctx.guard.mark();
    let reply: HttpReply | null = null;
    let failure: unknown = null;
    try {
      reply = await attempt(request, ctx, tuning);
    } catch (error) {
      if (ctx.signal.aborted) throw ctx.signal.reason instanceof Error ? ctx.signal.reason : error;
      failure = error;
    }
    const serverError = reply !== null && reply.status >= 500;
    if (reply !== null && !serverError) {
      ctx.guard.answered();
      return reply;
    }
    if (failure instanceof RequestTimeoutError) ctx.guard.timedOut(mark, causeOf(failure));
    else ctx.guard.failed(reply !== null ? `${reply.status}` : causeOf(failure));
    if (failure instanceof RequestTimeoutError) {
      throw new GoogleUnreachableError(`${origin} did not answer ${request.what} within ${formatSeconds(failure.timeoutMs)}`);
    }
    if (retry >= tuning.maxRetries || ctx.guard.down) return giveUp(reply, failure, retry + 1);
    const waitMs = tuning.retryDelayMs * 2 ** retry;
    ctx.log.warn(
      { request: request.what, status: reply?.status ?? 'error', problem: reply === null ? causeOf(failure) : undefined, attempt: retry + 1, retryInMs: waitMs },
      'Google request failed; retrying',
    );
    await abortableSleep(waitMs, ctx.signal);
    previous = { reply, failure };
  }
}
