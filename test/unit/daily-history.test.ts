// Walking a daily series backwards (common/daily-history.ts) and the calendar arithmetic under it
// (common/calendar-days.ts): held-back empty days, the end of the walk, cursors, days in time zones.
import { describe, expect, it } from 'vitest';
import { dayNumberOf, endOfZonedDay, isoDayOf, isTimeZone, zonedDayNumber } from '../../electron/core/sources/common/calendar-days.js';
import { decodeWalk, encodeWalk, rollingSum, settleRange } from '../../electron/core/sources/common/daily-history.js';

const d = (text: string) => dayNumberOf(text)!;

describe('settleRange', () => {
  const walk = { top: d('2025-06-01'), held: 0, stop: d('2015-01-10') };

  it('stores the whole range and goes on when data came before it (in the overlap)', () => {
    const settled = settleRange(walk, d('2025-03-01'), d('2025-06-01'), d('2025-02-10'));
    expect(settled).toEqual({
      days: { from: d('2025-03-01'), to: d('2025-06-01') },
      zeros: null,
      next: { top: walk.top, end: d('2025-02-28'), held: 0, stop: walk.stop },
      doneDays: 93,
    });
  });

  it('holds back the empty days before the first data, then stores them as zeros when older data shows up', () => {
    const first = settleRange(walk, d('2025-03-01'), d('2025-06-01'), d('2025-03-11'));
    expect(first.days).toEqual({ from: d('2025-03-11'), to: d('2025-06-01') });
    expect(first.next).toMatchObject({ end: d('2025-02-28'), held: 10 });
    const older = settleRange(first.next!, d('2024-12-01'), d('2025-02-28'), d('2024-11-20'));
    expect(older.zeros).toEqual({ from: d('2025-03-01'), to: d('2025-03-10') });
    expect(older.days).toEqual({ from: d('2024-12-01'), to: d('2025-02-28') });
  });

  it('ends the walk at a range without data, dropping the held-back days', () => {
    const settled = settleRange({ ...walk, held: 10 }, d('2024-12-01'), d('2025-02-28'), null);
    expect(settled).toEqual({ days: null, zeros: null, next: null, doneDays: walk.top - d('2024-12-01') + 1 });
  });

  it('ends the walk at the oldest day wanted, leaving out empty days before the first data there', () => {
    const settled = settleRange({ ...walk, stop: d('2025-03-01') }, d('2025-03-01'), d('2025-06-01'), d('2025-03-05'));
    expect(settled.days).toEqual({ from: d('2025-03-05'), to: d('2025-06-01') });
    expect(settled.next).toBeNull();
  });
});

describe('walk cursors', () => {
  it('round-trip as readable dates and refuse text that is not a walk', () => {
    const walk = { top: d('2025-06-01'), end: d('2024-06-30'), held: 3, stop: d('2015-01-10') };
    const text = encodeWalk(walk);
    expect(JSON.parse(text)).toEqual({ top: '2025-06-01', end: '2024-06-30', held: 3, stop: '2015-01-10' });
    expect(decodeWalk(text)).toEqual(walk);
    for (const bad of ['', 'null', '{}', '{"top":"2025-06-01","end":"2025-02-30","held":0,"stop":"2015-01-10"}', encodeWalk({ ...walk, held: -1 }), encodeWalk({ ...walk, end: d('2014-01-01') })]) {
      expect(decodeWalk(bad), bad).toBeNull();
    }
  });
});

describe('rollingSum', () => {
  it('sums the days of the window, or says it is not covered', () => {
    const value = (day: number) => day - d('2025-01-01') + 1;
    expect(rollingSum(value, d('2025-01-07'), 7, d('2025-01-01'))).toBe(28);
    expect(rollingSum(value, d('2025-01-06'), 7, d('2025-01-01'))).toBeNull();
    expect(rollingSum(value, d('2025-01-03'), 1, d('2025-01-01'))).toBe(3);
  });
});

describe('calendar days', () => {
  it('reads real dates only', () => {
    expect(isoDayOf(d('2024-02-29'))).toBe('2024-02-29');
    expect(dayNumberOf('2025-02-29')).toBeNull();
    expect(dayNumberOf('2025-1-01')).toBeNull();
  });

  it('knows the date and the end of a day in a time zone, across daylight saving', () => {
    // 2025-03-09 is 23 hours long in Los Angeles (clocks go forward at 02:00).
    expect(zonedDayNumber(Date.UTC(2025, 2, 10, 6, 59), 'America/Los_Angeles')).toBe(d('2025-03-09'));
    expect(zonedDayNumber(Date.UTC(2025, 2, 10, 7, 0), 'America/Los_Angeles')).toBe(d('2025-03-10'));
    expect(endOfZonedDay(d('2025-03-08'), 'America/Los_Angeles')).toBe(Date.UTC(2025, 2, 9, 8) - 1);
    expect(endOfZonedDay(d('2025-03-09'), 'America/Los_Angeles')).toBe(Date.UTC(2025, 2, 10, 7) - 1);
    expect(endOfZonedDay(d('2025-06-01'), 'Asia/Tokyo')).toBe(Date.UTC(2025, 5, 1, 15) - 1);
    expect(endOfZonedDay(d('2025-06-01'), 'UTC')).toBe(Date.UTC(2025, 5, 2) - 1);
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
