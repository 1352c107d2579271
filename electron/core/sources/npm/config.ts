// The `npm:` section of the config: the user-facing contract of this source.
import { z } from 'zod';
import { packageListConfigSchema } from '../common/package-list-config.js';

const MAX_NAME_LENGTH = 214;
const EXAMPLE = '"left-pad" or "@scope/name"';
const RESERVED_NAMES = new Set(['node_modules', 'favicon.ico']);

/** What npm accepts for a name part: characters that need no URL encoding (no spaces, commas, colons…). */
function isUrlSafe(part: string): boolean {
  return part !== '' && encodeURIComponent(part) === part;
}

/** A name-shaped version of bad text ("My Package" → "my-package"), offered only when it is valid. */
function suggestionFor(text: string): string | null {
  const scoped = /^@([^/]*)\/(.*)$/.exec(text);
  const tidy = (part: string) => part.toLowerCase().replace(/[^a-z0-9._~-]+/g, '-').replace(/^[-._]+|-+$/g, '');
  const candidate = scoped ? `@${tidy(scoped[1]!)}/${tidy(scoped[2]!)}` : tidy(text);
  return packageNameProblem(candidate) === null ? candidate : null;
}

/**
 * Why `name` is not an npm package name, with the form to write instead; null when it is one.
 * Follows npm's rules for existing packages: capitals stay allowed, since old packages such as
 * "JSONStream" still carry them and their downloads are counted under that name.
 */
export function packageNameProblem(name: string): string | null {
  if (name === '') return `an empty name is not an npm package: write a name such as ${EXAMPLE}`;
  const fromUrl = /npmjs\.(?:com|org)\/(?:package\/)?((?:@[^/?#]+\/)?[^/?#]+)/.exec(name);
  if (fromUrl) return `"${name}" is a web address: write the package name only, e.g. "${fromUrl[1]}"`;
  const withVersion = /^(@[^@/]+\/[^@/]+|[^@/]+)@.*$/.exec(name);
  if (withVersion) return `"${name}" names a version: write the package name only, e.g. "${withVersion[1]}"`;
  if (name.startsWith('@')) {
    if (!name.includes('/')) return `"${name}" is a scope without a package: write "${name}/name"`;
    const scoped = /^@([^/]+)\/([^/]+)$/.exec(name);
    if (!scoped) return `"${name}" is not a scoped package name: write it as "@scope/name"`;
  } else if (name.includes('/')) {
    const [scope, rest] = name.split('/', 2);
    return name.split('/').length === 2 && isUrlSafe(scope!) && isUrlSafe(rest!)
      ? `"${name}" is missing the "@" of its scope: write "@${name}"`
      : `"${name}" is not an npm package name: write a name such as ${EXAMPLE}`;
  }
  if (name.length > MAX_NAME_LENGTH) return `"${name.slice(0, 40)}…" is ${name.length} characters long: npm names have at most ${MAX_NAME_LENGTH}`;
  if (name.startsWith('.') || name.startsWith('_')) return `"${name}" starts with "${name[0]}", which npm names cannot: write it without, e.g. "${name.replace(/^[._]+/, '')}"`;
  if (RESERVED_NAMES.has(name.toLowerCase())) return `"${name}" is a name npm reserves, not a package: write a name such as ${EXAMPLE}`;
  const parts = name.startsWith('@') ? name.slice(1).split('/') : [name];
  if (!parts.every(isUrlSafe)) {
    const suggestion = suggestionFor(name);
    const instead = suggestion ? `e.g. "${suggestion}"` : `a name such as ${EXAMPLE}`;
    return `"${name}" holds characters npm names cannot (spaces, commas, ":" and the like): use letters, digits, "-", "." and "_", ${instead}`;
  }
  return null;
}

const packageNameSchema = z.string().trim().superRefine((name, ctx) => {
  const problem = packageNameProblem(name);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
});


export const DEFAULT_INTERVAL_MS = 6 * 3_600_000;

export const npmConfigSchema = packageListConfigSchema({
  section: 'npm',
  defaultApiUrl: 'https://api.npmjs.org',
  defaultIntervalMs: DEFAULT_INTERVAL_MS,
  name: packageNameSchema,
  example: EXAMPLE.replace(' or ', ', '),
});

export type NpmConfig = z.output<typeof npmConfigSchema>;
