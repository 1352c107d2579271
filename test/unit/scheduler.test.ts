import { afterEach, describe, expect, it } from 'vitest';
import { Scheduler, MIN_RATE_LIMIT_WAIT_MS, type JobStatus, type SchedulerOptions } from '../../electron/core/scheduler.js';
import { RateLimitedError } from '../../electron/core/source.js';

/** A hand-driven clock: timers fire only inside advance(), in due order, with async work flushed between. */
class FakeClock {
  time = 1_700_000_000_000;
  readonly #timers = new Map<number, { at: number; fn: () => void }>();
  #nextId = 1;

  readonly now = (): number => this.time;
  readonly setTimer = (fn: () => void, ms: number): unknown => {
    const id = this.#nextId++;
    this.#timers.set(id, { at: this.time + ms, fn });
    return id;
  };
  readonly clearTimer = (handle: unknown): void => {
    this.#timers.delete(handle as number);
  };

  /** Delays (from now) of the timers still armed. */
  pending(): number[] {
    return [...this.#timers.values()].map((timer) => timer.at - this.time).sort((a, b) => a - b);
  }

  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await flush();
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.#timers) if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) next = entry;
      if (!next) break;
      this.#timers.delete(next[0]);
      this.time = next[1].at;
      next[1].fn();
    }
    this.time = end;
    await flush();
  }
}

async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A job whose runs are settled by the test; counts runs and the largest number running at once. */
function controlledJob(id: string, intervalMs: number) {
  const runs: { signal: AbortSignal; done: Deferred }[] = [];
  let running = 0;
  const job = {
    id,
    intervalMs,
    maxConcurrent: 0,
    runs,
    async run(signal: AbortSignal): Promise<void> {
      const done = deferred();
      runs.push({ signal, done });
      running += 1;
      job.maxConcurrent = Math.max(job.maxConcurrent, running);
      try {
        await done.promise;
      } finally {
        running -= 1;
      }
    },
    last() {
      const run = runs.at(-1);
      if (!run) throw new Error(`job ${id} has not run`);
      return run;
    },
  };
  return job;
}

/** A job that succeeds or throws according to a script of outcomes, one per run. */
function scriptedJob(id: string, intervalMs: number, outcomes: (Error | null)[]) {
  let calls = 0;
  return {
    id,
    intervalMs,
    get calls() {
      return calls;
    },
    async run(): Promise<void> {
      const outcome = outcomes[calls++] ?? null;
      if (outcome) throw outcome;
    },
  };
}

let scheduler: Scheduler | undefined;
afterEach(async () => {
  await scheduler?.stop();
  scheduler = undefined;
});

function makeScheduler(clock: FakeClock, options: SchedulerOptions = {}): Scheduler {
  scheduler = new Scheduler({ jitter: 0, now: clock.now, setTimer: clock.setTimer, clearTimer: clock.clearTimer, ...options });
  return scheduler;
}

function statusOf(s: Scheduler, id: string): JobStatus {
  const status = s.status(id)[0];
  if (!status) throw new Error(`no status for ${id}`);
  return status;
}

describe('Scheduler: interval and jitter', () => {
  it('runs at start, then every interval measured from the end of the previous run', async () => {
    const clock = new FakeClock();
    const s = makeScheduler(clock);
    const job = scriptedJob('github', 60_000, []);
    s.add(job);
    expect(job.calls).toBe(0);
    s.start();
    await clock.advance(0);
    expect(job.calls).toBe(1);
    expect(statusOf(s, 'github')).toMatchObject({ state: 'idle', lastSuccessAt: clock.time, nextRunAt: clock.time + 60_000, consecutiveFailures: 0 });
    await clock.advance(59_999);
    expect(job.calls).toBe(1);
    await clock.advance(1);
    expect(job.calls).toBe(2);
  });

  it('honours initialDelayMs for the first run', async () => {
    const clock = new FakeClock();
    const s = makeScheduler(clock);
    const job = scriptedJob('npm', 60_000, []);
    s.add({ ...job, run: () => job.run(), initialDelayMs: 5_000 });
    s.start();
    expect(statusOf(s, 'npm').nextRunAt).toBe(clock.time + 5_000);
    await clock.advance(4_999);
    expect(job.calls).toBe(0);
    await clock.advance(1);
    expect(job.calls).toBe(1);
  });

  it('keeps the jittered delay within ±jitter of the interval and never negative', async () => {
    const delays: number[] = [];
    for (const [jitter, random] of [[0.1, 0], [0.1, 0.5], [0.1, 0.999999], [1, 0], [0.25, 0.2]] as const) {
      const clock = new FakeClock();
      const s = makeScheduler(clock, { jitter, random: () => random });
      const job = controlledJob('job', 100_000);
      s.add(job);
      s.start();
      await clock.advance(0);
      // Finish the run without moving the clock, so even a zero delay is read before it fires.
      job.last().done.resolve();
      await flush();
      const delay = statusOf(s, 'job').nextRunAt! - clock.time;
      expect(clock.pending()).toEqual([delay]);
      expect(delay).toBeGreaterThanOrEqual(100_000 * (1 - jitter));
      expect(delay).toBeLessThanOrEqual(100_000 * (1 + jitter));
      expect(delay).toBeGreaterThanOrEqual(0);
      delays.push(delay);
      await s.stop();
    }
    expect(delays).toEqual([90_000, 100_000, 110_000, 0, 85_000]);
  });

  it('chains timers for waits longer than setTimeout allows', async () => {
    const clock = new FakeClock();
    const s = makeScheduler(clock);
    const monthMs = 30 * 86_400_000;
    const job = scriptedJob('monthly', monthMs, []);
    s.add(job);
    s.start();
    await clock.advance(0);
    expect(clock.pending()).toEqual([2_147_483_647]);
    await clock.advance(2_147_483_647);
    expect(job.calls).toBe(1);
    expect(clock.pending()).toEqual([monthMs - 2_147_483_647]);
    await clock.advance(monthMs - 2_147_483_647);
    expect(job.calls).toBe(2);
  });

  it('rejects bad options and job specs with messages naming the field', () => {
    expect(() => new Scheduler({ jitter: 2 })).toThrow(/jitter/);
    expect(() => new Scheduler({ backoffBaseMs: -1 })).toThrow(/backoffBaseMs/);
    const s = makeScheduler(new FakeClock());
    expect(() => s.add({ id: 'x', intervalMs: 0, run: async () => {} })).toThrow(/intervalMs/);
    expect(() => s.add({ id: '', intervalMs: 1000, run: async () => {} })).toThrow(/id/);
    s.add({ id: 'x', intervalMs: 1000, run: async () => {} });
    expect(() => s.add({ id: 'x', intervalMs: 1000, run: async () => {} })).toThrow(/"x" is already scheduled/);
    expect(() => s.pause('nope')).toThrow(/no job with id "nope" \(known jobs: "x"\)/);
    expect(() => s.status('nope')).toThrow(/nope/);
    return expect(s.refreshNow('nope')).rejects.toThrow(/nope/);
  });
});

describe('Scheduler: no overlap', () => {
  it('a storm of refreshNow during a run joins that run instead of starting another', async () => {
    const clock = new FakeClock();
    const s = makeScheduler(clock);
    const job = controlledJob('github', 60_000);
    s.add(job);
    s.start();
    await clock.advance(0);
    expect(job.runs).toHaveLength(1);
    const refreshes = Array.from({ length: 50 }, () => s.refreshNow('github'));
    refreshes.push(s.refreshNow());
    // Time passing far beyond the interval while running arms no second run either.
    await clock.advance(10 * 60_000);
    expect(job.runs).toHaveLength(1);
    let settled = 0;
    for (const refresh of refreshes) void refresh.then(() => settled++);
    await flush();
    expect(settled).toBe(0);
    job.last().done.resolve();
    await Promise.all(refreshes);
    expect(settled).toBe(refreshes.length);
    expect(job.runs).toHaveLength(1);
    expect(job.maxConcurrent).toBe(1);
    // Once idle, a refresh is a new run, and it replaces the pending timed run.
    const refresh = s.refreshNow('github');
    expect(job.runs).toHaveLength(2);
    job.last().done.resolve();
    await refresh;
    expect(clock.pending()).toEqual([60_000]);
    expect(job.maxConcurrent).toBe(1);
  });

  it('refreshNow before start runs once and schedules nothing', async () => {
    const clock = new FakeClock();
    const s = makeScheduler(clock);
    const job = scriptedJob('github', 60_000, []);
    s.add(job);
    await s.refreshNow();
    expect(job.calls).toBe(1);
    expect(clock.pending()).toEqual([]);
    expect(statusOf(s, 'github')).toMatchObject({ state: 'idle', nextRunAt: null, lastSuccessAt: clock.time });
  });
});

describe('Scheduler: failures', () => {
  it('backs off exponentially up to the cap, then recovers on success', async () => {
    const clock = new FakeClock();
    const s = makeScheduler(clock, { backoffBaseMs: 1_000, backoffMaxMs: 10_000 });
    const failures = Array.from({ length: 6 }, (_, i) => new Error(`boom ${i + 1}`));
    const job = scriptedJob('github', 5_000, [...failures, null]);
    s.add(job);
    s.start();
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      await clock.advance(clock.pending()[0] ?? 0);
      const status = statusOf(s, 'github');
      expect(status).toMatchObject({ state: 'backoff', consecutiveFailures: i + 1, lastError: `boom ${i + 1}` });
      delays.push(status.nextRunAt! - clock.time);
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
    await clock.advance(10_000);
    expect(job.calls).toBe(7);
    expect(statusOf(s, 'github')).toMatchObject({ state: 'idle', consecutiveFailures: 0, lastError: null, lastSuccessAt: clock.time, nextRunAt: clock.time + 5_000 });
  });

  it('never caps the backoff below the interval', async () => {
    const clock = new FakeClock();
    const s = makeScheduler(clock, { backoffBaseMs: 1_000, backoffMaxMs: 10_000 });
    s.add(scriptedJob('slow', 60_000, Array.from({ length: 8 }, () => new Error('down'))));
    s.start();
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      await clock.advance(clock.pending()[0] ?? 0);
      delays.push(statusOf(s, 'slow').nextRunAt! - clock.time);
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
  });

  it('applies jitter to the backoff delay', async () => {
    const clock = new FakeClock();
    const s = makeScheduler(clock, { backoffBaseMs: 10_000, jitter: 0.2, random: () => 0 });
    s.add(scriptedJob('github', 600_000, [new Error('x')]));
    s.start();
    await clock.advance(0);
    expect(statusOf(s, 'github').nextRunAt! - clock.time).toBe(8_000);
  });

  it('waits exactly until retryAt after a RateLimitedError, and at least one second', async () => {
    const clock = new FakeClock();
    // Large jitter and backoff: neither may touch a rate-limit wait.
    const s = makeScheduler(clock, { backoffBaseMs: 30_000, jitter: 0.5, random: () => 0 });
    const retryAt = clock.time + 123_456;
    const job = scriptedJob('github', 600_000, [new RateLimitedError('API rate limit exceeded', retryAt), new RateLimitedError('again', clock.time - 5_000)]);
    s.add(job);
    s.start();
    await clock.advance(0);
    expect(statusOf(s, 'github')).toMatchObject({ state: 'backoff', nextRunAt: retryAt, lastError: 'API rate limit exceeded', consecutiveFailures: 1 });
    await clock.advance(123_455);
    expect(job.calls).toBe(1);
    await clock.advance(1);
    expect(job.calls).toBe(2);
    // retryAt already in the past: the floor applies.
    expect(statusOf(s, 'github').nextRunAt! - clock.time).toBe(MIN_RATE_LIMIT_WAIT_MS);
  });

  it('a successful manual refresh during backoff resets it', async () => {
    const clock = new FakeClock();
    const s = makeScheduler(clock, { backoffBaseMs: 1_000 });
    const job = scriptedJob('github', 60_000, [new Error('a'), new Error('b'), null]);
    s.add(job);
    s.start();
    await clock.advance(1_000);
    expect(statusOf(s, 'github').consecutiveFailures).toBe(2);
    await s.refreshNow('github');
    expect(statusOf(s, 'github')).toMatchObject({ state: 'idle', consecutiveFailures: 0, lastError: null });
    expect(clock.pending()).toEqual([60_000]);
  });

  it('emits every state change as a status event, errors with their message', async () => {
    const clock = new FakeClock();
    const s = makeScheduler(clock, { backoffBaseMs: 1_000 });
    const events: JobStatus[] = [];
    s.on('status', (status: JobStatus) => events.push(status));
    s.add({ id: 'github', intervalMs: 60_000, run: async () => { throw new Error('Bad credentials'); } });
    s.start();
    await clock.advance(0);
    expect(events.map((event) => event.state)).toEqual(['idle', 'idle', 'running', 'backoff']);
    expect(events.at(-1)).toMatchObject({ id: 'github', lastError: 'Bad credentials', consecutiveFailures: 1, nextRunAt: clock.time + 1_000 });
    // Events are snapshots, not the live status object.
    expect(events[2]!.lastError).toBeNull();
  });

  it('reports a thrown non-Error as text', async () => {
    const clock = new FakeClock();
    const s = makeScheduler(clock);
    s.add({ id: 'odd', intervalMs: 60_000, run: () => Promise.reject('plain string') });
    await s.refreshNow('odd');
    expect(statusOf(s, 'odd').lastError).toBe('plain string');
  });
});

describe('Scheduler: pause and resume', () => {
  it('pause stops timed runs; resume runs at once when overdue', async () => {
    const clock = new FakeClock();
    const s = makeScheduler(clock);
    const job = scriptedJob('github', 60_000, []);
    s.add(job);
    s.start();
    await clock.advance(0);
    s.pause('github');
    expect(statusOf(s, 'github')).toMatchObject({ state: 'paused', nextRunAt: null });
    expect(clock.pending()).toEqual([]);
    await clock.advance(10 * 60_000);
    expect(job.calls).toBe(1);
    s.resume('github');
    expect(clock.pending()).toEqual([0]);
    await clock.advance(0);
    expect(job.calls).toBe(2);
    expect(statusOf(s, 'github').state).toBe('idle');
  });

  it('resume before the run is due keeps the original due time', async () => {
    const clock = new FakeClock();
    const s = makeScheduler(clock);
    const job = scriptedJob('github', 60_000, []);
    s.add(job);
    s.start();
    await clock.advance(0);
    const dueAt = statusOf(s, 'github').nextRunAt;
    await clock.advance(20_000);
    s.pause();
    await clock.advance(10_000);
    s.resume();
    expect(statusOf(s, 'github').nextRunAt).toBe(dueAt);
    expect(clock.pending()).toEqual([30_000]);
  });

  it('pausing during a run lets it finish, then schedules nothing; a manual refresh still runs', async () => {
    const clock = new FakeClock();
    const s = makeScheduler(clock);
    const job = controlledJob('github', 60_000);
    s.add(job);
    s.start();
    await clock.advance(0);
    s.pause('github');
    expect(statusOf(s, 'github').state).toBe('running');
    job.last().done.resolve();
    await flush();
    expect(statusOf(s, 'github')).toMatchObject({ state: 'paused', nextRunAt: null });
    expect(clock.pending()).toEqual([]);
    const refresh = s.refreshNow('github');
    expect(job.runs).toHaveLength(2);
    job.last().done.resolve();
    await refresh;
    expect(statusOf(s, 'github')).toMatchObject({ state: 'paused', nextRunAt: null });
    expect(clock.pending()).toEqual([]);
    s.resume('github');
    expect(clock.pending()).toEqual([60_000]);
  });

  it('a paused job stays paused across start()', async () => {
    const clock = new FakeClock();
    const s = makeScheduler(clock);
    const job = scriptedJob('github', 60_000, []);
    s.add(job);
    s.pause('github');
    s.start();
    await clock.advance(0);
    expect(job.calls).toBe(0);
    expect(statusOf(s, 'github').state).toBe('paused');
    s.resume('github');
    await clock.advance(0);
    expect(job.calls).toBe(1);
  });
});

describe('Scheduler: stop and remove', () => {
  it('stop aborts in-flight runs, waits for them to settle and clears timers', async () => {
    const clock = new FakeClock();
    const s = makeScheduler(clock, { backoffBaseMs: 1_000 });
    const slow = controlledJob('slow', 60_000);
    const quick = scriptedJob('quick', 60_000, []);
    s.add(slow);
    s.add(quick);
    s.start();
    await clock.advance(0);
    const { signal, done } = slow.last();
    const order: string[] = [];
    signal.addEventListener('abort', () => {
      order.push('aborted');
      // The run takes a moment to wind down after the abort.
      setImmediate(() => {
        order.push('settled');
        done.reject(signal.reason);
      });
    });
    await s.stop().then(() => order.push('stop resolved'));
    expect(order).toEqual(['aborted', 'settled', 'stop resolved']);
    expect(clock.pending()).toEqual([]);
    for (const status of s.status()) expect(status).toMatchObject({ state: 'stopped', nextRunAt: null });
    // An abort by stop() is not the job's failure.
    expect(statusOf(s, 'slow')).toMatchObject({ consecutiveFailures: 0, lastError: null });
    await clock.advance(10 * 60_000);
    expect(slow.runs).toHaveLength(1);
    expect(quick.calls).toBe(1);
  });

  it('start after stop schedules again', async () => {
    const clock = new FakeClock();
    const s = makeScheduler(clock);
    const job = scriptedJob('github', 60_000, []);
    s.add(job);
    s.start();
    await clock.advance(0);
    await s.stop();
    s.start();
    await clock.advance(0);
    expect(job.calls).toBe(2);
    expect(statusOf(s, 'github').state).toBe('idle');
  });

  it('remove aborts and waits for the in-flight run, then forgets the job', async () => {
    const clock = new FakeClock();
    const s = makeScheduler(clock);
    const job = controlledJob('github', 60_000);
    s.add(job);
    s.start();
    await clock.advance(0);
    const { signal, done } = job.last();
    signal.addEventListener('abort', () => done.reject(signal.reason));
    const events: JobStatus[] = [];
    s.on('status', (status: JobStatus) => events.push(status));
    await s.remove('github');
    expect(signal.aborted).toBe(true);
    expect(events.at(-1)).toMatchObject({ id: 'github', state: 'stopped' });
    expect(s.status()).toEqual([]);
    expect(clock.pending()).toEqual([]);
    // The id is free again.
    s.add(scriptedJob('github', 60_000, []));
    expect(s.status('github')).toHaveLength(1);
  });
});

describe('Scheduler: real timers', () => {
  it('runs repeatedly on the default (unref) timers and stops cleanly', async () => {
    const real = new Scheduler({ jitter: 0 });
    scheduler = real;
    let calls = 0;
    const threeRuns = new Promise<void>((resolve) => {
      real.add({ id: 'tick', intervalMs: 5, run: async () => { if (++calls === 3) resolve(); } });
    });
    real.start();
    await threeRuns;
    await real.stop();
    const after = calls;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(calls).toBe(after);
  });
});
