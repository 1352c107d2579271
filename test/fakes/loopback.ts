// What every loopback fake shares: an HTTP server on 127.0.0.1 (a free port), a request handler whose
// crash answers 500 instead of hanging the client, a close() that does not wait for keep-alive
// sockets, a hung mode (requests accepted, never answered), and the queue of failures a test asks
// for with failNext().
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackServer {
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  /** While on, the server accepts every request and never answers it, like a hung API (close() ends them). */
  setHanging(on: boolean): void;
  /** Requests held unanswered by the hung mode so far. */
  readonly hungRequests: number;
  /** Stops listening, drops open connections and clears the fake's pending latency timers. */
  close(timers?: Set<NodeJS.Timeout>): Promise<void>;
}

/** What every fake offers for fault tests: a hung mode and dropping queued failures. */
export interface FaultControls {
  /** While on, every request is accepted and never answered, like a hung API. */
  setHanging(on: boolean): void;
  /** Requests held unanswered by the hung mode so far. */
  readonly hungRequests: number;
  /** Drops the failures still queued by failNext(). */
  clearFailures(): void;
}

/** The whole request body as text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Serves `respond` on loopback; a failure inside it answers 500 with `errorBody(message)` (JSON text). */
export async function serveOnLoopback(
  respond: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  errorBody: (message: string) => string,
): Promise<LoopbackServer> {
  let hanging = false;
  let hungRequests = 0;
  const server = createServer((req, res) => {
    if (hanging) {
      hungRequests++;
      req.resume();
      return;
    }
    respond(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
      res.end(errorBody(error instanceof Error ? error.message : String(error)));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setHanging(on) {
      hanging = on;
    },
    get hungRequests() {
      return hungRequests;
    },
    async close(timers) {
      for (const timer of timers ?? []) clearTimeout(timer);
      timers?.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/**
 * A fake's answer delay (benchmarks, and tests that need a request to be in flight): every answer
 * waits `ms`; the timers are kept so close() can clear them.
 */
export class Latency {
  readonly ms: number;
  readonly timers = new Set<NodeJS.Timeout>();

  /** `option` names the option in errors (e.g. "FakeNpmOptions.latencyMs"). */
  constructor(option: string, ms: number | undefined) {
    if (ms !== undefined && (!Number.isFinite(ms) || ms < 0)) throw new Error(`${option} must be a non-negative number of milliseconds, got ${JSON.stringify(ms)}`);
    this.ms = ms ?? 0;
  }

  async wait(): Promise<void> {
    if (this.ms <= 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, this.ms);
      this.timers.add(timer);
    });
  }
}

/** Failures queued by failNext(): each matches requests by `match` (all when absent) and fires `times` times. */
export class FailureQueue<Failure extends { readonly match?: RegExp; readonly times?: number }> {
  readonly #queued: { failure: Failure; remaining: number }[] = [];

  push(failure: Failure): void {
    const times = failure.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new Error(`failNext: times must be a positive integer, got ${JSON.stringify(failure.times)}`);
    this.#queued.push({ failure, remaining: times });
  }

  /** Drops every queued failure: the fake answers normally again. */
  clear(): void {
    this.#queued.length = 0;
  }

  /** The first queued failure matching `target` (a path, or a GraphQL query), used up once. */
  take(target: string): Failure | undefined {
    const index = this.#queued.findIndex((queued) => !queued.failure.match || queued.failure.match.test(target));
    const queued = this.#queued[index];
    if (!queued) return undefined;
    queued.remaining--;
    if (queued.remaining <= 0) this.#queued.splice(index, 1);
    return queued.failure;
  }
}

/** Requests a fake is answering at once, and the most so far: how a test sees that a source asks one at a time. */
export class InFlight {
  #now = 0;
  #most = 0;

  get most(): number {
    return this.#most;
  }

  async around(work: () => Promise<void>): Promise<void> {
    this.#now++;
    this.#most = Math.max(this.#most, this.#now);
    try {
      await work();
    } finally {
      this.#now--;
    }
  }
}
