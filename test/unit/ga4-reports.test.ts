import { describe, expect, it } from 'vitest';
import { MalformedResponseError } from '../../electron/core/sources/ga4/errors.js';
import { dailySamples, ga4Metrics, quotaSamples, realtimeSamples, topPageSamples } from '../../electron/core/sources/ga4/metrics.js';
import { dailyReportRequest, readDailyReport, readRealtimeActiveUsers, readTopPages, realtimeRequest, topPagesRequest } from '../../electron/core/sources/ga4/reports.js';
import { apiFixture as fixture } from '../support/api-fixtures.js';


const row = (range: string, values: number[]) => ({ dimensionValues: [{ value: range }], metricValues: values.map((value) => ({ value: String(value) })) });
const headers = ['activeUsers', 'newUsers', 'sessions', 'screenPageViews'].map((name) => ({ name, type: 'TYPE_INTEGER' }));

function dailyReply(rows: unknown[] | undefined, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { dimensionHeaders: [{ name: 'dateRange' }], metricHeaders: headers, ...(rows ? { rows } : {}), kind: 'analyticsData#runReport', ...extra };
}

describe('GA4 report requests', () => {
  it('asks for three named periods and four metrics in one daily request', () => {
    expect(dailyReportRequest()).toEqual({
      dateRanges: [
        { startDate: 'today', endDate: 'today', name: 'today' },
        { startDate: 'yesterday', endDate: 'yesterday', name: 'yesterday' },
        { startDate: '28daysAgo', endDate: 'yesterday', name: 'last_28_days' },
      ],
      metrics: [{ name: 'activeUsers' }, { name: 'newUsers' }, { name: 'sessions' }, { name: 'screenPageViews' }],
      returnPropertyQuota: true,
    });
  });

  it('asks for the 10 most viewed pages and realtime users over 30 minutes', () => {
    expect(topPagesRequest()).toMatchObject({ dimensions: [{ name: 'pagePath' }], orderBys: [{ metric: { metricName: 'screenPageViews' }, desc: true }], limit: '10' });
    expect(realtimeRequest()).toEqual({ metrics: [{ name: 'activeUsers' }], minuteRanges: [{ startMinutesAgo: 29, endMinutesAgo: 0 }] });
  });
});

describe('reading GA4 replies', () => {
  it('reads the daily totals by range name, in whatever order metrics and rows come', () => {
    const reordered = {
      ...dailyReply(undefined),
      metricHeaders: [...headers].reverse(),
      rows: [row('last_28_days', [4, 3, 2, 1]), row('today', [40, 30, 20, 10])],
      propertyQuota: { tokensPerDay: { consumed: 3, remaining: 199845 }, tokensPerHour: { consumed: 3, remaining: 39962 } },
    };
    const report = readDailyReport(reordered, '1');
    expect(report.totals).toEqual({
      today: { activeUsers: 10, newUsers: 20, sessions: 30, screenPageViews: 40 },
      // No row: no data that day.
      yesterday: { activeUsers: 0, newUsers: 0, sessions: 0, screenPageViews: 0 },
      last_28_days: { activeUsers: 1, newUsers: 2, sessions: 3, screenPageViews: 4 },
    });
    expect(report.quota).toEqual({ tokensPerDay: 199845, tokensPerHour: 39962 });
  });

  it('treats absent rows as zeros and absent quota as unknown', () => {
    const report = readDailyReport(dailyReply(undefined), '1');
    expect(Object.values(report.totals).flatMap((totals) => Object.values(totals))).toEqual(Array(12).fill(0));
    expect(report.quota).toEqual({ tokensPerDay: null, tokensPerHour: null });
    expect(quotaSamples('1', report.quota)).toEqual([]);
  });

  it('reads the realtime fixture recorded from Google', () => {
    expect(readRealtimeActiveUsers(fixture('ga4_run_realtime_report.json'), '1')).toBe(37);
    expect(readRealtimeActiveUsers({ metricHeaders: [{ name: 'activeUsers', type: 'TYPE_INTEGER' }], kind: 'analyticsData#runRealtimeReport' }, '1')).toBe(0);
  });

  it('sorts top pages by views and keeps at most 10 even when the reply holds more', () => {
    const rows = Array.from({ length: 12 }, (_, index) => ({ dimensionValues: [{ value: `/p${index}` }], metricValues: [{ value: String((index * 7) % 12) }] }));
    const report = readTopPages({ dimensionHeaders: [{ name: 'pagePath' }], metricHeaders: [{ name: 'screenPageViews', type: 'TYPE_INTEGER' }], rows, kind: 'analyticsData#runReport' }, '1');
    expect(report.pages).toHaveLength(10);
    expect(report.pages.map((page) => page.views)).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);
    expect(report.pages[0]).toEqual({ path: '/p5', views: 11 });
  });

  it('refuses replies that are not the documented shape, saying what is wrong', () => {
    const cases: [unknown, RegExp][] = [
      ['text', /not a JSON object/],
      [{}, /has no metricHeaders/],
      [dailyReply(undefined, { kind: 'analyticsData#runRealtimeReport' }), /is a analyticsData#runRealtimeReport, not a analyticsData#runReport/],
      [dailyReply(undefined, { metricHeaders: headers.slice(0, 2) }), /lacks the metrics sessions, screenPageViews/],
      [dailyReply([row('today', [1, 2, 3])]), /metricValues do not match the headers/],
      [dailyReply([row('today', [1, 2, 3, 4])], { dimensionHeaders: undefined }), /dimensionValues do not match|do not say which date range/],
      [dailyReply([{ dimensionValues: [{ value: 'today' }], metricValues: [{ value: 'n/a' }, { value: '1' }, { value: '1' }, { value: '1' }] }]), /metric value "n\/a" is not a number/],
      [dailyReply([{ dimensionValues: [{ value: 'today' }], metricValues: [{ value: 5 }, { value: '1' }, { value: '1' }, { value: '1' }] }]), /value that is not text/],
      [dailyReply(undefined, { rows: {} }), /rows is not a list/],
    ];
    for (const [body, message] of cases) {
      expect(() => readDailyReport(body, '42'), JSON.stringify(body)).toThrow(MalformedResponseError);
      expect(() => readDailyReport(body, '42')).toThrow(message);
      expect(() => readDailyReport(body, '42')).toThrow(/property 42/);
    }
  });
});

describe('GA4 samples', () => {
  it('uses only catalogue metrics with exactly the catalogue labels', () => {
    const totals = readDailyReport(dailyReply([row('today', [1, 2, 3, 4])]), '7').totals;
    const samples = [
      ...dailySamples('7', totals),
      ...topPageSamples('7', [{ path: '/a', views: 3 }]),
      ...realtimeSamples('7', 2),
      ...quotaSamples('7', { tokensPerDay: 10, tokensPerHour: 5 }),
    ];
    expect(samples).toHaveLength(12 + 1 + 1 + 2);
    for (const sample of samples) {
      const def = ga4Metrics.find((metric) => metric.name === sample.metric);
      expect(def, sample.metric).toBeDefined();
      expect(Object.keys(sample.labels).sort()).toEqual([...def!.labels].sort());
    }
    expect(samples).toContainEqual({ metric: 'ga4_page_views', labels: { property: '7', period: 'today' }, value: 4 });
    expect(samples).toContainEqual({ metric: 'ga4_new_users', labels: { property: '7', period: 'yesterday' }, value: 0 });
    expect(new Set(ga4Metrics.map((metric) => metric.type))).toEqual(new Set(['gauge']));
    expect(ga4Metrics.every((metric) => metric.name.startsWith('ga4_') && metric.labels.includes('property'))).toBe(true);
  });
});
