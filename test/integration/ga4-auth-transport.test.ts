// google-auth-library's own requests (token refreshes) through the run's HTTP client: the transporter
// options AuthTransport gives it send through the client (counted, the run's signal), and gaxios does
// not retry on top of the client's own retries.
import { gaxios } from 'google-auth-library';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { AuthTransport } from '../../electron/core/sources/ga4/auth-transport.js';
import { GoogleUnreachableError } from '../../electron/core/sources/ga4/errors.js';
import { callContext } from '../../electron/core/sources/ga4/http.js';
import { serveOnLoopback } from '../fakes/loopback.js';
import { closedAfterEach } from '../support/closed-after-each.js';

const TUNING = { requestTimeoutMs: 2_000, maxRetries: 2, retryDelayMs: 5, maxRateLimitWaitMs: 0, retryAfterUnitMs: 5 };

const tokenEndpoint = closedAfterEach(async (status: number) => {
  const bodies: string[] = [];
  const server = await serveOnLoopback(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    bodies.push(body);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(status === 200 ? { access_token: 'ya29.test', expires_in: 3599 } : { error: 'backend_error' }));
  }, (message) => JSON.stringify({ message }));
  return Object.assign(server, { bodies });
});

function run() {
  const statuses: (number | 'error')[] = [];
  const ctx = callContext({ log: pino({ level: 'silent' }), countRequest: (status) => void statuses.push(status) }, new AbortController().signal, TUNING);
  return { ctx, statuses };
}

describe('google-auth-library requests through the run\'s HTTP client', () => {
  it('posts a form through the client and hands its answer back, counted', async () => {
    const endpoint = await tokenEndpoint(200);
    const transport = new AuthTransport();
    const { ctx, statuses } = run();
    transport.use(ctx);
    const answer = await new gaxios.Gaxios(transport.options()).request<{ access_token: string }>({
      url: `${endpoint.origin}/token`,
      method: 'POST',
      data: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'r' }),
    });
    expect(answer.data.access_token).toBe('ya29.test');
    expect(endpoint.bodies).toEqual(['grant_type=refresh_token&refresh_token=r']);
    expect(statuses).toEqual([200]);
  });

  it('a 5xx is retried by the client only, and no answer at all is GoogleUnreachableError', async () => {
    const failing = await tokenEndpoint(503);
    const transport = new AuthTransport();
    const { ctx, statuses } = run();
    transport.use(ctx);
    const client = new gaxios.Gaxios(transport.options());
    await expect(client.request({ url: `${failing.origin}/token`, method: 'POST', data: 'x=1', retry: true })).rejects.toMatchObject({ status: 503 });
    expect(statuses).toEqual([503, 503, 503]);

    await failing.close();
    const refused = await client.request({ url: `${failing.origin}/token`, method: 'POST', data: 'x=1' }).then(
      () => null,
      (error: unknown) => error as Error,
    );
    expect(refused?.cause).toBeInstanceOf(GoogleUnreachableError);
  });
});
