// A total on the Details chart: the sum of a headline metric over one group of a source (an owner's
// stars, a namespace's pulls), the same figure an Overview card shows. It is kept in the hash as
// "source:group:metric" (each part URI-encoded, so a group may hold any character); its members are
// found again from the current series, so a repository added later counts as soon as it is polled.
import type { LatestSeries, SourceInfo } from '../../shared/api.js';
import { headlineGroupOf, headlineSpecFor } from '../../shared/headlines.js';

export interface TotalRef {
  readonly source: string;
  readonly group: string;
  readonly metric: string;
}

export function formatTotalRef(ref: TotalRef): string {
  return [ref.source, ref.group, ref.metric].map(encodeURIComponent).join(':');
}

/** "github:acme:github_repo_stars" → the reference; null for anything else. */
export function parseTotalRef(text: string): TotalRef | null {
  const parts = text.split(':');
  if (parts.length !== 3 || parts.some((part) => part === '')) return null;
  try {
    const [source, group, metric] = parts.map(decodeURIComponent) as [string, string, string];
    return { source, group, metric };
  } catch {
    return null;
  }
}

export function sameTotal(a: TotalRef, b: TotalRef): boolean {
  return a.source === b.source && a.group === b.group && a.metric === b.metric;
}

/** The series the total sums, biggest first; none when the source or its headline no longer has it. */
export function totalMembers(ref: TotalRef, sources: readonly SourceInfo[], latest: Iterable<LatestSeries>): LatestSeries[] {
  const source = sources.find((item) => item.id === ref.source);
  const spec = source ? headlineSpecFor(source) : null;
  if (!spec) return [];
  const members: LatestSeries[] = [];
  for (const series of latest) {
    if (series.source === ref.source && headlineGroupOf(series, spec, ref.metric) === ref.group) members.push(series);
  }
  return members.sort((a, b) => b.value - a.value || a.id - b.id);
}

/** "acme (total)": what the total is of; the metric is named where the chart mixes metrics. */
export function totalTitle(ref: TotalRef): string {
  return `${ref.group} (total)`;
}
