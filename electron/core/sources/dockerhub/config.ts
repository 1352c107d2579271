// The `dockerhub:` section of the config: the user-facing contract of this source.
//
// Names: a namespace is a Docker ID or organization ("my-org"); an image is "namespace/repository".
// A bare repository name ("nginx") means the official image, as `docker pull nginx` does, and is
// stored as "library/nginx" — so metrics carry user="library", like the old docker-hub-exporter's.
import { z } from 'zod';
import { apiUrlSchema } from '../common/api-url.js';
import { intervalSchema } from '../../duration.js';
import { requestTimeoutSchema } from '../common/request-timeout.js';

// Docker IDs and organizations: lowercase letters and digits (older accounts also "-" and "_"), at most 255 characters.
const NAMESPACE = /^[a-z0-9][a-z0-9_-]{0,254}$/;
// Repository names: lowercase letters and digits, separated by single ".", "_", "__" or runs of "-".
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const MAX_REPOSITORY_LENGTH = 255;

export const OFFICIAL_NAMESPACE = 'library';

function isRepositoryName(text: string): boolean {
  return text.length <= MAX_REPOSITORY_LENGTH && REPOSITORY.test(text);
}

/** What is wrong with text that should be a Docker Hub name, as a hint appended to the message. */
function nameHint(text: string): string {
  if (/[A-Z]/.test(text)) return '; Docker Hub names are lowercase';
  if (/^(?:https?:\/\/|docker\.io\/|hub\.docker\.com\/|registry-1\.docker\.io\/)/i.test(text)) return '; leave out the host';
  if (/[:@]/.test(text)) return '; leave out the tag or digest';
  return '';
}

const namespaceSchema = z.string().trim().superRefine((text, ctx) => {
  if (NAMESPACE.test(text)) return;
  const hint = text.includes('/') ? '; a single repository ("namespace/name") belongs under dockerhub.images' : nameHint(text);
  ctx.addIssue({ code: 'custom', message: `"${text}" is not a Docker Hub namespace: write the user or organization name only, e.g. "my-org"${hint}` });
});

const imageSchema = z
  .string()
  .trim()
  .superRefine((text, ctx) => {
    const parts = text.split('/');
    const valid =
      (parts.length === 1 && isRepositoryName(parts[0]!)) ||
      (parts.length === 2 && NAMESPACE.test(parts[0]!) && isRepositoryName(parts[1]!));
    if (valid) return;
    ctx.addIssue({
      code: 'custom',
      message: `"${text}" is not a Docker Hub image: write "namespace/name", e.g. "my-org/my-image", or "library/nginx" (a bare "nginx" also means library/nginx)${nameHint(text)}`,
    });
  })
  .transform((text) => (text.includes('/') ? text : `${OFFICIAL_NAMESPACE}/${text}`));


/** An unset optional credential; an empty value (e.g. `${DOCKERHUB_TOKEN:-}`) counts as unset. */
const optionalCredential = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

export const DEFAULT_INTERVAL_MS = 30 * 60_000;

export const dockerhubConfigSchema = z
  .object({
    apiUrl: apiUrlSchema('"https://hub.docker.com", or the base URL of a compatible on-prem hub').default('https://hub.docker.com'),
    namespaces: z.array(namespaceSchema).default([]),
    images: z.array(imageSchema).default([]),
    username: optionalCredential,
    /** A personal access token (dckr_pat_…) or an organization access token. */
    token: optionalCredential,
    interval: intervalSchema().default(DEFAULT_INTERVAL_MS),
    timeout: requestTimeoutSchema(),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.namespaces.length + config.images.length === 0) {
      ctx.addIssue({
        code: 'custom',
        message: 'dockerhub needs at least one target: list users or organizations under dockerhub.namespaces, or images ("namespace/name") under dockerhub.images',
      });
    }
    if (config.username !== undefined && config.token === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['token'],
        message: 'dockerhub.username is set but dockerhub.token is missing or empty: add a personal access token, e.g. token: "${DOCKERHUB_TOKEN}", or remove dockerhub.username',
      });
    }
    if (config.token !== undefined && config.username === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['username'],
        message: 'dockerhub.token is set but dockerhub.username is missing: add the Docker ID (or organization) the token belongs to, or remove dockerhub.token',
      });
    }
  });

export type DockerHubConfig = z.output<typeof dockerhubConfigSchema>;
