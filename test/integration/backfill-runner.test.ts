// The backfill runner in the core, end to end: a test source's Backfiller against a loopback fake API
// that serves a dated history in pages (with a budget, 429s and resets) into a real SQLite file. The
// clock is the test's: waiting for a budget reset moves it instead of sleeping.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BackfillProgress, HistoryChange } from '../../shared/api.js';
import { CoreApi } from '../../electron/core/api.js';
import { endOfUtcDay } from '../../electron/core/backfill/contract.js';
import { parseConfig } from '../../electron/core/config/config.js';
import { FootprintCore } from '../../electron/core/core.js';
import { silentLogger } from '../../electron/core/log.js';
import { startFakeHistory, type FakeHistory, type FakeHistoryOptions } from '../fakes/history/index.js';
import { closedAfterEach } from '../support/closed-after-each.js';
import { HISTORY_METRIC, HistorySourceProbe, historySourceModule } from '../support/history-source.js';
import { seededRandom } from '../support/random.js';

const DAY = 86_400_000;
const FIRST_DAY = endOfUtcDay(Date.UTC(2024, 0, 1));
/** The test's "now": well after every day the fake keeps. */
const START = FIRST_DAY + 200 * DAY + 12 * 3_600_000;
const PAGE = 5;

/** A star count per day: grows by 0–2 a day, so many days repeat the day before. */
function starHistory(days: number, seed: number): number[] {
  const random = seededRandom(seed);
  let stars = 10;
  return Array.from({ length: days }, () => (stars += Math.floor(random() * 3)));
}

/** The test's clock: backfill's waits move it forward at once and are recorded. */
class TestClock {
  now = START;
  readonly waits: { from: number; ms: number }[] = [];
  readonly sleep = async (ms: number, signal: AbortSignal): Promise<void> => {
    await nextTurn();
    if (signal.aborted) return;
    this.waits.push({ from: this.now, ms });
    this.now += ms;
  };
}

const fakeHistory = closedAfterEach((options: FakeHistoryOptions) => startFakeHistory(options));

let dir: string;
const cores: FootprintCore[] = [];
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-backfill-'));
});
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Setup {
  readonly fake: FakeHistory;
  readonly clock: TestClock;
  readonly probe: HistorySourceProbe;
}

function configText(fake: FakeHistory, options: { targets?: readonly string[]; share?: number; interval?: string } = {}): string {
  return [
    'storage: { path: history.db }',
    `backfill: { budgetShare: ${options.share ?? 0.5} }`,
    'history:',
    `  apiUrl: "${fake.url}"`,
    `  pageSize: ${PAGE}`,
    ...(options.targets ? [`  targets: [${options.targets.join(', ')}]`] : []),
    ...(options.interval ? [`  interval: ${options.interval}`] : []),
  ].join('\n');
}

function openCore(setup: Setup, options: { targets?: readonly string[]; share?: number } = {}): FootprintCore {
  const module = historySourceModule(setup.probe);
  const loaded = parseConfig(configText(setup.fake, options), { file: path.join(dir, 'footprint.yaml'), env: {}, modules: [module], dataDir: dir });
  const core = new FootprintCore({ loaded, log: silentLogger(), modules: [module], now: () => setup.clock.now, backfill: { sleep: setup.clock.sleep, retryBaseMs: 60_000 } });
  cores.push(core);
  return core;
}

async function setUp(options: Partial<FakeHistoryOptions> & { targets: Record<string, number[]> }): Promise<Setup> {
  const clock = new TestClock();
  const fake = await fakeHistory({ firstDay: FIRST_DAY, pageSize: PAGE, now: () => clock.now, ...options });
  return { fake, clock, probe: new HistorySourceProbe() };
}

/** Every progress event of the history source, from now on. */
function recordProgress(core: FootprintCore): BackfillProgress[] {
  const events: BackfillProgress[] = [];
  core.on('backfill', (progress: BackfillProgress) => events.push(progress));
  return events;
}

/** Resolves with the first progress (the current one included) that matches. */
function progressWhere(core: FootprintCore, predicate: (progress: BackfillProgress) => boolean): Promise<BackfillProgress> {
  return new Promise((resolve) => {
    const check = (progress: BackfillProgress) => {
      if (progress.source !== 'history' || !predicate(progress)) return;
      core.off('backfill', check);
      resolve(progress);
    };
    core.on('backfill', check);
    const current = core.backfillProgress('history')[0];
    if (current) check(current);
  });
}

const done = (core: FootprintCore) => progressWhere(core, (progress) => progress.state === 'done');

/** Stored runs of one target's series: [since, lastSeen, value]. */
function runsOf(core: FootprintCore, target: string): [number, number, number][] {
  return [...core.store.exportRows()].filter((row) => row.metric === HISTORY_METRIC && row.labels.target === target).map((row) => [row.since, row.lastSeen, row.value]);
}

/** What a history looks like stored: runs of equal days, the last one joined by the polls after it. */
function expectHistoryStored(core: FootprintCore, target: string, values: readonly number[]): void {
  const series = core.store.series({ metric: HISTORY_METRIC, labels: { target } });
  expect(series).toHaveLength(1);
  const id = series[0]!.id;
  values.forEach((value, day) => expect(store(core).valueAt(id, FIRST_DAY + day * DAY)).toBe(value));
  const runs = runsOf(core, target);
  for (let i = 1; i < runs.length; i++) expect(runs[i]![2]).not.toBe(runs[i - 1]![2]);
  const changes = values.filter((value, day) => day === 0 || value !== values[day - 1]).length;
  expect(runs).toHaveLength(changes);
}

const store = (core: FootprintCore) => core.store;
const historyRequests = (fake: FakeHistory) => fake.requests.filter((request) => request.path === '/history');
const pagesOf = (days: number) => Math.ceil(days / PAGE);

describe('backfill in the core', () => {
  it('reads every task to the end into the series polls write, meeting them without a jump, and serves its markers', async () => {
    const a = starHistory(43, 1);
    const b = starHistory(12, 2);
    const setup = await setUp({ targets: { a, b }, releases: { a: [{ tag: 'v1.0.0', time: FIRST_DAY + 3 * DAY - 5_000 }, { tag: 'v2.0.0', time: FIRST_DAY + 30 * DAY }] } });
    const core = openCore(setup);
    core.start();
    const finished = await done(core);

    expect(finished).toMatchObject({ tasks: { total: 2, done: 2, unavailable: 0, failed: 0 }, units: { done: 55, total: 55 }, problems: [], etaMs: null });
    expect(finished.requests).toBe(pagesOf(43) + pagesOf(12));
    expectHistoryStored(core, 'a', a);
    expectHistoryStored(core, 'b', b);
    // The poll saw the last day's count: the last backfilled run goes on into the poll's, as one run.
    const [latestA] = core.currentLatest({ metric: HISTORY_METRIC }).filter((point) => point.labels.target === 'a');
    const lastChange = a.findLastIndex((value, day) => day === 0 || value !== a[day - 1]);
    expect(latestA).toMatchObject({ value: a.at(-1), since: FIRST_DAY + lastChange * DAY, lastSeen: START });
    expect(historyRequests(setup.fake)).toHaveLength(pagesOf(43) + pagesOf(12));

    const api = new CoreApi(core, { metricsUrl: () => null });
    expect(await api.markers({ source: 'history', labels: { target: 'a' }, start: FIRST_DAY, end: START })).toEqual([
      { kind: 'release', labels: { target: 'a' }, time: FIRST_DAY + 3 * DAY - 5_000, text: 'v1.0.0' },
      { kind: 'release', labels: { target: 'a' }, time: FIRST_DAY + 30 * DAY, text: 'v2.0.0' },
    ]);
    expect(await api.backfill()).toEqual([finished]);
  });

  it('spends at most its share of the budget left, waits for the reset, then goes on', async () => {
    const setup = await setUp({ targets: { a: starHistory(60, 3), b: starHistory(60, 4) }, limit: 40, windowMs: 3_600_000 });
    const resetAt = setup.fake.budget.resetAt;
    const core = openCore(setup, { share: 0.5 });
    const events = recordProgress(core);
    core.start();
    await done(core);

    // The poll spent 3 (targets and two current values); backfill may spend half of the 37 left.
    const beforeReset = setup.fake.requests.filter((request) => request.time < resetAt);
    const poll = beforeReset.filter((request) => request.path === '/current').length + 1;
    expect(poll).toBe(3);
    expect(beforeReset.length - poll).toBeGreaterThan(10);
    expect(beforeReset.length - poll).toBeLessThanOrEqual(Math.floor(0.5 * (40 - poll)));
    // It waited exactly until the reset, said so, and then finished the rest.
    const waiting = events.find((event) => event.state === 'waiting-for-budget');
    expect(waiting).toMatchObject({ resumeAt: resetAt });
    expect(waiting!.message).toMatch(/share of the points budget.*waiting for the reset/);
    expect(setup.clock.waits.some((wait) => wait.from + wait.ms === resetAt)).toBe(true);
    expect(historyRequests(setup.fake).filter((request) => request.time >= resetAt).length).toBeGreaterThan(0);
    expect(historyRequests(setup.fake).every((request) => request.status === 200)).toBe(true);
    expect(historyRequests(setup.fake)).toHaveLength(24);
  });

  it('waits for the reset without spending anything when the budget is low', async () => {
    const setup = await setUp({ targets: { a: starHistory(10, 5), b: starHistory(10, 6) }, limit: 100, remaining: 6 });
    const resetAt = setup.fake.budget.resetAt;
    const core = openCore(setup);
    const events = recordProgress(core);
    core.start();
    await done(core);
    expect(historyRequests(setup.fake).every((request) => request.time >= resetAt)).toBe(true);
    expect(events.find((event) => event.state === 'waiting-for-budget')).toMatchObject({ resumeAt: resetAt, message: expect.stringMatching(/points budget is low \(2 of 100 left\)/) });
  });

  it('obeys a rate limit\'s reset time without counting it as a failure', async () => {
    const setup = await setUp({ targets: { a: starHistory(20, 7) } });
    setup.fake.failNext({ match: /\/history\?target=a&cursor=10/, status: 429 });
    const resetAt = setup.fake.budget.resetAt;
    const core = openCore(setup);
    const events = recordProgress(core);
    core.start();
    await done(core);
    expect(events.find((event) => event.state === 'rate-limited')).toMatchObject({ resumeAt: resetAt });
    expect(events.every((event) => event.tasks.failed === 0)).toBe(true);
    const after = historyRequests(setup.fake).filter((request) => request.cursor === '10');
    expect(after.map((request) => [request.status, request.time >= resetAt])).toEqual([[429, false], [200, true]]);
  });

  it('goes on after a restart from the saved cursors, requesting only what was not stored', async () => {
    const a = starHistory(50, 8);
    const b = starHistory(35, 9);
    const setup = await setUp({ targets: { a, b } });
    const first = openCore(setup);
    first.start();
    await progressWhere(first, (progress) => progress.units.done >= 30);
    // Killed in the middle of a step: the page it asked for is not stored.
    const held = setup.fake.hold();
    await held.waiting;
    await first.close();
    held.release();

    const second = openCore(setup);
    const stored = second.store.backfillTasks('history');
    const pagesLeft = stored.reduce((sum, task) => sum + pagesOf(task.totalUnits! - task.doneUnits), 0);
    expect(pagesLeft).toBeGreaterThan(0);
    const before = historyRequests(setup.fake).length;
    setup.clock.now += 60_000;
    second.start();
    await done(second);
    expect(historyRequests(setup.fake).length - before).toBe(pagesLeft);
    expectHistoryStored(second, 'a', a);
    expectHistoryStored(second, 'b', b);
  });

  it('backfills targets added to the configuration, and repositories the API lists later, without reading the others again', async () => {
    const setup = await setUp({ targets: { a: starHistory(15, 10), b: starHistory(15, 11) } });
    const core = openCore(setup, { targets: ['a'] });
    core.start();
    await done(core);
    expect(historyRequests(setup.fake).map((request) => request.target)).toEqual(['a', 'a', 'a']);

    const module = core.modules[0]!;
    const all = parseConfig(configText(setup.fake), { file: path.join(dir, 'footprint.yaml'), env: {}, modules: [module], dataDir: dir });
    await core.reconfigure(all);
    await progressWhere(core, (progress) => progress.state === 'done' && progress.tasks.total === 2);
    expect(historyRequests(setup.fake).slice(3).map((request) => request.target)).toEqual(['b', 'b', 'b']);
    expectHistoryStored(core, 'b', setup.fake.targets.b!);

    // A target the API lists later is planned once replanInterval (1 day) has passed, after a poll.
    setup.fake.targets.c = starHistory(7, 12);
    setup.clock.now += DAY;
    await core.refreshNow('history');
    await progressWhere(core, (progress) => progress.state === 'done' && progress.tasks.total === 3);
    expect(historyRequests(setup.fake).slice(6).map((request) => request.target)).toEqual(['c', 'c']);
    expectHistoryStored(core, 'c', setup.fake.targets.c);
  });

  it('can be paused, resumed and re-run, and a re-run stores nothing twice', async () => {
    const a = starHistory(20, 13);
    const setup = await setUp({ targets: { a } });
    const core = openCore(setup);
    const events = recordProgress(core);
    core.pauseBackfill();
    const polled = new Promise((resolve) => core.once('collected', resolve));
    core.start();
    await polled;
    await nextTurn();
    await nextTurn();
    expect(core.backfillProgress()[0]).toMatchObject({ state: 'paused', paused: true });
    expect(events.some((event) => event.state === 'planning' || event.state === 'running')).toBe(false);
    expect(setup.fake.requests.some((request) => request.path === '/history')).toBe(false);

    const changes: HistoryChange[] = [];
    core.on('history', (change: HistoryChange) => changes.push(change));
    core.resumeBackfill('history');
    await done(core);
    const stored = [...core.store.exportRows()];
    expect(historyRequests(setup.fake)).toHaveLength(4);
    // Each step that stored something said which series it changed, so open charts read them again.
    const [series] = core.store.series({ metric: HISTORY_METRIC, labels: { target: 'a' } });
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.every((change) => change.source === 'history' && change.series.length === 1 && change.series[0] === series!.id)).toBe(true);

    changes.length = 0;
    core.rerunBackfill('history');
    expect(core.backfillProgress()[0]).toMatchObject({ tasks: { done: 0 }, units: { done: 0 } });
    await done(core);
    // The re-run stored nothing new: no chart is asked to read again.
    expect(changes).toEqual([]);
    expect(historyRequests(setup.fake).slice(4).map((request) => request.cursor)).toEqual([null, '5', '10', '15']);
    expect([...core.store.exportRows()]).toEqual(stored);
  });

  it('rests while the source\'s polling is paused (the app pauses it asleep or offline), and goes on when it resumes', async () => {
    const setup = await setUp({ targets: { a: starHistory(40, 18) } });
    const core = openCore(setup);
    core.start();
    await progressWhere(core, (progress) => progress.units.done >= 10);
    core.pause();
    const paused = await progressWhere(core, (progress) => progress.state === 'paused');
    expect(paused).toMatchObject({ paused: false, message: 'polling of this source is paused: backfill goes on when it resumes' });
    const requests = historyRequests(setup.fake).length;
    await nextTurn();
    await nextTurn();
    expect(historyRequests(setup.fake).length).toBeLessThanOrEqual(requests + 1);
    expect(core.backfillProgress()[0]!.state).toBe('paused');
    core.resume('history');
    await done(core);
    expectHistoryStored(core, 'a', setup.fake.targets.a!);
  });

  it('never starts a step while the source polls, and never makes a poll wait for a step', async () => {
    const setup = await setUp({ targets: { a: starHistory(60, 14), b: starHistory(60, 15) } });
    const core = openCore(setup);
    core.start();
    await progressWhere(core, (progress) => progress.units.done >= 20);

    // A poll held open: backfill stops starting steps until it ends.
    const held = setup.probe.holdPolls();
    const poll = core.refreshNow('history');
    await held.started;
    await progressWhere(core, (progress) => progress.state === 'waiting-for-poll');
    const steps = setup.probe.steps;
    await nextTurn();
    expect(setup.probe.steps).toBe(steps);
    held.release();
    await poll;

    // A step held open: a poll runs beside it and ends while the step still waits for its answer.
    const step = setup.fake.hold();
    await step.waiting;
    await core.refreshNow('history');
    step.release();
    await done(core);
    expect(setup.probe.stepsDuringPoll).toBe(0);
    expect(setup.probe.polls).toBe(3);
    expectHistoryStored(core, 'a', setup.fake.targets.a!);
  });

  it('fails the tasks of a step whose data the history cannot store, saying why, and stores nothing of it', async () => {
    const broken = starHistory(10, 19);
    const setup = await setUp({ targets: { a: starHistory(5, 20), b: [...broken.slice(0, 3), Number.NaN, ...broken.slice(4)] } });
    const core = openCore(setup);
    core.start();
    const failing = await progressWhere(core, (progress) => progress.tasks.failed === 1);
    expect(failing.problems).toEqual([{
      task: 'stars:b', title: 'b stars', target: 'b', state: 'failed', retryAt: expect.any(Number),
      reason: 'the source sent data the history cannot store: ingestDated(history): history_stars has value null; sample values must be finite numbers',
    }]);
    expect(failing.tasks.done).toBe(1);
    expect(core.store.backfillTasks('history').find((task) => task.key === 'stars:b')).toMatchObject({ doneUnits: 0, cursor: null });
    expect(core.store.series({ metric: HISTORY_METRIC, labels: { target: 'b' } }).map((series) => core.store.valueAt(series.id, FIRST_DAY))).toEqual([null]);
    expectHistoryStored(core, 'a', setup.fake.targets.a!);
  });

  it('tries what was unavailable again once the settings change (a token added), not after a restart with the same settings', async () => {
    const unavailable: Record<string, string> = { b: 'star history needs admin or collaborator access to this repository' };
    const setup = await setUp({ targets: { a: starHistory(10, 19), b: starHistory(10, 20) }, unavailable });
    const first = openCore(setup);
    first.start();
    expect(await done(first)).toMatchObject({ tasks: { total: 2, done: 1, unavailable: 1 } });
    await first.close();

    // The same settings after a restart: b stays unavailable, nothing is asked again.
    const second = openCore(setup);
    const before = historyRequests(setup.fake).length;
    setup.clock.now += 60_000;
    second.start();
    expect(await done(second)).toMatchObject({ tasks: { total: 2, done: 1, unavailable: 1 } });
    expect(historyRequests(setup.fake)).toHaveLength(before);

    // The user gets access and changes the source's settings: b is read now.
    delete unavailable.b;
    const module = second.modules[0]!;
    const changed = parseConfig(configText(setup.fake, { interval: '2h' }), { file: path.join(dir, 'footprint.yaml'), env: {}, modules: [module], dataDir: dir });
    await second.reconfigure(changed);
    expect(await progressWhere(second, (progress) => progress.state === 'done' && progress.tasks.done === 2)).toMatchObject({ tasks: { total: 2, done: 2, unavailable: 0 }, problems: [] });
    expect(historyRequests(setup.fake).slice(before).map((request) => request.target)).toEqual(['b', 'b']);
    expectHistoryStored(second, 'b', setup.fake.targets.b!);
  });

  it('retries a failed task later with backoff and reports what cannot be backfilled, and why', async () => {
    const setup = await setUp({ targets: { a: starHistory(20, 16), b: starHistory(10, 17) }, unavailable: { b: 'the repository was archived' } });
    setup.fake.failNext({ match: /\/history\?target=a&cursor=10/, status: 502 });
    const core = openCore(setup);
    const events = recordProgress(core);
    core.start();
    const finished = await done(core);
    const retrying = events.find((event) => event.state === 'retrying');
    expect(retrying?.problems).toContainEqual({ task: 'stars:a', title: 'a stars', target: 'a', state: 'failed', reason: 'HTTP 502: the fake answers 502 as asked', retryAt: expect.any(Number) });
    expect(finished).toMatchObject({ tasks: { total: 2, done: 1, unavailable: 1, failed: 0 } });
    expect(finished.problems).toEqual([{ task: 'stars:b', title: 'b stars', target: 'b', state: 'unavailable', reason: 'the API keeps no history of b: the repository was archived', retryAt: null }]);
    expect(setup.clock.waits.some((wait) => wait.ms === 60_000)).toBe(true);
    expectHistoryStored(core, 'a', setup.fake.targets.a!);
  });
});
