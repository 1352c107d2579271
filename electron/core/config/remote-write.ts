// The `remoteWrite:` section: receivers (Grafana Cloud, Mimir, Thanos, VictoriaMetrics, a Prometheus with
// --web.enable-remote-write-receiver) Footprint pushes its series to with Prometheus' remote-write protocol.
// Each entry's credentials are secrets: registered for masking and sent to that entry's url only.
import { hostname } from 'node:os';
import { z } from 'zod';
import { durationSchema } from '../duration.js';
import { MASK } from '../secrets.js';
import { apiUrlSchema } from '../sources/common/api-url.js';

export const REMOTE_WRITE_DEFAULTS = {
  interval: '1m',
  timeout: '30s',
  /** Receivers refuse samples far behind their newest (Prometheus and Mimir: about an hour past their head). */
  maxBacklog: '2h',
  /** Prometheus' own sender's max_samples_per_send. */
  maxSamplesPerSend: 2_000,
} as const;

/** Label names as Prometheus accepts them; `__…` names are reserved for Prometheus itself. */
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const labelsSchema = z.record(
  z.string().regex(LABEL_NAME, 'a label name is letters, digits and "_", not starting with a digit').refine((name) => !name.startsWith('__'), 'label names starting with "__" are reserved for Prometheus — choose another name'),
  z.string().min(1, 'a label value cannot be empty — leave the label out instead'),
);

const secretText = (what: string) => z.string().trim().min(1, `${what} is empty — write it, or a \${VARIABLE} that holds it`);

export const remoteWriteTargetSchema = z
  .strictObject({
    /** Names the receiver in footprint_remote_write_* labels and logs; the url's host and path when left out. */
    name: z.string().trim().min(1).max(100).optional(),
    url: apiUrlSchema('the receiver\'s push address, e.g. "https://prometheus.example.com/api/v1/write" or Grafana Cloud\'s ".../api/prom/push"').meta({ examples: ['https://mimir.example.com/api/v1/push'] }),
    authorization: z.strictObject({ type: z.string().trim().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'an authorization type is one word, e.g. "Bearer"').prefault('Bearer'), credentials: secretText('authorization.credentials').meta({ examples: ['${REMOTE_WRITE_TOKEN}'] }) }).optional(),
    basicAuth: z
      .strictObject({
        // Grafana Cloud's user is a number, which YAML reads as one when it is not quoted.
        username: z.union([z.string().trim().min(1, 'basicAuth.username is empty — write the user name (Grafana Cloud: the instance id)'), z.number().int().nonnegative().transform(String)]),
        password: secretText('basicAuth.password'),
      })
      .optional(),
    /** Every interval, the values of every series at that time are sent (the resolution the receiver gets). */
    interval: durationSchema(1_000, 3_600_000).prefault(REMOTE_WRITE_DEFAULTS.interval),
    /** How long one push may wait for its answer. */
    timeout: durationSchema(1_000, 5 * 60_000).prefault(REMOTE_WRITE_DEFAULTS.timeout),
    /** How far the sender may fall behind while the receiver is down; older steps are dropped (counted). */
    maxBacklog: durationSchema(60_000, 30 * 86_400_000).prefault(REMOTE_WRITE_DEFAULTS.maxBacklog),
    maxSamplesPerSend: z.number().int('use a whole number').min(100, 'use at least 100').max(50_000, 'use at most 50000').prefault(REMOTE_WRITE_DEFAULTS.maxSamplesPerSend),
    /** Added to every series (a series' own label of the same name wins), like Prometheus' external_labels. */
    labels: labelsSchema.optional(),
  })
  .superRefine((target, ctx) => {
    if (target.authorization && target.basicAuth) ctx.addIssue({ code: 'custom', path: ['basicAuth'], message: 'use either authorization or basicAuth, not both — the receiver takes one Authorization header' });
  });

export const remoteWriteSchema = z.array(remoteWriteTargetSchema).superRefine((targets, ctx) => {
  const names = new Map<string, number>();
  const urls = new Map<string, number>();
  targets.forEach((target, index) => {
    const name = remoteWriteName(target);
    const sameName = names.get(name);
    const sameUrl = urls.get(target.url);
    // What was sent is remembered per url: two entries for one receiver would each skip what the other sent.
    if (sameUrl !== undefined) ctx.addIssue({ code: 'custom', path: [index, 'url'], message: `remoteWrite[${sameUrl}] already pushes to this url — list each receiver once` });
    else if (sameName !== undefined) ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `remoteWrite[${sameName}] is already named "${name}" — give each receiver its own name` });
    if (sameName === undefined) names.set(name, index);
    if (sameUrl === undefined) urls.set(target.url, index);
  });
}).prefault([]);

type ParsedTarget = z.output<typeof remoteWriteTargetSchema>;

/** One receiver, as the sender uses it. Times in milliseconds. */
export interface RemoteWriteTarget {
  readonly name: string;
  readonly url: string;
  /** The Authorization header's value, or null; a secret. */
  readonly authorization: string | null;
  /** The credentials as written and as sent (a Basic header's base64): masked everywhere, sent to `url` only. */
  readonly secrets: readonly string[];
  /** The authorization or basicAuth block as written, its secret masked (for check-config). */
  readonly maskedAuth: Readonly<Record<string, unknown>>;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly maxBacklogMs: number;
  readonly maxSamplesPerSend: number;
  /** Identity labels added to every series: job="footprint", instance=<host name> unless set. */
  readonly labels: Readonly<Record<string, string>>;
}

/** The url's host and path: what the receiver is called when it has no name (never a credential: urls hold none). */
function remoteWriteName(target: Pick<ParsedTarget, 'name' | 'url'>): string {
  if (target.name !== undefined) return target.name;
  const url = URL.canParse(target.url) ? new URL(target.url) : null;
  return url ? `${url.host}${url.pathname}` : target.url;
}

/** The parsed section as the sender uses it. */
export function remoteWriteTargets(parsed: readonly ParsedTarget[], host: string = hostname()): RemoteWriteTarget[] {
  return parsed.map((target) => {
    const secrets: string[] = [];
    let authorization: string | null = null;
    let maskedAuth = {};
    if (target.authorization) {
      authorization = `${target.authorization.type} ${target.authorization.credentials}`;
      secrets.push(target.authorization.credentials);
      maskedAuth = { authorization: { type: target.authorization.type, credentials: MASK } };
    } else if (target.basicAuth) {
      const encoded = Buffer.from(`${target.basicAuth.username}:${target.basicAuth.password}`).toString('base64');
      authorization = `Basic ${encoded}`;
      secrets.push(target.basicAuth.password, encoded);
      maskedAuth = { basicAuth: { username: target.basicAuth.username, password: MASK } };
    }
    return {
      name: remoteWriteName(target),
      url: target.url,
      authorization,
      secrets,
      maskedAuth,
      intervalMs: target.interval,
      timeoutMs: target.timeout,
      maxBacklogMs: target.maxBacklog,
      maxSamplesPerSend: target.maxSamplesPerSend,
      labels: { job: 'footprint', instance: host, ...target.labels },
    };
  });
}
