// The health list as live events change it. What each source's health means (ok, partial, failed…)
// is decided once, in shared/source-status.ts.
import type { SourceHealth } from '../../shared/api.js';

/** The health list after a `health` event: the source's entry replaced (or added, keeping order). */
export function applyHealth(list: readonly SourceHealth[], health: SourceHealth): SourceHealth[] {
  const index = list.findIndex((item) => item.id === health.id);
  if (index === -1) return [...list, health];
  const next = [...list];
  next[index] = health;
  return next;
}
