// The Traffic view's model: GitHub repository traffic (views and clones per day, count and uniques)
// as the core stores it — one dated point per UTC day at the day's last millisecond (`endOfUtcDay`),
// labels `repo,user` — kept well beyond GitHub's 14 days, plus the latest 14-day top referrers and
// popular paths. A day's value is read by sampling the history exactly at the end of that day, so
// one range request on a one-day grid gives one value per day; an owner's day is the sum of its
// repositories' days; a series' last stored day is not carried on to later days. Kept free of React so it can be tested on its own.
import type { BackfillProgress, LatestSeries, RangeRequest, RangeResult, SourceHealth } from '../../shared/api.js';
import { READ_LIMITS } from '../../shared/api.js';
import { DEFAULT_RANGE, parseRangeKey, rangeMs, type RangeKey } from './details-state.js';
import { sumTrend } from './overview.js';
import { DAY_MS } from '../../shared/series-book.js';

/** The daily history series (issue 11's contract), one per figure. */
export const TRAFFIC_DAILY = {
  views: 'github_repo_traffic_views_daily',
  viewsUnique: 'github_repo_traffic_views_unique_daily',
  clones: 'github_repo_traffic_clones_daily',
  clonesUnique: 'github_repo_traffic_clones_unique_daily',
} as const;
export type TrafficFigure = keyof typeof TRAFFIC_DAILY;
export const TRAFFIC_FIGURES: readonly TrafficFigure[] = ['views', 'viewsUnique', 'clones', 'clonesUnique'];
export const FIGURE_TITLES: Readonly<Record<TrafficFigure, string>> = { views: 'Views', viewsUnique: 'Unique visitors', clones: 'Clones', clonesUnique: 'Unique cloners' };

/** Latest-value series: the 14-day totals of the top referrers and popular paths (views). */
export const REFERRER_METRIC = 'github_repo_traffic_referrer_views';
export const PATH_METRIC = 'github_repo_traffic_path_views';
/** The 14-day totals as GitHub reports them. */
const FOURTEEN_DAY_METRICS = ['github_repo_traffic_views', 'github_repo_traffic_views_unique', 'github_repo_traffic_clones', 'github_repo_traffic_clones_unique'];

const DAILY_BY_METRIC: ReadonlyMap<string, TrafficFigure> = new Map(TRAFFIC_FIGURES.map((figure) => [TRAFFIC_DAILY[figure], figure]));
const TRAFFIC_METRICS: ReadonlySet<string> = new Set([...DAILY_BY_METRIC.keys(), REFERRER_METRIC, PATH_METRIC, ...FOURTEEN_DAY_METRICS]);

/** Whether a series is part of the traffic GitHub reports (daily, 14-day totals, referrers, paths). */
export function isTrafficSeries(series: Pick<LatestSeries, 'source' | 'metric'>): boolean {
  return series.source === 'github' && TRAFFIC_METRICS.has(series.metric);
}

export interface TrafficRepo {
  /** "owner/repository", also its key in the hash. */
  readonly key: string;
  readonly user: string;
  readonly repo: string;
  /** Its daily series, per figure (a figure the core has not stored yet is missing). */
  readonly daily: Readonly<Partial<Record<TrafficFigure, number>>>;
}

export interface TrafficOwner {
  readonly user: string;
  readonly repos: readonly TrafficRepo[];
}

/** "owner/repository" of a GitHub series, or null for a series that is not a repository's. */
export function repoKeyOf(series: Pick<LatestSeries, 'source' | 'labels'>): string | null {
  const { user, repo } = series.labels;
  return series.source === 'github' && user && repo ? `${user}/${repo}` : null;
}

/** Every repository with traffic series, by owner, both sorted by name. */
export function trafficOwners(latest: Iterable<LatestSeries>): TrafficOwner[] {
  const repos = new Map<string, { user: string; repo: string; daily: Partial<Record<TrafficFigure, number>> }>();
  for (const series of latest) {
    if (!isTrafficSeries(series)) continue;
    const key = repoKeyOf(series);
    if (key === null) continue;
    const entry = repos.get(key) ?? { user: series.labels.user!, repo: series.labels.repo!, daily: {} };
    repos.set(key, entry);
    const figure = DAILY_BY_METRIC.get(series.metric);
    if (figure) entry.daily[figure] = series.id;
  }
  const owners = new Map<string, TrafficRepo[]>();
  for (const [key, entry] of repos) {
    const list = owners.get(entry.user) ?? [];
    owners.set(entry.user, list);
    list.push({ key, ...entry });
  }
  return [...owners.entries()]
    .map(([user, list]) => ({ user, repos: list.sort((a, b) => a.repo.localeCompare(b.repo)) }))
    .sort((a, b) => a.user.localeCompare(b.user));
}

/** Every daily series id of the repositories. */
export function dailySeriesIds(repos: readonly TrafficRepo[]): number[] {
  return repos.flatMap((repo) => TRAFFIC_FIGURES.map((figure) => repo.daily[figure]).filter((id): id is number => id !== undefined));
}

/** What the Traffic view shows: an owner (the sum of its repositories) or one repository. */
export type TrafficTarget = { readonly kind: 'owner'; readonly owner: TrafficOwner } | { readonly kind: 'repo'; readonly owner: TrafficOwner; readonly repo: TrafficRepo };

/** The target a hash key names ("acme" or "acme/rocket"); else the first owner. Null when there is no traffic. */
export function findTarget(owners: readonly TrafficOwner[], key: string | null): TrafficTarget | null {
  if (key !== null) {
    for (const owner of owners) {
      if (owner.user === key) return { kind: 'owner', owner };
      const repo = owner.repos.find((item) => item.key === key);
      if (repo) return { kind: 'repo', owner, repo };
    }
  }
  const first = owners[0];
  return first ? { kind: 'owner', owner: first } : null;
}

export function targetKey(target: TrafficTarget): string {
  return target.kind === 'owner' ? target.owner.user : target.repo.key;
}

export function targetRepos(target: TrafficTarget): readonly TrafficRepo[] {
  return target.kind === 'owner' ? target.owner.repos : [target.repo];
}

/** The view's state in the hash: #/traffic?target=acme/rocket&range=all */
export interface TrafficState {
  readonly target: string | null;
  readonly range: RangeKey;
}

export function parseTrafficState(params: URLSearchParams): TrafficState {
  return { target: params.get('target') || null, range: parseRangeKey(params.get('range')) };
}

export function trafficParams(state: TrafficState): Record<string, string | undefined> {
  return { target: state.target ?? undefined, range: state.range === DEFAULT_RANGE ? undefined : state.range };
}

/** The UTC day (days since 1970-01-01) a time falls in. */
export function utcDay(time: number): number {
  return Math.floor(time / DAY_MS);
}

/** Where a day's value is stored: the day's last millisecond (the core's endOfUtcDay). */
export function dayEnd(day: number): number {
  return day * DAY_MS + DAY_MS - 1;
}

/** The first millisecond of a day. */
export function dayStart(day: number): number {
  return day * DAY_MS;
}

/** UTC days first…last, both included. */
export interface DaySpan {
  readonly first: number;
  readonly last: number;
}

export function dayCount(days: DaySpan): number {
  return days.last - days.first + 1;
}

/**
 * The days a range shows: the range's last N days up to the day of `end` (24 h: that day; 7 d: seven
 * days…), cut to the day history starts; "all" starts there. Null when there is no history.
 */
export function trafficDays(range: RangeKey, historyStart: number | null, end: number): DaySpan | null {
  if (historyStart === null) return null;
  const last = Math.max(utcDay(end), utcDay(historyStart));
  const length = rangeMs(range);
  const rangeFirst = length === null ? -Infinity : last - Math.ceil(length / DAY_MS) + 1;
  // A range request has at most READ_LIMITS.rangePoints points (27 years of days).
  const first = Math.max(utcDay(historyStart), rangeFirst, last - READ_LIMITS.rangePoints + 2);
  return { first, last };
}

/**
 * The range request that samples each day's value at the end of the day. range() wants two points at
 * least: a single day is asked together with the day before it (bucketByDay leaves that one out).
 */
export function dailyRangeRequest(ids: readonly number[], days: DaySpan): RangeRequest {
  const first = Math.min(days.first, days.last - 1);
  return { series: ids, start: dayEnd(first), end: dayEnd(days.last), points: days.last - first + 1 };
}

/** Values per day of the span (index 0 = days.first); a time outside the span is left out, null where there is none. */
export function bucketByDay(trend: { readonly times: readonly number[]; readonly values: readonly (number | null)[] }, days: DaySpan): (number | null)[] {
  const values = new Array<number | null>(dayCount(days)).fill(null);
  trend.times.forEach((time, index) => {
    const at = utcDay(time) - days.first;
    const value = trend.values[index];
    if (at >= 0 && at < values.length && value !== undefined && value !== null && Number.isFinite(value)) values[at] = value;
  });
  return values;
}

/**
 * The answer without the days after each series' last stored day: the store's sampling carries a value
 * on until the next one, so a repository whose traffic stopped being read (no push access any more, no
 * longer configured) would repeat its last day forever. `lastSeen`: each series' newest stored time.
 */
export function withoutCarriedDays(result: RangeResult, lastSeen: ReadonlyMap<number, number>): RangeResult {
  return {
    series: result.series.map((series) => {
      const seen = lastSeen.get(series.id);
      if (seen === undefined) return series;
      const lastDay = utcDay(seen);
      return { ...series, values: series.values.map((value, index) => (utcDay(series.times[index]!) > lastDay ? null : value)) };
    }),
  };
}

/** Per figure, the value of each day: the sum over the repositories (null on a day none of them has). */
export type DailyFigures = Readonly<Record<TrafficFigure, readonly (number | null)[]>>;

export function dailyFigures(result: RangeResult, repos: readonly TrafficRepo[], days: DaySpan): DailyFigures {
  const entries = TRAFFIC_FIGURES.map((figure) => {
    const ids = repos.map((repo) => repo.daily[figure]).filter((id): id is number => id !== undefined);
    return [figure, ids.length === 0 ? bucketByDay({ times: [], values: [] }, days) : bucketByDay(sumTrend(result, ids), days)] as const;
  });
  return Object.fromEntries(entries) as Record<TrafficFigure, (number | null)[]>;
}

export type FigureTotals = Readonly<Record<TrafficFigure, number>>;

/** The sum of each figure's days (days without a value count nothing). */
export function rangeTotals(daily: DailyFigures): FigureTotals {
  const entries = TRAFFIC_FIGURES.map((figure) => [figure, daily[figure].reduce<number>((sum, value) => sum + (value ?? 0), 0)] as const);
  return Object.fromEntries(entries) as Record<TrafficFigure, number>;
}

/** Whether any day of the span has a value. */
export function hasDays(daily: DailyFigures): boolean {
  return TRAFFIC_FIGURES.some((figure) => daily[figure].some((value) => value !== null));
}

export interface TotalsRow {
  readonly key: string;
  readonly title: string;
  readonly totals: FigureTotals;
}

/** Per owner, its totals over the span and each repository's, the owner's repositories busiest first. */
export interface OwnerTotals extends TotalsRow {
  readonly repos: readonly TotalsRow[];
}

export function totalsTable(result: RangeResult, owners: readonly TrafficOwner[], days: DaySpan): OwnerTotals[] {
  return owners.map((owner) => {
    const repos = owner.repos
      .map((repo) => ({ key: repo.key, title: repo.key, totals: rangeTotals(dailyFigures(result, [repo], days)) }))
      .sort((a, b) => b.totals.views - a.totals.views || b.totals.clones - a.totals.clones || a.key.localeCompare(b.key));
    return { key: owner.user, title: owner.user, totals: rangeTotals(dailyFigures(result, owner.repos, days)), repos };
  });
}

/** A top referrer or popular path of a repository: its views over GitHub's last 14 days. */
export interface TopEntry {
  readonly repo: string;
  readonly name: string;
  readonly views: number;
}

/** The referrers (or paths) of the given repositories, most views first. */
export function topEntries(latest: Iterable<LatestSeries>, kind: 'referrer' | 'path', repoKeys: ReadonlySet<string>): TopEntry[] {
  const metric = kind === 'referrer' ? REFERRER_METRIC : PATH_METRIC;
  const entries: TopEntry[] = [];
  for (const series of latest) {
    if (series.source !== 'github' || series.metric !== metric) continue;
    const repo = repoKeyOf(series);
    const name = series.labels[kind];
    if (repo === null || name === undefined || !repoKeys.has(repo)) continue;
    entries.push({ repo, name, views: series.value });
  }
  return entries.sort((a, b) => b.views - a.views || a.repo.localeCompare(b.repo) || a.name.localeCompare(b.name));
}

/** Why a repository's traffic could not be read (e.g. "traffic needs push access"), as the core reports it. */
export interface TrafficNote {
  readonly target: string;
  readonly message: string;
}

const TRAFFIC_WORD = /\btraffic\b/i;

/**
 * The GitHub source's per-repository notes about traffic: failed targets of its last poll and backfill
 * problems whose words are about traffic. Each note once.
 */
export function trafficNotes(health: readonly SourceHealth[], backfill: readonly BackfillProgress[]): TrafficNote[] {
  const notes = new Map<string, TrafficNote>();
  const add = (target: string, message: string) => notes.set(`${target}\u0000${message}`, { target, message });
  for (const source of health) {
    if (source.id !== 'github') continue;
    for (const failure of source.failedTargets) if (TRAFFIC_WORD.test(failure.message)) add(failure.target, failure.message);
  }
  for (const progress of backfill) {
    if (progress.source !== 'github') continue;
    for (const problem of progress.problems) if (TRAFFIC_WORD.test(problem.reason) || TRAFFIC_WORD.test(problem.title)) add(problem.target, problem.reason);
  }
  return [...notes.values()].sort((a, b) => a.target.localeCompare(b.target));
}
