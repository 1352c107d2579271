// Reads a runReport / runRealtimeReport request the way the Data API does and answers it from
// the fake's data: named date ranges (and the implicit dateRange dimension), requested metrics in
// order, pagePath with orderBys, limit and offset; rows with all-zero metrics left out, like GA4.
import { invalidArgument, type GoogleErrorBody } from './errors.js';
import { HISTORY_METRICS, historyReport } from './history.js';
import type { FakeDailyTotals, FakePeriod, FakeProperty } from './types.js';

export const KNOWN_METRICS = ['activeUsers', 'newUsers', 'sessions', 'screenPageViews'] as const;
/** A property's reporting time zone unless it names one (as in ga4_run_report.json). */
export const FAKE_TIME_ZONE = 'America/Los_Angeles';
type KnownMetric = (typeof KNOWN_METRICS)[number];
const KNOWN_DIMENSIONS = ['pagePath', 'dateRange'];
const MAX_DATE_RANGES = 4;
const MAX_LIMIT = 250_000;
/** Standard properties may ask for minutes 29..0 ago (Analytics 360: 59). */
const MAX_START_MINUTES_AGO = 29;

export type ReportAnswer = { ok: true; body: Record<string, unknown> } | { ok: false; status: number; body: GoogleErrorBody };

export interface Row {
  dimensions: string[];
  values: number[];
  /** Metric texts sent instead of the values (a malformed row). */
  texts?: (string | undefined)[];
}

class RequestError extends Error {}

export function refuse(message: string): never {
  throw new RequestError(message);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function namesOf(list: unknown, field: string): string[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) refuse(`${field} must be a list.`);
  return list.map((item, index) => {
    if (!isRecord(item) || typeof item.name !== 'string' || item.name === '') refuse(`${field}[${index}].name is required.`);
    return item.name;
  });
}

function metricsOf(body: Record<string, unknown>, allowed: readonly string[]): KnownMetric[] {
  const names = namesOf(body.metrics, 'metrics');
  if (names.length === 0) refuse('At least one metric is required.');
  for (const name of names) {
    if (![...KNOWN_METRICS, ...HISTORY_METRICS].includes(name)) {
      refuse(`Field ${name} is not a valid metric. For a list of valid metrics, see https://developers.google.com/analytics/devguides/reporting/data/v1/api-schema`);
    }
    if (!allowed.includes(name)) refuse(`Fake Google does not serve the metric ${name} in this report.`);
  }
  return names as KnownMetric[];
}

/** int64 fields arrive as strings (or numbers from lenient clients). */
export function int64(value: unknown, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  const number = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : typeof value === 'number' ? value : Number.NaN;
  if (!Number.isSafeInteger(number)) refuse(`${field} must be an integer.`);
  return number;
}

/** Relative dates as days before today: "today" 0, "yesterday" 1, "NdaysAgo" N; other forms are beyond the fake. */
function daysAgo(text: unknown, field: string): number {
  if (typeof text !== 'string' || text === '') refuse(`${field} is required.`);
  if (text === 'today') return 0;
  if (text === 'yesterday') return 1;
  const match = /^(\d+)daysAgo$/.exec(text);
  if (match) return Number(match[1]);
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) refuse(`Fake Google serves relative dates only (today, yesterday, NdaysAgo); got ${field} ${text}.`);
  refuse(`Invalid ${field}: ${text}. Use YYYY-MM-DD, NdaysAgo, yesterday, or today.`);
}

function periodOf(start: number, end: number): FakePeriod {
  if (start < end) refuse('The dateRange startDate is after the endDate.');
  if (start === 0 && end === 0) return 'today';
  if (start === 1 && end === 1) return 'yesterday';
  if (start === 28 && end === 1) return 'last_28_days';
  refuse(`Fake Google has data for today, yesterday and 28daysAgo..yesterday only; got ${start}daysAgo..${end}daysAgo.`);
}

interface NamedRange {
  name: string;
  period: FakePeriod;
}

function dateRangesOf(body: Record<string, unknown>): NamedRange[] {
  const ranges = body.dateRanges;
  if (!Array.isArray(ranges) || ranges.length === 0) refuse('Must specify at least one date range.');
  if (ranges.length > MAX_DATE_RANGES) refuse(`Requests are limited to ${MAX_DATE_RANGES} date ranges.`);
  const seen = new Set<string>();
  return ranges.map((range, index) => {
    if (!isRecord(range)) refuse(`dateRanges[${index}] must be an object.`);
    const period = periodOf(daysAgo(range.startDate, 'startDate'), daysAgo(range.endDate, 'endDate'));
    let name = `date_range_${index}`;
    if (range.name !== undefined && range.name !== '') {
      if (typeof range.name !== 'string') refuse(`dateRanges[${index}].name must be a string.`);
      if (range.name.startsWith('date_range_') || range.name.startsWith('RESERVED_')) refuse(`Date range name ${range.name} cannot begin with "date_range_" or "RESERVED_".`);
      name = range.name;
    }
    if (seen.has(name)) refuse(`Date range name ${name} is used twice.`);
    seen.add(name);
    return { name, period };
  });
}

function compare(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** Applies orderBys in turn (the first decides, later ones break ties). */
export function order(rows: Row[], orderBys: unknown, dimensions: readonly string[], metrics: readonly string[]): Row[] {
  if (orderBys === undefined) return rows;
  if (!Array.isArray(orderBys)) refuse('orderBys must be a list.');
  const keys = orderBys.map((orderBy, index) => {
    if (!isRecord(orderBy)) refuse(`orderBys[${index}] must be an object.`);
    const desc = orderBy.desc === true;
    if (isRecord(orderBy.metric)) {
      const column = metrics.indexOf(String(orderBy.metric.metricName));
      if (column < 0) refuse(`Field ${String(orderBy.metric.metricName)} in orderBys must be one of the requested metrics.`);
      return { desc, value: (row: Row): string | number => row.values[column]! };
    }
    if (isRecord(orderBy.dimension)) {
      const column = dimensions.indexOf(String(orderBy.dimension.dimensionName));
      if (column < 0) refuse(`Field ${String(orderBy.dimension.dimensionName)} in orderBys must be one of the requested dimensions.`);
      return { desc, value: (row: Row): string | number => row.dimensions[column]! };
    }
    refuse(`orderBys[${index}] must order by a metric or a dimension.`);
  });
  return [...rows].sort((a, b) => {
    for (const key of keys) {
      const difference = compare(key.value(a), key.value(b));
      if (difference !== 0) return key.desc ? -difference : difference;
    }
    return 0;
  });
}

export function metricHeaders(metrics: readonly string[]): { name: string; type: string }[] {
  return metrics.map((name) => ({ name, type: 'TYPE_INTEGER' }));
}

/** proto3 JSON: empty lists and zero numbers are left out. */
export function withRows(body: Record<string, unknown>, rows: readonly Row[], rowCount: number): Record<string, unknown> {
  if (rows.length > 0) {
    body.rows = rows.map((row) => ({
      ...(row.dimensions.length > 0 ? { dimensionValues: row.dimensions.map((value) => ({ value })) } : {}),
      metricValues: row.values.map((value, index) => ({ value: row.texts?.[index] ?? String(value) })),
    }));
  }
  if (rowCount > 0) body.rowCount = rowCount;
  return body;
}

function totalsRow(totals: FakeDailyTotals, metrics: readonly KnownMetric[]): number[] {
  return metrics.map((metric) => totals[metric]);
}

function runReport(property: FakeProperty, body: Record<string, unknown>, now: number): Record<string, unknown> {
  // By date: served from the property's day-by-day history (history.ts).
  if (namesOf(body.dimensions, 'dimensions').includes('date')) return historyReport(property, body, now);
  const ranges = dateRangesOf(body);
  const requestedDimensions = namesOf(body.dimensions, 'dimensions');
  for (const name of requestedDimensions) {
    if (!KNOWN_DIMENSIONS.includes(name)) refuse(`Field ${name} is not a valid dimension. For a list of valid dimensions, see https://developers.google.com/analytics/devguides/reporting/data/v1/api-schema`);
  }
  const byPage = requestedDimensions.includes('pagePath');
  const metrics = metricsOf(body, byPage ? ['screenPageViews'] : KNOWN_METRICS);
  // Several date ranges add a dateRange dimension holding each range's name.
  const dimensions = ranges.length > 1 && !requestedDimensions.includes('dateRange') ? [...requestedDimensions, 'dateRange'] : requestedDimensions;
  const keepEmptyRows = body.keepEmptyRows === true;

  let rows: Row[] = [];
  for (const range of ranges) {
    if (byPage) {
      if (range.period !== 'last_28_days') refuse('Fake Google has page views for 28daysAgo..yesterday only.');
      for (const page of property.pages) {
        rows.push({ dimensions: dimensions.map((name) => (name === 'pagePath' ? page.path : range.name)), values: [page.views], texts: [page.rawViews] });
      }
    } else {
      rows.push({ dimensions: dimensions.map(() => range.name), values: totalsRow(property.daily[range.period], metrics) });
    }
  }
  if (!keepEmptyRows) rows = rows.filter((row) => row.values.some((value) => value !== 0));
  rows = order(rows, body.orderBys, dimensions, metrics);
  const rowCount = rows.length;
  const offset = int64(body.offset, 'offset', 0);
  const limit = int64(body.limit, 'limit', 10_000);
  if (offset < 0) refuse('offset must be non-negative.');
  if (limit < 0 || limit > MAX_LIMIT) refuse(`limit must be between 0 and ${MAX_LIMIT}.`);
  rows = rows.slice(offset, offset + (limit === 0 ? 10_000 : limit));

  const reply: Record<string, unknown> = {};
  if (dimensions.length > 0) reply.dimensionHeaders = dimensions.map((name) => ({ name }));
  reply.metricHeaders = metricHeaders(metrics);
  withRows(reply, rows, rowCount);
  reply.metadata = { currencyCode: 'USD', timeZone: property.timeZone ?? FAKE_TIME_ZONE };
  return reply;
}

function runRealtimeReport(property: FakeProperty, body: Record<string, unknown>): Record<string, unknown> {
  const dimensions = namesOf(body.dimensions, 'dimensions');
  if (dimensions.length > 0) refuse(`Fake Google serves realtime reports without dimensions; got ${dimensions.join(', ')}.`);
  const metrics = metricsOf(body, ['activeUsers']);
  const minuteRanges = body.minuteRanges ?? [];
  if (!Array.isArray(minuteRanges)) refuse('minuteRanges must be a list.');
  if (minuteRanges.length > 2) refuse('Requests are limited to 2 minute ranges.');
  for (const [index, range] of minuteRanges.entries()) {
    if (!isRecord(range)) refuse(`minuteRanges[${index}] must be an object.`);
    const start = range.startMinutesAgo === undefined ? MAX_START_MINUTES_AGO : Number(range.startMinutesAgo);
    const end = range.endMinutesAgo === undefined ? 0 : Number(range.endMinutesAgo);
    if (!Number.isInteger(start) || start > MAX_START_MINUTES_AGO) refuse(`startMinutesAgo must be at most ${MAX_START_MINUTES_AGO} for a standard property.`);
    if (!Number.isInteger(end) || end < 0 || end > start) refuse('endMinutesAgo must be between 0 and startMinutesAgo.');
    if (start !== MAX_START_MINUTES_AGO || end !== 0) refuse('Fake Google has realtime data for the whole last 30 minutes (29..0) only.');
  }
  const value = property.realtimeActiveUsers;
  const rows: Row[] = value !== 0 || body.keepEmptyRows === true ? [{ dimensions: [], values: metrics.map(() => value) }] : [];
  return withRows({ metricHeaders: metricHeaders(metrics) }, rows, rows.length);
}

/** The reply to a report request, or a 400 INVALID_ARGUMENT saying what is wrong with it. */
export function answerReport(method: 'runReport' | 'runRealtimeReport', property: FakeProperty, body: unknown, now: number = Date.now()): ReportAnswer {
  try {
    if (!isRecord(body)) refuse('Invalid JSON payload received. The request body must be a JSON object.');
    const reply = method === 'runReport' ? runReport(property, body, now) : runRealtimeReport(property, body);
    return { ok: true, body: reply };
  } catch (error) {
    if (error instanceof RequestError) return { ok: false, status: 400, body: invalidArgument(error.message) };
    throw error;
  }
}
