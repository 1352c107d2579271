// `footprint export --format openmetrics`: the stored history as OpenMetrics text, which
// `promtool tsdb create-blocks-from openmetrics FILE DIR` turns into Prometheus TSDB blocks.
//
// The store keeps change points; Prometheus keeps samples and, at a query time, looks back only
// 5 minutes (its lookback delta) for one. So each value is written when it was taken and again
// every `step` while it held: until the next change, and for a series' newest value until it was
// last seen, never beyond (a series that disappeared ends there). This is the step function the
// store's valueAt and the dashboard charts draw.
//
// Names and labels are those of the live /metrics, so backfilled and scraped series are the same
// series in Prometheus. Timestamps are whole seconds: promtool 2.x reads fractional seconds as
// int64(seconds * 1000), which turns about one millisecond time in 200 into the millisecond before
// it — and a sample out of order or on a taken timestamp is dropped without a word.
import type { Labels, MetricDef } from '../../../shared/metrics.js';
import { escapeLabelValue, formatValue, isLabelName, isMetricName } from '../exporter.js';
import type { ExportRow } from '../store/history-store.js';

/** Prometheus' default lookback delta: with samples this far apart an instant query at any time finds one. */
export const DEFAULT_OPENMETRICS_STEP_MS = 5 * 60_000;

/** Text goes to the writer in pieces of about this size: one write per line is slow at millions of lines. */
const CHUNK_CHARS = 64 * 1024;

const COUNTER_SUFFIX = '_total';

export interface OpenMetricsOptions {
  /** HELP and TYPE of each metric (the sources' catalogues); a stored metric not in it is written with type unknown. */
  readonly catalogue: readonly MetricDef[];
  /** How often a held value is repeated, in ms: whole seconds, at least 1 s. */
  readonly stepMs: number;
  /** First sample time (epoch ms): the value that held then is written from there on. */
  readonly since?: number;
  /** Last sample time (epoch ms): the value that held then is written up to there. */
  readonly until?: number;
  /** Labels added to every series (what a Prometheus scrape adds: job, instance); a label the series has keeps its own value. */
  readonly extraLabels?: Labels;
}

export interface OpenMetricsSummary {
  /** Series with at least one sample in the output. */
  readonly series: number;
  readonly samples: number;
  /** Stored series left out because their metric or a label name is not a valid Prometheus name. */
  readonly skippedSeries: number;
  /** The first of them, as `metric{labels}` text, for the message. */
  readonly firstSkipped: string | null;
}

interface Family {
  readonly name: string;
  /** "# HELP …\n# TYPE …\n" */
  readonly header: string;
}

/**
 * The OpenMetrics family of a stored metric, named so the sample names are the /metrics names:
 * a counter `x_total` is family `x` of type counter (OpenMetrics adds `_total` to a counter's
 * samples); a counter without that suffix, or a metric no catalogue declares (any more), is
 * type unknown, whose samples keep the family's name.
 */
function familyOf(metric: string, def: MetricDef | undefined): Family {
  let name = metric;
  let type = 'unknown';
  if (def?.type === 'gauge') type = 'gauge';
  else if (def?.type === 'counter' && metric.endsWith(COUNTER_SUFFIX) && metric.length > COUNTER_SUFFIX.length) {
    name = metric.slice(0, -COUNTER_SUFFIX.length);
    type = 'counter';
  }
  // OpenMetrics escapes HELP like a label value (the double quote too, unlike the text format).
  const help = def === undefined ? '' : `# HELP ${name} ${escapeLabelValue(def.help)}\n`;
  return { name, header: `${help}# TYPE ${name} ${type}\n` };
}

/** `metric{a="x",b="y"}` with the labels sorted, empty values left out (Prometheus drops them too); null when a name is invalid. */
function seriesText(metric: string, labels: Labels, extra: readonly [string, string][]): string | null {
  if (!isMetricName(metric)) return null;
  const merged = new Map<string, string>();
  for (const [name, value] of Object.entries(labels)) {
    if (!isLabelName(name)) return null;
    if (value !== '') merged.set(name, value);
  }
  for (const [name, value] of extra) if (!(name in labels)) merged.set(name, value);
  if (merged.size === 0) return metric;
  const names = [...merged.keys()].sort();
  return `${metric}{${names.map((name) => `${name}="${escapeLabelValue(merged.get(name)!)}"`).join(',')}}`;
}

function describeSeries(row: ExportRow): string {
  return `${row.metric}${JSON.stringify(row.labels)}`;
}

export function requireStep(stepMs: number): number {
  if (!Number.isSafeInteger(stepMs) || stepMs < 1_000 || stepMs % 1_000 !== 0) {
    throw new RangeError(`the OpenMetrics step must be a whole number of seconds, at least 1 s (got ${stepMs} ms)`);
  }
  return stepMs;
}

/**
 * Writes the rows (series by series, each in time order, as HistoryStore.exportRows gives them) as
 * OpenMetrics text ending in `# EOF`. Memory stays constant: one series is held at a time and the
 * text goes out in chunks; `write` may wait (a slow reader) or throw (a reader that left).
 */
export async function writeOpenMetrics(
  rows: Iterable<ExportRow>,
  options: OpenMetricsOptions,
  write: (chunk: string) => Promise<void> | void,
): Promise<OpenMetricsSummary> {
  const step = requireStep(options.stepMs);
  const since = options.since ?? -Infinity;
  const until = options.until ?? Infinity;
  const catalogue = new Map(options.catalogue.map((def) => [def.name, def]));
  const extra = Object.entries(options.extraLabels ?? {});
  const families = new Map<string, Family>();
  const headerWritten = new Set<string>();

  let text = '';
  let series = 0;
  let samples = 0;
  let skippedSeries = 0;
  let firstSkipped: string | null = null;

  // The series being written.
  let key: string | null = null;
  let family: Family | null = null;
  let prefix: string | null = null;
  let seriesSamples = 0;
  /** Its latest row: how long that value held is known once the next row (or the series' end) comes. */
  let held: ExportRow | null = null;
  /** The latest sample, kept back until the next one is in a later second: within one second the later value wins. */
  let pendingSecond: number | null = null;
  let pendingValue = '';

  const flushPending = () => {
    if (pendingSecond === null) return;
    if (!headerWritten.has(family!.name)) {
      headerWritten.add(family!.name);
      text += family!.header;
    }
    text += `${prefix} ${pendingValue} ${pendingSecond}\n`;
    pendingSecond = null;
    samples++;
    seriesSamples++;
  };

  const sample = (time: number, value: string) => {
    const second = Math.floor(time / 1000);
    if (second !== pendingSecond) flushPending();
    pendingSecond = second;
    pendingValue = value;
  };

  const sendFullChunk = async () => {
    if (text.length < CHUNK_CHARS) return;
    const chunk = text;
    text = '';
    await write(chunk);
  };

  /** The value from `start` to `end` (end itself only when included), clipped to since…until. */
  const segment = async (value: number, start: number, end: number, endIncluded: boolean) => {
    const from = Math.max(start, since);
    let to = end;
    let included = endIncluded;
    if (until < to) {
      to = until;
      included = true;
    }
    if (from > to || (from === to && !included)) return;
    const valueText = formatValue(value);
    for (let time = from; time < to; time += step) {
      sample(time, valueText);
      await sendFullChunk();
    }
    if (included) sample(to, valueText);
  };

  const endSeries = async () => {
    if (held !== null) await segment(held.value, held.since, held.lastSeen, true);
    flushPending();
    if (seriesSamples > 0) series++;
    held = null;
  };

  for (const row of rows) {
    const rowKey = `${row.source}\u0000${row.metric}\u0000${JSON.stringify(row.labels)}`;
    if (rowKey !== key) {
      await endSeries();
      key = rowKey;
      seriesSamples = 0;
      prefix = seriesText(row.metric, row.labels, extra);
      if (prefix === null) {
        skippedSeries++;
        firstSkipped ??= describeSeries(row);
        continue;
      }
      family = families.get(row.metric) ?? familyOf(row.metric, catalogue.get(row.metric));
      families.set(row.metric, family);
    } else if (prefix === null) {
      continue;
    }
    // The held value lasted until this one was taken.
    if (held !== null) await segment(held.value, held.since, row.since, false);
    held = row;
    await sendFullChunk();
  }
  await endSeries();
  await write(`${text}# EOF\n`);
  return { series, samples, skippedSeries, firstSkipped };
}
