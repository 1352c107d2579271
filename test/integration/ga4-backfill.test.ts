// The GA4 backfill against the loopback Google fake answering reports by `date` from a generated
// day-by-day history: chunks back to the property's first day, the configured depth, pages, resuming
// from a cursor, agreement with the live poll, errors per property, the quota as the step's budget;
// and the fake's reports by date.
import { createSign } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackfillStepResult } from '../../electron/core/backfill/contract.js';
import { RateLimitedError } from '../../electron/core/source.js';
import type { Source } from '../../electron/core/source.js';
import { endOfZonedDay } from '../../electron/core/sources/common/calendar-days.js';
import { CHUNK_DAYS } from '../../electron/core/sources/ga4/backfill.js';
import { createGa4Source, ga4ConfigSchema, ga4Source, nextPacificMidnight } from '../../electron/core/sources/ga4/index.js';
import type { Ga4Config, Ga4SourceOptions } from '../../electron/core/sources/ga4/index.js';
import { startFakeGoogle } from '../fakes/google/index.js';
import type { FakeDay, FakeGoogle, FakeProperty } from '../fakes/google/index.js';
import { generateTestKeyPair, writeTestServiceAccount } from '../fakes/google/service-account.js';
import type { TestKeyPair } from '../fakes/google/service-account.js';
import { backfillContext, day, drive, historyRows, iso, planState, sampleKey } from '../support/backfill-driver.js';
import type { DriverState } from '../support/backfill-driver.js';
import { closedAfterEach } from '../support/closed-after-each.js';
import { systemClock } from '../support/system-clock.js';
import { seededRandom } from '../support/random.js';

const EMAIL = 'footprint@footprint-test.iam.gserviceaccount.com';
const ZONE = 'America/Los_Angeles';
/** 2025-06-01 05:34 in Los Angeles: the property's yesterday is 2025-05-31. */
const START = Date.UTC(2025, 5, 1, 12, 34, 56);
const YESTERDAY = '2025-05-31';
const FAST: Ga4SourceOptions = { retryDelayMs: 1, requestTimeoutMs: 5_000 };
const NAMES = { activeUsers: 'ga4_active_users', newUsers: 'ga4_new_users', sessions: 'ga4_sessions', screenPageViews: 'ga4_page_views' } as const;

let keys: TestKeyPair;
let dir: string;
beforeAll(() => {
  keys = generateTestKeyPair();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'footprint-ga4-backfill-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const fakeGoogle = closedAfterEach(startFakeGoogle);

/**
 * Seeded activity from `first` through `last` (none in the `quiet` runs), and each day's
 * active28DayUsers as the users of its 28 days (an upper bound of the distinct ones, as good as any
 * figure for the fake): it is 0, and the day has no row, only once 28 days passed without activity.
 */
function history(seed: number, first: string, last: string, quiet: [string, string][] = []): Record<string, FakeDay> {
  const random = seededRandom(seed);
  const users = new Map<number, number>();
  const days: Record<string, FakeDay> = {};
  for (let d = day(first); d <= day(last); d++) {
    if (quiet.some(([from, to]) => d >= day(from) && d <= day(to))) continue;
    const activeUsers = 1 + Math.floor(random() * 400);
    users.set(d, activeUsers);
    const sessions = activeUsers + Math.floor(random() * 200);
    days[iso(d)] = { activeUsers, newUsers: Math.floor(activeUsers * random()), sessions, screenPageViews: sessions + Math.floor(random() * 900), active28DayUsers: 0 };
  }
  for (let d = day(first); d <= day(last) + 27; d++) {
    let window = 0;
    for (let past = d - 27; past <= d; past++) window += users.get(past) ?? 0;
    if (window === 0) continue;
    days[iso(d)] ??= { activeUsers: 0, newUsers: 0, sessions: 0, screenPageViews: 0, active28DayUsers: 0 };
    days[iso(d)]!.active28DayUsers = window;
  }
  return days;
}

/** The live periods the fake serves, consistent with a history at `today` (the property's date). */
function liveFigures(days: Record<string, FakeDay>, today: string): FakeProperty['daily'] {
  const at = (d: number) => days[iso(d)] ?? { activeUsers: 0, newUsers: 0, sessions: 0, screenPageViews: 0, active28DayUsers: 0 };
  const sum = (metric: keyof FakeDay) => Array.from({ length: 28 }, (_, index) => at(day(today) - 28 + index)[metric]).reduce((a, b) => a + b, 0);
  const totals = ({ activeUsers, newUsers, sessions, screenPageViews }: FakeDay) => ({ activeUsers, newUsers, sessions, screenPageViews });
  return {
    today: totals(at(day(today))),
    yesterday: totals(at(day(today) - 1)),
    last_28_days: { activeUsers: at(day(today) - 1).active28DayUsers, newUsers: sum('newUsers'), sessions: sum('sessions'), screenPageViews: sum('screenPageViews') },
  };
}

function property(days: Record<string, FakeDay>, overrides: Partial<FakeProperty> = {}): FakeProperty {
  return { daily: liveFigures(days, '2025-06-01'), pages: [], realtimeActiveUsers: 0, history: days, ...overrides };
}

/**
 * The history the backfill must store, from the fake's days alone: from the property's first day with a
 * row (or the depth) through yesterday, each day's figures (period="yesterday") and its 28 days
 * (period="last_28_days": active28DayUsers for users, sums for the rest), at the end of the day in Los Angeles.
 */
function expectedRows(id: string, days: Record<string, FakeDay>, depthDays = 425): string[] {
  const at = (d: number) => days[iso(d)];
  const withRows = Object.keys(days).map(day);
  const rows: string[] = [];
  for (let d = Math.max(Math.min(...withRows), day(YESTERDAY) - depthDays + 1); d <= day(YESTERDAY); d++) {
    const time = endOfZonedDay(d, ZONE);
    for (const [field, metric] of Object.entries(NAMES) as [keyof typeof NAMES, string][]) {
      let window = 0;
      for (let past = d - 27; past <= d; past++) window += at(past)?.[field] ?? 0;
      if (field === 'activeUsers') window = at(d)?.active28DayUsers ?? 0;
      rows.push(`${sampleKey({ metric, labels: { property: id, period: 'yesterday' }, time })} ${at(d)?.[field] ?? 0}`);
      rows.push(`${sampleKey({ metric, labels: { property: id, period: 'last_28_days' }, time })} ${window}`);
    }
  }
  return rows.sort();
}

interface Harness {
  google: FakeGoogle;
  config: Ga4Config;
  clock: { now: number };
}

async function harness(properties: Record<string, FakeProperty>, settings: Record<string, unknown> = {}, allowed = true): Promise<Harness> {
  const clock = systemClock(START);
  const google = await fakeGoogle({ properties, publicKeyPem: keys.publicKeyPem, now: () => clock.now });
  const account = writeTestServiceAccount({ dir, tokenUri: google.tokenUrl, keys, clientEmail: allowed ? EMAIL : 'stranger@footprint-test.iam.gserviceaccount.com', fileName: `sa-${Math.random()}.json` });
  const parsed = ga4ConfigSchema.parse({ credentialsFile: path.basename(account.file), properties: Object.keys(properties), apiUrl: google.url, ...settings });
  return { google, config: ga4Source.prepare!(parsed, { configDir: dir, homedir: dir }), clock };
}

function source(h: Harness, options: Ga4SourceOptions = {}): Source {
  return createGa4Source(h.config, { ...FAST, now: () => h.clock.now, ...options });
}

async function backfillAll(h: Harness, maxSteps?: number): Promise<DriverState> {
  const { ctx } = backfillContext();
  const backfill = source(h).backfill!;
  return drive(backfill, await planState(backfill, ctx), ctx, maxSteps);
}

function reports(google: FakeGoogle) {
  return google.requests.filter((request) => request.endpoint === 'runReport');
}

function rangeOf(body: unknown): string {
  const [range] = (body as { dateRanges: { startDate: string; endDate: string }[] }).dateRanges;
  return `${range!.startDate}..${range!.endDate}`;
}

describe('GA4 backfill', () => {
  it('reads 90 days a request back to the property\'s first day with data, every day equal to the fake\'s', async () => {
    // Activity from 2024-09-15 with a quiet spell whose empty days (no rows from 2024-11-04 to 12-20)
    // cover the old end of the second range: they are stored as zeros once older data shows up.
    const days = history(1, '2024-09-15', YESTERDAY, [['2024-10-08', '2024-12-20']]);
    const h = await harness({ '111': property(days) });
    const state = await backfillAll(h);

    expect(historyRows(state)).toEqual(expectedRows('111', days));
    const bodies = reports(h.google).map((request) => request.body as Record<string, unknown>);
    expect(bodies.map(rangeOf)).toEqual(['117daysAgo..yesterday', '2024-11-06..2025-03-02', '2024-08-08..2024-12-02', '2024-05-10..2024-09-03']);
    expect(bodies[1]).toMatchObject({
      dimensions: [{ name: 'date' }],
      metrics: ['activeUsers', 'newUsers', 'sessions', 'screenPageViews', 'active28DayUsers'].map((name) => ({ name })),
      orderBys: [{ dimension: { dimensionName: 'date' } }],
      limit: '117',
      offset: '0',
    });
    expect(state.cursors.get('daily:111')).toBeNull();
    expect(state.results.get('daily:111')!.at(-1)).toMatchObject({ kind: 'progress', doneUnits: 360, totalUnits: 360 });
  });

  it('stops at ga4.backfillDays, counted back from yesterday', async () => {
    const days = history(2, '2023-01-01', YESTERDAY);
    const h = await harness({ '222': property(days) }, { backfillDays: '100d' });
    const state = await backfillAll(h);
    expect(historyRows(state)).toEqual(expectedRows('222', days, 100));
    expect(reports(h.google).map((request) => rangeOf(request.body))).toEqual(['117daysAgo..yesterday', '2025-01-25..2025-03-02']);
    expect(state.tasks[0]).toMatchObject({ key: 'daily:222', target: '222', totalUnits: 100, estimatedRequests: 2 });
  });

  it('pages through a range when a reply holds fewer rows than asked', async () => {
    const days = history(3, '2025-01-01', YESTERDAY);
    const h = await harness({ '333': property(days, { maxRowsPerReply: 40 }) });
    const state = await backfillAll(h);
    expect(historyRows(state)).toEqual(expectedRows('333', days));
    expect(reports(h.google).slice(0, 3).map((request) => (request.body as { offset: string }).offset)).toEqual(['0', '40', '80']);
  });

  it('resumes from a saved cursor with the same history', async () => {
    const days = history(4, '2024-07-01', YESTERDAY);
    const h = await harness({ '444': property(days) });
    const whole = await backfillAll(h);
    const interrupted = await backfillAll(h, 2);
    expect(interrupted.cursors.get('daily:444')).toEqual(expect.any(String));
    // A new process: a fresh source, the saved cursor.
    const { ctx } = backfillContext();
    await drive(source(h).backfill!, interrupted, ctx);
    expect(historyRows(interrupted)).toEqual(historyRows(whole));
    expect(historyRows(whole)).toEqual(expectedRows('444', days));
  });

  it('writes the series the live poll writes: at yesterday both agree', async () => {
    const days = history(5, '2025-02-01', '2025-06-01');
    const h = await harness({ '555': property(days) });
    const state = await backfillAll(h);
    const live = await source(h).collect(backfillContext().ctx);
    const periodic = live.samples.filter((sample) => sample.labels.period === 'yesterday' || sample.labels.period === 'last_28_days');
    expect(periodic).toHaveLength(8);
    for (const sample of periodic) {
      expect(state.samples.get(sampleKey({ ...sample, time: endOfZonedDay(day(YESTERDAY), ZONE) }))?.value, JSON.stringify(sample)).toBe(sample.value);
    }
    // Today is still counting: no past of it is written.
    expect([...state.samples.values()].some((sample) => sample.labels.period === 'today')).toBe(false);
  });

  it('asks again by date when midnight passes while Google answers the first range', async () => {
    const days = history(6, '2025-04-01', '2025-06-01');
    const h = await harness({ '666': property(days) }, { backfillDays: 30 });
    // 2025-06-01 23:59:59.999 in Los Angeles when the backfill reads the clock before asking; 2 ms later
    // (the next day) at every later reading.
    const beforeMidnight = Date.UTC(2025, 5, 2, 6, 59, 59, 999);
    let reads = 0;
    h.clock.now = beforeMidnight;
    const backfill = createGa4Source(h.config, { ...FAST, now: () => (reads++ === 0 ? beforeMidnight : beforeMidnight + 2) }).backfill!;
    const { ctx } = backfillContext();
    const state = await drive(backfill, await planState(backfill, ctx), ctx);
    expect(reports(h.google).map((request) => rangeOf(request.body))).toEqual(['57daysAgo..yesterday', '2025-04-06..2025-06-01']);
    const newest = [...state.samples.values()].map((sample) => sample.time).sort((a, b) => b - a)[0];
    expect(newest).toBe(endOfZonedDay(day('2025-06-01'), ZONE));
  });

  it('says a property the service account may not read is unavailable, naming the fix', async () => {
    const h = await harness({ '777': property(history(7, '2025-05-01', YESTERDAY), { allowedEmails: [EMAIL] }) }, {}, false);
    const { ctx } = backfillContext();
    const backfill = source(h).backfill!;
    const { tasks } = await backfill.plan(ctx);
    const { results } = await backfill.step([{ task: tasks[0]!, cursor: null }], ctx);
    expect(results).toEqual([{ kind: 'unavailable', reason: expect.stringMatching(/refused access to property 777 \(PERMISSION_DENIED\) — add stranger@footprint-test\.iam\.gserviceaccount\.com as a Viewer/) }]);
  });

  it('fails a property on a refused request or a server error that outlasts the retries; a quota ends the step until it returns', async () => {
    const h = await harness({ '888': property(history(8, '2025-05-01', YESTERDAY)) });
    const { ctx } = backfillContext();
    const backfill = source(h).backfill!;
    const { tasks } = await backfill.plan(ctx);
    const work = [{ task: tasks[0]!, cursor: null }];
    h.google.failNext({ match: /runReport/, status: 400, message: 'Field active28DayUsers is not a valid metric.' });
    expect((await backfill.step(work, ctx)).results[0]).toEqual({ kind: 'failed', error: expect.stringMatching(/refused the report request for property 888 \(INVALID_ARGUMENT\): Field active28DayUsers/) });
    h.google.failNext({ match: /runReport/, status: 503, times: 3 });
    expect((await backfill.step(work, ctx)).results[0]).toMatchObject({ kind: 'failed', error: expect.stringMatching(/answered 503/) });
    h.google.failNext({ match: /runReport/, status: 429 });
    const limited = await backfill.step(work, ctx).then(() => null, (error: unknown) => error);
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect((limited as RateLimitedError).retryAt).toBe(nextPacificMidnight(START));
  });

  it('reports the scarcer of the property\'s quotas as the step\'s budget', async () => {
    const h = await harness({ '999': property(history(9, '2025-05-01', YESTERDAY)) });
    const { ctx } = backfillContext();
    const backfill = source(h).backfill!;
    const { tasks } = await backfill.plan(ctx);
    const step = await backfill.step([{ task: tasks[0]!, cursor: null }], ctx);
    const left = h.google.quotaOf('999');
    expect(step.budget).toEqual({ resource: 'property 999 tokens per hour', limit: 40_000, remaining: left.tokensPerHour, resetAt: Date.UTC(2025, 5, 1, 13) });
  });

  it('is offered by every GA4 source, one task per property', async () => {
    const h = await harness({ '1': property({}), '2': property({}) });
    const created = ga4Source.create(h.config);
    const { tasks } = await created.backfill!.plan(backfillContext().ctx);
    expect(tasks.map((task) => [task.key, task.totalUnits, task.estimatedRequests])).toEqual([['daily:1', 425, Math.ceil(425 / CHUNK_DAYS)], ['daily:2', 425, 5]]);
  });

  it('stores nothing for a property without data, after one request', async () => {
    const h = await harness({ '3': property({}) });
    const state = await backfillAll(h);
    expect(historyRows(state)).toEqual([]);
    expect(reports(h.google)).toHaveLength(1);
    const last: BackfillStepResult | undefined = state.results.get('daily:3')!.at(-1);
    expect(last).toMatchObject({ kind: 'progress', cursor: null });
  });
});

describe('fake Google: reports by date', () => {
  /** A self-signed Bearer JWT of the test service account, as the source sends. */
  function bearer(): string {
    const iat = Math.floor(START / 1000);
    const input = [{ alg: 'RS256', typ: 'JWT' }, { iss: EMAIL, sub: EMAIL, scope: 'https://www.googleapis.com/auth/analytics.readonly', iat, exp: iat + 3600 }]
      .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
      .join('.');
    return `${input}.${createSign('sha256').update(input).sign(keys.privateKeyPem).toString('base64url')}`;
  }

  async function post(google: FakeGoogle, body: unknown): Promise<any> {
    const response = await fetch(`${google.url}/v1beta/properties/1:runReport`, { method: 'POST', headers: { authorization: `Bearer ${bearer()}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, ...((await response.json()) as object) };
  }

  function start(days: Record<string, FakeDay>, extra: Partial<FakeProperty> = {}): Promise<FakeGoogle> {
    return fakeGoogle({ properties: { '1': property(days, extra) }, publicKeyPem: keys.publicKeyPem, now: () => START });
  }

  const days = {
    '2025-05-28': { activeUsers: 3, newUsers: 1, sessions: 4, screenPageViews: 9, active28DayUsers: 3 },
    '2025-05-30': { activeUsers: 5, newUsers: 2, sessions: 6, screenPageViews: 11, active28DayUsers: 8 },
    '2025-06-01': { activeUsers: 1, newUsers: 1, sessions: 1, screenPageViews: 1, active28DayUsers: 9 },
  };
  const metrics = [{ name: 'activeUsers' }, { name: 'active28DayUsers' }];

  it('answers one row per day with data, dates as YYYYMMDD, relative dates in the property\'s time zone, newest first when asked', async () => {
    const google = await start(days);
    const reply = await post(google, { dateRanges: [{ startDate: '5daysAgo', endDate: 'yesterday' }], dimensions: [{ name: 'date' }], metrics, orderBys: [{ dimension: { dimensionName: 'date' }, desc: true }] });
    expect(reply).toMatchObject({
      status: 200,
      dimensionHeaders: [{ name: 'date' }],
      metricHeaders: [{ name: 'activeUsers', type: 'TYPE_INTEGER' }, { name: 'active28DayUsers', type: 'TYPE_INTEGER' }],
      rows: [
        { dimensionValues: [{ value: '20250530' }], metricValues: [{ value: '5' }, { value: '8' }] },
        { dimensionValues: [{ value: '20250528' }], metricValues: [{ value: '3' }, { value: '3' }] },
      ],
      rowCount: 2,
      metadata: { timeZone: ZONE },
      kind: 'analyticsData#runReport',
    });
    // In Tokyo it is already 2025-06-01's evening: its yesterday is 05-31, and today has data.
    const tokyo = await start(days, { timeZone: 'Asia/Tokyo' });
    const today = await post(tokyo, { dateRanges: [{ startDate: 'today', endDate: 'today' }], dimensions: [{ name: 'date' }], metrics });
    expect(today.rows).toEqual([{ dimensionValues: [{ value: '20250601' }], metricValues: [{ value: '1' }, { value: '9' }] }]);
    expect(today.metadata.timeZone).toBe('Asia/Tokyo');
  });

  it('keeps empty rows when asked, adds a dateRange dimension for several ranges, and pages with rowCount the total', async () => {
    const google = await start(days, { maxRowsPerReply: 2 });
    const empty = await post(google, { dateRanges: [{ startDate: '2025-05-28', endDate: '2025-05-29' }], dimensions: [{ name: 'date' }], metrics, keepEmptyRows: true });
    expect(empty.rows.map((row: any) => row.dimensionValues[0].value)).toEqual(['20250528', '20250529']);
    const two = await post(google, { dateRanges: [{ startDate: '2025-05-28', endDate: '2025-05-28', name: 'a' }, { startDate: '2025-05-30', endDate: '2025-05-31', name: 'b' }], dimensions: [{ name: 'date' }], metrics, limit: '10', offset: '1' });
    expect(two.dimensionHeaders).toEqual([{ name: 'date' }, { name: 'dateRange' }]);
    expect(two.rowCount).toBe(2);
    expect(two.rows).toEqual([{ dimensionValues: [{ value: '20250530' }, { value: 'b' }], metricValues: [{ value: '5' }, { value: '8' }] }]);
  });

  it('refuses active28DayUsers outside reports by date, other dimensions beside date, and a start after the end', async () => {
    const google = await start(days);
    const totals = await post(google, { dateRanges: [{ startDate: 'yesterday', endDate: 'yesterday' }], metrics: [{ name: 'active28DayUsers' }] });
    expect([totals.status, totals.error.status, totals.error.message]).toEqual([400, 'INVALID_ARGUMENT', expect.stringMatching(/does not serve the metric active28DayUsers/)]);
    const mixed = await post(google, { dateRanges: [{ startDate: 'yesterday', endDate: 'yesterday' }], dimensions: [{ name: 'date' }, { name: 'pagePath' }], metrics });
    expect(mixed.error.message).toMatch(/without other dimensions; got pagePath/);
    const backwards = await post(google, { dateRanges: [{ startDate: '2025-05-30', endDate: '2025-05-01' }], dimensions: [{ name: 'date' }], metrics });
    expect(backwards.error.message).toMatch(/startDate is after the endDate/);
  });
});
