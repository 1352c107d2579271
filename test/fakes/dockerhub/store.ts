// The fake's repositories, by namespace. Names compare case-insensitively; Docker Hub's are lowercase.
import type { StoredRepo } from './bodies.js';
import type { FakeDockerRepo } from './types.js';

const FIRST_PUSH = Date.UTC(2025, 0, 1);

/** Docker Hub writes microseconds: 2025-05-20T10:15:42.913271Z. */
function hubTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}

function keyOf(namespace: string, name: string): string {
  return `${namespace}/${name}`.toLowerCase();
}

function checkCount(field: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new Error(`FakeDockerRepo.${field} must be a non-negative integer, got ${JSON.stringify(value)}`);
  }
}

function splitFullName(fullName: string): [string, string] {
  const parts = fullName.split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw new Error(`expected "namespace/name", got ${JSON.stringify(fullName)}`);
  return [parts[0], parts[1]];
}

export interface ListQuery {
  readonly includePrivate: boolean;
  /** Partial match on the name (the `name` query parameter). */
  readonly nameContains: string | null;
  /** name | last_updated | pull_count, `-` for descending; default name. */
  readonly ordering: string | null;
}

export const ORDERINGS = ['name', 'last_updated', 'pull_count'] as const;

export class FakeDockerStore {
  private readonly repos = new Map<string, StoredRepo>();
  private readonly emptyNamespaces = new Set<string>();
  private added = 0;

  constructor(repos: readonly FakeDockerRepo[], namespaces: readonly string[]) {
    for (const namespace of namespaces) this.emptyNamespaces.add(namespace.toLowerCase());
    for (const repo of repos) this.add(repo);
  }

  add(repo: FakeDockerRepo): void {
    if (!repo.namespace || !repo.name) throw new Error(`FakeDockerRepo needs a namespace and a name, got ${JSON.stringify(repo)}`);
    checkCount('pullCount', repo.pullCount);
    checkCount('starCount', repo.starCount);
    const key = keyOf(repo.namespace, repo.name);
    if (this.repos.has(key)) throw new Error(`fake Docker Hub already has ${repo.namespace}/${repo.name}`);
    const index = this.added++;
    this.repos.set(key, {
      namespace: repo.namespace,
      name: repo.name,
      pullCount: repo.pullCount,
      starCount: repo.starCount,
      isAutomated: repo.isAutomated ?? false,
      isPrivate: repo.isPrivate ?? false,
      lastUpdated: repo.lastUpdated === undefined ? hubTime(FIRST_PUSH + index * 3_600_000) : repo.lastUpdated,
      description: repo.description ?? `${repo.name} image`,
      storageSize: repo.storageSize ?? 100 * 1024 * 1024,
      dateRegistered: hubTime(FIRST_PUSH - 86_400_000),
      rawFields: { ...repo.rawFields },
    });
  }

  update(fullName: string, patch: Partial<Omit<FakeDockerRepo, 'namespace' | 'name'>>): void {
    const [namespace, name] = splitFullName(fullName);
    const repo = this.repos.get(keyOf(namespace, name));
    if (!repo) throw new Error(`fake Docker Hub has no repository ${fullName}`);
    if (patch.pullCount !== undefined) checkCount('pullCount', patch.pullCount);
    if (patch.starCount !== undefined) checkCount('starCount', patch.starCount);
    for (const [field, value] of Object.entries(patch)) if (value !== undefined) (repo as unknown as Record<string, unknown>)[field] = value;
  }

  remove(fullName: string): void {
    const [namespace, name] = splitFullName(fullName);
    if (!this.repos.delete(keyOf(namespace, name))) throw new Error(`fake Docker Hub has no repository ${fullName}`);
  }

  hasNamespace(namespace: string): boolean {
    const wanted = namespace.toLowerCase();
    if (this.emptyNamespaces.has(wanted)) return true;
    for (const repo of this.repos.values()) if (repo.namespace.toLowerCase() === wanted) return true;
    return false;
  }

  get(namespace: string, name: string): StoredRepo | undefined {
    return this.repos.get(keyOf(namespace, name));
  }

  list(namespace: string, query: ListQuery): StoredRepo[] {
    const wanted = namespace.toLowerCase();
    const found = [...this.repos.values()].filter(
      (repo) =>
        repo.namespace.toLowerCase() === wanted &&
        (query.includePrivate || !repo.isPrivate) &&
        (query.nameContains === null || repo.name.includes(query.nameContains.toLowerCase())),
    );
    const ordering = query.ordering ?? 'name';
    const descending = ordering.startsWith('-');
    const field = descending ? ordering.slice(1) : ordering;
    const value = (repo: StoredRepo): string | number =>
      field === 'pull_count' ? repo.pullCount : field === 'last_updated' ? (repo.lastUpdated ?? '') : repo.name;
    found.sort((a, b) => {
      const [x, y] = [value(a), value(b)];
      const order = x < y ? -1 : x > y ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
      return descending ? -order : order;
    });
    return found;
  }
}
