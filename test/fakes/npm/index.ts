// A loopback fake of the npm downloads API's point and range endpoints, behaving like the real one
// where Footprint depends on it: single and bulk replies, start/end dates, the 404 body, the bulk limits
// (128 names, no scoped names), daily history (ranges.ts). See test/fixtures/api/README.md §4 and
// npm/registry docs/download-counts.md.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FailureQueue, Latency, serveOnLoopback, type FaultControls } from '../loopback.js';
import { checkDailyDownloads, dayNumber, rangeReply, sumDownloads, type DailyBook } from './ranges.js';

export { BULK_RANGE_TOO_LONG_ERROR, FAKE_DATA_START } from './ranges.js';

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
  /**
   * Downloads per day ("YYYY-MM-DD" → count) of packages, served by the range endpoint; days not
   * listed had none. A package listed here and not in `packages` gets its point counts from these.
   */
  readonly daily?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** The last day whose counts have landed ("YYYY-MM-DD"); later days read 0. Default: yesterday (UTC). */
  readonly landed?: string;
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
  /** "point" or "range"; null for a path outside both. */
  readonly endpoint: 'point' | 'range' | null;
  /** "last-day", "last-week", "2024-01-01:2024-12-31", … or null for a path outside the endpoints. */
  readonly period: string | null;
  /** The names asked for; more than one is a bulk request. */
  readonly packages: readonly string[];
}

export interface FakeNpm extends FaultControls {
  readonly url: string;
  readonly requests: FakeNpmRequest[];
  /** Changes (or adds) a package's counts. */
  setDownloads(name: string, patch: Partial<FakeNpmDownloads>): void;
  /** Adds or revises days of a package's daily history ("YYYY-MM-DD" → count). */
  setDailyDownloads(name: string, days: Readonly<Record<string, number>>): void;
  /** Moves the last day whose counts have landed ("YYYY-MM-DD"). */
  setLanded(day: string): void;
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
  const packages = new Map<string, FakeNpmDownloads>();
  for (const [name, downloads] of Object.entries(options.packages ?? {})) {
    checkDownloads(name, downloads);
    packages.set(name, { ...downloads });
  }
  const daily: DailyBook = new Map(Object.entries(options.daily ?? {}).map(([name, days]) => [name, checkDailyDownloads(name, days)]));
  const now = options.now ?? Date.now;
  const landedDay = (text: string): number => {
    const day = dayNumber(text);
    if (day === null) throw new Error(`fake npm: landed must be a day "YYYY-MM-DD", got ${JSON.stringify(text)}`);
    return day;
  };
  let landedOverride = options.landed === undefined ? null : landedDay(options.landed);
  /** The last day with counts: yesterday (UTC) unless a test moved it. */
  const landed = () => landedOverride ?? Math.floor(now() / DAY_MS) - 1;
  const known = (name: string) => packages.has(name) || daily.has(name);
  const latency = new Latency('FakeNpmOptions.latencyMs', options.latencyMs);
  const requests: FakeNpmRequest[] = [];
  const failures = new FailureQueue<FakeNpmFailure>();

  function failureReply(failure: FakeNpmFailure): Reply {
    const headers: Record<string, string> = failure.retryAfterSeconds !== undefined ? { 'retry-after': String(failure.retryAfterSeconds) } : {};
    if (failure.body !== undefined) return { status: failure.status, body: failure.body, headers };
    return { status: failure.status, body: JSON.stringify({ error: STATUS_TEXT[failure.status] ?? `status ${failure.status}` }), headers };
  }

  function pointEntry(name: string, period: string): Record<string, unknown> | null {
    const counts = packages.get(name);
    const days = daily.get(name);
    if (!counts && !days) return null;
    const { start, end } = fakePeriodDates(period, (landed() + 1) * DAY_MS);
    const downloads = counts ? counts[PERIOD_DAYS[period]!.key] : sumDownloads(days!, dayNumber(start)!, dayNumber(end)!, landed());
    // Key order as in npm_downloads_point.json.
    return { downloads, start, end, package: name };
  }

  function pointReply(period: string, names: readonly string[]): Reply {
    if (!PERIOD_DAYS[period]) return json(400, { error: `the fake npm API serves last-day, last-week and last-month only, not "${period}"` });
    if (names.length === 0) {
      // All packages: the total, without a package key.
      const { start, end } = fakePeriodDates(period, (landed() + 1) * DAY_MS);
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

  function route(method: string, path: string): { reply: Reply; endpoint: FakeNpmRequest['endpoint']; period: string | null; names: string[] } {
    const match = /^\/downloads\/(point|range)\/([^/]+)(?:\/(.+))?$/.exec(path);
    if (method !== 'GET' || !match) return { reply: json(404, { error: 'not found' }), endpoint: null, period: null, names: [] };
    const endpoint = match[1] as 'point' | 'range';
    const period = decodeURIComponent(match[2]!);
    const names = match[3] === undefined ? [] : decodeURIComponent(match[3]).split(',').filter((name) => name !== '');
    const failure = failures.take(path);
    if (failure) return { reply: failureReply(failure), endpoint, period, names };
    if (endpoint === 'point') return { reply: pointReply(period, names), endpoint, period, names };
    // The range endpoint's bulk limits are the point endpoint's.
    if (names.length > 1 && names.some((name) => name.startsWith('@'))) return { reply: json(400, { error: SCOPED_IN_BULK_ERROR }), endpoint, period, names };
    if (names.length > FAKE_BULK_LIMIT) return { reply: json(400, { error: TOO_MANY_IN_BULK_ERROR }), endpoint, period, names };
    const answer = rangeReply(period, names, daily, known, landed());
    return { reply: json(answer.status, answer.body), endpoint, period, names };
  }

  async function respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.resume();
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0]!;
    const { reply, endpoint, period, names } = route(method, path);
    requests.push({ method, path, status: reply.status, endpoint, period, packages: names });
    await latency.wait();
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
    setDailyDownloads: (name, days) => {
      const revised = checkDailyDownloads(name, days);
      daily.set(name, new Map([...(daily.get(name) ?? []), ...revised]));
    },
    setLanded: (day) => {
      landedOverride = landedDay(day);
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
    close: () => loopback.close(latency.timers),
  };
}
