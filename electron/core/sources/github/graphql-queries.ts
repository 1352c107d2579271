// GraphQL documents for the token path and the shapes they return. Pure text building: the unit tests
// validate every document against GitHub's public schema.
import type { IncludeFilter } from './model.js';

/** Repositories per owner page (GitHub's maximum for `first`). */
export const REPOSITORIES_PER_PAGE = 100;
/** Single repositories per aliased batch query. */
export const REPOSITORIES_PER_BATCH = 100;
/** Releases fetched inline with each repository, newest first; more come from follow-up queries. */
export const INLINE_RELEASES = 25;
/** Assets fetched inline with each release; more come from follow-up queries. */
export const INLINE_ASSETS = 25;
/** Page sizes of the follow-up queries. */
export const FOLLOW_UP_RELEASES = 100;
export const FOLLOW_UP_ASSETS = 100;
/** GitHub rejects a query that could return more nodes than this. */
export const GITHUB_NODE_LIMIT = 500_000;
/** What a follow-up query may plan for, leaving room under GitHub's limit. */
export const FOLLOW_UP_NODE_BUDGET = 400_000;
/** Aliased fields per follow-up query, to keep documents small. */
export const FOLLOW_UP_MAX_FIELDS = 100;

/** GitHub's node count of `connection(first: a) { nested(first: b) { … } }` chains: a + a·b + a·b·c … */
export function nodeCount(pageSizes: readonly number[]): number {
  let total = 0;
  let product = 1;
  for (const size of pageSizes) {
    product *= size;
    total += product;
  }
  return total;
}

export const NODES_PER_OWNER_PAGE = nodeCount([REPOSITORIES_PER_PAGE, INLINE_RELEASES, INLINE_ASSETS]);
export const NODES_PER_REPOSITORY_BATCH = REPOSITORIES_PER_BATCH * nodeCount([INLINE_RELEASES, INLINE_ASSETS]);
export const NODES_PER_RELEASES_FOLLOW_UP = nodeCount([FOLLOW_UP_RELEASES, FOLLOW_UP_ASSETS]);
export const NODES_PER_ASSETS_FOLLOW_UP = nodeCount([1, FOLLOW_UP_ASSETS]);

const RATE_LIMIT = 'rateLimit { limit remaining resetAt cost }';
const PAGE_INFO = 'pageInfo { hasNextPage endCursor }';
const RELEASE_ORDER = 'orderBy: {field: CREATED_AT, direction: DESC}';

function assetsSelection(first: number, after = ''): string {
  return `releaseAssets(first: ${first}${after}) { ${PAGE_INFO} nodes { name downloadCount createdAt } }`;
}

/**
 * Releases as edges: each edge's cursor lets a follow-up reach the release after it again
 * (`releases(first: 1, after: cursor)`) to page through that release's assets.
 */
function releasesSelection(first: number, assetsFirst: number, after = ''): string {
  return `releases(first: ${first}${after}, ${RELEASE_ORDER}) { ${PAGE_INFO} edges { cursor node { name tagName isDraft ${assetsSelection(assetsFirst)} } } }`;
}

const REPOSITORY_SELECTION = [
  'name',
  'owner { login }',
  'isPrivate',
  'isFork',
  'isArchived',
  'stargazerCount',
  'forkCount',
  'diskUsage',
  'watchers { totalCount }',
  'issues(states: [OPEN]) { totalCount }',
  'pullRequests(states: [OPEN]) { totalCount }',
  // The figures people ask for: counts only, so each costs one connection per repository and no nodes.
  'closedIssues: issues(states: [CLOSED]) { totalCount }',
  'mergedPullRequests: pullRequests(states: [MERGED]) { totalCount }',
  'defaultBranchRef { target { ... on Commit { committedDate history { totalCount } } } }',
  'licenseInfo { key }',
  'primaryLanguage { name }',
  'viewerPermission',
  releasesSelection(INLINE_RELEASES, INLINE_ASSETS),
].join('\n    ');

/** Server-side include filters (the collector applies them again, in case a server ignores one). */
export function includeArguments(include: IncludeFilter): string {
  const filters: string[] = [];
  if (!include.forks) filters.push('isFork: false');
  if (!include.archived) filters.push('isArchived: false');
  if (!include.private) filters.push('privacy: PUBLIC');
  return filters.map((filter) => `, ${filter}`).join('');
}

/** One page of an owner's repositories; `repositoryOwner` answers for organizations and users alike. */
export function ownerRepositoriesQuery(include: IncludeFilter): string {
  return `query OwnerRepositories($login: String!, $cursor: String) {
  ${RATE_LIMIT}
  repositoryOwner(login: $login) {
    login
    repositories(first: ${REPOSITORIES_PER_PAGE}, after: $cursor, ownerAffiliations: [OWNER], orderBy: {field: NAME, direction: ASC}${includeArguments(include)}) {
      ${PAGE_INFO}
      nodes {
    ${REPOSITORY_SELECTION}
      }
    }
  }
}`;
}

export interface AliasedQuery {
  readonly query: string;
  readonly variables: Record<string, string | null>;
}

/** Single repositories as aliased fields `r0`, `r1`…, one per (owner, name). */
export function repositoriesQuery(repositories: readonly { readonly owner: string; readonly name: string }[]): AliasedQuery {
  const declarations: string[] = [];
  const fields: string[] = [];
  const variables: Record<string, string> = {};
  repositories.forEach(({ owner, name }, index) => {
    declarations.push(`$o${index}: String!, $n${index}: String!`);
    fields.push(`  r${index}: repository(owner: $o${index}, name: $n${index}) {\n    ${REPOSITORY_SELECTION}\n  }`);
    variables[`o${index}`] = owner;
    variables[`n${index}`] = name;
  });
  return {
    query: `query Repositories(${declarations.join(', ')}) {\n  ${RATE_LIMIT}\n${fields.join('\n')}\n}`,
    variables,
  };
}

/** Work left after the inline window: the next page of a repository's releases, or of one release's assets. */
export type FollowUp =
  | { readonly kind: 'releases'; readonly key: string; readonly owner: string; readonly name: string; readonly cursor: string }
  | {
      readonly kind: 'assets';
      readonly key: string;
      readonly owner: string;
      readonly name: string;
      readonly tag: string;
      /** The release-list cursor just before this release (null: it is the newest). */
      readonly releaseCursorBefore: string | null;
      readonly cursor: string;
    };

export function followUpNodes(followUp: FollowUp): number {
  return followUp.kind === 'releases' ? NODES_PER_RELEASES_FOLLOW_UP : NODES_PER_ASSETS_FOLLOW_UP;
}

/** Groups follow-ups into queries that each stay within the node budget and the field cap. */
export function planFollowUps(followUps: readonly FollowUp[]): FollowUp[][] {
  const plans: FollowUp[][] = [];
  let current: FollowUp[] = [];
  let nodes = 0;
  for (const followUp of followUps) {
    const cost = followUpNodes(followUp);
    if (current.length > 0 && (nodes + cost > FOLLOW_UP_NODE_BUDGET || current.length >= FOLLOW_UP_MAX_FIELDS)) {
      plans.push(current);
      current = [];
      nodes = 0;
    }
    current.push(followUp);
    nodes += cost;
  }
  if (current.length > 0) plans.push(current);
  return plans;
}

/** One follow-up query: field `f<i>` answers followUps[i]. */
export function followUpQuery(followUps: readonly FollowUp[]): AliasedQuery {
  const declarations: string[] = [];
  const fields: string[] = [];
  const variables: Record<string, string | null> = {};
  followUps.forEach((followUp, index) => {
    declarations.push(`$o${index}: String!, $n${index}: String!, $c${index}: String`);
    variables[`o${index}`] = followUp.owner;
    variables[`n${index}`] = followUp.name;
    variables[`c${index}`] = followUp.cursor;
    const repository = `f${index}: repository(owner: $o${index}, name: $n${index})`;
    if (followUp.kind === 'releases') {
      fields.push(`  ${repository} {\n    ${releasesSelection(FOLLOW_UP_RELEASES, FOLLOW_UP_ASSETS, `, after: $c${index}`)}\n  }`);
    } else {
      declarations.push(`$b${index}: String`);
      variables[`b${index}`] = followUp.releaseCursorBefore;
      fields.push(
        `  ${repository} {\n    releases(first: 1, after: $b${index}, ${RELEASE_ORDER}) { nodes { tagName ${assetsSelection(FOLLOW_UP_ASSETS, `, after: $c${index}`)} } }\n  }`,
      );
    }
  });
  return {
    query: `query ReleaseFollowUps(${declarations.join(', ')}) {\n  ${RATE_LIMIT}\n${fields.join('\n')}\n}`,
    variables,
  };
}

// Response shapes (only what the documents above select).

export interface PageInfo {
  readonly hasNextPage: boolean;
  readonly endCursor: string | null;
}

export interface AssetConnection {
  readonly pageInfo: PageInfo;
  readonly nodes: readonly ({ readonly name: string; readonly downloadCount: number; readonly createdAt: string } | null)[] | null;
}

export interface ReleaseNode {
  readonly name: string | null;
  readonly tagName: string;
  readonly isDraft: boolean;
  readonly releaseAssets: AssetConnection;
}

export interface ReleaseConnection {
  readonly pageInfo: PageInfo;
  readonly edges: readonly ({ readonly cursor: string; readonly node: ReleaseNode | null } | null)[] | null;
}

export interface RepositoryNode {
  readonly name: string;
  readonly owner: { readonly login: string };
  readonly isPrivate: boolean;
  readonly isFork: boolean;
  readonly isArchived: boolean;
  readonly stargazerCount: number;
  readonly forkCount: number;
  readonly diskUsage: number | null;
  readonly watchers: { readonly totalCount: number };
  readonly issues: { readonly totalCount: number };
  readonly pullRequests: { readonly totalCount: number };
  readonly closedIssues: { readonly totalCount: number };
  readonly mergedPullRequests: { readonly totalCount: number };
  /** null for an empty repository; `target` is a Commit on GitHub (other object kinds select nothing). */
  readonly defaultBranchRef: { readonly target: { readonly committedDate?: string; readonly history?: { readonly totalCount: number } } | null } | null;
  readonly licenseInfo: { readonly key: string } | null;
  readonly primaryLanguage: { readonly name: string } | null;
  /** The token's permission on the repository (null when GitHub does not say, e.g. for an App); traffic needs WRITE or more. */
  readonly viewerPermission: 'ADMIN' | 'MAINTAIN' | 'WRITE' | 'TRIAGE' | 'READ' | null;
  readonly releases: ReleaseConnection;
}

export interface RateLimitNode {
  readonly limit: number;
  readonly remaining: number;
  readonly resetAt: string;
  readonly cost: number;
}

export interface OwnerRepositoriesData {
  readonly rateLimit?: RateLimitNode | null;
  readonly repositoryOwner: {
    readonly login: string;
    readonly repositories: { readonly pageInfo: PageInfo; readonly nodes: readonly (RepositoryNode | null)[] | null } | null;
  } | null;
}

/** `f<i>` of a releases follow-up. */
export interface ReleasesFollowUpField {
  readonly releases: ReleaseConnection | null;
}

/** `f<i>` of an assets follow-up: the one release after the given cursor. */
export interface AssetsFollowUpField {
  readonly releases: { readonly nodes: readonly ({ readonly tagName: string; readonly releaseAssets: AssetConnection } | null)[] | null } | null;
}
