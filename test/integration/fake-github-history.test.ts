// The GitHub fake's history lists (what the backfill reads), over plain fetch on loopback: stargazers
// with starred_at / starredAt in order, forks with their creation time, lists hidden from non-admins,
// and GraphQL priced as GitHub prices it.
import { describe, expect, it } from 'vitest';
import { startFakeGitHub } from '../fakes/github/index.js';
import type { FakeRepo } from '../fakes/github/index.js';
import { closedAfterEach } from '../support/closed-after-each.js';

type Json = Record<string, unknown>;

const TOKEN = 'ghp_fake_token_for_history_tests';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const fakeGitHub = closedAfterEach(startFakeGitHub);

function repo(name: string, extra: Partial<FakeRepo> = {}): FakeRepo {
  return {
    owner: 'acme',
    name,
    stars: 250,
    forks: 150,
    watchers: 1,
    openIssues: 0,
    openPulls: 0,
    sizeKb: 10,
    createdAt: '2020-01-01T00:00:00Z',
    updatedAt: '2024-01-01T00:00:00Z',
    ...extra,
  };
}

async function graphql(url: string, query: string, variables: Json = {}): Promise<Json> {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { ...AUTH, 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  expect(res.status).toBe(200);
  return (await res.json()) as Json;
}

describe('fake GitHub history lists', () => {
  it('pages stargazers with starredAt oldest first (DESC on request), matching stargazerTimes', async () => {
    const gh = await fakeGitHub({ repos: [repo('rocket', { growth: 'accelerating' })], token: TOKEN });
    const query = `query($after: String, $direction: OrderDirection!) { repository(owner: "acme", name: "rocket") {
      stargazers(first: 100, after: $after, orderBy: {field: STARRED_AT, direction: $direction}) { pageInfo { hasNextPage endCursor } edges { starredAt node { login } } } } }`;
    const times: number[] = [];
    let after: string | null = null;
    do {
      const body = await graphql(gh.url, query, { after, direction: 'ASC' });
      const stargazers = ((body['data'] as Json)['repository'] as Json)['stargazers'] as { pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { starredAt: string }[] };
      times.push(...stargazers.edges.map((edge) => Date.parse(edge.starredAt)));
      after = stargazers.pageInfo.hasNextPage ? stargazers.pageInfo.endCursor : null;
    } while (after !== null);
    expect(times).toEqual(gh.stargazerTimes('acme/rocket'));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // Quadratic growth: the first half of the life brings a quarter of the stars.
    expect(times.filter((time) => time < Date.parse('2022-01-01T00:00:00Z')).length).toBeLessThan(70);

    const newest = await graphql(gh.url, query, { after: null, direction: 'DESC' });
    const edges = (((newest['data'] as Json)['repository'] as Json)['stargazers'] as { edges: { starredAt: string; node: { login: string } }[] }).edges;
    expect(Date.parse(edges[0]!.starredAt)).toBe(times.at(-1));
    expect(edges[0]!.node.login).toBe('stargazer-250');
  });

  it('lists forks with their creation time: GraphQL forks(orderBy: CREATED_AT) and REST /forks?sort=oldest|newest', async () => {
    const gh = await fakeGitHub({ repos: [repo('rocket')], token: TOKEN });
    const body = await graphql(gh.url, `{ repository(owner: "acme", name: "rocket") { forkCount forks(first: 100, orderBy: {field: CREATED_AT, direction: ASC}) { totalCount pageInfo { hasNextPage } nodes { createdAt isFork nameWithOwner } } } }`);
    const forks = ((body['data'] as Json)['repository'] as Json)['forks'] as { totalCount: number; pageInfo: { hasNextPage: boolean }; nodes: { createdAt: string; isFork: boolean; nameWithOwner: string }[] };
    expect(forks.totalCount).toBe(150);
    expect(forks.pageInfo.hasNextPage).toBe(true);
    expect(forks.nodes[0]).toEqual({ createdAt: new Date(gh.forkTimes('acme/rocket')[0]!).toISOString().replace('.000Z', 'Z'), isFork: true, nameWithOwner: 'forker-1/rocket' });

    const oldest = await fetch(`${gh.url}/repos/acme/rocket/forks?sort=oldest&per_page=100&page=2`, { headers: AUTH });
    const page = (await oldest.json()) as Json[];
    expect(page.map((fork) => Date.parse(String(fork['created_at'])))).toEqual(gh.forkTimes('acme/rocket').slice(100));
    expect(page[0]).toMatchObject({ fork: true, full_name: 'forker-101/rocket' });
    expect(oldest.headers.get('link')).toMatch(/rel="prev"/);
    const newest = (await (await fetch(`${gh.url}/repos/acme/rocket/forks?per_page=1`, { headers: AUTH })).json()) as Json[];
    expect(Date.parse(String(newest[0]!['created_at']))).toBe(gh.forkTimes('acme/rocket').at(-1));
  });

  it('refuses the stargazer list to non-admins (403 / FORBIDDEN) or shows it empty, as configured', async () => {
    const gh = await fakeGitHub({ repos: [repo('refused', { stargazersHidden: 'forbidden' }), repo('empty', { stargazersHidden: 'empty' })], token: TOKEN });
    const refused = await fetch(`${gh.url}/repos/acme/refused/stargazers?per_page=100`, { headers: { ...AUTH, accept: 'application/vnd.github.star+json' } });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ message: 'Must have admin rights to Repository.', status: '403' });
    const empty = await fetch(`${gh.url}/repos/acme/empty/stargazers?per_page=100`, { headers: AUTH });
    expect(await empty.json()).toEqual([]);

    const body = await graphql(gh.url, `{ refused: repository(owner: "acme", name: "refused") { stargazerCount stargazers(first: 100) { edges { starredAt } } }
      empty: repository(owner: "acme", name: "empty") { stargazerCount stargazers(first: 100) { totalCount edges { starredAt } } } }`);
    expect(body['errors']).toEqual([expect.objectContaining({ type: 'FORBIDDEN', path: ['refused', 'stargazers'] })]);
    expect(body['data']).toEqual({ refused: null, empty: { stargazerCount: 250, stargazers: { totalCount: 0, edges: [] } } });
    expect(() => gh.addRepo(repo('bad', { stargazersHidden: 'secret' as 'empty' }))).toThrow(/stargazersHidden must be 'forbidden' or 'empty'/);
  });

  it('prices GraphQL as GitHub does when asked: connection requests ÷ 100, rounded, at least 1', async () => {
    const gh = await fakeGitHub({ repos: [repo('rocket')], token: TOKEN, graphqlPricing: 'github' });
    const cost = async (query: string) => (((await graphql(gh.url, query))['data'] as Json)['rateLimit'] as Json)['cost'];
    const aliased = (count: number) =>
      `{ rateLimit { cost } ${Array.from({ length: count }, (_, index) => `r${index}: repository(owner: "acme", name: "rocket") { stargazers(first: 100) { edges { starredAt } } }`).join(' ')} }`;
    expect(await cost(aliased(1))).toBe(1);
    expect(await cost(aliased(50))).toBe(1);
    expect(await cost(aliased(160))).toBe(2);
    // 1 request for the repositories, 100 for their releases, 100 × 25 for the releases' assets.
    expect(await cost('{ rateLimit { cost } repositoryOwner(login: "acme") { repositories(first: 100) { nodes { releases(first: 25) { nodes { releaseAssets(first: 25) { nodes { name } } } } } } } }')).toBe(26);
    const before = Number(((await graphql(gh.url, '{ rateLimit { remaining } }'))['data'] as { rateLimit: Json }).rateLimit['remaining']);
    await graphql(gh.url, aliased(160));
    const after = Number(((await graphql(gh.url, '{ rateLimit { remaining } }'))['data'] as { rateLimit: Json }).rateLimit['remaining']);
    expect(before - after).toBe(3);
  });
});
