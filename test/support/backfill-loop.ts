// Drives a source's Backfiller the way the backfill runner does: batches of up to `batchSize` tasks,
// each task's cursor carried from step to step, a task leaving its batch once it completes, becomes
// unavailable or fails (the runner retries failures later; tests want to see them), the next task
// taking its place.
import type { ApiBudget, Backfiller, BackfillTask, DatedSample, HistoryMarker } from '../../electron/core/backfill/contract.js';
import type { CollectContext } from '../../electron/core/source.js';

export type TaskEnd = { readonly kind: 'complete' } | { readonly kind: 'unavailable'; readonly reason: string } | { readonly kind: 'failed'; readonly error: string };

export interface BackfillRun {
  /** Samples and markers per task key, in the order the steps returned them. */
  readonly samples: Map<string, DatedSample[]>;
  readonly markers: Map<string, HistoryMarker[]>;
  /** How each task ended; absent for a task still under way when the run stopped. */
  readonly ends: Map<string, TaskEnd>;
  /** The cursor of every task still under way (what the runner would have saved). */
  readonly cursors: Map<string, string>;
  /** doneUnits / totalUnits each task last reported. */
  readonly progress: Map<string, { doneUnits: number; totalUnits: number | null }>;
  readonly budgets: ApiBudget[];
  steps: number;
}

export interface RunOptions {
  /** Saved cursors to resume from (a restart). */
  readonly cursors?: ReadonlyMap<string, string>;
  /** Stop after this many steps, leaving the rest under way. */
  readonly maxSteps?: number;
}

export async function runBackfill(backfiller: Backfiller, tasks: readonly BackfillTask[], ctx: CollectContext, options: RunOptions = {}): Promise<BackfillRun> {
  const run: BackfillRun = { samples: new Map(), markers: new Map(), ends: new Map(), cursors: new Map(options.cursors ?? []), progress: new Map(), budgets: [], steps: 0 };
  const queue = [...tasks];
  const active: BackfillTask[] = [];
  const batchSize = backfiller.batchSize ?? 1;
  for (;;) {
    while (active.length < batchSize && queue.length > 0) active.push(queue.shift()!);
    if (active.length === 0 || (options.maxSteps !== undefined && run.steps >= options.maxSteps)) return run;
    const step = await backfiller.step(
      active.map((task) => ({ task, cursor: run.cursors.get(task.key) ?? null })),
      ctx,
    );
    run.steps += 1;
    if (step.budget) run.budgets.push(step.budget);
    if (step.results.length !== active.length) throw new Error(`step answered ${step.results.length} results for ${active.length} tasks`);
    const finished = new Set<BackfillTask>();
    step.results.forEach((result, index) => {
      const task = active[index]!;
      if (result.kind === 'progress') {
        run.samples.set(task.key, [...(run.samples.get(task.key) ?? []), ...result.samples]);
        run.markers.set(task.key, [...(run.markers.get(task.key) ?? []), ...(result.markers ?? [])]);
        run.progress.set(task.key, { doneUnits: result.doneUnits, totalUnits: result.totalUnits });
        if (result.cursor === null) {
          run.cursors.delete(task.key);
          run.ends.set(task.key, { kind: 'complete' });
          finished.add(task);
        } else {
          run.cursors.set(task.key, result.cursor);
        }
      } else {
        run.ends.set(task.key, result.kind === 'unavailable' ? { kind: 'unavailable', reason: result.reason } : { kind: 'failed', error: result.error });
        run.cursors.delete(task.key);
        finished.add(task);
      }
    });
    for (let index = active.length - 1; index >= 0; index--) if (finished.has(active[index]!)) active.splice(index, 1);
  }
}
