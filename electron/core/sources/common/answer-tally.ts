// What a poll of several requests needs to tell a failed target from a failed API: it counts the
// requests that got an answer (any status) and keeps the last one that got none, so a run in which
// no request was answered fails as a whole (TargetsFailedError, one reason, the scheduler backs off)
// instead of listing the same network error per target. Failed requests are put in plain words once
// here: a rate limit ends the run (RateLimitedError), a target the outage guard stopped is "not asked".
import { RateLimitedError, TargetsFailedError } from '../../source.js';
import type { CollectContext, TargetError } from '../../source.js';
import { HttpError } from './http-client.js';
import { ApiDownError } from './outage-guard.js';

export class AnswerTally {
  /** The run's context, counting answers: give it to the HTTP client. */
  readonly ctx: CollectContext;
  readonly #api: string;
  #answers = 0;
  #network: { readonly problem: string; readonly timedOut: boolean } | null = null;

  /** `api` is the API's name in messages, e.g. "the npm downloads API". */
  constructor(ctx: CollectContext, api: string) {
    this.#api = api;
    this.ctx = {
      ...ctx,
      countRequest: (status) => {
        if (status !== 'error') this.#answers++;
        ctx.countRequest(status);
      },
    };
  }

  /**
   * Why a request failed, as a message for each target it was for. Throws what is not an HTTP failure
   * (a stop, a bug) and a rate limit, as RateLimitedError: the whole run waits.
   */
  reason(error: unknown): (name: string) => string {
    if (error instanceof ApiDownError) return (name) => `'${name}' was not asked: ${error.message}`;
    if (!(error instanceof HttpError)) throw error;
    if (error.retryAt !== null) {
      throw new RateLimitedError(`${this.#api} rate limit was hit; collecting again after ${new Date(error.retryAt).toISOString()}`, error.retryAt);
    }
    const problem = error.timedOut ? error.message : error.problem;
    this.#network = { problem, timedOut: error.timedOut };
    return (name) => `${error.timedOut ? `${problem} for '${name}'` : `could not reach ${this.#api} for '${name}' (${problem})`} — collecting again next time`;
  }

  /** Throws TargetsFailedError when not one request got an answer and one failed on the network. */
  throwIfUnreachable(apiUrl: string, section: string, errors: readonly TargetError[]): void {
    const network = this.#network;
    if (this.#answers > 0 || network === null) return;
    throw new TargetsFailedError(
      network.timedOut
        ? `${network.problem} at ${apiUrl} — check ${section}.apiUrl and the network, or raise ${section}.timeout`
        : `${this.#api} could not be reached at ${apiUrl} (${network.problem}) — check ${section}.apiUrl and the network`,
      [...errors],
    );
  }
}
