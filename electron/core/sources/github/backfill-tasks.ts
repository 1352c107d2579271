// The GitHub backfill's tasks and cursors: one task per repository and history (stars, forks, release
// dates), one note per target that release downloads have no history; a cursor is JSON text holding
// the API's position plus the running count, so a resumed task continues exactly where it stopped.
import type { BackfillTask } from '../../backfill/contract.js';
import type { DailyCount } from './daily-count.js';
import type { RepositoryIdentity } from './model.js';
import { repositoryKey } from './targets.js';

export type HistoryKind = 'stars' | 'forks' | 'releases';

const HISTORY_KINDS: readonly HistoryKind[] = ['stars', 'forks', 'releases'];

export type GitHubTaskRef =
  | { readonly kind: HistoryKind; readonly owner: string; readonly name: string }
  | { readonly kind: 'downloads'; readonly target: string };

/** Items per page of every list the backfill reads (GitHub's maximum, GraphQL and REST). */
export const ITEMS_PER_PAGE = 100;
/** Without a token, GitHub lists only the first 400 pages of stargazers; page 401 answers 422. */
export const REST_STARGAZER_PAGES = 400;

export const STARS_NEED_ACCESS = 'star history needs admin or collaborator access to this repository';
export const RELEASE_DOWNLOADS_HAVE_NO_HISTORY =
  'release download counts have no history: GitHub reports only the current total of each asset, so downloads are charted from the first poll on; release dates are drawn as markers on the repository’s charts';

export function restStarCapReason(lastDay: number | null): string {
  const reached = lastDay === null ? 'nothing before it could be stored' : `history up to ${new Date(lastDay).toISOString().slice(0, 10)} is stored`;
  return `star history without a token stops at ${(REST_STARGAZER_PAGES * ITEMS_PER_PAGE).toLocaleString('en-US')} stars (${reached}): add a token in github.token to read the rest`;
}

export function historyTaskKey(kind: HistoryKind, owner: string, name: string): string {
  return `${kind}:${owner}/${name}`;
}

export function parseTaskKey(key: string): GitHubTaskRef | null {
  const colon = key.indexOf(':');
  const kind = key.slice(0, colon);
  const rest = key.slice(colon + 1);
  if (colon < 0 || rest === '') return null;
  if (kind === 'downloads') return { kind, target: rest };
  const slash = rest.indexOf('/');
  if (!HISTORY_KINDS.includes(kind as HistoryKind) || slash <= 0 || slash === rest.length - 1) return null;
  return { kind: kind as HistoryKind, owner: rest.slice(0, slash), name: rest.slice(slash + 1) };
}

export type HistoryCursor =
  | (DailyCount & { readonly api: 'graphql'; /** endCursor of the last page read; null before the first. */ readonly after: string | null })
  | (DailyCount & { readonly api: 'rest'; /** The next page to read, from 1. */ readonly page: number });

export type HistoryApi = HistoryCursor['api'];

export function startCursor(api: HistoryApi): HistoryCursor {
  return api === 'graphql' ? { api, after: null, count: 0, openDay: null } : { api, page: 1, count: 0, openDay: null };
}

export function encodeCursor(cursor: HistoryCursor): string {
  return JSON.stringify(cursor);
}

/**
 * The saved position, or null when the text is not one of ours for this API (a cursor saved without a
 * token means nothing to GraphQL, and the other way round): the task then starts over, which only
 * rewrites the same dated samples.
 */
export function decodeCursor(text: string, api: HistoryApi): HistoryCursor | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { api: savedApi, after, page, count, openDay } = value as Record<string, unknown>;
  if (savedApi !== api || !Number.isInteger(count) || (count as number) < 0) return null;
  if (openDay !== null && !Number.isInteger(openDay)) return null;
  const counted = { count: count as number, openDay: openDay as number | null };
  if (api === 'graphql') return after === null || typeof after === 'string' ? { api, after, ...counted } : null;
  return Number.isInteger(page) && (page as number) >= 1 ? { api, page: page as number, ...counted } : null;
}

/** A repository as the plan's listing saw it. */
export interface ListedRepository {
  /** The configured target it was reached through, e.g. "org:acme". */
  readonly target: string;
  readonly identity: RepositoryIdentity;
  readonly stars: number;
  readonly forks: number;
  /** Releases, drafts included; null when the listing does not tell (REST). */
  readonly releases: number | null;
}

function pages(units: number): number {
  return Math.max(1, Math.ceil(units / ITEMS_PER_PAGE));
}

/** Requests a history costs from the beginning: a page per 100 items (REST stars stop at page 401's 422). */
export function estimatedRequests(kind: HistoryKind, units: number | null, api: HistoryApi): number {
  if (units === null) return 1;
  if (kind === 'stars' && api === 'rest') return Math.min(pages(units), REST_STARGAZER_PAGES + 1);
  return pages(units);
}

function describeTarget(target: string): string {
  return target.slice(target.indexOf(':') + 1);
}

/**
 * Each repository once (the first target reaching it names it): a stars, forks and releases task for each
 * history it has, and per target with releases the note that downloads have none.
 */
export function planTasks(listed: readonly ListedRepository[], api: HistoryApi): BackfillTask[] {
  const tasks: BackfillTask[] = [];
  const seen = new Set<string>();
  const targetsWithReleases: string[] = [];
  for (const repository of listed) {
    const { owner, name } = repository.identity;
    const key = repositoryKey(owner, name);
    if (seen.has(key)) continue;
    seen.add(key);
    const counts: Record<HistoryKind, number | null> = { stars: repository.stars, forks: repository.forks, releases: repository.releases };
    for (const kind of HISTORY_KINDS) {
      const units = counts[kind];
      if (units === 0) continue;
      tasks.push({
        key: historyTaskKey(kind, owner, name),
        title: `${owner}/${name} ${kind}`,
        target: repository.target,
        totalUnits: units,
        estimatedRequests: estimatedRequests(kind, units, api),
      });
    }
    if (repository.releases !== 0 && !targetsWithReleases.includes(repository.target)) targetsWithReleases.push(repository.target);
  }
  for (const target of targetsWithReleases) {
    tasks.push({ key: `downloads:${target}`, title: `${describeTarget(target)} release downloads`, target, totalUnits: null, estimatedRequests: 0 });
  }
  return tasks;
}
