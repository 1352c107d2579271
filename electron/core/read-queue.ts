// Heavy reads (range, changes) take turns: at most `running` at once, each yielding between its
// slices, so however many clients ask at the same time, /metrics and polls wait for at most that many
// slices. A bounded number more wait in line; beyond that the caller hears that the core is busy.
import { ApiError } from './api-error.js';

export class ReadQueue {
  readonly #running: number;
  readonly #maxWaiting: number;
  #active = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(running: number, maxWaiting: number) {
    this.#running = running;
    this.#maxWaiting = maxWaiting;
  }

  /** Runs `work` when a place is free; a 503 ApiError when the line is full. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#active >= this.#running) {
      if (this.#waiting.length >= this.#maxWaiting) {
        throw new ApiError(503, `the server is busy: ${this.#active} chart reads are running and ${this.#waiting.length} waiting — try again in a moment`, { retryAfterSeconds: 1 });
      }
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#active++;
    }
    try {
      return await work();
    } finally {
      // The place passes straight to the next in line, so #active only drops when nobody waits.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#active--;
    }
  }

  /** Reads running and waiting (for tests and diagnostics). */
  get load(): { running: number; waiting: number } {
    return { running: this.#active, waiting: this.#waiting.length };
  }
}
