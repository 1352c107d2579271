// A remote-write receiver on loopback that behaves like Prometheus' (/api/v1/write): it checks the
// protocol's headers, Snappy-decodes and protobuf-decodes the body, answers 204, and keeps every series
// it accepted. Like Prometheus it refuses a sample older than the newest it has of that series
// ("out of order", 400). failNext() queues other answers (500, 429 with Retry-After, 400…).
import type { IncomingHttpHeaders } from 'node:http';
import { decodeWriteRequest, type WriteSeries } from '../../../electron/core/remote-write/protocol.js';
import { serveOnLoopback, type LoopbackServer } from '../loopback.js';

export interface ReceiverFailure {
  readonly status: number;
  readonly retryAfter?: string;
  readonly body?: string;
  readonly times?: number;
  /** Pushes accepted before this failure starts (default 0: the next push fails). */
  readonly after?: number;
}

export interface ReceivedPush {
  readonly headers: IncomingHttpHeaders;
  /** The decoded series; empty when the push was answered with a queued failure before decoding. */
  readonly series: readonly WriteSeries[];
  readonly status: number;
}

export interface FakeReceiver extends LoopbackServer {
  /** The push address, origin + /api/v1/write. */
  readonly url: string;
  readonly pushes: readonly ReceivedPush[];
  /** Accepted samples per series (labels as "name=value,…" in the order sent), oldest first. */
  samples(): Map<string, { timestamp: number; value: number }[]>;
  failNext(failure: ReceiverFailure): void;
}

export function seriesKey(series: WriteSeries): string {
  return series.labels.map((label) => `${label.name}=${label.value}`).join(',');
}

export async function startFakeReceiver(): Promise<FakeReceiver> {
  const pushes: ReceivedPush[] = [];
  const stored = new Map<string, { timestamp: number; value: number }[]>();
  const failures: { failure: ReceiverFailure; remaining: number; after: number }[] = [];
  const takeFailure = (): ReceiverFailure | undefined => {
    const head = failures[0];
    if (!head) return undefined;
    if (head.after > 0) {
      head.after -= 1;
      return undefined;
    }
    head.remaining -= 1;
    if (head.remaining === 0) failures.shift();
    return head.failure;
  };
  const server = await serveOnLoopback(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const answer = (status: number, body = '', headers: Record<string, string> = {}, series: readonly WriteSeries[] = []) => {
      pushes.push({ headers: req.headers, series, status });
      res.writeHead(status, { 'content-type': 'text/plain', ...headers });
      res.end(body);
    };
    if (req.method !== 'POST' || req.url !== '/api/v1/write') return answer(404, '404 page not found\n');
    const failure = takeFailure();
    if (failure) return answer(failure.status, failure.body ?? `failure ${failure.status}\n`, failure.retryAfter === undefined ? {} : { 'retry-after': failure.retryAfter });
    if (req.headers['content-encoding'] !== 'snappy' || req.headers['content-type'] !== 'application/x-protobuf' || req.headers['x-prometheus-remote-write-version'] !== '0.1.0') {
      return answer(415, 'unsupported remote-write headers\n');
    }
    let series: WriteSeries[];
    try {
      series = decodeWriteRequest(Buffer.concat(chunks));
    } catch (error) {
      return answer(400, `snappy/protobuf decode error: ${(error as Error).message}\n`);
    }
    // All or nothing, as Prometheus answers one status for the whole push.
    for (const item of series) {
      const newest = stored.get(seriesKey(item))?.at(-1)?.timestamp ?? -Infinity;
      for (const sample of item.samples) if (sample.timestamp < newest) return answer(400, 'out of order sample\n', {}, series);
    }
    for (const item of series) {
      const kept = stored.get(seriesKey(item)) ?? [];
      for (const sample of item.samples) {
        // A sample again at the same time with the same value is a duplicate Prometheus ignores.
        if (kept.at(-1)?.timestamp !== sample.timestamp) kept.push({ timestamp: sample.timestamp, value: sample.value });
      }
      stored.set(seriesKey(item), kept);
    }
    answer(204, '', {}, series);
  }, (message) => message);
  return {
    ...server,
    get hungRequests() {
      return server.hungRequests;
    },
    url: `${server.origin}/api/v1/write`,
    pushes,
    samples: () => stored,
    failNext: (failure) => void failures.push({ failure, remaining: failure.times ?? 1, after: failure.after ?? 0 }),
  };
}
