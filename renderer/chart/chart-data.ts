// Shaping range() answers for uPlot, kept free of drawing so it can be tested on its own: one shared
// x axis (uPlot wants every series on the same times), seconds for uPlot's time axis, a guard for
// log scales, which cannot show zero or negative values, and chart lines that sum several series
// (a total) fetched in requests the API accepts.
import type { LatestSeries, RangeRequest, RangeResult } from '../../shared/api.js';
import { sumTrend } from '../model/overview.js';

/** One line's points; K identifies the line (a series id, or a line key). */
export interface SeriesPoints<K = number> {
  readonly id: K;
  readonly times: readonly number[];
  readonly values: readonly (number | null)[];
}

/** Several series on one time axis (epoch ms, ascending); columns[i][j] is series i at times[j]. */
export interface AlignedSeries<K = number> {
  readonly ids: readonly K[];
  readonly times: readonly number[];
  readonly columns: readonly (readonly (number | null)[])[];
}

/** Puts the series on the union of their times; a series has null where it has no point. */
export function alignSeries<K>(series: readonly SeriesPoints<K>[]): AlignedSeries<K> {
  const timeSet = new Set<number>();
  for (const item of series) for (const time of item.times) timeSet.add(time);
  const times = [...timeSet].sort((a, b) => a - b);
  const position = new Map(times.map((time, index) => [time, index]));
  const columns = series.map((item) => {
    const column = new Array<number | null>(times.length).fill(null);
    item.times.forEach((time, index) => {
      const value = item.values[index];
      column[position.get(time)!] = value === undefined || value === null || !Number.isFinite(value) ? null : value;
    });
    return column;
  });
  return { ids: series.map((item) => item.id), times, columns };
}

/** Drops the leading times at which no series has a value yet (before history starts). */
export function trimLeadingEmpty<K>(aligned: AlignedSeries<K>): AlignedSeries<K> {
  const first = firstValueIndex(aligned);
  if (first <= 0) return first === -1 ? { ...aligned, times: [], columns: aligned.columns.map(() => []) } : aligned;
  return { ids: aligned.ids, times: aligned.times.slice(first), columns: aligned.columns.map((column) => column.slice(first)) };
}

/** The index of the first time at which any series has a value; -1 when none has one. */
export function firstValueIndex(aligned: Pick<AlignedSeries, 'times' | 'columns'>): number {
  for (let index = 0; index < aligned.times.length; index++) {
    if (aligned.columns.some((column) => column[index] !== null && column[index] !== undefined)) return index;
  }
  return -1;
}

/** On a log scale zero and negative values have no place: they become gaps. */
export function logSafe(values: readonly (number | null)[]): (number | null)[] {
  return values.map((value) => (value !== null && value > 0 ? value : null));
}

/** Whether a log scale can show anything at all (some value above zero). */
export function canUseLogScale(aligned: Pick<AlignedSeries, 'columns'>): boolean {
  return aligned.columns.some((column) => column.some((value) => value !== null && value > 0));
}

/** Whether the log scale hides values (zero or negative ones), so the UI can say so. */
export function logHidesValues(aligned: Pick<AlignedSeries, 'columns'>): boolean {
  return aligned.columns.some((column) => column.some((value) => value !== null && value <= 0));
}

/** uPlot's data: x in seconds (its default time unit), then one column per series. */
export function toUplotData(aligned: Pick<AlignedSeries<unknown>, 'times' | 'columns'>, scale: 'linear' | 'log'): [number[], ...(number | null)[][]] {
  const xs = aligned.times.map((time) => time / 1000);
  const columns = aligned.columns.map((column) => (scale === 'log' ? logSafe(column) : [...column]));
  return [xs, ...columns];
}

export interface Readout {
  readonly time: number;
  readonly values: readonly (number | null)[];
}

/** The values under the cursor (index into the shared times), or the newest point when there is no cursor. */
export function readoutAt(aligned: Pick<AlignedSeries<unknown>, 'times' | 'columns'>, index: number | null): Readout | null {
  if (aligned.times.length === 0) return null;
  const at = index === null || index < 0 || index >= aligned.times.length ? aligned.times.length - 1 : index;
  return { time: aligned.times[at]!, values: aligned.columns.map((column) => column[at] ?? null) };
}

/** The index of a column's only value, or -1 when it has none or several (a lone point is drawn as a dot). */
export function lonePointIndex(column: ArrayLike<number | null | undefined>): number {
  let found = -1;
  for (let index = 0; index < column.length; index++) {
    if (column[index] === null || column[index] === undefined) continue;
    if (found !== -1) return -1;
    found = index;
  }
  return found;
}

type FetchRange = (request: RangeRequest) => Promise<RangeResult>;

/** A line of the chart: one series, or the sum of several (a total). */
export interface ChartLine {
  readonly key: string;
  readonly ids: readonly number[];
}

/** How many values one range request may carry (the API takes up to 2,000,000): a big total is asked in parts. */
const VALUES_PER_REQUEST = 1_000_000;

/** Every series the lines need, once each. */
export function lineSeriesIds(lines: readonly ChartLine[]): number[] {
  return [...new Set(lines.flatMap((line) => line.ids))];
}

/**
 * The lines' points over start…end at `points` points: the series are asked in as few requests as the
 * API allows (each on the same time grid), and each line is the sum of its series at each time.
 */
export async function fetchLines(fetchRange: FetchRange, lines: readonly ChartLine[], span: { readonly start: number; readonly end: number }, points: number): Promise<SeriesPoints<string>[]> {
  const ids = lineSeriesIds(lines);
  const perRequest = Math.max(1, Math.floor(VALUES_PER_REQUEST / points));
  const parts: Promise<RangeResult>[] = [];
  for (let offset = 0; offset < ids.length; offset += perRequest) {
    parts.push(fetchRange({ series: ids.slice(offset, offset + perRequest), start: span.start, end: span.end, points }));
  }
  const results = await Promise.all(parts);
  const range: RangeResult = { series: results.flatMap((result) => result.series) };
  return lines.map((line) => {
    const trend = sumTrend(range, line.ids);
    return { id: line.key, times: trend.times, values: trend.values };
  });
}

/**
 * The lines' points after a live event: a line with a series in the event gets a point at the newest
 * time seen, its sum over the latest values (the event's, else those already known).
 */
export function appendLive(points: readonly SeriesPoints<string>[], lines: readonly ChartLine[], known: ReadonlyMap<number, LatestSeries>, incoming: readonly LatestSeries[]): SeriesPoints<string>[] {
  const fresh = new Map(incoming.map((item) => [item.id, item]));
  return points.map((item) => {
    const line = lines.find((candidate) => candidate.key === item.id);
    const seen = line?.ids.map((id) => fresh.get(id)).filter((series) => series !== undefined) ?? [];
    if (!line || seen.length === 0) return item;
    const time = Math.max(...seen.map((series) => series.lastSeen));
    const lastTime = item.times[item.times.length - 1];
    if (lastTime !== undefined && time <= lastTime) return item;
    let sum: number | null = null;
    for (const id of line.ids) {
      const value = (fresh.get(id) ?? known.get(id))?.value;
      if (value !== undefined) sum = (sum ?? 0) + value;
    }
    return { id: item.id, times: [...item.times, time], values: [...item.values, sum] };
  });
}
