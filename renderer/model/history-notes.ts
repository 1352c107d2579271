// What a chart holds of the past, said beside it: a charted metric whose source cannot read its past
// back (Docker Hub pulls, GitHub release downloads) starts at Footprint's first poll, and the chart says
// so with the source's own note rather than leaving the user to guess why the line is short.
import type { SourceInfo } from '../../shared/api.js';

export interface HistoryNote {
  readonly source: string;
  readonly note: string;
}

/** One note per source of which some charted metric is not read back; in the order the metrics come. */
export function historyNotes(sources: readonly SourceInfo[], metrics: readonly (string | null)[]): HistoryNote[] {
  const notes: HistoryNote[] = [];
  for (const metric of metrics) {
    if (metric === null) continue;
    const source = sources.find((candidate) => candidate.metrics.some((def) => def.name === metric));
    const history = source?.ui?.history;
    if (!source || !history || history.backfilled.includes(metric)) continue;
    if (!notes.some((note) => note.source === source.id)) notes.push({ source: source.id, note: history.note });
  }
  return notes;
}
