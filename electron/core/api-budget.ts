// The API budget the health view shows, from the budget metrics a source declares. A source may report
// several budgets (GitHub: one per rate-limit resource, told apart by a label): the scarcest is shown,
// since it is the one that stops the source first.
import type { SourceHealth } from '../../shared/api.js';
import type { Labels } from '../../shared/metrics.js';
import type { SourceModule } from './source.js';

interface BudgetPoint {
  readonly metric: string;
  readonly labels: Labels;
  readonly value: number;
}

function labelKey(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}

export function apiBudgetOf(points: readonly BudgetPoint[], names: NonNullable<SourceModule['budget']>): SourceHealth['apiBudget'] {
  const groups = new Map<string, { limit?: number; remaining?: number; reset?: number }>();
  for (const point of points) {
    const field = point.metric === names.limit ? 'limit' : point.metric === names.remaining ? 'remaining' : point.metric === names.resetSeconds ? 'reset' : null;
    if (field === null) continue;
    const key = labelKey(point.labels);
    groups.set(key, { ...groups.get(key), [field]: point.value });
  }
  let scarcest: SourceHealth['apiBudget'] = null;
  for (const { limit, remaining, reset } of groups.values()) {
    if (limit === undefined || remaining === undefined) continue;
    const share = limit > 0 ? remaining / limit : 0;
    if (scarcest === null || share < (scarcest.limit > 0 ? scarcest.remaining / scarcest.limit : 0)) {
      scarcest = { limit, remaining, resetAt: reset === undefined ? null : reset * 1000 };
    }
  }
  return scarcest;
}
