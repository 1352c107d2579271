// Reading a daily series backwards, one range of days per request, newest first (so recent history
// shows first), until the series' first day with data: what npm's and GA4's backfills share.
//
// Each request fetches the days it stores plus an overlap of older days, so that rolling sums
// (last 7 or 30 days) of every stored day can be computed from that one reply. Days before the
// series' first data are not stored: a run of empty days at the old end of a range is held back
// (only counted) until an older range shows whether data came before it (then they are real zeros)
// or not (then the series starts after them). A range without any data ends the walk.
import { dayNumberOf, isoDayOf } from './calendar-days.js';

/** Where a walk stands between two steps: the task's cursor. */
export interface DailyWalk {
  /** The newest day of the whole walk (day number), for progress. */
  readonly top: number;
  /** The newest day still to fetch. */
  readonly end: number;
  /** Empty days just after `end`, held back until an older range says whether they are real zeros. */
  readonly held: number;
  /** The oldest day to store (the API's first day, or the configured depth). */
  readonly stop: number;
}

/** What one fetched range decides. */
export interface DailySettlement {
  /** Days to store from the reply, oldest first (inclusive day numbers); null for none. */
  readonly days: { readonly from: number; readonly to: number } | null;
  /** Held-back days that turned out to be real zeros, to store as 0; null for none. */
  readonly zeros: { readonly from: number; readonly to: number } | null;
  /** Where to go on; null when the walk is complete. */
  readonly next: DailyWalk | null;
  /** Days walked from the top so far. */
  readonly doneDays: number;
}

/**
 * Settles a fetched range for a walk: the reply covered `storeFrom`..`storeTo` (plus older overlap
 * days), and its first day with data is `firstData` (null when it had none at all, overlap included).
 */
export function settleRange(walk: Pick<DailyWalk, 'top' | 'held' | 'stop'>, storeFrom: number, storeTo: number, firstData: number | null): DailySettlement {
  const doneDays = walk.top - storeFrom + 1;
  if (firstData === null) return { days: null, zeros: null, next: null, doneDays };
  const zeros = walk.held > 0 ? { from: storeTo + 1, to: storeTo + walk.held } : null;
  const days = { from: Math.max(storeFrom, firstData), to: storeTo };
  // At the oldest day wanted, empty days before the first data are left out: nothing older says otherwise.
  if (storeFrom <= walk.stop) return { days, zeros, next: null, doneDays };
  const next: DailyWalk = { top: walk.top, end: storeFrom - 1, held: Math.max(0, firstData - storeFrom), stop: walk.stop };
  return { days, zeros, next, doneDays };
}

function dayOf(text: unknown): number | null {
  return typeof text === 'string' ? dayNumberOf(text) : null;
}

/** The cursor text of a walk: readable dates, so a saved cursor can be understood by looking at it. */
export function encodeWalk(walk: DailyWalk): string {
  return JSON.stringify({ top: isoDayOf(walk.top), end: isoDayOf(walk.end), held: walk.held, stop: isoDayOf(walk.stop) });
}

/** The walk a cursor text holds; null when it is not one (then the task starts over, which is harmless). */
export function decodeWalk(text: string): DailyWalk | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const fields = parsed as Record<string, unknown>;
  const top = dayOf(fields.top);
  const end = dayOf(fields.end);
  const stop = dayOf(fields.stop);
  const held = fields.held;
  if (top === null || end === null || stop === null || typeof held !== 'number' || !Number.isSafeInteger(held) || held < 0) return null;
  if (end > top || end < stop || end + held > top) return null;
  return { top, end, held, stop };
}

/** Sum of `values` over the `size` days ending at `day`, when the reply covers them all; null otherwise. */
export function rollingSum(valueOn: (day: number) => number, day: number, size: number, coveredFrom: number): number | null {
  if (day - size + 1 < coveredFrom) return null;
  let sum = 0;
  for (let past = day - size + 1; past <= day; past++) sum += valueOn(past);
  return sum;
}
