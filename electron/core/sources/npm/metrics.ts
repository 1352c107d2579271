// The npm source's metric and the three periods the downloads API counts over.
import type { MetricDef } from '../../../../shared/metrics.js';

export const npmMetrics: readonly MetricDef[] = [
  {
    name: 'npm_package_downloads',
    help: 'Downloads of the npm package, as the npm downloads API counts them, in the last available day (period="last_day"), 7 days ("last_week") or 30 days ("last_month"); days end at UTC midnight.',
    type: 'gauge',
    labels: ['package', 'period'],
  },
];

/** The API's period in the URL, and the `period` label its count is stored under. */
export const PERIODS = [
  { path: 'last-day', label: 'last_day' },
  { path: 'last-week', label: 'last_week' },
  { path: 'last-month', label: 'last_month' },
] as const;

export type Period = (typeof PERIODS)[number];
