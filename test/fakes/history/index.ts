// A tiny API that keeps a dated history, for the backfill runner's tests: per target, one value per
// day, served in pages with cursors, with a rate-limit budget in its headers that refills every
// window, a 429 once it is spent, and the current value for polls. Every request costs one point
// and is logged. Its clock is the test's, so a test can move time past a reset.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FailureQueue, serveOnLoopback } from '../loopback.js';

export interface FakeHistoryOptions {
  /** Per target, its daily values, oldest first: value i is the count at the end of day `firstDay` + i days. */
  readonly targets: Record<string, number[]>;
  /** The end (last millisecond) of the first day. */
  readonly firstDay: number;
  /** Days per page; default 5. */
  readonly pageSize?: number;
  /** Points per window; default 10,000. */
  readonly limit?: number;
  /** Points left in the first window; default the limit. */
  readonly remaining?: number;
  /** How long a window lasts; default 1 hour. */
  readonly windowMs?: number;
  readonly now?: () => number;
  /** Per target, releases drawn as markers. */
  readonly releases?: Record<string, { tag: string; time: number }[]>;
  /** Targets whose history the API does not keep: 410 with this reason. */
  readonly unavailable?: Record<string, string>;
  /** Each /history answer takes this long (real time), so a test can kill a client in the middle. */
  readonly latencyMs?: number;
}

export interface HistoryRequest {
  readonly path: string;
  readonly target: string | null;
  readonly cursor: string | null;
  readonly time: number;
  /** The answer's status. */
  status: number;
}

export interface HistoryFailure {
  /** Matched against the path with its query, e.g. /history\?target=b/. */
  readonly match?: RegExp;
  readonly times?: number;
  readonly status: 429 | 500 | 502;
}

export interface FakeHistory {
  readonly url: string;
  /** The fake's data: tests add targets and days while it runs. */
  readonly targets: Record<string, number[]>;
  readonly requests: HistoryRequest[];
  readonly budget: { limit: number; remaining: number; resetAt: number };
  failNext(failure: HistoryFailure): void;
  /** Holds every /history answer from now until release(); `waiting` resolves once one is held. */
  hold(): { waiting: Promise<void>; release: () => void };
  close(): Promise<void>;
}

const DAY_MS = 86_400_000;

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

export async function startFakeHistory(options: FakeHistoryOptions): Promise<FakeHistory> {
  const now = options.now ?? Date.now;
  const pageSize = options.pageSize ?? 5;
  const windowMs = options.windowMs ?? 3_600_000;
  const limit = options.limit ?? 10_000;
  const budget = { limit, remaining: options.remaining ?? limit, resetAt: now() + windowMs };
  const failures = new FailureQueue<HistoryFailure>();
  const requests: HistoryRequest[] = [];
  let gate: Promise<void> | null = null;
  let onHeld: (() => void) | null = null;

  const respond = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const target = url.searchParams.get('target');
    const record: HistoryRequest = { path: url.pathname, target, cursor: url.searchParams.get('cursor'), time: now(), status: 200 };
    requests.push(record);
    if (url.pathname === '/history' && gate) {
      onHeld?.();
      await gate;
    }
    if (url.pathname === '/history' && options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
    if (now() >= budget.resetAt) {
      budget.remaining = budget.limit;
      budget.resetAt = now() + windowMs;
    }
    const headers = () => ({ 'x-budget-limit': String(budget.limit), 'x-budget-remaining': String(budget.remaining), 'x-budget-reset': String(budget.resetAt) });
    const answer = (status: number, body: unknown) => {
      record.status = status;
      send(res, status, body, headers());
    };
    const failure = failures.take(`${url.pathname}${url.search}`);
    if (failure?.status === 429 || budget.remaining <= 0) {
      return answer(429, { error: 'rate limit exceeded: wait for the reset' });
    }
    budget.remaining--;
    if (failure) return answer(failure.status, { error: `the fake answers ${failure.status} as asked` });
    const days = target === null ? undefined : options.targets[target];
    switch (url.pathname) {
      case '/targets':
        return answer(200, { targets: Object.entries(options.targets).map(([name, values]) => ({ name, days: values.length })) });
      case '/current':
        if (days === undefined) return answer(404, { error: `no target ${target}` });
        return answer(200, { value: days.at(-1) ?? 0 });
      case '/history': {
        if (days === undefined) return answer(404, { error: `no target ${target}` });
        const reason = target === null ? undefined : options.unavailable?.[target];
        if (reason !== undefined) return answer(410, { error: reason });
        const from = Number(url.searchParams.get('cursor') ?? '0');
        const page = days.slice(from, from + pageSize).map((value, index) => ({ time: options.firstDay + (from + index) * DAY_MS, value }));
        const next = from + pageSize < days.length ? String(from + pageSize) : null;
        const releases = (options.releases?.[target!] ?? []).filter((release) => page.length > 0 && release.time >= page[0]!.time - DAY_MS && release.time <= page.at(-1)!.time);
        return answer(200, { days: page, next, total: days.length, releases });
      }
      default:
        return answer(404, { error: `no route ${url.pathname}` });
    }
  };

  const server = await serveOnLoopback(respond, (message) => JSON.stringify({ error: message }));
  return {
    url: server.origin,
    targets: options.targets,
    requests,
    budget,
    failNext: (failure) => failures.push(failure),
    hold() {
      let release!: () => void;
      gate = new Promise<void>((resolve) => { release = resolve; });
      const waiting = new Promise<void>((resolve) => { onHeld = resolve; });
      return {
        waiting,
        release: () => {
          gate = null;
          onHeld = null;
          release();
        },
      };
    },
    close: () => server.close(),
  };
}
