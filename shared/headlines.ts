// Which figures the Overview headlines per source, and by which label it groups them into cards
// (one card per owner, namespace, property or package). Each source module declares this (SourceInfo.ui);
// a source that declares nothing still gets cards: its first catalogue metric, grouped by its first label.
import type { LatestSeries, SourceInfo } from './api.js';
import type { Labels } from './metrics.js';
import type { HeadlineMetric, HeadlineSpec } from './source-ui.js';

export type { HeadlineMetric, HeadlineSpec };
import { metricTitle } from './names.js';

/** The source's own spec, or one derived from the catalogue; null when the source has no labelled metric. */
export function headlineSpecFor(source: SourceInfo): HeadlineSpec | null {
  if (source.ui) return source.ui.overview;
  const first = source.metrics.find((metric) => metric.labels.length > 0);
  if (!first) return null;
  const groupBy = first.labels[0]!;
  return { groupBy, groupNoun: groupBy, metrics: [{ metric: first.name, title: metricTitle(first.name) }] };
}

export function matchesLabels(labels: Labels, where: Labels | undefined): boolean {
  if (!where) return true;
  return Object.entries(where).every(([key, value]) => labels[key] === value);
}

/** The group (card) a series counts towards in the headline of `metric`, or null when it counts in none. */
export function headlineGroupOf(series: Pick<LatestSeries, 'metric' | 'labels'>, spec: HeadlineSpec, metric: string): string | null {
  const headline = spec.metrics.find((item) => item.metric === metric);
  if (!headline || series.metric !== metric || !matchesLabels(series.labels, headline.where)) return null;
  const group = series.labels[spec.groupBy];
  return group === undefined || group === '' ? null : group;
}
