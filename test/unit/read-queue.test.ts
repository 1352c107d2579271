// Heavy reads take turns: a bounded number run, a bounded number wait, the rest hear "busy".
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../electron/core/api-error.js';
import { ReadQueue } from '../../electron/core/read-queue.js';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => { open = resolve; });
  return { opened, open };
}

describe('ReadQueue', () => {
  it('runs at most `running` reads at once, in the order they came, and refuses beyond the line with a 503', async () => {
    const queue = new ReadQueue(2, 3);
    const started: number[] = [];
    const gates = Array.from({ length: 5 }, gate);
    const runs = gates.map((item, index) => queue.run(async () => {
      started.push(index);
      await item.opened;
      return index;
    }));
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(queue.load).toEqual({ running: 2, waiting: 3 });

    const refused = await queue.run(async () => 'never').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ status: 503, retryAfterSeconds: 1 });
    expect((refused as ApiError).message).toMatch(/^the server is busy: 2 chart reads are running and 3 waiting — try again in a moment$/);

    gates[1]!.open();
    await runs[1];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    for (const item of gates) item.open();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4]);
    expect(queue.load).toEqual({ running: 0, waiting: 0 });
  });

  it('frees the place of a read that failed', async () => {
    const queue = new ReadQueue(1, 0);
    await expect(queue.run(async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(await queue.run(async () => 'next')).toBe('next');
    expect(queue.load).toEqual({ running: 0, waiting: 0 });
  });
});
