// The contract between the backfill runner and a source that can read its own past (issue: history
// from day one). A source offers a Backfiller beside its live `collect()`; the runner plans the work,
// advances it step by step in the background (after polls, within a share of the API budget),
// stores every step's dated samples together with the step's cursor in one transaction, and so
// resumes exactly where it stopped after a restart or a kill.
import type { Labels, Sample } from '../../../shared/metrics.js';
import type { CollectContext } from '../source.js';

/**
 * A sample that carries its own time: the value its series had at `time` (epoch ms). Day-resolution
 * history uses the last millisecond of the UTC day (`endOfUtcDay`), e.g. the star count at the end
 * of 2024-03-07. The series is the same one live polls write (same metric, same labels).
 */
export interface DatedSample extends Sample {
  readonly time: number;
}

/** An event drawn on a series' charts, e.g. a release on its repository's charts. */
export interface HistoryMarker {
  readonly kind: 'release';
  /** The labels that pick the series it belongs to, e.g. { repo, user }. */
  readonly labels: Labels;
  readonly time: number;
  /** What the chart shows, e.g. the release's tag. */
  readonly text: string;
}

/** One resumable piece of history: a repository's stars, its forks, a package's daily downloads. */
export interface BackfillTask {
  /** Stable within the source, e.g. "stars:acme/rocket": the saved cursor and progress belong to it. */
  readonly key: string;
  /** What people see, e.g. "acme/rocket stars". */
  readonly title: string;
  /** The configured target it comes from (an org, a package, a property), for `footprint backfill --target`. */
  readonly target: string;
  /** Units of work (stars, forks, days) expected in all, when known: progress and time left. */
  readonly totalUnits: number | null;
  /** Requests the whole task costs from the beginning, for `--dry-run`. */
  readonly estimatedRequests: number;
}

/** What one step did for one task. */
export type BackfillStepResult =
  | {
    readonly kind: 'progress';
    /** Dated samples to merge into the history (idempotent: the same sample twice changes nothing). */
    readonly samples: readonly DatedSample[];
    readonly markers?: readonly HistoryMarker[];
    /** Opaque text to resume from; null when the task is complete. */
    readonly cursor: string | null;
    /** Units done so far in this task, counted from its beginning. */
    readonly doneUnits: number;
    readonly totalUnits: number | null;
  }
  /** The task cannot be backfilled, for a reason that is not a failure of the source (shown per task). */
  | { readonly kind: 'unavailable'; readonly reason: string }
  /** This task failed this time (it is retried later); the others in the step are unaffected. */
  | { readonly kind: 'failed'; readonly error: string };

/** An API budget as a source last saw it, so the runner can keep to its share. */
export interface ApiBudget {
  /** e.g. "graphql" (GitHub's GraphQL points) or "core". */
  readonly resource: string;
  readonly limit: number;
  readonly remaining: number;
  /** When the budget refills (epoch ms). */
  readonly resetAt: number;
}

export interface BackfillStep {
  /** One result per work item, in the same order. */
  readonly results: readonly BackfillStepResult[];
  /** The budget after this step, when the API reports it. */
  readonly budget?: ApiBudget;
}

export interface BackfillWork {
  readonly task: BackfillTask;
  /** Where to resume; null from the beginning. */
  readonly cursor: string | null;
}

export interface Backfiller {
  /** Tasks a single step may advance together (e.g. aliased repositories in one GraphQL query); default 1. */
  readonly batchSize?: number;
  /** The tasks for the current configuration (may cost a few requests, e.g. listing an org's repositories). */
  plan(ctx: CollectContext): Promise<{ tasks: BackfillTask[]; budget?: ApiBudget }>;
  /**
   * Advances each given task by about one request's worth. A failure of the whole step (network,
   * rate limit: RateLimitedError with retryAt) throws; a failure of one task is that task's result.
   */
  step(work: readonly BackfillWork[], ctx: CollectContext): Promise<BackfillStep>;
}

const DAY_MS = 86_400_000;

/** The last millisecond of the UTC day that `time` falls in: where day-resolution history is stored. */
export function endOfUtcDay(time: number): number {
  return Math.floor(time / DAY_MS) * DAY_MS + DAY_MS - 1;
}
