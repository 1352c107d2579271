// The npm source: downloads of packages in the last available day, 7 days and 30 days, from the npm
// downloads API (test/fixtures/api/README.md §4; npm/registry docs/download-counts.md). Unscoped
// packages go in bulk requests of at most 128 names; the API refuses scoped names in bulk, so those
// go one by one.
import { z } from 'zod';
import { apiUrlSchema } from '../common/api-url.js';
import type { MetricDef, Sample } from '../../../../shared/metrics.js';
import { formatSeconds, intervalSchema } from '../../duration.js';
import { OutageGuard } from '../common/outage-guard.js';
import { attemptSignal, RequestTimeoutError, requestTimeoutSchema } from '../common/request-timeout.js';
import { RateLimitedError, TargetsFailedError } from '../../source.js';
import type { CollectContext, CollectResult, Source, SourceModule, TargetError } from '../../source.js';
import { createNpmBackfiller } from './backfill.js';
import { npmUi } from './ui.js';

// ---------------------------------------------------------------------------------------------
// Config: the `npm:` section, the user-facing contract of this source.

const MAX_NAME_LENGTH = 214;
const EXAMPLE = '"left-pad" or "@scope/name"';
const RESERVED_NAMES = new Set(['node_modules', 'favicon.ico']);

/** What npm accepts for a name part: characters that need no URL encoding (no spaces, commas, colons…). */
function isUrlSafe(part: string): boolean {
  return part !== '' && encodeURIComponent(part) === part;
}

/** A name-shaped version of bad text ("My Package" → "my-package"), offered only when it is valid. */
function suggestionFor(text: string): string | null {
  const scoped = /^@([^/]*)\/(.*)$/.exec(text);
  const tidy = (part: string) => part.toLowerCase().replace(/[^a-z0-9._~-]+/g, '-').replace(/^[-._]+|-+$/g, '');
  const candidate = scoped ? `@${tidy(scoped[1]!)}/${tidy(scoped[2]!)}` : tidy(text);
  return packageNameProblem(candidate) === null ? candidate : null;
}

/**
 * Why `name` is not an npm package name, with the form to write instead; null when it is one.
 * Follows npm's rules for existing packages: capitals stay allowed, since old packages such as
 * "JSONStream" still carry them and their downloads are counted under that name.
 */
export function packageNameProblem(name: string): string | null {
  if (name === '') return `an empty name is not an npm package: write a name such as ${EXAMPLE}`;
  const fromUrl = /npmjs\.(?:com|org)\/(?:package\/)?((?:@[^/?#]+\/)?[^/?#]+)/.exec(name);
  if (fromUrl) return `"${name}" is a web address: write the package name only, e.g. "${fromUrl[1]}"`;
  const withVersion = /^(@[^@/]+\/[^@/]+|[^@/]+)@.*$/.exec(name);
  if (withVersion) return `"${name}" names a version: write the package name only, e.g. "${withVersion[1]}"`;
  if (name.startsWith('@')) {
    if (!name.includes('/')) return `"${name}" is a scope without a package: write "${name}/name"`;
    const scoped = /^@([^/]+)\/([^/]+)$/.exec(name);
    if (!scoped) return `"${name}" is not a scoped package name: write it as "@scope/name"`;
  } else if (name.includes('/')) {
    const [scope, rest] = name.split('/', 2);
    return name.split('/').length === 2 && isUrlSafe(scope!) && isUrlSafe(rest!)
      ? `"${name}" is missing the "@" of its scope: write "@${name}"`
      : `"${name}" is not an npm package name: write a name such as ${EXAMPLE}`;
  }
  if (name.length > MAX_NAME_LENGTH) return `"${name.slice(0, 40)}…" is ${name.length} characters long: npm names have at most ${MAX_NAME_LENGTH}`;
  if (name.startsWith('.') || name.startsWith('_')) return `"${name}" starts with "${name[0]}", which npm names cannot: write it without, e.g. "${name.replace(/^[._]+/, '')}"`;
  if (RESERVED_NAMES.has(name.toLowerCase())) return `"${name}" is a name npm reserves, not a package: write a name such as ${EXAMPLE}`;
  const parts = name.startsWith('@') ? name.slice(1).split('/') : [name];
  if (!parts.every(isUrlSafe)) {
    const suggestion = suggestionFor(name);
    const instead = suggestion ? `e.g. "${suggestion}"` : `a name such as ${EXAMPLE}`;
    return `"${name}" holds characters npm names cannot (spaces, commas, ":" and the like): use letters, digits, "-", "." and "_", ${instead}`;
  }
  return null;
}

const packageNameSchema = z.string().trim().superRefine((name, ctx) => {
  const problem = packageNameProblem(name);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
});


export const DEFAULT_INTERVAL_MS = 6 * 3_600_000;

export const npmConfigSchema = z
  .object({
    apiUrl: apiUrlSchema('"https://api.npmjs.org"').default('https://api.npmjs.org'),
    // A name listed twice is counted once.
    packages: z.array(packageNameSchema).default([]).transform((names) => [...new Set(names)]),
    interval: intervalSchema().default(DEFAULT_INTERVAL_MS),
    timeout: requestTimeoutSchema(),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.packages.length > 0) return;
    ctx.addIssue({ code: 'custom', path: ['packages'], message: `npm needs at least one package: list names under npm.packages, e.g. [${EXAMPLE.replace(' or ', ', ')}]` });
  });

export type NpmConfig = z.output<typeof npmConfigSchema>;

// ---------------------------------------------------------------------------------------------
// Metrics.

export const npmMetrics: readonly MetricDef[] = [
  {
    name: 'npm_package_downloads',
    help: 'Downloads of the npm package, as the npm downloads API counts them, in the last available day (period="last_day"), 7 days ("last_week") or 30 days ("last_month"); days end at UTC midnight.',
    type: 'gauge',
    labels: ['package', 'period'],
  },
];

const PERIODS = [
  { path: 'last-day', label: 'last_day' },
  { path: 'last-week', label: 'last_week' },
  { path: 'last-month', label: 'last_month' },
] as const;

type Period = (typeof PERIODS)[number];

// ---------------------------------------------------------------------------------------------
// Requests.

/** The API's limit on names in one bulk request. */
export const MAX_BULK_PACKAGES = 128;

export interface PointRequest {
  readonly period: Period['path'];
  /** More than one name makes a bulk request (unscoped names only); its reply is keyed by name. */
  readonly names: readonly string[];
}

/** Every request one collection sends: unscoped names in batches of at most 128, scoped names alone. */
export function planRequests(packages: readonly string[]): PointRequest[] {
  const unscoped = packages.filter((name) => !name.startsWith('@'));
  const scoped = packages.filter((name) => name.startsWith('@'));
  const groups: string[][] = [];
  for (let start = 0; start < unscoped.length; start += MAX_BULK_PACKAGES) groups.push(unscoped.slice(start, start + MAX_BULK_PACKAGES));
  for (const name of scoped) groups.push([name]);
  return PERIODS.flatMap((period) => groups.map((names) => ({ period: period.path, names })));
}

/** How long to wait and how often to retry in-process; tests shrink the waits. */
export interface NpmTuning {
  /** Milliseconds per second of a Retry-After the API sends. */
  readonly retryAfterUnitMs: number;
  /** The longest Retry-After (seconds) waited in-process, once per request; a longer one ends the collection with RateLimitedError. */
  readonly maxWaitSeconds: number;
  /** Base of the backoff after a server or network error: retry n waits n² × this. */
  readonly retryDelayMs: number;
  /** In-process retries of one request after a server or network error. */
  readonly maxRetries: number;
  /** A request that takes longer is abandoned, and not retried (default: npm.timeout). */
  readonly requestTimeoutMs: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
}

export const productionTuning: NpmTuning = {
  retryAfterUnitMs: 1_000,
  maxWaitSeconds: 30,
  retryDelayMs: 1_000,
  maxRetries: 2,
  requestTimeoutMs: 20_000,
  concurrency: 4,
};

/** Waited for when a 429 names no time; the API's limits are not documented. */
const FALLBACK_RATE_LIMIT_WAIT_MS = 60_000;
const MESSAGE_LIMIT = 200;

/** One line of readable length: a proxy's HTML error page must not flood the status view. */
export function oneLine(text: string): string {
  const flat = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > MESSAGE_LIMIT ? `${flat.slice(0, MESSAGE_LIMIT)}…` : flat;
}

/** The API's own words: `{"error":"…"}`, else the body as text. */
export function apiMessageOf(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { error?: unknown }).error === 'string') {
      return oneLine((parsed as { error: string }).error);
    }
  } catch {
    // Not JSON: the text itself is the best description.
  }
  return oneLine(body) || '(empty body)';
}

/** Retry-After in seconds (delta-seconds or an HTTP date); null when absent or unreadable. */
export function retryAfterSeconds(value: string | null, now: number): number | null {
  if (value === null || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1000));
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

const countSchema = z.object({ downloads: z.number().int().nonnegative() });

/** A package's count for one period, or why there is none. */
type Outcome = { readonly downloads: number } | { readonly error: string };

interface Answer {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly body: string;
}

export function notFoundMessage(name: string): string {
  return `package '${name}' not found on npm — check npm.packages`;
}

/** Reads one package's entry (a single reply, or one value of a bulk reply). */
function countOf(entry: unknown, name: string, period: string): Outcome {
  if (entry === null) return { error: notFoundMessage(name) };
  if (entry === undefined) return { error: `the npm downloads API left '${name}' out of its ${period} reply — try again later` };
  const parsed = countSchema.safeParse(entry);
  if (parsed.success) return { downloads: parsed.data.downloads };
  return { error: `the npm downloads API sent an unexpected ${period} reply for '${name}': "downloads" is missing or not a count (${oneLine(JSON.stringify(entry))})` };
}

function outcomesOf(request: PointRequest, answer: Answer, apiUrl: string): Map<string, Outcome> {
  const all = (outcome: Outcome) => new Map(request.names.map((name) => [name, outcome] as const));
  const bulk = request.names.length > 1;
  if (answer.status === 404) {
    // npm says `{"error":"package X not found"}`; any other 404 means the URL is not the downloads API.
    const message = apiMessageOf(answer.body);
    if (/not found/i.test(message) && /^\s*\{/.test(answer.body)) return new Map(request.names.map((name) => [name, { error: notFoundMessage(name) }] as const));
    return all({ error: `${apiUrl} answered 404 (${message}) instead of download counts — check npm.apiUrl` });
  }
  if (answer.status !== 200) {
    const hint = answer.status >= 500 ? ' — npm is having trouble; collecting again next time' : '';
    return all({ error: `the npm downloads API answered ${answer.status} to ${request.period}: ${apiMessageOf(answer.body)}${hint}` });
  }
  let body: unknown;
  try {
    body = JSON.parse(answer.body);
  } catch {
    const names = request.names.map((name) => `'${name}'`).join(', ');
    return all({ error: `the npm downloads API sent a ${request.period} reply for ${bulk ? `${request.names.length} packages` : names} that is not JSON: "${oneLine(answer.body)}"` });
  }
  if (!bulk) return all(countOf(body, request.names[0]!, request.period));
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return all({ error: `the npm downloads API sent a ${request.period} bulk reply that is not an object keyed by package: ${oneLine(JSON.stringify(body))}` });
  }
  const byName = body as Record<string, unknown>;
  return new Map(request.names.map((name) => [name, countOf(Object.hasOwn(byName, name) ? byName[name] : undefined, name, request.period)] as const));
}

/** Lower-level knobs, for tests; `npmSource.create` uses the production defaults. */
export type NpmSourceOptions = Partial<NpmTuning>;

export function createNpmSource(config: NpmConfig, options: NpmSourceOptions = {}): Source {
  const overrides = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  const tuning: NpmTuning = { ...productionTuning, requestTimeoutMs: config.timeout, ...overrides };
  const requests = planRequests(config.packages);

  async function collect(ctx: CollectContext): Promise<CollectResult> {
    ctx.signal.throwIfAborted();
    // Our own controller, so a rate limit also stops the requests still in flight.
    const controller = new AbortController();
    const forwardStop = () => controller.abort(ctx.signal.reason);
    ctx.signal.addEventListener('abort', forwardStop, { once: true });
    const signal = controller.signal;
    let answers = 0;
    /** The last request that got no answer (after its retries): why, and whether it timed out. */
    let lastNetworkProblem: { problem: string; timedOut: boolean } | null = null;
    const guard = new OutageGuard('the npm downloads API');

    async function send(url: string): Promise<Answer> {
      const attempt = attemptSignal(signal, tuning.requestTimeoutMs);
      try {
        const response = await fetch(url, {
          headers: { accept: 'application/json', 'user-agent': 'footprint' },
          signal: attempt.signal,
        });
        const body = await response.text();
        return { status: response.status, retryAfter: response.headers.get('retry-after'), body };
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        if (attempt.timedOut()) throw new RequestTimeoutError('the npm downloads API', tuning.requestTimeoutMs);
        const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
        throw new Error(typeof cause?.code === 'string' ? `${cause.code}` : error instanceof Error ? error.message : String(error), { cause: error });
      }
    }

    async function fetchPoint(request: PointRequest): Promise<Map<string, Outcome>> {
      const url = `${config.apiUrl}/downloads/point/${request.period}/${request.names.join(',')}`;
      const what = request.names.length > 1 ? `${request.period} of ${request.names.length} packages` : `${request.period} of '${request.names[0]}'`;
      let retries = 0;
      let waitedForLimit = false;
      /** What the previous failed attempt comes to, which stands when the guard stops a retry. */
      let previous: (() => Map<string, Outcome>) | null = null;
      const unreachable = (problem: string, timedOut: boolean) => {
        lastNetworkProblem = { problem, timedOut };
        const reason = (name: string) => (timedOut ? `${problem} for '${name}'` : `could not reach the npm downloads API for '${name}' (${problem})`);
        return new Map(request.names.map((name) => [name, { error: `${reason(name)} — collecting again next time` }] as const));
      };
      for (;;) {
        let answer: Answer;
        const refusal = guard.refusal();
        if (refusal && previous) return previous();
        if (refusal) return new Map(request.names.map((name) => [name, { error: `'${name}' was not asked: ${refusal.message}` }] as const));
        const mark = guard.mark();
        try {
          answer = await send(url);
        } catch (error) {
          if (signal.aborted) throw signal.reason;
          ctx.countRequest('error');
          const problem = error instanceof Error ? error.message : String(error);
          if (error instanceof RequestTimeoutError) guard.timedOut(mark, `no answer within ${formatSeconds(error.timeoutMs)}`);
          else guard.failed(problem);
          if (retries < tuning.maxRetries && !(error instanceof RequestTimeoutError) && !guard.down) {
            retries++;
            ctx.log.warn({ request: what, problem, retry: retries }, 'npm downloads API unreachable; retrying');
            await sleep(retries * retries * tuning.retryDelayMs, signal);
            previous = () => unreachable(problem, false);
            continue;
          }
          return unreachable(problem, error instanceof RequestTimeoutError);
        }
        ctx.countRequest(answer.status);
        answers++;
        if (answer.status >= 500) guard.failed(`${answer.status}`);
        else guard.answered();
        if (answer.status === 429) {
          const seconds = retryAfterSeconds(answer.retryAfter, Date.now());
          if (!waitedForLimit && seconds !== null && seconds <= tuning.maxWaitSeconds) {
            waitedForLimit = true;
            ctx.log.warn({ request: what, retryAfterSeconds: seconds }, 'npm downloads API rate limit; waiting once');
            await sleep(seconds * tuning.retryAfterUnitMs, signal);
            continue;
          }
          const retryAt = seconds !== null ? Date.now() + seconds * 1000 : Date.now() + FALLBACK_RATE_LIMIT_WAIT_MS;
          throw new RateLimitedError(`the npm downloads API rate limit was hit; collecting again after ${new Date(retryAt).toISOString()}`, retryAt);
        }
        if (answer.status >= 500 && retries < tuning.maxRetries && !guard.down) {
          retries++;
          ctx.log.warn({ request: what, status: answer.status, retry: retries }, 'npm downloads API server error; retrying');
          await sleep(retries * retries * tuning.retryDelayMs, signal);
          const failed = answer;
          previous = () => outcomesOf(request, failed, config.apiUrl);
          continue;
        }
        return outcomesOf(request, answer, config.apiUrl);
      }
    }

    const values = new Map<string, Map<Period['label'], number>>();
    const problems = new Map<string, Set<string>>();
    const labelOf = new Map(PERIODS.map((period) => [period.path, period.label] as const));
    let next = 0;
    // The first error that ends the collection (a rate limit, a stop); the other lanes then wind down.
    const fatal: { stopped: boolean; error?: unknown } = { stopped: false };
    const lane = async () => {
      while (!fatal.stopped && next < requests.length) {
        const request = requests[next++]!;
        try {
          for (const [name, outcome] of await fetchPoint(request)) {
            if ('downloads' in outcome) {
              const byPeriod = values.get(name) ?? new Map<Period['label'], number>();
              byPeriod.set(labelOf.get(request.period)!, outcome.downloads);
              values.set(name, byPeriod);
            } else {
              problems.set(name, (problems.get(name) ?? new Set<string>()).add(outcome.error));
            }
          }
        } catch (error) {
          if (!fatal.stopped) {
            fatal.stopped = true;
            fatal.error = error;
            controller.abort(error);
          }
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.max(1, Math.min(tuning.concurrency, requests.length)) }, lane));
    } finally {
      ctx.signal.removeEventListener('abort', forwardStop);
    }
    ctx.signal.throwIfAborted();
    if (fatal.stopped) throw fatal.error;

    const samples: Sample[] = [];
    const errors: TargetError[] = [];
    for (const name of config.packages) {
      const byPeriod = values.get(name);
      for (const period of PERIODS) {
        const value = byPeriod?.get(period.label);
        if (value !== undefined) samples.push({ metric: 'npm_package_downloads', labels: { package: name, period: period.label }, value });
      }
      const messages = problems.get(name);
      if (messages) errors.push({ target: `package:${name}`, message: [...messages].join('; ') });
    }
    // Not one answer from the API: the source failed as a whole, not each package.
    if (answers === 0 && lastNetworkProblem !== null) {
      const { problem, timedOut } = lastNetworkProblem;
      throw new TargetsFailedError(
        timedOut
          ? `${problem} at ${config.apiUrl} — check npm.apiUrl and the network, or raise npm.timeout`
          : `the npm downloads API could not be reached at ${config.apiUrl} (${problem}) — check npm.apiUrl and the network`,
        errors,
      );
    }
    ctx.log.debug({ packages: config.packages.length, requests: requests.length, failed: errors.length }, 'npm downloads collected');
    return { samples, errors, collected: values.size };
  }

  return { id: 'npm', intervalMs: config.interval, timeoutMs: tuning.requestTimeoutMs, collect, backfill: createNpmBackfiller(config, tuning) };
}

export const npmSource: SourceModule<NpmConfig> = {
  id: 'npm',
  title: 'npm',
  configSchema: npmConfigSchema,
  metrics: npmMetrics,
  ui: npmUi,
  // The downloads API is public: the section holds no secret.
  secrets: () => [],
  create: (config) => createNpmSource(config),
};
