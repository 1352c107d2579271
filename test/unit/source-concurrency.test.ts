import { describe, expect, it } from 'vitest';
import { chunk, mapWithConcurrency } from '../../electron/core/sources/common/concurrency.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('mapWithConcurrency', () => {
  it('keeps at most `limit` in flight and returns results in item order', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapWithConcurrency([5, 1, 4, 2, 3, 0], 2, async (item) => {
      running += 1;
      peak = Math.max(peak, running);
      await tick(item * 3);
      running -= 1;
      return item * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30, 0]);
    expect(peak).toBe(2);
  });

  it('rejects at the first failure without waiting for the rest, and starts nothing new', async () => {
    const started: number[] = [];
    const began = Date.now();
    const outcome = mapWithConcurrency([0, 1, 2, 3, 4], 2, async (item) => {
      started.push(item);
      if (item === 1) throw new Error('item 1 failed');
      await tick(item === 0 ? 300 : 5);
      return item;
    });
    await expect(outcome).rejects.toThrow('item 1 failed');
    expect(Date.now() - began).toBeLessThan(200);
    await tick(350);
    expect(started).toEqual([0, 1]);
  });

  it('handles no items', async () => {
    expect(await mapWithConcurrency([], 4, async () => 1)).toEqual([]);
  });
});

describe('chunk', () => {
  it('splits into groups of at most the size', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 100)).toEqual([]);
  });
});
