// Calls of the GA4 Data API (v1beta) for one property: the Bearer credential on each request, one
// renewal of it after a 401, errors as typed errors, the JSON reply parsed.
import { apiErrorOf, MalformedResponseError } from './errors.js';
import type { Credentials } from './credentials.js';
import { send } from './http.js';
import type { CallContext } from './http.js';

export type ReportMethod = 'runReport' | 'runRealtimeReport';

export class DataApiClient {
  readonly #apiUrl: string;
  readonly #credentials: Credentials;

  constructor(apiUrl: string, credentials: Credentials) {
    this.#apiUrl = apiUrl;
    this.#credentials = credentials;
  }

  /**
   * POSTs `body` to `properties/{id}:{method}` and returns the parsed reply. Throws GoogleApiError
   * for an error reply, GoogleAuthError when a renewed credential is refused too,
   * GoogleUnreachableError, or MalformedResponseError for a success reply that is not JSON.
   */
  async call(propertyId: string, method: ReportMethod, body: unknown, ctx: CallContext): Promise<unknown> {
    const request = {
      url: `${this.#apiUrl}/v1beta/properties/${propertyId}:${method}`,
      body: JSON.stringify(body),
      what: `${method} for property ${propertyId}`,
    };
    let renewed = false;
    for (;;) {
      const authorization = await this.#credentials.authorization(ctx);
      const reply = await send({ ...request, headers: { authorization, 'content-type': 'application/json' } }, ctx);
      if (reply.status === 401) {
        this.#credentials.invalidate();
        if (renewed) throw this.#credentials.refused();
        // Google may have revoked a cached credential (or the clock jumped): one fresh try.
        ctx.log.info({ request: request.what }, 'Google refused the credentials (401); renewing them once');
        renewed = true;
        continue;
      }
      if (reply.status < 200 || reply.status > 299) throw apiErrorOf(reply.status, reply.text);
      try {
        return JSON.parse(reply.text) as unknown;
      } catch {
        throw new MalformedResponseError(`Google's reply to ${request.what} is not JSON`);
      }
    }
  }
}
