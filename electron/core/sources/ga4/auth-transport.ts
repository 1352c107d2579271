// google-auth-library's own requests (token refreshes of user credentials and workload identity, an
// impersonation) sent through the run's HTTP client, so they share its timeout, stop signal, request
// counting, outage guard and proxy. gaxios' own retries are off: the client retries once, the one way.
// The metadata-server probe of gcp-metadata keeps its own gaxios and so does not pass through here.
import type { gaxios } from 'google-auth-library';
import { send } from './http.js';
import type { CallContext } from './http.js';

/** No body for these statuses, as the Fetch standard requires. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

function bodyText(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  throw new TypeError('google-auth-library sent a request body Footprint cannot pass on');
}

/** Routes fetches to the call context of the run that asked for credentials. */
export class AuthTransport {
  #ctx: CallContext | null = null;

  /** The run whose client the next requests go through. */
  use(ctx: CallContext): void {
    this.#ctx = ctx;
  }

  /** Options for google-auth-library's transporter (its `transporterOptions`). */
  options(): gaxios.GaxiosOptions {
    return { fetchImplementation: (input, init) => this.#fetch(input, init), retryConfig: { retry: 0 } };
  }

  async #fetch(input: Parameters<typeof fetch>[0], init: RequestInit = {}): Promise<Response> {
    const ctx = this.#ctx;
    if (ctx === null) throw new Error('a Google credential was used outside a collection');
    const url = input instanceof Request ? input.url : String(input);
    const method = (init.method ?? 'GET').toUpperCase();
    if (method !== 'GET' && method !== 'POST') throw new TypeError(`google-auth-library sent a ${method} request, which Footprint does not pass on`);
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const body = bodyText(init.body);
    if (init.body instanceof URLSearchParams) headers['content-type'] ??= 'application/x-www-form-urlencoded';
    const answer = await send({ method, url, headers, body, what: `Google credentials (${new URL(url).host})` }, ctx);
    return new Response(NULL_BODY_STATUSES.has(answer.status) ? null : answer.text, { status: answer.status, headers: answer.headers });
  }
}
