// Memory of `footprint serve` (issue 12), a menubar app's server that runs all day beside a browser:
// resident memory (RSS) of a real child process idle without a source, with 1,000 repositories of the
// loopback GitHub fake after its first poll (30 days of history stored before), and after a burst of
// the largest API requests and /metrics scrapes followed by 60 s idle. Bare Node's RSS is the floor.
// And issue 15's large organisations: 10,000 repositories of 100 owners, RSS after the first refresh
// and after a second one (with /metrics scraped), on a fresh history file.
// Backfill is off: against a fake that answers at once it would read every repository's past flat
// out during the measurements, where a real API's rate limit spreads it over hours.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub, type FakeRepo } from '../test/fakes/github/index.js';
import { seedGitHubHistory } from '../test/e2e/web/support/seed-history.js';
import { createTempHome, type TempHome } from '../test/e2e/web/support/temp-home.js';
import { runFootprint, startServe, waitFor, type ServeProcess } from '../test/support/footprint-process.js';
import { median, recordBench } from './report.js';
import { agent, heavyReads, latestSeries, request, round, rssMb, sleep } from './support/serve-client.js';

const BENCH = 'memory';
const ORGS = 10;
const REPOS_PER_ORG = 100;
const REPOS = ORGS * REPOS_PER_ORG;
const HISTORY_DAYS = 30;
const DAY_MS = 86_400_000;
/** After a start or a poll, before measuring: timers and the first garbage collections run. */
const SETTLE_MS = 5_000;
/** When RSS is read between two polls: V8's memory reducer has collected the poll's garbage by then. */
const BETWEEN_POLLS_MS = 30_000;
const LOAD_CLIENTS = 4;
const LOAD_MS = 20_000;
const IDLE_AFTER_LOAD_MS = 60_000;
const IDLE_TARGET_MB = 80;
const REPOS_TARGET_MB = 130;
const AFTER_LOAD_FACTOR = 1.2;
const LARGE_ORGS = 100;
const LARGE_REPOS = LARGE_ORGS * REPOS_PER_ORG;
const LARGE_TARGET_MB = 250;

const token = `ghp_${randomBytes(18).toString('hex')}`;

function repos(count = REPOS, orgs = ORGS): FakeRepo[] {
  return Array.from({ length: count }, (_, index) => ({
    owner: `org-${index % orgs}`, name: `repo-${index}`, stars: index * 7, forks: index % 90, watchers: index % 40,
    openIssues: index % 30, openPulls: index % 7, sizeKb: 100 + index * 13, license: 'mit', language: 'TypeScript',
  }));
}

/** RSS of `node -e` with a timer and nothing else: what any Node process holds. */
async function bareNodeRss(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e9)'], { stdio: 'ignore' });
  try {
    await sleep(SETTLE_MS);
    return rssMb(child.pid!);
  } finally {
    child.kill();
  }
}

describe('footprint serve memory', () => {
  let fake: FakeGitHub;
  let home: TempHome;
  let serve: ServeProcess | undefined;

  beforeAll(async () => {
    fake = await startFakeGitHub({ token, repos: repos(), rateLimit: { core: 100_000, graphql: 100_000, anonymous: 100_000 } });
    home = createTempHome('footprint-memory-');
    // A start as a user's second one: the sources' stripped TypeScript is cached (scripts/ts-hooks.mjs).
    await runFootprint(['--help']);
  }, 120_000);

  afterAll(async () => {
    await serve?.stop();
    await fake?.close();
    home?.remove();
    agent.destroy();
  });

  it('records RSS idle, with 1,000 repositories after a poll, and after a load burst then 60 s idle', async () => {
    const bare = await bareNodeRss();
    recordBench({ bench: BENCH, name: 'bare Node (node -e "setInterval(…)"), for comparison', value: bare, unit: 'MB' });

    const idleHome = createTempHome('footprint-memory-idle-');
    try {
      const idle = await startServe(['--listen', '127.0.0.1:0'], { ...idleHome.env, FOOTPRINT_LOG_LEVEL: 'warn' });
      await sleep(SETTLE_MS);
      const idleRss = rssMb(idle.child.pid!);
      await idle.stop();
      recordBench({ bench: BENCH, name: 'serve RSS idle, no source', value: idleRss, unit: 'MB', target: `≤ ${IDLE_TARGET_MB} MB`, met: idleRss <= IDLE_TARGET_MB });
    } finally {
      idleHome.remove();
    }

    const orgs = Array.from({ length: ORGS }, (_, index) => `org-${index}`);
    const configFile = path.join(home.dir, 'footprint.yaml');
    writeFileSync(configFile, `storage: { path: "./history.db" }\ngithub:\n  apiUrl: "${fake.url}"\n  token: "\${GITHUB_TOKEN}"\n  orgs: [${orgs.join(', ')}]\n  interval: 1h\n  traffic: { enabled: false }\nbackfill: { enabled: false }\n`);
    await seedGitHubHistory({ file: path.join(home.dir, 'history.db'), apiUrl: fake.url, token, orgs, users: [], days: HISTORY_DAYS, stepHours: 6, end: Date.now() - 3_600_000 });
    serve = await startServe(['--config', configFile, '--listen', '127.0.0.1:0'], { ...home.env, GITHUB_TOKEN: token, FOOTPRINT_LOG_LEVEL: 'warn' });
    const url = serve.url;
    const series = await waitFor(async () => {
      const found = (await latestSeries(url, 'github')).filter((item) => item.metric.startsWith('github_repo_'));
      return found.length >= REPOS * 6 ? found : undefined;
    }, 'the first poll', 120_000);
    // Right after a poll the heap still holds the poll's garbage (answers, samples) until V8's memory
    // reducer collects it, seconds later; between two polls (an hour by default) the server holds the
    // steady figure, which is the one the target is for. Both are recorded.
    await sleep(SETTLE_MS);
    recordBench({ bench: BENCH, name: `serve RSS with ${REPOS} repositories ${SETTLE_MS / 1000} s after a poll`, value: rssMb(serve.child.pid!), unit: 'MB' });
    await sleep(BETWEEN_POLLS_MS - SETTLE_MS);
    const polled = rssMb(serve.child.pid!);
    recordBench({ bench: BENCH, name: `serve RSS with ${REPOS} repositories ${BETWEEN_POLLS_MS / 1000} s after a poll (between polls)`, value: polled, unit: 'MB', target: `≤ ${REPOS_TARGET_MB} MB`, met: polled <= REPOS_TARGET_MB });

    // The burst: clients looping the largest range and changes requests, and a scraper without pause.
    const { rangeBody, changesBody } = heavyReads(series, Date.now(), HISTORY_DAYS * DAY_MS, DAY_MS);
    const stopAt = performance.now() + LOAD_MS;
    let peak = polled;
    let answered = 0;
    const memory = setInterval(() => { peak = Math.max(peak, rssMb(serve!.child.pid!)); }, 250);
    const loop = async (next: (turn: number) => Promise<{ status: number }>) => {
      for (let turn = 0; performance.now() < stopAt; turn++) {
        const answer = await next(turn);
        if (answer.status !== 200 && answer.status !== 503) throw new Error(`the server answered ${answer.status} under load`);
        answered++;
      }
    };
    await Promise.all([
      ...Array.from({ length: LOAD_CLIENTS }, (_, client) => loop((turn) => (turn + client) % 2 === 0
        ? request(`${url}/api/range`, { method: 'POST', body: rangeBody })
        : request(`${url}/api/changes`, { method: 'POST', body: changesBody }))),
      loop(() => request(`${url}/metrics`)),
    ]);
    clearInterval(memory);
    recordBench({ bench: BENCH, name: `serve RSS peak during the burst (${LOAD_MS / 1000} s, ${LOAD_CLIENTS} clients + /metrics)`, value: peak, unit: 'MB' });
    recordBench({ bench: BENCH, name: 'requests answered during the burst', value: answered, unit: 'requests' });

    await sleep(IDLE_AFTER_LOAD_MS);
    const after = rssMb(serve.child.pid!);
    const ratio = round(after / polled);
    recordBench({ bench: BENCH, name: `serve RSS after the burst then ${IDLE_AFTER_LOAD_MS / 1000} s idle`, value: after, unit: 'MB' });
    recordBench({ bench: BENCH, name: 'after the burst / before it', value: ratio, unit: '×', target: `≤ ${AFTER_LOAD_FACTOR}×`, met: ratio <= AFTER_LOAD_FACTOR });
  });
  it(`records RSS with ${LARGE_REPOS} repositories of ${LARGE_ORGS} owners after a refresh`, async () => {
    const largeFake = await startFakeGitHub({ token, repos: repos(LARGE_REPOS, LARGE_ORGS), rateLimit: { core: 1_000_000, graphql: 1_000_000, anonymous: 1_000_000 } });
    const largeHome = createTempHome('footprint-memory-large-');
    let large: ServeProcess | undefined;
    try {
      const orgs = Array.from({ length: LARGE_ORGS }, (_, index) => `org-${index}`);
      const configFile = path.join(largeHome.dir, 'footprint.yaml');
      writeFileSync(configFile, `storage: { path: "./history.db" }\ngithub:\n  apiUrl: "${largeFake.url}"\n  token: "\${GITHUB_TOKEN}"\n  orgs: [${orgs.join(', ')}]\n  interval: 1h\n  traffic: { enabled: false }\nbackfill: { enabled: false }\n`);
      large = await startServe(['--config', configFile, '--listen', '127.0.0.1:0'], { ...largeHome.env, GITHUB_TOKEN: token, FOOTPRINT_LOG_LEVEL: 'warn' });
      const url = large.url;
      const refreshed = async (what: string, after: number) => waitFor(async () => {
        const health = (await (await fetch(`${url}/api/health`)).json()) as { id: string; state: string; lastSuccessAt: number | null }[];
        const github = health.find((item) => item.id === 'github');
        return github && github.state === 'idle' && (github.lastSuccessAt ?? 0) > after ? github.lastSuccessAt! : undefined;
      }, what, 180_000);
      const first = await refreshed('the first refresh', 0);
      const scrape = await request(`${url}/metrics`);
      if (scrape.status !== 200) throw new Error(`/metrics answered ${scrape.status}`);
      await sleep(SETTLE_MS);
      const afterFirst = rssMb(large.child.pid!);
      recordBench({ bench: BENCH, name: `serve RSS with ${LARGE_REPOS} repositories (${LARGE_ORGS} owners) after the first refresh and a scrape`, value: afterFirst, unit: 'MB', target: `< ${LARGE_TARGET_MB} MB`, met: afterFirst < LARGE_TARGET_MB });
      recordBench({ bench: BENCH, name: `/metrics size with ${LARGE_REPOS} repositories`, value: round(scrape.bytes / 1_048_576, 1), unit: 'MiB' });

      // The refresh request is answered when its poll ends: its time is the poll's, in serve's own flags.
      const refresh = await request(`${url}/api/refresh`, { method: 'POST', body: '{"args":["github"]}' });
      if (refresh.status >= 300) throw new Error(`refresh answered ${refresh.status}`);
      recordBench({ bench: BENCH, name: `refresh of ${LARGE_REPOS} repositories inside serve (no API latency)`, value: Math.round(refresh.ms), unit: 'ms' });
      await refreshed('the second refresh', first);
      // The first scrape after a poll renders every family again; later ones reuse the text.
      const afterPoll = await request(`${url}/metrics`);
      recordBench({ bench: BENCH, name: `first /metrics scrape after a refresh, seen from the client (${LARGE_REPOS} repositories)`, value: Math.round(afterPoll.ms), unit: 'ms' });
      const scrapes: number[] = [];
      for (let i = 0; i < 15; i++) scrapes.push((await request(`${url}/metrics`)).ms);
      recordBench({ bench: BENCH, name: '/metrics scrape between polls, seen from the client (median of 15)', value: round(median(scrapes), 1), unit: 'ms', target: '< 100 ms', met: median(scrapes) < 100 });
      await sleep(SETTLE_MS);
      const afterSecond = rssMb(large.child.pid!);
      recordBench({ bench: BENCH, name: `serve RSS with ${LARGE_REPOS} repositories after a second refresh and a scrape`, value: afterSecond, unit: 'MB', target: `< ${LARGE_TARGET_MB} MB`, met: afterSecond < LARGE_TARGET_MB });
    } finally {
      await large?.stop();
      await largeFake.close();
      largeHome.remove();
    }
  }, 600_000);
});
