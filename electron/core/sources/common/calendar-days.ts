// Calendar days as the daily-history APIs name them ("2025-05-26"), and the day numbers (days since
// 1970-01-01) that make walking over them plain arithmetic. A day here is a date, not an instant:
// which instant it ends at depends on the API's time zone (UTC for npm, the property's for GA4).

const DAY_MS = 86_400_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The day number of "YYYY-MM-DD"; null when the text is not a real date (2025-02-30 is not). */
export function dayNumberOf(isoDay: string): number | null {
  const match = ISO_DAY.exec(isoDay);
  if (!match) return null;
  const time = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return isoDayOf(time / DAY_MS) === isoDay ? time / DAY_MS : null;
}

/** "YYYY-MM-DD" of a day number. */
export function isoDayOf(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** The UTC day number that the instant `time` (epoch ms) falls in. */
export function utcDayNumber(time: number): number {
  return Math.floor(time / DAY_MS);
}

/** The day number of the date that the instant `time` has in `timeZone` (an IANA name such as "America/Los_Angeles"). */
export function zonedDayNumber(time: number, timeZone: string): number {
  // en-CA writes dates as YYYY-MM-DD.
  const text = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(time);
  const day = dayNumberOf(text);
  if (day === null) throw new Error(`cannot read the date ${JSON.stringify(text)} in time zone ${timeZone}`);
  return day;
}

/** The first instant of day `dayNumber` in `timeZone` (epoch ms), daylight saving included. */
function startOfZonedDay(dayNumber: number, timeZone: string): number {
  const wallMidnight = dayNumber * DAY_MS;
  // The zone's offset is found by looking at what its clock says near the instant; two rounds settle
  // a day that begins just after a daylight-saving change.
  let instant = wallMidnight;
  for (let round = 0; round < 2; round++) instant = wallMidnight - (zonedWallTime(instant, timeZone) - instant);
  return instant;
}

/** What the clock in `timeZone` shows at `instant`, written as if it were a UTC time. */
function zonedWallTime(instant: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return wall + (instant - Math.floor(instant / 1000) * 1000);
}

/** The last millisecond of day `dayNumber` in `timeZone`: where a value of that day is stored. */
export function endOfZonedDay(dayNumber: number, timeZone: string): number {
  return startOfZonedDay(dayNumber + 1, timeZone) - 1;
}

/** Whether `timeZone` is an IANA time zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
