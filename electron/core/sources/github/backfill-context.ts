// What the two backfill paths (GraphQL with a token, REST without) work with and hand back.
import type { Logger } from 'pino';
import type { BackfillStepResult } from '../../backfill/contract.js';
import type { GitHubOctokitInstance } from './client.js';
import type { HistoryKind, ListedRepository } from './backfill-tasks.js';
import type { IncludeFilter, RateBudget, RepositoryIdentity } from './model.js';
import type { Targets } from './targets.js';

/** A repository's labels and counts as last read, by repositoryKey: REST steps label their samples from it. */
export interface KnownRepository {
  readonly identity: RepositoryIdentity;
  readonly stars: number;
  readonly forks: number;
}

export interface BackfillContext {
  readonly octokit: GitHubOctokitInstance;
  readonly targets: Targets;
  readonly include: IncludeFilter;
  /** What a 401 tells the user (GitHubAuth.rejectedMessage). */
  readonly unauthorizedMessage: string;
  /** Requests in flight at once (plan listing, REST steps). */
  readonly concurrency: number;
  readonly log: Logger;
  /** Start of the current UTC day: history stops before it. */
  readonly today: number;
  readonly known: Map<string, KnownRepository>;
}

/** One task of a step: which history of which repository, from where. */
export interface HistoryWork {
  readonly kind: HistoryKind;
  readonly owner: string;
  readonly name: string;
  /** The saved cursor text; null from the beginning. */
  readonly cursor: string | null;
  readonly totalUnits: number | null;
}

export interface Listing {
  readonly listed: ListedRepository[];
  readonly budget: RateBudget | null;
}

export interface StepOutcome {
  /** One per work item, in order. */
  readonly results: BackfillStepResult[];
  readonly budget: RateBudget | null;
}
