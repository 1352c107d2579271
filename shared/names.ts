// Human names for metrics and series: "Stars" for github_repo_stars, "octo-org/api" for a repository's
// series. Unknown metrics and sources fall back to names derived from the metric and its labels.
import type { LatestSeries } from './api.js';
import type { Labels } from './metrics.js';

const METRIC_TITLES: Readonly<Record<string, string>> = {
  github_repo_stars: 'Stars',
  github_repo_forks: 'Forks',
  github_repo_watchers: 'Watchers',
  github_repo_size_kb: 'Size (KB)',
  github_repo_open_issues: 'Open issues',
  github_repo_pull_request_count: 'Open pull requests',
  github_repo_release_downloads: 'Release downloads',
  github_repo_commits: 'Commits',
  github_repo_last_commit_timestamp_seconds: 'Last commit',
  github_repo_closed_issues: 'Closed issues',
  github_repo_merged_pull_requests: 'Merged pull requests',
  github_repo_releases: 'Releases',
  github_repo_contributors: 'Contributors',
  github_owner_repositories: 'Repositories',
  github_owner_stars: 'Stars per owner',
  github_repo_traffic_views: 'Views (14 days)',
  github_repo_traffic_views_unique: 'Unique visitors (14 days)',
  github_repo_traffic_clones: 'Clones (14 days)',
  github_repo_traffic_clones_unique: 'Unique cloners (14 days)',
  github_repo_traffic_views_daily: 'Views per day',
  github_repo_traffic_views_unique_daily: 'Unique visitors per day',
  github_repo_traffic_clones_daily: 'Clones per day',
  github_repo_traffic_clones_unique_daily: 'Unique cloners per day',
  github_repo_traffic_referrer_views: 'Views by referrer (14 days)',
  github_repo_traffic_path_views: 'Views by path (14 days)',
  github_rate_limit: 'API rate limit',
  github_rate_remaining: 'API requests left',
  github_rate_reset: 'API rate-limit reset',
  docker_hub_image_pulls_total: 'Pulls',
  docker_hub_image_stars: 'Stars',
  docker_hub_image_is_automated: 'Automated build',
  docker_hub_image_last_updated: 'Last pushed',
  ga4_active_users: 'Active users',
  ga4_new_users: 'New users',
  ga4_sessions: 'Sessions',
  ga4_page_views: 'Page views',
  ga4_page_views_by_page: 'Page views by page',
  ga4_realtime_active_users: 'Active users (last 30 min)',
  ga4_quota_tokens_per_day_remaining: 'Quota left today',
  ga4_quota_tokens_per_hour_remaining: 'Quota left this hour',
  npm_package_downloads: 'Downloads',
};

/** "github_repo_open_issues" → "Open issues"; unknown names become words ("foo_bar_total" → "Foo bar total"). */
export function metricTitle(metric: string): string {
  const known = METRIC_TITLES[metric];
  if (known) return known;
  const words = metric.replace(/_+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const PERIOD_TITLES: Readonly<Record<string, string>> = {
  today: 'today',
  yesterday: 'yesterday',
  last_day: '1 day',
  last_week: '7 days',
  last_month: '30 days',
  last_28_days: '28 days',
};

export function periodTitle(period: string): string {
  return PERIOD_TITLES[period] ?? period.replace(/_+/g, ' ');
}

function withPeriod(title: string, labels: Labels): string {
  return labels.period ? `${title} (${periodTitle(labels.period)})` : title;
}

/** What the series is about, without the metric: a repository, an image, a property, a package. */
export function seriesTitle(series: Pick<LatestSeries, 'source' | 'metric' | 'labels'>): string {
  const { labels } = series;
  switch (series.source) {
    case 'github': {
      if (labels.repo === undefined) return labels.user ?? 'GitHub';
      const repository = labels.user ? `${labels.user}/${labels.repo}` : labels.repo;
      if (series.metric === 'github_repo_release_downloads') {
        return [repository, labels.tag || labels.release, labels.name].filter(Boolean).join(' · ');
      }
      // A repository's referrers and paths: each series is one of them.
      if (labels.referrer !== undefined || labels.path !== undefined) return `${repository} · ${labels.referrer ?? labels.path}`;
      return repository;
    }
    case 'dockerhub': {
      const namespace = labels.namespace ?? labels.user;
      if (labels.image === undefined) return namespace ?? 'Docker Hub';
      return namespace ? `${namespace}/${labels.image}` : labels.image;
    }
    case 'ga4': {
      const property = labels.property ? `property ${labels.property}` : 'GA4';
      return withPeriod(labels.page ? `${property} ${labels.page}` : property, labels);
    }
    case 'npm':
      return withPeriod(labels.package ?? 'npm', labels);
    default: {
      const values = Object.values(labels).filter((value) => value !== '');
      return values.length > 0 ? values.join(' · ') : metricTitle(series.metric);
    }
  }
}

/** Series title and metric together, for places that mix metrics (the chart legend, movers). */
export function seriesLongTitle(series: Pick<LatestSeries, 'source' | 'metric' | 'labels'>): string {
  return `${seriesTitle(series)} — ${metricTitle(series.metric)}`;
}

/** All label values in one line, for search. */
export function seriesSearchText(series: Pick<LatestSeries, 'source' | 'metric' | 'labels'>): string {
  return [seriesTitle(series), series.metric, metricTitle(series.metric), ...Object.values(series.labels)].join(' ').toLowerCase();
}
