// Sources whose APIs ask for gentleness (pypistats, crates.io: about one request a second) send one
// request per target, in turn, a pause apart; what every target's poll then shares: a rate limit ends
// the run (RateLimitedError), a target the outage guard stopped is "not asked", and a run in which no
// request got any answer fails as a whole.
import type { Sample } from '../../../../shared/metrics.js';
import type { DatedSample } from '../../backfill/contract.js';
import { RateLimitedError, TargetsFailedError } from '../../source.js';
import type { CollectContext, CollectResult, TargetError } from '../../source.js';
import { withCollectionSignal } from './collection-signal.js';
import { HttpError } from './http-client.js';
import type { HttpAnswer } from './http-client.js';
import { ApiDownError } from './outage-guard.js';
import { sleep } from './sleep.js';

/** Runs `work` over the items one at a time, waiting `spacingMs` between two; results in item order. */
export async function inTurn<Item, Result>(items: readonly Item[], spacingMs: number, signal: AbortSignal, work: (item: Item) => Promise<Result>): Promise<Result[]> {
  const results: Result[] = [];
  for (const [index, item] of items.entries()) {
    if (index > 0 && spacingMs > 0) await sleep(spacingMs, signal);
    results.push(await work(item));
  }
  return results;
}

/** What one target's reply gave: its samples, or why there are none. */
export type TargetOutcome = { readonly samples: readonly Sample[]; readonly dated?: readonly DatedSample[] } | { readonly error: string };

export interface InTurnPoll {
  /** The API's name in messages, e.g. "pypistats.org". */
  readonly api: string;
  /** The config section, for hints ("check pypi.apiUrl"). */
  readonly section: string;
  readonly apiUrl: string;
  /** Targets as configured; `target` is the TargetError's name for one (e.g. "package:NAME"). */
  readonly targets: readonly string[];
  readonly target: (name: string) => string;
  readonly spacingMs: number;
  /** The one request of a target, with the run's client. */
  readonly send: (name: string, signal: AbortSignal, counted: CollectContext) => Promise<HttpAnswer>;
  /** The target's samples from its answer (any status). */
  readonly read: (name: string, answer: HttpAnswer) => TargetOutcome;
}

export async function collectInTurn(poll: InTurnPoll, ctx: CollectContext): Promise<CollectResult> {
  let answers = 0;
  let lastNetworkProblem: { problem: string; timedOut: boolean } | null = null;
  const counted: CollectContext = {
    ...ctx,
    countRequest: (status) => {
      if (status !== 'error') answers++;
      ctx.countRequest(status);
    },
  };
  const outcomes = await withCollectionSignal(ctx.signal, (controller) =>
    inTurn(poll.targets, poll.spacingMs, controller.signal, async (name): Promise<TargetOutcome> => {
      try {
        return poll.read(name, await poll.send(name, controller.signal, counted));
      } catch (error) {
        if (error instanceof ApiDownError) return { error: `'${name}' was not asked: ${error.message}` };
        if (!(error instanceof HttpError)) throw error;
        if (error.retryAt !== null) {
          throw new RateLimitedError(`${poll.api} rate limit was hit; collecting again after ${new Date(error.retryAt).toISOString()}`, error.retryAt);
        }
        const problem = error.timedOut ? error.message : error.problem;
        lastNetworkProblem = { problem, timedOut: error.timedOut };
        const reason = error.timedOut ? `${problem} for '${name}'` : `could not reach ${poll.api} for '${name}' (${problem})`;
        return { error: `${reason} — collecting again next time` };
      }
    }),
  );
  const samples: Sample[] = [];
  const dated: DatedSample[] = [];
  const errors: TargetError[] = [];
  let collected = 0;
  poll.targets.forEach((name, index) => {
    const outcome = outcomes[index]!;
    if ('error' in outcome) return void errors.push({ target: poll.target(name), message: outcome.error });
    collected++;
    samples.push(...outcome.samples);
    dated.push(...(outcome.dated ?? []));
  });
  const network = lastNetworkProblem as { problem: string; timedOut: boolean } | null;
  if (answers === 0 && network !== null) {
    throw new TargetsFailedError(
      network.timedOut
        ? `${network.problem} at ${poll.apiUrl} — check ${poll.section}.apiUrl and the network, or raise ${poll.section}.timeout`
        : `${poll.api} could not be reached at ${poll.apiUrl} (${network.problem}) — check ${poll.section}.apiUrl and the network`,
      errors,
    );
  }
  return dated.length > 0 ? { samples, dated, errors, collected } : { samples, errors, collected };
}
