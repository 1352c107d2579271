// GraphQL documents of the backfill (token path) and the shapes they return. The plan lists
// repositories with only what sizes the work; a step reads one page of each task's list, one aliased
// repository field per task.
import { includeArguments, REPOSITORIES_PER_PAGE } from './graphql-queries.js';
import type { AliasedQuery, PageInfo, RateLimitNode } from './graphql-queries.js';
import type { HistoryKind } from './backfill-tasks.js';
import { ITEMS_PER_PAGE } from './backfill-tasks.js';
import type { IncludeFilter } from './model.js';

/**
 * Tasks per step query. A connection under a single repository is one "request" in GitHub's pricing
 * (connection requests ÷ 100, rounded, at least 1), so 50 aliased pages of 100 cost 1 point, request
 * 5,000 nodes (the limit is 500,000) and keep the response small enough for GitHub's 10-second limit.
 */
export const HISTORY_TASKS_PER_QUERY = 50;

const RATE_LIMIT = 'rateLimit { limit remaining resetAt cost }';
const PAGE_INFO = 'pageInfo { hasNextPage endCursor }';
/** The fields that label a repository's series (metrics.ts repositoryLabels). */
const IDENTITY = 'name owner { login } isPrivate isFork isArchived licenseInfo { key } primaryLanguage { name }';
const LISTED = `${IDENTITY} stargazerCount forkCount releases { totalCount }`;

export function ownerListingQuery(include: IncludeFilter): string {
  return `query BackfillOwnerRepositories($login: String!, $cursor: String) {
  ${RATE_LIMIT}
  repositoryOwner(login: $login) {
    login
    repositories(first: ${REPOSITORIES_PER_PAGE}, after: $cursor, ownerAffiliations: [OWNER], orderBy: {field: NAME, direction: ASC}${includeArguments(include)}) {
      ${PAGE_INFO}
      nodes { ${LISTED} }
    }
  }
}`;
}

/** Single repositories as `r0`, `r1`… (the caller keeps to REPOSITORIES_PER_BATCH). */
export function repositoryListingQuery(repositories: readonly { readonly owner: string; readonly name: string }[]): AliasedQuery {
  const declarations: string[] = [];
  const fields: string[] = [];
  const variables: Record<string, string> = {};
  repositories.forEach(({ owner, name }, index) => {
    declarations.push(`$o${index}: String!, $n${index}: String!`);
    fields.push(`  r${index}: repository(owner: $o${index}, name: $n${index}) { ${LISTED} }`);
    variables[`o${index}`] = owner;
    variables[`n${index}`] = name;
  });
  return { query: `query BackfillRepositories(${declarations.join(', ')}) {\n  ${RATE_LIMIT}\n${fields.join('\n')}\n}`, variables };
}

export interface HistoryPageRequest {
  readonly kind: HistoryKind;
  readonly owner: string;
  readonly name: string;
  /** The endCursor of the page before; null for the first page. */
  readonly after: string | null;
}

function listSelection(kind: HistoryKind, after: string): string {
  const page = `first: ${ITEMS_PER_PAGE}, after: ${after}`;
  switch (kind) {
    case 'stars':
      return `stargazerCount stargazers(${page}, orderBy: {field: STARRED_AT, direction: ASC}) { ${PAGE_INFO} edges { starredAt } }`;
    case 'forks':
      return `forkCount forks(${page}, orderBy: {field: CREATED_AT, direction: ASC}) { ${PAGE_INFO} nodes { createdAt } }`;
    case 'releases':
      return `releases(${page}, orderBy: {field: CREATED_AT, direction: ASC}) { totalCount ${PAGE_INFO} nodes { tagName publishedAt createdAt isDraft } }`;
  }
}

/** One page of each task's list, as `t0`, `t1`…, oldest first. */
export function historyPagesQuery(requests: readonly HistoryPageRequest[]): AliasedQuery {
  const declarations: string[] = [];
  const fields: string[] = [];
  const variables: Record<string, string | null> = {};
  requests.forEach(({ kind, owner, name, after }, index) => {
    declarations.push(`$o${index}: String!, $n${index}: String!, $c${index}: String`);
    fields.push(`  t${index}: repository(owner: $o${index}, name: $n${index}) {\n    ${IDENTITY}\n    ${listSelection(kind, `$c${index}`)}\n  }`);
    variables[`o${index}`] = owner;
    variables[`n${index}`] = name;
    variables[`c${index}`] = after;
  });
  return { query: `query BackfillHistory(${declarations.join(', ')}) {\n  ${RATE_LIMIT}\n${fields.join('\n')}\n}`, variables };
}

// Response shapes (only what the documents above select).

export interface IdentityNode {
  readonly name: string;
  readonly owner: { readonly login: string };
  readonly isPrivate: boolean;
  readonly isFork: boolean;
  readonly isArchived: boolean;
  readonly licenseInfo: { readonly key: string } | null;
  readonly primaryLanguage: { readonly name: string } | null;
}

export interface ListedNode extends IdentityNode {
  readonly stargazerCount: number;
  readonly forkCount: number;
  readonly releases: { readonly totalCount: number };
}

export interface OwnerListingData {
  readonly rateLimit?: RateLimitNode | null;
  readonly repositoryOwner: {
    readonly login: string;
    readonly repositories: { readonly pageInfo: PageInfo; readonly nodes: readonly (ListedNode | null)[] | null } | null;
  } | null;
}

export interface StarsPageNode extends IdentityNode {
  readonly stargazerCount: number;
  readonly stargazers: { readonly pageInfo: PageInfo; readonly edges: readonly ({ readonly starredAt: string } | null)[] | null };
}

export interface ForksPageNode extends IdentityNode {
  readonly forkCount: number;
  readonly forks: { readonly pageInfo: PageInfo; readonly nodes: readonly ({ readonly createdAt: string } | null)[] | null };
}

export interface ReleasesPageNode extends IdentityNode {
  readonly releases: {
    readonly totalCount: number;
    readonly pageInfo: PageInfo;
    readonly nodes: readonly ({ readonly tagName: string; readonly publishedAt: string | null; readonly createdAt: string; readonly isDraft: boolean } | null)[] | null;
  };
}
