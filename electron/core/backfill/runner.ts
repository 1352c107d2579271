// Runs the sources' Backfillers (contract.ts): plans each source's tasks after its first successful
// poll, then advances them step by step in the background, one loop per source:
// - lower priority than polling: a step never starts while the source polls (a poll never waits
//   for backfill: it runs beside a step already under way) or while its polling is paused, and the
//   loop yields between steps;
// - within a share of the API budget (budget.ts), waiting for the reset when it is used or low,
//   and until an API's retryAt after a rate limit;
// - resumable: each step's samples, markers and new cursors are stored in one transaction, so after
//   a restart or a kill it goes on from the saved cursors without duplicates;
// - a task that failed is tried again later with backoff; an unavailable one is final (with why)
//   until the source's settings change (a token added may read what none could);
// - re-planned when the source is reconfigured, and after a poll once replanInterval has passed, so
//   targets and repositories added later are backfilled too.
import { EventEmitter } from 'node:events';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { BackfillProgress, BackfillState, HistoryChange } from '../../../shared/api.js';
import { redactSecrets } from '../secrets.js';
import type { CollectContext } from '../source.js';
import { datedDataProblem, type BackfillTaskUpdate, type HistoryStore, type StoredBackfillTask } from '../store/history-store.js';
import { BudgetGuard } from './budget.js';
import type { ApiBudget, Backfiller, BackfillTask, BackfillWork, DatedSample, HistoryMarker } from './contract.js';
import { RateTracker, summarizeProgress } from './progress.js';

/** Waits `ms`, or less once `signal` aborts. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export interface BackfillRunnerOptions {
  readonly store: HistoryStore;
  readonly log: Logger;
  readonly now: () => number;
  /** Of the API budget left, the most backfill spends (backfill.budgetShare). */
  readonly budgetShare: number;
  /** A new plan after a poll once the last one is this old (backfill.replanInterval). */
  readonly replanIntervalMs: number;
  /** False (backfill.enabled: false): start() runs nothing; runUntilDone still works. */
  readonly enabled?: boolean;
  readonly sleep?: Sleep;
  /** Counts each API request, as polls do (footprint_api_requests_total). */
  readonly countRequest?: (source: string, status: number | 'error') => void;
  /** First retry delay after a failure (doubling up to retryMaxMs); defaults 1 min and 6 h. */
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
}

export interface BackfillSource {
  readonly id: string;
  readonly title: string;
  readonly backfiller: Backfiller;
  /**
   * A fingerprint of the settings the source runs with (a hash, never the settings): when it differs
   * from the one its tasks last ran with, unavailable and failed tasks are tried again.
   */
  readonly settings?: string;
}

/** A task reached an end for now: done, unavailable, or failed (for `footprint backfill`'s lines). */
export interface TaskEvent {
  readonly source: string;
  readonly key: string;
  readonly title: string;
  readonly target: string;
  readonly state: 'done' | 'unavailable' | 'failed';
  readonly reason: string | null;
  readonly doneUnits: number;
}

/** A task as `--dry-run` shows it: planned now, with what is stored of it. */
export interface DryRunTask {
  readonly key: string;
  readonly title: string;
  readonly target: string;
  /** Its stored state; 'new' when it was never planned before. */
  readonly state: StoredBackfillTask['state'] | 'new';
  readonly doneUnits: number;
  readonly totalUnits: number | null;
  readonly estimatedRequests: number;
  /** Requests still to spend: the estimate less the part done. */
  readonly remainingRequests: number;
}

export interface DryRun {
  readonly source: string;
  readonly tasks: readonly DryRunTask[];
  /** Requests planning itself spent (the only ones a dry run spends). */
  readonly planRequests: number;
  readonly budget: ApiBudget | null;
}

/** setTimeout's largest delay; a longer wait is re-checked after it. */
const MAX_TIMER_MS = 2_147_483_647;
const MIN_RATE_LIMIT_WAIT_MS = 1_000;

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const finish = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      resolve();
    };
    const timer = setTimeout(finish, Math.min(Math.max(0, ms), MAX_TIMER_MS));
    // The server, the app or `footprint backfill` keeps the process alive, never a backfill wait.
    timer.unref();
    signal.addEventListener('abort', finish, { once: true });
  });
}

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

function retryAtOf(error: unknown): number | null {
  const retryAt = (error as { retryAt?: unknown } | null)?.retryAt;
  return typeof retryAt === 'number' && Number.isFinite(retryAt) ? retryAt : null;
}

function describe(error: unknown): string {
  return redactSecrets(error instanceof Error ? error.message || error.name : String(error));
}

const iso = (time: number) => new Date(time).toISOString();

type Action =
  | { readonly kind: 'wait'; readonly until: number | null; readonly state: BackfillState; readonly message: string | null }
  | { readonly kind: 'plan' }
  | { readonly kind: 'step'; readonly tasks: readonly StoredBackfillTask[] }
  | { readonly kind: 'finished' };

interface Entry {
  readonly id: string;
  readonly title: string;
  readonly backfiller: Backfiller;
  /** Ends this entry's loop (the source was replaced or removed, or the runner stops). */
  readonly stop: AbortController;
  /** The plan or step under way, aborted by a re-run (its results are not stored). */
  current: AbortController | null;
  loop: Promise<void> | null;
  wake: (() => void) | null;
  pausedByUser: boolean;
  pollsPaused: boolean;
  polling: number;
  polledOk: boolean;
  plannedAt: number | null;
  planWanted: boolean;
  /** A rate limit, a retry or a budget reset to wait for. */
  waitUntil: number | null;
  state: BackfillState;
  message: string | null;
  /** Plans and steps that failed in a row. */
  failures: number;
  readonly budget: BudgetGuard;
  readonly rate: RateTracker;
  /** `footprint backfill --target`: only this target's tasks. */
  target: string | null;
  /**
   * `footprint backfill`: stop once nothing is left; a task that failed `maxFailures` times in this
   * run is given up. `before` holds each task's failures when the run began: those are retried at once.
   */
  untilDone: { readonly maxFailures: number; readonly before: ReadonlyMap<string, number> } | null;
}

export class BackfillRunner extends EventEmitter {
  readonly #options: BackfillRunnerOptions;
  readonly #sleep: Sleep;
  readonly #entries = new Map<string, Entry>();
  /** Every loop still running, those of replaced sources too (stop() waits for them all). */
  readonly #loops = new Set<Promise<void>>();
  readonly #retryBaseMs: number;
  readonly #retryMaxMs: number;
  #started = false;
  #pausedAll = false;

  constructor(options: BackfillRunnerOptions) {
    super();
    this.#options = options;
    this.#sleep = options.sleep ?? defaultSleep;
    this.#retryBaseMs = options.retryBaseMs ?? 60_000;
    this.#retryMaxMs = options.retryMaxMs ?? 6 * 3_600_000;
  }

  get enabled(): boolean {
    return this.#options.enabled ?? true;
  }

  /** Registers (or replaces, after a reconfiguration) a source that can read its past; null removes it. */
  setSource(id: string, source: BackfillSource | null): void {
    const previous = this.#entries.get(id);
    if (previous !== undefined) {
      previous.stop.abort();
      previous.current?.abort();
      this.#entries.delete(id);
    }
    if (source === null) return;
    if (source.settings !== undefined) {
      const { reopened } = this.#options.store.useBackfillSettings(id, source.settings, this.#options.now());
      if (reopened > 0) this.#options.log.info({ source: id, tasks: reopened }, 'backfill: settings changed, trying unavailable and failed tasks again');
    }
    const entry: Entry = {
      id,
      title: source.title,
      backfiller: source.backfiller,
      stop: new AbortController(),
      current: null,
      loop: null,
      wake: null,
      pausedByUser: previous?.pausedByUser ?? this.#pausedAll,
      // A rebuilt source's polling starts unpaused (the scheduler adds it afresh).
      pollsPaused: false,
      polling: 0,
      polledOk: false,
      plannedAt: null,
      planWanted: true,
      waitUntil: null,
      state: 'waiting-for-poll',
      message: null,
      failures: 0,
      budget: new BudgetGuard(this.#options.budgetShare),
      rate: new RateTracker(),
      target: null,
      untilDone: null,
    };
    this.#entries.set(id, entry);
    if (this.#started && this.enabled) this.#startLoop(entry);
    this.#emitProgress(entry);
  }

  sources(): string[] {
    return [...this.#entries.keys()];
  }

  /** Starts the background loops (nothing when backfill is off). */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    if (!this.enabled) return;
    for (const entry of this.#entries.values()) this.#startLoop(entry);
  }

  /** Stops every loop and waits for them; a step under way is aborted and not stored. */
  async stop(): Promise<void> {
    this.#started = false;
    for (const entry of this.#entries.values()) {
      entry.stop.abort();
      entry.current?.abort();
    }
    await Promise.all(this.#loops);
  }

  /** The source's poll starts: no step starts until it ends. */
  pollStarted(id: string): void {
    const entry = this.#entries.get(id);
    if (entry) entry.polling++;
  }

  /** The source's poll ended; a successful one lets backfill plan (again, once replanInterval passed) and run. */
  pollFinished(id: string, ok: boolean): void {
    const entry = this.#entries.get(id);
    if (!entry) return;
    entry.polling = Math.max(0, entry.polling - 1);
    if (ok) {
      entry.polledOk = true;
      if (entry.plannedAt !== null && this.#options.now() - entry.plannedAt >= this.#options.replanIntervalMs) entry.planWanted = true;
    }
    entry.wake?.();
  }

  /** The source's polling was paused or resumed (the scheduler, the app's pause): backfill follows it. */
  setPollsPaused(id: string, paused: boolean): void {
    const entry = this.#entries.get(id);
    if (!entry || entry.pollsPaused === paused) return;
    entry.pollsPaused = paused;
    entry.wake?.();
    this.#emitProgress(entry);
  }

  pause(id?: string): void {
    if (id === undefined) this.#pausedAll = true;
    for (const entry of this.#select(id)) {
      entry.pausedByUser = true;
      entry.wake?.();
      this.#emitProgress(entry);
    }
  }

  resume(id?: string): void {
    if (id === undefined) this.#pausedAll = false;
    for (const entry of this.#select(id)) {
      entry.pausedByUser = false;
      entry.wake?.();
      this.#emitProgress(entry);
    }
  }

  /** Reads the past again from the beginning: the step under way is dropped, tasks start over after a new plan. */
  rerun(id?: string): void {
    for (const entry of this.#select(id)) {
      entry.current?.abort();
      this.#options.store.resetBackfill(entry.id, this.#options.now(), entry.target === null ? {} : { target: entry.target });
      entry.planWanted = true;
      entry.failures = 0;
      if (entry.state === 'retrying') entry.waitUntil = null;
      // Not done any more: the loop plans again as soon as it may.
      if (entry.state === 'done') entry.state = 'planning';
      entry.rate.reset();
      entry.wake?.();
      this.#emitProgress(entry);
    }
  }

  progress(id?: string): BackfillProgress[] {
    return this.#select(id).map((entry) => this.#progressOf(entry));
  }

  /** Plans a source's tasks without running them or storing the plan: what `--dry-run` prints. */
  async dryRun(id: string, options: { target?: string; signal: AbortSignal }): Promise<DryRun> {
    const entry = this.#require(id);
    const requests = { count: 0 };
    const plan = await entry.backfiller.plan(this.#context(entry, options.signal, requests));
    const stored = new Map(this.#options.store.backfillTasks(id).map((task) => [task.key, task]));
    const tasks = (Array.isArray(plan?.tasks) ? plan.tasks : [])
      .filter((task) => options.target === undefined || task.target === options.target)
      .map((task): DryRunTask => {
        const known = stored.get(task.key);
        const state = known?.state ?? 'new';
        const doneUnits = known?.doneUnits ?? 0;
        const totalUnits = task.totalUnits ?? known?.totalUnits ?? null;
        const estimate = Math.max(0, Math.ceil(task.estimatedRequests));
        let remainingRequests = estimate;
        if (state === 'done' || state === 'unavailable') remainingRequests = 0;
        else if (totalUnits !== null && totalUnits > 0) remainingRequests = Math.ceil(estimate * Math.max(0, 1 - doneUnits / totalUnits));
        return { key: task.key, title: task.title, target: task.target, state, doneUnits, totalUnits, estimatedRequests: estimate, remainingRequests };
      });
    return { source: id, tasks, planRequests: requests.count, budget: plan?.budget ?? null };
  }

  /**
   * `footprint backfill`: runs the given sources' backfill in the foreground until nothing is left
   * (tasks that failed `maxFailures` times are given up), then returns their progress. The sources
   * must have polled successfully first. Aborting `signal` stops cleanly: what is stored is kept.
   */
  async runUntilDone(options: { sources: readonly string[]; target?: string; maxFailures: number; signal: AbortSignal }): Promise<BackfillProgress[]> {
    if (this.#started) throw new Error('runUntilDone: the background backfill is running; stop it first');
    const entries = options.sources.map((id) => this.#require(id));
    const stop = () => {
      for (const entry of entries) {
        entry.stop.abort();
        entry.current?.abort();
      }
    };
    options.signal.addEventListener('abort', stop, { once: true });
    // Backfill waits use unref'd timers: keep the command alive through a budget reset.
    const keepAlive = setInterval(() => {}, 1 << 30);
    try {
      if (options.signal.aborted) stop();
      await Promise.all(entries.map((entry) => {
        entry.target = options.target ?? null;
        const before = new Map(this.#options.store.backfillTasks(entry.id).map((task) => [task.key, task.failures]));
        entry.untilDone = { maxFailures: options.maxFailures, before };
        return this.#startLoop(entry);
      }));
    } finally {
      clearInterval(keepAlive);
      options.signal.removeEventListener('abort', stop);
    }
    return entries.map((entry) => this.#progressOf(entry));
  }

  #select(id: string | undefined): Entry[] {
    return id === undefined ? [...this.#entries.values()] : [this.#require(id)];
  }

  #require(id: string): Entry {
    const entry = this.#entries.get(id);
    if (!entry) throw new Error(`backfill: "${id}" is not a configured source that can read its past (those are: ${this.sources().join(', ') || 'none'})`);
    return entry;
  }

  #startLoop(entry: Entry): Promise<void> {
    if (entry.loop === null) {
      const loop = this.#loop(entry).finally(() => {
        entry.loop = null;
        this.#loops.delete(loop);
      });
      entry.loop = loop;
      this.#loops.add(loop);
    }
    return entry.loop;
  }

  async #loop(entry: Entry): Promise<void> {
    while (!entry.stop.signal.aborted) {
      let action: Action;
      try {
        action = this.#nextAction(entry);
      } catch (error) {
        // The store failed to answer (a locked or full disk): try again later, as after a failed step.
        this.#failed(entry, error, 'reading the backfill state');
        continue;
      }
      if (action.kind === 'finished') {
        this.#setState(entry, 'done', null);
        return;
      }
      if (action.kind === 'wait') {
        this.#setState(entry, action.state, action.message);
        await this.#wait(entry, action.until);
        continue;
      }
      try {
        if (action.kind === 'plan') await this.#plan(entry);
        else await this.#step(entry, action.tasks);
      } catch (error) {
        this.#failed(entry, error, action.kind === 'plan' ? 'planning' : 'a step');
      }
      // Polls, API calls and /metrics get a turn between steps.
      await nextTurn();
    }
  }

  /** What the loop does next: decided from the entry and the stored tasks, without waiting. */
  #nextAction(entry: Entry): Action {
    if (entry.pausedByUser) return { kind: 'wait', until: null, state: 'paused', message: 'paused: resume backfill to go on' };
    if (entry.pollsPaused) return { kind: 'wait', until: null, state: 'paused', message: 'polling of this source is paused: backfill goes on when it resumes' };
    if (!entry.polledOk) return { kind: 'wait', until: null, state: 'waiting-for-poll', message: 'starts after the first successful poll' };
    if (entry.polling > 0) return { kind: 'wait', until: null, state: entry.state === 'done' ? 'done' : 'waiting-for-poll', message: 'waits while the source polls' };
    const now = this.#options.now();
    if (entry.waitUntil !== null && entry.waitUntil > now) return { kind: 'wait', until: entry.waitUntil, state: entry.state, message: entry.message };
    entry.waitUntil = null;
    if (entry.planWanted) return { kind: 'plan' };
    const budgetWait = entry.budget.wait(now);
    if (budgetWait !== null) {
      entry.waitUntil = budgetWait.until;
      return { kind: 'wait', until: budgetWait.until, state: 'waiting-for-budget', message: budgetWait.message };
    }
    const untilDone = entry.untilDone;
    const failuresNow = (task: StoredBackfillTask) => task.failures - (untilDone?.before.get(task.key) ?? 0);
    const tasks = this.#options.store.backfillTasks(entry.id).filter((task) => task.planned && (entry.target === null || task.target === entry.target));
    const retryable = tasks.filter((task) => task.state === 'failed' && (untilDone === null || failuresNow(task) < untilDone.maxFailures));
    const runnable = [
      ...tasks.filter((task) => task.state === 'running'),
      ...tasks.filter((task) => task.state === 'pending'),
      // `footprint backfill` tries what failed before it started at once.
      ...retryable.filter((task) => (task.retryAt ?? 0) <= now || (untilDone !== null && failuresNow(task) === 0)),
    ];
    if (runnable.length > 0) return { kind: 'step', tasks: runnable.slice(0, this.#batchSize(entry)) };
    if (retryable.length > 0) {
      entry.waitUntil = Math.min(...retryable.map((task) => task.retryAt ?? now));
      return { kind: 'wait', until: entry.waitUntil, state: 'retrying', message: `${retryable.length} task(s) failed: trying again at ${iso(entry.waitUntil)}` };
    }
    if (entry.untilDone !== null) return { kind: 'finished' };
    // Nothing left: the next plan comes after a poll once replanInterval has passed (pollFinished).
    return { kind: 'wait', until: null, state: 'done', message: null };
  }

  #batchSize(entry: Entry): number {
    const size = entry.backfiller.batchSize ?? 1;
    return Number.isSafeInteger(size) && size > 0 ? size : 1;
  }

  #context(entry: Entry, signal: AbortSignal, requests: { count: number }): CollectContext {
    return {
      log: this.#options.log.child({ source: entry.id, backfill: true }),
      signal,
      countRequest: (status) => {
        requests.count++;
        this.#options.countRequest?.(entry.id, status);
      },
    };
  }

  /** Runs one plan or step with its own abort controller (a re-run aborts it, stop() too). */
  async #attempt<T>(entry: Entry, work: (context: CollectContext, requests: { count: number }) => Promise<T>): Promise<{ result: T; requests: number } | null> {
    const controller = new AbortController();
    const onStop = () => controller.abort();
    entry.stop.signal.addEventListener('abort', onStop, { once: true });
    entry.current = controller;
    const requests = { count: 0 };
    try {
      const result = await work(this.#context(entry, controller.signal, requests), requests);
      return controller.signal.aborted ? null : { result, requests: requests.count };
    } catch (error) {
      if (controller.signal.aborted) return null;
      throw error;
    } finally {
      entry.stop.signal.removeEventListener('abort', onStop);
      if (entry.current === controller) entry.current = null;
    }
  }

  async #plan(entry: Entry): Promise<void> {
    this.#setState(entry, 'planning', null);
    const attempt = await this.#attempt(entry, (context) => entry.backfiller.plan(context));
    if (attempt === null) return;
    if (!Array.isArray(attempt.result?.tasks)) throw new Error(`${entry.title}: its backfill plan has no task list`);
    const tasks: readonly BackfillTask[] = attempt.result.tasks;
    const now = this.#options.now();
    const { added } = this.#options.store.planBackfill(entry.id, tasks, now);
    entry.budget.observe(attempt.result.budget, now, attempt.requests);
    entry.plannedAt = now;
    entry.planWanted = false;
    entry.failures = 0;
    this.#options.log.info({ source: entry.id, tasks: tasks.length, added, requests: attempt.requests }, 'backfill planned');
  }

  async #step(entry: Entry, tasks: readonly StoredBackfillTask[]): Promise<void> {
    this.#setState(entry, 'running', null);
    const work: BackfillWork[] = tasks.map((task) => ({
      task: { key: task.key, title: task.title, target: task.target, totalUnits: task.totalUnits, estimatedRequests: task.estimatedRequests },
      cursor: task.cursor,
    }));
    const attempt = await this.#attempt(entry, (context) => entry.backfiller.step(work, context));
    if (attempt === null) return;
    const step = attempt.result;
    const results = step?.results;
    if (!Array.isArray(results) || results.length !== work.length) {
      throw new Error(`${entry.title}: a backfill step answered ${Array.isArray(results) ? results.length : 'no'} results for ${work.length} task(s)`);
    }
    const now = this.#options.now();
    const samples: DatedSample[] = [];
    const markers: HistoryMarker[] = [];
    const updates: BackfillTaskUpdate[] = [];
    const events: TaskEvent[] = [];
    const share = Math.floor(attempt.requests / tasks.length);
    tasks.forEach((task, index) => {
      const result = results[index]!;
      const requests = share + (index < attempt.requests % tasks.length ? 1 : 0);
      const event = { source: entry.id, key: task.key, title: task.title, target: task.target };
      const failed = (error: string) => {
        const failures = task.failures + 1;
        const retryAt = now + this.#retryDelay(failures);
        updates.push({ key: task.key, requests, outcome: { kind: 'failed', error, retryAt } });
        events.push({ ...event, state: 'failed', reason: error, doneUnits: task.doneUnits });
      };
      switch (result?.kind) {
        case 'progress': {
          if (result.cursor !== null && result.cursor === task.cursor) {
            failed('the step did not move on (it returned the cursor it was given)');
            return;
          }
          const taskSamples = Array.isArray(result.samples) ? result.samples : [];
          const taskMarkers = Array.isArray(result.markers) ? result.markers : [];
          // Checked per task, so one task's bad value fails that task only, not the step.
          const problem = datedDataProblem(entry.id, taskSamples, taskMarkers);
          if (problem !== null) {
            failed(`the source sent data the history cannot store: ${problem}`);
            return;
          }
          samples.push(...taskSamples);
          markers.push(...taskMarkers);
          updates.push({ key: task.key, requests, outcome: { kind: 'progress', cursor: result.cursor, doneUnits: result.doneUnits, totalUnits: result.totalUnits } });
          if (result.cursor === null) events.push({ ...event, state: 'done', reason: null, doneUnits: result.doneUnits });
          return;
        }
        case 'unavailable': {
          const reason = redactSecrets(String(result.reason));
          updates.push({ key: task.key, requests, outcome: { kind: 'unavailable', reason } });
          events.push({ ...event, state: 'unavailable', reason, doneUnits: task.doneUnits });
          return;
        }
        case 'failed':
          failed(redactSecrets(String(result.error)));
          return;
        default:
          failed('the step gave no result for it');
      }
    });
    // Samples, markers and cursors together: a kill either keeps the whole step or none of it.
    const stored = this.#options.store.ingestDated(entry.id, samples, { markers, backfill: { time: now, tasks: updates } });
    // Open charts of these series read them again: the history grows in front of the user.
    if (stored.changedIds.length > 0) this.emit('history', { source: entry.id, series: stored.changedIds } satisfies HistoryChange);
    entry.budget.observe(step.budget, now, attempt.requests);
    entry.failures = 0;
    entry.rate.record(now, this.#options.store.backfillTasks(entry.id).filter((task) => task.planned).reduce((sum, task) => sum + task.doneUnits, 0));
    for (const event of events) {
      this.#options.log.info({ source: entry.id, task: event.key, state: event.state, reason: event.reason ?? undefined }, 'backfill task');
      this.emit('task', event);
    }
    this.#emitProgress(entry);
  }

  #retryDelay(failures: number): number {
    return Math.min(this.#retryMaxMs, this.#retryBaseMs * 2 ** Math.max(0, failures - 1));
  }

  /** A plan or step failed as a whole: wait for the API's retryAt, or back off. */
  #failed(entry: Entry, error: unknown, what: string): void {
    const now = this.#options.now();
    const retryAt = retryAtOf(error);
    if (retryAt !== null) {
      entry.waitUntil = Math.max(retryAt, now + MIN_RATE_LIMIT_WAIT_MS);
      this.#setState(entry, 'rate-limited', `${describe(error)} — going on at ${iso(entry.waitUntil)}`);
      return;
    }
    entry.failures++;
    entry.waitUntil = now + this.#retryDelay(entry.failures);
    this.#options.log.warn({ source: entry.id, err: error }, `backfill: ${what} failed`);
    this.#setState(entry, 'retrying', `${what} failed: ${describe(error)} — trying again at ${iso(entry.waitUntil)}`);
  }

  async #wait(entry: Entry, until: number | null): Promise<void> {
    const controller = new AbortController();
    const wake = () => controller.abort();
    entry.wake = wake;
    entry.stop.signal.addEventListener('abort', wake, { once: true });
    try {
      if (until === null) await untilAborted(controller.signal);
      else await this.#sleep(Math.max(0, until - this.#options.now()), controller.signal);
    } finally {
      if (entry.wake === wake) entry.wake = null;
      entry.stop.signal.removeEventListener('abort', wake);
    }
  }

  #setState(entry: Entry, state: BackfillState, message: string | null): void {
    if (entry.state === state && entry.message === message) return;
    entry.state = state;
    entry.message = message;
    this.#emitProgress(entry);
  }

  #progressOf(entry: Entry): BackfillProgress {
    const off = !this.enabled && entry.untilDone === null;
    const waiting = entry.state === 'waiting-for-budget' || entry.state === 'rate-limited' || entry.state === 'retrying';
    let stored = this.#options.store.backfillTasks(entry.id);
    if (entry.target !== null) stored = stored.filter((task) => task.target === entry.target);
    const state = off ? 'off' : entry.pausedByUser || entry.pollsPaused ? 'paused' : entry.state;
    return summarizeProgress({
      source: entry.id,
      title: entry.title,
      state,
      paused: entry.pausedByUser,
      message: off ? 'backfill is off (backfill.enabled: false); "footprint backfill" runs it on demand' : state === 'paused' && !entry.pausedByUser ? 'polling of this source is paused: backfill goes on when it resumes' : entry.message,
      resumeAt: !off && waiting ? entry.waitUntil : null,
    }, stored, entry.rate);
  }

  #emitProgress(entry: Entry): void {
    if (this.listenerCount('progress') === 0) return;
    try {
      this.emit('progress', this.#progressOf(entry));
    } catch (error) {
      this.#options.log.warn({ err: error, source: entry.id }, 'backfill progress could not be read');
    }
  }
}
