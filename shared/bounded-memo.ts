// Values computed once per key and kept, up to a limit: past it the memo starts afresh (the keys in
// use are few — label names, zone and quarter-hour — so a full memo means old keys, not churn).

export interface BoundedMemo<V> {
  /** The value kept for `key`, or `make(key)`'s, kept from now on (a hot path passes a function made once, not a new closure). */
  get(key: string, make: (key: string) => V): V;
}

export function boundedMemo<V>(limit: number): BoundedMemo<V> {
  const kept = new Map<string, V>();
  return {
    get(key, make) {
      const known = kept.get(key);
      if (known !== undefined || kept.has(key)) return known as V; // one lookup when found
      const value = make(key);
      if (kept.size >= limit) kept.clear();
      kept.set(key, value);
      return value;
    },
  };
}
