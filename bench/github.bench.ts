// GitHub source refresh cost: 1,000 repositories across 10 owners behind the loopback fake with 50 ms
// latency per request. With a token (GraphQL): requests per refresh and wall time. Without one (REST):
// the first refresh and an ETag-warm second one, for comparison.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { CollectContext } from '../electron/core/source.js';
import { createGitHubSource, githubConfigSchema } from '../electron/core/sources/github/index.js';
import { startFakeGitHub } from '../test/fakes/github/index.js';
import type { FakeGitHub, FakeRelease, FakeRepo } from '../test/fakes/github/index.js';
import { median, recordBench } from './report.js';

const BENCH = 'github source';
const OWNERS = 10;
const REPOS_PER_OWNER = 100;
const REPOSITORIES = OWNERS * REPOS_PER_OWNER;
const LATENCY_MS = 50;
const TOKEN = 'ghp_benchToken';
const REQUEST_TARGET = Math.ceil(REPOSITORIES / 100) + OWNERS + 2;

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
  return Array.from({ length: REPOSITORIES }, (_, index) => ({
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

const owners = Array.from({ length: OWNERS }, (_, index) => `owner-${index}`);
let fake: FakeGitHub;

beforeAll(async () => {
  fake = await startFakeGitHub({ repos: benchRepos(), latencyMs: LATENCY_MS, token: TOKEN, rateLimit: { core: 100_000, graphql: 100_000, anonymous: 100_000 } });
});

afterAll(async () => {
  await fake.close();
});

describe('GitHub source refresh', () => {
  it('with a token (GraphQL): requests and wall time per refresh', async () => {
    // The listing's own cost; traffic's requests are measured in github-traffic.bench.ts.
    const source = createGitHubSource(githubConfigSchema.parse({ apiUrl: fake.url, token: TOKEN, orgs: owners, traffic: { enabled: false } }));
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
      expect(result.samples.filter((sample) => sample.metric === 'github_repo_stars')).toHaveLength(REPOSITORIES);
    }
    const requestsPerRefresh = Math.max(...requests);
    recordBench({ bench: BENCH, name: `GraphQL requests per refresh (${REPOSITORIES} repos, ${OWNERS} owners)`, value: requestsPerRefresh, unit: 'requests', target: `≤ ${REQUEST_TARGET}`, met: requestsPerRefresh <= REQUEST_TARGET });
    const wall = Math.round(median(times));
    recordBench({ bench: BENCH, name: `GraphQL refresh wall time (${LATENCY_MS} ms latency)`, value: wall, unit: 'ms', target: '< 3000 ms', met: wall < 3000 });
    const perPoll = Math.max(...contributorRequests);
    recordBench({ bench: BENCH, name: 'Contributor-count REST requests per poll (each repository once a day)', value: perPoll, unit: 'requests', target: '≤ 100', met: perPoll <= 100 });
  });

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
