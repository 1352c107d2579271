// A loopback fake of Docker Hub's API (hub.docker.com) that behaves like the real one where Footprint
// depends on it: current and legacy routes, pagination, login and JWT expiry, private repositories,
// rate limits and error bodies. See test/fixtures/api/README.md §2 and dockerhub_*.json.
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import * as bodies from './bodies.js';
import { RateWindow, rateHeaders } from './rate-limit.js';
import { FakeDockerStore, ORDERINGS } from './store.js';
import { TokenIssuer } from './tokens.js';
import type { FakeDockerHub, FakeDockerHubFailure, FakeDockerHubOptions, RecordedRequest } from './types.js';
import { FailureQueue, Latency, readBody, serveOnLoopback } from '../loopback.js';

export type { FakeDockerHub, FakeDockerHubFailure, FakeDockerHubOptions, FakeDockerRepo, RecordedRequest } from './types.js';

const MAX_PAGE_SIZE = 100;
const DEFAULT_PAGE_SIZE = 10;

interface Reply {
  status: number;
  /** A string is sent as an HTML page, anything else as JSON; undefined sends no body. */
  body?: unknown;
  headers?: Record<string, string>;
}


/** Who is asking: anonymous, a valid JWT's subject, or a refused JWT. */
type Caller = { readonly kind: 'anonymous' } | { readonly kind: 'user'; readonly username: string } | { readonly kind: 'refused'; readonly reason: 'expired' | 'invalid' };


function checkOptions(options: FakeDockerHubOptions): void {
  const credentials = options.credentials;
  if (credentials !== undefined && (typeof credentials.username !== 'string' || credentials.username === '' || typeof credentials.token !== 'string' || credentials.token === '')) {
    throw new Error('FakeDockerHubOptions.credentials needs a non-empty username and token');
  }
}

function checkFailure(failure: FakeDockerHubFailure): number {
  const times = failure.times ?? 1;
  if (!Number.isInteger(times) || times < 1) throw new Error(`failNext: times must be a positive integer, got ${JSON.stringify(failure.times)}`);
  if (!Number.isInteger(failure.status) || failure.status < 200 || failure.status > 599) {
    throw new Error(`failNext: status must be an HTTP status (200-599), got ${JSON.stringify(failure.status)}`);
  }
  if (failure.status < 400 && failure.body === undefined) throw new Error('failNext: a status below 400 needs a body (a malformed answer)');
  return times;
}

/** A positive integer query parameter, its default, or null when malformed. */
function intParam(url: URL, name: string, fallback: number): number | null {
  const text = url.searchParams.get(name);
  if (text === null) return fallback;
  return /^\d+$/.test(text) && Number(text) >= 1 ? Number(text) : null;
}

export async function startFakeDockerHub(options: FakeDockerHubOptions = {}): Promise<FakeDockerHub> {
  checkOptions(options);
  const store = new FakeDockerStore(options.repositories ?? [], options.namespaces ?? []);
  const rate = new RateWindow(options.rateLimit);
  const tokens = new TokenIssuer(options.tokenLifetimeSeconds ?? 600);
  const legacyOnly = options.legacyOnly === true;
  const latency = new Latency('FakeDockerHubOptions.latencyMs', options.latencyMs);
  const requests: RecordedRequest[] = [];
  const failures = new FailureQueue<FakeDockerHubFailure>();
  let origin = '';

  function failureReply(failure: FakeDockerHubFailure, isLogin: boolean): Reply {
    const headers: Record<string, string> = {};
    let body: unknown;
    if (failure.status === 429) {
      body = bodies.RATE_LIMITED;
      if (failure.retryAfterSeconds !== undefined) headers['retry-after'] = String(failure.retryAfterSeconds);
      if (failure.xRetryAfterEpoch !== undefined) headers['x-retry-after'] = String(failure.xRetryAfterEpoch);
      if (failure.retryAfterSeconds === undefined && failure.xRetryAfterEpoch === undefined) headers['retry-after'] = String(rate.secondsToReset());
    } else if (failure.status === 404) body = bodies.OBJECT_NOT_FOUND;
    else if (failure.status === 401) body = isLogin ? bodies.LOGIN_REFUSED : bodies.TOKEN_EXPIRED;
    else if (failure.status >= 500) body = bodies.serverError(failure.status);
    else body = bodies.badRequest(STATUS_CODES[failure.status] ?? 'error');
    return { status: failure.status, body: failure.body ?? body, headers };
  }

  function login(rawBody: string): Reply {
    let request: { identifier?: unknown; secret?: unknown };
    try {
      request = JSON.parse(rawBody) as typeof request;
    } catch {
      return { status: 400, body: bodies.badRequest('request body must be JSON: {"identifier", "secret"}') };
    }
    const { identifier, secret } = request ?? {};
    if (typeof identifier !== 'string' || identifier === '' || typeof secret !== 'string' || secret === '') {
      return { status: 400, body: bodies.badRequest('identifier and secret are required') };
    }
    const expected = options.credentials;
    if (expected && (identifier !== expected.username || secret !== expected.token)) return { status: 401, body: bodies.LOGIN_REFUSED };
    return { status: 200, body: { access_token: tokens.issue(identifier) } };
  }

  /** One page of a namespace's repositories, `next`/`previous` as absolute URLs on this origin. */
  function listPage(url: URL, namespace: string, caller: Caller, legacy: boolean): Reply {
    const page = intParam(url, 'page', 1);
    const pageSize = intParam(url, 'page_size', DEFAULT_PAGE_SIZE);
    if (page === null) return { status: 400, body: bodies.badRequest('page must be a positive integer') };
    if (pageSize === null || pageSize > MAX_PAGE_SIZE) return { status: 400, body: bodies.badRequest(`page_size must be an integer from 1 to ${MAX_PAGE_SIZE}`) };
    const ordering = url.searchParams.get('ordering');
    if (ordering !== null && !ORDERINGS.includes(ordering.replace(/^-/, '') as (typeof ORDERINGS)[number])) {
      return { status: 400, body: bodies.badRequest(`ordering must be one of ${ORDERINGS.join(', ')} (prefix - for descending)`) };
    }
    // The current route knows namespaces; the legacy one lists an unknown namespace as empty.
    if (!legacy && !store.hasNamespace(namespace)) return { status: 404, body: bodies.OBJECT_NOT_FOUND };
    const all = store.list(namespace, { includePrivate: caller.kind === 'user', nameContains: url.searchParams.get('name'), ordering });
    const pages = Math.max(1, Math.ceil(all.length / pageSize));
    if (page > pages) return { status: 404, body: bodies.OBJECT_NOT_FOUND };
    const link = (target: number) => {
      const params = new URLSearchParams({ page: String(target), page_size: String(pageSize) });
      for (const name of ['name', 'ordering']) {
        const value = url.searchParams.get(name);
        if (value !== null) params.set(name, value);
      }
      return `${origin}${url.pathname}?${params}`;
    };
    const ownerField = legacyOnly ? 'user' : 'namespace';
    return {
      status: 200,
      body: {
        count: all.length,
        next: page < pages ? link(page + 1) : null,
        previous: page > 1 ? link(page - 1) : null,
        results: all.slice((page - 1) * pageSize, page * pageSize).map((repo) => bodies.listItem(repo, ownerField)),
      },
    };
  }

  function repository(namespace: string, name: string, caller: Caller): Reply {
    const repo = store.get(namespace, name);
    // A private repository does not exist for those who may not see it.
    if (!repo || (repo.isPrivate && caller.kind !== 'user')) return { status: 404, body: bodies.OBJECT_NOT_FOUND };
    return { status: 200, body: bodies.repositoryInfo(repo, caller.kind === 'user' ? caller.username : null) };
  }

  function route(method: string, url: URL, caller: Caller): Reply {
    const segments = url.pathname.split('/').slice(1).map((segment) => decodeURIComponent(segment));
    const reading = method === 'GET' || method === 'HEAD';
    const notAllowed: Reply = { status: 405, body: { detail: `Method "${method}" not allowed.` } };
    // /v2/namespaces/{ns}/repositories[/{repo}]
    if (!legacyOnly && segments[0] === 'v2' && segments[1] === 'namespaces' && segments[2] && segments[3] === 'repositories') {
      if (segments.length === 4 || (segments.length === 5 && segments[4] === '')) return reading ? listPage(url, segments[2], caller, false) : notAllowed;
      if (segments.length === 5 && segments[4]) return reading ? repository(segments[2], segments[4], caller) : notAllowed;
    }
    // /v2/repositories/{ns}/ and /v2/repositories/{ns}/{repo}/ (legacy, trailing slash; without it a redirect, as Django does)
    if (segments[0] === 'v2' && segments[1] === 'repositories' && segments[2]) {
      const rest = segments.slice(3);
      if (rest.length === 0 || (rest.length === 1 && rest[0] !== '' && segments.length === 4)) {
        return { status: 301, headers: { location: `${origin}${url.pathname}/${url.search}` } };
      }
      if (rest.length === 1 && rest[0] === '') return reading ? listPage(url, segments[2], caller, true) : notAllowed;
      if (rest.length === 2 && rest[0] && rest[1] === '') return reading ? repository(segments[2], rest[0], caller) : notAllowed;
    }
    return { status: 404, body: bodies.UNKNOWN_ROUTE_PAGE };
  }

  function callerOf(req: IncomingMessage): Caller {
    const header = req.headers.authorization;
    if (!header) return { kind: 'anonymous' };
    const match = /^(?:bearer|jwt)\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) return { kind: 'refused', reason: 'invalid' };
    const check = tokens.check(match[1]);
    return check.valid ? { kind: 'user', username: check.subject } : { kind: 'refused', reason: check.reason };
  }

  async function respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const method = req.method ?? 'GET';
    const path = `${url.pathname}${url.search}`;
    const rawBody = await readBody(req);
    const isLogin = url.pathname === '/v2/auth/token' || url.pathname === '/v2/auth/token/';
    const caller = isLogin ? ({ kind: 'anonymous' } as const) : callerOf(req);

    let reply: Reply;
    try {
      const failure = failures.take(path);
      if (failure) reply = failureReply(failure, isLogin);
      else if (!rate.take()) reply = { status: 429, body: bodies.RATE_LIMITED, headers: { 'retry-after': String(rate.secondsToReset()) } };
      else if (caller.kind === 'refused') reply = { status: 401, body: caller.reason === 'expired' ? bodies.TOKEN_EXPIRED : bodies.TOKEN_INVALID };
      else if (isLogin) reply = method === 'POST' ? login(rawBody) : { status: 405, body: { detail: `Method "${method}" not allowed.` } };
      else reply = route(method, url, caller);
    } catch (error) {
      // A bug in the fake shows up as a 500 naming it, never as a hung request.
      reply = { status: 500, body: { message: `Fake Docker Hub failed: ${error instanceof Error ? error.message : String(error)}`, errinfo: {} } };
    }

    requests.push({ method, path, status: reply.status, authenticated: caller.kind === 'user' });

    await latency.wait();

    const headers: Record<string, string> = { ...rateHeaders(rate.state()), ...reply.headers };
    if (reply.body === undefined) {
      res.writeHead(reply.status, headers);
      res.end();
      return;
    }
    const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    headers['content-type'] = typeof reply.body === 'string' ? 'text/html; charset=utf-8' : 'application/json';
    headers['content-length'] = String(Buffer.byteLength(text));
    res.writeHead(reply.status, headers);
    res.end(method === 'HEAD' ? undefined : text);
  }

  const loopback = await serveOnLoopback(respond, (message) => JSON.stringify({ message: `Fake Docker Hub failed: ${message}`, errinfo: {} }));
  origin = loopback.origin;

  return {
    url: origin,
    requests,
    resetRequests: () => {
      requests.length = 0;
    },
    addRepo: (repo) => store.add(repo),
    updateRepo: (fullName, patch) => store.update(fullName, patch),
    removeRepo: (fullName) => store.remove(fullName),
    failNext: (failure) => {
      checkFailure(failure);
      failures.push(failure);
    },
    get tokensIssued() {
      return tokens.issued;
    },
    expireTokens: () => tokens.expireAll(),
    setHanging: (on) => loopback.setHanging(on),
    get hungRequests() {
      return loopback.hungRequests;
    },
    clearFailures: () => failures.clear(),
    close: () => loopback.close(latency.timers),
  };
}
