// Conditional requests for REST: GitHub answers an unchanged resource with 304, which costs no rate
// limit, so a warm refresh of anonymous data (or of a quiet repository's traffic) is nearly free.
import type { GitHubOctokitInstance } from './client.js';
import { statusOf } from './errors.js';

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

  /** Forgets one URL (e.g. a repository no longer read). */
  delete(url: string): void {
    this.#entries.delete(url);
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

export interface Page<Data> {
  readonly data: Data;
  readonly link: string | null;
}

/** GET with If-None-Match when cached; a 304 answers from the cache. `pick` keeps what the source reads. */
export async function getWithEtag<Data>(octokit: GitHubOctokitInstance, etags: EtagCache, url: string, pick: (raw: unknown) => Data): Promise<Page<Data>> {
  const cached = etags.lookup(url);
  try {
    const response = await octokit.request(`GET ${url}`, { headers: cached ? { 'if-none-match': cached.etag } : {} });
    const link = typeof response.headers.link === 'string' ? response.headers.link : null;
    const data = pick(response.data);
    if (typeof response.headers.etag === 'string') etags.store(url, { etag: response.headers.etag, data, link });
    return { data, link };
  } catch (error) {
    if (cached && statusOf(error) === 304) return { data: cached.data as Data, link: cached.link };
    throw error;
  }
}
