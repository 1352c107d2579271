import { describe, expect, it } from 'vitest';
import type { RangeRequest, RangeResult } from '../../../shared/api.js';
import {
  alignSeries,
  canUseLogScale,
  fetchWholeHistory,
  firstValueIndex,
  logHidesValues,
  logSafe,
  readoutAt,
  toUplotData,
  trimLeadingEmpty,
} from '../../../renderer/chart/chart-data.js';
import { sparklinePoints } from '../../../renderer/components/sparkline.js';
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

describe('whole history ("all")', () => {
  it('narrows from the epoch to where history starts, in a few requests', async () => {
    const start = Date.UTC(2026, 0, 1);
    const now = start + 3 * 3_600_000;
    const item = series('npm', 'npm_package_downloads', { package: 'a', period: 'last_week' }, 30, now, 900);
    const api = new FakeApi({ latest: [item], history: { 900: [{ time: start, value: 10 }, { time: start + 3_600_000, value: 20 }, { time: now, value: 30 }] } });
    const result = await fetchWholeHistory((request) => api.range(request), [900], now, 500);
    const requests = api.callsTo('range').map((args) => args[0] as RangeRequest);
    expect(requests[0]!.start).toBe(0);
    expect(requests.length).toBeGreaterThan(1);
    expect(requests.length).toBeLessThanOrEqual(5);
    const aligned = alignSeries(result.series);
    // History now fills the chart: it starts within the first few points.
    expect(firstValueIndex(aligned)).toBeLessThanOrEqual(Math.ceil(500 * 0.05));
    expect(aligned.times[0]!).toBeGreaterThan(start - 3 * 3_600_000);
    expect(aligned.columns[0]!.at(-1)).toBe(30);
  });

  it('asks once when history already fills the span or there is none', async () => {
    let calls = 0;
    const empty = async (request: RangeRequest): Promise<RangeResult> => {
      calls++;
      return { series: request.series.map((id) => ({ id, times: [request.start, request.end], values: [null, null] })) };
    };
    await fetchWholeHistory(empty, [1], 1_000_000, 100);
    expect(calls).toBe(1);
  });
});

describe('sparkline and chart sizing', () => {
  it('scales values into the box, highest at the top, skipping gaps', () => {
    expect(sparklinePoints([0, 10, null, 5], 30, 12)).toBe('0,11 10,1 30,6');
    expect(sparklinePoints([7, 7], 10, 10)).toBe('0,5 10,5');
    expect(sparklinePoints([null], 10, 10)).toBe('');
  });

  it('asks about one point per pixel, within the API’s limit', () => {
    expect(pointsForWidth(812.4)).toBe(812);
    expect(pointsForWidth(20)).toBe(50);
    expect(pointsForWidth(50_000)).toBe(10_000);
    expect(pointsForWidth(0)).toBe(600);
  });
});
