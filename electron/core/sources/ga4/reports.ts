// The three reports Footprint asks for per property, and reading their replies (pure functions):
// - daily totals: four metrics over three named date ranges in one runReport;
// - top pages: views by pagePath over the last 28 days, the 10 largest (bounded label values);
// - realtime: active users in the last 30 minutes.
import { MalformedResponseError } from './errors.js';

export const PERIODS = ['today', 'yesterday', 'last_28_days'] as const;
export type Period = (typeof PERIODS)[number];

export const DAILY_METRICS = ['activeUsers', 'newUsers', 'sessions', 'screenPageViews'] as const;
export type DailyMetric = (typeof DAILY_METRICS)[number];

export const TOP_PAGES_LIMIT = 10;

/** "Last 28 days" as the GA4 interface means it: the 28 full days before today. */
const LAST_28_DAYS = { startDate: '28daysAgo', endDate: 'yesterday' } as const;

const PERIOD_RANGES: Readonly<Record<Period, { startDate: string; endDate: string }>> = {
  today: { startDate: 'today', endDate: 'today' },
  yesterday: { startDate: 'yesterday', endDate: 'yesterday' },
  last_28_days: LAST_28_DAYS,
};

export function dailyReportRequest(): Record<string, unknown> {
  return {
    dateRanges: PERIODS.map((name) => ({ ...PERIOD_RANGES[name], name })),
    metrics: DAILY_METRICS.map((name) => ({ name })),
    returnPropertyQuota: true,
  };
}

export function topPagesRequest(): Record<string, unknown> {
  return {
    dateRanges: [LAST_28_DAYS],
    dimensions: [{ name: 'pagePath' }],
    metrics: [{ name: 'screenPageViews' }],
    orderBys: [{ metric: { metricName: 'screenPageViews' }, desc: true }],
    // int64 fields travel as JSON strings.
    limit: String(TOP_PAGES_LIMIT),
    returnPropertyQuota: true,
  };
}

export function realtimeRequest(): Record<string, unknown> {
  return {
    metrics: [{ name: 'activeUsers' }],
    // The last 30 minutes (the default, written out): minutes 29..0 ago.
    minuteRanges: [{ startMinutesAgo: 29, endMinutesAgo: 0 }],
  };
}

/** Remaining core-reporting tokens, null when the reply did not carry them. */
export interface QuotaRemaining {
  readonly tokensPerDay: number | null;
  readonly tokensPerHour: number | null;
}

export type DailyTotals = Readonly<Record<Period, Readonly<Record<DailyMetric, number>>>>;

export interface DailyReport {
  readonly totals: DailyTotals;
  readonly quota: QuotaRemaining;
}

export interface PageViews {
  readonly path: string;
  readonly views: number;
}

export interface TopPagesReport {
  readonly pages: readonly PageViews[];
  /** Why rows were left out (one bad page does not cost the others), empty when none were. */
  readonly skipped: readonly string[];
  readonly quota: QuotaRemaining;
}

interface Table {
  readonly dimensions: readonly string[];
  readonly metrics: readonly string[];
  readonly rows: readonly { readonly dimensions: readonly string[]; readonly values: readonly number[] }[];
  /** Why rows that could not be read were left out of `rows`. */
  readonly skipped: readonly string[];
  readonly quota: QuotaRemaining;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function headerNames(value: unknown, field: string, what: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new MalformedResponseError(`${what}: ${field} is not a list`);
  return value.map((header, index) => {
    if (!isRecord(header) || typeof header.name !== 'string') throw new MalformedResponseError(`${what}: ${field}[${index}] has no name`);
    return header.name;
  });
}

function cellValues(value: unknown, expected: number, field: string, what: string): string[] {
  const cells = value === undefined ? [] : value;
  if (!Array.isArray(cells) || cells.length !== expected) throw new MalformedResponseError(`${what}: a row's ${field} do not match the headers`);
  return cells.map((cell) => {
    if (!isRecord(cell) || typeof cell.value !== 'string') throw new MalformedResponseError(`${what}: a row's ${field} hold a value that is not text`);
    return cell.value;
  });
}

/** Metric values arrive as decimal strings ("1204"). */
function metricNumber(text: string, what: string): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value)) throw new MalformedResponseError(`${what}: metric value "${text.slice(0, 40)}" is not a number`);
  return value;
}

function remaining(quota: Record<string, unknown>, bucket: string): number | null {
  const status = quota[bucket];
  if (!isRecord(status)) return null;
  const value = Number(status.remaining);
  return status.remaining !== undefined && Number.isFinite(value) ? value : null;
}

function quotaOf(body: Record<string, unknown>): QuotaRemaining {
  const quota = body.propertyQuota;
  if (!isRecord(quota)) return { tokensPerDay: null, tokensPerHour: null };
  return { tokensPerDay: remaining(quota, 'tokensPerDay'), tokensPerHour: remaining(quota, 'tokensPerHour') };
}

/**
 * Checks a report reply and turns its rows into numbers. `rows` is omitted when there is no data
 * (proto3 JSON drops empty lists), which is an empty table, not an error. A reply of the wrong shape
 * throws; a row that cannot be read is left out, its reason in `skipped`.
 */
export function readTable(body: unknown, kind: string, requiredMetrics: readonly string[], what: string): Table {
  if (!isRecord(body)) throw new MalformedResponseError(`${what}: the reply is not a JSON object`);
  if (body.kind !== undefined && body.kind !== kind) throw new MalformedResponseError(`${what}: the reply is a ${String(body.kind)}, not a ${kind}`);
  if (body.metricHeaders === undefined) throw new MalformedResponseError(`${what}: the reply has no metricHeaders`);
  const dimensions = headerNames(body.dimensionHeaders, 'dimensionHeaders', what);
  const metrics = headerNames(body.metricHeaders, 'metricHeaders', what);
  const missing = requiredMetrics.filter((name) => !metrics.includes(name));
  if (missing.length > 0) throw new MalformedResponseError(`${what}: the reply lacks the metrics ${missing.join(', ')}`);
  if (body.rows !== undefined && !Array.isArray(body.rows)) throw new MalformedResponseError(`${what}: rows is not a list`);
  const rows: Table['rows'][number][] = [];
  const skipped: string[] = [];
  for (const row of (body.rows as unknown[] | undefined) ?? []) {
    try {
      if (!isRecord(row)) throw new MalformedResponseError(`${what}: a row is not an object`);
      rows.push({
        dimensions: cellValues(row.dimensionValues, dimensions.length, 'dimensionValues', what),
        values: cellValues(row.metricValues, metrics.length, 'metricValues', what).map((text) => metricNumber(text, what)),
      });
    } catch (error) {
      if (!(error instanceof MalformedResponseError)) throw error;
      skipped.push(error.message);
    }
  }
  return { dimensions, metrics, rows, skipped, quota: quotaOf(body) };
}

/** A table every row of which must be read (totals): the first unreadable row fails the report. */
function wholeTable(table: Table): Table {
  if (table.skipped.length > 0) throw new MalformedResponseError(table.skipped[0]!);
  return table;
}

function zeros(): Record<DailyMetric, number> {
  return { activeUsers: 0, newUsers: 0, sessions: 0, screenPageViews: 0 };
}

function isPeriod(name: string): name is Period {
  return (PERIODS as readonly string[]).includes(name);
}

/** Totals per period; a period without a row had no data (zeros). */
export function readDailyReport(body: unknown, propertyId: string): DailyReport {
  const what = `runReport (daily totals) for property ${propertyId}`;
  const table = wholeTable(readTable(body, 'analyticsData#runReport', DAILY_METRICS, what));
  // With several date ranges the API adds a "dateRange" dimension holding each range's name.
  const rangeColumn = table.dimensions.indexOf('dateRange');
  if (table.rows.length > 0 && rangeColumn < 0) throw new MalformedResponseError(`${what}: the rows do not say which date range they belong to`);
  const totals: Record<Period, Record<DailyMetric, number>> = { today: zeros(), yesterday: zeros(), last_28_days: zeros() };
  for (const row of table.rows) {
    const period = row.dimensions[rangeColumn]!;
    if (!isPeriod(period)) continue;
    for (const metric of DAILY_METRICS) totals[period][metric] = row.values[table.metrics.indexOf(metric)]!;
  }
  return { totals, quota: table.quota };
}

/** The pages with the most views, largest first, at most TOP_PAGES_LIMIT whatever the reply holds; unreadable rows are left out. */
export function readTopPages(body: unknown, propertyId: string): TopPagesReport {
  const what = `runReport (top pages) for property ${propertyId}`;
  const table = readTable(body, 'analyticsData#runReport', ['screenPageViews'], what);
  const pathColumn = table.dimensions.indexOf('pagePath');
  if (table.rows.length > 0 && pathColumn < 0) throw new MalformedResponseError(`${what}: the rows have no pagePath`);
  const viewsColumn = table.metrics.indexOf('screenPageViews');
  const pages = table.rows
    .map((row) => ({ path: row.dimensions[pathColumn]!, views: row.values[viewsColumn]! }))
    .sort((a, b) => b.views - a.views || a.path.localeCompare(b.path))
    .slice(0, TOP_PAGES_LIMIT);
  return { pages, skipped: table.skipped, quota: table.quota };
}

/** Active users in the last 30 minutes; no rows means nobody. */
export function readRealtimeActiveUsers(body: unknown, propertyId: string): number {
  const what = `runRealtimeReport for property ${propertyId}`;
  const table = wholeTable(readTable(body, 'analyticsData#runRealtimeReport', ['activeUsers'], what));
  const column = table.metrics.indexOf('activeUsers');
  return table.rows.reduce((sum, row) => sum + row.values[column]!, 0);
}
