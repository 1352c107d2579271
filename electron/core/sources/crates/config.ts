// The `crates:` section of the config: the user-facing contract of this source.
import { z } from 'zod';
import { apiUrlSchema } from '../common/api-url.js';
import { intervalSchema } from '../../duration.js';
import { requestTimeoutSchema } from '../common/request-timeout.js';

const EXAMPLE = '"serde" or "tokio"';
/** crates.io's rule for a crate name: an ASCII letter, then letters, digits, "-" and "_". */
const VALID_NAME = /^[a-z][a-z0-9_-]*$/i;
export const MAX_CRATE_NAME_LENGTH = 64;

/** Why `name` is not a crate name, with the form to write instead; null when it is one. */
export function crateNameProblem(name: string): string | null {
  if (name === '') return `an empty name is not a crate: write a name such as ${EXAMPLE}`;
  const fromUrl = /(?:crates\.io\/crates|docs\.rs|lib\.rs\/crates)\/([^/?#]+)/.exec(name);
  if (fromUrl) return `"${name}" is a web address: write the crate name only, e.g. "${fromUrl[1]}"`;
  const withVersion = /^([a-z][a-z0-9_-]*)\s*(?:@|=|\s)/i.exec(name);
  if (withVersion) return `"${name}" names a version: write the crate name only, e.g. "${withVersion[1]}"`;
  if (name.length > MAX_CRATE_NAME_LENGTH) return `"${name.slice(0, 40)}…" is ${name.length} characters long: crate names have at most ${MAX_CRATE_NAME_LENGTH}`;
  if (!VALID_NAME.test(name)) return `"${name}" is not a crate name: start with a letter and use letters, digits, "-" and "_", e.g. ${EXAMPLE}`;
  return null;
}

const crateNameSchema = z.string().trim().superRefine((name, ctx) => {
  const problem = crateNameProblem(name);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
});

/** crates.io asks for at most one request a second; its counts are worth reading once a day. */
export const DEFAULT_INTERVAL_MS = 86_400_000;

export const cratesConfigSchema = z
  .object({
    apiUrl: apiUrlSchema('"https://crates.io"').default('https://crates.io'),
    // A name listed twice is counted once.
    crates: z.array(crateNameSchema).default([]).transform((names) => [...new Set(names)]),
    interval: intervalSchema().default(DEFAULT_INTERVAL_MS),
    timeout: requestTimeoutSchema(),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.crates.length > 0) return;
    ctx.addIssue({ code: 'custom', path: ['crates'], message: `crates needs at least one crate: list names under crates.crates, e.g. [${EXAMPLE.replace(' or ', ', ')}]` });
  });

export type CratesConfig = z.output<typeof cratesConfigSchema>;
