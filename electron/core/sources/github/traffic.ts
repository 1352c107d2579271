// Repository traffic (views, clones, top referrers, popular paths). GitHub keeps 14 days of it and shows
// it only to those who can push, so it is read only for repositories the token can push to, on its own
// interval (github.traffic.interval), spread over the polls and kept to a share of the REST budget so a
// thousand repositories never starve the rest of the source. Each day becomes a dated point (revised
// while GitHub revises it) that stays after GitHub drops the day; the 14-day totals are poll samples.
import type { Logger } from 'pino';
import type { Labels, Sample } from '../../../../shared/metrics.js';
import { BudgetGuard } from '../../backfill/budget.js';
import { endOfUtcDay } from '../../backfill/contract.js';
import type { DatedSample } from '../../backfill/contract.js';
import type { TargetError } from '../../source.js';
import type { GitHubOctokitInstance } from './client.js';
import { EtagCache, getWithEtag } from './etag-cache.js';
import { fatalErrorOf, gitHubMessageOf, isAbortError, rateLimitRetryAt, statusOf } from './errors.js';
import { BadRecordError } from './model.js';
import type { RateBudget, RepositoryStats } from './model.js';
import { repositoryUrl } from './rest-collector.js';
import { repositoryKey } from './targets.js';
import { mapWithConcurrency } from '../common/concurrency.js';

/** views, clones, popular/referrers, popular/paths. */
export const TRAFFIC_REQUESTS_PER_REPOSITORY = 4;
/** GitHub keeps traffic for today and the 13 days before it. */
export const TRAFFIC_DAYS = 14;
/** Repositories read per poll at least, so a small setup has all its traffic after its first poll. */
export const MIN_REPOSITORIES_PER_POLL = 25;
/** Traffic spends at most this share of the REST budget left when a rate-limit window starts. */
export const TRAFFIC_BUDGET_SHARE = 0.25;

export const TRAFFIC_NEEDS_PUSH = 'traffic needs push access to this repository';

const DAY_MS = 86_400_000;

export interface TrafficOptions {
  /** github.traffic.interval: how often each repository's traffic is read. */
  readonly intervalMs: number;
  /** github.interval: how often the source polls, over which a refresh is spread. */
  readonly pollIntervalMs: number;
  /** The clock that decides "today" and when a repository is due. */
  readonly now: () => number;
}

export interface TrafficRun {
  readonly octokit: GitHubOctokitInstance;
  /** The repositories this poll collected; only those the token can push to are read. */
  readonly repositories: readonly RepositoryStats[];
  readonly concurrency: number;
  /** What a 401 tells the user (the way this source signs in). */
  readonly unauthorizedMessage: string;
  /** The freshest REST (core) budget this run has seen, from response headers. */
  readonly budget: () => RateBudget | null;
  readonly log: Logger;
}

export interface TrafficOutcome {
  /** The latest 14-day totals, referrers and paths of every repository read so far (for /metrics). */
  readonly samples: Sample[];
  /** The days read this poll, one point at the end of each UTC day. */
  readonly dated: DatedSample[];
  /** Repositories whose traffic could not be read this time (tried again next poll). */
  readonly errors: TargetError[];
  /** Repositories whose traffic GitHub refuses (no push access): not a failure. */
  readonly notes: TargetError[];
  /** Repositories read this poll. */
  readonly read: number;
}

interface RepositoryTraffic {
  readonly owner: string;
  readonly name: string;
  /** When its traffic was last read (or refused); null until then. */
  readAt: number | null;
  samples: Sample[];
  note: string | null;
}

interface DayCount {
  readonly count: number;
  readonly uniques: number;
}

interface TrafficSeries {
  readonly count: number;
  readonly uniques: number;
  /** UTC midnight (epoch ms) → that day's numbers. */
  readonly days: ReadonlyMap<number, DayCount>;
}

interface PopularItem {
  readonly name: string;
  readonly count: number;
}

type Json = Record<string, unknown>;

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function pickSeries(owner: string, name: string, kind: 'views' | 'clones'): (raw: unknown) => TrafficSeries {
  return (raw) => {
    const body = (typeof raw === 'object' && raw !== null ? raw : {}) as Json;
    const bad = (reason: string) => new BadRecordError(owner, name, `its traffic ${kind} ${reason}`);
    if (!isCount(body['count']) || !isCount(body['uniques'])) throw bad('have no count');
    const items = body[kind];
    if (!Array.isArray(items)) throw bad(`lack the "${kind}" list`);
    const days = new Map<number, DayCount>();
    for (const item of items as Json[]) {
      const time = typeof item?.['timestamp'] === 'string' ? Date.parse(item['timestamp']) : Number.NaN;
      if (!Number.isFinite(time) || !isCount(item['count']) || !isCount(item['uniques'])) throw bad('hold a day that is not a timestamp with counts');
      days.set(Math.floor(time / DAY_MS) * DAY_MS, { count: item['count'], uniques: item['uniques'] });
    }
    return { count: body['count'], uniques: body['uniques'], days };
  };
}

function pickPopular(owner: string, name: string, field: 'referrer' | 'path'): (raw: unknown) => PopularItem[] {
  return (raw) => {
    if (!Array.isArray(raw)) throw new BadRecordError(owner, name, `its popular ${field}s are not a list`);
    return (raw as Json[]).map((item) => {
      const label = item?.[field];
      if (typeof label !== 'string' || !isCount(item['count'])) throw new BadRecordError(owner, name, `a popular ${field} has no name or count`);
      return { name: label, count: item['count'] };
    });
  };
}

/**
 * The daily points of one series. GitHub leaves out days without traffic, so a day of the window it
 * did not list is a 0, except the window's oldest day: GitHub may have dropped it already, and a 0 must
 * not overwrite the count an earlier read stored.
 */
function dailyPoints(metric: string, labels: Labels, series: TrafficSeries, pick: (day: DayCount) => number, today: number): DatedSample[] {
  const points = new Map<number, number>();
  for (let day = today - (TRAFFIC_DAYS - 2) * DAY_MS; day <= today; day += DAY_MS) points.set(day, 0);
  for (const [day, counts] of series.days) points.set(day, pick(counts));
  return [...points].map(([day, value]) => ({ metric, labels, value, time: endOfUtcDay(day) }));
}

/** Reads traffic for one source across its polls: what is due, what was read, the notes. */
export class TrafficTracker {
  readonly #options: TrafficOptions;
  readonly #repositories = new Map<string, RepositoryTraffic>();
  readonly #etags = new EtagCache();
  readonly #budget = new BudgetGuard(TRAFFIC_BUDGET_SHARE);
  /** The latest REST budget seen, kept between polls (a GraphQL poll sends no REST request before traffic). */
  #lastBudget: RateBudget | null = null;
  /** After a rate limit: no traffic request before this time. */
  #pausedUntil = 0;

  constructor(options: TrafficOptions) {
    this.#options = options;
  }

  /** Repositories read per poll: the share of the interval one poll covers, at least MIN_REPOSITORIES_PER_POLL. */
  repositoriesPerPoll(pushable: number): number {
    const { intervalMs, pollIntervalMs } = this.#options;
    return Math.max(MIN_REPOSITORIES_PER_POLL, Math.ceil((pushable * pollIntervalMs) / intervalMs));
  }

  #urls(owner: string, name: string): { views: string; clones: string; referrers: string; paths: string } {
    const base = repositoryUrl(owner, name);
    return { views: `${base}/traffic/views?per=day`, clones: `${base}/traffic/clones?per=day`, referrers: `${base}/traffic/popular/referrers`, paths: `${base}/traffic/popular/paths` };
  }

  /** Keeps state for the pushable repositories of this poll only (others are never asked). */
  #track(repositories: readonly RepositoryStats[]): RepositoryTraffic[] {
    const pushable = new Map<string, RepositoryStats>();
    for (const repository of repositories) if (repository.canPush) pushable.set(repositoryKey(repository.owner, repository.name), repository);
    for (const [key, state] of this.#repositories) {
      if (pushable.has(key)) continue;
      for (const url of Object.values(this.#urls(state.owner, state.name))) this.#etags.delete(url);
      this.#repositories.delete(key);
    }
    for (const [key, repository] of pushable) {
      if (!this.#repositories.has(key)) this.#repositories.set(key, { owner: repository.owner, name: repository.name, readAt: null, samples: [], note: null });
    }
    return [...this.#repositories.values()];
  }

  async refresh(run: TrafficRun): Promise<TrafficOutcome> {
    const now = this.#options.now();
    const tracked = this.#track(run.repositories);
    const due = tracked
      .filter((state) => state.readAt === null || now - state.readAt >= this.#options.intervalMs)
      .sort((a, b) => (a.readAt ?? -Infinity) - (b.readAt ?? -Infinity));
    const chosen = now < this.#pausedUntil ? [] : due.slice(0, this.repositoriesPerPoll(tracked.length));
    const dated: DatedSample[] = [];
    const errors: TargetError[] = [];
    let read = 0;
    let stopped = false;
    const budgetNow = () => {
      const seen = run.budget();
      if (seen) this.#lastBudget = seen;
      return this.#lastBudget;
    };
    const observe = (spent: number) => {
      const budget = budgetNow();
      if (budget) this.#budget.observe({ resource: 'core', ...budget }, this.#options.now(), spent);
    };
    observe(0);

    await mapWithConcurrency(chosen, run.concurrency, async (state) => {
      if (stopped) return;
      const wait = this.#budget.wait(this.#options.now());
      if (wait) {
        stopped = true;
        run.log.info({ until: new Date(wait.until).toISOString() }, `traffic waits: ${wait.message}`);
        return;
      }
      try {
        dated.push(...(await this.#read(run.octokit, state, now)));
        state.readAt = now;
        state.note = null;
        read += 1;
      } catch (error) {
        if (isAbortError(error)) throw error;
        const retryAt = rateLimitRetryAt(error, this.#options.now(), budgetNow()?.resetAt ?? null);
        if (retryAt !== null) {
          stopped = true;
          this.#pausedUntil = Math.max(this.#pausedUntil, retryAt);
          run.log.warn({ until: new Date(retryAt).toISOString() }, `traffic paused by a GitHub rate limit: ${gitHubMessageOf(error)}`);
          return;
        }
        const fatal = fatalErrorOf(error, run.unauthorizedMessage, this.#options.now(), null);
        if (fatal) throw fatal;
        const subject = `traffic of repository '${state.owner}/${state.name}'`;
        if (statusOf(error) === 403) {
          // Refused, not failed: noted, and asked again after the interval (access may be granted).
          state.readAt = now;
          state.samples = [];
          state.note = `${TRAFFIC_NEEDS_PUSH} (GitHub: ${gitHubMessageOf(error)}); a fine-grained token also needs the "Administration" repository permission (read)`;
          return;
        }
        const reason = error instanceof BadRecordError ? error.message : `could not be read (${statusOf(error) === null ? '' : `GitHub answered ${statusOf(error)}: `}${gitHubMessageOf(error)}); tried again next poll`;
        errors.push({ target: `repo:${state.owner}/${state.name}`, message: error instanceof BadRecordError ? reason : `${subject} ${reason}` });
      } finally {
        observe(TRAFFIC_REQUESTS_PER_REPOSITORY);
      }
    });

    const samples: Sample[] = [];
    const notes: TargetError[] = [];
    for (const state of this.#repositories.values()) {
      samples.push(...state.samples);
      if (state.note !== null) notes.push({ target: `repo:${state.owner}/${state.name}`, message: state.note });
    }
    return { samples, dated, errors, notes, read };
  }

  /** Reads one repository's four traffic lists; its samples change only when all four arrived. */
  async #read(octokit: GitHubOctokitInstance, state: RepositoryTraffic, now: number): Promise<DatedSample[]> {
    const { owner, name } = state;
    const urls = this.#urls(owner, name);
    const [views, clones, referrers, paths] = await Promise.all([
      getWithEtag(octokit, this.#etags, urls.views, pickSeries(owner, name, 'views')),
      getWithEtag(octokit, this.#etags, urls.clones, pickSeries(owner, name, 'clones')),
      getWithEtag(octokit, this.#etags, urls.referrers, pickPopular(owner, name, 'referrer')),
      getWithEtag(octokit, this.#etags, urls.paths, pickPopular(owner, name, 'path')),
    ]);
    const labels = { repo: name, user: owner };
    state.samples = [
      { metric: 'github_repo_traffic_views', labels, value: views.data.count },
      { metric: 'github_repo_traffic_views_unique', labels, value: views.data.uniques },
      { metric: 'github_repo_traffic_clones', labels, value: clones.data.count },
      { metric: 'github_repo_traffic_clones_unique', labels, value: clones.data.uniques },
      ...referrers.data.map((item) => ({ metric: 'github_repo_traffic_referrer_views', labels: { ...labels, referrer: item.name }, value: item.count })),
      ...paths.data.map((item) => ({ metric: 'github_repo_traffic_path_views', labels: { ...labels, path: item.name }, value: item.count })),
    ];
    const today = Math.floor(now / DAY_MS) * DAY_MS;
    return [
      ...dailyPoints('github_repo_traffic_views_daily', labels, views.data, (day) => day.count, today),
      ...dailyPoints('github_repo_traffic_views_unique_daily', labels, views.data, (day) => day.uniques, today),
      ...dailyPoints('github_repo_traffic_clones_daily', labels, clones.data, (day) => day.count, today),
      ...dailyPoints('github_repo_traffic_clones_unique_daily', labels, clones.data, (day) => day.uniques, today),
    ];
  }
}
