import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sample } from '../../shared/metrics.js';
import { HistoryStore, MAX_RANGE_POINTS, StoreError, canonicalLabels } from '../../electron/core/store/history-store.js';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, applyMigrations, type Migration } from '../../electron/core/store/migrations.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 1);

const stars = (repo: string, value: number): Sample => ({ metric: 'github_stars', labels: { repo }, value });

let dir: string;
const stores: HistoryStore[] = [];

function open(name = 'history.db', options?: { retentionMs?: number | null }): HistoryStore {
  const store = HistoryStore.open(path.join(dir, name), options);
  stores.push(store);
  return store;
}

function rawRows(file: string, sql: string): Record<string, unknown>[] {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

function thrown(work: () => unknown): Error {
  try {
    work();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'footprint-'));
});

afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('HistoryStore ingest', () => {
  it('stores a point only when the value changes and extends its last-seen time while it holds', () => {
    const store = open();
    expect(store.ingest('github', [stars('a/x', 5)], T0)).toEqual({ changed: 1, extended: 0 });
    expect(store.ingest('github', [stars('a/x', 5)], T0 + 5 * MINUTE)).toEqual({ changed: 0, extended: 1 });
    expect(store.ingest('github', [stars('a/x', 5)], T0 + 10 * MINUTE)).toEqual({ changed: 0, extended: 1 });
    expect(store.stats()).toMatchObject({ series: 1, points: 1 });
    expect([...store.exportRows()]).toEqual([
      { source: 'github', metric: 'github_stars', labels: { repo: 'a/x' }, value: 5, since: T0, lastSeen: T0 + 10 * MINUTE },
    ]);

    expect(store.ingest('github', [stars('a/x', 6)], T0 + 15 * MINUTE)).toEqual({ changed: 1, extended: 0 });
    store.close();
    // The file itself: one row per value, each with the span it was seen.
    expect(rawRows(store.file, 'SELECT t_first, t_last, value FROM all_points ORDER BY t_first')).toEqual([
      { t_first: T0, t_last: T0 + 10 * MINUTE, value: 5 },
      { t_first: T0 + 15 * MINUTE, t_last: T0 + 15 * MINUTE, value: 6 },
    ]);
  });

  it('treats labels in any order as one series', () => {
    const store = open();
    store.ingest('github', [{ metric: 'github_stars', labels: { owner: 'a', repo: 'x' }, value: 1 }], T0);
    store.ingest('github', [{ metric: 'github_stars', labels: { repo: 'x', owner: 'a' }, value: 1 }], T0 + MINUTE);
    expect(store.series()).toHaveLength(1);
    expect(store.series()[0]!.labels).toEqual({ owner: 'a', repo: 'x' });
    expect(store.stats().points).toBe(1);
    expect(canonicalLabels({ b: '2', a: '1' })).toBe('{"a":"1","b":"2"}');
    // Names and values are JSON: quotes, control characters and lone surrogates escaped.
    expect(canonicalLabels({ 'a"b': 'x\ny', c: '\ud800' })).toBe(String.raw`{"a\"b":"x\ny","c":"\ud800"}`);
  });

  it('names the source, metric and label of a label that is not text, and of labels that are not an object', () => {
    const store = open();
    const numeric = thrown(() => store.ingest('github', [{ metric: 'github_stars', labels: { repo: 7 } as unknown as Sample['labels'], value: 1 }], T0));
    expect(numeric.message).toBe('ingest(github): github_stars: label "repo" is number; label values must be text');
    const list = thrown(() => store.ingest('github', [{ metric: 'github_stars', labels: ['x'] as unknown as Sample['labels'], value: 1 }], T0));
    expect(list.message).toBe('ingest(github): github_stars: labels must be an object of label name to text value');
    const dated = thrown(() => store.ingestDated('github', [{ metric: 'github_stars', labels: { repo: null } as unknown as Sample['labels'], value: 1, time: T0 }]));
    expect(dated.message).toBe('ingestDated(github): github_stars: label "repo" is object; label values must be text');
    expect(store.stats().series).toBe(0);
  });

  it('keeps the same metric and labels of different sources apart', () => {
    const store = open();
    store.ingest('github', [stars('a/x', 1)], T0);
    store.ingest('mirror', [stars('a/x', 2)], T0);
    expect(store.latest().map((point) => [point.source, point.value])).toEqual([['github', 1], ['mirror', 2]]);
  });

  it('rejects a bad batch whole: nothing of it is stored', () => {
    const store = open();
    store.ingest('github', [stars('a/x', 1)], T0);
    const bad = thrown(() => store.ingest('github', [stars('a/x', 2), stars('a/y', Number.NaN)], T0 + MINUTE));
    expect(bad).toBeInstanceOf(StoreError);
    expect(bad.message).toMatch(/github_stars has value NaN/);
    const badLabel = thrown(() => store.ingest('github', [{ metric: 'm', labels: { repo: 7 as unknown as string }, value: 1 }], T0 + MINUTE));
    expect(badLabel.message).toMatch(/label "repo" is number/);
    expect(thrown(() => store.ingest('github', [stars('a/x', 1)], T0 + 0.5)).message).toMatch(/ingest: time must be a whole number of epoch milliseconds/);
    expect(store.latest().map((point) => point.value)).toEqual([1]);
    expect(store.series()).toHaveLength(1);

    store.ingest('github', [stars('a/x', 3)], T0 + 2 * MINUTE);
    const backwards = thrown(() => store.ingest('github', [stars('a/z', 1), stars('a/x', 3)], T0 + MINUTE));
    expect(backwards.message).toMatch(/before github_stars\{"repo":"a\/x"\} was last stored .*system clock/);
    expect(store.series()).toHaveLength(1);
    // The store keeps working after a rejected batch.
    expect(store.ingest('github', [stars('a/x', 4)], T0 + 3 * MINUTE)).toEqual({ changed: 1, extended: 0 });
    expect([...store.exportRows()].map((row) => row.value)).toEqual([1, 3, 4]);
  });

  it('lets the later of two samples of one series in one batch win', () => {
    const store = open();
    store.ingest('github', [stars('a/x', 1)], T0);
    expect(store.ingest('github', [stars('a/x', 2), stars('a/x', 3)], T0 + MINUTE)).toEqual({ changed: 2, extended: 0 });
    expect(store.latest()[0]).toMatchObject({ value: 3, since: T0 + MINUTE });
    expect(store.valueAt(store.series()[0]!.id, T0 + MINUTE - 1)).toBe(1);
  });

  it('sees what another connection wrote to the same file', () => {
    const first = open();
    const second = open();
    first.ingest('github', [stars('a/x', 1)], T0);
    second.ingest('github', [stars('a/x', 2)], T0 + MINUTE);
    // `first` has cached value 1 as the newest point; it must notice value 2 and only extend it.
    expect(first.ingest('github', [stars('a/x', 2)], T0 + 2 * MINUTE)).toEqual({ changed: 0, extended: 1 });
    expect([...first.exportRows()].map((row) => [row.value, row.since, row.lastSeen])).toEqual([
      [1, T0, T0],
      [2, T0 + MINUTE, T0 + 2 * MINUTE],
    ]);
  });
});

describe('HistoryStore queries', () => {
  function seed(store: HistoryStore): { x: number; y: number } {
    // a/x: 10 from T0, 12 from T0+2h, 15 from T0+4h (last seen T0+5h). a/y: 7 from T0+3h until T0+3h+10m.
    for (let minute = 0; minute <= 300; minute += 10) {
      const value = minute < 120 ? 10 : minute < 240 ? 12 : 15;
      const samples = [stars('a/x', value)];
      if (minute >= 180 && minute <= 190) samples.push(stars('a/y', 7));
      store.ingest('github', samples, T0 + minute * MINUTE);
    }
    const ids = Object.fromEntries(store.series().map((series) => [series.labels.repo, series.id]));
    return { x: ids['a/x']!, y: ids['a/y']! };
  }

  it('lists series and their latest values with since, filtered', () => {
    const store = open();
    const { x, y } = seed(store);
    store.ingest('docker', [{ metric: 'docker_pulls', labels: { image: 'a/x' }, value: 99 }], T0 + 300 * MINUTE);
    expect(store.latest({ source: 'github' })).toEqual([
      { id: x, source: 'github', metric: 'github_stars', labels: { repo: 'a/x' }, firstSeen: T0, lastSeen: T0 + 300 * MINUTE, value: 15, since: T0 + 240 * MINUTE },
      { id: y, source: 'github', metric: 'github_stars', labels: { repo: 'a/y' }, firstSeen: T0 + 180 * MINUTE, lastSeen: T0 + 190 * MINUTE, value: 7, since: T0 + 180 * MINUTE },
    ]);
    expect(store.series({ metric: 'docker_pulls' }).map((series) => series.labels)).toEqual([{ image: 'a/x' }]);
    expect(store.series({ labels: { repo: 'a/y' } }).map((series) => series.id)).toEqual([y]);
    expect(store.series({ labels: { repo: 'a/y', other: undefined } }).map((series) => series.id)).toEqual([y]);
    expect(store.series({ source: 'github', seenSince: T0 + 200 * MINUTE }).map((series) => series.id)).toEqual([x]);
    expect(store.series({ source: 'npm' })).toEqual([]);
  });

  it('gives the value at a time: the newest point that started at or before it', () => {
    const store = open();
    const { x } = seed(store);
    expect(store.valueAt(x, T0 - 1)).toBeNull();
    expect(store.valueAt(x, T0)).toBe(10);
    expect(store.valueAt(x, T0 + 119 * MINUTE)).toBe(10);
    expect(store.valueAt(x, T0 + 120 * MINUTE)).toBe(12);
    expect(store.valueAt(x, T0 + 10 * DAY)).toBe(15);
    expect(thrown(() => store.valueAt(12345, T0)).message).toMatch(/no series with id 12345/);
  });

  it('samples a range at each step, null before the series existed', () => {
    const store = open();
    const { x, y } = seed(store);
    const [rx, ry] = store.range([x, y], { start: T0 - HOUR, end: T0 + 6 * HOUR, step: HOUR });
    const times = Array.from({ length: 8 }, (_, i) => T0 + (i - 1) * HOUR);
    expect(rx!.series).toMatchObject({ id: x, labels: { repo: 'a/x' } });
    expect(rx!.times).toEqual(times);
    expect(rx!.values).toEqual([null, 10, 10, 12, 12, 15, 15, 15]);
    expect(ry!.times).toEqual(times);
    expect(ry!.values).toEqual([null, null, null, null, 7, 7, 7, 7]);
    // A step that does not land on end stops before it.
    expect(store.range([x], { start: T0, end: T0 + 150 * MINUTE, step: HOUR })[0]!.times).toEqual([T0, T0 + HOUR, T0 + 2 * HOUR]);
  });

  it('reports a value as null once it is stale, when asked to', () => {
    const store = open();
    const { y } = seed(store);
    // a/y was last seen at 3h10m.
    const query = { start: T0 + 3 * HOUR, end: T0 + 5 * HOUR, step: 30 * MINUTE };
    expect(store.range([y], { ...query, staleMs: 30 * MINUTE })[0]!.values).toEqual([7, 7, null, null, null]);
    expect(store.range([y], { ...query, staleMs: 0 })[0]!.values).toEqual([7, null, null, null, null]);
    expect(store.range([y], query)[0]!.values).toEqual([7, 7, 7, 7, 7]);
  });

  it('applies staleness to older points too, where the series went unseen for a while', () => {
    const store = open();
    store.ingest('github', [stars('a/x', 1)], T0);
    store.ingest('github', [stars('a/x', 1)], T0 + 10 * MINUTE);
    store.ingest('github', [stars('a/x', 2)], T0 + 3 * HOUR);
    const id = store.series()[0]!.id;
    const values = store.range([id], { start: T0, end: T0 + 3 * HOUR, step: HOUR, staleMs: 15 * MINUTE })[0]!.values;
    expect(values).toEqual([1, null, null, 2]);
  });

  it('rejects a bad step, an inverted range, too many points and unknown series', () => {
    const store = open();
    const { x } = seed(store);
    expect(thrown(() => store.range([x], { start: T0, end: T0 + HOUR, step: 0 }))).toBeInstanceOf(StoreError);
    expect(thrown(() => store.range([x], { start: T0, end: T0 + HOUR, step: -5 })).message).toMatch(/step must be greater than 0/);
    expect(thrown(() => store.range([x], { start: T0 + HOUR, end: T0, step: MINUTE })).message).toMatch(/end .* is before start/);
    expect(thrown(() => store.range([x], { start: T0, end: T0 + MAX_RANGE_POINTS * MINUTE, step: MINUTE })).message).toMatch(/10001 points asked.*at most 10000: use a larger step/);
    expect(store.range([x], { start: T0, end: T0 + (MAX_RANGE_POINTS - 1) * MINUTE, step: MINUTE })[0]!.values).toHaveLength(MAX_RANGE_POINTS);
    expect(thrown(() => store.range([x, 999], { start: T0, end: T0 + HOUR, step: MINUTE })).message).toMatch(/no series with id 999/);
  });

  it('computes changes over windows, from the first value for a younger series', () => {
    const store = open();
    // a/old: 100 for 40 days, then +1 a day for the last 10 days. a/new: appears 2 days before now at 5, now 8.
    const now = T0 + 50 * DAY;
    for (let day = 0; day <= 50; day++) {
      const samples = [stars('a/old', day <= 40 ? 100 : 100 + day - 40)];
      if (day >= 48) samples.push(stars('a/new', 5 + (day - 48) * 1.5));
      store.ingest('github', samples, T0 + day * DAY);
    }
    const ids = Object.fromEntries(store.series().map((series) => [series.labels.repo, series.id]));
    const windows = [DAY, 7 * DAY, 30 * DAY];
    expect(store.changes([ids['a/old']!, ids['a/new']!], windows, now)).toEqual([
      {
        seriesId: ids['a/old'],
        latest: 110,
        changes: [
          { windowMs: DAY, delta: 1, baseTime: now - DAY },
          { windowMs: 7 * DAY, delta: 7, baseTime: now - 7 * DAY },
          { windowMs: 30 * DAY, delta: 10, baseTime: now - 30 * DAY },
        ],
      },
      {
        seriesId: ids['a/new'],
        latest: 8,
        changes: [
          { windowMs: DAY, delta: 1.5, baseTime: now - DAY },
          { windowMs: 7 * DAY, delta: 3, baseTime: T0 + 48 * DAY },
          { windowMs: 30 * DAY, delta: 3, baseTime: T0 + 48 * DAY },
        ],
      },
    ]);
    expect(thrown(() => store.changes([ids['a/old']!], [0], now)).message).toMatch(/window 0 ms must be greater than 0/);
  });

  it('answers changes as valueAt would for every window, a repeated window alike', () => {
    const store = open();
    let value = 0;
    for (let hour = 0; hour < 200; hour++) {
      if (hour % 3 === 0) value += hour % 2 ? 2 : -1;
      const samples = [stars('a/x', value)];
      if (hour >= 100) samples.push(stars('a/late', hour >= 150 ? 2 : 1));
      store.ingest('github', samples, T0 + hour * HOUR);
    }
    const now = T0 + 200 * HOUR;
    const windows = [HOUR, 5 * HOUR, HOUR, 37 * HOUR, 99 * HOUR, 120 * HOUR, 500 * HOUR, 5 * HOUR, 0.5];
    for (const series of store.series()) {
      const [change] = store.changes([series.id], windows, now);
      const latest = store.valueAt(series.id, now)!;
      expect(change!.latest).toBe(latest);
      expect(change!.changes.map((item) => item.windowMs)).toEqual(windows);
      for (const item of change!.changes) {
        const base = store.valueAt(series.id, now - item.windowMs);
        const first = series.labels.repo === 'a/late' ? { time: T0 + 100 * HOUR, value: 1 } : { time: T0, value: -1 };
        expect(item).toEqual(base === null
          ? { windowMs: item.windowMs, delta: latest - first.value, baseTime: first.time }
          : { windowMs: item.windowMs, delta: latest - base, baseTime: now - item.windowMs });
      }
    }
  });

  it('exports every point, or with `since` the points seen at or after it', () => {
    const store = open();
    seed(store);
    const all = [...store.exportRows()];
    expect(all.map((row) => [row.labels.repo, row.value, row.since, row.lastSeen])).toEqual([
      ['a/x', 10, T0, T0 + 110 * MINUTE],
      ['a/x', 12, T0 + 120 * MINUTE, T0 + 230 * MINUTE],
      ['a/x', 15, T0 + 240 * MINUTE, T0 + 300 * MINUTE],
      ['a/y', 7, T0 + 180 * MINUTE, T0 + 190 * MINUTE],
    ]);
    expect(all[0]).toEqual({ source: 'github', metric: 'github_stars', labels: { repo: 'a/x' }, value: 10, since: T0, lastSeen: T0 + 110 * MINUTE });
    const valuesSince = (minute: number) => [...store.exportRows({ since: T0 + minute * MINUTE })].map((row) => [row.labels.repo, row.value]);
    // 12 started before 150 minutes and was still current after it.
    expect(valuesSince(150)).toEqual([['a/x', 12], ['a/x', 15], ['a/y', 7]]);
    // Last seen exactly at `since` counts.
    expect(valuesSince(110)).toEqual([['a/x', 10], ['a/x', 12], ['a/x', 15], ['a/y', 7]]);
    // a/y was last seen at 190 minutes.
    expect(valuesSince(200)).toEqual([['a/x', 12], ['a/x', 15]]);
    expect(valuesSince(300)).toEqual([['a/x', 15]]);
    expect(valuesSince(301)).toEqual([]);
  });
});

describe('HistoryStore remote-write cursors', () => {
  it('keeps, per receiver url, how far it has been sent, across a reopen; refuses a bad url or time', () => {
    const url = 'https://mimir.example.com/api/v1/push';
    const store = open();
    expect(store.remoteWriteCursor(url)).toBeNull();
    store.setRemoteWriteCursor(url, T0, T0 + 5);
    store.setRemoteWriteCursor(url, T0 + MINUTE, T0 + MINUTE + 5);
    store.setRemoteWriteCursor('http://victoria:8428/api/v1/write', T0 - MINUTE, T0);
    store.close();
    const again = open();
    expect(again.remoteWriteCursor(url)).toBe(T0 + MINUTE);
    expect(again.remoteWriteCursor('http://victoria:8428/api/v1/write')).toBe(T0 - MINUTE);
    expect(() => again.setRemoteWriteCursor('', T0, T0)).toThrow(/setRemoteWriteCursor: url must be a non-empty string/);
    expect(() => again.setRemoteWriteCursor(url, 1.5, T0)).toThrow(/setRemoteWriteCursor: sentUntil must be a whole number of epoch milliseconds/);
  });
});

describe('HistoryStore retention', () => {
  it('deletes points superseded before the cutoff, keeping the value at the cutoff and every newest point', () => {
    const store = open('history.db', { retentionMs: 10 * DAY });
    // a/x changes daily for 30 days; a/flat was last different 25 days before the end.
    for (let day = 0; day < 30; day++) {
      store.ingest('github', [stars('a/x', day), stars('a/flat', day < 5 ? day : 5)], T0 + day * DAY);
    }
    const ids = Object.fromEntries(store.series().map((series) => [series.labels.repo, series.id]));
    const now = T0 + 29 * DAY;
    const cutoff = now - 10 * DAY;
    // Ingest already ran retention (at most once an hour): points wholly before each day's cutoff are gone.
    expect(store.valueAt(ids['a/x']!, cutoff)).toBe(19);
    expect(store.valueAt(ids['a/x']!, cutoff - 1)).toBeNull();
    expect(store.valueAt(ids['a/flat']!, cutoff)).toBe(5);
    expect(store.valueAt(ids['a/flat']!, T0)).toBeNull();
    expect(store.latest().map((point) => [point.labels.repo, point.value, point.since])).toEqual([
      ['a/flat', 5, T0 + 5 * DAY],
      ['a/x', 29, now],
    ]);
    expect(store.stats().points).toBe(11 + 1);
    // Nothing more to delete at the same time; much later, everything but the newest points goes.
    expect(store.applyRetention(now)).toEqual({ deletedPoints: 0 });
    expect(store.applyRetention(now + 365 * DAY)).toEqual({ deletedPoints: 10 });
    expect(store.latest().map((point) => point.value)).toEqual([5, 29]);
    expect(store.stats().points).toBe(2);
  });

  it('runs from ingest at most once an hour', () => {
    const store = open('history.db', { retentionMs: HOUR });
    for (let minute = 0; minute <= 110; minute += 10) store.ingest('github', [stars('a/x', minute)], T0 + minute * MINUTE);
    const id = store.series()[0]!.id;
    // Retention ran at T0 and at T0+60m (cutoff T0, where the first point is current): nothing deleted yet.
    expect(store.valueAt(id, T0)).toBe(0);
    store.ingest('github', [stars('a/x', 115)], T0 + 115 * MINUTE);
    expect(store.stats().points).toBe(13);
    // 60 minutes after the last run it runs again: cutoff T0+60m, the six points before it go.
    store.ingest('github', [stars('a/x', 120)], T0 + 120 * MINUTE);
    expect(store.stats().points).toBe(8);
    expect(store.valueAt(id, T0 + 60 * MINUTE)).toBe(60);
    expect(store.valueAt(id, T0 + 60 * MINUTE - 1)).toBeNull();
  });

  it('keeps everything by default and rejects a bad retention', () => {
    const store = open();
    for (let day = 0; day < 5; day++) store.ingest('github', [stars('a/x', day)], T0 + day * DAY);
    expect(store.applyRetention(T0 + 1000 * DAY)).toEqual({ deletedPoints: 0 });
    expect(store.stats().points).toBe(5);
    expect(thrown(() => HistoryStore.open(path.join(dir, 'r.db'), { retentionMs: -1 })).message).toMatch(/retentionMs must be a positive whole number/);
  });
});

describe('HistoryStore source runs', () => {
  it('keeps last attempt, last success, last complete success and the latest error', () => {
    const store = open();
    store.recordRun('github', { time: T0, ok: true, complete: true });
    store.recordRun('github', { time: T0 + 1, ok: true, complete: false, error: 'a/x: 404' });
    expect(store.sourceRuns()).toEqual([{ source: 'github', lastAttempt: T0 + 1, lastSuccess: T0 + 1, lastCompleteSuccess: T0, lastError: 'a/x: 404' }]);
    store.recordRun('github', { time: T0 + 2, ok: false, complete: false, error: 'network down' });
    store.recordRun('docker', { time: T0 + 2, ok: false, complete: false, error: 'HTTP 500' });
    expect(store.sourceRuns()).toEqual([
      { source: 'docker', lastAttempt: T0 + 2, lastSuccess: null, lastCompleteSuccess: null, lastError: 'HTTP 500' },
      { source: 'github', lastAttempt: T0 + 2, lastSuccess: T0 + 1, lastCompleteSuccess: T0, lastError: 'network down' },
    ]);
    store.recordRun('github', { time: T0 + 3, ok: true, complete: true, error: null });
    expect(store.sourceRuns()[1]).toEqual({ source: 'github', lastAttempt: T0 + 3, lastSuccess: T0 + 3, lastCompleteSuccess: T0 + 3, lastError: null });
  });
});

describe('HistoryStore file', () => {
  it('creates parent folders, uses WAL and records the schema version', () => {
    const store = open(path.join('nested', 'deeper', 'history.db'));
    expect(store.file).toBe(path.join(dir, 'nested', 'deeper', 'history.db'));
    store.close();
    const [header] = rawRows(store.file, 'SELECT * FROM pragma_journal_mode(), pragma_user_version(), pragma_application_id()');
    expect(header).toEqual({ journal_mode: 'wal', user_version: SCHEMA_VERSION, application_id: APPLICATION_ID });
  });

  it('keeps series, points and source runs across reopening', () => {
    const first = open();
    first.ingest('github', [stars('a/x', 1)], T0);
    first.ingest('github', [stars('a/x', 2)], T0 + MINUTE);
    first.recordRun('github', { time: T0 + MINUTE, ok: true, complete: true });
    first.close();

    const second = open();
    expect(second.latest().map((point) => [point.value, point.since, point.lastSeen])).toEqual([[2, T0 + MINUTE, T0 + MINUTE]]);
    expect(second.sourceRuns()[0]!.lastCompleteSuccess).toBe(T0 + MINUTE);
    // The reopened store knows the newest point: an equal value extends it.
    expect(second.ingest('github', [stars('a/x', 2)], T0 + 2 * MINUTE)).toEqual({ changed: 0, extended: 1 });
    expect(second.stats()).toMatchObject({ series: 1, points: 2 });
    expect(second.stats().fileBytes).toBeGreaterThan(0);
  });

  it('works in memory for tests', () => {
    const store = HistoryStore.open(':memory:');
    stores.push(store);
    store.ingest('github', [stars('a/x', 1)], T0);
    expect(store.file).toBe(':memory:');
    expect(store.stats()).toMatchObject({ series: 1, points: 1 });
    expect(store.stats().fileBytes).toBeGreaterThan(0);
  });

  it('refuses a file written by a newer schema and leaves it untouched', () => {
    const file = path.join(dir, 'newer.db');
    const db = new DatabaseSync(file);
    db.exec(`PRAGMA application_id = ${APPLICATION_ID}; PRAGMA user_version = ${SCHEMA_VERSION + 1}; CREATE TABLE future (x);`);
    db.close();
    const before = fs.readFileSync(file);
    const error = thrown(() => HistoryStore.open(file));
    expect(error).toBeInstanceOf(StoreError);
    expect(error.message).toContain(file);
    expect(error.message).toMatch(new RegExp(`newer Footprint \\(history schema version ${SCHEMA_VERSION + 1}; this version knows up to ${SCHEMA_VERSION}\\)`));
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['newer.db']);
  });

  it('refuses files that are not Footprint history, naming them, and leaves them untouched', () => {
    const text = path.join(dir, 'notes.txt');
    fs.writeFileSync(text, 'my notes, not a database\n'.repeat(200));
    const other = path.join(dir, 'other.db');
    const db = new DatabaseSync(other);
    db.exec("CREATE TABLE customers (name TEXT); INSERT INTO customers VALUES ('ada');");
    db.close();
    const noise = path.join(dir, 'noise.db');
    fs.writeFileSync(noise, Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919 + 13) % 256)));

    for (const [file, pattern] of [
      [text, /is not a Footprint history file, or it is damaged/],
      [noise, /is not a Footprint history file, or it is damaged/],
      [other, /is a SQLite database of another application/],
    ] as const) {
      const before = fs.readFileSync(file);
      const error = thrown(() => HistoryStore.open(file));
      expect(error).toBeInstanceOf(StoreError);
      expect(error.message).toContain(file);
      expect(error.message).toMatch(pattern);
      expect(fs.readFileSync(file).equals(before)).toBe(true);
    }
    expect(rawRows(other, 'SELECT name FROM customers')).toEqual([{ name: 'ada' }]);
  });

  it('refuses a Footprint file whose tables are damaged, without deleting it', () => {
    const file = path.join(dir, 'damaged.db');
    const db = new DatabaseSync(file);
    db.exec(`PRAGMA application_id = ${APPLICATION_ID}; PRAGMA user_version = ${SCHEMA_VERSION}; CREATE TABLE series (id INTEGER PRIMARY KEY);`);
    db.close();
    const error = thrown(() => HistoryStore.open(file));
    expect(error).toBeInstanceOf(StoreError);
    expect(error.message).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} cannot be used as a Footprint history file.*did not delete anything`));
    expect(fs.existsSync(file)).toBe(true);
  });

  it('says a file another program keeps locked is locked, not damaged, after waiting for it', () => {
    const file = path.join(dir, 'locked.db');
    const holder = new DatabaseSync(file);
    holder.exec('PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; CREATE TABLE theirs (a)');
    try {
      const error = thrown(() => HistoryStore.open(file));
      expect(error).toBeInstanceOf(StoreError);
      expect(error.message).toBe(`${file} is locked by another program (SQLite waited 5 s) — stop the other program that has it open, or point storage.path at another file`);
    } finally {
      holder.close();
    }
  });

  it('names the file in errors after it is closed', () => {
    const store = open();
    store.close();
    const error = thrown(() => store.latest());
    expect(error).toBeInstanceOf(StoreError);
    expect(error.message).toContain(store.file);
  });
});

describe('migrations', () => {
  it('are numbered 1, 2, 3… and together create the schema', () => {
    expect(MIGRATIONS.map((migration) => migration.version)).toEqual(MIGRATIONS.map((_, index) => index + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
    const db = new DatabaseSync(':memory:');
    expect(applyMigrations(db, 0)).toEqual(MIGRATIONS.map((migration) => migration.version));
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') ORDER BY name").all().map((row) => row.name);
    expect(tables).toEqual(['all_points', 'backfill_settings', 'backfill_tasks', 'heads', 'markers', 'point_chunks', 'remote_write_cursors', 'series', 'source_runs']);
    expect(applyMigrations(db, SCHEMA_VERSION)).toEqual([]);
    db.close();
  });

  it('apply only the pending ones, each atomically with its version', () => {
    const db = new DatabaseSync(':memory:');
    const list: Migration[] = [
      { version: 1, description: 'one', sql: 'CREATE TABLE one (x)' },
      { version: 2, description: 'two', sql: 'CREATE TABLE two (x)' },
      { version: 3, description: 'broken', sql: 'CREATE TABLE three (x); INSERT INTO missing VALUES (1)' },
    ];
    expect(applyMigrations(db, 0, list.slice(0, 1))).toEqual([1]);
    const error = thrown(() => applyMigrations(db, 1, list));
    expect(error.message).toMatch(/schema migration 3 \(broken\) failed: no such table: missing/);
    expect(db.prepare('PRAGMA user_version').get()).toEqual({ user_version: 2 });
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all().map((row) => row.name);
    expect(tables).toEqual(['one', 'two']);
    expect(thrown(() => applyMigrations(db, 0, [list[1]!])).message).toMatch(/out of order/);
    db.close();
  });
});
