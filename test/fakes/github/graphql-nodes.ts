// GraphQL objects backed by the fake's data. graphql-js's default resolver reads plain properties and
// calls methods with (args, context), so each node is an object whose connection fields are methods.
// Fields the fake does not model resolve to null, as graphql-js does by default.
import { createHash } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { STARGAZERS_FORBIDDEN_MESSAGE } from './errors.js';
import { forkAt, licenseInfo, nodeId, releaseId, stargazerAt } from './rest-shapes.js';
import type { BucketState } from './rate-limits.js';
import type { FakeStore, StoredOwner, StoredRepo } from './store.js';
import type { FakeRelease } from './types.js';

const WEB = 'https://github.com';
const DEFAULT_ASSET_SIZE = 1_048_576;

export interface GraphQLContext {
  readonly store: FakeStore;
  readonly viewer: { readonly login: string; readonly id: number };
  /** The graphql bucket after this request was charged. */
  readonly rate: () => BucketState;
  readonly cost: number;
  readonly nodeCount: number;
}

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

interface OrderBy {
  field?: string | null;
  direction?: 'ASC' | 'DESC' | null;
}

const CURSOR_PREFIX = 'cursor:v2:';

function encodeCursor(index: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${index}`).toString('base64');
}

/** Cursors are opaque to clients; anything the fake did not hand out is refused as GitHub refuses it. */
function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  const match = /^cursor:v2:(\d+)$/.exec(text);
  if (!match?.[1]) {
    throw new GraphQLError(`\`${cursor}\` does not appear to be a valid cursor.`, { extensions: { type: 'INVALID_CURSOR_ARGUMENTS' } });
  }
  return Number(match[1]);
}

function iso(value: string | number): string {
  return new Date(value).toISOString().replace('.000Z', 'Z');
}

/**
 * A Relay connection over `total` items produced on demand. first/last bounds (1..100) are enforced
 * before execution (graphql-handler), like GitHub's query analysis; here they only select the window.
 */
export function connection<T>(
  total: number,
  itemAt: (index: number) => T,
  args: ConnectionArgs,
  edgeExtra: (index: number) => Record<string, unknown> = () => ({}),
) {
  let start = 0;
  let end = total;
  if (args.after != null) start = Math.min(total, decodeCursor(args.after) + 1);
  if (args.before != null) end = Math.min(end, decodeCursor(args.before));
  if (end < start) end = start;
  if (args.first != null) end = Math.min(end, start + args.first);
  if (args.last != null) start = Math.max(start, end - args.last);
  const indexes = Array.from({ length: end - start }, (_, i) => start + i);
  return {
    totalCount: total,
    pageInfo: {
      hasNextPage: end < total,
      hasPreviousPage: start > 0,
      startCursor: indexes.length > 0 ? encodeCursor(start) : null,
      endCursor: indexes.length > 0 ? encodeCursor(end - 1) : null,
    },
    nodes: () => indexes.map(itemAt),
    edges: () => indexes.map((i) => ({ cursor: encodeCursor(i), node: itemAt(i), ...edgeExtra(i) })),
  };
}

function notFound(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { type: 'NOT_FOUND' } });
}

export function userNode(login: string, id: number) {
  return {
    __typename: 'User',
    id: nodeId('U', id),
    databaseId: id,
    login,
    name: null,
    url: `${WEB}/${login}`,
    resourcePath: `/${login}`,
    avatarUrl: () => `https://avatars.githubusercontent.com/u/${id}?v=4`,
  };
}

function releaseNode(repo: StoredRepo, ownerLogin: string, rel: FakeRelease, index: number) {
  const id = releaseId(repo, index);
  const url = `${WEB}/${ownerLogin}/${repo.name}/releases/tag/${rel.tag}`;
  return {
    __typename: 'Release',
    id: nodeId('RE', id),
    databaseId: id,
    name: rel.name,
    tagName: rel.tag,
    createdAt: iso(rel.createdAt),
    updatedAt: iso(rel.createdAt),
    publishedAt: rel.draft === true ? null : iso(rel.createdAt),
    isDraft: rel.draft === true,
    isPrerelease: rel.prerelease === true,
    isLatest: false,
    url,
    description: null,
    releaseAssets: (args: ConnectionArgs & { name?: string | null }) => {
      const assets = rel.assets
        .map((asset, assetIndex) => ({ asset, assetIndex }))
        .filter(({ asset }) => args.name == null || asset.name === args.name);
      return connection(
        assets.length,
        (i) => {
          const entry = assets[i];
          if (!entry) throw new Error(`release asset ${i} out of range`);
          const assetId = id * 100 + entry.assetIndex;
          return {
            __typename: 'ReleaseAsset',
            id: nodeId('RA', assetId),
            name: entry.asset.name,
            downloadCount: entry.asset.downloads,
            size: entry.asset.size ?? DEFAULT_ASSET_SIZE,
            contentType: 'application/octet-stream',
            createdAt: iso(entry.asset.createdAt ?? rel.createdAt),
            updatedAt: iso(entry.asset.createdAt ?? rel.createdAt),
            downloadUrl: `${WEB}/${ownerLogin}/${repo.name}/releases/download/${rel.tag}/${entry.asset.name}`,
            url: `${WEB}/${ownerLogin}/${repo.name}/releases/download/${rel.tag}/${entry.asset.name}`,
          };
        },
        args,
      );
    },
  };
}

/** Releases the viewer may see (drafts need push access), oldest first unless ordered otherwise. */
function sortedReleases(repo: StoredRepo, orderBy: OrderBy | null | undefined): { rel: FakeRelease; index: number }[] {
  const visible = (repo.releases ?? []).map((rel, index) => ({ rel, index })).filter(({ rel }) => rel.draft !== true || repo.pushAccess !== false);
  const sign = orderBy?.direction === 'DESC' ? -1 : 1;
  const byName = orderBy?.field === 'NAME';
  return visible.sort((a, b) => {
    const order = byName ? a.rel.name.localeCompare(b.rel.name) : Date.parse(a.rel.createdAt) - Date.parse(b.rel.createdAt);
    return (order || a.index - b.index) * sign;
  });
}

export function repositoryNode(repo: StoredRepo, owner: StoredOwner, ctx: GraphQLContext) {
  const nameWithOwner = `${owner.login}/${repo.name}`;
  const license = licenseInfo(repo.license);
  const numbered = (kind: 'Issue' | 'PullRequest', number: number, state = 'OPEN') => ({
    __typename: kind,
    id: nodeId(kind === 'Issue' ? 'I' : 'PR', repo.id * 10_000 + number),
    number,
    title: `${kind === 'Issue' ? 'Issue' : 'Pull request'} ${number}`,
    state,
    isDraft: false,
    closed: state !== 'OPEN',
    createdAt: iso(repo.updatedAt),
    updatedAt: iso(repo.updatedAt),
    url: `${WEB}/${nameWithOwner}/${kind === 'Issue' ? 'issues' : 'pull'}/${number}`,
  });
  /** Items of a list filtered by `states` (all states when absent), in the order of `counts`. */
  const inStates = (states: readonly (string | null)[] | null | undefined, counts: readonly (readonly [string, number])[]) =>
    counts.filter(([state]) => states == null || states.includes(state)).flatMap(([state, count]) => Array.from({ length: count }, () => state));
  const commits = repo.commits ?? 1;
  const node = {
    __typename: 'Repository',
    id: nodeId('R', repo.id),
    databaseId: repo.id,
    name: repo.name,
    nameWithOwner,
    owner: () => ownerNode(owner, ctx),
    description: repo.description ?? null,
    url: `${WEB}/${nameWithOwner}`,
    resourcePath: `/${nameWithOwner}`,
    createdAt: iso(repo.createdAt),
    updatedAt: iso(repo.updatedAt),
    pushedAt: iso(repo.pushedAt),
    stargazerCount: repo.stars,
    forkCount: repo.forks,
    diskUsage: repo.sizeKb,
    isPrivate: repo.private === true,
    isFork: repo.fork === true,
    isArchived: repo.archived === true,
    isDisabled: false,
    isLocked: false,
    isTemplate: false,
    isEmpty: false,
    hasIssuesEnabled: true,
    visibility: repo.private === true ? 'PRIVATE' : 'PUBLIC',
    // The token's role: push access is WRITE (GitHub says ADMIN for an owner's own repositories; WRITE is enough for traffic).
    viewerPermission: repo.pushAccess === false ? 'READ' : 'WRITE',
    licenseInfo: license && {
      __typename: 'License',
      id: nodeId('L', license.key),
      key: license.key,
      spdxId: license.spdxId,
      name: license.name,
      nickname: null,
      url: `https://choosealicense.com/licenses/${license.key}/`,
    },
    primaryLanguage: repo.language ? { __typename: 'Language', id: nodeId('LA', repo.language), name: repo.language, color: null } : null,
    watchers: (args: ConnectionArgs) => connection(repo.watchers, (i) => userNode(`watcher-${i + 1}`, 20_000_000 + i), args),
    // Stargazers oldest first unless ordered DESC (STARRED_AT is the only StarOrderField).
    stargazers: (args: ConnectionArgs & { orderBy?: OrderBy | null }) => {
      if (repo.stargazersHidden === 'forbidden') throw new GraphQLError(STARGAZERS_FORBIDDEN_MESSAGE, { extensions: { type: 'FORBIDDEN' } });
      const total = repo.stargazersHidden === 'empty' ? 0 : repo.stars;
      // Each edge asks for its star twice (node, starredAt): make it once.
      const stars = new Map<number, ReturnType<typeof stargazerAt>>();
      const starAt = (i: number) => {
        const index = args.orderBy?.direction === 'DESC' ? total - 1 - i : i;
        let star = stars.get(index);
        if (!star) stars.set(index, (star = stargazerAt(repo, index)));
        return star;
      };
      return connection(
        total,
        (i) => {
          const star = starAt(i);
          return userNode(star.login, star.id);
        },
        args,
        (i) => ({ starredAt: starAt(i).starredAt }),
      );
    },
    // Direct forks, oldest first unless ordered DESC; the fake's forks differ only in their creation time.
    forks: (args: ConnectionArgs & { orderBy?: OrderBy | null }) => {
      const at = (i: number) => (args.orderBy?.direction === 'DESC' ? repo.forks - 1 - i : i);
      return connection(
        repo.forks,
        (i) => {
          const fork = forkAt(repo, at(i));
          return repositoryNode(fork.repo, fork.owner, ctx);
        },
        args,
      );
    },
    // Counts per state; closed pull requests are all merged in the fake.
    issues: (args: ConnectionArgs & { states?: (string | null)[] | null }) => {
      const states = inStates(args.states, [['OPEN', repo.openIssues], ['CLOSED', repo.closedIssues ?? 0]]);
      return connection(states.length, (i) => numbered('Issue', states.length - i, states[i]), args);
    },
    pullRequests: (args: ConnectionArgs & { states?: (string | null)[] | null }) => {
      const states = inStates(args.states, [['OPEN', repo.openPulls], ['MERGED', repo.mergedPulls ?? 0]]);
      return connection(states.length, (i) => numbered('PullRequest', states.length - i, states[i]), args);
    },
    // An empty repository (commits: 0) has no default branch, as on GitHub.
    defaultBranchRef:
      commits === 0
        ? null
        : {
            __typename: 'Ref',
            id: nodeId('REF', repo.id),
            name: 'main',
            prefix: 'refs/heads/',
            target: {
              __typename: 'Commit',
              id: nodeId('C', repo.id),
              oid: createHash('sha1').update(`${repo.id}:${commits}`).digest('hex'),
              committedDate: iso(repo.lastCommitAt ?? repo.pushedAt),
              history: (args: ConnectionArgs) =>
                connection(commits, (i) => ({ __typename: 'Commit', id: nodeId('C', `${repo.id}:${commits - i}`), committedDate: iso(repo.lastCommitAt ?? repo.pushedAt) }), args),
            },
          },
    releases: (args: ConnectionArgs & { orderBy?: OrderBy | null }) => {
      const releases = sortedReleases(repo, args.orderBy);
      return connection(
        releases.length,
        (i) => {
          const entry = releases[i];
          if (!entry) throw new Error(`release ${i} out of range`);
          return releaseNode(repo, owner.login, entry.rel, entry.index);
        },
        args,
      );
    },
    latestRelease: () => {
      const newest = sortedReleases(repo, { field: 'CREATED_AT', direction: 'DESC' }).find(
        ({ rel }) => rel.draft !== true && rel.prerelease !== true,
      );
      return newest ? { ...releaseNode(repo, owner.login, newest.rel, newest.index), isLatest: true } : null;
    },
  };
  for (const field of repo.nullFields ?? []) (node as Record<string, unknown>)[field] = null;
  return node;
}

interface RepositoriesArgs extends ConnectionArgs {
  ownerAffiliations?: (string | null)[] | null;
  isFork?: boolean | null;
  isArchived?: boolean | null;
  isLocked?: boolean | null;
  privacy?: 'PUBLIC' | 'PRIVATE' | null;
  visibility?: 'PUBLIC' | 'PRIVATE' | 'INTERNAL' | null;
  orderBy?: OrderBy | null;
}

function orderRepositories(repos: StoredRepo[], orderBy: OrderBy | null | undefined): StoredRepo[] {
  if (!orderBy?.field) return repos;
  const sign = orderBy.direction === 'DESC' ? -1 : 1;
  const value = (r: StoredRepo): number | string => {
    switch (orderBy.field) {
      case 'NAME':
        return r.name.toLowerCase();
      case 'CREATED_AT':
        return Date.parse(r.createdAt);
      case 'UPDATED_AT':
        return Date.parse(r.updatedAt);
      case 'PUSHED_AT':
        return Date.parse(r.pushedAt);
      case 'STARGAZERS':
        return r.stars;
      default:
        return r.id;
    }
  };
  return [...repos].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    return ((va < vb ? -1 : va > vb ? 1 : 0) || a.id - b.id) * sign;
  });
}

export function ownerNode(owner: StoredOwner, ctx: GraphQLContext) {
  const prefix = owner.type === 'Organization' ? 'O' : 'U';
  return {
    __typename: owner.type,
    id: nodeId(prefix, owner.id),
    databaseId: owner.id,
    login: owner.login,
    name: owner.login,
    url: `${WEB}/${owner.login}`,
    resourcePath: `/${owner.login}`,
    avatarUrl: () => `https://avatars.githubusercontent.com/u/${owner.id}?v=4`,
    repository: (args: { name: string }) => {
      const repo = ctx.store.repo(`${owner.login}/${args.name}`);
      return repo ? repositoryNode(repo, owner, ctx) : null;
    },
    repositories: (args: RepositoriesArgs) => {
      // The fake models owned repositories only: affiliations other than OWNER list nothing.
      const owned = args.ownerAffiliations == null || args.ownerAffiliations.includes('OWNER');
      let repos = owned ? ctx.store.reposOf(owner.login) : [];
      if (args.isFork != null) repos = repos.filter((r) => (r.fork === true) === args.isFork);
      if (args.isArchived != null) repos = repos.filter((r) => (r.archived === true) === args.isArchived);
      if (args.isLocked === true) repos = [];
      if (args.privacy != null) repos = repos.filter((r) => (r.private === true) === (args.privacy === 'PRIVATE'));
      if (args.visibility === 'INTERNAL') repos = [];
      else if (args.visibility != null) repos = repos.filter((r) => (r.private === true) === (args.visibility === 'PRIVATE'));
      const ordered = orderRepositories(repos, args.orderBy);
      return connection(
        ordered.length,
        (i) => {
          const repo = ordered[i];
          if (!repo) throw new Error(`repository ${i} out of range`);
          return repositoryNode(repo, owner, ctx);
        },
        args,
      );
    },
  };
}

/** Root fields of Query the fake answers. */
export function queryRoot(ctx: GraphQLContext) {
  const owner = (login: string) => ctx.store.owner(login);
  return {
    repositoryOwner: (args: { login: string }) => {
      const found = owner(args.login);
      return found ? ownerNode(found, ctx) : null;
    },
    organization: (args: { login: string }) => {
      const found = owner(args.login);
      if (found?.type !== 'Organization') throw notFound(`Could not resolve to an Organization with the login of '${args.login}'.`);
      return ownerNode(found, ctx);
    },
    user: (args: { login: string }) => {
      const found = owner(args.login);
      if (found?.type !== 'User') throw notFound(`Could not resolve to a User with the login of '${args.login}'.`);
      return ownerNode(found, ctx);
    },
    repository: (args: { owner: string; name: string }) => {
      const repo = ctx.store.repo(`${args.owner}/${args.name}`);
      const repoOwner = repo && owner(repo.owner);
      if (!repo || !repoOwner) throw notFound(`Could not resolve to a Repository with the name '${args.owner}/${args.name}'.`);
      return repositoryNode(repo, repoOwner, ctx);
    },
    viewer: () => {
      const stored = owner(ctx.viewer.login);
      const viewer: StoredOwner = stored?.type === 'User' ? stored : { login: ctx.viewer.login, type: 'User', id: ctx.viewer.id };
      return ownerNode(viewer, ctx);
    },
    rateLimit: () => {
      const state = ctx.rate();
      return {
        cost: ctx.cost,
        limit: state.limit,
        remaining: state.remaining,
        used: state.used,
        resetAt: iso(state.reset * 1000),
        nodeCount: ctx.nodeCount,
      };
    },
  };
}
