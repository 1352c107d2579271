import { describe, expect, it } from 'vitest';
import { sameData } from '../../../renderer/model/same-data.js';

describe('sameData', () => {
  it('compares plain objects, arrays, Maps and Sets by content', () => {
    expect(sameData({ a: [1, { b: 'x' }], c: null }, { a: [1, { b: 'x' }], c: null })).toBe(true);
    expect(sameData({ a: [1, 2] }, { a: [1, 3] })).toBe(false);
    expect(sameData({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameData({ a: undefined }, { b: undefined })).toBe(false);
    expect(sameData([1, 2], [1, 2, 3])).toBe(false);
    expect(sameData(new Map([[1, { v: 2 }]]), new Map([[1, { v: 2 }]]))).toBe(true);
    // Two Maps that JSON.stringify would both write as {}: different.
    expect(sameData(new Map([[1, { v: 2 }]]), new Map([[1, { v: 3 }]]))).toBe(false);
    expect(sameData(new Map([[1, 2]]), new Map([[2, 2]]))).toBe(false);
    expect(sameData(new Set([1, 2]), new Set([2, 1]))).toBe(true);
    expect(sameData(new Set([1, 2]), new Set([1, 3]))).toBe(false);
    expect(sameData(Number.NaN, Number.NaN)).toBe(true);
    expect(sameData([], {})).toBe(false);
    expect(sameData(new Map(), {})).toBe(false);
  });

  it('compares anything else (dates, class instances) by identity', () => {
    const date = new Date(0);
    expect(sameData(date, date)).toBe(true);
    expect(sameData(new Date(0), new Date(0))).toBe(false);
  });
});
