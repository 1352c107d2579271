// Benchmarks record figures here; `npm run bench` prints them as one table at the end.
// Targets are reported beside the figure, never asserted: timing belongs in a benchmark, not a test.
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export interface BenchFigure {
  readonly bench: string;
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** Human-readable target, e.g. "< 20 ms"; omitted where there is none. */
  readonly target?: string;
  /** Whether the figure meets the target (undefined without a target). */
  readonly met?: boolean;
}

export const benchResultsFile = path.resolve(import.meta.dirname, '..', '.tmp', 'bench-results.jsonl');

export function recordBench(figure: BenchFigure): void {
  mkdirSync(path.dirname(benchResultsFile), { recursive: true });
  appendFileSync(benchResultsFile, JSON.stringify(figure) + '\n');
  const target = figure.target ? `  (target ${figure.target}: ${figure.met ? 'met' : 'NOT met'})` : '';
  console.log(`[bench] ${figure.bench} / ${figure.name}: ${figure.value} ${figure.unit}${target}`);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
