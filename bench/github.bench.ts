// GitHub source refresh cost behind the loopback fake with 50 ms latency per request. With a token
// (GraphQL): requests per refresh and wall time at 1,000 repositories across 10 owners and at 10,000
// across 100 owners (issue 15: ≤ ceil(N/100) + owners + 2 requests, under 10 s). Without one (REST),
// at 1,000: the first refresh and an ETag-warm second one, for comparison.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { CollectContext } from '../electron/core/source.js';
import { createGitHubSource, githubConfigSchema } from '../electron/core/sources/github/index.js';
import { startFakeGitHub } from '../test/fakes/github/index.js';
import type { FakeGitHub, FakeRelease, FakeRepo } from '../test/fakes/github/index.js';
import { median, recordBench } from './report.js';

const BENCH = 'github source';
const OWNERS = 10;
/** The large organisation(s) of issue 15; the fake holds them, the first OWNERS of them make the small case. */
const LARGE_OWNERS = 100;
const REPOS_PER_OWNER = 100;
const REPOSITORIES = OWNERS * REPOS_PER_OWNER;
const LATENCY_MS = 50;
const TOKEN = 'ghp_benchToken';

function releasesFor(index: number): FakeRelease[] {
  // Most repositories have a few releases; every 250th has more than the inline window (follow-ups).
  const count = index % 250 === 0 ? 40 : index % 5 === 0 ? 3 : 0;
  return Array.from({ length: count }, (_, release) => ({
    name: `v${release}`,
    tag: `v${release}.0.0`,
    createdAt: new Date(Date.UTC(2024, 0, 1 + release)).toISOString(),
    assets: Array.from({ length: 4 }, (_, asset) => ({ name: `asset-${asset}.tar.gz`, downloads: index + release * 10 + asset })),
  }));
}

function benchRepos(): FakeRepo[] {
  return Array.from({ length: LARGE_OWNERS * REPOS_PER_OWNER }, (_, index) => ({
    owner: `owner-${Math.floor(index / REPOS_PER_OWNER)}`,
    name: `repo-${index}`,
    stars: index * 3,
    forks: index % 50,
    watchers: 1 + (index % 20),
    openIssues: index % 30,
    openPulls: index % 12,
    sizeKb: 1000 + index,
    license: index % 2 === 0 ? 'mit' : null,
    language: 'TypeScript',
    releases: releasesFor(index),
  }));
}

function silentContext(): CollectContext {
  return { log: pino({ level: 'silent' }), signal: new AbortController().signal, countRequest: () => undefined };
}

const ownersUpTo = (count: number) => Array.from({ length: count }, (_, index) => `owner-${index}`);
const owners = ownersUpTo(OWNERS);
let fake: FakeGitHub;

beforeAll(async () => {
  fake = await startFakeGitHub({ repos: benchRepos(), latencyMs: LATENCY_MS, token: TOKEN, rateLimit: { core: 100_000, graphql: 100_000, anonymous: 100_000 } });
});

afterAll(async () => {
  await fake.close();
});

describe('GitHub source refresh', () => {
  // The listing's own cost; traffic's requests are measured in github-traffic.bench.ts.
  for (const [ownerCount, wallTarget] of [[OWNERS, 3_000], [LARGE_OWNERS, 10_000]] as const) {
    const repositories = ownerCount * REPOS_PER_OWNER;
    // One page of 100 per owner-sized chunk of repositories, one per owner (its last page), +2 for follow-ups.
    const requestTarget = Math.ceil(repositories / 100) + ownerCount + 2;
    it(`with a token (GraphQL): requests and wall time per refresh, ${repositories} repositories`, async () => {
      const source = createGitHubSource(githubConfigSchema.parse({ apiUrl: fake.url, token: TOKEN, orgs: ownersUpTo(ownerCount), traffic: { enabled: false } }));
      const times: number[] = [];
      const requests: number[] = [];
      const contributorRequests: number[] = [];
      for (let run = 0; run < 3; run++) {
        fake.resetRequests();
        const started = performance.now();
        const result = await source.collect(silentContext());
        times.push(performance.now() - started);
        // The daily contributor counts are REST requests of their own (at most 100 a poll), reported apart.
        requests.push(fake.requests.filter((request) => request.graphql).length);
        contributorRequests.push(fake.requests.filter((request) => request.path.includes('/contributors')).length);
        expect(result.errors).toEqual([]);
        expect(result.samples.filter((sample) => sample.metric === 'github_repo_stars')).toHaveLength(repositories);
      }
      const requestsPerRefresh = Math.max(...requests);
      recordBench({ bench: BENCH, name: `GraphQL requests per refresh (${repositories} repos, ${ownerCount} owners)`, value: requestsPerRefresh, unit: 'requests', target: `≤ ${requestTarget}`, met: requestsPerRefresh <= requestTarget });
      const wall = Math.round(median(times));
      recordBench({ bench: BENCH, name: `GraphQL refresh wall time (${repositories} repos, ${LATENCY_MS} ms latency)`, value: wall, unit: 'ms', target: `< ${wallTarget} ms`, met: wall < wallTarget });
      const perPoll = Math.max(...contributorRequests);
      recordBench({ bench: BENCH, name: `Contributor-count REST requests per poll (${repositories} repos; each repository once a day)`, value: perPoll, unit: 'requests', target: '≤ 100', met: perPoll <= 100 });
    }, 120_000);
  }

  it('without a token (REST): first refresh and an ETag-warm refresh', async () => {
    const source = createGitHubSource(githubConfigSchema.parse({ apiUrl: fake.url, orgs: owners }));

    fake.resetRequests();
    let started = performance.now();
    const first = await source.collect(silentContext());
    const firstMs = Math.round(performance.now() - started);
    const firstRequests = fake.requests.length;
    expect(first.errors).toEqual([]);
    expect(first.samples.filter((sample) => sample.metric === 'github_repo_stars')).toHaveLength(REPOSITORIES);

    fake.resetRequests();
    started = performance.now();
    const second = await source.collect(silentContext());
    const secondMs = Math.round(performance.now() - started);
    const notModified = fake.requests.filter((request) => request.status === 304).length;
    expect(second.errors).toEqual([]);

    recordBench({ bench: BENCH, name: 'REST requests, first refresh', value: firstRequests, unit: 'requests' });
    recordBench({ bench: BENCH, name: `REST first refresh wall time (${LATENCY_MS} ms latency)`, value: firstMs, unit: 'ms' });
    recordBench({ bench: BENCH, name: 'REST warm refresh: requests answered 304 (free)', value: notModified, unit: `of ${fake.requests.length}` });
    recordBench({ bench: BENCH, name: `REST warm refresh wall time (${LATENCY_MS} ms latency)`, value: secondMs, unit: 'ms' });
  });
});
