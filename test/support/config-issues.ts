// What a source's config schema says about input it refuses: each issue's dotted path and message.
import type { z } from 'zod';

export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

/** The issues `schema` reports for `input`; throws when the input is accepted (the test expected a refusal). */
export function refusedIssues(schema: z.ZodType, input: unknown): ConfigIssue[] {
  const result = schema.safeParse(input);
  if (result.success) throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  return result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}
