// The HTTP face of the core: Prometheus `/metrics`, `/healthz`, and an index page.
// Scrapes only render what polls already collected: nothing here calls an API.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { FootprintCore } from './core.js';
import type { ListenAddress } from './config/config.js';

export interface RunningServer {
  readonly url: string;
  readonly address: AddressInfo;
  close(): Promise<void>;
}

/** Listening failed in a way the user can fix (a busy port, a missing address). */
export class ListenError extends Error {}

export async function startServer(core: FootprintCore, listen: ListenAddress, log: Logger): Promise<RunningServer> {
  const server = http.createServer((request, response) => {
    handle(core, request, response).catch((error: unknown) => {
      log.error({ err: error, path: request.url }, 'request failed');
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('internal error\n');
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
  return {
    url: `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`,
    address,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

async function handle(core: FootprintCore, request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
    response.end('method not allowed\n');
    return;
  }
  switch (url.pathname) {
    case '/metrics': {
      const body = await core.exporter.render();
      response.writeHead(200, { 'content-type': core.exporter.contentType, 'cache-control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : body);
      return;
    }
    case '/healthz': {
      const body = JSON.stringify({ status: 'ok', sources: core.status().map(publicStatus) }, null, 2);
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : body + '\n');
      return;
    }
    case '/': {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(request.method === 'HEAD' ? undefined : indexPage(core));
      return;
    }
    default:
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('not found: try /metrics or /healthz\n');
  }
}

function publicStatus(status: ReturnType<FootprintCore['status']>[number]) {
  const iso = (time: number | null) => (time === null ? null : new Date(time).toISOString());
  return {
    source: status.id,
    title: status.title,
    state: status.state,
    lastRunAt: iso(status.lastRunAt),
    lastSuccessAt: iso(status.lastSuccessAt),
    nextRunAt: iso(status.nextRunAt),
    lastError: status.lastError,
    consecutiveFailures: status.consecutiveFailures,
    failedTargets: status.targetErrors,
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function indexPage(core: FootprintCore): string {
  const rows = core.status().map((status) =>
    `<tr><td>${escapeHtml(status.title)}</td><td>${escapeHtml(status.state)}</td><td>${status.lastSuccessAt ? new Date(status.lastSuccessAt).toISOString() : 'never'}</td><td>${escapeHtml(status.lastError ?? '')}</td></tr>`).join('');
  const sources = rows || '<tr><td colspan="4">No source is configured yet. See the README: Configuration.</td></tr>';
  return `<!doctype html><meta charset="utf-8"><title>Footprint</title>
<h1>Footprint</h1>
<p><a href="/metrics">/metrics</a> (Prometheus) · <a href="/healthz">/healthz</a> (JSON)</p>
<table border="1" cellpadding="4"><tr><th>Source</th><th>State</th><th>Last success</th><th>Last error</th></tr>${sources}</table>\n`;
}
