// `footprint export --format csv`: one column per label, in a stable order, quoted so a spreadsheet
// (or any RFC 4180 reader) gets back exactly what was stored.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { labelColumn, writeExport } from '../../electron/core/cli/export-format.js';
import { HistoryStore } from '../../electron/core/store/history-store.js';

/** An RFC 4180 reader: fields split on commas, "quoted" fields may hold commas, "" and line breaks. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') { record.push(field); field = ''; }
    else if (char === '\n') { record.push(field); records.push(record); record = []; field = ''; }
    else field += char;
  }
  expect(field === '' && record.length === 0 && !quoted, 'the text ends with a whole record').toBe(true);
  return records;
}

const T0 = Date.UTC(2026, 0, 1);
let store: HistoryStore;

beforeEach(() => {
  store = HistoryStore.open(':memory:');
});

afterEach(() => {
  store.close();
});

async function csv(options: { since?: number } = {}): Promise<string[][]> {
  let text = '';
  await writeExport({ rows: store.exportRows(options), labelNames: store.exportLabelNames(options) }, 'csv', (chunk) => void (text += chunk));
  return parseCsv(text);
}

describe('CSV export', () => {
  it('has source, metric, the union of label names sorted, then since, last_seen, value; empty where a series lacks a label', async () => {
    store.ingest('github', [{ metric: 'github_repo_stars', labels: { repo: 'rocket', owner: 'acme' }, value: 42 }], T0);
    store.ingest('npm', [{ metric: 'npm_package_downloads', labels: { package: 'left-pad', period: 'week' }, value: 7 }], T0);
    const [header, ...rows] = await csv();
    expect(header).toEqual(['source', 'metric', 'owner', 'package', 'period', 'repo', 'since', 'last_seen', 'value']);
    expect(rows).toEqual([
      ['github', 'github_repo_stars', 'acme', '', '', 'rocket', new Date(T0).toISOString(), new Date(T0).toISOString(), '42'],
      ['npm', 'npm_package_downloads', '', 'left-pad', 'week', '', new Date(T0).toISOString(), new Date(T0).toISOString(), '7'],
    ]);
  });

  it('quotes commas, quotes and line breaks in label values so they read back exactly', async () => {
    const awkward = { path: '/a,b/"quoted"/', referrer: 'line one\nline two\r\nthree', repo: 'plain' };
    store.ingest('github', [{ metric: 'github_repo_traffic_path_views', labels: awkward, value: 3 }], T0);
    const [header, row] = await csv();
    expect(header).toEqual(['source', 'metric', 'path', 'referrer', 'repo', 'since', 'last_seen', 'value']);
    expect(row!.slice(2, 5)).toEqual([awkward.path, awkward.referrer, awkward.repo]);
    expect(row![7]).toBe('3');
  });

  it('lists only the labels of the series it exports (--since)', async () => {
    store.ingest('npm', [{ metric: 'npm_package_downloads', labels: { package: 'old' }, value: 1 }], T0);
    store.ingest('github', [{ metric: 'github_repo_stars', labels: { repo: 'rocket' }, value: 2 }], T0 + 10_000);
    const [header, ...rows] = await csv({ since: T0 + 5_000 });
    expect(header).toEqual(['source', 'metric', 'repo', 'since', 'last_seen', 'value']);
    expect(rows.map((row) => row[2])).toEqual(['rocket']);
  });

  it('names a label that is called like a fixed column "label:NAME", so no two columns share a name', async () => {
    expect(labelColumn('repo')).toBe('repo');
    store.ingest('ga4', [{ metric: 'ga4_sessions', labels: { source: 'google', value: 'x' }, value: 5 }], T0);
    const [header, row] = await csv();
    expect(header).toEqual(['source', 'metric', 'label:source', 'label:value', 'since', 'last_seen', 'value']);
    expect(row).toEqual(['ga4', 'ga4_sessions', 'google', 'x', new Date(T0).toISOString(), new Date(T0).toISOString(), '5']);
  });

  it('refuses a row with a label the header does not list, rather than dropping it', async () => {
    const rows = [{ source: 'github', metric: 'github_repo_stars', labels: { repo: 'rocket' }, value: 1, since: T0, lastSeen: T0 }];
    await expect(writeExport({ rows, labelNames: [] }, 'csv', () => {})).rejects.toThrow('export: github_repo_stars has a label "repo" that the CSV header does not list');
  });
});
