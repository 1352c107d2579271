import { describe, expect, it } from 'vitest';
import { LABEL_GAP_PX, labelsApart, placeLabels, stepTimes, timeTicks } from '../../../renderer/chart/time-ticks.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** About what 12px sans-serif takes per character. */
const measure = (text: string) => text.length * 7;
const options = { locales: 'en-US' };

describe('time axis ticks', () => {
  const end = new Date(2026, 10, 25, 14, 7, 23).getTime();
  const spans: [string, number][] = [
    ['5 s', 5 * SECOND], ['1 min', MINUTE], ['10 min', 10 * MINUTE], ['1 h', HOUR], ['24 h', DAY], ['7 d', 7 * DAY],
    ['30 d', 30 * DAY], ['60 d', 60 * DAY], ['1 y', 365 * DAY], ['3 y', 3 * 365 * DAY], ['12 y', 12 * 365 * DAY], ['80 y', 80 * 365 * DAY],
  ];

  it('never lets two labels overlap or run off the plot, at any span and width', () => {
    for (const width of [240, 600, 1180]) {
      for (const [name, span] of spans) {
        const start = end - span;
        const ticks = timeTicks(start, end, width, measure, { ...options, leftRoomPx: 30 });
        const where = `${name} at ${width}px`;
        // Two labels at least, but for a few seconds on a narrow chart (one whole time then).
        expect(ticks.length, where).toBeGreaterThanOrEqual(span < MINUTE && width < 600 ? 1 : 2);
        expect(ticks.every((tick, index) => tick.time >= start && tick.time <= end && (index === 0 || tick.time > ticks[index - 1]!.time)), where).toBe(true);
        const placed = placeLabels(ticks, start, end, width, measure);
        expect(labelsApart(placed), `${where}: ${JSON.stringify(placed)}`).toBe(true);
        expect(placed.every((label) => label.left >= -30 && label.right <= width), where).toBe(true);
      }
    }
  });

  it('uses as many labels as fit: the finest step whose labels keep apart', () => {
    const start = end - DAY;
    const ticks = timeTicks(start, end, 1180, measure, options);
    // "2 PM" steps of an hour are 49 px apart at 1180 px for 24 h: too close for "11:00 AM"; 3 hours fit.
    const steps = new Set(ticks.slice(1).map((tick, index) => tick.time - ticks[index]!.time));
    expect([...steps]).toEqual([3 * HOUR]);
    expect(ticks.map((tick) => tick.label)).toEqual(['3:00 PM', '6:00 PM', '9:00 PM', 'Nov 25', '3:00 AM', '6:00 AM', '9:00 AM', '12:00 PM']);
  });

  it('names the bigger unit on its boundary: the date at midnight, the year in January', () => {
    const years = timeTicks(new Date(2024, 6, 1).getTime(), new Date(2026, 6, 1).getTime(), 1180, measure, options);
    expect(years.map((tick) => tick.label)).toContain('2025');
    expect(years.find((tick) => tick.label === '2025')!.time).toBe(new Date(2025, 0, 1).getTime());
    expect(years.filter((tick) => tick.label !== '2025' && tick.label !== '2026').every((tick) => /^[A-Z][a-z]{2}$/.test(tick.label))).toBe(true);
    const minutes = timeTicks(new Date(2026, 10, 25, 23, 50).getTime(), new Date(2026, 10, 26, 0, 10).getTime(), 1180, measure, options);
    expect(minutes.find((tick) => tick.time === new Date(2026, 10, 26).getTime())?.label).toBe('Nov 26');
    const seconds = timeTicks(new Date(2026, 10, 25, 14, 7, 50).getTime(), new Date(2026, 10, 25, 14, 8, 20).getTime(), 600, measure, options);
    // The ticks at both ends are left out: half their label would be off the plot. The first says its minute.
    expect(seconds.map((tick) => tick.label)).toEqual(['2:07:55 PM', '2:08 PM', ':05', ':10', ':15']);
  });

  it('puts ticks on calendar boundaries in the user’s zone', () => {
    const start = new Date(2026, 0, 27, 5).getTime();
    const stop = new Date(2026, 3, 2).getTime();
    expect(stepTimes(start, stop, 'month', 1).map((time) => new Date(time).getMonth())).toEqual([1, 2, 3]);
    // Weekly ticks on the 1st, 8th, 15th and 22nd, never the 29th (the next 1st would come too soon).
    expect(stepTimes(start, stop, 'day', 7).map((time) => new Date(time).getDate())).toEqual([1, 8, 15, 22, 1, 8, 15, 22, 1]);
    // Every other day: the 29th of a 30-day month is two days before the 1st, the 31st only one.
    expect(stepTimes(new Date(2026, 10, 25).getTime(), new Date(2026, 11, 4).getTime(), 'day', 2).map((time) => new Date(time).getDate())).toEqual([25, 27, 29, 1, 3]);
    expect(stepTimes(new Date(2026, 11, 25).getTime(), new Date(2027, 0, 4).getTime(), 'day', 2).map((time) => new Date(time).getDate())).toEqual([25, 27, 29, 1, 3]);
    expect(stepTimes(new Date(2027, 0, 28).getTime(), new Date(2027, 1, 4).getTime(), 'day', 1)).toHaveLength(8);
    expect(stepTimes(new Date(2026, 0, 1, 13, 7).getTime(), new Date(2026, 0, 1, 14, 0).getTime(), 'minute', 15).map((time) => new Date(time).getMinutes())).toEqual([15, 30, 45, 0]);
  });

  it('gives no ticks for an empty span or width', () => {
    expect(timeTicks(end, end, 800, measure)).toEqual([]);
    expect(timeTicks(end - DAY, end, 0, measure)).toEqual([]);
    expect(labelsApart([{ text: 'a', left: 0, right: 10 }, { text: 'b', left: 10 + LABEL_GAP_PX - 1, right: 40 }])).toBe(false);
  });
});
