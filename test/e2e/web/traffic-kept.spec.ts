// Traffic kept after GitHub drops it, end to end: `footprint serve` polls the loopback GitHub, whose
// calendar starts 21 days in the past and moves a week at a time to today, so GitHub's 14-day window
// slides past the first days Footprint read. The Traffic view in Chromium still shows every day from
// the first window on (35 days), each with the counts GitHub gave for it, and the 14-day totals
// GitHub reports now on /metrics.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { LatestSeries } from '../../../shared/api.js';
import { startFakeGitHub, type FakeGitHub, type FakeRepo } from '../../fakes/github/index.js';
import type { FakeTrafficCounts } from '../../fakes/github/types.js';
import { startServe, type ServeProcess } from '../../support/footprint-process.js';
import { CHROMIUM_MISSING, requireChromium, skipWithoutChromium } from './support/browser.js';
import { ensureRendererBuilt } from './support/renderer-build.js';
import { attachServeOutputOnFailure } from './support/serve-output.js';
import { createTempHome, type TempHome } from './support/temp-home.js';

test.skip(skipWithoutChromium(), CHROMIUM_MISSING);

const token = `ghp_${randomBytes(18).toString('hex')}`; // made at test time: no secret is tracked
const DAY_MS = 86_400_000;
const NOW = Date.now();
/** The fake's calendar starts this many days back; GitHub's first window reaches 13 days further. */
const START_AGO = 21;
const FIRST_DAY_AGO = START_AGO + 13;

const isoDay = (ago: number) => new Date(NOW - ago * DAY_MS).toISOString().slice(0, 10);
const agoOf = (day: string) => Math.round((Date.parse(`${isoDay(0)}T00:00:00Z`) - Date.parse(`${day}T00:00:00Z`)) / DAY_MS);

/** Views and clones of acme/rocket on a day, as GitHub reports them (complete days: the day is over). */
function counts(ago: number): FakeTrafficCounts {
  const views = 100 + ((ago * 37) % 60);
  return { views: { count: views, uniques: Math.ceil(views / 4) }, clones: { count: 10 + (ago % 6), uniques: 3 + (ago % 3) } };
}

const ROCKET: FakeRepo = {
  owner: 'acme', name: 'rocket', stars: 40, forks: 3, watchers: 2, openIssues: 1, openPulls: 0, sizeKb: 300, license: 'mit', language: 'Go',
  trafficModel: (day) => counts(agoOf(day)),
  referrers: [{ referrer: 'news.ycombinator.com', count: 400, uniques: 300 }],
};

let fakeToday = NOW - START_AGO * DAY_MS;
let github: FakeGitHub;
let home: TempHome;
let serve: ServeProcess;

test.beforeAll(async () => {
  requireChromium();
  ensureRendererBuilt();
  github = await startFakeGitHub({ token, repos: [ROCKET], clock: () => fakeToday });
  home = createTempHome();
  const config = path.join(home.dir, 'footprint.yaml');
  writeFileSync(config, [
    'storage: { path: "./history.db" }', 'backfill: { enabled: false }',
    'github:', `  apiUrl: "${github.url}"`, `  token: "${token}"`, '  orgs: [acme]', '  interval: 1s', '  traffic: { interval: 1s }', '',
  ].join('\n'));
  serve = await startServe(['--config', config, '--listen', '127.0.0.1:0'], home.env);
});

test.afterAll(async () => {
  await serve?.stop();
  await github?.close();
  home?.remove();
});

attachServeOutputOnFailure(() => serve);

/** The traffic requests the fake has answered so far. */
const trafficReads = () => github.requests.filter((request) => request.path.startsWith('/repos/acme/rocket/traffic/views')).length;

/** Moves GitHub's calendar to `ago` days before today and waits until Footprint has read traffic there twice. */
async function calendarAt(ago: number): Promise<void> {
  fakeToday = NOW - ago * DAY_MS;
  const before = trafficReads();
  await expect.poll(trafficReads, { timeout: 20_000, message: `traffic read with GitHub's calendar at ${isoDay(ago)}` }).toBeGreaterThanOrEqual(before + 2);
}

function dayRow(page: Page, ago: number) {
  return page.locator(`[data-testid="traffic-day"][data-day="${isoDay(ago)}"]`);
}

test('GitHub drops traffic after 14 days; Footprint keeps every day it read, in the Traffic view and on /metrics', async ({ page }) => {
  test.setTimeout(90_000);

  await test.step('GitHub’s calendar moves from three weeks ago to today, a week at a time', async () => {
    await calendarAt(START_AGO);
    await calendarAt(14);
    await calendarAt(7);
    await calendarAt(0);
  });

  await test.step('/metrics: the 14-day totals GitHub reports today', async () => {
    const text = await (await fetch(`${serve.url}/metrics`)).text();
    // GitHub's window today: the 14 days ending today (today's counts included).
    const views = Array.from({ length: 14 }, (_, ago) => counts(ago).views.count).reduce((a, b) => a + b, 0);
    expect(text).toContain(`github_repo_traffic_views{repo="rocket",user="acme"} ${views}`);
    expect(text).toContain('github_repo_traffic_referrer_views{repo="rocket",user="acme",referrer="news.ycombinator.com"} 400');
    expect(text).not.toContain('github_repo_traffic_views_daily');
  });

  await test.step('the Traffic view shows every day since the first window, long after GitHub dropped it', async () => {
    const latest = (await (await fetch(`${serve.url}/api/latest?q=${encodeURIComponent(JSON.stringify({ metric: 'github_repo_traffic_views_daily' }))}`)).json()) as LatestSeries[];
    expect(latest.map((series) => series.labels)).toEqual([{ repo: 'rocket', user: 'acme' }]);
    await page.goto(`${serve.url}/#/traffic?target=acme/rocket&range=all`);
    await expect(page.getByTestId('loading')).toHaveCount(0);
    await expect(page.getByTestId('traffic-summary')).toHaveAttribute('data-target', 'acme/rocket');
    await page.getByText(/Every day as a table/).click();
    await expect(page.getByTestId('traffic-day')).toHaveCount(FIRST_DAY_AGO + 1);
    for (const ago of [FIRST_DAY_AGO, START_AGO, 15, 8, 1, 0]) {
      await expect(dayRow(page, ago).locator('[data-figure="views"]'), `views on ${isoDay(ago)}`).toHaveText(new Intl.NumberFormat('en-US').format(counts(ago).views.count));
      await expect(dayRow(page, ago).locator('[data-figure="clones"]'), `clones on ${isoDay(ago)}`).toHaveText(String(counts(ago).clones.count));
    }
    const total = Array.from({ length: FIRST_DAY_AGO + 1 }, (_, ago) => counts(ago).views.count).reduce((a, b) => a + b, 0);
    await expect(page.getByTestId('total-views')).toHaveAttribute('data-value', String(total));
  });
});
