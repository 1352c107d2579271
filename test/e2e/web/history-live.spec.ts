// History arriving in front of the user, in a real browser: `footprint serve` on an empty data directory
// with one GitHub organisation (stars over 120 days, two releases), an npm package (downloads day by day
// for 200 days) and a GA4 property (users day by day for 90 days). The backfill is held (paused) until
// the pages are open; once it runs, the open Overview and Details fill in by themselves — no reload:
// the star curve since long before the first poll, the release markers, the npm and GA4 day-by-day
// curves equal to what the fakes hold, and change figures instead of "–".
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import type { BackfillProgress, LatestSeries, RangeResult } from '../../../shared/api.js';
import { startFakeGitHub, type FakeGitHub, type FakeRepo } from '../../fakes/github/index.js';
import type { FakeDay } from '../../fakes/google/types.js';
import type { FakeGoogle } from '../../fakes/google/index.js';
import { startFakeNpm, type FakeNpm } from '../../fakes/npm/index.js';
import { startServe, type ServeProcess } from '../../support/footprint-process.js';
import { GA4_PROPERTY, startGa4Property } from '../../support/ga4-property.js';
import { CHROMIUM_MISSING, requireChromium, skipWithoutChromium } from './support/browser.js';
import { chartState, inkMargins, lineInk } from './support/chart-probe.js';
import { ensureRendererBuilt } from './support/renderer-build.js';
import { attachServeOutputOnFailure } from './support/serve-output.js';
import { createTempHome, type TempHome } from './support/temp-home.js';

test.skip(skipWithoutChromium(), CHROMIUM_MISSING);

const token = `ghp_${randomBytes(18).toString('hex')}`; // made at test time: no secret is tracked
const DAY_MS = 86_400_000;
const NOW = Date.now();
const STARS = 600;
const iso = (time: number) => new Date(time).toISOString().slice(0, 10);
const utcDay = (daysAgo: number) => Math.floor(NOW / DAY_MS) * DAY_MS - daysAgo * DAY_MS;

const ROCKET: FakeRepo = {
  owner: 'acme', name: 'rocket', stars: STARS, forks: 30, watchers: 3, openIssues: 2, openPulls: 1, sizeKb: 500, license: 'mit', language: 'TypeScript',
  createdAt: new Date(NOW - 120 * DAY_MS).toISOString(),
  updatedAt: new Date(NOW - DAY_MS).toISOString(),
  releases: [
    { name: 'First flight', tag: 'v1.0.0', createdAt: new Date(NOW - 60 * DAY_MS).toISOString(), assets: [{ name: 'rocket.tgz', downloads: 40 }] },
    { name: 'Second stage', tag: 'v2.0.0', createdAt: new Date(NOW - 10 * DAY_MS).toISOString(), assets: [{ name: 'rocket.tgz', downloads: 12 }] },
  ],
};

// npm: 200 days of downloads through yesterday, a weekly rhythm on a rising trend.
const NPM_DAILY: Record<string, number> = {};
for (let ago = 200; ago >= 1; ago--) NPM_DAILY[iso(utcDay(ago))] = 300 + (200 - ago) * 5 + (ago % 7 === 0 ? -150 : 0);

// GA4: 90 days of users through yesterday (in the property's zone the fake reports dates for).
const GA4_HISTORY: Record<string, FakeDay> = {};
for (let ago = 90; ago >= 1; ago--) {
  const users = 40 + (90 - ago) * 2;
  GA4_HISTORY[iso(NOW - ago * DAY_MS)] = { activeUsers: users, newUsers: Math.floor(users / 3), sessions: users + 10, screenPageViews: users * 3, active28DayUsers: users * 20 };
}

let github: FakeGitHub;
let npm: FakeNpm;
let google: FakeGoogle;
let home: TempHome;
let serve: ServeProcess;

/** Calls the API as the dashboard does (loopback needs no token). */
async function api<T>(method: 'GET' | 'POST', route: string, args: unknown[] = []): Promise<T> {
  const url = method === 'GET' ? `${serve.url}${route}${args.length ? `?q=${encodeURIComponent(JSON.stringify(args[0]))}` : ''}` : `${serve.url}${route}`;
  const response = await fetch(url, method === 'GET' ? {} : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ args }) });
  if (!response.ok) throw new Error(`${route} answered ${response.status}: ${await response.text()}`);
  const text = await response.text();
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

async function seriesOf(metric: string, labels: Record<string, string>): Promise<LatestSeries | undefined> {
  const latest = await api<LatestSeries[]>('GET', '/api/latest', [{ metric }]);
  return latest.find((series) => Object.entries(labels).every(([key, value]) => series.labels[key] === value));
}

test.beforeAll(async () => {
  requireChromium();
  ensureRendererBuilt();
  home = createTempHome();
  // Every fake answers slowly enough that the backfill is paused before any of it is read.
  github = await startFakeGitHub({ token, repos: [ROCKET], latencyMs: 400 });
  npm = await startFakeNpm({ daily: { 'rocket-cli': NPM_DAILY }, latencyMs: 400 });
  ({ google } = await startGa4Property(home.dir, { history: GA4_HISTORY, latencyMs: 400 }));
  const config = path.join(home.dir, 'footprint.yaml');
  writeFileSync(config, [
    'storage: { path: "./history.db" }',
    'github:', `  apiUrl: "${github.url}"`, `  token: "${token}"`, '  orgs: [acme]', '  interval: 1h',
    'npm:', `  apiUrl: "${npm.url}"`, '  packages: [rocket-cli]', '  interval: 1h',
    'ga4:', `  apiUrl: "${google.url}"`, '  credentialsFile: "./service-account.json"', `  properties: ["${GA4_PROPERTY}"]`, '  interval: 1h',
    '',
  ].join('\n'));
  serve = await startServe(['--config', config, '--listen', '127.0.0.1:0'], home.env);
  await api('POST', '/api/backfill/pause');
});

test.afterAll(async () => {
  await serve?.stop();
  await github?.close();
  await npm?.close();
  await google?.close();
  home?.remove();
});

attachServeOutputOnFailure(() => serve);

async function shoot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.mouse.move(0, 0);
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide' });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

/** Moves the open page to another view the way its links do: a hash change, never a reload. */
async function goWithinPage(page: Page, hash: string): Promise<void> {
  await page.evaluate((target) => {
    window.location.hash = target;
  }, hash);
  await expect(page.getByTestId('loading')).toHaveCount(0);
}

async function chartDrawn(page: Page): Promise<void> {
  await expect(page.getByTestId('details-chart').locator('canvas').first()).toBeVisible();
  await expect(page.getByTestId('details-chart')).toHaveAttribute('data-y-range', /.+/);
}

/** The stored value of a series at the end of each of the last `days` UTC days (through yesterday), as the range API answers. */
async function storedDays(id: number, days: number): Promise<(number | null)[]> {
  const ends = Array.from({ length: days }, (_, index) => utcDay(days - index) + DAY_MS - 1);
  const result = await api<RangeResult>('POST', '/api/range', [{ series: [id], start: ends[0]! - DAY_MS, end: ends.at(-1)!, points: 1_000 }]);
  const { times, values } = result.series[0]!;
  // The answer is sampled at evenly spaced times; a day's value holds from the end of that day to the end of the next.
  return ends.map((end) => {
    const index = times.findIndex((time) => time >= end);
    return index === -1 ? null : values[index]!;
  });
}

test('backfilled history fills the open Overview and Details in by itself: stars, releases, npm and GA4 curves', async ({ page, context }, testInfo) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1200, height: 800 });
  // A second tab keeps the Overview open while the first one is on Details.
  const overview = await context.newPage();
  const acme = overview.locator('[data-testid="overview-card"][data-card="github:acme"]');
  const markNotReloaded = (tab: Page) => tab.evaluate(() => {
    (window as unknown as { notReloaded: boolean }).notReloaded = true;
  });
  const notReloaded = (tab: Page) => tab.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded === true);

  let stars!: LatestSeries;
  await test.step('the first polls arrive while the backfill is held: nothing of the past is read yet', async () => {
    await expect.poll(async () => (await seriesOf('github_repo_stars', { repo: 'rocket' }))?.value, { timeout: 20_000 }).toBe(STARS);
    stars = (await seriesOf('github_repo_stars', { repo: 'rocket' }))!;
    await expect.poll(async () => (await seriesOf('npm_package_downloads', { package: 'rocket-cli', period: 'last_day' })) !== undefined, { timeout: 20_000 }).toBe(true);
    await expect.poll(async () => (await seriesOf('ga4_active_users', { period: 'yesterday' })) !== undefined, { timeout: 20_000 }).toBe(true);
    const progress = await api<BackfillProgress[]>('GET', '/api/backfill');
    expect(progress.map((entry) => [entry.source, entry.paused, entry.units.done])).toEqual(
      expect.arrayContaining([['github', true, 0], ['npm', true, 0], ['ga4', true, 0]]),
    );
  });

  await test.step('the open pages show a history minutes old', async () => {
    await overview.goto(`${serve.url}/#/overview`);
    await markNotReloaded(overview);
    await expect(acme.getByTestId(`card-change-${30 * DAY_MS}`).first()).toHaveText('– 30 d');
    await expect(acme.getByTestId('card-history-start')).toBeVisible();
    await page.goto(`${serve.url}/#/details?series=${stars.id}`);
    await markNotReloaded(page);
    await chartDrawn(page);
    await expect(page.getByTestId('range-since')).toBeVisible();
    await shoot(page, testInfo, '1-details-before-backfill');
  });

  await test.step('the backfill runs: Details shows the star curve since long before the first poll, with the releases, without a reload', async () => {
    await api('POST', '/api/backfill/resume');
    await expect(page.getByTestId('range-since')).toHaveCount(0, { timeout: 30_000 });
    await expect.poll(async () => (await chartState(page)).yRange[0], { timeout: 10_000, message: 'the curve starts lower than today’s stars' }).toBeLessThan(STARS * 0.85);
    const state = await chartState(page);
    expect(Date.now() - state.xRange[0]).toBeGreaterThan(29 * DAY_MS);
    expect(inkMargins(await lineInk(page, '--chart-1')).left, 'empty plot left of the line').toBeLessThan(0.02);
    // The 30 days hold one release; "All" holds both.
    await expect.poll(async () => JSON.parse((await page.getByTestId('details-chart').getAttribute('data-markers')) ?? '[]').map((marker: { label: string }) => marker.label), { timeout: 10_000 }).toEqual(['v2.0.0']);
    await page.getByTestId('range-all').click();
    await chartDrawn(page);
    await expect.poll(async () => JSON.parse((await page.getByTestId('details-chart').getAttribute('data-markers')) ?? '[]').map((marker: { label: string }) => marker.label), { timeout: 10_000 }).toEqual(['v1.0.0', 'v2.0.0']);
    await shoot(page, testInfo, '2-details-stars-backfilled');
  });

  await test.step('npm: downloads day by day over the whole range, equal to what npm counted', async () => {
    const series = (await seriesOf('npm_package_downloads', { package: 'rocket-cli', period: 'last_day' }))!;
    await expect.poll(async () => (await api<BackfillProgress[]>('GET', '/api/backfill')).find((entry) => entry.source === 'npm')?.state, { timeout: 30_000 }).toBe('done');
    const expected = Array.from({ length: 30 }, (_, index) => NPM_DAILY[iso(utcDay(30 - index))]!);
    expect(await storedDays(series.id, 30)).toEqual(expected);
    await goWithinPage(page, `#/details?series=${series.id}`);
    await chartDrawn(page);
    await expect(page.getByTestId('range-since')).toHaveCount(0);
    const state = await chartState(page);
    expect(state.yRange[0]).toBeLessThanOrEqual(Math.min(...expected));
    expect(state.yRange[1]).toBeGreaterThanOrEqual(Math.max(...expected));
    expect(inkMargins(await lineInk(page, '--chart-1')).left, 'empty plot left of the line').toBeLessThan(0.02);
    await shoot(page, testInfo, '3-details-npm');
  });

  await test.step('GA4: users day by day back to the property’s first day', async () => {
    const series = (await seriesOf('ga4_active_users', { period: 'yesterday' }))!;
    await expect.poll(async () => (await api<BackfillProgress[]>('GET', '/api/backfill')).find((entry) => entry.source === 'ga4')?.state, { timeout: 30_000 }).toBe('done');
    await goWithinPage(page, `#/details?series=${series.id}&range=all`);
    await chartDrawn(page);
    const state = await chartState(page);
    // "All" starts at the property's first day (90 days back), not at the first poll.
    expect(Date.now() - state.xRange[0]).toBeGreaterThan(85 * DAY_MS);
    expect(state.yRange[0]).toBeLessThanOrEqual(42);
    expect(inkMargins(await lineInk(page, '--chart-1')).left, 'empty plot left of the line').toBeLessThan(0.02);
    await shoot(page, testInfo, '4-details-ga4');
  });

  await test.step('the Overview open all along shows the change figures the backfilled history gives; neither tab was reloaded', async () => {
    await expect(acme.getByTestId(`card-change-${30 * DAY_MS}`).first()).toHaveText(/^\+\d+ 30 d$/);
    await expect(acme.getByTestId('card-history-start')).toHaveCount(0);
    expect(await notReloaded(overview)).toBe(true);
    expect(await notReloaded(page)).toBe(true);
    await shoot(overview, testInfo, '5-overview-backfilled');
  });
});
