// The read requests of the API (latest, range, changes) checked against READ_LIMITS before any work
// is done: repeated ids and windows count once, and each refusal is a 400 naming the field and limit.
// Also how an allowed request is cut into slices small enough that the event loop (and so /metrics)
// gets a turn between them: node:sqlite is synchronous.
import { READ_LIMITS } from '../../shared/api.js';
import { ApiError } from './api-error.js';

/** Latest possible epoch millisecond of a JavaScript Date. */
const MAX_TIME_MS = 8.64e15;

/** Values (series × points, or series × windows) read between two turns of the event loop. */
export const SLICE_VALUES = 2_000;

const count = (n: number) => n.toLocaleString('en-US');

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export interface LatestFilter {
  readonly source?: string;
  readonly metric?: string;
}

export function checkLatestFilter(value: unknown): LatestFilter {
  if (value === undefined) return {};
  if (!isPlainObject(value)) throw new ApiError(400, 'latest: the filter must be an object like {"source":"github"}');
  const filter: { source?: string; metric?: string } = {};
  for (const [key, item] of Object.entries(value)) {
    if (key !== 'source' && key !== 'metric') throw new ApiError(400, `latest: unknown filter key "${key.slice(0, 40)}" — use "source" and/or "metric"`);
    if (item === undefined) continue;
    if (typeof item !== 'string' || item === '') throw new ApiError(400, `latest: filter.${key} must be a non-empty text, e.g. {"${key}":"${key === 'source' ? 'github' : 'github_repo_stars'}"}`);
    if (item.length > READ_LIMITS.filterChars) throw new ApiError(400, `latest: filter.${key} is ${count(item.length)} characters; at most ${READ_LIMITS.filterChars}`);
    filter[key] = item;
  }
  return filter;
}

/** Distinct series ids in the order first given, at most READ_LIMITS.seriesPerRequest. */
export function checkSeriesIds(value: unknown, what: string): number[] {
  if (!Array.isArray(value) || value.some((id) => !Number.isSafeInteger(id))) throw new ApiError(400, `${what} must be a list of series ids (whole numbers)`);
  const ids = [...new Set(value as number[])];
  if (ids.length > READ_LIMITS.seriesPerRequest) {
    throw new ApiError(400, `${what}: ${count(ids.length)} series; at most ${count(READ_LIMITS.seriesPerRequest)} per request — split the list`);
  }
  return ids;
}

export interface CheckedRange {
  readonly ids: number[];
  /** The first step time; the last one is the end asked for. */
  readonly start: number;
  readonly step: number;
  /** Step times per series. */
  readonly points: number;
}

/** `method` and `seriesField` name the request in refusals (rangeSums checks its groups' ids as a range). */
export function checkRange(request: unknown, method = 'range', seriesField = 'series'): CheckedRange {
  if (!isPlainObject(request)) throw new ApiError(400, `${method}: the request must be an object {${seriesField}, start, end, points}`);
  const ids = checkSeriesIds(request.series, `${method}: ${seriesField}`);
  const { start, end, points } = request;
  if (typeof start !== 'number' || typeof end !== 'number' || !(start >= 0 && end <= MAX_TIME_MS && start < end)) {
    throw new ApiError(400, `${method}: start and end must be epoch milliseconds from 0 to ${MAX_TIME_MS} with start < end`);
  }
  if (end - start > READ_LIMITS.spanMs) throw new ApiError(400, `${method}: end - start is ${count(end - start)} ms; at most ${count(READ_LIMITS.spanMs)} ms (200 years)`);
  if (typeof points !== 'number' || !Number.isInteger(points) || points < 2 || points > READ_LIMITS.rangePoints) {
    throw new ApiError(400, `${method}: points must be a whole number from 2 to ${count(READ_LIMITS.rangePoints)}`);
  }
  if (ids.length * points > READ_LIMITS.rangeValues) {
    throw new ApiError(400, `${method}: ${count(ids.length)} series × ${count(points)} points is over ${count(READ_LIMITS.rangeValues)} values per request — ask for fewer points or series`);
  }
  return rangeGrid(ids, start, end, points);
}

/** The time grid of a range (checked, or the core's own read): the last point lands exactly on `end`, so a value stored just before it is on the chart. */
export function rangeGrid(ids: number[], start: number, end: number, points: number): CheckedRange {
  const step = Math.max(1, Math.floor((end - start) / (points - 1)));
  const last = Math.floor(end);
  const first = Math.max(Math.ceil(start), last - (points - 1) * step);
  return { ids, start: first, step, points: Math.floor((last - first) / step) + 1 };
}

export interface CheckedRangeSums extends CheckedRange {
  readonly groups: number[][];
}

/** A rangeSums request: groups of series ids, bounded like a range request over all their distinct ids. */
export function checkRangeSums(request: unknown): CheckedRangeSums {
  if (!isPlainObject(request)) throw new ApiError(400, 'rangeSums: the request must be an object {groups, start, end, points}');
  const { groups } = request;
  if (!Array.isArray(groups) || groups.some((group) => !Array.isArray(group))) throw new ApiError(400, 'rangeSums: groups must be a list of lists of series ids');
  if (groups.length > READ_LIMITS.seriesPerRequest) throw new ApiError(400, `rangeSums: groups: ${count(groups.length)} groups; at most ${count(READ_LIMITS.seriesPerRequest)} per request — split the list`);
  const checked = groups.map((group) => checkSeriesIds(group, 'rangeSums: groups'));
  const range = checkRange({ series: checked.flat(), start: request.start, end: request.end, points: request.points }, 'rangeSums', 'groups');
  return { ...range, groups: checked };
}

export interface CheckedMarkers {
  readonly source: string;
  readonly labels: Record<string, string>;
  readonly start: number;
  readonly end: number;
}

export function checkMarkersRequest(request: unknown): CheckedMarkers {
  const example = '{"source":"github","labels":{"repo":"rocket"},"start":0,"end":1767225600000}';
  if (!isPlainObject(request)) throw new ApiError(400, `markers: the request must be an object like ${example}`);
  for (const key of Object.keys(request)) {
    if (!['source', 'labels', 'start', 'end'].includes(key)) throw new ApiError(400, `markers: unknown key "${key.slice(0, 40)}" — use source, labels, start and end`);
  }
  const { source, labels, start, end } = request;
  if (typeof source !== 'string' || source === '') throw new ApiError(400, `markers: source must be a non-empty text, e.g. ${example}`);
  if (source.length > READ_LIMITS.filterChars) throw new ApiError(400, `markers: source is ${count(source.length)} characters; at most ${READ_LIMITS.filterChars}`);
  const wanted: Record<string, string> = {};
  if (labels !== undefined) {
    if (!isPlainObject(labels)) throw new ApiError(400, 'markers: labels must be an object of label name to text, e.g. {"repo":"rocket"}');
    const entries = Object.entries(labels);
    if (entries.length > READ_LIMITS.markerLabels) throw new ApiError(400, `markers: ${entries.length} labels; at most ${READ_LIMITS.markerLabels}`);
    for (const [name, value] of entries) {
      if (typeof value !== 'string') throw new ApiError(400, `markers: label "${name.slice(0, 40)}" must be text`);
      if (name.length > READ_LIMITS.filterChars || value.length > READ_LIMITS.filterChars) throw new ApiError(400, `markers: label names and values are at most ${READ_LIMITS.filterChars} characters`);
      wanted[name] = value;
    }
  }
  if (typeof start !== 'number' || typeof end !== 'number' || !(start >= 0 && end <= MAX_TIME_MS && start <= end)) {
    throw new ApiError(400, `markers: start and end must be epoch milliseconds from 0 to ${MAX_TIME_MS} with start ≤ end`);
  }
  if (end - start > READ_LIMITS.spanMs) throw new ApiError(400, `markers: end - start is ${count(end - start)} ms; at most ${count(READ_LIMITS.spanMs)} ms (200 years)`);
  return { source, labels: wanted, start, end };
}

/** Distinct windows in the order first given, at most READ_LIMITS.changeWindows. */
export function checkWindows(value: unknown): number[] {
  const example = 'e.g. [86400000] for 24 hours';
  if (!Array.isArray(value) || value.length === 0) throw new ApiError(400, `changes: windows must be a list of durations in milliseconds, ${example}`);
  if (value.some((ms) => typeof ms !== 'number' || !(ms > 0 && ms <= READ_LIMITS.spanMs))) {
    throw new ApiError(400, `changes: each window must be a duration in milliseconds from 1 to ${count(READ_LIMITS.spanMs)} (200 years), ${example}`);
  }
  const windows = [...new Set(value as number[])];
  if (windows.length > READ_LIMITS.changeWindows) throw new ApiError(400, `changes: ${count(windows.length)} windows; at most ${READ_LIMITS.changeWindows} per request`);
  return windows;
}

/** A part of a range request: these series, `points` step times from step number `from`. */
export interface RangeSlice {
  readonly ids: readonly number[];
  readonly from: number;
  readonly points: number;
}

/**
 * Cuts a range request into slices of at most SLICE_VALUES values: several whole series at once
 * when they are short, a long series in several stretches.
 */
export function rangeSlices(ids: readonly number[], points: number, sliceValues = SLICE_VALUES): RangeSlice[] {
  const slices: RangeSlice[] = [];
  if (points > sliceValues) {
    for (const id of ids) {
      for (let from = 0; from < points; from += sliceValues) slices.push({ ids: [id], from, points: Math.min(sliceValues, points - from) });
    }
    return slices;
  }
  const perSlice = Math.floor(sliceValues / points);
  for (let index = 0; index < ids.length; index += perSlice) slices.push({ ids: ids.slice(index, index + perSlice), from: 0, points });
  return slices;
}

/**
 * Series ids for the core's rangeSums, at most SUM_SLICE_VALUES sampled values each: summing keeps
 * no values per series, so a slice can be larger than a range's (and few queries read them).
 */
export const SUM_SLICE_VALUES = 50_000;

export function sumSlices(ids: readonly number[], points: number, sliceValues = SUM_SLICE_VALUES): number[][] {
  const perSlice = Math.max(1, Math.floor(sliceValues / points));
  const slices: number[][] = [];
  for (let index = 0; index < ids.length; index += perSlice) slices.push(ids.slice(index, index + perSlice));
  return slices;
}

/** Groups of series ids for a changes request, at most SLICE_VALUES lookups each. */
export function changeSlices(ids: readonly number[], windows: number, sliceValues = SLICE_VALUES): number[][] {
  const perSlice = Math.max(1, Math.floor(sliceValues / windows));
  const slices: number[][] = [];
  for (let index = 0; index < ids.length; index += perSlice) slices.push(ids.slice(index, index + perSlice));
  return slices;
}
