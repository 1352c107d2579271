// An in-memory FootprintApi (as the renderer's FootprintClient) for renderer tests. It answers like
// the core: latest values, range() sampled from point histories the way the history store samples
// (the newest point at or before each step time), changes() against the value one window ago (or
// the first point when the series is younger). Tests push live events with emit(), make a method
// fail or hang, and read every call back from `calls` (to prove a view did not fetch again).
import type {
  AppInfo,
  BackfillProgress,
  ChartMarker,
  ConnectionTest,
  KeyFileResult,
  EditableConfig,
  FootprintApi,
  LatestSeries,
  LiveEvent,
  MarkersRequest,
  RangeRequest,
  RangeResult,
  RangeSumsRequest,
  RangeSumsResult,
  SaveResult,
  SeriesChanges,
  RemoteWriteStatus,
  SourceHealth,
  SourceInfo,
  SectionSettings,
} from '../../shared/api.js';
import type { Labels } from '../../shared/metrics.js';
import type { ConnectionState, FootprintClient, TokenStore } from '../../renderer/api/footprint-client.js';
import { sumRange } from '../../shared/range-sums.js';
import { composeOverview, type OverviewResult } from '../../shared/overview.js';
import { sourceModules } from '../../electron/core/sources/registry.js';

type Method = Exclude<keyof FootprintApi, 'subscribe'>;

export interface Point {
  readonly time: number;
  readonly value: number;
}

export interface FakeApiState {
  info?: Partial<AppInfo>;
  /** Which sources have a config section; the catalogue is the real one from the registry. */
  configured?: readonly string[];
  sources?: SourceInfo[];
  latest?: LatestSeries[];
  /** Points per series id, oldest first; a series without history is flat at its latest value since `since`. */
  history?: Record<number, readonly Point[]>;
  health?: SourceHealth[];
  remoteWrite?: RemoteWriteStatus[];
  config?: EditableConfig;
  backfill?: BackfillProgress[];
  /** Every marker; markers() answers those of the source, labels and range asked for. */
  markers?: (ChartMarker & { readonly source: string })[];
}

export function sourceInfos(configured: readonly string[]): SourceInfo[] {
  return sourceModules.map((module) => ({ id: module.id, title: module.title, metrics: module.metrics, configured: configured.includes(module.id), ui: module.ui ?? null }));
}

let nextId = 1;

/** A series as latest() lists it; `at` is when it was last seen. */
export function series(source: string, metric: string, labels: Labels, value: number, at: number, id = nextId++): LatestSeries {
  return { id, source, metric, labels, value, since: at, lastSeen: at };
}

export function healthOf(id: string, overrides: Partial<SourceHealth> = {}): SourceHealth {
  const module = sourceModules.find((item) => item.id === id);
  return {
    id,
    title: module?.title ?? id,
    state: 'idle',
    intervalMs: 600_000,
    lastRunAt: null,
    lastSuccessAt: null,
    nextRunAt: null,
    lastError: null,
    consecutiveFailures: 0,
    failedTargets: [],
    apiBudget: null,
    ...overrides,
  };
}

interface Deferred {
  readonly promise: Promise<void>;
  release(): void;
}

function deferred(): Deferred {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { promise, release };
}

export class FakeApi implements FootprintClient {
  readonly calls: { method: Method; args: unknown[] }[] = [];
  /** What overview() read to compose its cards, as the core reads its store (not calls of the client). */
  readonly overviewReads: { changes: [number[], number[]][]; rangeSums: RangeSumsRequest[] } = { changes: [], rangeSums: [] };
  infoValue: AppInfo;
  sourcesValue: SourceInfo[];
  latestValue: LatestSeries[];
  history: Record<number, readonly Point[]>;
  healthValue: SourceHealth[];
  remoteWriteValue: RemoteWriteStatus[];
  configValue: EditableConfig;
  backfillValue: BackfillProgress[];
  markersValue: (ChartMarker & { readonly source: string })[];
  /** What saveSource answers; by default it accepts and stores the section. */
  onSave: (source: string, settings: SectionSettings | null) => SaveResult = (source, settings) => {
    const sources = { ...this.configValue.sources };
    if (settings === null) delete sources[source];
    else sources[source] = settings;
    this.configValue = { sources };
    return { ok: true };
  };
  onTest: (source: string, settings: SectionSettings) => ConnectionTest = () => ({ ok: true, message: 'Connected' });
  onUpload: (source: string, text: string) => KeyFileResult = () => ({ ok: true, path: './ga4-service-account.json', account: 'reader@example.iam.gserviceaccount.com' });
  now: () => number = () => Date.now();
  readonly tokens: TokenStore;

  private readonly failures = new Map<Method, Error>();
  private readonly holds = new Map<Method, Deferred>();
  private readonly listeners = new Set<(event: LiveEvent) => void>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private state: ConnectionState = 'live';

  constructor(initial: FakeApiState = {}) {
    this.infoValue = {
      version: '0.1.0-test',
      metricsUrl: 'http://127.0.0.1:9171/metrics',
      configFile: '/home/me/.config/footprint/footprint.yaml',
      defaultConfigFile: '/home/me/.config/footprint/footprint.yaml',
      canEditConfig: true,
      secretStorageWarning: null,
      secretStore: 'config-file',
      ...initial.info,
    };
    this.sourcesValue = initial.sources ?? sourceInfos(initial.configured ?? []);
    this.latestValue = initial.latest ?? [];
    this.history = initial.history ?? {};
    this.healthValue = initial.health ?? [];
    this.remoteWriteValue = initial.remoteWrite ?? [];
    this.configValue = initial.config ?? { sources: {} };
    this.backfillValue = initial.backfill ?? [];
    this.markersValue = initial.markers ?? [];
    let token: string | null = null;
    this.tokens = { get: () => token, set: (value) => { token = value; } };
  }

  /** Calls made to one method (its argument lists). */
  callsTo(method: Method): unknown[][] {
    return this.calls.filter((call) => call.method === method).map((call) => call.args);
  }

  /** Every later call of `method` rejects with `error` (null: answer again). */
  fail(method: Method, error: Error | null): void {
    if (error) this.failures.set(method, error);
    else this.failures.delete(method);
  }

  /** Calls of `method` wait until the returned release() (to see loading states). */
  hold(method: Method): () => void {
    const gate = deferred();
    this.holds.set(method, gate);
    return () => {
      this.holds.delete(method);
      gate.release();
    };
  }

  /** Pushes a live event to every subscriber, as the core does. */
  emit(event: LiveEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }

  setConnectionState(state: ConnectionState): void {
    this.state = state;
    for (const listener of [...this.stateListeners]) listener(state);
  }

  private async answer<T>(method: Method, args: unknown[], produce: () => T | Promise<T>): Promise<T> {
    this.calls.push({ method, args });
    const gate = this.holds.get(method);
    if (gate) await gate.promise;
    await Promise.resolve();
    const failure = this.failures.get(method);
    if (failure) throw failure;
    // Only overview() produces asynchronously; the others answer in the same turn as before.
    const produced = produce();
    return structuredClone(produced instanceof Promise ? await produced : produced);
  }

  info(): Promise<AppInfo> {
    return this.answer('info', [], () => this.infoValue);
  }

  sources(): Promise<SourceInfo[]> {
    return this.answer('sources', [], () => this.sourcesValue);
  }

  latest(filter?: { source?: string; metric?: string }): Promise<LatestSeries[]> {
    return this.answer('latest', [filter], () =>
      this.latestValue.filter((item) => (!filter?.source || item.source === filter.source) && (!filter?.metric || item.metric === filter.metric)),
    );
  }

  /** The value of a series at a time: its newest point at or before it, as the store samples. */
  valueAt(id: number, time: number): number | null {
    const points = this.pointsOf(id);
    let value: number | null = null;
    for (const point of points) {
      if (point.time <= time) value = point.value;
      else break;
    }
    return value;
  }

  private pointsOf(id: number): readonly Point[] {
    const recorded = this.history[id];
    if (recorded) return recorded;
    const latest = this.latestValue.find((item) => item.id === id);
    return latest ? [{ time: latest.since, value: latest.value }] : [];
  }

  range(request: RangeRequest): Promise<RangeResult> {
    return this.answer('range', [request], () => this.rangeOf(request));
  }

  private rangeOf(request: RangeRequest): RangeResult {
    const step = request.points > 1 ? (request.end - request.start) / (request.points - 1) : 1;
    const times = Array.from({ length: Math.max(1, request.points) }, (_, index) => request.start + index * step);
    return { series: request.series.map((id) => ({ id, times, values: times.map((time) => this.valueAt(id, time)) })) };
  }

  /** Sums of the fake's own range answer, as the core sums the store's. */
  rangeSums(request: RangeSumsRequest): Promise<RangeSumsResult> {
    return this.answer('rangeSums', [request], () => this.rangeSumsOf(request));
  }

  private rangeSumsOf(request: RangeSumsRequest): RangeSumsResult {
    return sumRange(this.rangeOf({ series: [...new Set(request.groups.flat())], start: request.start, end: request.end, points: request.points }), request.groups);
  }

  changes(seriesIds: readonly number[], windowsMs: readonly number[]): Promise<SeriesChanges[]> {
    return this.answer('changes', [seriesIds, windowsMs], () => this.changesOf(seriesIds, windowsMs));
  }

  /** The cards as the core composes them (shared/overview.ts), from the fake's own changes and sums. */
  overview(): Promise<OverviewResult> {
    return this.answer('overview', [], () => {
      const configured = new Set(this.sourcesValue.filter((source) => source.configured).map((source) => source.id));
      return composeOverview(this.sourcesValue, this.latestValue.filter((series) => configured.has(series.source)), {
        changes: async (ids, windowsMs) => {
          this.overviewReads.changes.push([[...ids], [...windowsMs]]);
          return this.changesOf(ids, windowsMs);
        },
        rangeSums: async (request) => {
          this.overviewReads.rangeSums.push(request);
          return this.rangeSumsOf(request);
        },
      }, this.now());
    });
  }

  private changesOf(seriesIds: readonly number[], windowsMs: readonly number[]): SeriesChanges[] {
    const now = this.now();
    return seriesIds.map((id) => {
      const latest = this.latestValue.find((item) => item.id === id)?.value ?? 0;
      const first = this.pointsOf(id)[0] ?? { time: now, value: latest };
      return {
        id,
        latest,
        changes: windowsMs.map((windowMs) => {
          const base = this.valueAt(id, now - windowMs);
          return base === null ? { windowMs, delta: latest - first.value, baseTime: first.time } : { windowMs, delta: latest - base, baseTime: now - windowMs };
        }),
      };
    });
  }

  health(): Promise<SourceHealth[]> {
    return this.answer('health', [], () => this.healthValue);
  }

  config(): Promise<EditableConfig> {
    return this.answer('config', [], () => this.configValue);
  }

  saveSource(source: string, settings: SectionSettings | null): Promise<SaveResult> {
    return this.answer('saveSource', [source, settings], () => this.onSave(source, settings));
  }

  testConnection(source: string, settings: SectionSettings): Promise<ConnectionTest> {
    return this.answer('testConnection', [source, settings], () => this.onTest(source, settings));
  }

  uploadKeyFile(source: string, text: string): Promise<KeyFileResult> {
    return this.answer('uploadKeyFile', [source, text], () => this.onUpload(source, text));
  }

  refresh(source?: string): Promise<void> {
    return this.answer('refresh', [source], () => undefined);
  }

  pause(source?: string): Promise<void> {
    return this.answer('pause', [source], () => undefined);
  }

  resume(source?: string): Promise<void> {
    return this.answer('resume', [source], () => undefined);
  }

  backfill(): Promise<BackfillProgress[]> {
    return this.answer('backfill', [], () => this.backfillValue);
  }

  remoteWrite(): Promise<RemoteWriteStatus[]> {
    return this.answer('remoteWrite', [], () => this.remoteWriteValue);
  }

  pauseBackfill(source?: string): Promise<void> {
    return this.answer('pauseBackfill', [source], () => undefined);
  }

  resumeBackfill(source?: string): Promise<void> {
    return this.answer('resumeBackfill', [source], () => undefined);
  }

  rerunBackfill(source?: string): Promise<void> {
    return this.answer('rerunBackfill', [source], () => undefined);
  }

  markers(request: MarkersRequest): Promise<ChartMarker[]> {
    return this.answer('markers', [request], () =>
      this.markersValue
        .filter((marker) => marker.source === request.source && marker.time >= request.start && marker.time <= request.end)
        .filter((marker) => Object.entries(request.labels ?? {}).every(([name, value]) => marker.labels[name] === value))
        .map(({ source: _source, ...marker }) => marker),
    );
  }

  subscribe(onEvent: (event: LiveEvent) => void): () => void {
    this.listeners.add(onEvent);
    return () => this.listeners.delete(onEvent);
  }

  connectionState(): ConnectionState {
    return this.state;
  }

  onConnectionChange(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }
}
