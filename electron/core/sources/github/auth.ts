// How the GitHub source authenticates, made once per source so what it learns outlives one collection:
// - a personal token (github.token), sent as is;
// - a token file (github.tokenFile), read again whenever the file changes, so a rotated Docker or
//   Kubernetes secret is used from the next request on;
// - a GitHub App (github.app): @octokit/auth-app signs the App's JWT and makes installation tokens;
//   this module finds the installation from the first organisation/user when none is configured, renews
//   the installation token before it expires, and turns the App's refusals into messages naming the key.
// Every token it reads or receives is registered as a secret (secrets.ts) before it can reach a log line.
import { statSync } from 'node:fs';
import { createAppAuth } from '@octokit/auth-app';
import type { Octokit, OctokitOptions } from '@octokit/core';
import { registerSecrets, redactSecret } from '../../secrets.js';
import { SourceConfigError } from '../../source.js';
import type { GitHubConfig } from './config.js';
import { readTokenFile, type GitHubAppKey } from './credential-files.js';
import { authErrorMessage, GitHubAuthError, gitHubMessageOf, statusOf } from './errors.js';

/** Renew an installation token this long before it expires (they last an hour), so none runs out in flight. */
export const RENEW_BEFORE_EXPIRY_MS = 5 * 60_000;

type RequestFunction = Octokit['request'];
type Route = Parameters<RequestFunction>[0];
type Parameters_ = Parameters<RequestFunction>[1];
interface AuthHook {
  (request: RequestFunction, route: Route, parameters?: Parameters_): Promise<unknown>;
}
/** What @octokit/core hands an authStrategy. */
interface StrategyOptions {
  readonly request: RequestFunction;
}

export interface GitHubAuth {
  /** Whether requests carry credentials (GraphQL needs them; without, REST at 60 an hour). */
  readonly authenticated: boolean;
  /** Octokit's auth options for one client. */
  octokitOptions(): Pick<OctokitOptions, 'auth' | 'authStrategy'>;
  /** The text with every credential this source has used masked. */
  redact(text: string): string;
  /** What to tell the user when GitHub answers 401 to a request that carried these credentials. */
  rejectedMessage(): string;
  /** Who Test connection connected as, e.g. "as octocat (personal token)"; may send a request. */
  identity(octokit: Octokit): Promise<string>;
}

function quietLog() {
  return { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
}

/** Adds the Authorization header `token` to the request. */
async function sendWithToken(request: RequestFunction, route: Route, parameters: Parameters_, token: string): Promise<unknown> {
  const endpoint = request.endpoint.merge(route as string, parameters);
  endpoint.headers.authorization = `token ${token}`;
  return request(endpoint as unknown as Route);
}

async function viewerLogin(octokit: Octokit): Promise<string | null> {
  try {
    const { data } = await octokit.request('GET /user');
    return typeof data.login === 'string' ? data.login : null;
  } catch {
    return null;
  }
}

class Secrets {
  readonly #values = new Set<string>();

  add(values: Iterable<string | undefined>): void {
    const list = [...values].filter((value): value is string => typeof value === 'string' && value !== '');
    registerSecrets(list);
    for (const value of list) this.#values.add(value);
  }

  redact(text: string): string {
    let result = text;
    for (const secret of [...this.#values].sort((a, b) => b.length - a.length)) result = redactSecret(result, secret);
    return result;
  }
}

function personalToken(token: string | undefined, secrets: Secrets): GitHubAuth {
  secrets.add([token]);
  return {
    authenticated: token !== undefined,
    octokitOptions: () => (token === undefined ? {} : { auth: token }),
    redact: (text) => secrets.redact(text),
    rejectedMessage: () => authErrorMessage(token !== undefined),
    identity: async (octokit) => {
      if (token === undefined) return 'anonymously (public data only)';
      const login = await viewerLogin(octokit);
      return login ? `as ${login} (personal token)` : 'with a personal token';
    },
  };
}

/** The token in github.tokenFile, read again when the file changes (another inode, size or modification time). */
class TokenFile {
  readonly #file: string;
  readonly #secrets: Secrets;
  #version = '';
  #token = '';

  constructor(file: string, secrets: Secrets) {
    this.#file = file;
    this.#secrets = secrets;
  }

  current(): string {
    try {
      const stats = statSync(this.#file);
      const version = `${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
      if (version !== this.#version) {
        const token = readTokenFile(this.#file);
        this.#secrets.add([token]);
        this.#token = token;
        this.#version = version;
      }
      return this.#token;
    } catch (error) {
      const problem = error instanceof SourceConfigError ? error.message : `${this.#file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'}) — check github.tokenFile`;
      throw new GitHubAuthError(`github.tokenFile: ${problem}`);
    }
  }
}

function tokenFileAuth(file: string, secrets: Secrets): GitHubAuth {
  const tokenFile = new TokenFile(file, secrets);
  const strategy = () => {
    const hook: AuthHook = (request, route, parameters) => sendWithToken(request, route, parameters, tokenFile.current());
    return Object.assign(async () => ({ type: 'token', tokenType: 'oauth', token: tokenFile.current() }), { hook });
  };
  return {
    authenticated: true,
    octokitOptions: () => ({ authStrategy: strategy }),
    redact: (text) => secrets.redact(text),
    rejectedMessage: () => `GitHub rejected the token in ${file} (401 Bad credentials): it is invalid, expired or revoked — write a valid token into the file (github.tokenFile); Footprint reads it again when it changes`,
    identity: async (octokit) => {
      const login = await viewerLogin(octokit);
      return login ? `as ${login} (token file)` : 'with the token file';
    },
  };
}

/** Routes a GitHub App's JWT opens: the App's own, and finding an installation. */
function isAppRoute(url: string): boolean {
  const path = url.split('?')[0]!;
  return /^\/app(?:\/|$)/.test(path) || /^\/(?:orgs|users)\/[^/]+\/installation$/.test(path) || /^\/repos\/[^/]+\/[^/]+\/installation$/.test(path);
}

interface InstallationLookup {
  readonly route: string;
  readonly parameters: Record<string, string>;
  /** "the organization acme", for messages. */
  readonly what: string;
}

/** Where the installation is looked up when github.app.installationId is absent: the first organisation, user or repository. */
function installationLookup(config: GitHubConfig): InstallationLookup | null {
  const [org] = config.orgs;
  if (org !== undefined) return { route: 'GET /orgs/{org}/installation', parameters: { org }, what: `the organization ${org}` };
  const [user] = config.users;
  if (user !== undefined) return { route: 'GET /users/{username}/installation', parameters: { username: user }, what: `the user ${user}` };
  const [repo] = config.repos;
  if (repo !== undefined) {
    const [owner, name] = repo.split('/') as [string, string];
    return { route: 'GET /repos/{owner}/{repo}/installation', parameters: { owner, repo: name }, what: `the repository ${repo}` };
  }
  return null;
}

interface InstallationToken {
  readonly token: string;
  readonly renewAt: number;
}

class AppCredentials {
  readonly #config: GitHubConfig;
  readonly #app: NonNullable<GitHubConfig['app']>;
  readonly #key: GitHubAppKey;
  readonly #now: () => number;
  readonly #secrets: Secrets;
  #installation: { id: number; account: string | null } | null;
  #current: InstallationToken | null = null;
  #pending: Promise<string> | null = null;

  constructor(config: GitHubConfig, key: GitHubAppKey, now: () => number, secrets: Secrets) {
    this.#config = config;
    this.#app = config.app!;
    this.#key = key;
    this.#now = now;
    this.#secrets = secrets;
    this.#installation = this.#app.installationId === undefined ? null : { id: this.#app.installationId, account: null };
    secrets.add(key.secretValues());
  }

  /** The Octokit authStrategy: JWT on App routes, the installation token everywhere else. */
  readonly strategy = (options: StrategyOptions) => {
    const appAuth = createAppAuth({ appId: this.#app.appId, privateKey: this.#key.pem(), request: options.request, log: quietLog() });
    const hook: AuthHook = async (request, route, parameters) => {
      const endpoint = request.endpoint.merge(route as string, parameters);
      if (isAppRoute((endpoint.url ?? '').replace(request.endpoint.DEFAULTS.baseUrl, ''))) return appAuth.hook(request, route as string, parameters);
      const token = await this.token(appAuth, options.request);
      try {
        return await sendWithToken(request, route, parameters, token);
      } catch (error) {
        if (statusOf(error) !== 401) throw error;
        // Revoked early, or a clock far off: one more try with a new token before the 401 counts.
        if (this.#current?.token === token) this.#current = null;
        return sendWithToken(request, route, parameters, await this.token(appAuth, options.request));
      }
    };
    return Object.assign(async () => ({ type: 'token', tokenType: 'installation', token: await this.token(appAuth, options.request) }), { hook });
  };

  /** The installation token, renewed RENEW_BEFORE_EXPIRY_MS before it expires (or halfway, for a short-lived one). */
  token(appAuth: ReturnType<typeof createAppAuth>, request: RequestFunction): Promise<string> {
    if (this.#current !== null && this.#now() < this.#current.renewAt) return Promise.resolve(this.#current.token);
    this.#pending ??= this.#renew(appAuth, request).finally(() => {
      this.#pending = null;
    });
    return this.#pending;
  }

  async #renew(appAuth: ReturnType<typeof createAppAuth>, request: RequestFunction): Promise<string> {
    const installation = await this.installation(request);
    let made: { token: string; expiresAt: string };
    try {
      made = await appAuth({ type: 'installation', installationId: installation.id, refresh: true });
    } catch (error) {
      throw this.#explained(error, `installation ${installation.id}`);
    }
    this.#secrets.add([made.token]);
    const now = this.#now();
    const expiresAt = Date.parse(made.expiresAt);
    const lifetime = Number.isFinite(expiresAt) ? expiresAt - now : 0;
    this.#current = { token: made.token, renewAt: now + Math.max(0, lifetime - Math.min(RENEW_BEFORE_EXPIRY_MS, lifetime / 2)) };
    return made.token;
  }

  /** The configured installation, or the one found on the first organisation/user/repository. */
  async installation(request: RequestFunction): Promise<{ id: number; account: string | null }> {
    if (this.#installation !== null) return this.#installation;
    const lookup = installationLookup(this.#config);
    if (lookup === null) throw new GitHubAuthError('github.app has no installationId and github lists no organization, user or repository to find it from — set github.app.installationId');
    try {
      const { data } = (await request(lookup.route as 'GET /orgs/{org}/installation', lookup.parameters as { org: string })) as { data: { id: number; account?: { login?: string } | null } };
      this.#installation = { id: data.id, account: data.account?.login ?? null };
      return this.#installation;
    } catch (error) {
      throw this.#explained(error, lookup.what);
    }
  }

  /** A refusal of the App's JWT or of an installation token, in words naming the key to fix; other failures (network, 5xx) as they are. */
  #explained(error: unknown, subject: string): unknown {
    const status = statusOf(error);
    if (status === null || status >= 500) return error;
    const said = gitHubMessageOf(error);
    const appId = this.#app.appId;
    if (status === 401 && /integration not found/i.test(said)) {
      return new GitHubAuthError(`GitHub knows no App with the ID ${appId} (401 ${said}) — set github.app.appId to the "App ID" on the App's settings page (a number, not the client ID)`);
    }
    if (status === 401) {
      return new GitHubAuthError(
        `GitHub refused the GitHub App's signed token (401 ${said}): github.app.privateKeyFile holds no current key of the App ${appId}, or this computer's clock is wrong — generate a private key on the App's settings page, point github.app.privateKeyFile at it, and check github.app.appId`,
      );
    }
    if (status === 404 && subject.startsWith('installation ')) {
      return new GitHubAuthError(`the GitHub App ${appId} has no ${subject} (404) — check github.app.installationId (the number at the end of the installation's settings address), or leave it out to find the installation from github.orgs or github.users`);
    }
    if (status === 404) {
      return new GitHubAuthError(`the GitHub App ${appId} is not installed on ${subject} (404) — install it there (the App's public page → Install), or set github.app.installationId`);
    }
    if (status === 403 && /suspend/i.test(said)) {
      return new GitHubAuthError(`the ${subject} of the GitHub App ${appId} is suspended (403 ${said}) — an owner of the account it is installed on can unsuspend it (Settings → GitHub Apps → Configure → Unsuspend)`);
    }
    return new GitHubAuthError(`GitHub refused an installation token of the GitHub App ${appId} for ${subject} (${status} ${said}) — check github.app`);
  }

  async identity(octokit: Octokit): Promise<string> {
    const installation = await this.installation(octokit.request);
    let account = installation.account;
    let slug: string | null = null;
    try {
      slug = ((await octokit.request('GET /app')).data as { slug?: string } | null)?.slug ?? null;
      if (account === null) account = ((await octokit.request('GET /app/installations/{installation_id}', { installation_id: installation.id })).data.account as { login?: string } | null)?.login ?? null;
    } catch {
      // The names are a courtesy; the installation itself already answered.
    }
    return `as the GitHub App ${slug ?? this.#app.appId} (installation ${installation.id}${account ? ` on ${account}` : ''})`;
  }
}

function appAuth(config: GitHubConfig, key: GitHubAppKey, now: () => number, secrets: Secrets): GitHubAuth {
  const credentials = new AppCredentials(config, key, now, secrets);
  return {
    authenticated: true,
    octokitOptions: () => ({ authStrategy: credentials.strategy }),
    redact: (text) => secrets.redact(text),
    rejectedMessage: () => `GitHub rejected the GitHub App ${config.app!.appId}'s installation token (401) even after making a new one — check that the App is still installed and github.app`,
    identity: (octokit) => credentials.identity(octokit),
  };
}

/** The same Error with every credential `auth` has used gone from its message and stack; its type (e.g. RateLimitedError) is kept. */
export function withoutCredentials(error: unknown, auth: GitHubAuth): unknown {
  if (!(error instanceof Error)) return error;
  error.message = auth.redact(error.message);
  if (error.stack) error.stack = auth.redact(error.stack);
  return error;
}

/** The source's credentials; `now` is the clock that decides when an installation token is renewed. */
export function createGitHubAuth(config: GitHubConfig, now: () => number = Date.now): GitHubAuth {
  const secrets = new Secrets();
  if (config.app !== undefined) {
    if (!config.appKey) throw new Error('createGitHubAuth: github.app needs prepare() to have read the private key');
    return appAuth(config, config.appKey, now, secrets);
  }
  if (config.tokenFile !== undefined) return tokenFileAuth(config.tokenFile, secrets);
  return personalToken(config.token, secrets);
}
