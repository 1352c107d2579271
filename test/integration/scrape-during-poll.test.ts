// Issue 15: a scrape never waits on a poll. A real `footprint serve` polls the loopback GitHub fake; the
// fake then holds every request unanswered (a poll stuck mid-flight for as long as the source's
// timeout), and /metrics still answers at once with the values of the last finished poll.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub, type FakeRepo } from '../fakes/github/index.js';
import { createTempHome, type TempHome } from '../e2e/web/support/temp-home.js';
import { metricValue, startServe, waitFor, type ServeProcess } from '../support/footprint-process.js';
import { fakeGitHubToken } from '../support/test-tokens.js';

const OWNERS = 3;
const REPOS_PER_OWNER = 100;
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

function repos(): FakeRepo[] {
  return Array.from({ length: OWNERS * REPOS_PER_OWNER }, (_, index) => ({
    owner: `org-${index % OWNERS}`, name: `repo-${index}`, stars: index * 5, forks: 1, watchers: 1,
    openIssues: 0, openPulls: 0, sizeKb: 10, license: 'mit', language: 'Go',
  }));
}

describe('a scrape during a poll', () => {
  it('is answered at once with the last poll\'s values while the poll is held mid-flight by the API', async () => {
    const token = fakeGitHubToken();
    fake = await startFakeGitHub({ token, repos: repos() });
    home = createTempHome('footprint-scrape-poll-');
    const config = path.join(home.dir, 'footprint.yaml');
    const orgs = Array.from({ length: OWNERS }, (_, index) => `org-${index}`);
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
