// Bounded concurrency: APIs ask clients not to flood them, and a big org must not mean thousands of
// open requests. One mechanism, Slots; mapWithConcurrency runs a list of work through it.

/** At most `limit` tasks at once, the rest queued in order. */
export class Slots {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(limit: number) {
    this.#free = Math.max(1, limit);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    }
  }
}

/**
 * Runs `work` over the items with at most `limit` in flight, results in item order.
 * The first failure rejects at once (the caller aborts what is still running) and no new item starts.
 */
export function mapWithConcurrency<Item, Result>(
  items: readonly Item[],
  limit: number,
  work: (item: Item, index: number) => Promise<Result>,
): Promise<Result[]> {
  const slots = new Slots(limit);
  let failed = false;
  return new Promise((resolve, reject) => {
    const running = items.map((item, index) =>
      slots.run(async () => {
        if (failed) return undefined as Result;
        try {
          return await work(item, index);
        } catch (error) {
          if (!failed) reject(error);
          failed = true;
          return undefined as Result;
        }
      }),
    );
    void Promise.all(running).then((results) => {
      if (!failed) resolve(results);
    });
  });
}

/** Splits items into consecutive groups of at most `size`. */
export function chunk<Item>(items: readonly Item[], size: number): Item[][] {
  const groups: Item[][] = [];
  for (let start = 0; start < items.length; start += size) groups.push(items.slice(start, start + size));
  return groups;
}
