// How dated samples (a value at a time of its own: backfilled history, daily downloads) merge into a
// series' change-only runs. A run [tFirst, tLast] says the series held `value` from tFirst through
// tLast, as polls store it; between runs the last value carries on. A dated sample
// - inside a run of the same value changes nothing (so merging the same samples again changes nothing);
// - inside a run of another value revises that instant: the run is split around it ([tFirst, t-1],
//   [t, t], [t+1, tLast]), as the run held its value on both sides;
// - between runs starts a run [t, t], which joins a neighbour of the same value (and both
//   neighbours, when they then hold one value).
// So every sample's latest value is what the series holds at its time, whatever the order the
// samples came in, and adjacent runs always hold different values.

export interface Run {
  readonly tFirst: number;
  readonly tLast: number;
  readonly value: number;
}

interface OpenRun {
  tFirst: number;
  tLast: number;
  value: number;
}

/** Index of the last run starting at or before `time`, or -1. */
function lastStartingBy(runs: readonly OpenRun[], time: number): number {
  let low = 0;
  let high = runs.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (runs[middle]!.tFirst <= time) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

/** Joins the run at `index` with its neighbours where they hold the same value. */
function joinNeighbours(runs: OpenRun[], index: number): void {
  const run = runs[index]!;
  const next = runs[index + 1];
  if (next !== undefined && next.value === run.value) {
    run.tLast = next.tLast;
    runs.splice(index + 1, 1);
  }
  const previous = runs[index - 1];
  if (previous !== undefined && previous.value === run.value) {
    previous.tLast = run.tLast;
    runs.splice(index, 1);
  }
}

function mergeOne(runs: OpenRun[], time: number, value: number): void {
  const index = lastStartingBy(runs, time);
  const around = index >= 0 && runs[index]!.tLast >= time ? runs[index]! : null;
  if (around === null) {
    runs.splice(index + 1, 0, { tFirst: time, tLast: time, value });
    joinNeighbours(runs, index + 1);
    return;
  }
  if (around.value === value) return;
  const parts: OpenRun[] = [];
  if (time > around.tFirst) parts.push({ tFirst: around.tFirst, tLast: time - 1, value: around.value });
  const at = index + parts.length;
  parts.push({ tFirst: time, tLast: time, value });
  if (time < around.tLast) parts.push({ tFirst: time + 1, tLast: around.tLast, value: around.value });
  runs.splice(index, 1, ...parts);
  joinNeighbours(runs, at);
}

/**
 * Merges dated samples (time → value) into a contiguous stretch of a series' runs, oldest first.
 * The stretch must reach from the newest run that starts before the first sample to the first run
 * that starts after the last one, so the runs outside it keep their boundaries. Returns the new runs.
 */
export function mergeDated(runs: readonly Run[], dated: ReadonlyMap<number, number>): Run[] {
  const merged: OpenRun[] = runs.map((run) => ({ ...run }));
  for (const [time, value] of [...dated].sort((a, b) => a[0] - b[0])) mergeOne(merged, time, value);
  return merged;
}

export function sameRuns(a: readonly Run[], b: readonly Run[]): boolean {
  return a.length === b.length && a.every((run, index) => run.tFirst === b[index]!.tFirst && run.tLast === b[index]!.tLast && run.value === b[index]!.value);
}
