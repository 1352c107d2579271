// `footprint export` formats. CSV keeps labels as one JSON column so any label set round-trips.
import type { ExportRow } from '../store/history-store.js';

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Writes the rows; `write` may wait (a slow reader) or throw (a reader that left), which ends the export. */
export async function writeExport(rows: Iterable<ExportRow>, format: 'csv' | 'json', write: (chunk: string) => Promise<void> | void): Promise<number> {
  let count = 0;
  if (format === 'csv') {
    await write('since,last_seen,source,metric,labels,value\n');
    for (const row of rows) {
      await write([new Date(row.since).toISOString(), new Date(row.lastSeen).toISOString(), row.source, row.metric, JSON.stringify(row.labels), String(row.value)].map(csvField).join(',') + '\n');
      count++;
    }
    return count;
  }
  await write('[');
  for (const row of rows) {
    await write((count ? ',\n' : '\n') + JSON.stringify({ since: new Date(row.since).toISOString(), lastSeen: new Date(row.lastSeen).toISOString(), source: row.source, metric: row.metric, labels: row.labels, value: row.value }));
    count++;
  }
  await write(count ? '\n]\n' : ']\n');
  return count;
}
