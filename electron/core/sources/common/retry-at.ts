// When an API that answered 429 (or 503 with a wait) allows the next request: Retry-After (seconds, or
// an HTTP date per RFC 9110), X-Retry-After (an epoch timestamp, per an older Docker Hub spec), and
// X-RateLimit-Reset (epoch seconds) when neither is sent.

/** Waited for when a 429 names no time: the APIs' limits are per minute or undocumented. */
export const FALLBACK_RATE_LIMIT_WAIT_MS = 60_000;

type HeaderReader = Pick<Headers, 'get'>;

function numberHeader(headers: HeaderReader, name: string): number | null {
  const value = headers.get(name)?.trim();
  if (value === undefined || value === '') return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

/** What the headers say, or null when none of them says anything readable. */
export interface RetryAt {
  /** Epoch ms of the next allowed request, never earlier than now. */
  readonly time: number;
  /** Seconds of a Retry-After (tests scale waits given this way); null for the epoch-time headers. */
  readonly afterSeconds: number | null;
}

/** Retry-After in seconds from now (delta-seconds or an HTTP date); null when absent or unreadable. */
export function retryAfterSeconds(value: string | null, now: number): number | null {
  if (value === null || value.trim() === '') return null;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1000));
}

export function retryAtFromHeaders(headers: HeaderReader, now: number): RetryAt | null {
  const seconds = retryAfterSeconds(headers.get('retry-after'), now);
  if (seconds !== null) return { time: now + seconds * 1000, afterSeconds: seconds };
  const retryAtEpoch = numberHeader(headers, 'x-retry-after');
  if (retryAtEpoch !== null) return { time: Math.max(now, retryAtEpoch * 1000), afterSeconds: null };
  const reset = numberHeader(headers, 'x-ratelimit-reset');
  if (reset !== null && reset * 1000 > now) return { time: reset * 1000, afterSeconds: null };
  return null;
}

/** The epoch-ms time a 429 allows the next request; `fallbackMs` from now when the headers do not say. */
export function retryAtOf(headers: HeaderReader, now: number, fallbackMs = FALLBACK_RATE_LIMIT_WAIT_MS): number {
  return retryAtFromHeaders(headers, now)?.time ?? now + fallbackMs;
}
