// The Traffic view's model against the real history store: daily traffic stored as the core stores it
// (one dated point per UTC day at endOfUtcDay, labels repo,user), read back through the range request
// the view makes (checked and gridded as the core's API does), bucketed into days, summed per owner,
// totalled over the range; referrers and paths; traffic notes from health and backfill.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BackfillProgress, RangeRequest, RangeResult } from '../../../shared/api.js';
import { endOfUtcDay, type DatedSample } from '../../../electron/core/backfill/contract.js';
import { checkRange } from '../../../electron/core/read-requests.js';
import { HistoryStore } from '../../../electron/core/store/history-store.js';
import { DAY_MS } from '../../../shared/series-book.js';
import {
  TRAFFIC_DAILY,
  bucketByDay,
  dailyFigures,
  dailyRangeRequest,
  dailySeriesIds,
  dayEnd,
  findTarget,
  parseTrafficState,
  rangeTotals,
  targetKey,
  topEntries,
  totalsTable,
  trafficDays,
  trafficNotes,
  trafficOwners,
  trafficParams,
  utcDay,
  withoutCarriedDays,
  type DaySpan,
  type TrafficOwner,
} from '../../../renderer/model/traffic.js';
import { metricTitle, seriesTitle } from '../../../shared/names.js';
import { routeHref, parseRoute } from '../../../renderer/routing.js';
import { healthOf, series } from '../../support/fake-api.js';

/** Noon of a fixed day; the stored history ends on this day. */
const NOW = Date.UTC(2025, 5, 20, 12, 0, 0);
const TODAY = utcDay(NOW);
const HISTORY_DAYS = 40;

/** Views, unique views, clones, unique clones of a repository on the day `ago` days before today. */
function dayFigures(repo: string, ago: number): [number, number, number, number] {
  const base = repo === 'rocket' ? 100 : repo === 'engine' ? 10 : 1;
  return [base + ago, Math.floor((base + ago) / 2), base * 2 + (ago % 3), base];
}

function dailySamples(user: string, repo: string, days: readonly number[]): DatedSample[] {
  return days.flatMap((ago) => {
    const [views, viewsUnique, clones, clonesUnique] = dayFigures(repo, ago);
    const time = endOfUtcDay(NOW - ago * DAY_MS);
    const labels = { repo, user };
    return [
      { metric: TRAFFIC_DAILY.views, labels, value: views, time },
      { metric: TRAFFIC_DAILY.viewsUnique, labels, value: viewsUnique, time },
      { metric: TRAFFIC_DAILY.clones, labels, value: clones, time },
      { metric: TRAFFIC_DAILY.clonesUnique, labels, value: clonesUnique, time },
    ];
  });
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);

let dir: string;
let store: HistoryStore;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'footprint-traffic-'));
  store = HistoryStore.open(path.join(dir, 'history.db'));
  // acme/rocket: 40 days up to today; acme/engine: only the last 10 days; bolt/cli: the 40 days.
  store.ingestDated('github', [
    ...dailySamples('acme', 'rocket', range(0, HISTORY_DAYS - 1)),
    ...dailySamples('acme', 'engine', range(0, 9)),
    ...dailySamples('bolt', 'cli', range(0, HISTORY_DAYS - 1)),
  ]);
});

afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** What the core's /api/range answers for the request (the same checks and time grid). */
function answer(request: RangeRequest): RangeResult {
  const { ids, start, step, points } = checkRange(request);
  return { series: store.range(ids, { start, end: start + (points - 1) * step, step }).map((part) => ({ id: part.series.id, times: part.times, values: part.values })) };
}

function owners(): TrafficOwner[] {
  return trafficOwners(store.latest({ source: 'github' }));
}

/** The days as the view reads them: one request, without values carried past a series' last day. */
function read(days: DaySpan) {
  const all = owners();
  const lastSeen = new Map(store.latest({ source: 'github' }).map((item) => [item.id, item.lastSeen]));
  return { all, result: withoutCarriedDays(answer(dailyRangeRequest(dailySeriesIds(all.flatMap((owner) => owner.repos)), days)), lastSeen) };
}

describe('traffic series', () => {
  it('groups the daily series by owner and repository, and knows each figure’s series', () => {
    const all = owners();
    expect(all.map((owner) => [owner.user, owner.repos.map((repo) => repo.key)])).toEqual([
      ['acme', ['acme/engine', 'acme/rocket']],
      ['bolt', ['bolt/cli']],
    ]);
    const rocket = all[0]!.repos[1]!;
    expect(Object.keys(rocket.daily).sort()).toEqual(['clones', 'clonesUnique', 'views', 'viewsUnique']);
    expect(store.series({ metric: TRAFFIC_DAILY.views, labels: { repo: 'rocket' } })[0]!.id).toBe(rocket.daily.views);
  });

  it('leaves out other metrics and sources, and takes a repository seen only in its referrers', () => {
    const all = trafficOwners([
      series('github', 'github_repo_stars', { repo: 'rocket', user: 'acme' }, 5, NOW, 1),
      series('npm', TRAFFIC_DAILY.views, { repo: 'x', user: 'y' }, 5, NOW, 2),
      series('github', 'github_repo_traffic_referrer_views', { repo: 'site', user: 'acme', referrer: 'google.com' }, 7, NOW, 3),
    ]);
    expect(all).toEqual([{ user: 'acme', repos: [{ key: 'acme/site', user: 'acme', repo: 'site', daily: {} }] }]);
  });

  it('finds the target a hash names, else the first owner', () => {
    const all = owners();
    expect(targetKey(findTarget(all, 'acme/rocket')!)).toBe('acme/rocket');
    expect(findTarget(all, 'bolt')!.kind).toBe('owner');
    expect(targetKey(findTarget(all, 'nobody/else')!)).toBe('acme');
    expect(findTarget([], null)).toBeNull();
  });

  it('keeps target and range in the hash', () => {
    const href = routeHref('traffic', trafficParams({ target: 'acme/rocket', range: 'all' }));
    expect(href).toBe('#/traffic?target=acme/rocket&range=all');
    expect(parseTrafficState(parseRoute(href).params)).toEqual({ target: 'acme/rocket', range: 'all' });
    expect(parseTrafficState(new URLSearchParams('range=5y'))).toEqual({ target: null, range: '30d' });
  });
});

describe('days of a range', () => {
  const start = endOfUtcDay(NOW - 39 * DAY_MS);

  it('shows the range’s last days up to today, cut to where history starts; all of it for "all"', () => {
    expect(trafficDays('30d', start, NOW)).toEqual({ first: TODAY - 29, last: TODAY });
    expect(trafficDays('7d', start, NOW)).toEqual({ first: TODAY - 6, last: TODAY });
    expect(trafficDays('24h', start, NOW)).toEqual({ first: TODAY, last: TODAY });
    expect(trafficDays('1y', start, NOW)).toEqual({ first: TODAY - 39, last: TODAY });
    expect(trafficDays('all', start, NOW)).toEqual({ first: TODAY - 39, last: TODAY });
    expect(trafficDays('all', null, NOW)).toBeNull();
  });

  it('reaches the day of a value stored ahead of the clock (today’s, at the end of the day)', () => {
    expect(trafficDays('7d', start, endOfUtcDay(NOW + DAY_MS))).toEqual({ first: TODAY - 5, last: TODAY + 1 });
  });

  it('samples each day at its end, and puts a time into the UTC day it falls in', () => {
    const request = dailyRangeRequest([1], { first: TODAY - 2, last: TODAY });
    expect(request).toEqual({ series: [1], start: dayEnd(TODAY - 2), end: dayEnd(TODAY), points: 3 });
    expect(checkRange(request)).toMatchObject({ start: dayEnd(TODAY - 2), step: DAY_MS, points: 3 });
    const days = { first: TODAY - 1, last: TODAY };
    // The last millisecond of yesterday is yesterday's; midnight is today's; outside the span is left out.
    expect(bucketByDay({ times: [dayEnd(TODAY - 2), dayEnd(TODAY - 1), dayEnd(TODAY - 1) + 1], values: [9, 1, 2] }, days)).toEqual([1, 2]);
    expect(bucketByDay({ times: [dayEnd(TODAY)], values: [null] }, days)).toEqual([null, null]);
  });

  it('asks a single day together with the day before (range wants two points) and keeps only that day', () => {
    const days = { first: TODAY, last: TODAY };
    const { all, result } = read(days);
    expect(dailyRangeRequest([1], days).points).toBe(2);
    expect(dailyFigures(result, all[0]!.repos, days).views).toEqual([dayFigures('rocket', 0)[0] + dayFigures('engine', 0)[0]]);
  });
});

describe('daily figures from the store', () => {
  it('reads every stored day of a repository, older than GitHub’s 14 days, with its own value', () => {
    const days = trafficDays('all', endOfUtcDay(NOW - 39 * DAY_MS), NOW)!;
    const { all, result } = read(days);
    const rocket = all[0]!.repos.find((repo) => repo.key === 'acme/rocket')!;
    const figures = dailyFigures(result, [rocket], days);
    expect(figures.views).toHaveLength(HISTORY_DAYS);
    // Index 0 is the oldest day (39 days ago); each day has exactly the value stored for it.
    expect(figures.views).toEqual(range(0, HISTORY_DAYS - 1).map((index) => dayFigures('rocket', HISTORY_DAYS - 1 - index)[0]));
    expect(figures.clones).toEqual(range(0, HISTORY_DAYS - 1).map((index) => dayFigures('rocket', HISTORY_DAYS - 1 - index)[2]));
    // Unchanged neighbouring days are one run in the store: each day still reads its value.
    expect(figures.clonesUnique).toEqual(new Array(HISTORY_DAYS).fill(100));
  });

  it('sums an owner’s repositories per day; a day only one of them has counts that one', () => {
    const days = { first: TODAY - 14, last: TODAY };
    const { all, result } = read(days);
    const acme = dailyFigures(result, all[0]!.repos, days);
    // 14 … 10 days ago: only rocket has traffic; from 9 days ago on: rocket + engine.
    const expected = range(0, 14).map((index) => {
      const ago = 14 - index;
      return dayFigures('rocket', ago)[0] + (ago <= 9 ? dayFigures('engine', ago)[0] : 0);
    });
    expect(acme.views).toEqual(expected);
    expect(acme.viewsUnique[14]).toBe(dayFigures('rocket', 0)[1] + dayFigures('engine', 0)[1]);
  });

  it('has no value on days before history starts, and totals only the days with values', () => {
    const days = { first: TODAY - HISTORY_DAYS - 4, last: TODAY };
    const { all, result } = read(days);
    const bolt = dailyFigures(result, all[1]!.repos, days);
    expect(bolt.views.slice(0, 5)).toEqual([null, null, null, null, null]);
    const totals = rangeTotals(bolt);
    expect(totals.views).toBe(range(0, HISTORY_DAYS - 1).reduce((sum, ago) => sum + dayFigures('cli', ago)[0], 0));
    expect(totals.clonesUnique).toBe(HISTORY_DAYS * dayFigures('cli', 0)[3]);
  });

  it('does not repeat the last stored day on the days after it (traffic no longer read)', () => {
    store.ingestDated('github', dailySamples('gone', 'old', range(20, 25)));
    const days = { first: TODAY - 25, last: TODAY };
    const { all, result } = read(days);
    const gone = dailyFigures(result, all.find((owner) => owner.user === 'gone')!.repos, days);
    // 25 … 20 days ago: stored; 19 days ago until today: nothing (the store's sampling would say 20 days ago's value).
    expect(gone.views.slice(0, 6)).toEqual(range(20, 25).reverse().map((ago) => dayFigures('old', ago)[0]));
    expect(gone.views.slice(6)).toEqual(new Array(20).fill(null));
    expect(gone.clonesUnique.slice(6)).toEqual(new Array(20).fill(null));
    expect(answer(dailyRangeRequest([all.find((owner) => owner.user === 'gone')!.repos[0]!.daily.views!], days)).series[0]!.values.at(-1)).toBe(dayFigures('old', 20)[0]);
  });

  it('totals each owner and repository over the range, an owner’s busiest repository first', () => {
    const days = { first: TODAY - 6, last: TODAY };
    const { all, result } = read(days);
    const table = totalsTable(result, all, days);
    const sum = (repo: string, figure: number) => range(0, 6).reduce((total, ago) => total + dayFigures(repo, ago)[figure]!, 0);
    expect(table.map((owner) => [owner.key, owner.totals.views, owner.repos.map((repo) => [repo.key, repo.totals.views])])).toEqual([
      ['acme', sum('rocket', 0) + sum('engine', 0), [['acme/rocket', sum('rocket', 0)], ['acme/engine', sum('engine', 0)]]],
      ['bolt', sum('cli', 0), [['bolt/cli', sum('cli', 0)]]],
    ]);
    expect(table[0]!.totals.clones).toBe(sum('rocket', 2) + sum('engine', 2));
  });
});

describe('referrers, paths and notes', () => {
  it('lists the referrers (or paths) of the chosen repositories, most views first', () => {
    const latest = [
      series('github', 'github_repo_traffic_referrer_views', { repo: 'rocket', user: 'acme', referrer: 'news.ycombinator.com' }, 40, NOW, 1),
      series('github', 'github_repo_traffic_referrer_views', { repo: 'engine', user: 'acme', referrer: 'google.com' }, 90, NOW, 2),
      series('github', 'github_repo_traffic_referrer_views', { repo: 'cli', user: 'bolt', referrer: 'github.com' }, 500, NOW, 3),
      series('github', 'github_repo_traffic_path_views', { repo: 'rocket', user: 'acme', path: '/acme/rocket' }, 70, NOW, 4),
    ];
    expect(topEntries(latest, 'referrer', new Set(['acme/rocket', 'acme/engine']))).toEqual([
      { repo: 'acme/engine', name: 'google.com', views: 90 },
      { repo: 'acme/rocket', name: 'news.ycombinator.com', views: 40 },
    ]);
    expect(topEntries(latest, 'path', new Set(['acme/rocket']))).toEqual([{ repo: 'acme/rocket', name: '/acme/rocket', views: 70 }]);
    expect(topEntries(latest, 'path', new Set(['bolt/cli']))).toEqual([]);
  });

  it('names traffic series in Details: the daily figures, and each referrer or path with its repository', () => {
    expect(metricTitle(TRAFFIC_DAILY.views)).toBe('Views per day');
    expect(metricTitle('github_repo_traffic_clones_unique')).toBe('Unique cloners (14 days)');
    expect(seriesTitle(series('github', 'github_repo_traffic_referrer_views', { repo: 'rocket', user: 'acme', referrer: 'google.com' }, 1, NOW))).toBe('acme/rocket · google.com');
    expect(seriesTitle(series('github', 'github_repo_traffic_path_views', { repo: 'rocket', user: 'acme', path: '/acme/rocket' }, 1, NOW))).toBe('acme/rocket · /acme/rocket');
    expect(seriesTitle(series('github', TRAFFIC_DAILY.views, { repo: 'rocket', user: 'acme' }, 1, NOW))).toBe('acme/rocket');
  });

  it('takes the GitHub source’s notes about traffic from failed targets and backfill problems, not others', () => {
    const health = [
      healthOf('github', { failedTargets: [{ target: 'acme/secret', message: 'traffic needs push access' }, { target: 'acme/gone', message: 'not found' }] }),
      healthOf('npm', { failedTargets: [{ target: 'left-pad', message: 'traffic of something else' }] }),
    ];
    const problem = (target: string, reason: string) => ({ task: target, title: `History of ${target}`, target, state: 'unavailable' as const, reason, retryAt: null });
    const backfill: BackfillProgress[] = [{
      source: 'github', title: 'GitHub', state: 'done', paused: false, message: null, resumeAt: null,
      tasks: { total: 2, done: 0, unavailable: 2, failed: 0 }, units: { done: 0, total: null }, requests: 0, etaMs: null,
      problems: [problem('acme/private', 'traffic needs push access'), problem('acme/stars', 'star history needs admin or collaborator access to this repository')],
      moreProblems: 0,
    }];
    expect(trafficNotes(health, backfill)).toEqual([
      { target: 'acme/private', message: 'traffic needs push access' },
      { target: 'acme/secret', message: 'traffic needs push access' },
    ]);
    expect(trafficNotes([healthOf('github')], [])).toEqual([]);
  });
});
