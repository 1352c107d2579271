// The backfill without a token: REST lists of 100, oldest first where GitHub can sort so (stargazers
// with starred_at under the star+json media type, forks with sort=oldest), one page per task and step.
// GitHub lists only 400 pages of stargazers this way: the history stops at the 40,000th star, and the
// task says so instead of pretending to be complete.
import type { BackfillStepResult } from '../../backfill/contract.js';
import type { BackfillContext, HistoryWork, KnownRepository, Listing, StepOutcome } from './backfill-context.js';
import { countPageResult, failed, releasesPageResult } from './backfill-pages.js';
import { decodeCursor, ITEMS_PER_PAGE, restStarCapReason, startCursor, STARS_NEED_ACCESS } from './backfill-tasks.js';
import type { HistoryCursor, ListedRepository } from './backfill-tasks.js';
import { fatalErrorOf, gitHubMessageOf, statusOf } from './errors.js';
import { parseLinkHeader } from './link.js';
import { passesInclude } from './model.js';
import type { RepositoryIdentity } from './model.js';
import { ownerListUrl, pickRepository, repositoryUrl } from './rest-collector.js';
import type { RestRepository } from './rest-collector.js';
import { mapWithConcurrency } from '../common/concurrency.js';
import { repositoryKey } from './targets.js';
import type { OwnerTarget, RepositoryTarget } from './targets.js';

const STAR_JSON = 'application/vnd.github.star+json';
const DAY_MS = 86_400_000;

type Json = Record<string, unknown>;

function knownOf(repository: RestRepository): KnownRepository {
  const identity: RepositoryIdentity = {
    owner: repository.owner.login,
    name: repository.name,
    isPrivate: repository.private,
    isFork: repository.fork,
    isArchived: repository.archived,
    license: repository.license?.key ?? '',
    language: repository.language ?? '',
  };
  return { identity, stars: repository.stargazers_count, forks: repository.forks_count };
}

/** 404 (or a refusal) leaves a target out of the plan, as the poll reports it; a rate limit or an outage throws. */
function skippable(error: unknown): boolean {
  const status = statusOf(error);
  return status === 404 || status === 403 || status === 451;
}

export async function listWithRest(context: BackfillContext): Promise<Listing> {
  const { octokit, targets, include, log, known } = context;
  const listed: ListedRepository[] = [];

  const remember = (raw: unknown, target: string): ListedRepository => {
    const repository = knownOf(pickRepository(raw as Json));
    known.set(repositoryKey(repository.identity.owner, repository.identity.name), repository);
    return { target, identity: repository.identity, stars: repository.stars, forks: repository.forks, releases: null };
  };
  const skipOrThrow = (target: string, error: unknown) => {
    if (fatalErrorOf(error, context.unauthorizedMessage, Date.now(), null) || !skippable(error)) throw error;
    log.warn({ target, error: gitHubMessageOf(error) }, 'GitHub backfill: target left out of the plan');
  };

  async function listOwner(owner: OwnerTarget): Promise<ListedRepository[]> {
    const repositories: ListedRepository[] = [];
    const visited = new Set<string>();
    let url: string | undefined = ownerListUrl(owner);
    try {
      while (url !== undefined && !visited.has(url)) {
        visited.add(url);
        const response = await octokit.request(`GET ${url}`);
        const link: unknown = response.headers.link;
        for (const raw of response.data as Json[]) {
          const item = remember(raw, owner.target);
          if (passesInclude(include, item.identity)) repositories.push(item);
        }
        url = parseLinkHeader(typeof link === 'string' ? link : null).get('next');
      }
    } catch (error) {
      skipOrThrow(owner.target, error);
      return [];
    }
    return repositories;
  }

  async function readRepository(target: RepositoryTarget): Promise<ListedRepository[]> {
    try {
      const response = await octokit.request(`GET ${repositoryUrl(target.owner, target.name)}`);
      return [remember(response.data, target.target)];
    } catch (error) {
      skipOrThrow(target.target, error);
      return [];
    }
  }

  const jobs: (() => Promise<ListedRepository[]>)[] = [
    ...targets.owners.map((owner) => () => listOwner(owner)),
    ...targets.repositories.map((repository) => () => readRepository(repository)),
  ];
  for (const repositories of await mapWithConcurrency(jobs, context.concurrency, (job) => job())) listed.push(...repositories);
  return { listed, budget: null };
}

type RestCursor = Extract<HistoryCursor, { api: 'rest' }>;

function positionOf(work: HistoryWork, context: BackfillContext): RestCursor {
  if (work.cursor === null) return startCursor('rest') as RestCursor;
  const saved = decodeCursor(work.cursor, 'rest');
  if (saved) return saved as RestCursor;
  context.log.warn({ task: `${work.kind}:${work.owner}/${work.name}` }, 'GitHub backfill: saved position not readable without a token, starting this history over');
  return startCursor('rest') as RestCursor;
}

const PATHS = { stars: 'stargazers', forks: 'forks?sort=oldest&', releases: 'releases' } as const;

function pageUrl(work: HistoryWork, page: number): string {
  const path = PATHS[work.kind];
  const separator = path.endsWith('&') ? '' : '?';
  return `${repositoryUrl(work.owner, work.name)}/${path}${separator}per_page=${ITEMS_PER_PAGE}&page=${page}`;
}

/** The labels and counts of a repository the plan did not list in this process (one request, remembered). */
async function knownRepository(context: BackfillContext, work: HistoryWork): Promise<KnownRepository> {
  const key = repositoryKey(work.owner, work.name);
  const cached = context.known.get(key);
  if (cached) return cached;
  const response = await context.octokit.request(`GET ${repositoryUrl(work.owner, work.name)}`);
  const repository = knownOf(pickRepository(response.data as Json));
  context.known.set(key, repository);
  return repository;
}

/** What a refused or failed page means for the task; rate limits and outages throw (the whole step waits). */
function pageFailure(work: HistoryWork, position: RestCursor, repository: KnownRepository, error: unknown, context: BackfillContext): BackfillStepResult {
  const status = statusOf(error);
  if (fatalErrorOf(error, context.unauthorizedMessage, Date.now(), null) || status === null || status >= 500) throw error;
  if (status === 404) return failed(`repository ${work.owner}/${work.name} not found on GitHub: renamed, deleted or no longer visible`);
  if (work.kind === 'stars' && status === 403) return { kind: 'unavailable', reason: STARS_NEED_ACCESS };
  if (work.kind === 'stars' && status === 422) {
    // Past page 400: complete if every star was counted, otherwise the rest needs a token.
    if (position.count >= repository.stars) {
      return countPageResult({ metric: 'github_repo_stars', item: 'stargazer', identity: repository.identity, state: position, times: [], today: context.today, ended: true, next: () => position, totalUnits: repository.stars });
    }
    // Days before the open one are complete and stored; the open day may go on past page 400.
    return { kind: 'unavailable', reason: restStarCapReason(position.openDay === null ? null : position.openDay - DAY_MS) };
  }
  if (status === 403) return { kind: 'unavailable', reason: `GitHub refused to list the ${work.kind} of this repository (${gitHubMessageOf(error)})` };
  return failed(`GitHub answered ${status} for the ${work.kind} of ${work.owner}/${work.name}: ${gitHubMessageOf(error)}`);
}

async function stepOne(context: BackfillContext, work: HistoryWork): Promise<BackfillStepResult> {
  const position = positionOf(work, context);
  let repository: KnownRepository;
  try {
    repository = await knownRepository(context, work);
  } catch (error) {
    if (fatalErrorOf(error, context.unauthorizedMessage, Date.now(), null) || statusOf(error) === null || statusOf(error)! >= 500) throw error;
    return failed(`could not read repository ${work.owner}/${work.name} from GitHub: ${gitHubMessageOf(error)}`);
  }
  let items: Json[];
  try {
    const response = await context.octokit.request(`GET ${pageUrl(work, position.page)}`, work.kind === 'stars' ? { headers: { accept: STAR_JSON } } : {});
    items = response.data as Json[];
  } catch (error) {
    return pageFailure(work, position, repository, error, context);
  }
  // A short page is the last; a full one may be followed by an empty page (GitHub's Link header stops at
  // page 400 even when more stars exist, so it cannot tell).
  const ended = items.length < ITEMS_PER_PAGE;
  const page = position.page + 1;
  if (work.kind === 'releases') {
    return releasesPageResult({
      identity: repository.identity,
      seen: position.count,
      releases: items.map((item) => ({
        tag: String(item['tag_name']),
        publishedAt: typeof item['published_at'] === 'string' ? item['published_at'] : null,
        createdAt: String(item['created_at']),
        draft: item['draft'] === true,
      })),
      ended,
      next: (seen) => ({ api: 'rest', page, count: seen, openDay: null }),
      totalUnits: work.totalUnits,
    });
  }
  if (work.kind === 'stars' && position.page === 1 && items.length === 0 && repository.stars > 0) {
    // GitHub shows a repository's stargazers only to its admins and collaborators: others see none.
    return { kind: 'unavailable', reason: STARS_NEED_ACCESS };
  }
  const stars = work.kind === 'stars';
  return countPageResult({
    metric: stars ? 'github_repo_stars' : 'github_repo_forks',
    item: stars ? 'stargazer' : 'fork',
    identity: repository.identity,
    state: position,
    times: items.map((item) => item[stars ? 'starred_at' : 'created_at'] as string | undefined),
    today: context.today,
    ended,
    next: (state) => ({ api: 'rest', page, ...state }),
    totalUnits: stars ? repository.stars : repository.forks,
  });
}

export async function stepWithRest(context: BackfillContext, work: readonly HistoryWork[]): Promise<StepOutcome> {
  const results = await mapWithConcurrency(work, context.concurrency, (item) => stepOne(context, item));
  return { results, budget: null };
}
