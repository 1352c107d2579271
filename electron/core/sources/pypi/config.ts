// The `pypi:` section of the config: the user-facing contract of this source.
import { z } from 'zod';
import { packageListConfigSchema } from '../common/package-list-config.js';

const EXAMPLE = '"requests" or "typing-extensions"';
/** PEP 508's valid project name (case-insensitive). */
const VALID_NAME = /^([a-z0-9]|[a-z0-9][a-z0-9._-]*[a-z0-9])$/i;

/** The name as PyPI and pypistats file it (PEP 503): lowercase, each run of "-", "_" and "." one "-". */
export function normalizedPackageName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Why `name` is not a PyPI project name, with the form to write instead; null when it is one. */
export function packageNameProblem(name: string): string | null {
  if (name === '') return `an empty name is not a PyPI package: write a name such as ${EXAMPLE}`;
  const fromUrl = /(?:pypi\.org|pypistats\.org)\/(?:project|packages)\/([^/?#]+)/.exec(name);
  if (fromUrl) return `"${name}" is a web address: write the package name only, e.g. "${normalizedPackageName(fromUrl[1]!)}"`;
  const withRequirement = /^([a-z0-9._-]+)\s*(?:\[|[=<>!~;@(])/i.exec(name);
  if (withRequirement && VALID_NAME.test(withRequirement[1]!)) {
    return `"${name}" is a requirement (extras, version or marker): write the package name only, e.g. "${normalizedPackageName(withRequirement[1]!)}"`;
  }
  if (!VALID_NAME.test(name)) {
    const tidy = name.replace(/[^a-z0-9._-]+/gi, '-').replace(/^[-._]+|[-._]+$/g, '');
    const instead = tidy !== '' && VALID_NAME.test(tidy) ? `e.g. "${normalizedPackageName(tidy)}"` : `a name such as ${EXAMPLE}`;
    return `"${name}" is not a PyPI package name: use letters, digits, "-", "_" and "." (not at either end), ${instead}`;
  }
  return null;
}

const packageNameSchema = z
  .string()
  .trim()
  .superRefine((name, ctx) => {
    const problem = packageNameProblem(name);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform(normalizedPackageName);

/** pypistats asks clients to be gentle: its data changes once a day. */
export const DEFAULT_INTERVAL_MS = 86_400_000;

export const pypiConfigSchema = packageListConfigSchema({
  section: 'pypi',
  defaultApiUrl: 'https://pypistats.org',
  defaultIntervalMs: DEFAULT_INTERVAL_MS,
  name: packageNameSchema,
  example: EXAMPLE.replace(' or ', ', '),
});

export type PypiConfig = z.output<typeof pypiConfigSchema>;
