// What the benches that drive a real `footprint serve` child process share: plain HTTP requests whose
// answers are counted and dropped, the server's memory from /proc, and the largest read requests the
// API allows (range and changes over up to READ_LIMITS.seriesPerRequest series).
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { READ_LIMITS, type LatestSeries } from '../../shared/api.js';

export const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

export interface Answer { readonly status: number; readonly bytes: number; readonly ms: number }

/** One request; the answer is read and dropped (parsing it here would stall this process's own measurements). */
export function request(url: string, init: { method?: string; body?: string } = {}): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const outgoing = http.request(url, {
      method: init.method ?? 'GET',
      agent,
      headers: init.body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(init.body) },
    }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => { bytes += chunk.length; });
      response.on('end', () => resolve({ status: response.statusCode!, bytes, ms: performance.now() - started }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(init.body);
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const round = (value: number, digits = 2) => Number(value.toFixed(digits));

/** Resident memory of a process, from /proc (Linux). */
export function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? round(Number(match[1]) / 1024, 1) : Number.NaN;
}

/** The series /api/latest lists for a source. */
export async function latestSeries(url: string, source: string): Promise<LatestSeries[]> {
  const response = await fetch(`${url}/api/latest?q=${encodeURIComponent(JSON.stringify({ source }))}`);
  return (await response.json()) as LatestSeries[];
}

export interface HeavyReads {
  /** The series the requests read (at most READ_LIMITS.seriesPerRequest). */
  readonly ids: readonly number[];
  readonly windows: readonly number[];
  /** POST bodies of the largest allowed /api/range and /api/changes requests over `spanMs` up to `end`. */
  readonly rangeBody: string;
  readonly changesBody: string;
}

export function heavyReads(series: readonly LatestSeries[], end: number, spanMs: number, windowStepMs: number): HeavyReads {
  const ids = series.map((item) => item.id).slice(0, READ_LIMITS.seriesPerRequest);
  const windows = Array.from({ length: READ_LIMITS.changeWindows }, (_, index) => (index + 1) * windowStepMs);
  return {
    ids,
    windows,
    rangeBody: JSON.stringify({ args: [{ series: ids, start: end - spanMs, end, points: Math.floor(READ_LIMITS.rangeValues / ids.length) }] }),
    changesBody: JSON.stringify({ args: [ids, windows] }),
  };
}
