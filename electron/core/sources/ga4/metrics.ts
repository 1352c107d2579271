// Metric catalogue and sample mapping of the GA4 source. All gauges: GA4 reports totals over date
// ranges that move every day, not counters that only grow.
import type { MetricDef, Sample } from '../../../../shared/metrics.js';
import { DAILY_METRICS, PERIODS } from './reports.js';
import type { DailyMetric, DailyTotals, PageViews, QuotaRemaining } from './reports.js';

function gauge(name: string, help: string, labels: readonly string[]): MetricDef {
  return { name, help, type: 'gauge', labels };
}

const PERIOD_HELP = "period is today, yesterday or last_28_days (the 28 days before today), in the property's time zone";

/** The series of each daily figure; periods are labels. */
export const DAILY_METRIC_NAMES: Readonly<Record<DailyMetric, string>> = {
  activeUsers: 'ga4_active_users',
  newUsers: 'ga4_new_users',
  sessions: 'ga4_sessions',
  screenPageViews: 'ga4_page_views',
};

export const ga4Metrics: readonly MetricDef[] = [
  gauge('ga4_active_users', `Active users of the GA4 property; ${PERIOD_HELP}.`, ['property', 'period']),
  gauge('ga4_new_users', `First-time users of the GA4 property; ${PERIOD_HELP}.`, ['property', 'period']),
  gauge('ga4_sessions', `Sessions of the GA4 property; ${PERIOD_HELP}.`, ['property', 'period']),
  gauge('ga4_page_views', `Page and screen views of the GA4 property; ${PERIOD_HELP}.`, ['property', 'period']),
  gauge('ga4_page_views_by_page', 'Views of each of the 10 most viewed pages (page = path) of the GA4 property over the last 28 days.', ['property', 'page']),
  gauge('ga4_realtime_active_users', 'Active users of the GA4 property in the last 30 minutes.', ['property']),
  gauge('ga4_quota_tokens_per_day_remaining', 'Core reporting quota tokens the GA4 property has left today (Pacific time).', ['property']),
  gauge('ga4_quota_tokens_per_hour_remaining', 'Core reporting quota tokens the GA4 property has left in the current hour.', ['property']),
];

export function dailySamples(property: string, totals: DailyTotals): Sample[] {
  return PERIODS.flatMap((period) =>
    DAILY_METRICS.map((metric) => ({ metric: DAILY_METRIC_NAMES[metric], labels: { property, period }, value: totals[period][metric] })),
  );
}

export function topPageSamples(property: string, pages: readonly PageViews[]): Sample[] {
  return pages.map((page) => ({ metric: 'ga4_page_views_by_page', labels: { property, page: page.path }, value: page.views }));
}

export function realtimeSamples(property: string, activeUsers: number): Sample[] {
  return [{ metric: 'ga4_realtime_active_users', labels: { property }, value: activeUsers }];
}

export function quotaSamples(property: string, quota: QuotaRemaining): Sample[] {
  const samples: Sample[] = [];
  if (quota.tokensPerDay !== null) samples.push({ metric: 'ga4_quota_tokens_per_day_remaining', labels: { property }, value: quota.tokensPerDay });
  if (quota.tokensPerHour !== null) samples.push({ metric: 'ga4_quota_tokens_per_hour_remaining', labels: { property }, value: quota.tokensPerHour });
  return samples;
}
