// Bounded concurrency: APIs ask clients not to flood them, and a big org must not mean thousands of open requests.

/**
 * Runs `work` over the items with at most `limit` in flight, results in item order.
 * The first failure rejects at once (the caller aborts what is still running) and no new item starts.
 */
export function mapWithConcurrency<Item, Result>(
  items: readonly Item[],
  limit: number,
  work: (item: Item, index: number) => Promise<Result>,
): Promise<Result[]> {
  return new Promise((resolve, reject) => {
    const results = new Array<Result>(items.length);
    let next = 0;
    let failed = false;
    const worker = async () => {
      while (!failed && next < items.length) {
        const index = next++;
        try {
          results[index] = await work(items[index]!, index);
        } catch (error) {
          if (!failed) reject(error);
          failed = true;
        }
      }
    };
    const workers = Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker);
    void Promise.all(workers).then(() => {
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
