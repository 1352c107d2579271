// The UI's copy of the newest values, kept current by `samples` events without asking the core again.
// Changes over a window are kept as the value one window ago (base = latest − delta from changes()),
// so a new latest value gives the new change at once. A series first seen in an event counts from
// the value it arrived with, as the store does for a series younger than the window.
import type { LatestSeries, SeriesChanges } from '../../shared/api.js';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export interface SeriesBook {
  readonly byId: ReadonlyMap<number, LatestSeries>;
  /** id → window (ms) → the value one window ago. */
  readonly bases: ReadonlyMap<number, ReadonlyMap<number, number>>;
}

export function createBook(latest: readonly LatestSeries[], changes: readonly SeriesChanges[] = []): SeriesBook {
  const byId = new Map(latest.map((series) => [series.id, series]));
  const bases = new Map<number, Map<number, number>>();
  for (const change of changes) {
    const head = byId.get(change.id)?.value ?? change.latest;
    bases.set(change.id, new Map(change.changes.map((item) => [item.windowMs, head - item.delta])));
  }
  return { byId, bases };
}

/** The book after an event's series: upserted by id; a series new to the book gets its value as base. */
export function applyLatest(book: SeriesBook, incoming: readonly LatestSeries[], windowsMs: readonly number[]): SeriesBook {
  if (incoming.length === 0) return book;
  const byId = new Map(book.byId);
  const bases = new Map(book.bases);
  for (const series of incoming) {
    if (!byId.has(series.id) && !bases.has(series.id)) {
      bases.set(series.id, new Map(windowsMs.map((windowMs) => [windowMs, series.value])));
    }
    byId.set(series.id, series);
  }
  return { byId, bases };
}

/** How much the series changed over the window; null when the book does not know its base. */
export function deltaOf(book: SeriesBook, id: number, windowMs: number): number | null {
  const series = book.byId.get(id);
  const base = book.bases.get(id)?.get(windowMs);
  if (series === undefined || base === undefined) return null;
  return series.value - base;
}

export function baseOf(book: SeriesBook, id: number, windowMs: number): number | null {
  return book.bases.get(id)?.get(windowMs) ?? null;
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
