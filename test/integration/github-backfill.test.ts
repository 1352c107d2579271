// The GitHub source's backfill against the loopback fake: star history over more than 400 pages with
// GraphQL (no 40,000 cap), exact resumption from saved cursors, batches of repositories in one query,
// stargazer lists refused to non-admins, the REST path without a token up to GitHub's page 400, fork
// history, release markers and the budget each step reports.
import { describe, expect, it } from 'vitest';
import { endOfUtcDay } from '../../electron/core/backfill/contract.js';
import type { Backfiller, BackfillTask, DatedSample } from '../../electron/core/backfill/contract.js';
import { RateLimitedError } from '../../electron/core/source.js';
import { createGitHubSource, githubConfigSchema } from '../../electron/core/sources/github/index.js';
import type { GitHubSourceOptions } from '../../electron/core/sources/github/index.js';
import { startFakeGitHub } from '../fakes/github/index.js';
import type { FakeGitHub, FakeGitHubOptions, FakeRepo } from '../fakes/github/index.js';
import { runBackfill } from '../support/backfill-loop.js';
import { closedAfterEach } from '../support/closed-after-each.js';
import { fakeGitHubToken } from '../support/test-tokens.js';
import { collectContext as context } from '../support/collect-context.js';

const TOKEN = fakeGitHubToken();
const DAY_MS = 86_400_000;
/** "Now" for every backfill here, so no test depends on the day it runs. */
const NOW = Date.parse('2025-01-15T12:00:00Z');
const TODAY = Math.floor(NOW / DAY_MS) * DAY_MS;
const STARS_NEED_ACCESS = 'star history needs admin or collaborator access to this repository';

const fakeGitHub = closedAfterEach(startFakeGitHub);

function repo(owner: string, name: string, overrides: Partial<FakeRepo> = {}): FakeRepo {
  return {
    owner,
    name,
    stars: 0,
    forks: 0,
    watchers: 3,
    openIssues: 1,
    openPulls: 0,
    sizeKb: 100,
    license: 'mit',
    language: 'Go',
    createdAt: '2019-03-01T00:00:00Z',
    updatedAt: '2024-06-30T00:00:00Z',
    ...overrides,
  };
}


const FAST: GitHubSourceOptions = { retryAfterUnitMs: 5, retryDelayMs: 5, now: () => NOW };

function source(fake: FakeGitHub, config: Record<string, unknown>, options: GitHubSourceOptions = FAST) {
  return createGitHubSource(githubConfigSchema.parse({ apiUrl: fake.url, interval: '1m', ...config }), options);
}

function backfillerOf(fake: FakeGitHub, config: Record<string, unknown>, options: GitHubSourceOptions = FAST): Backfiller {
  const backfill = source(fake, config, options).backfill;
  if (!backfill) throw new Error('the GitHub source offers no backfill');
  return backfill;
}

/**
 * The history the fake's own list implies, computed the plain way: for each UTC day before today on
 * which an item arrived, the number of items that had arrived by the end of that day.
 */
function expectedHistory(times: readonly number[], today = TODAY): { time: number; value: number }[] {
  const points: { time: number; value: number }[] = [];
  let count = 0;
  for (const time of times) {
    if (time >= today) break;
    count += 1;
    const last = points.at(-1);
    if (last?.time === endOfUtcDay(time)) last.value = count;
    else points.push({ time: endOfUtcDay(time), value: count });
  }
  return points;
}

function pointsOf(samples: readonly DatedSample[] | undefined): { time: number; value: number }[] {
  return (samples ?? []).map(({ time, value }) => ({ time, value }));
}

function taskOf(tasks: readonly BackfillTask[], key: string): BackfillTask {
  const task = tasks.find((candidate) => candidate.key === key);
  if (!task) throw new Error(`no task ${key} in ${tasks.map((candidate) => candidate.key).join(', ')}`);
  return task;
}

function graphqlRequests(fake: FakeGitHub, field: string): number {
  return fake.requests.filter((request) => request.graphql && request.graphqlQuery?.includes(field)).length;
}

async function startFake(repos: FakeRepo[], options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  return fakeGitHub({ repos, token: TOKEN, ...options });
}

describe('GitHub backfill with a token (GraphQL)', () => {
  it('reads 45,000 stars over 450 pages — past REST’s 400-page cap — and stores each day’s count at the end of that day', async () => {
    const fake = await startFake([repo('acme', 'rocket', { stars: 45_000, growth: 'accelerating' })]);
    const backfill = backfillerOf(fake, { token: TOKEN, repos: ['acme/rocket'] });
    const { ctx } = context();

    const { tasks } = await backfill.plan(ctx);
    const stars = taskOf(tasks, 'stars:acme/rocket');
    expect(stars).toMatchObject({ title: 'acme/rocket stars', target: 'repo:acme/rocket', totalUnits: 45_000, estimatedRequests: 450 });

    fake.resetRequests();
    const run = await runBackfill(backfill, [stars], ctx);
    expect(run.ends.get(stars.key)).toEqual({ kind: 'complete' });
    expect(graphqlRequests(fake, 'stargazers(')).toBe(450);
    expect(fake.requests.every((request) => request.status === 200)).toBe(true);

    const expected = expectedHistory(fake.stargazerTimes('acme/rocket'));
    // Quadratic growth: early days without a star, later days with dozens, days spanning pages.
    expect(expected.length).toBeGreaterThan(1000);
    expect(expected.at(-1)).toEqual({ time: endOfUtcDay(Date.parse('2024-06-30T00:00:00Z')), value: 45_000 });
    expect(pointsOf(run.samples.get(stars.key))).toEqual(expected);
    expect(run.progress.get(stars.key)).toEqual({ doneUnits: 45_000, totalUnits: 45_000 });
  });

  it('writes the series the poll writes: same metric, same labels', async () => {
    const fake = await startFake([repo('Acme', 'Rocket', { stars: 150, forks: 30, private: true, archived: true, license: 'apache-2.0', language: null })]);
    const config = { token: TOKEN, repos: ['acme/rocket'] };
    const { ctx } = context();
    const polled = await source(fake, config).collect(ctx);
    const backfill = backfillerOf(fake, config);
    const { tasks } = await backfill.plan(ctx);
    // GitHub's spelling of the names, whatever the config says.
    expect(tasks.map((task) => task.key)).toEqual(['stars:Acme/Rocket', 'forks:Acme/Rocket']);
    const run = await runBackfill(backfill, tasks, ctx);
    for (const [key, metric] of [['stars:Acme/Rocket', 'github_repo_stars'], ['forks:Acme/Rocket', 'github_repo_forks']] as const) {
      const live = polled.samples.find((sample) => sample.metric === metric)!;
      const history = run.samples.get(key)!;
      expect(history.length).toBeGreaterThan(0);
      for (const sample of history) expect({ metric: sample.metric, labels: sample.labels }).toEqual({ metric: live.metric, labels: live.labels });
    }
  });

  it('resumes from any saved cursor exactly: a fresh backfiller per step gives what one pass gives', async () => {
    // 2,450 stars over two days a page boundary falls inside of, and one day per page elsewhere.
    const fake = await startFake([repo('acme', 'rocket', { stars: 2_450, growth: 'accelerating', createdAt: '2024-01-01T00:00:00Z', updatedAt: '2024-02-01T00:00:00Z' })]);
    const config = { token: TOKEN, repos: ['acme/rocket'] };
    const { ctx } = context();
    const { tasks } = await backfillerOf(fake, config).plan(ctx);
    const stars = [taskOf(tasks, 'stars:acme/rocket')];
    const onePass = await runBackfill(backfillerOf(fake, config), stars, ctx);

    // Restart after every single step: each backfiller only sees the cursor the previous one saved.
    const resumed: DatedSample[] = [];
    let cursors = new Map<string, string>();
    let steps = 0;
    for (;;) {
      const run = await runBackfill(backfillerOf(fake, config), stars, ctx, { cursors, maxSteps: 1 });
      steps += run.steps;
      resumed.push(...(run.samples.get('stars:acme/rocket') ?? []));
      if (run.ends.has('stars:acme/rocket')) break;
      cursors = run.cursors;
    }
    expect(steps).toBe(25);
    expect(onePass.steps).toBe(25);
    expect(resumed).toEqual(onePass.samples.get('stars:acme/rocket'));
    expect(pointsOf(resumed)).toEqual(expectedHistory(fake.stargazerTimes('acme/rocket')));
    // No day twice, none missing.
    expect(new Set(resumed.map((sample) => sample.time)).size).toBe(resumed.length);
  });

  it('advances 50 repositories per query: 1 point each, every repository’s own history', async () => {
    const repos = Array.from({ length: 60 }, (_, index) => repo('acme', `lib-${String(index).padStart(2, '0')}`, { stars: 1 + ((index * 37) % 320), forks: index % 4 }));
    const fake = await startFake(repos, { graphqlPricing: 'github' });
    const backfill = backfillerOf(fake, { token: TOKEN, orgs: ['acme'] });
    const { ctx } = context();
    expect(backfill.batchSize).toBe(50);
    const { tasks } = await backfill.plan(ctx);
    const starTasks = tasks.filter((task) => task.key.startsWith('stars:'));
    expect(starTasks).toHaveLength(60);

    fake.resetRequests();
    const run = await runBackfill(backfill, starTasks, ctx);
    const pages = starTasks.reduce((sum, task) => sum + task.estimatedRequests, 0);
    // Far fewer requests than pages: 50 pages per request while the batch is full.
    expect(pages).toBe(repos.reduce((sum, item) => sum + Math.ceil(item.stars / 100), 0));
    expect(fake.requests.length).toBe(run.steps);
    expect(run.steps).toBeLessThan(pages / 5);
    expect(fake.requests[0]!.graphqlQuery).toContain('t49: repository(');
    // GitHub's pricing: 50 connections under single repositories cost 1 point.
    expect(run.budgets.map((budget) => budget.remaining)).toEqual(run.budgets.map((_, index) => run.budgets[0]!.remaining - index));
    for (const item of repos) {
      const key = `stars:acme/${item.name}`;
      expect(run.ends.get(key)).toEqual({ kind: 'complete' });
      expect(pointsOf(run.samples.get(key))).toEqual(expectedHistory(fake.stargazerTimes(`acme/${item.name}`)));
    }
  });

  it('says a refused (FORBIDDEN) or empty stargazer list needs admin or collaborator access, per repository, while the rest goes on', async () => {
    const fake = await startFake([
      repo('acme', 'open', { stars: 120 }),
      repo('acme', 'refused', { stars: 80, forks: 5, stargazersHidden: 'forbidden' }),
      repo('acme', 'empty', { stars: 40, stargazersHidden: 'empty' }),
      repo('acme', 'unstarred', { stars: 0, forks: 2 }),
    ]);
    const backfill = backfillerOf(fake, { token: TOKEN, orgs: ['acme'] });
    const { ctx } = context();
    const { tasks } = await backfill.plan(ctx);
    // A repository without stars has no star history to read.
    expect(tasks.map((task) => task.key).filter((key) => key.startsWith('stars:')).sort()).toEqual(['stars:acme/empty', 'stars:acme/open', 'stars:acme/refused']);
    const run = await runBackfill(backfill, tasks, ctx);
    expect(run.ends.get('stars:acme/refused')).toEqual({ kind: 'unavailable', reason: STARS_NEED_ACCESS });
    expect(run.ends.get('stars:acme/empty')).toEqual({ kind: 'unavailable', reason: STARS_NEED_ACCESS });
    expect(run.ends.get('stars:acme/open')).toEqual({ kind: 'complete' });
    expect(pointsOf(run.samples.get('stars:acme/open'))).toEqual(expectedHistory(fake.stargazerTimes('acme/open')));
    expect(run.ends.get('forks:acme/refused')).toEqual({ kind: 'complete' });
    expect(run.ends.get('forks:acme/unstarred')).toEqual({ kind: 'complete' });
  });

  it('reads fork history by creation time, oldest first, past one page', async () => {
    const fake = await startFake([repo('acme', 'rocket', { stars: 10, forks: 250, growth: 'accelerating' })]);
    const backfill = backfillerOf(fake, { token: TOKEN, repos: ['acme/rocket'] });
    const { ctx } = context();
    const { tasks } = await backfill.plan(ctx);
    const forks = taskOf(tasks, 'forks:acme/rocket');
    expect(forks).toMatchObject({ totalUnits: 250, estimatedRequests: 3 });
    fake.resetRequests();
    const run = await runBackfill(backfill, [forks], ctx);
    expect(graphqlRequests(fake, 'forks(')).toBe(3);
    const history = run.samples.get(forks.key)!;
    expect(pointsOf(history)).toEqual(expectedHistory(fake.forkTimes('acme/rocket')));
    expect(history.at(-1)!.value).toBe(250);
    expect(new Set(history.map((sample) => sample.metric))).toEqual(new Set(['github_repo_forks']));
  });

  it('leaves today to the live poll: history stops at the end of yesterday and the task completes', async () => {
    const fake = await startFake([repo('acme', 'rocket', { stars: 3_000, createdAt: '2024-12-01T00:00:00Z', updatedAt: '2025-02-01T00:00:00Z' })]);
    const backfill = backfillerOf(fake, { token: TOKEN, repos: ['acme/rocket'] });
    const { ctx } = context();
    const run = await runBackfill(backfill, [taskOf((await backfill.plan(ctx)).tasks, 'stars:acme/rocket')], ctx);
    const times = fake.stargazerTimes('acme/rocket');
    const history = run.samples.get('stars:acme/rocket')!;
    expect(run.ends.get('stars:acme/rocket')).toEqual({ kind: 'complete' });
    expect(history.at(-1)).toMatchObject({ time: TODAY - 1, value: times.filter((time) => time < TODAY).length });
    expect(pointsOf(history)).toEqual(expectedHistory(times));
    // It stopped at the page that reached today instead of reading the stars of the days after it.
    expect(graphqlRequests(fake, 'stargazers(')).toBeLessThan(Math.ceil(times.filter((time) => time < TODAY).length / 100) + 2);
  });

  it('draws releases as markers at their publication, drafts left out, and says release downloads have no history', async () => {
    const releases = Array.from({ length: 130 }, (_, index) => ({
      name: `Release ${index}`,
      tag: `v1.${index}.0`,
      createdAt: new Date(Date.UTC(2022, 0, 1) + index * 3 * DAY_MS).toISOString(),
      draft: index === 7,
      assets: [{ name: 'tool.tgz', downloads: index }],
    }));
    const fake = await startFake([repo('acme', 'rocket', { stars: 5, releases }), repo('acme', 'plain', { stars: 5 })]);
    const backfill = backfillerOf(fake, { token: TOKEN, orgs: ['acme'] });
    const { ctx } = context();
    const { tasks } = await backfill.plan(ctx);
    expect(taskOf(tasks, 'releases:acme/rocket')).toMatchObject({ totalUnits: 130, estimatedRequests: 2 });
    expect(tasks.some((task) => task.key === 'releases:acme/plain')).toBe(false);
    expect(taskOf(tasks, 'downloads:org:acme')).toMatchObject({ target: 'org:acme', estimatedRequests: 0 });

    const run = await runBackfill(backfill, tasks, ctx);
    const markers = run.markers.get('releases:acme/rocket')!;
    expect(markers).toHaveLength(129);
    expect(markers[0]).toEqual({ kind: 'release', labels: { repo: 'rocket', user: 'acme' }, time: Date.UTC(2022, 0, 1), text: 'v1.0.0' });
    expect(markers.map((marker) => marker.text)).not.toContain('v1.7.0');
    expect(run.ends.get('downloads:org:acme')).toEqual({ kind: 'unavailable', reason: expect.stringMatching(/^release download counts have no history/) });
  });

  it('reports the GraphQL budget with every step and throws RateLimitedError with the reset time when GitHub says so', async () => {
    const fake = await startFake([repo('acme', 'rocket', { stars: 300 })]);
    const backfill = backfillerOf(fake, { token: TOKEN, repos: ['acme/rocket'] });
    const { ctx, statuses } = context();
    const { tasks, budget: planBudget } = await backfill.plan(ctx);
    expect(planBudget).toMatchObject({ resource: 'graphql', limit: 5000, remaining: 4999 });
    const stars = [taskOf(tasks, 'stars:acme/rocket')];
    const first = await backfill.step([{ task: stars[0]!, cursor: null }], ctx);
    expect(first.budget).toMatchObject({ resource: 'graphql', limit: 5000, remaining: 4998 });
    expect(first.budget!.resetAt).toBeGreaterThan(Date.now());
    expect(statuses).toHaveLength(2);

    const reset = Math.floor(Date.now() / 1000) + 3600;
    fake.failNext({ kind: 'primary', retryAfterSeconds: 3600 });
    const cursor = first.results[0]!.kind === 'progress' ? first.results[0]!.cursor : null;
    const limited = await backfill.step([{ task: stars[0]!, cursor }], ctx).catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect((limited as RateLimitedError).retryAt).toBeGreaterThanOrEqual(reset * 1000 - 1000);
    expect(String(limited)).not.toContain(TOKEN);
  });

  it('starts a history over when the saved position cannot be used (unreadable, or a cursor GitHub refuses)', async () => {
    const fake = await startFake([repo('acme', 'rocket', { stars: 250 })]);
    const backfill = backfillerOf(fake, { token: TOKEN, repos: ['acme/rocket'] });
    const { ctx } = context();
    const stars = taskOf((await backfill.plan(ctx)).tasks, 'stars:acme/rocket');
    const refused = await backfill.step([{ task: stars, cursor: JSON.stringify({ api: 'graphql', after: 'bm90IGEgY3Vyc29y', count: 100, openDay: null }) }], ctx);
    expect(refused.results[0]).toMatchObject({ kind: 'progress', samples: [], doneUnits: 0 });
    const restart = refused.results[0]!.kind === 'progress' ? refused.results[0]!.cursor : null;
    const fromRestart = await runBackfill(backfill, [stars], ctx, { cursors: new Map([[stars.key, restart!]]) });
    const fromGarbage = await runBackfill(backfill, [stars], ctx, { cursors: new Map([[stars.key, 'not json']]) });
    const expected = expectedHistory(fake.stargazerTimes('acme/rocket'));
    expect(pointsOf(fromRestart.samples.get(stars.key))).toEqual(expected);
    expect(pointsOf(fromGarbage.samples.get(stars.key))).toEqual(expected);
  });
});

describe('GitHub backfill failures', () => {
  it('plans what it can reach: a target GitHub cannot find is left out, not a failure', async () => {
    const fake = await startFake([repo('acme', 'rocket', { stars: 5 })]);
    const { ctx } = context();
    const { tasks } = await backfillerOf(fake, { token: TOKEN, orgs: ['no-such-org'], repos: ['acme/rocket', 'acme/gone'] }).plan(ctx);
    expect(tasks.map((task) => task.key)).toEqual(['stars:acme/rocket']);
  });

  it('fails the plan as a whole when GitHub cannot answer (the runner plans again later)', async () => {
    const fake = await startFake([repo('acme', 'rocket', { stars: 5 })]);
    fake.failNext({ kind: 502, times: 10 });
    const { ctx } = context();
    await expect(backfillerOf(fake, { token: TOKEN, orgs: ['acme'] }).plan(ctx)).rejects.toThrow();
  });

  it('fails only the task of a repository gone since the plan', async () => {
    const fake = await startFake([repo('acme', 'rocket', { stars: 5 }), repo('acme', 'gone', { stars: 5 })]);
    const backfill = backfillerOf(fake, { token: TOKEN, orgs: ['acme'] });
    const { ctx } = context();
    const { tasks } = await backfill.plan(ctx);
    fake.removeRepo('acme/gone');
    const run = await runBackfill(backfill, tasks, ctx);
    expect(run.ends.get('stars:acme/rocket')).toEqual({ kind: 'complete' });
    expect(run.ends.get('stars:acme/gone')).toEqual({ kind: 'failed', error: 'repository acme/gone not found on GitHub: renamed, deleted or no longer visible to the token' });
  });

  it('stops a step when the core stops, with the stop’s reason', async () => {
    const fake = await startFake([repo('acme', 'rocket', { stars: 5 })], { latencyMs: 5_000 });
    const backfill = backfillerOf(fake, { token: TOKEN, repos: ['acme/rocket'] });
    const controller = new AbortController();
    const { ctx } = context();
    const stop = new Error('shutting down');
    const step = backfill.step([{ task: { key: 'stars:acme/rocket', title: 'acme/rocket stars', target: 'repo:acme/rocket', totalUnits: 5, estimatedRequests: 1 }, cursor: null }], { ...ctx, signal: controller.signal });
    setTimeout(() => controller.abort(stop), 20);
    await expect(step).rejects.toBe(stop);
  });
});

describe('GitHub backfill without a token (REST)', () => {
  it('resumes from a saved page exactly, even in a fresh process that never planned', async () => {
    const fake = await fakeGitHub({ repos: [repo('acme', 'rocket', { stars: 1_250, growth: 'accelerating', createdAt: '2024-01-01T00:00:00Z', updatedAt: '2024-01-20T00:00:00Z' })], rateLimit: { anonymous: 10_000 } });
    const config = { repos: ['acme/rocket'] };
    const { ctx } = context();
    const stars = taskOf((await backfillerOf(fake, config).plan(ctx)).tasks, 'stars:acme/rocket');
    const resumed: DatedSample[] = [];
    let cursors = new Map<string, string>();
    for (;;) {
      const run = await runBackfill(backfillerOf(fake, config), [stars], ctx, { cursors, maxSteps: 1 });
      resumed.push(...(run.samples.get(stars.key) ?? []));
      if (run.ends.has(stars.key)) break;
      cursors = run.cursors;
    }
    expect(pointsOf(resumed)).toEqual(expectedHistory(fake.stargazerTimes('acme/rocket')));
    expect(resumed.at(-1)!.labels).toMatchObject({ repo: 'rocket', user: 'acme', license: 'mit', language: 'Go' });
  });


  it('reads stargazers with starred_at up to page 400, then says the rest needs a token', async () => {
    const fake = await fakeGitHub({ repos: [repo('acme', 'rocket', { stars: 40_250, growth: 'accelerating' })], rateLimit: { anonymous: 10_000 } });
    const backfill = backfillerOf(fake, { repos: ['acme/rocket'] });
    const { ctx } = context();
    expect(backfill.batchSize).toBe(1);
    const { tasks, budget } = await backfill.plan(ctx);
    expect(budget).toMatchObject({ resource: 'core', limit: 10_000 });
    const stars = taskOf(tasks, 'stars:acme/rocket');
    expect(stars).toMatchObject({ totalUnits: 40_250, estimatedRequests: 401 });

    fake.resetRequests();
    const run = await runBackfill(backfill, [stars], ctx);
    const pages = fake.requests.filter((request) => request.path.includes('/stargazers'));
    expect(pages).toHaveLength(401);
    expect(pages.at(-1)).toMatchObject({ status: 422, authenticated: false });
    expect(pages.at(-1)!.path).toContain('page=401');
    const end = run.ends.get(stars.key);
    expect(end).toMatchObject({ kind: 'unavailable' });
    expect(end?.kind === 'unavailable' && end.reason).toMatch(/^star history without a token stops at 40,000 stars \(history up to \d{4}-\d\d-\d\d is stored\): add a token in github\.token to read the rest$/);

    // Every day before the one the 40,000th star fell on is stored, exactly.
    const times = fake.stargazerTimes('acme/rocket');
    const cutDay = Math.floor(times[39_999]! / DAY_MS) * DAY_MS;
    expect(pointsOf(run.samples.get(stars.key))).toEqual(expectedHistory(times.slice(0, 40_000), cutDay));
    expect(end?.kind === 'unavailable' && end.reason).toContain(new Date(cutDay - DAY_MS).toISOString().slice(0, 10));
    expect(run.budgets.at(-1)).toMatchObject({ resource: 'core' });
  });

  it('reads a smaller star history completely, forks oldest first, release markers, and labels like the poll', async () => {
    const fake = await fakeGitHub({
      repos: [
        repo('acme', 'rocket', {
          stars: 230,
          forks: 130,
          language: null,
          releases: [
            { name: 'One', tag: 'v1', createdAt: '2023-05-01T10:00:00Z', assets: [] },
            { name: 'Draft', tag: 'v2', createdAt: '2023-06-01T10:00:00Z', draft: true, assets: [] },
          ],
        }),
        repo('acme', 'refused', { stars: 50, stargazersHidden: 'forbidden' }),
        repo('acme', 'empty', { stars: 50, stargazersHidden: 'empty' }),
      ],
      rateLimit: { anonymous: 10_000 },
    });
    const config = { orgs: ['acme'] };
    const { ctx } = context();
    const polled = await source(fake, config).collect(ctx);
    const backfill = backfillerOf(fake, config);
    const { tasks } = await backfill.plan(ctx);
    const run = await runBackfill(backfill, tasks, ctx);

    expect(pointsOf(run.samples.get('stars:acme/rocket'))).toEqual(expectedHistory(fake.stargazerTimes('acme/rocket')));
    expect(pointsOf(run.samples.get('forks:acme/rocket'))).toEqual(expectedHistory(fake.forkTimes('acme/rocket')));
    expect(fake.requests.filter((request) => request.path.includes('/forks')).every((request) => request.path.includes('sort=oldest'))).toBe(true);
    const live = polled.samples.find((sample) => sample.metric === 'github_repo_stars' && sample.labels['repo'] === 'rocket')!;
    expect(run.samples.get('stars:acme/rocket')![0]!.labels).toEqual(live.labels);
    expect(run.markers.get('releases:acme/rocket')).toEqual([{ kind: 'release', labels: { repo: 'rocket', user: 'acme' }, time: Date.parse('2023-05-01T10:00:00Z'), text: 'v1' }]);
    expect(run.ends.get('stars:acme/refused')).toEqual({ kind: 'unavailable', reason: STARS_NEED_ACCESS });
    expect(run.ends.get('stars:acme/empty')).toEqual({ kind: 'unavailable', reason: STARS_NEED_ACCESS });
    expect(run.ends.get('downloads:org:acme')).toMatchObject({ kind: 'unavailable' });
    expect([...run.ends.values()].filter((end) => end.kind === 'failed')).toEqual([]);
  });
});
