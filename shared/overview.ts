// The Overview's cards: one per owner / namespace / property / package of each configured source,
// with headline totals, their changes over 24 h / 7 d / 30 d and a 30-day sparkline, biggest movers
// first. The core composes them next to the history (overview()): the dashboard then receives about a
// hundred cards, not the latest value and changes of every series (at 10,000 repositories that was
// 5 MB of JSON and 2.9 s before the first card). The Glance builds the same cards from its own book.
import type { LatestSeries, RangeSumsRequest, RangeSumsResult, SeriesChanges, SourceInfo } from './api.js';
import { headlineGroupOf, headlineSpecFor, matchesLabels, type HeadlineSpec } from './headlines.js';
import { DAY_MS, MIN_SPAN_MS, baseOf, changeSinceBase, covers, createBook, historyStartOf, moverScore, withHistoryProbe, type SeriesBook } from './series-book.js';

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

export interface Trend {
  readonly times: readonly number[];
  readonly values: readonly (number | null)[];
}

/** A card as overview() answers it: the card, and what its sparkline needs. */
export interface OverviewCardWithTrend extends OverviewCard {
  /** The newest lastSeen of the main figure's series (the sparkline ends with the total then); 0 without series. */
  readonly lastSeen: number;
  /** Where the main figure's history starts (its oldest series), or null when unknown. */
  readonly historyStart: number | null;
  /** The main figure's sum over the last TREND_DAYS days, or since its history starts when younger. */
  readonly trend: Trend;
}

export interface OverviewResult {
  /** Biggest movers first. */
  readonly cards: readonly OverviewCardWithTrend[];
}

export const TREND_DAYS = 30;
const TREND_POINTS = 60;

/** The reads overview() needs, as the core (or the renderer tests' fake) answers them. */
export interface OverviewReads {
  changes(series: readonly number[], windowsMs: readonly number[]): Promise<readonly SeriesChanges[]>;
  rangeSums(request: RangeSumsRequest): Promise<RangeSumsResult>;
}

/**
 * The cards of every configured source from the latest values (those of headline metrics are enough),
 * with their changes and where each series' history starts, then one summed sparkline per card: the
 * last 30 days, or since history starts when it is younger, so a young history fills the sparkline.
 */
export async function composeOverview(sources: readonly SourceInfo[], latest: readonly LatestSeries[], reads: OverviewReads, now: number): Promise<OverviewResult> {
  const ids = headlineSeriesIds(sources, latest);
  const changes = ids.length > 0 ? await reads.changes(ids, withHistoryProbe(CHANGE_WINDOWS_MS)) : [];
  const book = createBook(latest, changes);
  const cards = buildCards(sources, book);
  // Each card's newest value and history start, once; the sparklines' common span follows from them.
  const spans = cards.map((card) => {
    let lastSeen = 0;
    let historyStart: number | null = null;
    for (const id of card.figures[0]?.seriesIds ?? []) {
      lastSeen = Math.max(lastSeen, book.byId.get(id)?.lastSeen ?? 0);
      const start = historyStartOf(book, id);
      if (start !== null) historyStart = Math.min(historyStart ?? start, start);
    }
    return { lastSeen, historyStart };
  });
  const end = spans.reduce((newest, span) => Math.max(newest, span.lastSeen), now);
  const starts = spans.flatMap((span) => (span.historyStart === null ? [] : [span.historyStart]));
  const start = Math.min(Math.max(end - TREND_DAYS * DAY_MS, starts.length > 0 ? Math.min(...starts) : 0), end - MIN_SPAN_MS);
  const charted = cards.filter((card) => (card.figures[0]?.seriesIds.length ?? 0) > 0);
  const sums = charted.length > 0 ? await reads.rangeSums({ groups: charted.map((card) => card.figures[0]!.seriesIds), start, end, points: TREND_POINTS }) : { times: [], sums: [] };
  const trends = new Map(charted.map((card, index) => [card.key, { times: sums.times, values: sums.sums[index] ?? [] }]));
  return { cards: cards.map((card, index) => ({ ...card, ...spans[index]!, trend: trends.get(card.key) ?? { times: [], values: [] } })) };
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

/** Every series the cards count (for one changes() request). */
export function headlineSeriesIds(sources: readonly SourceInfo[], latest: readonly LatestSeries[]): number[] {
  const ids: number[] = [];
  const specs = new Map(sources.filter((source) => source.configured).map((source) => [source.id, headlineSpecFor(source)]));
  for (const series of latest) {
    const spec = specs.get(series.source);
    if (!spec) continue;
    if (spec.metrics.some((headline) => headline.metric === series.metric && matchesLabels(series.labels, headline.where))) ids.push(series.id);
  }
  return ids;
}

