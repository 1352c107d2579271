// The backfill with a token: the plan lists repositories with their star, fork and release counts;
// a step reads one page (100 items) of each task's list in one aliased GraphQL query, oldest first,
// with no page cap (REST stops at 40,000 stars).
import type { BackfillStepResult } from '../../backfill/contract.js';
import type { BackfillContext, HistoryWork, Listing, StepOutcome } from './backfill-context.js';
import { countPageResult, failed, releasesPageResult } from './backfill-pages.js';
import { historyPagesQuery, ownerListingQuery, repositoryListingQuery } from './backfill-queries.js';
import type { ForksPageNode, IdentityNode, ListedNode, OwnerListingData, ReleasesPageNode, StarsPageNode } from './backfill-queries.js';
import { decodeCursor, encodeCursor, startCursor, STARS_NEED_ACCESS } from './backfill-tasks.js';
import type { HistoryCursor, ListedRepository } from './backfill-tasks.js';
import { gitHubMessageOf, graphqlErrorsOf } from './errors.js';
import type { GraphqlErrorItem } from './errors.js';
import { REPOSITORIES_PER_BATCH } from './graphql-queries.js';
import type { PageInfo, RateLimitNode } from './graphql-queries.js';
import { fresherBudget, passesInclude } from './model.js';
import type { RateBudget, RepositoryIdentity } from './model.js';
import { chunk, mapWithConcurrency } from '../common/concurrency.js';
import type { OwnerTarget, RepositoryTarget } from './targets.js';

type AliasedData = Readonly<Record<string, unknown>>;

interface QueryResult<Data> {
  readonly data: Data | null;
  /** GraphQL errors that came with (partial) data. */
  readonly errors: readonly GraphqlErrorItem[];
}

/** Partial answers (data beside errors) come back as data; anything else, rate limits included, throws. */
async function runQuery<Data>(context: BackfillContext, query: string, variables: Record<string, string | null>): Promise<QueryResult<Data>> {
  try {
    return { data: await context.octokit.graphql<Data>(query, variables), errors: [] };
  } catch (error) {
    const graphqlErrors = graphqlErrorsOf(error);
    const partial = (error as { name?: unknown }).name === 'GraphqlResponseError' && (error as { data?: unknown }).data != null;
    if (!partial || graphqlErrors.some((item) => item.type === 'RATE_LIMITED')) throw error;
    return { data: (error as { data: Data }).data, errors: graphqlErrors };
  }
}

function budgetOf(data: unknown): RateBudget | null {
  const node = (data as { rateLimit?: RateLimitNode | null } | null)?.rateLimit;
  if (!node) return null;
  const resetAt = Date.parse(node.resetAt);
  return Number.isFinite(resetAt) ? { limit: node.limit, remaining: node.remaining, resetAt } : null;
}

function errorsAt(errors: readonly GraphqlErrorItem[], field: string): GraphqlErrorItem[] {
  return errors.filter((item) => item.path?.[0] === field);
}

function hasType(errors: readonly GraphqlErrorItem[], type: string): boolean {
  return errors.some((item) => item.type === type);
}

function identityOf(node: IdentityNode): RepositoryIdentity {
  return {
    owner: node.owner.login,
    name: node.name,
    isPrivate: node.isPrivate,
    isFork: node.isFork,
    isArchived: node.isArchived,
    license: node.licenseInfo?.key ?? '',
    language: node.primaryLanguage?.name ?? '',
  };
}

function listedOf(node: ListedNode, target: string): ListedRepository {
  return { target, identity: identityOf(node), stars: node.stargazerCount, forks: node.forkCount, releases: node.releases.totalCount };
}

/** A target GitHub says it cannot find or show is left out of the plan (the poll reports it); other failures throw. */
function skippable(errors: readonly GraphqlErrorItem[]): boolean {
  return errors.length > 0 && errors.every((item) => item.type === 'NOT_FOUND' || item.type === 'FORBIDDEN');
}

export async function listWithGraphql(context: BackfillContext): Promise<Listing> {
  const { targets, include, log } = context;
  let budget: RateBudget | null = null;
  const note = (data: unknown) => {
    const seen = budgetOf(data);
    if (seen) budget = fresherBudget(budget, seen);
  };
  const skip = (target: string, errors: readonly GraphqlErrorItem[]) =>
    log.warn({ target, errors: errors.map((item) => item.message) }, 'GitHub backfill: target left out of the plan');

  const ownerQuery = ownerListingQuery(include);
  async function listOwner(owner: OwnerTarget): Promise<ListedRepository[]> {
    const listed: ListedRepository[] = [];
    let cursor: string | null = null;
    do {
      const page: QueryResult<OwnerListingData> = await runQuery<OwnerListingData>(context, ownerQuery, { login: owner.login, cursor });
      note(page.data);
      const repositories = page.data?.repositoryOwner?.repositories;
      if (!repositories) {
        if (skippable(page.errors) || (page.errors.length === 0 && page.data?.repositoryOwner === null)) {
          skip(owner.target, page.errors);
          return [];
        }
        throw new Error(`GitHub could not list the repositories of ${owner.login}: ${page.errors.map((item) => item.message).join('; ') || 'no data'}`);
      }
      for (const node of repositories.nodes ?? []) {
        if (node && passesInclude(include, node)) listed.push(listedOf(node, owner.target));
      }
      const pageInfo: PageInfo = repositories.pageInfo;
      cursor = pageInfo.hasNextPage && pageInfo.endCursor ? pageInfo.endCursor : null;
    } while (cursor !== null);
    return listed;
  }

  async function listRepositories(batch: readonly RepositoryTarget[]): Promise<ListedRepository[]> {
    const { query, variables } = repositoryListingQuery(batch);
    const { data, errors } = await runQuery<AliasedData>(context, query, variables);
    note(data);
    const listed: ListedRepository[] = [];
    batch.forEach((target, index) => {
      const node = data?.[`r${index}`] as ListedNode | null | undefined;
      const fieldErrors = errorsAt(errors, `r${index}`);
      if (node) listed.push(listedOf(node, target.target));
      else if (skippable(fieldErrors) || fieldErrors.length === 0) skip(target.target, fieldErrors);
      else throw new Error(`GitHub could not read repository ${target.owner}/${target.name}: ${fieldErrors.map((item) => item.message).join('; ')}`);
    });
    return listed;
  }

  const jobs: (() => Promise<ListedRepository[]>)[] = [
    ...targets.owners.map((owner) => () => listOwner(owner)),
    ...chunk(targets.repositories, REPOSITORIES_PER_BATCH).map((batch) => () => listRepositories(batch)),
  ];
  const lists = await mapWithConcurrency(jobs, context.concurrency, (job) => job());
  return { listed: lists.flat(), budget };
}

type GraphqlCursor = Extract<HistoryCursor, { api: 'graphql' }>;

function positionOf(work: HistoryWork, context: BackfillContext): GraphqlCursor {
  if (work.cursor === null) return startCursor('graphql') as GraphqlCursor;
  const saved = decodeCursor(work.cursor, 'graphql');
  if (saved) return saved as GraphqlCursor;
  context.log.warn({ task: `${work.kind}:${work.owner}/${work.name}` }, 'GitHub backfill: saved position not readable with a token, starting this history over');
  return startCursor('graphql') as GraphqlCursor;
}

function refusedReason(work: HistoryWork, errors: readonly GraphqlErrorItem[]): string {
  if (work.kind === 'stars') return STARS_NEED_ACCESS;
  const what = work.kind === 'forks' ? 'forks' : 'releases';
  return `GitHub refused to list the ${what} of this repository (${errors.map((item) => item.message).join('; ')})`;
}

function missingReason(work: HistoryWork, errors: readonly GraphqlErrorItem[]): string {
  if (hasType(errors, 'NOT_FOUND') || errors.length === 0) {
    return `repository ${work.owner}/${work.name} not found on GitHub: renamed, deleted or no longer visible to the token`;
  }
  return `GitHub could not read the ${work.kind} of ${work.owner}/${work.name}: ${errors.map((item) => item.message).join('; ')}`;
}

function nextAfter(pageInfo: PageInfo): { ended: boolean; after: string | null } {
  const ended = !pageInfo.hasNextPage || !pageInfo.endCursor;
  return { ended, after: pageInfo.endCursor };
}

function resultOf(work: HistoryWork, position: GraphqlCursor, field: unknown, errors: readonly GraphqlErrorItem[], today: number): BackfillStepResult {
  if (hasType(errors, 'INVALID_CURSOR_ARGUMENTS') && position.after !== null) {
    // GitHub no longer knows the saved position: start over (the samples written again are the same).
    return { kind: 'progress', samples: [], cursor: encodeCursor(startCursor('graphql')), doneUnits: 0, totalUnits: work.totalUnits };
  }
  if (hasType(errors, 'FORBIDDEN')) return { kind: 'unavailable', reason: refusedReason(work, errors) };
  if (!field) return failed(missingReason(work, errors));

  if (work.kind === 'stars') {
    const node = field as StarsPageNode;
    const edges = node.stargazers.edges ?? [];
    // GitHub shows a repository's stargazers only to its admins and collaborators: others see none.
    if (position.after === null && edges.length === 0 && node.stargazerCount > 0) return { kind: 'unavailable', reason: STARS_NEED_ACCESS };
    const { ended, after } = nextAfter(node.stargazers.pageInfo);
    return countPageResult({
      metric: 'github_repo_stars',
      item: 'stargazer',
      identity: identityOf(node),
      state: position,
      times: edges.map((edge) => edge?.starredAt),
      today,
      ended,
      next: (state) => ({ api: 'graphql', after, ...state }),
      totalUnits: node.stargazerCount,
    });
  }
  if (work.kind === 'forks') {
    const node = field as ForksPageNode;
    const { ended, after } = nextAfter(node.forks.pageInfo);
    return countPageResult({
      metric: 'github_repo_forks',
      item: 'fork',
      identity: identityOf(node),
      state: position,
      times: (node.forks.nodes ?? []).map((fork) => fork?.createdAt),
      today,
      ended,
      next: (state) => ({ api: 'graphql', after, ...state }),
      totalUnits: node.forkCount,
    });
  }
  const node = field as ReleasesPageNode;
  const { ended, after } = nextAfter(node.releases.pageInfo);
  return releasesPageResult({
    identity: identityOf(node),
    seen: position.count,
    releases: (node.releases.nodes ?? []).flatMap((release) =>
      release ? [{ tag: release.tagName, publishedAt: release.publishedAt, createdAt: release.createdAt, draft: release.isDraft }] : [],
    ),
    ended,
    next: (seen) => ({ api: 'graphql', after, count: seen, openDay: null }),
    totalUnits: node.releases.totalCount,
  });
}

/** One query for all the given tasks (the caller keeps to HISTORY_TASKS_PER_QUERY). */
export async function stepWithGraphql(context: BackfillContext, work: readonly HistoryWork[]): Promise<StepOutcome> {
  const positions = work.map((item) => positionOf(item, context));
  const { query, variables } = historyPagesQuery(work.map((item, index) => ({ kind: item.kind, owner: item.owner, name: item.name, after: positions[index]!.after })));
  const { data, errors } = await runQuery<AliasedData>(context, query, variables);
  const unanswered = errors.filter((item) => !work.some((_, index) => item.path?.[0] === `t${index}`));
  if (data === null || (unanswered.length > 0 && work.every((_, index) => !data[`t${index}`]))) {
    throw new Error(`GitHub could not answer the backfill query: ${gitHubMessageOf({ errors })}`);
  }
  const results = work.map((item, index) => resultOf(item, positions[index]!, data[`t${index}`], errorsAt(errors, `t${index}`), context.today));
  return { results, budget: budgetOf(data) };
}
