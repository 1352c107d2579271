// The Overview's cards: one per owner / namespace / property / package of each configured source,
// with headline totals, their changes over 24 h / 7 d / 30 d, biggest movers first.
import type { LatestSeries, RangeResult, SourceHealth, SourceInfo } from '../../shared/api.js';
import type { SourceStatusKind } from '../../shared/source-status.js';
import { headlineGroupOf, headlineSpecFor, matchesLabels, type HeadlineSpec } from './headlines.js';
import { DAY_MS, baseOf, changeSinceBase, covers, deltaOf, historyStartOf, moverScore, type SeriesBook } from './series-book.js';
import { seriesTitle } from './names.js';
import { sumRange } from '../../shared/range-sums.js';

export const CHANGE_WINDOWS: readonly { readonly ms: number; readonly label: string }[] = [
  { ms: DAY_MS, label: '24 h' },
  { ms: 7 * DAY_MS, label: '7 d' },
  { ms: 30 * DAY_MS, label: '30 d' },
];

export const CHANGE_WINDOWS_MS: readonly number[] = CHANGE_WINDOWS.map((window) => window.ms);

export interface FigureChange {
  readonly windowMs: number;
  /** Null when no series of the figure has a known base, or when the figure's history is younger than the window. */
  readonly delta: number | null;
  /** The total one window ago, for the relative change. */
  readonly base: number | null;
  /** When the figure's history starts, if that is within the window (why delta is null); otherwise null. */
  readonly historyStart: number | null;
}

export interface CardFigure {
  readonly metric: string;
  readonly title: string;
  readonly total: number;
  readonly seriesIds: readonly number[];
  readonly changes: readonly FigureChange[];
}

export interface OverviewCard {
  /** Stable across updates: "source:group". */
  readonly key: string;
  readonly source: string;
  readonly sourceTitle: string;
  readonly groupNoun: string;
  readonly group: string;
  /** The first figure is the card's main one. */
  readonly figures: readonly CardFigure[];
}

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

export function cardKey(source: string, group: string): string {
  return `${source}:${group}`;
}

/** Series of the book that a headline of the source counts, by group value. */
function groupSeries(book: SeriesBook, source: string, spec: HeadlineSpec, metric: string): Map<string, LatestSeries[]> {
  const groups = new Map<string, LatestSeries[]>();
  for (const series of book.byId.values()) {
    if (series.source !== source) continue;
    const group = headlineGroupOf(series, spec, metric);
    if (group === null) continue;
    const list = groups.get(group);
    if (list) list.push(series);
    else groups.set(group, [series]);
  }
  return groups;
}

/**
 * A figure's total and its changes. A window counts as covered when the history of some member
 * reaches back that far: members younger than the window then add what they changed since their
 * first value (as the store counts them). When none reaches back, the change is unknown.
 */
function figureOf(book: SeriesBook, metric: string, title: string, members: readonly LatestSeries[], windowsMs: readonly number[]): CardFigure {
  const total = members.reduce((sum, series) => sum + series.value, 0);
  const starts = members.map((series) => historyStartOf(book, series.id)).filter((start) => start !== null);
  const historyStart = starts.length > 0 ? Math.min(...starts) : null;
  const changes = windowsMs.map((windowMs): FigureChange => {
    let delta: number | null = null;
    let base: number | null = null;
    for (const series of members) {
      const seriesDelta = changeSinceBase(book, series.id, windowMs);
      const seriesBase = baseOf(book, series.id, windowMs);
      if (seriesDelta === null || seriesBase === null) continue;
      delta = (delta ?? 0) + seriesDelta;
      base = (base ?? 0) + seriesBase;
    }
    const covered = members.some((series) => baseOf(book, series.id, windowMs) !== null && covers(book, series.id, windowMs));
    if (delta !== null && !covered) return { windowMs, delta: null, base: null, historyStart };
    return { windowMs, delta, base, historyStart: null };
  });
  return { metric, title, total, seriesIds: members.map((series) => series.id), changes };
}

/** Cards of every configured source, biggest movers first. */
export function buildCards(sources: readonly SourceInfo[], book: SeriesBook, windowsMs: readonly number[] = CHANGE_WINDOWS_MS): OverviewCard[] {
  const cards: OverviewCard[] = [];
  for (const source of sources) {
    if (!source.configured) continue;
    const spec = headlineSpecFor(source);
    if (!spec) continue;
    const perMetric = spec.metrics.map((headline) => ({ headline, groups: groupSeries(book, source.id, spec, headline.metric) }));
    const groupNames = new Set(perMetric.flatMap(({ groups }) => [...groups.keys()]));
    for (const group of groupNames) {
      // A sparse spec (user-defined metrics, each entry its own) shows only what the group has.
      const figures = perMetric
        .filter(({ groups }) => !spec.sparse || groups.has(group))
        .map(({ headline, groups }) => figureOf(book, headline.metric, headline.title, groups.get(group) ?? [], windowsMs));
      cards.push({ key: cardKey(source.id, group), source: source.id, sourceTitle: source.title, groupNoun: spec.groupNoun, group, figures });
    }
  }
  return sortByMovement(cards, windowsMs[0] ?? DAY_MS);
}

export function cardScore(card: OverviewCard, windowMs: number): number {
  const change = card.figures[0]?.changes.find((item) => item.windowMs === windowMs);
  if (!change || change.delta === null || change.base === null) return 0;
  return moverScore(change.delta, change.base);
}

/** Biggest relative change of the main figure first; then the biggest absolute change; then the biggest total; then by name. */
export function sortByMovement(cards: readonly OverviewCard[], windowMs: number): OverviewCard[] {
  const absolute = (card: OverviewCard) => Math.abs(card.figures[0]?.changes.find((item) => item.windowMs === windowMs)?.delta ?? 0);
  const total = (card: OverviewCard) => card.figures[0]?.total ?? 0;
  return [...cards].sort((a, b) =>
    cardScore(b, windowMs) - cardScore(a, windowMs) ||
    absolute(b) - absolute(a) ||
    total(b) - total(a) ||
    a.key.localeCompare(b.key),
  );
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

/** Every series the cards count (for one changes() request), or only those of each card's main figure (for trends). */
export function headlineSeriesIds(sources: readonly SourceInfo[], latest: readonly LatestSeries[], mainOnly = false): number[] {
  const ids: number[] = [];
  const specs = new Map(sources.filter((source) => source.configured).map((source) => [source.id, headlineSpecFor(source)]));
  for (const series of latest) {
    const spec = specs.get(series.source);
    if (!spec) continue;
    const headlines = mainOnly ? spec.metrics.slice(0, 1) : spec.metrics;
    if (headlines.some((headline) => headline.metric === series.metric && matchesLabels(series.labels, headline.where))) ids.push(series.id);
  }
  return ids;
}

export interface Trend {
  readonly times: readonly number[];
  readonly values: readonly (number | null)[];
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
