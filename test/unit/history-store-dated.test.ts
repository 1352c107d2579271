// Dated samples (backfilled history, daily values) in the history store: how they merge into the
// change-only runs polls write, the markers and backfill progress stored with them, and the
// migration of a file written by schema version 1.
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import type { DatedSample } from '../../electron/core/backfill/contract.js';
import { endOfUtcDay } from '../../electron/core/backfill/contract.js';
import { HistoryStore, StoreError } from '../../electron/core/store/history-store.js';
import { SCHEMA_VERSION } from '../../electron/core/store/migrations.js';
import { V1_POLL_MS, V1_POLLS, V1_T0, v1Pulls, v1Samples } from '../fixtures/history/write-v1.js';
import { copyHistoryFixture, historyStoresPerTest } from '../support/history-fixture.js';
import { seededRandom } from '../support/random.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const D0 = endOfUtcDay(Date.UTC(2024, 2, 1));
/** The end of day n after D0. */
const day = (n: number) => D0 + n * DAY;
const labels = { owner: 'acme', repo: 'rocket' };
const stars = (time: number, value: number): DatedSample => ({ metric: 'stars', labels, value, time });
const live = (value: number) => [{ metric: 'stars', labels, value }];

const { dir, open } = historyStoresPerTest();

/** The stored runs of the one `stars` series, oldest first. */
function runs(store: HistoryStore, metric = 'stars') {
  return [...store.exportRows()].filter((row) => row.metric === metric).map((row) => [row.since, row.lastSeen, row.value]);
}

function starsId(store: HistoryStore): number {
  return store.series({ metric: 'stars' })[0]!.id;
}

describe('HistoryStore.ingestDated', () => {
  it('stores a dated history as change-only runs, and storing it again changes nothing', () => {
    const store = open();
    const history = [10, 10, 11, 11, 11, 12, 12].map((value, n) => stars(day(n), value));
    expect(store.ingestDated('github', history)).toEqual({ changedSeries: 1, changedIds: [starsId(store)], skipped: 0 });
    const first = runs(store);
    expect(first).toEqual([[day(0), day(1), 10], [day(2), day(4), 11], [day(5), day(6), 12]]);
    expect(store.ingestDated('github', history)).toEqual({ changedSeries: 0, changedIds: [], skipped: 0 });
    expect(store.ingestDated('github', [...history].reverse())).toEqual({ changedSeries: 0, changedIds: [], skipped: 0 });
    expect(runs(store)).toEqual(first);
    expect(store.stats()).toMatchObject({ series: 1, points: 3 });
    expect(store.series()[0]!.firstSeen).toBe(day(0));
  });

  it('gives the same values at every sample time whatever the order and the batches the samples come in', () => {
    const random = seededRandom(7);
    const values = Array.from({ length: 120 }, () => Math.floor(random() * 3));
    const history = values.map((value, n) => stars(day(n), value));
    const sorted = open('sorted.db');
    sorted.ingestDated('github', history);
    for (let round = 0; round < 5; round++) {
      const store = open(`shuffled-${round}.db`);
      const shuffled = [...history].sort(() => random() - 0.5);
      for (let from = 0; from < shuffled.length;) {
        const size = 1 + Math.floor(random() * 20);
        store.ingestDated('github', shuffled.slice(from, from + size));
        from += size;
      }
      const id = starsId(store);
      for (const sample of history) expect(store.valueAt(id, sample.time)).toBe(sample.value);
      // Adjacent runs always differ, and storing it all again changes nothing.
      const stored = runs(store);
      for (let i = 1; i < stored.length; i++) expect(stored[i]![2]).not.toBe(stored[i - 1]![2]);
      expect(store.ingestDated('github', history)).toEqual({ changedSeries: 0, changedIds: [], skipped: 0 });
      expect(store.ingestDated('github', shuffled)).toEqual({ changedSeries: 0, changedIds: [], skipped: 0 });
    }
    expect(runs(sorted).length).toBeLessThan(history.length);
  });

  it('lets a later value for the same time revise it, joining neighbours that then hold one value', () => {
    const store = open();
    store.ingestDated('npm', [stars(day(0), 5), stars(day(1), 7), stars(day(2), 5)]);
    expect(runs(store)).toEqual([[day(0), day(0), 5], [day(1), day(1), 7], [day(2), day(2), 5]]);
    // Today's downloads grow: the day's value is revised, and here equals its neighbours.
    expect(store.ingestDated('npm', [stars(day(1), 5)])).toMatchObject({ changedSeries: 1, skipped: 0 });
    expect(runs(store)).toEqual([[day(0), day(2), 5]]);
    expect(store.stats().points).toBe(1);
    // Within one batch the later sample for a time wins.
    store.ingestDated('npm', [stars(day(3), 1), stars(day(3), 9)]);
    expect(store.valueAt(starsId(store), day(3))).toBe(9);
  });

  it('splits a run around a revision inside it, keeping its value on both sides', () => {
    const store = open();
    store.ingestDated('github', [0, 1, 2, 3, 4].map((n) => stars(day(n), 100)));
    store.ingestDated('github', [stars(day(2), 120)]);
    expect(runs(store)).toEqual([[day(0), day(2) - 1, 100], [day(2), day(2), 120], [day(2) + 1, day(4), 100]]);
    const id = starsId(store);
    expect([0, 1, 2, 3, 4].map((n) => store.valueAt(id, day(n)))).toEqual([100, 100, 120, 100, 100]);
    // Revising it back joins the three runs again.
    store.ingestDated('github', [stars(day(2), 100)]);
    expect(runs(store)).toEqual([[day(0), day(4), 100]]);
  });

  it('merges samples older than the newest point and between stored runs', () => {
    const store = open();
    store.ingestDated('github', [stars(day(10), 3), stars(day(20), 5)]);
    store.ingestDated('github', [stars(day(5), 3), stars(day(15), 4), stars(day(25), 5), stars(day(1), 2)]);
    expect(runs(store)).toEqual([[day(1), day(1), 2], [day(5), day(10), 3], [day(15), day(15), 4], [day(20), day(25), 5]]);
    // A sample between two runs with the value of the later one extends that run back.
    store.ingestDated('github', [stars(day(12), 4)]);
    expect(runs(store)).toEqual([[day(1), day(1), 2], [day(5), day(10), 3], [day(12), day(15), 4], [day(20), day(25), 5]]);
    expect(store.latest()[0]).toMatchObject({ value: 5, since: day(20), lastSeen: day(25), firstSeen: day(1) });
  });

  it('meets live polling without a jump: backfill fills in before the first poll and never overrides what polls saw', () => {
    const store = open();
    const firstPoll = day(8) + 12 * 3_600_000;
    store.ingest('github', live(42), firstPoll);
    store.ingest('github', live(42), firstPoll + 10 * MINUTE);
    const history = [38, 39, 40, 40, 41, 41, 41, 42, 42, 42, 43, 44].map((value, n) => stars(day(n), value));
    // Days 9, 10 and 11 end after the first poll: that is the polls' time.
    expect(store.ingestDated('github', history)).toEqual({ changedSeries: 1, changedIds: [starsId(store)], skipped: 3 });
    // The backfilled 42 of days 7 and 8 is the value the first poll saw: one run from day 7 on, no duplicate.
    expect(runs(store)).toEqual([
      [day(0), day(0), 38], [day(1), day(1), 39], [day(2), day(3), 40], [day(4), day(6), 41], [day(7), firstPoll + 10 * MINUTE, 42],
    ]);
    const [latest] = store.latest();
    expect(latest).toMatchObject({ value: 42, since: day(7), lastSeen: firstPoll + 10 * MINUTE });
    // The same series: polls go on extending it.
    expect(store.ingest('github', live(42), firstPoll + 20 * MINUTE)).toEqual({ changed: 0, extended: 1 });
    expect(store.series()).toHaveLength(1);
    const id = starsId(store);
    const chart = store.range([id], { start: day(5), end: firstPoll + 20 * MINUTE, step: DAY / 2 });
    expect(chart[0]!.values.every((value) => value !== null)).toBe(true);
    expect(store.changes([id], [3 * DAY], firstPoll + 20 * MINUTE)[0]!.changes[0]!.delta).toBe(1);
  });

  it('keeps a poll-watched run whole when a backfilled revision splits the part before the first poll', () => {
    const store = open();
    const firstPoll = day(5) + MINUTE;
    store.ingest('github', live(7), firstPoll);
    store.ingestDated('github', [stars(day(2), 7), stars(day(3), 7)]);
    expect(runs(store)).toEqual([[day(2), firstPoll, 7]]);
    store.ingestDated('github', [stars(day(3), 6)]);
    expect(runs(store)).toEqual([[day(2), day(3) - 1, 7], [day(3), day(3), 6], [day(3) + 1, firstPoll, 7]]);
    expect(store.valueAt(starsId(store), firstPoll)).toBe(7);
    store.ingest('github', live(8), firstPoll + MINUTE);
    expect(store.latest()[0]).toMatchObject({ value: 8, since: firstPoll + MINUTE });
  });

  it('keeps the newest-point cache right, so polls after a dated merge extend or change the right point', () => {
    const store = open();
    store.ingest('github', live(5), day(10));
    // Backfill extends the newest point back to day 8 (the cache must know its new start) …
    store.ingestDated('github', [stars(day(8), 5), stars(day(7), 4)]);
    expect(store.latest()[0]).toMatchObject({ value: 5, since: day(8) });
    expect(store.ingest('github', live(5), day(11))).toEqual({ changed: 0, extended: 1 });
    expect(store.ingest('github', live(6), day(12))).toEqual({ changed: 1, extended: 0 });
    expect(runs(store)).toEqual([[day(7), day(7), 4], [day(8), day(11), 5], [day(12), day(12), 6]]);
    // … and a second connection to the same file sees both kinds of write.
    const other = open();
    other.ingestDated('github', [stars(day(6), 4)]);
    expect(store.ingest('github', live(6), day(13))).toEqual({ changed: 0, extended: 1 });
    expect(runs(store)).toEqual([[day(6), day(7), 4], [day(8), day(11), 5], [day(12), day(13), 6]]);
  });

  it('accepts revisions anywhere in a series only dated samples write, and hands it over to polls from their first one', () => {
    const store = open();
    // Daily downloads: today's value is stamped at the end of today, after "now".
    const now = day(3) - 10 * 3_600_000;
    store.ingestDated('npm', [stars(day(1), 50), stars(day(2), 60), stars(day(3), 15)]);
    store.ingestDated('npm', [stars(day(3), 25)]);
    expect(store.latest({ polled: false })).toMatchObject([{ value: 25, since: day(3), lastSeen: day(3) }]);
    expect(store.latest({ polled: true })).toEqual([]);
    // A poll of the same series takes over from its time: the dated value stamped later is dropped.
    expect(store.ingest('npm', live(20), now)).toEqual({ changed: 1, extended: 0 });
    expect(runs(store)).toEqual([[day(1), day(1), 50], [day(2), day(2), 60], [now, now, 20]]);
    expect(store.latest({ polled: true })).toHaveLength(1);
    expect(store.ingest('npm', live(20), now + MINUTE)).toEqual({ changed: 0, extended: 1 });
    expect(store.ingestDated('npm', [stars(day(3), 30)])).toEqual({ changedSeries: 0, changedIds: [], skipped: 1 });
  });

  it('refuses a bad sample and stores nothing of its batch', () => {
    const store = open();
    const bad: unknown[] = [
      { metric: 'stars', labels, value: 1, time: 1.5 },
      { metric: 'stars', labels, value: Number.NaN, time: day(0) },
      { metric: '', labels, value: 1, time: day(0) },
      { metric: 'stars', labels: { repo: 5 }, value: 1, time: day(0) },
    ];
    for (const sample of bad) {
      expect(() => store.ingestDated('github', [stars(day(0), 1), sample as DatedSample])).toThrow(StoreError);
    }
    expect(() => store.ingestDated('github', [stars(day(0), 1)], { markers: [{ kind: 'release', labels, time: day(0), text: 5 as unknown as string }] })).toThrow(/marker 0: text must be a string/);
    expect(store.stats().series).toBe(0);
  });
});

describe('HistoryStore markers', () => {
  it('stores each marker once, moves it when stored again, and answers by range and labels', () => {
    const store = open();
    const release = (repo: string, text: string, time: number) => ({ kind: 'release' as const, labels: { owner: 'acme', repo }, text, time });
    store.ingestDated('github', [], { markers: [release('rocket', 'v1.0.0', day(1)), release('rocket', 'v1.1.0', day(5)), release('engine', 'v0.1', day(2))] });
    store.ingestDated('github', [], { markers: [release('rocket', 'v1.0.0', day(1)), release('rocket', 'v1.1.0', day(6))] });
    const all = store.markers({ source: 'github', start: day(0), end: day(10), limit: 10 });
    expect(all).toEqual({
      more: false,
      markers: [
        { kind: 'release', labels: { owner: 'acme', repo: 'rocket' }, text: 'v1.0.0', time: day(1) },
        { kind: 'release', labels: { owner: 'acme', repo: 'engine' }, text: 'v0.1', time: day(2) },
        { kind: 'release', labels: { owner: 'acme', repo: 'rocket' }, text: 'v1.1.0', time: day(6) },
      ],
    });
    expect(store.markers({ source: 'github', labels: { repo: 'rocket' }, start: day(0), end: day(5), limit: 10 }).markers.map((m) => m.text)).toEqual(['v1.0.0']);
    expect(store.markers({ source: 'github', labels: { repo: 'rocket' }, start: day(0), end: day(10), limit: 1 })).toMatchObject({ more: true, markers: [{ text: 'v1.0.0' }] });
    expect(store.markers({ source: 'npm', start: day(0), end: day(10), limit: 10 }).markers).toEqual([]);
    const long = 'x'.repeat(5_000);
    store.ingestDated('github', [], { markers: [release('rocket', long, day(7))] });
    expect(store.markers({ source: 'github', start: day(7), end: day(7), limit: 10 }).markers[0]!.text).toHaveLength(200);
  });
});

describe('HistoryStore backfill tasks', () => {
  const task = (key: string, totalUnits: number | null = 10) => ({ key, title: `${key} stars`, target: key.split(':')[1]!, totalUnits, estimatedRequests: 3 });

  it('merges plans: new tasks pending, known ones keep their progress, dropped ones kept but unplanned', () => {
    const store = open();
    expect(store.planBackfill('github', [task('stars:acme'), task('stars:umbrella')], day(0))).toEqual({ added: 2 });
    store.ingestDated('github', [stars(day(0), 1)], { backfill: { time: day(0), tasks: [{ key: 'stars:acme', requests: 2, outcome: { kind: 'progress', cursor: 'page-2', doneUnits: 4, totalUnits: 10 } }] } });
    expect(store.planBackfill('github', [task('stars:acme', 12), task('stars:initech')], day(1))).toEqual({ added: 1 });
    expect(store.backfillTasks('github').map((t) => [t.key, t.state, t.cursor, t.doneUnits, t.totalUnits, t.requests, t.planned])).toEqual([
      ['stars:acme', 'running', 'page-2', 4, 12, 2, true],
      ['stars:umbrella', 'pending', null, 0, 10, 0, false],
      ['stars:initech', 'pending', null, 0, 10, 0, true],
    ]);
  });

  it('stores a step\'s outcomes with its samples, all or nothing', () => {
    const store = open();
    store.planBackfill('github', [task('stars:a'), task('stars:b'), task('stars:c')], day(0));
    const updates = [
      { key: 'stars:a', requests: 1, outcome: { kind: 'progress' as const, cursor: null, doneUnits: 10, totalUnits: 10 } },
      { key: 'stars:b', requests: 1, outcome: { kind: 'unavailable' as const, reason: 'the repository is archived' } },
      { key: 'stars:c', requests: 0, outcome: { kind: 'failed' as const, error: 'HTTP 502', retryAt: day(1) } },
    ];
    // A bad sample rolls the whole step back: no task moves.
    expect(() => store.ingestDated('github', [stars(day(0), Number.POSITIVE_INFINITY)], { backfill: { time: day(0), tasks: updates } })).toThrow(StoreError);
    expect(store.backfillTasks().map((t) => t.state)).toEqual(['pending', 'pending', 'pending']);
    // So does a task nobody planned.
    expect(() => store.ingestDated('github', [stars(day(0), 1)], { backfill: { time: day(0), tasks: [...updates, { ...updates[0]!, key: 'stars:zzz' }] } })).toThrow(/no task "stars:zzz"/);
    expect(store.stats().series).toBe(0);
    store.ingestDated('github', [stars(day(0), 1)], { backfill: { time: day(0), tasks: updates } });
    expect(store.backfillTasks().map((t) => [t.state, t.reason, t.failures, t.retryAt])).toEqual([
      ['done', null, 0, null],
      ['unavailable', 'the repository is archived', 0, null],
      ['failed', 'HTTP 502', 1, day(1)],
    ]);
    expect(store.resetBackfill('github', day(2), { target: 'b' })).toEqual({ reset: 1 });
    expect(store.backfillTasks().map((t) => t.state)).toEqual(['done', 'pending', 'failed']);
    expect(store.resetBackfill('github', day(2))).toEqual({ reset: 3 });
    expect(store.backfillTasks().map((t) => [t.state, t.cursor, t.doneUnits, t.requests])).toEqual([['pending', null, 0, 0], ['pending', null, 0, 0], ['pending', null, 0, 0]]);
  });
});

describe('HistoryStore backfill settings', () => {
  const task = (key: string) => ({ key, title: `${key} stars`, target: key.split(':')[1]!, totalUnits: 10, estimatedRequests: 3 });

  it('tries unavailable and failed tasks again when the settings change, keeping done and running ones as they are', () => {
    const store = open();
    store.planBackfill('github', [task('stars:a'), task('stars:b'), task('stars:c'), task('stars:d')], day(0));
    expect(store.useBackfillSettings('github', 'settings-1', day(0))).toEqual({ reopened: 0 });
    store.ingestDated('github', [stars(day(0), 1)], {
      backfill: {
        time: day(0),
        tasks: [
          { key: 'stars:a', requests: 1, outcome: { kind: 'progress', cursor: null, doneUnits: 10, totalUnits: 10 } },
          { key: 'stars:b', requests: 1, outcome: { kind: 'unavailable', reason: 'star history needs admin or collaborator access to this repository' } },
          { key: 'stars:c', requests: 1, outcome: { kind: 'failed', error: 'HTTP 502', retryAt: day(1) } },
          { key: 'stars:d', requests: 1, outcome: { kind: 'progress', cursor: 'page-2', doneUnits: 4, totalUnits: 10 } },
        ],
      },
    });
    // The same settings (a restart): nothing moves.
    expect(store.useBackfillSettings('github', 'settings-1', day(1))).toEqual({ reopened: 0 });
    expect(store.backfillTasks().map((t) => t.state)).toEqual(['done', 'unavailable', 'failed', 'running']);
    // Other settings: b and c are pending again, from where they stopped; another source is not touched.
    expect(store.useBackfillSettings('npm', 'settings-9', day(1))).toEqual({ reopened: 0 });
    expect(store.useBackfillSettings('github', 'settings-2', day(1))).toEqual({ reopened: 2 });
    expect(store.backfillTasks().map((t) => [t.key, t.state, t.reason, t.failures, t.retryAt, t.cursor])).toEqual([
      ['stars:a', 'done', null, 0, null, null],
      ['stars:b', 'pending', null, 0, null, null],
      ['stars:c', 'pending', null, 0, null, null],
      ['stars:d', 'running', null, 0, null, 'page-2'],
    ]);
  });
});

describe('migration from schema version 1', () => {
  it('opens a file written by version 1 with nothing lost, and answers old and new points alike', () => {
    const file = path.join(dir(), 'history.db');
    expect(copyHistoryFixture('history-v1.sqlite', file)).toBe(1);

    const store = open();
    const id = (metric: string, repo: string) => store.series({ metric, labels: { repo } })[0]!.id;
    const rocket = id('github_repo_stars', 'rocket');
    const pulls = id('dockerhub_repo_pulls', 'rocket');
    // Every poll of version 1 is still there.
    for (let poll = 0; poll < V1_POLLS; poll++) {
      const time = V1_T0 + poll * V1_POLL_MS;
      expect(store.valueAt(rocket, time)).toBe(v1Samples(poll)[0]!.value);
      expect(store.valueAt(id('github_repo_stars', 'engine'), time)).toBe(10);
      expect(store.valueAt(pulls, time + 1_000)).toBe(v1Pulls(poll)[0]!.value);
    }
    expect(store.sourceRuns().map((run) => run.source)).toEqual(['dockerhub', 'github']);
    // Its series were written by polls: a backfill stops where they start, and fills in before.
    const before = Array.from({ length: 5 }, (_, n) => ({ metric: 'github_repo_stars', labels: { owner: 'acme', repo: 'rocket' }, value: 35 + n, time: V1_T0 - (5 - n) * DAY }));
    expect(store.ingestDated('github', [...before, { ...before[0]!, time: V1_T0 + V1_POLL_MS, value: 1 }])).toMatchObject({ changedSeries: 1, skipped: 1 });
    const chart = store.range([rocket], { start: V1_T0 - 5 * DAY, end: V1_T0 + 9 * V1_POLL_MS, step: V1_POLL_MS * 3 });
    expect(chart[0]!.values.every((value) => value !== null)).toBe(true);
    expect(chart[0]!.values[0]).toBe(35);
    expect(chart[0]!.values.at(-1)).toBe(43);
    expect(store.valueAt(rocket, V1_T0 - DAY)).toBe(39);
    expect(store.valueAt(rocket, V1_T0)).toBe(40);
    // The file is now version 2, and polls go on as before.
    expect(store.ingest('github', v1Samples(9), V1_T0 + V1_POLLS * V1_POLL_MS)).toEqual({ changed: 0, extended: 2 });
    store.close();
    const migrated = new DatabaseSync(file, { readOnly: true });
    expect(migrated.prepare('PRAGMA user_version').get()).toEqual({ user_version: SCHEMA_VERSION });
    expect(migrated.prepare('PRAGMA integrity_check').all()).toEqual([{ integrity_check: 'ok' }]);
    expect(migrated.prepare('SELECT count(*) AS n FROM series WHERE live_since IS NULL OR live_since != first_seen').get()).toEqual({ n: 1 });
    migrated.close();
  });
});
