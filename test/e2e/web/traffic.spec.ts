// Traffic kept beyond GitHub's 14 days, in a real browser: a history file prepared with the real
// HistoryStore holds 35 days of daily views and clones (dated points at the end of each UTC day, labels
// repo,user, the series names of issue 11) of three repositories of two owners, and their latest top
// referrers and popular paths; `footprint serve` starts on it with GitHub configured against the
// loopback fake (another owner, so its polls leave the prepared traffic alone). The Traffic view shows
// an owner's days as the sum of its repositories, the oldest day (older than 14 days) on "All",
// the range's totals, the referrers and paths; screenshots in light and dark go to the test's output.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { endOfUtcDay, type DatedSample } from '../../../electron/core/backfill/contract.js';
import { HistoryStore } from '../../../electron/core/store/history-store.js';
import { startFakeGitHub, type FakeGitHub, type FakeRepo } from '../../fakes/github/index.js';
import { startServe, type ServeProcess } from '../../support/footprint-process.js';
import { CHROMIUM_MISSING, requireChromium, skipWithoutChromium } from './support/browser.js';
import { ensureRendererBuilt } from './support/renderer-build.js';
import { attachServeOutputOnFailure } from './support/serve-output.js';
import { screenshotView } from './support/screenshots.js';
import { createTempHome, type TempHome } from './support/temp-home.js';

test.skip(skipWithoutChromium(), CHROMIUM_MISSING);

const token = `ghp_${randomBytes(18).toString('hex')}`; // made at test time: no secret is tracked
const DAY_MS = 86_400_000;
const NOW = Date.now();
const HISTORY_DAYS = 35;
/** acme/engine's traffic starts later: an owner's early days are rocket's alone. */
const ENGINE_DAYS = 20;

// The fake's repository is another owner's: the polls read it, the prepared traffic stays as it is.
const SITE: FakeRepo = { owner: 'probe', name: 'site', stars: 12, forks: 1, watchers: 1, openIssues: 0, openPulls: 0, sizeKb: 100, license: 'mit', language: 'HTML' };

/** The day `ago` days before today's (UTC), as yyyy-mm-dd. */
const isoDay = (ago: number) => new Date(NOW - ago * DAY_MS).toISOString().slice(0, 10);

/** A repository's figures on the day `ago` days before today: views, unique visitors, clones, unique cloners. */
function figures(repo: string, ago: number): [number, number, number, number] {
  const base = repo === 'rocket' ? 120 : repo === 'engine' ? 30 : 8;
  const views = base + ((ago * 37) % 50) + (ago % 7 === 0 ? base : 0);
  return [views, Math.ceil(views / 3), Math.round(base / 4) + (ago % 5), Math.max(1, Math.round(base / 10) + (ago % 3))];
}

function daysOf(repo: string): number {
  return repo === 'engine' ? ENGINE_DAYS : HISTORY_DAYS;
}

function dailySamples(user: string, repo: string): DatedSample[] {
  const metrics = ['github_repo_traffic_views_daily', 'github_repo_traffic_views_unique_daily', 'github_repo_traffic_clones_daily', 'github_repo_traffic_clones_unique_daily'];
  const samples: DatedSample[] = [];
  for (let ago = 0; ago < daysOf(repo); ago++) {
    const values = figures(repo, ago);
    metrics.forEach((metric, index) => samples.push({ metric, labels: { repo, user }, value: values[index]!, time: endOfUtcDay(NOW - ago * DAY_MS) }));
  }
  return samples;
}

const REFERRERS: readonly [string, string, number][] = [
  ['rocket', 'news.ycombinator.com', 812],
  ['rocket', 'github.com', 240],
  ['engine', 'google.com', 95],
  ['cli', 'reddit.com', 17],
];
const PATHS: readonly [string, string, number][] = [
  ['rocket', '/acme/rocket', 640],
  ['engine', '/acme/engine/blob/main/README.md', 71],
];
const OWNER_OF: Readonly<Record<string, string>> = { rocket: 'acme', engine: 'acme', cli: 'bolt' };

function prepareHistory(file: string): void {
  const store = HistoryStore.open(file);
  try {
    store.ingestDated('github', [...dailySamples('acme', 'rocket'), ...dailySamples('acme', 'engine'), ...dailySamples('bolt', 'cli')]);
    // The 14-day totals of the latest traffic read, an hour ago.
    const at = NOW - 3_600_000;
    store.ingestDated('github', [
      ...REFERRERS.map(([repo, referrer, value]) => ({ metric: 'github_repo_traffic_referrer_views', labels: { repo, user: OWNER_OF[repo]!, referrer }, value, time: at })),
      ...PATHS.map(([repo, pathName, value]) => ({ metric: 'github_repo_traffic_path_views', labels: { repo, user: OWNER_OF[repo]!, path: pathName }, value, time: at })),
    ]);
  } finally {
    store.close();
  }
}

const exact = (value: number) => new Intl.NumberFormat('en-US').format(value);
const sumOver = (repo: string, figure: number, days: number) => Array.from({ length: Math.min(days, daysOf(repo)) }, (_, ago) => figures(repo, ago)[figure]!).reduce((a, b) => a + b, 0);

let fake: FakeGitHub;
let home: TempHome;
let serve: ServeProcess;

test.beforeAll(async () => {
  requireChromium();
  ensureRendererBuilt();
  fake = await startFakeGitHub({ token, repos: [SITE] });
  home = createTempHome();
  prepareHistory(path.join(home.dir, 'history.db'));
  const config = path.join(home.dir, 'footprint.yaml');
  writeFileSync(config, ['storage: { path: "./history.db" }', 'backfill: { enabled: false }', 'github:', `  apiUrl: "${fake.url}"`, `  token: "${token}"`, '  orgs: [probe]', '  interval: 1h', '  traffic: { enabled: false }', ''].join('\n'));
  serve = await startServe(['--config', config, '--listen', '127.0.0.1:0'], home.env);
});

test.afterAll(async () => {
  await serve?.stop();
  await fake?.close();
  home?.remove();
});

attachServeOutputOnFailure(() => serve);

function dayRow(page: Page, ago: number): Locator {
  return page.locator(`[data-testid="traffic-day"][data-day="${isoDay(ago)}"]`);
}

async function chartsReady(page: Page): Promise<void> {
  await expect(page.getByTestId('loading')).toHaveCount(0);
  await expect(page.getByTestId('traffic-bars')).toHaveCount(2);
  for (const chart of await page.getByTestId('traffic-bars').all()) await expect(chart).toHaveAttribute('data-y-range', /.+/);
}

test('the Traffic view: per-owner days beyond 14 days, range totals, referrers and paths', async ({ page }, testInfo) => {
  test.setTimeout(60_000);

  await test.step('the nav leads to Traffic; the first owner’s 30 days are the sum of its repositories', async () => {
    await page.goto(`${serve.url}/#/overview`);
    await page.getByTestId('nav-traffic').click();
    await expect(page).toHaveTitle('Traffic · Footprint');
    await expect(page.getByTestId('traffic-summary')).toHaveAttribute('data-target', 'acme');
    await chartsReady(page);
    await expect(page.getByTestId('range-30d')).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('total-views')).toHaveAttribute('data-value', String(sumOver('rocket', 0, 30) + sumOver('engine', 0, 30)));
    await expect(page.getByTestId('total-clonesUnique')).toHaveAttribute('data-value', String(sumOver('rocket', 3, 30) + sumOver('engine', 3, 30)));
    // A day both repositories have: their sum; a day before engine's traffic starts: rocket's alone.
    await page.getByText(/Every day as a table/).click();
    const both = dayRow(page, 3);
    await expect(both.locator('[data-figure="views"]')).toHaveText(exact(figures('rocket', 3)[0] + figures('engine', 3)[0]));
    await expect(both.locator('[data-figure="clones"]')).toHaveText(exact(figures('rocket', 3)[2] + figures('engine', 3)[2]));
    const rocketOnly = dayRow(page, 25);
    await expect(rocketOnly.locator('[data-figure="views"]')).toHaveText(exact(figures('rocket', 25)[0]));
    // 30 days: the oldest stored day (34 days ago) is outside the range.
    await expect(dayRow(page, 29)).toHaveCount(1);
    await expect(dayRow(page, HISTORY_DAYS - 1)).toHaveCount(0);
  });

  await test.step('per owner and repository totals; the owner’s referrers and paths with their repository', async () => {
    const rows = page.getByTestId('traffic-row');
    await expect(rows.evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.key))).resolves.toEqual(['acme', 'acme/rocket', 'acme/engine', 'bolt', 'bolt/cli']);
    await expect(page.locator('[data-testid="traffic-row"][data-key="bolt"] [data-figure="views"]')).toHaveText(exact(sumOver('cli', 0, 30)));
    const referrers = page.getByTestId('traffic-referrers').getByTestId('referrer-row');
    await expect(referrers).toHaveText(['news.ycombinator.comacme/rocket812', 'github.comacme/rocket240', 'google.comacme/engine95']);
    await expect(page.getByTestId('traffic-paths').getByTestId('path-row')).toHaveText(['/acme/rocketacme/rocket640', '/acme/engine/blob/main/README.mdacme/engine71']);
  });

  await test.step('"All" reaches the oldest stored day, 34 days ago — long after GitHub dropped it', async () => {
    await page.getByTestId('range-all').click();
    await expect(page).toHaveURL(/#\/traffic\?range=all$/);
    await expect(page.getByTestId('range-since')).toContainText('Since');
    await expect(page.getByTestId('total-views')).toHaveAttribute('data-value', String(sumOver('rocket', 0, HISTORY_DAYS) + sumOver('engine', 0, HISTORY_DAYS)));
    const oldest = dayRow(page, HISTORY_DAYS - 1);
    await expect(oldest.locator('[data-figure="views"]')).toHaveText(exact(figures('rocket', HISTORY_DAYS - 1)[0]));
    await expect(page.getByTestId('traffic-day')).toHaveCount(HISTORY_DAYS);
    await chartsReady(page);
    const [start] = (await page.getByTestId('traffic-bars').first().getAttribute('data-x-range'))!.split(',').map(Number);
    expect(new Date(start!).toISOString().slice(0, 10), 'the chart begins on the oldest day').toBe(isoDay(HISTORY_DAYS - 1));
    // The day table (the charts' numbers) closed: the screenshot shows the view as it opens.
    await page.mouse.move(0, 0);
    await screenshotView(page, testInfo, 'traffic', { ready: () => chartsReady(page) });
  });

  await test.step('one repository: its days and referrers only, linkable', async () => {
    await page.locator('[data-testid="traffic-row"][data-key="bolt/cli"] a').click();
    await expect(page).toHaveURL(/#\/traffic\?target=bolt\/cli&range=all$/);
    await expect(page.getByTestId('traffic-summary')).toHaveAttribute('data-target', 'bolt/cli');
    await expect(page.getByTestId('total-views')).toHaveAttribute('data-value', String(sumOver('cli', 0, HISTORY_DAYS)));
    await expect(page.getByTestId('traffic-referrers').getByTestId('referrer-row')).toHaveText(['reddit.com17']);
    await expect(page.getByTestId('traffic-paths').getByTestId('path-row')).toHaveCount(0);
    await page.reload();
    await expect(page.getByTestId('traffic-summary')).toHaveAttribute('data-target', 'bolt/cli');
    await expect(page.getByTestId('range-all')).toHaveAttribute('aria-pressed', 'true');
  });
});
