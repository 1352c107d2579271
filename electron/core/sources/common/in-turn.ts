// Sources whose APIs ask for gentleness (pypistats, crates.io: about one request a second) send one
// request per target, in turn, a pause apart; what every target's poll then shares: a rate limit ends
// the run (RateLimitedError), a target the outage guard stopped is "not asked", and a run in which no
// request got any answer fails as a whole.
import type { Sample } from '../../../../shared/metrics.js';
import type { DatedSample } from '../../backfill/contract.js';
import type { CollectContext, CollectResult, TargetError } from '../../source.js';
import { AnswerTally } from './answer-tally.js';
import { withCollectionSignal } from './collection-signal.js';
import type { HttpAnswer } from './http-client.js';
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
  const tally = new AnswerTally(ctx, poll.api);
  const outcomes = await withCollectionSignal(ctx.signal, (controller) =>
    inTurn(poll.targets, poll.spacingMs, controller.signal, async (name): Promise<TargetOutcome> => {
      try {
        return poll.read(name, await poll.send(name, controller.signal, tally.ctx));
      } catch (error) {
        return { error: tally.reason(error)(name) };
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
  tally.throwIfUnreachable(poll.apiUrl, poll.section, errors);
  return dated.length > 0 ? { samples, dated, errors, collected } : { samples, errors, collected };
}
