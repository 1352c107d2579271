// The fake npm downloads API's daily history and its range endpoint (/downloads/range/PERIOD/NAMES),
// behaving like the real one where Footprint depends on it (test/fixtures/api/README.md §4, npm/registry
// docs/download-counts.md, npm/registry-issue-archive#206):
// - every day of the range is listed, zeros included, also days whose counts have not landed yet;
// - data starts 2015-01-10: an earlier start is moved there;
// - a single package gets at most 18 months: an earlier start is moved to 18 months before the end;
// - bulk (comma-separated, unscoped, at most 128) gets at most 365 days: more is refused;
// - last-day/last-week/last-month/last-year end at the last day whose counts have landed.

export const FAKE_DATA_START = '2015-01-10';
/** The real API's words for a bulk range over a year (npm/download-counts#31). */
export const BULK_RANGE_TOO_LONG_ERROR = 'exceeded max days of 365';
/** Ours: the real API's words for these are not documented. */
export const INVALID_RANGE_ERROR = 'invalid date range';

const DAY_MS = 86_400_000;
const BULK_MAX_DAYS = 365;
const SINGLE_MAX_MONTHS = 18;
const NAMED_PERIODS: Readonly<Record<string, number>> = { 'last-day': 1, 'last-week': 7, 'last-month': 30, 'last-year': 365 };

export function dayNumber(isoDay: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDay)) return null;
  const time = Date.parse(`${isoDay}T00:00:00Z`);
  return Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== isoDay ? null : time / DAY_MS;
}

export function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Downloads per day of each package the fake knows the history of: name → day number → count. */
export type DailyBook = Map<string, Map<number, number>>;

export function checkDailyDownloads(name: string, days: Readonly<Record<string, number>>): Map<number, number> {
  const book = new Map<number, number>();
  for (const [day, downloads] of Object.entries(days)) {
    const number = dayNumber(day);
    if (number === null) throw new Error(`fake npm: ${name} has a day "${day}" that is not YYYY-MM-DD`);
    if (!Number.isInteger(downloads) || downloads < 0) throw new Error(`fake npm: ${name} on ${day} must be a non-negative integer, got ${JSON.stringify(downloads)}`);
    book.set(number, downloads);
  }
  return book;
}

/** A package's downloads over days first..last (inclusive); days after `landed` have not been counted yet (0). */
export function sumDownloads(days: ReadonlyMap<number, number>, first: number, last: number, landed: number): number {
  let sum = 0;
  for (let day = first; day <= Math.min(last, landed); day++) sum += days.get(day) ?? 0;
  return sum;
}

export type RangeAnswer = { readonly status: number; readonly body: unknown };

function error(status: number, message: string): RangeAnswer {
  return { status, body: { error: message } };
}

/** The days a period names: "last-week", "2024-01-01:2024-03-31" or one date; null when unreadable. */
function daysOf(period: string, landed: number): { first: number; last: number } | null {
  const named = NAMED_PERIODS[period];
  if (named !== undefined) return { first: landed - named + 1, last: landed };
  const [from, to = from] = period.split(':');
  const first = dayNumber(from ?? '');
  const last = dayNumber(to ?? '');
  return first === null || last === null ? null : { first, last };
}

/** 18 calendar months before `last`, as the API counts them. */
function eighteenMonthsBefore(last: number): number {
  const date = new Date(last * DAY_MS);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - SINGLE_MAX_MONTHS, date.getUTCDate()) / DAY_MS;
}

function entry(name: string, days: ReadonlyMap<number, number>, first: number, last: number, landed: number): Record<string, unknown> {
  const downloads: { downloads: number; day: string }[] = [];
  // Key order as in npm_downloads_range.json.
  for (let day = first; day <= last; day++) downloads.push({ downloads: day <= landed ? (days.get(day) ?? 0) : 0, day: isoDay(day) });
  return { start: isoDay(first), end: isoDay(last), package: name, downloads };
}

/**
 * The reply to /downloads/range/PERIOD/NAMES. `known` says whether npm has a package (the fake's
 * point counts or its history); `landed` is the last day whose counts are in.
 */
export function rangeReply(period: string, names: readonly string[], book: DailyBook, known: (name: string) => boolean, landed: number): RangeAnswer {
  const asked = daysOf(period, landed);
  if (asked === null) return error(400, INVALID_RANGE_ERROR);
  if (names.length === 0) return error(400, 'the fake npm API serves ranges of named packages only');
  if (asked.last < asked.first) return error(400, 'end date > start date');
  const dataStart = dayNumber(FAKE_DATA_START)!;
  if (asked.last < dataStart) return error(400, INVALID_RANGE_ERROR);
  const first = Math.max(asked.first, dataStart);
  const empty = new Map<number, number>();
  if (names.length > 1) {
    if (asked.last - first + 1 > BULK_MAX_DAYS) return error(400, BULK_RANGE_TOO_LONG_ERROR);
    return { status: 200, body: Object.fromEntries(names.map((name) => [name, known(name) ? entry(name, book.get(name) ?? empty, first, asked.last, landed) : null])) };
  }
  const name = names[0]!;
  if (!known(name)) return error(404, `package ${name} not found`);
  return { status: 200, body: entry(name, book.get(name) ?? empty, Math.max(first, eighteenMonthsBefore(asked.last)), asked.last, landed) };
}
