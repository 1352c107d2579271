// The GitHub source against the loopback fake: GraphQL with a token, REST with ETags without one,
// target errors, auth failure, rate limits, retries and stopping.
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import pino from 'pino';
import type { Sample } from '../../shared/metrics.js';
import { RateLimitedError } from '../../electron/core/source.js';
import type { CollectResult } from '../../electron/core/source.js';
import { createGitHubSource, githubConfigSchema, githubSource } from '../../electron/core/sources/github/index.js';
import type { GitHubSourceOptions } from '../../electron/core/sources/github/index.js';
import { startFakeGitHub } from '../fakes/github/index.js';
import type { FakeGitHub, FakeRelease, FakeRepo, RecordedRequest } from '../fakes/github/index.js';
import { fakeGitHubToken } from '../support/test-tokens.js';
import { closedAfterEach } from '../support/closed-after-each.js';
import { collectContext as context } from '../support/collect-context.js';

const TOKEN = fakeGitHubToken();
/** Test waits: a "second" GitHub asks for lasts 5 ms here; backoff after a 5xx starts at 5 ms. */
const FAST: GitHubSourceOptions = { retryAfterUnitMs: 5, retryDelayMs: 5 };

const fakeGitHub = closedAfterEach(startFakeGitHub);

/** A deterministic spread of values, so every repository differs from its neighbours. */
function makeRepo(owner: string, index: number, overrides: Partial<FakeRepo> = {}): FakeRepo {
  const releases: FakeRelease[] =
    index % 7 === 0
      ? [
          {
            name: `Release ${index}`,
            tag: `v${index}.0.0`,
            createdAt: new Date(Date.UTC(2025, 0, 1 + (index % 28))).toISOString(),
            assets: [
              // Uploaded after the release was created: created_at is the asset's time.
              { name: `tool-${index}-linux.tar.gz`, downloads: 100 + index, createdAt: new Date(Date.UTC(2025, 0, 2 + (index % 28), 9, 30)).toISOString() },
              { name: `tool-${index}-darwin.tar.gz`, downloads: 50 + index },
            ],
          },
          // An unnamed release has an empty release label, as in github-exporter.
          { name: '', tag: `v${index}.1.0`, createdAt: new Date(Date.UTC(2025, 1, 1 + (index % 28))).toISOString(), assets: [{ name: 'src.zip', downloads: index }] },
        ]
      : [];
  return {
    owner,
    name: `repo-${String(index).padStart(3, '0')}`,
    stars: (index * 37) % 1000,
    forks: (index * 11) % 97,
    watchers: 1 + ((index * 5) % 43),
    openIssues: (index * 3) % 17,
    openPulls: (index * 2) % 9,
    sizeKb: 100 + index * 13,
    fork: index % 10 === 3,
    archived: index % 10 === 4,
    private: index % 10 === 5,
    license: index % 4 === 0 ? null : index % 4 === 1 ? 'mit' : 'apache-2.0',
    language: index % 3 === 0 ? null : index % 3 === 1 ? 'TypeScript' : 'Go',
    releases,
    ...overrides,
  };
}


/** Traffic (its own REST requests, on its own interval) is off unless a test asks: github-traffic.test.ts covers it. */
function source(fake: FakeGitHub, config: Record<string, unknown>, options: GitHubSourceOptions = FAST) {
  return createGitHubSource(githubConfigSchema.parse({ apiUrl: fake.url, interval: '1s', traffic: { enabled: false }, ...config }), options);
}

function find(samples: readonly Sample[], metric: string, labels: Record<string, string>): Sample[] {
  return samples.filter((sample) => sample.metric === metric && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
}

function valueOf(samples: readonly Sample[], metric: string, labels: Record<string, string> = {}): number | undefined {
  const found = find(samples, metric, labels);
  expect(found.length, `${metric} ${JSON.stringify(labels)} series`).toBeLessThanOrEqual(1);
  return found[0]?.value;
}

/** Every value the source reports for a repository, checked against the fake's data. */
function expectRepository(samples: readonly Sample[], repo: FakeRepo): void {
  const labels = {
    repo: repo.name,
    user: repo.owner,
    private: String(repo.private === true),
    fork: String(repo.fork === true),
    archived: String(repo.archived === true),
    license: repo.license ?? '',
    language: repo.language ?? '',
  };
  const where = `${repo.owner}/${repo.name}`;
  expect(find(samples, 'github_repo_stars', { repo: repo.name, user: repo.owner }), where).toEqual([{ metric: 'github_repo_stars', labels, value: repo.stars }]);
  expect(valueOf(samples, 'github_repo_forks', labels), where).toBe(repo.forks);
  expect(valueOf(samples, 'github_repo_watchers', labels), where).toBe(repo.watchers);
  expect(valueOf(samples, 'github_repo_size_kb', labels), where).toBe(repo.sizeKb);
  expect(valueOf(samples, 'github_repo_open_issues', labels), where).toBe(repo.openIssues);
  expect(valueOf(samples, 'github_repo_pull_request_count', { repo: repo.name, user: repo.owner }), where).toBe(repo.openPulls);
  const expectedDownloads = (repo.releases ?? [])
    .filter((release) => release.draft !== true)
    .flatMap((release) =>
      release.assets.map((asset) => ({
        metric: 'github_repo_release_downloads',
        labels: { repo: repo.name, user: repo.owner, release: release.name, name: asset.name, tag: release.tag, created_at: (asset.createdAt ?? release.createdAt).replace('.000Z', 'Z') },
        value: asset.downloads,
      })),
    );
  const downloads = find(samples, 'github_repo_release_downloads', { repo: repo.name, user: repo.owner });
  const byKey = (sample: Sample) => `${sample.labels['tag']}/${sample.labels['name']}`;
  expect([...downloads].sort((a, b) => byKey(a).localeCompare(byKey(b))), where).toEqual(
    [...expectedDownloads].sort((a, b) => byKey(a).localeCompare(byKey(b))),
  );
}

function repositoriesIn(samples: readonly Sample[]): string[] {
  return find(samples, 'github_repo_stars', {})
    .map((sample) => `${sample.labels['user']}/${sample.labels['repo']}`)
    .sort();
}

// The default include filter keeps every repository the token can see: forks too, as github-exporter lists them.
const included = (repo: FakeRepo) => repo.owner !== '';

/** The poll's requests besides the daily contributor counts (one REST request per repository). */
const withoutContributors = (requests: readonly RecordedRequest[]) => requests.filter((request) => !request.path.includes('/contributors'));
const contributorRequests = (requests: readonly RecordedRequest[]) => requests.filter((request) => request.path.includes('/contributors'));

describe('GitHub source with a token (GraphQL)', () => {
  it('collects 250 repositories across an organization and a user, values equal to GitHub, within the request budget', async () => {
    const orgRepos = Array.from({ length: 150 }, (_, index) => makeRepo('acme', index));
    const userRepos = Array.from({ length: 100 }, (_, index) => makeRepo('octo', 1000 + index));
    const fake = await fakeGitHub({ repos: [...orgRepos, ...userRepos], owners: [{ login: 'acme', type: 'Organization' }, { login: 'octo', type: 'User' }], token: TOKEN });
    const { ctx, statuses } = context();

    const result = await source(fake, { token: TOKEN, orgs: ['acme'], users: ['octo'] }).collect(ctx);

    expect(result.errors).toEqual([]);
    const expected = [...orgRepos, ...userRepos].filter(included);
    expect(repositoriesIn(result.samples)).toEqual(expected.map((repo) => `${repo.owner}/${repo.name}`).sort());
    for (const repo of expected) expectRepository(result.samples, repo);

    expect(valueOf(result.samples, 'github_owner_repositories', { user: 'acme' })).toBe(orgRepos.filter(included).length);
    expect(valueOf(result.samples, 'github_owner_stars', { user: 'acme' })).toBe(orgRepos.filter(included).reduce((sum, repo) => sum + repo.stars, 0));
    expect(valueOf(result.samples, 'github_owner_repositories', { user: 'octo' })).toBe(userRepos.filter(included).length);

    // Budget: ceil(N/100) + owners + 2 GraphQL requests, each counted once with its status; the only REST
    // requests are the contributor counts (one per repository, at most CONTRIBUTORS_PER_POLL a poll).
    const budget = Math.ceil(expected.length / 100) + 2 + 2;
    const graphql = withoutContributors(fake.requests);
    expect(graphql.length).toBeLessThanOrEqual(budget);
    expect(graphql.every((request) => request.graphql && request.authenticated && request.status === 200)).toBe(true);
    expect(contributorRequests(fake.requests)).toHaveLength(100);
    expect(statuses).toEqual(fake.requests.map((request) => request.status));

    // The graphql budget is read inside the queries: the fake charged one point per query.
    expect(valueOf(result.samples, 'github_rate_limit', { resource: 'graphql' })).toBe(5000);
    expect(valueOf(result.samples, 'github_rate_remaining', { resource: 'graphql' })).toBe(5000 - graphql.length);
    // The contributor counts spent the core budget, named by x-ratelimit-resource.
    expect(valueOf(result.samples, 'github_rate_remaining', { resource: 'core' })).toBe(5000 - 100);
    const reset = valueOf(result.samples, 'github_rate_reset', { resource: 'graphql' })!;
    expect(reset).toBeGreaterThan(Date.now() / 1000);
    expect(reset).toBeLessThanOrEqual(Date.now() / 1000 + 3600);
  });

  it('counts a repository reached through an organization and github.repos once', async () => {
    const repos = [makeRepo('acme', 1), makeRepo('acme', 2), makeRepo('other', 3)];
    const fake = await fakeGitHub({ repos, token: TOKEN });
    const { ctx } = context();

    const result = await source(fake, { token: TOKEN, orgs: ['acme'], repos: ['ACME/repo-001', 'acme/repo-001', 'other/repo-003'] }).collect(ctx);

    expect(result.errors).toEqual([]);
    expect(repositoriesIn(result.samples)).toEqual(['acme/repo-001', 'acme/repo-002', 'other/repo-003']);
    for (const repo of repos) expectRepository(result.samples, repo);
    expect(valueOf(result.samples, 'github_owner_repositories', { user: 'acme' })).toBe(2);
    expect(find(result.samples, 'github_owner_repositories', { user: 'other' })).toEqual([]);
    // Every series exactly once: a duplicate would break the exporter.
    const keys = result.samples.map((sample) => `${sample.metric}${JSON.stringify(sample.labels)}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('applies the include filters to organization and user listings', async () => {
    const repos = [
      makeRepo('acme', 1, { fork: false, archived: false, private: false }),
      makeRepo('acme', 2, { fork: true, archived: false, private: false }),
      makeRepo('acme', 3, { fork: false, archived: true, private: false }),
      makeRepo('acme', 4, { fork: false, archived: false, private: true }),
    ];
    const fake = await fakeGitHub({ repos, token: TOKEN });

    // Forks count by default, as in github-exporter; include.forks: false leaves them out.
    const defaults = await source(fake, { token: TOKEN, orgs: ['acme'] }).collect(context().ctx);
    expect(repositoriesIn(defaults.samples)).toEqual(['acme/repo-001', 'acme/repo-002', 'acme/repo-003', 'acme/repo-004']);
    const noForks = await source(fake, { token: TOKEN, orgs: ['acme'], include: { forks: false } }).collect(context().ctx);
    expect(repositoriesIn(noForks.samples)).toEqual(['acme/repo-001', 'acme/repo-003', 'acme/repo-004']);

    const publicOnly = await source(fake, { token: TOKEN, orgs: ['acme'], include: { forks: true, archived: false, private: false } }).collect(context().ctx);
    expect(repositoriesIn(publicOnly.samples)).toEqual(['acme/repo-001', 'acme/repo-002']);
    expect(valueOf(publicOnly.samples, 'github_owner_repositories', { user: 'acme' })).toBe(2);
    expect(valueOf(publicOnly.samples, 'github_owner_stars', { user: 'acme' })).toBe(repos[0]!.stars + repos[1]!.stars);
  });

  it('completes release downloads beyond the inline window with follow-up queries for that repository only', async () => {
    const manyReleases: FakeRelease[] = Array.from({ length: 60 }, (_, index) => ({
      name: `Release ${index}`,
      tag: `v1.${index}.0`,
      createdAt: new Date(Date.UTC(2024, 0, 1, index)).toISOString(),
      draft: index === 59,
      // Release 30 has 130 assets: more than a follow-up page, so its assets need two follow-ups.
      assets: Array.from({ length: index === 30 ? 130 : index % 2 === 0 ? 30 : 2 }, (_, asset) => ({ name: `asset-${asset}.bin`, downloads: index * 1000 + asset })),
    }));
    const repos = [makeRepo('acme', 1, { releases: manyReleases }), ...Array.from({ length: 5 }, (_, index) => makeRepo('acme', 10 + index))];
    const fake = await fakeGitHub({ repos, token: TOKEN });
    const { ctx } = context();

    const result = await source(fake, { token: TOKEN, orgs: ['acme'] }).collect(ctx);

    expect(result.errors).toEqual([]);
    expect(repositoriesIn(result.samples)).toEqual(repos.filter(included).map((repo) => `acme/${repo.name}`));
    for (const repo of repos.filter(included)) expectRepository(result.samples, repo);
    const downloads = find(result.samples, 'github_repo_release_downloads', { repo: 'repo-001' });
    expect(downloads).toHaveLength(manyReleases.filter((release) => !release.draft).reduce((sum, release) => sum + release.assets.length, 0));
    const followUps = fake.requests.filter((request) => request.graphqlQuery?.includes('ReleaseFollowUps'));
    expect(followUps.length).toBeGreaterThan(0);
    expect(followUps.length).toBeLessThanOrEqual(3);
    expect(withoutContributors(fake.requests).length).toBeLessThanOrEqual(1 + followUps.length);
  });

  it('reports a repository whose follow-up release query fails, keeping its other metrics and no partial downloads', async () => {
    const releases: FakeRelease[] = Array.from({ length: 30 }, (_, index) => ({
      name: `R${index}`,
      tag: `r${index}`,
      createdAt: new Date(Date.UTC(2024, 0, 1, index)).toISOString(),
      assets: [{ name: 'a.tgz', downloads: index }],
    }));
    const repos = [makeRepo('acme', 1, { releases }), makeRepo('acme', 7)];
    const fake = await fakeGitHub({ repos, token: TOKEN });
    fake.failNext({ kind: 502, match: /query ReleaseFollowUps/, times: 3 });

    const result = await source(fake, { token: TOKEN, orgs: ['acme'] }).collect(context().ctx);

    expect(result.errors).toEqual([
      {
        target: 'repo:acme/repo-001',
        message: expect.stringMatching(/^release downloads of repository 'acme\/repo-001' could not be read completely \(GitHub answered 502: .+\); its other metrics are reported$/),
      },
    ]);
    expect(valueOf(result.samples, 'github_repo_stars', { repo: 'repo-001' })).toBe(repos[0]!.stars);
    expect(find(result.samples, 'github_repo_release_downloads', { repo: 'repo-001' })).toEqual([]);
    expectRepository(result.samples, repos[1]!);
  });

  it('reports an unknown organization and repository as target errors while the other targets work', async () => {
    const repos = [makeRepo('acme', 1), makeRepo('acme', 2)];
    const fake = await fakeGitHub({ repos, token: TOKEN });
    const { ctx } = context();

    const result = await source(fake, { token: TOKEN, orgs: ['acme', 'no-such-org'], users: ['nobody-here'], repos: ['acme/missing', 'acme/repo-002'] }).collect(ctx);

    expect(result.errors).toEqual(
      expect.arrayContaining([
        { target: 'org:no-such-org', message: "organization 'no-such-org' not found — check github.orgs" },
        { target: 'user:nobody-here', message: "user 'nobody-here' not found — check github.users" },
        { target: 'repo:acme/missing', message: "repository 'acme/missing' not found — check github.repos" },
      ]),
    );
    expect(result.errors).toHaveLength(3);
    for (const repo of repos) expectRepository(result.samples, repo);
  });

  it('reports GraphQL errors beside the data as the organization\'s error, said once with a count, not one warning each (issue 13)', async () => {
    const broken = Array.from({ length: 54 }, (_, index) => makeRepo('acme', 10 + index, { nullFields: ['forkCount'] }));
    const fake = await fakeGitHub({ repos: [makeRepo('acme', 1), makeRepo('acme', 2), ...broken], token: TOKEN });
    const { ctx, logLines } = context();

    const result = await source(fake, { token: TOKEN, orgs: ['acme'] }).collect(ctx);

    expect(result.errors).toEqual([
      {
        target: 'org:acme',
        message: "GitHub left out 54 repositories of organization 'acme' beside the data: Cannot return null for non-nullable field Repository.forkCount. (× 54); the other figures are reported",
      },
    ]);
    expect(result.collected).toBeGreaterThan(0);
    expect(repositoriesIn(result.samples)).toEqual(['acme/repo-001', 'acme/repo-002']);
    const warnings = logLines.filter((line) => line.includes('beside the data'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('(× 54)');
  });

  it('reports a target whose server errors outlast the retries, while the others work', async () => {
    const repos = [makeRepo('acme', 1), makeRepo('octo', 2)];
    const fake = await fakeGitHub({ repos, token: TOKEN });
    fake.failNext({ kind: 502, match: /query OwnerRepositories/, times: 3 });
    const { ctx, statuses } = context();

    const result = await source(fake, { token: TOKEN, orgs: ['acme'], repos: ['octo/repo-002'] }).collect(ctx);

    expect(result.errors).toEqual([{ target: 'org:acme', message: expect.stringMatching(/^GitHub answered 502 for organization 'acme': /) }]);
    expectRepository(result.samples, repos[1]!);
    expect(find(result.samples, 'github_repo_stars', { user: 'acme' })).toEqual([]);
    expect(statuses.filter((status) => status === 502)).toHaveLength(3);
  });

  it('fails the whole collection when GitHub cannot be reached at all', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const apiUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const { ctx, statuses } = context();

    const error = await createGitHubSource(githubConfigSchema.parse({ apiUrl, token: TOKEN, orgs: ['acme', 'other'], repos: ['a/b'] }), FAST)
      .collect(ctx)
      .then(() => null, (caught: unknown) => caught as Error);

    expect(error?.message).toMatch(new RegExp(`^GitHub could not be reached at ${apiUrl}: .+ — check github.apiUrl and the network$`));
    expect(error?.message).not.toContain(TOKEN);
    // Three requests: four failures in a row mark GitHub down, so no retry starts after that (one
    // already on its way may go out); without the guard each was tried three times (nine).
    expect(statuses.every((status) => status === 'error')).toBe(true);
    expect(statuses.length).toBeGreaterThanOrEqual(4);
    expect(statuses.length).toBeLessThanOrEqual(6);
  });

  it('fails the whole collection on a rejected token, naming github.token and never the token', async () => {
    const fake = await fakeGitHub({ repos: [makeRepo('acme', 1)], token: 'the-right-token' });
    const { ctx, logLines, statuses } = context();

    const error = await source(fake, { token: TOKEN, orgs: ['acme'] })
      .collect(ctx)
      .then(() => null, (caught: unknown) => caught as Error);

    expect(error).toBeInstanceOf(Error);
    expect(error!.message).toMatch(/invalid or expired/);
    expect(error!.message).toContain('github.token');
    expect(`${error!.message}\n${error!.stack}`).not.toContain(TOKEN);
    expect(logLines.join('\n')).not.toContain(TOKEN);
    expect(statuses).toEqual([401]);
  });

  it('waits out a secondary limit with a short retry-after and succeeds', async () => {
    const repos = [makeRepo('acme', 1)];
    const fake = await fakeGitHub({ repos, token: TOKEN });
    fake.failNext({ kind: 'secondary', retryAfterSeconds: 2 });
    const { ctx, statuses } = context();

    const result = await source(fake, { token: TOKEN, orgs: ['acme'] }).collect(ctx);

    expect(result.errors).toEqual([]);
    expectRepository(result.samples, repos[0]!);
    expect(withoutContributors(fake.requests).map((request) => request.status)).toEqual([403, 200]);
    expect(statuses).toEqual([403, 200, 200]);
  });

  it('throws RateLimitedError with the reset time when the primary limit resets far ahead', async () => {
    const fake = await fakeGitHub({ repos: [makeRepo('acme', 1)], token: TOKEN });
    fake.failNext({ kind: 'primary', retryAfterSeconds: 1800, times: 5 });
    const before = Date.now();

    const error = await source(fake, { token: TOKEN, orgs: ['acme'] })
      .collect(context().ctx)
      .then(() => null, (caught: unknown) => caught);

    expect(error).toBeInstanceOf(RateLimitedError);
    const retryAt = (error as RateLimitedError).retryAt;
    expect(retryAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 1_799_000);
    expect(retryAt).toBeLessThanOrEqual(Date.now() + 1_801_000);
    // No blind retrying against an exhausted budget.
    expect(fake.requests).toHaveLength(1);
  });

  it('retries a primary limit that resets within a minute in-process', async () => {
    const repos = [makeRepo('acme', 1)];
    const fake = await fakeGitHub({ repos, token: TOKEN });
    fake.failNext({ kind: 'primary', retryAfterSeconds: 3 });

    const result = await source(fake, { token: TOKEN, orgs: ['acme'] }).collect(context().ctx);

    expect(result.errors).toEqual([]);
    expectRepository(result.samples, repos[0]!);
    expect(withoutContributors(fake.requests)).toHaveLength(2);
  });

  it('retries a server error and succeeds', async () => {
    const repos = [makeRepo('acme', 1)];
    const fake = await fakeGitHub({ repos, token: TOKEN });
    fake.failNext({ kind: 502 });
    const { ctx, statuses } = context();

    const result = await source(fake, { token: TOKEN, orgs: ['acme'] }).collect(ctx);

    expect(result.errors).toEqual([]);
    expectRepository(result.samples, repos[0]!);
    expect(statuses).toEqual([502, 200, 200]);
  });

  it('stops promptly when the signal aborts, even in a retry wait', async () => {
    const fake = await fakeGitHub({ repos: Array.from({ length: 5 }, (_, index) => makeRepo('acme', index)), token: TOKEN, latencyMs: 100 });
    // A secondary limit asking for 50 "seconds", 20 ms each here: the source would retry after a full second.
    fake.failNext({ kind: 'secondary', retryAfterSeconds: 50 });
    const controller = new AbortController();
    const { ctx } = context(controller.signal);
    const started = Date.now();
    setTimeout(() => controller.abort(), 150);

    const error = await source(fake, { token: TOKEN, orgs: ['acme'] }, { retryAfterUnitMs: 20 })
      .collect(ctx)
      .then(() => null, (caught: unknown) => caught as Error);

    expect(error?.name).toBe('AbortError');
    expect(Date.now() - started).toBeLessThan(700);
    // The retry wait ends: its request must not go out.
    await new Promise((resolve) => setTimeout(resolve, 1_100 - (Date.now() - started)));
    expect(fake.requests).toHaveLength(1);
  });

  it('aborts requests in flight when the signal aborts', async () => {
    const fake = await fakeGitHub({ repos: [makeRepo('acme', 1)], token: TOKEN, latencyMs: 2_000 });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);

    const error = await source(fake, { token: TOKEN, orgs: ['acme'] })
      .collect(context(controller.signal).ctx)
      .then(() => null, (caught: unknown) => caught as Error);

    expect(error?.name).toBe('AbortError');
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('GitHub Enterprise Server URLs', () => {
  it('sends REST to apiUrl (…/api/v3) and GraphQL to …/api/graphql', async () => {
    const fake = await fakeGitHub({ repos: [makeRepo('acme', 1)], token: TOKEN });
    const seen: string[] = [];
    // A GHES-shaped front for the fake: /api/v3/* is REST, /api/graphql is GraphQL.
    const proxy = createServer((request, response) => {
      seen.push(`${request.method} ${request.url}`);
      const url = request.url ?? '/';
      const target = url === '/api/graphql' ? '/graphql' : url.startsWith('/api/v3/') ? url.slice('/api/v3'.length) : null;
      if (target === null) {
        response.writeHead(404).end();
        return;
      }
      const upstream = httpRequest(`${fake.url}${target}`, { method: request.method, headers: { ...request.headers, host: new URL(fake.url).host } }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      });
      request.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const apiUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/api/v3`;
      const withToken = await createGitHubSource(githubConfigSchema.parse({ apiUrl, token: TOKEN, orgs: ['acme'] }), FAST).collect(context().ctx);
      expect(withToken.errors).toEqual([]);
      expectRepository(withToken.samples, makeRepo('acme', 1));
      const anonymous = await createGitHubSource(githubConfigSchema.parse({ apiUrl: `${apiUrl}/`, repos: ['acme/repo-001'] }), FAST).collect(context().ctx);
      expect(anonymous.errors).toEqual([]);
      expect(seen).toContain('POST /api/graphql');
      expect(seen).toContain('GET /api/v3/repos/acme/repo-001');
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});

describe('GitHub source without a token (REST)', () => {
  it('collects organizations, users and repositories with watchers from each repository', async () => {
    const orgRepos = Array.from({ length: 120 }, (_, index) => makeRepo('acme', index, { private: false }));
    const userRepos = Array.from({ length: 15 }, (_, index) => makeRepo('octo', 500 + index, { private: false }));
    const single = makeRepo('solo', 900, { private: false });
    const fake = await fakeGitHub({ repos: [...orgRepos, ...userRepos, single], owners: [{ login: 'octo', type: 'User' }], rateLimit: { anonymous: 5000 } });
    const { ctx, statuses } = context();

    const result = await source(fake, { orgs: ['acme'], users: ['octo'], repos: ['solo/repo-900', 'acme/repo-001'] }).collect(ctx);

    expect(result.errors).toEqual([]);
    const expected = [...orgRepos.filter(included), ...userRepos.filter(included), single];
    expect(repositoriesIn(result.samples)).toEqual(expected.map((repo) => `${repo.owner}/${repo.name}`).sort());
    for (const repo of expected) expectRepository(result.samples, repo);
    expect(valueOf(result.samples, 'github_owner_repositories', { user: 'acme' })).toBe(orgRepos.filter(included).length);
    expect(valueOf(result.samples, 'github_owner_stars', { user: 'octo' })).toBe(userRepos.filter(included).reduce((sum, repo) => sum + repo.stars, 0));

    expect(fake.requests.every((request) => !request.graphql && !request.authenticated)).toBe(true);
    expect(fake.requests.some((request) => request.path.includes('per_page=100') && request.path.startsWith('/organizations/'))).toBe(true);
    expect(statuses).toEqual(fake.requests.map((request) => request.status));
    // The budget comes from the x-ratelimit-* headers (resource core): every request so far cost one.
    expect(valueOf(result.samples, 'github_rate_limit', { resource: 'core' })).toBe(5000);
    expect(valueOf(result.samples, 'github_rate_remaining', { resource: 'core' })).toBe(5000 - fake.requests.length);
    expect(find(result.samples, 'github_rate_remaining', { resource: 'graphql' })).toEqual([]);
  }, 30_000);

  it('counts all open pull requests from the last page link, and open issues without them', async () => {
    const repos = [
      makeRepo('acme', 1, { openPulls: 250, openIssues: 40 }),
      makeRepo('acme', 2, { openPulls: 1, openIssues: 0 }),
      makeRepo('acme', 3, { openPulls: 0, openIssues: 7, fork: false }),
    ];
    const fake = await fakeGitHub({ repos });

    const result = await source(fake, { orgs: ['acme'] }).collect(context().ctx);

    expect(result.errors).toEqual([]);
    expect(valueOf(result.samples, 'github_repo_pull_request_count', { repo: 'repo-001' })).toBe(250);
    expect(valueOf(result.samples, 'github_repo_open_issues', { repo: 'repo-001' })).toBe(40);
    expect(valueOf(result.samples, 'github_repo_pull_request_count', { repo: 'repo-002' })).toBe(1);
    expect(valueOf(result.samples, 'github_repo_pull_request_count', { repo: 'repo-003' })).toBe(0);
    expect(valueOf(result.samples, 'github_repo_open_issues', { repo: 'repo-003' })).toBe(7);
    // One request per repository for its pull requests, not one per page of them.
    expect(fake.requests.filter((request) => request.path.includes('/pulls'))).toHaveLength(3);
  });

  it('reads every page of releases', async () => {
    const releases: FakeRelease[] = Array.from({ length: 230 }, (_, index) => ({
      name: `R${index}`,
      tag: `r${index}`,
      createdAt: new Date(Date.UTC(2023, 0, 1, index)).toISOString(),
      assets: [{ name: 'a.tgz', downloads: index }],
    }));
    const repo = makeRepo('acme', 1, { releases });
    const fake = await fakeGitHub({ repos: [repo] });

    const result = await source(fake, { repos: ['acme/repo-001'] }).collect(context().ctx);

    expect(result.errors).toEqual([]);
    expectRepository(result.samples, repo);
    expect(fake.requests.filter((request) => request.path.includes('/releases'))).toHaveLength(3);
  });

  it('revalidates with ETags on the next collection: 304s that cost no rate limit', async () => {
    const repos = Array.from({ length: 8 }, (_, index) => makeRepo('acme', index, { private: false }));
    const fake = await fakeGitHub({ repos });
    const github = source(fake, { orgs: ['acme'] });

    const first = await github.collect(context().ctx);
    // Contributor counts are read once a day, so the next poll does not ask again.
    const firstRequests = withoutContributors(fake.requests).length;
    expect(contributorRequests(fake.requests)).toHaveLength(repos.length);
    fake.resetRequests();
    const { ctx, statuses } = context();
    const second = await github.collect(ctx);

    expect(fake.requests).toHaveLength(firstRequests);
    expect(fake.requests.every((request) => request.status === 304 && request.ifNoneMatch !== null)).toBe(true);
    expect(statuses.every((status) => status === 304)).toBe(true);
    expect(valueOf(second.samples, 'github_rate_remaining')).toBe(valueOf(first.samples, 'github_rate_remaining'));
    // Same data from the cache.
    const sorted = (result: CollectResult) => result.samples.filter((sample) => !sample.metric.startsWith('github_rate')).map((sample) => JSON.stringify(sample)).sort();
    expect(sorted(second)).toEqual(sorted(first));

    // A change shows up: only that repository's resource answers 200.
    fake.updateRepo('acme/repo-002', { stars: 4242 });
    fake.resetRequests();
    const third = await github.collect(context().ctx);
    expect(valueOf(third.samples, 'github_repo_stars', { repo: 'repo-002' })).toBe(4242);
    expect(fake.requests.filter((request) => request.status === 200).length).toBeGreaterThan(0);
  });

  it('records what each poll\'s listing spent of the REST budget: 304s are free, contributor counts are left out', async () => {
    const repos = Array.from({ length: 8 }, (_, index) => makeRepo('acme', index, { private: false }));
    const fake = await fakeGitHub({ repos });
    const github = source(fake, { orgs: ['acme'] });
    const spent = (result: CollectResult) => valueOf(result.samples, 'github_rate_spent_per_poll', { resource: 'core' });

    const first = await github.collect(context().ctx);
    expect(contributorRequests(fake.requests)).toHaveLength(repos.length);
    expect(spent(first)).toBe(withoutContributors(fake.requests).length);

    fake.resetRequests();
    const second = await github.collect(context().ctx);
    expect(fake.requests.length).toBeGreaterThan(0);
    expect(spent(second)).toBe(0);

    fake.updateRepo('acme/repo-002', { stars: 4242 });
    fake.resetRequests();
    const third = await github.collect(context().ctx);
    expect(spent(third)).toBe(withoutContributors(fake.requests).filter((request) => request.status !== 304).length);
    expect(spent(third)).toBeGreaterThan(0);
    // Without a token no GraphQL query is made, so no GraphQL spending is reported.
    expect(valueOf(third.samples, 'github_rate_spent_per_poll', { resource: 'graphql' })).toBeUndefined();
  });

  it('reports an unknown user and repository as target errors while the organization works', async () => {
    const repos = [makeRepo('acme', 1), makeRepo('acme', 2)].map((repo) => ({ ...repo, private: false }));
    const fake = await fakeGitHub({ repos });

    const result = await source(fake, { orgs: ['acme', 'ghost-org'], users: ['ghost-user'], repos: ['acme/nope'] }).collect(context().ctx);

    expect(result.errors).toEqual(
      expect.arrayContaining([
        { target: 'org:ghost-org', message: "organization 'ghost-org' not found — check github.orgs" },
        { target: 'user:ghost-user', message: "user 'ghost-user' not found — check github.users" },
        { target: 'repo:acme/nope', message: "repository 'acme/nope' not found — check github.repos" },
      ]),
    );
    expect(result.errors).toHaveLength(3);
    for (const repo of repos) expectRepository(result.samples, repo);
  });

  it('throws RateLimitedError at the reset when the anonymous budget runs out', async () => {
    const fake = await fakeGitHub({ repos: [makeRepo('acme', 1, { private: false })] });
    const reset = Math.floor(Date.now() / 1000) + 2400;
    fake.setRemaining('core', 0, reset);

    const error = await source(fake, { orgs: ['acme'] })
      .collect(context().ctx)
      .then(() => null, (caught: unknown) => caught);

    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAt).toBe(reset * 1000);
  });

  it('retries a server error on a REST request and succeeds', async () => {
    const repo = makeRepo('acme', 1, { private: false });
    const fake = await fakeGitHub({ repos: [repo] });
    fake.failNext({ kind: 500, match: /\/releases/, times: 2 });
    const { ctx, statuses } = context();

    const result = await source(fake, { orgs: ['acme'] }).collect(ctx);

    expect(result.errors).toEqual([]);
    expectRepository(result.samples, repo);
    expect(statuses.filter((status) => status === 500)).toHaveLength(2);
  });
});

describe('GitHub source, faults', () => {
  it('does not retry a request that timed out: a hung GitHub costs one request per target', async () => {
    const fake = await fakeGitHub({ repos: [makeRepo('acme', 1), makeRepo('octo', 2)], token: TOKEN });
    fake.setHanging(true);
    const { ctx, statuses } = context();

    const error = await source(fake, { token: TOKEN, orgs: ['acme', 'octo'] }, { ...FAST, requestTimeoutMs: 200 })
      .collect(ctx)
      .then(() => null, (caught: unknown) => caught as Error);

    expect(error?.message).toBe(`GitHub could not be reached at ${fake.url}: GitHub did not answer within 0.2 s — check github.apiUrl and the network`);
    expect(fake.hungRequests).toBe(2);
    expect(statuses).toEqual(['error', 'error']);
  });

  it('takes its request timeout from github.timeout', () => {
    expect(createGitHubSource(githubConfigSchema.parse({ orgs: ['acme'], timeout: '45s' })).timeoutMs).toBe(45_000);
    expect(createGitHubSource(githubConfigSchema.parse({ orgs: ['acme'] })).timeoutMs).toBe(20_000);
  });

  it('stops retrying once four requests in a row failed: a 500 storm over eight targets costs four requests, not twenty-four', async () => {
    const fake = await fakeGitHub({ repos: [makeRepo('acme', 1, { private: false })], rateLimit: { anonymous: 1_000 } });
    fake.failNext({ kind: 500, times: 1_000 });
    const { ctx } = context();
    const targets = { orgs: ['o1', 'o2', 'o3', 'o4'], repos: ['acme/r1', 'acme/r2', 'acme/r3', 'acme/r4'] };

    // Four at a time; a retry waits 200 ms, so all four first answers are in before one would start.
    const result = await source(fake, targets, { ...FAST, retryDelayMs: 200 }).collect(ctx).catch((error: unknown) => error as Error);

    expect(fake.requests).toHaveLength(4);
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).toBe(`GitHub could not be reached at ${fake.url}: Server Error — check github.apiUrl and the network`);
  });

  it('leaves out a listed repository whose name is not valid text, without REST or GraphQL, and collects the others', async () => {
    const good = [makeRepo('acme', 1, { private: false }), makeRepo('acme', 6, { private: false })];
    const fake = await fakeGitHub({ repos: [good[0]!, makeRepo('acme', 2, { name: 'bad\ud800name', private: false }), good[1]!], token: TOKEN });
    const expected = {
      target: 'repo:acme/bad\ufffdname',
      message: "GitHub sent unusable data for repository 'acme/bad\ufffdname' (its name is not valid text: it holds a lone UTF-16 surrogate); it is left out",
    };

    for (const config of [{ orgs: ['acme'] }, { token: TOKEN, orgs: ['acme'] }]) {
      const result = await source(fake, config).collect(context().ctx);
      expect(result.errors, JSON.stringify(config)).toEqual([expected]);
      for (const repo of good) expectRepository(result.samples, repo);
      expect(valueOf(result.samples, 'github_owner_repositories', { user: 'acme' })).toBe(2);
      expect(result.samples.every((sample) => Object.values(sample.labels).every((value) => value.isWellFormed()))).toBe(true);
    }
  });
});

describe('GitHub source, bad records (REST)', () => {
  it('leaves out a repository whose counts are garbage, reporting which, and collects the others and their owner', async () => {
    const good = [makeRepo('acme', 1, { private: false }), makeRepo('acme', 6, { private: false })];
    const fake = await fakeGitHub({
      repos: [
        ...good,
        makeRepo('acme', 7, { private: false, restFields: { stargazers_count: 'lots' } }),
        makeRepo('acme', 8, { private: false, restFields: { open_issues_count: -5 } }),
      ],
    });
    const result = await source(fake, { orgs: ['acme'] }).collect(context().ctx);

    expect([...result.errors].sort((a, b) => a.target.localeCompare(b.target))).toEqual([
      { target: 'repo:acme/repo-007', message: 'GitHub sent unusable data for repository \'acme/repo-007\' (stargazers_count is "lots", not a count); it is left out' },
      { target: 'repo:acme/repo-008', message: "GitHub sent unusable data for repository 'acme/repo-008' (open_issues_count is -5, not a count); it is left out" },
    ]);
    for (const repo of good) expectRepository(result.samples, repo);
    expect(result.samples.every((sample) => Number.isFinite(sample.value))).toBe(true);
    expect(valueOf(result.samples, 'github_owner_repositories', { user: 'acme' })).toBe(2);
    expect(valueOf(result.samples, 'github_owner_stars', { user: 'acme' })).toBe(good[0]!.stars + good[1]!.stars);
  });
});

describe('githubSource module', () => {
  it('declares every metric it emits, with the labels it uses', async () => {
    const traffic: Partial<FakeRepo> = {
      traffic: { views: [{ timestamp: `${new Date().toISOString().slice(0, 10)}T00:00:00Z`, count: 3, uniques: 2 }] },
      referrers: [{ referrer: 'Google', count: 3, uniques: 2 }],
      popularPaths: [{ path: '/acme/repo-000', title: 'repo-000', count: 3, uniques: 2 }],
    };
    const fake = await fakeGitHub({ repos: [makeRepo('acme', 0, traffic), makeRepo('acme', 7)], token: TOKEN });
    const result = await source(fake, { token: TOKEN, orgs: ['acme'], traffic: { enabled: true } }).collect(context().ctx);
    const catalogue = new Map(githubSource.metrics.map((metric) => [metric.name, metric]));
    // Poll samples are the /metrics metrics; dated samples (traffic days) the history-only ones.
    const emitted = new Set([...result.samples, ...(result.dated ?? [])].map((sample) => sample.metric));
    expect([...emitted].sort()).toEqual([...catalogue.keys()].sort());
    for (const sample of result.samples) expect(catalogue.get(sample.metric)!.historyOnly).toBeUndefined();
    for (const sample of result.dated ?? []) expect(catalogue.get(sample.metric)!.historyOnly).toBe(true);
    for (const sample of [...result.samples, ...(result.dated ?? [])]) expect(Object.keys(sample.labels).sort()).toEqual([...catalogue.get(sample.metric)!.labels].sort());
  });

  it('names its secret and builds a source from parsed config', () => {
    const config = githubSource.configSchema.parse({ token: TOKEN, orgs: ['acme'] });
    expect(githubSource.secrets(config)).toEqual([TOKEN]);
    expect(githubSource.secrets(githubSource.configSchema.parse({ token: '', orgs: ['acme'] }))).toEqual([]);
    const created = githubSource.create(config);
    expect(created.id).toBe('github');
    expect(created.intervalMs).toBe(600_000);
  });
});

describe('a single unknown owner', () => {
  it('is a target error naming the owner, not "GitHub could not be reached"', async () => {
    const token = fakeGitHubToken();
    const fake = await startFakeGitHub({ token, repos: [{ owner: 'acme', name: 'rocket', stars: 1, forks: 0, watchers: 0, openIssues: 0, openPulls: 0, sizeKb: 1 }] });
    try {
      const source = createGitHubSource(githubConfigSchema.parse({ apiUrl: fake.url, token, orgs: ['no-such-org'] }), { retryAfterUnitMs: 5, retryDelayMs: 5 });
      const result = await source.collect({ log: pino({ level: 'silent' }), signal: new AbortController().signal, countRequest: () => {} });
      expect(result.errors).toEqual([{ target: 'org:no-such-org', message: expect.stringContaining("'no-such-org'") }]);
    } finally {
      await fake.close();
    }
  });
});

describe('the figures people ask for', () => {
  const figuresOf = (samples: readonly Sample[], repo: string) =>
    Object.fromEntries(
      [
        'github_repo_commits',
        'github_repo_last_commit_timestamp_seconds',
        'github_repo_closed_issues',
        'github_repo_merged_pull_requests',
        'github_repo_releases',
        'github_repo_contributors',
      ].flatMap((metric) => find(samples, metric, { repo }).map((sample) => [metric, sample.value])),
    );

  it('reads commits, the last commit, closed issues, merged PRs and releases in the bulk query, and contributors from the Link header', async () => {
    const releases: FakeRelease[] = [
      { name: 'One', tag: 'v1', createdAt: '2025-01-01T00:00:00Z', assets: [] },
      { name: 'Two', tag: 'v2', createdAt: '2025-02-01T00:00:00Z', assets: [] },
      { name: 'Draft', tag: 'v3', createdAt: '2025-03-01T00:00:00Z', draft: true, assets: [] },
    ];
    const repos = [
      makeRepo('acme', 1, { commits: 4211, lastCommitAt: '2026-01-05T10:20:30Z', closedIssues: 903, mergedPulls: 1250, contributors: 287, releases }),
      // No default branch: 0 commits, no last commit, and /contributors answers 204.
      makeRepo('acme', 2, { commits: 0, releases: [] }),
      // GitHub will not count this one's contributors: a note, not a failure, and no made-up 0.
      makeRepo('acme', 3, { contributorsHidden: 'too-large', contributors: 5000, releases: [] }),
    ];
    const fake = await fakeGitHub({ repos, token: TOKEN });
    const { ctx, logLines } = context();

    const result = await source(fake, { token: TOKEN, orgs: ['acme'] }).collect(ctx);

    expect(result.errors).toEqual([]);
    expect(figuresOf(result.samples, 'repo-001')).toEqual({
      github_repo_commits: 4211,
      github_repo_last_commit_timestamp_seconds: Date.parse('2026-01-05T10:20:30Z') / 1000,
      github_repo_closed_issues: 903,
      github_repo_merged_pull_requests: 1250,
      github_repo_releases: 2,
      github_repo_contributors: 287,
    });
    expect(find(result.samples, 'github_repo_commits', { repo: 'repo-001' })[0]!.labels).toEqual({ repo: 'repo-001', user: 'acme' });
    expect(figuresOf(result.samples, 'repo-002')).toEqual({
      github_repo_commits: 0,
      github_repo_closed_issues: 0,
      github_repo_merged_pull_requests: 0,
      github_repo_releases: 0,
      github_repo_contributors: 0,
    });
    expect(figuresOf(result.samples, 'repo-003')).not.toHaveProperty('github_repo_contributors');
    expect(logLines.join('\n')).toContain('GitHub does not list the contributors of this repository');
    // One contributors request per repository, one item per page: the count is the last page's number.
    expect(contributorRequests(fake.requests).map((request) => request.path).sort()).toEqual(
      ['repo-001', 'repo-002', 'repo-003'].map((name) => `/repos/acme/${name}/contributors?per_page=1&anon=1`),
    );
  });

  it('reads contributor counts once a day, at most 100 a poll, and keeps reporting the last count in between', async () => {
    const repos = Array.from({ length: 130 }, (_, index) => makeRepo('acme', index, { contributors: 1 + index }));
    const fake = await fakeGitHub({ repos, token: TOKEN });
    let now = Date.parse('2026-03-01T12:00:00Z');
    const github = source(fake, { token: TOKEN, orgs: ['acme'] }, { ...FAST, now: () => now });
    const counted = (result: CollectResult) => find(result.samples, 'github_repo_contributors', {}).length;

    const first = await github.collect(context().ctx);
    expect(contributorRequests(fake.requests)).toHaveLength(100);
    expect(counted(first)).toBe(100);

    fake.resetRequests();
    now += 10 * 60_000;
    const second = await github.collect(context().ctx);
    expect(contributorRequests(fake.requests)).toHaveLength(30);
    expect(counted(second)).toBe(130);
    expect(valueOf(second.samples, 'github_repo_contributors', { repo: 'repo-129' })).toBe(130);

    fake.resetRequests();
    fake.updateRepo('acme/repo-129', { contributors: 131 });
    now += 60 * 60_000;
    const third = await github.collect(context().ctx);
    expect(contributorRequests(fake.requests)).toEqual([]);
    expect(valueOf(third.samples, 'github_repo_contributors', { repo: 'repo-129' })).toBe(130);

    // A day after the first reads, the oldest are due again.
    fake.resetRequests();
    now = Date.parse('2026-03-02T12:00:00Z');
    await github.collect(context().ctx);
    expect(contributorRequests(fake.requests)).toHaveLength(100);
  });

  it('a rate limit on the contributor counts pauses them for that poll without failing it', async () => {
    const repos = [makeRepo('acme', 1, { contributors: 12 })];
    const fake = await fakeGitHub({ repos, token: TOKEN });
    fake.failNext({ kind: 'primary', match: /\/contributors/, retryAfterSeconds: 1800 });
    const github = source(fake, { token: TOKEN, orgs: ['acme'] });

    const limited = await github.collect(context().ctx);
    expect(limited.errors).toEqual([]);
    expectRepository(limited.samples, repos[0]!);
    expect(find(limited.samples, 'github_repo_contributors', {})).toEqual([]);

    const next = await github.collect(context().ctx);
    expect(valueOf(next.samples, 'github_repo_contributors', { repo: 'repo-001' })).toBe(12);
  });

  it('without a token fills the release count and contributors, and leaves the figures REST cannot give cheaply absent', async () => {
    const repos = [makeRepo('acme', 7, { private: false, contributors: 3, commits: 50, closedIssues: 9, mergedPulls: 4 })];
    const fake = await fakeGitHub({ repos });

    const result = await source(fake, { orgs: ['acme'] }).collect(context().ctx);

    expect(result.errors).toEqual([]);
    expect(figuresOf(result.samples, 'repo-007')).toEqual({ github_repo_releases: 2, github_repo_contributors: 3 });
  });

  it('labels downloads with the asset\'s creation time and the release name, "" for an unnamed release', async () => {
    const repo = makeRepo('acme', 1, {
      releases: [
        { name: '', tag: 'v2.0.0', createdAt: '2025-03-01T08:00:00Z', assets: [{ name: 'late.tgz', downloads: 5, createdAt: '2025-03-04T17:45:12Z' }] },
      ],
    });
    const fake = await fakeGitHub({ repos: [repo], token: TOKEN });
    for (const config of [{ token: TOKEN, orgs: ['acme'] }, { orgs: ['acme'] }]) {
      const result = await source(fake, config).collect(context().ctx);
      expect(find(result.samples, 'github_repo_release_downloads', {}).map((sample) => sample.labels)).toEqual([
        { repo: 'repo-001', user: 'acme', release: '', name: 'late.tgz', tag: 'v2.0.0', created_at: '2025-03-04T17:45:12Z' },
      ]);
    }
  });
});

describe('the cost of the figures in the bulk query', () => {
  it('adds 3 points per owner page of 100 repositories under GitHub\'s pricing (29 → 32): counts only, no nodes', async () => {
    const repos = Array.from({ length: 100 }, (_, index) => makeRepo('acme', index, { releases: [] }));
    const fake = await fakeGitHub({ repos, token: TOKEN, graphqlPricing: 'github' });

    const result = await source(fake, { token: TOKEN, orgs: ['acme'] }).collect(context().ctx);

    expect(withoutContributors(fake.requests)).toHaveLength(1);
    expect(valueOf(result.samples, 'github_rate_remaining', { resource: 'graphql' })).toBe(5000 - 32);
  });
});
