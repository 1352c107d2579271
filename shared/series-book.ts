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
  /** id → the value one window ago per window (or the first value, when the window is not covered). */
  readonly pasts: ReadonlyMap<number, SeriesPast>;
  /** id → when its history starts (epoch ms), where known. */
  readonly starts: ReadonlyMap<number, number>;
}

/**
 * One series' past: bases[i] is its value windows[i] ago; bit i of `uncovered` says the window
 * reaches back before its history starts. One small object and one array per series, the window
 * list shared by all: the core books every headline series of 10,000 repositories at each poll.
 */
interface SeriesPast {
  readonly windows: readonly number[];
  readonly bases: readonly number[];
  readonly uncovered: number;
}

/** Windows a SeriesPast can mark uncovered (bits of a 32-bit number; a book has a handful). */
const MAX_WINDOWS = 31;

function pastOf(windows: readonly number[], bases: readonly number[], uncovered: (index: number) => boolean): SeriesPast {
  if (windows.length > MAX_WINDOWS) throw new Error(`a series book keeps at most ${MAX_WINDOWS} windows (got ${windows.length})`);
  let mask = 0;
  for (let index = 0; index < windows.length; index++) if (uncovered(index)) mask |= 1 << index;
  return { windows, bases, uncovered: mask };
}

/**
 * The book from latest() and changes(). A window is uncovered when changes() compared with the
 * series' first point (its baseTime is where history starts, not now − window); without the probe
 * the start is unknown and every window counts as covered.
 */
export function createBook(latest: readonly LatestSeries[], changes: readonly SeriesChanges[] = []): SeriesBook {
  const byId = new Map<number, LatestSeries>();
  for (const series of latest) byId.set(series.id, series);
  const pasts = new Map<number, SeriesPast>();
  const starts = new Map<number, number>();
  // The window list of the answer before, reused while the next one asks the same windows (they all do).
  let shared: number[] = [];
  for (const change of changes) {
    const head = byId.get(change.id)?.value ?? change.latest;
    const probe = change.changes.find((item) => item.windowMs === HISTORY_PROBE_MS);
    const windows = change.changes.filter((item) => item.windowMs !== HISTORY_PROBE_MS);
    if (windows.length !== shared.length || windows.some((item, index) => item.windowMs !== shared[index])) shared = windows.map((item) => item.windowMs);
    if (probe) starts.set(change.id, probe.baseTime);
    pasts.set(change.id, pastOf(shared, windows.map((item) => head - item.delta), (index) => probe !== undefined && windows[index]!.baseTime === probe.baseTime));
  }
  return { byId, pasts, starts };
}

/** The book after an event's series: upserted by id; a series new to the book gets its value as base, and no window covered. */
export function applyLatest(book: SeriesBook, incoming: readonly LatestSeries[], windowsMs: readonly number[]): SeriesBook {
  if (incoming.length === 0) return book;
  const byId = new Map(book.byId);
  const pasts = new Map(book.pasts);
  const starts = new Map(book.starts);
  for (const series of incoming) {
    if (!byId.has(series.id) && !pasts.has(series.id)) {
      pasts.set(series.id, pastOf(windowsMs, windowsMs.map(() => series.value), () => true));
      starts.set(series.id, series.since);
    }
    byId.set(series.id, series);
  }
  return { byId, pasts, starts };
}

/** Whether the series' history reaches back the whole window. */
export function covers(book: SeriesBook, id: number, windowMs: number): boolean {
  const past = book.pasts.get(id);
  const index = past ? past.windows.indexOf(windowMs) : -1;
  return index === -1 || (past!.uncovered & (1 << index)) === 0;
}

/** How much the series changed since its base, covered or not; null when the book does not know its base. */
export function changeSinceBase(book: SeriesBook, id: number, windowMs: number): number | null {
  const series = book.byId.get(id);
  const base = baseOf(book, id, windowMs);
  if (series === undefined || base === null) return null;
  return series.value - base;
}

/** How much the series changed over the window; null when unknown or when its history is younger than the window. */
export function deltaOf(book: SeriesBook, id: number, windowMs: number): number | null {
  return covers(book, id, windowMs) ? changeSinceBase(book, id, windowMs) : null;
}

export function baseOf(book: SeriesBook, id: number, windowMs: number): number | null {
  const past = book.pasts.get(id);
  if (!past) return null;
  const index = past.windows.indexOf(windowMs);
  return index === -1 ? null : past.bases[index]!;
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
