// The time axis' ticks and labels, chosen so that no two labels overlap: for each candidate step
// (1 s … 100 years, on calendar boundaries in the user's zone), the labels are measured where they
// would be drawn, and the finest step whose labels all fit wins. Labels are one line and say only
// what changes at that step (":20", "14:05", "Nov 25", "Nov", "2026"); a tick on a bigger boundary names
// the bigger unit (midnight shows the date, January the year), so the axis stays readable at any span.

export interface TimeTick {
  /** Epoch ms. */
  readonly time: number;
  readonly label: string;
}

export interface PlacedLabel {
  readonly text: string;
  /** CSS px from the plot's left edge. */
  readonly left: number;
  readonly right: number;
}

type Unit = 'second' | 'minute' | 'hour' | 'day' | 'month' | 'year';

interface Step {
  readonly unit: Unit;
  readonly count: number;
  /** About how long the step is, to skip steps far too fine for the width. */
  readonly approxMs: number;
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const STEPS: readonly Step[] = [
  ...[1, 5, 15, 30].map((count) => ({ unit: 'second' as const, count, approxMs: count * SECOND })),
  ...[1, 5, 15, 30].map((count) => ({ unit: 'minute' as const, count, approxMs: count * MINUTE })),
  ...[1, 3, 6, 12].map((count) => ({ unit: 'hour' as const, count, approxMs: count * HOUR })),
  ...[1, 2, 7, 14].map((count) => ({ unit: 'day' as const, count, approxMs: count * DAY })),
  ...[1, 3, 6].map((count) => ({ unit: 'month' as const, count, approxMs: count * 30 * DAY })),
  ...[1, 2, 5, 10, 25, 50, 100].map((count) => ({ unit: 'year' as const, count, approxMs: count * 365 * DAY })),
];

/** Labels never come closer than this (CSS px). */
export const LABEL_GAP_PX = 12;
/** No label is narrower than this, so steps finer than it are not even tried. */
const MIN_LABEL_PX = 16;

export interface TimeTickOptions {
  /** BCP 47 locale(s); undefined: the user's. */
  readonly locales?: string | readonly string[];
  /** How far a label may reach left of the plot (over the y axis), in CSS px. */
  readonly leftRoomPx?: number;
}

class Labels {
  private readonly time: Intl.DateTimeFormat;
  private readonly timeWithSeconds: Intl.DateTimeFormat;
  private readonly day: Intl.DateTimeFormat;
  private readonly month: Intl.DateTimeFormat;
  private readonly year: Intl.DateTimeFormat;

  constructor(locales: string | readonly string[] | undefined) {
    const list = locales === undefined ? undefined : typeof locales === 'string' ? locales : [...locales];
    this.time = new Intl.DateTimeFormat(list, { hour: 'numeric', minute: '2-digit' });
    this.timeWithSeconds = new Intl.DateTimeFormat(list, { hour: 'numeric', minute: '2-digit', second: '2-digit' });
    this.day = new Intl.DateTimeFormat(list, { month: 'short', day: 'numeric' });
    this.month = new Intl.DateTimeFormat(list, { month: 'short' });
    this.year = new Intl.DateTimeFormat(list, { year: 'numeric' });
  }

  /**
   * The label of a tick at `time` for a step of `unit`: the biggest boundary the time is on, down to
   * the unit. The first tick of a seconds step says the whole time, so ":20" has its minute.
   */
  of(time: number, unit: Unit, first = false): string {
    const date = new Date(time);
    const newYear = date.getMonth() === 0 && date.getDate() === 1 && isMidnight(date);
    switch (unit) {
      case 'year':
        return this.year.format(time);
      case 'month':
        return newYear ? this.year.format(time) : this.month.format(time);
      case 'day':
        return newYear ? this.year.format(time) : this.day.format(time);
      default: {
        if (isMidnight(date)) return newYear ? this.year.format(time) : this.day.format(time);
        // Between whole minutes a seconds step says only the seconds (":20"), as clocks do.
        if (unit === 'second' && date.getSeconds() !== 0) return first ? this.timeWithSeconds.format(time) : `:${String(date.getSeconds()).padStart(2, '0')}`;
        return this.time.format(time);
      }
    }
  }
}

function isMidnight(date: Date): boolean {
  return date.getHours() === 0 && date.getMinutes() === 0 && date.getSeconds() === 0 && date.getMilliseconds() === 0;
}

/** Day-of-month ticks for a step of `count` days: 1, 1+count, …, but none so late that the next month's 1st comes sooner than a step. */
function isDayTick(date: Date, count: number): boolean {
  const day = date.getDate();
  const daysInMonth = new Date(date.getFullYear(), date.getMonth() + 1, 0).getDate();
  return (day - 1) % count === 0 && daysInMonth - day + 1 >= count;
}

/** The times of a step's ticks from start to end (inclusive), on local calendar boundaries. */
export function stepTimes(start: number, end: number, unit: Unit, count: number): number[] {
  const times: number[] = [];
  const first = new Date(start);
  const push = (time: number) => {
    if (time >= start && time <= end && (times.length === 0 || time > times[times.length - 1]!)) times.push(time);
  };
  switch (unit) {
    case 'second':
    case 'minute':
    case 'hour': {
      const fieldMs = unit === 'second' ? SECOND : unit === 'minute' ? MINUTE : HOUR;
      const cursor = new Date(first);
      if (unit === 'second') cursor.setMilliseconds(0);
      if (unit === 'minute') cursor.setSeconds(0, 0);
      if (unit === 'hour') cursor.setMinutes(0, 0, 0);
      const get = () => (unit === 'second' ? cursor.getSeconds() : unit === 'minute' ? cursor.getMinutes() : cursor.getHours());
      // Back to a multiple of the count (e.g. 14:15 for 15 minutes), then forward one step at a time.
      cursor.setTime(cursor.getTime() - (get() % count) * fieldMs);
      for (let guard = 0; cursor.getTime() <= end && guard < 100_000; guard++) {
        push(cursor.getTime());
        const next = new Date(cursor);
        if (unit === 'second') next.setSeconds(next.getSeconds() + count);
        else if (unit === 'minute') next.setMinutes(next.getMinutes() + count);
        else next.setHours(next.getHours() + count);
        // A clock change can bend an hour step off its boundary: snap back to a multiple.
        if (unit === 'hour' && next.getHours() % count !== 0) next.setHours(next.getHours() - (next.getHours() % count));
        if (next.getTime() <= cursor.getTime()) next.setTime(cursor.getTime() + count * fieldMs);
        cursor.setTime(next.getTime());
      }
      return times;
    }
    case 'day': {
      const cursor = new Date(first.getFullYear(), first.getMonth(), first.getDate());
      for (let guard = 0; cursor.getTime() <= end && guard < 100_000; guard++) {
        if (isDayTick(cursor, count)) push(cursor.getTime());
        cursor.setDate(cursor.getDate() + 1);
      }
      return times;
    }
    case 'month': {
      const cursor = new Date(first.getFullYear(), first.getMonth() - (first.getMonth() % count), 1);
      for (let guard = 0; cursor.getTime() <= end && guard < 100_000; guard++) {
        push(cursor.getTime());
        cursor.setMonth(cursor.getMonth() + count);
      }
      return times;
    }
    case 'year': {
      const cursor = new Date(first.getFullYear() - (first.getFullYear() % count), 0, 1);
      for (let guard = 0; cursor.getTime() <= end && guard < 100_000; guard++) {
        push(cursor.getTime());
        cursor.setFullYear(cursor.getFullYear() + count);
      }
      return times;
    }
  }
}

/** Where each label of the ticks would be drawn (centred on its tick), in CSS px from the plot's left edge. */
export function placeLabels(ticks: readonly TimeTick[], start: number, end: number, widthPx: number, measure: (text: string) => number): PlacedLabel[] {
  const span = end - start;
  return ticks.map((tick) => {
    const center = span > 0 ? ((tick.time - start) / span) * widthPx : widthPx / 2;
    const half = measure(tick.label) / 2;
    return { text: tick.label, left: center - half, right: center + half };
  });
}

/** Whether labels keep LABEL_GAP_PX apart from each other (they are in time order). */
export function labelsApart(labels: readonly PlacedLabel[], gapPx = LABEL_GAP_PX): boolean {
  for (let index = 1; index < labels.length; index++) {
    if (labels[index]!.left - labels[index - 1]!.right < gapPx) return false;
  }
  return true;
}

/**
 * The ticks of a time axis from `start` to `end` (epoch ms) over `widthPx` CSS px: the finest step whose
 * labels, measured with `measure`, all fit inside the plot without coming closer than LABEL_GAP_PX.
 */
export function timeTicks(start: number, end: number, widthPx: number, measure: (text: string) => number, options: TimeTickOptions = {}): TimeTick[] {
  if (!(end > start) || !(widthPx > 0)) return [];
  const labels = new Labels(options.locales);
  const widths = new Map<string, number>();
  const measured = (text: string) => {
    let width = widths.get(text);
    if (width === undefined) {
      width = measure(text);
      widths.set(text, width);
    }
    return width;
  };
  const leftRoom = options.leftRoomPx ?? 0;
  const span = end - start;
  // A step that fits only one label is kept in case no step fits two (a very narrow chart).
  let single: TimeTick[] | null = null;
  for (const step of STEPS) {
    if ((step.approxMs / span) * widthPx < MIN_LABEL_PX) continue;
    // A label cut by the plot's edges is left out rather than drawn half.
    const fits = (tick: TimeTick) => {
      const label = placeLabels([tick], start, end, widthPx, measured)[0]!;
      return label.left >= -leftRoom && label.right <= widthPx;
    };
    const kept = stepTimes(start, end, step.unit, step.count).map((time) => ({ time, label: labels.of(time, step.unit) })).filter(fits);
    // The first label says the whole time where the others say only what changes (":20").
    const firstIndex = kept.findIndex((tick) => fits({ time: tick.time, label: labels.of(tick.time, step.unit, true) }));
    const inside = firstIndex === -1 ? [] : [{ time: kept[firstIndex]!.time, label: labels.of(kept[firstIndex]!.time, step.unit, true) }, ...kept.slice(firstIndex + 1)];
    if (!labelsApart(placeLabels(inside, start, end, widthPx, measured))) continue;
    if (inside.length >= 2) return inside;
    if (inside.length === 1) single ??= inside;
  }
  return single ?? [];
}
