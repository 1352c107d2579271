// JSON bodies in the shapes of test/fixtures/api/github_rest_*.json, built from the fake's data.
// API URLs point at the fake's own origin so a client can follow them; html URLs stay on github.com.
import type { StoredOwner, StoredRepo } from './store.js';
import type { FakeRelease, FakeRepo, FakeTrafficDay } from './types.js';

const WEB = 'https://github.com';
const DEFAULT_ASSET_SIZE = 1_048_576;

const LICENSES: Record<string, { name: string; spdx: string }> = {
  mit: { name: 'MIT License', spdx: 'MIT' },
  'apache-2.0': { name: 'Apache License 2.0', spdx: 'Apache-2.0' },
  'gpl-2.0': { name: 'GNU General Public License v2.0', spdx: 'GPL-2.0' },
  'gpl-3.0': { name: 'GNU General Public License v3.0', spdx: 'GPL-3.0' },
  'lgpl-2.1': { name: 'GNU Lesser General Public License v2.1', spdx: 'LGPL-2.1' },
  'lgpl-3.0': { name: 'GNU Lesser General Public License v3.0', spdx: 'LGPL-3.0' },
  'agpl-3.0': { name: 'GNU Affero General Public License v3.0', spdx: 'AGPL-3.0' },
  'bsd-2-clause': { name: 'BSD 2-Clause "Simplified" License', spdx: 'BSD-2-Clause' },
  'bsd-3-clause': { name: 'BSD 3-Clause "New" or "Revised" License', spdx: 'BSD-3-Clause' },
  'mpl-2.0': { name: 'Mozilla Public License 2.0', spdx: 'MPL-2.0' },
  isc: { name: 'ISC License', spdx: 'ISC' },
  unlicense: { name: 'The Unlicense', spdx: 'Unlicense' },
  'cc0-1.0': { name: 'Creative Commons Zero v1.0 Universal', spdx: 'CC0-1.0' },
  other: { name: 'Other', spdx: 'NOASSERTION' },
};

export interface LicenseInfo {
  key: string;
  name: string;
  spdxId: string;
}

export function licenseInfo(key: string | null | undefined): LicenseInfo | null {
  if (!key) return null;
  const known = LICENSES[key.toLowerCase()];
  return { key: key.toLowerCase(), name: known?.name ?? key, spdxId: known?.spdx ?? key.toUpperCase() };
}

/** GitHub-like opaque node ids ("R_kgDO…"), stable for a given kind and database id. */
export function nodeId(prefix: string, id: number | string): string {
  return `${prefix}_kgDO${Buffer.from(`${prefix}:${id}`).toString('base64url')}`;
}

/** Viewer-dependent parts of a response. */
export interface Viewer {
  readonly authenticated: boolean;
  /** Whether the viewer may push to the repo in question (traffic, drafts, permissions). */
  readonly push: boolean;
}

export function simpleUser(api: string, login: string, id: number, type: 'Organization' | 'User' | 'Bot') {
  return {
    login,
    id,
    node_id: nodeId(type === 'Organization' ? 'O' : 'U', id),
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    url: `${api}/users/${login}`,
    html_url: `${WEB}/${login}`,
    type,
    site_admin: false,
  };
}

function ownerOf(api: string, owner: StoredOwner) {
  return simpleUser(api, owner.login, owner.id, owner.type);
}

/** `minimal-repository`: the list shape. No subscribers_count, network_count or organization (the exporter trap). */
export function minimalRepository(api: string, repo: StoredRepo, owner: StoredOwner, viewer: Viewer) {
  const fullName = `${owner.login}/${repo.name}`;
  const license = licenseInfo(repo.license);
  const openIssuesCount = repo.openIssues + repo.openPulls;
  const body: Record<string, unknown> = {
    id: repo.id,
    node_id: nodeId('R', repo.id),
    name: repo.name,
    full_name: fullName,
    private: repo.private === true,
    owner: ownerOf(api, owner),
    html_url: `${WEB}/${fullName}`,
    description: repo.description ?? null,
    fork: repo.fork === true,
    url: `${api}/repos/${fullName}`,
    stargazers_url: `${api}/repos/${fullName}/stargazers`,
    releases_url: `${api}/repos/${fullName}/releases{/id}`,
    created_at: repo.createdAt,
    updated_at: repo.updatedAt,
    pushed_at: repo.pushedAt,
    homepage: null,
    size: repo.sizeKb,
    stargazers_count: repo.stars,
    watchers_count: repo.stars,
    language: repo.language ?? null,
    has_issues: true,
    has_projects: false,
    has_downloads: true,
    has_wiki: false,
    has_pages: false,
    has_discussions: false,
    forks_count: repo.forks,
    archived: repo.archived === true,
    disabled: false,
    open_issues_count: openIssuesCount,
    license: license && {
      key: license.key,
      name: license.name,
      spdx_id: license.spdxId,
      url: `${api}/licenses/${license.key}`,
      node_id: nodeId('L', license.key),
    },
    allow_forking: true,
    is_template: false,
    topics: repo.topics ?? [],
    visibility: repo.private === true ? 'private' : 'public',
    forks: repo.forks,
    open_issues: openIssuesCount,
    watchers: repo.stars,
    default_branch: 'main',
  };
  // GitHub shows permissions only to an authenticated viewer.
  if (viewer.authenticated) {
    body['permissions'] = { admin: viewer.push, maintain: viewer.push, push: viewer.push, triage: viewer.push, pull: true };
  }
  return { ...body, ...repo.restFields };
}

/** `full-repository`, as GET /repos/{owner}/{repo} returns it. */
export function fullRepository(api: string, repo: StoredRepo, owner: StoredOwner, viewer: Viewer) {
  const body = minimalRepository(api, repo, owner, viewer);
  if (viewer.authenticated) body['temp_clone_token'] = '';
  if (owner.type === 'Organization') body['organization'] = ownerOf(api, owner);
  body['network_count'] = repo.forks;
  body['subscribers_count'] = repo.watchers;
  return { ...body, ...repo.restFields };
}

/** Release ids derive from the repo id and the release's position, so they are stable across requests. */
export function releaseId(repo: StoredRepo, index: number): number {
  return repo.id * 1000 + index + 1;
}

export function release(api: string, repo: StoredRepo, owner: StoredOwner, rel: FakeRelease, index: number) {
  const fullName = `${owner.login}/${repo.name}`;
  const id = releaseId(repo, index);
  const bot = simpleUser(api, 'release-bot', 9_120_031, 'User');
  return {
    url: `${api}/repos/${fullName}/releases/${id}`,
    html_url: `${WEB}/${fullName}/releases/tag/${rel.tag}`,
    assets_url: `${api}/repos/${fullName}/releases/${id}/assets`,
    upload_url: `${api}/repos/${fullName}/releases/${id}/assets{?name,label}`,
    tarball_url: `${api}/repos/${fullName}/tarball/${rel.tag}`,
    zipball_url: `${api}/repos/${fullName}/zipball/${rel.tag}`,
    id,
    node_id: nodeId('RE', id),
    tag_name: rel.tag,
    target_commitish: 'main',
    name: rel.name,
    draft: rel.draft === true,
    prerelease: rel.prerelease === true,
    immutable: false,
    created_at: rel.createdAt,
    published_at: rel.draft === true ? null : rel.createdAt,
    author: bot,
    assets: rel.assets.map((asset, assetIndex) => {
      const assetId = id * 100 + assetIndex;
      return {
        url: `${api}/repos/${fullName}/releases/assets/${assetId}`,
        id: assetId,
        node_id: nodeId('RA', assetId),
        name: asset.name,
        label: '',
        uploader: bot,
        content_type: 'application/octet-stream',
        state: 'uploaded',
        size: asset.size ?? DEFAULT_ASSET_SIZE,
        digest: null,
        download_count: asset.downloads,
        created_at: asset.createdAt ?? rel.createdAt,
        updated_at: asset.createdAt ?? rel.createdAt,
        browser_download_url: `${WEB}/${fullName}/releases/download/${rel.tag}/${asset.name}`,
      };
    }),
    body: null,
  };
}

/** Releases visible to the viewer, newest first (GitHub's order). Drafts need push access. */
export function visibleReleases(repo: StoredRepo, viewer: Viewer): { rel: FakeRelease; index: number }[] {
  return (repo.releases ?? [])
    .map((rel, index) => ({ rel, index }))
    .filter(({ rel }) => rel.draft !== true || viewer.push)
    .sort((a, b) => Date.parse(b.rel.createdAt) - Date.parse(a.rel.createdAt) || b.index - a.index);
}

/**
 * When the item at `fraction` (0..1] of a repository's stars or forks arrived, in whole seconds: spread
 * over createdAt..updatedAt evenly, or along quadratic growth (repo.growth 'accelerating').
 */
function arrivalMs(repo: StoredRepo, fraction: number): number {
  const start = Date.parse(repo.createdAt);
  const end = Math.max(start, Date.parse(repo.updatedAt));
  const shaped = repo.growth === 'accelerating' ? Math.sqrt(fraction) : fraction;
  return Math.floor((start + (end - start) * shaped) / 1000) * 1000;
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/**
 * The fake keeps star counts, not stargazer lists: stargazer i (0 = oldest) is "stargazer-i", starred at
 * times spread between the repo's creation and its last update (see arrivalMs).
 */
export function stargazerAt(repo: StoredRepo, index: number): { login: string; id: number; starredAt: string } {
  let starredMs: number;
  if (repo.growth === 'accelerating') {
    starredMs = arrivalMs(repo, (index + 1) / repo.stars);
  } else {
    const start = Date.parse(repo.createdAt);
    const end = Math.max(start, Date.parse(repo.updatedAt));
    const step = repo.stars > 0 ? (end - start) / repo.stars : 0;
    starredMs = Math.floor(Math.floor(start + step * (index + 1)) / 1000) * 1000;
  }
  return { login: `stargazer-${index + 1}`, id: 10_000_000 + index, starredAt: isoSeconds(starredMs) };
}

/**
 * Likewise forks: fork i (0 = oldest) is "forker-i/<name>", created half a step after the i-th share of
 * the repository's life, so forks and stars do not fall on the same instants.
 */
export function forkAt(repo: StoredRepo, index: number): { repo: StoredRepo; owner: StoredOwner } {
  const createdAt = isoSeconds(arrivalMs(repo, (index + 0.5) / Math.max(1, repo.forks)));
  const owner: StoredOwner = { login: `forker-${index + 1}`, type: 'User', id: 30_000_000 + index };
  const fork: StoredRepo = {
    owner: owner.login,
    name: repo.name,
    id: 700_000_000 + (repo.id % 100_000) * 10_000 + index,
    stars: 0,
    forks: 0,
    watchers: 0,
    openIssues: 0,
    openPulls: 0,
    sizeKb: repo.sizeKb,
    fork: true,
    license: repo.license ?? null,
    language: repo.language ?? null,
    createdAt,
    updatedAt: createdAt,
    pushedAt: createdAt,
    modifiedMs: Date.parse(createdAt),
  };
  return { repo: fork, owner };
}

/** Open pull request i (0 = newest). Numbers 1..openPulls, newest highest; issues are numbered after them. */
export function pullRequest(api: string, repo: StoredRepo, owner: StoredOwner, index: number) {
  const fullName = `${owner.login}/${repo.name}`;
  const number = repo.openPulls - index;
  const id = repo.id * 10_000 + number;
  return {
    url: `${api}/repos/${fullName}/pulls/${number}`,
    id,
    node_id: nodeId('PR', id),
    html_url: `${WEB}/${fullName}/pull/${number}`,
    number,
    state: 'open',
    locked: false,
    title: `Pull request ${number}`,
    user: simpleUser(api, 'contributor', 7_000_001, 'User'),
    body: null,
    created_at: repo.updatedAt,
    updated_at: repo.updatedAt,
    closed_at: null,
    merged_at: null,
    draft: false,
    head: { label: `contributor:patch-${number}`, ref: `patch-${number}`, sha: '0'.repeat(40) },
    base: { label: `${owner.login}:main`, ref: 'main', sha: '0'.repeat(40) },
  };
}

/** Open issue i (0 = newest) of the /issues list, which (like GitHub's) also holds the open pull requests. */
export function issueOrPull(api: string, repo: StoredRepo, owner: StoredOwner, index: number) {
  const fullName = `${owner.login}/${repo.name}`;
  if (index >= repo.openIssues) {
    const pull = pullRequest(api, repo, owner, index - repo.openIssues);
    return {
      url: `${api}/repos/${fullName}/issues/${pull.number}`,
      id: pull.id,
      node_id: pull.node_id,
      number: pull.number,
      title: pull.title,
      user: pull.user,
      state: 'open',
      html_url: pull.html_url,
      created_at: pull.created_at,
      updated_at: pull.updated_at,
      closed_at: null,
      pull_request: { url: pull.url, html_url: pull.html_url, merged_at: null },
    };
  }
  const number = repo.openPulls + repo.openIssues - index;
  const id = repo.id * 10_000 + number;
  return {
    url: `${api}/repos/${fullName}/issues/${number}`,
    id,
    node_id: nodeId('I', id),
    number,
    title: `Issue ${number}`,
    user: simpleUser(api, 'reporter', 7_000_002, 'User'),
    state: 'open',
    html_url: `${WEB}/${fullName}/issues/${number}`,
    created_at: repo.updatedAt,
    updated_at: repo.updatedAt,
    closed_at: null,
  };
}

export function ownerProfile(api: string, owner: StoredOwner, publicRepos: number) {
  const base = simpleUser(api, owner.login, owner.id, owner.type);
  return {
    ...base,
    repos_url: `${api}/${owner.type === 'Organization' ? 'orgs' : 'users'}/${owner.login}/repos`,
    name: owner.login,
    public_repos: publicRepos,
    created_at: '2015-01-01T00:00:00Z',
  };
}

const DAY_MS = 86_400_000;
/** GitHub keeps traffic for 14 days: today and the 13 before it. */
export const TRAFFIC_DAYS = 14;

/** The days GitHub still serves at `now`: the 14 UTC days up to today, those without traffic left out. */
export function trafficWindow(repo: FakeRepo, kind: 'views' | 'clones', now: number): FakeTrafficDay[] {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const first = today - (TRAFFIC_DAYS - 1) * DAY_MS;
  const stamp = (time: number) => new Date(time).toISOString().replace('.000Z', 'Z');
  let days: FakeTrafficDay[];
  if (repo.traffic !== undefined || repo.trafficModel === undefined) {
    days = (repo.traffic?.[kind] ?? []).filter((day) => Date.parse(day.timestamp) >= first && Date.parse(day.timestamp) <= today);
  } else {
    days = [];
    for (let time = first; time <= today; time += DAY_MS) days.push({ timestamp: stamp(time), ...repo.trafficModel(stamp(time).slice(0, 10), now)[kind] });
  }
  return days.filter((day) => day.count > 0);
}

/** Traffic: totals over the days given; `week` groups days into weeks starting Monday, as GitHub does. */
export function traffic(days: readonly FakeTrafficDay[], per: 'day' | 'week'): { count: number; uniques: number; items: FakeTrafficDay[] } {
  let items = [...days].sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
  if (per === 'week') {
    const weeks = new Map<string, FakeTrafficDay>();
    for (const day of items) {
      const date = new Date(day.timestamp);
      const sinceMonday = (date.getUTCDay() + 6) % 7;
      const monday = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - sinceMonday));
      const weekKey = monday.toISOString().replace('.000Z', 'Z');
      const week = weeks.get(weekKey) ?? { timestamp: weekKey, count: 0, uniques: 0 };
      // Weekly uniques are summed from daily ones: an upper bound, since the fake has no visitor identities.
      weeks.set(weekKey, { timestamp: weekKey, count: week.count + day.count, uniques: week.uniques + day.uniques });
    }
    items = [...weeks.values()];
  }
  return {
    count: items.reduce((sum, d) => sum + d.count, 0),
    uniques: items.reduce((sum, d) => sum + d.uniques, 0),
    items,
  };
}
