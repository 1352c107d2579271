// Reports by `date` from a property's day-by-day history, as the Data API answers them: date ranges
// given as YYYY-MM-DD or relative to today in the property's time zone (today, yesterday, NdaysAgo),
// one row per day with data (days without data have no row unless keepEmptyRows), the date as
// "YYYYMMDD", a dateRange dimension when several ranges are asked for, orderBys, and limit/offset
// with rowCount the total (a reply holds at most maxRowsPerReply rows, whatever limit asks).
import { FAKE_TIME_ZONE, KNOWN_METRICS, int64, isRecord, metricHeaders, namesOf, order, refuse, withRows } from './reports.js';
import type { Row } from './reports.js';
import type { FakeDay, FakeProperty } from './types.js';

/** Metrics the fake serves only by date. */
export const HISTORY_METRICS: readonly string[] = ['active28DayUsers'];
const DAY_MS = 86_400_000;
const MAX_DATE_RANGES = 4;
const MAX_LIMIT = 250_000;
const DEFAULT_LIMIT = 10_000;

function dayOf(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const time = Date.parse(`${text}T00:00:00Z`);
  return Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== text ? null : time / DAY_MS;
}

function textOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Today's date in the property's time zone, as a day number. */
export function propertyToday(now: number, timeZone: string): number {
  return dayOf(new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now))!;
}

function resolve(text: unknown, field: string, today: number): number {
  if (typeof text !== 'string' || text === '') refuse(`${field} is required.`);
  if (text === 'today') return today;
  if (text === 'yesterday') return today - 1;
  const ago = /^(\d+)daysAgo$/.exec(text);
  if (ago) return today - Number(ago[1]);
  const day = dayOf(text);
  if (day === null) refuse(`Invalid ${field}: ${text}. Use YYYY-MM-DD, NdaysAgo, yesterday, or today.`);
  return day;
}

interface DayRange {
  readonly name: string;
  readonly first: number;
  readonly last: number;
}

function rangesOf(body: Record<string, unknown>, today: number): DayRange[] {
  const ranges = body.dateRanges;
  if (!Array.isArray(ranges) || ranges.length === 0) refuse('Must specify at least one date range.');
  if (ranges.length > MAX_DATE_RANGES) refuse(`Requests are limited to ${MAX_DATE_RANGES} date ranges.`);
  return ranges.map((range, index) => {
    if (!isRecord(range)) refuse(`dateRanges[${index}] must be an object.`);
    const first = resolve(range.startDate, 'startDate', today);
    const last = resolve(range.endDate, 'endDate', today);
    if (first > last) refuse('The dateRange startDate is after the endDate.');
    const name = typeof range.name === 'string' && range.name !== '' ? range.name : `date_range_${index}`;
    return { name, first, last };
  });
}

function valueOf(day: FakeDay, metric: string): number {
  return (day as unknown as Record<string, number>)[metric] ?? 0;
}

export function historyReport(property: FakeProperty, body: Record<string, unknown>, now: number): Record<string, unknown> {
  const timeZone = property.timeZone ?? FAKE_TIME_ZONE;
  const today = propertyToday(now, timeZone);
  const ranges = rangesOf(body, today);
  const requested = namesOf(body.dimensions, 'dimensions');
  const other = requested.filter((name) => name !== 'date' && name !== 'dateRange');
  if (other.length > 0) refuse(`Fake Google serves reports by date without other dimensions; got ${other.join(', ')}.`);
  const metrics = namesOf(body.metrics, 'metrics');
  if (metrics.length === 0) refuse('At least one metric is required.');
  for (const name of metrics) {
    if (![...KNOWN_METRICS, ...HISTORY_METRICS].includes(name)) {
      refuse(`Field ${name} is not a valid metric. For a list of valid metrics, see https://developers.google.com/analytics/devguides/reporting/data/v1/api-schema`);
    }
  }
  const dimensions = ranges.length > 1 && !requested.includes('dateRange') ? [...requested, 'dateRange'] : requested;
  const keepEmptyRows = body.keepEmptyRows === true;
  const history = property.history ?? {};

  let rows: Row[] = [];
  for (const range of ranges) {
    // No day after today has data yet.
    for (let day = range.first; day <= Math.min(range.last, today); day++) {
      const data = history[textOf(day)];
      const values = metrics.map((metric) => (data ? valueOf(data, metric) : 0));
      if (!keepEmptyRows && values.every((value) => value === 0)) continue;
      const date = textOf(day).replaceAll('-', '');
      rows.push({ dimensions: dimensions.map((name) => (name === 'date' ? date : range.name)), values });
    }
  }
  rows = order(rows, body.orderBys, dimensions, metrics);
  const rowCount = rows.length;
  const offset = int64(body.offset, 'offset', 0);
  const limit = int64(body.limit, 'limit', DEFAULT_LIMIT);
  if (offset < 0) refuse('offset must be non-negative.');
  if (limit < 0 || limit > MAX_LIMIT) refuse(`limit must be between 0 and ${MAX_LIMIT}.`);
  const pageSize = Math.min(limit === 0 ? DEFAULT_LIMIT : limit, property.maxRowsPerReply ?? MAX_LIMIT);
  rows = rows.slice(offset, offset + pageSize);

  const reply: Record<string, unknown> = { dimensionHeaders: dimensions.map((name) => ({ name })), metricHeaders: metricHeaders(metrics) };
  withRows(reply, rows, rowCount);
  reply.metadata = { currencyCode: 'USD', timeZone };
  return reply;
}
