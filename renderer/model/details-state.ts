// The Details view's state, kept in the hash so a chart can be linked:
// #/details?series=1,2&totals=github:acme:github_repo_stars&metric=github_repo_stars&range=30d&scale=log&from=…&to=…
// and the time span a chart shows: the chosen range, cut to where history starts (a history younger
// than the range is shown whole, "since <start>"), or the zoomed span.
import { READ_LIMITS } from '../../shared/api.js';
import { DAY_MS, HOUR_MS, MIN_SPAN_MS } from '../../shared/series-book.js';
import { formatTotalRef, parseTotalRef, sameTotal, type TotalRef } from './totals.js';

export const RANGES = ['24h', '7d', '30d', '1y', 'all'] as const;
export type RangeKey = (typeof RANGES)[number];
export type Scale = 'linear' | 'log';

export const RANGE_LABELS: Readonly<Record<RangeKey, string>> = { '24h': '24 h', '7d': '7 d', '30d': '30 d', '1y': '1 y', all: 'All' };

const RANGE_MS: Readonly<Record<Exclude<RangeKey, 'all'>, number>> = {
  '24h': 24 * HOUR_MS,
  '7d': 7 * DAY_MS,
  '30d': 30 * DAY_MS,
  '1y': 365 * DAY_MS,
};


export interface TimeSpan {
  readonly start: number;
  readonly end: number;
}

export interface DetailsState {
  readonly series: readonly number[];
  /** Group totals (an owner's stars), charted as one line each. */
  readonly totals: readonly TotalRef[];
  /** The metric the picker lists; null: the first metric that has series. */
  readonly metric: string | null;
  readonly range: RangeKey;
  readonly scale: Scale;
  /** A span chosen by dragging across the chart; null: the range. */
  readonly zoom: TimeSpan | null;
}

export const DEFAULT_RANGE: RangeKey = '30d';

/** A range named in the hash; the default for anything else. */
export function parseRangeKey(text: string | null): RangeKey {
  return (RANGES as readonly string[]).includes(text ?? '') ? (text as RangeKey) : DEFAULT_RANGE;
}

function parseTime(text: string | null): number | null {
  if (text === null || !/^\d{1,15}$/.test(text)) return null;
  return Number(text);
}

export function parseDetailsState(params: URLSearchParams): DetailsState {
  const series = [...new Set((params.get('series') ?? '').split(',').map((part) => Number(part.trim())).filter((id) => Number.isSafeInteger(id) && id > 0))];
  const totals: TotalRef[] = [];
  for (const part of (params.get('totals') ?? '').split(',')) {
    const ref = parseTotalRef(part.trim());
    if (ref && !totals.some((item) => sameTotal(item, ref))) totals.push(ref);
  }
  const from = parseTime(params.get('from'));
  const to = parseTime(params.get('to'));
  return {
    series,
    totals,
    metric: params.get('metric') || null,
    range: parseRangeKey(params.get('range')),
    scale: params.get('scale') === 'log' ? 'log' : 'linear',
    zoom: from !== null && to !== null && to > from ? { start: from, end: to } : null,
  };
}

export function detailsParams(state: DetailsState): Record<string, string | undefined> {
  return {
    series: state.series.length > 0 ? state.series.join(',') : undefined,
    totals: state.totals.length > 0 ? state.totals.map(formatTotalRef).join(',') : undefined,
    metric: state.metric ?? undefined,
    range: state.range === DEFAULT_RANGE ? undefined : state.range,
    scale: state.scale === 'log' ? 'log' : undefined,
    from: state.zoom ? String(Math.round(state.zoom.start)) : undefined,
    to: state.zoom ? String(Math.round(state.zoom.end)) : undefined,
  };
}

/** The length of a fixed range; null for "all". */
export function rangeMs(range: RangeKey): number | null {
  return range === 'all' ? null : RANGE_MS[range];
}

/** The time span of a fixed range, ending now; null for "all" (its start comes from the data). */
export function rangeSpan(range: RangeKey, now: number): TimeSpan | null {
  const length = rangeMs(range);
  return length === null ? null : { start: now - length, end: now };
}

export interface ChartSpan extends TimeSpan {
  /** The span starts where history starts (the range reaches back further, or is "all"): say "since <start>". */
  readonly sinceStart: boolean;
}

/**
 * What the chart shows: the zoomed span; else the range ending at `end`, cut to `historyStart` when
 * the history is younger than the range ("all" is always cut there). Null when "all" has no history.
 */
export function chartSpan(state: Pick<DetailsState, 'range' | 'zoom'>, historyStart: number | null, end: number): ChartSpan | null {
  if (state.zoom) return { ...state.zoom, sinceStart: false };
  const length = rangeMs(state.range);
  const rangeStart = length === null ? null : end - length;
  // No history (or one that starts after `end`): the plain range, which then has nothing in it.
  if (historyStart === null || historyStart > end) return rangeStart === null ? null : { start: rangeStart, end, sinceStart: false };
  if (rangeStart !== null && historyStart <= rangeStart) return { start: rangeStart, end, sinceStart: false };
  return { start: Math.min(historyStart, end - MIN_SPAN_MS), end, sinceStart: true };
}

/** Whether the history is younger than the range, so the range shows the same as "since <start>". */
export function rangeExceedsHistory(range: RangeKey, historyStart: number | null, now: number): boolean {
  const length = rangeMs(range);
  return historyStart !== null && length !== null && historyStart > now - length;
}

/** About one point per pixel of chart width, within what the API allows. */
export function pointsForWidth(widthPx: number): number {
  if (!Number.isFinite(widthPx) || widthPx <= 0) return 600;
  return Math.min(READ_LIMITS.rangePoints, Math.max(50, Math.round(widthPx)));
}
