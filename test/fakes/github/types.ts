// Public contract of the loopback GitHub fake. Source clients are written against it: change it only by adding.
import type { FaultControls } from '../loopback.js';
import type { FakeAppOptions, IssuedToken } from './app.js';

export interface FakeReleaseAsset {
  name: string;
  downloads: number;
  /** Bytes; defaults to 1 MiB. */
  size?: number;
  /** ISO 8601, when the asset was uploaded; defaults to the release's createdAt. */
  createdAt?: string;
}

export interface FakeRelease {
  name: string;
  tag: string;
  /** ISO 8601. Also used as published_at (null for drafts). */
  createdAt: string;
  draft?: boolean;
  prerelease?: boolean;
  assets: FakeReleaseAsset[];
}

/** One day (or week) of traffic, as GitHub reports it: timestamp at UTC midnight. */
export interface FakeTrafficDay {
  timestamp: string;
  count: number;
  uniques: number;
}

/** Views and clones of one UTC day, as a repository's traffic model reports them. */
export interface FakeTrafficCounts {
  views: { count: number; uniques: number };
  clones: { count: number; uniques: number };
}

/** A top referrer or popular path (14-day totals), as /traffic/popular/* serve it. */
export interface FakeReferrer {
  referrer: string;
  count: number;
  uniques: number;
}
export interface FakePopularPath {
  path: string;
  title: string;
  count: number;
  uniques: number;
}

export interface FakeRepo {
  owner: string;
  name: string;
  /** Database id; assigned if absent. */
  id?: number;
  stars: number;
  forks: number;
  /** Subscribers. REST `watchers_count` is the star count, like GitHub; `subscribers_count` is this. */
  watchers: number;
  /** Issues only. REST `open_issues_count` = openIssues + openPulls, like GitHub. */
  openIssues: number;
  openPulls: number;
  /** Closed issues (GraphQL `issues(states: CLOSED)`); default 0. */
  closedIssues?: number;
  /** Merged pull requests (GraphQL `pullRequests(states: MERGED)`); default 0. */
  mergedPulls?: number;
  /** Commits on the default branch; 0 is an empty repository (no default branch, contributors 204). Default 1. */
  commits?: number;
  /** ISO 8601 time of the default branch's head commit; default pushedAt. */
  lastCommitAt?: string;
  /** Contributors listed by /contributors (anonymous ones included); default 1 unless the repository is empty. */
  contributors?: number;
  /** 'too-large': /contributors answers 403 as GitHub does for a history too large to list. */
  contributorsHidden?: 'too-large';
  sizeKb: number;
  private?: boolean;
  fork?: boolean;
  archived?: boolean;
  /** License key, e.g. 'mit'. */
  license?: string | null;
  language?: string | null;
  releases?: FakeRelease[];
  description?: string | null;
  topics?: string[];
  /** ISO 8601; default derived from the order repos were added. */
  createdAt?: string;
  /** ISO 8601; default createdAt, moved to "now" by updateRepo unless the patch sets it. */
  updatedAt?: string;
  /** ISO 8601; default updatedAt. */
  pushedAt?: string;
  /** Whether the configured token may push (traffic, drafts, permissions.push). Default true. */
  pushAccess?: boolean;
  /**
   * Served by /traffic/views and /traffic/clones; default none. Like GitHub, only the 14 UTC days up to the
   * fake's today (its `clock`) are served, and days without traffic are left out.
   */
  traffic?: { views?: FakeTrafficDay[]; clones?: FakeTrafficDay[] };
  /**
   * Traffic as a function of the day (YYYY-MM-DD) and the fake's clock (epoch ms), used when `traffic` is
   * absent: lets a test advance the calendar for months and see today's numbers grow.
   */
  trafficModel?: (day: string, asOf: number) => FakeTrafficCounts;
  /**
   * The token may push, but GitHub refuses its traffic with 403 (a fine-grained token without the
   * "Administration" permission). Default false.
   */
  trafficForbidden?: boolean;
  /** Served by /traffic/popular/referrers (GitHub's top 10 of the last 14 days); default none. */
  referrers?: FakeReferrer[];
  /** Served by /traffic/popular/paths (GitHub's top 10 of the last 14 days); default none. */
  popularPaths?: FakePopularPath[];
  /** Fields sent as given in its REST objects, over the real ones: a malformed record (e.g. { stargazers_count: 'lots' }). */
  restFields?: Record<string, unknown>;
  /**
   * How stars and forks arrived between createdAt and updatedAt (the times the stargazer and fork lists
   * carry): 'steady' (default) evenly spread; 'accelerating' quadratic growth, so early days pass without
   * a star and later days bring dozens.
   */
  growth?: 'steady' | 'accelerating';
  /**
   * GitHub lets only a repository's admins and collaborators list its stargazers. 'forbidden': REST 403 and
   * a GraphQL FORBIDDEN error; 'empty': an empty list (stargazerCount unchanged). Default: listed.
   */
  stargazersHidden?: 'forbidden' | 'empty';
  /**
   * GraphQL fields of the repository served as null although the schema says they never are, as GitHub
   * sometimes does: the answer carries "Cannot return null for non-nullable field Repository.<field>."
   * beside the data, and the repository's node in a list is null. Default none.
   */
  nullFields?: string[];
}

export interface FakeOwner {
  login: string;
  type: 'Organization' | 'User';
  id?: number;
}

export interface FakeGitHubOptions {
  /** Owners of repos are auto-created as Organization unless listed in `owners`. */
  repos?: FakeRepo[];
  owners?: FakeOwner[];
  /** Added to every response (benchmarks). */
  latencyMs?: number;
  /**
   * If set, requests with another token get 401 "Bad credentials". Requests without a token are
   * anonymous (REST works at 60/h; GraphQL answers 401). If unset, any token is accepted.
   */
  token?: string;
  /** Authenticated limits per resource (default 5000 each); `anonymous` is the anonymous core limit (default 60). */
  rateLimit?: { core?: number; graphql?: number; anonymous?: number };
  /** The token's user, for `viewer`, `/user` and "user ID N" in rate-limit messages. Default footprint-bot / 1234567. */
  viewer?: { login: string; id: number };
  /**
   * GraphQL pricing: 'flat' (default) charges 1 point per query; 'github' as GitHub documents it: the
   * connection requests a query could need (each connection once per parent node) ÷ 100, rounded, at least 1.
   */
  graphqlPricing?: 'flat' | 'github';
  /** The fake's clock, epoch ms: "today" for traffic (the 14 days served end at its UTC day). Default Date.now. */
  clock?: () => number;
  /**
   * A GitHub App: JWTs signed by the private half of `publicKey` open the App routes, and the installation
   * tokens they make are accepted by every other route (counted against the installation's own limits).
   */
  app?: FakeAppOptions;
  /** Served as GitHub Enterprise Server is: REST under `${url}/api/v3`, GraphQL at `${url}/api/graphql`. */
  enterprise?: boolean;
}

export interface RecordedRequest {
  method: string;
  /** Path with query string. */
  path: string;
  status: number;
  graphql: boolean;
  authenticated: boolean;
  ifNoneMatch: string | null;
  /** The GraphQL query text, or null for REST. */
  graphqlQuery: string | null;
}

export type FakeFailureKind = 'primary' | 'secondary' | number;

export interface FakeFailure {
  /** Tested against the path with query (REST) or the query text (GraphQL); absent matches every request. */
  match?: RegExp;
  /**
   * 'primary': rate limit exhausted (REST 403 + x-ratelimit-remaining: 0 + reset; GraphQL 200 with a RATE_LIMITED error).
   * 'secondary': 403 secondary-limit body + retry-after. A number: that status with GitHub's body for it.
   */
  kind: FakeFailureKind;
  /** 'secondary': the retry-after value (default 60). 'primary': reset is now + this (default: the bucket's reset). */
  retryAfterSeconds?: number;
  /** How many matching requests fail (default 1). */
  times?: number;
}

export interface FakeGitHub extends FaultControls {
  /** http://127.0.0.1:PORT — the REST base; GraphQL is at `${url}/graphql`. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  resetRequests(): void;
  addRepo(repo: FakeRepo): void;
  /** fullName is "owner/name" (case-insensitive, like GitHub). */
  updateRepo(fullName: string, patch: Partial<FakeRepo>): void;
  removeRepo(fullName: string): void;
  /** Epoch ms each stargazer of the repository starred it, oldest first: what the lists serve. */
  stargazerTimes(fullName: string): number[];
  /** Epoch ms each fork of the repository was created, oldest first. */
  forkTimes(fullName: string): number[];
  /** Queue a failure for the next matching request(s). Failed requests do not count against the rate limit. */
  failNext(failure: FakeFailure): void;
  /** Sets the authenticated bucket of a resource (and, clamped to its limit, the anonymous one). */
  setRemaining(resource: 'core' | 'graphql', remaining: number, resetEpochSeconds?: number): void;
  /** From now on only `token` is accepted (a rotated secret: the old token revoked, a new one made). */
  setToken(token: string): void;
  /** The installation tokens the App routes issued, oldest first (empty without `app`). */
  readonly issuedTokens: readonly IssuedToken[];
  setInstallationSuspended(installationId: number, suspended: boolean): void;
  close(): Promise<void>;
}
