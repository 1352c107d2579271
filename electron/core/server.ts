// The HTTP face of the core: Prometheus `/metrics`, `/healthz`, the dashboard (built renderer) at `/`,
// the UI's API under `/api/*` with live updates as Server-Sent Events at `/api/events`, and badges and
// chart images under `/badge/*` and `/chart/*` (share/).
// Scrapes only render what polls already collected: nothing here calls an external API on its own.
import { sourceStatus } from '../../shared/source-status.js';
import { existsSync, readFileSync } from 'node:fs';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Logger } from 'pino';
import { eventsPath, httpRoutes, type FootprintApi } from '../../shared/api.js';
import { ApiError, CoreApi } from './api.js';
import { AuthThrottle, type AuthThrottleOptions } from './auth-throttle.js';
import { isLoopback, type ListenAddress } from './config/config.js';
import type { FootprintCore } from './core.js';
import { jsonPieces } from './json-pieces.js';
import { SESSION_COOKIE, cookieToken, credentialCheck, crossSiteProblem, hostAllowed, hostRule, tokenDigest, type HostRule } from './request-guards.js';
import { redactSecrets } from './secrets.js';
import { answerShare } from './share/routes.js';
import { isSharePath, parseSharePath, publicKey, SharePathError } from './share/shared-series.js';
import type { RemoteWriteState } from './remote-write/health.js';

// Not `import http from 'node:http'`: an ES import of node:http reads every export to build the
// module's namespace, and the lazy WebSocket/CloseEvent/MessageEvent exports load Node's bundled
// undici with it, ~14 MB of RSS an idle server never uses (bench/memory.bench.ts). The same module
// taken as an object reads nothing until it is used.
const { createServer } = process.getBuiltinModule('node:http');

export interface RunningServer {
  readonly url: string;
  readonly address: AddressInfo;
  readonly api: CoreApi;
  close(): Promise<void>;
}

export interface ServerOptions {
  readonly listen: ListenAddress;
  /** When set, the UI and the API (and /metrics with metricsAuth) require it. */
  readonly authToken?: string | null;
  readonly metricsAuth?: boolean;
  /**
   * Host names the server answers to besides localhost and IP addresses (server.allowedHosts, e.g.
   * behind a local reverse proxy). The Host of every request is checked on loopback, and on any
   * address once this lists a name.
   */
  readonly allowedHosts?: readonly string[];
  /** Badge and chart keys (server.public) anyone may load while authToken guards the rest. */
  readonly publicSeries?: readonly string[];
  /** The built renderer; default dist/renderer of this checkout. */
  readonly uiDir?: string;
  /** The environment `${VAR}` references in saved settings expand from (the desktop app adds its stored secrets). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Live-update streams (/api/events) open at once, at most; default 64. */
  readonly maxEventStreams?: number;
  /** How wrong access tokens are limited per client (tests pass a clock). */
  readonly authThrottle?: AuthThrottleOptions;
}

/** Listening failed in a way the user can fix (a busy port, a missing address). */
export class ListenError extends Error {
  /** The system's error code (EADDRINUSE, EADDRNOTAVAIL, …), so a caller can word its own advice. */
  readonly code: string | undefined;

  constructor(message: string, code?: string) {
    super(message);
    this.code = code;
  }
}

const defaultUiDir = path.resolve(import.meta.dirname, '..', '..', 'dist', 'renderer');
const MAX_BODY_BYTES = 1_000_000;
/** Characters of a GET method's ?q= argument (a latest filter is a few dozen). */
const MAX_QUERY_CHARS = 4_096;
const HEARTBEAT_MS = 15_000;
/** Each open stream holds a subscription and a socket (~130 KB): a tab needs one. */
const DEFAULT_MAX_EVENT_STREAMS = 64;
/** A stream whose reader fell this far behind is closed (the browser reconnects and reloads what it missed). */
const MAX_STREAM_BACKLOG_BYTES = 8_000_000;
/** The whole request (headers and body) must arrive within this; slow senders do not hold sockets. */
const REQUEST_TIMEOUT_MS = 30_000;
const HEADERS_TIMEOUT_MS = 10_000;

/** The dashboard may load only its own scripts and talk only to this server. */
const CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

type RouteKey = `${'GET' | 'POST'} ${string}`;
const apiMethods = new Map<RouteKey, keyof typeof httpRoutes>(
  Object.entries(httpRoutes).map(([name, route]) => [`${route.method} ${route.path}` as RouteKey, name as keyof typeof httpRoutes]),
);

export async function startServer(core: FootprintCore, options: ServerOptions, log: Logger): Promise<RunningServer> {
  const { listen } = options;
  let url = '';
  const api = new CoreApi(core, { metricsUrl: () => (url ? `${url}/metrics` : null), ...(options.env ? { env: options.env } : {}) });
  const context: RequestContext = {
    core,
    api,
    options,
    log,
    uiDir: options.uiDir ?? defaultUiDir,
    closing: new AbortController(),
    url: () => url,
    hosts: hostRule(isLoopback(listen.host), options.allowedHosts),
    tokenDigest: options.authToken ? tokenDigest(options.authToken) : null,
    throttle: new AuthThrottle(options.authThrottle),
    streams: { open: 0, max: options.maxEventStreams ?? DEFAULT_MAX_EVENT_STREAMS },
  };
  const server = createServer((request, response) => {
    handle(context, request, response).catch((error: unknown) => {
      // A client that went away mid-request is no server failure.
      if (request.destroyed || response.destroyed) log.debug({ err: error, path: request.url }, 'request ended by the client');
      else log.error({ err: error, path: request.url }, 'request failed');
      if (response.headersSent) {
        response.destroy();
        return;
      }
      response.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify({ error: 'internal error' }));
    });
  });
  server.keepAliveTimeout = 65_000; // longer than Prometheus' idle timeout, so scrapes reuse connections
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(new ListenError(`server.listen: ${listen.text} is already in use — stop the other program or choose another port, e.g. server: { listen: "127.0.0.1:9172" }`, error.code));
      } else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
        reject(new ListenError(`server.listen: ${listen.host} is not an address of this machine — use 127.0.0.1 (this machine only) or 0.0.0.0 (all interfaces)`, error.code));
      } else if (error.code === 'EACCES') {
        reject(new ListenError(`server.listen: no permission to listen on ${listen.text} — use a port above 1023`, error.code));
      } else {
        reject(error);
      }
    });
    server.listen(listen.port, listen.host || undefined, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  url = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`;
  return {
    url,
    address,
    api,
    close: () => new Promise<void>((resolve) => {
      context.closing.abort(); // ends open event streams, which would otherwise keep close() waiting
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

interface RequestContext {
  readonly core: FootprintCore;
  readonly api: CoreApi;
  readonly options: ServerOptions;
  readonly log: Logger;
  readonly uiDir: string;
  readonly closing: AbortController;
  /** Where the server is reachable, once listening. */
  readonly url: () => string;
  readonly hosts: HostRule;
  /** SHA-256 of the access token; null without one. */
  readonly tokenDigest: Buffer | null;
  readonly throttle: AuthThrottle;
  readonly streams: { open: number; readonly max: number };
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } as const;

function sendJson(response: http.ServerResponse, status: number, body: unknown, head = false, headers: http.OutgoingHttpHeaders = {}): void {
  response.writeHead(status, { ...JSON_HEADERS, ...headers });
  response.end(head ? undefined : JSON.stringify(body ?? null));
}

function sendText(response: http.ServerResponse, status: number, text: string, headers: http.OutgoingHttpHeaders = {}): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store', ...headers });
  response.end(`${text}\n`);
}

/** API paths answer JSON, the others plain text. */
function sendProblem(response: http.ServerResponse, pathname: string, status: number, message: string, headers: http.OutgoingHttpHeaders = {}): void {
  if (pathname.startsWith('/api/')) sendJson(response, status, { error: message }, false, headers);
  else sendText(response, status, message, headers);
}

/** Resolves once the response may take more (or is gone). */
function drained(response: http.ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

/** A JSON answer, a big one written in pieces with a turn of the event loop between them (see json-pieces.ts). */
async function writeJson(response: http.ServerResponse, body: unknown, head: boolean): Promise<void> {
  if (head) return sendJson(response, 200, null, true);
  const pieces = jsonPieces(body ?? null);
  const first = pieces.next();
  let piece = first.done ? first : pieces.next();
  response.writeHead(200, JSON_HEADERS);
  if (piece.done) {
    response.end(first.done ? 'null' : first.value); // one piece: sent whole, with its length
    return;
  }
  response.write(first.value);
  while (!piece.done) {
    await nextTurn();
    if (response.destroyed) return;
    if (!response.write(piece.value)) await drained(response);
    piece = pieces.next();
  }
  response.end();
}

/** The request's URL, or null when its path is not a URL path or not valid %-encoding. */
function requestUrl(request: http.IncomingMessage): { url: URL; path: string } | null {
  const target = request.url ?? '/';
  if (!target.startsWith('/')) return null;
  const url = URL.parse(`http://localhost${target}`);
  if (!url) return null;
  try {
    return { url, path: decodeURIComponent(url.pathname) };
  } catch {
    return null;
  }
}

async function handle(context: RequestContext, request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  const { options } = context;
  const method = request.method ?? 'GET';
  const head = method === 'HEAD';
  if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') {
    sendText(response, 405, 'method not allowed', { allow: 'GET, HEAD, POST' });
    return;
  }
  const parsed = requestUrl(request);
  if (!parsed) {
    sendText(response, 400, 'the request path is not a valid URL path: check its %-escapes — each % takes two hex digits (e.g. %2F), and together they must spell UTF-8 text');
    return;
  }
  const { url } = parsed;
  // Before anything else, /healthz and /metrics included: a page elsewhere must not read them through DNS rebinding.
  if (!hostAllowed(request.headers.host, context.hosts)) {
    const shown = (request.headers.host ?? '').slice(0, 100);
    const instead = isLoopback(options.listen.host) ? `open ${context.url()}/ instead` : 'open it by its IP address or a listed name';
    return sendProblem(response, url.pathname, 403, `Host "${shown}" is not a name of this server: ${instead}, or add the name to server.allowedHosts (e.g. for a reverse proxy)`);
  }
  if (url.pathname === '/healthz') {
    sendJson(response, 200, { status: 'ok', sources: (await context.api.health()).map(publicHealth), remoteWrite: context.core.exporter.remoteWrite.states().map(publicRemoteWrite) }, head);
    return;
  }
  if (isSharePath(url.pathname)) return serveShare(context, request, response, url, parsed.path);
  const needsAuth = context.tokenDigest !== null && (url.pathname !== '/metrics' || options.metricsAuth);
  if (needsAuth && !authorize(context, request, response, url)) return;
  if (options.authToken && url.searchParams.has('token') && cookieToken(request) === null) {
    // HttpOnly: page scripts never see it; Strict: other sites cannot make the browser send it.
    response.setHeader('set-cookie', `${SESSION_COOKIE}=${encodeURIComponent(options.authToken)}; HttpOnly; SameSite=Strict; Path=/`);
  }
  if (url.pathname === '/metrics') {
    if (method === 'POST') return sendJson(response, 405, { error: 'use GET /metrics' });
    const body = await context.core.exporter.render();
    response.writeHead(200, { 'content-type': context.core.exporter.contentType, 'cache-control': 'no-store' });
    response.end(head ? undefined : body);
    return;
  }
  if (url.pathname.startsWith('/api/')) {
    const problem = crossSiteProblem(request);
    if (problem) return sendJson(response, 403, { error: problem });
    if (url.pathname === eventsPath) {
      if (method !== 'GET') return sendJson(response, 405, { error: `use GET ${eventsPath}` });
      return streamEvents(context, request, response);
    }
    return handleApi(context, request, response, url);
  }
  if (method === 'POST') return sendJson(response, 405, { error: 'not an API route' });
  serveUi(context, parsed.path, response, head);
}

/**
 * A badge or chart: open without an access token; with one, open for the series server.public lists and
 * otherwise only with the token (asked before the store is read, so a 401 never tells whether a series exists).
 */
function serveShare(context: RequestContext, request: http.IncomingMessage, response: http.ServerResponse, url: URL, decodedPath: string): void {
  if (request.method === 'POST') return sendText(response, 405, 'badges and charts are read with GET', { allow: 'GET, HEAD' });
  let series;
  try {
    series = parseSharePath(decodedPath, url.searchParams.get('period'));
  } catch (error) {
    if (error instanceof SharePathError) return sendText(response, 400, error.message);
    throw error;
  }
  const isPublic = context.tokenDigest === null || (context.options.publicSeries ?? []).includes(publicKey(series.key));
  if (!isPublic && !authorize(context, request, response, url)) return;
  const answer = answerShare(context.core.store, { series, query: url.searchParams, ifNoneMatch: request.headers['if-none-match'], public: isPublic, now: Date.now() });
  response.writeHead(answer.status, answer.headers);
  response.end(request.method === 'HEAD' ? undefined : answer.body);
}

/** Checks the access token, answering 401 or 429 itself; true when the request may go on. */
function authorize(context: RequestContext, request: http.IncomingMessage, response: http.ServerResponse, url: URL): boolean {
  const client = request.socket.remoteAddress;
  const tooMany = (waitMs: number) => {
    const seconds = Math.ceil(waitMs / 1000);
    sendProblem(response, url.pathname, 429, `too many wrong access tokens from this address: wait ${seconds} s before trying again`, { 'retry-after': String(seconds) });
    return false;
  };
  const waitMs = context.throttle.retryAfterMs(client);
  if (waitMs > 0) return tooMany(waitMs);
  const verdict = credentialCheck(request, url, context.tokenDigest!);
  if (verdict === 'ok') {
    context.throttle.recordSuccess(client);
    return true;
  }
  if (verdict === 'wrong') {
    context.throttle.recordFailure(client);
    const blocked = context.throttle.retryAfterMs(client);
    if (blocked > 0) return tooMany(blocked);
  }
  response.writeHead(401, { 'www-authenticate': 'Basic realm="Footprint", charset="UTF-8"', 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
  response.end('Footprint needs its access token: enter it as the password (any user name), or send Authorization: Bearer <token>.\n');
  return false;
}

async function readJson(request: http.IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, `request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, 'the request body is not valid JSON');
  }
}

/** The argument list of an API call: `?q=<json>` of a GET, `{"args": [...]}` of a POST. */
async function callArguments(request: http.IncomingMessage, url: URL, verb: 'GET' | 'POST'): Promise<unknown[]> {
  if (verb === 'GET') {
    const q = url.searchParams.get('q');
    if (q === null) return [];
    if (q.length > MAX_QUERY_CHARS) throw new ApiError(400, `q is ${q.length.toLocaleString('en-US')} characters; at most ${MAX_QUERY_CHARS.toLocaleString('en-US')}`);
    try {
      return [JSON.parse(q)];
    } catch (error) {
      throw new ApiError(400, `q is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const body = await readJson(request);
  const args = body !== null && typeof body === 'object' && !Array.isArray(body) ? ((body as { args?: unknown }).args ?? []) : null;
  if (!Array.isArray(args)) throw new ApiError(400, 'the request body must be {"args": [...]}');
  return args;
}

async function handleApi(context: RequestContext, request: http.IncomingMessage, response: http.ServerResponse, url: URL): Promise<void> {
  const verb = request.method === 'POST' ? 'POST' : 'GET';
  const name = apiMethods.get(`${verb} ${url.pathname}`);
  if (!name) {
    const known = [...apiMethods.keys()].find((key) => key.endsWith(` ${url.pathname}`));
    return sendJson(response, known ? 405 : 404, { error: known ? `use ${known}` : `no API route ${url.pathname.slice(0, 200)}` });
  }
  let result: unknown;
  try {
    const args = await callArguments(request, url, verb);
    result = await (context.api[name] as (...values: unknown[]) => Promise<unknown>)(...args);
  } catch (error) {
    if (error instanceof ApiError) {
      const headers = error.retryAfterSeconds === null ? {} : { 'retry-after': String(error.retryAfterSeconds) };
      return sendJson(response, error.status, { error: redactSecrets(error.message) }, false, headers);
    }
    context.log.error({ err: error, route: name }, 'API call failed');
    return sendJson(response, 500, { error: redactSecrets(error instanceof Error ? error.message : String(error)) });
  }
  await writeJson(response, result, request.method === 'HEAD');
}

function streamEvents(context: RequestContext, request: http.IncomingMessage, response: http.ServerResponse): void {
  const { streams } = context;
  if (streams.open >= streams.max) {
    sendJson(response, 503, { error: `too many live-update streams are open (${streams.max}): close other Footprint tabs or windows, then reload` }, false, { 'retry-after': '30' });
    return;
  }
  streams.open++;
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  response.write('retry: 2000\n\n');
  const api: FootprintApi = context.api;
  const send = (text: string) => {
    // A reader that stopped reading would otherwise make the server hold every event for it.
    if (response.writableLength > MAX_STREAM_BACKLOG_BYTES) end();
    else response.write(text);
  };
  const unsubscribe = api.subscribe((event) => send(`data: ${JSON.stringify(event)}\n\n`));
  const heartbeat = setInterval(() => send(': keep-alive\n\n'), HEARTBEAT_MS);
  let ended = false;
  function end() {
    if (ended) return;
    ended = true;
    streams.open--;
    clearInterval(heartbeat);
    unsubscribe();
    context.closing.signal.removeEventListener('abort', end);
    response.end();
  }
  context.closing.signal.addEventListener('abort', end);
  request.once('close', end);
  response.once('close', end);
}

function serveUi(context: RequestContext, decodedPath: string, response: http.ServerResponse, head: boolean): void {
  const index = path.join(context.uiDir, 'index.html');
  if (!existsSync(index)) {
    response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    response.end(head ? undefined : `The dashboard is not built: run "npm run build" (npm ci does it too). /metrics and /healthz work meanwhile.\n`);
    return;
  }
  const relative = decodedPath.replace(/^\/+/, '');
  let file = path.resolve(context.uiDir, relative || 'index.html');
  // Never outside the UI folder; unknown paths get the app, whose hash router shows the page.
  if (!file.startsWith(context.uiDir + path.sep) || !existsSync(file) || path.extname(file) === '') file = index;
  const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
  const headers: http.OutgoingHttpHeaders = { 'content-type': type, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };
  if (file === index) Object.assign(headers, { 'content-security-policy': CONTENT_SECURITY_POLICY, 'cache-control': 'no-cache', 'x-frame-options': 'DENY' });
  else headers['cache-control'] = 'public, max-age=31536000, immutable'; // Vite puts a content hash in asset names
  response.writeHead(200, headers);
  response.end(head ? undefined : readFileSync(file));
}

/** An epoch-ms time as /healthz writes it. */
function iso(time: number | null): string | null {
  return time === null ? null : new Date(time).toISOString();
}

/** A remote-write receiver's state for /healthz, which answers without a token: its name, not its address. */
function publicRemoteWrite(state: RemoteWriteState) {
  return { name: state.name, lastSuccessAt: iso(state.lastSuccessAt), sentUntil: iso(state.sentUntil), lastError: state.lastError, retryAt: iso(state.retryAt) };
}

function publicHealth(health: Awaited<ReturnType<CoreApi['health']>>[number]) {
  return {
    source: health.id,
    title: health.title,
    // The dashboard's word for it (shared/source-status.ts): ok, partial, failed, stale, paused, waiting.
    status: sourceStatus(health, { now: Date.now(), online: true }),
    state: health.state,
    lastRunAt: iso(health.lastRunAt),
    lastSuccessAt: iso(health.lastSuccessAt),
    nextRunAt: iso(health.nextRunAt),
    lastError: health.lastError,
    consecutiveFailures: health.consecutiveFailures,
    failedTargets: health.failedTargets,
    notes: health.notes ?? [],
    ...(health.budgetWarning === undefined ? {} : { budgetWarning: health.budgetWarning }),
  };
}
