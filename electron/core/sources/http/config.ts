// The `http:` section: a LIST of user-defined JSON sources, each one address polled on its own
// interval, and the metrics it yields, each picked out of the answer by a JMESPath expression.
import { z } from 'zod';
import { intervalSchema } from '../../duration.js';
import { requestTimeoutSchema } from '../common/request-timeout.js';
import { compileExpression } from './expression.js';

/** A JSON API is read hourly unless its entry says otherwise. */
export const DEFAULT_INTERVAL_MS = 3_600_000;
/** The label every series of an entry carries: the entry's name (it groups the Overview's cards). */
export const ENDPOINT_LABEL = 'endpoint';
/** Footprint's own metrics (footprint_source_up…) keep this prefix. */
const RESERVED_PREFIX = 'footprint_';

const ENTRY_NAME = /^[a-z0-9][a-z0-9_-]*$/i;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** RFC 9110's token: the characters a header name may have. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/i;

const urlSchema = z.string().trim().superRefine((text, ctx) => {
  const url = URL.canParse(text) ? new URL(text) : null;
  if (url && (url.username !== '' || url.password !== '')) {
    // Never quoted: the address holds a password.
    ctx.addIssue({ code: 'custom', message: 'the address holds a user name or password (user:password@host), which Footprint does not send — remove it and put the credential in headers, e.g. Authorization: "Basic ${MY_API_BASIC}"' });
    return;
  }
  if (url && (url.protocol === 'http:' || url.protocol === 'https:')) return;
  ctx.addIssue({ code: 'custom', message: `"${text.slice(0, 80)}" is not an http(s) address: write the full URL of the JSON answer, e.g. "https://huggingface.co/api/models/openai-community/gpt2"` });
});

const metricSchema = z.strictObject({
  name: z.string().trim().superRefine((name, ctx) => {
    if (!METRIC_NAME.test(name)) ctx.addIssue({ code: 'custom', message: `"${name.slice(0, 80)}" is not a Prometheus metric name: use letters, digits, "_" and ":", not starting with a digit, e.g. "homebrew_installs_30d"` });
    else if (name.startsWith(RESERVED_PREFIX)) ctx.addIssue({ code: 'custom', message: `"${name}": the "${RESERVED_PREFIX}" prefix is kept for Footprint's own metrics — name it after what it counts, e.g. "${name.slice(RESERVED_PREFIX.length) || 'my'}_count"` });
  }),
  help: z.string().trim().min(1, 'write what the number is, e.g. "Installs of the formula in the last 30 days"').optional(),
  value: z.string().trim().min(1, 'write a JMESPath expression that picks the number, e.g. "downloads" or "about.stats.users_count"').superRefine((text, ctx) => {
    const compiled = compileExpression(text);
    if ('problem' in compiled) ctx.addIssue({ code: 'custom', message: `"${text.slice(0, 120)}" is not a JMESPath expression (${compiled.problem}) — fix it, e.g. "items[?formula=='wget'].count | [0]"; quote names with digits or dashes: analytics.install."30d"` });
  }),
  type: z.enum(['gauge', 'counter']).default('gauge'),
  labels: z.record(z.string(), z.string()).default({}).superRefine((labels, ctx) => {
    for (const name of Object.keys(labels)) {
      if (!LABEL_NAME.test(name) || name.startsWith('__')) {
        ctx.addIssue({ code: 'custom', path: [name], message: `"${name.slice(0, 80)}" is not a label name: use letters, digits and "_", not starting with a digit or "__", e.g. formula` });
      } else if (name === ENDPOINT_LABEL) {
        ctx.addIssue({ code: 'custom', path: [name], message: `"${ENDPOINT_LABEL}" is the label Footprint gives every series of the entry (its name) — pick another label name` });
      }
    }
  }),
});

/** Prometheus' convention, which promtool checks: a counter's name ends in _total. */
const metricWithTypeSchema = metricSchema.superRefine((metric, ctx) => {
  if (metric.type === 'counter' && !metric.name.endsWith('_total')) {
    ctx.addIssue({ code: 'custom', path: ['name'], message: `a counter's name ends in "_total" in Prometheus: name it "${metric.name}_total", or make it a gauge (type: gauge)` });
  }
});

const entrySchema = z.strictObject({
  name: z.string().trim().regex(ENTRY_NAME, 'use letters, digits, "-" and "_", starting with a letter or digit, e.g. "homebrew"'),
  url: urlSchema,
  // Values are secrets (masked everywhere, sent only to this entry's url).
  headers: z.record(z.string(), z.string()).default({}).superRefine((headers, ctx) => {
    for (const name of Object.keys(headers)) {
      if (!HEADER_NAME.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: `"${name.slice(0, 80)}" is not an HTTP header name: use letters, digits and "-", e.g. Authorization` });
    }
  }),
  interval: intervalSchema().default(DEFAULT_INTERVAL_MS),
  timeout: requestTimeoutSchema(),
  metrics: z.array(metricWithTypeSchema).min(1, 'list at least one metric: name, help and value (a JMESPath expression)'),
});

export const httpConfigSchema = z
  .array(entrySchema)
  .min(1, 'list at least one JSON source, e.g. - name: homebrew, url: "https://formulae.brew.sh/api/formula/wget.json", metrics: [...]')
  .superRefine((entries, ctx) => {
    const entryAt = new Map<string, number>();
    const metricAt = new Map<string, string>();
    entries.forEach((entry, index) => {
      const first = entryAt.get(entry.name.toLowerCase());
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `"${entry.name}" is also the name of http[${first}]: give each JSON source its own name` });
      else entryAt.set(entry.name.toLowerCase(), index);
      entry.metrics.forEach((metric, position) => {
        const owner = metricAt.get(metric.name);
        if (owner !== undefined) ctx.addIssue({ code: 'custom', path: [index, 'metrics', position, 'name'], message: `${metric.name} is already defined at ${owner}: each metric is defined once — give this one another name` });
        else metricAt.set(metric.name, `http[${index}].metrics[${position}]`);
      });
    });
  });

export type HttpConfig = z.output<typeof httpConfigSchema>;
export type HttpEntry = HttpConfig[number];
export type HttpMetric = HttpEntry['metrics'][number];

/** An entry's header values, and the credential after a scheme ("Bearer abc" → also "abc"): never shown anywhere. */
export function headerSecrets(entry: HttpEntry): string[] {
  return Object.values(entry.headers).flatMap((value) => {
    const credential = /^\s*[A-Za-z][\w-]*\s+(\S.*)$/.exec(value)?.[1]?.trim();
    return credential !== undefined && credential.length >= 8 ? [value.trim(), credential] : [value.trim()];
  }).filter((value) => value !== '');
}

/** The source runs at the shortest interval of its entries. */
export function entriesInterval(config: HttpConfig): number {
  return Math.min(...config.map((entry) => entry.interval));
}

/** Its run's requests may wait as long as the longest entry timeout. */
export function entriesTimeout(config: HttpConfig): number {
  return Math.max(...config.map((entry) => entry.timeout));
}
