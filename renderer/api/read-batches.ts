// The core answers at most READ_LIMITS per range or changes request (shared/api.ts). The Overview asks
// for every headline series at once (two per repository: 20,000 at 10,000 repositories), so both
// clients split such asks into requests within the limits, one after the other, and join the answers.
import { READ_LIMITS, type FootprintApi, type RangeRequest, type RangeResult, type RangeSumsRequest, type RangeSumsResult, type SeriesChanges } from '../../shared/api.js';
import { addRangeSums } from '../../shared/range-sums.js';

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let index = 0; index < items.length; index += size) result.push(items.slice(index, index + size));
  return result;
}

/** range() in as many requests as the series need; the answer lists each series once, in the order asked. */
export async function rangeInBatches(range: FootprintApi['range'], request: RangeRequest): Promise<RangeResult> {
  const ids = [...new Set(request.series)];
  // Points out of bounds: one request, so the core's answer says what is wrong.
  const perRequest = seriesPerRangeRequest(request.points);
  if (ids.length <= perRequest) return range(request);
  const series: RangeResult['series'][number][] = [];
  for (const batch of chunks(ids, perRequest)) series.push(...(await range({ ...request, series: batch })).series);
  return { series };
}

/** Series per range request of `points` points within the limits; Infinity when points are out of bounds (one request, so the core's answer says what is wrong). */
function seriesPerRangeRequest(points: number): number {
  return Number.isInteger(points) && points >= 2 && points <= READ_LIMITS.rangePoints
    ? Math.min(READ_LIMITS.seriesPerRequest, Math.floor(READ_LIMITS.rangeValues / points))
    : Infinity;
}

/**
 * rangeSums() in as many requests as the series need: each request sums a part of every group's
 * distinct series, and the parts' sums are added up (a sum is null only where no part had a value).
 */
export async function rangeSumsInBatches(rangeSums: FootprintApi['rangeSums'], request: RangeSumsRequest): Promise<RangeSumsResult> {
  const groups = request.groups.map((group) => [...new Set(group)]);
  const perRequest = seriesPerRangeRequest(request.points);
  if (new Set(groups.flat()).size <= perRequest && groups.length <= READ_LIMITS.seriesPerRequest) return rangeSums(request);
  // Each request carries non-empty pieces of groups (so never more groups than ids); a series in two groups is sampled in each.
  const parts: RangeSumsResult[] = [];
  let pieces = new Map<number, number[]>();
  let size = 0;
  const flush = async () => {
    if (size === 0) return;
    const asked = [...pieces.entries()];
    const answer = await rangeSums({ ...request, groups: asked.map(([, ids]) => ids) });
    // Back in the order of all groups, so the parts add up group by group.
    const sums: (readonly (number | null)[])[] = groups.map(() => []);
    asked.forEach(([group], index) => (sums[group] = answer.sums[index] ?? []));
    parts.push({ times: answer.times, sums });
    pieces = new Map();
    size = 0;
  };
  for (const [index, group] of groups.entries()) {
    for (const id of group) {
      if (size >= perRequest) await flush();
      const piece = pieces.get(index);
      if (piece) piece.push(id);
      else pieces.set(index, [id]);
      size += 1;
    }
  }
  await flush();
  return addRangeSums(parts, groups.length);
}

/** changes() in as many requests as the series and windows need; the answer lists each series once, its windows in the order asked. */
export async function changesInBatches(changes: FootprintApi['changes'], series: readonly number[], windowsMs: readonly number[]): Promise<SeriesChanges[]> {
  const ids = [...new Set(series)];
  const windows = [...new Set(windowsMs)];
  if (ids.length <= READ_LIMITS.seriesPerRequest && windows.length <= READ_LIMITS.changeWindows) return changes(series, windowsMs);
  const merged = new Map<number, { id: number; latest: number; changes: SeriesChanges['changes'][number][] }>();
  for (const windowBatch of chunks(windows, READ_LIMITS.changeWindows)) {
    for (const idBatch of chunks(ids, READ_LIMITS.seriesPerRequest)) {
      for (const answer of await changes(idBatch, windowBatch)) {
        const known = merged.get(answer.id);
        if (known) known.changes.push(...answer.changes);
        else merged.set(answer.id, { id: answer.id, latest: answer.latest, changes: [...answer.changes] });
      }
    }
  }
  return [...merged.values()];
}
