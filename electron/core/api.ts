// The core behind the UI: one implementation of the shared FootprintApi, served over HTTP (headless)
// and over IPC (Electron). Everything here reads what polls stored; nothing calls an external API
// except testConnection, which the user asks for.
import { EventEmitter } from 'node:events';
import os from 'node:os';
import type {
  AppInfo, ConnectionTest, EditableConfig, FootprintApi, LatestSeries, LiveEvent, RangeRequest, RangeResult,
  SaveResult, SeriesChanges, SourceHealth, SourceInfo, SourceSettings,
} from '../../shared/api.js';
import { configEditProblem, editSourceSettings, readSourceSettings, saveSourceSettings, type TypedReferences } from './config/config-file.js';
import { defaultDataDir } from './config/paths.js';
import type { FootprintCore, RunReport, SourceStatus } from './core.js';
import { redactSecrets } from './secrets.js';
import { StoreError, type LatestPoint } from './store/history-store.js';
import { footprintVersion } from './version.js';

/** A request the API refuses, with the HTTP status that says why. */
export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

export interface CoreApiOptions {
  /** Where /metrics is served, or null when off; a function because the port is known only once listening. */
  readonly metricsUrl: () => string | null;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly secretStorageWarning?: string | null;
  /** How long "Test connection" may take. */
  readonly testTimeoutMs?: number;
}

/** Overview and Glance ask for every headline series at once: allow thousands, but bound the work per request. */
const MAX_SERIES = 5_000;
const MAX_RANGE_POINTS = 10_000;
const MAX_RANGE_VALUES = 2_000_000;

function toLatest(point: LatestPoint): LatestSeries {
  return { id: point.id, source: point.source, metric: point.metric, labels: point.labels, value: point.value, since: point.since, lastSeen: point.lastSeen };
}

function requireIds(value: unknown, what: string): number[] {
  if (!Array.isArray(value) || value.some((id) => !Number.isSafeInteger(id))) throw new ApiError(400, `${what} must be a list of series ids (numbers)`);
  if (value.length > MAX_SERIES) throw new ApiError(400, `${what}: at most ${MAX_SERIES} series at once, got ${value.length}`);
  return value as number[];
}

/** The store refuses what the request got wrong (an unknown series id): a 400, not a server error. */
function asApiError<T>(query: () => T): T {
  try {
    return query();
  } catch (error) {
    if (error instanceof StoreError) throw new ApiError(400, error.message);
    throw error;
  }
}

export class CoreApi implements FootprintApi {
  private readonly core: FootprintCore;
  private readonly options: CoreApiOptions;
  private readonly events = new EventEmitter();

  constructor(core: FootprintCore, options: CoreApiOptions) {
    this.core = core;
    this.options = options;
    this.events.setMaxListeners(0); // one listener per open window or browser tab
    core.on('collected', (report: RunReport) => {
      if (!report.ok) return;
      const latest = this.core.currentLatest({ source: report.source }).map(toLatest);
      this.emit({ type: 'samples', source: report.source, time: report.startedAt + report.durationMs, latest });
    });
    core.on('status', (status: SourceStatus) => this.emit({ type: 'health', health: this.toHealth(status) }));
    core.on('config', () => this.emit({ type: 'config', sources: this.sourceInfos() }));
  }

  private emit(event: LiveEvent): void {
    this.events.emit('event', event);
  }

  private get env() {
    return this.options.env ?? process.env;
  }

  async info(): Promise<AppInfo> {
    const { loaded } = this.core;
    const problem = configEditProblem(loaded);
    return {
      version: footprintVersion,
      metricsUrl: this.options.metricsUrl(),
      configFile: loaded.file,
      defaultConfigFile: loaded.defaultFile,
      canEditConfig: problem === null,
      secretStorageWarning: this.options.secretStorageWarning ?? (problem ? `Settings are read-only: ${problem}` : null),
    };
  }

  private sourceInfos(): SourceInfo[] {
    const configured = new Set(this.core.sourceIds());
    return this.core.modules.map((module) => ({ id: module.id, title: module.title, metrics: module.metrics, configured: configured.has(module.id), ui: module.ui ?? null }));
  }

  async sources(): Promise<SourceInfo[]> {
    return this.sourceInfos();
  }

  async latest(filter: { source?: string; metric?: string } = {}): Promise<LatestSeries[]> {
    if (filter === null || typeof filter !== 'object') throw new ApiError(400, 'latest: the filter must be an object like {"source":"github"}');
    return this.core.currentLatest(filter).map(toLatest);
  }

  async range(request: RangeRequest): Promise<RangeResult> {
    const ids = requireIds(request?.series, 'range: series');
    const { start, end, points } = request;
    if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) throw new ApiError(400, 'range: start and end must be epoch milliseconds with start < end');
    if (!Number.isInteger(points) || points < 2 || points > MAX_RANGE_POINTS) throw new ApiError(400, `range: points must be a whole number from 2 to ${MAX_RANGE_POINTS}`);
    if (ids.length * points > MAX_RANGE_VALUES) throw new ApiError(400, `range: ${ids.length} series × ${points} points is over ${MAX_RANGE_VALUES} values — ask for fewer points or series`);
    const step = Math.max(1, Math.floor((end - start) / (points - 1)));
    // The last point lands exactly on `end`, so a value stored just before it is on the chart.
    const last = Math.floor(end);
    const first = Math.max(Math.ceil(start), last - (points - 1) * step);
    const result = asApiError(() => this.core.store.range(ids, { start: first, end: last, step }));
    return { series: result.map((series) => ({ id: series.series.id, times: series.times, values: series.values })) };
  }

  async changes(series: readonly number[], windowsMs: readonly number[]): Promise<SeriesChanges[]> {
    const ids = requireIds(series, 'changes: series');
    if (!Array.isArray(windowsMs) || windowsMs.length === 0 || windowsMs.some((ms) => !Number.isFinite(ms) || ms <= 0)) {
      throw new ApiError(400, 'changes: windows must be a list of positive durations in milliseconds, e.g. [86400000]');
    }
    return asApiError(() => this.core.store.changes(ids, windowsMs, Date.now())).map((change) => ({ id: change.seriesId, latest: change.latest, changes: change.changes }));
  }

  private toHealth(status: SourceStatus): SourceHealth {
    const module = this.core.modules.find((candidate) => candidate.id === status.id);
    let apiBudget: SourceHealth['apiBudget'] = null;
    if (module?.budget) {
      const latest = new Map(this.core.currentLatest({ source: module.id }).map((point) => [point.metric, point.value]));
      const limit = latest.get(module.budget.limit);
      const remaining = latest.get(module.budget.remaining);
      const reset = module.budget.resetSeconds ? latest.get(module.budget.resetSeconds) : undefined;
      if (limit !== undefined && remaining !== undefined) apiBudget = { limit, remaining, resetAt: reset === undefined ? null : reset * 1000 };
    }
    return {
      id: status.id,
      title: status.title,
      state: status.state,
      intervalMs: status.intervalMs,
      lastRunAt: status.lastRunAt,
      lastSuccessAt: status.lastSuccessAt ?? this.core.store.sourceRuns().find((run) => run.source === status.id)?.lastSuccess ?? null,
      nextRunAt: status.nextRunAt,
      lastError: status.lastError === null ? null : redactSecrets(status.lastError),
      consecutiveFailures: status.consecutiveFailures,
      failedTargets: status.targetErrors,
      apiBudget,
    };
  }

  async health(): Promise<SourceHealth[]> {
    return this.core.status().map((status) => this.toHealth(status));
  }

  private fileContext() {
    const homedir = os.homedir();
    return { loaded: this.core.loaded, env: this.env, dataDir: defaultDataDir(this.env, process.platform, homedir), homedir };
  }

  async config(): Promise<EditableConfig> {
    return { sources: readSourceSettings(this.core.loaded, this.core.modules) };
  }

  async saveSource(source: string, settings: SourceSettings | null): Promise<SaveResult> {
    return this.save(source, settings, new Map());
  }

  /**
   * saveSource for the desktop app: `typed` names the fields whose value the user typed this time and
   * the app's vault replaced by its own ${FOOTPRINT_SECRET_…} reference (a typed secret, not a carried
   * one). Not part of FootprintApi, so neither HTTP nor IPC callers can claim a reference was typed.
   */
  async saveSourceFromVault(source: string, settings: SourceSettings | null, typed: TypedReferences): Promise<SaveResult> {
    return this.save(source, settings, typed);
  }

  private async save(source: string, settings: SourceSettings | null, typed: TypedReferences): Promise<SaveResult> {
    if (!this.core.modules.some((module) => module.id === source)) throw new ApiError(400, `saveSource: unknown source "${source}"`);
    const result = saveSourceSettings(this.fileContext(), source, settings, typed);
    if (!result.ok) return { ok: false, issues: result.issues.map((issue) => ({ path: issue.path, message: redactSecrets(issue.message) })) };
    await this.core.reconfigure(result.loaded!);
    return { ok: true };
  }

  async testConnection(source: string, settings: SourceSettings): Promise<ConnectionTest> {
    const module = this.core.modules.find((candidate) => candidate.id === source);
    if (!module) throw new ApiError(400, `testConnection: unknown source "${source}"`);
    if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) return { ok: false, message: `${source}: settings must be a mapping of keys to values` };
    // Checked and validated exactly as saving would, with stored secrets put back, but nothing is written.
    const edit = editSourceSettings(this.fileContext(), source, settings);
    if (!edit.ok) return { ok: false, message: redactSecrets(edit.issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('\n')) };
    const config = edit.loaded.config.sources[source];
    const signal = AbortSignal.timeout(this.options.testTimeoutMs ?? 30_000);
    try {
      const result = await module.create(config).collect({ log: this.core.log.child({ source, test: true }), signal, countRequest: () => {} });
      if (result.errors.length > 0) {
        return { ok: false, message: result.errors.map((error) => `${error.target}: ${redactSecrets(error.message)}`).join('\n') };
      }
      return { ok: true, message: `Connected to ${module.title}: ${result.samples.length} values read.` };
    } catch (error) {
      const message = signal.aborted ? `${module.title} did not answer within ${(this.options.testTimeoutMs ?? 30_000) / 1000} s` : error instanceof Error ? error.message : String(error);
      return { ok: false, message: redactSecrets(message) };
    }
  }

  private requireSource(method: string, source: string | undefined): void {
    if (source !== undefined && !this.core.sourceIds().includes(source)) throw new ApiError(400, `${method}: "${source}" is not a configured source`);
  }

  async refresh(source?: string): Promise<void> {
    this.requireSource('refresh', source);
    await this.core.refreshNow(source);
  }

  async pause(source?: string): Promise<void> {
    this.requireSource('pause', source);
    this.core.pause(source);
  }

  async resume(source?: string): Promise<void> {
    this.requireSource('resume', source);
    this.core.resume(source);
  }

  subscribe(onEvent: (event: LiveEvent) => void): () => void {
    this.events.on('event', onEvent);
    return () => this.events.off('event', onEvent);
  }
}
