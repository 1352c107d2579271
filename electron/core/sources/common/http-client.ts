// The one HTTP client every source but GitHub (which keeps Octokit) talks through. Per request:
// - the run's signal (stop or run deadline) plus the source's `timeout` for each attempt; a timed-out
//   attempt is not retried (a hung API would only make the run wait again);
// - every answer counted (or 'error' when none came) through the run's counter;
// - retries after a 5xx or a network error with one backoff policy (backoff.ts), none once the run's
//   OutageGuard says the API is down, and no new request then either;
// - 429s: the wait the headers name (Retry-After, X-Retry-After, X-RateLimit-Reset) is shared by every
//   request of the client and taken once in-process when short enough; a longer one is an HttpError
//   with its retryAt, which the source turns into RateLimitedError;
// - one error shape, HttpError, which each source maps to its own plain words.
// Connections go through the proxy that HTTPS_PROXY / HTTP_PROXY / NO_PROXY name (proxy.ts), unless
// a `dispatcher` (an undici Dispatcher) is given, which is passed to fetch as is.
import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import { formatSeconds } from '../../../../shared/duration.js';
import { redactSecret } from '../../secrets.js';
import { backoffDelay } from './backoff.js';
import { Slots } from './concurrency.js';
import { oneLine } from './one-line.js';
import { OutageGuard } from './outage-guard.js';
import { environmentProxy } from './proxy.js';
import { attemptSignal } from './request-timeout.js';
import { FALLBACK_RATE_LIMIT_WAIT_MS, retryAtFromHeaders } from './retry-at.js';
import { sleep } from './sleep.js';

/** How long to wait and how often to retry in-process; tests shrink the waits. */
export interface HttpTuning {
  /** An attempt that takes longer is abandoned, and not retried (the source's `timeout`). */
  readonly requestTimeoutMs: number;
  /** Retries of one request after a 5xx or a network error. */
  readonly maxRetries: number;
  /** The backoff's base: retry n waits backoffDelay(n, retryDelayMs). */
  readonly retryDelayMs: number;
  /** The longest 429 wait taken in-process (once per request); a longer one is an HttpError with retryAt. */
  readonly maxRateLimitWaitMs: number;
  /** Milliseconds waited per second of a relative Retry-After (1000; tests shrink it). */
  readonly retryAfterUnitMs: number;
}

export const DEFAULT_HTTP_TUNING: HttpTuning = {
  requestTimeoutMs: 20_000,
  maxRetries: 2,
  retryDelayMs: 1_000,
  maxRateLimitWaitMs: 60_000,
  retryAfterUnitMs: 1_000,
};

export interface HttpClientOptions {
  /** Names the API in messages and log lines: "Docker Hub", "the npm downloads API". */
  readonly api: string;
  /** The run's signal: aborts every attempt and wait when the run is stopped or reaches its deadline. */
  readonly signal: AbortSignal;
  readonly log: Logger;
  /** The run's request counter (CollectContext.countRequest). */
  readonly countRequest: (status: number | 'error') => void;
  readonly tuning: HttpTuning;
  /** Requests in flight at once (a slot is held per attempt, not during waits); unbounded when not given. */
  readonly concurrency?: number;
  /** 'wait' (default): 429s as described above; 'return': 429 answers go back to the caller as they are. */
  readonly rateLimits?: 'wait' | 'return';
  /** Kept out of every log line and error message. */
  readonly secrets?: readonly string[];
  /** Passed to fetch: how connections are made; default: the environment's proxy (proxy.ts), if any. */
  readonly dispatcher?: Dispatcher;
  /** The clock a rate limit's retryAt is reckoned on (epoch ms); Date.now by default. */
  readonly now?: () => number;
  /** Sent with every request unless the request sets them. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface HttpRequest {
  readonly method?: 'GET' | 'POST';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** What the request is for, in log lines ("runReport for property 123"); its path when not given. */
  readonly what?: string;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** A request that ended without a usable answer: no answer (after retries), or a rate limit too long to wait. */
export class HttpError extends Error {
  /** The last answer's status; null when no answer came. */
  readonly status: number | null;
  /** For a rate limit: epoch ms of the next allowed request. */
  readonly retryAt: number | null;
  /** True when the last attempt got no answer within the timeout. */
  readonly timedOut: boolean;
  /** Why, in a word or a few: "ECONNREFUSED", "no answer within 20 s", "429". */
  readonly problem: string;
  /** fetch's own words with the cause's code ("fetch failed: ECONNREFUSED"), for no answer; else the problem. */
  readonly reason: string;
  /** Attempts made. */
  readonly attempts: number;
  constructor(message: string, fields: Pick<HttpError, 'status' | 'retryAt' | 'timedOut' | 'problem' | 'reason' | 'attempts'>) {
    super(message);
    this.name = 'HttpError';
    ({ status: this.status, retryAt: this.retryAt, timedOut: this.timedOut, problem: this.problem, reason: this.reason, attempts: this.attempts } = fields);
  }
}

type Attempt = { readonly answer: HttpAnswer } | { readonly failure: { readonly problem: string; readonly reason: string; readonly timedOut: boolean } };

function redactAll(text: string, secrets: readonly string[]): string {
  return secrets.reduce((redacted, secret) => redactSecret(redacted, secret), text);
}

export class HttpClient {
  readonly #options: HttpClientOptions;
  readonly #guard: OutageGuard;
  readonly #slots: Slots;
  /** Epoch ms before which no request starts: set by a 429, so one wait holds back every request. */
  #notBefore = 0;

  constructor(options: HttpClientOptions) {
    this.#options = options;
    // One client per run, so its guard is the run's view of whether the API is down.
    this.#guard = new OutageGuard(options.api);
    this.#slots = new Slots(options.concurrency ?? Number.POSITIVE_INFINITY);
  }

  /**
   * Sends the request until an answer that is not a 5xx (nor a 429 it may wait for) arrives, or the
   * retries run out; returns the last answer (maybe a 5xx). Throws HttpError when no attempt got an
   * answer or a rate limit is too long to wait, ApiDownError when the guard stopped the request before
   * it was sent, and the run signal's reason when the run stops.
   */
  async send(request: HttpRequest): Promise<HttpAnswer> {
    const { tuning, log, signal, api } = this.#options;
    const what = request.what ?? `${request.method ?? 'GET'} ${this.#redact(new URL(request.url).pathname)}`;
    let retries = 0;
    let waitedForLimit = false;
    /** The previous attempt, which stands when the guard stops a retry. */
    let previous: Attempt | null = null;
    for (;;) {
      await this.#untilAllowed();
      const attempt = await this.#slots.run(async () => {
        // Checked once a slot is free, and each outcome told to the guard before the slot is, so
        // requests queued behind a failing batch learn of the outage too.
        if (previous !== null && this.#guard.down) return null;
        this.#guard.check();
        const mark = this.#guard.mark();
        const outcome = await this.#attempt(request);
        if ('failure' in outcome) {
          if (outcome.failure.timedOut) this.#guard.timedOut(mark, outcome.failure.problem);
          else this.#guard.failed(outcome.failure.problem);
        } else if (outcome.answer.status >= 500) this.#guard.failed(`${outcome.answer.status}`);
        else this.#guard.answered();
        return outcome;
      });
      // A retry the guard stopped (the API went down during the wait): the previous attempt stands.
      if (attempt === null) return this.#settle(previous!, retries);

      if ('answer' in attempt && attempt.answer.status === 429 && this.#options.rateLimits !== 'return') {
        const now = (this.#options.now ?? Date.now)();
        const headerTime = retryAtFromHeaders(attempt.answer.headers, now);
        const retryAt = headerTime?.time ?? now + FALLBACK_RATE_LIMIT_WAIT_MS;
        const retrying = !waitedForLimit && retryAt - now <= tuning.maxRateLimitWaitMs;
        log.warn({ request: what, waitMs: retryAt - now, retrying }, `${api} rate limit`);
        if (!retrying) {
          throw new HttpError(`${api} rate limit reached; asking again after ${new Date(retryAt).toISOString()}`, {
            status: 429, retryAt, timedOut: false, problem: '429', reason: '429', attempts: retries + 1,
          });
        }
        // A relative wait is scaled by retryAfterUnitMs (tests shrink it); an absolute time is kept.
        const waitMs = headerTime && headerTime.afterSeconds !== null ? headerTime.afterSeconds * tuning.retryAfterUnitMs : retryAt - now;
        this.#notBefore = Math.max(this.#notBefore, Date.now() + waitMs);
        waitedForLimit = true;
        continue;
      }
      const retryable = 'failure' in attempt ? !attempt.failure.timedOut : attempt.answer.status >= 500;
      if (!retryable || retries >= tuning.maxRetries || this.#guard.down) return this.#settle(attempt, retries + 1);
      retries++;
      const waitMs = backoffDelay(retries, tuning.retryDelayMs);
      const status = 'answer' in attempt ? attempt.answer.status : 'error';
      const problem = 'failure' in attempt ? attempt.failure.problem : undefined;
      log.warn({ request: what, status, problem, attempt: retries, retryInMs: waitMs }, `${api} request failed; retrying`);
      await sleep(waitMs, signal);
      previous = attempt;
    }
  }

  #settle(attempt: Attempt, attempts: number): HttpAnswer {
    if ('answer' in attempt) return attempt.answer;
    const { problem, reason, timedOut } = attempt.failure;
    const message = timedOut ? `${this.#options.api} did not answer within ${formatSeconds(this.#options.tuning.requestTimeoutMs)}` : `could not reach ${this.#options.api} (${problem})`;
    throw new HttpError(message, { status: null, retryAt: null, timedOut, problem, reason, attempts });
  }

  async #untilAllowed(): Promise<void> {
    const { signal } = this.#options;
    const wait = this.#notBefore - Date.now();
    if (wait > 0) await sleep(wait, signal);
    signal.throwIfAborted();
  }

  #redact(text: string): string {
    return redactAll(text, this.#options.secrets ?? []);
  }

  /** One attempt and its whole body; no answer is returned as a failure, a stop of the run thrown. */
  async #attempt(request: HttpRequest): Promise<Attempt> {
    const { signal, tuning, countRequest, dispatcher } = this.#options;
    const timer = attemptSignal(signal, tuning.requestTimeoutMs);
    let counted = false;
    try {
      const init: RequestInit & { dispatcher?: Dispatcher } = {
        method: request.method ?? 'GET',
        headers: { 'user-agent': 'footprint', ...this.#options.headers, ...request.headers },
        body: request.body,
        signal: timer.signal,
      };
      const via = dispatcher ?? (await environmentProxy());
      if (via) init.dispatcher = via;
      const response = await fetch(request.url, init);
      countRequest(response.status);
      counted = true;
      return { answer: { status: response.status, headers: response.headers, text: await response.text() } };
    } catch (error) {
      signal.throwIfAborted();
      if (!counted) countRequest('error');
      if (timer.timedOut()) {
        const problem = `no answer within ${formatSeconds(tuning.requestTimeoutMs)}`;
        return { failure: { problem, reason: `${this.#options.api} did not answer within ${formatSeconds(tuning.requestTimeoutMs)}`, timedOut: true } };
      }
      const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
      const code = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? oneLine(cause.message) : undefined;
      const message = error instanceof Error ? error.message : String(error);
      return {
        failure: {
          problem: this.#redact(code ?? oneLine(message)),
          reason: this.#redact([message, code].filter(Boolean).join(': ')),
          timedOut: false,
        },
      };
    }
  }
}
