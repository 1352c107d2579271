// The parts of Docker Hub's answers this source reads, checked before use (test/fixtures/api
// dockerhub_repo.json, dockerhub_repos_list*.json). Anything else in a body is ignored.
import { z } from 'zod';
import { MalformedResponseError } from './errors.js';

/**
 * A repository as a list item or a `repository_info`. List items carry no `is_automated` (and, on some
 * hubs, no `last_updated`); the 2022 list shape names the owner `namespace`, the older one `user`.
 */
const repositorySchema = z.object({
  name: z.string().min(1),
  namespace: z.string().min(1).nullish(),
  user: z.string().min(1).nullish(),
  pull_count: z.number().nonnegative(),
  star_count: z.number().nonnegative(),
  is_automated: z.boolean().nullish(),
  // null: never pushed.
  last_updated: z.string().nullish(),
});

const pageSchema = z.object({
  count: z.number().nonnegative().nullish(),
  next: z.string().nullish(),
  results: z.array(repositorySchema),
});

export interface RepositoryRecord {
  readonly namespace: string;
  readonly name: string;
  readonly pullCount: number;
  readonly starCount: number;
  /** undefined when the answer did not carry it. */
  readonly isAutomated: boolean | undefined;
  /** Epoch ms; null when never pushed (or unreadable); undefined when the answer did not carry it. */
  readonly lastUpdated: number | null | undefined;
}

export interface RepositoryPage {
  readonly records: RepositoryRecord[];
  readonly next: string | null;
}

type RawRepository = z.output<typeof repositorySchema>;

function recordOf(raw: RawRepository, requestedNamespace: string): RepositoryRecord {
  let lastUpdated: number | null | undefined;
  if (raw.last_updated === undefined) lastUpdated = undefined;
  else if (raw.last_updated === null) lastUpdated = null;
  else {
    const parsed = Date.parse(raw.last_updated);
    lastUpdated = Number.isFinite(parsed) ? parsed : null;
  }
  return {
    namespace: raw.namespace ?? raw.user ?? requestedNamespace,
    name: raw.name,
    pullCount: raw.pull_count,
    starCount: raw.star_count,
    isAutomated: raw.is_automated ?? undefined,
    lastUpdated,
  };
}

function parseBody<Schema extends z.ZodType>(text: string, schema: Schema, what: string): z.output<Schema> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const start = text.trim().slice(0, 40).replace(/\s+/g, ' ');
    throw new MalformedResponseError(`Docker Hub sent ${what} that is not JSON (it starts "${start}") — check dockerhub.apiUrl points at Docker Hub`);
  }
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  throw new MalformedResponseError(`Docker Hub sent ${what} of an unexpected shape (${issue?.message ?? 'invalid'}${where}) — check dockerhub.apiUrl points at Docker Hub`);
}

export function parseRepositoryPage(text: string, requestedNamespace: string): RepositoryPage {
  const page = parseBody(text, pageSchema, 'a repository list');
  return { records: page.results.map((raw) => recordOf(raw, requestedNamespace)), next: page.next ?? null };
}

export function parseRepository(text: string, requestedNamespace: string): RepositoryRecord {
  return recordOf(parseBody(text, repositorySchema, 'a repository'), requestedNamespace);
}
