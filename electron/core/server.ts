// The HTTP face of the core: Prometheus `/metrics`, `/healthz`, the dashboard (built renderer) at `/`,
// and the UI's API under `/api/*` with live updates as Server-Sent Events at `/api/events`.
// Scrapes only render what polls already collected: nothing here calls an external API on its own.
import { timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Logger } from 'pino';
import { eventsPath, httpRoutes, type FootprintApi } from '../../shared/api.js';
import { ApiError, CoreApi } from './api.js';
import { isLoopback, type ListenAddress } from './config/config.js';
import type { FootprintCore } from './core.js';
import { redactSecrets } from './secrets.js';

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
  /** The built renderer; default dist/renderer of this checkout. */
  readonly uiDir?: string;
  /** The environment `${VAR}` references in saved settings expand from (the desktop app adds its stored secrets). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Listening failed in a way the user can fix (a busy port, a missing address). */
export class ListenError extends Error {}

const defaultUiDir = path.resolve(import.meta.dirname, '..', '..', 'dist', 'renderer');
const MAX_BODY_BYTES = 1_000_000;
const HEARTBEAT_MS = 15_000;

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
  const context: RequestContext = { core, api, options, log, uiDir: options.uiDir ?? defaultUiDir, closing: new AbortController() };
  const server = http.createServer((request, response) => {
    handle(context, request, response).catch((error: unknown) => {
      log.error({ err: error, path: request.url }, 'request failed');
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify({ error: 'internal error' }));
    });
  });
  server.keepAliveTimeout = 65_000; // longer than Prometheus' idle timeout, so scrapes reuse connections
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(new ListenError(`server.listen: ${listen.text} is already in use — stop the other program or choose another port, e.g. server: { listen: "127.0.0.1:9172" }`));
      } else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
        reject(new ListenError(`server.listen: ${listen.host} is not an address of this machine — use 127.0.0.1 (this machine only) or 0.0.0.0 (all interfaces)`));
      } else if (error.code === 'EACCES') {
        reject(new ListenError(`server.listen: no permission to listen on ${listen.text} — use a port above 1023`));
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
}

function sendJson(response: http.ServerResponse, status: number, body: unknown, head = false): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(head ? undefined : JSON.stringify(body ?? null));
}

function tokenMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const SESSION_COOKIE = 'footprint_session';

function cookieToken(request: http.IncomingMessage): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return decodeURIComponent(value.join('='));
  }
  return null;
}

/**
 * Bearer token, Basic password (any user name: what a browser's login prompt sends), ?token= (a link
 * or EventSource), or the session cookie a valid ?token= sets so the page's assets and reloads work.
 */
function isAuthorized(request: http.IncomingMessage, url: URL, token: string): boolean {
  const cookie = cookieToken(request);
  if (cookie !== null && tokenMatches(cookie, token)) return true;
  const header = request.headers.authorization ?? '';
  const [scheme, value = ''] = header.split(' ', 2);
  if (scheme?.toLowerCase() === 'bearer' && tokenMatches(value.trim(), token)) return true;
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value.trim(), 'base64').toString('utf8');
    const password = decoded.slice(decoded.indexOf(':') + 1);
    if (tokenMatches(password, token)) return true;
  }
  const query = url.searchParams.get('token');
  return query !== null && tokenMatches(query, token);
}

/**
 * Refuses requests a web page elsewhere could forge: a Host that is not this server (DNS rebinding)
 * while it listens on loopback, and a cross-origin or non-JSON POST (CSRF).
 */
function forgeryProblem(request: http.IncomingMessage, options: ServerOptions): string | null {
  const hostHeader = request.headers.host ?? '';
  if (isLoopback(options.listen.host)) {
    const hostname = hostHeader.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
    if (!isLoopback(hostname)) return `Host "${hostHeader}" is not this machine; open the dashboard at http://127.0.0.1:${options.listen.port}/`;
  }
  if (request.method === 'POST') {
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== `http://${hostHeader}`) return `requests from ${origin} are not allowed`;
    if (!(request.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) return 'send the request body as application/json';
  }
  return null;
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

async function handle(context: RequestContext, request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  const { options } = context;
  const url = new URL(request.url ?? '/', 'http://localhost');
  const method = request.method ?? 'GET';
  const head = method === 'HEAD';
  if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') {
    response.writeHead(405, { allow: 'GET, HEAD, POST', 'content-type': 'text/plain; charset=utf-8' });
    response.end('method not allowed\n');
    return;
  }
  if (url.pathname === '/healthz') {
    sendJson(response, 200, { status: 'ok', sources: (await context.api.health()).map(publicHealth) }, head);
    return;
  }
  const needsAuth = options.authToken && (url.pathname !== '/metrics' || options.metricsAuth);
  if (needsAuth && !isAuthorized(request, url, options.authToken!)) {
    response.writeHead(401, { 'www-authenticate': 'Basic realm="Footprint", charset="UTF-8"', 'content-type': 'text/plain; charset=utf-8' });
    response.end('Footprint needs its access token: enter it as the password (any user name), or send Authorization: Bearer <token>.\n');
    return;
  }
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
    const problem = forgeryProblem(request, options);
    if (problem) return sendJson(response, 403, { error: problem });
    if (url.pathname === eventsPath) return streamEvents(context, request, response);
    return handleApi(context, request, response, url);
  }
  if (method === 'POST') return sendJson(response, 405, { error: 'not an API route' });
  const problem = forgeryProblem(request, options);
  if (problem) {
    response.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
    response.end(`${problem}\n`);
    return;
  }
  serveUi(context, url, response, head);
}

async function handleApi(context: RequestContext, request: http.IncomingMessage, response: http.ServerResponse, url: URL): Promise<void> {
  const verb = request.method === 'POST' ? 'POST' : 'GET';
  const name = apiMethods.get(`${verb} ${url.pathname}`);
  if (!name) {
    const known = [...apiMethods.keys()].find((key) => key.endsWith(` ${url.pathname}`));
    return sendJson(response, known ? 405 : 404, { error: known ? `use ${known}` : `no API route ${url.pathname}` });
  }
  try {
    let args: unknown[];
    if (verb === 'GET') {
      const q = url.searchParams.get('q');
      args = q === null ? [] : [JSON.parse(q)];
    } else {
      const body = await readJson(request);
      const list = (body as { args?: unknown }).args ?? [];
      if (!Array.isArray(list)) throw new ApiError(400, 'the request body must be {"args": [...]}');
      args = list;
    }
    const result = await (context.api[name] as (...values: unknown[]) => Promise<unknown>)(...args);
    sendJson(response, 200, result ?? null, request.method === 'HEAD');
  } catch (error) {
    if (error instanceof ApiError) return sendJson(response, error.status, { error: redactSecrets(error.message) });
    if (error instanceof SyntaxError) return sendJson(response, 400, { error: `q is not valid JSON: ${error.message}` });
    context.log.error({ err: error, route: name }, 'API call failed');
    sendJson(response, 500, { error: redactSecrets(error instanceof Error ? error.message : String(error)) });
  }
}

function streamEvents(context: RequestContext, request: http.IncomingMessage, response: http.ServerResponse): void {
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  response.write('retry: 2000\n\n');
  const api: FootprintApi = context.api;
  const unsubscribe = api.subscribe((event) => response.write(`data: ${JSON.stringify(event)}\n\n`));
  const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), HEARTBEAT_MS);
  const end = () => {
    clearInterval(heartbeat);
    unsubscribe();
    context.closing.signal.removeEventListener('abort', end);
    response.end();
  };
  context.closing.signal.addEventListener('abort', end);
  request.once('close', end);
}

function serveUi(context: RequestContext, url: URL, response: http.ServerResponse, head: boolean): void {
  const index = path.join(context.uiDir, 'index.html');
  if (!existsSync(index)) {
    response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    response.end(head ? undefined : `The dashboard is not built: run "npm run build" (npm ci does it too). /metrics and /healthz work meanwhile.\n`);
    return;
  }
  const relative = decodeURIComponent(url.pathname).replace(/^\/+/, '');
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

function publicHealth(health: Awaited<ReturnType<CoreApi['health']>>[number]) {
  const iso = (time: number | null) => (time === null ? null : new Date(time).toISOString());
  return {
    source: health.id,
    title: health.title,
    state: health.state,
    lastRunAt: iso(health.lastRunAt),
    lastSuccessAt: iso(health.lastSuccessAt),
    nextRunAt: iso(health.nextRunAt),
    lastError: health.lastError,
    consecutiveFailures: health.consecutiveFailures,
    failedTargets: health.failedTargets,
  };
}
