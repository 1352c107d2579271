// The one backoff policy for retries after a 5xx or a network error: exponential, doubling from a base
// (1 s, 2 s with the default two retries). Doubling is what Google's and most APIs' retry guides ask
// for; the sources used to wait 4^(n−1), 2^n or n² seconds, which only differed in how long the last
// wait was. No jitter: a run sends few requests at once (bounded concurrency), so retries do not come
// in herds, and fixed waits keep the logs readable. A second retry still failing is left to the next
// run, which the scheduler backs off.

/** How long to wait before retry number `retry` (1 for the first), given the policy's base. */
export function backoffDelay(retry: number, baseMs: number): number {
  return baseMs * 2 ** (Math.max(1, retry) - 1);
}
