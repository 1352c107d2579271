// When a GA4 quota that answered 429 RESOURCE_EXHAUSTED comes back. Google's messages name the
// bucket ("Exhausted property tokens per day…", "…per hour…", "…concurrent requests…") but give no
// time, so:
// - daily buckets: the next midnight in America/Los_Angeles, when Google Cloud resets daily quotas
//   (Google's own text says "will return in under 24 hours", which this never exceeds);
// - hourly buckets, and any 429 whose bucket is not named: the start of the next hour;
// - concurrent requests: a minute, since they free up as soon as running requests end.

export const QUOTA_TIME_ZONE = 'America/Los_Angeles';
const HOUR_MS = 3_600_000;
const CONCURRENT_WAIT_MS = 60_000;

const wallClock = new Intl.DateTimeFormat('en-US', {
  timeZone: QUOTA_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/** The wall-clock time in the quota time zone at `instant`, written as if it were UTC. */
function wallTimeAsUtc(instant: number): number {
  const parts = Object.fromEntries(wallClock.formatToParts(instant).map((part) => [part.type, part.value]));
  return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
}

/** The first midnight in the quota time zone after `now` (epoch ms). */
export function nextPacificMidnight(now: number): number {
  const wall = new Date(wallTimeAsUtc(now));
  const midnightAsUtc = Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate() + 1);
  // The zone's offset at midnight may differ from now's (daylight saving changes at 02:00 there).
  let instant = midnightAsUtc - (wallTimeAsUtc(now) - Math.floor(now / 1000) * 1000);
  instant = midnightAsUtc - (wallTimeAsUtc(instant) - instant);
  return instant;
}

export function nextFullHour(now: number): number {
  return (Math.floor(now / HOUR_MS) + 1) * HOUR_MS;
}

/** Epoch ms at which the quota named in a RESOURCE_EXHAUSTED message is expected back. */
export function quotaRetryAt(apiMessage: string, now: number): number {
  if (/concurrent/i.test(apiMessage)) return now + CONCURRENT_WAIT_MS;
  if (/per day|daily/i.test(apiMessage)) return nextPacificMidnight(now);
  return nextFullHour(now);
}
