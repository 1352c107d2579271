// A configured source whose collecting code is loaded at its first use. The registry lists every
// source module, and what validation, Settings and the metrics reference need of one (its schema,
// metric catalogue and form: `module.ts` in each source's folder) is small; its collectors, API
// clients and backfillers are not (all six cost ~13 MB of RSS in an idle `footprint serve`,
// bench/memory.bench.ts). Each module's `create()` returns this stand-in, which loads the source's
// `index.ts` when the scheduler first runs it: a source that is not configured is never loaded.
import type { Backfiller } from '../../backfill/contract.js';
import type { CollectContext, Source } from '../../source.js';

/** What the scheduler reads of a source before running it; the loaded source must say the same. */
export interface SourceFacts {
  readonly id: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Whether the source reads its past (offers a Backfiller). */
  readonly backfill: boolean;
  /** Whether it offers `describeConnection` (Test connection's sentence). */
  readonly describesConnection?: boolean;
}

export function deferredSource(facts: SourceFacts, load: () => Promise<Source>): Source {
  let loading: Promise<Source> | undefined;
  let loaded: Source | undefined;
  const real = (): Promise<Source> => {
    loading ??= load().then(
      (source) => {
        const mismatch = mismatchOf(facts, source);
        if (mismatch) throw new Error(`the ${facts.id} source's module says ${mismatch}`);
        loaded = source;
        return source;
      },
      (error: unknown) => {
        loading = undefined; // tried again at the next run
        throw error;
      },
    );
    return loading;
  };
  const backfill: Backfiller | undefined = facts.backfill
    ? {
        // Read by the backfill runner only after plan(), so the source is loaded by then.
        get batchSize() {
          return loaded?.backfill?.batchSize;
        },
        plan: async (ctx) => (await real()).backfill!.plan(ctx),
        step: async (work, ctx) => (await real()).backfill!.step(work, ctx),
      }
    : undefined;
  return {
    id: facts.id,
    intervalMs: facts.intervalMs,
    timeoutMs: facts.timeoutMs,
    collect: async (ctx: CollectContext) => (await real()).collect(ctx),
    ...(backfill ? { backfill } : {}),
    ...(facts.describesConnection ? { describeConnection: async (ctx: CollectContext) => (await real()).describeConnection!(ctx) } : {}),
  };
}

/** How the loaded source differs from the facts its module gave, or null. */
export function mismatchOf(facts: SourceFacts, source: Source): string | null {
  const said: [string, unknown, unknown][] = [
    ['id', facts.id, source.id],
    ['intervalMs', facts.intervalMs, source.intervalMs],
    ['timeoutMs', facts.timeoutMs, source.timeoutMs],
    ['backfill', facts.backfill, source.backfill !== undefined],
    ['describesConnection', facts.describesConnection ?? false, source.describeConnection !== undefined],
  ];
  const wrong = said.find(([, fact, actual]) => fact !== actual);
  return wrong ? `${wrong[0]} is ${String(wrong[1])} where the source has ${String(wrong[2])}` : null;
}
