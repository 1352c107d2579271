// The history file (SQLite via node:sqlite): every series a source reports, stored as change
// points. A point is written only when a series' value changes; while the value holds, each poll
// only moves the point's "last seen" time forward, so a flat line costs one row, not one per poll.
// The newest point of each series lives in `heads`, older ones delta-encoded in `point_chunks`
// (point-chunks.ts; see migrations.ts).
// Polls store samples at the poll's time (ingest); dated samples carry their own time (ingestDated:
// backfilled history, daily values) and merge into the same runs (dated-merge.ts).
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { boundedMemo } from '../../../shared/bounded-memo.js';
import type { Labels, Sample } from '../../../shared/metrics.js';
import type { DatedSample, HistoryMarker } from '../backfill/contract.js';
import { mergeDated, sameRuns, type Run } from './dated-merge.js';
import { historyFileProblem } from './history-file.js';
import { APPLICATION_ID, SCHEMA_VERSION, applyMigrations } from './migrations.js';
import { PointChunks, returningArrays, sampleRuns, valueInChunk } from './point-chunks.js';

export interface SeriesInfo {
  id: number;
  source: string;
  metric: string;
  labels: Labels;
  firstSeen: number;
  lastSeen: number;
}

export interface LatestPoint extends SeriesInfo {
  value: number;
  /** When the series took this value. */
  since: number;
}

export interface SeriesFilter {
  source?: string;
  metric?: string;
  /** Every given label must match; other labels may have any value. */
  labels?: Partial<Record<string, string>>;
  /** Only series seen at or after this time. */
  seenSince?: number;
  /**
   * true: only series a poll has stored (their newest value is what polls see); false: only series
   * that dated samples alone write (backfilled or daily history no poll reports). Default: both.
   */
  polled?: boolean;
}

export interface RangeQuery {
  start: number;
  end: number;
  step: number;
  /** A value is reported as null once it was last seen more than staleMs before the step time. Default: never stale. */
  staleMs?: number;
}

export interface RangeSeries {
  series: SeriesInfo;
  times: number[];
  values: (number | null)[];
}

export interface SeriesChange {
  seriesId: number;
  latest: number;
  /** base = value at now-window, or the series' first value when it is younger (baseTime says which). */
  changes: { windowMs: number; delta: number; baseTime: number }[];
}

export interface SourceRun {
  source: string;
  lastAttempt: number | null;
  lastSuccess: number | null;
  lastCompleteSuccess: number | null;
  /** The error of the latest attempt; null when it had none. */
  lastError: string | null;
}

export interface ExportRow {
  source: string;
  metric: string;
  labels: Labels;
  value: number;
  since: number;
  lastSeen: number;
}

/** What ingestDated did. */
export interface DatedIngestResult {
  /** Series whose stored runs changed (a sample that repeats what is stored changes nothing). */
  changedSeries: number;
  /** The ids of those series, so views that chart them can read them again. */
  changedIds: number[];
  /** Samples at or after the time polls first stored their series: polls own that time, so they were not stored. */
  skipped: number;
}

export type BackfillTaskState = 'pending' | 'running' | 'done' | 'unavailable' | 'failed';

/** A backfill task as stored: what the source planned, and how far it got. */
export interface StoredBackfillTask {
  source: string;
  key: string;
  title: string;
  target: string;
  state: BackfillTaskState;
  /** Where to resume; null before the first step and once done. */
  cursor: string | null;
  doneUnits: number;
  totalUnits: number | null;
  estimatedRequests: number;
  /** Requests its steps have spent since it was (re)started. */
  requests: number;
  /** Why it is unavailable, or its latest failure. */
  reason: string | null;
  /** Failures in a row (reset by progress). */
  failures: number;
  /** When a failed task is tried again. */
  retryAt: number | null;
  /** False once the latest plan no longer has it: kept, but not run. */
  planned: boolean;
  updatedAt: number;
}

/** A task as a source plans it (the contract's BackfillTask). */
export interface PlannedBackfillTask {
  readonly key: string;
  readonly title: string;
  readonly target: string;
  readonly totalUnits: number | null;
  readonly estimatedRequests: number;
}

export type BackfillTaskOutcome =
  | { readonly kind: 'progress'; readonly cursor: string | null; readonly doneUnits: number; readonly totalUnits: number | null }
  | { readonly kind: 'unavailable'; readonly reason: string }
  | { readonly kind: 'failed'; readonly error: string; readonly retryAt: number };

/** What one backfill step did to one task, stored with the step's samples. */
export interface BackfillTaskUpdate {
  readonly key: string;
  /** Requests of the step charged to this task. */
  readonly requests: number;
  readonly outcome: BackfillTaskOutcome;
}

/** What ingestDated stores besides samples, in the same transaction. */
export interface DatedIngestExtra {
  readonly markers?: readonly HistoryMarker[];
  /** The backfill step these samples come from: its tasks' new cursors and progress, at `time`. */
  readonly backfill?: { readonly time: number; readonly tasks: readonly BackfillTaskUpdate[] };
}

export interface MarkerQuery {
  source: string;
  /** Every given label must match; other labels may have any value. */
  labels?: Partial<Record<string, string>>;
  start: number;
  end: number;
  /** At most this many markers (the oldest first); `more` tells when others match too. */
  limit: number;
}

export interface StoredMarker {
  kind: string;
  labels: Labels;
  time: number;
  text: string;
}

export interface HistoryStoreOptions {
  /** Points superseded longer ago than this are deleted; null (the default) keeps everything. */
  retentionMs?: number | null;
}

export class StoreError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/** The path cannot hold a history file at all (a directory, a device, /proc, a folder this user cannot write): name another. */
export class HistoryFileError extends StoreError {
  constructor(message: string) {
    super(message);
    this.name = 'HistoryFileError';
  }
}

/** How a range query may ask for at most, so one chart request cannot run away. */
export const MAX_RANGE_POINTS = 10_000;
const RETENTION_INTERVAL_MS = 3_600_000;
/** The schema version that moved superseded points into chunks (migrations.ts). */
const CHUNKS_VERSION = 4;
const BUSY_TIMEOUT_MS = 5_000;
const MAX_ERROR_CHARS = 4_000;
/** Longest stored marker text and kind; a longer text is cut (it is a chart label). */
const MAX_MARKER_TEXT = 200;
const MAX_MARKER_KIND = 40;
/** Longest task key, title or target a source may plan. */
const MAX_TASK_TEXT = 1_000;
const TASK_STATES: readonly BackfillTaskState[] = ['pending', 'running', 'done', 'unavailable', 'failed'];

/** Label names as JSON strings: a poll names the same few labels on every sample. */
const quotedNames = boundedMemo<string>(1_024);
const quote = (text: string): string => JSON.stringify(text);

function contextText(context: string | (() => string)): string {
  return typeof context === 'string' ? context : context();
}

/**
 * Canonical identity of a label set: JSON with keys sorted, so {a,b} and {b,a} are one series.
 * `context` starts an error's message; a function is called only for one (ingest names the source
 * and metric of each of a poll's samples, and building that text for every sample cost more than the
 * JSON itself).
 */
export function canonicalLabels(labels: Labels, context: string | (() => string) = 'labels'): string {
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) {
    throw new StoreError(`${contextText(context)}: labels must be an object of label name to text value`);
  }
  const names = Object.keys(labels);
  // Sources usually list labels in one order: skip the sort when they are already sorted.
  for (let i = 1; i < names.length; i++) {
    if (names[i - 1]! > names[i]!) {
      names.sort();
      break;
    }
  }
  let json = '{';
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const value = labels[name];
    if (typeof value !== 'string') throw new StoreError(`${contextText(context)}: label "${name}" is ${typeof value}; label values must be text`);
    json += (i === 0 ? '' : ',') + quotedNames.get(name, quote) + ':' + JSON.stringify(value);
  }
  return json + '}';
}

interface Head {
  id: number;
  tFirst: number;
  tLast: number;
  value: number;
  /** When a poll first stored the series; null while only dated samples have. */
  liveSince: number | null;
}

/** A row of seriesList, in the order of seriesColumns. */
type SeriesTuple = [id: number, source: string, metric: string, labels: string, firstSeen: number, liveSince: number | null, tFirst: number, tLast: number, value: number];

/** A row of headsMany: series id, when its newest value started, when it was last seen, the value. */
type HeadTuple = [id: number, tFirst: number, tLast: number, value: number];

interface SeriesRow {
  id: number;
  source: string;
  metric: string;
  labels: string;
  first_seen: number;
  live_since: number | null;
  t_first: number;
  t_last: number;
  value: number;
}

interface TaskRow {
  source: string;
  task_key: string;
  title: string;
  target: string;
  state: string;
  cursor: string | null;
  done_units: number;
  total_units: number | null;
  estimated_requests: number;
  requests: number;
  reason: string | null;
  failures: number;
  retry_at: number | null;
  planned: number;
  updated_at: number;
}

interface RunRow {
  source: string;
  last_attempt: number | null;
  last_success: number | null;
  last_complete_success: number | null;
  last_error: string | null;
}

// Every statement the store runs more than once, prepared when the file opens. Preparing them
// also checks that the file has the tables this code expects.
function prepareStatements(db: DatabaseSync) {
  const seriesColumns = 's.id, s.source, s.metric, s.labels, s.first_seen, s.live_since, h.t_first, h.t_last, h.value';
  const taskColumns = 'source, task_key, title, target, state, cursor, done_units, total_units, estimated_requests, requests, reason, failures, retry_at, planned, updated_at';
  const statements = {
    dataVersion: db.prepare('PRAGMA data_version'),
    sourceHeads: db.prepare(`SELECT ${seriesColumns} FROM series s JOIN heads h ON h.series_id = s.id WHERE s.source = ?`),
    insertSeries: db.prepare('INSERT INTO series (source, metric, labels, first_seen, live_since) VALUES (?, ?, ?, ?, ?)'),
    setLiveSince: db.prepare('UPDATE series SET live_since = ?2 WHERE id = ?1'),
    moveFirstSeen: db.prepare('UPDATE series SET first_seen = min(first_seen, ?2) WHERE id = ?1'),
    putHead: db.prepare(`
      INSERT INTO heads (series_id, t_first, t_last, value) VALUES (?, ?, ?, ?)
      ON CONFLICT (series_id) DO UPDATE SET t_first = excluded.t_first, t_last = excluded.t_last, value = excluded.value`),
    upsertMarker: db.prepare(`
      INSERT INTO markers (source, kind, labels, text, time) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (source, kind, labels, text) DO UPDATE SET time = excluded.time`),
    markersInRange: db.prepare('SELECT kind, labels, text, time FROM markers WHERE source = ? AND time >= ? AND time <= ? ORDER BY time, kind, labels, text'),
    unplanTasks: db.prepare('UPDATE backfill_tasks SET planned = 0 WHERE source = ?'),
    planTask: db.prepare(`
      INSERT INTO backfill_tasks (source, task_key, title, target, state, total_units, estimated_requests, planned, updated_at)
      VALUES (:source, :key, :title, :target, 'pending', :total, :estimated, 1, :time)
      ON CONFLICT (source, task_key) DO UPDATE SET
        title = excluded.title,
        target = excluded.target,
        total_units = iif(state IN ('done', 'unavailable'), total_units, coalesce(excluded.total_units, total_units)),
        estimated_requests = excluded.estimated_requests,
        planned = 1`),
    taskKeys: db.prepare('SELECT task_key FROM backfill_tasks WHERE source = ?'),
    tasks: db.prepare(`SELECT ${taskColumns} FROM backfill_tasks WHERE (:source IS NULL OR source = :source) ORDER BY source, rowid`),
    taskProgress: db.prepare(`
      UPDATE backfill_tasks SET state = :state, cursor = :cursor, done_units = :done, total_units = coalesce(:total, total_units),
        requests = requests + :requests, failures = 0, reason = NULL, retry_at = NULL, updated_at = :time
      WHERE source = :source AND task_key = :key`),
    taskUnavailable: db.prepare(`
      UPDATE backfill_tasks SET state = 'unavailable', reason = :reason, requests = requests + :requests, retry_at = NULL, updated_at = :time
      WHERE source = :source AND task_key = :key`),
    taskFailed: db.prepare(`
      UPDATE backfill_tasks SET state = 'failed', reason = :reason, failures = failures + 1, retry_at = :retryAt,
        requests = requests + :requests, updated_at = :time
      WHERE source = :source AND task_key = :key`),
    resetTasks: db.prepare(`
      UPDATE backfill_tasks SET state = 'pending', cursor = NULL, done_units = 0, requests = 0, reason = NULL, failures = 0,
        retry_at = NULL, updated_at = :time
      WHERE source = :source AND planned = 1 AND (:target IS NULL OR target = :target)`),
    reopenTasks: db.prepare(`
      UPDATE backfill_tasks SET state = 'pending', reason = NULL, failures = 0, retry_at = NULL, updated_at = :time
      WHERE source = :source AND state IN ('unavailable', 'failed')`),
    settingsFingerprint: db.prepare('SELECT fingerprint FROM backfill_settings WHERE source = ?'),
    putSettingsFingerprint: db.prepare(`
      INSERT INTO backfill_settings (source, fingerprint) VALUES (?, ?) ON CONFLICT (source) DO UPDATE SET fingerprint = excluded.fingerprint`),
    insertHead: db.prepare('INSERT INTO heads (series_id, t_first, t_last, value) VALUES (?, ?, ?, ?)'),
    setHead: db.prepare('UPDATE heads SET t_first = ?2, t_last = ?2, value = ?3 WHERE series_id = ?1'),
    setHeadValue: db.prepare('UPDATE heads SET value = ?2 WHERE series_id = ?1'),
    // One statement for all unchanged series of a poll: the ids travel as a JSON array.
    extendHeads: db.prepare('UPDATE heads SET t_last = ?1 WHERE series_id IN (SELECT value FROM json_each(?2)) AND t_last < ?1'),
    upsertRun: db.prepare(`
      INSERT INTO source_runs (source, last_attempt, last_success, last_complete_success, last_error)
      VALUES (:source, :time, :success, :complete, :error)
      ON CONFLICT (source) DO UPDATE SET
        last_attempt = excluded.last_attempt,
        last_success = coalesce(excluded.last_success, last_success),
        last_complete_success = coalesce(excluded.last_complete_success, last_complete_success),
        last_error = excluded.last_error`),
    runs: db.prepare('SELECT source, last_attempt, last_success, last_complete_success, last_error FROM source_runs ORDER BY source'),
    seriesList: returningArrays(db.prepare(`
      SELECT ${seriesColumns} FROM series s JOIN heads h ON h.series_id = s.id
      WHERE (:source IS NULL OR s.source = :source)
        AND (:metric IS NULL OR s.metric = :metric)
        AND (:seenSince IS NULL OR h.t_last >= :seenSince)
        AND (:polled IS NULL OR (s.live_since IS NOT NULL) = :polled)
      ORDER BY s.source, s.metric, s.labels`)),
    seriesById: db.prepare(`SELECT ${seriesColumns} FROM series s JOIN heads h ON h.series_id = s.id WHERE s.id = ?`),
    seriesMany: db.prepare(`SELECT ${seriesColumns} FROM json_each(?) j JOIN series s ON s.id = j.value JOIN heads h ON h.series_id = s.id`),
    headsMany: returningArrays(db.prepare('SELECT h.series_id AS id, h.t_first, h.t_last, h.value FROM json_each(?) j JOIN heads h ON h.series_id = j.value')),
    headsAll: db.prepare('SELECT series_id AS id, t_first, t_last, value FROM heads'),
    remoteWriteCursor: db.prepare('SELECT sent_until FROM remote_write_cursors WHERE url = ?'),
    putRemoteWriteCursor: db.prepare(`
      INSERT INTO remote_write_cursors (url, sent_until, updated_at) VALUES (?, ?, ?)
      ON CONFLICT (url) DO UPDATE SET sent_until = excluded.sent_until, updated_at = excluded.updated_at`),
    countSeries: db.prepare('SELECT count(*) AS n FROM series'),
    countHeads: db.prepare('SELECT count(*) AS n FROM heads'),
    pageBytes: db.prepare('SELECT page_count * page_size AS n FROM pragma_page_count(), pragma_page_size()'),
  } satisfies Record<string, StatementSync>;
  return statements;
}

type Statements = ReturnType<typeof prepareStatements>;

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** SQLITE_BUSY, also as SQLITE_BUSY_* extended codes: another connection holds the lock. */
function isLocked(error: unknown): boolean {
  const code = (error as { errcode?: unknown } | null)?.errcode;
  return typeof code === 'number' && (code & 0xff) === 5;
}

/** The file stayed locked for the whole busy timeout: say so, instead of calling it damaged. */
function lockedError(file: string, error: unknown): StoreError {
  return new StoreError(`${file} is locked by another program (SQLite waited ${BUSY_TIMEOUT_MS / 1000} s) — stop the other program that has it open, or point storage.path at another file`, { cause: error });
}

function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw new StoreError(`${field} must be a non-empty string (got ${JSON.stringify(value)})`);
  return value;
}

/** Stored times are whole epoch milliseconds. */
function requireStoredTime(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new StoreError(`${field} must be a whole number of epoch milliseconds (got ${String(value)})`);
  }
  return value;
}

function requireFinite(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new StoreError(`${field} must be a finite number (got ${String(value)})`);
  return value;
}

function requireSeriesIds(ids: readonly number[], field: string): readonly number[] {
  if (!Array.isArray(ids)) throw new StoreError(`${field} must be an array of series ids`);
  for (const id of ids) {
    if (!Number.isSafeInteger(id)) throw new StoreError(`${field}: ${String(id)} is not a series id (ids are whole numbers from series())`);
  }
  return ids;
}

/** The step times of a range query (checked), and its staleMs. */
function rangeTimes(query: RangeQuery, action: string): { times: number[]; staleMs: number | null } {
  if (query === null || typeof query !== 'object') throw new StoreError(`${action}: query must be an object { start, end, step }`);
  const start = requireFinite(query.start, `${action}: start`);
  const end = requireFinite(query.end, `${action}: end`);
  const step = requireFinite(query.step, `${action}: step`);
  if (step <= 0) throw new StoreError(`${action}: step must be greater than 0 ms (got ${step})`);
  if (end < start) throw new StoreError(`${action}: end (${isoTime(end)}) is before start (${isoTime(start)})`);
  const staleMs = query.staleMs === undefined ? null : requireFinite(query.staleMs, `${action}: staleMs`);
  if (staleMs !== null && staleMs < 0) throw new StoreError(`${action}: staleMs must be 0 or more (got ${staleMs})`);
  const count = Math.floor((end - start) / step) + 1;
  if (count > MAX_RANGE_POINTS) {
    throw new StoreError(`${action}: ${count} points asked (from start to end every ${step} ms); at most ${MAX_RANGE_POINTS}: use a larger step`);
  }
  return { times: Array.from({ length: count }, (_, n) => start + n * step), staleMs };
}

function isoTime(time: number): string {
  return Number.isFinite(time) && Math.abs(time) < 8.64e15 ? new Date(time).toISOString() : String(time);
}

function toSeriesInfo(row: SeriesRow): SeriesInfo {
  return { id: row.id, source: row.source, metric: row.metric, labels: JSON.parse(row.labels) as Labels, firstSeen: row.first_seen, lastSeen: row.t_last };
}

interface DatedGroup {
  metric: string;
  /** Canonical JSON. */
  labels: string;
  /** time → value; a later sample for the same time replaces an earlier one. */
  values: Map<number, number>;
}

/** Checks every dated sample before anything is written, and groups them by series. */
function groupDated(source: string, samples: readonly DatedSample[]): Map<string, DatedGroup> {
  const groups = new Map<string, DatedGroup>();
  for (let i = 0; i < samples.length; i++) {
    const sample = samples[i];
    const metric = sample?.metric;
    if (typeof metric !== 'string' || metric === '') throw new StoreError(`ingestDated(${source}): sample ${i} has no metric name`);
    const value = sample!.value;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new StoreError(`ingestDated(${source}): ${metric} has value ${String(value)}; sample values must be finite numbers`);
    }
    const time = requireStoredTime(sample!.time, `ingestDated(${source}): ${metric} time`);
    const labels = canonicalLabels(sample!.labels, () => `ingestDated(${source}): ${metric}`);
    const key = headKey(metric, labels);
    let group = groups.get(key);
    if (group === undefined) {
      group = { metric, labels, values: new Map() };
      groups.set(key, group);
    }
    group.values.set(time, value);
  }
  return groups;
}

/** Why ingestDated would refuse these samples and markers (naming the field), or null when it would take them. */
export function datedDataProblem(source: string, samples: readonly DatedSample[], markers: readonly HistoryMarker[] = []): string | null {
  try {
    groupDated(source, samples);
    markers.forEach((marker, index) => checkMarker(source, marker, index));
    return null;
  } catch (error) {
    if (error instanceof StoreError) return error.message;
    throw error;
  }
}

function checkMarker(source: string, marker: HistoryMarker, index: number): { kind: string; labels: string; text: string; time: number } {
  const context = `ingestDated(${source}): marker ${index}`;
  if (marker === null || typeof marker !== 'object') throw new StoreError(`${context} must be an object { kind, labels, time, text }`);
  const kind = requireText(marker.kind, `${context}: kind`);
  if (kind.length > MAX_MARKER_KIND) throw new StoreError(`${context}: kind is ${kind.length} characters; at most ${MAX_MARKER_KIND}`);
  if (typeof marker.text !== 'string') throw new StoreError(`${context}: text must be a string`);
  const text = marker.text.length > MAX_MARKER_TEXT ? `${marker.text.slice(0, MAX_MARKER_TEXT - 1)}…` : marker.text;
  return { kind, labels: canonicalLabels(marker.labels, context), text, time: requireStoredTime(marker.time, `${context}: time`) };
}

function requireCount(value: unknown, field: string): number {
  if (!(Number.isSafeInteger(value) && (value as number) >= 0)) throw new StoreError(`${field} must be a whole number of 0 or more (got ${String(value)})`);
  return value as number;
}

function requireTaskText(value: unknown, field: string): string {
  const text = requireText(value, field);
  if (text.length > MAX_TASK_TEXT) throw new StoreError(`${field} is ${text.length} characters; at most ${MAX_TASK_TEXT}`);
  return text;
}

function checkPlannedTask(source: string, task: PlannedBackfillTask, index: number): PlannedBackfillTask {
  const context = `planBackfill(${source}): task ${index}`;
  if (task === null || typeof task !== 'object') throw new StoreError(`${context} must be an object { key, title, target, totalUnits, estimatedRequests }`);
  return {
    key: requireTaskText(task.key, `${context}: key`),
    title: requireTaskText(task.title, `${context}: title`),
    target: requireTaskText(task.target, `${context}: target`),
    totalUnits: task.totalUnits === null ? null : requireCount(task.totalUnits, `${context}: totalUnits`),
    estimatedRequests: Math.ceil(requireFinite(task.estimatedRequests, `${context}: estimatedRequests`)),
  };
}

function checkTaskUpdates(source: string, backfill: NonNullable<DatedIngestExtra['backfill']>): { time: number; tasks: BackfillTaskUpdate[] } {
  const time = requireStoredTime(backfill.time, `ingestDated(${source}): backfill.time`);
  if (!Array.isArray(backfill.tasks)) throw new StoreError(`ingestDated(${source}): backfill.tasks must be an array`);
  const tasks = backfill.tasks.map((update): BackfillTaskUpdate => {
    const context = `ingestDated(${source}): backfill task ${JSON.stringify(String(update?.key)).slice(0, 80)}`;
    const key = requireText(update?.key, `${context}: key`);
    const requests = requireCount(update.requests, `${context}: requests`);
    const outcome = update.outcome;
    switch (outcome?.kind) {
      case 'progress': {
        if (outcome.cursor !== null && typeof outcome.cursor !== 'string') throw new StoreError(`${context}: cursor must be text or null`);
        const doneUnits = requireCount(outcome.doneUnits, `${context}: doneUnits`);
        const totalUnits = outcome.totalUnits === null ? null : requireCount(outcome.totalUnits, `${context}: totalUnits`);
        return { key, requests, outcome: { kind: 'progress', cursor: outcome.cursor, doneUnits, totalUnits } };
      }
      case 'unavailable':
        return { key, requests, outcome: { kind: 'unavailable', reason: String(outcome.reason).slice(0, MAX_ERROR_CHARS) } };
      case 'failed':
        return { key, requests, outcome: { kind: 'failed', error: String(outcome.error).slice(0, MAX_ERROR_CHARS), retryAt: requireStoredTime(outcome.retryAt, `${context}: retryAt`) } };
      default:
        throw new StoreError(`${context}: outcome.kind must be progress, unavailable or failed`);
    }
  });
  return { time, tasks };
}

function toStoredTask(row: TaskRow): StoredBackfillTask {
  const state = TASK_STATES.includes(row.state as BackfillTaskState) ? (row.state as BackfillTaskState) : 'pending';
  return {
    source: row.source,
    key: row.task_key,
    title: row.title,
    target: row.target,
    state,
    cursor: row.cursor,
    doneUnits: row.done_units,
    totalUnits: row.total_units,
    estimatedRequests: row.estimated_requests,
    requests: row.requests,
    reason: row.reason,
    failures: row.failures,
    retryAt: row.retry_at,
    planned: row.planned === 1,
    updatedAt: row.updated_at,
  };
}

/**
 * Reads what kind of file this is without writing to it. Returns the schema version of a Footprint
 * file (0 for an empty file, which becomes one); refuses anything else.
 */
function readSchemaVersion(db: DatabaseSync, file: string): number {
  let applicationId: number;
  let version: number;
  let objects: number;
  try {
    applicationId = Number(db.prepare('PRAGMA application_id').get()?.application_id);
    version = Number(db.prepare('PRAGMA user_version').get()?.user_version);
    objects = Number(db.prepare('SELECT count(*) AS n FROM sqlite_schema').get()?.n);
  } catch (error) {
    if (isLocked(error)) throw lockedError(file, error);
    throw new StoreError(
      `${file} is not a Footprint history file, or it is damaged (SQLite: ${describe(error)}). Footprint leaves it untouched: point the history setting at another file, or restore this one from a backup.`,
      { cause: error },
    );
  }
  if (applicationId === APPLICATION_ID) {
    if (version > SCHEMA_VERSION) {
      throw new StoreError(
        `${file} was written by a newer Footprint (history schema version ${version}; this version knows up to ${SCHEMA_VERSION}). Footprint leaves it untouched: upgrade Footprint to open it.`,
      );
    }
    return version;
  }
  if (applicationId === 0 && version === 0 && objects === 0) return 0;
  throw new StoreError(
    `${file} is a SQLite database of another application (application_id ${applicationId}, ${objects} schema objects), not a Footprint history file. Footprint leaves it untouched: point the history setting at another file.`,
  );
}

/**
 * The key of a series in the heads cache. Joined, not `+`: the cache keeps every key while the store is
 * open, and a concatenation stays a rope of three pieces (at 10,000 repositories, ~150,000 keys).
 */
function headKey(metric: string, labels: string): string {
  return [metric, labels].join('\u0000');
}

export class HistoryStore {
  /** Absolute path of the history file, or ':memory:'. */
  readonly file: string;
  readonly #db: DatabaseSync;
  readonly #statements: Statements;
  readonly #chunks: PointChunks;
  readonly #retentionMs: number | null;
  /** Newest point per series, by source then `metric\0labels`: ingest compares against these without a read per sample. */
  readonly #heads = new Map<string, Map<string, Head>>();
  /** PRAGMA data_version after our last transaction: if another connection commits, the cache above is dropped. */
  #dataVersion: number;
  #lastRetentionAt: number | null = null;

  private constructor(file: string, db: DatabaseSync, statements: Statements, retentionMs: number | null) {
    this.file = file;
    this.#db = db;
    this.#statements = statements;
    this.#chunks = new PointChunks(db);
    this.#retentionMs = retentionMs;
    this.#dataVersion = this.#readDataVersion();
  }

  /** Opens (creating it and its folder if needed) a history file; ':memory:' gives a throwaway store. */
  static open(file: string, options: HistoryStoreOptions = {}): HistoryStore {
    requireText(file, 'history file');
    const retentionMs = options.retentionMs ?? null;
    if (retentionMs !== null && !(Number.isSafeInteger(retentionMs) && retentionMs > 0)) {
      throw new StoreError(`retentionMs must be a positive whole number of milliseconds, or null to keep everything (got ${String(retentionMs)})`);
    }
    const inMemory = file === ':memory:';
    const location = inMemory ? file : path.resolve(file);
    if (!inMemory) {
      const problem = historyFileProblem(location);
      if (problem !== null) throw new HistoryFileError(problem);
      try {
        mkdirSync(path.dirname(location), { recursive: true });
      } catch (error) {
        throw new StoreError(`cannot create the folder of the history file ${location}: ${describe(error)}`, { cause: error });
      }
      // Look at an existing file through a read-only connection first, so a file we refuse is not
      // even checkpointed.
      if (existsSync(location)) {
        let probe: DatabaseSync;
        try {
          probe = new DatabaseSync(location, { readOnly: true, timeout: BUSY_TIMEOUT_MS });
        } catch (error) {
          throw new StoreError(`cannot open the history file ${location}: ${describe(error)}`, { cause: error });
        }
        try {
          readSchemaVersion(probe, location);
        } finally {
          probe.close();
        }
      }
    }
    let db: DatabaseSync;
    try {
      // timeout = busy_timeout: another process on the same file (`footprint export` while the app
      // polls) waits for a write to finish instead of failing with "database is locked".
      db = new DatabaseSync(location, { timeout: BUSY_TIMEOUT_MS });
    } catch (error) {
      throw new StoreError(`cannot open the history file ${location}: ${describe(error)}`, { cause: error });
    }
    try {
      const version = readSchemaVersion(db, location);
      // WAL: readers never block the poller, and a killed process leaves committed data intact.
      // synchronous=NORMAL: a commit survives a process crash; only a power cut can lose the last
      // polls, never the file's consistency.
      db.exec('PRAGMA journal_mode = WAL');
      db.exec('PRAGMA synchronous = NORMAL');
      // A year of history is hundreds of MB; 16 MB of page cache (default 2 MB) keeps the
      // series' newest pages in memory between polls.
      db.exec('PRAGMA cache_size = -16000');
      // Incremental auto-vacuum, so pages freed by retention go back to the filesystem. It can be
      // switched on only before the first table, or by a VACUUM.
      if (version === 0) db.exec('PRAGMA auto_vacuum = INCREMENTAL');
      applyMigrations(db, version);
      if (version > 0 && version < CHUNKS_VERSION) {
        // The migration to chunks freed most of the file's pages: rewrite the file without them.
        db.exec('PRAGMA auto_vacuum = INCREMENTAL');
        db.exec('VACUUM');
      }
      return new HistoryStore(location, db, prepareStatements(db), retentionMs);
    } catch (error) {
      db.close();
      if (error instanceof StoreError) throw error;
      if (isLocked(error)) throw lockedError(location, error);
      throw new StoreError(`${location} cannot be used as a Footprint history file: ${describe(error)}. Footprint did not delete anything.`, { cause: error });
    }
  }

  /**
   * Stores one poll of a source: a sample whose value equals its series' newest point extends that
   * point's last-seen time; a different value starts a new point. All or nothing, in one transaction.
   */
  ingest(source: string, samples: readonly Sample[], time: number): { changed: number; extended: number } {
    requireText(source, 'ingest: source');
    requireStoredTime(time, 'ingest: time');
    if (!Array.isArray(samples)) throw new StoreError('ingest: samples must be an array');
    return this.#guard('ingest', () => {
      const db = this.#db;
      db.exec('BEGIN IMMEDIATE');
      let result: { changed: number; extended: number };
      try {
        this.#dropCacheIfChangedElsewhere();
        result = this.#writeSamples(source, samples, time);
        db.exec('COMMIT');
      } catch (error) {
        if (db.isTransaction) db.exec('ROLLBACK');
        this.#heads.delete(source);
        this.#chunks.forgetTails();
        throw error;
      }
      if (this.#retentionMs !== null && (this.#lastRetentionAt === null || time - this.#lastRetentionAt >= RETENTION_INTERVAL_MS)) {
        this.applyRetention(time);
      }
      return result;
    });
  }

  #writeSamples(source: string, samples: readonly Sample[], time: number): { changed: number; extended: number } {
    const statements = this.#statements;
    const heads = this.#sourceHeads(source);
    const extendIds: number[] = [];
    let changed = 0;
    let extended = 0;
    for (let i = 0; i < samples.length; i++) {
      const sample = samples[i]!;
      const metric = sample?.metric;
      if (typeof metric !== 'string' || metric === '') throw new StoreError(`ingest(${source}): sample ${i} has no metric name`);
      const value = sample.value;
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new StoreError(`ingest(${source}): ${metric} has value ${String(value)}; sample values must be finite numbers`);
      }
      const labels = canonicalLabels(sample.labels, () => `ingest(${source}): ${metric}`);
      const key = headKey(metric, labels);
      const head = heads.get(key);
      if (head === undefined) {
        const id = Number(statements.insertSeries.run(source, metric, labels, time, time).lastInsertRowid);
        statements.insertHead.run(id, time, time, value);
        heads.set(key, { id, tFirst: time, tLast: time, value, liveSince: time });
        changed++;
        continue;
      }
      if (head.liveSince === null && this.#takeOver(head, time)) {
        // Every dated value was at or after this poll: the poll's value starts the series afresh.
        statements.putHead.run(head.id, time, time, value);
        Object.assign(head, { tFirst: time, tLast: time, value });
        changed++;
      } else if (time < head.tLast) {
        throw new StoreError(
          `ingest(${source}): time ${isoTime(time)} is before ${metric}${labels} was last stored (${isoTime(head.tLast)}); times must not go backwards (is the system clock right?)`,
        );
      } else if (value === head.value) {
        if (time > head.tLast) {
          extendIds.push(head.id);
          head.tLast = time;
        }
        extended++;
      } else if (time === head.tFirst) {
        // Two values for one series at one time: the later one wins.
        statements.setHeadValue.run(head.id, value);
        head.value = value;
        changed++;
      } else {
        this.#chunks.append(head.id, { tFirst: head.tFirst, tLast: head.tLast, value: head.value });
        statements.setHead.run(head.id, time, value);
        head.tFirst = time;
        head.tLast = time;
        head.value = value;
        changed++;
      }
    }
    if (extendIds.length > 0) statements.extendHeads.run(time, JSON.stringify(extendIds));
    return { changed, extended };
  }

  /**
   * The first poll of a series that dated samples alone wrote until now: from this time on polls
   * own it. Dated runs at or after it are dropped (a day's value stamped at the end of today, say)
   * and the run it falls in ends just before it. True when nothing was left.
   */
  #takeOver(head: Head, time: number): boolean {
    const statements = this.#statements;
    statements.setLiveSince.run(head.id, time);
    head.liveSince = time;
    if (head.tLast < time) return false;
    let run: Run | undefined = head;
    if (head.tFirst >= time) {
      // The newest stored point before the poll becomes the head.
      run = this.#chunks.atOrBefore(head.id, time - 1);
      this.#chunks.deleteFrom(head.id, run === undefined ? time : run.tFirst);
    } else {
      this.#chunks.deleteFrom(head.id, time);
    }
    if (run === undefined) return true;
    const tLast = Math.min(run.tLast, time - 1);
    statements.putHead.run(head.id, run.tFirst, tLast, run.value);
    Object.assign(head, { tFirst: run.tFirst, tLast, value: run.value });
    return false;
  }

  /**
   * Stores samples that carry their own time (backfilled history, a day's downloads): each merges
   * into its series' runs (dated-merge.ts). Idempotent; a later value for the same time revises it;
   * samples may be older than the newest point and arrive in any order. A series a poll has stored
   * keeps what polls saw: dated samples at or after the time a poll first stored it are skipped.
   * Markers and a backfill step's task progress (`extra`) are stored in the same transaction, so a
   * crash never keeps the samples without the cursor that follows them, or the other way round.
   */
  ingestDated(source: string, samples: readonly DatedSample[], extra: DatedIngestExtra = {}): DatedIngestResult {
    requireText(source, 'ingestDated: source');
    if (!Array.isArray(samples)) throw new StoreError('ingestDated: samples must be an array');
    const groups = groupDated(source, samples);
    const markers = (extra.markers ?? []).map((marker, index) => checkMarker(source, marker, index));
    const backfill = extra.backfill === undefined ? null : checkTaskUpdates(source, extra.backfill);
    return this.#guard('ingestDated', () => {
      const db = this.#db;
      db.exec('BEGIN IMMEDIATE');
      try {
        this.#dropCacheIfChangedElsewhere();
        const heads = this.#sourceHeads(source);
        const result: DatedIngestResult = { changedSeries: 0, changedIds: [], skipped: 0 };
        for (const [key, group] of groups) {
          const merged = this.#mergeDatedSeries(source, heads, key, group);
          if (merged.changed) {
            result.changedSeries++;
            result.changedIds.push(merged.id);
          }
          result.skipped += merged.skipped;
        }
        for (const marker of markers) this.#statements.upsertMarker.run(source, marker.kind, marker.labels, marker.text, marker.time);
        if (backfill !== null) this.#writeTaskUpdates(source, backfill);
        db.exec('COMMIT');
        return result;
      } catch (error) {
        if (db.isTransaction) db.exec('ROLLBACK');
        this.#heads.delete(source);
        this.#chunks.forgetTails();
        throw error;
      }
    });
  }

  #mergeDatedSeries(source: string, heads: Map<string, Head>, key: string, group: DatedGroup): { id: number; changed: boolean; skipped: number } {
    const statements = this.#statements;
    const sorted = [...group.values].sort((a, b) => a[0] - b[0]);
    const head = heads.get(key);
    if (head === undefined) {
      const runs = mergeDated([], group.values);
      const id = Number(statements.insertSeries.run(source, group.metric, group.labels, runs[0]!.tFirst, null).lastInsertRowid);
      this.#chunks.insert(id, runs.slice(0, -1));
      const newest = runs.at(-1)!;
      statements.insertHead.run(id, newest.tFirst, newest.tLast, newest.value);
      heads.set(key, { id, ...newest, liveSince: null });
      return { id, changed: true, skipped: 0 };
    }
    const liveSince = head.liveSince;
    const accepted = liveSince === null ? sorted : sorted.filter(([time]) => time < liveSince);
    const skipped = sorted.length - accepted.length;
    if (accepted.length === 0) return { id: head.id, changed: false, skipped };
    const first = accepted[0]![0];
    const last = accepted.at(-1)![0];
    // The stretch of runs the samples can change: from the newest run that starts before the first
    // sample to the first run that starts after the last one; the runs outside keep their boundaries.
    const chunks = this.#chunks;
    const stretch: Run[] = [];
    let withHead = true;
    if (head.tFirst < first) {
      stretch.push(head);
    } else {
      const before = chunks.atOrBefore(head.id, first - 1);
      if (before !== undefined) stretch.push(before);
      stretch.push(...chunks.between(head.id, first, last));
      const after = head.tFirst <= last ? undefined : chunks.after(head.id, last);
      if (after !== undefined) {
        stretch.push(after);
        withHead = false;
      } else {
        stretch.push(head);
      }
    }
    const merged = mergeDated(stretch, new Map(accepted));
    if (sameRuns(stretch, merged)) return { id: head.id, changed: false, skipped };
    // The stored (not head) points of the stretch are replaced by the merged ones, in the chunks
    // that hold them: decoded, merged and encoded again in this transaction.
    const stored = withHead ? merged.slice(0, -1) : merged;
    const oldStored = stretch.filter((run) => run !== head);
    const starts = [...oldStored, ...stored].map((run) => run.tFirst);
    if (starts.length > 0) chunks.replace(head.id, Math.min(...starts), Math.max(...starts), stored);
    if (withHead) {
      const newest = merged.at(-1)!;
      statements.putHead.run(head.id, newest.tFirst, newest.tLast, newest.value);
      Object.assign(head, { tFirst: newest.tFirst, tLast: newest.tLast, value: newest.value });
    }
    statements.moveFirstSeen.run(head.id, merged[0]!.tFirst);
    return { id: head.id, changed: true, skipped };
  }

  #writeTaskUpdates(source: string, backfill: { time: number; tasks: readonly BackfillTaskUpdate[] }): void {
    const statements = this.#statements;
    const { time } = backfill;
    for (const update of backfill.tasks) {
      const { key, requests, outcome } = update;
      const common = { source, key, requests, time };
      let changes: number;
      if (outcome.kind === 'progress') {
        changes = Number(statements.taskProgress.run({
          ...common, state: outcome.cursor === null ? 'done' : 'running', cursor: outcome.cursor, done: outcome.doneUnits, total: outcome.totalUnits,
        }).changes);
      } else if (outcome.kind === 'unavailable') {
        changes = Number(statements.taskUnavailable.run({ ...common, reason: outcome.reason }).changes);
      } else {
        changes = Number(statements.taskFailed.run({ ...common, reason: outcome.error, retryAt: outcome.retryAt }).changes);
      }
      if (changes === 0) throw new StoreError(`backfill of ${source}: there is no task "${key}" to update (plan it first)`);
    }
  }

  /**
   * Stores a source's backfill plan: new tasks start pending, known ones keep their progress (and
   * take the new title and estimate), tasks the plan no longer has are kept but marked unplanned.
   */
  planBackfill(source: string, tasks: readonly PlannedBackfillTask[], time: number): { added: number } {
    requireText(source, 'planBackfill: source');
    requireStoredTime(time, 'planBackfill: time');
    if (!Array.isArray(tasks)) throw new StoreError('planBackfill: tasks must be an array');
    const checked = tasks.map((task, index) => checkPlannedTask(source, task, index));
    return this.#guard('planBackfill', () => {
      const db = this.#db;
      const statements = this.#statements;
      db.exec('BEGIN IMMEDIATE');
      try {
        const known = new Set((statements.taskKeys.all(source) as { task_key: string }[]).map((row) => row.task_key));
        statements.unplanTasks.run(source);
        let added = 0;
        for (const task of checked) {
          if (!known.has(task.key)) {
            known.add(task.key);
            added++;
          }
          statements.planTask.run({ source, key: task.key, title: task.title, target: task.target, total: task.totalUnits, estimated: task.estimatedRequests, time });
        }
        db.exec('COMMIT');
        return { added };
      } catch (error) {
        if (db.isTransaction) db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  /** Stored backfill tasks, of one source or all, in the order they were first planned. */
  backfillTasks(source?: string): StoredBackfillTask[] {
    if (source !== undefined) requireText(source, 'backfillTasks: source');
    return this.#guard('backfillTasks', () => (this.#statements.tasks.all({ source: source ?? null }) as unknown as TaskRow[]).map(toStoredTask));
  }

  /** Starts a source's planned tasks (those of one target, when given) over from the beginning. */
  resetBackfill(source: string, time: number, filter: { target?: string } = {}): { reset: number } {
    requireText(source, 'resetBackfill: source');
    requireStoredTime(time, 'resetBackfill: time');
    if (filter.target !== undefined) requireText(filter.target, 'resetBackfill: target');
    return this.#guard('resetBackfill', () => ({ reset: Number(this.#statements.resetTasks.run({ source, time, target: filter.target ?? null }).changes) }));
  }

  /**
   * Records the settings (a fingerprint) a source's backfill now runs with. When they differ from the
   * ones recorded before, its unavailable and failed tasks are tried again from where they stopped: a
   * token added, or one with more access, may read what the old settings could not. The first record
   * of a source reopens nothing.
   */
  useBackfillSettings(source: string, fingerprint: string, time: number): { reopened: number } {
    requireText(source, 'useBackfillSettings: source');
    requireText(fingerprint, 'useBackfillSettings: fingerprint');
    requireStoredTime(time, 'useBackfillSettings: time');
    return this.#guard('useBackfillSettings', () => {
      const db = this.#db;
      const statements = this.#statements;
      db.exec('BEGIN IMMEDIATE');
      try {
        const before = statements.settingsFingerprint.get(source) as { fingerprint: string } | undefined;
        const reopened = before !== undefined && before.fingerprint !== fingerprint ? Number(statements.reopenTasks.run({ source, time }).changes) : 0;
        statements.putSettingsFingerprint.run(source, fingerprint);
        db.exec('COMMIT');
        return { reopened };
      } catch (error) {
        if (db.isTransaction) db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  /** A source's markers between start and end (inclusive), oldest first, at most `limit`. */
  markers(query: MarkerQuery): { markers: StoredMarker[]; more: boolean } {
    if (query === null || typeof query !== 'object') throw new StoreError('markers: query must be an object { source, start, end, limit }');
    requireText(query.source, 'markers: source');
    const start = requireFinite(query.start, 'markers: start');
    const end = requireFinite(query.end, 'markers: end');
    if (end < start) throw new StoreError(`markers: end (${isoTime(end)}) is before start (${isoTime(start)})`);
    if (!(Number.isSafeInteger(query.limit) && query.limit > 0)) throw new StoreError(`markers: limit must be a positive whole number (got ${String(query.limit)})`);
    const labels = query.labels;
    if (labels !== undefined && (labels === null || typeof labels !== 'object')) throw new StoreError('markers: labels must be an object of label name to value');
    const wanted = labels === undefined ? [] : Object.entries(labels).filter((entry): entry is [string, string] => entry[1] !== undefined);
    return this.#guard('markers', () => {
      const found: StoredMarker[] = [];
      for (const row of this.#statements.markersInRange.iterate(query.source, start, end) as Iterable<{ kind: string; labels: string; text: string; time: number }>) {
        const rowLabels = JSON.parse(row.labels) as Labels;
        if (!wanted.every(([name, value]) => rowLabels[name] === value)) continue;
        if (found.length === query.limit) return { markers: found, more: true };
        found.push({ kind: row.kind, labels: rowLabels, time: row.time, text: row.text });
      }
      return { markers: found, more: false };
    });
  }

  #sourceHeads(source: string): Map<string, Head> {
    let heads = this.#heads.get(source);
    if (heads === undefined) {
      heads = new Map();
      for (const row of this.#statements.sourceHeads.all(source) as unknown as SeriesRow[]) {
        heads.set(headKey(row.metric, row.labels), { id: row.id, tFirst: row.t_first, tLast: row.t_last, value: row.value, liveSince: row.live_since });
      }
      this.#heads.set(source, heads);
    }
    return heads;
  }

  #readDataVersion(): number {
    return Number(this.#statements.dataVersion.get()?.data_version);
  }

  #dropCacheIfChangedElsewhere(): void {
    const version = this.#readDataVersion();
    if (version !== this.#dataVersion) {
      this.#heads.clear();
      this.#chunks.forgetTails();
      this.#dataVersion = version;
    }
  }

  /** Records one collection attempt of a source; a success counts as complete only when every target worked. */
  recordRun(source: string, run: { time: number; ok: boolean; complete: boolean; error?: string | null }): void {
    requireText(source, 'recordRun: source');
    requireStoredTime(run?.time, 'recordRun: run.time');
    if (typeof run.ok !== 'boolean') throw new StoreError('recordRun: run.ok must be true or false');
    const error = run.error === undefined || run.error === null ? null : String(run.error).slice(0, MAX_ERROR_CHARS);
    this.#guard('recordRun', () => {
      this.#statements.upsertRun.run({
        source,
        time: run.time,
        success: run.ok ? run.time : null,
        complete: run.ok && run.complete ? run.time : null,
        error,
      });
    });
  }

  sourceRuns(): SourceRun[] {
    return this.#guard('sourceRuns', () =>
      (this.#statements.runs.all() as unknown as RunRow[]).map((row) => ({
        source: row.source,
        lastAttempt: row.last_attempt,
        lastSuccess: row.last_success,
        lastCompleteSuccess: row.last_complete_success,
        lastError: row.last_error,
      })),
    );
  }

  series(filter: SeriesFilter = {}): SeriesInfo[] {
    return this.#matchingSeries(filter, (row, labels) => ({ id: row[0], source: row[1], metric: row[2], labels, firstSeen: row[4], lastSeen: row[7] }));
  }

  /** The newest value of each matching series and since when it holds. */
  latest(filter: SeriesFilter = {}): LatestPoint[] {
    // One object per series (the Overview books every headline series at each poll).
    return this.#matchingSeries(filter, (row, labels) => ({ id: row[0], source: row[1], metric: row[2], labels, firstSeen: row[4], lastSeen: row[7], value: row[8], since: row[6] }));
  }

  #matchingSeries<T>(filter: SeriesFilter, make: (row: SeriesTuple, labels: Labels) => T): T[] {
    if (filter === null || typeof filter !== 'object') throw new StoreError('series filter must be an object');
    const { source, metric, labels, seenSince, polled } = filter;
    if (polled !== undefined && typeof polled !== 'boolean') throw new StoreError('series filter: polled must be true or false');
    if (source !== undefined) requireText(source, 'series filter: source');
    if (metric !== undefined) requireText(metric, 'series filter: metric');
    if (seenSince !== undefined) requireFinite(seenSince, 'series filter: seenSince');
    if (labels !== undefined && (labels === null || typeof labels !== 'object')) throw new StoreError('series filter: labels must be an object of label name to value');
    const wanted = labels === undefined ? [] : Object.entries(labels).filter((entry): entry is [string, string] => entry[1] !== undefined);
    return this.#guard('series', () => {
      const found: T[] = [];
      const query = { source: source ?? null, metric: metric ?? null, seenSince: seenSince ?? null, polled: polled === undefined ? null : Number(polled) };
      for (const row of this.#statements.seriesList.iterate(query) as Iterable<SeriesTuple>) {
        const rowLabels = JSON.parse(row[3]) as Labels;
        if (wanted.every(([name, value]) => rowLabels[name] === value)) found.push(make(row, rowLabels));
      }
      return found;
    });
  }

  #seriesRow(id: number, action: string): SeriesRow {
    const row = this.#statements.seriesById.get(id) as unknown as SeriesRow | undefined;
    if (row === undefined) throw new StoreError(`${action}: there is no series with id ${id} in ${this.file}`);
    return row;
  }

  /** The value the series had at `time` (the newest point that started at or before it); null before it existed. */
  valueAt(seriesId: number, time: number): number | null {
    requireSeriesIds([seriesId], 'valueAt: seriesId');
    requireFinite(time, 'valueAt: time');
    return this.#guard('valueAt', () => this.#valueAt(this.#seriesRow(seriesId, 'valueAt'), time));
  }

  #valueAt(head: SeriesRow, time: number): number | null {
    if (head.t_first <= time) return head.value;
    return this.#chunks.atOrBefore(head.id, time)?.value ?? null;
  }

  /** Until when (epoch ms) the receiver at `url` has been sent every step; null for a receiver never sent to. */
  remoteWriteCursor(url: string): number | null {
    requireText(url, 'remoteWriteCursor: url');
    return this.#guard('remoteWriteCursor', () => (this.#statements.remoteWriteCursor.get(url)?.sent_until as number | undefined) ?? null);
  }

  setRemoteWriteCursor(url: string, sentUntil: number, time: number): void {
    requireText(url, 'setRemoteWriteCursor: url');
    requireStoredTime(sentUntil, 'setRemoteWriteCursor: sentUntil');
    requireStoredTime(time, 'setRemoteWriteCursor: time');
    this.#guard('setRemoteWriteCursor', () => {
      this.#statements.putRemoteWriteCursor.run(url, sentUntil, time);
    });
  }

  /**
   * Samples each series at start, start+step, … ≤ end (for charts): the value at a step time is the
   * newest point that started at or before it; null before the series existed or, with staleMs,
   * once the point was last seen more than staleMs before the step time.
   */
  range(seriesIds: readonly number[], query: RangeQuery): RangeSeries[] {
    requireSeriesIds(seriesIds, 'range: seriesIds');
    const { times, staleMs } = rangeTimes(query, 'range');
    const count = times.length;
    return this.#guard('range', () => {
      // Batched: one query for the series, one for the chunks of those older than the range's start
      // (a query per series cost ~7 µs each in calls alone: 10,000 sparkline series took 0.3 s).
      const heads = new Map<number, SeriesRow>();
      for (const row of this.#statements.seriesMany.all(JSON.stringify(seriesIds)) as unknown as SeriesRow[]) heads.set(row.id, row);
      const missing = seriesIds.find((id) => !heads.has(id));
      if (missing !== undefined) throw new StoreError(`range: there is no series with id ${missing} in ${this.file}`);
      const older = [...heads.values()].filter((head) => head.t_first > times[0]!).map((head) => head.id);
      const chunks = this.#chunks.chunksFrom(older, times[0]!, times[count - 1]!);
      return seriesIds.map((id) => {
        const head = heads.get(id)!;
        const values = new Array<number | null>(count).fill(null);
        sampleRuns(chunks.get(id) ?? [], { tFirst: head.t_first, tLast: head.t_last, value: head.value }, times, staleMs, values);
        return { series: toSeriesInfo(head), times, values };
      });
    });
  }

  /**
   * range() summed per group of series (a series may be in several): null at a time where none of
   * a group's series has a value. No list of values per series and no labels are made, which is
   * what the Overview's sparklines need at 10,000 repositories.
   */
  rangeSums(groups: readonly (readonly number[])[], query: RangeQuery): { times: number[]; sums: (number | null)[][] } {
    if (!Array.isArray(groups)) throw new StoreError('rangeSums: groups must be an array of arrays of series ids');
    const memberOf = new Map<number, number[]>();
    groups.forEach((group, index) => {
      for (const id of requireSeriesIds(group, 'rangeSums: groups')) {
        const list = memberOf.get(id);
        if (list === undefined) memberOf.set(id, [index]);
        else if (list.at(-1) !== index) list.push(index);
      }
    });
    const { times, staleMs } = rangeTimes(query, 'rangeSums');
    const count = times.length;
    const sums = groups.map(() => new Array<number | null>(count).fill(null));
    return this.#guard('rangeSums', () => {
      const ids = [...memberOf.keys()];
      const heads = new Map<number, Run>();
      for (const [id, tFirst, tLast, value] of this.#statements.headsMany.iterate(JSON.stringify(ids)) as Iterable<HeadTuple>) heads.set(id, { tFirst, tLast, value });
      const missing = ids.find((id) => !heads.has(id));
      if (missing !== undefined) throw new StoreError(`rangeSums: there is no series with id ${missing} in ${this.file}`);
      const older = ids.filter((id) => heads.get(id)!.tFirst > times[0]!);
      const chunks = this.#chunks.chunksFrom(older, times[0]!, times[count - 1]!);
      const values = new Array<number | null>(count);
      for (const id of ids) {
        values.fill(null);
        sampleRuns(chunks.get(id) ?? [], heads.get(id)!, times, staleMs, values);
        for (const group of memberOf.get(id)!) {
          const sum = sums[group]!;
          for (let index = 0; index < count; index++) {
            const value = values[index];
            if (value !== null && value !== undefined) sum[index] = (sum[index] ?? 0) + value;
          }
        }
      }
      return { times, sums };
    });
  }

  /**
   * For each series, how much its latest value differs from its value one window ago, per window.
   * The series are read together (see the body); a window given twice is looked up once.
   */
  changes(seriesIds: readonly number[], windowsMs: readonly number[], now: number): SeriesChange[] {
    requireSeriesIds(seriesIds, 'changes: seriesIds');
    if (!Array.isArray(windowsMs)) throw new StoreError('changes: windowsMs must be an array of durations in ms');
    for (const windowMs of windowsMs) {
      if (!(requireFinite(windowMs, 'changes: windowsMs') > 0)) throw new StoreError(`changes: window ${windowMs} ms must be greater than 0`);
    }
    requireFinite(now, 'changes: now');
    const windows = [...new Set(windowsMs)].sort((a, b) => a - b);
    return this.#guard('changes', () => {
      // Batched: one query for the heads, one per window for the chunks, one for first points; a
      // query per series and window cost ~7 µs each in calls alone (0.5 s for the Overview at 10,000
      // repositories). What each series needs is kept in typed arrays by position and rows are used
      // as they come: maps of maps per series made ~90 MB of garbage per call at 20,000 series, and
      // the collections it caused were most of the Overview's composing time (issue 15).
      const ids = [...new Set(seriesIds)];
      const count = ids.length;
      const position = new Map<number, number>();
      for (let at = 0; at < count; at++) position.set(ids[at]!, at);
      const headStart = new Float64Array(count).fill(Number.NaN);
      const headValue = new Float64Array(count);
      for (const [id, tFirst, , value] of this.#statements.headsMany.iterate(JSON.stringify(ids)) as Iterable<HeadTuple>) {
        const at = position.get(id)!;
        headStart[at] = tFirst;
        headValue[at] = value;
      }
      const missing = ids.findIndex((_, at) => Number.isNaN(headStart[at]));
      if (missing !== -1) throw new StoreError(`changes: there is no series with id ${ids[missing]} in ${this.file}`);
      // bases[at * span + w]: the value one window ago; NaN when nothing is stored that far back.
      const span = windows.length;
      const bases = new Float64Array(count * span).fill(Number.NaN);
      // The chunk last read for each series: newest time first, a chunk read for one window also
      // answers an older window that falls inside it.
      const chunkStart = new Float64Array(count).fill(Number.POSITIVE_INFINITY);
      const chunkData: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(count);
      const exhausted = new Uint8Array(count); // nothing stored this far back, nor further
      const found = new Uint8Array(count);
      for (let w = 0; w < span; w++) {
        const time = now - windows[w]!;
        const unread: number[] = [];
        for (let at = 0; at < count; at++) {
          if (headStart[at]! <= time) bases[at * span + w] = headValue[at]!;
          else if (exhausted[at] === 0 && chunkStart[at]! > time) unread.push(ids[at]!);
        }
        if (unread.length > 0) {
          found.fill(0);
          this.#chunks.eachChunkAtOrBefore(unread, time, (id, tFirst, data) => {
            const at = position.get(id)!;
            chunkStart[at] = tFirst;
            chunkData[at] = data;
            found[at] = 1;
          });
          for (const id of unread) {
            const at = position.get(id)!;
            if (found[at] === 0) {
              exhausted[at] = 1;
              chunkData[at] = undefined;
            }
          }
        }
        for (let at = 0; at < count; at++) {
          const data = chunkData[at];
          if (headStart[at]! <= time || exhausted[at] === 1 || data === undefined) continue;
          bases[at * span + w] = valueInChunk(data, time) ?? Number.NaN;
        }
      }
      // A series younger than a window: the change since its first value (the head's when nothing older is stored).
      const firstStart = headStart.slice();
      const firstValue = headValue.slice();
      this.#chunks.eachOldest(ids.filter((_, at) => exhausted[at] === 1), (id, tFirst, value) => {
        const at = position.get(id)!;
        firstStart[at] = tFirst;
        firstValue[at] = value;
      });
      const windowIndex = new Map(windows.map((windowMs, w) => [windowMs, w]));
      return seriesIds.map((seriesId) => {
        const at = position.get(seriesId)!;
        const latest = headValue[at]!;
        return {
          seriesId,
          latest,
          changes: windowsMs.map((windowMs) => {
            const base = bases[at * span + windowIndex.get(windowMs)!]!;
            if (!Number.isNaN(base)) return { windowMs, delta: latest - base, baseTime: now - windowMs };
            return { windowMs, delta: latest - firstValue[at]!, baseTime: firstStart[at]! };
          }),
        };
      });
    });
  }

  /**
   * Deletes the points superseded before now - retention. The point that was current at that time
   * stays (so every value inside the window is still known), and so does each series' newest point.
   */
  applyRetention(now: number): { deletedPoints: number } {
    requireFinite(now, 'applyRetention: now');
    const retentionMs = this.#retentionMs;
    if (retentionMs === null) return { deletedPoints: 0 };
    this.#lastRetentionAt = now;
    return this.#guard('applyRetention', () => {
      const db = this.#db;
      const statements = this.#statements;
      db.exec('BEGIN IMMEDIATE');
      try {
        let deletedPoints = 0;
        const cutoff = now - retentionMs;
        for (const head of statements.headsAll.all() as unknown as { id: number; t_first: number }[]) {
          // The point current at the cutoff stays, and everything after it.
          const keep = head.t_first <= cutoff ? head.t_first : this.#chunks.atOrBefore(head.id, cutoff)?.tFirst;
          if (keep !== undefined) deletedPoints += this.#chunks.deleteBefore(head.id, keep);
        }
        db.exec('COMMIT');
        // Incremental auto-vacuum: hand the freed pages back to the filesystem.
        if (deletedPoints > 0) db.exec('PRAGMA incremental_vacuum');
        return { deletedPoints };
      } catch (error) {
        if (db.isTransaction) db.exec('ROLLBACK');
        this.#chunks.forgetTails();
        throw error;
      }
    });
  }

  /**
   * Every stored point, series by series in time order. With `since`, only the points seen at or
   * after it: those that started then or later, and those that started before and were still
   * current after it. Read it to the end (or break) before writing to this store again.
   */
  exportRows(options: { since?: number } = {}): Iterable<ExportRow> {
    const since = options.since === undefined ? null : requireFinite(options.since, 'exportRows: since');
    if (!this.#db.isOpen) throw new StoreError(`exportRows: ${this.file} is closed`);
    return this.#exportRows(since);
  }

  /** The label names of the series exportRows gives for the same options, sorted: a CSV export's label columns. */
  exportLabelNames(options: { since?: number } = {}): string[] {
    const since = options.since === undefined ? null : requireFinite(options.since, 'exportLabelNames: since');
    const rows = this.#guard('exportLabelNames', () =>
      // The same series exportRows yields: every one, or those whose latest value was still seen at `since`.
      this.#db.prepare('SELECT DISTINCT j.key AS name FROM series s JOIN heads h ON h.series_id = s.id, json_each(s.labels) j WHERE ? IS NULL OR h.t_last >= ?').all(since, since) as { name: string }[],
    );
    return rows.map((row) => row.name).sort();
  }

  *#exportRows(since: number | null): Generator<ExportRow> {
    const db = this.#db;
    const seriesRows = this.#guard('exportRows', () =>
      db.prepare('SELECT s.id, s.source, s.metric, s.labels, s.first_seen, h.t_first, h.t_last, h.value FROM series s JOIN heads h ON h.series_id = s.id ORDER BY s.source, s.metric, s.labels').all() as unknown as SeriesRow[],
    );
    for (const row of seriesRows) {
      if (since !== null && row.t_last < since) continue;
      const labels = JSON.parse(row.labels) as Labels;
      const seenSince = since ?? Number.MIN_SAFE_INTEGER;
      // Points that started before the one current at `since` ended before it (a point ends where the next starts).
      const from = since === null ? seenSince : (this.#chunks.atOrBefore(row.id, since - 1)?.tFirst ?? since);
      for (const point of this.#chunks.all(row.id, from)) {
        if (point.tFirst < from || point.tLast < seenSince) continue;
        yield { source: row.source, metric: row.metric, labels, value: point.value, since: point.tFirst, lastSeen: point.tLast };
      }
      yield { source: row.source, metric: row.metric, labels, value: row.value, since: row.t_first, lastSeen: row.t_last };
    }
  }

  stats(): { series: number; points: number; fileBytes: number } {
    return this.#guard('stats', () => {
      const series = Number(this.#statements.countSeries.get()?.n);
      const points = this.#chunks.count() + Number(this.#statements.countHeads.get()?.n);
      let fileBytes = Number(this.#statements.pageBytes.get()?.n);
      if (this.file !== ':memory:') {
        fileBytes = statSync(this.file).size;
        if (existsSync(`${this.file}-wal`)) fileBytes += statSync(`${this.file}-wal`).size;
      }
      return { series, points, fileBytes };
    });
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }

  /** Errors from SQLite itself come out as StoreErrors naming the file. */
  #guard<T>(action: string, work: () => T): T {
    try {
      return work();
    } catch (error) {
      if (error instanceof StoreError) throw error;
      throw new StoreError(`${this.file}: ${action} failed: ${describe(error)}`, { cause: error });
    }
  }
}
