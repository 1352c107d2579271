// Docker Hub's "wait": 429 with Retry-After (seconds, per the current spec) or X-Retry-After (an epoch
// timestamp, per an older spec version); X-RateLimit-Reset (epoch seconds) when neither is sent.
import { RateLimitedError } from '../../source.js';

/** When nothing says how long to wait, wait a whole window: Docker Hub's limits are per minute. */
const FALLBACK_WAIT_MS = 60_000;

type HeaderReader = Pick<Headers, 'get'>;

function numberHeader(headers: HeaderReader, name: string): number | null {
  const value = headers.get(name)?.trim();
  if (value === undefined || value === '') return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

/** The epoch-ms time a 429 allows the next request, never earlier than now. */
export function retryAtOf(headers: HeaderReader, now: number): number {
  const retryAfterSeconds = numberHeader(headers, 'retry-after');
  if (retryAfterSeconds !== null) return now + Math.max(0, retryAfterSeconds) * 1000;
  // Retry-After may also be an HTTP date (RFC 9110).
  const retryAfterDate = Date.parse(headers.get('retry-after') ?? '');
  if (Number.isFinite(retryAfterDate)) return Math.max(now, retryAfterDate);
  const retryAtEpoch = numberHeader(headers, 'x-retry-after');
  if (retryAtEpoch !== null) return Math.max(now, retryAtEpoch * 1000);
  const reset = numberHeader(headers, 'x-ratelimit-reset');
  if (reset !== null && reset * 1000 > now) return reset * 1000;
  return now + FALLBACK_WAIT_MS;
}

export function dockerHubRateLimited(retryAt: number): RateLimitedError {
  return new RateLimitedError(`Docker Hub rate limit reached; collecting again after ${new Date(retryAt).toISOString()}`, retryAt);
}
