// Superseded points as delta-encoded chunks (point-chunks.ts, issue 15): the encoding round-trips
// every value, the SQL view decodes what the code decodes, the store answers exactly what a naive
// list of points answers, dated merges rewrite sealed chunks correctly, and a file written by
// schema version 3 (one row per point) migrates with every point kept.
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import type { DatedSample } from '../../electron/core/backfill/contract.js';
import { mergeDated, type Run } from '../../electron/core/store/dated-merge.js';
import { SCHEMA_VERSION, applyMigrations } from '../../electron/core/store/migrations.js';
import { CHUNK_MAX_BYTES, CHUNK_POINTS, decodeChunk, encodeChunk, packChunks } from '../../electron/core/store/point-chunks.js';
import { V3_POLL_MS, V3_POLLS, V3_T0, v3Dated, v3Samples } from '../fixtures/history/write-v3.js';
import { copyHistoryFixture, historyStoresPerTest } from '../support/history-fixture.js';
import { seededRandom } from '../support/random.js';
import { sumRange } from '../../shared/range-sums.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1);

const { dir, open } = historyStoresPerTest();

/** A value of one of the kinds a series holds: small counts, negatives, fractions, huge and odd numbers. */
function randomValue(next: () => number, previous: number): number {
  const kind = Math.floor(next() * 10);
  switch (kind) {
    case 0:
      return -Math.floor(next() * 1e6);
    case 1:
      return (next() - 0.5) * 10 ** Math.floor(next() * 40 - 20);
    case 2:
      return [Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 60, -0, Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE, 0.1 + 0.2][Math.floor(next() * 8)]!;
    case 3:
      return previous + 0.5;
    default:
      return previous + Math.floor(next() * 9) - 2;
  }
}

/** Ordered, disjoint points at irregular or regular times. */
function randomRuns(next: () => number, count: number, regular: boolean): Run[] {
  const runs: Run[] = [];
  let time = Math.floor((next() - 0.5) * 4e12);
  let value = 0;
  for (let i = 0; i < count; i++) {
    const tFirst = time + (regular ? 5 * MINUTE * (1 + Math.floor(next() * 3)) : 1 + Math.floor(next() * 1e9));
    const tLast = tFirst + (regular ? 5 * MINUTE * Math.floor(next() * 20) : Math.floor(next() * 1e9));
    value = randomValue(next, value);
    runs.push({ tFirst, tLast, value });
    time = tLast;
  }
  return runs;
}

const asTuples = (runs: readonly Run[]) => runs.map((run) => [run.tFirst, run.tLast, Object.is(run.value, -0) ? '-0' : run.value]);

describe('chunk encoding', () => {
  it('gives back every point exactly: floats, negatives, -0, the largest numbers, irregular times', () => {
    const next = seededRandom(15);
    for (let trial = 0; trial < 300; trial++) {
      const runs = randomRuns(next, 1 + Math.floor(next() * 300), next() < 0.5);
      expect(asTuples(decodeChunk(encodeChunk(runs)))).toEqual(asTuples(runs));
    }
  });

  it('spends about 3 bytes on a point of a count polled every 5 minutes', () => {
    const runs: Run[] = [];
    for (let i = 0; i < 200; i++) runs.push({ tFirst: T0 + i * 20 * 5 * MINUTE, tLast: T0 + (i * 20 + 19) * 5 * MINUTE, value: 1_000 + i });
    expect(encodeChunk(runs).length).toBeLessThanOrEqual(200 * 3 + 12);
  });

  it('packs points into chunks of at most CHUNK_POINTS points and CHUNK_MAX_BYTES bytes, in order', () => {
    const next = seededRandom(7);
    const runs = randomRuns(next, 2_000, false);
    const chunks = packChunks(runs);
    expect(chunks.length).toBeGreaterThan(2_000 / CHUNK_POINTS);
    for (const chunk of chunks) {
      expect(chunk.runs.length).toBeLessThanOrEqual(CHUNK_POINTS);
      expect(chunk.data.length).toBeLessThanOrEqual(CHUNK_MAX_BYTES);
    }
    expect(chunks.flatMap((chunk) => decodeChunk(chunk.data))).toEqual(runs);
  });

  it('refuses a damaged chunk and one of an unknown format instead of inventing points', () => {
    const data = encodeChunk([{ tFirst: T0, tLast: T0 + MINUTE, value: 3.5 }]);
    expect(() => decodeChunk(data.subarray(0, data.length - 3))).toThrow(/ends in the middle/);
    expect(() => decodeChunk(Uint8Array.of(9, 1, 1, 0))).toThrow(/format 9 is unknown/);
  });

  it('reads the same points through the all_points view, so sqlite3 alone can inspect a file', () => {
    const db = new DatabaseSync(':memory:');
    applyMigrations(db, 0);
    const next = seededRandom(3);
    const expected: Run[] = [];
    db.prepare("INSERT INTO series (id, source, metric, labels, first_seen) VALUES (1, 's', 'm', '{}', 0)").run();
    const insert = db.prepare('INSERT INTO point_chunks (series_id, t_first, t_end, points, data) VALUES (1, ?, ?, ?, ?)');
    for (const chunk of packChunks(randomRuns(next, 1_500, next() < 0.5))) {
      insert.run(chunk.runs[0]!.tFirst, chunk.runs.at(-1)!.tFirst, chunk.runs.length, chunk.data);
      expected.push(...chunk.runs);
    }
    const rows = db.prepare('SELECT t_first, t_last, value FROM all_points ORDER BY t_first').all() as { t_first: number; t_last: number; value: number }[];
    db.close();
    expect(rows.map((row) => [row.t_first, row.t_last, row.value])).toEqual(expected.map((run) => [run.tFirst, run.tLast, run.value]));
  });
});

/** What the store must answer, from a plain list of points: the value of the newest point started at or before t. */
function naiveRange(runs: readonly Run[], times: readonly number[], staleMs: number | null): (number | null)[] {
  return times.map((time) => {
    let current: Run | undefined;
    for (const run of runs) if (run.tFirst <= time) current = run;
    if (current === undefined) return null;
    return staleMs !== null && time - current.tLast > staleMs ? null : current.value;
  });
}

describe('HistoryStore on chunks', () => {
  it('answers range, valueAt, changes and export exactly as a plain list of the polled points does', () => {
    const store = open();
    const next = seededRandom(42);
    const reference = new Map<string, Run[]>();
    const values = [0, 1_000, -5, 0.25];
    let time = T0;
    for (let poll = 0; poll < 3_000; poll++) {
      // Polls every 5 minutes, now and then a gap (the app was closed).
      time += next() < 0.02 ? 3 * 60 * MINUTE : 5 * MINUTE;
      const samples = values.map((value, i) => {
        let changed = i === 0 ? value + 1 + Math.floor(next() * 3) : next() < 0.2 ? randomValue(next, value) : value;
        // A poll's -0 equals 0 (the same value: the point is extended), and `heads` stores it as 0.
        if (changed === 0) changed = 0;
        values[i] = changed;
        return { metric: 'm', labels: { i: String(i) }, value: changed };
      });
      store.ingest('s', samples, time);
      for (const sample of samples) {
        const runs = reference.get(sample.labels.i) ?? [];
        reference.set(sample.labels.i, runs);
        const last = runs.at(-1);
        if (last !== undefined && last.value === sample.value) runs[runs.length - 1] = { ...last, tLast: time };
        else runs.push({ tFirst: time, tLast: time, value: sample.value });
      }
    }
    const end = time;
    expect(store.stats().points).toBe([...reference.values()].reduce((sum, runs) => sum + runs.length, 0));
    const raw = new DatabaseSync(store.file, { readOnly: true });
    expect(Number(raw.prepare('SELECT count(*) AS n FROM point_chunks').get()?.n)).toBeGreaterThan(3_000 / CHUNK_POINTS);
    raw.close();
    for (const series of store.series()) {
      const runs = reference.get(series.labels.i!)!;
      for (const query of [
        { start: T0 - 60 * MINUTE, end, step: Math.floor((end - T0) / 997) },
        { start: T0 + 1_000 * 5 * MINUTE + 7, end: T0 + 1_900 * 5 * MINUTE, step: 5 * MINUTE - 1, staleMs: 10 * MINUTE },
        { start: end - 50 * MINUTE, end: end + 60 * MINUTE, step: MINUTE, staleMs: 0 },
      ]) {
        const [answer] = store.range([series.id], query);
        expect(answer!.values).toEqual(naiveRange(runs, answer!.times, query.staleMs ?? null));
      }
      for (let k = 0; k < 50; k++) {
        const at = T0 - MINUTE + Math.floor(next() * (end - T0 + 2 * MINUTE));
        expect(store.valueAt(series.id, at)).toBe(naiveRange(runs, [at], null)[0]);
      }
      const [change] = store.changes([series.id], [3 * 60 * MINUTE, 400 * 24 * 60 * MINUTE], end);
      expect(change!.changes[0]!.delta).toBe(runs.at(-1)!.value - naiveRange(runs, [end - 3 * 60 * MINUTE], null)[0]!);
      expect(change!.changes[1]).toEqual({ windowMs: 400 * 24 * 60 * MINUTE, delta: runs.at(-1)!.value - runs[0]!.value, baseTime: runs[0]!.tFirst });
      const since = T0 + 2_222 * 5 * MINUTE + 1;
      const exported = [...store.exportRows({ since })].filter((row) => row.labels.i === series.labels.i).map((row) => [row.since, row.lastSeen, row.value]);
      const startIndex = runs.findLastIndex((run) => run.tFirst < since);
      expect(exported).toEqual(runs.filter((run, index) => index >= startIndex && run.tLast >= since).map((run) => [run.tFirst, run.tLast, run.value]));
    }
    // Every series in one changes() call, over windows that fall in the same chunk, in different
    // chunks, between polls and before the first point (the store reads chunks per window, not per series).
    const windows = [5 * MINUTE, 3 * 60 * MINUTE, 3 * 60 * MINUTE + 1, 24 * 60 * MINUTE, 2 * 24 * 60 * MINUTE, 7 * 24 * 60 * MINUTE, 9 * 24 * 60 * MINUTE + 7, end - T0, end - T0 + 1, 400 * 24 * 60 * MINUTE];
    const all = store.series();
    // And range() of every series at once (read in one query per range), with a series asked twice.
    for (const query of [{ start: T0 - 60 * MINUTE, end, step: Math.floor((end - T0) / 311) }, { start: end - 9 * 24 * 60 * MINUTE, end, step: 7 * MINUTE, staleMs: 10 * MINUTE }]) {
      const ids = [...all.map((series) => series.id), all[1]!.id];
      const answer = store.range(ids, query);
      expect(answer.map((item) => item.series.id)).toEqual(ids);
      answer.forEach((item) => expect(item.values).toEqual(naiveRange(reference.get(item.series.labels.i!)!, item.times, query.staleMs ?? null)));
      // Sums per group as range() answers add up (overlapping groups, a series twice in one, an empty one).
      // (Ordered so that floats add up in the same order: the store adds series in the order groups first name them.)
      const groups = [ids.slice(0, 2), [ids[1]!, ids[1]!, ids[2]!], [], ids];
      expect(store.rangeSums(groups, query)).toEqual(sumRange({ series: answer.map((item) => ({ id: item.series.id, times: item.times, values: item.values })) }, groups));
    }
    const answers = store.changes(all.map((series) => series.id), windows, end);
    answers.forEach((answer, index) => {
      const runs = reference.get(all[index]!.labels.i!)!;
      expect(answer.seriesId).toBe(all[index]!.id);
      expect(answer.changes).toEqual(windows.map((windowMs) => {
        const base = naiveRange(runs, [end - windowMs], null)[0] ?? null;
        return base === null
          ? { windowMs, delta: runs.at(-1)!.value - runs[0]!.value, baseTime: runs[0]!.tFirst }
          : { windowMs, delta: runs.at(-1)!.value - base, baseTime: end - windowMs };
      }));
    });
  });

  it('keeps a point that starts at the time the one before was last seen (a second poll at the same time)', () => {
    const store = open();
    const poll = (value: number, time: number) => store.ingest('s', [{ metric: 'm', labels: {}, value }], time);
    poll(1, T0);
    poll(1, T0 + MINUTE);
    poll(2, T0 + MINUTE);
    poll(3, T0 + 2 * MINUTE);
    poll(4, T0 + 3 * MINUTE);
    expect([...store.exportRows()].map((row) => [row.since, row.lastSeen, row.value])).toEqual([
      [T0, T0 + MINUTE, 1],
      [T0 + MINUTE, T0 + MINUTE, 2],
      [T0 + 2 * MINUTE, T0 + 2 * MINUTE, 3],
      [T0 + 3 * MINUTE, T0 + 3 * MINUTE, 4],
    ]);
  });

  it('merges dated samples into sealed chunks: decoded, merged and written again as one list would be', () => {
    const store = open();
    const next = seededRandom(9);
    const sample = (time: number, value: number): DatedSample => ({ metric: 'daily', labels: { p: 'x' }, value, time });
    // 2,000 days of history in many chunks, then revisions and new days all through it, in batches.
    let reference: Run[] = [];
    const first = Array.from({ length: 2_000 }, (_, n) => sample(T0 + n * 86_400_000, Math.floor(n / 2) + (n % 5 === 0 ? 0.5 : 0)));
    store.ingestDated('pypi', first);
    reference = mergeDated(reference, new Map(first.map((s) => [s.time, s.value])));
    for (let batch = 0; batch < 20; batch++) {
      const samples = Array.from({ length: 1 + Math.floor(next() * 30) }, () =>
        sample(T0 + Math.floor(next() * 2_100) * 86_400_000 - (next() < 0.3 ? 3_600_000 : 0), next() < 0.5 ? Math.floor(next() * 1_000) : -next()),
      );
      store.ingestDated('pypi', samples);
      reference = mergeDated(reference, new Map(samples.map((s) => [s.time, s.value])));
      expect([...store.exportRows()].map((row) => [row.since, row.lastSeen, row.value])).toEqual(reference.map((run) => [run.tFirst, run.tLast, run.value]));
    }
    const raw = new DatabaseSync(store.file, { readOnly: true });
    expect(raw.prepare('SELECT t_first, t_last, value FROM all_points ORDER BY t_first').all().map((row) => [row.t_first, row.t_last, row.value])).toEqual(
      reference.map((run) => [run.tFirst, run.tLast, run.value]),
    );
    raw.close();
  });

  it('applies retention inside chunks, keeping the point current at the cutoff', () => {
    const store = open('retained.db', { retentionMs: 1_000 * 5 * MINUTE });
    for (let poll = 0; poll < 2_000; poll++) store.ingest('s', [{ metric: 'm', labels: {}, value: poll }], T0 + poll * 5 * MINUTE);
    const end = T0 + 1_999 * 5 * MINUTE;
    store.applyRetention(end);
    // Points started before the cutoff (poll 999) are gone, but the one current at it stays.
    const rows = [...store.exportRows()];
    expect(rows[0]!.since).toBe(T0 + 999 * 5 * MINUTE);
    expect(rows).toHaveLength(1_001);
    expect(store.stats().points).toBe(1_001);
    const id = store.series()[0]!.id;
    expect(store.valueAt(id, T0 + 999 * 5 * MINUTE)).toBe(999);
    expect(store.valueAt(id, T0 + 998 * 5 * MINUTE)).toBe(null);
  });
});

describe('migration from schema version 3 (one row per point)', () => {
  it('moves every point into chunks with nothing lost, shrinks the file, and polls go on', () => {
    const file = path.join(dir(), 'history.db');
    expect(copyHistoryFixture('history-v3.sqlite', file)).toBe(3);
    const old = new DatabaseSync(file, { readOnly: true });
    const oldPoints = old.prepare('SELECT series_id, t_first, t_last, value FROM all_points ORDER BY series_id, t_first').all();
    const oldTasks = old.prepare('SELECT * FROM backfill_tasks').all();
    const oldMarkers = old.prepare('SELECT * FROM markers').all();
    old.close();
    expect(oldPoints.length).toBeGreaterThan(3_000);
    const oldBytes = fs.statSync(file).size;

    const store = open();
    // Every poll and every dated value version 3 stored answers the same.
    const ids = new Map(store.series().map((series) => [`${series.metric}${JSON.stringify(series.labels)}`, series.id]));
    for (let poll = 0; poll < V3_POLLS; poll += 7) {
      for (const sample of v3Samples(poll)) {
        expect(store.valueAt(ids.get(`${sample.metric}${JSON.stringify(sample.labels)}`)!, V3_T0 + poll * V3_POLL_MS)).toBe(sample.value);
      }
    }
    for (const sample of v3Dated()) expect(store.valueAt(ids.get(`${sample.metric}${JSON.stringify(sample.labels)}`)!, sample.time)).toBe(sample.value);
    expect(store.stats().points).toBe(oldPoints.length);
    store.close();

    const migrated = new DatabaseSync(file, { readOnly: true });
    expect(migrated.prepare('PRAGMA user_version').get()).toEqual({ user_version: SCHEMA_VERSION });
    expect(migrated.prepare('PRAGMA integrity_check').all()).toEqual([{ integrity_check: 'ok' }]);
    expect(migrated.prepare('PRAGMA auto_vacuum').get()).toEqual({ auto_vacuum: 2 });
    // The same points, read the same way.
    expect(migrated.prepare('SELECT series_id, t_first, t_last, value FROM all_points ORDER BY series_id, t_first').all()).toEqual(oldPoints);
    expect(migrated.prepare('SELECT * FROM backfill_tasks').all()).toEqual(oldTasks);
    expect(migrated.prepare('SELECT * FROM markers').all()).toEqual(oldMarkers);
    // The pages the old rows held went back to the filesystem (VACUUM after the migration).
    expect(migrated.prepare('PRAGMA freelist_count').get()).toEqual({ freelist_count: 0 });
    migrated.close();
    // Smaller by far, though later migrations add their own (empty) tables' pages to this small file.
    expect(fs.statSync(file).size).toBeLessThan(oldBytes * 0.75);

    // Polls go on: a change appends to the migrated chunks.
    const reopened = open();
    const poll = V3_POLLS + 3;
    expect(reopened.ingest('github', v3Samples(poll), V3_T0 + poll * V3_POLL_MS).changed).toBeGreaterThan(0);
    const counter = reopened.series({ metric: 'downloads_total' })[0]!.id;
    expect(reopened.valueAt(counter, V3_T0 + poll * V3_POLL_MS)).toBe(v3Samples(poll)[0]!.value);
    expect(reopened.valueAt(counter, V3_T0 + (V3_POLLS - 1) * V3_POLL_MS)).toBe(v3Samples(V3_POLLS - 1)[0]!.value);
  });
});
