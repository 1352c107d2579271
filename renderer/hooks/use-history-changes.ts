// Stored history that changed underneath a view (a backfill step, a revised day): the view reads it
// again, once per burst. A backfill stores a step every few seconds; reading after each would keep
// the API busy for nothing, so changes are gathered for a moment first.
import { useCallback, useEffect, useRef } from 'react';
import type { HistoryChange } from '../../shared/api.js';

/** How long changes are gathered before the view reads again. */
export const HISTORY_SETTLE_MS = 1_500;

/**
 * Returns the function a view's live-event handler calls with each `history` event: when `relevant`
 * says the change touches what the view shows, `onChanged` runs once the burst has settled.
 */
export function useHistoryChanges(relevant: (change: HistoryChange) => boolean, onChanged: () => void, settleMs = HISTORY_SETTLE_MS): (change: HistoryChange) => void {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef({ relevant, onChanged });
  latest.current = { relevant, onChanged };
  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
    },
    [],
  );
  return useCallback(
    (change: HistoryChange) => {
      if (timer.current !== null || !latest.current.relevant(change)) return;
      timer.current = setTimeout(() => {
        timer.current = null;
        latest.current.onChanged();
      }, settleMs);
    },
    [settleMs],
  );
}

/** Whether a change touches any of these series. */
export function touchesAny(change: HistoryChange, ids: Iterable<number>): boolean {
  const wanted = new Set(ids);
  return change.series.some((id) => wanted.has(id));
}
