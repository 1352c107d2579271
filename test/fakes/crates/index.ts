// A loopback fake of the crates.io API, behaving like the real one where Footprint depends on it
// (test/fixtures/api/README.md §4, crates_io_*.json): /api/v1/crates/NAME with `downloads` and
// `recent_downloads` (90 days), /api/v1/crates/NAME/downloads with the newest version's days in
// `version_downloads` and the rest in `meta.extra_downloads`, 404 `{"errors":[{"detail":"Not Found"}]}`
// for an unknown crate, 403 with crates.io's own body for a request without a User-Agent, and 429
// with Retry-After when a test asks for it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiFixture } from '../../support/api-fixtures.js';
import { FailureQueue, InFlight, Latency, serveOnLoopback, type FaultControls } from '../loopback.js';

const DAY_MS = 86_400_000;
/** Days crates.io lists and counts as "recent". */
export const FAKE_CRATES_DAYS = 90;
/** The version id the fake files each day's downloads under; a third of the day goes to extra_downloads. */
export const FAKE_NEWEST_VERSION = 1520331;

export interface FakeCrate {
  /** All-time downloads up to the day before the daily history starts; the total adds the daily counts. */
  readonly before: number;
  /** Downloads per day ("YYYY-MM-DD" → count), today included (crates.io counts today as it goes). */
  readonly daily: Readonly<Record<string, number>>;
}

export interface FakeCratesOptions {
  readonly crates?: Readonly<Record<string, FakeCrate>>;
  readonly latencyMs?: number;
  /** The clock: which day is today (default Date.now). */
  readonly now?: () => number;
}

export interface FakeCratesFailure {
  readonly match?: RegExp;
  readonly status: number;
  readonly retryAfterSeconds?: number;
  readonly body?: string;
  readonly times?: number;
}

export interface FakeCratesRequest {
  readonly path: string;
  readonly status: number;
  readonly userAgent: string | undefined;
}

export interface FakeCrates extends FaultControls {
  readonly url: string;
  readonly requests: FakeCratesRequest[];
  /** The most requests the fake held at once. */
  readonly maxInFlight: number;
  setCrate(name: string, crate: FakeCrate): void;
  failNext(failure: FakeCratesFailure): void;
  close(): Promise<void>;
}

/** crates.io's answer to a request without a User-Agent. */
export const USER_AGENT_REQUIRED = apiFixture<{ errors: { detail: string }[] }>('crates_io_error_403_user_agent.json');
const NOT_FOUND = apiFixture<unknown>('crates_io_error_404.json');

function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export async function startFakeCrates(options: FakeCratesOptions = {}): Promise<FakeCrates> {
  const crates = new Map(Object.entries(options.crates ?? {}));
  const now = options.now ?? Date.now;
  const latency = new Latency('FakeCratesOptions.latencyMs', options.latencyMs);
  const failures = new FailureQueue<FakeCratesFailure>();
  const requests: FakeCratesRequest[] = [];
  const inFlight = new InFlight();
  const today = () => Math.floor(now() / DAY_MS);
  const recentDays = () => Array.from({ length: FAKE_CRATES_DAYS }, (_, index) => today() - FAKE_CRATES_DAYS + 1 + index);

  function reply(path: string, userAgent: string | undefined): { status: number; body: unknown; headers?: Record<string, string> } {
    // Like crates.io's middleware: an empty or absent User-Agent is refused before anything else.
    if (userAgent === undefined || userAgent.trim() === '') return { status: 403, body: USER_AGENT_REQUIRED };
    const failure = failures.take(path);
    if (failure) {
      const headers = failure.retryAfterSeconds !== undefined ? { 'retry-after': String(failure.retryAfterSeconds) } : undefined;
      return { status: failure.status, body: failure.body ?? { errors: [{ detail: `status ${failure.status}` }] }, headers };
    }
    const match = /^\/api\/v1\/crates\/([^/]+)(\/downloads)?$/.exec(path);
    if (!match) return { status: 404, body: NOT_FOUND };
    const name = decodeURIComponent(match[1]!);
    const crate = crates.get(name);
    if (!crate) return { status: 404, body: NOT_FOUND };
    const countOn = (day: number) => crate.daily[isoDay(day)] ?? 0;
    if (match[2]) {
      const days = recentDays().filter((day) => crate.daily[isoDay(day)] !== undefined);
      return {
        status: 200,
        body: {
          version_downloads: days.map((day) => ({ date: isoDay(day), downloads: countOn(day) - Math.floor(countOn(day) / 3), version: FAKE_NEWEST_VERSION })),
          meta: { extra_downloads: days.map((day) => ({ date: isoDay(day), downloads: Math.floor(countOn(day) / 3) })) },
        },
      };
    }
    const total = crate.before + Object.values(crate.daily).reduce((sum, count) => sum + count, 0);
    const recent = recentDays().reduce((sum, day) => sum + countOn(day), 0);
    const shape = apiFixture<{ crate: Record<string, unknown> }>('crates_io_crate.json');
    return { status: 200, body: { ...shape, crate: { ...shape.crate, id: name, name, downloads: total, recent_downloads: recent } } };
  }

  async function respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.resume();
    await inFlight.around(async () => {
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      const userAgent = req.headers['user-agent'];
      const answer = reply(path, userAgent);
      requests.push({ path, status: answer.status, userAgent });
      await latency.wait();
      if (res.destroyed) return;
      const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), ...answer.headers });
      res.end(body);
    });
  }

  const loopback = await serveOnLoopback(respond, (message) => JSON.stringify({ errors: [{ detail: `fake crates.io failed: ${message}` }] }));
  return {
    url: loopback.origin,
    requests,
    get maxInFlight() {
      return inFlight.most;
    },
    setCrate: (name, crate) => void crates.set(name, crate),
    failNext: (failure) => failures.push(failure),
    setHanging: (on) => loopback.setHanging(on),
    get hungRequests() {
      return loopback.hungRequests;
    },
    clearFailures: () => failures.clear(),
    close: () => loopback.close(latency.timers),
  };
}
