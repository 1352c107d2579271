// The token path: whole owners in pages of 100 repositories, single repositories in aliased batches,
// releases inline up to a window, then follow-up queries only for what the window left out.
import type { TargetError } from '../../source.js';
import { ReachTracker } from './collection.js';
import type { Collection, CollectorContext } from './collection.js';
import { fatalErrorOf, gitHubMessageOf, graphqlErrorsOf, statusOf, targetFailureMessage } from './errors.js';
import type { GraphqlErrorItem } from './errors.js';
import {
  followUpQuery,
  ownerRepositoriesQuery,
  planFollowUps,
  repositoriesQuery,
  REPOSITORIES_PER_BATCH,
} from './graphql-queries.js';
import type {
  AssetConnection,
  AssetsFollowUpField,
  FollowUp,
  OwnerRepositoriesData,
  PageInfo,
  RateLimitNode,
  ReleaseConnection,
  ReleasesFollowUpField,
  RepositoryNode,
} from './graphql-queries.js';
import { BadRecordError, canonicalTimestamp, checkRepositoryRecord, fresherBudget, passesInclude } from './model.js';
import type { OwnerStats, RateBudget, ReleaseAssetStats, RepositoryFigures, RepositoryStats } from './model.js';
import { chunk, mapWithConcurrency } from '../common/concurrency.js';
import { collapseRepeats } from '../../../../shared/repeats.js';
import { configKeyOf, describeOwner, repositoryKey } from './targets.js';
import type { OwnerTarget, RepositoryTarget } from './targets.js';

type AliasedData = Readonly<Record<string, unknown>>;

/** viewerPermission values that include push access (what the traffic endpoints require). */
const PUSH_PERMISSIONS: ReadonlySet<string | null> = new Set(['ADMIN', 'MAINTAIN', 'WRITE']);

interface QueryResult<Data> {
  readonly data: Data | null;
  /** GraphQL errors that came with (partial) data. */
  readonly errors: readonly GraphqlErrorItem[];
}

/** GraphQL errors about one target, carried to targetFailureMessage. */
class GraphqlFieldError extends Error {
  readonly errors: readonly GraphqlErrorItem[];
  constructor(errors: readonly GraphqlErrorItem[]) {
    super(errors.map((item) => item.message).join('; ') || 'not found');
    this.name = 'GraphqlFieldError';
    this.errors = errors.length > 0 ? errors : [{ type: 'NOT_FOUND', message: 'not found' }];
  }
}

interface ReleaseDraft {
  readonly name: string;
  readonly tag: string;
  readonly assets: ReleaseAssetStats[];
  readonly assetNames: Set<string>;
}

/** A repository while its releases may still be arriving from follow-up queries. */
interface RepositoryDraft {
  readonly key: string;
  readonly stats: Omit<RepositoryStats, 'releases' | 'figures'>;
  /** The figures the repository query gave (the release count is known only once every page is in). */
  readonly figures: RepositoryFigures;
  /** Published releases by tag, newest first. */
  readonly releases: Map<string, ReleaseDraft>;
  /** Tags already seen, drafts included, so a shifted page cannot count a release twice. */
  readonly seenTags: Set<string>;
  /** Why release data is incomplete this time, if it is. */
  releasesFailure: string | null;
}

function errorsAt(errors: readonly GraphqlErrorItem[], field: string): GraphqlErrorItem[] {
  return errors.filter((item) => item.path?.[0] === field);
}

/** Throws BadRecordError when the node's name or a count is garbage (see checkRepositoryRecord). */
function checkRepositoryNode(node: RepositoryNode): void {
  const raw = node as unknown as { owner?: { login?: unknown }; name?: unknown; diskUsage?: unknown; [field: string]: unknown };
  const total = (field: string) => (raw[field] as { totalCount?: unknown } | null | undefined)?.totalCount;
  checkRepositoryRecord(raw.owner?.login, raw.name, {
    stargazerCount: raw['stargazerCount'],
    forkCount: raw['forkCount'],
    'watchers.totalCount': total('watchers'),
    'issues.totalCount': total('issues'),
    'pullRequests.totalCount': total('pullRequests'),
    'closedIssues.totalCount': total('closedIssues'),
    'mergedPullRequests.totalCount': total('mergedPullRequests'),
    // null when GitHub does not know the size (absent for some repositories).
    ...(raw.diskUsage === null || raw.diskUsage === undefined ? {} : { diskUsage: raw.diskUsage }),
  });
}

/** Commits and the last commit's time from the default branch; an empty repository (no branch) has 0 commits and no last commit. */
function branchFigures(node: RepositoryNode): Pick<RepositoryFigures, 'commits' | 'lastCommitAt'> {
  const branch = node.defaultBranchRef;
  if (branch === null || branch === undefined) return { commits: 0 };
  const commits = branch.target?.history?.totalCount;
  const committedAt = Date.parse(branch.target?.committedDate ?? '');
  return {
    ...(typeof commits === 'number' && Number.isSafeInteger(commits) && commits >= 0 ? { commits } : {}),
    ...(Number.isFinite(committedAt) ? { lastCommitAt: committedAt } : {}),
  };
}

function budgetOf(node: RateLimitNode | null | undefined): RateBudget | null {
  if (!node) return null;
  const resetAt = Date.parse(node.resetAt);
  if (!Number.isFinite(resetAt)) return null;
  return { limit: node.limit, remaining: node.remaining, resetAt };
}

export async function collectWithGraphql(context: CollectorContext): Promise<Collection> {
  const { octokit, targets, include, log } = context;
  const drafts = new Map<string, RepositoryDraft>();
  const owners: OwnerStats[] = [];
  const errors: TargetError[] = [];
  let budget: RateBudget | null = null;
  let cost = 0;
  const reach = new ReachTracker();

  const fatalOrNull = (error: unknown) => fatalErrorOf(error, context.unauthorizedMessage, Date.now(), budget?.resetAt ?? null);

  async function runQuery<Data>(query: string, variables: Record<string, string | null>): Promise<QueryResult<Data>> {
    let result: QueryResult<Data>;
    try {
      result = { data: await octokit.graphql<Data>(query, variables), errors: [] };
    } catch (error) {
      const graphqlErrors = graphqlErrorsOf(error);
      const partial = (error as { name?: unknown }).name === 'GraphqlResponseError';
      if (!partial || graphqlErrors.some((item) => item.type === 'RATE_LIMITED')) throw error;
      result = { data: ((error as { data?: Data }).data ?? null) as Data | null, errors: graphqlErrors };
    }
    const rateLimit = (result.data as { rateLimit?: RateLimitNode | null } | null)?.rateLimit;
    const seen = budgetOf(rateLimit);
    if (seen) budget = fresherBudget(budget, seen);
    if (typeof rateLimit?.cost === 'number' && Number.isFinite(rateLimit.cost) && rateLimit.cost >= 0) cost += rateLimit.cost;
    return result;
  }

  function absorbAssets(draft: RepositoryDraft, tag: string, releaseCursorBefore: string | null, connection: AssetConnection): FollowUp[] {
    const release = draft.releases.get(tag);
    if (!release) return [];
    for (const asset of connection.nodes ?? []) {
      if (!asset || release.assetNames.has(asset.name)) continue;
      release.assetNames.add(asset.name);
      release.assets.push({ name: asset.name, downloads: asset.downloadCount, createdAt: canonicalTimestamp(asset.createdAt) });
    }
    const { hasNextPage, endCursor } = connection.pageInfo;
    if (!hasNextPage || !endCursor) return [];
    return [{ kind: 'assets', key: draft.key, owner: draft.stats.owner, name: draft.stats.name, tag, releaseCursorBefore, cursor: endCursor }];
  }

  /** `after` is the cursor this page was requested after (null for the first page). */
  function absorbReleases(draft: RepositoryDraft, connection: ReleaseConnection, after: string | null): FollowUp[] {
    const followUps: FollowUp[] = [];
    let cursorBefore = after;
    for (const edge of connection.edges ?? []) {
      const node = edge?.node;
      const releaseCursorBefore = cursorBefore;
      if (edge) cursorBefore = edge.cursor;
      if (!node || draft.seenTags.has(node.tagName)) continue;
      draft.seenTags.add(node.tagName);
      if (node.isDraft) continue;
      draft.releases.set(node.tagName, {
        name: node.name ?? '',
        tag: node.tagName,
        assets: [],
        assetNames: new Set(),
      });
      followUps.push(...absorbAssets(draft, node.tagName, releaseCursorBefore, node.releaseAssets));
    }
    const { hasNextPage, endCursor } = connection.pageInfo;
    if (hasNextPage && endCursor) {
      followUps.push({ kind: 'releases', key: draft.key, owner: draft.stats.owner, name: draft.stats.name, cursor: endCursor });
    }
    return followUps;
  }

  /** Adds a repository the first time any target reaches it; returns the follow-ups its releases need. */
  function absorbRepository(node: RepositoryNode): FollowUp[] {
    const key = repositoryKey(node.owner.login, node.name);
    if (drafts.has(key)) return [];
    const draft: RepositoryDraft = {
      key,
      stats: {
        owner: node.owner.login,
        name: node.name,
        isPrivate: node.isPrivate,
        isFork: node.isFork,
        isArchived: node.isArchived,
        license: node.licenseInfo?.key ?? '',
        language: node.primaryLanguage?.name ?? '',
        stars: node.stargazerCount,
        forks: node.forkCount,
        watchers: node.watchers.totalCount,
        sizeKb: node.diskUsage ?? 0,
        openIssues: node.issues.totalCount,
        openPullRequests: node.pullRequests.totalCount,
        canPush: PUSH_PERMISSIONS.has(node.viewerPermission ?? null),
      },
      figures: {
        ...branchFigures(node),
        closedIssues: node.closedIssues.totalCount,
        mergedPullRequests: node.mergedPullRequests.totalCount,
      },
      releases: new Map(),
      seenTags: new Set(),
      releasesFailure: null,
    };
    drafts.set(key, draft);
    return absorbReleases(draft, node.releases, null);
  }

  const followUps: FollowUp[] = [];
  const ownerQuery = ownerRepositoriesQuery(include);

  async function collectOwner(owner: OwnerTarget): Promise<void> {
    const subject = describeOwner(owner.kind, owner.login);
    // GitHub's spelling of the login (config may differ in case); set by every page.
    let login: string | undefined;
    let repositories = 0;
    let stars = 0;
    let cursor: string | null = null;
    // GraphQL errors that came beside the data (e.g. "Cannot return null for non-nullable field …"), and
    // the repositories they cost: GitHub sends a null node for each.
    const besideData: string[] = [];
    let lost = 0;
    try {
      do {
        const page: QueryResult<OwnerRepositoriesData> = await runQuery<OwnerRepositoriesData>(ownerQuery, { login: owner.login, cursor });
        const queryErrors = page.errors;
        const ownerNode: OwnerRepositoriesData['repositoryOwner'] | undefined = page.data?.repositoryOwner;
        if (!ownerNode?.repositories) throw new GraphqlFieldError(queryErrors);
        besideData.push(...queryErrors.map((item) => item.message));
        login = ownerNode.login;
        for (const node of ownerNode.repositories.nodes ?? []) {
          if (node === null && queryErrors.length > 0) lost += 1;
          if (!node || !passesInclude(include, node)) continue;
          try {
            checkRepositoryNode(node);
          } catch (error) {
            if (!(error instanceof BadRecordError)) throw error;
            errors.push({ target: error.target, message: error.message });
            continue;
          }
          repositories += 1;
          stars += node.stargazerCount;
          followUps.push(...absorbRepository(node));
        }
        const pageInfo: PageInfo = ownerNode.repositories.pageInfo;
        cursor = pageInfo.hasNextPage && pageInfo.endCursor ? pageInfo.endCursor : null;
      } while (cursor !== null);
      owners.push({ login: login ?? owner.login, repositories, stars });
      reach.answered();
      if (besideData.length > 0) {
        // Said once per target, repeats counted: not one warning per error.
        const said = collapseRepeats(besideData);
        log.warn({ target: owner.target, repositoriesLeftOut: lost }, `GitHub reported errors beside the data: ${said}`);
        const leftOut = lost > 0 ? `left out ${lost} ${lost === 1 ? 'repository' : 'repositories'} of ${subject}` : `reported errors about ${subject}`;
        errors.push({ target: owner.target, message: `GitHub ${leftOut} beside the data: ${said}; the other figures are reported` });
      }
    } catch (error) {
      const fatal = fatalOrNull(error);
      if (fatal) throw fatal;
      // GitHub answered with a GraphQL error (e.g. NOT_FOUND): a bad target, not an unreachable API.
      if (error instanceof GraphqlFieldError) reach.answered();
      else reach.failed(error);
      errors.push({ target: owner.target, message: targetFailureMessage(error, subject, configKeyOf(owner.kind)) });
    }
  }

  async function collectRepositoryBatch(batch: readonly RepositoryTarget[]): Promise<void> {
    const { query, variables } = repositoriesQuery(batch);
    try {
      const { data, errors: queryErrors } = await runQuery<AliasedData>(query, variables);
      reach.answered();
      batch.forEach((target, index) => {
        const node = data?.[`r${index}`] as RepositoryNode | null | undefined;
        if (node) {
          try {
            checkRepositoryNode(node);
          } catch (error) {
            if (!(error instanceof BadRecordError)) throw error;
            errors.push({ target: target.target, message: error.message });
            return;
          }
          followUps.push(...absorbRepository(node));
          return;
        }
        const failure = new GraphqlFieldError(errorsAt(queryErrors, `r${index}`));
        errors.push({ target: target.target, message: targetFailureMessage(failure, `repository '${target.owner}/${target.name}'`, configKeyOf('repo')) });
      });
    } catch (error) {
      const fatal = fatalOrNull(error);
      if (fatal) throw fatal;
      reach.failed(error);
      for (const target of batch) {
        errors.push({ target: target.target, message: targetFailureMessage(error, `repository '${target.owner}/${target.name}'`, configKeyOf('repo')) });
      }
    }
  }

  const firstPass: (() => Promise<void>)[] = [
    ...targets.owners.map((owner) => () => collectOwner(owner)),
    ...chunk(targets.repositories, REPOSITORIES_PER_BATCH).map((batch) => () => collectRepositoryBatch(batch)),
  ];
  await mapWithConcurrency(firstPass, context.concurrency, (task) => task());

  // Follow-ups, round by round: each answer may reveal a further page.
  let pending = followUps;
  while (pending.length > 0) {
    const next: FollowUp[] = [];
    await mapWithConcurrency(planFollowUps(pending), context.concurrency, async (plan) => {
      const { query, variables } = followUpQuery(plan);
      try {
        const { data, errors: queryErrors } = await runQuery<AliasedData>(query, variables);
        plan.forEach((followUp, index) => {
          const draft = drafts.get(followUp.key)!;
          const field = data?.[`f${index}`];
          const failure = () => {
            const fieldErrors = errorsAt(queryErrors, `f${index}`);
            draft.releasesFailure ??= fieldErrors.length > 0 ? fieldErrors.map((item) => item.message).join('; ') : 'the repository or release disappeared';
          };
          if (followUp.kind === 'releases') {
            const releases = (field as ReleasesFollowUpField | null | undefined)?.releases;
            if (releases) next.push(...absorbReleases(draft, releases, followUp.cursor));
            else failure();
          } else {
            const release = (field as AssetsFollowUpField | null | undefined)?.releases?.nodes?.[0];
            // The cursor must still lead to the same release; if releases changed meanwhile, the next run retries.
            if (release && release.tagName === followUp.tag) next.push(...absorbAssets(draft, followUp.tag, followUp.releaseCursorBefore, release.releaseAssets));
            else failure();
          }
        });
      } catch (error) {
        const fatal = fatalOrNull(error);
        if (fatal) throw fatal;
        const status = statusOf(error);
        const reason = status === null ? gitHubMessageOf(error) : `GitHub answered ${status}: ${gitHubMessageOf(error)}`;
        for (const followUp of plan) drafts.get(followUp.key)!.releasesFailure ??= reason;
      }
    });
    pending = next.filter((followUp) => drafts.get(followUp.key)!.releasesFailure === null);
  }

  const repositories: RepositoryStats[] = [];
  for (const draft of drafts.values()) {
    if (draft.releasesFailure !== null) {
      errors.push({
        target: `repo:${draft.stats.owner}/${draft.stats.name}`,
        message: `release downloads of repository '${draft.stats.owner}/${draft.stats.name}' could not be read completely (${draft.releasesFailure}); its other metrics are reported`,
      });
    }
    const complete = draft.releasesFailure === null;
    repositories.push({
      ...draft.stats,
      releases: complete ? [...draft.releases.values()].map(({ name, tag, assets }) => ({ name, tag, assets })) : [],
      // Every page of releases was read, so the published ones are counted exactly (drafts left out).
      figures: complete ? { ...draft.figures, releases: draft.releases.size } : draft.figures,
    });
  }
  return { repositories, owners, errors, graphqlBudget: budget, graphqlCost: cost, unreachable: reach.unreachable };
}
