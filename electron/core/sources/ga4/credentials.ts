// The Bearer credential sent with each Data API request, made by google-auth-library:
// - with ga4.credentialsFile, from that service-account key: a self-signed JWT, as Google's own
//   Analytics client sends (no token endpoint, no extra request), renewed 5 minutes before it expires;
// - without it, from Application Default Credentials: GOOGLE_APPLICATION_CREDENTIALS, the gcloud user
//   credentials (gcloud auth application-default login), workload identity federation, or the
//   metadata server on GCE/GKE/Cloud Run — whichever google-auth-library finds first.
// The library's own requests (token refreshes) go through the run's HTTP client (auth-transport.ts).
import type { AuthClient, GoogleAuth } from 'google-auth-library';
import { ApiDownError } from '../common/outage-guard.js';
import { AuthTransport } from './auth-transport.js';
import { GoogleAuthError, GoogleUnreachableError, oauthErrorText } from './errors.js';
import type { CallContext } from './http.js';
import type { ServiceAccountKey } from './service-account.js';

export const ANALYTICS_READONLY_SCOPE = 'https://www.googleapis.com/auth/analytics.readonly';

export const ADC_ADVICE =
  'set ga4.credentialsFile to a service account\'s JSON key, or give Footprint Application Default Credentials: GOOGLE_APPLICATION_CREDENTIALS naming a key file, `gcloud auth application-default login`, or a service account attached to the machine (GCE, GKE, Cloud Run)';

/** Who the credentials speak for, in messages. */
export interface Identity {
  /** The service account's address, or a description when it is not known. */
  readonly clientEmail: string;
  readonly projectId: string | null;
}

export interface Credentials {
  /** The Authorization value for the next request: the cached one, or a new one close to expiry. */
  authorization(ctx: CallContext): Promise<string>;
  /** Forgets the credential after Google refused it, so the next call makes a new one. */
  invalidate(): void;
  identity(): Identity;
  /** The collection-ending error after Google refused renewed credentials. */
  refused(): GoogleAuthError;
}

/** An error from inside google-auth-library as Footprint's own: a stop, no answer, or refused credentials. */
function credentialError(error: unknown, ctx: CallContext, what: string, advice: string): unknown {
  if (ctx.signal.aborted) return ctx.signal.reason;
  // gaxios wraps what the transport threw (GoogleUnreachableError, ApiDownError): that stands.
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof GoogleUnreachableError || cause instanceof ApiDownError) return cause;
  const response = (error as { response?: { status?: unknown; data?: unknown } }).response;
  if (response && typeof response.status === 'number') {
    const text = typeof response.data === 'string' ? response.data : JSON.stringify(response.data ?? '');
    return new GoogleAuthError(`Google refused ${what} (${response.status} ${oauthErrorText(response.status, text)}) — ${advice}`);
  }
  return new GoogleAuthError(`${what} could not be used (${error instanceof Error ? error.message : String(error)}) — ${advice}`);
}

function keyAdvice(key: ServiceAccountKey): string {
  return `the key in ${key.file} may have been deleted or disabled, or this computer's clock may be wrong — create a new JSON key for ${key.clientEmail} and point ga4.credentialsFile at it`;
}

async function authorizationOf(client: AuthClient, url: string): Promise<string> {
  const value = (await client.getRequestHeaders(url)).get('authorization');
  if (value === null) throw new Error('no Authorization header was made');
  return value;
}

class KeyFileCredentials implements Credentials {
  readonly #key: ServiceAccountKey;
  readonly #apiUrl: string;
  readonly #transport = new AuthTransport();
  #client: Promise<AuthClient> | null = null;

  constructor(key: ServiceAccountKey, apiUrl: string) {
    this.#key = key;
    this.#apiUrl = apiUrl;
  }

  async authorization(ctx: CallContext): Promise<string> {
    this.#transport.use(ctx);
    this.#client ??= this.#key.authClient([ANALYTICS_READONLY_SCOPE], this.#transport.options());
    try {
      return await authorizationOf(await this.#client, `${this.#apiUrl}/`);
    } catch (error) {
      throw credentialError(error, ctx, `the service account key in ${this.#key.file}`, keyAdvice(this.#key));
    }
  }

  invalidate(): void {
    // The client caches what it signed: a new one signs anew.
    this.#client = null;
  }

  identity(): Identity {
    return { clientEmail: this.#key.clientEmail, projectId: this.#key.projectId };
  }

  refused(): GoogleAuthError {
    return new GoogleAuthError(`Google Analytics refused the credentials of ${this.#key.clientEmail} (401 UNAUTHENTICATED) even after renewing them — ${keyAdvice(this.#key)}`);
  }
}

class ApplicationDefaultCredentials implements Credentials {
  readonly #apiUrl: string;
  readonly #transport = new AuthTransport();
  #auth: Promise<{ auth: GoogleAuth; client: AuthClient }> | null = null;
  #identity: Identity = { clientEmail: 'the account of the Application Default Credentials', projectId: null };

  constructor(apiUrl: string) {
    this.#apiUrl = apiUrl;
  }

  async authorization(ctx: CallContext): Promise<string> {
    this.#transport.use(ctx);
    this.#auth ??= this.#find();
    try {
      const { client } = await this.#auth;
      return await authorizationOf(client, `${this.#apiUrl}/`);
    } catch (error) {
      this.#auth = null;
      throw credentialError(error, ctx, 'the Application Default Credentials', ADC_ADVICE);
    }
  }

  async #find(): Promise<{ auth: GoogleAuth; client: AuthClient }> {
    const { GoogleAuth: Auth } = await import('google-auth-library');
    const auth = new Auth({ scopes: [ANALYTICS_READONLY_SCOPE], clientOptions: { transporterOptions: this.#transport.options() } });
    // A service account's key signs its own JWT, as with ga4.credentialsFile.
    auth.useJWTAccessWithScope = true;
    const client = await auth.getClient();
    const email = (client as { email?: unknown }).email;
    const projectId = (client as { projectId?: unknown }).projectId;
    if (typeof email === 'string') this.#identity = { clientEmail: email, projectId: typeof projectId === 'string' ? projectId : null };
    return { auth, client };
  }

  invalidate(): void {
    this.#auth = null;
  }

  identity(): Identity {
    return this.#identity;
  }

  refused(): GoogleAuthError {
    return new GoogleAuthError(`Google Analytics refused the Application Default Credentials (${this.#identity.clientEmail}; 401 UNAUTHENTICATED) even after renewing them — ${ADC_ADVICE}`);
  }
}

/** The key file's credentials when the config names one, else Application Default Credentials. */
export function createCredentials(key: ServiceAccountKey | undefined, apiUrl: string): Credentials {
  return key ? new KeyFileCredentials(key, apiUrl) : new ApplicationDefaultCredentials(apiUrl);
}
