// The GitHub source: repositories of organizations, users and single repos, with release downloads
// and the API budget. GraphQL in bulk with a token; REST with ETags without one.
import os from 'node:os';
import type { Sample } from '../../../../shared/metrics.js';
import { TargetsFailedError } from '../../source.js';
import type { CollectContext, CollectResult, Source, TargetError } from '../../source.js';
import { createGitHubBackfiller } from './backfill.js';
import { createGitHubClient, productionTuning } from './client.js';
import type { RetryTuning } from './client.js';
import type { Collection } from './collection.js';
import { ContributorCounts } from './contributors.js';
import type { GitHubConfig } from './config.js';
import { fatalErrorOf, gitHubMessageOf } from './errors.js';
import { EtagCache } from './etag-cache.js';
import { collectWithGraphql } from './graphql-collector.js';
import { ownerSamples, rateSamples, repositorySamples } from './metrics.js';
import { withBudget } from './model.js';
import type { RateBudgets } from './model.js';
import { collectWithRest, watchHeaderBudget } from './rest-collector.js';
import { stopped } from './stop.js';
import { targetsOf } from './targets.js';
import { TrafficTracker } from './traffic.js';
import { createGitHubAuth, withoutCredentials } from './auth.js';
import { withCollectionSignal } from '../common/collection-signal.js';
import { OutageGuard } from '../common/outage-guard.js';
import { prepareGitHubConfig } from './module.js';

export type { GitHubConfig } from './config.js';
export { githubSource, prepareGitHubConfig } from './module.js';
export { githubConfigSchema } from './config.js';
export type { RetryTuning } from './client.js';

/** Lower-level knobs, for tests and benchmarks; `githubSource.create` uses the production defaults. */
export interface GitHubSourceOptions extends Partial<RetryTuning> {
  /** GraphQL queries (token) or repositories (REST) in flight at once. Default 4. */
  readonly concurrency?: number;
  /** The clock that decides "today" for backfill, traffic and the daily contributor counts, and when a GitHub App's installation token is renewed; default Date.now. */
  readonly now?: () => number;
}

const DEFAULT_CONCURRENCY = 4;

function samplesOf(collection: Collection, contributors: ContributorCounts, budgets: RateBudgets, spent: ReadonlyMap<string, number>): Sample[] {
  const samples: Sample[] = [];
  for (const repository of collection.repositories) {
    const count = contributors.count(repository.owner, repository.name);
    samples.push(...repositorySamples(count === undefined ? repository : { ...repository, figures: { ...repository.figures, contributors: count } }));
  }
  for (const owner of collection.owners) samples.push(...ownerSamples(owner));
  samples.push(...rateSamples(budgets, spent));
  return samples;
}


function prepared(config: GitHubConfig): GitHubConfig {
  const needsPrepare = (config.tokenFile !== undefined && config.fileToken === undefined) || (config.app !== undefined && config.appKey === undefined);
  return needsPrepare ? prepareGitHubConfig(config, { configDir: process.cwd(), homedir: os.homedir() }) : config;
}

export function createGitHubSource(written: GitHubConfig, options: GitHubSourceOptions = {}): Source {
  const config = prepared(written);
  const targets = targetsOf(config);
  const { concurrency = DEFAULT_CONCURRENCY, now, ...tuningOverrides } = options;
  const tuning: RetryTuning = {
    ...productionTuning,
    requestTimeoutMs: config.timeout,
    ...Object.fromEntries(Object.entries(tuningOverrides).filter(([, value]) => value !== undefined)),
  };
  const etags = new EtagCache();
  const contributors = new ContributorCounts();
  const auth = createGitHubAuth(config, now);
  const authenticated = auth.authenticated;
  const traffic = config.traffic.enabled
    ? new TrafficTracker({ intervalMs: config.traffic.interval, pollIntervalMs: config.interval, now: now ?? Date.now })
    : null;

  async function collect(ctx: CollectContext): Promise<CollectResult> {
    // The REST budget comes from response headers (GraphQL reads it inside its queries).
    const headerBudget = watchHeaderBudget(ctx.countRequest);
    try {
      return await withCollectionSignal(ctx.signal, async (controller) => {
        const guard = new OutageGuard('GitHub');
        const octokit = createGitHubClient({ apiUrl: config.apiUrl, auth, tuning, signal: controller.signal, log: ctx.log, observe: headerBudget.observe, guard });
        const context = { octokit, targets, include: config.include, unauthorizedMessage: auth.rejectedMessage(), concurrency, log: ctx.log };
        etags.beginGeneration();
        let listingSpent: ReadonlyMap<string, number> = new Map();
        const collect = async () => {
          const collection = await (authenticated ? collectWithGraphql(context) : collectWithRest(context, etags, () => headerBudget.current));
          // The listing's spending is what every poll repeats; contributor counts (each repository once a
          // day, only while the budget allows) and traffic (its own interval) are paced apart.
          listingSpent = new Map([...headerBudget.spent, ['graphql', collection.graphqlCost]]);
          if (collection.unreachable === null) {
            await contributors.refresh({ octokit, repositories: collection.repositories, now: (now ?? Date.now)(), concurrency, log: ctx.log, coreBudget: () => headerBudget.current, unauthorizedMessage: auth.rejectedMessage() });
          }
          return collection;
        };
        const collection = await Promise.race([collect(), stopped(controller.signal)]);
        const scrubbed = (list: readonly TargetError[]) => list.map((error) => ({ target: error.target, message: auth.redact(error.message) }));
        const errors = scrubbed(collection.errors);
        if (collection.unreachable !== null) {
          throw new TargetsFailedError(`GitHub could not be reached at ${config.apiUrl}: ${gitHubMessageOf(collection.unreachable)} — check github.apiUrl and the network`, errors);
        }
        if (!authenticated) etags.dropUntouched();
        // Response headers name each resource spent (core, graphql…); the queries' own rateLimit is the freshest graphql figure.
        const budgets = collection.graphqlBudget ? withBudget(headerBudget.budgets, 'graphql', collection.graphqlBudget) : headerBudget.budgets;
        const samples = samplesOf(collection, contributors, budgets, listingSpent);
        if (!traffic) return { samples, errors, collected: collection.owners.length + collection.repositories.length };
        const read = traffic.refresh({ octokit, repositories: collection.repositories, concurrency, unauthorizedMessage: auth.rejectedMessage(), budget: () => headerBudget.current, log: ctx.log });
        const outcome = await Promise.race([read, stopped(controller.signal)]);
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
      throw withoutCredentials(fatalErrorOf(error, auth.rejectedMessage(), Date.now(), headerBudget.current?.resetAt ?? null) ?? error, auth);
    }
  }

  /** For Test connection: who the credentials are and the budget GitHub gives them. */
  async function describeConnection(ctx: CollectContext): Promise<string> {
    return withCollectionSignal(ctx.signal, async (controller) => {
      const octokit = createGitHubClient({ apiUrl: config.apiUrl, auth, tuning, signal: controller.signal, log: ctx.log, observe: (response) => ctx.countRequest(response.status), guard: new OutageGuard('GitHub') });
      const who = await auth.identity(octokit);
      // Free: /rate_limit does not count against the limit it reports.
      const { data } = await octokit.request('GET /rate_limit');
      const count = (n: number) => n.toLocaleString('en-US');
      const left = (bucket: { remaining: number; limit: number } | undefined, unit: string) => (bucket ? `${count(bucket.remaining)} of ${count(bucket.limit)} ${unit} an hour left` : null);
      const budgets = [left(data.resources.core, 'REST requests'), authenticated ? left(data.resources.graphql, 'GraphQL points') : null].filter((text) => text !== null);
      return auth.redact(`Connected ${who}; ${budgets.join(', ')}.`);
    });
  }

  const backfill = createGitHubBackfiller(config, auth, { tuning, concurrency, ...(now ? { now } : {}) });
  return { id: 'github', intervalMs: config.interval, timeoutMs: tuning.requestTimeoutMs, collect, backfill, describeConnection };
}
