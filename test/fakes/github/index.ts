// A loopback fake of the GitHub API (REST and GraphQL) that behaves like the real one where Footprint
// depends on it: shapes, pagination, ETags, rate limits, errors. See test/fixtures/api/README.md §1, §1b.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FakeApp, isAppRoute, jwtOf, type IssuedToken } from './app.js';
import * as errors from './errors.js';
import { executeGraphQL } from './graphql-handler.js';
import { RateLimits, rateLimitHeaders, type BucketState, type ClientKind, type Resource } from './rate-limits.js';
import { handleRest, type RestResult } from './rest-routes.js';
import { forkAt, stargazerAt } from './rest-shapes.js';
import { FakeStore } from './store.js';
import type { FakeFailure, FakeGitHub, FakeGitHubOptions, RecordedRequest } from './types.js';
import { FailureQueue, Latency, readBody, serveOnLoopback } from '../loopback.js';

export type {
  FakeFailure,
  FakeFailureKind,
  FakeGitHub,
  FakeGitHubOptions,
  FakeOwner,
  FakePopularPath,
  FakeReferrer,
  FakeRelease,
  FakeReleaseAsset,
  FakeRepo,
  FakeTrafficCounts,
  FakeTrafficDay,
  RecordedRequest,
} from './types.js';
export type { FakeAppInstallation, FakeAppOptions, IssuedToken } from './app.js';

const DEFAULT_VIEWER = { login: 'footprint-bot', id: 1_234_567 };

interface Reply {
  status: number;
  body?: unknown;
  headers: Record<string, string>;
}


/** `Bearer x` and the older `token x` both carry a token, as on GitHub. */
function tokenOf(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^(?:bearer|token)\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? '';
}

function weakEtag(body: string): string {
  return `W/"${createHash('sha256').update(body).digest('hex')}"`;
}

/** If-None-Match may list several tags; weak comparison ignores the W/ prefix. */
function etagMatches(ifNoneMatch: string, etag: string): boolean {
  const strip = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || strip(tag) === strip(etag));
}


function headerValue(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

function checkOptions(options: FakeGitHubOptions): void {
  if (options.graphqlPricing !== undefined && options.graphqlPricing !== 'flat' && options.graphqlPricing !== 'github') {
    throw new Error(`FakeGitHubOptions.graphqlPricing must be 'flat' or 'github', got ${JSON.stringify(options.graphqlPricing)}`);
  }
  if (options.token !== undefined && (typeof options.token !== 'string' || options.token === '' || /\s/.test(options.token))) {
    throw new Error('FakeGitHubOptions.token must be a non-empty string without whitespace');
  }
}

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  checkOptions(options);
  const store = new FakeStore(options.owners ?? [], options.repos ?? []);
  const tokenLimits = new RateLimits(options.rateLimit);
  /** The personal token accepted (setToken replaces it, as revoking one and making another does). */
  let acceptedToken = options.token;
  const app = options.app ? new FakeApp(options.app) : null;
  const viewer = options.viewer ?? DEFAULT_VIEWER;
  const latency = new Latency('FakeGitHubOptions.latencyMs', options.latencyMs);
  const clock = options.clock ?? Date.now;
  const requests: RecordedRequest[] = [];
  const failures = new FailureQueue<FakeFailure>();
  let requestCounter = 0;
  let origin = '';

  function storedRepo(fullName: string, caller: string) {
    const repo = store.repo(fullName);
    if (!repo) throw new Error(`${caller}: no repository ${fullName}; add it with addRepo first`);
    return repo;
  }

  function primaryExhaustedReply(kind: ClientKind, resource: Resource, state: BucketState): Reply {
    const headers = rateLimitHeaders({ ...state, remaining: 0, used: state.limit });
    if (resource === 'graphql') return { status: 200, body: errors.graphqlRateLimited(viewer.id), headers };
    const who = kind === 'authenticated' ? { userId: viewer.id } : { ip: '127.0.0.1' };
    return { status: 403, body: errors.primaryRateLimit(who), headers };
  }

  function failureReply(failure: FakeFailure, kind: ClientKind, resource: Resource, limits: RateLimits): Reply {
    const state = limits.state(kind, resource);
    if (failure.kind === 'primary') {
      const reset = failure.retryAfterSeconds !== undefined ? Math.floor(Date.now() / 1000) + failure.retryAfterSeconds : state.reset;
      return primaryExhaustedReply(kind, resource, { ...state, reset });
    }
    if (failure.kind === 'secondary') {
      return {
        status: 403,
        body: errors.secondaryRateLimit(),
        headers: { ...rateLimitHeaders(state), 'retry-after': String(failure.retryAfterSeconds ?? 60) },
      };
    }
    return { status: failure.kind, body: errors.plainStatus(failure.kind), headers: rateLimitHeaders(state) };
  }

  /** GET /rate_limit: free against the primary limit. */
  function rateLimitBody(kind: ClientKind, limits: RateLimits): RestResult {
    const core = limits.state(kind, 'core');
    const graphql = limits.state(kind, 'graphql');
    const inAMinute = Math.floor(Date.now() / 1000) + 60;
    const fixed = (limit: number, reset: number) => ({ limit, used: 0, remaining: limit, reset });
    const bucket = (s: BucketState) => ({ limit: s.limit, used: s.used, remaining: s.remaining, reset: s.reset });
    return {
      status: 200,
      body: {
        resources: {
          core: bucket(core),
          search: fixed(kind === 'authenticated' ? 30 : 10, inAMinute),
          graphql: bucket(graphql),
          integration_manifest: fixed(5000, core.reset),
          source_import: fixed(100, inAMinute),
          actions_runner_registration: fixed(10000, core.reset),
          scim: fixed(15000, core.reset),
          dependency_snapshots: fixed(100, inAMinute),
          code_search: fixed(10, inAMinute),
        },
        rate: bucket(core),
      },
    };
  }

  async function restReply(req: IncomingMessage, url: URL, kind: ClientKind, limits: RateLimits): Promise<Reply> {
    const isRateLimit = url.pathname === '/rate_limit';
    if (!isRateLimit && limits.exhausted(kind, 'core')) return primaryExhaustedReply(kind, 'core', limits.state(kind, 'core'));
    const method = req.method ?? 'GET';
    const result = isRateLimit
      ? rateLimitBody(kind, limits)
      : handleRest(
          {
            api: origin,
            store,
            authenticated: kind === 'authenticated',
            accept: headerValue(req, 'accept') ?? '',
            viewerLogin: viewer.login,
            viewerId: viewer.id,
            now: clock(),
          },
          method,
          url,
        );
    const headers: Record<string, string> = { ...result.headers };
    if (result.status === 200) {
      const text = JSON.stringify(result.body);
      const etag = weakEtag(text);
      headers['etag'] = etag;
      headers['cache-control'] = kind === 'authenticated' ? 'private, max-age=60, s-maxage=60' : 'public, max-age=60, s-maxage=60';
      if (result.lastModifiedMs !== undefined) headers['last-modified'] = new Date(result.lastModifiedMs).toUTCString();
      const ifNoneMatch = headerValue(req, 'if-none-match');
      const ifModifiedSince = headerValue(req, 'if-modified-since');
      const notModified =
        ifNoneMatch !== null
          ? etagMatches(ifNoneMatch, etag)
          : ifModifiedSince !== null && result.lastModifiedMs !== undefined && !Number.isNaN(Date.parse(ifModifiedSince))
            ? Math.floor(result.lastModifiedMs / 1000) <= Math.floor(Date.parse(ifModifiedSince) / 1000)
            : false;
      // A 304 does not count against the primary rate limit (GitHub docs).
      if (notModified) return { status: 304, headers: { ...headers, ...rateLimitHeaders(limits.state(kind, 'core')) } };
    }
    const state = isRateLimit ? limits.state(kind, 'core') : limits.consume(kind, 'core');
    return { status: result.status, body: result.body, headers: { ...headers, ...rateLimitHeaders(state) } };
  }

  async function graphqlReply(request: unknown, limits: RateLimits): Promise<Reply> {
    if (limits.exhausted('authenticated', 'graphql')) {
      return primaryExhaustedReply('authenticated', 'graphql', limits.state('authenticated', 'graphql'));
    }
    const body = await executeGraphQL(request, {
      store,
      viewer,
      rate: () => limits.state('authenticated', 'graphql'),
      charge: (points) => limits.consume('authenticated', 'graphql', points),
      pricing: options.graphqlPricing ?? 'flat',
    });
    return { status: 200, body, headers: rateLimitHeaders(limits.state('authenticated', 'graphql')) };
  }

  /** The path as github.com would have it: GitHub Enterprise Server serves REST under /api/v3 and GraphQL at /api/graphql. */
  function githubPath(pathname: string): string | null {
    if (!options.enterprise) return pathname;
    if (pathname === '/api/graphql') return '/graphql';
    return pathname.startsWith('/api/v3/') || pathname === '/api/v3' ? pathname.slice('/api/v3'.length) || '/' : null;
  }

  async function respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const method = req.method ?? 'GET';
    const pathname = githubPath(url.pathname);
    url.pathname = pathname ?? '/not-found-outside-the-api';
    const isGraphQL = url.pathname === '/graphql' && method === 'POST';
    const resource: Resource = isGraphQL ? 'graphql' : 'core';
    const token = tokenOf(headerValue(req, 'authorization') ?? undefined);
    const installationToken: IssuedToken | 'expired' | null = app && token ? app.tokenState(token) : null;
    const appRoute = app !== null && isAppRoute(url.pathname);
    const badToken =
      !appRoute && token !== null && (token === '' || installationToken === 'expired' || (acceptedToken !== undefined && token !== acceptedToken && installationToken === null));
    const kind: ClientKind = token !== null && !badToken ? 'authenticated' : 'anonymous';
    const limits = installationToken !== null && installationToken !== 'expired' ? app!.limitsOf(installationToken) : tokenLimits;

    let rawBody = '';
    let graphqlRequest: unknown;
    let graphqlQuery: string | null = null;
    let badJson = false;
    if (isGraphQL) {
      rawBody = await readBody(req);
      try {
        graphqlRequest = JSON.parse(rawBody);
        const query = (graphqlRequest as { query?: unknown } | null)?.query;
        graphqlQuery = typeof query === 'string' ? query : null;
      } catch {
        badJson = true;
      }
    } else {
      req.resume();
    }

    let reply: Reply;
    try {
      const jwtProblem = appRoute ? app!.checkJwt(jwtOf(token)) : null;
      if (appRoute) {
        const answer = jwtProblem ?? app!.reply(origin + (options.enterprise ? '/api/v3' : ''), method, url.pathname);
        reply = { status: answer.status, body: answer.body, headers: {} };
      } else if (badToken) {
        reply = {
          status: 401,
          body: isGraphQL ? errors.graphqlBadCredentials() : errors.badCredentials(),
          headers: rateLimitHeaders(limits.state('anonymous', resource)),
        };
      } else if (isGraphQL && kind === 'anonymous') {
        reply = { status: 401, body: errors.GRAPHQL_UNAUTHENTICATED, headers: rateLimitHeaders(limits.state('anonymous', 'graphql')) };
      } else {
        const failure = failures.take(isGraphQL ? (graphqlQuery ?? rawBody) : `${url.pathname}${url.search}`);
        if (failure) reply = failureReply(failure, kind, resource, limits);
        else if (isGraphQL && badJson) reply = { status: 400, body: errors.problemsParsingJson(), headers: rateLimitHeaders(limits.state(kind, resource)) };
        else if (isGraphQL) reply = await graphqlReply(graphqlRequest, limits);
        else reply = await restReply(req, url, kind, limits);
      }
    } catch (error) {
      // A bug in the fake shows up as a 500 naming it, never as a hung request.
      const message = error instanceof Error ? error.message : String(error);
      reply = { status: 500, body: { ...errors.plainStatus(500), message: `Fake GitHub failed: ${message}` }, headers: {} };
    }

    requests.push({
      method,
      path: `${url.pathname}${url.search}`,
      status: reply.status,
      graphql: isGraphQL,
      authenticated: kind === 'authenticated',
      ifNoneMatch: headerValue(req, 'if-none-match'),
      graphqlQuery,
    });

    await latency.wait();

    requestCounter++;
    const headers: Record<string, string> = {
      'x-github-api-version-selected': '2022-11-28',
      'x-github-media-type': 'github.v3; format=json',
      'x-github-request-id': `FAKE:${requestCounter.toString(16).toUpperCase().padStart(6, '0')}`,
      vary: 'Accept, Authorization, Cookie, X-GitHub-OTP, Accept-Encoding',
      ...reply.headers,
    };
    if (reply.status === 304 || reply.body === undefined) {
      res.writeHead(reply.status, headers);
      res.end();
      return;
    }
    const text = JSON.stringify(reply.body);
    headers['content-type'] = 'application/json; charset=utf-8';
    headers['content-length'] = String(Buffer.byteLength(text));
    res.writeHead(reply.status, headers);
    res.end(method === 'HEAD' ? undefined : text);
  }

  const loopback = await serveOnLoopback(respond, (message) => JSON.stringify({ message: `Fake GitHub failed: ${message}` }));
  origin = loopback.origin;

  return {
    url: origin,
    requests,
    resetRequests: () => {
      requests.length = 0;
    },
    addRepo: (repo) => {
      store.addRepo(repo);
    },
    updateRepo: (fullName, patch) => {
      store.updateRepo(fullName, patch);
    },
    removeRepo: (fullName) => store.removeRepo(fullName),
    stargazerTimes: (fullName) => {
      const repo = storedRepo(fullName, 'stargazerTimes');
      return Array.from({ length: repo.stars }, (_, index) => Date.parse(stargazerAt(repo, index).starredAt));
    },
    forkTimes: (fullName) => {
      const repo = storedRepo(fullName, 'forkTimes');
      return Array.from({ length: repo.forks }, (_, index) => Date.parse(forkAt(repo, index).repo.createdAt));
    },
    failNext: (failure) => {
      if (typeof failure.kind === 'number' && (!Number.isInteger(failure.kind) || failure.kind < 400 || failure.kind > 599)) {
        throw new Error(`failNext: kind must be 'primary', 'secondary' or an HTTP error status (400-599), got ${failure.kind}`);
      }
      failures.push(failure);
    },
    setRemaining: (resource, remaining, resetEpochSeconds) => tokenLimits.set(resource, remaining, resetEpochSeconds),
    issuedTokens: app?.issued ?? [],
    setToken: (token) => {
      checkOptions({ token });
      acceptedToken = token;
    },
    setInstallationSuspended: (installationId, suspended) => {
      if (!app) throw new Error('setInstallationSuspended: start the fake with an app');
      app.setSuspended(installationId, suspended);
    },
    setHanging: (on) => loopback.setHanging(on),
    get hungRequests() {
      return loopback.hungRequests;
    },
    clearFailures: () => failures.clear(),
    close: () => loopback.close(latency.timers),
  };
}
