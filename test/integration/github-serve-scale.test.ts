// Issue 15 through a real `footprint serve` polling the loopback GitHub fake:
// - a scrape never waits on a poll: the fake holds every request unanswered (a poll stuck mid-flight for
//   as long as the source's timeout), and /metrics still answers at once with the last finished poll;
// - when the GitHub budget cannot cover the configured interval, Footprint says so in Health
//   (/api/health, /healthz) after a poll and at the next start-up (a stdout hint line and a log line),
//   naming the interval that fits — against the fake charging GraphQL points as GitHub does.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SourceHealth } from '../../shared/api.js';
import { startFakeGitHub, type FakeGitHub, type FakeRepo } from '../fakes/github/index.js';
import { createTempHome, type TempHome } from '../e2e/web/support/temp-home.js';
import { metricValue, startServe, waitFor, type ServeProcess } from '../support/footprint-process.js';
import { fakeGitHubToken } from '../support/test-tokens.js';

const OWNERS = 10;
const REPOS_PER_OWNER = 100;
const GRAPHQL_POINTS_PER_HOUR = 5_000;
/** The scrape test's owners (300 repositories). */
const SCRAPED_OWNERS = 3;
/** Far longer than the test: the held poll cannot end by timing out while the scrape is made. */
const SOURCE_TIMEOUT = '5m';

let fake: FakeGitHub | undefined;
let home: TempHome | undefined;
let serve: ServeProcess | undefined;

afterEach(async () => {
  await serve?.stop();
  await fake?.close();
  home?.remove();
  serve = undefined;
  fake = undefined;
  home = undefined;
});

function repos(owners = OWNERS): FakeRepo[] {
  return Array.from({ length: owners * REPOS_PER_OWNER }, (_, index) => ({
    owner: `org-${index % owners}`, name: `repo-${index}`, stars: index * 5, forks: 1, watchers: 1,
    openIssues: 0, openPulls: 0, sizeKb: 10, license: 'mit', language: 'Go',
  }));
}

async function health(url: string): Promise<SourceHealth> {
  const answer = await fetch(`${url}/api/health`);
  const list = (await answer.json()) as SourceHealth[];
  return list.find((item) => item.id === 'github')!;
}

describe('a GitHub budget that cannot cover the interval', () => {
  it('is said in Health after a poll and at the next start-up, with the interval that fits', async () => {
    const token = fakeGitHubToken();
    fake = await startFakeGitHub({ token, repos: repos(), graphqlPricing: 'github', rateLimit: { graphql: GRAPHQL_POINTS_PER_HOUR, core: 5_000 } });
    home = createTempHome('footprint-poll-budget-');
    const orgs = Array.from({ length: OWNERS }, (_, index) => `org-${index}`);
    const configFile = path.join(home.dir, 'footprint.yaml');
    const write = (interval: string) => writeFileSync(configFile, `storage: { path: "./history.db" }\ngithub:\n  apiUrl: "${fake!.url}"\n  token: "\${GITHUB_TOKEN}"\n  orgs: [${orgs.join(', ')}]\n  interval: ${interval}\n  traffic: { enabled: false }\nbackfill: { enabled: false }\n`);
    const env = { ...home.env, GITHUB_TOKEN: token, FOOTPRINT_LOG_LEVEL: 'warn' };
    write('1m');

    serve = await startServe(['--config', configFile, '--listen', '127.0.0.1:0'], env);
    // A first start ever knows no poll's spending: nothing is said before the poll.
    expect(serve.output().stdout).not.toContain('API budget');
    const polled = await waitFor(async () => {
      const github = await health(serve!.url);
      return github.lastSuccessAt !== null && github.state === 'idle' ? github : undefined;
    }, 'the first poll', 60_000);
    // What the fake charged for the poll: ten owner pages at GitHub's pricing (and no other query).
    const charged = fake.requests.filter((request) => request.graphql).length;
    expect(charged).toBe(OWNERS);
    const warning = polled.budgetWarning ?? '';
    // Only the listing's GraphQL points are judged: the contributor counts' REST requests are paced apart.
    expect(warning).not.toContain('"core"');
    const spent = Number(/a poll spends ([\d,]+) of the "graphql" API budget/.exec(warning)?.[1]?.replaceAll(',', ''));
    expect(spent).toBeGreaterThan(GRAPHQL_POINTS_PER_HOUR / 60);
    // The spending is what GitHub charged: the fake's GraphQL budget went down by exactly that (the scarcest shown).
    expect(polled.apiBudget?.limit).toBe(GRAPHQL_POINTS_PER_HOUR);
    expect(polled.apiBudget?.remaining).toBe(GRAPHQL_POINTS_PER_HOUR - spent);
    const fitsMinutes = Math.ceil((spent * 60) / GRAPHQL_POINTS_PER_HOUR);
    expect(warning).toContain(`polling every 1m needs ${(spent * 60).toLocaleString('en-US')} an hour, more than the 5,000 the API allows`);
    const fitting = /an interval of (\d+)m fits: set github\.interval: \1m$/.exec(warning);
    expect(fitting).not.toBeNull();
    expect(Number(fitting![1])).toBeGreaterThanOrEqual(fitsMinutes);

    const healthz = (await (await fetch(`${serve.url}/healthz`)).json()) as { sources: { source: string; budgetWarning?: string }[] };
    expect(healthz.sources.find((item) => item.source === 'github')?.budgetWarning).toBe(warning);
    await serve.stop();

    // The next start judges the stored poll: the hint on stdout, the same words in a log line on stderr.
    serve = await startServe(['--config', configFile, '--listen', '127.0.0.1:0'], env);
    await waitFor(() => (serve!.output().stderr.includes('API budget') ? true : undefined), 'the start-up log line');
    const { stdout, stderr } = serve.output();
    expect(stdout.split('\n')).toContain(warning);
    const logged = stderr.split('\n').filter((line) => line.includes('API budget')).map((line) => JSON.parse(line) as { level: number; msg: string; source: string });
    expect(logged).toEqual([expect.objectContaining({ msg: warning, source: 'github', level: 40 })]);
    // Stopped between polls, not during its start-up poll.
    await waitFor(async () => ((await health(serve!.url)).state === 'idle' ? true : undefined), 'the start-up poll to end', 60_000);
    await serve.stop();

    // At the interval it named, nothing is said.
    write(`${fitting![1]}m`);
    serve = await startServe(['--config', configFile, '--listen', '127.0.0.1:0'], env);
    expect(serve.output().stdout).not.toContain('API budget');
    expect((await health(serve.url)).budgetWarning).toBeUndefined();
  }, 120_000);
});

describe('a scrape during a poll', () => {
  it('is answered at once with the last poll\'s values while the poll is held mid-flight by the API', async () => {
    const token = fakeGitHubToken();
    fake = await startFakeGitHub({ token, repos: repos(SCRAPED_OWNERS) });
    home = createTempHome('footprint-scrape-poll-');
    const config = path.join(home.dir, 'footprint.yaml');
    const orgs = Array.from({ length: SCRAPED_OWNERS }, (_, index) => `org-${index}`);
    writeFileSync(config, `storage: { path: "./history.db" }\ngithub:\n  apiUrl: "${fake.url}"\n  token: "\${GITHUB_TOKEN}"\n  orgs: [${orgs.join(', ')}]\n  interval: 1h\n  timeout: ${SOURCE_TIMEOUT}\n  traffic: { enabled: false }\nbackfill: { enabled: false }\n`);
    serve = await startServe(['--config', config, '--listen', '127.0.0.1:0'], { ...home.env, GITHUB_TOKEN: token, FOOTPRINT_LOG_LEVEL: 'warn' });
    const url = serve.url;
    const scrape = async () => (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
    const stars = (text: string) => metricValue(text, 'github_repo_stars', { user: 'org-2', repo: 'repo-299' });

    const polled = await waitFor(async () => {
      const text = await scrape();
      return metricValue(text, 'footprint_source_up', { source: 'github' }) === 1 ? text : undefined;
    }, 'the first poll');
    const attemptBefore = metricValue(polled, 'footprint_source_last_attempt_timestamp_seconds', { source: 'github' });
    expect(stars(polled)).toBe(299 * 5);

    // The API stops answering; a refresh starts a poll whose requests the fake holds. Its answer comes
    // when the poll ends, which it does not while the fake holds it (serve's stop ends the request).
    fake.setHanging(true);
    const refresh = fetch(`${url}/api/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"args":["github"]}' }).catch(() => undefined);
    await waitFor(() => (fake!.hungRequests > 0 ? true : undefined), 'the poll to reach the held API');

    const during = await scrape();
    // The poll is still held: nothing has answered it, and its attempt has not been recorded.
    expect(fake.hungRequests).toBeGreaterThan(0);
    expect(metricValue(during, 'footprint_source_last_attempt_timestamp_seconds', { source: 'github' })).toBe(attemptBefore);
    expect(stars(during)).toBe(299 * 5);
    expect(metricValue(during, 'footprint_source_up', { source: 'github' })).toBe(1);
    // And the refresh is indeed still waiting on its poll.
    expect(await Promise.race([refresh.then(() => 'answered'), new Promise((resolve) => setTimeout(() => resolve('waiting'), 200))])).toBe('waiting');
  });
});
