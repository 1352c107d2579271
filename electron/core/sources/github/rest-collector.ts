// The anonymous path: REST with 100 items per page, Link pagination and ETags. Lists lack
// subscribers_count, so each repository is also read on its own (plus its open PRs and releases).
import type { TargetError } from '../../source.js';
import { ReachTracker } from './collection.js';
import type { Collection, CollectorContext } from './collection.js';
import { fatalErrorOf, targetFailureMessage } from './errors.js';
import { getWithEtag } from './etag-cache.js';
import type { EtagCache, Page } from './etag-cache.js';
import { countFromSinglePageList, parseLinkHeader } from './link.js';
import { BadRecordError, canonicalTimestamp, checkRepositoryRecord, passesInclude, withBudget } from './model.js';
import type { ObservedResponse } from './client.js';
import type { OwnerStats, RateBudget, RateBudgets, ReleaseStats, RepositoryStats } from './model.js';
import { mapWithConcurrency } from '../common/concurrency.js';
import { configKeyOf, describeOwner, repositoryKey } from './targets.js';
import type { OwnerTarget } from './targets.js';

/** The fields of GitHub's `repository` / `minimal-repository` objects this source reads. */
export interface RestRepository {
  readonly name: string;
  readonly owner: { readonly login: string };
  readonly private: boolean;
  readonly fork: boolean;
  readonly archived: boolean;
  readonly license: { readonly key: string } | null;
  readonly language: string | null;
  readonly stargazers_count: number;
  readonly forks_count: number;
  /** Present on `GET /repos/{owner}/{repo}` only, not in lists. */
  readonly subscribers_count?: number;
  readonly size: number;
  /** Open issues plus open pull requests. */
  readonly open_issues_count: number;
  /** The token's permissions; GitHub sends them to an authenticated caller only. */
  readonly permissions?: { readonly push: boolean };
}

export interface RestRelease {
  readonly name: string | null;
  readonly tag_name: string;
  readonly draft: boolean;
  readonly assets: readonly { readonly name: string; readonly download_count: number; readonly created_at: string }[];
}

/** What a run (a poll or a backfill step) sees of its responses: each counted as a request, the freshest budget of each rate-limit resource kept. */
export interface HeaderBudgetWatch {
  /** The `core` budget (what REST requests spend). */
  readonly current: RateBudget | null;
  /** Every resource the responses named in `x-ratelimit-resource` (`core`, `graphql`, …). */
  readonly budgets: RateBudgets;
  /**
   * Requests of this run so far that counted against each REST resource (`core`, `search`…): answers
   * carrying rate-limit headers, 304s left out (GitHub does not charge a conditional request it answers 304).
   * GraphQL answers are left out too: a query costs points, not one request (Collection.graphqlCost).
   */
  readonly spent: ReadonlyMap<string, number>;
  readonly observe: (response: ObservedResponse) => void;
}

export function watchHeaderBudget(countRequest: (status: number | 'error') => void): HeaderBudgetWatch {
  let budgets: RateBudgets = new Map();
  const spent = new Map<string, number>();
  return {
    get current() {
      return budgets.get('core') ?? null;
    },
    get budgets() {
      return budgets;
    },
    spent,
    observe: (response: ObservedResponse) => {
      countRequest(response.status);
      const seen = resourceBudgetFromHeaders(response.headers);
      if (seen) budgets = withBudget(budgets, seen.resource, seen.budget);
      if (seen && seen.resource !== 'graphql') spent.set(seen.resource, (spent.get(seen.resource) ?? 0) + (response.status === 304 ? 0 : 1));
    },
  };
}

/**
 * Rate budget from `x-ratelimit-*` headers with the resource it belongs to (`x-ratelimit-resource`; `core`
 * when a server leaves it out); null when the headers are absent or not numbers.
 */
export function resourceBudgetFromHeaders(headers: Readonly<Record<string, string | number | undefined>>): { resource: string; budget: RateBudget } | null {
  const named = headers['x-ratelimit-resource'];
  const resource = named === undefined || String(named).trim() === '' ? 'core' : String(named).trim();
  const limit = Number(headers['x-ratelimit-limit']);
  const remaining = Number(headers['x-ratelimit-remaining']);
  const reset = Number(headers['x-ratelimit-reset']);
  if (headers['x-ratelimit-limit'] === undefined || ![limit, remaining, reset].every(Number.isFinite)) return null;
  return { resource, budget: { limit, remaining, resetAt: reset * 1000 } };
}

/** Rate budget from `x-ratelimit-*` headers of the `core` resource; null when they are absent or for another resource. */
export function budgetFromHeaders(headers: Readonly<Record<string, string | number | undefined>>): RateBudget | null {
  const seen = resourceBudgetFromHeaders(headers);
  return seen?.resource === 'core' ? seen.budget : null;
}

/** Maps REST objects to the stats every path produces; open issues exclude the pull requests GitHub counts in. */
export function restRepositoryStats(repository: RestRepository, openPullRequests: number, releases: readonly RestRelease[]): RepositoryStats {
  const published = publishedReleases(releases);
  return {
    owner: repository.owner.login,
    name: repository.name,
    isPrivate: repository.private,
    isFork: repository.fork,
    isArchived: repository.archived,
    license: repository.license?.key ?? '',
    language: repository.language ?? '',
    stars: repository.stargazers_count,
    forks: repository.forks_count,
    watchers: repository.subscribers_count ?? 0,
    sizeKb: repository.size,
    openIssues: Math.max(0, repository.open_issues_count - openPullRequests),
    openPullRequests,
    releases: published,
    canPush: repository.permissions?.push === true,
    // What REST gives without another request; commits, closed issues and merged pull requests would
    // cost one more request each (or the search API), so they stay absent here.
    figures: { releases: published.length },
  };
}

function publishedReleases(releases: readonly RestRelease[]): ReleaseStats[] {
  const seen = new Set<string>();
  const published: ReleaseStats[] = [];
  for (const release of releases) {
    if (release.draft || seen.has(release.tag_name)) continue;
    seen.add(release.tag_name);
    published.push({
      name: release.name ?? '',
      tag: release.tag_name,
      assets: release.assets.map((asset) => ({ name: asset.name, downloads: asset.download_count, createdAt: canonicalTimestamp(asset.created_at) })),
    });
  }
  return published;
}

// The cache keeps only what the source reads: a list page of 100 full repositories is ~500 KB of JSON.
type Json = Record<string, unknown>;

/** The fields read from a repository object; BadRecordError when its name or a count is garbage. */
export function pickRepository(raw: Json): RestRepository {
  const owner = (typeof raw['owner'] === 'object' && raw['owner'] !== null ? raw['owner'] : {}) as Json;
  const license = raw['license'] as Json | null;
  const counts = {
    stargazers_count: raw['stargazers_count'] ?? 0,
    forks_count: raw['forks_count'] ?? 0,
    size: raw['size'] ?? 0,
    open_issues_count: raw['open_issues_count'] ?? 0,
    ...(raw['subscribers_count'] !== undefined ? { subscribers_count: raw['subscribers_count'] } : {}),
  };
  checkRepositoryRecord(owner['login'], raw['name'], counts);
  return {
    name: raw['name'] as string,
    owner: { login: owner['login'] as string },
    private: raw['private'] === true,
    fork: raw['fork'] === true,
    archived: raw['archived'] === true,
    license: license && typeof license['key'] === 'string' ? { key: license['key'] } : null,
    language: typeof raw['language'] === 'string' ? raw['language'] : null,
    ...(typeof raw['permissions'] === 'object' && raw['permissions'] !== null ? { permissions: { push: (raw['permissions'] as Json)['push'] === true } } : {}),
    ...(counts as { stargazers_count: number; forks_count: number; size: number; open_issues_count: number; subscribers_count?: number }),
  };
}


function pickRelease(raw: Json): RestRelease {
  return {
    name: typeof raw['name'] === 'string' ? raw['name'] : null,
    tag_name: raw['tag_name'] as string,
    draft: raw['draft'] === true,
    assets: ((raw['assets'] as Json[] | undefined) ?? []).map((asset) => ({
      name: asset['name'] as string,
      download_count: Number(asset['download_count'] ?? 0),
      created_at: typeof asset['created_at'] === 'string' ? asset['created_at'] : '',
    })),
  };
}

/** A list page's repositories; an item that cannot be used is its BadRecordError, so it fails alone. */
function pickRepositories(raw: unknown): (RestRepository | BadRecordError)[] {
  return (raw as Json[]).map((item) => {
    try {
      return pickRepository(item);
    } catch (error) {
      if (error instanceof BadRecordError) return error;
      throw error;
    }
  });
}
const pickReleases = (raw: unknown) => (raw as Json[]).map(pickRelease);
const pickLength = (raw: unknown) => (raw as unknown[]).length;

export function ownerListUrl(owner: OwnerTarget): string {
  const login = encodeURIComponent(owner.login);
  return owner.kind === 'org' ? `/orgs/${login}/repos?type=all&per_page=100` : `/users/${login}/repos?type=owner&per_page=100`;
}

export function repositoryUrl(owner: string, name: string): string {
  return `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
}

export async function collectWithRest(context: CollectorContext, etags: EtagCache, observedBudget: () => RateBudget | null): Promise<Collection> {
  const { octokit, targets, include } = context;
  const errors: TargetError[] = [];
  const owners: OwnerStats[] = [];
  /** Repositories to read, each once: key → where it was found (and its full object, if already read). */
  const toRead = new Map<string, { owner: string; name: string; target: string; full?: RestRepository }>();

  const reach = new ReachTracker();
  const fatalOrNull = (error: unknown) => fatalErrorOf(error, context.unauthorizedMessage, Date.now(), observedBudget()?.resetAt ?? null);

  const get = <Data>(url: string, pick: (raw: unknown) => Data): Promise<Page<Data>> => getWithEtag(octokit, etags, url, pick);

  async function getAllPages<Item>(firstUrl: string, pick: (raw: unknown) => Item[]): Promise<Item[]> {
    const items: Item[] = [];
    const visited = new Set<string>();
    let url: string | undefined = firstUrl;
    while (url !== undefined && !visited.has(url)) {
      visited.add(url);
      const page: Page<Item[]> = await get(url, pick);
      items.push(...page.data);
      url = parseLinkHeader(page.link).get('next');
    }
    return items;
  }

  async function listOwner(owner: OwnerTarget): Promise<void> {
    try {
      const items = await getAllPages(ownerListUrl(owner), pickRepositories);
      const usable: RestRepository[] = [];
      for (const item of items) {
        if (item instanceof BadRecordError) errors.push({ target: item.target, message: item.message });
        else usable.push(item);
      }
      const listed = usable.filter((repository) =>
        passesInclude(include, { isFork: repository.fork, isArchived: repository.archived, isPrivate: repository.private }),
      );
      for (const repository of listed) {
        const key = repositoryKey(repository.owner.login, repository.name);
        if (!toRead.has(key)) {
          toRead.set(key, { owner: repository.owner.login, name: repository.name, target: `repo:${repository.owner.login}/${repository.name}` });
        }
      }
      const login = listed[0]?.owner.login ?? owner.login;
      owners.push({ login, repositories: listed.length, stars: listed.reduce((sum, repository) => sum + repository.stargazers_count, 0) });
      reach.answered();
    } catch (error) {
      const fatal = fatalOrNull(error);
      if (fatal) throw fatal;
      reach.failed(error);
      errors.push({ target: owner.target, message: targetFailureMessage(error, describeOwner(owner.kind, owner.login), configKeyOf(owner.kind)) });
    }
  }

  async function readNamedRepository(target: { owner: string; name: string; target: string }): Promise<void> {
    try {
      const full = (await get(repositoryUrl(target.owner, target.name), (raw) => pickRepository(raw as Json))).data;
      const key = repositoryKey(full.owner.login, full.name);
      toRead.set(key, { owner: full.owner.login, name: full.name, target: target.target, full });
      reach.answered();
    } catch (error) {
      const fatal = fatalOrNull(error);
      if (fatal) throw fatal;
      reach.failed(error);
      errors.push({ target: target.target, message: targetFailureMessage(error, `repository '${target.owner}/${target.name}'`, configKeyOf('repo')) });
    }
  }

  const firstPass: (() => Promise<void>)[] = [
    ...targets.owners.map((owner) => () => listOwner(owner)),
    ...targets.repositories.map((repository) => () => readNamedRepository(repository)),
  ];
  await mapWithConcurrency(firstPass, context.concurrency, (task) => task());

  const repositories: RepositoryStats[] = [];
  await mapWithConcurrency([...toRead.values()], context.concurrency, async (entry) => {
    try {
      const base = repositoryUrl(entry.owner, entry.name);
      const [full, pulls, releases] = await Promise.all([
        entry.full ?? get(base, (raw) => pickRepository(raw as Json)).then((page) => page.data),
        // One PR per page: the rel="last" page number is the open PR count, however many there are.
        get(`${base}/pulls?state=open&per_page=1`, pickLength),
        getAllPages(`${base}/releases?per_page=100`, pickReleases),
      ]);
      repositories.push(restRepositoryStats(full, countFromSinglePageList(pulls.link, pulls.data), releases));
    } catch (error) {
      const fatal = fatalOrNull(error);
      if (fatal) throw fatal;
      errors.push({ target: entry.target, message: targetFailureMessage(error, `repository '${entry.owner}/${entry.name}'`, configKeyOf('repo')) });
    }
  });

  return { repositories, owners, errors, graphqlBudget: null, graphqlCost: 0, unreachable: reach.unreachable };
}
