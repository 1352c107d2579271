// The crates.io source's metrics.
import type { MetricDef } from '../../../../shared/metrics.js';

export const cratesMetrics: readonly MetricDef[] = [
  {
    name: 'crates_downloads_total',
    help: 'Downloads of the crate on crates.io since it was first published, all versions.',
    type: 'gauge',
    labels: ['crate'],
  },
  {
    name: 'crates_recent_downloads',
    help: 'Downloads of the crate on crates.io in the last 90 days, as crates.io reports them ("recent downloads").',
    type: 'gauge',
    labels: ['crate'],
  },
  {
    name: 'crates_downloads_daily',
    help: 'Downloads of the crate on crates.io in one UTC day, all versions; read back for the last 90 days crates.io keeps.',
    type: 'gauge',
    labels: ['crate'],
    historyOnly: true,
  },
];
