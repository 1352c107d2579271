// Sums of groups of series on range()'s shared time grid (FootprintApi.rangeSums): computed by the core
// from its range answer, and joined by the clients when one ask is split into requests within READ_LIMITS.
import type { RangeResult, RangeSumsResult } from './api.js';

/** Adds a value to a sum that is null until some series has a value. */
function add(sum: number | null, value: number | null | undefined): number | null {
  return value === null || value === undefined ? sum : (sum ?? 0) + value;
}

/** The sum of each group's series in a range answer, at each time of its grid. */
export function sumRange(range: RangeResult, groups: readonly (readonly number[])[]): RangeSumsResult {
  const byId = new Map(range.series.map((series) => [series.id, series]));
  const times = range.series[0]?.times ?? [];
  const sums = groups.map((group) => {
    const members = [...new Set(group)].map((id) => byId.get(id)).filter((series) => series !== undefined);
    return times.map((_, index) => members.reduce<number | null>((sum, series) => add(sum, series.values[index]), null));
  });
  return { times, sums };
}

/** Sums of the same groups over disjoint parts of their series, on the same grid, added up. */
export function addRangeSums(parts: readonly RangeSumsResult[], groups: number): RangeSumsResult {
  const times = parts.find((part) => part.times.length > 0)?.times ?? [];
  const sums = Array.from({ length: groups }, (_, group) =>
    times.map((_, index) => parts.reduce<number | null>((sum, part) => add(sum, part.sums[group]?.[index]), null)));
  return { times, sums };
}
