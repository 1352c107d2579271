// Day-resolution history from a list of event times read oldest first (stars, forks): the count at
// the end of each UTC day on which it changed, for complete days before today only (today belongs to
// the live poll). The state carries across pages and restarts, so paging can stop anywhere.
import { endOfUtcDay } from '../../backfill/contract.js';

const DAY_MS = 86_400_000;

export function startOfUtcDay(time: number): number {
  return Math.floor(time / DAY_MS) * DAY_MS;
}

export interface DailyCount {
  /** Events counted so far. */
  readonly count: number;
  /** Start (epoch ms) of the day of the latest event counted: its value is written once a later day shows up. */
  readonly openDay: number | null;
}

export const EMPTY_COUNT: DailyCount = { count: 0, openDay: null };

/** The count at the end of one day, at `endOfUtcDay`. */
export interface DayPoint {
  readonly time: number;
  readonly value: number;
}

export interface Absorbed {
  readonly state: DailyCount;
  /** Days completed by this page. */
  readonly points: DayPoint[];
  /** An event fell on `today` or later: the list has nothing more for history. */
  readonly reachedToday: boolean;
}

/**
 * Counts one page of event times (epoch ms, oldest first). `today` is the start of the current UTC day.
 * A time earlier than the open day (a list slightly out of order) counts on the open day, so no day is
 * ever written twice with different values.
 */
export function absorbTimes(state: DailyCount, times: readonly number[], today: number): Absorbed {
  let { count, openDay } = state;
  const points: DayPoint[] = [];
  for (const time of times) {
    const day = openDay === null ? startOfUtcDay(time) : Math.max(openDay, startOfUtcDay(time));
    if (day >= today) return { state: { count, openDay }, points, reachedToday: true };
    if (openDay !== null && day > openDay) points.push({ time: endOfUtcDay(openDay), value: count });
    count += 1;
    openDay = day;
  }
  return { state: { count, openDay }, points, reachedToday: false };
}

/** The open day's point once the list has ended (or reached today): it is complete now. */
export function closeCount(state: DailyCount): DayPoint[] {
  return state.openDay === null ? [] : [{ time: endOfUtcDay(state.openDay), value: state.count }];
}
