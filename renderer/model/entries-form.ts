// The Settings editor of a section that is a list of entries (the user-defined JSON sources, `http:`):
// each entry as the form edits it and back. Keys the editor does not know, `${VAR}` references and
// stored secrets (SECRET_UNCHANGED) come back as they were; empty optional keys are left out.
import type { SourceSettings } from '../../shared/api.js';

export interface HeaderDraft {
  readonly name: string;
  /** A secret: SECRET_UNCHANGED while the stored value is kept. */
  readonly value: string;
}

export interface MetricDraft {
  readonly name: string;
  readonly value: string;
  readonly help: string;
  /** "formula=wget, tier=free". */
  readonly labels: string;
  /** Keys the editor does not show (type…), kept as written. */
  readonly rest: Readonly<Record<string, unknown>>;
}

export interface EntryDraft {
  readonly name: string;
  readonly url: string;
  readonly interval: string;
  readonly headers: readonly HeaderDraft[];
  readonly metrics: readonly MetricDraft[];
  /** Keys the editor does not show (timeout…), kept as written. */
  readonly rest: Readonly<Record<string, unknown>>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function text(value: unknown): string {
  return value === undefined || value === null ? '' : typeof value === 'string' ? value : String(value);
}

function without(object: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)));
}

export function emptyMetric(): MetricDraft {
  return { name: '', value: '', help: '', labels: '', rest: {} };
}

export function emptyEntry(): EntryDraft {
  return { name: '', url: '', interval: '', headers: [], metrics: [emptyMetric()], rest: {} };
}

/** "a=1, b=2" for a labels mapping. */
export function labelsText(labels: unknown): string {
  return isObject(labels) ? Object.entries(labels).map(([name, value]) => `${name}=${text(value)}`).join(', ') : '';
}

/** The mapping "a=1, b=2" stands for; a part without "=" is kept as a name with an empty value, so the core names it. */
export function parseLabels(written: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const part of written.split(',')) {
    const trimmed = part.trim();
    if (trimmed === '') continue;
    const equals = trimmed.indexOf('=');
    labels[(equals === -1 ? trimmed : trimmed.slice(0, equals)).trim()] = equals === -1 ? '' : trimmed.slice(equals + 1).trim();
  }
  return labels;
}

function metricFrom(value: unknown): MetricDraft {
  const metric = isObject(value) ? value : {};
  return { name: text(metric.name), value: text(metric.value), help: text(metric.help), labels: labelsText(metric.labels), rest: without(metric, ['name', 'value', 'help', 'labels']) };
}

export function entriesFromSettings(section: unknown): EntryDraft[] {
  if (!Array.isArray(section)) return [];
  return section.map((item) => {
    const entry = isObject(item) ? item : {};
    return {
      name: text(entry.name),
      url: text(entry.url),
      interval: text(entry.interval),
      headers: isObject(entry.headers) ? Object.entries(entry.headers).map(([name, value]) => ({ name, value: text(value) })) : [],
      metrics: Array.isArray(entry.metrics) ? entry.metrics.map(metricFrom) : [],
      rest: without(entry, ['name', 'url', 'interval', 'headers', 'metrics']),
    };
  });
}

function withText(target: Record<string, unknown>, key: string, value: string): void {
  const trimmed = value.trim();
  if (trimmed !== '') target[key] = trimmed;
}

export function settingsFromEntries(entries: readonly EntryDraft[]): SourceSettings[] {
  return entries.map((entry) => {
    const result: Record<string, unknown> = {};
    withText(result, 'name', entry.name);
    withText(result, 'url', entry.url);
    const headers = entry.headers.filter((header) => header.name.trim() !== '');
    if (headers.length > 0) result.headers = Object.fromEntries(headers.map((header) => [header.name.trim(), header.value.trim()]));
    withText(result, 'interval', entry.interval);
    Object.assign(result, entry.rest);
    result.metrics = entry.metrics.map((metric) => {
      const written: Record<string, unknown> = {};
      withText(written, 'name', metric.name);
      withText(written, 'help', metric.help);
      withText(written, 'value', metric.value);
      const labels = parseLabels(metric.labels);
      if (Object.keys(labels).length > 0) written.labels = labels;
      return { ...written, ...metric.rest };
    });
    return result;
  });
}
