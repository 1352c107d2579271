// One POST to Google with what every call needs: the collection's abort signal, a timeout, each
// reply counted, and retries with backoff when no reply came or the server failed (5xx).
import type { Logger } from 'pino';
import { GoogleUnreachableError, oneLine } from './errors.js';

/** How long to wait and how often to retry in-process; tests shrink the waits. */
export interface HttpTuning {
  /** Backoff after a failed attempt: retry n waits 2^(n-1) × this. */
  readonly retryDelayMs: number;
  /** Retries of one request after a network error or a 5xx. */
  readonly maxRetries: number;
  /** An attempt that takes longer is abandoned and retried like a network error. */
  readonly requestTimeoutMs: number;
}

export const productionTuning: HttpTuning = { retryDelayMs: 1_000, maxRetries: 2, requestTimeoutMs: 60_000 };

export interface CallContext {
  readonly signal: AbortSignal;
  readonly log: Logger;
  readonly countRequest: (status: number | 'error') => void;
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
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return oneLine(cause.message);
  return error instanceof Error ? oneLine(error.message) : String(error);
}

/** One attempt; counts the reply (or 'error' when none came, unless the collection stopped). */
async function attempt(request: PostRequest, ctx: CallContext, tuning: HttpTuning): Promise<HttpReply> {
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(tuning.requestTimeoutMs)]),
    });
  } catch (error) {
    if (!ctx.signal.aborted) ctx.countRequest('error');
    throw error;
  }
  ctx.countRequest(response.status);
  return { status: response.status, text: await response.text() };
}

/**
 * Sends the request until a reply that is not a 5xx arrives or the retries run out; returns the
 * last reply (maybe a 5xx). Throws GoogleUnreachableError when no attempt got a reply, and the
 * abort error when the collection stops.
 */
export async function postWithRetries(request: PostRequest, ctx: CallContext, tuning: HttpTuning): Promise<HttpReply> {
  for (let retry = 0; ; retry++) {
    ctx.signal.throwIfAborted();
    let reply: HttpReply | null = null;
    let failure: unknown = null;
    try {
      reply = await attempt(request, ctx, tuning);
    } catch (error) {
      if (ctx.signal.aborted) throw ctx.signal.reason instanceof Error ? ctx.signal.reason : error;
      failure = error;
    }
    const serverError = reply !== null && reply.status >= 500;
    if (reply !== null && !serverError) return reply;
    if (retry >= tuning.maxRetries) {
      if (reply !== null) return reply;
      throw new GoogleUnreachableError(`could not reach ${new URL(request.url).origin} for ${request.what} (${causeOf(failure)}) after ${retry + 1} attempts`);
    }
    const waitMs = tuning.retryDelayMs * 2 ** retry;
    ctx.log.warn(
      { request: request.what, status: reply?.status ?? 'error', problem: reply === null ? causeOf(failure) : undefined, attempt: retry + 1, retryInMs: waitMs },
      'Google request failed; retrying',
    );
    await abortableSleep(waitMs, ctx.signal);
  }
}
