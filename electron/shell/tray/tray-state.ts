// Which state icon the tray shows. Rules, most serious first:
//   offline — the machine has no network (polling is paused until it is back);
//   error   — a source's last run failed (it is backing off);
//   stale   — a source that is not paused has not run for more than two of its intervals
//             (e.g. after the machine slept), so the figures may be old;
//   ok      — everything else, including "nothing configured yet" and "paused by the user".
import type { SourceHealth } from '../../../shared/api.js';

export const TRAY_STATES = ['ok', 'stale', 'error', 'offline'] as const;
export type TrayState = (typeof TRAY_STATES)[number];

export interface TrayStateInput {
  readonly online: boolean;
  readonly sources: readonly Pick<SourceHealth, 'id' | 'state' | 'intervalMs' | 'lastRunAt' | 'consecutiveFailures'>[];
  readonly now: number;
  /** When polling started: a source that has not run yet counts from here. */
  readonly startedAt: number;
}

/** How long after its last run a source counts as stale. */
export function staleAfterMs(intervalMs: number): number {
  return 2 * intervalMs;
}

export function isStale(source: TrayStateInput['sources'][number], now: number, startedAt: number): boolean {
  if (source.state === 'paused' || source.state === 'stopped') return false;
  return now - (source.lastRunAt ?? startedAt) > staleAfterMs(source.intervalMs);
}

export function trayState(input: TrayStateInput): TrayState {
  if (!input.online) return 'offline';
  if (input.sources.some((source) => source.consecutiveFailures > 0)) return 'error';
  if (input.sources.some((source) => isStale(source, input.now, input.startedAt))) return 'stale';
  return 'ok';
}
