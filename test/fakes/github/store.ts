// The fake's data: owners and repositories, looked up case-insensitively like GitHub logins and names.
import type { FakeOwner, FakeRepo } from './types.js';

export interface StoredOwner {
  readonly login: string;
  readonly type: 'Organization' | 'User';
  readonly id: number;
}

/** A repository with every default filled in. */
export interface StoredRepo extends FakeRepo {
  id: number;
  createdAt: string;
  updatedAt: string;
  pushedAt: string;
  /** Epoch ms of the last change through the fake's API; drives `last-modified`. */
  modifiedMs: number;
}

const FIRST_REPO_ID = 500_000_001;
const FIRST_OWNER_ID = 90_001;
// Repos added without createdAt get one day apart from here, so "sort by created" has a stable meaning.
const DEFAULT_CREATED_BASE_MS = Date.UTC(2020, 0, 1);
const DAY_MS = 86_400_000;

const COUNT_FIELDS = ['stars', 'forks', 'watchers', 'openIssues', 'openPulls', 'sizeKb'] as const;

function key(fullName: string): string {
  return fullName.toLowerCase();
}

function checkIso(field: string, value: unknown, repoName: string): void {
  if (value !== undefined && (typeof value !== 'string' || Number.isNaN(Date.parse(value)))) {
    throw new Error(`FakeRepo ${repoName}: ${field} must be an ISO 8601 date string, got ${JSON.stringify(value)}`);
  }
}

function validateRepo(repo: FakeRepo): void {
  const label = `${String(repo.owner)}/${String(repo.name)}`;
  if (typeof repo.owner !== 'string' || repo.owner === '' || repo.owner.includes('/')) {
    throw new Error(`FakeRepo ${label}: owner must be a non-empty login without '/'`);
  }
  if (typeof repo.name !== 'string' || repo.name === '' || repo.name.includes('/')) {
    throw new Error(`FakeRepo ${label}: name must be a non-empty repository name without '/'`);
  }
  for (const field of COUNT_FIELDS) {
    const value = repo[field];
    if (!Number.isInteger(value) || value < 0) {
      throw new Error(`FakeRepo ${label}: ${field} must be a non-negative integer, got ${JSON.stringify(value)}`);
    }
  }
  if (repo.id !== undefined && (!Number.isInteger(repo.id) || repo.id <= 0)) {
    throw new Error(`FakeRepo ${label}: id must be a positive integer, got ${JSON.stringify(repo.id)}`);
  }
  if (repo.growth !== undefined && repo.growth !== 'steady' && repo.growth !== 'accelerating') {
    throw new Error(`FakeRepo ${label}: growth must be 'steady' or 'accelerating', got ${JSON.stringify(repo.growth)}`);
  }
  if (repo.stargazersHidden !== undefined && repo.stargazersHidden !== 'forbidden' && repo.stargazersHidden !== 'empty') {
    throw new Error(`FakeRepo ${label}: stargazersHidden must be 'forbidden' or 'empty', got ${JSON.stringify(repo.stargazersHidden)}`);
  }
  for (const field of ['closedIssues', 'mergedPulls', 'commits', 'contributors'] as const) {
    const value = repo[field];
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
      throw new Error(`FakeRepo ${label}: ${field} must be a non-negative integer, got ${JSON.stringify(value)}`);
    }
  }
  if (repo.contributorsHidden !== undefined && repo.contributorsHidden !== 'too-large') {
    throw new Error(`FakeRepo ${label}: contributorsHidden must be 'too-large', got ${JSON.stringify(repo.contributorsHidden)}`);
  }
  checkIso('lastCommitAt', repo.lastCommitAt, label);
  checkIso('createdAt', repo.createdAt, label);
  checkIso('updatedAt', repo.updatedAt, label);
  checkIso('pushedAt', repo.pushedAt, label);
  for (const release of repo.releases ?? []) {
    checkIso(`releases[${release.tag}].createdAt`, release.createdAt, label);
    if (typeof release.createdAt !== 'string') {
      throw new Error(`FakeRepo ${label}: releases[${release.tag}].createdAt is required (ISO 8601)`);
    }
    for (const asset of release.assets) {
      checkIso(`releases[${release.tag}].assets[${asset.name}].createdAt`, asset.createdAt, label);
      if (!Number.isInteger(asset.downloads) || asset.downloads < 0) {
        throw new Error(`FakeRepo ${label}: releases[${release.tag}].assets[${asset.name}].downloads must be a non-negative integer`);
      }
    }
  }
}

export class FakeStore {
  private readonly repos = new Map<string, StoredRepo>();
  private readonly reposById = new Map<number, StoredRepo>();
  private readonly owners = new Map<string, StoredOwner>();
  private nextRepoId = FIRST_REPO_ID;
  private nextOwnerId = FIRST_OWNER_ID;
  private added = 0;

  constructor(owners: readonly FakeOwner[], repos: readonly FakeRepo[]) {
    for (const owner of owners) this.addOwner(owner);
    for (const repo of repos) this.addRepo(repo);
  }

  addOwner(owner: FakeOwner): StoredOwner {
    if (typeof owner.login !== 'string' || owner.login === '') {
      throw new Error(`FakeOwner: login must be a non-empty string, got ${JSON.stringify(owner.login)}`);
    }
    if (owner.type !== 'Organization' && owner.type !== 'User') {
      throw new Error(`FakeOwner ${owner.login}: type must be 'Organization' or 'User', got ${JSON.stringify(owner.type)}`);
    }
    if (this.owners.has(key(owner.login))) {
      throw new Error(`FakeOwner ${owner.login}: listed twice`);
    }
    const stored: StoredOwner = { login: owner.login, type: owner.type, id: owner.id ?? this.nextOwnerId++ };
    this.owners.set(key(owner.login), stored);
    return stored;
  }

  owner(login: string): StoredOwner | undefined {
    return this.owners.get(key(login));
  }

  ownerById(id: number): StoredOwner | undefined {
    for (const owner of this.owners.values()) if (owner.id === id) return owner;
    return undefined;
  }

  addRepo(repo: FakeRepo): StoredRepo {
    validateRepo(repo);
    const fullName = `${repo.owner}/${repo.name}`;
    if (this.repos.has(key(fullName))) {
      throw new Error(`FakeRepo ${fullName}: already exists; use updateRepo to change it`);
    }
    const owner = this.owner(repo.owner) ?? this.addOwner({ login: repo.owner, type: 'Organization' });
    let id = repo.id;
    if (id === undefined) {
      while (this.repoById(this.nextRepoId)) this.nextRepoId++;
      id = this.nextRepoId++;
    } else if (this.repoById(id)) {
      throw new Error(`FakeRepo ${fullName}: id ${id} is already used by ${this.repoById(id)?.owner}/${this.repoById(id)?.name}`);
    }
    const createdAt = repo.createdAt ?? new Date(DEFAULT_CREATED_BASE_MS + this.added * DAY_MS).toISOString();
    const updatedAt = repo.updatedAt ?? createdAt;
    const stored: StoredRepo = {
      ...repo,
      owner: owner.login,
      releases: repo.releases?.map((r) => ({ ...r, assets: r.assets.map((a) => ({ ...a })) })),
      id,
      createdAt,
      updatedAt,
      pushedAt: repo.pushedAt ?? updatedAt,
      modifiedMs: Math.floor(Date.now() / 1000) * 1000,
    };
    this.added++;
    this.repos.set(key(fullName), stored);
    this.reposById.set(id, stored);
    return stored;
  }

  updateRepo(fullName: string, patch: Partial<FakeRepo>): StoredRepo {
    const current = this.repo(fullName);
    if (!current) throw new Error(`updateRepo: no repository ${fullName}; add it with addRepo first`);
    const now = Date.now();
    const merged: StoredRepo = {
      ...current,
      ...patch,
      id: patch.id ?? current.id,
      createdAt: patch.createdAt ?? current.createdAt,
      updatedAt: patch.updatedAt ?? new Date(now).toISOString(),
      pushedAt: patch.pushedAt ?? current.pushedAt,
      // Whole seconds, strictly increasing: last-modified / if-modified-since have one-second resolution.
      modifiedMs: Math.max(Math.floor(now / 1000) * 1000, current.modifiedMs + 1000),
    };
    validateRepo(merged);
    const holder = this.reposById.get(merged.id);
    if (holder && holder !== current) throw new Error(`updateRepo: id ${merged.id} is already used by ${holder.owner}/${holder.name}`);
    const newKey = key(`${merged.owner}/${merged.name}`);
    if (newKey !== key(fullName)) {
      if (this.repos.has(newKey)) throw new Error(`updateRepo: ${merged.owner}/${merged.name} already exists`);
      if (!this.owner(merged.owner)) this.addOwner({ login: merged.owner, type: 'Organization' });
      this.repos.delete(key(fullName));
    }
    this.repos.set(newKey, merged);
    this.reposById.delete(current.id);
    this.reposById.set(merged.id, merged);
    return merged;
  }

  removeRepo(fullName: string): void {
    const current = this.repo(fullName);
    if (!current) throw new Error(`removeRepo: no repository ${fullName}`);
    this.repos.delete(key(fullName));
    this.reposById.delete(current.id);
  }

  repo(fullName: string): StoredRepo | undefined {
    return this.repos.get(key(fullName));
  }

  repoById(id: number): StoredRepo | undefined {
    return this.reposById.get(id);
  }

  /** Repositories owned by a login, in the order they were added. */
  reposOf(login: string): StoredRepo[] {
    const wanted = key(login);
    return [...this.repos.values()].filter((r) => key(r.owner) === wanted);
  }
}
