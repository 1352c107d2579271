// Which figures the Overview headlines per source, and by which label it groups them into cards
// (one card per owner, namespace, property or package). A source missing from the table still gets
// cards: its first catalogue metric, grouped by that metric's first label.
import type { SourceInfo } from '../../shared/api.js';
import type { Labels } from '../../shared/metrics.js';
import { metricTitle } from './names.js';

export interface HeadlineMetric {
  readonly metric: string;
  /** What the total is called on a card, e.g. "Stars". */
  readonly title: string;
  /** Only series whose labels match these (e.g. one period of a rolling count) are summed. */
  readonly where?: Labels;
}

export interface HeadlineSpec {
  /** The label whose values become cards. */
  readonly groupBy: string;
  /** What one card stands for, e.g. "owner". */
  readonly groupNoun: string;
  /** The first is the card's main figure (sparkline, sort order). */
  readonly metrics: readonly HeadlineMetric[];
}

export const headlineSpecs: Readonly<Record<string, HeadlineSpec>> = {
  github: {
    groupBy: 'user',
    groupNoun: 'owner',
    metrics: [
      { metric: 'github_repo_stars', title: 'Stars' },
      { metric: 'github_repo_forks', title: 'Forks' },
    ],
  },
  dockerhub: {
    groupBy: 'namespace',
    groupNoun: 'namespace',
    metrics: [
      { metric: 'docker_hub_image_pulls_total', title: 'Pulls' },
      { metric: 'docker_hub_image_stars', title: 'Stars' },
    ],
  },
  ga4: {
    groupBy: 'property',
    groupNoun: 'property',
    metrics: [
      { metric: 'ga4_active_users', title: 'Users (28 days)', where: { period: 'last_28_days' } },
      { metric: 'ga4_page_views', title: 'Page views (28 days)', where: { period: 'last_28_days' } },
    ],
  },
  npm: {
    groupBy: 'package',
    groupNoun: 'package',
    metrics: [{ metric: 'npm_package_downloads', title: 'Downloads (7 days)', where: { period: 'last_week' } }],
  },
};

/** The table's entry, or one derived from the catalogue; null when the source has no labelled metric. */
export function headlineSpecFor(source: SourceInfo): HeadlineSpec | null {
  const known = headlineSpecs[source.id];
  if (known) return known;
  const first = source.metrics.find((metric) => metric.labels.length > 0);
  if (!first) return null;
  const groupBy = first.labels[0]!;
  return { groupBy, groupNoun: groupBy, metrics: [{ metric: first.name, title: metricTitle(first.name) }] };
}

export function matchesLabels(labels: Labels, where: Labels | undefined): boolean {
  if (!where) return true;
  return Object.entries(where).every(([key, value]) => labels[key] === value);
}
