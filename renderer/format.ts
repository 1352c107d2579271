// Numbers and times as people read them: compact figures (1.2K, 3.4M) with the exact value kept for
// hover titles, times in the user's own zone, and relative times ("3 min ago", "in 5 min").
// Every function takes an optional locale/time zone so tests (and users) can pin them.
import { boundedMemo } from '../shared/bounded-memo.js';

export interface FormatOptions {
  /** BCP 47 locale; undefined means the user's. */
  readonly locale?: string;
  /** IANA time zone; undefined means the user's. */
  readonly timeZone?: string;
}

/**
 * The user's languages as the browser (or Electron) reports them. Asked explicitly rather than left
 * to Intl's default, which in some hosts is the process locale instead of the user's choice.
 */
function localesOf(options: FormatOptions): string | string[] | undefined {
  if (options.locale) return options.locale;
  const languages = typeof navigator === 'undefined' ? undefined : navigator.languages;
  return languages && languages.length > 0 ? [...languages] : undefined;
}

/**
 * Intl formatters, made once per locale and options: constructing one costs ~0.1–1 ms (it loads
 * locale data), and the Overview's 100 cards at 10,000 repositories formatted ~1,000 dates.
 */
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>();

function cachedFormat<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>(kind: string, locales: string | string[] | undefined, options: object, create: () => T): T {
  const key = JSON.stringify([kind, locales ?? null, options]);
  let format = formatters.get(key) as T | undefined;
  if (!format) {
    format = create();
    formatters.set(key, format);
  }
  return format;
}

function dateTimeFormat(locales: string | string[] | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return cachedFormat('date', locales, options, () => new Intl.DateTimeFormat(locales, options));
}

function numberFormat(locales: string | string[] | undefined, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  return cachedFormat('number', locales, options, () => new Intl.NumberFormat(locales, options));
}

function relativeTimeFormat(locales: string | string[] | undefined, options: Intl.RelativeTimeFormatOptions): Intl.RelativeTimeFormat {
  return cachedFormat('relative', locales, options, () => new Intl.RelativeTimeFormat(locales, options));
}

function compactFormat(options: FormatOptions): Intl.NumberFormat {
  return numberFormat(localesOf(options), { notation: 'compact', maximumFractionDigits: 1 });
}

function exactFormat(options: FormatOptions): Intl.NumberFormat {
  return numberFormat(localesOf(options), { maximumFractionDigits: 2 });
}

/** 1234 → "1.2K", 3_400_000 → "3.4M"; values under 1,000 stay as they are ("999"). */
export function formatCompact(value: number, options: FormatOptions = {}): string {
  if (!Number.isFinite(value)) return '–';
  return compactFormat(options).format(value);
}

/**
 * Labels for a chart's value axis: compact ("4.6K"), with as many decimals as it takes to say each
 * tick exactly ("4.625K"), or the full figure with grouping when three decimals are not enough.
 */
export function formatAxisValues(values: readonly number[], options: FormatOptions = {}): string[] {
  const locales = localesOf(options);
  const compactWith = (digits: number) => (digits === 1 ? compactFormat(options) : numberFormat(locales, { notation: 'compact', maximumFractionDigits: digits }));
  const precise = values.map((value) => compactWith(9).format(value));
  for (const digits of [1, 2, 3]) {
    const labels = values.map((value) => compactWith(digits).format(value));
    if (labels.every((label, index) => label === precise[index])) return labels;
  }
  return values.map((value) => formatExact(value, options));
}

/** The full figure with grouping: 1234567 → "1,234,567" (for titles and read-outs). */
export function formatExact(value: number, options: FormatOptions = {}): string {
  if (!Number.isFinite(value)) return '–';
  return exactFormat(options).format(value);
}

/** A change with its sign, compact: +1.2K, −35, 0. The minus is a real minus sign, not a hyphen. */
export function formatDelta(delta: number, options: FormatOptions = {}): string {
  if (!Number.isFinite(delta)) return '–';
  if (delta === 0) return compactFormat(options).format(0);
  const text = compactFormat(options).format(Math.abs(delta));
  return delta > 0 ? `+${text}` : `\u2212${text}`;
}

/** A change with its sign, exact: +1,234 / −35. */
export function formatExactDelta(delta: number, options: FormatOptions = {}): string {
  if (!Number.isFinite(delta)) return '–';
  if (delta === 0) return exactFormat(options).format(0);
  const text = exactFormat(options).format(Math.abs(delta));
  return delta > 0 ? `+${text}` : `\u2212${text}`;
}

/** A relative change in percent ("+4.2 %"), or null when there is no base to compare with. */
export function formatPercentChange(delta: number, base: number, options: FormatOptions = {}): string | null {
  if (!Number.isFinite(delta) || !Number.isFinite(base) || base === 0) return null;
  const ratio = delta / Math.abs(base);
  const text = numberFormat(localesOf(options), { style: 'percent', maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(ratio);
  return text;
}

/** Date and time in the user's zone, with the zone's name: "Mar 4, 2026, 14:05 GMT+1". */
export function formatDateTime(time: number, options: FormatOptions = {}): string {
  if (!Number.isFinite(time)) return '–';
  return dateTimeFormat(localesOf(options), {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: options.timeZone,
  }).format(time) + ` ${zoneName(time, options)}`;
}

/** Date, time and seconds, for chart read-outs where two neighbouring points can be minutes apart. */
export function formatPreciseDateTime(time: number, options: FormatOptions = {}): string {
  if (!Number.isFinite(time)) return '–';
  return dateTimeFormat(localesOf(options), {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZone: options.timeZone,
    timeZoneName: 'short',
  }).format(time);
}

/** Whether two times fall on the same calendar day (or year) where the user is. */
/** Whether two times fall on the same local day, or in the same local year. */
function sameLocal(a: number, b: number, unit: 'day' | 'year', options: FormatOptions): boolean {
  const dayA = localDate(a, options);
  const dayB = localDate(b, options);
  return unit === 'day' ? dayA === dayB : dayA.slice(0, 4) === dayB.slice(0, 4);
}

/**
 * The local date as "YYYY-MM-DD", kept per zone and quarter hour (a date changes only at a local
 * midnight, which is a whole quarter hour in UTC): the Overview asks a few times for each of its cards.
 */
const localDates = boundedMemo<string>(512);
/** Zones change offset, and dates change, only at whole quarter hours (UTC). */
const QUARTER_HOUR_MS = 15 * 60_000;

function localDate(time: number, options: FormatOptions): string {
  return localDates.get(`${options.timeZone ?? ''}|${Math.floor(time / QUARTER_HOUR_MS)}`, () => {
    const parts = dateTimeFormat('en-US', { timeZone: options.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(time);
    const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((item) => item.type === type)?.value ?? '';
    return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
  });
}

/**
 * A moment as short as it can be told apart from now: "14:05" today, "Nov 25, 14:05" this year,
 * "Mar 4, 2019" before. For "since 14:05" and "history starts Nov 25, 14:05". `seconds` adds them
 * to the time of day (for spans of seconds).
 */
export function formatMoment(time: number, now: number, options: FormatOptions & { readonly seconds?: boolean } = {}): string {
  if (!Number.isFinite(time)) return '–';
  const locales = localesOf(options);
  const clock = { hour: 'numeric', minute: '2-digit', second: options.seconds ? '2-digit' : undefined, timeZone: options.timeZone } as const;
  if (sameLocal(time, now, 'day', options)) {
    return dateTimeFormat(locales, clock).format(time);
  }
  if (sameLocal(time, now, 'year', options)) {
    return dateTimeFormat(locales, { month: 'short', day: 'numeric', ...clock }).format(time);
  }
  return dateTimeFormat(locales, { year: 'numeric', month: 'short', day: 'numeric', timeZone: options.timeZone }).format(time);
}

/**
 * Zone names by locale, zone and quarter hour: formatToParts costs ~0.3 ms a call, and the Overview
 * names the zone on each of its hundred cards. Zones change offset only at whole quarter hours (UTC).
 */
const zoneNames = boundedMemo<string>(512);

function zoneName(time: number, options: FormatOptions): string {
  const locales = localesOf(options);
  return zoneNames.get(`${String(locales)}|${options.timeZone ?? ''}|${Math.floor(time / QUARTER_HOUR_MS)}`, () =>
    dateTimeFormat(locales, { timeZone: options.timeZone, timeZoneName: 'short' })
      .formatToParts(time)
      .find((item) => item.type === 'timeZoneName')?.value ?? '');
}

const RELATIVE_UNITS: readonly { readonly unit: Intl.RelativeTimeFormatUnit; readonly ms: number }[] = [
  { unit: 'year', ms: 365 * 86_400_000 },
  { unit: 'month', ms: 30 * 86_400_000 },
  { unit: 'week', ms: 7 * 86_400_000 },
  { unit: 'day', ms: 86_400_000 },
  { unit: 'hour', ms: 3_600_000 },
  { unit: 'minute', ms: 60_000 },
  { unit: 'second', ms: 1_000 },
];

/** "3 min ago", "in 5 min", "now": the largest unit that fits, rounded down so "59 s" never reads "1 min". */
export function formatRelative(time: number, now: number, options: FormatOptions = {}): string {
  if (!Number.isFinite(time) || !Number.isFinite(now)) return '–';
  const diff = time - now;
  const format = relativeTimeFormat(localesOf(options), { numeric: 'auto', style: 'short' });
  const magnitude = Math.abs(diff);
  if (magnitude < 10_000) return format.format(0, 'second');
  for (const { unit, ms } of RELATIVE_UNITS) {
    if (magnitude >= ms) {
      const count = Math.floor(magnitude / ms);
      return format.format(diff < 0 ? -count : count, unit);
    }
  }
  return format.format(0, 'second');
}

/** A UTC calendar day (traffic is counted per UTC day, as GitHub counts it): "Mar 4, 2026". */
export function formatUtcDay(time: number, options: Pick<FormatOptions, 'locale'> = {}): string {
  if (!Number.isFinite(time)) return '–';
  return dateTimeFormat(localesOf(options), { dateStyle: 'medium', timeZone: 'UTC' }).format(time);
}
