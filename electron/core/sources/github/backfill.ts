// The GitHub source's Backfiller (backfill/contract.ts): star and fork history at day resolution and
// release dates as markers, read from the lists GitHub keeps (stargazers with starredAt, forks with
// createdAt), GraphQL with a token and REST without. The runner decides when to step and how much of
// the budget to use; each step reports the budget GitHub gave back.
import type { ApiBudget, Backfiller, BackfillStep, BackfillStepResult, BackfillWork } from '../../backfill/contract.js';
import type { CollectContext } from '../../source.js';
import type { BackfillContext, HistoryWork, KnownRepository, Listing, StepOutcome } from './backfill-context.js';
import { listWithGraphql, stepWithGraphql } from './backfill-graphql.js';
import { HISTORY_TASKS_PER_QUERY } from './backfill-queries.js';
import { listWithRest, stepWithRest } from './backfill-rest.js';
import { parseTaskKey, planTasks, RELEASE_DOWNLOADS_HAVE_NO_HISTORY } from './backfill-tasks.js';
import type { HistoryApi } from './backfill-tasks.js';
import { createGitHubClient } from './client.js';
import type { RetryTuning } from './client.js';
import type { GitHubConfig } from './config.js';
import { fatalErrorOf } from './errors.js';
import { startOfUtcDay } from './daily-count.js';
import { watchHeaderBudget } from './rest-collector.js';
import { stopped } from './stop.js';
import { targetsOf } from './targets.js';
import { chunk } from '../common/concurrency.js';
import { withCollectionSignal } from '../common/collection-signal.js';
import { withoutCredentials } from './auth.js';
import type { GitHubAuth } from './auth.js';
import { OutageGuard } from '../common/outage-guard.js';

export interface GitHubBackfillOptions {
  readonly tuning: RetryTuning;
  /** Requests in flight at once while planning (and REST steps). */
  readonly concurrency: number;
  /** The clock that decides "today" (whose count belongs to the live poll); tests fix it. */
  readonly now?: () => number;
}

export function createGitHubBackfiller(config: GitHubConfig, auth: GitHubAuth, options: GitHubBackfillOptions): Backfiller {
  const targets = targetsOf(config);
  const api: HistoryApi = auth.authenticated ? 'graphql' : 'rest';
  const now = options.now ?? Date.now;
  // Labels and counts the REST plan read, so REST steps need no extra request per task.
  const known = new Map<string, KnownRepository>();

  /** Runs `work` with a client on the step's own signal; errors come out as the runner needs them, without the token. */
  async function withClient<Result extends Listing | StepOutcome>(ctx: CollectContext, work: (context: BackfillContext) => Promise<Result>): Promise<{ result: Result; budget: ApiBudget | undefined }> {
    const headerBudget = watchHeaderBudget(ctx.countRequest);
    try {
      return await withCollectionSignal(ctx.signal, async (controller) => {
        // Each step is a run of its own for the outage guard: a down API stops the step's retries.
        const octokit = createGitHubClient({ apiUrl: config.apiUrl, auth, tuning: options.tuning, signal: controller.signal, log: ctx.log, observe: headerBudget.observe, guard: new OutageGuard('GitHub') });
        const context: BackfillContext = {
          octokit,
          targets,
          include: config.include,
          unauthorizedMessage: auth.rejectedMessage(),
          concurrency: options.concurrency,
          log: ctx.log,
          today: startOfUtcDay(now()),
          known,
        };
        const result = await Promise.race([work(context), stopped(controller.signal)]);
        // GraphQL reports its points inside the answer; REST its core budget in the headers.
        const seen = api === 'graphql' ? result.budget : headerBudget.current;
        return { result, budget: seen ? { resource: api === 'graphql' ? 'graphql' : 'core', ...seen } : undefined };
      });
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      throw withoutCredentials(fatalErrorOf(error, auth.rejectedMessage(), Date.now(), headerBudget.current?.resetAt ?? null) ?? error, auth);
    }
  }

  function scrubbed(result: BackfillStepResult): BackfillStepResult {
    if (result.kind === 'failed') return { kind: 'failed', error: auth.redact(result.error) };
    if (result.kind === 'unavailable') return { kind: 'unavailable', reason: auth.redact(result.reason) };
    return result;
  }

  async function stepHistories(work: readonly HistoryWork[], ctx: CollectContext): Promise<{ results: BackfillStepResult[]; budget: ApiBudget | undefined }> {
    if (api === 'rest') {
      const { result, budget } = await withClient(ctx, (context) => stepWithRest(context, work));
      return { results: result.results, budget };
    }
    // More tasks than one query takes (a runner ignoring batchSize) go in several queries, one after another.
    const results: BackfillStepResult[] = [];
    let budget: ApiBudget | undefined;
    for (const batch of chunk(work, HISTORY_TASKS_PER_QUERY)) {
      const step = await withClient(ctx, (context) => stepWithGraphql(context, batch));
      results.push(...step.result.results);
      budget = step.budget ?? budget;
    }
    return { results, budget };
  }

  return {
    batchSize: api === 'graphql' ? HISTORY_TASKS_PER_QUERY : 1,

    async plan(ctx) {
      const { result, budget } = await withClient(ctx, (context) => (api === 'graphql' ? listWithGraphql(context) : listWithRest(context)));
      return { tasks: planTasks(result.listed, api), ...(budget ? { budget } : {}) };
    },

    async step(work: readonly BackfillWork[], ctx): Promise<BackfillStep> {
      const results: (BackfillStepResult | undefined)[] = work.map(() => undefined);
      const histories: { index: number; work: HistoryWork }[] = [];
      work.forEach(({ task, cursor }, index) => {
        const ref = parseTaskKey(task.key);
        if (ref === null) results[index] = { kind: 'failed', error: `"${task.key}" is not a GitHub backfill task (plan again)` };
        else if (ref.kind === 'downloads') results[index] = { kind: 'unavailable', reason: RELEASE_DOWNLOADS_HAVE_NO_HISTORY };
        else histories.push({ index, work: { kind: ref.kind, owner: ref.owner, name: ref.name, cursor, totalUnits: task.totalUnits } });
      });
      if (histories.length === 0) return { results: results as BackfillStepResult[] };
      const { results: read, budget } = await stepHistories(
        histories.map((entry) => entry.work),
        ctx,
      );
      histories.forEach((entry, position) => {
        results[entry.index] = scrubbed(read[position]!);
      });
      return { results: results as BackfillStepResult[], ...(budget ? { budget } : {}) };
    },
  };
}
