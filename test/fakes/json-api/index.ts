// A loopback fake of "any JSON API" for the user-defined source (`http:`): documents served at paths
// (the README's recipes come from test/fixtures/api), each request recorded with its headers, and
// failures a test asks for (a status with a body, a page that is not JSON, a hung API).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FailureQueue, serveOnLoopback, type FaultControls } from '../loopback.js';

export interface FakeJsonFailure {
  readonly match?: RegExp;
  readonly status: number;
  readonly body?: string;
  readonly times?: number;
  readonly contentType?: string;
}

export interface FakeJsonRequest {
  readonly path: string;
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
}

export interface FakeJsonApi extends FaultControls {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly requests: FakeJsonRequest[];
  /** Serves `document` as JSON at `path` (a string document is sent as it is). */
  setDocument(path: string, document: unknown): void;
  /** Requests to paths `match` accepts are answered only with this header value (else 401), like an API behind a token. */
  requireHeader(name: string, value: string, match?: RegExp): void;
  failNext(failure: FakeJsonFailure): void;
  close(): Promise<void>;
}

export async function startFakeJsonApi(documents: Readonly<Record<string, unknown>> = {}): Promise<FakeJsonApi> {
  const served = new Map(Object.entries(documents));
  const failures = new FailureQueue<FakeJsonFailure>();
  const requests: FakeJsonRequest[] = [];
  const required: { name: string; value: string; match?: RegExp }[] = [];

  function reply(path: string, req: IncomingMessage): { status: number; body: string; contentType: string } {
    const failure = failures.take(path);
    if (failure) return { status: failure.status, body: failure.body ?? JSON.stringify({ error: `status ${failure.status}` }), contentType: failure.contentType ?? 'application/json' };
    for (const { name, value, match } of required) {
      if ((match === undefined || match.test(path)) && req.headers[name] !== value) return { status: 401, body: JSON.stringify({ error: 'Invalid credentials in Authorization header' }), contentType: 'application/json' };
    }
    if (!served.has(path)) return { status: 404, body: JSON.stringify({ error: 'Not Found' }), contentType: 'application/json' };
    const document = served.get(path);
    return { status: 200, body: typeof document === 'string' ? document : JSON.stringify(document), contentType: 'application/json; charset=utf-8' };
  }

  const server = await serveOnLoopback(async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const answer = reply(path, req);
    requests.push({ path, status: answer.status, headers: req.headers });
    res.writeHead(answer.status, { 'content-type': answer.contentType });
    res.end(answer.body);
  }, (message) => JSON.stringify({ error: message }));

  return {
    url: server.origin,
    requests,
    setDocument: (path, document) => void served.set(path, document),
    requireHeader: (name, value, match) => void required.push({ name: name.toLowerCase(), value, ...(match ? { match } : {}) }),
    failNext: (failure) => failures.push(failure),
    clearFailures: () => failures.clear(),
    setHanging: (on) => server.setHanging(on),
    get hungRequests() {
      return server.hungRequests;
    },
    close: () => server.close(),
  };
}
