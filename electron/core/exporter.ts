// Serves /metrics from values already collected: a scrape never calls an API.
//
// Data series (the sources' catalogues) are kept per family as pre-escaped label text → value
// and rendered by hand (per-label-set objects are far too slow at 10,000 series). Footprint's own
// health metrics (footprint_*) are the few series of self-metrics.ts. The rendered text is cached until the next change, since values only move on polls.
// Each data family also keeps its own rendered text until its series change: a poll counts every API
// request it makes (a change of the health series), and at 80,000 series a scrape during a poll must
// not re-render the data the poll has not replaced yet.
//
// Health semantics:
// - registerSource(id) lists a configured source: footprint_source_up is 0, errors_total 0 and
//   series 0 until a run is recorded. `up` means "the last collection attempt in this process
//   succeeded", so a source restored from storage stays up=0 until its first run (which happens
//   at start); the freshness of restored data is footprint_source_last_success_timestamp_seconds,
//   which setLastSuccess() sets from storage.
// - Timestamp gauges are absent until known.
import type { MetricDef, MetricType, Sample } from '../../shared/metrics.js';
import { escapeHelp, escapeLabelValue, formatValue, wellFormedLabel } from './exposition.js';
import { REMOTE_WRITE_METRICS, RemoteWriteHealth } from './remote-write/health.js';
import { SelfCounter, SelfGauge, SelfHistogram, type SelfMetric, type SelfSample } from './self-metrics.js';
import type { SourceModule } from './source.js';

// The text format's escaping and values, for the modules that import them from here.
export { escapeLabelValue, formatValue, wellFormedLabel } from './exposition.js';

export interface MetricsExporterOptions {
  readonly modules: readonly SourceModule<any>[];
  readonly version: string;
}

export interface UpdateOptions {
  /** True when every target of the run succeeded: the source's series become exactly these samples. */
  readonly complete: boolean;
}

export interface RejectedSample {
  readonly metric: string;
  readonly reason: string;
}

export interface UpdateResult {
  /** Samples taken (a duplicate series counts each time; the last value wins). */
  readonly accepted: number;
  readonly rejected: RejectedSample[];
}

export interface RunRecord {
  readonly ok: boolean;
  /** Epoch ms. */
  readonly finishedAt: number;
  readonly durationMs: number;
  /** Epoch ms of the source's last successful run, if any. */
  readonly lastSuccessAt: number | null;
}

/** Run-duration buckets in seconds: a small org takes a fraction of a second, a big one minutes. */
export const COLLECTION_DURATION_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120] as const;

/** A footprint_* metric: like a catalogue MetricDef, but Footprint's own metrics include a histogram. */
export interface SelfMetricDef {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType | 'histogram';
  readonly labels: readonly string[];
}

const SELF = {
  up: { name: 'footprint_source_up', help: 'Whether the last collection of the source in this process got every target (1) or not (0): 0 when it failed or some target failed (partial), and until the first run.', type: 'gauge', labels: ['source'] },
  lastSuccess: { name: 'footprint_source_last_success_timestamp_seconds', help: 'Unix time of the last successful collection of the source (restored from history at start).', type: 'gauge', labels: ['source'] },
  lastAttempt: { name: 'footprint_source_last_attempt_timestamp_seconds', help: 'Unix time at which the last collection attempt of the source finished.', type: 'gauge', labels: ['source'] },
  duration: { name: 'footprint_source_collection_duration_seconds', help: 'Duration of collection runs of the source.', type: 'histogram', labels: ['source'] },
  errors: { name: 'footprint_source_errors_total', help: 'Collection runs of the source that failed.', type: 'counter', labels: ['source'] },
  series: { name: 'footprint_source_series', help: 'Data series the source currently exposes on /metrics.', type: 'gauge', labels: ['source'] },
  requests: { name: 'footprint_api_requests_total', help: 'API requests made by the source, by HTTP status ("error" when no response came).', type: 'counter', labels: ['source', 'status'] },
  buildInfo: { name: 'footprint_build_info', help: 'Footprint build information; always 1.', type: 'gauge', labels: ['version', 'node'] },
} as const satisfies Record<string, SelfMetricDef>;

/** Footprint's own metrics, for the docs; the exporter builds its self metrics from the same definitions. */
export const selfMetricDefs: readonly SelfMetricDef[] = [...Object.values(SELF), ...Object.values(REMOTE_WRITE_METRICS)];

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const SELF_PREFIX = 'footprint_';

interface Family {
  readonly def: MetricDef;
  readonly sourceId: string;
  /** "# HELP …\n# TYPE …\n", escaped once. */
  readonly header: string;
  readonly labelSet: ReadonlySet<string>;
  /** Escaped label text ("{a=\"x\"}" or "") → value. */
  series: Map<string, number>;
  /** The family's rendered text (header and lines) while `series` is unchanged; null after a change. */
  text: string | null;
}

/** A family's series replaced or merged into: its rendered text is rebuilt at the next scrape. */
function setSeries(family: Family, series: Map<string, number>): void {
  family.series = series;
  family.text = null;
}

/** HELP, TYPE and one line per series, joined once (a flat string, not a rope every write re-flattens). */
function renderFamily(family: Family): string {
  const lines = new Array<string>(family.series.size + 1);
  lines[0] = family.header;
  let index = 1;
  const name = family.def.name;
  for (const [labels, value] of family.series) lines[index++] = name + labels + ' ' + formatValue(value) + '\n';
  return lines.join('');
}

/** A valid Prometheus metric name: letters, digits, "_" and ":", not starting with a digit. */
export function isMetricName(name: string): boolean {
  return METRIC_NAME.test(name);
}

/** A label name a source may use: valid, and not one of Prometheus' reserved "__" names. */
export function isLabelName(name: string): boolean {
  return LABEL_NAME.test(name) && !name.startsWith('__');
}

function validateCatalogue(where: string, metrics: readonly MetricDef[], owners: ReadonlyMap<string, string>, ownerId: string): Map<string, string> {
  if (!Array.isArray(metrics)) throw new Error(`${where}: metrics must be an array of MetricDef`);
  const added = new Map<string, string>();
  for (const def of metrics) {
    const name = def?.name;
    if (typeof name !== 'string' || !isMetricName(name)) {
      throw new Error(`${where}: metric name ${JSON.stringify(name)} is not a valid Prometheus name (letters, digits, "_" and ":", not starting with a digit)`);
    }
    if (name.startsWith(SELF_PREFIX)) throw new Error(`${where}: metric ${name}: the "${SELF_PREFIX}" prefix is reserved for Footprint's own metrics; rename it`);
    const owner = owners.get(name) ?? added.get(name);
    if (owner !== undefined) throw new Error(`${where}: metric ${name} is already declared by source module "${owner}"; each metric is declared once`);
    const type: MetricType = def.type;
    if (type !== 'gauge' && type !== 'counter') throw new Error(`${where}: metric ${name}: type must be "gauge" or "counter", got ${JSON.stringify(type)}`);
    if (typeof def.help !== 'string' || def.help.trim() === '') throw new Error(`${where}: metric ${name}: help must be a non-empty description`);
    if (!Array.isArray(def.labels)) throw new Error(`${where}: metric ${name}: labels must be an array of label names`);
    const seen = new Set<string>();
    for (const label of def.labels) {
      if (typeof label !== 'string' || !isLabelName(label)) {
        throw new Error(`${where}: metric ${name}: label name ${JSON.stringify(label)} is invalid (letters, digits and "_", not starting with a digit or "__")`);
      }
      if (seen.has(label)) throw new Error(`${where}: metric ${name}: label "${label}" is listed twice`);
      seen.add(label);
    }
    added.set(name, ownerId);
  }
  return added;
}

export class MetricsExporter {
  readonly #families = new Map<string, Family>();
  readonly #familiesBySource = new Map<string, Family[]>();
  /** Catalogue metrics kept as stored history only (MetricDef.historyOnly): never a family on /metrics. */
  readonly #historyOnly = new Map<string, string>();
  /** Every family name, data and self, in exposition order. */
  #order: readonly string[] = [];
  readonly #selfMetrics: ReadonlyMap<string, SelfMetric>;
  readonly #up = new SelfGauge(SELF.up);
  readonly #lastSuccess = new SelfGauge(SELF.lastSuccess);
  readonly #lastAttempt = new SelfGauge(SELF.lastAttempt);
  readonly #duration = new SelfHistogram({ ...SELF.duration, buckets: COLLECTION_DURATION_BUCKETS });
  readonly #errors = new SelfCounter(SELF.errors);
  readonly #seriesCount = new SelfGauge(SELF.series);
  readonly #requests = new SelfCounter(SELF.requests);
  /** footprint_remote_write_*: the remote-write senders report here. */
  readonly remoteWrite = new RemoteWriteHealth(() => this.#changed());
  /** Sources whose health series exist (registered, updated or run). */
  readonly #registered = new Set<string>();
  /** The status labels counted per source, so a removed source's request counters can be dropped. */
  readonly #requestStatuses = new Map<string, Set<string>>();
  #cache: string | null = null;
  /** Bumped on every change, so a render that raced a change does not cache stale text. */
  #generation = 0;

  constructor(options: MetricsExporterOptions) {
    if (typeof options?.version !== 'string' || options.version === '') {
      throw new Error('MetricsExporter: version must be a non-empty string (the app version for footprint_build_info)');
    }
    if (!Array.isArray(options.modules)) throw new Error('MetricsExporter: modules must be the list of source modules');
    for (const module of options.modules) {
      if (typeof module?.id !== 'string' || module.id === '') throw new Error('MetricsExporter: every source module needs a non-empty id');
      if (this.#familiesBySource.has(module.id)) throw new Error(`MetricsExporter: source module "${module.id}" is listed twice`);
      validateCatalogue(`source module "${module.id}"`, module.metrics, this.#owners(), module.id);
      this.#addFamilies(module.id, module.metrics);
    }

    const buildInfo = new SelfGauge(SELF.buildInfo);
    buildInfo.set({ version: options.version, node: process.version }, 1);
    const selfMetrics = [this.#up, this.#lastSuccess, this.#lastAttempt, this.#duration, this.#errors, this.#seriesCount, this.#requests, buildInfo, ...this.remoteWrite.metrics];
    this.#selfMetrics = new Map(selfMetrics.map((metric) => [metric.name, metric]));
    this.#sortFamilies();
  }

  /**
   * Replaces a source's catalogue with the one its configuration defines (user-defined metrics, see
   * SourceModule.catalogue): its series are dropped, as a configuration change rebuilds the source.
   * Throws, naming the metric, when a name is not valid or another source declares it.
   */
  setCatalogue(sourceId: string, metrics: readonly MetricDef[]): void {
    const before = this.#requireSource('setCatalogue', sourceId);
    const owners = this.#owners(sourceId);
    validateCatalogue(`source "${sourceId}"`, metrics, owners, sourceId);
    for (const family of before) this.#families.delete(family.def.name);
    for (const [name, owner] of [...this.#historyOnly]) if (owner === sourceId) this.#historyOnly.delete(name);
    this.#addFamilies(sourceId, metrics);
    this.#sortFamilies();
    if (this.#registered.has(sourceId)) this.#seriesCount.set({ source: sourceId }, 0);
    this.#changed();
  }

  /** Metric name → the source declaring it, of every source but `except`. */
  #owners(except?: string): Map<string, string> {
    const owners = new Map<string, string>();
    for (const [sourceId, families] of this.#familiesBySource) if (sourceId !== except) for (const family of families) owners.set(family.def.name, sourceId);
    for (const [name, sourceId] of this.#historyOnly) if (sourceId !== except) owners.set(name, sourceId);
    return owners;
  }

  #addFamilies(sourceId: string, metrics: readonly MetricDef[]): void {
    const families: Family[] = [];
    for (const def of metrics) {
      if (def.historyOnly === true) {
        this.#historyOnly.set(def.name, sourceId);
        continue;
      }
      const family: Family = {
        def,
        sourceId,
        header: `# HELP ${def.name} ${escapeHelp(def.help)}\n# TYPE ${def.name} ${def.type}\n`,
        labelSet: new Set(def.labels),
        series: new Map(),
        text: null,
      };
      families.push(family);
      this.#families.set(def.name, family);
    }
    this.#familiesBySource.set(sourceId, families);
  }

  #sortFamilies(): void {
    this.#order = [...this.#families.keys(), ...this.#selfMetrics.keys()].sort();
  }

  /** The Content-Type header for render()'s text. */
  get contentType(): string {
    return 'text/plain; version=0.0.4; charset=utf-8';
  }

  /** Lists a configured source so its health series exist (up=0) before its first run. */
  registerSource(sourceId: string): void {
    this.#requireSource('registerSource', sourceId);
    this.#ensureRegistered(sourceId);
    this.#changed();
  }

  /** A source removed from the configuration: its data and health series leave /metrics (its history stays stored). */
  unregisterSource(sourceId: string): void {
    const families = this.#requireSource('unregisterSource', sourceId);
    for (const family of families) setSeries(family, new Map());
    const labels = { source: sourceId };
    for (const metric of [this.#up, this.#lastSuccess, this.#lastAttempt, this.#errors, this.#seriesCount]) metric.remove(labels);
    this.#duration.remove(labels);
    for (const status of this.#requestStatuses.get(sourceId) ?? []) this.#requests.remove({ source: sourceId, status });
    this.#requestStatuses.delete(sourceId);
    this.#registered.delete(sourceId);
    this.#changed();
  }

  /**
   * Splits a run's samples into those /metrics and the store can take (label values made well-formed, see
   * wellFormedLabel) and those they cannot (not in the catalogue, not a finite number…), with the reason.
   */
  screen(sourceId: string, samples: readonly Sample[]): { samples: Sample[]; rejected: RejectedSample[] } {
    this.#requireSource('screen', sourceId);
    if (!Array.isArray(samples)) throw new Error('MetricsExporter.screen: samples must be an array');
    const taken: Sample[] = [];
    const rejected: RejectedSample[] = [];
    for (const sample of samples) {
      const checked = this.#check(sourceId, sample);
      if ('reason' in checked) {
        rejected.push(checked);
        continue;
      }
      const labels: Record<string, string> = sample.labels ?? {};
      const wellFormed = Object.values(labels).every((value) => typeof value !== 'string' || value.isWellFormed());
      taken.push(wellFormed ? sample : { ...sample, labels: Object.fromEntries(Object.entries(labels).map(([name, value]) => [name, typeof value === 'string' ? wellFormedLabel(value) : value])) });
    }
    return { samples: taken, rejected };
  }

  /** Replaces (complete) or merges into (incomplete) the source's data series. */
  updateSource(sourceId: string, samples: readonly Sample[], options: UpdateOptions): UpdateResult {
    const families = this.#requireSource('updateSource', sourceId);
    if (typeof options?.complete !== 'boolean') throw new Error('MetricsExporter.updateSource: options.complete must be true or false');
    if (!Array.isArray(samples)) throw new Error('MetricsExporter.updateSource: samples must be an array');
    this.#ensureRegistered(sourceId);

    const rejected: RejectedSample[] = [];
    let accepted = 0;
    // A complete update writes into fresh maps, so series missing from this run disappear.
    const target = new Map<Family, Map<string, number>>();
    for (const family of families) target.set(family, options.complete ? new Map() : family.series);

    for (const sample of samples) {
      const checked = this.#check(sourceId, sample);
      if ('reason' in checked) {
        rejected.push(checked);
        continue;
      }
      target.get(checked.family)!.set(checked.key, sample.value);
      accepted += 1;
    }

    let seriesCount = 0;
    for (const [family, series] of target) {
      setSeries(family, series);
      seriesCount += series.size;
    }
    this.#seriesCount.set({ source: sourceId }, seriesCount);
    this.#changed();
    return { accepted, rejected };
  }

  /** Start-up: serves the last stored values at once, before the first poll. Same as a complete update. */
  restore(sourceId: string, samples: readonly Sample[]): UpdateResult {
    return this.updateSource(sourceId, samples, { complete: true });
  }

  recordRun(sourceId: string, run: RunRecord): void {
    this.#requireSource('recordRun', sourceId);
    for (const field of ['finishedAt', 'durationMs'] as const) {
      if (!Number.isFinite(run?.[field])) throw new Error(`MetricsExporter.recordRun: ${field} must be a number of milliseconds, got ${run?.[field]}`);
    }
    this.#ensureRegistered(sourceId);
    const labels = { source: sourceId };
    this.#up.set(labels, run.ok ? 1 : 0);
    this.#lastAttempt.set(labels, run.finishedAt / 1000);
    if (run.lastSuccessAt !== null) this.#lastSuccess.set(labels, run.lastSuccessAt / 1000);
    this.#duration.observe(labels, Math.max(0, run.durationMs) / 1000);
    if (!run.ok) this.#errors.inc(labels);
    this.#changed();
  }

  countRequest(sourceId: string, status: number | 'error'): void {
    this.#requireSource('countRequest', sourceId);
    if (status !== 'error' && !Number.isInteger(status)) throw new Error(`MetricsExporter.countRequest: status must be an HTTP status code or "error", got ${status}`);
    this.#requests.inc({ source: sourceId, status: String(status) });
    let statuses = this.#requestStatuses.get(sourceId);
    if (!statuses) this.#requestStatuses.set(sourceId, (statuses = new Set()));
    statuses.add(String(status));
    this.#changed();
  }

  /** Start-up: the last success known from storage (epoch ms). */
  setLastSuccess(sourceId: string, time: number): void {
    this.#requireSource('setLastSuccess', sourceId);
    if (!Number.isFinite(time)) throw new Error(`MetricsExporter.setLastSuccess: time must be epoch milliseconds, got ${time}`);
    this.#ensureRegistered(sourceId);
    this.#lastSuccess.set({ source: sourceId }, time / 1000);
    this.#changed();
  }

  /** Footprint's own series (footprint_*) as values, as /metrics shows them now. */
  selfSamples(): SelfSample[] {
    return [...this.#selfMetrics.values()].flatMap((metric) => metric.samples());
  }

  /** The Prometheus text exposition, one HELP/TYPE per family, families sorted by name. */
  async render(): Promise<string> {
    if (this.#cache !== null) return this.#cache;
    const generation = this.#generation;
    // Joined once at the end so the result is one flat string, not a rope that every write re-flattens.
    const parts: string[] = [];
    for (const name of this.#order) {
      const family = this.#families.get(name);
      if (family) {
        if (family.series.size > 0) parts.push(family.text ??= renderFamily(family));
        continue;
      }
      // A metric without series is left out, as a family above.
      parts.push(this.#selfMetrics.get(name)!.render());
    }
    const text = parts.join('');
    if (generation === this.#generation) this.#cache = text;
    return text;
  }

  #requireSource(method: string, sourceId: string): readonly Family[] {
    const families = this.#familiesBySource.get(sourceId);
    if (!families) {
      const known = [...this.#familiesBySource.keys()].map((id) => `"${id}"`).join(', ') || 'none';
      throw new Error(`MetricsExporter.${method}: unknown source "${sourceId}" (known sources: ${known})`);
    }
    return families;
  }

  /** The family and series key of a sample this source may report, or why it may not. */
  #check(sourceId: string, sample: Sample): { family: Family; key: string } | RejectedSample {
    const metric = typeof sample?.metric === 'string' ? sample.metric : String(sample?.metric);
    const family = this.#families.get(metric);
    if (this.#historyOnly.get(metric) === sourceId) return { metric, reason: 'metric is stored history only (dated samples), never on /metrics' };
    if (!family || family.sourceId !== sourceId) return { metric, reason: `metric is not in the "${sourceId}" catalogue` };
    const value = sample.value;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return { metric, reason: `value must be a finite number, got ${typeof value === 'number' ? value : typeof value}` };
    }
    if (family.def.type === 'counter' && value < 0) return { metric, reason: `a counter total cannot be negative, got ${value}` };
    const key = this.#labelKey(family, sample.labels);
    if (typeof key !== 'string') return { metric, reason: key.reason };
    return { family, key };
  }

  #ensureRegistered(sourceId: string): void {
    if (this.#registered.has(sourceId)) return;
    this.#registered.add(sourceId);
    const labels = { source: sourceId };
    this.#up.set(labels, 0);
    this.#errors.inc(labels, 0);
    this.#seriesCount.set(labels, 0);
  }

  /** The series key: escaped label text in declared order, or a reason to reject the sample. */
  #labelKey(family: Family, labels: unknown): string | { reason: string } {
    if (labels === undefined || labels === null) labels = {};
    if (typeof labels !== 'object') return { reason: 'labels must be an object of label name → string' };
    const record = labels as Record<string, unknown>;
    for (const name in record) {
      if (!family.labelSet.has(name)) {
        return { reason: `label "${name}" is not declared (declared: ${family.def.labels.join(', ') || 'none'})` };
      }
    }
    if (family.def.labels.length === 0) return '';
    // Joined, not built with +=: a key is kept for as long as its series, and a += chain would keep
    // ~15 rope pieces per key (at 10,000 repositories, millions of them: tens of MB).
    const pairs = new Array<string>(family.def.labels.length);
    let index = 0;
    for (const name of family.def.labels) {
      const value = record[name] ?? '';
      if (typeof value !== 'string') return { reason: `label "${name}" must be a string, got ${typeof value}` };
      pairs[index++] = `${name}="${escapeLabelValue(value)}"`;
    }
    // The braces go into the pieces (short strings, never ropes), so join() yields one flat string.
    pairs[0] = '{' + pairs[0];
    pairs[index - 1] += '}';
    return pairs.join(',');
  }

  #changed(): void {
    this.#generation += 1;
    this.#cache = null;
  }
}
