// The metric contract shared by the core (sources, store, exporter) and the UI.

export type MetricType = 'gauge' | 'counter';

/** One entry of a source's metric catalogue: what the exporter declares and the README documents. */
export interface MetricDef {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly labels: readonly string[];
}

export type Labels = Readonly<Record<string, string>>;

/** One observed value of one series (metric + labels), as a source returns it. */
export interface Sample {
  readonly metric: string;
  readonly labels: Labels;
  readonly value: number;
}
