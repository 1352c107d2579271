// One run's view of whether its API is down. Retries help against a blip; against an outage they only
// multiply the load (Docker Hub once made more requests during a 500 storm than when healthy), and
// against a hung API every new request only makes the run wait another timeout. So the API counts as
// down for the rest of the run, with no more retries and no new requests, once
// - a few attempts in a row failed (5xx, no answer, timeout) with none answered since, or
// - an attempt timed out while nothing else it was asked answered either: it has stopped answering.
// The next run starts afresh (the scheduler backs off first when nothing could be collected).

/**
 * Failed attempts in a row that mark the API down. More than one request's own attempts (1 + 2 retries),
 * so one broken target alone never stops the others.
 */
export const FAILURES_IN_A_ROW_FOR_DOWN = 4;

/** A request not sent because the API was down earlier in the run. */
export class ApiDownError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApiDownError';
  }
}

export class OutageGuard {
  readonly #api: string;
  #failuresInARow = 0;
  #lastProblem = '';
  #answers = 0;
  /** A request timed out while nothing answered: the API hangs. */
  #hung = false;

  /** `api` names the API in messages, e.g. "Docker Hub". */
  constructor(api: string) {
    this.#api = api;
  }

  /** Taken when an attempt starts, for timedOut(). */
  mark(): number {
    return this.#answers;
  }

  /** The API answered (any answer but a 5xx: a 404 is an answer too). */
  answered(): void {
    this.#answers += 1;
    this.#failuresInARow = 0;
    this.#hung = false;
  }

  /** An attempt failed with a 5xx or got no answer; `problem` says which, for the message. */
  failed(problem: string): void {
    this.#failuresInARow += 1;
    this.#lastProblem = problem;
  }

  /** An attempt started at `mark` timed out; if nothing answered since, the API has stopped answering. */
  timedOut(mark: number, problem: string): void {
    this.failed(problem);
    if (this.#answers === mark) this.#hung = true;
  }

  get down(): boolean {
    return this.#hung || this.#failuresInARow >= FAILURES_IN_A_ROW_FOR_DOWN;
  }

  /** Why a request must not be sent now (the API is down), or null when it may be. */
  refusal(): ApiDownError | null {
    if (!this.down) return null;
    const what = this.#hung ? `stopped answering (${this.#lastProblem})` : `failed ${this.#failuresInARow} requests in a row (the last: ${this.#lastProblem})`;
    return new ApiDownError(`${this.#api} ${what}, so this run sends it no more; the next run tries again`);
  }

  /** Throws ApiDownError when the API is down: call before sending a request. */
  check(): void {
    const refusal = this.refusal();
    if (refusal) throw refusal;
  }
}
