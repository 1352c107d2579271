import { describe, expect, it } from 'vitest';
import type { RangeRequest } from '../../../shared/api.js';
import {
  alignSeries,
  appendLive,
  canUseLogScale,
  fetchLines,
  firstValueIndex,
  logHidesValues,
  logSafe,
  lonePointIndex,
  readoutAt,
  toUplotData,
  trimLeadingEmpty,
} from '../../../renderer/chart/chart-data.js';
import { sparklineDot, sparklinePoints } from '../../../renderer/components/sparkline.js';
import { pointsForWidth } from '../../../renderer/model/details-state.js';
import { FakeApi, series } from '../../support/fake-api.js';

describe('aligning series for uPlot', () => {
  it('puts series on the union of their times, null where one has no point', () => {
    const aligned = alignSeries([
      { id: 1, times: [1000, 3000], values: [5, 7] },
      { id: 2, times: [2000, 3000], values: [10, null] },
    ]);
    expect(aligned).toEqual({ ids: [1, 2], times: [1000, 2000, 3000], columns: [[5, null, 7], [null, 10, null]] });
  });

  it('keeps a shared grid as it is', () => {
    const aligned = alignSeries([
      { id: 1, times: [0, 10, 20], values: [null, 1, 2] },
      { id: 2, times: [0, 10, 20], values: [3, 4, 5] },
    ]);
    expect(aligned.times).toEqual([0, 10, 20]);
    expect(aligned.columns).toEqual([[null, 1, 2], [3, 4, 5]]);
  });

  it('converts times to seconds for uPlot', () => {
    const aligned = alignSeries([{ id: 1, times: [1_000, 2_500], values: [1, 2] }]);
    expect(toUplotData(aligned, 'linear')).toEqual([[1, 2.5], [1, 2]]);
  });

  it('drops values a log scale cannot show (zero, negative)', () => {
    expect(logSafe([0, -1, 5, null, 0.5])).toEqual([null, null, 5, null, 0.5]);
    const aligned = alignSeries([{ id: 1, times: [0, 1000], values: [0, 10] }]);
    expect(toUplotData(aligned, 'log')).toEqual([[0, 1], [null, 10]]);
    expect(logHidesValues(aligned)).toBe(true);
    expect(canUseLogScale(aligned)).toBe(true);
    expect(canUseLogScale(alignSeries([{ id: 1, times: [0], values: [0] }]))).toBe(false);
  });

  it('trims the time before history starts', () => {
    const aligned = alignSeries([
      { id: 1, times: [0, 10, 20, 30], values: [null, null, 1, 2] },
      { id: 2, times: [0, 10, 20, 30], values: [null, 4, null, 5] },
    ]);
    expect(firstValueIndex(aligned)).toBe(1);
    expect(trimLeadingEmpty(aligned)).toEqual({ ids: [1, 2], times: [10, 20, 30], columns: [[null, 1, 2], [4, null, 5]] });
    const empty = alignSeries([{ id: 1, times: [0, 10], values: [null, null] }]);
    expect(trimLeadingEmpty(empty).times).toEqual([]);
  });

  it('reads the values under the cursor, or the newest without one', () => {
    const aligned = alignSeries([
      { id: 1, times: [0, 10], values: [1, 2] },
      { id: 2, times: [0, 10], values: [null, 4] },
    ]);
    expect(readoutAt(aligned, 0)).toEqual({ time: 0, values: [1, null] });
    expect(readoutAt(aligned, null)).toEqual({ time: 10, values: [2, 4] });
    expect(readoutAt(aligned, 99)).toEqual({ time: 10, values: [2, 4] });
    expect(readoutAt(alignSeries([]), null)).toBeNull();
  });
});

describe('lines of the chart', () => {
  it('finds the one point of a line, which is drawn as a dot', () => {
    expect(lonePointIndex([null, null, 5, null])).toBe(2);
    expect(lonePointIndex([4])).toBe(0);
    expect(lonePointIndex([1, null, 2])).toBe(-1);
    expect(lonePointIndex([null, null])).toBe(-1);
  });

  it('sums a total’s series at each time, asking for a big total in parts the API accepts', async () => {
    const now = Date.UTC(2026, 0, 1);
    const members = Array.from({ length: 150 }, (_, index) => series('github', 'github_repo_stars', { repo: `r${index}`, user: 'acme' }, index < 149 ? 1 : 100, now, 1000 + index));
    // r149 is ten hours old; the others appear one after the other in the last hour.
    const history = Object.fromEntries(members.map((item, index) => [item.id, [{ time: index < 149 ? now - 3_600_000 + index * 1_000 : now - 10 * 3_600_000, value: item.value }]]));
    const other = series('github', 'github_repo_stars', { repo: 'x', user: 'o' }, 7, now, 600);
    const api = new FakeApi({ latest: [...members, other], history: { ...history, 600: [{ time: now - 10 * 3_600_000, value: 7 }] } });
    const lines = [{ key: 'total', ids: members.map((item) => item.id) }, { key: 'one', ids: [600] }, { key: 'again', ids: [1000] }];
    const points = await fetchLines((request) => api.range(request), lines, { start: now - 2 * 3_600_000, end: now }, 10_000);
    const requests = api.callsTo('range').map((args) => args[0] as RangeRequest);
    // At most 1,000,000 values a request (the API takes 2,000,000): 100 series of 10,000 points.
    expect(requests.map((request) => request.series.length)).toEqual([100, 51]);
    expect(requests.every((request) => request.points === 10_000 && request.end === now)).toBe(true);
    expect(new Set(requests.flatMap((request) => request.series)).size).toBe(151);
    expect(points.map((line) => line.id)).toEqual(['total', 'one', 'again']);
    const [total, one, again] = points;
    // Two hours ago only r149 has a value; at the end all 150 do.
    expect(total!.values[0]).toBe(100);
    expect(total!.values.at(-1)).toBe(249);
    expect(one!.values.at(-1)).toBe(7);
    expect(again!.values[0]).toBeNull();
    expect(again!.values.at(-1)).toBe(1);
  });

  it('appends live values to the lines they belong to, totals summing the newest values', () => {
    const lines = [{ key: 'a', ids: [1] }, { key: 'b', ids: [2] }, { key: 'total', ids: [1, 3] }];
    const points = [{ id: 'a', times: [0, 10], values: [1, 2] }, { id: 'b', times: [0, 10], values: [5, 5] }, { id: 'total', times: [0, 10], values: [3, 4] }];
    const known = new Map([[1, series('x', 'm', {}, 2, 10, 1)], [2, series('x', 'm', {}, 5, 10, 2)], [3, series('x', 'm', {}, 2, 10, 3)]]);
    const next = appendLive(points, lines, known, [series('x', 'm', {}, 3, 20, 1), series('x', 'm', {}, 9, 5, 2), series('x', 'm', {}, 7, 30, 99)]);
    expect(next).toEqual([{ id: 'a', times: [0, 10, 20], values: [1, 2, 3] }, points[1], { id: 'total', times: [0, 10, 20], values: [3, 4, 5] }]);
  });
});

describe('sparkline and chart sizing', () => {
  it('scales values into the box, highest at the top, skipping gaps', () => {
    expect(sparklinePoints([0, 10, null, 5], 30, 12)).toBe('0,11 10,1 30,6');
    expect(sparklinePoints([7, 7], 10, 10)).toBe('0,5 10,5');
    expect(sparklinePoints([null], 10, 10)).toBe('');
  });

  it('starts at the first known value, so a young history spans the sparkline', () => {
    expect(sparklinePoints([null, null, null, 1, 3], 30, 12)).toBe('0,11 30,1');
  });

  it('draws a single value as a dot at the newest end', () => {
    expect(sparklineDot([null, null, 7], 120, 32, 2.5)).toEqual({ x: 117.5, y: 16 });
    expect(sparklineDot([7], 120, 32, 2.5)).toEqual({ x: 117.5, y: 16 });
    expect(sparklineDot([6, 7], 120, 32, 2.5)).toBeNull();
    expect(sparklineDot([null], 120, 32, 2.5)).toBeNull();
  });

  it('asks about one point per pixel, within the API’s limit', () => {
    expect(pointsForWidth(812.4)).toBe(812);
    expect(pointsForWidth(20)).toBe(50);
    expect(pointsForWidth(50_000)).toBe(10_000);
    expect(pointsForWidth(0)).toBe(600);
  });
});
