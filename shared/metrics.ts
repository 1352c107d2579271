// The metric contract shared by the core (sources, store, exporter) and the UI.

export type MetricType = 'gauge' | 'counter';

/** One entry of a source's metric catalogue: what the exporter declares and the README documents. */
export interface MetricDef {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly labels: readonly string[];
  /**
   * Stored history only: a series of dated points (one per day, say) that sources write through
   * `CollectResult.dated` or backfill. It is kept in the store, range queries and `footprint export`,
   * but never on /metrics, since a scrape cannot carry a past time; the exporter refuses poll samples of it.
   */
  readonly historyOnly?: boolean;
}

export type Labels = Readonly<Record<string, string>>;

/** One observed value of one series (metric + labels), as a source returns it. */
export interface Sample {
  readonly metric: string;
  readonly labels: Labels;
  readonly value: number;
}
