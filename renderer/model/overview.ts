// What the Overview and Glance views add to the shared cards (shared/overview.ts): a card's status
// from its source's health, the top movers of the Glance, and sparkline helpers.
import type { LatestSeries, RangeResult, SourceHealth, SourceInfo } from '../../shared/api.js';
import type { SourceStatusKind } from '../../shared/source-status.js';
import { headlineSpecFor, matchesLabels } from '../../shared/headlines.js';
import { baseOf, deltaOf, moverScore, type SeriesBook } from '../../shared/series-book.js';
import { seriesTitle } from '../../shared/names.js';
import { sumRange } from '../../shared/range-sums.js';
import type { Trend } from '../../shared/overview.js';

/** What a card says about its source's health. */
export interface CardStatus {
  readonly kind: SourceStatusKind | null;
  readonly detail: string | null;
}

/**
 * A card's status: its source's, except for a partly failing source whose targets are its groups
 * (HeadlineSpec.groupTarget): then only a card whose own targets failed says so, naming them.
 */
export function cardStatus(source: SourceInfo, group: string, status: CardStatus, failedTargets: SourceHealth['failedTargets']): CardStatus {
  const prefix = headlineSpecFor(source)?.groupTarget;
  if (prefix === undefined || status.kind !== 'partial') return status;
  const target = `${prefix}${group}`;
  const own = failedTargets.filter((failed) => failed.target === target || failed.target.startsWith(`${target} `));
  if (own.length === 0) return { kind: 'ok', detail: null };
  return { kind: 'partial', detail: own.map((failed) => `${failed.target}: ${failed.message}`).join('; ') };
}

export interface Mover {
  readonly series: LatestSeries;
  readonly title: string;
  readonly delta: number;
  readonly base: number;
}

/** The series of headline metrics that changed most over the window (relative first), non-zero changes only. */
export function topMovers(sources: readonly SourceInfo[], book: SeriesBook, windowMs: number, count: number): Mover[] {
  const movers: Mover[] = [];
  for (const source of sources) {
    if (!source.configured) continue;
    const spec = headlineSpecFor(source);
    if (!spec) continue;
    for (const series of book.byId.values()) {
      if (series.source !== source.id) continue;
      if (!spec.metrics.some((headline) => headline.metric === series.metric && matchesLabels(series.labels, headline.where))) continue;
      const delta = deltaOf(book, series.id, windowMs);
      const base = baseOf(book, series.id, windowMs);
      if (delta === null || base === null || delta === 0) continue;
      movers.push({ series, title: seriesTitle(series), delta, base });
    }
  }
  return movers
    .sort((a, b) => moverScore(b.delta, b.base) - moverScore(a.delta, a.base) || Math.abs(b.delta) - Math.abs(a.delta) || a.series.id - b.series.id)
    .slice(0, count);
}

/**
 * The sum of the given series at each time of a range answer (one shared time grid per request):
 * null where none of them had a value yet.
 */
export function sumTrend(range: RangeResult, ids: readonly number[]): Trend {
  const { times, sums } = sumRange(range, [ids]);
  return { times, values: sums[0] ?? [] };
}

/** A trend with the current total as its last point, so live updates show on the sparkline at once. */
export function withCurrent(trend: Trend, time: number, total: number): Trend {
  const times = [...trend.times];
  const values = [...trend.values];
  if (times.length > 0 && times[times.length - 1]! >= time) {
    values[values.length - 1] = total;
  } else {
    times.push(time);
    values.push(total);
  }
  return { times, values };
}
