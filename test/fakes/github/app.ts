// GitHub App authentication in the fake: the App's JWT (RS256, checked against a public key made at
// test time), the routes a JWT opens (GET /app, the installation of an org/user/repository,
// POST /app/installations/{id}/access_tokens) and the installation tokens they issue, each with its
// own expiry (on the fake's clock) and its installation's rate limits.
import { randomBytes, verify, type KeyObject } from 'node:crypto';
import { RateLimits } from './rate-limits.js';

export interface FakeAppInstallation {
  readonly id: number;
  /** The organisation or user it is installed on. */
  readonly account: string;
  readonly accountType?: 'Organization' | 'User';
  /** A suspended installation gets no tokens: 403 "This installation has been suspended". */
  suspended?: boolean;
  /** Its hourly limit for core and GraphQL (GitHub Enterprise Cloud: 15,000). Default 5,000. */
  readonly rateLimit?: number;
}

export interface FakeAppOptions {
  readonly appId: number;
  readonly slug?: string;
  /** The public half of the App's key pair: JWTs must be signed by its private half. */
  readonly publicKey: KeyObject;
  readonly installations: readonly FakeAppInstallation[];
  /** How long an installation token lasts (GitHub: an hour). */
  readonly tokenLifetimeSeconds?: number;
  /** The fake's clock for installation-token expiry (epoch ms); JWT times are checked against the real clock, as they are made. Default Date.now. */
  readonly now?: () => number;
}

export interface IssuedToken {
  readonly token: string;
  readonly installationId: number;
  readonly expiresAt: number;
}

interface AppReply {
  readonly status: number;
  readonly body: unknown;
}

const DOCS = 'https://docs.github.com/rest';
/** GitHub refuses a JWT whose exp is further than ten minutes ahead (a little slack for clocks). */
const MAX_JWT_SECONDS = 600;
const CLOCK_SLACK_SECONDS = 60;

function base64UrlJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}

function unauthorized(message: string): AppReply {
  return { status: 401, body: { message, documentation_url: DOCS, status: '401' } };
}

function notFound(documentationUrl: string): AppReply {
  return { status: 404, body: { message: 'Not Found', documentation_url: documentationUrl, status: '404' } };
}

/** Paths a JWT authenticates (and only a JWT). */
export function isAppRoute(pathname: string): boolean {
  return /^\/app(\/|$)/.test(pathname) || /^\/(?:orgs|users)\/[^/]+\/installation$/.test(pathname) || /^\/repos\/[^/]+\/[^/]+\/installation$/.test(pathname);
}

export class FakeApp {
  readonly #options: FakeAppOptions;
  readonly #now: () => number;
  readonly #issued = new Map<string, IssuedToken>();
  readonly #limits = new Map<number, RateLimits>();
  /** Every token issued, oldest first. */
  readonly issued: IssuedToken[] = [];

  constructor(options: FakeAppOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    for (const installation of options.installations) this.#limits.set(installation.id, new RateLimits({ core: installation.rateLimit, graphql: installation.rateLimit }));
  }

  /** The installation a token belongs to, while it is valid; 'expired' after its expires_at; null if never issued. */
  tokenState(token: string): IssuedToken | 'expired' | null {
    const issued = this.#issued.get(token);
    if (!issued) return null;
    return this.#now() >= issued.expiresAt ? 'expired' : issued;
  }

  /** The rate limits an installation token is counted against. */
  limitsOf(issued: IssuedToken): RateLimits {
    return this.#limits.get(issued.installationId)!;
  }

  setSuspended(installationId: number, suspended: boolean): void {
    this.#installation(installationId).suspended = suspended;
  }

  #installation(id: number): FakeAppInstallation {
    const found = this.#options.installations.find((installation) => installation.id === id);
    if (!found) throw new Error(`FakeApp: no installation ${id}`);
    return found;
  }

  /** Null when the JWT is good, else GitHub's 401 for it. */
  checkJwt(jwt: string | null): AppReply | null {
    if (jwt === null) return unauthorized('A JSON web token could not be decoded');
    const [headerPart, payloadPart, signaturePart, extra] = jwt.split('.');
    if (headerPart === undefined || payloadPart === undefined || signaturePart === undefined || extra !== undefined) return unauthorized('A JSON web token could not be decoded');
    const header = base64UrlJson(headerPart) as { alg?: unknown } | null;
    const payload = base64UrlJson(payloadPart) as { iat?: unknown; exp?: unknown; iss?: unknown } | null;
    if (header?.alg !== 'RS256' || payload === null) return unauthorized('A JSON web token could not be decoded');
    if (String(payload.iss) !== String(this.#options.appId)) return unauthorized('Integration not found');
    const signed = verify('sha256', Buffer.from(`${headerPart}.${payloadPart}`), this.#options.publicKey, Buffer.from(signaturePart, 'base64url'));
    if (!signed) return unauthorized('A JSON web token could not be decoded');
    const nowSeconds = Math.floor(Date.now() / 1000);
    if (!Number.isInteger(payload.iat) || (payload.iat as number) > nowSeconds + CLOCK_SLACK_SECONDS) {
      return unauthorized("'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued.");
    }
    if (!Number.isInteger(payload.exp) || (payload.exp as number) <= nowSeconds) {
      return unauthorized("'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires.");
    }
    if ((payload.exp as number) - (payload.iat as number) > MAX_JWT_SECONDS + CLOCK_SLACK_SECONDS) {
      return unauthorized("'Expiration time' claim ('exp') is too far in the future.");
    }
    return null;
  }

  #installationBody(api: string, installation: FakeAppInstallation): unknown {
    return {
      id: installation.id,
      app_id: this.#options.appId,
      app_slug: this.#options.slug ?? 'footprint-test',
      target_type: installation.accountType ?? 'Organization',
      account: { login: installation.account, type: installation.accountType ?? 'Organization', url: `${api}/users/${installation.account}` },
      repository_selection: 'all',
      access_tokens_url: `${api}/app/installations/${installation.id}/access_tokens`,
      permissions: { metadata: 'read', contents: 'read', administration: 'read' },
      suspended_at: installation.suspended ? new Date(this.#now()).toISOString() : null,
    };
  }

  /** A request to an App route (isAppRoute), already past checkJwt. */
  reply(api: string, method: string, pathname: string): AppReply {
    const segments = pathname.split('/').filter((segment) => segment !== '').map(decodeURIComponent);
    const [first, second, third, fourth] = segments;
    if (method === 'GET' && pathname === '/app') {
      const slug = this.#options.slug ?? 'footprint-test';
      return { status: 200, body: { id: this.#options.appId, slug, name: slug, owner: { login: this.#options.installations[0]?.account ?? 'acme' } } };
    }
    if (method === 'GET' && first === 'app' && second === 'installations' && third !== undefined && segments.length === 3) {
      const installation = this.#options.installations.find((candidate) => String(candidate.id) === third);
      return installation ? { status: 200, body: this.#installationBody(api, installation) } : notFound(`${DOCS}/apps/apps#get-an-installation-for-the-authenticated-app`);
    }
    if (method === 'POST' && first === 'app' && second === 'installations' && fourth === 'access_tokens' && segments.length === 4) {
      const installation = this.#options.installations.find((candidate) => String(candidate.id) === third);
      if (!installation) return notFound(`${DOCS}/apps/apps#create-an-installation-access-token-for-an-app`);
      if (installation.suspended) return { status: 403, body: { message: 'This installation has been suspended', documentation_url: `${DOCS}/apps/apps#create-an-installation-access-token-for-an-app`, status: '403' } };
      const issued: IssuedToken = {
        token: `ghs_${randomBytes(18).toString('hex')}`,
        installationId: installation.id,
        expiresAt: this.#now() + (this.#options.tokenLifetimeSeconds ?? 3600) * 1000,
      };
      this.#issued.set(issued.token, issued);
      this.issued.push(issued);
      // GitHub's expires_at has whole seconds.
      const expiresAt = new Date(Math.floor(issued.expiresAt / 1000) * 1000).toISOString().replace('.000Z', 'Z');
      return { status: 201, body: { token: issued.token, expires_at: expiresAt, permissions: { metadata: 'read' }, repository_selection: 'all' } };
    }
    if (method === 'GET' && (first === 'orgs' || first === 'users' || first === 'repos') && segments.at(-1) === 'installation') {
      const account = second!.toLowerCase();
      const installation = this.#options.installations.find((candidate) => candidate.account.toLowerCase() === account);
      const what = first === 'orgs' ? 'get-an-organization-installation-for-the-authenticated-app' : first === 'users' ? 'get-a-user-installation-for-the-authenticated-app' : 'get-a-repository-installation-for-the-authenticated-app';
      return installation ? { status: 200, body: this.#installationBody(api, installation) } : notFound(`${DOCS}/apps/apps#${what}`);
    }
    return notFound(DOCS);
  }
}

/** A token from an Authorization header that is a JWT (three dot-separated parts), else null. */
export function jwtOf(token: string | null): string | null {
  return token !== null && token.split('.').length === 3 ? token : null;
}
