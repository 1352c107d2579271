// The contract between the scheduler/core and each source module (one module per source).
import type { z } from 'zod';
import type { Logger } from 'pino';
import type { MetricDef, Sample } from '../../shared/metrics.js';
import type { SourceUi } from '../../shared/source-ui.js';
import type { Backfiller, DatedSample } from './backfill/contract.js';

/** A target (org, repo, namespace, property…) that failed while the rest of the source worked. */
export interface TargetError {
  readonly target: string;
  readonly message: string;
}

export interface CollectResult {
  readonly samples: Sample[];
  /**
   * Values with a time of their own that the poll read (a day's downloads, a day's traffic): merged
   * into the history as backfill's are (revised when read again), not shown on /metrics.
   */
  readonly dated?: readonly DatedSample[];
  /** Targets that failed this run; an empty list means a complete collection. */
  readonly errors: TargetError[];
  /**
   * Targets that cannot give some data, for a reason that is not a failure (e.g. "traffic needs push
   * access to this repository"): shown per target in the source's health, like backfill's unavailable tasks.
   */
  readonly notes?: readonly TargetError[];
  /**
   * Targets (or records) collected this run, wholly or in part. Errors with nothing collected make the run
   * a failure as a whole, so the scheduler backs off instead of polling a dead API at full rate.
   */
  readonly collected: number;
}

export interface CollectContext {
  readonly log: Logger;
  /** Aborts when the run is stopped or runs out of time (its deadline): the reason says which. */
  readonly signal: AbortSignal;
  /** Counts one API request (for footprint_api_requests_total); status is the HTTP status or 'error'. */
  readonly countRequest: (status: number | 'error') => void;
}

/** A configured, ready-to-run source. */
export interface Source {
  readonly id: string;
  readonly intervalMs: number;
  /** How long one API request may wait for its answer (the source's `timeout` key); the core derives each run's deadline from it. */
  readonly timeoutMs: number;
  collect(ctx: CollectContext): Promise<CollectResult>;
  /** Reads the source's past (star history, daily downloads), when its API keeps one. */
  readonly backfill?: Backfiller;
  /**
   * For Test connection, after a collection that worked: who the credentials are and the budget the API
   * gives them, in a sentence (e.g. "Connected as octocat; 4,990 of 5,000 requests an hour left.").
   */
  describeConnection?(ctx: CollectContext): Promise<string>;
}

/** Where the configuration came from, for sources that read files named in it. */
export interface ConfigContext {
  /** Relative paths in the config resolve against this folder (the config file's, or the working directory). */
  readonly configDir: string;
  readonly homedir: string;
}

/** A problem with one key of a source's section found by `prepare()`; becomes a config error naming `source.key`. */
export class SourceConfigError extends Error {
  readonly key: string;
  constructor(key: string, message: string) {
    super(message);
    this.name = 'SourceConfigError';
    this.key = key;
  }
}

/** An address a source sends credentials to, with the key of its section that decides it. */
export interface CredentialDestination {
  readonly key: string;
  readonly url: string;
}

/** What one source module exports. The registry lists these; nothing else knows a source by name. */
export interface KeyFileSpec {
  /** The config key that names the file, e.g. "credentialsFile". */
  readonly key: string;
  /** The name it is stored under, in the configuration file's folder. */
  readonly fileName: string;
  /** Checks the text as loading the file would (a SourceConfigError says what is wrong); its secrets and whose key it is. */
  check(text: string, file: string): { readonly secrets: readonly string[]; readonly account: string };
}

/** A metric a configuration defines (a user-defined source's), with the key of the section that defines it. */
export interface ConfiguredMetric {
  /** Relative to the section, e.g. "[0].metrics[1].name". */
  readonly key: string;
  readonly def: MetricDef;
}

export interface SourceModule<Config = unknown> {
  /** Config key and source id, e.g. "github". */
  readonly id: string;
  readonly title: string;
  readonly configSchema: z.ZodType<Config>;
  readonly metrics: readonly MetricDef[];
  /**
   * Metrics of this catalogue that tell the API budget left, for the UI's health view. `limit` is per
   * hour; with `spentPerPoll` (what the last poll spent, same labels) Footprint tells at start-up and in
   * Health when polling at the configured interval needs more than the limit (api-budget.ts).
   */
  readonly budget?: { readonly limit: string; readonly remaining: string; readonly resetSeconds?: string; readonly spentPerPoll?: string };
  /**
   * The metrics a configuration defines, for a source whose metrics the user names (`http:`): the exporter,
   * the store, the UI and `export` use these instead of `metrics` once the source is configured.
   */
  catalogue?(config: Config): readonly ConfiguredMetric[];
  /** Its Settings form and Overview cards. */
  readonly ui?: SourceUi;
  /** Its Settings form and Overview cards for this configuration, when they depend on it (cards of user-defined metrics). */
  uiFor?(config: Config): SourceUi;
  /** Secrets inside the config, so logs and `check-config` can mask them. */
  secrets(config: Config): string[];
  /** A key file Settings may upload (CoreApi.uploadKeyFile), stored beside the configuration. */
  readonly keyFile?: KeyFileSpec;
  /** The key (e.g. "app.privateKeyFile") whose value or file holds one of `secrets()`, for messages about it. */
  secretKey?(config: Config, secret: string): string | undefined;
  /**
   * Every address the config sends its credentials to (logins and token endpoints included); the
   * config's `apiUrl` alone when not given. A saved secret is only sent to the addresses it was
   * saved with: a Settings edit that changes one must type the secret again (config/edit-provenance.ts).
   */
  destinations?(config: Config): CredentialDestination[];
  /**
   * Optional, after validation: resolve paths against the config file's folder and check what they name
   * (read a key file, say). Throws SourceConfigError for a bad key; returns the config `create()` gets.
   */
  prepare?(config: Config, context: ConfigContext): Config;
  create(config: Config): Source;
}

/** The metrics a configured source exposes: its catalogue for this configuration, else its static one. */
export function metricCatalogue(module: SourceModule<any>, config: unknown): readonly MetricDef[] {
  return module.catalogue && config !== undefined ? module.catalogue(config).map((metric) => metric.def) : module.metrics;
}

/** How the UI presents a source with this configuration (undefined: not configured). */
export function sourceUiOf(module: SourceModule<any>, config: unknown): SourceUi | undefined {
  return module.uiFor && config !== undefined ? module.uiFor(config) : module.ui;
}

/**
 * Thrown by a source when not one target could be collected and one reason covers them all ("GitHub could
 * not be reached at …"): a failed run whose health still lists each target's own error.
 */
export class TargetsFailedError extends Error {
  readonly errors: readonly TargetError[];
  constructor(message: string, errors: readonly TargetError[]) {
    super(message);
    this.name = 'TargetsFailedError';
    this.errors = errors;
  }
}

/** Thrown by a source when an API said "wait": the scheduler waits until retryAt instead of backing off blindly. */
export class RateLimitedError extends Error {
  readonly retryAt: number;
  constructor(message: string, retryAt: number) {
    super(message);
    this.name = 'RateLimitedError';
    this.retryAt = retryAt;
  }
}
