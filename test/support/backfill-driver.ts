// Drives a source's Backfiller the way the backfill runner does, for tests of one source: plan, then
// steps in batches until every task's cursor is null (or a step budget runs out), keeping each task's
// cursor and merging dated samples per series and time (a later value of the same day wins).
import type { BackfillStepResult, BackfillTask, Backfiller, DatedSample } from '../../electron/core/backfill/contract.js';
import type { CollectContext } from '../../electron/core/source.js';

export interface DriverState {
  readonly tasks: BackfillTask[];
  /** Cursor per task key; absent before the first step, null when complete. */
  readonly cursors: Map<string, string | null>;
  /** Dated samples by `metric{labels}@time`. */
  readonly samples: Map<string, DatedSample>;
  /** Every result, per task key, in order. */
  readonly results: Map<string, BackfillStepResult[]>;
  steps: number;
}

const DAY_MS = 86_400_000;

/** The day number (days since 1970-01-01) of "YYYY-MM-DD": test data is written in dates, walked in numbers. */
export function day(isoDay: string): number {
  return Date.parse(`${isoDay}T00:00:00Z`) / DAY_MS;
}

export function iso(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

export { collectContext as backfillContext } from './collect-context.js';

export function sampleKey(sample: Pick<DatedSample, 'metric' | 'labels' | 'time'>): string {
  const labels = Object.entries(sample.labels).sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => `${key}=${value}`).join(',');
  return `${sample.metric}{${labels}}@${new Date(sample.time).toISOString()}`;
}

export async function planState(backfiller: Backfiller, ctx: CollectContext): Promise<DriverState> {
  const { tasks } = await backfiller.plan(ctx);
  return { tasks, cursors: new Map(), samples: new Map(), results: new Map(), steps: 0 };
}

function isOpen(state: DriverState, task: BackfillTask): boolean {
  const cursor = state.cursors.get(task.key);
  const last = state.results.get(task.key)?.at(-1);
  return cursor !== null && last?.kind !== 'unavailable';
}

/** Runs steps until no task is open or `maxSteps` steps ran; returns the state (also changed in place). */
export async function drive(backfiller: Backfiller, state: DriverState, ctx: CollectContext, maxSteps = 1_000): Promise<DriverState> {
  const batch = backfiller.batchSize ?? 1;
  for (let step = 0; step < maxSteps; step++) {
    const open = state.tasks.filter((task) => isOpen(state, task)).slice(0, batch);
    if (open.length === 0) break;
    const { results } = await backfiller.step(open.map((task) => ({ task, cursor: state.cursors.get(task.key) ?? null })), ctx);
    state.steps++;
    open.forEach((task, index) => {
      const result = results[index]!;
      state.results.set(task.key, [...(state.results.get(task.key) ?? []), result]);
      if (result.kind === 'progress') {
        for (const sample of result.samples) state.samples.set(sampleKey(sample), sample);
        state.cursors.set(task.key, result.cursor);
      }
      if (result.kind === 'failed') throw new Error(`task ${task.key} failed: ${result.error}`);
    });
  }
  return state;
}

/** The merged samples as plain rows, sorted, for comparing whole histories. */
export function historyRows(state: DriverState): string[] {
  return [...state.samples.values()].map((sample) => `${sampleKey(sample)} ${sample.value}`).sort();
}
