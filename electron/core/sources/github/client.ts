// One Octokit per collection: retry and throttling plugins, every HTTP response observed (request
// counting, rate-limit headers), the collection's abort signal and a timeout on every attempt, and the
// run's OutageGuard: a timed-out attempt is not retried, and once GitHub is down nothing more is sent.
import { Octokit } from '@octokit/core';
import type { OctokitOptions } from '@octokit/core';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import type { ThrottlingOptions } from '@octokit/plugin-throttling';
import type { Logger } from 'pino';
import { isAbortError } from './errors.js';
import type { GitHubAuth } from './auth.js';
import { formatSeconds } from '../../../../shared/duration.js';
import type { OutageGuard } from '../common/outage-guard.js';
import { attemptSignal, RequestTimeoutError } from '../common/request-timeout.js';
import { environmentProxy } from '../common/proxy.js';

/** How long to wait and how often to retry in-process; tests shrink the waits. */
export interface RetryTuning {
  /** Milliseconds per second of a wait GitHub asked for (retry-after, time to the rate-limit reset). */
  readonly retryAfterUnitMs: number;
  /** Base of the backoff after a server or network error: retry n waits n² × this. */
  readonly retryDelayMs: number;
  /** The longest wait (in GitHub's seconds) taken in-process; a longer one ends the collection with RateLimitedError. */
  readonly maxWaitSeconds: number;
  /** In-process retries of one request. */
  readonly maxRetries: number;
  /** An attempt that takes longer is abandoned, and not retried (default: github.timeout). */
  readonly requestTimeoutMs: number;
}

export const productionTuning: RetryTuning = {
  retryAfterUnitMs: 1_000,
  retryDelayMs: 1_000,
  maxWaitSeconds: 60,
  maxRetries: 2,
  requestTimeoutMs: 20_000,
};

export interface ObservedResponse {
  /** HTTP status, or 'error' when no response arrived (network failure, timeout). */
  readonly status: number | 'error';
  readonly headers: Readonly<Record<string, string | number | undefined>>;
}

export interface GitHubClientOptions {
  readonly apiUrl: string;
  /** The source's credentials (auth.ts): a token, a token file or a GitHub App. */
  readonly auth: GitHubAuth;
  readonly tuning: RetryTuning;
  readonly signal: AbortSignal;
  readonly log: Logger;
  /** Called once per HTTP response, retries included (a stop's aborted requests are not responses). */
  readonly observe: (response: ObservedResponse) => void;
  /** The run's view of whether GitHub is down. */
  readonly guard: OutageGuard;
}

/** What watchAttempts needs, passed through Octokit's options. */
interface AttemptWatch {
  readonly observe: (response: ObservedResponse) => void;
  readonly guard: OutageGuard;
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
}

/** The same failure without the `request` the retry plugin looks for, so it is not retried. */
function notRetried(error: unknown): unknown {
  if (!(error instanceof Error) || !('request' in error)) return error;
  const { status, response } = error as { status?: unknown; response?: unknown };
  return Object.assign(new Error(error.message, { cause: error }), { name: error.name, status, response });
}

/**
 * Sees each attempt: registered before the retry and throttling plugins, so it sits inside their loops.
 * Its own errors (a timeout, "GitHub is down") carry no `request`, which the retry plugin never retries.
 */
function watchAttempts(octokit: Octokit, options: OctokitOptions): void {
  const watch = options.attemptWatch as AttemptWatch | undefined;
  if (!watch) return;
  const { observe, guard } = watch;
  /** Each request's last failure (the retry plugin passes the same options to every attempt). */
  const previousFailure = new WeakMap<object, unknown>();
  octokit.hook.wrap('request', async (request, requestOptions) => {
    const refusal = guard.refusal();
    // A retry the guard stops (GitHub went down during its wait): the previous failure stands.
    if (refusal) throw previousFailure.has(requestOptions) ? notRetried(previousFailure.get(requestOptions)) : refusal;
    const attempt = attemptSignal(watch.signal, watch.timeoutMs);
    const mark = guard.mark();
    const failed = (error: unknown, problem: string): unknown => {
      guard.failed(problem);
      previousFailure.set(requestOptions, error);
      return guard.down ? notRetried(error) : error;
    };
    try {
      // Octokit's hooks pass their options bound, so the attempt's signal goes into this call's own
      // options object (a new `request` object: the default one is shared by every call).
      requestOptions.request = { ...requestOptions.request, signal: attempt.signal };
      const response = await request(requestOptions);
      observe({ status: response.status, headers: response.headers });
      guard.answered();
      return response;
    } catch (error) {
      const response = (error as { response?: { status: number; headers: ObservedResponse['headers'] } }).response;
      if (response) {
        observe({ status: response.status, headers: response.headers });
        if (response.status >= 500) throw failed(error, `${response.status}`);
        guard.answered();
        throw error;
      }
      if (attempt.timedOut()) {
        observe({ status: 'error', headers: {} });
        guard.timedOut(mark, `no answer within ${formatSeconds(watch.timeoutMs)}`);
        throw new RequestTimeoutError('GitHub', watch.timeoutMs);
      }
      if (isAbortError(error) || watch.signal.aborted) throw error;
      observe({ status: 'error', headers: {} });
      throw failed(error, error instanceof Error ? error.message : String(error));
    }
  });
}

const GitHubOctokit = Octokit.plugin(watchAttempts, retry, throttling);

/** Node's fetch, sent through the environment's proxy when HTTPS_PROXY / HTTP_PROXY name one. */
async function proxiedFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const dispatcher = await environmentProxy();
  return fetch(input, dispatcher ? ({ ...init, dispatcher } as RequestInit) : init);
}
export type GitHubOctokitInstance = InstanceType<typeof GitHubOctokit>;

/**
 * The throttling plugin queues every GraphQL POST as a mutation (one at a time, a second apart).
 * Footprint only sends read queries, which GitHub serves concurrently, and bounds its own concurrency;
 * so GraphQL passes straight through this lane (the plugin's global lane of 10 concurrent requests still applies).
 */
const graphqlReadLane = {
  key: () => ({
    schedule: <Args extends unknown[], Result>(_jobOptions: unknown, job: (...args: Args) => Result, ...args: Args) => job(...args),
  }),
} as unknown as NonNullable<ThrottlingOptions['write']>;

export function createGitHubClient(options: GitHubClientOptions): GitHubOctokitInstance {
  const { tuning, signal, log, auth, guard } = options;
  const waitInProcess = (kind: string, retryAfterSeconds: number, route: { method?: string; url?: string }, retryCount: number): boolean => {
    const retrying = !signal.aborted && retryCount < tuning.maxRetries && retryAfterSeconds <= tuning.maxWaitSeconds;
    log.warn(
      { retryAfterSeconds, attempt: retryCount + 1, request: auth.redact(`${route.method ?? ''} ${route.url ?? ''}`), retrying },
      `GitHub ${kind} rate limit`,
    );
    return retrying;
  };
  const attemptWatch: AttemptWatch = { observe: options.observe, guard, signal, timeoutMs: tuning.requestTimeoutMs };

  return new GitHubOctokit({
    baseUrl: options.apiUrl,
    ...auth.octokitOptions(),
    userAgent: 'footprint',
    attemptWatch,
    // Octokit calls fetch itself: through the environment's proxy (HTTPS_PROXY / NO_PROXY) when one is set.
    request: { signal, fetch: proxiedFetch },
    log: {
      debug: () => undefined,
      info: () => undefined,
      warn: (message: string) => log.warn(auth.redact(message)),
      error: (message: string) => log.error(auth.redact(message)),
    },
    retry: {
      retries: tuning.maxRetries,
      retryAfterBaseValue: tuning.retryDelayMs,
      // 403 and 429 are rate limits (the throttling plugin decides) or refusals; neither improves by retrying blindly.
      doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
    },
    throttle: {
      id: 'footprint-github',
      retryAfterBaseValue: tuning.retryAfterUnitMs,
      fallbackSecondaryRateRetryAfter: 60,
      write: graphqlReadLane,
      onRateLimit: (retryAfter, route, _octokit, retryCount) => waitInProcess('primary', retryAfter, route, retryCount),
      onSecondaryRateLimit: (retryAfter, route, _octokit, retryCount) => waitInProcess('secondary', retryAfter, route, retryCount),
    },
  });
}
