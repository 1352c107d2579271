// One run's view of whether its API is down. Retries help against a blip; against an outage they only
// multiply the load (Docker Hub once made more requests during a 500 storm than when healthy). So after
// a few requests in a row failed (5xx, no answer, timeout) with none answered since, the API counts as
// down for the rest of the run: no more retries, and requests not yet sent fail at once without being sent.
// The next run starts afresh (the scheduler backs off first when nothing could be collected).

/**
 * Failed attempts in a row that mark the API down. More than one request's own attempts (1 + 2 retries),
 * so one broken target alone never stops the others.
 */
export const FAILURES_IN_A_ROW_FOR_DOWN = 4;

/** A request not sent because the API was down earlier in the run. */
export class ApiDownError extends Error {
  constructor(api: string, failures: number, lastProblem: string) {
    super(`${api} failed ${failures} requests in a row (the last: ${lastProblem}), so this run sends it no more; the next run tries again`);
    this.name = 'ApiDownError';
  }
}

export class OutageGuard {
  readonly #api: string;
  #failuresInARow = 0;
  #lastProblem = '';

  /** `api` names the API in messages, e.g. "Docker Hub". */
  constructor(api: string) {
    this.#api = api;
  }

  /** The API answered (any answer but a 5xx: a 404 is an answer too). */
  answered(): void {
    this.#failuresInARow = 0;
  }

  /** An attempt failed with a 5xx, no answer or a timeout; `problem` says which, for the message. */
  failed(problem: string): void {
    this.#failuresInARow += 1;
    this.#lastProblem = problem;
  }

  get down(): boolean {
    return this.#failuresInARow >= FAILURES_IN_A_ROW_FOR_DOWN;
  }

  /** Why a request must not be sent now (the API is down), or null when it may be. */
  refusal(): ApiDownError | null {
    return this.down ? new ApiDownError(this.#api, this.#failuresInARow, this.#lastProblem) : null;
  }

  /** Throws ApiDownError when the API is down: call before sending a request. */
  check(): void {
    const refusal = this.refusal();
    if (refusal) throw refusal;
  }
}
