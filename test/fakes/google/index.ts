// A loopback fake of Google for the GA4 source: the Data API v1beta (runReport, runRealtimeReport)
// and the OAuth token endpoint. It checks credentials for real (RS256 signatures against the test
// key, times, issuer, scope/audience), property access per service account, and answers reports by
// interpreting the request. See test/fixtures/api/README.md §3.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiError, oauthError, oauthFailure } from './errors.js';
import { checkJwt, decodeJwt, trustedKeys } from './jwt.js';
import { QuotaBook } from './quota.js';
import { answerReport } from './reports.js';
import type { FakeCredentialKind, FakeEndpoint, FakeFailure, FakeGoogle, FakeGoogleOptions, FakeProperty, RecordedRequest } from './types.js';
import { FailureQueue, Latency, readBody, serveOnLoopback } from '../loopback.js';

export type {
  DecodedJwt,
  FakeCredentialKind,
  FakeDailyTotals,
  FakeDay,
  FakeEndpoint,
  FakeFailure,
  FakeGoogle,
  FakeGoogleKey,
  FakeGoogleOptions,
  FakePage,
  FakePeriod,
  FakeProperty,
  FakeQuota,
  RecordedRequest,
} from './types.js';

const REPORT_PATH = /^\/v1beta\/properties\/([^/:]+):(runReport|runRealtimeReport)$/;
const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const DEFAULT_TOKEN_LIFETIME_SECONDS = 3599;
const MISSING_CREDENTIALS =
  'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';

interface Reply {
  status: number;
  /** JSON-encoded unless `raw`. */
  body: unknown;
  raw?: boolean;
}


interface IssuedToken {
  readonly email: string;
  readonly expiresAt: number;
}

interface Authentication {
  readonly credential: FakeCredentialKind;
  readonly email: string | null;
  readonly jwt: RecordedRequest['jwt'];
}


function checkOptions(options: FakeGoogleOptions): void {
  if (options.publicKeyPem === undefined && (options.keys === undefined || options.keys.length === 0)) {
    throw new Error('FakeGoogleOptions needs publicKeyPem or keys: the public half of the test service account key');
  }
  for (const id of Object.keys(options.properties)) {
    if (!/^\d+$/.test(id)) throw new Error(`FakeGoogleOptions.properties: "${id}" is not a numeric GA4 property ID`);
  }
}

function copyProperty(property: FakeProperty): FakeProperty {
  return structuredClone(property);
}

export async function startFakeGoogle(options: FakeGoogleOptions): Promise<FakeGoogle> {
  checkOptions(options);
  const keys = trustedKeys([...(options.publicKeyPem !== undefined ? [{ publicKeyPem: options.publicKeyPem }] : []), ...(options.keys ?? [])]);
  const properties = new Map(Object.entries(options.properties).map(([id, property]) => [id, copyProperty(property)]));
  const quota = new QuotaBook(options.quota);
  for (const [id, property] of properties) quota.reset(id, property.quota);
  const now = options.now ?? Date.now;
  const latency = new Latency('FakeGoogleOptions.latencyMs', options.latencyMs);
  const tokenLifetimeSeconds = options.accessTokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
  const requests: RecordedRequest[] = [];
  const failures = new FailureQueue<FakeFailure>();
  const issued = new Map<string, IssuedToken>();
  let origin = '';

  function failureReply(failure: FakeFailure, endpoint: FakeEndpoint): Reply {
    if (failure.body !== undefined) return { status: failure.status, body: failure.body, raw: true };
    if (endpoint === 'token') return { status: failure.status, body: oauthFailure(failure.status, failure.message) };
    return { status: failure.status, body: apiError(failure.status, failure.message) };
  }

  function authenticate(header: string | undefined): Authentication {
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) return { credential: 'none', email: null, jwt: null };
    const bearer = match[1]!;
    if (bearer.split('.').length === 3) {
      // A self-signed JWT: scope, or an audience of this API.
      const check = checkJwt(bearer, keys, { nowMs: now(), audiences: [`${origin}/`, 'https://analyticsdata.googleapis.com/'], requireAudience: false });
      return check.ok ? { credential: 'self-signed-jwt', email: check.email, jwt: check.jwt } : { credential: 'invalid', email: null, jwt: check.jwt };
    }
    const token = issued.get(bearer);
    if (!token || token.expiresAt <= now()) return { credential: 'invalid', email: null, jwt: null };
    return { credential: 'access-token', email: token.email, jwt: null };
  }

  function tokenReply(form: URLSearchParams, contentType: string): { reply: Reply; jwt: RecordedRequest['jwt'] } {
    if (!contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      return { reply: { status: 400, body: oauthError('invalid_request', 'The request body must be application/x-www-form-urlencoded.') }, jwt: null };
    }
    const grantType = form.get('grant_type');
    if (grantType !== JWT_BEARER_GRANT) return { reply: { status: 400, body: oauthError('unsupported_grant_type', `Invalid grant_type: ${grantType ?? ''}`) }, jwt: null };
    const assertion = form.get('assertion');
    if (!assertion) return { reply: { status: 400, body: oauthError('invalid_request', 'Missing required parameter: assertion') }, jwt: null };
    const check = checkJwt(assertion, keys, { nowMs: now(), audiences: [`${origin}/token`], requireAudience: true });
    if (!check.ok) {
      const error = check.reason.startsWith('Invalid OAuth scope') ? 'invalid_scope' : 'invalid_grant';
      return { reply: { status: 400, body: oauthError(error, check.reason) }, jwt: check.jwt };
    }
    const accessToken = `ya29.fake-${randomBytes(24).toString('base64url')}`;
    issued.set(accessToken, { email: check.email, expiresAt: now() + tokenLifetimeSeconds * 1000 });
    return { reply: { status: 200, body: { access_token: accessToken, expires_in: tokenLifetimeSeconds, token_type: 'Bearer' } }, jwt: check.jwt };
  }

  function reportReply(propertyId: string, method: 'runReport' | 'runRealtimeReport', auth: Authentication, rawBody: string, body: unknown): Reply {
    if (auth.credential === 'none') return { status: 401, body: apiError(401, MISSING_CREDENTIALS) };
    if (auth.credential === 'invalid') return { status: 401, body: apiError(401) };
    const property = properties.get(propertyId);
    // Google answers 403 for a property that does not exist as for one the caller may not read.
    if (!property || (property.allowedEmails !== undefined && !property.allowedEmails.includes(auth.email ?? ''))) {
      return { status: 403, body: apiError(403) };
    }
    if (body === undefined) return { status: 400, body: apiError(400, `Invalid JSON payload received. Unexpected token.\n${rawBody.slice(0, 40)}`) };
    const bucket = method === 'runReport' ? 'core' : 'realtime';
    const exhausted = quota.exhausted(propertyId, bucket);
    if (exhausted !== null) return { status: 429, body: apiError(429, exhausted) };
    const answer = answerReport(method, property, body, now());
    if (!answer.ok) return { status: answer.status, body: answer.body };
    const propertyQuota = quota.charge(propertyId, bucket);
    const wantsQuota = (body as { returnPropertyQuota?: unknown }).returnPropertyQuota === true;
    return {
      status: 200,
      body: { ...answer.body, ...(wantsQuota ? { propertyQuota } : {}), kind: method === 'runReport' ? 'analyticsData#runReport' : 'analyticsData#runRealtimeReport' },
    };
  }

  async function respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const method = req.method ?? 'GET';
    const rawBody = await readBody(req);
    const report = method === 'POST' ? REPORT_PATH.exec(url.pathname) : null;
    const endpoint: FakeEndpoint = report ? (report[2] as 'runReport' | 'runRealtimeReport') : method === 'POST' && url.pathname === '/token' ? 'token' : 'other';
    const propertyId = report ? report[1]! : null;

    let parsedBody: unknown;
    if (endpoint === 'token') {
      parsedBody = Object.fromEntries(new URLSearchParams(rawBody));
    } else {
      try {
        parsedBody = rawBody === '' ? undefined : JSON.parse(rawBody);
      } catch {
        parsedBody = undefined;
      }
    }

    let auth: Authentication = { credential: 'none', email: null, jwt: null };
    let reply: Reply;
    let inFlight = false;
    try {
      const failure = failures.take(`${method} ${url.pathname}`);
      if (endpoint !== 'token') auth = authenticate(req.headers.authorization);
      if (failure) {
        reply = failureReply(failure, endpoint);
      } else if (endpoint === 'token') {
        const { reply: tokenAnswer, jwt } = tokenReply(new URLSearchParams(rawBody), req.headers['content-type'] ?? '');
        reply = tokenAnswer;
        auth = { credential: 'none', email: null, jwt: jwt ?? decodeJwt(new URLSearchParams(rawBody).get('assertion') ?? '') };
      } else if (report && propertyId !== null) {
        if (properties.has(propertyId)) {
          quota.begin(propertyId);
          inFlight = true;
        }
        reply = reportReply(propertyId, endpoint as 'runReport' | 'runRealtimeReport', auth, rawBody, parsedBody);
      } else {
        reply = { status: 404, body: apiError(404, `The requested URL ${url.pathname} was not found on this server.`) };
      }
    } catch (error) {
      // A bug in the fake shows up as a 500 naming it, never as a hung request.
      reply = { status: 500, body: apiError(500, `Fake Google failed: ${error instanceof Error ? error.message : String(error)}`) };
    }

    requests.push({
      method,
      path: url.pathname,
      endpoint,
      propertyId,
      status: reply.status,
      credential: auth.credential,
      email: auth.email,
      jwt: auth.jwt,
      body: parsedBody ?? null,
    });

    try {
      await latency.wait();
    } finally {
      if (inFlight && propertyId !== null) quota.end(propertyId);
    }
    const text = reply.raw ? String(reply.body) : JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      'content-type': reply.raw ? 'text/plain; charset=utf-8' : 'application/json; charset=UTF-8',
      'content-length': String(Buffer.byteLength(text)),
    });
    res.end(text);
  }

  const loopback = await serveOnLoopback(respond, (message) => JSON.stringify(apiError(500, `Fake Google failed: ${message}`)));
  origin = loopback.origin;

  return {
    url: origin,
    tokenUrl: `${origin}/token`,
    requests,
    resetRequests: () => {
      requests.length = 0;
    },
    updateProperty: (id, patch) => {
      const property = properties.get(id);
      if (!property) throw new Error(`updateProperty: Fake Google has no property ${id} (it has ${[...properties.keys()].join(', ')})`);
      const { daily, ...rest } = structuredClone(patch);
      Object.assign(property, rest);
      if (daily) for (const [period, totals] of Object.entries(daily)) Object.assign(property.daily[period as keyof typeof property.daily], totals);
      if (patch.quota !== undefined) quota.reset(id, patch.quota);
    },
    failNext: (failure) => {
      if (!Number.isInteger(failure.status) || failure.status < 200 || failure.status > 599 || (failure.status < 400 && failure.body === undefined)) {
        throw new Error(`failNext: status must be an HTTP error status (400-599), or a success status with a raw body; got ${failure.status}`);
      }
      failures.push(failure);
    },
    quotaOf: (id) => quota.remaining(id),
    revokeAccessTokens: () => issued.clear(),
    setHanging: (on) => loopback.setHanging(on),
    get hungRequests() {
      return loopback.hungRequests;
    },
    clearFailures: () => failures.clear(),
    close: () => loopback.close(latency.timers),
  };
}
