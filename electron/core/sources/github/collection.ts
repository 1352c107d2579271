// What both collectors (GraphQL with a token, REST without) hand back, and the context they run in.
import type { Logger } from 'pino';
import type { TargetError } from '../../source.js';
import type { GitHubOctokitInstance } from './client.js';
import { isAbortError, statusOf } from './errors.js';
import { BadRecordError } from './model.js';
import type { IncludeFilter, OwnerStats, RateBudget, RepositoryStats } from './model.js';
import type { Targets } from './targets.js';

export interface Collection {
  /** Each repository once, however many targets reached it. */
  readonly repositories: readonly RepositoryStats[];
  /** Totals of the owner targets that were listed completely. */
  readonly owners: readonly OwnerStats[];
  readonly errors: readonly TargetError[];
  /** The graphql budget the queries' `rateLimit` reported (null on the REST path: budgets there come from response headers). */
  readonly graphqlBudget: RateBudget | null;
  /** GraphQL points the queries cost (the sum of their `rateLimit.cost`; 0 on the REST path). */
  readonly graphqlCost: number;
  /** When no target could be read because GitHub was unreachable (network, 5xx): the error that says so. */
  readonly unreachable: unknown;
}

/**
 * Tells a dead API from bad targets: if not a single target answered and one failure was a network or
 * server error, the run as a whole failed (so the scheduler backs off) instead of reporting target errors.
 */
export class ReachTracker {
  #answered = 0;
  #unreachable: unknown = null;

  answered(): void {
    this.#answered += 1;
  }

  failed(error: unknown): void {
    // An answer that could not be used still proves GitHub is there.
    if (error instanceof BadRecordError) return this.answered();
    if (this.#unreachable !== null || isAbortError(error)) return;
    const status = statusOf(error);
    if (status === null || status >= 500) this.#unreachable = error;
  }

  get unreachable(): unknown {
    return this.#answered === 0 ? this.#unreachable : null;
  }
}

export interface CollectorContext {
  readonly octokit: GitHubOctokitInstance;
  readonly targets: Targets;
  readonly include: IncludeFilter;
  /** What a 401 tells the user (GitHubAuth.rejectedMessage). */
  readonly unauthorizedMessage: string;
  /** Requests (GraphQL) or repositories (REST) in flight at once. */
  readonly concurrency: number;
  readonly log: Logger;
}
