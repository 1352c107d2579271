// Backfill progress as the Health view keeps it: one entry per source, replaced by `backfill` events.
import type { BackfillProgress, BackfillState } from '../../shared/api.js';

/** The list with `progress` in place of its source's entry (added when the source is new). */
export function applyBackfill(list: readonly BackfillProgress[], progress: BackfillProgress): BackfillProgress[] {
  const index = list.findIndex((item) => item.source === progress.source);
  if (index === -1) return [...list, progress];
  const next = [...list];
  next[index] = progress;
  return next;
}

export const BACKFILL_STATE_TEXT: Readonly<Record<BackfillState, string>> = {
  off: 'off (runs with footprint backfill)',
  'waiting-for-poll': 'starts after the next successful poll',
  planning: 'listing what there is to read',
  running: 'reading history',
  'waiting-for-budget': 'waiting for API budget',
  'rate-limited': 'rate-limited',
  retrying: 'retrying after a failure',
  paused: 'paused',
  done: 'completed',
};
