// GitHub traffic cost (issue 11): 1,000 repositories across 10 owners, 300 of which the token can push
// to, behind the loopback fake. Requests per traffic refresh (target 4 × 300 plus what listing costs)
// and the share of the REST budget (5,000 an hour) traffic takes: for one whole refresh, and per hour
// with the default intervals (polls every 10 min, traffic every 6 h, spread over the polls).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { CollectContext } from '../electron/core/source.js';
import { createGitHubSource, githubConfigSchema } from '../electron/core/sources/github/index.js';
import { TRAFFIC_BUDGET_SHARE, TRAFFIC_REQUESTS_PER_REPOSITORY } from '../electron/core/sources/github/traffic.js';
import { startFakeGitHub } from '../test/fakes/github/index.js';
import type { FakeGitHub, FakeRepo } from '../test/fakes/github/index.js';
import { recordBench } from './report.js';

const BENCH = 'github traffic';
const OWNERS = 10;
const REPOS_PER_OWNER = 100;
const REPOSITORIES = OWNERS * REPOS_PER_OWNER;
const PUSHABLE = 300;
const REST_LIMIT = 5_000;
const TOKEN = 'ghp_benchTrafficToken';
const START = Date.parse('2025-03-01T12:00:00Z');

function benchRepos(): FakeRepo[] {
  return Array.from({ length: REPOSITORIES }, (_, index) => ({
    owner: `owner-${Math.floor(index / REPOS_PER_OWNER)}`,
    name: `repo-${index}`,
    stars: index,
    forks: index % 50,
    watchers: 1,
    openIssues: 0,
    openPulls: 0,
    sizeKb: 100,
    // Every 10 repositories, the first 3 are the token's own.
    pushAccess: index % 10 < 3,
    trafficModel: (day: string) => ({ views: { count: (index + day.length) % 40, uniques: 3 }, clones: { count: index % 5, uniques: 1 } }),
    referrers: [{ referrer: 'github.com', count: 10, uniques: 4 }],
    popularPaths: [{ path: `/owner/repo-${index}`, title: 'repo', count: 8, uniques: 3 }],
  }));
}

function silentContext(): CollectContext {
  return { log: pino({ level: 'silent' }), signal: new AbortController().signal, countRequest: () => undefined };
}

const owners = Array.from({ length: OWNERS }, (_, index) => `owner-${index}`);
let fake: FakeGitHub;
let clock = START;

beforeAll(async () => {
  fake = await startFakeGitHub({ repos: benchRepos(), token: TOKEN, clock: () => clock, rateLimit: { core: REST_LIMIT, graphql: 100_000 } });
});

afterAll(async () => {
  await fake.close();
});

const isTraffic = (path: string) => path.includes('/traffic/');
const percent = (value: number) => Math.round(value * 1000) / 10;

describe('GitHub traffic refresh', () => {
  it(`requests per traffic refresh: ${REPOSITORIES} repositories, ${PUSHABLE} pushable`, async () => {
    clock = START;
    fake.setRemaining('core', REST_LIMIT);
    fake.resetRequests();
    const listingOnly = createGitHubSource(githubConfigSchema.parse({ apiUrl: fake.url, token: TOKEN, orgs: owners, traffic: { enabled: false } }));
    await listingOnly.collect(silentContext());
    const listing = fake.requests.length;

    // Traffic due every poll: one poll is one whole traffic refresh.
    fake.resetRequests();
    const whole = createGitHubSource(githubConfigSchema.parse({ apiUrl: fake.url, token: TOKEN, orgs: owners, interval: '6h', traffic: { interval: '6h' } }), { now: () => clock });
    const result = await whole.collect(silentContext());
    expect(result.errors).toEqual([]);
    const traffic = fake.requests.filter((request) => isTraffic(request.path)).length;
    const total = fake.requests.length;
    const target = TRAFFIC_REQUESTS_PER_REPOSITORY * PUSHABLE + listing;
    recordBench({ bench: BENCH, name: `requests per traffic refresh (${REPOSITORIES} repos, ${PUSHABLE} pushable; listing ${listing})`, value: total, unit: 'requests', target: `≤ ${target}`, met: total <= target });
    const notPushable = fake.requests.filter((request) => isTraffic(request.path) && !/repo-\d*[012]\//.test(request.path)).length;
    recordBench({ bench: BENCH, name: 'traffic requests for repositories without push access', value: notPushable, unit: 'requests', target: '0', met: notPushable === 0 });
    const share = traffic / REST_LIMIT;
    recordBench({ bench: BENCH, name: 'share of the hourly REST budget one whole refresh takes', value: percent(share), unit: '%', target: `≤ ${TRAFFIC_BUDGET_SHARE * 100}%`, met: share <= TRAFFIC_BUDGET_SHARE });
  });

  it('share of the REST budget per hour with the default intervals (10 min polls, traffic every 6 h)', async () => {
    fake.setRemaining('core', REST_LIMIT);
    const source = createGitHubSource(githubConfigSchema.parse({ apiUrl: fake.url, token: TOKEN, orgs: owners }), { now: () => clock });
    const perPoll: number[] = [];
    for (let poll = 0; poll < 6; poll++) {
      clock = START + poll * 10 * 60_000;
      fake.resetRequests();
      const result = await source.collect(silentContext());
      expect(result.errors).toEqual([]);
      perPoll.push(fake.requests.filter((request) => isTraffic(request.path)).length);
    }
    const hour = perPoll.reduce((sum, count) => sum + count, 0);
    recordBench({ bench: BENCH, name: 'traffic REST requests per poll, default intervals (most)', value: Math.max(...perPoll), unit: 'requests' });
    recordBench({ bench: BENCH, name: 'share of the hourly REST budget traffic takes, default intervals', value: percent(hour / REST_LIMIT), unit: '%', target: `≤ ${TRAFFIC_BUDGET_SHARE * 100}%`, met: hour / REST_LIMIT <= TRAFFIC_BUDGET_SHARE });
  });
});
