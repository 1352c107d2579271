// The Footprint core: sources on a scheduler, every result into the history store and the exporter.
// Both hosts use it: `footprint serve` (headless) and the Electron main process (electron/main.ts).
import { groupByMessage } from '../../shared/repeats.js';
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { BackfillProgress, HistoryChange } from '../../shared/api.js';
import type { Sample } from '../../shared/metrics.js';
import { BackfillRunner, type Sleep } from './backfill/runner.js';
import { ConfigError, type LoadedConfig } from './config/config.js';
import { formatSeconds } from '../../shared/duration.js';
import { MetricsExporter, type RejectedSample } from './exporter.js';
import { Scheduler, type JobStatus, type SchedulerOptions } from './scheduler.js';
import { redactSecrets } from './secrets.js';
import { metricCatalogue, TargetsFailedError, type CollectResult, type Source, type SourceModule, type TargetError } from './source.js';
import { sourceModules } from './sources/registry.js';
import { historyFileProblem } from './store/history-file.js';
import { HistoryFileError, HistoryStore, type HistoryStoreOptions } from './store/history-store.js';
import { footprintVersion } from './version.js';
import type { RemoteWriteTarget } from './config/remote-write.js';
import { RemoteWriteSender, type SenderTuning, type SentSeries } from './remote-write/sender.js';

function storagePathError(loaded: LoadedConfig, problem: string): ConfigError {
  return new ConfigError(loaded.file, [{ path: 'storage.path', message: problem }]);
}

/** Throws a ConfigError naming storage.path when the configured history file cannot be one (a directory, /proc…). */
export function checkStoragePath(loaded: LoadedConfig): void {
  const problem = historyFileProblem(loaded.config.storage.path);
  if (problem !== null) throw storagePathError(loaded, problem);
}

/** The configured history file, opened; a path that cannot be one is a ConfigError naming storage.path. */
export function openHistoryStore(loaded: LoadedConfig, options: HistoryStoreOptions): HistoryStore {
  try {
    return HistoryStore.open(loaded.config.storage.path, options);
  } catch (error) {
    if (error instanceof HistoryFileError) throw storagePathError(loaded, error.message);
    throw error;
  }
}

/** How many request timeouts one run may last at most (cut to the interval, see runDeadlineMs). */
export const RUN_DEADLINE_TIMEOUTS = 10;

/**
 * How long one run of a source may take before the core gives up on it (the run fails and the scheduler
 * backs off): ten request timeouts, cut to the interval (a run that outlives its interval only delays the
 * next), but never below one timeout, so even a 1 s interval lets a request finish. With the defaults
 * (timeout 20 s, intervals of 10 minutes and more) that is 200 s. A source stuck in a hung API shows down
 * sooner than that: its requests time out after `timeout` and are not retried.
 */
export function runDeadlineMs(source: Pick<Source, 'intervalMs' | 'timeoutMs'>): number {
  return Math.max(source.timeoutMs, Math.min(source.intervalMs, RUN_DEADLINE_TIMEOUTS * source.timeoutMs));
}

/** The reason a run is aborted when its deadline passes. */
export class RunDeadlineError extends Error {
  constructor(title: string, id: string, deadlineMs: number) {
    super(`${title} did not answer within ${formatSeconds(deadlineMs)}: a run may last ${RUN_DEADLINE_TIMEOUTS} × ${id}.timeout, at most ${id}.interval`);
    this.name = 'RunDeadlineError';
  }
}

/** `work`'s outcome, or the signal's reason as soon as it aborts, so a source that ignores its signal cannot hold a run. */
function settledBefore<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  let onAbort!: () => void;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  // Whichever loses the race must not become an unhandled rejection.
  work.catch(() => undefined);
  aborted.catch(() => undefined);
  return Promise.race([work, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}

/** Samples /metrics and the store could not take, one target error per metric. */
function rejectionErrors(rejected: readonly RejectedSample[]): TargetError[] {
  const byMetric = new Map<string, string[]>();
  for (const { metric, reason } of rejected) byMetric.set(metric, [...(byMetric.get(metric) ?? []), reason]);
  return [...byMetric].map(([metric, reasons]) => ({
    target: `metric:${metric}`,
    message: `${reasons.length === 1 ? 'a value was' : `${reasons.length} values were`} left out: ${reasons[0]}${reasons.length > 1 ? '; …' : ''}`,
  }));
}

export interface CoreOptions {
  readonly loaded: LoadedConfig;
  readonly log: Logger;
  readonly modules?: readonly SourceModule<any>[];
  readonly now?: () => number;
  readonly scheduler?: SchedulerOptions;
  /** How backfill waits (tests advance a fake clock) and how soon it retries a failure. */
  readonly backfill?: { readonly sleep?: Sleep; readonly retryBaseMs?: number; readonly retryMaxMs?: number };
  /** How remote-write pushes wait before a retry (tests shrink the waits). */
  readonly remoteWrite?: { readonly tuning?: Partial<SenderTuning> };
}

/** The outcome of one collection of one source. */
export interface RunReport {
  readonly source: string;
  readonly ok: boolean;
  /** False when some targets failed (see `errors`) or the whole run failed. */
  readonly complete: boolean;
  readonly startedAt: number;
  readonly durationMs: number;
  readonly samples: readonly Sample[];
  readonly errors: readonly TargetError[];
  /** The whole run's failure, in plain words (never a secret). */
  readonly error: string | null;
}

export interface SourceStatus extends JobStatus {
  readonly title: string;
  readonly targetErrors: readonly TargetError[];
  /** The last successful run's notes (CollectResult.notes): data a target cannot give, not a failure. */
  readonly targetNotes: readonly TargetError[];
}

interface ActiveSource {
  readonly module: SourceModule<any>;
  readonly source: Source;
  targetErrors: readonly TargetError[];
  targetNotes: readonly TargetError[];
}

export class FootprintCore extends EventEmitter {
  readonly store: HistoryStore;
  readonly exporter: MetricsExporter;
  readonly scheduler: Scheduler;
  /** Reads the sources' past in the background (and for `footprint backfill`). */
  readonly backfill: BackfillRunner;
  /** The configuration in force; replaced by reconfigure(). */
  loaded: LoadedConfig;
  readonly modules: readonly SourceModule<any>[];
  readonly log: Logger;
  private readonly now: () => number;
  private readonly active = new Map<string, ActiveSource>();
  /** One sender per remoteWrite receiver. */
  private remoteWriters: RemoteWriteSender[] = [];
  private readonly remoteWriteTuning: Partial<SenderTuning> | undefined;
  private started = false;
  /** The last time written to the store: stored times never go backwards, even when the system clock does. */
  private lastStoredAt = 0;

  constructor(options: CoreOptions) {
    super();
    const modules = options.modules ?? sourceModules;
    this.modules = modules;
    this.loaded = options.loaded;
    this.log = options.log;
    this.now = options.now ?? Date.now;
    this.remoteWriteTuning = options.remoteWrite?.tuning;
    const { storage } = options.loaded.config;
    this.store = openHistoryStore(options.loaded, { retentionMs: storage.retentionMs });
    try {
      this.exporter = new MetricsExporter({ modules, version: footprintVersion() });
      this.scheduler = new Scheduler({ ...options.scheduler, now: options.scheduler?.now ?? this.now });
      const backfill = options.loaded.config.backfill;
      this.backfill = new BackfillRunner({
        store: this.store,
        log: this.log,
        now: this.now,
        enabled: backfill.enabled,
        budgetShare: backfill.budgetShare,
        replanIntervalMs: backfill.replanIntervalMs,
        countRequest: (id, status) => this.exporter.countRequest(id, status),
        ...options.backfill,
      });
      this.backfill.on('progress', (progress: BackfillProgress) => this.emit('backfill', progress));
      this.backfill.on('history', (change: HistoryChange) => this.emit('history', change));
      this.scheduler.on('status', (status: JobStatus) => this.emit('status', this.describe(status)));
      this.exporter.remoteWrite.onState((state) => this.emit('remoteWrite', state));

      for (const module of modules) {
        const config = options.loaded.config.sources[module.id];
        if (config === undefined) continue;
        this.activate(module, config, module.create(config));
      }
      this.restore();
      this.remoteWriters = options.loaded.config.remoteWrite.map((target) => this.remoteWriter(target));
    } catch (error) {
      // Nothing half-built stays open: a host that cannot start lets go of the history file.
      this.store.close();
      throw error;
    }
  }

  private activate(module: SourceModule<any>, config: unknown, source: Source): void {
    this.active.set(module.id, { module, source, targetErrors: [], targetNotes: [] });
    // A source whose metrics the configuration names (`http:`) exposes exactly those.
    if (module.catalogue) this.exporter.setCatalogue(module.id, metricCatalogue(module, config));
    const settings = createHash('sha256').update(JSON.stringify(config)).digest('hex');
    this.backfill.setSource(module.id, source.backfill ? { id: module.id, title: module.title, backfiller: source.backfill, settings } : null);
  }

  /** The time to store a result at: now, unless the clock stepped back (NTP, a user's change) since the last write. */
  private storeTime(): number {
    this.lastStoredAt = Math.max(this.now(), this.lastStoredAt);
    return this.lastStoredAt;
  }

  /** Serves the last stored values at once, before the first new poll. */
  private restore(): void {
    const runs = new Map(this.store.sourceRuns().map((run) => [run.source, run]));
    for (const run of runs.values()) this.lastStoredAt = Math.max(this.lastStoredAt, run.lastAttempt ?? 0);
    for (const id of this.active.keys()) {
      this.exporter.registerSource(id);
      const run = runs.get(id);
      if (!run?.lastSuccess) continue;
      // Series seen in the last successful run are the current ones; older ones are history only.
      // /metrics shows what polls see: series only dated samples write are not restored into it.
      const points = this.store.latest({ source: id, polled: true, seenSince: run.lastCompleteSuccess ?? run.lastSuccess });
      this.exporter.restore(id, points.map((point) => ({ metric: point.metric, labels: point.labels, value: point.value })));
      this.exporter.setLastSuccess(id, run.lastSuccess);
      this.log.info({ source: id, series: points.length }, 'restored last stored values');
    }
  }

  private remoteWriter(target: RemoteWriteTarget): RemoteWriteSender {
    return new RemoteWriteSender({
      target,
      store: this.store,
      health: this.exporter.remoteWrite,
      log: this.log,
      now: this.now,
      series: () => this.sentSeries(),
      selfSamples: () => this.exporter.selfSamples(),
      userAgent: `Footprint/${footprintVersion()}`,
      ...(this.remoteWriteTuning ? { tuning: this.remoteWriteTuning } : {}),
    });
  }

  /**
   * What remote write sends: the series of configured sources, each value until two polls and a run's
   * deadline after the last poll that saw it (one missed poll is no gap; a series no poll sees any more ends).
   */
  private sentSeries(): SentSeries {
    const staleMsBySource = new Map([...this.active].map(([id, entry]) => [id, 2 * entry.source.intervalMs + runDeadlineMs(entry.source)]));
    const historyOnly = new Set(this.modules.flatMap((module) => module.metrics.filter((metric) => metric.historyOnly === true).map((metric) => metric.name)));
    return { staleMsBySource, historyOnly };
  }

  sourceIds(): string[] {
    return [...this.active.keys()];
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const id of this.active.keys()) this.schedule(id);
    this.scheduler.start();
    this.backfill.start();
    for (const writer of this.remoteWriters) writer.start();
  }

  private schedule(id: string): void {
    const entry = this.active.get(id)!;
    this.scheduler.add({
      id,
      intervalMs: entry.source.intervalMs,
      run: async (signal) => {
        const report = await this.collect(id, signal);
        if (!report.ok) throw report.failure;
      },
    });
  }

  /**
   * Applies a new configuration without a restart: sources whose section changed are rebuilt and polled
   * at once, removed ones stop (their history stays stored), unchanged ones keep their schedule.
   * Server and storage settings take effect at the next start.
   */
  async reconfigure(loaded: LoadedConfig): Promise<{ added: string[]; changed: string[]; removed: string[] }> {
    const added: string[] = [];
    const changed: string[] = [];
    const removed: string[] = [];
    for (const module of this.modules) {
      const before = this.loaded.config.sources[module.id];
      const after = loaded.config.sources[module.id];
      if (JSON.stringify(before) === JSON.stringify(after)) continue;
      if (this.active.has(module.id)) {
        if (this.started) await this.scheduler.remove(module.id);
        this.active.delete(module.id);
      }
      if (after === undefined) {
        this.backfill.setSource(module.id, null);
        this.exporter.unregisterSource(module.id);
        if (module.catalogue) this.exporter.setCatalogue(module.id, module.metrics);
        removed.push(module.id);
        continue;
      }
      this.activate(module, after, module.create(after));
      this.exporter.registerSource(module.id);
      if (this.started) this.schedule(module.id);
      (before === undefined ? added : changed).push(module.id);
    }
    if (JSON.stringify(this.loaded.config.remoteWrite) !== JSON.stringify(loaded.config.remoteWrite)) await this.replaceRemoteWriters(loaded.config.remoteWrite);
    this.loaded = loaded;
    this.log.info({ added, changed, removed }, 'configuration applied');
    this.emit('config');
    return { added, changed, removed };
  }

  /**
   * Newest values of the series the sources reported in their last successful run (older series are
   * history only), and of the series only dated samples write (a backfilled or daily history no poll
   * reports), with their newest dated value: `lastSeen` is that value's time.
   */
  currentLatest(filter: { source?: string; metric?: string } = {}) {
    const runs = new Map(this.store.sourceRuns().map((run) => [run.source, run]));
    return this.sourceIds()
      .filter((id) => filter.source === undefined || filter.source === id)
      .flatMap((id) => {
        const metric = filter.metric ? { metric: filter.metric } : {};
        const dated = this.store.latest({ source: id, ...metric, polled: false });
        const run = runs.get(id);
        if (!run?.lastSuccess) return dated;
        const polled = this.store.latest({ source: id, ...metric, polled: true, seenSince: run.lastCompleteSuccess ?? run.lastSuccess });
        return dated.length === 0 ? polled : [...polled, ...dated].sort((a, b) => a.metric.localeCompare(b.metric) || a.id - b.id);
      });
  }

  /** One collection of every configured source (or those given), in parallel, outside the scheduler (`collect --once`). */
  async collectOnce(signal: AbortSignal = new AbortController().signal, ids: readonly string[] = this.sourceIds()): Promise<RunReport[]> {
    return Promise.all(ids.map(async (id) => {
      const { failure: _failure, ...report } = await this.collect(id, signal);
      return report;
    }));
  }

  private async collect(id: string, signal: AbortSignal): Promise<RunReport & { failure?: unknown }> {
    if (!this.active.has(id)) throw new Error(`unknown source '${id}'`);
    // Backfill starts no step while the source polls, and plans after its first successful poll.
    this.backfill.pollStarted(id);
    let ok = false;
    try {
      const report = await this.collectRun(id, signal);
      ok = report.ok;
      return report;
    } finally {
      this.backfill.pollFinished(id, ok);
    }
  }

  private async collectRun(id: string, signal: AbortSignal): Promise<RunReport & { failure?: unknown }> {
    const entry = this.active.get(id);
    if (!entry) throw new Error(`unknown source '${id}'`);
    const startedAt = this.now();
    const log = this.log.child({ source: id });
    const deadlineMs = runDeadlineMs(entry.source);
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new RunDeadlineError(entry.module.title, id, deadlineMs)), deadlineMs);
    timer.unref();
    const runSignal = AbortSignal.any([signal, deadline.signal]);
    let result: CollectResult;
    try {
      const work = entry.source.collect({ log, signal: runSignal, countRequest: (status) => this.exporter.countRequest(id, status) });
      result = await settledBefore(work, runSignal);
    } catch (failure) {
      const targetErrors = failure instanceof TargetsFailedError ? failure.errors.map((error) => ({ target: error.target, message: redactSecrets(error.message) })) : null;
      return this.recordFailure(id, startedAt, failure, targetErrors);
    } finally {
      clearTimeout(timer);
    }

    const screened = this.exporter.screen(id, result.samples);
    const errors = [...result.errors, ...rejectionErrors(screened.rejected)].map((error) => ({ target: error.target, message: redactSecrets(error.message) }));
    const complete = errors.length === 0;
    const errorText = complete ? null : errors.map((error) => `${error.target}: ${error.message}`).join('; ');
    // Nothing to show for the run, whatever the source counted as collected (a property whose replies
    // all failed after its first call, say): a failed run, never "PARTIAL, 0 series".
    const nothingKept = screened.samples.length === 0 && (result.dated?.length ?? 0) === 0;
    if (!complete && (result.collected === 0 || nothingKept)) {
      // Not one target answered: a failed run (the scheduler backs off), each target's reason still listed.
      return this.recordFailure(id, startedAt, new TargetsFailedError(`nothing could be collected — ${errorText}`, errors), errors);
    }
    try {
      const finishedAt = this.storeTime();
      this.store.ingest(id, screened.samples, finishedAt);
      const dated = result.dated !== undefined && result.dated.length > 0 ? this.store.ingestDated(id, result.dated) : null;
      this.store.recordRun(id, { time: finishedAt, ok: true, complete, error: errorText });
      this.exporter.updateSource(id, screened.samples, { complete });
      this.exporter.recordRun(id, { ok: complete, finishedAt, durationMs: Math.max(0, finishedAt - startedAt), lastSuccessAt: finishedAt });
      entry.targetErrors = errors;
      entry.targetNotes = (result.notes ?? []).map((note) => ({ target: note.target, message: redactSecrets(note.message) }));
      // One line per distinct reason, its targets counted: 54 alike failures are not 54 warnings.
      for (const group of groupByMessage(errors)) {
        const count = group.targets.length;
        log.warn({ targets: group.targets.slice(0, 10), ...(count > 1 ? { count } : {}) }, count > 1 ? `${group.message} (× ${count})` : group.message);
      }
      log.info({ series: screened.samples.length, durationMs: Math.max(0, finishedAt - startedAt), failedTargets: errors.length }, 'collected');
      const report: RunReport = { source: id, ok: true, complete, startedAt, durationMs: Math.max(0, finishedAt - startedAt), samples: screened.samples, errors, error: null };
      this.emit('collected', report);
      if (dated !== null && dated.changedIds.length > 0) this.emit('history', { source: id, series: dated.changedIds } satisfies HistoryChange);
      return report;
    } catch (failure) {
      return this.recordFailure(id, startedAt, failure, null);
    }
  }

  /** A run that failed as a whole; `targetErrors` when it failed because every target did. */
  private recordFailure(id: string, startedAt: number, failure: unknown, targetErrors: readonly TargetError[] | null): RunReport & { failure: unknown } {
    const log = this.log.child({ source: id });
    const finishedAt = this.storeTime();
    const message = redactSecrets(failure instanceof Error ? failure.message : String(failure));
    this.store.recordRun(id, { time: finishedAt, ok: false, complete: false, error: message });
    const lastSuccessAt = this.store.sourceRuns().find((run) => run.source === id)?.lastSuccess ?? null;
    this.exporter.recordRun(id, { ok: false, finishedAt, durationMs: Math.max(0, finishedAt - startedAt), lastSuccessAt });
    const entry = this.active.get(id);
    if (entry && targetErrors) entry.targetErrors = targetErrors;
    if (targetErrors) log.error({ failedTargets: targetErrors }, 'collection failed: every target failed');
    else log.error({ err: failure }, 'collection failed');
    const report: RunReport = { source: id, ok: false, complete: false, startedAt, durationMs: Math.max(0, finishedAt - startedAt), samples: [], errors: targetErrors ?? [], error: message };
    this.emit('collected', report);
    return { ...report, failure };
  }

  refreshNow(id?: string): Promise<void> {
    return this.scheduler.refreshNow(id);
  }

  /** Pauses polling (of one source, or all), and with it backfill, which runs only beside active polling. */
  pause(id?: string): void {
    this.scheduler.pause(id);
    for (const source of id === undefined ? this.sourceIds() : [id]) this.backfill.setPollsPaused(source, true);
  }

  resume(id?: string): void {
    this.scheduler.resume(id);
    for (const source of id === undefined ? this.sourceIds() : [id]) this.backfill.setPollsPaused(source, false);
  }

  backfillProgress(id?: string): BackfillProgress[] {
    return this.backfill.progress(id);
  }

  pauseBackfill(id?: string): void {
    this.backfill.pause(id);
  }

  resumeBackfill(id?: string): void {
    this.backfill.resume(id);
  }

  rerunBackfill(id?: string): void {
    this.backfill.rerun(id);
  }

  status(): SourceStatus[] {
    return this.scheduler.status().map((status) => this.describe(status));
  }

  private describe(status: JobStatus): SourceStatus {
    const entry = this.active.get(status.id);
    return { ...status, title: entry?.module.title ?? status.id, targetErrors: entry?.targetErrors ?? [], targetNotes: entry?.targetNotes ?? [] };
  }

  /** New receivers from a new configuration: each continues from its cursor (kept per url). */
  private async replaceRemoteWriters(targets: readonly RemoteWriteTarget[]): Promise<void> {
    await Promise.all(this.remoteWriters.map((writer) => writer.stop()));
    for (const writer of this.remoteWriters) this.exporter.remoteWrite.unregister(writer.name);
    this.remoteWriters = targets.map((target) => this.remoteWriter(target));
    if (this.started) for (const writer of this.remoteWriters) writer.start();
  }

  async close(): Promise<void> {
    await Promise.all(this.remoteWriters.map((writer) => writer.stop()));
    await this.backfill.stop();
    await this.scheduler.stop();
    this.store.close();
  }
}
