// The configuration shape of a source that counts downloads of a list of packages (npm, PyPI):
// apiUrl, the names (checked, normalised, each once), interval and timeout, and at least one name.
import { z } from 'zod';
import { intervalSchema } from '../../duration.js';
import { apiUrlSchema } from './api-url.js';
import { requestTimeoutSchema } from './request-timeout.js';

export interface PackageListSection<Name extends z.ZodType<string>> {
  /** The section's key, e.g. "npm". */
  readonly section: string;
  readonly defaultApiUrl: string;
  readonly defaultIntervalMs: number;
  /** One package name: checked, and turned into the form the API and the series use. */
  readonly name: Name;
  /** Names to show in the "at least one" error, e.g. `left-pad, @scope/name`. */
  readonly example: string;
}

export function packageListConfigSchema<Name extends z.ZodType<string>>(spec: PackageListSection<Name>) {
  return z
    .object({
      apiUrl: apiUrlSchema(`"${spec.defaultApiUrl}"`).default(spec.defaultApiUrl),
      // A name listed twice (or twice in two spellings of one name) is counted once.
      packages: z.array(spec.name).default([]).transform((names) => [...new Set(names)]),
      interval: intervalSchema().default(spec.defaultIntervalMs),
      timeout: requestTimeoutSchema(),
    })
    .strict()
    .superRefine((config, ctx) => {
      if (config.packages.length > 0) return;
      ctx.addIssue({ code: 'custom', path: ['packages'], message: `${spec.section} needs at least one package: list names under ${spec.section}.packages, e.g. [${spec.example}]` });
    });
}
