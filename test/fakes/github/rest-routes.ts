// REST endpoints of the fake. Each handler answers with a status and body; the server adds rate-limit
// headers, ETag / Last-Modified and conditional-request handling on top.
import * as errors from './errors.js';
import { linkHeader, pageCount, pageSlice, parsePageRequest, type PageRequest } from './pagination.js';
import {
  forkAt,
  fullRepository,
  issueOrPull,
  minimalRepository,
  ownerProfile,
  pullRequest,
  release,
  simpleUser,
  stargazerAt,
  traffic,
  trafficWindow,
  visibleReleases,
  type Viewer,
} from './rest-shapes.js';
import type { FakeStore, StoredOwner, StoredRepo } from './store.js';
import type { FakeRelease } from './types.js';

export interface RestContext {
  /** The fake's origin, e.g. http://127.0.0.1:PORT. */
  readonly api: string;
  readonly store: FakeStore;
  readonly authenticated: boolean;
  readonly accept: string;
  readonly viewerLogin: string;
  readonly viewerId: number;
  /** The fake's clock (epoch ms): traffic serves the 14 days up to its UTC day. */
  readonly now: number;
}

export interface RestResult {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
  /** Epoch ms the answer last changed, for `last-modified`. */
  readonly lastModifiedMs?: number;
}

/** Only 400 pages of stargazers are reachable on GitHub. */
const STARGAZER_PAGE_LIMIT = 400;

function json(body: unknown, extra: Omit<RestResult, 'status' | 'body'> = {}): RestResult {
  return { status: 200, body, ...extra };
}

function failure(status: number, body: errors.RestErrorBody): RestResult {
  return { status, body };
}

function latest(repos: readonly StoredRepo[]): number | undefined {
  return repos.length === 0 ? undefined : Math.max(...repos.map((r) => r.modifiedMs));
}

/** One page of `items`, each shaped by `toJson`, with its Link header; `linkBase` is the absolute URL without query. */
function page<T>(
  items: readonly T[],
  toJson: (item: T) => unknown,
  request: PageRequest,
  linkBase: string,
  query: URLSearchParams,
  lastModifiedMs?: number,
): RestResult {
  const link = linkHeader(linkBase, query, request.page, pageCount(items.length, request.perPage));
  return json(pageSlice(items, request).map(toJson), { headers: link ? { link } : {}, lastModifiedMs });
}

/** A page of a list the fake generates item by item (PRs, issues, stargazers) instead of storing. */
function virtualPage<T>(
  total: number,
  request: PageRequest,
  itemAt: (index: number) => T,
  linkBase: string,
  query: URLSearchParams,
  lastModifiedMs: number,
  lastPageCap = Number.POSITIVE_INFINITY,
): RestResult {
  const start = (request.page - 1) * request.perPage;
  const items: T[] = [];
  for (let i = start; i < Math.min(total, start + request.perPage); i++) items.push(itemAt(i));
  const last = Math.min(pageCount(total, request.perPage), lastPageCap);
  const link = linkHeader(linkBase, query, request.page, last);
  return json(items, { headers: link ? { link } : {}, lastModifiedMs });
}

function viewerFor(ctx: RestContext, repo: StoredRepo): Viewer {
  return { authenticated: ctx.authenticated, push: ctx.authenticated && repo.pushAccess !== false };
}

/** Private repositories do not exist for anonymous clients, as on GitHub. */
function visibleRepo(ctx: RestContext, owner: string, name: string): { repo: StoredRepo; owner: StoredOwner } | undefined {
  const repo = ctx.store.repo(`${owner}/${name}`);
  if (!repo || (repo.private === true && !ctx.authenticated)) return undefined;
  const storedOwner = ctx.store.owner(repo.owner);
  return storedOwner ? { repo, owner: storedOwner } : undefined;
}

type RepoListSort = 'created' | 'updated' | 'pushed' | 'full_name';

function sortRepos(repos: StoredRepo[], query: URLSearchParams, defaultSort: RepoListSort): StoredRepo[] {
  const requested = query.get('sort');
  const sort: RepoListSort =
    requested === 'created' || requested === 'updated' || requested === 'pushed' || requested === 'full_name' ? requested : defaultSort;
  const requestedDirection = query.get('direction');
  // GitHub: ascending for full_name, descending for dates, unless `direction` says otherwise.
  const direction = requestedDirection === 'asc' || requestedDirection === 'desc' ? requestedDirection : sort === 'full_name' ? 'asc' : 'desc';
  const value = (r: StoredRepo): number | string => {
    switch (sort) {
      case 'created':
        return Date.parse(r.createdAt);
      case 'updated':
        return Date.parse(r.updatedAt);
      case 'pushed':
        return Date.parse(r.pushedAt);
      case 'full_name':
        return `${r.owner}/${r.name}`.toLowerCase();
    }
  };
  const sign = direction === 'asc' ? 1 : -1;
  return [...repos].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    return (va < vb ? -1 : va > vb ? 1 : 0) * sign || (a.id - b.id) * sign;
  });
}

function orgRepos(ctx: RestContext, owner: StoredOwner, query: URLSearchParams): RestResult {
  let repos = ctx.store.reposOf(owner.login).filter((r) => ctx.authenticated || r.private !== true);
  switch (query.get('type') ?? 'all') {
    case 'public':
      repos = repos.filter((r) => r.private !== true);
      break;
    case 'private':
      repos = repos.filter((r) => r.private === true);
      break;
    case 'forks':
      repos = repos.filter((r) => r.fork === true);
      break;
    case 'sources':
      repos = repos.filter((r) => r.fork !== true);
      break;
    default:
      // all, member: every repository the viewer can see.
      break;
  }
  const sorted = sortRepos(repos, query, 'created');
  const toJson = (r: StoredRepo) => minimalRepository(ctx.api, r, owner, viewerFor(ctx, r));
  // GitHub's Link URLs for this list use the numeric form /organizations/{id}/repos.
  return page(sorted, toJson, parsePageRequest(query), `${ctx.api}/organizations/${owner.id}/repos`, query, latest(repos));
}

function userRepos(ctx: RestContext, owner: StoredOwner, query: URLSearchParams): RestResult {
  // This endpoint lists public repositories only, even for an authenticated caller.
  const type = query.get('type') ?? 'owner';
  const repos = type === 'member' ? [] : ctx.store.reposOf(owner.login).filter((r) => r.private !== true);
  const sorted = sortRepos(repos, query, 'full_name');
  const toJson = (r: StoredRepo) => minimalRepository(ctx.api, r, owner, viewerFor(ctx, r));
  // Likewise /user/{id}/repos for a user's list.
  return page(sorted, toJson, parsePageRequest(query), `${ctx.api}/user/${owner.id}/repos`, query, latest(repos));
}

function repoRoute(ctx: RestContext, segments: readonly string[], query: URLSearchParams): RestResult {
  const [ownerLogin = '', name = '', ...rest] = segments;
  const found = visibleRepo(ctx, ownerLogin, name);
  if (!found) return failure(404, errors.notFound());
  const { repo, owner } = found;
  const viewer = viewerFor(ctx, repo);
  const base = `${ctx.api}/repos/${owner.login}/${repo.name}`;
  const sub = rest.join('/');

  switch (sub) {
    case '':
      return json(fullRepository(ctx.api, repo, owner, viewer), { lastModifiedMs: repo.modifiedMs });

    case 'pulls': {
      // The fake has open pull requests only: state=closed is empty, state=all is the open ones.
      const state = query.get('state') ?? 'open';
      const total = state === 'closed' ? 0 : repo.openPulls;
      const ascending = query.get('direction') === 'asc';
      const itemAt = (i: number) => pullRequest(ctx.api, repo, owner, ascending ? total - 1 - i : i);
      return virtualPage(total, parsePageRequest(query), itemAt, `${base}/pulls`, query, repo.modifiedMs);
    }

    case 'issues': {
      // Like GitHub's, this list mixes issues and pull requests (the latter carry `pull_request`).
      const state = query.get('state') ?? 'open';
      const total = state === 'closed' ? 0 : repo.openIssues + repo.openPulls;
      const itemAt = (i: number) => issueOrPull(ctx.api, repo, owner, i);
      return virtualPage(total, parsePageRequest(query), itemAt, `${base}/issues`, query, repo.modifiedMs);
    }

    case 'releases': {
      const toJson = ({ rel, index }: { rel: FakeRelease; index: number }) => release(ctx.api, repo, owner, rel, index);
      return page(visibleReleases(repo, viewer), toJson, parsePageRequest(query), `${base}/releases`, query, repo.modifiedMs);
    }

    case 'releases/latest': {
      const newest = visibleReleases(repo, viewer).find(({ rel }) => rel.draft !== true && rel.prerelease !== true);
      if (!newest) return failure(404, errors.notFound('https://docs.github.com/rest/releases/releases#get-the-latest-release'));
      return json(release(ctx.api, repo, owner, newest.rel, newest.index), { lastModifiedMs: repo.modifiedMs });
    }

    case 'stargazers': {
      const request = parsePageRequest(query);
      if (repo.stargazersHidden === 'forbidden') return failure(403, errors.stargazersForbidden());
      if (request.page > STARGAZER_PAGE_LIMIT) return failure(422, errors.stargazerPaginationLimit());
      if (repo.stargazersHidden === 'empty') return json([], { lastModifiedMs: repo.modifiedMs });
      const starJson = /star\+json/.test(ctx.accept);
      const itemAt = (i: number) => {
        const star = stargazerAt(repo, i);
        const user = simpleUser(ctx.api, star.login, star.id, 'User');
        return starJson ? { starred_at: star.starredAt, user } : user;
      };
      return virtualPage(repo.stars, request, itemAt, `${base}/stargazers`, query, repo.modifiedMs, STARGAZER_PAGE_LIMIT);
    }

    case 'forks': {
      // sort: newest (GitHub's default), oldest, stargazers, watchers; the fake's forks have no stars or
      // watchers, so those two keep the newest-first order.
      const oldestFirst = query.get('sort') === 'oldest';
      const itemAt = (i: number) => {
        const fork = forkAt(repo, oldestFirst ? i : repo.forks - 1 - i);
        return minimalRepository(ctx.api, fork.repo, fork.owner, viewerFor(ctx, fork.repo));
      };
      return virtualPage(repo.forks, parsePageRequest(query), itemAt, `${base}/forks`, query, repo.modifiedMs);
    }

    case 'contributors': {
      // Empty repositories answer 204; GitHub refuses to list the contributors of a very large history.
      if ((repo.commits ?? 1) === 0) return { status: 204, body: undefined, lastModifiedMs: repo.modifiedMs };
      if (repo.contributorsHidden === 'too-large') return failure(403, errors.contributorsTooLarge());
      const itemAt = (i: number) => ({ ...simpleUser(ctx.api, `contributor-${i + 1}`, 30_000_000 + i, 'User'), contributions: repo.id % 97 + 1 });
      return virtualPage(repo.contributors ?? 1, parsePageRequest(query), itemAt, `${base}/contributors`, query, repo.modifiedMs);
    }

    case 'traffic/views':
    case 'traffic/clones': {
      const kind = sub === 'traffic/views' ? 'views' : 'clones';
      if (!viewer.push || repo.trafficForbidden === true) return failure(403, errors.trafficForbidden(kind));
      const per = query.get('per') === 'week' ? 'week' : 'day';
      const result = traffic(trafficWindow(repo, kind, ctx.now), per);
      return json({ count: result.count, uniques: result.uniques, [kind]: result.items });
    }

    case 'traffic/popular/referrers':
    case 'traffic/popular/paths': {
      const kind = sub === 'traffic/popular/referrers' ? 'referrers' : 'paths';
      if (!viewer.push || repo.trafficForbidden === true) return failure(403, errors.trafficForbidden(kind));
      // GitHub lists the top 10, most viewed first.
      const items = kind === 'referrers' ? [...(repo.referrers ?? [])] : [...(repo.popularPaths ?? [])];
      return json(items.sort((a, b) => b.count - a.count).slice(0, 10));
    }

    default:
      return failure(404, errors.notFound('https://docs.github.com/rest'));
  }
}

export function handleRest(ctx: RestContext, method: string, url: URL): RestResult {
  if (method !== 'GET' && method !== 'HEAD') return failure(404, errors.notFound('https://docs.github.com/rest'));
  const segments = url.pathname
    .split('/')
    .filter((s) => s !== '')
    .map((s) => decodeURIComponent(s));
  const query = url.searchParams;
  const [first, second, third] = segments;

  if (first === 'repos' && segments.length >= 3) return repoRoute(ctx, segments.slice(1), query);

  if (first === 'orgs' && second !== undefined) {
    const owner = ctx.store.owner(second);
    if (!owner || owner.type !== 'Organization') return failure(404, errors.notFound('https://docs.github.com/rest/repos/repos#list-organization-repositories'));
    if (segments.length === 2) return json(ownerProfile(ctx.api, owner, publicCount(ctx, owner)));
    if (third === 'repos' && segments.length === 3) return orgRepos(ctx, owner, query);
  }

  if (first === 'organizations' && third === 'repos' && segments.length === 3) {
    const owner = ctx.store.ownerById(Number(second));
    if (!owner || owner.type !== 'Organization') return failure(404, errors.notFound('https://docs.github.com/rest'));
    return orgRepos(ctx, owner, query);
  }

  if (first === 'users' && second !== undefined) {
    const owner = ctx.store.owner(second);
    if (!owner) return failure(404, errors.notFound('https://docs.github.com/rest/users/users#get-a-user'));
    if (segments.length === 2) return json(ownerProfile(ctx.api, owner, publicCount(ctx, owner)));
    if (third === 'repos' && segments.length === 3) return userRepos(ctx, owner, query);
  }

  if (first === 'user' && third === 'repos' && segments.length === 3) {
    const owner = ctx.store.ownerById(Number(second));
    if (!owner) return failure(404, errors.notFound('https://docs.github.com/rest'));
    return userRepos(ctx, owner, query);
  }

  if (first === 'user' && segments.length === 1) {
    if (!ctx.authenticated) return failure(401, errors.requiresAuthentication());
    return json(simpleUser(ctx.api, ctx.viewerLogin, ctx.viewerId, 'User'));
  }

  return failure(404, errors.notFound('https://docs.github.com/rest'));
}

function publicCount(ctx: RestContext, owner: StoredOwner): number {
  return ctx.store.reposOf(owner.login).filter((r) => r.private !== true).length;
}
