// Footprint's own health metrics (footprint_*): a few series per source, kept here and rendered in the
// Prometheus text format as prom-client did, without prom-client (its import alone held ~7 MB of a
// server that idles near 90 MB). Series keep the order they were first set in; labels print in the
// order given, a histogram's `le` first.
import { escapeHelp, escapeLabelValue, formatValue } from './exposition.js';

type Labels<N extends string> = Readonly<Record<N, string>>;

export interface SelfMetric {
  readonly name: string;
  /** HELP, TYPE and every series, lines ended by "\n"; "" while the metric has no series. */
  render(): string;
  /** The series as /metrics shows them, as values (remote write sends them). */
  samples(): SelfSample[];
}

/** One series of a self metric as a value: a histogram gives its _bucket, _sum and _count series. */
export interface SelfSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

interface Definition<N extends string> {
  readonly name: string;
  readonly help: string;
  readonly labels: readonly N[];
}

abstract class LabelledMetric<N extends string, V> implements SelfMetric {
  readonly name: string;
  protected readonly series = new Map<string, V>();
  /** Series key → its labels, for samples(). */
  protected readonly labelsOf = new Map<string, Labels<N>>();
  readonly #help: string;
  readonly #labels: readonly N[];
  readonly #type: string;

  constructor(definition: Definition<N>, type: string) {
    this.name = definition.name;
    this.#help = definition.help;
    this.#labels = definition.labels;
    this.#type = type;
  }

  remove(labels: Labels<N>): void {
    this.series.delete(this.labelText(labels));
    this.labelsOf.delete(this.labelText(labels));
  }

  samples(): SelfSample[] {
    return [...this.series].flatMap(([key, value]) => this.seriesSamples(this.labelsOf.get(key)!, value));
  }

  /** The key of a series being set, its labels kept for samples(). */
  protected keyOf(labels: Labels<N>): string {
    const key = this.labelText(labels);
    if (!this.labelsOf.has(key)) this.labelsOf.set(key, { ...labels });
    return key;
  }

  render(): string {
    if (this.series.size === 0) return '';
    let text = `# HELP ${this.name} ${escapeHelp(this.#help)}\n# TYPE ${this.name} ${this.#type}\n`;
    for (const [labels, value] of this.series) text += this.renderSeries(labels, value);
    return text;
  }

  /** `name="value",…` in the declared order (the series key), without braces. */
  protected labelText(labels: Labels<N>): string {
    return this.#labels.map((name) => `${name}="${escapeLabelValue(labels[name])}"`).join(',');
  }

  protected abstract renderSeries(labels: string, value: V): string;
  protected abstract seriesSamples(labels: Labels<N>, value: V): SelfSample[];
}

export class SelfGauge<N extends string> extends LabelledMetric<N, number> {
  constructor(definition: Definition<N>) {
    super(definition, 'gauge');
  }

  set(labels: Labels<N>, value: number): void {
    this.series.set(this.keyOf(labels), value);
  }

  protected renderSeries(labels: string, value: number): string {
    return `${this.name}{${labels}} ${formatValue(value)}\n`;
  }

  protected seriesSamples(labels: Labels<N>, value: number): SelfSample[] {
    return [{ name: this.name, labels, value }];
  }
}

export class SelfCounter<N extends string> extends LabelledMetric<N, number> {
  constructor(definition: Definition<N>) {
    super(definition, 'counter');
  }

  inc(labels: Labels<N>, by = 1): void {
    const key = this.keyOf(labels);
    this.series.set(key, (this.series.get(key) ?? 0) + by);
  }

  protected renderSeries(labels: string, value: number): string {
    return `${this.name}{${labels}} ${formatValue(value)}\n`;
  }

  protected seriesSamples(labels: Labels<N>, value: number): SelfSample[] {
    return [{ name: this.name, labels, value }];
  }
}

interface Observations {
  /** Per bucket, observations ≤ its bound (cumulative when rendered). */
  readonly counts: number[];
  sum: number;
  count: number;
}

export class SelfHistogram<N extends string> extends LabelledMetric<N, Observations> {
  readonly #buckets: readonly number[];

  constructor(definition: Definition<N> & { readonly buckets: readonly number[] }) {
    super(definition, 'histogram');
    this.#buckets = definition.buckets;
  }

  observe(labels: Labels<N>, value: number): void {
    const key = this.keyOf(labels);
    let observations = this.series.get(key);
    if (!observations) this.series.set(key, (observations = { counts: this.#buckets.map(() => 0), sum: 0, count: 0 }));
    const bucket = this.#buckets.findIndex((bound) => value <= bound);
    if (bucket !== -1) observations.counts[bucket]! += 1;
    observations.sum += value;
    observations.count += 1;
  }

  protected renderSeries(labels: string, observations: Observations): string {
    let text = '';
    let cumulative = 0;
    this.#buckets.forEach((bound, index) => {
      cumulative += observations.counts[index]!;
      text += `${this.name}_bucket{le="${formatValue(bound)}",${labels}} ${cumulative}\n`;
    });
    text += `${this.name}_bucket{le="+Inf",${labels}} ${observations.count}\n`;
    text += `${this.name}_sum{${labels}} ${formatValue(observations.sum)}\n`;
    return text + `${this.name}_count{${labels}} ${observations.count}\n`;
  }

  protected seriesSamples(labels: Labels<N>, observations: Observations): SelfSample[] {
    let cumulative = 0;
    const buckets = this.#buckets.map((bound, index) => {
      cumulative += observations.counts[index]!;
      return { name: `${this.name}_bucket`, labels: { ...labels, le: formatValue(bound) }, value: cumulative };
    });
    return [
      ...buckets,
      { name: `${this.name}_bucket`, labels: { ...labels, le: '+Inf' }, value: observations.count },
      { name: `${this.name}_sum`, labels, value: observations.sum },
      { name: `${this.name}_count`, labels, value: observations.count },
    ];
  }
}
