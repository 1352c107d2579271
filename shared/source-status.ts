// One status model for a source, the only place it is decided: Overview, Glance, Health and the tray
// all show what sourceStatus() says, so none of them can say "up to date" while something fails.
import type { SourceHealth } from './api.js';
import { formatDuration } from './duration.js';

/**
 * - ok: the last run collected every target, within two intervals
 * - partial: the last run collected some targets, others failed
 * - failed: the last run failed (nothing collected, or the API refused)
 * - stale: no success for more than two intervals (e.g. after sleep), though nothing failed
 * - offline: no connection to the server (the dashboard) or to the network (the app): figures may be old
 * - paused: the user paused polling; waiting: no run yet
 */
export type SourceStatusKind = 'ok' | 'partial' | 'failed' | 'stale' | 'offline' | 'paused' | 'waiting';

export type StatusHealth = Pick<SourceHealth, 'state' | 'intervalMs' | 'lastSuccessAt' | 'lastError' | 'consecutiveFailures' | 'failedTargets'>;

export interface StatusContext {
  readonly now: number;
  /** False while the dashboard has lost its server, or the app its network. */
  readonly online: boolean;
  /** When polling started: a source with no success yet is stale two intervals after it. */
  readonly startedAt?: number;
}

export const SOURCE_STATUS_TEXT: Readonly<Record<SourceStatusKind, string>> = {
  ok: 'up to date',
  partial: 'partly failing',
  failed: 'failing',
  stale: 'stale',
  offline: 'offline',
  paused: 'paused',
  waiting: 'waiting for first poll',
};

/** Most serious first: the order a summary of several sources picks from. */
export const STATUS_SEVERITY: readonly SourceStatusKind[] = ['offline', 'failed', 'partial', 'stale', 'waiting', 'paused', 'ok'];

/** How long after its last success a source counts as stale. */
export function staleAfterMs(intervalMs: number): number {
  return 2 * intervalMs;
}

export function sourceStatus(health: StatusHealth, context: StatusContext): SourceStatusKind {
  if (!context.online) return 'offline';
  if (health.state === 'paused' || health.state === 'stopped') return 'paused';
  if (health.lastError !== null || health.state === 'backoff' || health.consecutiveFailures > 0) return 'failed';
  if (health.failedTargets.length > 0) return 'partial';
  const since = health.lastSuccessAt ?? context.startedAt ?? null;
  if (since !== null && context.now - since > staleAfterMs(health.intervalMs)) return 'stale';
  if (health.lastSuccessAt === null) return 'waiting';
  return 'ok';
}

/** The most serious of several statuses; ok for none. */
export function worstStatus(kinds: readonly SourceStatusKind[]): SourceStatusKind {
  return STATUS_SEVERITY.find((kind) => kinds.includes(kind)) ?? 'ok';
}

/** Why a source has its status, in plain words; null when there is nothing to explain. */
export function statusDetail(health: StatusHealth & Pick<SourceHealth, 'title'>, kind: SourceStatusKind): string | null {
  switch (kind) {
    case 'failed':
      return health.lastError ?? (health.failedTargets[0] ? `${health.failedTargets[0].target}: ${health.failedTargets[0].message}` : null);
    case 'partial': {
      const [first] = health.failedTargets;
      const count = health.failedTargets.length;
      return `${count} target${count === 1 ? '' : 's'} failed — ${first!.target}: ${first!.message}${count > 1 ? '; …' : ''}`;
    }
    case 'stale':
      return `no new data for over two polling intervals (${formatDuration(staleAfterMs(health.intervalMs))})`;
    case 'offline':
      return 'No connection: the figures shown may be out of date.';
    default:
      return null;
  }
}
