// Synthetic Footprint-like history: N series of slowly growing counts (stars/pulls-like), sampled
// every STEP seconds for DAYS days. Copied from the generator
// (../shared/bench/footprint-like-history.mjs, issue 15), which writes it as OpenMetrics for
// `promtool tsdb create-blocks-from openmetrics` (Prometheus' 15.26 MB). The random sequence and
// the values are the same; here they come back as arrays so the store bench can ingest them one
// poll at a time. `node --import ./scripts/ts-register.mjs bench/support/footprint-like-history.ts
// 1000 30 300 om.txt` still writes the OpenMetrics file.
import fs from 'node:fs';

export interface FootprintLikeHistory {
  /** Epoch seconds of the first sample; samples are every `step` seconds. */
  readonly start: number;
  readonly step: number;
  /** Samples per series. */
  readonly times: number;
  readonly labels: { repo: string; user: string }[];
  /** values[series][sample]. */
  readonly values: Int32Array[];
  readonly samples: number;
  /** Value changes, counting each series' first sample (what a change-only store must keep). */
  readonly changes: number;
}

export function footprintLikeHistory(series = 1000, days = 30, step = 300): FootprintLikeHistory {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const end = Math.floor(Date.parse('2026-11-01T00:00:00Z') / 1000);
  const start = end - days * 86400;
  const times = Math.ceil((end - start) / step);
  const labels: { repo: string; user: string }[] = [];
  const values: Int32Array[] = [];
  let changes = 0;
  for (let i = 0; i < series; i++) {
    const ratePerDay = 50 * rnd() ** 4; // heavy tail: few fast-growing repos
    let v = Math.floor(rnd() ** 3 * 20000);
    let last = -1;
    const row = new Int32Array(times);
    for (let n = 0; n < times; n++) {
      if (rnd() < (ratePerDay * step) / 86400) v += 1 + Math.floor(rnd() * 2);
      if (v !== last) {
        changes++;
        last = v;
      }
      row[n] = v;
    }
    labels.push({ repo: `project-${i}`, user: `org-${i % 10}` });
    values.push(row);
  }
  return { start, step, times, labels, values, samples: series * times, changes };
}

if (import.meta.main) {
  const [n = '1000', days = '30', step = '300', out = 'om.txt'] = process.argv.slice(2);
  const history = footprintLikeHistory(Number(n), Number(days), Number(step));
  const fd = fs.openSync(out, 'w');
  fs.writeSync(fd, '# TYPE github_repo_stars gauge\n');
  history.values.forEach((row, i) => {
    const { repo, user } = history.labels[i]!;
    const lines: string[] = [];
    row.forEach((v, s) => lines.push(`github_repo_stars{repo="${repo}",user="${user}"} ${v} ${history.start + s * history.step}`));
    fs.writeSync(fd, lines.join('\n') + '\n');
  });
  fs.writeSync(fd, '# EOF\n');
  fs.closeSync(fd);
  console.log(JSON.stringify({ series: Number(n), days: Number(days), step: Number(step), samples: history.samples, changes: history.changes }));
}
