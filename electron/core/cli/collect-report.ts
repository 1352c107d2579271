// The table `footprint collect --once` prints: one line per source, then every value.
import type { RunReport } from '../core.js';

/** Rows as columns padded to their widest cell (the first row is the heading). */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ').trimEnd()).join('\n') + '\n';
}

function statusOf(report: RunReport): string {
  if (!report.ok) return 'FAILED';
  return report.complete ? 'ok' : 'PARTIAL';
}

export function formatCollectReport(reports: readonly RunReport[]): string {
  const summary = table([
    ['SOURCE', 'STATUS', 'SERIES', 'TIME', 'PROBLEM'],
    ...reports.map((report) => [
      report.source,
      statusOf(report),
      String(report.samples.length),
      `${(report.durationMs / 1000).toFixed(1)}s`,
      report.error ?? report.errors.map((error) => `${error.target}: ${error.message}`).join('; '),
    ]),
  ]);
  const values = reports.flatMap((report) =>
    [...report.samples]
      .sort((a, b) => a.metric.localeCompare(b.metric) || JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels)))
      .map((sample) => [
        report.source,
        sample.metric,
        Object.entries(sample.labels).filter(([, value]) => value !== '').map(([key, value]) => `${key}=${value}`).join(' '),
        String(sample.value),
      ]));
  if (values.length === 0) return summary;
  return `${summary}\n${table([['SOURCE', 'METRIC', 'LABELS', 'VALUE'], ...values])}`;
}
