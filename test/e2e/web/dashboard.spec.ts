// The dashboard end to end, real parts only: `footprint serve` as a child process on a real history
// file, the loopback GitHub fake behind a token, Debian's Chromium. The configuration starts without
// any source, so the user meets the first-run screen, adds GitHub in Settings, and follows the numbers
// through Overview, Details (chart read-out), live updates without a reload, and Health.
// The history file already holds two months of earlier polls of the same repositories (see
// support/seed-history.ts): the new source continues them, so cards show changes and the chart curves.
// Every view is photographed in light and dark (docs/screenshots with UPDATE_SCREENSHOTS=1).
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { parse as parseYaml } from 'yaml';
import { SECRET_UNCHANGED } from '../../../shared/api.js';
import { startFakeGitHub, type FakeGitHub, type FakeRepo } from '../../fakes/github/index.js';
import { startServe, type ServeProcess } from '../../support/footprint-process.js';
import { CHROMIUM_MISSING, requireChromium, skipWithoutChromium } from './support/browser.js';
import { chartState, dragAcross, expectLabelsApart, inkAt, lineInk } from './support/chart-probe.js';
import { ensureRendererBuilt } from './support/renderer-build.js';
import { attachServeOutputOnFailure } from './support/serve-output.js';
import { screenshotView } from './support/screenshots.js';
import { seedGitHubHistory } from './support/seed-history.js';
import { createTempHome, type TempHome } from './support/temp-home.js';

test.skip(skipWithoutChromium(), CHROMIUM_MISSING);

const token = `ghp_${randomBytes(18).toString('hex')}`; // made at test time: no secret is tracked
/** The poll interval typed into Settings: live updates must show within a couple of these. */
const INTERVAL_MS = 2_000;
/** Two intervals, plus the time a poll, the event and a render take on a busy CI runner. */
const LIVE_TIMEOUT_MS = 2 * INTERVAL_MS + 3_000;

const repo = (owner: string, name: string, stars: number, forks: number, extra: Partial<FakeRepo> = {}): FakeRepo => ({
  owner, name, stars, forks, watchers: Math.round(stars / 40), openIssues: 3, openPulls: 1, sizeKb: 900, license: 'mit', language: 'TypeScript', ...extra,
});
const REPOS: FakeRepo[] = [
  repo('acme', 'rocket', 3_912, 388, { releases: [{ name: 'v2.1', tag: 'v2.1.0', createdAt: '2026-09-01T10:00:00Z', assets: [{ name: 'rocket-linux.tar.gz', downloads: 1_840 }] }] }),
  repo('acme', 'engine', 1_207, 96),
  repo('acme', 'docs', 115, 40, { language: null }),
  repo('globex', 'drill', 842, 61, { language: 'Go' }),
  repo('globex', 'press', 96, 12, { language: 'Go' }),
  repo('octo-user', 'dotfiles', 57, 9, { language: 'Shell' }),
];

let fake: FakeGitHub;
let home: TempHome;
let serve: ServeProcess;
let configFile: string;

test.beforeAll(async () => {
  requireChromium();
  ensureRendererBuilt();
  fake = await startFakeGitHub({ token, owners: [{ login: 'octo-user', type: 'User' }], repos: REPOS });
  home = createTempHome();
  configFile = path.join(home.dir, 'footprint.yaml');
  writeFileSync(configFile, '# Footprint settings\nstorage: { path: "./history.db" }\n');
  await seedGitHubHistory({
    file: path.join(home.dir, 'history.db'), apiUrl: fake.url, token, orgs: ['acme', 'globex'], users: ['octo-user'],
    days: 60, stepHours: 6, end: Date.now() - 3_600_000,
  });
  serve = await startServe(['--config', configFile, '--listen', '127.0.0.1:0'], { ...home.env, GITHUB_TOKEN: token });
});

test.afterAll(async () => {
  await serve?.stop();
  await fake?.close();
  home?.remove();
});

attachServeOutputOnFailure(() => serve);

/** Stars as the fake API itself answers them (REST, with the token). */
async function apiStars(fullName: string): Promise<number> {
  const response = await fetch(`${fake.url}/repos/${fullName}`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status, `the fake answers GET /repos/${fullName}`).toBe(200);
  return ((await response.json()) as { stargazers_count: number }).stargazers_count;
}

async function apiStarsOf(owner: string): Promise<number> {
  const names = REPOS.filter((item) => item.owner === owner).map((item) => `${item.owner}/${item.name}`);
  const stars = await Promise.all(names.map(apiStars));
  return stars.reduce((sum, value) => sum + value, 0);
}

const exact = (value: number) => new Intl.NumberFormat('en-US').format(value);
const compact = (value: number) => new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 }).format(value);

function card(page: Page, owner: string): Locator {
  return page.locator(`[data-testid="overview-card"][data-card="github:${owner}"]`);
}

/** The chart's accessible read-out: series label → the value shown. */
async function readout(page: Page): Promise<Record<string, string>> {
  const rows = page.getByTestId('chart-readout').locator('tbody tr');
  const entries: [string, string][] = [];
  for (const row of await rows.all()) {
    entries.push([(await row.locator('th').innerText()).trim(), (await row.getByTestId('readout-value').innerText()).trim()]);
  }
  return Object.fromEntries(entries);
}

/**
 * Moves the mouse over the chart's plotting area (0 = oldest, 1 = newest). A chart has about one
 * point per pixel, so the newest point is only under the last quarter pixel of the area.
 */
async function hoverChart(page: Page, at: number): Promise<void> {
  const plot = page.getByTestId('details-chart').locator('.u-over');
  const box = await plot.boundingBox();
  if (!box) throw new Error('the chart has no plotting area on screen');
  await page.mouse.move(box.x + Math.min(box.width - 0.25, Math.max(0.25, box.width * at)), box.y + box.height / 2);
}

async function readoutTime(page: Page): Promise<number> {
  return Date.parse((await page.getByTestId('chart-readout').locator('caption time').getAttribute('datetime')) ?? '');
}

async function settleView(page: Page): Promise<void> {
  await expect(page.getByTestId('loading')).toHaveCount(0);
  await page.mouse.move(0, 0);
}

/** Two animation frames: whatever a change scheduled has been drawn. */
async function nextFrames(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

test('first run, adding GitHub in Settings, live numbers in Overview and Details, Health, and every view in light and dark', async ({ page }, testInfo) => {
  test.setTimeout(60_000);
  const loads: string[] = [];
  page.on('domcontentloaded', () => loads.push(page.url()));

  await test.step('an empty configuration shows the first-run screen', async () => {
    await page.goto(`${serve.url}/`);
    await expect(page.getByTestId('first-run')).toBeVisible();
    await expect(page.getByTestId('first-run')).toContainText('GitHub');
    await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live');
    await screenshotView(page, testInfo, 'first-run', { viewport: { width: 1280, height: 480 } });
  });

  await test.step('Settings: add the organization, test the connection, save; the token is kept in the file, readable only by the user', async () => {
    await page.getByTestId('first-run-settings').click();
    await page.getByTestId('add-source-github').click();
    const section = page.getByTestId('settings-github');
    for (const [field, entries] of [['orgs', ['acme', 'globex']], ['users', ['octo-user']]] as const) {
      const list = section.getByTestId(`settings-github-${field}`);
      for (const entry of entries) {
        await list.getByTestId('list-add-input').fill(entry);
        await list.getByTestId('list-add').click();
      }
      await expect(list.getByTestId('list-item')).toHaveCount(entries.length);
    }
    await section.getByTestId('settings-github-apiUrl').fill(fake.url);
    await section.getByTestId('settings-github-interval').fill(`${INTERVAL_MS / 1000}s`);

    // GITHUB_TOKEN is set where `footprint serve` runs, but the file does not use it yet: Settings
    // expands only the references the file already has, and says what to do instead.
    const tokenField = section.getByTestId('settings-github-token');
    await tokenField.fill('${GITHUB_TOKEN}');
    await section.getByTestId('test-connection').click();
    const result = section.getByTestId('connection-result');
    await expect(result).toHaveClass(/\bfailed\b/);
    await expect(result).toContainText('“Token”: ${GITHUB_TOKEN} is not used for “Token”');
    await expect(result).toContainText('type the token itself');
    await tokenField.fill(token);
    await section.getByTestId('test-connection').click();
    await expect(result).toHaveClass(/\bok\b/);
    await expect(result).toHaveText(/^✓ Connected to GitHub: \d+ values read\. Connected as footprint-bot \(personal token\); [\d,]+ of 5,000 REST requests an hour left, [\d,]+ of 5,000 GraphQL points an hour left\.$/);

    await section.getByTestId('save-source').click();
    await expect(section.getByTestId('save-result')).toHaveText('Saved. GitHub now polls with these settings.');
    expect(statSync(configFile).mode & 0o777).toBe(0o600);
    const parsed = parseYaml(readFileSync(configFile, 'utf8')) as Record<string, any>;
    expect(parsed.storage).toEqual({ path: './history.db' });
    expect(parsed.github).toMatchObject({ orgs: ['acme', 'globex'], users: ['octo-user'], token, apiUrl: fake.url, interval: `${INTERVAL_MS / 1000}s` });
    await settleView(page);
    await screenshotView(page, testInfo, 'settings');
  });

  await test.step('Overview: the organization\'s card shows the API\'s star total', async () => {
    await page.getByTestId('nav-overview').click();
    const stars = await apiStarsOf('acme');
    const total = card(page, 'acme').getByTestId('card-total');
    await expect(total).toHaveAttribute('title', exact(stars));
    await expect(total).toHaveText(compact(stars));
    expect(compact(stars)).toBe('5.2K');
    await expect(card(page, 'acme').getByTestId('sparkline').locator('polyline')).toHaveAttribute('points', /(\S+ ){10,}/);
    await expect(card(page, 'globex').getByTestId('card-total')).toHaveAttribute('title', exact(await apiStarsOf('globex')));
    await expect(card(page, 'octo-user').getByTestId('card-total')).toHaveAttribute('title', exact(await apiStarsOf('octo-user')));
    await settleView(page);
    await screenshotView(page, testInfo, 'overview', { viewport: { width: 1280, height: 400 } });
  });

  await test.step('Details: "Open in Details" charts the owner’s total, its newest value the API’s stars, read out on hover', async () => {
    await card(page, 'acme').getByRole('link', { name: 'Open in Details' }).click();
    const chart = page.getByTestId('details-chart').locator('canvas').first();
    await expect(chart).toBeVisible();
    await page.mouse.move(0, 0);
    const expected = { 'acme (total)': exact(await apiStarsOf('acme')) };
    await expect.poll(() => readout(page), { timeout: LIVE_TIMEOUT_MS }).toEqual(expected);
    // Two months of history: the 30 days are shown as they are, not "since" anything.
    await expect(page.getByTestId('range-30d')).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('range-since')).toHaveCount(0);
    const newestTime = await readoutTime(page);
    // Hovering the oldest part reads the earlier history (a smaller total), the last point today's again.
    await hoverChart(page, 0.02);
    await expect.poll(() => readoutTime(page)).toBeLessThan(newestTime);
    const earlier = await readout(page);
    expect(Number(earlier['acme (total)']!.replace(/,/g, ''))).toBeLessThan(await apiStarsOf('acme'));
    await hoverChart(page, 1);
    await expect.poll(() => readoutTime(page)).toBeGreaterThanOrEqual(newestTime);
    expect(await readout(page)).toEqual(expected);
    await settleView(page);
    // The chart is rebuilt in the other theme's colours when the scheme changes.
    await screenshotView(page, testInfo, 'details', { viewport: { width: 1280, height: 600 }, ready: async () => {
      await expect(chart).toBeVisible();
      await nextFrames(page);
    } });
  });

  await test.step('Details: time labels apart at every range; a zoomed day is drawn in steps, its y axis fitted; reset', async () => {
    for (const range of ['24h', '7d', '1y', 'all', '30d'] as const) {
      await page.getByTestId(`range-${range}`).click();
      await expect(page.getByTestId(`range-${range}`)).toHaveAttribute('aria-pressed', 'true');
      await expect(page.getByTestId('loading')).toHaveCount(0);
      await expect(page.getByTestId('details-chart')).toHaveAttribute('data-x-labels', /.+/);
      expectLabelsApart(await chartState(page), range);
    }
    const month = await chartState(page);
    // About one day, ten days back: the seeded polls came every 6 hours.
    await dragAcross(page, 0.62, 0.62 + 1.2 / 30);
    await expect(page).toHaveURL(/from=\d+&to=\d+/);
    await expect(page.getByTestId('zoom-reset')).toBeVisible();
    for (const range of ['24h', '7d', '30d', '1y', 'all']) await expect(page.getByTestId(`range-${range}`)).toHaveAttribute('aria-pressed', 'false');
    await expect(page.getByTestId('loading')).toHaveCount(0);
    await expect.poll(async () => (await chartState(page)).xRange[1] - (await chartState(page)).xRange[0]).toBeLessThan(2 * 86_400_000);
    const day = await chartState(page);
    expectLabelsApart(day, 'zoomed');
    expect(day.yRange[1] - day.yRange[0], 'the y axis fits the day, not the month').toBeLessThan((month.yRange[1] - month.yRange[0]) / 3);
    // Steps: between the polls the line is flat (a run of thin columns at one height); a sloped line
    // (points joined straight across a coarse grid) would drift from column to column.
    const ink = await lineInk(page, '--chart-1');
    const runs: number[][] = [];
    let run: number[] = [];
    for (const column of ink) {
      // A column as thin as the line is flat; a small step (one star: a few pixels) is a short vertical
      // segment, thicker than the line or off the run's height by a pixel or more, and ends the run.
      const stepped = column !== null && run.length > 0 && Math.abs(column.center - run.at(-1)!) >= 1;
      if (column && column.bottom - column.top <= 2 && !stepped) run.push(column.center);
      else {
        if (run.length >= 5) runs.push(run);
        run = [];
      }
    }
    if (run.length >= 5) runs.push(run);
    expect(runs.length, 'the zoomed day shows several polls').toBeGreaterThanOrEqual(3);
    for (const flat of runs) expect(Math.max(...flat) - Math.min(...flat), `a flat stretch of ${flat.length} columns drifts`).toBeLessThanOrEqual(1.5);
    await page.screenshot({ path: testInfo.outputPath('details-zoomed-day.png') });
    await page.getByTestId('zoom-reset').click();
    await expect(page).not.toHaveURL(/from=/);
    await expect(page.getByTestId('range-30d')).toHaveAttribute('aria-pressed', 'true');
    await page.mouse.move(0, 0);
  });

  await test.step('the API grows: Details and Overview follow live, without a reload', async () => {
    await page.evaluate(() => { (window as unknown as { __footprintMarker: string }).__footprintMarker = 'same page'; });
    const loadsBefore = loads.length;
    await page.mouse.move(0, 0); // no hover: the read-out shows the newest point

    const rocket = await apiStars('acme/rocket');
    fake.updateRepo('acme/rocket', { stars: rocket + 1_500 });
    const grownAt = Date.now();
    const row = page.getByTestId('chart-readout').locator('tbody tr', { hasText: 'acme (total)' }).getByTestId('readout-value');
    await expect(row).toHaveText(exact(await apiStarsOf('acme')), { timeout: LIVE_TIMEOUT_MS });
    testInfo.annotations.push({ type: 'live update in Details', description: `${Date.now() - grownAt} ms after the API changed (interval ${INTERVAL_MS} ms)` });

    await page.getByTestId('nav-overview').click();
    const total = card(page, 'acme').getByTestId('card-total');
    await expect(total).toHaveAttribute('title', exact(await apiStarsOf('acme')));
    const engine = await apiStars('acme/engine');
    fake.updateRepo('acme/engine', { stars: engine + 300 });
    const grownAgainAt = Date.now();
    await expect(total).toHaveAttribute('title', exact(await apiStarsOf('acme')), { timeout: LIVE_TIMEOUT_MS });
    testInfo.annotations.push({ type: 'live update in Overview', description: `${Date.now() - grownAgainAt} ms after the API changed (interval ${INTERVAL_MS} ms)` });
    await expect(total).toHaveText(compact(await apiStarsOf('acme')));

    expect(await page.evaluate(() => (window as unknown as { __footprintMarker?: string }).__footprintMarker)).toBe('same page');
    expect(loads.slice(loadsBefore), 'no page load happened').toEqual([]);
  });

  await test.step('Glance: the tray view shows the totals', async () => {
    await page.getByTestId('nav-glance').click();
    const acme = page.locator('[data-testid="glance-total"][data-card="github:acme"]');
    await expect(acme.getByTestId('glance-total-value')).toHaveAttribute('title', exact(await apiStarsOf('acme')));
    await settleView(page);
    await screenshotView(page, testInfo, 'glance', { viewport: { width: 360, height: 480 } });
    await page.getByTestId('open-dashboard').click();
  });

  await test.step('Health: the source is up and shows the API budget the API reported', async () => {
    await page.getByTestId('nav-health').click();
    const row = page.locator('[data-testid="health-row"][data-source="github"]');
    await expect(row.getByTestId('health-badge')).toHaveAttribute('data-status', 'ok');
    await expect(row.getByTestId('health-failures')).toHaveText('0');
    await expect(row.getByTestId('health-error')).toHaveCount(0);
    fake.setRemaining('graphql', 4_321);
    await row.getByTestId('refresh-source').click();
    const remaining = row.getByTestId('health-budget').locator('[title]').first();
    const limit = row.getByTestId('health-budget').locator('[title]').nth(1);
    // The GraphQL budget after the refresh: 4,321 less what the polls since cost (a point or two each).
    await expect.poll(async () => Number((await remaining.getAttribute('title'))?.replace(/,/g, '')), { timeout: LIVE_TIMEOUT_MS })
      .toBeLessThanOrEqual(4_321);
    expect(Number((await remaining.getAttribute('title'))!.replace(/,/g, ''))).toBeGreaterThan(4_321 - 100);
    await expect(limit).toHaveAttribute('title', '5,000');
    await settleView(page);
    await screenshotView(page, testInfo, 'health', { viewport: { width: 1280, height: 400 } });
  });

  await test.step('Settings: a wrong token fails the connection test in plain words', async () => {
    await page.getByTestId('nav-settings').click();
    const section = page.getByTestId('settings-github');
    const tokenField = section.getByTestId('settings-github-token');
    await expect(tokenField).toHaveValue(SECRET_UNCHANGED); // stored: shown as a marker, never as the token
    const wrong = `ghp_${'0'.repeat(36)}`;
    await tokenField.fill(wrong);
    await section.getByTestId('test-connection').click();
    const result = section.getByTestId('connection-result');
    await expect(result).toHaveClass(/\bfailed\b/);
    await expect(result).toContainText('rejected the token');
    // It names the field on screen, not the configuration key.
    await expect(result).toContainText('put a valid token in “Token”');
    await expect(result).not.toContainText('github.token');
    const message = await result.innerText();
    expect(message).not.toContain(wrong);
    expect(message).not.toMatch(/\bat \S+:\d+|Error:|undefined|\[object/);
    // Only tested, never saved: the file still holds the saved token.
    expect(parseYaml(readFileSync(configFile, 'utf8')).github.token).toBe(token);
    // Leaving with the wrong token still typed asks first; the user discards it.
    page.once('dialog', (dialog) => void dialog.accept());
  });

  await test.step('a repository seen for the first time is a dot on the 30-day chart, next to one with history', async () => {
    fake.addRepo(repo('globex', 'newcomer', 12, 1, { language: 'Go' }));
    const globexIds = async () => {
      const query = encodeURIComponent(JSON.stringify({ source: 'github', metric: 'github_repo_stars' }));
      const latest = (await (await fetch(`${serve.url}/api/latest?q=${query}`)).json()) as { id: number; labels: Record<string, string> }[];
      return ['drill', 'newcomer'].map((name) => latest.find((series) => series.labels.user === 'globex' && series.labels.repo === name)?.id);
    };
    await expect.poll(async () => (await globexIds()).includes(undefined), { timeout: LIVE_TIMEOUT_MS }).toBe(false);
    const ids = await globexIds();
    await page.goto(`${serve.url}/#/details?series=${ids.join(',')}`);
    await expect(page.getByTestId('details-chart')).toHaveAttribute('data-dots', /.+/);
    const state = await chartState(page);
    expect(state.dots.map((dot) => dot.series), 'only the newcomer is a dot').toEqual([1]);
    const dot = state.dots[0]!;
    expect(await inkAt(page, '--chart-2', dot.x, dot.y), 'the dot is drawn in the newcomer’s colour').toBe(true);
    expect(dot.x, 'at the newest time').toBeGreaterThan(state.plot.left + state.plot.width - 3);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: testInfo.outputPath('details-new-repository.png') });
  });
});
