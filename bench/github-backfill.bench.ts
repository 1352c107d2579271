// GitHub backfill cost behind the loopback fake with 50 ms latency per request and GitHub's GraphQL
// pricing: one repository with 100,000 stars (requests, wall time, day points stored) and 1,000
// repositories averaging 500 stars (requests, wall time), each with the share of an hour's 5,000
// GraphQL points it used. The Backfiller is driven as the runner drives it: plan, then steps of up to
// `batchSize` tasks until every task is done.
import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { CollectContext } from '../electron/core/source.js';
import { createGitHubSource, githubConfigSchema } from '../electron/core/sources/github/index.js';
import { startFakeGitHub } from '../test/fakes/github/index.js';
import type { FakeGitHub, FakeRepo } from '../test/fakes/github/index.js';
import { runBackfill } from '../test/support/backfill-loop.js';
import { recordBench } from './report.js';

const BENCH = 'github backfill';
const LATENCY_MS = 50;
const TOKEN = 'ghp_benchBackfillToken';
const GRAPHQL_POINTS_PER_HOUR = 5_000;
const DAY_MS = 86_400_000;

function repo(owner: string, name: string, stars: number, createdAt: string): FakeRepo {
  return { owner, name, stars, forks: 0, watchers: 1, openIssues: 0, openPulls: 0, sizeKb: 100, license: 'mit', language: 'Go', createdAt, updatedAt: '2024-12-31T00:00:00Z', growth: 'accelerating' };
}

function silentContext(): CollectContext {
  return { log: pino({ level: 'silent' }), signal: new AbortController().signal, countRequest: () => undefined };
}

let fake: FakeGitHub | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function backfillAll(config: Record<string, unknown>) {
  const backfill = createGitHubSource(githubConfigSchema.parse({ apiUrl: fake!.url, token: TOKEN, ...config })).backfill!;
  const ctx = silentContext();
  fake!.resetRequests();
  const started = performance.now();
  const { tasks } = await backfill.plan(ctx);
  const run = await runBackfill(backfill, tasks, ctx);
  const wallMs = Math.round(performance.now() - started);
  expect([...run.ends.values()].every((end) => end.kind === 'complete')).toBe(true);
  expect(run.ends.size).toBe(tasks.length);
  const remaining = run.budgets.at(-1)!.remaining;
  return { tasks, run, wallMs, requests: fake!.requests.length, points: GRAPHQL_POINTS_PER_HOUR - remaining };
}

function share(points: number): number {
  return Math.round((points / GRAPHQL_POINTS_PER_HOUR) * 1000) / 10;
}

describe('GitHub backfill', () => {
  it('one repository with 100,000 stars', async () => {
    const created = '2015-01-01T00:00:00Z';
    fake = await startFakeGitHub({ repos: [repo('acme', 'giant', 100_000, created)], latencyMs: LATENCY_MS, token: TOKEN, graphqlPricing: 'github' });
    const { run, wallMs, requests, points } = await backfillAll({ repos: ['acme/giant'] });
    const days = run.samples.get('stars:acme/giant')!.length;
    const lifeDays = Math.ceil((Date.parse('2025-01-01T00:00:00Z') - Date.parse(created)) / DAY_MS);
    // The floor is 1,000 pages of 100, plus the plan's listing.
    recordBench({ bench: BENCH, name: 'requests, 100,000 stars (plan included)', value: requests, unit: 'requests', target: '≤ 1001', met: requests <= 1001 });
    // One list is read page after page (each cursor comes from the page before): 1,000 × 50 ms is the floor.
    recordBench({ bench: BENCH, name: `wall time, 100,000 stars (${LATENCY_MS} ms latency; floor ${(1001 * LATENCY_MS).toLocaleString('en-US')} ms)`, value: wallMs, unit: 'ms' });
    recordBench({ bench: BENCH, name: `day points stored, 100,000 stars over ${lifeDays} days`, value: days, unit: 'points', target: `≤ ${lifeDays}`, met: days <= lifeDays });
    recordBench({ bench: BENCH, name: 'GraphQL budget used, 100,000 stars', value: share(points), unit: `% of ${GRAPHQL_POINTS_PER_HOUR} points (${points})` });
  });

  it('1,000 repositories averaging 500 stars', async () => {
    const repos = Array.from({ length: 1_000 }, (_, index) =>
      // 1…1,000 stars, each count once: 500.5 on average.
      repo(`owner-${Math.floor(index / 100)}`, `repo-${index}`, 1 + ((index * 379) % 1000), new Date(Date.UTC(2016, 0, 1) + (index % 1500) * DAY_MS).toISOString()),
    );
    fake = await startFakeGitHub({ repos, latencyMs: LATENCY_MS, token: TOKEN, graphqlPricing: 'github' });
    const stars = repos.reduce((sum, item) => sum + item.stars, 0);
    const pages = repos.reduce((sum, item) => sum + Math.ceil(item.stars / 100), 0);
    const { tasks, wallMs, requests, points } = await backfillAll({ orgs: Array.from({ length: 10 }, (_, index) => `owner-${index}`) });
    expect(tasks).toHaveLength(1_000);
    expect(stars / repos.length).toBe(500.5);
    recordBench({ bench: BENCH, name: `requests, 1,000 repositories / ${stars.toLocaleString('en-US')} stars (${pages} pages of 100; plan included)`, value: requests, unit: 'requests', target: `< ${Math.ceil(pages / 10)}`, met: requests < pages / 10 });
    recordBench({ bench: BENCH, name: `wall time, 1,000 repositories (${LATENCY_MS} ms latency)`, value: wallMs, unit: 'ms' });
    recordBench({ bench: BENCH, name: 'GraphQL budget used, 1,000 repositories', value: share(points), unit: `% of ${GRAPHQL_POINTS_PER_HOUR} points (${points})` });
  });
});
