// A loopback fake of pypistats.org's API, behaving like the real one where Footprint depends on it
// (test/fixtures/api/README.md §4, pypistats_*.json): /api/packages/NAME/recent with the last day,
// week and month ending yesterday (UTC), /overall with a day per category and date for the last 180
// days ("with_mirrors", "without_mirrors"; ?mirrors=false keeps the second), a bare "404" for an
// unknown name, and 429 as an HTML page with Retry-After when a test asks for it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FailureQueue, InFlight, Latency, serveOnLoopback, type FaultControls } from '../loopback.js';

const DAY_MS = 86_400_000;
/** Days pypistats keeps. */
export const FAKE_PYPI_DAYS = 180;
/** What mirrors add to a day's count in the fake: the "with_mirrors" category is this much larger. */
export const FAKE_MIRROR_EXTRA = 5;
export const TOO_MANY_REQUESTS_PAGE = '<!doctype html><html><head><title>429 Too Many Requests</title></head><body><h1>Too Many Requests</h1><p>1 per 1 second</p></body></html>';

export interface FakePypiOptions {
  /** Downloads per day without mirrors of each package the fake knows ("YYYY-MM-DD" → count), by normalised name. */
  readonly daily?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly latencyMs?: number;
  /** The clock: "yesterday" is the last day served (default Date.now). */
  readonly now?: () => number;
}

export interface FakePypiFailure {
  readonly match?: RegExp;
  readonly status: number;
  readonly retryAfterSeconds?: number;
  /** Raw reply text instead of the status's usual page. */
  readonly body?: string;
  readonly times?: number;
}

export interface FakePypiRequest {
  readonly path: string;
  readonly query: string;
  readonly status: number;
  readonly userAgent: string | undefined;
}

export interface FakePypi extends FaultControls {
  readonly url: string;
  readonly requests: FakePypiRequest[];
  /** The most requests the fake held at once. */
  readonly maxInFlight: number;
  setDaily(name: string, days: Readonly<Record<string, number>>): void;
  failNext(failure: FakePypiFailure): void;
  close(): Promise<void>;
}

function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export async function startFakePypi(options: FakePypiOptions = {}): Promise<FakePypi> {
  const daily = new Map(Object.entries(options.daily ?? {}).map(([name, days]) => [name, new Map(Object.entries(days))]));
  const now = options.now ?? Date.now;
  const latency = new Latency('FakePypiOptions.latencyMs', options.latencyMs);
  const failures = new FailureQueue<FakePypiFailure>();
  const requests: FakePypiRequest[] = [];
  const inFlight = new InFlight();

  const yesterday = () => Math.floor(now() / DAY_MS) - 1;
  const countOn = (days: Map<string, number>, day: number) => days.get(isoDay(day)) ?? 0;
  const sum = (days: Map<string, number>, size: number) => {
    let total = 0;
    for (let day = yesterday() - size + 1; day <= yesterday(); day++) total += countOn(days, day);
    return total;
  };

  function reply(path: string, query: URLSearchParams): { status: number; body: string; headers: Record<string, string> } {
    const json = (body: unknown) => ({ status: 200, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    const text = (status: number, body: string) => ({ status, body, headers: { 'content-type': 'text/html; charset=utf-8' } });
    const failure = failures.take(path);
    if (failure) {
      const headers: Record<string, string> = { 'content-type': 'text/html; charset=utf-8' };
      if (failure.retryAfterSeconds !== undefined) headers['retry-after'] = String(failure.retryAfterSeconds);
      return { status: failure.status, body: failure.body ?? (failure.status === 429 ? TOO_MANY_REQUESTS_PAGE : `${failure.status}`), headers };
    }
    const match = /^\/api\/packages\/([^/]+)\/(recent|overall)$/.exec(path);
    if (!match) return text(404, '<!doctype html><title>404 Not Found</title><h1>Not Found</h1><p>The requested URL was not found on the server.</p>');
    const name = decodeURIComponent(match[1]!);
    const days = daily.get(name);
    if (!days) return text(404, '404');
    if (match[2] === 'recent') {
      // Key order as in pypistats_recent.json.
      return json({ data: { last_day: sum(days, 1), last_month: sum(days, 30), last_week: sum(days, 7) }, package: name, type: 'recent_downloads' });
    }
    const mirrors = query.get('mirrors');
    const data: { category: string; date: string; downloads: number }[] = [];
    for (let day = yesterday() - FAKE_PYPI_DAYS + 1; day <= yesterday(); day++) {
      const count = days.get(isoDay(day));
      // pypistats lists only days it has rows for.
      if (count === undefined) continue;
      if (mirrors !== 'false') data.push({ category: 'with_mirrors', date: isoDay(day), downloads: count + FAKE_MIRROR_EXTRA });
      if (mirrors !== 'true') data.push({ category: 'without_mirrors', date: isoDay(day), downloads: count });
    }
    return json({ data, package: name, type: 'overall_downloads' });
  }

  async function respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.resume();
    await inFlight.around(async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const answer = req.method === 'GET' ? reply(url.pathname, url.searchParams) : { status: 405, body: 'Method Not Allowed', headers: {} };
      requests.push({ path: url.pathname, query: url.search, status: answer.status, userAgent: req.headers['user-agent'] });
      await latency.wait();
      if (res.destroyed) return;
      res.writeHead(answer.status, { ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)) });
      res.end(answer.body);
    });
  }

  const loopback = await serveOnLoopback(respond, (message) => `fake pypistats failed: ${message}`);
  return {
    url: loopback.origin,
    requests,
    get maxInFlight() {
      return inFlight.most;
    },
    setDaily: (name, days) => void daily.set(name, new Map([...(daily.get(name) ?? []), ...Object.entries(days)])),
    failNext: (failure) => failures.push(failure),
    setHanging: (on) => loopback.setHanging(on),
    get hungRequests() {
      return loopback.hungRequests;
    },
    clearFailures: () => failures.clear(),
    close: () => loopback.close(latency.timers),
  };
}
