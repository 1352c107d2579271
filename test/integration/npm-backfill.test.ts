// The npm backfill against the loopback fake of the downloads API's range endpoint: daily history
// back to a package's first downloads over many requests, bulk and scoped requests, resuming from a
// cursor, days not counted yet, revisions, unknown packages and failures; and the fake's ranges.
import { describe, expect, it } from 'vitest';
import { endOfUtcDay } from '../../electron/core/backfill/contract.js';
import type { BackfillTask } from '../../electron/core/backfill/contract.js';
import { RateLimitedError } from '../../electron/core/source.js';
import { BULK_RANGE_DAYS, createNpmBackfiller, SINGLE_RANGE_DAYS } from '../../electron/core/sources/npm/backfill.js';
import { createNpmSource, npmConfigSchema, npmSource, productionTuning } from '../../electron/core/sources/npm/index.js';
import type { NpmTuning } from '../../electron/core/sources/npm/index.js';
import { BULK_RANGE_TOO_LONG_ERROR, startFakeNpm } from '../fakes/npm/index.js';
import { backfillContext, day, drive, historyRows, iso, planState, sampleKey } from '../support/backfill-driver.js';
import type { DriverState } from '../support/backfill-driver.js';
import { closedAfterEach } from '../support/closed-after-each.js';
import { apiFixture as fixture } from '../support/api-fixtures.js';
import { seededRandom } from '../support/random.js';

const fakeNpm = closedAfterEach(startFakeNpm);
const DAY_MS = 86_400_000;
/** 2025-06-02 09:30 UTC: yesterday is 2025-06-01, the last day npm has counted. */
const NOW = Date.UTC(2025, 5, 2, 9, 30);
const YESTERDAY = '2025-06-01';
const TUNING: NpmTuning = { ...productionTuning, retryDelayMs: 1, retryAfterUnitMs: 1 };

/** Seeded daily counts from `first` through `last`, with every `[from, to]` of `zeroRuns` at 0. */
function downloads(seed: number, first: string, last: string, zeroRuns: [string, string][] = []): Record<string, number> {
  const random = seededRandom(seed);
  const days: Record<string, number> = {};
  for (let d = day(first); d <= day(last); d++) {
    const zero = zeroRuns.some(([from, to]) => d >= day(from) && d <= day(to));
    days[iso(d)] = zero ? 0 : 1 + Math.floor(random() * 5_000);
  }
  return days;
}

/**
 * The history the backfill must store for a package, computed from the fake's counts alone: from its
 * first day with downloads through `through`, that day's count and the 7 and 30 days ending with it
 * (left out where the window reaches before 2015-01-10, which npm has no counts for).
 */
function expectedRows(name: string, counts: Record<string, number>, through = YESTERDAY): string[] {
  const valueOn = (d: number) => counts[iso(d)] ?? 0;
  const days = Object.keys(counts).filter((key) => counts[key]! > 0).map(day);
  if (days.length === 0) return [];
  const rows: string[] = [];
  for (let d = Math.min(...days); d <= day(through); d++) {
    for (const [period, size] of [['last_day', 1], ['last_week', 7], ['last_month', 30]] as const) {
      if (d - size + 1 < day('2015-01-10')) continue;
      let sum = 0;
      for (let past = d - size + 1; past <= d; past++) sum += valueOn(past);
      rows.push(`${sampleKey({ metric: 'npm_package_downloads', labels: { package: name, period }, time: endOfUtcDay(d * DAY_MS) })} ${sum}`);
    }
  }
  return rows.sort();
}

function rowsOf(state: DriverState, name: string): string[] {
  return historyRows(state).filter((row) => row.includes(`{package=${name},`));
}

function backfiller(apiUrl: string, packages: string[], tuning: NpmTuning = TUNING) {
  return createNpmBackfiller(npmConfigSchema.parse({ apiUrl, packages }), tuning, { now: () => NOW });
}

/** Days a range request covers, from its path (…/range/START:END/…). */
function spanOf(path: string): number {
  const [start, end] = /\/range\/([^/]+)\//.exec(path)![1]!.split(':');
  return start === 'last-year' ? 365 : day(end!) - day(start!) + 1;
}

async function backfillAll(apiUrl: string, packages: string[]): Promise<DriverState> {
  const { ctx } = backfillContext();
  const npm = backfiller(apiUrl, packages);
  return drive(npm, await planState(npm, ctx), ctx);
}

describe('npm backfill', () => {
  it('reads a package back to its first downloads over more than 18 months, one 540-day range per request, every day as npm counts it', async () => {
    // Downloads from 2022-03-01, and a 81-day run of zeros across the old end of the second range
    // (2023-01-08..2024-06-30): its zeros are real, since downloads came before them.
    const counts = downloads(1, '2022-03-01', YESTERDAY, [['2022-12-20', '2023-03-10']]);
    const fake = await fakeNpm({ daily: { rocket: counts }, now: () => NOW });
    const state = await backfillAll(fake.url, ['rocket']);

    expect(rowsOf(state, 'rocket')).toEqual(expectedRows('rocket', counts));
    expect(state.cursors.get('downloads:rocket')).toBeNull();
    const paths = fake.requests.map((request) => request.path);
    expect(paths[0]).toBe('/downloads/range/last-year/rocket');
    expect(paths.length).toBeGreaterThanOrEqual(4);
    expect(paths.slice(1).every((path) => spanOf(path) === SINGLE_RANGE_DAYS)).toBe(true);
    // The walk stops at the first range without downloads: one request older than the first downloads, no more.
    const ends = paths.map((path) => day(/\/range\/[^:/]+:([^/]+)\//.exec(path)?.[1] ?? YESTERDAY));
    expect(ends.filter((end) => end < day('2022-03-01'))).toHaveLength(1);
    expect(ends.at(-1)).toBeLessThan(day('2022-03-01'));
    const last = state.results.get('downloads:rocket')!.at(-1)!;
    expect(last).toMatchObject({ kind: 'progress', cursor: null });
    expect(last.kind === 'progress' && last.doneUnits === last.totalUnits).toBe(true);
  });

  it('goes back to 2015-01-10 for an older package and leaves out the sums npm cannot know', async () => {
    const counts = downloads(2, '2015-01-10', YESTERDAY);
    const fake = await fakeNpm({ daily: { oldie: counts }, now: () => NOW });
    const state = await backfillAll(fake.url, ['oldie']);
    expect(rowsOf(state, 'oldie')).toEqual(expectedRows('oldie', counts));
    expect(rowsOf(state, 'oldie')[0]).toContain('@2015-01-10T23:59:59.999Z');
    // No range starts before the data does.
    expect(fake.requests.every((request) => !/\/range\/20(0|1[0-4])/.test(request.path))).toBe(true);
  });

  it('stores nothing for a package without downloads, after one request', async () => {
    const fake = await fakeNpm({ packages: { quiet: { last_day: 0, last_week: 0, last_month: 0 } }, now: () => NOW });
    const state = await backfillAll(fake.url, ['quiet']);
    expect(historyRows(state)).toEqual([]);
    expect(state.cursors.get('downloads:quiet')).toBeNull();
    expect(fake.requests).toHaveLength(1);
  });

  it('resumes from a saved cursor with the same history, and a step run twice gives the same samples', async () => {
    const counts = downloads(3, '2021-05-05', YESTERDAY, [['2023-09-01', '2023-09-30']]);
    const fake = await fakeNpm({ daily: { rocket: counts }, now: () => NOW });
    const whole = await backfillAll(fake.url, ['rocket']);

    const { ctx } = backfillContext();
    const first = backfiller(fake.url, ['rocket']);
    const interrupted = await drive(first, await planState(first, ctx), ctx, 2);
    const cursor = interrupted.cursors.get('downloads:rocket')!;
    expect(cursor).toEqual(expect.any(String));

    // A new process: a fresh backfiller, the saved cursor.
    const second = backfiller(fake.url, ['rocket']);
    const task = interrupted.tasks[0]!;
    const again = await second.step([{ task, cursor }], ctx);
    const twice = await second.step([{ task, cursor }], ctx);
    expect(twice).toEqual(again);
    await drive(second, interrupted, ctx);
    expect(historyRows(interrupted)).toEqual(historyRows(whole));
    expect(historyRows(whole)).toEqual(expectedRows('rocket', counts));
  });

  it('starts a package over when its cursor cannot be read', async () => {
    const counts = downloads(4, '2025-01-01', YESTERDAY);
    const fake = await fakeNpm({ daily: { rocket: counts }, now: () => NOW });
    const npm = backfiller(fake.url, ['rocket']);
    const { ctx } = backfillContext();
    const { tasks } = await npm.plan(ctx);
    const fresh = await npm.step([{ task: tasks[0]!, cursor: null }], ctx);
    expect(await npm.step([{ task: tasks[0]!, cursor: '{"end":"not a day"}' }], ctx)).toEqual(fresh);
  });

  it('asks for unscoped packages in bulk (at most 365 days) and for a scoped one alone, each history equal to the fake', async () => {
    const daily = {
      young: downloads(5, '2024-11-03', YESTERDAY),
      older: downloads(6, '2023-06-10', YESTERDAY),
      never: {},
      '@acme/engine': downloads(7, '2024-02-01', YESTERDAY),
    };
    const fake = await fakeNpm({ daily, now: () => NOW });
    const state = await backfillAll(fake.url, Object.keys(daily));
    for (const [name, counts] of Object.entries(daily)) expect(rowsOf(state, name), name).toEqual(expectedRows(name, counts));

    const bulk = fake.requests.filter((request) => request.packages.length > 1);
    expect(bulk.length).toBeGreaterThanOrEqual(2);
    expect(bulk[0]!.path).toBe('/downloads/range/last-year/young,older,never');
    for (const request of bulk) {
      expect(request.packages.some((name) => name.startsWith('@'))).toBe(false);
      expect(spanOf(request.path)).toBeLessThanOrEqual(BULK_RANGE_DAYS);
    }
    expect(fake.requests.filter((request) => request.packages.includes('@acme/engine')).every((request) => request.packages.length === 1)).toBe(true);
    expect(fake.requests.every((request) => request.status === 200)).toBe(true);
  });

  it('splits more than 128 unscoped packages at the same place into bulks of at most 128', async () => {
    const names = Array.from({ length: 130 }, (_, index) => `pkg-${index}`);
    const fake = await fakeNpm({ daily: Object.fromEntries(names.map((name) => [name, { '2025-05-20': 3 }])), now: () => NOW });
    const npm = backfiller(fake.url, names);
    const { ctx } = backfillContext();
    const { tasks } = await npm.plan(ctx);
    expect(npm.batchSize).toBe(128);
    const { results } = await npm.step(tasks.map((task) => ({ task, cursor: null })), ctx);
    expect(results).toHaveLength(130);
    expect(results.every((result) => result.kind === 'progress')).toBe(true);
    expect(fake.requests.map((request) => request.packages.length).sort((a, b) => a - b)).toEqual([2, 128]);
  });

  it('never stores a day npm has not counted yet, and a re-run carries revised and newly counted days', async () => {
    const counts = downloads(8, '2025-03-01', YESTERDAY);
    const fake = await fakeNpm({ daily: { rocket: counts }, landed: '2025-05-30', now: () => NOW });
    const before = await backfillAll(fake.url, ['rocket']);
    expect(rowsOf(before, 'rocket')).toEqual(expectedRows('rocket', counts, '2025-05-30'));

    fake.setLanded(YESTERDAY);
    fake.setDailyDownloads('rocket', { '2025-05-30': 77 });
    const after = await backfillAll(fake.url, ['rocket']);
    expect(rowsOf(after, 'rocket')).toEqual(expectedRows('rocket', { ...counts, '2025-05-30': 77 }));
  });

  it('writes the series the live poll writes: at the newest day both agree', async () => {
    const counts = downloads(9, '2024-12-24', YESTERDAY);
    const fake = await fakeNpm({ daily: { rocket: counts, '@acme/engine': downloads(10, '2025-02-02', YESTERDAY) }, now: () => NOW });
    const names = ['rocket', '@acme/engine'];
    const state = await backfillAll(fake.url, names);
    const live = await createNpmSource(npmConfigSchema.parse({ apiUrl: fake.url, packages: names })).collect(backfillContext().ctx);
    expect(live.errors).toEqual([]);
    for (const sample of live.samples) {
      const backfilled = state.samples.get(sampleKey({ ...sample, time: endOfUtcDay(day(YESTERDAY) * DAY_MS) }));
      expect(backfilled?.value, JSON.stringify(sample)).toBe(sample.value);
    }
    expect(live.samples).toHaveLength(6);
  });

  it('says a package npm does not know is unavailable, alone or in bulk, and goes on with the others', async () => {
    const fake = await fakeNpm({ daily: { real: { '2025-05-01': 4 }, '@acme/real': { '2025-05-02': 5 } }, now: () => NOW });
    const npm = backfiller(fake.url, ['real', 'ghost', '@acme/ghost', '@acme/real']);
    const { ctx } = backfillContext();
    const { tasks } = await npm.plan(ctx);
    const { results } = await npm.step(tasks.map((task) => ({ task, cursor: null })), ctx);
    expect(results.map((result) => result.kind)).toEqual(['progress', 'unavailable', 'unavailable', 'progress']);
    expect(results[1]).toEqual({ kind: 'unavailable', reason: expect.stringMatching(/'ghost'.*check npm\.packages/) });
    expect(results[2]).toEqual({ kind: 'unavailable', reason: expect.stringMatching(/'@acme\/ghost' \(404\).*check npm\.packages/) });
  });

  it('fails one package on a server error that outlasts the retries, and the whole step on a rate limit', async () => {
    const fake = await fakeNpm({ daily: { a: { '2025-05-01': 4 }, '@s/b': { '2025-05-02': 5 } }, now: () => NOW });
    const npm = backfiller(fake.url, ['a', '@s/b']);
    const { ctx, statuses } = backfillContext();
    const { tasks } = await npm.plan(ctx);
    fake.failNext({ match: /@s\/b/, status: 503, times: 3 });
    const { results } = await npm.step(tasks.map((task) => ({ task, cursor: null })), ctx);
    expect(results[0]!.kind).toBe('progress');
    expect(results[1]).toEqual({ kind: 'failed', error: expect.stringMatching(/answered 503.*backfilling again later/) });
    expect(statuses.filter((status) => status === 503)).toHaveLength(3);

    fake.failNext({ status: 429, retryAfterSeconds: 120 });
    const limited = await npm.step([{ task: tasks[0]!, cursor: null }], ctx).then(() => null, (error: unknown) => error);
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect((limited as RateLimitedError).retryAt).toBe(NOW + 120_000);
  });

  it('fails a package whose reply cannot be read, and throws when npm cannot be reached', async () => {
    const fake = await fakeNpm({ daily: { a: { '2025-05-01': 4 } }, now: () => NOW });
    const npm = backfiller(fake.url, ['a']);
    const { ctx } = backfillContext();
    const { tasks } = await npm.plan(ctx);
    fake.failNext({ status: 200, body: '<html>maintenance</html>' });
    expect((await npm.step([{ task: tasks[0]!, cursor: null }], ctx)).results[0]).toEqual({ kind: 'failed', error: expect.stringMatching(/not JSON: "maintenance"/) });
    fake.failNext({ status: 200, body: JSON.stringify({ start: '2025-05-01', end: '2025-05-02', downloads: [{ day: '2025-05-01', downloads: -1 }] }) });
    expect((await npm.step([{ task: tasks[0]!, cursor: null }], ctx)).results[0]).toMatchObject({ kind: 'failed', error: expect.stringMatching(/unexpected range for 'a'/) });

    const offline = backfiller('http://127.0.0.1:9', ['a'], { ...TUNING, maxRetries: 0 });
    await expect(offline.step([{ task: tasks[0]!, cursor: null }], ctx)).rejects.toThrow(/could not be reached at http:\/\/127\.0\.0\.1:9/);
  });

  it('ends the step at a request that times out, without asking again', async () => {
    const fake = await fakeNpm({ daily: { a: { '2025-05-01': 4 } }, latencyMs: 500, now: () => NOW });
    const npm = backfiller(fake.url, ['a'], { ...TUNING, requestTimeoutMs: 50 });
    const { ctx, statuses } = backfillContext();
    const { tasks } = await npm.plan(ctx);
    await expect(npm.step([{ task: tasks[0]!, cursor: null }], ctx)).rejects.toThrow(/no answer within 0.05s to daily downloads last-year of 'a'/);
    expect(statuses).toEqual(['error']);
  });

  it('is offered by every npm source, one task per package', async () => {
    const created = npmSource.create(npmConfigSchema.parse({ packages: ['left-pad', '@scope/name'] }));
    const { tasks } = await created.backfill!.plan(backfillContext().ctx);
    expect(tasks.map((task: BackfillTask) => [task.key, task.target])).toEqual([['downloads:left-pad', 'left-pad'], ['downloads:@scope/name', '@scope/name']]);
    // An upper bound: every day since 2015-01-10.
    expect(tasks[0]!.totalUnits).toBeGreaterThan(3_800);
    expect(tasks[1]!.estimatedRequests).toBeGreaterThanOrEqual(8);
  });
});

describe('fake npm downloads API: ranges', () => {
  it('lists every day like the fixture, zeros included, and moves a start before 2015-01-10 or 18 months back', async () => {
    const fixtureRange = fixture('npm_downloads_range.json');
    const counts = Object.fromEntries((fixtureRange.downloads as { day: string; downloads: number }[]).map((entry) => [entry.day, entry.downloads]));
    const fake = await fakeNpm({ daily: { widget: counts }, now: () => NOW });
    expect(await (await fetch(`${fake.url}/downloads/range/2025-05-26:2025-06-01/widget`)).json()).toEqual(fixtureRange);
    const early = await (await fetch(`${fake.url}/downloads/range/2014-01-01:2015-01-12/widget`)).json();
    expect(early).toMatchObject({ start: '2015-01-10', end: '2015-01-12', downloads: [{ day: '2015-01-10', downloads: 0 }, { day: '2015-01-11', downloads: 0 }, { day: '2015-01-12', downloads: 0 }] });
    expect((await (await fetch(`${fake.url}/downloads/range/2015-05-01:2017-08-29/widget`)).json()).start).toBe('2016-02-29');
    expect(await (await fetch(`${fake.url}/downloads/range/last-week/widget`)).json()).toMatchObject({ start: '2025-05-26', end: '2025-06-01' });
  });

  it('answers bulk ranges keyed by name up to 365 days, null for unknown names, and 404 for an unknown single name', async () => {
    const fake = await fakeNpm({ daily: { a: { '2025-05-31': 2 }, b: {} }, landed: '2025-05-31', now: () => NOW });
    const bulk = await (await fetch(`${fake.url}/downloads/range/2025-05-31:2025-06-01/a,b,zz`)).json();
    expect(bulk).toEqual({
      a: { start: '2025-05-31', end: '2025-06-01', package: 'a', downloads: [{ downloads: 2, day: '2025-05-31' }, { downloads: 0, day: '2025-06-01' }] },
      b: { start: '2025-05-31', end: '2025-06-01', package: 'b', downloads: [{ downloads: 0, day: '2025-05-31' }, { downloads: 0, day: '2025-06-01' }] },
      zz: null,
    });
    const long = await fetch(`${fake.url}/downloads/range/2024-01-01:2024-12-31/a,b`);
    expect([long.status, await long.json()]).toEqual([400, { error: BULK_RANGE_TOO_LONG_ERROR }]);
    const missing = await fetch(`${fake.url}/downloads/range/last-year/no-such-pkg-xyz`);
    expect([missing.status, await missing.json()]).toEqual([404, fixture('npm_downloads_error_404.json')]);
    // The point endpoint counts the same history.
    expect(await (await fetch(`${fake.url}/downloads/point/last-day/a`)).json()).toEqual({ downloads: 2, start: '2025-05-31', end: '2025-05-31', package: 'a' });
  });
});
