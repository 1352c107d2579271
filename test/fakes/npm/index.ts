// A loopback fake of the npm downloads API's point endpoint, behaving like the real one where
// Footprint depends on it: single and bulk replies, start/end dates, the 404 body, the bulk limits
// (128 names, no scoped names). See test/fixtures/api/README.md §4 and npm/registry docs/download-counts.md.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FailureQueue, serveOnLoopback, type FaultControls } from '../loopback.js';

export interface FakeNpmDownloads {
  readonly last_day: number;
  readonly last_week: number;
  readonly last_month: number;
}

export interface FakeNpmOptions {
  /** The packages npm knows, by name ("left-pad", "@scope/name"); any other name is not found. */
  readonly packages?: Readonly<Record<string, FakeNpmDownloads>>;
  /** Delay before every reply. */
  readonly latencyMs?: number;
  /** The clock the reply dates come from (default Date.now). */
  readonly now?: () => number;
}

export interface FakeNpmFailure {
  /** Tested against the request path; absent matches every request. */
  readonly match?: RegExp;
  /** The status to answer: 4xx/5xx with the API's `{"error":…}` body, or any status with `body`. */
  readonly status: number;
  /** Sent as Retry-After (seconds). */
  readonly retryAfterSeconds?: number;
  /** Raw reply text instead of the error body, e.g. a malformed 200. */
  readonly body?: string;
  /** How many matching requests fail (default 1). */
  readonly times?: number;
}

export interface FakeNpmRequest {
  readonly method: string;
  /** The path as sent (not decoded), e.g. "/downloads/point/last-day/@scope/name". */
  readonly path: string;
  readonly status: number;
  /** "last-day", "last-week", … or null for a path outside the point endpoint. */
  readonly period: string | null;
  /** The names asked for; more than one is a bulk request. */
  readonly packages: readonly string[];
}

export interface FakeNpm extends FaultControls {
  readonly url: string;
  readonly requests: FakeNpmRequest[];
  /** Changes (or adds) a package's counts. */
  setDownloads(name: string, patch: Partial<FakeNpmDownloads>): void;
  /** Queue a failure for the next matching request(s). */
  failNext(failure: FakeNpmFailure): void;
  close(): Promise<void>;
}

/** The bulk limit and its refusals. The scoped message is the real API's; the 128 one is undocumented, so ours. */
export const FAKE_BULK_LIMIT = 128;
export const SCOPED_IN_BULK_ERROR = 'scoped packages are not currently supported in bulk lookups';
export const TOO_MANY_IN_BULK_ERROR = `bulk lookups are limited to ${FAKE_BULK_LIMIT} packages`;

/** Days covered by each period: the last available day is yesterday (UTC); dates are inclusive. */
const PERIOD_DAYS: Readonly<Record<string, { days: number; key: keyof FakeNpmDownloads }>> = {
  'last-day': { days: 1, key: 'last_day' },
  'last-week': { days: 7, key: 'last_week' },
  'last-month': { days: 30, key: 'last_month' },
};

const DAY_MS = 86_400_000;

function isoDay(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** start/end of a period as the real API computes them: ending yesterday (UTC), `days` days long. */
export function fakePeriodDates(period: string, nowMs: number): { start: string; end: string } {
  const spec = PERIOD_DAYS[period];
  if (!spec) throw new Error(`unknown period ${period}`);
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const end = today - DAY_MS;
  return { start: isoDay(end - (spec.days - 1) * DAY_MS), end: isoDay(end) };
}

function checkDownloads(name: string, downloads: Partial<FakeNpmDownloads>): void {
  for (const [key, value] of Object.entries(downloads)) {
    if (!(key in { last_day: 0, last_week: 0, last_month: 0 })) throw new Error(`fake npm: ${name} has unknown field ${key}`);
    if (!Number.isInteger(value) || (value as number) < 0) throw new Error(`fake npm: ${name}.${key} must be a non-negative integer, got ${JSON.stringify(value)}`);
  }
}

interface Reply {
  readonly status: number;
  readonly body: string;
  readonly headers?: Record<string, string>;
}

function json(status: number, body: unknown): Reply {
  return { status, body: JSON.stringify(body) };
}

const STATUS_TEXT: Readonly<Record<number, string>> = { 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };

export async function startFakeNpm(options: FakeNpmOptions = {}): Promise<FakeNpm> {
  if (options.latencyMs !== undefined && (!Number.isFinite(options.latencyMs) || options.latencyMs < 0)) {
    throw new Error(`FakeNpmOptions.latencyMs must be a non-negative number of milliseconds, got ${JSON.stringify(options.latencyMs)}`);
  }
  const packages = new Map<string, FakeNpmDownloads>();
  for (const [name, downloads] of Object.entries(options.packages ?? {})) {
    checkDownloads(name, downloads);
    packages.set(name, { ...downloads });
  }
  const now = options.now ?? Date.now;
  const latencyMs = options.latencyMs ?? 0;
  const requests: FakeNpmRequest[] = [];
  const failures = new FailureQueue<FakeNpmFailure>();
  const timers = new Set<NodeJS.Timeout>();

  function failureReply(failure: FakeNpmFailure): Reply {
    const headers: Record<string, string> = failure.retryAfterSeconds !== undefined ? { 'retry-after': String(failure.retryAfterSeconds) } : {};
    if (failure.body !== undefined) return { status: failure.status, body: failure.body, headers };
    return { status: failure.status, body: JSON.stringify({ error: STATUS_TEXT[failure.status] ?? `status ${failure.status}` }), headers };
  }

  function pointEntry(name: string, period: string): Record<string, unknown> | null {
    const counts = packages.get(name);
    if (!counts) return null;
    const { start, end } = fakePeriodDates(period, now());
    // Key order as in npm_downloads_point.json.
    return { downloads: counts[PERIOD_DAYS[period]!.key], start, end, package: name };
  }

  function pointReply(period: string, names: readonly string[]): Reply {
    if (!PERIOD_DAYS[period]) return json(400, { error: `the fake npm API serves last-day, last-week and last-month only, not "${period}"` });
    if (names.length === 0) {
      // All packages: the total, without a package key.
      const { start, end } = fakePeriodDates(period, now());
      const key = PERIOD_DAYS[period]!.key;
      return json(200, { downloads: [...packages.values()].reduce((sum, counts) => sum + counts[key], 0), start, end });
    }
    if (names.length === 1) {
      const entry = pointEntry(names[0]!, period);
      return entry ? json(200, entry) : json(404, { error: `package ${names[0]} not found` });
    }
    if (names.some((name) => name.startsWith('@'))) return json(400, { error: SCOPED_IN_BULK_ERROR });
    if (names.length > FAKE_BULK_LIMIT) return json(400, { error: TOO_MANY_IN_BULK_ERROR });
    // Unknown names show as null in a bulk reply.
    return json(200, Object.fromEntries(names.map((name) => [name, pointEntry(name, period)])));
  }

  function route(method: string, path: string): { reply: Reply; period: string | null; names: string[] } {
    const match = /^\/downloads\/point\/([^/]+)(?:\/(.+))?$/.exec(path);
    if (method !== 'GET' || !match) return { reply: json(404, { error: 'not found' }), period: null, names: [] };
    const period = decodeURIComponent(match[1]!);
    const names = match[2] === undefined ? [] : decodeURIComponent(match[2]).split(',').filter((name) => name !== '');
    const failure = failures.take(path);
    return { reply: failure ? failureReply(failure) : pointReply(period, names), period, names };
  }

  async function respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.resume();
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0]!;
    const { reply, period, names } = route(method, path);
    requests.push({ method, path, status: reply.status, period, packages: names });
    if (latencyMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, latencyMs);
        timers.add(timer);
      });
    }
    if (res.destroyed) return;
    res.writeHead(reply.status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(reply.body)),
      ...reply.headers,
    });
    res.end(reply.body);
  }

  const loopback = await serveOnLoopback(respond, (message) => JSON.stringify({ error: `fake npm failed: ${message}` }));

  return {
    url: loopback.origin,
    requests,
    setDownloads: (name, patch) => {
      checkDownloads(name, patch);
      packages.set(name, { last_day: 0, last_week: 0, last_month: 0, ...packages.get(name), ...patch });
    },
    failNext: (failure) => {
      const lowest = failure.body === undefined ? 400 : 100;
      if (!Number.isInteger(failure.status) || failure.status < lowest || failure.status > 599) {
        throw new Error(`failNext: status must be ${lowest === 400 ? 'an HTTP error status (400-599), or any status with a body' : 'an HTTP status'}, got ${failure.status}`);
      }
      failures.push(failure);
    },
    setHanging: (on) => loopback.setHanging(on),
    get hungRequests() {
      return loopback.hungRequests;
    },
    clearFailures: () => failures.clear(),
    close: () => loopback.close(timers),
  };
}
