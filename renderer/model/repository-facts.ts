// The small facts row under a repository's chart in Details: commits, the last commit, closed issues,
// merged pull requests, releases and contributors, from the latest values. A figure the source did not
// report (the REST path has no commit count) is left out of the row rather than shown as 0.
import type { LatestSeries } from '../../shared/api.js';

export interface RepositoryFact {
  readonly metric: string;
  /** What follows the figure: "commits", "closed issues"; for a time, what precedes it ("last commit"). */
  readonly label: string;
  /** A count, or for `time` facts epoch ms. */
  readonly value: number;
  readonly kind: 'count' | 'time';
}

export interface RepositoryFacts {
  /** "owner/name". */
  readonly repository: string;
  readonly facts: readonly RepositoryFact[];
}

const FACTS: readonly { readonly metric: string; readonly label: string; readonly kind: RepositoryFact['kind'] }[] = [
  { metric: 'github_repo_commits', label: 'commits', kind: 'count' },
  { metric: 'github_repo_last_commit_timestamp_seconds', label: 'last commit', kind: 'time' },
  { metric: 'github_repo_closed_issues', label: 'closed issues', kind: 'count' },
  { metric: 'github_repo_merged_pull_requests', label: 'merged PRs', kind: 'count' },
  { metric: 'github_repo_releases', label: 'releases', kind: 'count' },
  { metric: 'github_repo_contributors', label: 'contributors', kind: 'count' },
];

/** Facts rows shown at most (one per charted repository). */
export const MAX_FACT_ROWS = 4;

/** One row per GitHub repository among the charted series, in chart order, with the figures it has. */
export function repositoryFacts(charted: readonly (LatestSeries | undefined)[], latest: Iterable<LatestSeries>): RepositoryFacts[] {
  const repositories: { user: string; repo: string }[] = [];
  for (const series of charted) {
    const { user, repo } = series?.labels ?? {};
    if (series?.source !== 'github' || user === undefined || repo === undefined) continue;
    if (!repositories.some((known) => known.user === user && known.repo === repo)) repositories.push({ user, repo });
  }
  if (repositories.length === 0) return [];
  const values = new Map<string, number>();
  for (const series of latest) {
    if (series.source === 'github' && series.labels.user !== undefined && series.labels.repo !== undefined) {
      values.set(`${series.metric}\n${series.labels.user}\n${series.labels.repo}`, series.value);
    }
  }
  return repositories.slice(0, MAX_FACT_ROWS).flatMap(({ user, repo }) => {
    const facts = FACTS.flatMap(({ metric, label, kind }): RepositoryFact[] => {
      const value = values.get(`${metric}\n${user}\n${repo}`);
      if (value === undefined) return [];
      return [{ metric, label, kind, value: kind === 'time' ? value * 1000 : value }];
    });
    return facts.length > 0 ? [{ repository: `${user}/${repo}`, facts }] : [];
  });
}
