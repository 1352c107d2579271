// The GitHub source: repositories of organizations, users and single repos, with release downloads
// and the API budget. GraphQL in bulk with a token; REST with ETags without one.
import type { Sample } from '../../../../shared/metrics.js';
import { TargetsFailedError } from '../../source.js';
import type { CollectContext, CollectResult, Source, SourceModule, TargetError } from '../../source.js';
import { createGitHubBackfiller } from './backfill.js';
import { createGitHubClient, productionTuning } from './client.js';
import type { RetryTuning } from './client.js';
import type { Collection } from './collection.js';
import { ContributorCounts } from './contributors.js';
import { githubConfigSchema } from './config.js';
import type { GitHubConfig } from './config.js';
import { fatalErrorOf, gitHubMessageOf } from './errors.js';
import { EtagCache } from './etag-cache.js';
import { collectWithGraphql } from './graphql-collector.js';
import { githubMetrics, ownerSamples, rateSamples, repositorySamples } from './metrics.js';
import { withBudget } from './model.js';
import type { RateBudgets } from './model.js';
import { collectWithRest, watchHeaderBudget } from './rest-collector.js';
import { stopped } from './stop.js';
import { targetsOf } from './targets.js';
import { TrafficTracker } from './traffic.js';
import { githubUi } from './ui.js';
import { redactSecret, errorWithoutSecret } from '../../secrets.js';
import { withCollectionSignal } from '../common/collection-signal.js';
import { OutageGuard } from '../common/outage-guard.js';

export type { GitHubConfig } from './config.js';
export { githubConfigSchema } from './config.js';
export type { RetryTuning } from './client.js';

/** Lower-level knobs, for tests and benchmarks; `githubSource.create` uses the production defaults. */
export interface GitHubSourceOptions extends Partial<RetryTuning> {
  /** GraphQL queries (token) or repositories (REST) in flight at once. Default 4. */
  readonly concurrency?: number;
  /** The clock of backfill, traffic and the daily contributor counts, which decides "today"; default Date.now. */
  readonly now?: () => number;
}

const DEFAULT_CONCURRENCY = 4;

function samplesOf(collection: Collection, contributors: ContributorCounts, budgets: RateBudgets): Sample[] {
  const samples: Sample[] = [];
  for (const repository of collection.repositories) {
    const count = contributors.count(repository.owner, repository.name);
    samples.push(...repositorySamples(count === undefined ? repository : { ...repository, figures: { ...repository.figures, contributors: count } }));
  }
  for (const owner of collection.owners) samples.push(...ownerSamples(owner));
  samples.push(...rateSamples(budgets));
  return samples;
}


export function createGitHubSource(config: GitHubConfig, options: GitHubSourceOptions = {}): Source {
  const targets = targetsOf(config);
  const { concurrency = DEFAULT_CONCURRENCY, now, ...tuningOverrides } = options;
  const tuning: RetryTuning = {
    ...productionTuning,
    requestTimeoutMs: config.timeout,
    ...Object.fromEntries(Object.entries(tuningOverrides).filter(([, value]) => value !== undefined)),
  };
  const etags = new EtagCache();
  const contributors = new ContributorCounts();
  const token = config.token;
  const traffic = config.traffic.enabled
    ? new TrafficTracker({ intervalMs: config.traffic.interval, pollIntervalMs: config.interval, now: now ?? Date.now })
    : null;

  async function collect(ctx: CollectContext): Promise<CollectResult> {
    // The REST budget comes from response headers (GraphQL reads it inside its queries).
    const headerBudget = watchHeaderBudget(ctx.countRequest);
    try {
      return await withCollectionSignal(ctx.signal, async (controller) => {
        const guard = new OutageGuard('GitHub');
        const octokit = createGitHubClient({ apiUrl: config.apiUrl, token, tuning, signal: controller.signal, log: ctx.log, observe: headerBudget.observe, guard });
        const context = { octokit, targets, include: config.include, hasToken: token !== undefined, concurrency, log: ctx.log };
        etags.beginGeneration();
        const collect = async () => {
          const collection = await (token ? collectWithGraphql(context) : collectWithRest(context, etags, () => headerBudget.current));
          if (collection.unreachable === null) {
            await contributors.refresh({ octokit, repositories: collection.repositories, now: (now ?? Date.now)(), concurrency, log: ctx.log, coreBudget: () => headerBudget.current, hasToken: token !== undefined });
          }
          return collection;
        };
        const collection = await Promise.race([collect(), stopped(controller.signal)]);
        const errors = collection.errors.map((error) => ({ target: error.target, message: redactSecret(error.message, token) }));
        if (collection.unreachable !== null) {
          throw new TargetsFailedError(`GitHub could not be reached at ${config.apiUrl}: ${gitHubMessageOf(collection.unreachable)} — check github.apiUrl and the network`, errors);
        }
        if (!token) etags.dropUntouched();
        // Response headers name each resource spent (core, graphql…); the queries' own rateLimit is the freshest graphql figure.
        const budgets = collection.graphqlBudget ? withBudget(headerBudget.budgets, 'graphql', collection.graphqlBudget) : headerBudget.budgets;
        const samples = samplesOf(collection, contributors, budgets);
        if (!traffic) return { samples, errors, collected: collection.owners.length + collection.repositories.length };
        const read = traffic.refresh({ octokit, repositories: collection.repositories, concurrency, hasToken: token !== undefined, budget: () => headerBudget.current, log: ctx.log });
        const outcome = await Promise.race([read, stopped(controller.signal)]);
        const scrubbed = (list: readonly TargetError[]) => list.map((error) => ({ target: error.target, message: redactSecret(error.message, token) }));
        return {
          samples: [...samples, ...outcome.samples],
          dated: outcome.dated,
          errors: [...errors, ...scrubbed(outcome.errors)],
          notes: scrubbed(outcome.notes),
          collected: collection.owners.length + collection.repositories.length,
        };
      });
    } catch (error) {
      if (ctx.signal.aborted) throw error; // a stop: its reason, as is
      throw errorWithoutSecret(fatalErrorOf(error, token !== undefined, Date.now(), headerBudget.current?.resetAt ?? null) ?? error, token);
    }
  }

  const backfill = createGitHubBackfiller(config, { tuning, concurrency, ...(now ? { now } : {}) });
  return { id: 'github', intervalMs: config.interval, timeoutMs: tuning.requestTimeoutMs, collect, backfill };
}

export const githubSource: SourceModule<GitHubConfig> = {
  id: 'github',
  title: 'GitHub',
  configSchema: githubConfigSchema,
  metrics: githubMetrics,
  ui: githubUi,
  budget: { limit: 'github_rate_limit', remaining: 'github_rate_remaining', resetSeconds: 'github_rate_reset' },
  secrets: (config) => (config.token ? [config.token] : []),
  create: (config) => createGitHubSource(config),
};
