// Contributors per repository. GitHub has no count field for them, so one REST request per repository
// (`per_page=1&anon=1`) gives the count as the Link header's last page. The count changes slowly and 1,000
// repositories would add 1,000 requests to a poll, so each repository is read once a day and the reads
// are spread over polls (a cap per poll, and never more than half of the REST budget left).
import type { Logger } from 'pino';
import type { GitHubOctokitInstance } from './client.js';
import { fatalErrorOf, gitHubMessageOf, isAbortError, statusOf } from './errors.js';
import { countFromSinglePageList } from './link.js';
import type { RateBudget } from './model.js';
import { mapWithConcurrency } from '../common/concurrency.js';
import { repositoryKey } from './targets.js';

/** How long a count stays fresh. */
export const CONTRIBUTORS_REFRESH_MS = 24 * 60 * 60_000;
/** At most this many contributor requests per poll: a big first poll is spread over the next ones. */
export const CONTRIBUTORS_PER_POLL = 100;

export function contributorsUrl(owner: string, name: string): string {
  return `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/contributors?per_page=1&anon=1`;
}

interface Reading {
  /** undefined: GitHub would not list them (403 too large, 404), so the series stays absent. */
  readonly count: number | undefined;
  readonly readAt: number;
}

export interface ContributorRefresh {
  readonly octokit: GitHubOctokitInstance;
  readonly repositories: readonly { readonly owner: string; readonly name: string }[];
  readonly now: number;
  readonly concurrency: number;
  readonly log: Logger;
  /** The REST (`core`) budget seen so far this run, if any. */
  readonly coreBudget: () => RateBudget | null;
  /** What a 401 tells the user (the way this source signs in). */
  readonly unauthorizedMessage: string;
}

/** The last count of each repository, kept by the source between polls. */
export class ContributorCounts {
  readonly #readings = new Map<string, Reading>();

  count(owner: string, name: string): number | undefined {
    return this.#readings.get(repositoryKey(owner, name))?.count;
  }

  /** Repositories whose count is missing or older than a day, never-read and oldest first, at most `limit`. */
  due(repositories: ContributorRefresh['repositories'], now: number, limit: number): { owner: string; name: string }[] {
    return repositories
      .map((repository) => ({ repository, readAt: this.#readings.get(repositoryKey(repository.owner, repository.name))?.readAt ?? -Infinity }))
      .filter(({ readAt }) => now - readAt >= CONTRIBUTORS_REFRESH_MS)
      .sort((a, b) => a.readAt - b.readAt)
      .slice(0, Math.max(0, limit))
      .map(({ repository }) => ({ owner: repository.owner, name: repository.name }));
  }

  /**
   * Reads the counts that are due. A 204 (empty repository) is 0; a 403 (GitHub: the list is too large)
   * or 404 is a note in the log, the series stays absent until the next day's try. A rate limit stops the
   * reads for this poll without failing it; other failures are retried at the next poll.
   */
  async refresh(run: ContributorRefresh): Promise<void> {
    const core = run.coreBudget();
    const budgetCap = core ? Math.floor(core.remaining / 2) : CONTRIBUTORS_PER_POLL;
    const due = this.due(run.repositories, run.now, Math.min(CONTRIBUTORS_PER_POLL, budgetCap));
    let limited = false;
    await mapWithConcurrency(due, run.concurrency, async ({ owner, name }) => {
      if (limited) return;
      const key = repositoryKey(owner, name);
      try {
        const response = await run.octokit.request(`GET ${contributorsUrl(owner, name)}`);
        const link = typeof response.headers.link === 'string' ? response.headers.link : null;
        const firstPage = Array.isArray(response.data) ? response.data.length : 0;
        this.#readings.set(key, { count: response.status === 204 ? 0 : countFromSinglePageList(link, firstPage), readAt: run.now });
      } catch (error) {
        if (isAbortError(error)) throw error;
        const fatal = fatalErrorOf(error, run.unauthorizedMessage, Date.now(), run.coreBudget()?.resetAt ?? null);
        if (fatal) {
          if (!limited) run.log.warn({ reason: fatal.message }, 'contributor counts paused until the next poll');
          limited = true;
          return;
        }
        const status = statusOf(error);
        if (status === 403 || status === 404) {
          run.log.info({ target: `repo:${owner}/${name}`, status, reason: gitHubMessageOf(error) }, 'GitHub does not list the contributors of this repository; its contributor count is left out');
          this.#readings.set(key, { count: undefined, readAt: run.now });
          return;
        }
        run.log.warn({ target: `repo:${owner}/${name}`, reason: gitHubMessageOf(error) }, 'contributor count not read; trying again at the next poll');
      }
    });
  }
}
