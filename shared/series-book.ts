// The UI's copy of the newest values, kept current by `samples` events without asking the core again.
// Changes over a window are kept as the value one window ago (base = latest − delta from changes()),
// so a new latest value gives the new change at once. A series first seen in an event counts from
// the value it arrived with, as the store does for a series younger than the window.
// Each series also keeps where its history starts: a window reaching back before that start is not
// covered, and its change is unknown (not 0, and not the whole value as if it had grown in the window).
import type { LatestSeries, SeriesChanges } from './api.js';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** The shortest span a chart shows: a history of a few seconds is drawn over the last minute. */
export const MIN_SPAN_MS = 60_000;

/**
 * A window longer than any history (100 years): changes() answers its baseTime with the series'
 * first point, since nothing is stored that far back. It tells where each series' history starts.
 */
export const HISTORY_PROBE_MS = 100 * 365 * DAY_MS;

/** The windows to ask changes() for: the given ones and the history probe. */
export function withHistoryProbe(windowsMs: readonly number[]): number[] {
  return [...windowsMs, HISTORY_PROBE_MS];
}

/** Where each series' history starts, from a changes() answer that included HISTORY_PROBE_MS. */
export function historyStartsOf(changes: readonly SeriesChanges[]): Map<number, number> {
  const starts = new Map<number, number>();
  for (const change of changes) {
    const probe = change.changes.find((item) => item.windowMs === HISTORY_PROBE_MS);
    if (probe) starts.set(change.id, probe.baseTime);
  }
  return starts;
}

export interface SeriesBook {
  readonly byId: ReadonlyMap<number, LatestSeries>;
  /** id → window (ms) → the value one window ago (or the first value, when the window is not covered). */
  readonly bases: ReadonlyMap<number, ReadonlyMap<number, number>>;
  /** id → the windows that reach back before the series' history starts. */
  readonly uncovered: ReadonlyMap<number, ReadonlySet<number>>;
  /** id → when its history starts (epoch ms), where known. */
  readonly starts: ReadonlyMap<number, number>;
}

/**
 * The book from latest() and changes(). A window is uncovered when changes() compared with the
 * series' first point (its baseTime is where history starts, not now − window); without the probe
 * the start is unknown and every window counts as covered.
 */
export function createBook(latest: readonly LatestSeries[], changes: readonly SeriesChanges[] = []): SeriesBook {
  const byId = new Map(latest.map((series) => [series.id, series]));
  const bases = new Map<number, Map<number, number>>();
  const uncovered = new Map<number, Set<number>>();
  const starts = historyStartsOf(changes);
  for (const change of changes) {
    const head = byId.get(change.id)?.value ?? change.latest;
    const windows = change.changes.filter((item) => item.windowMs !== HISTORY_PROBE_MS);
    bases.set(change.id, new Map(windows.map((item) => [item.windowMs, head - item.delta])));
    const start = starts.get(change.id);
    if (start !== undefined) uncovered.set(change.id, new Set(windows.filter((item) => item.baseTime === start).map((item) => item.windowMs)));
  }
  return { byId, bases, uncovered, starts };
}

/** The book after an event's series: upserted by id; a series new to the book gets its value as base, and no window covered. */
export function applyLatest(book: SeriesBook, incoming: readonly LatestSeries[], windowsMs: readonly number[]): SeriesBook {
  if (incoming.length === 0) return book;
  const byId = new Map(book.byId);
  const bases = new Map(book.bases);
  const uncovered = new Map(book.uncovered);
  const starts = new Map(book.starts);
  for (const series of incoming) {
    if (!byId.has(series.id) && !bases.has(series.id)) {
      bases.set(series.id, new Map(windowsMs.map((windowMs) => [windowMs, series.value])));
      uncovered.set(series.id, new Set(windowsMs));
      starts.set(series.id, series.since);
    }
    byId.set(series.id, series);
  }
  return { byId, bases, uncovered, starts };
}

/** Whether the series' history reaches back the whole window. */
export function covers(book: SeriesBook, id: number, windowMs: number): boolean {
  return !(book.uncovered.get(id)?.has(windowMs) ?? false);
}

/** How much the series changed since its base, covered or not; null when the book does not know its base. */
export function changeSinceBase(book: SeriesBook, id: number, windowMs: number): number | null {
  const series = book.byId.get(id);
  const base = book.bases.get(id)?.get(windowMs);
  if (series === undefined || base === undefined) return null;
  return series.value - base;
}

/** How much the series changed over the window; null when unknown or when its history is younger than the window. */
export function deltaOf(book: SeriesBook, id: number, windowMs: number): number | null {
  return covers(book, id, windowMs) ? changeSinceBase(book, id, windowMs) : null;
}

export function baseOf(book: SeriesBook, id: number, windowMs: number): number | null {
  return book.bases.get(id)?.get(windowMs) ?? null;
}

/** When the series' history starts, where the book knows it. */
export function historyStartOf(book: SeriesBook, id: number): number | null {
  return book.starts.get(id) ?? null;
}

/** Ranks changes so that different scales compare: relative change first, then the absolute size. */
export function moverScore(delta: number, base: number): number {
  return Math.abs(delta) / Math.max(Math.abs(base), 1);
}

/** Milliseconds since the user's local midnight ("today"), at least one minute. */
export function sinceLocalMidnightMs(now: number): number {
  const midnight = new Date(now);
  midnight.setHours(0, 0, 0, 0);
  return Math.max(60_000, now - midnight.getTime());
}
