// The parts of Docker Hub's answers this source reads, checked before use (test/fixtures/api
// dockerhub_repo.json, dockerhub_repos_list*.json). Anything else in a body is ignored. A list item
// that cannot be read is left out of its page, with the reason, so it does not cost the others.
import { z } from 'zod';
import { MalformedResponseError } from './errors.js';

/**
 * A repository as a list item or a `repository_info`. List items carry no `is_automated` (and, on some
 * hubs, no `last_updated`); the 2022 list shape names the owner `namespace`, the older one `user`.
 */
/** A name: text without lone UTF-16 surrogates ("\ud800"), which no URL and no label can carry. */
const nameSchema = z
  .string()
  .min(1)
  .refine((text) => text.isWellFormed(), 'is not valid text (it holds a lone UTF-16 surrogate)');

const repositorySchema = z.object({
  name: nameSchema,
  namespace: nameSchema.nullish(),
  user: nameSchema.nullish(),
  pull_count: z.number().nonnegative(),
  star_count: z.number().nonnegative(),
  is_automated: z.boolean().nullish(),
  // null: never pushed.
  last_updated: z.string().nullish(),
});

const pageSchema = z.object({
  count: z.number().nonnegative().nullish(),
  next: z.string().nullish(),
  // Checked item by item (see parseRepositoryPage).
  results: z.array(z.unknown()),
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

/** A list item left out, and why. */
export interface RejectedRecord {
  /** The item's name, made printable; null when it has none that can be read. */
  readonly name: string | null;
  readonly reason: string;
}

export interface RepositoryPage {
  readonly records: RepositoryRecord[];
  readonly rejected: RejectedRecord[];
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
  throw new MalformedResponseError(`Docker Hub sent ${what} of an unexpected shape (${issueText(result.error)}) — check dockerhub.apiUrl points at Docker Hub`);
}

function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  return `${issue?.message ?? 'invalid'}${where}`;
}

function printableName(raw: unknown): string | null {
  const name = typeof raw === 'object' && raw !== null ? (raw as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name !== '' ? name.toWellFormed() : null;
}

export function parseRepositoryPage(text: string, requestedNamespace: string): RepositoryPage {
  const page = parseBody(text, pageSchema, 'a repository list');
  const records: RepositoryRecord[] = [];
  const rejected: RejectedRecord[] = [];
  for (const raw of page.results) {
    const item = repositorySchema.safeParse(raw);
    if (item.success) records.push(recordOf(item.data, requestedNamespace));
    else rejected.push({ name: printableName(raw), reason: `Docker Hub listed it with unreadable data (${issueText(item.error)})` });
  }
  return { records, rejected, next: page.next ?? null };
}

export function parseRepository(text: string, requestedNamespace: string): RepositoryRecord {
  return recordOf(parseBody(text, repositorySchema, 'a repository'), requestedNamespace);
}
