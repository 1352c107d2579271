// The Prometheus text format's escaping and values, shared by /metrics (exporter.ts, self-metrics.ts)
// and `footprint export --format openmetrics`.

const NEEDS_LABEL_ESCAPE = /[\\"\n]/;

/**
 * Label text as valid UTF-8: a lone UTF-16 surrogate (garbage from an API, e.g. "\ud800") becomes U+FFFD,
 * so /metrics stays valid text, and two names that differ only in such garbage are one series, never a
 * duplicate line that makes Prometheus refuse the whole scrape.
 */
export function wellFormedLabel(value: string): string {
  return value.isWellFormed() ? value : value.toWellFormed();
}

/** A label value in the text format and in OpenMetrics: backslash, double quote and line feed escaped. */
export function escapeLabelValue(value: string): string {
  value = wellFormedLabel(value);
  if (!NEEDS_LABEL_ESCAPE.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/** HELP text: backslash and line feed escaped. */
export function escapeHelp(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** Values are validated finite on the way in, and String() of a finite number is valid exposition. */
export function formatValue(value: number): string {
  return String(value);
}

