// The OpenMetrics text of `footprint export --format openmetrics`: what promtool needs (families
// whole, samples of a series in time order, whole-second timestamps, # EOF) and what Prometheus
// needs to answer an instant query at any past time (a held value repeated every step).
import { describe, expect, it } from 'vitest';
import type { Labels, MetricDef } from '../../shared/metrics.js';
import { DEFAULT_OPENMETRICS_STEP_MS, requireStep, writeOpenMetrics, type OpenMetricsOptions } from '../../electron/core/cli/export-openmetrics.js';
import { sourceModules } from '../../electron/core/sources/registry.js';
import { HistoryStore, type ExportRow } from '../../electron/core/store/history-store.js';
import { seededRandom } from '../support/random.js';

const T0 = Date.UTC(2026, 0, 1);
const S0 = T0 / 1000;
const SECOND = 1_000;
const MINUTE = 60_000;
const HOUR = 3_600_000;

const catalogue: readonly MetricDef[] = [
  { name: 'stars', help: 'Stars of the repository.', type: 'gauge', labels: ['repo'] },
  { name: 'forks', help: 'Forks.', type: 'gauge', labels: ['repo'] },
  { name: 'pulls_total', help: 'Pulls "so far", \\ counted\nby the hub.', type: 'counter', labels: ['image'] },
  { name: 'downloads', help: 'A counter without the _total suffix.', type: 'counter', labels: [] },
];

function row(metric: string, labels: Labels, value: number, since: number, lastSeen = since, source = 'github'): ExportRow {
  return { source, metric, labels, value, since, lastSeen };
}

async function render(rows: readonly ExportRow[], options: Partial<OpenMetricsOptions> = {}) {
  let text = '';
  const summary = await writeOpenMetrics(rows, { catalogue, stepMs: DEFAULT_OPENMETRICS_STEP_MS, ...options }, (chunk) => { text += chunk; });
  return { text, lines: text.split('\n').slice(0, -1), summary };
}

/** Sample lines as [series, value, second]. */
function samples(lines: readonly string[]): [string, number, number][] {
  return lines.filter((line) => !line.startsWith('#')).map((line) => {
    const match = /^(\S+) (\S+) (\d+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    return [match[1]!, Number(match[2]), Number(match[3])];
  });
}

describe('OpenMetrics export: layout', () => {
  it('writes HELP and TYPE once per family, each family whole, and # EOF last', async () => {
    const { lines } = await render([
      row('forks', { repo: 'a' }, 1, T0),
      row('forks', { repo: 'b' }, 2, T0),
      row('stars', { repo: 'a' }, 3, T0),
      row('stars', { repo: 'b' }, 4, T0),
    ]);
    expect(lines).toEqual([
      '# HELP forks Forks.',
      '# TYPE forks gauge',
      `forks{repo="a"} 1 ${S0}`,
      `forks{repo="b"} 2 ${S0}`,
      '# HELP stars Stars of the repository.',
      '# TYPE stars gauge',
      `stars{repo="a"} 3 ${S0}`,
      `stars{repo="b"} 4 ${S0}`,
      '# EOF',
    ]);
  });

  it('gives counters their /metrics names: family x of type counter has samples x_total', async () => {
    const { lines } = await render([
      row('downloads', {}, 7, T0, T0, 'npm'),
      row('pulls_total', { image: 'x' }, 5, T0, T0, 'dockerhub'),
      row('renamed_long_ago', { repo: 'a' }, 9, T0, T0, 'old'),
    ]);
    expect(lines).toEqual([
      // OpenMetrics counters end in _total, so one without it keeps its name as type unknown.
      '# HELP downloads A counter without the _total suffix.',
      '# TYPE downloads unknown',
      `downloads 7 ${S0}`,
      '# HELP pulls Pulls \\"so far\\", \\\\ counted\\nby the hub.',
      '# TYPE pulls counter',
      `pulls_total{image="x"} 5 ${S0}`,
      // A metric no catalogue declares: no HELP, type unknown.
      '# TYPE renamed_long_ago unknown',
      `renamed_long_ago{repo="a"} 9 ${S0}`,
      '# EOF',
    ]);
  });

  it('escapes label values as OpenMetrics does: backslash, double quote, line feed', async () => {
    const { lines } = await render([row('stars', { repo: 'a"b\\c\nd', user: 'ok' }, 1, T0)]);
    expect(lines[2]).toBe(`stars{repo="a\\"b\\\\c\\nd",user="ok"} 1 ${S0}`);
  });

  it('adds extra labels in name order, keeps a label the series has, and leaves empty values out', async () => {
    const { lines } = await render([row('stars', { user: 'u', repo: 'a', license: '', instance: 'own' }, 1, T0)], {
      extraLabels: { job: 'footprint', instance: 'host:9171' },
    });
    expect(lines[2]).toBe(`stars{instance="own",job="footprint",repo="a",user="u"} 1 ${S0}`);
  });

  it('writes only # EOF for an empty history', async () => {
    expect((await render([])).text).toBe('# EOF\n');
  });
});

describe('OpenMetrics export: samples', () => {
  it('repeats a value every step until the next change, and the newest up to its last-seen time, not beyond', async () => {
    const { lines, summary } = await render([
      row('stars', { repo: 'a' }, 10, T0),
      row('stars', { repo: 'a' }, 25, T0 + 12 * MINUTE),
      row('stars', { repo: 'a' }, 40, T0 + 20 * MINUTE, T0 + 31 * MINUTE),
    ]);
    expect(samples(lines).map(([, value, second]) => [value, second - S0])).toEqual([
      [10, 0], [10, 300], [10, 600],
      [25, 720], [25, 1020],
      [40, 1200], [40, 1500], [40, 1800], [40, 1860],
    ]);
    expect(summary).toEqual({ series: 1, samples: 9, skippedSeries: 0, firstSkipped: null });
  });

  it('repeats at the given step', async () => {
    const { lines } = await render([row('stars', { repo: 'a' }, 1, T0, T0 + 3 * HOUR + 5 * MINUTE)], { stepMs: HOUR });
    expect(samples(lines).map(([, , second]) => second - S0)).toEqual([0, 3600, 7200, 10800, 11100]);
  });

  it('writes whole seconds, rounded down; within one second the later value wins', async () => {
    const { lines } = await render([
      row('stars', { repo: 'a' }, 1, T0 + 400),
      row('stars', { repo: 'a' }, 2, T0 + 5 * SECOND + 100),
      row('stars', { repo: 'a' }, 3, T0 + 5 * SECOND + 900, T0 + 5 * SECOND + 950),
    ]);
    expect(samples(lines).map(([, value, second]) => [value, second - S0])).toEqual([[1, 0], [3, 5]]);
  });

  it('starts at --since with the value that held then, and ends at --until with the value that held then', async () => {
    const rows = [
      row('stars', { repo: 'a' }, 10, T0),
      row('stars', { repo: 'a' }, 25, T0 + 2 * HOUR, T0 + 2 * HOUR),
      row('stars', { repo: 'a' }, 40, T0 + 4 * HOUR, T0 + 9 * HOUR),
      // Gone before --since: left out.
      row('stars', { repo: 'gone' }, 1, T0, T0 + HOUR),
      // Starts after --until: left out.
      row('stars', { repo: 'late' }, 1, T0 + 8 * HOUR, T0 + 9 * HOUR),
    ];
    const { lines, summary } = await render(rows, { stepMs: HOUR, since: T0 + 90 * MINUTE, until: T0 + 6 * HOUR + 30 * MINUTE });
    expect(samples(lines).map(([series, value, second]) => [series, value, (second - S0) / 60])).toEqual([
      ['stars{repo="a"}', 10, 90],
      ['stars{repo="a"}', 25, 120], ['stars{repo="a"}', 25, 180],
      ['stars{repo="a"}', 40, 240], ['stars{repo="a"}', 40, 300], ['stars{repo="a"}', 40, 360], ['stars{repo="a"}', 40, 390],
    ]);
    expect(summary.series).toBe(1);
  });

  it('leaves out a family none of whose series has a sample in the range', async () => {
    const { lines } = await render([row('forks', { repo: 'a' }, 1, T0), row('stars', { repo: 'a' }, 1, T0 + HOUR)], { since: T0 + MINUTE });
    expect(lines.filter((line) => line.startsWith('#'))).toEqual(['# HELP stars Stars of the repository.', '# TYPE stars gauge', '# EOF']);
  });

  it('skips a stored series whose metric or label name Prometheus cannot take, and counts it', async () => {
    const { lines, summary } = await render([
      row('stars', { 'bad-label': 'x' }, 1, T0),
      row('stars', { 'bad-label': 'x' }, 2, T0 + MINUTE),
      row('9lives', {}, 1, T0),
      row('stars', { repo: 'a' }, 1, T0),
    ]);
    expect(samples(lines).map(([series]) => series)).toEqual(['stars{repo="a"}']);
    expect(summary).toMatchObject({ series: 1, skippedSeries: 2, firstSkipped: 'stars{"bad-label":"x"}' });
  });

  it('refuses a step that is not whole seconds of at least 1 s', () => {
    for (const step of [0, 500, 1_500, -60_000, Number.NaN]) expect(() => requireStep(step)).toThrow(/whole number of seconds, at least 1 s/);
    expect(requireStep(MINUTE)).toBe(MINUTE);
  });
});

describe('OpenMetrics export: output', () => {
  it('goes out in bounded chunks, waiting for the writer', async () => {
    const chunks: number[] = [];
    const rows = Array.from({ length: 50 }, (_, i) => row('stars', { repo: `repo-${i}` }, i, T0, T0 + 30 * 86_400_000));
    await writeOpenMetrics(rows, { catalogue, stepMs: DEFAULT_OPENMETRICS_STEP_MS }, async (chunk) => {
      chunks.push(chunk.length);
      await new Promise((resolve) => setImmediate(resolve));
    });
    // 50 series x 30 days x 288 samples a day: far more than one chunk, none much larger than 64 KiB.
    expect(chunks.length).toBeGreaterThan(100);
    expect(Math.max(...chunks)).toBeLessThan(64 * 1024 + 200);
  });

  it('stops when the writer throws (a reader that left)', async () => {
    let writes = 0;
    const rows = Array.from({ length: 50 }, (_, i) => row('stars', { repo: `repo-${i}` }, i, T0, T0 + 30 * 86_400_000));
    const gone = new Error('reader gone');
    await expect(writeOpenMetrics(rows, { catalogue, stepMs: DEFAULT_OPENMETRICS_STEP_MS }, () => {
      writes++;
      if (writes === 3) throw gone;
    })).rejects.toBe(gone);
    expect(writes).toBe(3);
  });

  it('names every metric of the sources\' catalogues the way /metrics does', async () => {
    const defs = sourceModules.flatMap((module) => module.metrics);
    const rows = defs.map((def) => row(def.name, {}, 1, T0));
    const { lines } = await render(rows, { catalogue: defs });
    expect(samples(lines).map(([series]) => series).sort()).toEqual(defs.map((def) => def.name).sort());
  });
});

/** What a Prometheus instant query at `time` sees: the newest sample at or before it, at most `lookback` old. */
function instantQuery(series: readonly [number, number][], time: number, lookback: number): number | null {
  let found: number | null = null;
  for (const [second, value] of series) {
    if (second * 1000 > time) break;
    found = second * 1000 >= time - lookback ? value : null;
  }
  return found;
}

describe('OpenMetrics export of a store: an instant query at any time gives the stored value', () => {
  it.each([
    { step: 5 * MINUTE, lookback: 5 * MINUTE },
    { step: HOUR, lookback: HOUR },
  ])('step $step ms, Prometheus lookback $lookback ms', async ({ step, lookback }) => {
    const random = seededRandom(7);
    const store = HistoryStore.open(':memory:');
    try {
      // 12 series with changes 1 s to 3 days apart, some polls repeating the value (which extends it).
      for (let i = 0; i < 12; i++) {
        let time = T0 + Math.floor(random() * 86_400) * SECOND;
        let value = 100;
        for (let poll = 0; poll < 40; poll++) {
          if (random() < 0.6) value += Math.floor(random() * 5) - 2;
          store.ingest('github', [{ metric: 'stars', labels: { repo: `r${i}` }, value }], time);
          time += Math.ceil(random() ** 3 * 3 * 86_400) * SECOND;
        }
      }
      let text = '';
      await writeOpenMetrics(store.exportRows(), { catalogue, stepMs: step }, (chunk) => { text += chunk; });
      const bySeries = new Map<string, [number, number][]>();
      for (const [series, value, second] of samples(text.split('\n').slice(0, -1))) {
        const list = bySeries.get(series) ?? [];
        bySeries.set(series, list);
        list.push([second, value]);
      }
      for (const info of store.series()) {
        const list = bySeries.get(`stars{repo="${info.labels.repo}"}`)!;
        for (let i = 1; i < list.length; i++) expect(list[i]![0]).toBeGreaterThan(list[i - 1]![0]);
        for (let n = 0; n < 300; n++) {
          const time = info.firstSeen + Math.floor(random() * (info.lastSeen - info.firstSeen + 1));
          expect(instantQuery(list, time, lookback), `${info.labels.repo} at ${new Date(time).toISOString()}`).toBe(store.valueAt(info.id, time));
        }
        expect(instantQuery(list, info.firstSeen - 1, lookback)).toBeNull();
        expect(instantQuery(list, info.lastSeen + lookback + 1, lookback)).toBeNull();
      }
    } finally {
      store.close();
    }
  });
});
