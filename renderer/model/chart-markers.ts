// Which markers a Details chart asks for: the releases of the repositories whose series are charted,
// over the chart's span. Bounded: at most MAX_MARKER_REPOS repositories' markers at once (a chart of
// many repositories would be all lines and no readable labels).
import type { ChartMarker as ApiMarker, LatestSeries, MarkersRequest } from '../../shared/api.js';
import type { ChartMarker } from '../chart/markers.js';
import type { TimeSpan } from './details-state.js';

export const MAX_MARKER_REPOS = 3;

/** One request per charted GitHub repository (labels user + repo), first chosen first, at most MAX_MARKER_REPOS. */
export function markerRequests(charted: readonly (LatestSeries | undefined)[], span: TimeSpan): MarkersRequest[] {
  const requests = new Map<string, MarkersRequest>();
  for (const series of charted) {
    if (series?.source !== 'github') continue;
    const { user, repo } = series.labels;
    if (user === undefined || repo === undefined) continue;
    const key = `${user}/${repo}`;
    if (requests.has(key)) continue;
    if (requests.size === MAX_MARKER_REPOS) break;
    requests.set(key, { source: 'github', labels: { user, repo }, start: span.start, end: span.end });
  }
  return [...requests.values()];
}

/** The chart's markers; with more than one repository, each label names its repository. */
export function chartMarkers(found: readonly (readonly ApiMarker[])[], requests: readonly MarkersRequest[]): ChartMarker[] {
  const named = requests.length > 1;
  return found.flatMap((markers, index) => {
    const repo = requests[index]?.labels?.repo;
    return markers.map((marker) => ({ time: marker.time, label: named && repo !== undefined ? `${repo} ${marker.text}` : marker.text }));
  });
}
