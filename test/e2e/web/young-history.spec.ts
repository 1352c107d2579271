// A fresh install in a real browser: `footprint serve` on an empty history file, the loopback GitHub
// and npm fakes, Debian's Chromium. GitHub is added while the Overview is open, so its first poll
// arrives live; its history is then seconds to a minute old. The charts must still say something:
// the Overview card shows its first value as a dot and "–" (not 0) for changes its history does not
// cover, with where history starts; Details opens the owner's total "since <start>" with the line
// across the whole chart at every range, drag-zooms (the y axis follows, a reset brings the range
// back), and its time labels never overlap. Screenshots of each state go to the test's output.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Locator, type Page, type TestInfo } from '@playwright/test';
import { startFakeGitHub, type FakeGitHub, type FakeRepo } from '../../fakes/github/index.js';
import { startFakeNpm, type FakeNpm } from '../../fakes/npm/index.js';
import { startServe, type ServeProcess } from '../../support/footprint-process.js';
import { CHROMIUM_MISSING, requireChromium, skipWithoutChromium } from './support/browser.js';
import { chartState, dragAcross, expectLabelsApart, inkMargins, lineInk } from './support/chart-probe.js';
import { ensureRendererBuilt } from './support/renderer-build.js';
import { attachServeOutputOnFailure } from './support/serve-output.js';
import { createTempHome, type TempHome } from './support/temp-home.js';

test.skip(skipWithoutChromium(), CHROMIUM_MISSING);

const token = `ghp_${randomBytes(18).toString('hex')}`; // made at test time: no secret is tracked
const INTERVAL_MS = 2_000;
const LIVE_TIMEOUT_MS = 2 * INTERVAL_MS + 3_000;
const DAY_MS = 86_400_000;
const WINDOWS: readonly [number, string][] = [[DAY_MS, '24 h'], [7 * DAY_MS, '7 d'], [30 * DAY_MS, '30 d']];

const repo = (name: string, stars: number): FakeRepo => ({
  owner: 'acme', name, stars, forks: Math.round(stars / 10), watchers: 3, openIssues: 2, openPulls: 1, sizeKb: 500, license: 'mit', language: 'TypeScript',
});
const REPOS = [repo('rocket', 3_700), repo('engine', 1_200), repo('docs', 100)];

let fake: FakeGitHub;
let npm: FakeNpm;
let home: TempHome;
let serve: ServeProcess;

test.beforeAll(async () => {
  requireChromium();
  ensureRendererBuilt();
  fake = await startFakeGitHub({ token, repos: REPOS });
  npm = await startFakeNpm({ packages: { 'left-pad': { last_day: 1_200, last_week: 8_400, last_month: 36_000 } } });
  home = createTempHome();
  const config = path.join(home.dir, 'footprint.yaml');
  // Backfill off: this is the history of a user whose sources have no past to read, minutes old.
  writeFileSync(config, ['storage: { path: "./history.db" }', 'backfill: { enabled: false }', 'npm:', `  apiUrl: "${npm.url}"`, '  packages: [left-pad]', '  interval: 2s', ''].join('\n'));
  serve = await startServe(['--config', config, '--listen', '127.0.0.1:0'], home.env);
});

test.afterAll(async () => {
  await serve?.stop();
  await fake?.close();
  await npm?.close();
  home?.remove();
});

attachServeOutputOnFailure(() => serve);

const exact = (value: number) => new Intl.NumberFormat('en-US').format(value);

function card(page: Page, key: string): Locator {
  return page.locator(`[data-testid="overview-card"][data-card="${key}"]`);
}

/** The stars footprint serve has for a repository (its newest value), or undefined before the first poll. */
async function servedStars(name: string): Promise<number | undefined> {
  const query = encodeURIComponent(JSON.stringify({ source: 'github', metric: 'github_repo_stars' }));
  const response = await fetch(`${serve.url}/api/latest?q=${query}`);
  const latest = (await response.json()) as { labels: Record<string, string>; value: number }[];
  return latest.find((series) => series.labels.repo === name)?.value;
}

async function shoot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.mouse.move(0, 0);
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide' });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

async function chartReady(page: Page): Promise<void> {
  await expect(page.getByTestId('loading')).toHaveCount(0);
  await expect(page.getByTestId('details-chart').locator('canvas').first()).toBeVisible();
  await expect(page.getByTestId('details-chart')).toHaveAttribute('data-x-labels', /.+/);
}

/** The line of the first series covers the plot from its left edge to its right edge. */
async function expectLineAcross(page: Page, what: string): Promise<void> {
  const margins = inkMargins(await lineInk(page, '--chart-1'));
  expect(margins.left, `${what}: empty plot left of the line`).toBeLessThan(0.02);
  expect(margins.right, `${what}: empty plot right of the line`).toBeLessThan(0.02);
}

test('a history minutes old: dots, "–" with where history starts, charts since the start, zoom, readable time axis', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  let githubStart = 0;

  await test.step('GitHub is added while the Overview is open: its card shows the first value as a dot and no change it cannot know', async () => {
    await page.goto(`${serve.url}/#/overview`);
    await expect(card(page, 'npm:left-pad')).toBeVisible();
    const saved = await page.evaluate(async (settings) => {
      const response = await fetch('/api/config/source', {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify({ args: ['github', settings] }),
      });
      return response.json() as Promise<unknown>;
    }, { orgs: ['acme'], token, apiUrl: fake.url, interval: `${INTERVAL_MS / 1000}s` });
    expect(saved).toEqual({ ok: true });
    const acme = card(page, 'github:acme');
    await expect(acme.getByTestId('card-total')).toHaveAttribute('title', exact(5_000), { timeout: LIVE_TIMEOUT_MS });
    githubStart = Date.now();
    for (const [windowMs, label] of WINDOWS) {
      const change = acme.getByTestId(`card-change-${windowMs}`).first();
      await expect(change).toHaveText(`– ${label}`);
      await expect(change).toHaveAttribute('title', new RegExp(`^No value ${label} back yet: history starts `));
    }
    await expect(acme.getByTestId('card-history-start')).toHaveText(/^history starts \d{1,2}:\d{2}\s?[AP]M$/);
    await expect(acme.getByTestId('sparkline').locator('circle')).toBeVisible();
    await expect(acme.getByTestId('sparkline').locator('polyline')).toHaveCount(0);
    await shoot(page, testInfo, 'overview-first-poll');
  });

  await test.step('the stars grow over a few polls', async () => {
    // A few seconds of flat history first, so the start and the growth are apart on the chart.
    await page.waitForTimeout(Math.max(0, githubStart + 6_000 - Date.now()));
    for (const stars of [3_820, 3_940, 4_060]) {
      fake.updateRepo('acme/rocket', { stars });
      await expect.poll(() => servedStars('rocket'), { timeout: LIVE_TIMEOUT_MS }).toBe(stars);
    }
  });

  await test.step('Overview after a reload: still "–" with where history starts, the sparkline across the card', async () => {
    await page.reload();
    const acme = card(page, 'github:acme');
    await expect(acme.getByTestId('card-total')).toHaveAttribute('title', exact(5_360));
    for (const [windowMs, label] of WINDOWS) await expect(acme.getByTestId(`card-change-${windowMs}`).first()).toHaveText(`– ${label}`);
    await expect(acme.getByTestId('card-history-start')).toBeVisible();
    const points = (await acme.getByTestId('sparkline').locator('polyline').getAttribute('points'))!.split(' ').map((point) => point.split(',').map(Number));
    expect(points[0]![0], 'the sparkline starts at its left edge').toBe(0);
    expect(points.at(-1)![0], 'and ends at its right edge').toBe(120);
    expect(new Set(points.map((point) => point[1])).size, 'the growth shows').toBeGreaterThan(1);
    await shoot(page, testInfo, 'overview-young');
  });

  await test.step('Details: the owner’s total since its start, across the chart at every range, labels apart', async () => {
    await card(page, 'github:acme').getByRole('link', { name: 'Open in Details' }).click();
    await chartReady(page);
    await expect(page.getByTestId('chart-readout').locator('tbody tr')).toHaveCount(1);
    await expect(page.getByTestId('chart-readout').locator('th')).toHaveText('acme (total)');
    await expect(page.getByTestId('readout-value')).toHaveText(exact(5_360));
    await expect(page.getByTestId('range-30d')).toHaveAttribute('aria-pressed', 'true');
    for (const range of ['30d', '24h', '7d', '1y', 'all'] as const) {
      if (range !== '30d') {
        await page.getByTestId(`range-${range}`).click();
        await expect(page.getByTestId(`range-${range}`)).toHaveAttribute('aria-pressed', 'true');
      }
      await chartReady(page);
      await expect(page.getByTestId('range-since')).toHaveText(/^Since \d{1,2}:\d{2}\s?[AP]M$/);
      const state = await chartState(page);
      // The chart begins where GitHub's history does: a few seconds, not days, before now.
      expect(Date.now() - state.xRange[0], `${range}: the x axis starts at the history`).toBeLessThan(Date.now() - githubStart + 5_000);
      expectLabelsApart(state, range);
      await expectLineAcross(page, range);
      await shoot(page, testInfo, `details-young-${range}`);
    }
  });

  await test.step('drag-zoom: the y axis follows the span, the range buttons say it is zoomed, reset brings the range back', async () => {
    await page.getByTestId('range-30d').click();
    await chartReady(page);
    const whole = await chartState(page);
    // The first part of the history: before the stars grew.
    await dragAcross(page, 0.02, 0.25);
    await expect(page).toHaveURL(/from=\d+&to=\d+/);
    await expect(page.getByTestId('zoom-reset')).toBeVisible();
    for (const range of ['24h', '7d', '30d', '1y', 'all']) await expect(page.getByTestId(`range-${range}`)).toHaveAttribute('aria-pressed', 'false');
    await expect(page.getByTestId('zoom-span')).toHaveText(/^Zoomed: .+ – .+$/);
    const [from, to] = (await page.getByTestId('zoom-span').innerText()).replace('Zoomed: ', '').split(' – ');
    expect(from, 'a span of seconds reads with its seconds').not.toBe(to);
    await chartReady(page);
    await expect.poll(async () => (await chartState(page)).xRange[1]).toBeLessThan(whole.xRange[1]);
    const zoomed = await chartState(page);
    expect(zoomed.xRange[0]).toBeGreaterThanOrEqual(whole.xRange[0]);
    expect(zoomed.yRange[1], 'the y axis fits the zoomed values (5,000), not the whole chart’s (5,360)').toBeLessThan(whole.yRange[1]);
    expect(zoomed.yRange[1]).toBeGreaterThanOrEqual(5_000);
    expectLabelsApart(zoomed, 'zoomed');
    await expectLineAcross(page, 'zoomed');
    await shoot(page, testInfo, 'details-young-zoomed');
    await page.getByTestId('zoom-reset').click();
    await expect(page).not.toHaveURL(/from=/);
    await expect(page.getByTestId('range-30d')).toHaveAttribute('aria-pressed', 'true');
    await chartReady(page);
    await expect.poll(async () => (await chartState(page)).yRange[1]).toBeGreaterThanOrEqual(whole.yRange[1]);
  });

  await test.step('npm downloads at "All": the time labels keep apart', async () => {
    await page.getByTestId('metric-select').selectOption('npm_package_downloads');
    await page.getByTestId('chosen-series').first().click();
    await expect(page.getByTestId('chosen-series')).toHaveCount(0);
    for (const option of await page.getByTestId('series-option').all()) await option.check();
    await page.getByTestId('range-all').click();
    await chartReady(page);
    await expect(page.getByTestId('chart-readout').locator('tbody tr')).toHaveCount(3);
    expectLabelsApart(await chartState(page), 'npm at All');
    await shoot(page, testInfo, 'details-young-npm-all');
  });
});
