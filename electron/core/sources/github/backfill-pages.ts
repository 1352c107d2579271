// One page of a history list turned into a step's result, whichever API read it: stars and forks
// become dated samples of the series the poll writes; releases become markers.
import type { BackfillStepResult, DatedSample, HistoryMarker } from '../../backfill/contract.js';
import { absorbTimes, closeCount } from './daily-count.js';
import type { DailyCount } from './daily-count.js';
import { encodeCursor } from './backfill-tasks.js';
import type { HistoryCursor } from './backfill-tasks.js';
import { repositoryLabels } from './metrics.js';
import type { RepositoryIdentity } from './model.js';

export interface CountPage {
  readonly metric: 'github_repo_stars' | 'github_repo_forks';
  /** What one item is, for a message about a bad time ("stargazer", "fork"). */
  readonly item: string;
  readonly identity: RepositoryIdentity;
  readonly state: DailyCount;
  /** The items' times as GitHub sent them (ISO 8601), oldest first. */
  readonly times: readonly (string | null | undefined)[];
  /** Start of the current UTC day: the history stops before it. */
  readonly today: number;
  /** No page follows this one. */
  readonly ended: boolean;
  /** The cursor that continues after this page, given the count so far. */
  readonly next: (state: DailyCount) => HistoryCursor;
  readonly totalUnits: number | null;
}

export function failed(error: string): BackfillStepResult {
  return { kind: 'failed', error };
}

export function countPageResult(page: CountPage): BackfillStepResult {
  const times: number[] = [];
  for (const text of page.times) {
    const time = typeof text === 'string' ? Date.parse(text) : Number.NaN;
    // Skipping one would shift every later day's count: the task fails instead (and is retried).
    if (!Number.isFinite(time)) return failed(`GitHub sent a ${page.item} of ${page.identity.owner}/${page.identity.name} without a valid time (${JSON.stringify(text ?? null)})`);
    times.push(time);
  }
  const absorbed = absorbTimes(page.state, times, page.today);
  const done = page.ended || absorbed.reachedToday;
  const points = done ? [...absorbed.points, ...closeCount(absorbed.state)] : absorbed.points;
  const labels = repositoryLabels(page.identity);
  const samples: DatedSample[] = points.map((point) => ({ metric: page.metric, labels, value: point.value, time: point.time }));
  return {
    kind: 'progress',
    samples,
    cursor: done ? null : encodeCursor(page.next(absorbed.state)),
    doneUnits: absorbed.state.count,
    totalUnits: page.totalUnits,
  };
}

export interface ReleaseItem {
  readonly tag: string;
  readonly publishedAt: string | null;
  readonly createdAt: string;
  readonly draft: boolean;
}

export interface ReleasesPage {
  readonly identity: RepositoryIdentity;
  /** Releases read before this page. */
  readonly seen: number;
  readonly releases: readonly ReleaseItem[];
  readonly ended: boolean;
  readonly next: (seen: number) => HistoryCursor;
  readonly totalUnits: number | null;
}

/** Published releases as markers on the repository's charts, at their publication (else creation) time. */
export function releasesPageResult(page: ReleasesPage): BackfillStepResult {
  const labels = { repo: page.identity.name, user: page.identity.owner };
  const markers: HistoryMarker[] = [];
  for (const release of page.releases) {
    const time = Date.parse(release.publishedAt ?? release.createdAt);
    if (release.draft || !Number.isFinite(time)) continue;
    markers.push({ kind: 'release', labels, time, text: release.tag });
  }
  const seen = page.seen + page.releases.length;
  return {
    kind: 'progress',
    samples: [],
    markers,
    cursor: page.ended ? null : encodeCursor(page.next(seen)),
    doneUnits: seen,
    totalUnits: page.totalUnits,
  };
}
