// The light/dark switch in the header, in Debian's Chromium in front of a real `footprint serve` whose
// history file holds a few weeks of GitHub figures: System by default (following the OS), Light or
// Dark chosen in the page and remembered by the browser across reloads, and the chart redrawn in the
// chosen theme's colours (its line is found on the canvas in the new --chart-1 colour).
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { startFakeGitHub, type FakeGitHub } from '../../fakes/github/index.js';
import { startServe, type ServeProcess } from '../../support/footprint-process.js';
import { fakeGitHubToken } from '../../support/test-tokens.js';
import { CHROMIUM_MISSING, requireChromium, skipWithoutChromium } from './support/browser.js';
import { lineInk } from './support/chart-probe.js';
import { ensureRendererBuilt } from './support/renderer-build.js';
import { attachServeOutputOnFailure } from './support/serve-output.js';
import { pageBackgroundLuminance } from './support/screenshots.js';
import { seedGitHubHistory } from './support/seed-history.js';
import { createTempHome, type TempHome } from './support/temp-home.js';

test.skip(skipWithoutChromium(), CHROMIUM_MISSING);

const token = fakeGitHubToken();
let fake: FakeGitHub;
let home: TempHome;
let serve: ServeProcess;

test.beforeAll(async () => {
  requireChromium();
  ensureRendererBuilt();
  fake = await startFakeGitHub({ token, repos: [{ owner: 'acme', name: 'rocket', stars: 3_912, forks: 388, watchers: 90, openIssues: 3, openPulls: 1, sizeKb: 900 }] });
  home = createTempHome();
  const configFile = path.join(home.dir, 'footprint.yaml');
  writeFileSync(configFile, `storage: { path: "./history.db" }\ngithub: { apiUrl: "${fake.url}", orgs: [acme], token: "\${GITHUB_TOKEN}" }\n`);
  await seedGitHubHistory({ file: path.join(home.dir, 'history.db'), apiUrl: fake.url, token, orgs: ['acme'], users: [], days: 30, stepHours: 12, end: Date.now() - 3_600_000 });
  serve = await startServe(['--config', configFile, '--listen', '127.0.0.1:0'], { ...home.env, GITHUB_TOKEN: token });
});

test.afterAll(async () => {
  await serve?.stop();
  await fake?.close();
  home?.remove();
});

attachServeOutputOnFailure(() => serve);

const isDark = async (page: Page) => (await pageBackgroundLuminance(page)) < 0.05;
/** Columns of the chart where its first line shows in the current theme's --chart-1. */
const inkedColumns = async (page: Page) => (await lineInk(page, '--chart-1')).filter((column) => column !== null).length;

test('the header switches light and dark, remembers the choice, and the chart follows', async ({ page }, testInfo) => {
  const starSeries = async () => (await (await fetch(`${serve.url}/api/latest?q=${encodeURIComponent(JSON.stringify({ source: 'github', metric: 'github_repo_stars' }))}`)).json()) as { id: number }[];
  // The seeded history records no run: serve lists the series once its first poll has stored (a race on a busy machine).
  await expect.poll(async () => (await starSeries()).length, { timeout: 30_000 }).toBeGreaterThan(0);
  const latest = await starSeries();
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(`${serve.url}/#/details?series=${latest[0]!.id}`);
  const chart = page.getByTestId('details-chart');
  await expect(chart).toHaveAttribute('data-plot', /.+/);
  const theme = page.getByTestId('theme-switch');

  // System by default: follows the OS both ways.
  await expect(theme).toHaveValue('system');
  expect(await isDark(page)).toBe(false);
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(() => isDark(page)).toBe(true);
  await page.emulateMedia({ colorScheme: 'light' });
  await expect.poll(() => isDark(page)).toBe(false);
  await expect.poll(() => inkedColumns(page), { message: 'the line in light --chart-1' }).toBeGreaterThan(100);

  // Dark chosen on a light system: the page and the chart's line turn dark-theme colours.
  await theme.selectOption('dark');
  await expect.poll(() => isDark(page)).toBe(true);
  await expect.poll(() => inkedColumns(page), { message: 'the line redrawn in dark --chart-1' }).toBeGreaterThan(100);
  await page.mouse.move(0, 0);
  await page.screenshot({ path: testInfo.outputPath('details-dark-chosen.png') });

  // Remembered by this browser.
  await page.reload();
  await expect(page.getByTestId('theme-switch')).toHaveValue('dark');
  expect(await isDark(page)).toBe(true);

  // Light chosen on a dark system wins over the system.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.getByTestId('theme-switch').selectOption('light');
  await expect.poll(() => isDark(page)).toBe(false);
  await expect.poll(() => inkedColumns(page), { message: 'the line redrawn in light --chart-1' }).toBeGreaterThan(100);

  // Back to System: dark again, as the system is.
  await page.getByTestId('theme-switch').selectOption('system');
  await expect.poll(() => isDark(page)).toBe(true);
  await page.reload();
  await expect(page.getByTestId('theme-switch')).toHaveValue('system');
});
