// A loopback server that only listens: it records every request (method, URL, headers, body) and
// answers 404, so a test can prove what was — or was not — sent to an address a caller chose.
import type { IncomingHttpHeaders } from 'node:http';
import { readBody, serveOnLoopback } from '../fakes/loopback.js';

export interface CapturedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface CaptureServer {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly requests: readonly CapturedRequest[];
  /**
   * Everything received, as text, plus every base64 / base64url run in it decoded and every
   * percent-encoding undone: Basic credentials, JWT headers and payloads, URL-encoded values.
   */
  text(): string;
  close(): Promise<void>;
}

function decodedForms(raw: string): string[] {
  const forms: string[] = [];
  try {
    forms.push(decodeURIComponent(raw));
  } catch {
    // not percent-encoded text
  }
  // A JWT's header, payload and signature are separate runs here (the dots split them).
  for (const run of raw.match(/[A-Za-z0-9+/_-]{8,}={0,2}/g) ?? []) {
    forms.push(Buffer.from(run, 'base64').toString('utf8'), Buffer.from(run, 'base64url').toString('utf8'));
  }
  return forms;
}

export async function startCaptureServer(): Promise<CaptureServer> {
  const requests: CapturedRequest[] = [];
  const server = await serveOnLoopback(async (req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: await readBody(req) });
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"message":"Not Found"}');
  }, (message) => JSON.stringify({ message }));
  return {
    url: server.origin,
    requests,
    text() {
      const raw = requests.map((request) => `${request.method} ${request.url}\n${JSON.stringify(request.headers)}\n${request.body}`).join('\n\n');
      return [raw, ...decodedForms(raw)].join('\n');
    },
    close: () => server.close(),
  };
}
