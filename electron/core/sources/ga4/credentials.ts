// The Bearer credential sent with each Data API request, cached and renewed before it expires.
// Two ways to get one from the service account's key:
// - self-signed JWT (default): the signed token itself is the credential, as Google's own
//   Analytics client does it; no token endpoint, no extra request;
// - token exchange: the jwt-bearer grant at the key's token_uri returns an access token.
import { GoogleAuthError, GoogleUnreachableError, MalformedResponseError, oauthErrorText } from './errors.js';
import { post } from './http.js';
import type { CallContext } from './http.js';
import { selfSignedJwt, tokenExchangeAssertion } from './jwt.js';
import type { SignedJwt } from './jwt.js';
import type { ServiceAccountKey } from './service-account.js';

export type AuthMode = 'self-signed-jwt' | 'token-exchange';

/** Renew this long before expiry, so a credential never runs out in flight and small clock skew does not matter. */
export const RENEW_BEFORE_EXPIRY_MS = 5 * 60_000;

export interface Credentials {
  /** The Bearer value for the next request: the cached one, or a new one when it is close to expiry. */
  bearer(ctx: CallContext): Promise<string>;
  /** Forgets `bearer` after Google refused it, so the next call makes a new one. */
  invalidate(bearer: string): void;
}

function keyAdvice(key: ServiceAccountKey): string {
  return `the key in ${key.file} may have been deleted or disabled, or this computer's clock may be wrong — create a new JSON key for ${key.clientEmail} and point ga4.credentialsFile at it`;
}

class SelfSignedJwtCredentials implements Credentials {
  readonly #key: ServiceAccountKey;
  readonly #now: () => number;
  #current: SignedJwt | null = null;

  constructor(key: ServiceAccountKey, now: () => number) {
    this.#key = key;
    this.#now = now;
  }

  async bearer(): Promise<string> {
    const now = this.#now();
    if (this.#current === null || now >= this.#current.expiresAt - RENEW_BEFORE_EXPIRY_MS) {
      this.#current = selfSignedJwt(this.#key, now);
    }
    return this.#current.token;
  }

  invalidate(bearer: string): void {
    if (this.#current?.token === bearer) this.#current = null;
  }
}

interface AccessToken {
  readonly token: string;
  readonly renewAt: number;
}

function readTokenReply(text: string, tokenUri: string): { accessToken: string; expiresInSeconds: number } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new MalformedResponseError(`the token endpoint ${tokenUri} answered 200 with a body that is not JSON`);
  }
  const reply = (body ?? {}) as { access_token?: unknown; expires_in?: unknown };
  if (typeof reply.access_token !== 'string' || reply.access_token === '') {
    throw new MalformedResponseError(`the token endpoint ${tokenUri} answered 200 without an access_token`);
  }
  const expiresIn = Number(reply.expires_in);
  if (!Number.isFinite(expiresIn) || expiresIn <= 0) {
    throw new MalformedResponseError(`the token endpoint ${tokenUri} answered 200 without a usable expires_in`);
  }
  return { accessToken: reply.access_token, expiresInSeconds: expiresIn };
}

class TokenExchangeCredentials implements Credentials {
  readonly #key: ServiceAccountKey;
  readonly #now: () => number;
  #current: AccessToken | null = null;
  /** One exchange at a time: properties collected in parallel wait for the same token. */
  #pending: Promise<string> | null = null;

  constructor(key: ServiceAccountKey, now: () => number) {
    this.#key = key;
    this.#now = now;
  }

  bearer(ctx: CallContext): Promise<string> {
    if (this.#current !== null && this.#now() < this.#current.renewAt) return Promise.resolve(this.#current.token);
    this.#pending ??= this.#exchange(ctx).finally(() => {
      this.#pending = null;
    });
    return this.#pending;
  }

  invalidate(bearer: string): void {
    if (this.#current?.token === bearer) this.#current = null;
  }

  async #exchange(ctx: CallContext): Promise<string> {
    const key = this.#key;
    const now = this.#now();
    const form = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: tokenExchangeAssertion(key, now).token });
    ctx.log.debug({ tokenUri: key.tokenUri }, 'exchanging the service account key for a Google access token');
    const reply = await post({ url: key.tokenUri, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString(), what: 'an access token' }, ctx);
    if (reply.status >= 500) {
      throw new GoogleUnreachableError(`the token endpoint ${key.tokenUri} kept failing (${reply.status}: ${oauthErrorText(reply.status, reply.text)})`);
    }
    if (reply.status !== 200) {
      throw new GoogleAuthError(`Google refused the service account's key at ${key.tokenUri} (${reply.status} ${oauthErrorText(reply.status, reply.text)}) — ${keyAdvice(key)}`);
    }
    const { accessToken, expiresInSeconds } = readTokenReply(reply.text, key.tokenUri);
    const lifetimeMs = expiresInSeconds * 1000;
    this.#current = { token: accessToken, renewAt: now + Math.max(lifetimeMs - RENEW_BEFORE_EXPIRY_MS, lifetimeMs / 2) };
    return accessToken;
  }
}

export function createCredentials(mode: AuthMode, key: ServiceAccountKey, now: () => number): Credentials {
  return mode === 'token-exchange' ? new TokenExchangeCredentials(key, now) : new SelfSignedJwtCredentials(key, now);
}

/** The collection-ending error after Google refused renewed credentials. */
export function refusedCredentialsError(key: ServiceAccountKey): GoogleAuthError {
  return new GoogleAuthError(`Google Analytics refused the credentials of ${key.clientEmail} (401 UNAUTHENTICATED) even after renewing them — ${keyAdvice(key)}`);
}
