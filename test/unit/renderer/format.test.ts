import { describe, expect, it } from 'vitest';
import {
  formatCompact,
  formatAxisValues,
  formatDateTime,
  formatDelta,
  formatExact,
  formatExactDelta,
  formatMoment,
  formatPercentChange,
  formatPreciseDateTime,
  formatRelative,
} from '../../../renderer/format.js';

const en = { locale: 'en-US' };

describe('compact and exact numbers', () => {
  it('shortens thousands and millions, keeps small numbers whole', () => {
    expect(formatCompact(999, en)).toBe('999');
    expect(formatCompact(1234, en)).toBe('1.2K');
    expect(formatCompact(3_400_000, en)).toBe('3.4M');
    expect(formatCompact(2_000_000_000, en)).toBe('2B');
    expect(formatCompact(-1500, en)).toBe('-1.5K');
  });

  it('follows the locale', () => {
    expect(formatCompact(1_234_567, { locale: 'de-DE' })).toBe('1,2\u00a0Mio.');
    expect(formatExact(1_234_567, { locale: 'de-DE' })).toBe('1.234.567');
  });

  it('gives the exact value with grouping for titles', () => {
    expect(formatExact(1_234_567, en)).toBe('1,234,567');
    expect(formatExact(0.125, en)).toBe('0.13');
  });

  it('shows a dash for values that are not numbers', () => {
    expect(formatCompact(Number.NaN, en)).toBe('–');
    expect(formatExact(Number.POSITIVE_INFINITY, en)).toBe('–');
  });

  it('signs changes with a plus or a real minus', () => {
    expect(formatDelta(1234, en)).toBe('+1.2K');
    expect(formatDelta(-35, en)).toBe('\u221235');
    expect(formatDelta(0, en)).toBe('0');
    expect(formatExactDelta(-1234, en)).toBe('\u22121,234');
    expect(formatExactDelta(5, en)).toBe('+5');
  });

  it('gives relative changes in percent, none without a base', () => {
    expect(formatPercentChange(42, 1000, en)).toBe('+4.2%');
    expect(formatPercentChange(-5, 100, en)).toBe('-5%');
    expect(formatPercentChange(5, 0, en)).toBeNull();
  });
});

describe('times', () => {
  const time = Date.UTC(2026, 2, 4, 13, 5, 9);

  it('formats date and time in the given zone, naming the zone', () => {
    expect(formatDateTime(time, { locale: 'en-US', timeZone: 'Asia/Tokyo' })).toBe('Mar 4, 2026, 10:05 PM GMT+9');
    expect(formatDateTime(time, { locale: 'en-US', timeZone: 'UTC' })).toBe('Mar 4, 2026, 1:05 PM UTC');
    expect(formatDateTime(Date.UTC(2026, 6, 1, 12), { locale: 'en-GB', timeZone: 'Europe/London' })).toBe('1 Jul 2026, 13:00 BST');
  });

  it('formats precise times with seconds for chart read-outs', () => {
    expect(formatPreciseDateTime(time, { locale: 'en-US', timeZone: 'America/New_York' })).toBe('Mar 4, 2026, 08:05:09 AM EST');
  });

  it('says how long ago or how soon, in the largest whole unit', () => {
    const now = time;
    expect(formatRelative(now - 3 * 60_000, now, en)).toBe('3 min. ago');
    expect(formatRelative(now - 59_000, now, en)).toBe('59 sec. ago');
    expect(formatRelative(now + 5 * 60_000, now, en)).toBe('in 5 min.');
    expect(formatRelative(now - 2 * 3_600_000 - 59 * 60_000, now, en)).toBe('2 hr. ago');
    expect(formatRelative(now - 26 * 3_600_000, now, en)).toBe('yesterday');
    expect(formatRelative(now - 3_000, now, en)).toBe('now');
    expect(formatRelative(now - 400 * 86_400_000, now, en)).toBe('last yr.');
  });
});

describe('moments ("since 2:05 PM", "history starts Nov 20, 9:00 AM")', () => {
  const utc = { locale: 'en-US', timeZone: 'UTC' };
  const now = Date.UTC(2026, 10, 25, 14, 30);

  it('says only the time today, the date and time this year, the date before', () => {
    expect(formatMoment(Date.UTC(2026, 10, 25, 14, 5), now, utc)).toBe('2:05 PM');
    expect(formatMoment(Date.UTC(2026, 10, 20, 9, 0), now, utc)).toBe('Nov 20, 9:00 AM');
    expect(formatMoment(Date.UTC(2019, 2, 4, 9, 0), now, utc)).toBe('Mar 4, 2019');
    expect(formatMoment(Date.UTC(2026, 10, 25, 14, 5, 9), now, { ...utc, seconds: true })).toBe('2:05:09 PM');
  });

  it('tells days apart in the user’s zone, not in UTC', () => {
    // 23:30 UTC on Nov 24 is already Nov 25 in Tokyo, the same day as now.
    expect(formatMoment(Date.UTC(2026, 10, 24, 23, 30), now, { locale: 'en-US', timeZone: 'Asia/Tokyo' })).toBe('8:30 AM');
    expect(formatMoment(Date.UTC(2026, 10, 24, 23, 30), now, utc)).toBe('Nov 24, 11:30 PM');
    expect(formatMoment(Number.NaN, now, utc)).toBe('–');
  });
});

describe('value axis labels', () => {
  it('are compact, with the decimals it takes to say each tick exactly', () => {
    expect(formatAxisValues([0, 1_000, 2_000], en)).toEqual(['0', '1K', '2K']);
    expect(formatAxisValues([4_600, 4_625, 4_650, 4_675], en)).toEqual(['4.6K', '4.625K', '4.65K', '4.675K']);
    expect(formatAxisValues([4_600, 4_605, 4_610], en)).toEqual(['4.6K', '4.605K', '4.61K']);
    expect(formatAxisValues([1_000_000, 1_000_001], en)).toEqual(['1,000,000', '1,000,001']);
  });
});
