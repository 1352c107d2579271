// The HTTP client against a tiny loopback server: how each method travels (GET ?q=, POST {args}),
// error bodies, auth, and the live channel (EventSource driven by the test).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { READ_LIMITS, SECRET_UNCHANGED, eventsPath, httpRoutes, type LiveEvent } from '../../../shared/api.js';
import { checkRange, checkSeriesIds, checkWindows } from '../../../electron/core/read-requests.js';
import { ApiError, AuthRequiredError } from '../../../renderer/api/errors.js';
import { createHttpClient, defaultReconnectDelayMs, isLiveEvent, type EventSourceLike } from '../../../renderer/api/http-client.js';
import { TOKEN_STORAGE_KEY, adoptTokenFromUrl, createTokenStore } from '../../../renderer/api/token-store.js';

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const seen: Seen[] = [];
/** What the server answers per path: status and raw body. */
const answers = new Map<string, { status: number; body: string }>();
let server: http.Server;
let baseUrl: string;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      seen.push({ method: request.method ?? '', path: url.pathname, query: url.searchParams, headers: request.headers, body });
      const answer = answers.get(url.pathname) ?? { status: 200, body: '{"ok":true}' };
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

afterEach(() => {
  seen.length = 0;
  answers.clear();
});

function memoryTokens(initial: string | null = null) {
  let token = initial;
  return { get: () => token, set: (value: string | null) => void (token = value) };
}

describe('HTTP client requests', () => {
  it('sends GET arguments as ?q=<JSON> and reads the JSON answer', async () => {
    answers.set('/api/latest', { status: 200, body: JSON.stringify([{ id: 1, source: 'npm', metric: 'npm_package_downloads', labels: {}, value: 5, since: 1, lastSeen: 2 }]) });
    const client = createHttpClient({ baseUrl });
    const latest = await client.latest({ source: 'npm', metric: 'npm_package_downloads' });
    expect(latest[0]?.value).toBe(5);
    const request = seen[0]!;
    expect(request.method).toBe('GET');
    expect(request.path).toBe(httpRoutes.latest.path);
    expect(JSON.parse(request.query.get('q')!)).toEqual({ source: 'npm', metric: 'npm_package_downloads' });
    expect(request.headers.accept).toBe('application/json');
  });

  it('sends no q when a GET method has no argument', async () => {
    const client = createHttpClient({ baseUrl });
    await client.info();
    await client.latest();
    expect(seen.map((request) => [request.path, request.query.has('q')])).toEqual([
      ['/api/info', false],
      ['/api/latest', false],
    ]);
  });

  it('sends POST arguments as {"args": [...]}, the method’s argument list', async () => {
    const client = createHttpClient({ baseUrl });
    await client.range({ series: [1, 2], start: 10, end: 20, points: 3 });
    await client.changes([1, 2], [86_400_000]);
    await client.saveSource('github', { orgs: ['a'], token: SECRET_UNCHANGED });
    await client.saveSource('npm', null);
    await client.testConnection('npm', { packages: ['left-pad'] });
    expect(seen.map((request) => ({ method: request.method, path: request.path, type: request.headers['content-type'], body: JSON.parse(request.body) }))).toEqual([
      { method: 'POST', path: '/api/range', type: 'application/json', body: { args: [{ series: [1, 2], start: 10, end: 20, points: 3 }] } },
      { method: 'POST', path: '/api/changes', type: 'application/json', body: { args: [[1, 2], [86_400_000]] } },
      { method: 'POST', path: '/api/config/source', type: 'application/json', body: { args: ['github', { orgs: ['a'], token: '***' }] } },
      { method: 'POST', path: '/api/config/source', type: 'application/json', body: { args: ['npm', null] } },
      { method: 'POST', path: '/api/config/test', type: 'application/json', body: { args: ['npm', { packages: ['left-pad'] }] } },
    ]);
  });

  it('splits a range or changes ask over READ_LIMITS into requests within them, and joins the answers in order', async () => {
    // Answers as the core would, refusing (with its own checks) whatever is over a limit.
    const sent: { path: string; args: unknown[] }[] = [];
    const coreLike = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      const path = new URL(String(input)).pathname;
      const { args } = JSON.parse(String(init?.body)) as { args: unknown[] };
      sent.push({ path, args });
      if (path === '/api/range') {
        const { ids } = checkRange(args[0]);
        return Response.json({ series: ids.map((id) => ({ id, times: [1, 2], values: [id, id] })) });
      }
      const ids = checkSeriesIds(args[0], 'changes: series');
      const windows = checkWindows(args[1]);
      return Response.json(ids.map((id) => ({ id, latest: id, changes: windows.map((windowMs) => ({ windowMs, delta: windowMs / 1000, baseTime: 0 })) })));
    };
    const client = createHttpClient({ baseUrl, fetch: coreLike as typeof fetch });
    const ids = Array.from({ length: 2_500 }, (_, index) => index + 1);

    const trends = await client.range({ series: [...ids, 1, 2], start: 0, end: 1_000_000, points: 60 });
    expect(trends.series.map((item) => item.id)).toEqual(ids);
    expect(sent.map((request) => (request.args[0] as { series: number[] }).series.length)).toEqual([1_000, 1_000, 500]);
    sent.length = 0;
    const detail = await client.range({ series: ids.slice(0, 25), start: 0, end: 1_000_000, points: 9_000 });
    expect(detail.series).toHaveLength(25);
    expect(sent.map((request) => (request.args[0] as { series: number[] }).series.length)).toEqual([11, 11, 3]);
    sent.length = 0;

    const windows = Array.from({ length: READ_LIMITS.changeWindows + 2 }, (_, index) => (index + 1) * 1000);
    const changes = await client.changes(ids, windows);
    expect(changes.map((item) => item.id)).toEqual(ids);
    for (const item of changes) expect(item.changes.map((change) => change.windowMs)).toEqual(windows);
    expect(sent.map((request) => [(request.args[0] as number[]).length, (request.args[1] as number[]).length])).toEqual([
      [1_000, 16], [1_000, 16], [500, 16], [1_000, 2], [1_000, 2], [500, 2],
    ]);
    sent.length = 0;
    // Within the limits: one request, as asked.
    await client.changes([1, 2], [1000]);
    expect(sent).toEqual([{ path: '/api/changes', args: [[1, 2], [1000]] }]);
  });

  it('leaves out an omitted optional argument instead of sending null', async () => {
    answers.set('/api/refresh', { status: 204, body: '' });
    const client = createHttpClient({ baseUrl });
    await expect(client.refresh()).resolves.toBeUndefined();
    await client.pause('github');
    expect(seen.map((request) => JSON.parse(request.body))).toEqual([{ args: [] }, { args: ['github'] }]);
  });

  it('uses every route of the contract', async () => {
    const client = createHttpClient({ baseUrl });
    await Promise.all([
      client.info(), client.sources(), client.latest(), client.range({ series: [1], start: 0, end: 1, points: 2 }), client.rangeSums({ groups: [[1]], start: 0, end: 1, points: 2 }), client.changes([1], [1]), client.overview(),
      client.health(), client.remoteWrite(), client.config(), client.saveSource('a', {}), client.testConnection('a', {}), client.uploadKeyFile('a', '{}'), client.refresh(), client.pause(), client.resume(),
      client.backfill(), client.pauseBackfill(), client.resumeBackfill(), client.rerunBackfill(), client.markers({ source: 'a', start: 0, end: 1 }),
    ]);
    const used = new Set(seen.map((request) => `${request.method} ${request.path}`));
    expect(used).toEqual(new Set(Object.values(httpRoutes).map((route) => `${route.method} ${route.path}`)));
  });

  it('throws the server’s own words from an { error } body', async () => {
    answers.set('/api/range', { status: 400, body: JSON.stringify({ error: 'range: points must be at most 10000' }) });
    const client = createHttpClient({ baseUrl });
    const failure = await client.range({ series: [1], start: 0, end: 1, points: 20_000 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).message).toBe('range: points must be at most 10000');
    expect((failure as ApiError).status).toBe(400);
  });

  it('falls back to the status line when the error body is not JSON', async () => {
    answers.set('/api/health', { status: 502, body: '<html>Bad gateway</html>' });
    const client = createHttpClient({ baseUrl });
    await expect(client.health()).rejects.toThrow('health failed: HTTP 502 Bad Gateway');
  });

  it('says so when a 2xx answer is not JSON', async () => {
    answers.set('/api/info', { status: 200, body: 'hello' });
    await expect(createHttpClient({ baseUrl }).info()).rejects.toThrow('info: the server answered with something that is not JSON');
  });

  it('turns a network failure into a plain message', async () => {
    const client = createHttpClient({ baseUrl: 'http://127.0.0.1:1/' });
    await expect(client.info()).rejects.toThrow(/^Footprint did not answer \(.+\): check that it is still running$/);
  });

  it('sends the token as a Bearer header and raises AuthRequiredError on 401', async () => {
    answers.set('/api/info', { status: 401, body: JSON.stringify({ error: 'This server needs a token: open the link footprint serve printed' }) });
    const tokens = memoryTokens('s3cret-token');
    const client = createHttpClient({ baseUrl, tokens });
    const failure = await client.info().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AuthRequiredError);
    expect((failure as Error).message).toBe('This server needs a token: open the link footprint serve printed');
    expect(seen[0]!.headers.authorization).toBe('Bearer s3cret-token');
  });

  it('sends no Authorization header without a token', async () => {
    await createHttpClient({ baseUrl, tokens: memoryTokens() }).info();
    expect(seen[0]!.headers.authorization).toBeUndefined();
  });

  it('resolves routes under the page’s folder (a reverse proxy path)', async () => {
    await createHttpClient({ baseUrl: `${baseUrl}footprint` }).info();
    expect(seen[0]!.path).toBe('/footprint/api/info');
  });
});

class FakeEventSource implements EventSourceLike {
  static opened: FakeEventSource[] = [];
  readyState = 0;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  readonly url: string;
  constructor(url: string) {
    this.url = url;
    FakeEventSource.opened.push(this);
  }
  open() {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  message(data: string) {
    this.onmessage?.(new MessageEvent('message', { data }));
  }
  fail(readyState: 0 | 2) {
    this.readyState = readyState;
    this.onerror?.(new Event('error'));
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
}

describe('HTTP client live channel', () => {
  afterEach(() => {
    FakeEventSource.opened = [];
    vi.useRealTimers();
  });

  const healthEvent: LiveEvent = {
    type: 'health',
    health: { id: 'github', title: 'GitHub', state: 'idle', intervalMs: 1, lastRunAt: null, lastSuccessAt: null, nextRunAt: null, lastError: null, consecutiveFailures: 0, failedTargets: [], apiBudget: null },
  };

  it('shares one EventSource between subscribers and closes it with the last', () => {
    const client = createHttpClient({ baseUrl, openEvents: (url) => new FakeEventSource(url) });
    const first: LiveEvent[] = [];
    const second: LiveEvent[] = [];
    const stopFirst = client.subscribe((event) => first.push(event));
    const stopSecond = client.subscribe((event) => second.push(event));
    expect(FakeEventSource.opened).toHaveLength(1);
    const channel = FakeEventSource.opened[0]!;
    expect(channel.url).toBe(`${baseUrl}api/events`);
    channel.open();
    channel.message(JSON.stringify(healthEvent));
    expect(first).toEqual([healthEvent]);
    expect(second).toEqual([healthEvent]);
    stopFirst();
    expect(channel.closed).toBe(false);
    stopSecond();
    expect(channel.closed).toBe(true);
  });

  it('ignores messages that are not live events', () => {
    const client = createHttpClient({ baseUrl, openEvents: (url) => new FakeEventSource(url) });
    const received: LiveEvent[] = [];
    client.subscribe((event) => received.push(event));
    const channel = FakeEventSource.opened[0]!;
    channel.message('not json');
    channel.message(JSON.stringify({ type: 'unknown' }));
    channel.message(JSON.stringify({ type: 'samples', source: 'npm' }));
    expect(received).toEqual([]);
  });

  it('passes the token in the events URL, since EventSource cannot send headers', () => {
    const client = createHttpClient({ baseUrl, tokens: memoryTokens('tok en/+'), openEvents: (url) => new FakeEventSource(url) });
    client.subscribe(() => undefined);
    const url = new URL(FakeEventSource.opened[0]!.url);
    expect(url.pathname).toBe(eventsPath);
    expect(url.searchParams.get('token')).toBe('tok en/+');
  });

  it('reports live and reconnecting, and re-opens a closed channel after a delay', () => {
    vi.useFakeTimers();
    const client = createHttpClient({ baseUrl, openEvents: (url) => new FakeEventSource(url), reconnectDelayMs: (attempt) => attempt * 1000 });
    const states: string[] = [];
    client.onConnectionChange((state) => states.push(state));
    const received: LiveEvent[] = [];
    client.subscribe((event) => received.push(event));
    expect(client.connectionState()).toBe('connecting');
    FakeEventSource.opened[0]!.open();
    // The browser retries by itself while CONNECTING: no second EventSource.
    FakeEventSource.opened[0]!.fail(0);
    expect(FakeEventSource.opened).toHaveLength(1);
    FakeEventSource.opened[0]!.open();
    // CLOSED (e.g. an HTTP error): the client opens a new one after the delay.
    FakeEventSource.opened[0]!.fail(2);
    expect(client.connectionState()).toBe('reconnecting');
    vi.advanceTimersByTime(999);
    expect(FakeEventSource.opened).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeEventSource.opened).toHaveLength(2);
    FakeEventSource.opened[1]!.open();
    FakeEventSource.opened[1]!.message(JSON.stringify(healthEvent));
    // The dropped channel's late messages are ignored.
    FakeEventSource.opened[0]!.message(JSON.stringify(healthEvent));
    expect(received).toHaveLength(1);
    expect(states).toEqual(['live', 'reconnecting', 'live', 'reconnecting', 'live']);
  });

  it('backs off up to 30 s between attempts', () => {
    expect([1, 2, 3, 6, 20].map(defaultReconnectDelayMs)).toEqual([1000, 2000, 4000, 30_000, 30_000]);
  });

  it('recognises the live event kinds', () => {
    expect(isLiveEvent({ type: 'samples', source: 'npm', time: 1, latest: [] })).toBe(true);
    expect(isLiveEvent(healthEvent)).toBe(true);
    expect(isLiveEvent({ type: 'config', sources: [] })).toBe(true);
    expect(isLiveEvent({ type: 'history', source: 'github', series: [1, 2] })).toBe(true);
    expect(isLiveEvent({ type: 'history', source: 'github' })).toBe(false);
    expect(isLiveEvent({ type: 'remoteWrite', status: { name: 'mimir', url: 'https://mimir.example.com/api/v1/push', lastSuccessAt: null, sentUntil: null, lastError: null, retryAt: null } })).toBe(true);
    expect(isLiveEvent({ type: 'remoteWrite' })).toBe(false);
    expect(isLiveEvent({ type: 'health' })).toBe(false);
    expect(isLiveEvent(null)).toBe(false);
  });
});

class MemoryStorage {
  private readonly items = new Map<string, string>();
  getItem(key: string) { return this.items.get(key) ?? null; }
  setItem(key: string, value: string) { this.items.set(key, value); }
  removeItem(key: string) { this.items.delete(key); }
}

describe('token store', () => {
  it('moves ?token= from the page URL into session storage and returns the URL without it', () => {
    const storage = new MemoryStorage();
    const tokens = createTokenStore(storage as unknown as Storage);
    const cleaned = adoptTokenFromUrl('http://127.0.0.1:9171/?token=abc123&x=1#/details?series=1', tokens);
    expect(cleaned).toBe('http://127.0.0.1:9171/?x=1#/details?series=1');
    expect(storage.getItem(TOKEN_STORAGE_KEY)).toBe('abc123');
    expect(tokens.get()).toBe('abc123');
  });

  it('leaves a URL without a token alone', () => {
    const tokens = createTokenStore(new MemoryStorage() as unknown as Storage);
    expect(adoptTokenFromUrl('http://127.0.0.1:9171/#/overview', tokens)).toBeNull();
    expect(tokens.get()).toBeNull();
  });

  it('keeps the token in memory when storage throws', () => {
    const broken = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); }, removeItem: () => undefined };
    const tokens = createTokenStore(broken as unknown as Storage);
    tokens.set('abc');
    expect(tokens.get()).toBe('abc');
  });
});
