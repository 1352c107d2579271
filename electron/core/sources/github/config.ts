// The `github:` section of the config: the user-facing contract of this source.
import { z } from 'zod';
import { apiUrlSchema } from '../common/api-url.js';
import { intervalSchema } from '../../duration.js';
import { requestTimeoutSchema } from '../common/request-timeout.js';
import type { GitHubAppKey } from './credential-files.js';

// GitHub logins: letters, digits and single hyphens, at most 39 characters.
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
// Repository names: letters, digits, '.', '-', '_', at most 100 characters.
const REPOSITORY = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})$/;

function loginSchema(key: 'orgs' | 'users') {
  const example = key === 'orgs' ? 'my-org' : 'my-user';
  return z.string().trim().superRefine((text, ctx) => {
    if (LOGIN.test(text)) return;
    const hint = text.includes('/')
      ? `; a repository belongs under github.repos`
      : '';
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a GitHub login: write the login only, e.g. "${example}"${hint}` });
  });
}

const repositorySchema = z.string().trim().superRefine((text, ctx) => {
  if (REPOSITORY.test(text)) return;
  ctx.addIssue({ code: 'custom', message: `"${text}" is not a repository: write it as "owner/name", e.g. "octocat/hello-world"` });
});


const includeSchema = z
  .object({
    // Forks count by default, as github-exporter lists them; `forks: false` leaves them out.
    forks: z.boolean().default(true),
    archived: z.boolean().default(true),
    private: z.boolean().default(true),
  })
  .strict();

export const DEFAULT_INTERVAL_MS = 10 * 60_000;
/** Traffic changes slowly and GitHub keeps 14 days of it: reading it every 6 hours loses nothing. */
export const DEFAULT_TRAFFIC_INTERVAL_MS = 6 * 3_600_000;

// Repository traffic (views, clones, referrers, paths): read only where the token can push.
const trafficSchema = z
  .object({
    enabled: z.boolean().default(true),
    interval: intervalSchema().default(DEFAULT_TRAFFIC_INTERVAL_MS),
  })
  .strict();

/** A GitHub App or installation ID: a positive whole number, written as a number or as text (the Settings form). */
function numericIdSchema(what: string, where: string, hint: (text: string) => string = () => '') {
  return z.union([z.number(), z.string()]).transform((written, ctx) => {
    const text = String(written).trim();
    const id = /^\d{1,15}$/.test(text) ? Number(text) : NaN;
    if (Number.isSafeInteger(id) && id > 0) return id;
    const shown = text.length > 40 ? `${text.slice(0, 20)}…` : text;
    ctx.addIssue({ code: 'custom', message: `"${shown}" is not a ${what}: write the number ${where}${hint(text)}` });
    return z.NEVER;
  });
}

const appSchema = z
  .object({
    appId: numericIdSchema('GitHub App ID', 'shown as "App ID" on the App\'s settings page (GitHub → Settings → Developer settings → GitHub Apps), e.g. 123456', (text) =>
      /^Iv\d*\./.test(text) ? ' — a value starting with "Iv" is the App\'s client ID, not its App ID' : ''),
    privateKeyFile: z.string().trim().min(1, 'name the App\'s private key file (.pem), e.g. "./footprint-app.pem"'),
    installationId: numericIdSchema('GitHub App installation ID', 'at the end of the installation\'s settings address (…/settings/installations/12345678), or leave it out to find it from github.orgs or github.users').optional(),
  })
  .strict();

/** The ways to authenticate; at most one may be set. */
const CREDENTIAL_KEYS = ['token', 'tokenFile', 'app'] as const;

export const githubConfigSchema = z
  .object({
    apiUrl: apiUrlSchema('"https://api.github.com", or "https://HOST/api/v3" for GitHub Enterprise Server').default('https://api.github.com'),
    // An empty token (e.g. an unset ${GITHUB_TOKEN}) means anonymous access.
    token: z
      .string()
      .optional()
      .transform((token) => (token === undefined || token.trim() === '' ? undefined : token.trim())),
    // A file holding the token (a Docker or Kubernetes secret), read again when it changes.
    tokenFile: z
      .string()
      .optional()
      .transform((file) => (file === undefined || file.trim() === '' ? undefined : file.trim())),
    app: appSchema.optional(),
    orgs: z.array(loginSchema('orgs')).default([]),
    users: z.array(loginSchema('users')).default([]),
    repos: z.array(repositorySchema).default([]),
    interval: intervalSchema().default(DEFAULT_INTERVAL_MS),
    timeout: requestTimeoutSchema(),
    include: includeSchema.default({ forks: true, archived: true, private: true }),
    traffic: trafficSchema.default({ enabled: true, interval: DEFAULT_TRAFFIC_INTERVAL_MS }),
  })
  .strict()
  .superRefine((config, ctx) => {
    const credentials = CREDENTIAL_KEYS.filter((key) => config[key] !== undefined);
    if (credentials.length > 1) {
      ctx.addIssue({
        code: 'custom',
        path: [credentials[1]!],
        message: `${credentials.map((key) => `github.${key}`).join(' and ')} are both set, but they are alternatives — keep one: a personal token (token), a file holding one (tokenFile) or a GitHub App (app)`,
      });
    }
    if (config.orgs.length + config.users.length + config.repos.length > 0) return;
    ctx.addIssue({
      code: 'custom',
      message: 'github needs at least one target: list organizations under github.orgs, users under github.users or repositories ("owner/name") under github.repos',
    });
  });

/** The section as validated, before prepare() reads the files it names. */
export type GitHubSettings = z.output<typeof githubConfigSchema>;

/**
 * The section as create() gets it: prepare() made tokenFile and app.privateKeyFile absolute, checked the
 * token file and read the App's key (both kept off the enumerable keys, so printing the config cannot show them).
 */
export type GitHubConfig = GitHubSettings & {
  /** The token file's token as read at load: a secret to mask (the file is read again when it changes). */
  readonly fileToken?: string;
  readonly appKey?: GitHubAppKey;
};
