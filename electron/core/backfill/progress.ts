// A source's backfill progress as people see it (dashboard, `footprint backfill`): tasks and units
// done of all, requests spent, what could not be read and why, and the time left at the recent rate.
import type { BackfillProblem, BackfillProgress, BackfillState } from '../../../shared/api.js';
import type { StoredBackfillTask } from '../store/history-store.js';

/** Problems listed per source; the rest are counted. */
export const MAX_LISTED_PROBLEMS = 50;
/** The rate behind the time left: units done over at most this recent span… */
const RATE_SPAN_MS = 30 * 60_000;
/** …and at most this many recent steps. */
const RATE_SAMPLES = 30;

/** Units done over time, for the time left. */
export class RateTracker {
  #samples: { time: number; units: number }[] = [];

  record(time: number, units: number): void {
    const last = this.#samples.at(-1);
    // Fewer units than before (a re-run, tasks no longer planned): the rate starts over.
    if (last !== undefined && units < last.units) this.#samples = [];
    this.#samples.push({ time, units });
    while (this.#samples.length > RATE_SAMPLES || (this.#samples.length > 2 && time - this.#samples[0]!.time > RATE_SPAN_MS)) this.#samples.shift();
  }

  /** Milliseconds to do `units` more at the recent rate; null without a rate yet. */
  timeFor(units: number): number | null {
    if (units <= 0) return 0;
    const first = this.#samples[0];
    const last = this.#samples.at(-1);
    if (first === undefined || last === undefined || last.time <= first.time || last.units <= first.units) return null;
    return Math.round((units * (last.time - first.time)) / (last.units - first.units));
  }

  reset(): void {
    this.#samples = [];
  }
}

const isFinal = (task: StoredBackfillTask) => task.state === 'done' || task.state === 'unavailable';

/** Units done and in all over the tasks; the total is null while an unfinished task's size is unknown. */
export function unitsOf(tasks: readonly StoredBackfillTask[]): { done: number; total: number | null; left: number | null } {
  let done = 0;
  let total: number | null = 0;
  for (const task of tasks) {
    done += task.doneUnits;
    // A finished task is as big as what it read; an unavailable one will read no more.
    if (isFinal(task)) total = total === null ? null : total + task.doneUnits;
    else if (task.totalUnits === null) total = null;
    else if (total !== null) total += Math.max(task.totalUnits, task.doneUnits);
  }
  return { done, total, left: total === null ? null : Math.max(0, total - done) };
}

export interface ProgressState {
  readonly source: string;
  readonly title: string;
  readonly state: BackfillState;
  readonly paused: boolean;
  readonly message: string | null;
  readonly resumeAt: number | null;
}

/** The progress of one source from its stored tasks (only the planned ones count). */
export function summarizeProgress(status: ProgressState, stored: readonly StoredBackfillTask[], rate: RateTracker): BackfillProgress {
  const planned = stored.filter((task) => task.planned);
  const problems: BackfillProblem[] = [];
  let problemCount = 0;
  for (const task of planned) {
    if (task.state !== 'unavailable' && task.state !== 'failed') continue;
    problemCount++;
    if (problems.length < MAX_LISTED_PROBLEMS) {
      problems.push({ task: task.key, title: task.title, target: task.target, state: task.state, reason: task.reason ?? '', retryAt: task.state === 'failed' ? task.retryAt : null });
    }
  }
  const units = unitsOf(planned);
  return {
    ...status,
    tasks: {
      total: planned.length,
      done: planned.filter((task) => task.state === 'done').length,
      unavailable: planned.filter((task) => task.state === 'unavailable').length,
      failed: planned.filter((task) => task.state === 'failed').length,
    },
    units: { done: units.done, total: units.total },
    requests: stored.reduce((sum, task) => sum + task.requests, 0),
    etaMs: status.state === 'done' || units.left === null ? null : rate.timeFor(units.left),
    problems,
    moreProblems: problemCount - problems.length,
  };
}
