// The PyPI source's metric and the three periods pypistats counts over.
import type { MetricDef } from '../../../../shared/metrics.js';

export const pypiMetrics: readonly MetricDef[] = [
  {
    name: 'pypi_package_downloads',
    help: 'Downloads of the PyPI package without mirrors, as pypistats.org counts them, in the last day (period="last_day"), 7 days ("last_week") or 30 days ("last_month"); days end at UTC midnight.',
    type: 'gauge',
    labels: ['package', 'period'],
  },
];

/** The `period` labels, their key in pypistats' recent reply, and the days each spans (for backfill's rolling sums). */
export const PERIODS = [
  { label: 'last_day', days: 1 },
  { label: 'last_week', days: 7 },
  { label: 'last_month', days: 30 },
] as const;
