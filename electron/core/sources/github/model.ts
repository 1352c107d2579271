// What a collection produces, whichever API (GraphQL or REST) it came from.

export interface ReleaseAssetStats {
  readonly name: string;
  readonly downloads: number;
  /** When the asset was uploaded, in GitHub's timestamp form (canonicalTimestamp): github-exporter's `created_at`. */
  readonly createdAt: string;
}

export interface ReleaseStats {
  /** Release name as GitHub has it; "" when the release has none (github-exporter's `release` label). */
  readonly name: string;
  readonly tag: string;
  readonly assets: readonly ReleaseAssetStats[];
}

/**
 * The repository figures people ask for beyond stars. A figure the API did not give this time (the REST
 * path has no cheap closed-issue count, a contributor list GitHub refuses) is absent, never a made-up 0.
 */
export interface RepositoryFigures {
  /** Commits on the default branch (0 for an empty repository). */
  readonly commits?: number;
  /** Epoch ms of the default branch's head commit (absent for an empty repository). */
  readonly lastCommitAt?: number;
  readonly closedIssues?: number;
  readonly mergedPullRequests?: number;
  /** Published releases (drafts left out, as in the release downloads). */
  readonly releases?: number;
  /** Contributors, anonymous ones included, as GitHub lists them. */
  readonly contributors?: number;
}

export interface RepositoryStats {
  /** Owner login as GitHub spells it. */
  readonly owner: string;
  readonly name: string;
  readonly isPrivate: boolean;
  readonly isFork: boolean;
  readonly isArchived: boolean;
  /** License key (e.g. "mit"), or "" without one. */
  readonly license: string;
  /** Primary language, or "" without one. */
  readonly language: string;
  readonly stars: number;
  readonly forks: number;
  /** Subscribers (people watching), not the star count. */
  readonly watchers: number;
  readonly sizeKb: number;
  /** Open issues without pull requests. */
  readonly openIssues: number;
  readonly openPullRequests: number;
  /** Published releases (drafts left out: they have no public downloads). */
  readonly releases: readonly ReleaseStats[];
  /** Whether the token can push to it (GraphQL viewerPermission, REST permissions.push): traffic needs that. */
  readonly canPush: boolean;
  readonly figures: RepositoryFigures;
}

/** What names a repository's series (its labels), without its figures: what backfilled history needs. */
export type RepositoryIdentity = Pick<RepositoryStats, 'owner' | 'name' | 'isPrivate' | 'isFork' | 'isArchived' | 'license' | 'language'>;

/**
 * GitHub's timestamp form ("2025-05-20T10:01:57Z", no milliseconds), so the `created_at` label is the same
 * whichever API reported it; text that is not a timestamp is kept as it is.
 */
export function canonicalTimestamp(text: string): string {
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) return text;
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

/** An owner target's totals over the repositories counted for it (after the include filters). */
export interface OwnerStats {
  readonly login: string;
  readonly repositories: number;
  readonly stars: number;
}

/** The API budget of one rate-limit resource (`core`, `graphql`, …, as GitHub names it). */
export interface RateBudget {
  readonly limit: number;
  readonly remaining: number;
  /** Epoch milliseconds. */
  readonly resetAt: number;
}

/** Keeps the freshest budget seen: the latest window, and within it the lowest remaining. */
export function fresherBudget(current: RateBudget | null, seen: RateBudget): RateBudget {
  if (!current || seen.resetAt > current.resetAt) return seen;
  if (seen.resetAt === current.resetAt && seen.remaining < current.remaining) return seen;
  return current;
}

/** The freshest budget of each rate-limit resource a run saw, by resource name. */
export type RateBudgets = ReadonlyMap<string, RateBudget>;

/** `budgets` with `seen` of `resource` merged in (fresherBudget); a new map. */
export function withBudget(budgets: RateBudgets, resource: string, seen: RateBudget): Map<string, RateBudget> {
  const next = new Map(budgets);
  next.set(resource, fresherBudget(budgets.get(resource) ?? null, seen));
  return next;
}

export interface IncludeFilter {
  readonly forks: boolean;
  readonly archived: boolean;
  readonly private: boolean;
}

export function passesInclude(
  include: IncludeFilter,
  repository: { readonly isFork: boolean; readonly isArchived: boolean; readonly isPrivate: boolean },
): boolean {
  return (include.forks || !repository.isFork) && (include.archived || !repository.isArchived) && (include.private || !repository.isPrivate);
}

/** A repository GitHub described with data that cannot be used (a garbage name or count): that repository fails, the others are kept. */
export class BadRecordError extends Error {
  /** The TargetError name, e.g. "repo:owner/name" (printable even when the name is not). */
  readonly target: string;
  constructor(owner: unknown, name: unknown, reason: string) {
    const fullName = `${printable(owner)}/${printable(name)}`;
    super(`GitHub sent unusable data for repository '${fullName}' (${reason}); it is left out`);
    this.name = 'BadRecordError';
    this.target = `repo:${fullName}`;
  }
}

function printable(value: unknown): string {
  return typeof value === 'string' && value !== '' ? value.toWellFormed() : '?';
}

function describeValue(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : String(value);
}

/**
 * Checks what a repository record's metrics and URLs are built from; throws BadRecordError for a missing
 * or malformed name (a lone UTF-16 surrogate, which no URL can carry) or a count that is not one.
 */
export function checkRepositoryRecord(owner: unknown, name: unknown, counts: Readonly<Record<string, unknown>>): void {
  for (const [field, value] of [['owner', owner], ['name', name]] as const) {
    if (typeof value !== 'string' || value === '') throw new BadRecordError(owner, name, `its ${field} is ${describeValue(value)}`);
    if (!value.isWellFormed()) throw new BadRecordError(owner, name, `its ${field} is not valid text: it holds a lone UTF-16 surrogate`);
  }
  for (const [field, value] of Object.entries(counts)) {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new BadRecordError(owner, name, `${field} is ${describeValue(value)}, not a count`);
  }
}
