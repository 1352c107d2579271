// Every HTTP exchange with Docker Hub: bounded concurrency, the collection's abort signal, a timeout,
// each response counted, 429 waits shared by all requests (never hammer), 5xx and network retries —
// but none after a timeout, and none (nor any new request) once the run's OutageGuard says Docker Hub is down.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { DockerHubNetworkError } from './errors.js';
import { dockerHubRateLimited, retryAtOf } from './rate-limit.js';
import { redactSecret } from '../../secrets.js';
import { formatSeconds } from '../../duration.js';
import { OutageGuard } from '../common/outage-guard.js';
import { attemptSignal } from '../common/request-timeout.js';

/** How long to wait and how often to retry in-process; tests shrink the waits. */
export interface HttpTuning {
  /** The longest 429 wait taken in-process (then one retry); a longer one ends the collection with RateLimitedError. */
  readonly maxRateLimitWaitMs: number;
  /** Backoff after a 5xx or a network error: retry n waits retryDelayMs × 4^(n-1). */
  readonly retryDelayMs: number;
  /** Retries of one request after a 5xx or a network error. */
  readonly maxRetries: number;
  /** A request that takes longer is abandoned, and not retried (default: dockerhub.timeout). */
  readonly requestTimeoutMs: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
}

export const productionHttpTuning: HttpTuning = {
  maxRateLimitWaitMs: 60_000,
  retryDelayMs: 1_000,
  maxRetries: 2,
  requestTimeoutMs: 20_000,
  concurrency: 4,
};

export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  /** Sent as JSON. */
  readonly json?: unknown;
  readonly bearer?: string;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

export interface HttpOptions {
  readonly tuning: HttpTuning;
  readonly signal: AbortSignal;
  readonly log: Logger;
  readonly countRequest: (status: number | 'error') => void;
  /** Kept out of every log line and error message. */
  readonly secret: string | undefined;
}

/** At most `limit` tasks at once, the rest queued in order. */
class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  constructor(limit: number) {
    this.free = Math.max(1, limit);
  }
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

export class DockerHubHttp {
  private readonly options: HttpOptions;
  private readonly slots: Slots;
  /** Epoch ms before which no request starts: set by a 429, so one "wait" holds back every request. */
  private notBefore = 0;
  private readonly guard = new OutageGuard('Docker Hub');

  constructor(options: HttpOptions) {
    this.options = options;
    this.slots = new Slots(options.tuning.concurrency);
  }

  async send(request: HttpRequest): Promise<HttpAnswer> {
    const { tuning, log, signal } = this.options;
    const where = `${request.method} ${redactSecret(new URL(request.url).pathname, this.options.secret)}`;
    let failures = 0;
    let waitedForLimit = false;
    /** The previous attempt's failure, which stands when the guard stops a retry. */
    let previous: HttpAnswer | { networkError: string; timedOut: boolean } | null = null;
    for (;;) {
      await this.untilAllowed();
      const outcome = await this.slots.run(async () => {
        // Checked once a slot is free, and each outcome counted before the slot is, so requests
        // queued behind a failing batch learn of the outage too.
        if (previous !== null && this.guard.down) return previous;
        this.guard.check();
        const mark = this.guard.mark();
        const answer = await this.exchange(request);
        if ('networkError' in answer && answer.timedOut) this.guard.timedOut(mark, `no answer within ${formatSeconds(tuning.requestTimeoutMs)}`);
        else if ('networkError' in answer) this.guard.failed(answer.networkError);
        else if (answer.status >= 500) this.guard.failed(`${answer.status}`);
        else this.guard.answered();
        return answer;
      });
      if ('networkError' in outcome) {
        if (failures < tuning.maxRetries && !outcome.timedOut && !this.guard.down) {
          failures++;
          log.warn({ request: where, attempt: failures, error: outcome.networkError }, 'Docker Hub did not answer; retrying');
          await sleep(tuning.retryDelayMs * 4 ** (failures - 1), undefined, { signal });
          previous = outcome;
          continue;
        }
        throw new DockerHubNetworkError(outcome.networkError);
      }
      if (outcome.status === 429) {
        const now = Date.now();
        const retryAt = retryAtOf(outcome.headers, now);
        this.notBefore = Math.max(this.notBefore, retryAt);
        const retrying = !waitedForLimit && retryAt - now <= tuning.maxRateLimitWaitMs;
        log.warn({ request: where, waitMs: retryAt - now, retrying }, 'Docker Hub rate limit');
        if (!retrying) throw dockerHubRateLimited(retryAt);
        waitedForLimit = true;
        continue;
      }
      if (outcome.status >= 500 && failures < tuning.maxRetries && !this.guard.down) {
        failures++;
        log.warn({ request: where, status: outcome.status, attempt: failures }, 'Docker Hub server error; retrying');
        await sleep(tuning.retryDelayMs * 4 ** (failures - 1), undefined, { signal });
        previous = outcome;
        continue;
      }
      return outcome;
    }
  }

  private async untilAllowed(): Promise<void> {
    const wait = this.notBefore - Date.now();
    if (wait > 0) await sleep(wait, undefined, { signal: this.options.signal });
    this.options.signal.throwIfAborted();
  }

  /** One request and its whole body; a network failure is returned, an abort of the collection thrown. */
  private async exchange(request: HttpRequest): Promise<HttpAnswer | { networkError: string; timedOut: boolean }> {
    const { signal, tuning, countRequest, secret } = this.options;
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'footprint' };
    if (request.bearer) headers['authorization'] = `Bearer ${request.bearer}`;
    if (request.json !== undefined) headers['content-type'] = 'application/json';
    let counted = false;
    const attempt = attemptSignal(signal, tuning.requestTimeoutMs);
    try {
      const response = await fetch(request.url, {
        method: request.method,
        headers,
        body: request.json === undefined ? undefined : JSON.stringify(request.json),
        signal: attempt.signal,
      });
      countRequest(response.status);
      counted = true;
      return { status: response.status, headers: response.headers, text: await response.text() };
    } catch (error) {
      signal.throwIfAborted();
      if (!counted) countRequest('error');
      if (attempt.timedOut()) return { networkError: `Docker Hub did not answer within ${formatSeconds(tuning.requestTimeoutMs)}`, timedOut: true };
      const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
      const reason = [error instanceof Error ? error.message : String(error), typeof cause?.code === 'string' ? cause.code : cause?.message].filter(Boolean).join(': ');
      return { networkError: redactSecret(reason, secret), timedOut: false };
    }
  }
}
