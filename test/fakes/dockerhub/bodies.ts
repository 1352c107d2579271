// Docker Hub's bodies, shaped as in test/fixtures/api/dockerhub_*.json.
import type { FakeDockerRepo } from './types.js';

export interface StoredRepo extends Required<Omit<FakeDockerRepo, 'lastUpdated' | 'rawFields'>> {
  lastUpdated: string | null;
  dateRegistered: string;
  rawFields: Record<string, unknown>;
}

/** dockerhub_error_404.json */
export const OBJECT_NOT_FOUND = { message: 'object not found', errinfo: {} };
/** dockerhub_error_401_login.json */
export const LOGIN_REFUSED = { detail: 'Incorrect authentication credentials' };
/** dockerhub_error_429.json */
export const RATE_LIMITED = { detail: 'Rate limit exceeded', error: false };
// Refused JWTs: the words of django-rest-framework-jwt, which Docker Hub's API was built on (UNCONFIRMED today).
export const TOKEN_EXPIRED = { detail: 'Signature has expired.' };
export const TOKEN_INVALID = { detail: 'Error decoding signature.' };

export function badRequest(message: string): { message: string; errinfo: Record<string, never> } {
  return { message, errinfo: {} };
}

export function serverError(status: number): { message: string; errinfo: Record<string, never> } {
  return { message: status === 503 ? 'service unavailable' : 'internal server error', errinfo: {} };
}

/** What a web server answers for a route it does not have (not a Docker Hub JSON error). */
export const UNKNOWN_ROUTE_PAGE = '<html>\n<head><title>404 Not Found</title></head>\n<body>\n<center><h1>404 Not Found</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n';

/** A list item (`/v2/namespaces/{ns}/repositories` results): no user, is_automated or permissions. */
export function listItem(repo: StoredRepo, ownerField: 'namespace' | 'user'): Record<string, unknown> {
  return {
    name: repo.name,
    [ownerField]: repo.namespace,
    repository_type: 'image',
    status: 1,
    status_description: 'active',
    description: repo.description,
    is_private: repo.isPrivate,
    star_count: repo.starCount,
    pull_count: repo.pullCount,
    last_updated: repo.lastUpdated,
    last_modified: repo.lastUpdated,
    date_registered: repo.dateRegistered,
    affiliation: '',
    media_types: ['application/vnd.oci.image.index.v1+json'],
    content_types: ['image'],
    categories: [],
    storage_size: repo.storageSize,
    ...repo.rawFields,
  };
}

/** `repository_info` (`/v2/namespaces/{ns}/repositories/{repo}`). */
export function repositoryInfo(repo: StoredRepo, viewer: string | null): Record<string, unknown> {
  const owner = viewer !== null && viewer.toLowerCase() === repo.namespace.toLowerCase();
  return {
    user: repo.namespace,
    name: repo.name,
    namespace: repo.namespace,
    repository_type: 'image',
    status: 1,
    status_description: 'active',
    description: repo.description,
    is_private: repo.isPrivate,
    is_automated: repo.isAutomated,
    star_count: repo.starCount,
    pull_count: repo.pullCount,
    last_updated: repo.lastUpdated,
    last_modified: repo.lastUpdated,
    date_registered: repo.dateRegistered,
    collaborator_count: 0,
    affiliation: null,
    hub_user: repo.namespace,
    has_starred: false,
    full_description: `# ${repo.name}\n\n${repo.description}`,
    permissions: { read: true, write: owner, admin: owner },
    media_types: ['application/vnd.oci.image.index.v1+json'],
    content_types: ['image'],
    categories: [],
    immutable_tags_settings: { enabled: false, rules: [] },
    storage_size: repo.storageSize,
    source: null,
    ...repo.rawFields,
  };
}
