// Conditional requests for the REST path: GitHub answers an unchanged resource with 304, which costs
// no rate limit, so a warm refresh of anonymous data is nearly free.

export interface CachedResponse {
  readonly etag: string;
  readonly data: unknown;
  /** The Link header of the cached page, so pagination continues after a 304. */
  readonly link: string | null;
}

/** One per source, in memory, keyed by request URL. */
export class EtagCache {
  readonly #entries = new Map<string, CachedResponse & { generation: number }>();
  #generation = 0;

  /** Marks the start of a collection; entries it does not touch are dropped by `dropUntouched`. */
  beginGeneration(): void {
    this.#generation += 1;
  }

  lookup(url: string): CachedResponse | undefined {
    const entry = this.#entries.get(url);
    if (entry) entry.generation = this.#generation;
    return entry;
  }

  store(url: string, response: CachedResponse): void {
    this.#entries.set(url, { ...response, generation: this.#generation });
  }

  /** Forgets URLs the last complete collection did not request (removed repositories, shorter lists). */
  dropUntouched(): void {
    for (const [url, entry] of this.#entries) {
      if (entry.generation !== this.#generation) this.#entries.delete(url);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
