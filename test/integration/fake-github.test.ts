// The GitHub fake against the recorded API facts (test/fixtures/api, beside the repository): plain
// fetch on loopback, so what is checked is the wire behaviour a client sees.
import { request as httpRequest, Agent } from 'node:http';
import { parse, validate } from 'graphql';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { githubSchema } from '../fakes/github/graphql-schema.js';
import { startFakeGitHub, type FakeGitHub, type FakeRepo } from '../fakes/github/index.js';
import { apiFixture as fixture } from '../support/api-fixtures.js';



type Json = Record<string, unknown>;
const keysOf = (value: unknown) => Object.keys(value as Json).sort();

const TOKEN = 'ghp_fake_token_for_tests';
const AUTH = { authorization: `Bearer ${TOKEN}` };

function repo(owner: string, name: string, extra: Partial<FakeRepo> = {}): FakeRepo {
  return { owner, name, stars: 10, forks: 2, watchers: 3, openIssues: 4, openPulls: 1, sizeKb: 100, license: 'mit', language: 'Go', ...extra };
}

const WIDGET: FakeRepo = {
  owner: 'acme-corp',
  name: 'widget',
  stars: 12873,
  forks: 1344,
  watchers: 142,
  openIssues: 187,
  openPulls: 24,
  sizeKb: 48210,
  license: 'mit',
  language: 'TypeScript',
  topics: ['widgets'],
  createdAt: '2022-11-14T09:30:41Z',
  updatedAt: '2025-06-02T16:45:12Z',
  releases: [
    { name: 'v3.1.1', tag: 'v3.1.1', createdAt: '2025-04-02T16:40:12Z', assets: [{ name: 'widget-linux-amd64.tar.gz', downloads: 40233 }] },
    {
      name: 'v3.2.0',
      tag: 'v3.2.0',
      createdAt: '2025-05-20T10:01:57Z',
      assets: [
        { name: 'widget-linux-amd64.tar.gz', downloads: 18422 },
        { name: 'widget-darwin-arm64.tar.gz', downloads: 7310 },
      ],
    },
    { name: 'v4.0.0 draft', tag: 'v4.0.0', createdAt: '2025-06-01T00:00:00Z', draft: true, assets: [] },
  ],
  traffic: {
    views: [
      { timestamp: '2025-05-26T00:00:00Z', count: 524, uniques: 175 },
      { timestamp: '2025-05-27T00:00:00Z', count: 1263, uniques: 412 },
    ],
    clones: [{ timestamp: '2025-05-27T00:00:00Z', count: 26, uniques: 15 }],
  },
};

describe('fake GitHub REST', () => {
  let gh: FakeGitHub;

  beforeAll(async () => {
    const many = Array.from({ length: 75 }, (_, i) => repo('big-org', `repo-${String(i).padStart(3, '0')}`));
    gh = await startFakeGitHub({
      token: TOKEN,
      // WIDGET's traffic days fall within the 14 days GitHub serves up to this "today".
      clock: () => Date.parse('2025-06-02T12:00:00Z'),
      owners: [{ login: 'octo-user', type: 'User' }],
      repos: [
        WIDGET,
        repo('acme-corp', 'secret', { private: true }),
        repo('acme-corp', 'locked', { pushAccess: false }),
        repo('octo-user', 'dotfiles'),
        ...many,
      ],
    });
  });
  afterAll(async () => {
    await gh.close();
  });
  afterEach(() => {
    gh.resetRequests();
  });

  it('serves GET /repos/{o}/{r} in the full-repository shape of the fixture', async () => {
    const res = await fetch(`${gh.url}/repos/acme-corp/widget`, { headers: AUTH });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    const expected = fixture<Json>('github_rest_repo.json');
    expect(keysOf(body)).toEqual(keysOf(expected));
    expect(keysOf(body['owner'])).toEqual(keysOf(expected['owner']));
    expect(keysOf(body['license'])).toEqual(keysOf(expected['license']));
    expect(body).toMatchObject({
      full_name: 'acme-corp/widget',
      stargazers_count: 12873,
      watchers_count: 12873,
      subscribers_count: 142,
      forks_count: 1344,
      open_issues_count: 187 + 24,
      size: 48210,
      language: 'TypeScript',
      private: false,
      fork: false,
      archived: false,
      license: { key: 'mit', spdx_id: 'MIT', name: 'MIT License' },
      owner: { login: 'acme-corp', type: 'Organization' },
    });
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('x-ratelimit-resource')).toBe('core');
    expect(res.headers.get('last-modified')).toMatch(/GMT$/);
    // Logins and names are case-insensitive, as on GitHub.
    expect((await fetch(`${gh.url}/repos/ACME-CORP/Widget`, { headers: AUTH })).status).toBe(200);
  });

  it('paginates org repos with a Link header that keeps per_page and points at the fake', async () => {
    const first = await fetch(`${gh.url}/orgs/big-org/repos?per_page=30&sort=full_name`, { headers: AUTH });
    const link = first.headers.get('link') ?? '';
    expect(link).toContain(`<${gh.url}/organizations/`);
    expect(link).toMatch(/per_page=30&sort=full_name&page=2>; rel="next"/);
    expect(link).toMatch(/page=3>; rel="last"/);
    expect(link).not.toContain('rel="prev"');

    const names: string[] = [];
    let url: string | undefined = `${gh.url}/orgs/big-org/repos?per_page=30&sort=full_name`;
    let lastLink = '';
    while (url) {
      const res = await fetch(url, { headers: AUTH });
      expect(res.status).toBe(200);
      names.push(...((await res.json()) as Json[]).map((r) => String(r['name'])));
      lastLink = res.headers.get('link') ?? '';
      url = /<([^>]+)>; rel="next"/.exec(lastLink)?.[1];
    }
    expect(names).toHaveLength(75);
    expect(new Set(names).size).toBe(75);
    expect(names).toEqual([...names].sort());
    expect(lastLink).toMatch(/page=2>; rel="prev".*page=1>; rel="first"/);

    // per_page above 100 is 100; one page needs no Link header.
    const all = await fetch(`${gh.url}/orgs/big-org/repos?per_page=500`, { headers: AUTH });
    expect(((await all.json()) as unknown[]).length).toBe(75);
    expect(all.headers.get('link')).toBeNull();
    const defaults = await fetch(`${gh.url}/orgs/big-org/repos`, { headers: AUTH });
    expect(((await defaults.json()) as unknown[]).length).toBe(30);
  });

  it('lists repositories in the minimal shape, without subscribers_count', async () => {
    const res = await fetch(`${gh.url}/orgs/acme-corp/repos?per_page=100`, { headers: AUTH });
    const list = (await res.json()) as Json[];
    const widget = list.find((r) => r['name'] === 'widget');
    const expectedItem = fixture<Json[]>('github_rest_org_repos.json')[0];
    expect(keysOf(widget)).toEqual(keysOf(expectedItem));
    for (const item of list) {
      expect(item).not.toHaveProperty('subscribers_count');
      expect(item).not.toHaveProperty('network_count');
    }
    expect(widget).toMatchObject({ watchers_count: 12873, watchers: 12873, open_issues_count: 211 });

    const forks = await fetch(`${gh.url}/orgs/acme-corp/repos?type=private`, { headers: AUTH });
    expect(((await forks.json()) as Json[]).map((r) => r['name'])).toEqual(['secret']);

    const userRepos = await fetch(`${gh.url}/users/octo-user/repos`);
    expect(((await userRepos.json()) as Json[]).map((r) => r['full_name'])).toEqual(['octo-user/dotfiles']);
    expect((await fetch(`${gh.url}/orgs/octo-user/repos`)).status).toBe(404);
  });

  it('answers a matching If-None-Match with an empty 304 that costs no rate limit', async () => {
    const first = await fetch(`${gh.url}/repos/acme-corp/widget`, { headers: AUTH });
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^W\/"[0-9a-f]{64}"$/);
    const remaining = Number(first.headers.get('x-ratelimit-remaining'));

    const again = await fetch(`${gh.url}/repos/acme-corp/widget`, { headers: { ...AUTH, 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(Number(again.headers.get('x-ratelimit-remaining'))).toBe(remaining);
    expect(gh.requests.at(-1)).toMatchObject({ status: 304, ifNoneMatch: etag, authenticated: true, graphql: false });

    // A change gives a new body, so a new ETag and a counted 200.
    gh.updateRepo('acme-corp/widget', { stars: 12874 });
    const changed = await fetch(`${gh.url}/repos/acme-corp/widget`, { headers: { ...AUTH, 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(Number(changed.headers.get('x-ratelimit-remaining'))).toBe(remaining - 1);
    expect(((await changed.json()) as Json)['stargazers_count']).toBe(12874);
    gh.updateRepo('acme-corp/widget', { stars: 12873 });

    // If-Modified-Since works as well, when no ETag is sent.
    const current = await fetch(`${gh.url}/repos/acme-corp/widget`, { headers: AUTH });
    const lastModified = current.headers.get('last-modified') ?? '';
    const sinceCall = await fetch(`${gh.url}/repos/acme-corp/widget`, { headers: { ...AUTH, 'if-modified-since': lastModified } });
    expect(sinceCall.status).toBe(304);
    const before = await fetch(`${gh.url}/repos/acme-corp/widget`, {
      headers: { ...AUTH, 'if-modified-since': new Date(Date.parse(lastModified) - 1000).toUTCString() },
    });
    expect(before.status).toBe(200);

    // Lists have ETags too.
    const list = await fetch(`${gh.url}/orgs/big-org/repos`, { headers: AUTH });
    const listAgain = await fetch(`${gh.url}/orgs/big-org/repos`, { headers: { ...AUTH, 'if-none-match': list.headers.get('etag') ?? '' } });
    expect(listAgain.status).toBe(304);
  });

  it('counts anonymous clients against 60 per hour and hides private repositories from them', async () => {
    // A server of its own, so the anonymous bucket starts full.
    const gh = await startFakeGitHub({ token: TOKEN, repos: [WIDGET, repo('acme-corp', 'secret', { private: true })] });
    try {
      await anonymousLimits(gh);
    } finally {
      await gh.close();
    }
  });

  async function anonymousLimits(gh: FakeGitHub): Promise<void> {
    const res = await fetch(`${gh.url}/repos/acme-corp/widget`);
    expect(res.headers.get('x-ratelimit-limit')).toBe('60');
    expect(res.headers.get('x-ratelimit-used')).toBe('1');
    expect(res.headers.get('x-ratelimit-remaining')).toBe('59');
    expect(Number(res.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    expect(keysOf(await res.json())).not.toContain('permissions');

    expect((await fetch(`${gh.url}/repos/acme-corp/secret`)).status).toBe(404);
    const list = (await (await fetch(`${gh.url}/orgs/acme-corp/repos`)).json()) as Json[];
    expect(list.map((r) => r['name'])).not.toContain('secret');
    expect((await fetch(`${gh.url}/repos/acme-corp/secret`, { headers: AUTH })).status).toBe(200);

    // /rate_limit is free.
    const rateLimit = await fetch(`${gh.url}/rate_limit`);
    const rateBody = (await rateLimit.json()) as { resources: Record<string, Json>; rate: Json };
    expect(keysOf(rateBody)).toEqual(keysOf(fixture('github_rest_rate_limit.json')));
    expect(rateBody.resources['core']).toMatchObject({ limit: 60, used: 3, remaining: 57 });
    expect(rateBody.rate).toEqual(rateBody.resources['core']);

    for (let i = 0; i < 57; i++) await (await fetch(`${gh.url}/orgs/acme-corp/repos`)).arrayBuffer();
    const exhausted = await fetch(`${gh.url}/repos/acme-corp/widget`);
    expect(exhausted.status).toBe(403);
    expect(exhausted.headers.get('x-ratelimit-remaining')).toBe('0');
    const body = (await exhausted.json()) as Json;
    expect(body['message']).toMatch(/^API rate limit exceeded for 127\.0\.0\.1\./);
    expect(body['status']).toBe('403');
    // The authenticated bucket is separate.
    expect((await fetch(`${gh.url}/repos/acme-corp/widget`, { headers: AUTH })).status).toBe(200);
  }

  it('reproduces primary and secondary rate-limit failures', async () => {
    gh.failNext({ kind: 'primary', match: /\/repos\/acme-corp\/widget$/, retryAfterSeconds: 30 });
    // Not matching: passes.
    expect((await fetch(`${gh.url}/orgs/acme-corp/repos`, { headers: AUTH })).status).toBe(200);
    const primary = await fetch(`${gh.url}/repos/acme-corp/widget`, { headers: AUTH });
    expect(primary.status).toBe(403);
    expect(primary.headers.get('x-ratelimit-remaining')).toBe('0');
    const reset = Number(primary.headers.get('x-ratelimit-reset'));
    expect(reset).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 29);
    const primaryBody = (await primary.json()) as Json;
    const expectedPrimary = fixture<Json>('github_rest_error_403_rate_limit.json');
    expect(keysOf(primaryBody)).toEqual(keysOf(expectedPrimary));
    expect(primaryBody['message']).toMatch(/^API rate limit exceeded for user ID 1234567\. If you reach out to GitHub Support/);
    expect(primaryBody['documentation_url']).toBe(expectedPrimary['documentation_url']);
    expect((await fetch(`${gh.url}/repos/acme-corp/widget`, { headers: AUTH })).status).toBe(200);

    gh.failNext({ kind: 'secondary', retryAfterSeconds: 7, times: 2 });
    for (let i = 0; i < 2; i++) {
      const secondary = await fetch(`${gh.url}/repos/acme-corp/widget`, { headers: AUTH });
      expect(secondary.status).toBe(403);
      expect(secondary.headers.get('retry-after')).toBe('7');
      expect(Number(secondary.headers.get('x-ratelimit-remaining'))).toBeGreaterThan(0);
      expect(await secondary.json()).toEqual(fixture('github_rest_error_403_secondary_rate_limit.json'));
    }
    expect((await fetch(`${gh.url}/repos/acme-corp/widget`, { headers: AUTH })).status).toBe(200);

    gh.failNext({ kind: 502 });
    expect((await fetch(`${gh.url}/repos/acme-corp/widget`, { headers: AUTH })).status).toBe(502);
  });

  it('exhausts the authenticated core bucket via setRemaining and recovers at reset', async () => {
    const reset = Math.floor(Date.now() / 1000) + 1;
    gh.setRemaining('core', 0, reset);
    const blocked = await fetch(`${gh.url}/repos/acme-corp/widget`, { headers: AUTH });
    expect(blocked.status).toBe(403);
    expect(blocked.headers.get('x-ratelimit-reset')).toBe(String(reset));
    await new Promise((resolve) => setTimeout(resolve, (reset + 1) * 1000 - Date.now()));
    const after = await fetch(`${gh.url}/repos/acme-corp/widget`, { headers: AUTH });
    expect(after.status).toBe(200);
    expect(after.headers.get('x-ratelimit-remaining')).toBe('4999');
  });

  it('answers 401, 404 and 422 with GitHub bodies', async () => {
    const bad = await fetch(`${gh.url}/repos/acme-corp/widget`, { headers: { authorization: 'Bearer wrong' } });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual(fixture('github_rest_error_401.json'));
    expect(gh.requests.at(-1)).toMatchObject({ status: 401, authenticated: false });

    const missing = await fetch(`${gh.url}/repos/acme-corp/no-such-repo`, { headers: AUTH });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual(fixture('github_rest_error_404.json'));
    expect((await fetch(`${gh.url}/orgs/no-such-org/repos`)).status).toBe(404);

    const tooFar = await fetch(`${gh.url}/repos/acme-corp/widget/stargazers?per_page=100&page=401`, { headers: AUTH });
    expect(tooFar.status).toBe(422);
    expect(await tooFar.json()).toEqual(fixture('github_rest_error_422_stargazers_pagination.json'));
  });

  it('serves stargazers with starred_at under the star+json media type', async () => {
    const res = await fetch(`${gh.url}/repos/acme-corp/widget/stargazers?per_page=3`, {
      headers: { ...AUTH, accept: 'application/vnd.github.star+json' },
    });
    const stars = (await res.json()) as Json[];
    const expected = fixture<Json[]>('github_rest_stargazers_star_json.json');
    expect(stars).toHaveLength(3);
    expect(keysOf(stars[0])).toEqual(keysOf(expected[0]));
    expect(keysOf(stars[0]?.['user'])).toEqual(keysOf(expected[0]?.['user']));
    const times = stars.map((s) => Date.parse(String(s['starred_at'])));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // 12,873 stars at 3 per page is 4,291 pages, but only 400 are reachable.
    expect(res.headers.get('link')).toMatch(/page=400>; rel="last"/);

    const plain = (await (await fetch(`${gh.url}/repos/acme-corp/widget/stargazers?per_page=2`, { headers: AUTH })).json()) as Json[];
    expect(plain[0]).toHaveProperty('login');
    expect(plain[0]).not.toHaveProperty('starred_at');
  });

  it('requires push access for traffic', async () => {
    const anonymous = await fetch(`${gh.url}/repos/acme-corp/widget/traffic/views`);
    expect(anonymous.status).toBe(403);
    expect(await anonymous.json()).toEqual(fixture('github_rest_error_403_traffic.json'));
    expect((await fetch(`${gh.url}/repos/acme-corp/locked/traffic/clones`, { headers: AUTH })).status).toBe(403);

    const views = (await (await fetch(`${gh.url}/repos/acme-corp/widget/traffic/views`, { headers: AUTH })).json()) as Json;
    expect(keysOf(views)).toEqual(keysOf(fixture('github_rest_traffic_views.json')));
    expect(views).toMatchObject({ count: 524 + 1263, uniques: 175 + 412 });
    const weekly = (await (await fetch(`${gh.url}/repos/acme-corp/widget/traffic/views?per=week`, { headers: AUTH })).json()) as Json;
    // 2025-05-26 is a Monday: both days fall in one week.
    expect(weekly['views']).toEqual([{ timestamp: '2025-05-26T00:00:00Z', count: 1787, uniques: 587 }]);
    const clones = (await (await fetch(`${gh.url}/repos/acme-corp/widget/traffic/clones`, { headers: AUTH })).json()) as Json;
    expect(keysOf(clones)).toEqual(keysOf(fixture('github_rest_traffic_clones.json')));
  });

  it('lists releases newest first, hiding drafts from anonymous clients', async () => {
    const authenticated = (await (await fetch(`${gh.url}/repos/acme-corp/widget/releases`, { headers: AUTH })).json()) as Json[];
    const expected = fixture<Json[]>('github_rest_releases.json');
    expect(keysOf(authenticated[0])).toEqual(keysOf(expected[0]));
    expect(keysOf((authenticated[1]?.['assets'] as Json[])[0])).toEqual(keysOf((expected[0]?.['assets'] as Json[])[0]));
    expect(authenticated.map((r) => r['tag_name'])).toEqual(['v4.0.0', 'v3.2.0', 'v3.1.1']);
    expect(authenticated[0]).toMatchObject({ draft: true, published_at: null });
    expect((authenticated[1]?.['assets'] as Json[]).map((a) => a['download_count'])).toEqual([18422, 7310]);

    const anonymous = (await (await fetch(`${gh.url}/repos/acme-corp/widget/releases`)).json()) as Json[];
    expect(anonymous.map((r) => r['tag_name'])).toEqual(['v3.2.0', 'v3.1.1']);
  });

  it('lists open pull requests with pagination', async () => {
    const res = await fetch(`${gh.url}/repos/acme-corp/widget/pulls?state=open&per_page=10&page=3`, { headers: AUTH });
    const pulls = (await res.json()) as Json[];
    expect(pulls).toHaveLength(4);
    expect(pulls.every((p) => p['state'] === 'open')).toBe(true);
    expect(res.headers.get('link')).toMatch(/page=2>; rel="prev"/);
    expect(res.headers.get('link')).not.toContain('rel="next"');
    const closed = (await (await fetch(`${gh.url}/repos/acme-corp/widget/pulls?state=closed`, { headers: AUTH })).json()) as unknown[];
    expect(closed).toEqual([]);
  });

  it('tracks addRepo, updateRepo and removeRepo', async () => {
    gh.addRepo(repo('acme-corp', 'fresh', { stars: 5 }));
    expect(((await (await fetch(`${gh.url}/repos/acme-corp/fresh`, { headers: AUTH })).json()) as Json)['stargazers_count']).toBe(5);
    gh.removeRepo('acme-corp/fresh');
    expect((await fetch(`${gh.url}/repos/acme-corp/fresh`, { headers: AUTH })).status).toBe(404);
    expect(() => gh.updateRepo('acme-corp/fresh', { stars: 1 })).toThrow(/no repository acme-corp\/fresh/);
    expect(() => gh.addRepo(repo('acme-corp', 'bad', { stars: -1 }))).toThrow(/stars must be a non-negative integer/);
  });
});

describe('fake GitHub GraphQL', () => {
  let gh: FakeGitHub;
  const orgRequest = fixture<{ query: string; variables: Json }>('github_graphql_org_repos_request.json');

  async function graphql(query: string, variables: Json = {}, headers: Record<string, string> = AUTH) {
    const res = await fetch(`${gh.url}/graphql`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    return { res, body: (await res.json()) as { data?: Json | null; errors?: Json[]; message?: string } };
  }

  beforeAll(async () => {
    const repos = Array.from({ length: 250 }, (_, i) =>
      repo('acme-corp', `repo-${String(i).padStart(3, '0')}`, {
        stars: i,
        watchers: i + 1,
        openIssues: i % 7,
        openPulls: i % 3,
        archived: i % 50 === 0,
        releases:
          i === 7
            ? [
                { name: 'one', tag: 'v1', createdAt: '2025-01-01T00:00:00Z', assets: [{ name: 'a.tgz', downloads: 3 }] },
                { name: 'two', tag: 'v2', createdAt: '2025-02-01T00:00:00Z', assets: [{ name: 'b.tgz', downloads: 4 }, { name: 'c.zip', downloads: 5 }] },
              ]
            : [],
      }),
    );
    gh = await startFakeGitHub({ token: TOKEN, owners: [{ login: 'octo-user', type: 'User' }], repos });
  });
  afterAll(async () => {
    await gh.close();
  });

  it('accepts the example org query and pages through 250 repositories', async () => {
    const names: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    let lastRemaining = Number.POSITIVE_INFINITY;
    for (;;) {
      const { res, body } = await graphql(orgRequest.query, { org: 'acme-corp', cursor });
      expect(res.status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(res.headers.get('x-ratelimit-resource')).toBe('graphql');
      const data = body.data as { organization: { repositories: Json }; rateLimit: Json };
      const connection = data.organization.repositories as { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: Json[] };
      expect(connection.totalCount).toBe(250);
      expect(keysOf(data.rateLimit)).toEqual(keysOf(fixture<{ data: Json }>('github_graphql_org_repos.json').data['rateLimit']));
      const remaining = Number(data.rateLimit['remaining']);
      expect(remaining).toBe(lastRemaining === Number.POSITIVE_INFINITY ? 4999 : lastRemaining - 1);
      expect(res.headers.get('x-ratelimit-remaining')).toBe(String(remaining));
      lastRemaining = remaining;
      names.push(...connection.nodes.map((n) => String(n['name'])));
      pages++;
      if (!connection.pageInfo.hasNextPage) break;
      cursor = connection.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    // GitHub's node count: 100 repositories + 100 × 1 release + 100 × 1 × 20 assets.
    const { body: priced } = await graphql(orgRequest.query, { org: 'acme-corp', cursor: null });
    expect((priced.data as { rateLimit: Json }).rateLimit['nodeCount']).toBe(100 + 100 + 2000);
    expect(names).toHaveLength(250);
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(250);

    const { body } = await graphql(orgRequest.query, { org: 'acme-corp', cursor: null });
    const nodes = (body.data as { organization: { repositories: { nodes: Json[] } } }).organization.repositories.nodes;
    expect(nodes[7]).toMatchObject({
      name: 'repo-007',
      nameWithOwner: 'acme-corp/repo-007',
      stargazerCount: 7,
      watchers: { totalCount: 8 },
      issues: { totalCount: 0 },
      pullRequests: { totalCount: 1 },
      releases: { totalCount: 2, nodes: [{ tagName: 'v2', publishedAt: '2025-02-01T00:00:00Z', releaseAssets: { nodes: [{ name: 'b.tgz', downloadCount: 4 }, { name: 'c.zip', downloadCount: 5 }] } }] },
    });
    expect(nodes[0]).toMatchObject({ isArchived: true, diskUsage: 100 });
  });

  it('validates the example query against the public schema', () => {
    expect(validate(githubSchema(), parse(orgRequest.query))).toEqual([]);
  });

  it('prices rateLimit(dryRun: true) without charging or running the query', async () => {
    const before = await graphql('{ rateLimit { remaining } }');
    const remaining = Number((before.body.data as { rateLimit: Json }).rateLimit['remaining']);
    const dry = await graphql('{ rateLimit(dryRun: true) { cost remaining nodeCount } repositoryOwner(login: "acme-corp") { login } }');
    expect(dry.body.data).toEqual({ rateLimit: { cost: 1, remaining, nodeCount: 0 }, repositoryOwner: null });
    expect(dry.res.headers.get('x-ratelimit-remaining')).toBe(String(remaining));
  });

  it('answers repositoryOwner, repository, viewer and filtered repositories', async () => {
    const { body } = await graphql(`query($login: String!) {
      viewer { login }
      owner: repositoryOwner(login: $login) {
        __typename login
        repositories(first: 5, isArchived: true, orderBy: {field: STARGAZERS, direction: DESC}) { totalCount nodes { name stargazerCount } }
      }
      repository(owner: "acme-corp", name: "repo-007") {
        id databaseId owner { login __typename } licenseInfo { key spdxId name } primaryLanguage { name }
        releases(last: 1) { totalCount pageInfo { hasNextPage hasPreviousPage } nodes { name isDraft createdAt releaseAssets(first: 1) { totalCount pageInfo { hasNextPage endCursor } } } }
      }
    }`, { login: 'acme-corp' });
    expect(body.errors).toBeUndefined();
    expect(body.data).toMatchObject({
      viewer: { login: 'footprint-bot' },
      owner: { __typename: 'Organization', login: 'acme-corp', repositories: { totalCount: 5, nodes: [{ name: 'repo-200' }, { name: 'repo-150' }, { name: 'repo-100' }, { name: 'repo-050' }, { name: 'repo-000' }] } },
      repository: {
        owner: { login: 'acme-corp', __typename: 'Organization' },
        licenseInfo: { key: 'mit', spdxId: 'MIT', name: 'MIT License' },
        primaryLanguage: { name: 'Go' },
        releases: { totalCount: 2, pageInfo: { hasNextPage: false, hasPreviousPage: true }, nodes: [{ name: 'two', isDraft: false, releaseAssets: { totalCount: 2, pageInfo: { hasNextPage: true } } }] },
      },
    });
    const repository = (body.data as { repository: Json }).repository;
    expect(typeof repository['id']).toBe('string');
    expect(typeof repository['databaseId']).toBe('number');
  });

  it('returns validation errors with HTTP 200', async () => {
    const query = 'query { repository(owner: "acme-corp", name: "repo-001") { bogusField } }';
    const { res, body } = await graphql(query);
    expect(res.status).toBe(200);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]).toMatchObject({
      message: "Field 'bogusField' doesn't exist on type 'Repository'",
      locations: [{ line: 1, column: query.indexOf('bogusField') + 1 }],
    });
    const syntax = await graphql('query { repository(');
    expect(syntax.res.status).toBe(200);
    expect(syntax.body.errors?.[0]?.['message']).toMatch(/Syntax Error/);
  });

  it('enforces first/last bounds on connections like GitHub', async () => {
    const tooMany = await graphql('{ organization(login: "acme-corp") { repositories(first: 101) { nodes { name } } } }');
    expect(tooMany.res.status).toBe(200);
    expect(tooMany.body.errors?.[0]).toMatchObject({
      type: 'EXCESSIVE_PAGINATION',
      path: ['organization', 'repositories'],
      message: 'Requesting 101 records on the `repositories` connection exceeds the `first` limit of 100 records.',
    });
    const unbounded = await graphql('query($n: Int) { organization(login: "acme-corp") { repositories(first: $n) { nodes { name } } } }', { n: null });
    expect(unbounded.body.errors?.[0]?.['message']).toBe('You must provide a `first` or `last` value to properly paginate the `repositories` connection.');
    const both = await graphql('{ organization(login: "acme-corp") { repositories(first: 1, last: 1) { nodes { name } } } }');
    expect(both.body.errors?.[0]?.['message']).toBe('Passing both `first` and `last` to paginate the `repositories` connection is not supported.');
    // A connection asked only for totalCount needs no bounds.
    const countOnly = await graphql('{ organization(login: "acme-corp") { repositories { totalCount } } }');
    expect(countOnly.body).toEqual({ data: { organization: { repositories: { totalCount: 250 } } } });
    const huge = await graphql('{ organization(login: "acme-corp") { repositories(first: 100) { nodes { releases(first: 100) { nodes { releaseAssets(first: 100) { nodes { name } } } } } } } }');
    expect(huge.body.errors?.[0]).toMatchObject({ type: 'MAX_NODE_LIMIT_EXCEEDED' });
    const badCursor = await graphql('{ organization(login: "acme-corp") { repositories(first: 1, after: "nope") { nodes { name } } } }');
    expect(badCursor.body.errors?.[0]).toMatchObject({ type: 'INVALID_CURSOR_ARGUMENTS', message: '`nope` does not appear to be a valid cursor.' });
  });

  it('resolves unknown owners like GitHub', async () => {
    const owner = await graphql('{ repositoryOwner(login: "no-such-org") { login } }');
    expect(owner.body).toEqual({ data: { repositoryOwner: null } });

    const org = await graphql('{\n  organization(login: "no-such-org") { login }\n  rateLimit { cost limit remaining used resetAt nodeCount }\n}');
    const expected = fixture<{ data: Json; errors: Json[] }>('github_graphql_error_not_found.json');
    expect(org.body.data?.['organization']).toBeNull();
    expect(org.body.errors).toEqual(expected.errors);
    expect(keysOf(org.body.data?.['rateLimit'])).toEqual(keysOf(expected.data['rateLimit']));

    const user = await graphql('{ user(login: "acme-corp") { login } }');
    expect(user.body.errors?.[0]).toMatchObject({ type: 'NOT_FOUND', message: "Could not resolve to a User with the login of 'acme-corp'." });
    const userOk = await graphql('{ user(login: "octo-user") { login } }');
    expect(userOk.body).toEqual({ data: { user: { login: 'octo-user' } } });
  });

  it('reports an exhausted graphql bucket as RATE_LIMITED with HTTP 200', async () => {
    gh.setRemaining('graphql', 0);
    const { res, body } = await graphql('{ viewer { login } }');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(body).toEqual(fixture('github_graphql_error_rate_limited.json'));
    gh.setRemaining('graphql', 100);

    gh.failNext({ kind: 'primary', match: /RepoQuery/ });
    const other = await graphql('query Other { viewer { login } }');
    expect(other.body.errors).toBeUndefined();
    const limited = await graphql('query RepoQuery { viewer { login } }');
    expect(limited.body.errors?.[0]).toMatchObject({ type: 'RATE_LIMITED' });
    expect(limited.res.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(gh.requests.at(-1)).toMatchObject({ graphql: true, path: '/graphql', graphqlQuery: 'query RepoQuery { viewer { login } }' });

    gh.failNext({ kind: 'secondary', retryAfterSeconds: 3 });
    const secondary = await graphql('{ viewer { login } }');
    expect(secondary.res.status).toBe(403);
    expect(secondary.res.headers.get('retry-after')).toBe('3');
  });

  it('requires authentication', async () => {
    const anonymous = await graphql('{ viewer { login } }', {}, {});
    expect(anonymous.res.status).toBe(401);
    expect(anonymous.body).toEqual(fixture('github_graphql_error_401.json'));
    const wrong = await graphql('{ viewer { login } }', {}, { authorization: 'bearer nope' });
    expect(wrong.res.status).toBe(401);
    expect(wrong.body.message).toBe('Bad credentials');
  });
});

describe('fake GitHub server', () => {
  it('adds latencyMs to every response', async () => {
    const gh = await startFakeGitHub({ latencyMs: 120, repos: [repo('acme-corp', 'widget')] });
    try {
      const started = performance.now();
      expect((await fetch(`${gh.url}/repos/acme-corp/widget`)).status).toBe(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    } finally {
      await gh.close();
    }
  });

  it('closes promptly with keep-alive connections and requests still waiting', async () => {
    const gh = await startFakeGitHub({ latencyMs: 10_000, repos: [repo('acme-corp', 'widget')] });
    const agent = new Agent({ keepAlive: true });
    const pending = new Promise<string>((resolve) => {
      const req = httpRequest(`${gh.url}/repos/acme-corp/widget`, { agent }, () => resolve('answered'));
      req.on('error', () => resolve('closed'));
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await gh.close();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await pending).toBe('closed');
    agent.destroy();
  });
});
