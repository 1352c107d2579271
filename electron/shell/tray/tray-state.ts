// Which state icon the tray shows: the shared status model (shared/source-status.ts) of every
// source, the most serious first:
//   offline — the machine has no network (polling is paused until it is back);
//   error   — a source's last run failed, or some of its targets failed (failed, partial);
//   stale   — a source that is not paused has no success for more than two of its intervals
//             (e.g. after the machine slept), so the figures may be old;
//   ok      — everything else, including "nothing configured yet" and "paused by the user".
import type { SourceHealth } from '../../../shared/api.js';
import { sourceStatus, worstStatus, type SourceStatusKind, type StatusHealth } from '../../../shared/source-status.js';

export { staleAfterMs } from '../../../shared/source-status.js';

export const TRAY_STATES = ['ok', 'stale', 'error', 'offline'] as const;
export type TrayState = (typeof TRAY_STATES)[number];

export interface TrayStateInput {
  readonly online: boolean;
  readonly sources: readonly (StatusHealth & Pick<SourceHealth, 'id'>)[];
  readonly now: number;
  /** When polling started: a source that has not succeeded yet counts from here. */
  readonly startedAt: number;
}

const ICON_OF: Readonly<Record<SourceStatusKind, TrayState>> = {
  offline: 'offline',
  failed: 'error',
  partial: 'error',
  stale: 'stale',
  ok: 'ok',
  waiting: 'ok',
  paused: 'ok',
};

export function isStale(source: StatusHealth, now: number, startedAt: number): boolean {
  return sourceStatus(source, { now, online: true, startedAt }) === 'stale';
}

export function trayState(input: TrayStateInput): TrayState {
  if (!input.online) return 'offline';
  return ICON_OF[worstStatus(input.sources.map((source) => sourceStatus(source, { now: input.now, online: true, startedAt: input.startedAt })))];
}
