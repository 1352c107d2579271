// The API's read requests against READ_LIMITS, and how an allowed one is cut into slices.
import { describe, expect, it } from 'vitest';
import { READ_LIMITS } from '../../shared/api.js';
import { ApiError } from '../../electron/core/api-error.js';
import { SLICE_VALUES, changeSlices, checkLatestFilter, checkRange, checkSeriesIds, checkWindows, rangeSlices } from '../../electron/core/read-requests.js';
import { seededRandom } from '../support/random.js';

function refusal(work: () => unknown): ApiError {
  try {
    work();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const DAY = 86_400_000;

describe('read request checks', () => {
  it('keeps each series id once, in the order first given, and caps them after that', () => {
    expect(checkSeriesIds([3, 1, 3, 2, 1], 'changes: series')).toEqual([3, 1, 2]);
    expect(checkSeriesIds(Array(50_000).fill(7), 'changes: series')).toEqual([7]);
    expect(checkSeriesIds([], 'changes: series')).toEqual([]);
    const over = refusal(() => checkSeriesIds(Array.from({ length: 1_001 }, (_, index) => index), 'range: series'));
    expect(over.status).toBe(400);
    expect(over.message).toBe('range: series: 1,001 series; at most 1,000 per request — split the list');
    expect(refusal(() => checkSeriesIds([1, 1.5], 'changes: series')).message).toBe('changes: series must be a list of series ids (whole numbers)');
    expect(refusal(() => checkSeriesIds('1,2', 'changes: series')).status).toBe(400);
  });

  it('keeps each window once and allows at most READ_LIMITS.changeWindows of 1 ms to 200 years', () => {
    expect(checkWindows([DAY, 7 * DAY, DAY])).toEqual([DAY, 7 * DAY]);
    expect(refusal(() => checkWindows(Array.from({ length: 17 }, (_, index) => (index + 1) * DAY))).message).toBe('changes: 17 windows; at most 16 per request');
    for (const bad of [[0], [-DAY], [Number.NaN], [READ_LIMITS.spanMs + 1], ['1d'], []]) expect(refusal(() => checkWindows(bad)).status).toBe(400);
  });

  it('turns a range request into step times ending exactly at end, within the limits', () => {
    expect(checkRange({ series: [5, 5, 6], start: 1_000, end: 2_000, points: 11 })).toEqual({ ids: [5, 6], start: 1_000, step: 100, points: 11 });
    // An uneven span: the step is whole and the last point lands on end.
    const uneven = checkRange({ series: [1], start: 0, end: 1_001, points: 3 });
    expect(uneven.start + (uneven.points - 1) * uneven.step).toBe(1_001);
    expect(uneven.points).toBeLessThanOrEqual(3);
    const refusals: [unknown, RegExp][] = [
      [{ series: [1], start: 0, end: READ_LIMITS.spanMs + 1, points: 2 }, /at most 6,307,200,000,000 ms \(200 years\)/],
      [{ series: [1], start: -1, end: 5, points: 2 }, /from 0 to 8640000000000000 with start < end/],
      [{ series: [1], start: 0, end: 9e15, points: 2 }, /from 0 to 8640000000000000/],
      [{ series: [1], start: '0', end: 5, points: 2 }, /start and end must be epoch milliseconds/],
      [{ series: [1], start: 0, end: DAY, points: 1 }, /points must be a whole number from 2 to 10,000/],
      [{ series: [1], start: 0, end: DAY, points: 2.5 }, /points must be a whole number/],
      [{ series: Array.from({ length: 11 }, (_, index) => index), start: 0, end: DAY, points: 10_000 }, /11 series × 10,000 points is over 100,000 values per request/],
      [null, /the request must be an object/],
      [[1, 2], /the request must be an object/],
    ];
    for (const [request, message] of refusals) expect(refusal(() => checkRange(request)).message).toMatch(message);
  });

  it('takes a latest filter of source and metric names of bounded length', () => {
    expect(checkLatestFilter(undefined)).toEqual({});
    expect(checkLatestFilter({ source: 'github', metric: undefined })).toEqual({ source: 'github' });
    expect(refusal(() => checkLatestFilter({ metric: 'x'.repeat(201) })).message).toBe('latest: filter.metric is 201 characters; at most 200');
    expect(refusal(() => checkLatestFilter({ source: 5 })).message).toMatch(/^latest: filter\.source must be a non-empty text/);
    expect(refusal(() => checkLatestFilter({ source: '' })).status).toBe(400);
    expect(refusal(() => checkLatestFilter({ labels: {} })).message).toBe('latest: unknown filter key "labels" — use "source" and/or "metric"');
    for (const bad of [null, 'github', [], 5]) expect(refusal(() => checkLatestFilter(bad)).status).toBe(400);
  });
});

describe('slices', () => {
  it('cover every step of every series exactly once, each within SLICE_VALUES', () => {
    const next = seededRandom(11);
    for (let round = 0; round < 100; round++) {
      const ids = Array.from({ length: 1 + Math.floor(next() * 40) }, (_, index) => index + 1);
      const points = 2 + Math.floor(next() * 3_000);
      // Per series, the next step its slices must start at: slices come in order and leave no gap.
      const nextStep = new Map<number, number>();
      for (const slice of rangeSlices(ids, points, 500)) {
        expect(slice.points).toBeGreaterThan(0);
        expect(slice.ids.length * slice.points).toBeLessThanOrEqual(Math.max(500, slice.points));
        expect(slice.points).toBeLessThanOrEqual(Math.min(points, 500) === points ? points : 500);
        for (const id of slice.ids) {
          expect(slice.from).toBe(nextStep.get(id) ?? 0);
          nextStep.set(id, slice.from + slice.points);
        }
      }
      expect([...nextStep.entries()]).toEqual(ids.map((id) => [id, points]));
    }
  });

  it('group a changes request by SLICE_VALUES lookups', () => {
    const ids = Array.from({ length: 1_000 }, (_, index) => index);
    const slices = changeSlices(ids, 16);
    expect(slices.flat()).toEqual(ids);
    for (const slice of slices) expect(slice.length * 16).toBeLessThanOrEqual(SLICE_VALUES);
    expect(changeSlices([1, 2], 5_000, 100)).toEqual([[1], [2]]);
  });
});
