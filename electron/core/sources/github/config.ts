// The `github:` section of the config: the user-facing contract of this source.
import { z } from 'zod';
import { apiUrlSchema } from '../common/api-url.js';
import { intervalSchema } from '../../duration.js';
import { requestTimeoutSchema } from '../common/request-timeout.js';

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

export const githubConfigSchema = z
  .object({
    apiUrl: apiUrlSchema('"https://api.github.com", or "https://HOST/api/v3" for GitHub Enterprise Server').default('https://api.github.com'),
    // An empty token (e.g. an unset ${GITHUB_TOKEN}) means anonymous access.
    token: z
      .string()
      .optional()
      .transform((token) => (token === undefined || token.trim() === '' ? undefined : token.trim())),
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
    if (config.orgs.length + config.users.length + config.repos.length > 0) return;
    ctx.addIssue({
      code: 'custom',
      message: 'github needs at least one target: list organizations under github.orgs, users under github.users or repositories ("owner/name") under github.repos',
    });
  });

export type GitHubConfig = z.output<typeof githubConfigSchema>;
