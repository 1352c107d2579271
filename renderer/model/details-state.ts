// The Details view's state, kept in the hash so a chart can be linked:
// #/details?series=1,2&metric=github_repo_stars&range=30d&scale=log
import { READ_LIMITS } from '../../shared/api.js';
import { DAY_MS, HOUR_MS } from './series-book.js';

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

export interface DetailsState {
  readonly series: readonly number[];
  /** The metric the picker lists; null: the first metric that has series. */
  readonly metric: string | null;
  readonly range: RangeKey;
  readonly scale: Scale;
}

export const DEFAULT_RANGE: RangeKey = '30d';

export function parseDetailsState(params: URLSearchParams): DetailsState {
  const series = [...new Set((params.get('series') ?? '').split(',').map((part) => Number(part.trim())).filter((id) => Number.isSafeInteger(id) && id > 0))];
  const range = params.get('range');
  return {
    series,
    metric: params.get('metric') || null,
    range: (RANGES as readonly string[]).includes(range ?? '') ? (range as RangeKey) : DEFAULT_RANGE,
    scale: params.get('scale') === 'log' ? 'log' : 'linear',
  };
}

export function detailsParams(state: DetailsState): Record<string, string | undefined> {
  return {
    series: state.series.length > 0 ? state.series.join(',') : undefined,
    metric: state.metric ?? undefined,
    range: state.range === DEFAULT_RANGE ? undefined : state.range,
    scale: state.scale === 'log' ? 'log' : undefined,
  };
}

/** The time span of a fixed range, ending now; null for "all" (its start comes from the data). */
export function rangeSpan(range: RangeKey, now: number): { start: number; end: number } | null {
  if (range === 'all') return null;
  return { start: now - RANGE_MS[range], end: now };
}

/** About one point per pixel of chart width, within what the API allows. */
export function pointsForWidth(widthPx: number): number {
  if (!Number.isFinite(widthPx) || widthPx <= 0) return 600;
  return Math.min(READ_LIMITS.rangePoints, Math.max(50, Math.round(widthPx)));
}
