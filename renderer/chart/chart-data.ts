// Shaping range() answers for uPlot, kept free of drawing so it can be tested on its own: one shared
// x axis (uPlot wants every series on the same times), seconds for uPlot's time axis, and a guard
// for log scales, which cannot show zero or negative values.
import type { RangeRequest, RangeResult } from '../../shared/api.js';

export interface SeriesPoints {
  readonly id: number;
  readonly times: readonly number[];
  readonly values: readonly (number | null)[];
}

/** Several series on one time axis (epoch ms, ascending); columns[i][j] is series i at times[j]. */
export interface AlignedSeries {
  readonly ids: readonly number[];
  readonly times: readonly number[];
  readonly columns: readonly (readonly (number | null)[])[];
}

/** Puts the series on the union of their times; a series has null where it has no point. */
export function alignSeries(series: readonly SeriesPoints[]): AlignedSeries {
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
export function trimLeadingEmpty(aligned: AlignedSeries): AlignedSeries {
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
export function toUplotData(aligned: AlignedSeries, scale: 'linear' | 'log'): [number[], ...(number | null)[][]] {
  const xs = aligned.times.map((time) => time / 1000);
  const columns = aligned.columns.map((column) => (scale === 'log' ? logSafe(column) : [...column]));
  return [xs, ...columns];
}

export interface Readout {
  readonly time: number;
  readonly values: readonly (number | null)[];
}

/** The values under the cursor (index into the shared times), or the newest point when there is no cursor. */
export function readoutAt(aligned: AlignedSeries, index: number | null): Readout | null {
  if (aligned.times.length === 0) return null;
  const at = index === null || index < 0 || index >= aligned.times.length ? aligned.times.length - 1 : index;
  return { time: aligned.times[at]!, values: aligned.columns.map((column) => column[at] ?? null) };
}

type FetchRange = (request: RangeRequest) => Promise<RangeResult>;

/** How many narrowing passes "all" may take; each divides the span by about points / 2. */
const MAX_ZOOM_PASSES = 4;

/**
 * The whole history of the series at about `points` points, without knowing where it starts: asks
 * from the epoch, then again from just before the first value until history fills the chart.
 */
export async function fetchWholeHistory(fetchRange: FetchRange, series: readonly number[], end: number, points: number): Promise<RangeResult> {
  let start = 0;
  let result = await fetchRange({ series, start, end, points });
  for (let pass = 0; pass < MAX_ZOOM_PASSES; pass++) {
    const aligned = alignSeries(result.series);
    const first = firstValueIndex(aligned);
    // Empty, or history already fills most of the chart: done.
    if (first === -1 || first <= Math.ceil(points * 0.05)) break;
    const nextStart = aligned.times[first - 1]!;
    if (nextStart <= start || end - nextStart < points) break;
    start = nextStart;
    result = await fetchRange({ series, start, end, points });
  }
  return result;
}
