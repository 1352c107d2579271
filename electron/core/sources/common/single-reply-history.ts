// A backfill whose API gives a target's whole kept history in one reply (pypistats: 180 days,
// crates.io: 90 days): one task per target, one request each, done in one step. A rate limit goes to
// the runner (RateLimitedError), no answer at all fails the step, and the rest is the target's result.
import type { BackfillStepResult, BackfillTask, Backfiller } from '../../backfill/contract.js';
import { RateLimitedError } from '../../source.js';
import type { CollectContext } from '../../source.js';
import { HttpError } from './http-client.js';
import type { HttpAnswer } from './http-client.js';
import { inTurn } from './in-turn.js';

/** Targets one step reads, a pause apart: about ten seconds of a step at crates.io's pace. */
const BATCH_SIZE = 10;

export interface SingleReplyHistory {
  /** The API's name in messages. */
  readonly api: string;
  /** The config section and the key listing the targets, e.g. "pypi" and "packages". */
  readonly section: string;
  readonly listKey: string;
  readonly apiUrl: string;
  readonly targets: readonly string[];
  /** Task key and title of a target, e.g. "downloads:NAME" and "NAME daily downloads". */
  readonly taskKey: (name: string) => string;
  readonly title: (name: string) => string;
  /** Days the API keeps, for progress. */
  readonly days: number;
  readonly spacingMs: number;
  readonly requestTimeoutMs: number;
  /** The target's one request, with a client that returns rate limits at once. */
  readonly send: (name: string, ctx: CollectContext) => Promise<HttpAnswer>;
  /** The target's result from its answer (any status). */
  readonly settle: (name: string, answer: HttpAnswer) => BackfillStepResult;
}

export function singleReplyBackfiller(history: SingleReplyHistory): Backfiller {
  async function get(name: string, ctx: CollectContext): Promise<HttpAnswer> {
    const what = `the daily downloads of '${name}'`;
    try {
      return await history.send(name, ctx);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      if (error.retryAt !== null) {
        throw new RateLimitedError(`${history.api} rate limit was hit; backfilling again after ${new Date(error.retryAt).toISOString()}`, error.retryAt);
      }
      if (error.timedOut) throw new Error(`${history.api} gave no answer within ${history.requestTimeoutMs / 1000}s to ${what} — backfilling again later`, { cause: error });
      throw new Error(`${history.api} could not be reached at ${history.apiUrl} for ${what} (${error.problem}) — backfilling again later`, { cause: error });
    }
  }

  return {
    // Several targets per step, so their requests keep the API's pause between them.
    batchSize: BATCH_SIZE,

    async plan() {
      const tasks: BackfillTask[] = history.targets.map((name) => ({
        key: history.taskKey(name), title: history.title(name), target: name, totalUnits: history.days, estimatedRequests: 1,
      }));
      return { tasks };
    },

    async step(work, ctx) {
      const results = await inTurn(work, history.spacingMs, ctx.signal, async (entry): Promise<BackfillStepResult> => {
        const name = entry.task.target;
        if (!history.targets.includes(name)) return { kind: 'unavailable', reason: `'${name}' is no longer listed under ${history.section}.${history.listKey}` };
        return history.settle(name, await get(name, ctx));
      });
      return { results };
    },
  };
}
