// The core answers at most READ_LIMITS per range or changes request (shared/api.ts). The Overview asks
// for every headline series at once (two per repository: 20,000 at 10,000 repositories), so both
// clients split such asks into requests within the limits, one after the other, and join the answers.
import { READ_LIMITS, type FootprintApi, type RangeRequest, type RangeResult, type SeriesChanges } from '../../shared/api.js';

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let index = 0; index < items.length; index += size) result.push(items.slice(index, index + size));
  return result;
}

/** range() in as many requests as the series need; the answer lists each series once, in the order asked. */
export async function rangeInBatches(range: FootprintApi['range'], request: RangeRequest): Promise<RangeResult> {
  const ids = [...new Set(request.series)];
  // Points out of bounds: one request, so the core's answer says what is wrong.
  const perRequest = Number.isInteger(request.points) && request.points >= 2 && request.points <= READ_LIMITS.rangePoints
    ? Math.min(READ_LIMITS.seriesPerRequest, Math.floor(READ_LIMITS.rangeValues / request.points))
    : Infinity;
  if (ids.length <= perRequest) return range(request);
  const series: RangeResult['series'][number][] = [];
  for (const batch of chunks(ids, perRequest)) series.push(...(await range({ ...request, series: batch })).series);
  return { series };
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
