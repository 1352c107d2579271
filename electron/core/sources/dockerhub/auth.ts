// Docker Hub login: username + personal access token → a JWT that lives 10 minutes. The JWT is kept
// across collections and renewed shortly before it expires (its `exp` says when), or at once when
// Docker Hub answers 401 to it.
import { DockerHubAuthError, DockerHubNetworkError, DockerHubStatusError } from './errors.js';
import type { DockerHubHttp } from './http.js';
import { redactSecret } from '../../secrets.js';

export interface Credentials {
  readonly username: string;
  readonly token: string;
}

/** Docker Hub's documented lifetime, used when the JWT does not say. */
const DEFAULT_LIFETIME_MS = 10 * 60_000;

/** The JWT's `exp` (epoch seconds) in epoch ms, or null when it has none or is not a JWT. */
export function jwtExpiry(jwt: string): number | null {
  const payload = jwt.split('.')[1];
  if (payload === undefined) return null;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : null;
  } catch {
    return null;
  }
}

interface CachedToken {
  readonly jwt: string;
  /** Epoch ms after which the JWT is renewed before use. */
  readonly renewAt: number;
}

export class AccessTokens {
  private readonly loginUrl: string;
  private readonly credentials: Credentials;
  private readonly renewalMarginMs: number;
  private cached: CachedToken | null = null;
  /** One login at a time: requests that need a JWT while it is being fetched wait for the same one. */
  private pending: Promise<string> | null = null;

  constructor(apiUrl: string, credentials: Credentials, renewalMarginMs: number) {
    this.loginUrl = `${apiUrl}/v2/auth/token`;
    this.credentials = credentials;
    this.renewalMarginMs = renewalMarginMs;
  }

  /** A JWT valid for a while yet, logging in when there is none. */
  async current(http: DockerHubHttp): Promise<string> {
    if (this.cached && Date.now() < this.cached.renewAt) return this.cached.jwt;
    this.pending ??= this.login(http).finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  /** Forgets a JWT Docker Hub refused, so the next `current()` logs in again. */
  invalidate(jwt: string): void {
    if (this.cached?.jwt === jwt) this.cached = null;
  }

  private async login(http: DockerHubHttp): Promise<string> {
    const { username, token } = this.credentials;
    const refused = (reason: string) =>
      new DockerHubAuthError(redactSecret(`Docker Hub refused the login of "${username}" (${reason}) — check dockerhub.username and dockerhub.token (a personal access token)`, token));
    let answer;
    try {
      answer = await http.send({ method: 'POST', url: this.loginUrl, json: { identifier: username, secret: token } });
    } catch (error) {
      if (error instanceof DockerHubNetworkError) throw new DockerHubNetworkError(`could not log in to Docker Hub: ${error.message}`);
      throw error;
    }
    if (answer.status === 401 || answer.status === 403) throw refused(new DockerHubStatusError(answer.status, answer.text).detail || String(answer.status));
    if (answer.status !== 200) {
      const failure = new DockerHubStatusError(answer.status, answer.text);
      throw new DockerHubAuthError(
        redactSecret(`Docker Hub login at ${this.loginUrl} failed: ${failure.message} — check dockerhub.apiUrl${answer.status >= 500 ? ', or wait for Docker Hub to recover' : ''}`, token),
      );
    }
    let jwt: unknown;
    try {
      jwt = (JSON.parse(answer.text) as { access_token?: unknown }).access_token;
    } catch {
      jwt = undefined;
    }
    if (typeof jwt !== 'string' || jwt === '') {
      throw new DockerHubAuthError(`Docker Hub's login answer at ${this.loginUrl} held no access_token — check dockerhub.apiUrl points at Docker Hub`);
    }
    const now = Date.now();
    const expiresAt = jwtExpiry(jwt) ?? now + DEFAULT_LIFETIME_MS;
    // A short-lived JWT is renewed halfway, so it is still used more than once.
    const margin = Math.min(this.renewalMarginMs, Math.max(0, expiresAt - now) / 2);
    this.cached = { jwt, renewAt: expiresAt - margin };
    return jwt;
  }
}
