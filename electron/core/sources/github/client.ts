// One Octokit per collection: retry and throttling plugins, every HTTP response observed (request
// counting, rate-limit headers), the collection's abort signal on every request.
import { Octokit } from '@octokit/core';
import type { OctokitOptions } from '@octokit/core';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import type { ThrottlingOptions } from '@octokit/plugin-throttling';
import type { Logger } from 'pino';
import { isAbortError } from './errors.js';
import { redactSecret } from '../../secrets.js';

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
  /** A request that takes longer is abandoned (and retried like a network error). */
  readonly requestTimeoutMs: number;
}

export const productionTuning: RetryTuning = {
  retryAfterUnitMs: 1_000,
  retryDelayMs: 1_000,
  maxWaitSeconds: 60,
  maxRetries: 2,
  requestTimeoutMs: 60_000,
};

export interface ObservedResponse {
  /** HTTP status, or 'error' when no response arrived (network failure, timeout). */
  readonly status: number | 'error';
  readonly headers: Readonly<Record<string, string | number | undefined>>;
}

export interface GitHubClientOptions {
  readonly apiUrl: string;
  readonly token: string | undefined;
  readonly tuning: RetryTuning;
  readonly signal: AbortSignal;
  readonly log: Logger;
  /** Called once per HTTP response, retries included (a stop's aborted requests are not responses). */
  readonly observe: (response: ObservedResponse) => void;
}

/** Sees each attempt: registered before the retry and throttling plugins, so it sits inside their loops. */
function observeResponses(octokit: Octokit, options: OctokitOptions): void {
  const observe = options.observeResponse as ((response: ObservedResponse) => void) | undefined;
  if (!observe) return;
  octokit.hook.wrap('request', async (request, requestOptions) => {
    try {
      const response = await request(requestOptions);
      observe({ status: response.status, headers: response.headers });
      return response;
    } catch (error) {
      const response = (error as { response?: { status: number; headers: ObservedResponse['headers'] } }).response;
      if (response) observe({ status: response.status, headers: response.headers });
      else if (!isAbortError(error)) observe({ status: 'error', headers: {} });
      throw error;
    }
  });
}

const GitHubOctokit = Octokit.plugin(observeResponses, retry, throttling);
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
  const { tuning, signal, log, token } = options;
  const waitInProcess = (kind: string, retryAfterSeconds: number, route: { method?: string; url?: string }, retryCount: number): boolean => {
    const retrying = !signal.aborted && retryCount < tuning.maxRetries && retryAfterSeconds <= tuning.maxWaitSeconds;
    log.warn(
      { retryAfterSeconds, attempt: retryCount + 1, request: redactSecret(`${route.method ?? ''} ${route.url ?? ''}`, token), retrying },
      `GitHub ${kind} rate limit`,
    );
    return retrying;
  };
  const fetchWithTimeout: typeof fetch = (input, init) =>
    fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(tuning.requestTimeoutMs)]) : AbortSignal.timeout(tuning.requestTimeoutMs) });

  return new GitHubOctokit({
    baseUrl: options.apiUrl,
    auth: token,
    userAgent: 'footprint',
    observeResponse: options.observe,
    request: { signal, fetch: fetchWithTimeout },
    log: {
      debug: () => undefined,
      info: () => undefined,
      warn: (message: string) => log.warn(redactSecret(message, token)),
      error: (message: string) => log.error(redactSecret(message, token)),
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
