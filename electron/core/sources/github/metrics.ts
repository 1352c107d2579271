// Metric catalogue and sample mapping. Names and labels follow the public github-exporter so its
// Grafana dashboards (e.g. grafana.com 1559) keep working; the owner totals are Footprint's own.
import type { Labels, MetricDef, Sample } from '../../../../shared/metrics.js';
import type { OwnerStats, RateBudgets, RepositoryFigures, RepositoryIdentity, RepositoryStats } from './model.js';

const REPOSITORY_LABELS = ['repo', 'user', 'private', 'fork', 'archived', 'license', 'language'] as const;

function gauge(name: string, help: string, labels: readonly string[]): MetricDef {
  return { name, help, type: 'gauge', labels };
}

/** Traffic needs push access; GitHub keeps 14 days of it, so the days are stored as dated history. */
const trafficMetrics: readonly MetricDef[] = [
  gauge('github_repo_traffic_views', 'Views of the repository over the last 14 days, as GitHub reports them (needs push access).', ['repo', 'user']),
  gauge('github_repo_traffic_views_unique', 'Unique visitors of the repository over the last 14 days, as GitHub reports them.', ['repo', 'user']),
  gauge('github_repo_traffic_clones', 'Clones of the repository over the last 14 days, as GitHub reports them.', ['repo', 'user']),
  gauge('github_repo_traffic_clones_unique', 'Unique cloners of the repository over the last 14 days, as GitHub reports them.', ['repo', 'user']),
  gauge('github_repo_traffic_referrer_views', 'Views from one of the top 10 referring sites over the last 14 days.', ['repo', 'user', 'referrer']),
  gauge('github_repo_traffic_path_views', 'Views of one of the 10 most popular paths of the repository over the last 14 days.', ['repo', 'user', 'path']),
  ...(
    [
      ['github_repo_traffic_views_daily', 'Views of the repository on one UTC day (a point at the end of each day, kept after GitHub drops it).'],
      ['github_repo_traffic_views_unique_daily', 'Unique visitors of the repository on one UTC day.'],
      ['github_repo_traffic_clones_daily', 'Clones of the repository on one UTC day.'],
      ['github_repo_traffic_clones_unique_daily', 'Unique cloners of the repository on one UTC day.'],
    ] as const
  ).map(([name, help]): MetricDef => ({ ...gauge(name, help, ['repo', 'user']), historyOnly: true })),
];

export const githubMetrics: readonly MetricDef[] = [
  gauge('github_repo_stars', 'Stars (stargazers) of the repository.', REPOSITORY_LABELS),
  gauge('github_repo_forks', 'Forks of the repository.', REPOSITORY_LABELS),
  gauge('github_repo_watchers', 'People watching (subscribed to) the repository.', REPOSITORY_LABELS),
  gauge('github_repo_size_kb', 'Size of the repository in kilobytes, as GitHub reports it.', REPOSITORY_LABELS),
  gauge('github_repo_open_issues', 'Open issues of the repository, pull requests not included.', REPOSITORY_LABELS),
  gauge('github_repo_pull_request_count', 'Open pull requests of the repository.', ['repo', 'user']),
  gauge(
    'github_repo_release_downloads',
    'Downloads of one release asset (release = release name, "" without one; name = asset name; created_at = when the asset was uploaded).',
    ['repo', 'user', 'release', 'name', 'tag', 'created_at'],
  ),
  gauge('github_repo_commits', 'Commits on the default branch of the repository.', ['repo', 'user']),
  gauge('github_repo_last_commit_timestamp_seconds', 'When the head commit of the default branch was committed, in epoch seconds.', ['repo', 'user']),
  gauge('github_repo_closed_issues', 'Closed issues of the repository, pull requests not included.', ['repo', 'user']),
  gauge('github_repo_merged_pull_requests', 'Merged pull requests of the repository.', ['repo', 'user']),
  gauge('github_repo_releases', 'Published releases of the repository (drafts not included).', ['repo', 'user']),
  gauge('github_repo_contributors', 'Contributors to the repository, anonymous ones included (read once a day).', ['repo', 'user']),
  gauge('github_owner_repositories', 'Repositories counted for a configured organization or user (after the include filters).', ['user']),
  gauge('github_owner_stars', 'Stars summed over the repositories counted for a configured organization or user.', ['user']),
  ...trafficMetrics,
  gauge('github_rate_limit', 'GitHub API requests (GraphQL: points) allowed per hour, per rate-limit resource (core, graphql, …).', ['resource']),
  gauge('github_rate_remaining', 'GitHub API requests (GraphQL: points) left in the current rate-limit window, per resource.', ['resource']),
  gauge('github_rate_reset', 'When the current GitHub rate-limit window of the resource resets, in epoch seconds.', ['resource']),
  gauge('github_rate_spent_per_poll', 'GitHub API budget the last poll spent listing repositories, per rate-limit resource: REST requests (a 304 is free), GraphQL points (the queries\' rateLimit.cost). Contributor counts and traffic, paced on their own, are not included.', ['resource']),
];

export function repositoryLabels(repository: RepositoryIdentity): Labels {
  return {
    repo: repository.name,
    user: repository.owner,
    private: String(repository.isPrivate),
    fork: String(repository.isFork),
    archived: String(repository.isArchived),
    license: repository.license,
    language: repository.language,
  };
}

export function repositorySamples(repository: RepositoryStats): Sample[] {
  const labels = repositoryLabels(repository);
  const samples: Sample[] = [
    { metric: 'github_repo_stars', labels, value: repository.stars },
    { metric: 'github_repo_forks', labels, value: repository.forks },
    { metric: 'github_repo_watchers', labels, value: repository.watchers },
    { metric: 'github_repo_size_kb', labels, value: repository.sizeKb },
    { metric: 'github_repo_open_issues', labels, value: repository.openIssues },
    { metric: 'github_repo_pull_request_count', labels: { repo: repository.name, user: repository.owner }, value: repository.openPullRequests },
  ];
  samples.push(...figureSamples(repository));
  for (const release of repository.releases) {
    for (const asset of release.assets) {
      samples.push({
        metric: 'github_repo_release_downloads',
        labels: {
          repo: repository.name,
          user: repository.owner,
          release: release.name,
          name: asset.name,
          tag: release.tag,
          created_at: asset.createdAt,
        },
        value: asset.downloads,
      });
    }
  }
  return samples;
}

const FIGURE_METRICS: readonly (readonly [keyof RepositoryFigures, string, (value: number) => number])[] = [
  ['commits', 'github_repo_commits', (value) => value],
  ['lastCommitAt', 'github_repo_last_commit_timestamp_seconds', (ms) => Math.floor(ms / 1000)],
  ['closedIssues', 'github_repo_closed_issues', (value) => value],
  ['mergedPullRequests', 'github_repo_merged_pull_requests', (value) => value],
  ['releases', 'github_repo_releases', (value) => value],
  ['contributors', 'github_repo_contributors', (value) => value],
];

/** One sample per figure the collection has; an absent figure has no sample (never a made-up 0). */
export function figureSamples(repository: Pick<RepositoryStats, 'name' | 'owner' | 'figures'>): Sample[] {
  const labels = { repo: repository.name, user: repository.owner };
  const samples: Sample[] = [];
  for (const [field, metric, toValue] of FIGURE_METRICS) {
    const value = repository.figures[field];
    if (value !== undefined) samples.push({ metric, labels, value: toValue(value) });
  }
  return samples;
}

export function ownerSamples(owner: OwnerStats): Sample[] {
  return [
    { metric: 'github_owner_repositories', labels: { user: owner.login }, value: owner.repositories },
    { metric: 'github_owner_stars', labels: { user: owner.login }, value: owner.stars },
  ];
}

/** The budget of each rate-limit resource the run saw, and what the run spent of it, labelled by `resource`. */
export function rateSamples(budgets: RateBudgets, spent: ReadonlyMap<string, number> = new Map()): Sample[] {
  const samples: Sample[] = [];
  for (const [resource, budget] of [...budgets].sort(([a], [b]) => a.localeCompare(b))) {
    const labels = { resource };
    samples.push(
      { metric: 'github_rate_limit', labels, value: budget.limit },
      { metric: 'github_rate_remaining', labels, value: budget.remaining },
      { metric: 'github_rate_reset', labels, value: Math.floor(budget.resetAt / 1000) },
    );
    const used = spent.get(resource);
    if (used !== undefined) samples.push({ metric: 'github_rate_spent_per_poll', labels, value: used });
  }
  return samples;
}
