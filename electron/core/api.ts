// The core behind the UI: one implementation of the shared FootprintApi, served over HTTP (headless)
// and over IPC (Electron). Everything here reads what polls stored; nothing calls an external API
// except testConnection, which the user asks for.
import { collapseRepeats } from '../../shared/repeats.js';
import { EventEmitter } from 'node:events';
import os from 'node:os';
import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  READ_LIMITS,
  type AppInfo, type BackfillProgress, type KeyFileResult, type ChartMarker, type ConnectionTest, type EditableConfig, type FootprintApi, type HistoryChange, type LatestSeries,
  type LiveEvent, type MarkersRequest, type RangeRequest, type RangeResult, type RangeSumsRequest, type RangeSumsResult, type SaveResult, type SeriesChanges, type RemoteWriteStatus, type SourceHealth,
  type SourceInfo, type SectionSettings,
} from '../../shared/api.js';
import { configEditProblem, editSourceSettings, SETTINGS_SHAPE, keyFilePath, readSourceSettings, saveSourceSettings, writePrivateFile, type TypedReferences } from './config/config-file.js';
import { defaultDataDir } from './config/paths.js';
import type { FootprintCore, RunReport, SourceStatus } from './core.js';
import { ApiError } from './api-error.js';
import { apiBudgetOf, pollBudgetMessage, pollBudgetShortfalls } from './api-budget.js';
import { changeSlices, checkLatestFilter, checkMarkersRequest, checkRange, checkRangeSums, checkSeriesIds, checkWindows, rangeGrid, rangeSlices, sumSlices } from './read-requests.js';
import type { CheckedRange } from './read-requests.js';
import { ReadQueue } from './read-queue.js';
import { redactSecrets, registerSecrets } from './secrets.js';
import { metricCatalogue, SourceConfigError, sourceUiOf } from './source.js';
import { StoreError, type LatestPoint } from './store/history-store.js';
import { footprintVersion } from './version.js';
import { addRangeSums } from '../../shared/range-sums.js';
import { headlineSpecFor } from '../../shared/headlines.js';
import { composeOverview, type OverviewResult } from '../../shared/overview.js';
import { MAX_LISTED_PROBLEMS } from './backfill/progress.js';

export { ApiError };

export interface CoreApiOptions {
  /** Where /metrics is served, or null when off; a function because the port is known only once listening. */
  readonly metricsUrl: () => string | null;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly secretStorageWarning?: string | null;
  /** How long "Test connection" may take. */
  readonly testTimeoutMs?: number;
}

/**
 * Composed Overview cards are answered as they are for OVERVIEW_FRESH_MS while nothing is stored;
 * until OVERVIEW_KEEP_MS they are still answered at once, and composed again behind the answer for
 * the next ask. Only their windows (24 h, 7 d, 30 d) slide meanwhile: the values are the last poll's.
 * Composing them at 10,000 repositories takes ~0.6 s of the core's time, too long to do again for
 * each dashboard that opens (issue 15: the Overview's first render in under 1 s).
 */
const OVERVIEW_FRESH_MS = 5 * 60_000;
const OVERVIEW_KEEP_MS = 60 * 60_000;

interface ComposedOverview {
  readonly cards: Promise<OverviewResult>;
  /** CoreApi.generation when it was composed. */
  readonly generation: number;
  readonly at: number;
}

/** Range and changes reads running at once, and waiting for their turn (see read-queue.ts). */
const READS_RUNNING = 2;
const READS_WAITING = 32;

function toLatest(point: LatestPoint): LatestSeries {
  return { id: point.id, source: point.source, metric: point.metric, labels: point.labels, value: point.value, since: point.since, lastSeen: point.lastSeen };
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
  private readonly reads = new ReadQueue(READS_RUNNING, READS_WAITING);
  /** Bumped by everything that changes what overview() reads: a poll, stored history, the configuration. */
  private generation = 0;
  /** The Overview as last composed (or being composed), for the generation it read. */
  private composed: ComposedOverview | null = null;
  /** Cards being composed behind answered ones that have aged (see OVERVIEW_FRESH_MS). */
  private recomposing: ComposedOverview | null = null;

  constructor(core: FootprintCore, options: CoreApiOptions) {
    this.core = core;
    this.options = options;
    this.events.setMaxListeners(0); // one listener per open window or browser tab
    core.on('collected', (report: RunReport) => {
      // A failed run stored nothing (the last success stays), so the cards stand.
      if (!report.ok) return;
      // Before the samples event: a dashboard that reads the cards on it gets those composed after this poll.
      this.historyChanged(true);
      const latest = this.core.currentLatest({ source: report.source }).map(toLatest);
      this.emit({ type: 'samples', source: report.source, time: report.startedAt + report.durationMs, latest });
    });
    core.on('status', (status: SourceStatus) => this.emit({ type: 'health', health: this.toHealth(status) }));
    core.on('config', () => {
      this.historyChanged(false);
      this.emit({ type: 'config', sources: this.sourceInfos() });
    });
    core.on('backfill', (progress: BackfillProgress) => this.emit({ type: 'backfill', progress }));
    core.on('remoteWrite', (status: RemoteWriteStatus) => this.emit({ type: 'remoteWrite', status }));
    core.on('history', (change: HistoryChange) => {
      this.historyChanged(false);
      this.emit({ type: 'history', ...change });
    });
  }

  /**
   * What overview() read has changed: after a poll the cards are composed again at once, so the ask
   * that follows the poll's samples event (or the next dashboard opened) finds them ready or under
   * way; after a change of stored history or configuration, on the next ask.
   */
  private historyChanged(recompose: boolean): void {
    this.generation++;
    this.composed = null;
    this.recomposing = null;
    if (recompose) this.composeAhead();
  }

  /**
   * Composes the Overview's cards before anyone asks (at start, and after each poll), so the first
   * dashboard that opens finds them ready: composing takes longer than the render itself at 10,000
   * repositories (issue 15). Nothing to compose without a configured source.
   */
  composeAhead(): void {
    if (this.composed !== null || !this.sourceInfos().some((source) => source.configured)) return;
    this.overview().catch(() => undefined);
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
      version: footprintVersion(),
      metricsUrl: this.options.metricsUrl(),
      configFile: loaded.file,
      defaultConfigFile: loaded.defaultFile,
      canEditConfig: problem === null,
      secretStorageWarning: this.options.secretStorageWarning ?? (problem ? `Settings are read-only: ${problem}` : null),
      secretStore: 'config-file',
    };
  }

  private sourceInfos(): SourceInfo[] {
    const configured = new Set(this.core.sourceIds());
    const { sources } = this.core.loaded.config;
    return this.core.modules.map((module) => {
      // A configured source's own catalogue and cards (user-defined metrics depend on its section).
      const config = configured.has(module.id) ? sources[module.id] : undefined;
      return { id: module.id, title: module.title, metrics: metricCatalogue(module, config), configured: configured.has(module.id), ui: sourceUiOf(module, config) ?? null };
    });
  }

  async sources(): Promise<SourceInfo[]> {
    return this.sourceInfos();
  }

  async latest(filter?: { source?: string; metric?: string }): Promise<LatestSeries[]> {
    return this.core.currentLatest(checkLatestFilter(filter)).map(toLatest);
  }

  async range(request: RangeRequest): Promise<RangeResult> {
    return this.readRange(checkRange(request));
  }

  async rangeSums(request: RangeSumsRequest): Promise<RangeSumsResult> {
    const checked = checkRangeSums(request);
    return this.readRangeSums(checked.groups, checked);
  }

  /** Sampled as range() samples, summed by the store: the answer is one array per group, not per series. */
  private readRangeSums(groups: readonly (readonly number[])[], { ids, start, step, points }: CheckedRange): Promise<RangeSumsResult> {
    return this.reads.run(async () => {
      const parts: RangeSumsResult[] = [];
      const query = { start, end: start + (points - 1) * step, step };
      for (const slice of sumSlices(ids, points)) {
        const inSlice = new Set(slice);
        parts.push(asApiError(() => this.core.store.rangeSums(groups.map((group) => group.filter((id) => inSlice.has(id))), query)));
        await nextTurn();
      }
      return addRangeSums(parts, groups.length);
    });
  }

  private readRange({ ids, start, step, points }: CheckedRange): Promise<RangeResult> {
    return this.reads.run(async () => {
      const series: { id: number; times: number[]; values: (number | null)[] }[] = [];
      for (const slice of rangeSlices(ids, points)) {
        const query = { start: start + slice.from * step, end: start + (slice.from + slice.points - 1) * step, step };
        for (const part of asApiError(() => this.core.store.range(slice.ids, query))) {
          if (slice.from === 0) {
            series.push({ id: part.series.id, times: part.times, values: part.values });
          } else {
            // The next stretch of the long series sliced last (its arrays are its own).
            const whole = series[series.length - 1]!;
            whole.times.push(...part.times);
            whole.values.push(...part.values);
          }
        }
        await nextTurn();
      }
      return { series };
    });
  }

  /**
   * The Overview's cards, composed here next to the store: the latest values and changes of
   * thousands of series stay in the core, and about a hundred cards travel.
   */
  overview(): Promise<OverviewResult> {
    const now = Date.now();
    const cached = this.composed;
    if (cached && cached.generation === this.generation && now - cached.at < OVERVIEW_KEEP_MS) {
      if (now - cached.at >= OVERVIEW_FRESH_MS && this.recomposing === null) {
        const entry = this.startComposing(now);
        this.recomposing = entry;
        entry.cards.then(
          () => {
            if (this.composed === cached && this.recomposing === entry) this.composed = entry;
          },
          () => undefined,
        ).finally(() => {
          if (this.recomposing === entry) this.recomposing = null;
        });
      }
      return cached.cards;
    }
    const entry = this.startComposing(now);
    this.composed = entry;
    return entry.cards;
  }

  private startComposing(now: number): ComposedOverview {
    const entry = { cards: this.composeOverview(now), generation: this.generation, at: now };
    // A failure is not kept: the next ask tries again.
    entry.cards.catch(() => {
      if (this.composed === entry) this.composed = null;
    });
    return entry;
  }

  private async composeOverview(now: number): Promise<OverviewResult> {
    const sources = this.sourceInfos();
    // Only the headline metrics' series: every latest value is ~150,000 series at 10,000 repositories.
    const latest = sources.filter((source) => source.configured).flatMap((source) => {
      const metrics = new Set(headlineSpecFor(source)?.metrics.map((headline) => headline.metric) ?? []);
      // As the store answers them: toLatest's copies (which leave firstSeen out of answers) are not needed here.
      return [...metrics].flatMap((metric) => this.core.currentLatest({ source: source.id, metric }));
    });
    return composeOverview(sources, latest, {
      changes: (ids, windowsMs) => this.readChanges(ids, windowsMs, now),
      rangeSums: ({ groups, start, end, points }) => this.readRangeSums(groups, rangeGrid([...new Set(groups.flat())], start, end, points)),
    }, now);
  }

  async changes(series: readonly number[], windowsMs: readonly number[]): Promise<SeriesChanges[]> {
    return this.readChanges(checkSeriesIds(series, 'changes: series'), checkWindows(windowsMs), Date.now());
  }

  /** Changes of any number of series, read in slices that leave room for other requests in between. */
  private readChanges(ids: readonly number[], windows: readonly number[], now: number): Promise<SeriesChanges[]> {
    return this.reads.run(async () => {
      const result: SeriesChanges[] = [];
      for (const slice of changeSlices(ids, windows.length)) {
        for (const change of asApiError(() => this.core.store.changes(slice, windows, now))) {
          result.push({ id: change.seriesId, latest: change.latest, changes: change.changes });
        }
        await nextTurn();
      }
      return result;
    });
  }

  private toHealth(status: SourceStatus): SourceHealth {
    const module = this.core.modules.find((candidate) => candidate.id === status.id);
    // Only the budget metrics: the whole source's latest values are ~150,000 series at 10,000 repositories.
    const budgetMetrics = module?.budget ? Object.values(module.budget).filter((metric) => metric !== undefined) : [];
    const latest = budgetMetrics.flatMap((metric) => this.core.currentLatest({ source: status.id, metric }));
    const apiBudget = module?.budget ? apiBudgetOf(latest, module.budget) : null;
    const shortfalls = module?.budget ? pollBudgetShortfalls(latest, module.budget, status.intervalMs) : [];
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
      ...(status.targetNotes.length > 0 ? { notes: status.targetNotes.slice(0, MAX_LISTED_PROBLEMS), moreNotes: Math.max(0, status.targetNotes.length - MAX_LISTED_PROBLEMS) } : {}),
      apiBudget,
      ...(shortfalls.length > 0 ? { budgetWarning: shortfalls.map((shortfall) => pollBudgetMessage(status.id, shortfall)).join('; ') } : {}),
    };
  }

  async health(): Promise<SourceHealth[]> {
    return this.core.status().map((status) => this.toHealth(status));
  }

  async remoteWrite(): Promise<RemoteWriteStatus[]> {
    return this.core.exporter.remoteWrite.states();
  }

  private fileContext() {
    const homedir = os.homedir();
    return { loaded: this.core.loaded, env: this.env, dataDir: defaultDataDir(this.env, process.platform, homedir), homedir };
  }

  async config(): Promise<EditableConfig> {
    return { sources: readSourceSettings(this.core.loaded, this.core.modules) };
  }

  async saveSource(source: string, settings: SectionSettings | null): Promise<SaveResult> {
    return this.save(source, settings, new Map());
  }

  /**
   * saveSource for the desktop app: `typed` names the fields whose value the user typed this time and
   * the app's vault replaced by its own ${FOOTPRINT_SECRET_…} reference (a typed secret, not a carried
   * one). Not part of FootprintApi, so neither HTTP nor IPC callers can claim a reference was typed.
   */
  async saveSourceFromVault(source: string, settings: SectionSettings | null, typed: TypedReferences): Promise<SaveResult> {
    return this.save(source, settings, typed);
  }

  private async save(source: string, settings: SectionSettings | null, typed: TypedReferences): Promise<SaveResult> {
    if (!this.core.modules.some((module) => module.id === source)) throw new ApiError(400, `saveSource: unknown source "${source}"`);
    const result = saveSourceSettings(this.fileContext(), source, settings, typed);
    if (!result.ok) return { ok: false, issues: result.issues.map((issue) => ({ path: issue.path, message: redactSecrets(issue.message) })) };
    await this.core.reconfigure(result.loaded!);
    return { ok: true };
  }

  async testConnection(source: string, settings: SectionSettings): Promise<ConnectionTest> {
    const module = this.core.modules.find((candidate) => candidate.id === source);
    if (!module) throw new ApiError(400, `testConnection: unknown source "${source}"`);
    if (settings === null || typeof settings !== 'object') return { ok: false, message: `${source}: ${SETTINGS_SHAPE}` };
    // Checked and validated exactly as saving would, with stored secrets put back, but nothing is written.
    const edit = editSourceSettings(this.fileContext(), source, settings);
    if (!edit.ok) return { ok: false, message: redactSecrets(edit.issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('\n')) };
    const config = edit.loaded.config.sources[source];
    const signal = AbortSignal.timeout(this.options.testTimeoutMs ?? 30_000);
    try {
      const created = module.create(config);
      const ctx = { log: this.core.log.child({ source, test: true }), signal, countRequest: () => {} };
      const result = await created.collect(ctx);
      const listed = (items: readonly { target: string; message: string }[]) => collapseRepeats(items.map((item) => `${item.target}: ${redactSecrets(item.message)}`), '\n');
      if (result.errors.length > 0) {
        // What was read, then each failed target: a test that half worked does not read as "Connected" alone.
        const failed = `${result.errors.length} target${result.errors.length === 1 ? '' : 's'} failed`;
        const head = result.samples.length > 0 ? `${module.title} answered (${result.samples.length} values read), but ${failed}:` : `${module.title}: ${failed}:`;
        return { ok: false, message: `${head}\n${listed(result.errors)}` };
      }
      const read = `Connected to ${module.title}: ${result.samples.length} values read.`;
      // Who and how much budget: a courtesy line, so its failure does not fail a test that worked.
      const detail = created.describeConnection ? await created.describeConnection(ctx).catch(() => null) : null;
      const notes = result.notes && result.notes.length > 0 ? `\nNotes (not failures):\n${listed(result.notes)}` : '';
      return { ok: true, message: redactSecrets(`${detail ? `${read} ${detail}` : read}${notes}`) };
    } catch (error) {
      const message = signal.aborted ? `${module.title} did not answer within ${(this.options.testTimeoutMs ?? 30_000) / 1000} s` : error instanceof Error ? error.message : String(error);
      return { ok: false, message: redactSecrets(message) };
    }
  }

  async uploadKeyFile(source: string, text: string): Promise<KeyFileResult> {
    const module = this.core.modules.find((candidate) => candidate.id === source);
    if (!module?.keyFile) {
      const given = (JSON.stringify(source) ?? String(source)).slice(0, 60);
      throw new ApiError(400, `uploadKeyFile: ${given} has no key file to upload — use one of: ${this.core.modules.filter((item) => item.keyFile).map((item) => item.id).join(', ')}`);
    }
    if (typeof text !== 'string') throw new ApiError(400, 'uploadKeyFile: the key file must be sent as text');
    const { key, fileName } = module.keyFile;
    const issue = (message: string): KeyFileResult => ({ ok: false, issues: [{ path: `${source}.${key}`, message: redactSecrets(message) }] });
    const problem = configEditProblem(this.core.loaded);
    if (problem !== null) return issue(`Settings are read-only: ${problem}`);
    let checked: ReturnType<typeof module.keyFile.check>;
    try {
      checked = module.keyFile.check(text, 'the uploaded file');
    } catch (error) {
      if (error instanceof SourceConfigError) return issue(error.message);
      throw error;
    }
    // A secret from now on: masked wherever it could show, before it is anywhere on disk.
    registerSecrets(checked.secrets);
    writePrivateFile(keyFilePath(this.core.loaded, fileName), text);
    return { ok: true, path: `./${fileName}`, account: checked.account };
  }

  private requireSource(method: string, source: string | undefined): void {
    if (source === undefined || this.core.sourceIds().includes(source)) return;
    // Named as given, but never echoed at length (the body may be a megabyte).
    const shown = JSON.stringify(source) ?? String(source);
    const given = shown.length > 60 ? `${shown.slice(0, 60)}…` : shown;
    throw new ApiError(400, `${method}: ${given} is not a configured source — use one of: ${this.core.sourceIds().join(', ') || 'none is configured'}`);
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

  async backfill(): Promise<BackfillProgress[]> {
    return this.core.backfillProgress();
  }

  /** A source named for backfill must be configured and able to read its past. */
  private requireBackfillSource(method: string, source: string | undefined): void {
    this.requireSource(method, source);
    if (source === undefined || this.core.backfill.sources().includes(source)) return;
    throw new ApiError(400, `${method}: ${source} cannot read its past — sources that can: ${this.core.backfill.sources().join(', ') || 'none is configured'}`);
  }

  async pauseBackfill(source?: string): Promise<void> {
    this.requireBackfillSource('pauseBackfill', source);
    this.core.pauseBackfill(source);
  }

  async resumeBackfill(source?: string): Promise<void> {
    this.requireBackfillSource('resumeBackfill', source);
    this.core.resumeBackfill(source);
  }

  async rerunBackfill(source?: string): Promise<void> {
    this.requireBackfillSource('rerunBackfill', source);
    this.core.rerunBackfill(source);
  }

  async markers(request: MarkersRequest): Promise<ChartMarker[]> {
    const query = checkMarkersRequest(request);
    const found = asApiError(() => this.core.store.markers({ ...query, limit: READ_LIMITS.markers }));
    if (found.more) {
      throw new ApiError(400, `markers: more than ${READ_LIMITS.markers.toLocaleString('en-US')} markers of ${query.source} between start and end — ask for a shorter range or name the series' labels`);
    }
    return found.markers;
  }

  subscribe(onEvent: (event: LiveEvent) => void): () => void {
    this.events.on('event', onEvent);
    return () => this.events.off('event', onEvent);
  }
}
