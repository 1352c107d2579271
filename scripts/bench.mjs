// `npm run bench`: runs bench/*.bench.ts (Vitest project "bench") and prints every recorded figure.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const results = path.join(root, '.tmp', 'bench-results.jsonl');
rmSync(results, { force: true });
const files = process.argv.slice(2);
const run = spawnSync(path.join(root, 'node_modules', '.bin', 'vitest'), ['run', '--project', 'bench', ...files], { cwd: root, stdio: 'inherit' });
if (!existsSync(results)) {
  console.error('No benchmark figures were recorded.');
  process.exit(run.status || 1);
}
const figures = readFileSync(results, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
console.log('\nBenchmark figures');
const rows = [['bench', 'figure', 'value', 'target', 'met'], ...figures.map((f) => [f.bench, f.name, `${f.value} ${f.unit}`, f.target ?? '', f.target ? (f.met ? 'yes' : 'NO') : ''])];
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd());
process.exitCode = run.status ?? 1;
