// Runs one job per source on its own interval with jitter. Runs of a job never overlap; failures
// back off exponentially and recover on the next success; an API's "retry at" is obeyed exactly.
//
// Timing rules:
// - The next timed run is measured from the end of the previous run, so a slow run can never
//   stack up behind itself.
// - After n consecutive failures the delay is min(backoffMax, backoffBase * 2^(n-1)) with jitter,
//   where backoffMax is never less than the job's interval. An error with a numeric `retryAt`
//   (RateLimitedError) waits exactly max(retryAt - now, 1 s) instead.
// - refreshNow on a running job returns that run's promise (no overlap, no second run); on an
//   idle, backing-off or paused job it runs at once. A manual refresh is explicit, so it works
//   while paused (the job stays paused afterwards) and before start() (a one-shot collection;
//   nothing is scheduled after it). A success resets the backoff.
// - Runs must honour their AbortSignal: stop() and remove() abort it and wait for the run.
import { EventEmitter } from 'node:events';

export type JobState = 'idle' | 'running' | 'paused' | 'backoff' | 'stopped';

export interface JobStatus {
  id: string;
  state: JobState;
  intervalMs: number;
  lastRunAt: number | null;
  lastSuccessAt: number | null;
  lastDurationMs: number | null;
  lastError: string | null;
  consecutiveFailures: number;
  nextRunAt: number | null;
}

export interface JobSpec {
  id: string;
  intervalMs: number;
  run(signal: AbortSignal): Promise<void>;
  /** Delay of the first run after start(); default 0 (run at start). */
  initialDelayMs?: number;
}

export interface SchedulerOptions {
  /** Fraction of the delay added or taken at random (±); default 0.1. Delays never go negative. */
  jitter?: number;
  /** Delay after the first failure; default 30 s. */
  backoffBaseMs?: number;
  /** Longest failure delay; default 1 h, and never less than the job's interval. */
  backoffMaxMs?: number;
  random?: () => number;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/** The shortest wait after a rate limit, even when the API's reset time has already passed. */
export const MIN_RATE_LIMIT_WAIT_MS = 1_000;
/** setTimeout's largest delay (about 24.8 days); longer waits are chained. */
const MAX_TIMER_MS = 2_147_483_647;

interface JobEntry {
  readonly spec: JobSpec;
  readonly status: JobStatus;
  paused: boolean;
  /** When the next timed run is due; kept while paused so resume() knows whether it is overdue. */
  dueAt: number | null;
  timer: unknown;
  controller: AbortController | null;
  inFlight: Promise<void> | null;
  /** Set by stop()/remove(): the in-flight run's outcome is not counted as a failure. */
  cancelled: boolean;
  removed: boolean;
}

function defaultSetTimer(fn: () => void, ms: number): unknown {
  const handle = setTimeout(fn, ms);
  // The HTTP server (serve) or the Electron app keeps the process alive, never a poll timer.
  handle.unref();
  return handle;
}

function defaultClearTimer(handle: unknown): void {
  clearTimeout(handle as ReturnType<typeof setTimeout>);
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

function retryAtOf(error: unknown): number | null {
  if (typeof error !== 'object' || error === null || !('retryAt' in error)) return null;
  const retryAt = (error as { retryAt: unknown }).retryAt;
  return typeof retryAt === 'number' && Number.isFinite(retryAt) ? retryAt : null;
}

function requireNonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new Error(`Scheduler option ${name} must be a number ≥ 0, got ${value}`);
  return value;
}

export class Scheduler extends EventEmitter {
  readonly #jobs = new Map<string, JobEntry>();
  readonly #jitter: number;
  readonly #backoffBaseMs: number;
  readonly #backoffMaxMs: number;
  readonly #random: () => number;
  readonly #now: () => number;
  readonly #setTimer: (fn: () => void, ms: number) => unknown;
  readonly #clearTimer: (handle: unknown) => void;
  #started = false;
  /** True after stop() until the next start(): resting jobs show as 'stopped'. */
  #stopped = false;

  constructor(options: SchedulerOptions = {}) {
    super();
    this.#jitter = requireNonNegative('jitter', options.jitter, 0.1);
    if (this.#jitter > 1) throw new Error(`Scheduler option jitter is a fraction of the interval between 0 and 1, got ${this.#jitter}`);
    this.#backoffBaseMs = requireNonNegative('backoffBaseMs', options.backoffBaseMs, 30_000);
    this.#backoffMaxMs = requireNonNegative('backoffMaxMs', options.backoffMaxMs, 3_600_000);
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? Date.now;
    this.#setTimer = options.setTimer ?? defaultSetTimer;
    this.#clearTimer = options.clearTimer ?? defaultClearTimer;
  }

  add(job: JobSpec): void {
    if (typeof job.id !== 'string' || job.id === '') throw new Error('Scheduler.add: job id must be a non-empty string');
    if (this.#jobs.has(job.id)) throw new Error(`Scheduler.add: a job with id "${job.id}" is already scheduled; remove it first`);
    if (!Number.isFinite(job.intervalMs) || job.intervalMs <= 0) {
      throw new Error(`Scheduler.add: job "${job.id}" intervalMs must be a positive number of milliseconds, got ${job.intervalMs}`);
    }
    const initialDelayMs = job.initialDelayMs ?? 0;
    if (!Number.isFinite(initialDelayMs) || initialDelayMs < 0) {
      throw new Error(`Scheduler.add: job "${job.id}" initialDelayMs must be ≥ 0, got ${job.initialDelayMs}`);
    }
    const entry: JobEntry = {
      spec: { ...job },
      status: {
        id: job.id,
        state: this.#stopped ? 'stopped' : 'idle',
        intervalMs: job.intervalMs,
        lastRunAt: null,
        lastSuccessAt: null,
        lastDurationMs: null,
        lastError: null,
        consecutiveFailures: 0,
        nextRunAt: null,
      },
      paused: false,
      dueAt: null,
      timer: null,
      controller: null,
      inFlight: null,
      cancelled: false,
      removed: false,
    };
    this.#jobs.set(job.id, entry);
    if (this.#started) this.#scheduleAt(entry, this.#now() + initialDelayMs);
    this.#emit(entry);
  }

  async remove(id: string): Promise<void> {
    const entry = this.#get('remove', id);
    this.#jobs.delete(id);
    entry.removed = true;
    this.#disarm(entry);
    entry.dueAt = null;
    await this.#cancel(entry);
    entry.status.state = 'stopped';
    entry.status.nextRunAt = null;
    this.#emit(entry);
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#stopped = false;
    const now = this.#now();
    for (const entry of this.#jobs.values()) {
      if (entry.inFlight) continue; // a run is in flight: it schedules the next run when it ends
      entry.status.state = this.#restingState(entry);
      this.#scheduleAt(entry, now + (entry.spec.initialDelayMs ?? 0));
      this.#emit(entry);
    }
  }

  async stop(): Promise<void> {
    this.#started = false;
    this.#stopped = true;
    const entries = [...this.#jobs.values()];
    for (const entry of entries) {
      this.#disarm(entry);
      entry.dueAt = null;
    }
    await Promise.all(entries.map((entry) => this.#cancel(entry)));
    for (const entry of entries) {
      // A job removed, or a scheduler restarted, while we waited is no longer ours to mark.
      if (entry.removed || entry.inFlight || this.#started || entry.status.state === 'stopped') continue;
      entry.status.state = 'stopped';
      entry.status.nextRunAt = null;
      this.#emit(entry);
    }
  }

  refreshNow(id?: string): Promise<void> {
    let entries: JobEntry[];
    try {
      entries = id === undefined ? [...this.#jobs.values()] : [this.#get('refreshNow', id)];
    } catch (error) {
      return Promise.reject(error);
    }
    return Promise.all(entries.map((entry) => this.#run(entry))).then(() => undefined);
  }

  pause(id?: string): void {
    for (const entry of this.#select('pause', id)) {
      if (entry.paused) continue;
      entry.paused = true;
      this.#disarm(entry);
      entry.status.nextRunAt = null;
      entry.status.state = this.#restingState(entry);
      this.#emit(entry);
    }
  }

  resume(id?: string): void {
    for (const entry of this.#select('resume', id)) {
      if (!entry.paused) continue;
      entry.paused = false;
      entry.status.state = this.#restingState(entry);
      // An overdue job runs at once. A running job schedules its next run when it ends.
      if (!entry.inFlight && this.#started) this.#scheduleAt(entry, Math.max(entry.dueAt ?? this.#now(), this.#now()));
      this.#emit(entry);
    }
  }

  status(id?: string): JobStatus[] {
    return this.#select('status', id).map((entry) => ({ ...entry.status }));
  }

  #get(method: string, id: string): JobEntry {
    const entry = this.#jobs.get(id);
    if (!entry) {
      const known = [...this.#jobs.keys()].map((key) => `"${key}"`).join(', ') || 'none';
      throw new Error(`Scheduler.${method}: no job with id "${id}" (known jobs: ${known})`);
    }
    return entry;
  }

  #select(method: string, id: string | undefined): JobEntry[] {
    return id === undefined ? [...this.#jobs.values()] : [this.#get(method, id)];
  }

  /** The state a job shows: running wins, then a stopped scheduler, then pause, then backoff. */
  #restingState(entry: JobEntry): JobState {
    if (entry.inFlight) return 'running';
    if (this.#stopped) return 'stopped';
    if (entry.paused) return 'paused';
    return entry.status.consecutiveFailures > 0 ? 'backoff' : 'idle';
  }

  #emit(entry: JobEntry): void {
    this.emit('status', { ...entry.status });
  }

  #withJitter(delayMs: number): number {
    const factor = 1 + this.#jitter * (2 * this.#random() - 1);
    return Math.max(0, Math.round(delayMs * factor));
  }

  /** Records when the next timed run is due and, unless paused or stopped, arms its timer. */
  #scheduleAt(entry: JobEntry, dueAt: number): void {
    this.#disarm(entry);
    entry.dueAt = dueAt;
    if (!this.#started || entry.paused) {
      entry.status.nextRunAt = null;
      return;
    }
    entry.status.nextRunAt = dueAt;
    this.#arm(entry, Math.max(0, dueAt - this.#now()));
  }

  #arm(entry: JobEntry, delayMs: number): void {
    if (delayMs > MAX_TIMER_MS) {
      entry.timer = this.#setTimer(() => this.#arm(entry, delayMs - MAX_TIMER_MS), MAX_TIMER_MS);
      return;
    }
    entry.timer = this.#setTimer(() => {
      entry.timer = null;
      void this.#run(entry);
    }, delayMs);
  }

  #disarm(entry: JobEntry): void {
    if (entry.timer !== null) {
      this.#clearTimer(entry.timer);
      entry.timer = null;
    }
  }

  async #cancel(entry: JobEntry): Promise<void> {
    if (!entry.inFlight) return;
    entry.cancelled = true;
    entry.controller?.abort(new Error(`job "${entry.spec.id}" was stopped`));
    await entry.inFlight;
  }

  /** Starts a run unless one is in flight, in which case that run's promise is the answer. Never rejects. */
  #run(entry: JobEntry): Promise<void> {
    if (entry.inFlight) return entry.inFlight;
    this.#disarm(entry);
    const controller = new AbortController();
    entry.controller = controller;
    entry.cancelled = false;
    const startedAt = this.#now();
    entry.status.state = 'running';
    entry.status.lastRunAt = startedAt;
    entry.status.nextRunAt = null;
    this.#emit(entry);
    entry.inFlight = (async () => {
      let failure: { error: unknown } | null = null;
      try {
        await entry.spec.run(controller.signal);
      } catch (error) {
        failure = { error };
      }
      this.#finish(entry, startedAt, failure);
    })();
    return entry.inFlight;
  }

  #finish(entry: JobEntry, startedAt: number, failure: { error: unknown } | null): void {
    const finishedAt = this.#now();
    const status = entry.status;
    entry.inFlight = null;
    entry.controller = null;
    status.lastDurationMs = Math.max(0, finishedAt - startedAt);
    if (entry.cancelled) {
      // Aborted by stop()/remove(): not the job's failure. Only a scheduler restarted meanwhile
      // needs a next run (start() skipped this job because it was in flight).
      entry.cancelled = false;
      if (!entry.removed && this.#started) {
        status.state = this.#restingState(entry);
        this.#scheduleAt(entry, finishedAt);
      } else {
        status.state = 'stopped';
        status.nextRunAt = null;
      }
      this.#emit(entry);
      return;
    }
    let delayMs: number;
    if (failure === null) {
      status.lastSuccessAt = finishedAt;
      status.lastError = null;
      status.consecutiveFailures = 0;
      delayMs = this.#withJitter(entry.spec.intervalMs);
    } else {
      status.lastError = errorMessage(failure.error);
      status.consecutiveFailures += 1;
      const retryAt = retryAtOf(failure.error);
      if (retryAt !== null) {
        // The API told us when to come back: no jitter, no guessing.
        delayMs = Math.max(retryAt - finishedAt, MIN_RATE_LIMIT_WAIT_MS);
      } else {
        const maxMs = Math.max(this.#backoffMaxMs, entry.spec.intervalMs);
        const exponential = this.#backoffBaseMs * 2 ** (status.consecutiveFailures - 1);
        delayMs = this.#withJitter(Math.min(maxMs, exponential));
      }
    }
    status.state = this.#restingState(entry);
    this.#scheduleAt(entry, finishedAt + delayMs);
    this.#emit(entry);
  }
}
