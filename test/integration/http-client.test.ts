// The one HTTP client the sources share (electron/core/sources/common/http-client.ts), against a
// loopback server that answers from a script: the one backoff policy, no retry after a timeout,
// Retry-After waits shared and taken once, the one error shape, the outage guard, a given dispatcher.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { ProxyAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../electron/core/sources/common/backoff.js';
import { HttpClient, HttpError } from '../../electron/core/sources/common/http-client.js';
import type { HttpClientOptions, HttpTuning } from '../../electron/core/sources/common/http-client.js';
import { ApiDownError } from '../../electron/core/sources/common/outage-guard.js';
import { sleep } from '../../electron/core/sources/common/sleep.js';
import { serveOnLoopback } from '../fakes/loopback.js';
import type { LoopbackServer } from '../fakes/loopback.js';
import { closedAfterEach } from '../support/closed-after-each.js';
import { startHttpProxy } from '../support/http-proxy.js';

const TUNING: HttpTuning = { requestTimeoutMs: 2_000, maxRetries: 2, retryDelayMs: 5, maxRateLimitWaitMs: 30_000, retryAfterUnitMs: 5 };

interface Scripted {
  readonly status: number;
  readonly headers?: Record<string, string>;
  /** Never answered. */
  readonly hang?: boolean;
}

/** Answers each request with the next scripted reply (the last one repeats); records each path. */
async function scriptedServer(script: readonly Scripted[]): Promise<LoopbackServer & { paths: string[] }> {
  const paths: string[] = [];
  const server = await serveOnLoopback(async (req, res) => {
    const reply = script[Math.min(paths.length, script.length - 1)]!;
    paths.push(req.url ?? '');
    if (reply.hang) return;
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    res.end(JSON.stringify({ status: reply.status }));
  }, (message) => JSON.stringify({ message }));
  return Object.assign(server, { paths });
}

const server = closedAfterEach(scriptedServer);
const proxies = closedAfterEach(startHttpProxy);

function client(overrides: Partial<HttpClientOptions> = {}) {
  const statuses: (number | 'error')[] = [];
  const logLines: { retryInMs?: number; msg: string }[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(JSON.parse(line) as { retryInMs?: number; msg: string }) });
  const http = new HttpClient({ api: 'the test API', signal: new AbortController().signal, log, countRequest: (status) => void statuses.push(status), tuning: TUNING, ...overrides });
  return { http, statuses, logLines };
}

async function closedPort(): Promise<number> {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  return port;
}

describe('the shared HTTP client', () => {
  it('backs off by doubling: retry n waits base × 2^(n−1)', () => {
    expect([1, 2, 3, 4].map((retry) => backoffDelay(retry, 1_000))).toEqual([1_000, 2_000, 4_000, 8_000]);
  });

  it('retries a 5xx twice with the one backoff, then returns the last answer; each answer counted', async () => {
    const api = await server([{ status: 503 }]);
    const { http, statuses, logLines } = client();
    const answer = await http.send({ url: `${api.origin}/x` });
    expect(answer.status).toBe(503);
    expect(statuses).toEqual([503, 503, 503]);
    expect(logLines.filter((line) => line.msg === 'the test API request failed; retrying').map((line) => line.retryInMs)).toEqual([5, 10]);
  });

  it('retries after no answer and then throws one HttpError naming the API and the cause', async () => {
    const port = await closedPort();
    const { http, statuses } = client();
    const error = await http.send({ url: `http://127.0.0.1:${port}/x` }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: null, retryAt: null, timedOut: false, problem: 'ECONNREFUSED', reason: 'fetch failed: ECONNREFUSED', attempts: 3 });
    expect((error as Error).message).toBe('could not reach the test API (ECONNREFUSED)');
    expect(statuses).toEqual(['error', 'error', 'error']);
  });

  it('does not retry an attempt that timed out', async () => {
    const api = await server([{ status: 200, hang: true }]);
    const { http, statuses } = client({ tuning: { ...TUNING, requestTimeoutMs: 100 } });
    const error = await http.send({ url: `${api.origin}/x` }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'HttpError', status: null, timedOut: true, attempts: 1, message: 'the test API did not answer within 0.1 s' });
    expect(api.paths).toHaveLength(1);
    expect(statuses).toEqual(['error']);
  });

  it('waits out a short Retry-After once, holding back every request of the client, then asks again', async () => {
    const api = await server([{ status: 429, headers: { 'retry-after': '2' } }, { status: 200 }]);
    const { http } = client();
    expect((await http.send({ url: `${api.origin}/a` })).status).toBe(200);
    expect(api.paths).toEqual(['/a', '/a']);
  });

  it('a rate limit too long to wait, or a second one, is an HttpError with retryAt on the given clock', async () => {
    const now = Date.UTC(2025, 0, 1);
    const long = await server([{ status: 429, headers: { 'retry-after': '120' } }]);
    await expect(client({ now: () => now }).http.send({ url: `${long.origin}/x` })).rejects.toMatchObject({ name: 'HttpError', status: 429, retryAt: now + 120_000 });
    expect(long.paths).toHaveLength(1);

    const twice = await server([{ status: 429, headers: { 'retry-after': '1' } }]);
    await expect(client({ now: () => now }).http.send({ url: `${twice.origin}/x` })).rejects.toMatchObject({ status: 429, retryAt: now + 1_000 });
    expect(twice.paths).toHaveLength(2);
  });

  it('hands 429 answers back as they are when asked to', async () => {
    const api = await server([{ status: 429, headers: { 'retry-after': '1' } }]);
    expect((await client({ rateLimits: 'return' }).http.send({ url: `${api.origin}/x` })).status).toBe(429);
    expect(api.paths).toHaveLength(1);
  });

  it('sends nothing more once four attempts in a row failed', async () => {
    const api = await server([{ status: 500 }]);
    const { http } = client({ tuning: { ...TUNING, maxRetries: 1 } });
    expect((await http.send({ url: `${api.origin}/1` })).status).toBe(500);
    expect((await http.send({ url: `${api.origin}/2` })).status).toBe(500);
    await expect(http.send({ url: `${api.origin}/3` })).rejects.toBeInstanceOf(ApiDownError);
    expect(api.paths).toEqual(['/1', '/1', '/2', '/2']);
  });

  it('stops waiting the moment the run stops', async () => {
    const api = await server([{ status: 500 }]);
    const run = new AbortController();
    const { http } = client({ signal: run.signal, tuning: { ...TUNING, retryDelayMs: 60_000 } });
    const sent = http.send({ url: `${api.origin}/x` });
    while (api.paths.length === 0) await sleep(5, new AbortController().signal);
    run.abort(new Error('stopped by the test'));
    await expect(sent).rejects.toThrow('stopped by the test');
  });

  it('connects through the dispatcher it is given', async () => {
    const api = await server([{ status: 200 }]);
    const proxy = await proxies(undefined);
    const agent = new ProxyAgent(proxy.url);
    try {
      expect((await client({ dispatcher: agent }).http.send({ url: `${api.origin}/x` })).status).toBe(200);
      expect(proxy.targets).toEqual([new URL(api.origin).host]);
    } finally {
      await agent.close();
    }
  });
});
