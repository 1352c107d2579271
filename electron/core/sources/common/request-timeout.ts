// The `timeout` key every source has: how long one API request may wait for its answer. A request that
// times out is not retried: a hung API would only make the run wait again, and the source show healthy
// for that much longer.
import { formatSeconds } from '../../../../shared/duration.js';
import { durationSchema } from '../../duration.js';

export const DEFAULT_REQUEST_TIMEOUT_MS = 20_000;
export const MIN_REQUEST_TIMEOUT_MS = 1_000;
export const MAX_REQUEST_TIMEOUT_MS = 5 * 60_000;

/** A source's `timeout` key: a duration from 1s to 5m, default 20s. */
export function requestTimeoutSchema() {
  return durationSchema(MIN_REQUEST_TIMEOUT_MS, MAX_REQUEST_TIMEOUT_MS).default(DEFAULT_REQUEST_TIMEOUT_MS);
}

/** No answer came within the source's `timeout`. */
export class RequestTimeoutError extends Error {
  readonly timeoutMs: number;
  constructor(api: string, timeoutMs: number) {
    super(`${api} did not answer within ${formatSeconds(timeoutMs)}`);
    this.name = 'RequestTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

export interface AttemptSignal {
  /** The run's signal, plus this attempt's own timer. */
  readonly signal: AbortSignal;
  /** True when this attempt ended because its timer ran out (not because the run stopped). */
  timedOut(): boolean;
}

/** The signal for one request attempt: aborts when the run does or when `timeoutMs` passes. */
export function attemptSignal(run: AbortSignal, timeoutMs: number): AttemptSignal {
  const timer = AbortSignal.timeout(timeoutMs);
  return { signal: AbortSignal.any([run, timer]), timedOut: () => timer.aborted && !run.aborted };
}
