// `footprint export` formats: CSV for spreadsheets, JSON for programs (OpenMetrics is
// export-openmetrics.ts). CSV columns, in this order: source, metric, one column per label name
// (the union over the exported series, sorted; empty where a series has no such label), since,
// last_seen, value. Fields holding a comma, a quote or a line break are quoted as RFC 4180 says
// (quotes doubled); lines end in \n.
import type { ExportRow } from '../store/history-store.js';

/** The rows and, for CSV's header, the label names they use (HistoryStore.exportLabelNames). */
export interface ExportData {
  readonly rows: Iterable<ExportRow>;
  readonly labelNames: readonly string[];
}

const LEADING_COLUMNS = ['source', 'metric'] as const;
const TRAILING_COLUMNS = ['since', 'last_seen', 'value'] as const;
const FIXED_COLUMNS: ReadonlySet<string> = new Set([...LEADING_COLUMNS, ...TRAILING_COLUMNS]);

/**
 * A label's column name: the label name, or "label:NAME" for a label named like a fixed column
 * (no Prometheus label name has a colon, so that cannot meet another label).
 */
export function labelColumn(name: string): string {
  return FIXED_COLUMNS.has(name) ? `label:${name}` : name;
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvLine(fields: readonly string[]): string {
  return fields.map(csvField).join(',') + '\n';
}

/** Writes the rows; `write` may wait (a slow reader) or throw (a reader that left), which ends the export. */
export async function writeExport(data: ExportData, format: 'csv' | 'json', write: (chunk: string) => Promise<void> | void): Promise<number> {
  let count = 0;
  if (format === 'csv') {
    const labelNames = [...data.labelNames].sort();
    const known = new Set(labelNames);
    await write(csvLine([...LEADING_COLUMNS, ...labelNames.map(labelColumn), ...TRAILING_COLUMNS]));
    for (const row of data.rows) {
      const unknown = Object.keys(row.labels).find((name) => !known.has(name));
      // A label without a column would be lost from the file without a word.
      if (unknown !== undefined) throw new Error(`export: ${row.metric} has a label "${unknown}" that the CSV header does not list`);
      const labels = labelNames.map((name) => row.labels[name] ?? '');
      await write(csvLine([row.source, row.metric, ...labels, new Date(row.since).toISOString(), new Date(row.lastSeen).toISOString(), String(row.value)]));
      count++;
    }
    return count;
  }
  await write('[');
  for (const row of data.rows) {
    await write((count ? ',\n' : '\n') + JSON.stringify({ since: new Date(row.since).toISOString(), lastSeen: new Date(row.lastSeen).toISOString(), source: row.source, metric: row.metric, labels: row.labels, value: row.value }));
    count++;
  }
  await write(count ? '\n]\n' : ']\n');
  return count;
}
