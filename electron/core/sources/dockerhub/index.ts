// The Docker Hub source: pulls, stars, automated-build flag and last push of every repository in the
// configured namespaces plus single images, anonymously or logged in (private repositories).
import { TargetsFailedError } from '../../source.js';
import type { CollectContext, CollectResult, Source } from '../../source.js';
import type { ApiStyleMemory } from './api.js';
import { DockerHubApi } from './api.js';
import { AccessTokens } from './auth.js';
import { AutomatedFlags, DEFAULT_AUTOMATED_TTL_MS } from './automated-flags.js';
import { collectRepositories } from './collector.js';
import type { DockerHubConfig } from './config.js';
import { DockerHubHttp, productionHttpTuning } from './http.js';
import type { DockerHubTuning } from './http.js';
import { imageSamples } from './metrics.js';
import { targetsOf } from './targets.js';
import { redactSecret, errorWithoutSecret } from '../../secrets.js';
import { withCollectionSignal } from '../common/collection-signal.js';

export type { DockerHubConfig } from './config.js';
export { dockerhubConfigSchema } from './config.js';
export type { DockerHubTuning } from './http.js';
export { DockerHubAuthError } from './errors.js';

/** Lower-level knobs, for tests and benchmarks; `dockerhubSource.create` uses the production defaults. */
export interface DockerHubSourceOptions extends Partial<DockerHubTuning> {
  /** A JWT is renewed this long before its `exp` (at most half its lifetime). Default 60 s. */
  readonly tokenRenewalMarginMs?: number;
  /** How long a repository's is_automated flag is trusted before it is read again. Default 24 h. */
  readonly automatedTtlMs?: number;
}

const DEFAULT_RENEWAL_MARGIN_MS = 60_000;

function stopped(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    const onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new DOMException('Docker Hub collection stopped', 'AbortError'));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}


export function createDockerHubSource(config: DockerHubConfig, options: DockerHubSourceOptions = {}): Source {
  const { tokenRenewalMarginMs = DEFAULT_RENEWAL_MARGIN_MS, automatedTtlMs = DEFAULT_AUTOMATED_TTL_MS, ...tuningOverrides } = options;
  const tuning: DockerHubTuning = {
    ...productionHttpTuning,
    requestTimeoutMs: config.timeout,
    ...Object.fromEntries(Object.entries(tuningOverrides).filter(([, value]) => value !== undefined)),
  };
  const targets = targetsOf(config);
  const token = config.token;
  const credentials = config.username !== undefined && token !== undefined ? { username: config.username, token } : null;
  // Kept across collections: the JWT (it lives 10 minutes), which routes the hub serves, is_automated flags.
  const tokens = credentials ? new AccessTokens(config.apiUrl, credentials, tokenRenewalMarginMs) : null;
  const style: ApiStyleMemory = { value: 'unknown' };
  const flags = new AutomatedFlags(automatedTtlMs);

  async function collect(ctx: CollectContext): Promise<CollectResult> {
    try {
      return await withCollectionSignal(ctx.signal, async (controller) => {
        const http = new DockerHubHttp({ tuning, concurrency: tuning.concurrency, signal: controller.signal, log: ctx.log, countRequest: ctx.countRequest, secret: token });
        const api = new DockerHubApi({ apiUrl: config.apiUrl, http, tokens, style, log: ctx.log });
        const work = collectRepositories({ api, targets, flags, loggedIn: tokens !== null, log: ctx.log, signal: controller.signal });
        const collection = await Promise.race([work, stopped(controller.signal)]);
        const errors = collection.errors.map((error) => ({ target: error.target, message: redactSecret(error.message, token) }));
        if (collection.unreachable !== null) {
          throw new TargetsFailedError(`Docker Hub could not be reached at ${config.apiUrl}: ${collection.unreachable} — check dockerhub.apiUrl and the network`, errors);
        }
        return { samples: collection.records.flatMap(imageSamples), errors, collected: collection.records.length };
      });
    } catch (error) {
      if (ctx.signal.aborted) throw error; // a stop: its reason, as is
      throw errorWithoutSecret(error, token);
    }
  }

  return { id: 'dockerhub', intervalMs: config.interval, timeoutMs: tuning.requestTimeoutMs, collect };
}

export { dockerhubSource } from './module.js';
