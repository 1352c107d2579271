// The API the UI uses, one contract for both transports: IPC through the preload (Electron) and
// JSON under /api/* with Server-Sent Events at /api/events (headless `footprint serve`).
import type { OverviewResult } from './overview.js';
import type { Labels, MetricDef } from './metrics.js';
import type { SourceUi } from './source-ui.js';

/** One series with its newest value. Times are epoch milliseconds. */
export interface LatestSeries {
  readonly id: number;
  readonly source: string;
  readonly metric: string;
  readonly labels: Labels;
  readonly value: number;
  /** When the value became what it is. */
  readonly since: number;
  /** The last poll that saw it. */
  readonly lastSeen: number;
}

export interface SourceInfo {
  readonly id: string;
  readonly title: string;
  readonly metrics: readonly MetricDef[];
  /** Whether the configuration has a section for it. */
  readonly configured: boolean;
  /** How the UI presents it; null for a source that declares nothing (the UI derives cards from its catalogue). */
  readonly ui: SourceUi | null;
}

export type SourceState = 'idle' | 'running' | 'paused' | 'backoff' | 'stopped';

export interface SourceHealth {
  readonly id: string;
  readonly title: string;
  readonly state: SourceState;
  readonly intervalMs: number;
  readonly lastRunAt: number | null;
  readonly lastSuccessAt: number | null;
  readonly nextRunAt: number | null;
  /** The last failure in plain words; null after a clean run. */
  readonly lastError: string | null;
  readonly consecutiveFailures: number;
  readonly failedTargets: readonly { readonly target: string; readonly message: string }[];
  /**
   * Targets that cannot give some data, not a failure (e.g. "traffic needs push access to this
   * repository"), at most 50; moreNotes counts the rest. Absent when there are none.
   */
  readonly notes?: readonly { readonly target: string; readonly message: string }[];
  readonly moreNotes?: number;
  /** What the API said is left of its budget, when the source knows. */
  readonly apiBudget: { readonly limit: number; readonly remaining: number; readonly resetAt: number | null } | null;
  /**
   * When the last poll's spending, at the configured interval, needs more of the API budget an hour than
   * the API allows: that in plain words, with the interval that fits. Absent when the budget covers it.
   */
  readonly budgetWarning?: string;
}

/** A remote-write receiver (the config's remoteWrite): how pushing every series to it goes. Times are epoch ms. */
export interface RemoteWriteStatus {
  readonly name: string;
  /** The push address (the config refuses user:password@ in it). */
  readonly url: string;
  readonly lastSuccessAt: number | null;
  /** The receiver has every value up to this time; what is newer waits in the history store. */
  readonly sentUntil: number | null;
  /** The last failed push in plain words; null after a success. */
  readonly lastError: string | null;
  /** When the next try is due after a failure. */
  readonly retryAt: number | null;
}

export interface RangeRequest {
  /** Series ids; repeated ids count once. */
  readonly series: readonly number[];
  /** Epoch milliseconds, 0 ≤ start < end, at most READ_LIMITS.spanMs apart. */
  readonly start: number;
  readonly end: number;
  /** Points per series (at most READ_LIMITS.rangePoints); the step is (end - start) / (points - 1). */
  readonly points: number;
}

/**
 * What one range, changes or latest request may ask for; over a limit the core answers 400 naming it.
 * They bound the work one request can make (the core answers /metrics meanwhile); the renderer's
 * clients split bigger asks into several requests (renderer/api/read-batches.ts).
 */
export const READ_LIMITS = {
  /** Distinct series ids per range or changes request. */
  seriesPerRequest: 1_000,
  /** Points per series of a range request. */
  rangePoints: 10_000,
  /** Series × points of a range request. */
  rangeValues: 100_000,
  /** The longest range, and the longest change window: 200 years. */
  spanMs: 200 * 365 * 86_400_000,
  /** Distinct windows per changes request. */
  changeWindows: 16,
  /** Characters of the source or metric name in a latest filter, and of each label name and value of a markers filter. */
  filterChars: 200,
  /** Markers per markers request. */
  markers: 1_000,
  /** Labels in a markers filter. */
  markerLabels: 16,
} as const;

export interface RangeResult {
  readonly series: readonly { readonly id: number; readonly times: readonly number[]; readonly values: readonly (number | null)[] }[];
}

/**
 * Sums of groups of series over one time grid (the Overview's sparklines: one sum per card), so a
 * chart of many series' total does not fetch each series. Ids are bounded as in range (distinct ids
 * of all groups × points); a series may be in several groups.
 */
export interface RangeSumsRequest {
  readonly groups: readonly (readonly number[])[];
  /** As in RangeRequest. */
  readonly start: number;
  readonly end: number;
  readonly points: number;
}

export interface RangeSumsResult {
  /** The time grid range() samples on (the same for every group). */
  readonly times: readonly number[];
  /** Per group, in the order asked: the sum of its series at each time; null where none of them had a value yet. */
  readonly sums: readonly (readonly (number | null)[])[];
}

export interface SeriesChanges {
  readonly id: number;
  readonly latest: number;
  /** Change over each requested window; baseTime is later than now - window when the series is younger. */
  readonly changes: readonly { readonly windowMs: number; readonly delta: number; readonly baseTime: number }[];
}

export interface AppInfo {
  readonly version: string;
  /** Where Prometheus can scrape, or null when the endpoint is off. */
  readonly metricsUrl: string | null;
  /** Why the endpoint is not serving (e.g. its port is busy), in plain words; null when it is fine. */
  readonly metricsProblem?: string | null;
  readonly configFile: string | null;
  /** Where a configuration file is written when there is none yet. */
  readonly defaultConfigFile: string;
  /** The app can save settings (false when the configuration came from a read-only place). */
  readonly canEditConfig: boolean;
  /** A note about how secrets are kept, e.g. Linux without a keyring; null when there is nothing to say. */
  readonly secretStorageWarning: string | null;
  /**
   * Where a secret typed into Settings is kept: 'config-file' (`footprint serve`: in the configuration
   * file, which is written readable only by its owner, mode 0600) or 'keychain' (the desktop app: the
   * OS keychain, the file gets a reference).
   */
  readonly secretStore: 'config-file' | 'keychain';
}

/**
 * A source's settings as the UI edits them: the section of the config file as written, with `${VAR}`
 * references kept and literal secrets replaced by SECRET_UNCHANGED. Saving SECRET_UNCHANGED keeps the stored value.
 */
export type SourceSettings = Readonly<Record<string, unknown>>;
/** A section as written: a mapping (most sources), or a list of entries (the user-defined JSON sources, `http:`). */
export type SectionSettings = SourceSettings | readonly SourceSettings[];
export const SECRET_UNCHANGED = '***';

export interface EditableConfig {
  readonly sources: Readonly<Record<string, SectionSettings>>;
}

export type SaveResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly issues: readonly { readonly path: string; readonly message: string }[] };

/** A key file uploaded through Settings: where it is stored (a path for the field, relative to the configuration file). */
export type KeyFileResult =
  | { readonly ok: true; readonly path: string; /** Whose key it is (a service account's address), to show. */ readonly account: string }
  | { readonly ok: false; readonly issues: readonly { readonly path: string; readonly message: string }[] };

export interface ConnectionTest {
  readonly ok: boolean;
  /** Plain words: what worked (e.g. "found 42 repositories") or what is wrong and how to fix it. */
  readonly message: string;
}

/**
 * Where a source's backfill (reading its past: star history, daily downloads) stands.
 * - off: backfill.enabled is false (`footprint backfill` still runs it on demand)
 * - waiting-for-poll: it starts after the source's first successful poll, and never runs during one
 * - planning: listing what there is to read; running: reading it
 * - waiting-for-budget: its share of the API budget is used, or the budget is low: it goes on at resumeAt
 * - rate-limited: the API asked to wait until resumeAt; retrying: a failure, tried again at resumeAt
 * - paused: paused by the user, or the source's polling is paused; done: nothing left to read
 */
export type BackfillState = 'off' | 'waiting-for-poll' | 'planning' | 'running' | 'waiting-for-budget' | 'rate-limited' | 'retrying' | 'paused' | 'done';

/** A piece of history that could not be read: final (unavailable) or failed this time (tried again at retryAt). */
export interface BackfillProblem {
  /** The task's key, stable within the source. */
  readonly task: string;
  readonly title: string;
  readonly target: string;
  readonly state: 'unavailable' | 'failed';
  readonly reason: string;
  readonly retryAt: number | null;
}

export interface BackfillProgress {
  readonly source: string;
  readonly title: string;
  readonly state: BackfillState;
  /** Paused by the user (pauseBackfill); resumeBackfill undoes it. */
  readonly paused: boolean;
  /** Why it waits, or its last failure, in plain words; null when there is nothing to say. */
  readonly message: string | null;
  /** When it goes on by itself (a budget reset, a rate limit, a retry); null otherwise. */
  readonly resumeAt: number | null;
  readonly tasks: { readonly total: number; readonly done: number; readonly unavailable: number; readonly failed: number };
  /** Units (stars, days…) read so far and in all; total is null while some task's size is unknown. */
  readonly units: { readonly done: number; readonly total: number | null };
  /** API requests backfill has spent for this source. */
  readonly requests: number;
  /** Time left at the recent rate; null when unknown. */
  readonly etaMs: number | null;
  /** Tasks that are unavailable or failed, at most 50; moreProblems counts the rest. */
  readonly problems: readonly BackfillProblem[];
  readonly moreProblems: number;
}

export interface MarkersRequest {
  readonly source: string;
  /** Every given label must match, e.g. { repo: "rocket" }; other labels may have any value. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Epoch milliseconds, 0 ≤ start ≤ end, at most READ_LIMITS.spanMs apart. */
  readonly start: number;
  readonly end: number;
}

/** An event drawn on charts, e.g. a release on its repository's charts. */
export interface ChartMarker {
  readonly kind: string;
  readonly labels: Labels;
  readonly time: number;
  readonly text: string;
}

export type LiveEvent =
  | { readonly type: 'samples'; readonly source: string; readonly time: number; readonly latest: readonly LatestSeries[] }
  | { readonly type: 'health'; readonly health: SourceHealth }
  | { readonly type: 'config'; readonly sources: readonly SourceInfo[] }
  | { readonly type: 'backfill'; readonly progress: BackfillProgress }
  | { readonly type: 'remoteWrite'; readonly status: RemoteWriteStatus }
  | ({ readonly type: 'history' } & HistoryChange);

/** Stored history of these series changed in the past (a backfill step, a revised day): charts of them read it again. */
export interface HistoryChange {
  readonly source: string;
  readonly series: readonly number[];
}

/** The one client the renderer uses; implemented over IPC (Electron) and over HTTP (headless). */
export interface FootprintApi {
  info(): Promise<AppInfo>;
  sources(): Promise<SourceInfo[]>;
  latest(filter?: { source?: string; metric?: string }): Promise<LatestSeries[]>;
  range(request: RangeRequest): Promise<RangeResult>;
  changes(series: readonly number[], windowsMs: readonly number[]): Promise<SeriesChanges[]>;
  /** range() summed per group of series, answered as one sum per group. */
  rangeSums(request: RangeSumsRequest): Promise<RangeSumsResult>;
  /** The Overview's cards (totals, changes and sparklines per owner, namespace, property or package), composed by the core. */
  overview(): Promise<OverviewResult>;
  health(): Promise<SourceHealth[]>;
  /** The remote-write receivers and how pushing to each goes (empty when none is configured). */
  remoteWrite(): Promise<RemoteWriteStatus[]>;
  config(): Promise<EditableConfig>;
  saveSource(source: string, settings: SectionSettings | null): Promise<SaveResult>;
  testConnection(source: string, settings: SectionSettings): Promise<ConnectionTest>;
  /**
   * Stores the text of a source's key file (GA4's service-account JSON) beside the configuration,
   * readable only by its owner, after checking it; the text never comes back. The field is then
   * saved with the returned path.
   */
  uploadKeyFile(source: string, text: string): Promise<KeyFileResult>;
  refresh(source?: string): Promise<void>;
  pause(source?: string): Promise<void>;
  resume(source?: string): Promise<void>;
  /** Backfill progress of every source that can read its past. */
  backfill(): Promise<BackfillProgress[]>;
  /** Pauses backfill (of one source, or all) until resumeBackfill; polls go on. */
  pauseBackfill(source?: string): Promise<void>;
  resumeBackfill(source?: string): Promise<void>;
  /** Reads a source's (or every source's) past again from the beginning. */
  rerunBackfill(source?: string): Promise<void>;
  /** Markers of a source in a time range, oldest first (at most READ_LIMITS.markers; a 400 asks for a narrower range beyond). */
  markers(request: MarkersRequest): Promise<ChartMarker[]>;
  /** Live updates pushed by the core; returns an unsubscribe function. */
  subscribe(onEvent: (event: LiveEvent) => void): () => void;
}

type Method = Exclude<keyof FootprintApi, 'subscribe'>;

/** How each request-response method travels over HTTP. GET methods take their argument as `?q=<json>`. */
export const httpRoutes: { readonly [K in Method]: { readonly method: 'GET' | 'POST'; readonly path: string } } = {
  info: { method: 'GET', path: '/api/info' },
  sources: { method: 'GET', path: '/api/sources' },
  latest: { method: 'GET', path: '/api/latest' },
  range: { method: 'POST', path: '/api/range' },
  changes: { method: 'POST', path: '/api/changes' },
  rangeSums: { method: 'POST', path: '/api/range-sums' },
  overview: { method: 'GET', path: '/api/overview' },
  health: { method: 'GET', path: '/api/health' },
  remoteWrite: { method: 'GET', path: '/api/remote-write' },
  config: { method: 'GET', path: '/api/config' },
  saveSource: { method: 'POST', path: '/api/config/source' },
  testConnection: { method: 'POST', path: '/api/config/test' },
  uploadKeyFile: { method: 'POST', path: '/api/config/key-file' },
  refresh: { method: 'POST', path: '/api/refresh' },
  pause: { method: 'POST', path: '/api/pause' },
  resume: { method: 'POST', path: '/api/resume' },
  backfill: { method: 'GET', path: '/api/backfill' },
  pauseBackfill: { method: 'POST', path: '/api/backfill/pause' },
  resumeBackfill: { method: 'POST', path: '/api/backfill/resume' },
  rerunBackfill: { method: 'POST', path: '/api/backfill/rerun' },
  markers: { method: 'GET', path: '/api/markers' },
};

export const eventsPath = '/api/events';

/** IPC channel of each method (Electron): one channel per method, checked in both preload and main. */
export const ipcChannels: { readonly [K in Method]: `footprint:${K}` } = {
  info: 'footprint:info',
  sources: 'footprint:sources',
  latest: 'footprint:latest',
  range: 'footprint:range',
  changes: 'footprint:changes',
  rangeSums: 'footprint:rangeSums',
  overview: 'footprint:overview',
  health: 'footprint:health',
  remoteWrite: 'footprint:remoteWrite',
  config: 'footprint:config',
  saveSource: 'footprint:saveSource',
  testConnection: 'footprint:testConnection',
  uploadKeyFile: 'footprint:uploadKeyFile',
  refresh: 'footprint:refresh',
  pause: 'footprint:pause',
  resume: 'footprint:resume',
  backfill: 'footprint:backfill',
  pauseBackfill: 'footprint:pauseBackfill',
  resumeBackfill: 'footprint:resumeBackfill',
  rerunBackfill: 'footprint:rerunBackfill',
  markers: 'footprint:markers',
};

export const ipcEventChannel = 'footprint:event';

/** The JSON body of an API error (HTTP 4xx/5xx). */
export interface ApiErrorBody {
  readonly error: string;
}
