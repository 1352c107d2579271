// Public contract of the loopback Docker Hub fake. Source clients are written against it: change it only by adding.
import type { FaultControls } from '../loopback.js';

export interface FakeDockerRepo {
  namespace: string;
  name: string;
  pullCount: number;
  starCount: number;
  /** Default false. */
  isAutomated?: boolean;
  /** Default false. A private repository is listed and served only with a JWT from POST /v2/auth/token. */
  isPrivate?: boolean;
  /** ISO 8601, or null for a repository never pushed; default derived from the order repositories were added. */
  lastUpdated?: string | null;
  description?: string;
  /** Bytes; default 100 MiB. */
  storageSize?: number;
  /** Fields sent as given in its list item and repository_info, over the real ones: a malformed record (e.g. { pull_count: null }). */
  rawFields?: Record<string, unknown>;
}

export interface FakeDockerHubOptions {
  repositories?: FakeDockerRepo[];
  /** Namespaces that exist without repositories (an organization with none yet); those of `repositories` exist anyway. */
  namespaces?: string[];
  /** Added to every response (benchmarks, abort tests). */
  latencyMs?: number;
  /** When set, POST /v2/auth/token accepts exactly these (else any non-empty identifier and secret). */
  credentials?: { username: string; token: string };
  /**
   * An older or on-prem hub: only the legacy /v2/repositories/{ns}/ routes exist (their list items name the
   * owner `user`, the shape before June 2022); /v2/namespaces/… answers a plain 404 page, like any unknown route.
   */
  legacyOnly?: boolean;
  /** Requests allowed per window; more get 429 with Retry-After. Default 180 per 60 s (observed on Docker Hub). */
  rateLimit?: { limit?: number; windowSeconds?: number };
  /** Lifetime of the JWTs it issues. Default 600 s, like Docker Hub's. */
  tokenLifetimeSeconds?: number;
}

export interface RecordedRequest {
  method: string;
  /** Path with query string. */
  path: string;
  status: number;
  /** Sent a JWT the fake accepted. */
  authenticated: boolean;
}

export interface FakeDockerHubFailure {
  /** Tested against the path with query; absent matches every request. */
  match?: RegExp;
  /** The status to answer; 200 only together with `body` (a malformed answer). */
  status: number;
  /** 429: the Retry-After header, in seconds (default: the time to the rate-limit window's end, unless xRetryAfterEpoch is set). */
  retryAfterSeconds?: number;
  /** 429: the X-Retry-After header, in epoch seconds (an older spec's form). */
  xRetryAfterEpoch?: number;
  /** How many matching requests fail (default 1). */
  times?: number;
  /** Replaces Docker Hub's body for the status: a string is sent as is (text/html), anything else as JSON. */
  body?: unknown;
}

export interface FakeDockerHub extends FaultControls {
  /** http://127.0.0.1:PORT — the value for dockerhub.apiUrl. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  resetRequests(): void;
  addRepo(repo: FakeDockerRepo): void;
  /** fullName is "namespace/name". */
  updateRepo(fullName: string, patch: Partial<Omit<FakeDockerRepo, 'namespace' | 'name'>>): void;
  removeRepo(fullName: string): void;
  /** Queue a failure for the next matching request(s); failed requests do not count against the rate limit. */
  failNext(failure: FakeDockerHubFailure): void;
  /** JWTs issued by POST /v2/auth/token so far. */
  readonly tokensIssued: number;
  /** Every JWT issued so far is refused from now on (401), as after its expiry. */
  expireTokens(): void;
  close(): Promise<void>;
}
