// One word for how a source is doing, for markers on cards, the Glance and the Health view.
import type { SourceHealth } from '../../shared/api.js';

/** ok: fresh data; stale: no success for over two intervals; error: the last run failed; paused; waiting: no run yet. */
export type HealthStatus = 'ok' | 'stale' | 'error' | 'paused' | 'waiting';

/** A grace period on top of two intervals, so a slow poll does not flash "stale". */
const STALE_GRACE_MS = 60_000;

export function healthStatus(health: SourceHealth, now: number): HealthStatus {
  if (health.state === 'paused' || health.state === 'stopped') return 'paused';
  if (health.lastError !== null || health.state === 'backoff') return 'error';
  if (health.lastSuccessAt === null) return 'waiting';
  if (now - health.lastSuccessAt > 2 * health.intervalMs + STALE_GRACE_MS) return 'stale';
  return 'ok';
}

export const HEALTH_STATUS_TEXT: Readonly<Record<HealthStatus, string>> = {
  ok: 'up to date',
  stale: 'stale',
  error: 'failing',
  paused: 'paused',
  waiting: 'waiting for first poll',
};

/** The health list after a `health` event: the source's entry replaced (or added, keeping order). */
export function applyHealth(list: readonly SourceHealth[], health: SourceHealth): SourceHealth[] {
  const index = list.findIndex((item) => item.id === health.id);
  if (index === -1) return [...list, health];
  const next = [...list];
  next[index] = health;
  return next;
}
