// Docker Hub's side of the shared HTTP client (common/http-client.ts): its JSON requests with an
// optional Bearer JWT, and the client's errors in Docker Hub's words — no answer is a
// DockerHubNetworkError, a rate limit too long to wait a RateLimitedError.
import type { Logger } from 'pino';
import { DEFAULT_HTTP_TUNING, HttpClient, HttpError } from '../common/http-client.js';
import type { HttpAnswer, HttpTuning } from '../common/http-client.js';
import { DockerHubNetworkError } from './errors.js';
import { RateLimitedError } from '../../source.js';

export type { HttpAnswer } from '../common/http-client.js';

/** How long to wait and how often to retry in-process, and how many targets at once; tests shrink the waits. */
export interface DockerHubTuning extends HttpTuning {
  /** Requests in flight at once. */
  readonly concurrency: number;
}

export const productionHttpTuning: DockerHubTuning = { ...DEFAULT_HTTP_TUNING, concurrency: 4 };

export interface DockerHubRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  /** Sent as JSON. */
  readonly json?: unknown;
  readonly bearer?: string;
}

export interface DockerHubHttpOptions {
  readonly tuning: HttpTuning;
  /** Requests in flight at once. */
  readonly concurrency: number;
  readonly signal: AbortSignal;
  readonly log: Logger;
  readonly countRequest: (status: number | 'error') => void;
  /** Kept out of every log line and error message. */
  readonly secret: string | undefined;
}

export class DockerHubHttp {
  readonly #client: HttpClient;

  constructor(options: DockerHubHttpOptions) {
    this.#client = new HttpClient({
      api: 'Docker Hub',
      signal: options.signal,
      log: options.log,
      countRequest: options.countRequest,
      tuning: options.tuning,
      concurrency: options.concurrency,
      secrets: options.secret === undefined ? [] : [options.secret],
      headers: { accept: 'application/json' },
    });
  }

  async send(request: DockerHubRequest): Promise<HttpAnswer> {
    const headers: Record<string, string> = {};
    if (request.bearer) headers['authorization'] = `Bearer ${request.bearer}`;
    if (request.json !== undefined) headers['content-type'] = 'application/json';
    try {
      return await this.#client.send({
        method: request.method,
        url: request.url,
        headers,
        body: request.json === undefined ? undefined : JSON.stringify(request.json),
      });
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      if (error.retryAt !== null) throw new RateLimitedError(`Docker Hub rate limit reached; collecting again after ${new Date(error.retryAt).toISOString()}`, error.retryAt);
      throw new DockerHubNetworkError(error.reason);
    }
  }
}
