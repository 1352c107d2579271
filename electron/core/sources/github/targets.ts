// What to collect, derived from the config: owners (orgs/users) and single repositories, each once.
import type { GitHubConfig } from './config.js';

export type OwnerKind = 'org' | 'user';

export interface OwnerTarget {
  readonly kind: OwnerKind;
  readonly login: string;
  /** The TargetError name, e.g. "org:my-org". */
  readonly target: string;
}

export interface RepositoryTarget {
  readonly owner: string;
  readonly name: string;
  /** The TargetError name, e.g. "repo:owner/name". */
  readonly target: string;
}

export interface Targets {
  readonly owners: readonly OwnerTarget[];
  readonly repositories: readonly RepositoryTarget[];
}

/** The identity of a repository across targets: GitHub names are case-insensitive. */
export function repositoryKey(owner: string, name: string): string {
  return `${owner}/${name}`.toLowerCase();
}

/** Targets from the config, with duplicates (also case-insensitive, also across orgs and users) dropped. */
export function targetsOf(config: Pick<GitHubConfig, 'orgs' | 'users' | 'repos'>): Targets {
  const owners: OwnerTarget[] = [];
  const seenOwners = new Set<string>();
  const addOwner = (kind: OwnerKind, login: string) => {
    const key = login.toLowerCase();
    if (seenOwners.has(key)) return;
    seenOwners.add(key);
    owners.push({ kind, login, target: `${kind}:${login}` });
  };
  for (const login of config.orgs) addOwner('org', login);
  for (const login of config.users) addOwner('user', login);

  const repositories: RepositoryTarget[] = [];
  const seenRepositories = new Set<string>();
  for (const fullName of config.repos) {
    const slash = fullName.indexOf('/');
    const owner = fullName.slice(0, slash);
    const name = fullName.slice(slash + 1);
    const key = repositoryKey(owner, name);
    if (seenRepositories.has(key)) continue;
    seenRepositories.add(key);
    repositories.push({ owner, name, target: `repo:${owner}/${name}` });
  }
  return { owners, repositories };
}

/** The config key a user edits to fix a target, for error messages. */
export function configKeyOf(kind: OwnerKind | 'repo'): string {
  return kind === 'org' ? 'github.orgs' : kind === 'user' ? 'github.users' : 'github.repos';
}

export function describeOwner(kind: OwnerKind, login: string): string {
  return `${kind === 'org' ? 'organization' : 'user'} '${login}'`;
}
