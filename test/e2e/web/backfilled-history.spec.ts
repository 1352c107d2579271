// History from day one, in a real browser: `footprint serve` on an empty history file with one GitHub
// organisation whose repository has starred for months (the loopback fake dates every star). After the
// first poll the backfill reads the star history back; Health shows it completed, and Details' default
// range (30 days) shows the star curve rising across it rather than a line from the first poll.
import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import type { FakeRepo } from '../../fakes/github/index.js';
import { CHROMIUM_MISSING, requireChromium, skipWithoutChromium } from './support/browser.js';
import { chartState, inkMargins, lineInk } from './support/chart-probe.js';
import { repoStars, startGitHubServe, type GitHubServe } from './support/github-serve.js';
import { ensureRendererBuilt } from './support/renderer-build.js';
import { attachServeOutputOnFailure } from './support/serve-output.js';

test.skip(skipWithoutChromium(), CHROMIUM_MISSING);

const token = `ghp_${randomBytes(18).toString('hex')}`; // made at test time: no secret is tracked
const DAY_MS = 86_400_000;
const STARS = 600;
const NOW = Date.now();
// Stars arrive evenly from the repository's creation, 120 days ago, until yesterday.
const ROCKET: FakeRepo = {
  owner: 'acme', name: 'rocket', stars: STARS, forks: 12, watchers: 3, openIssues: 2, openPulls: 1, sizeKb: 500, license: 'mit', language: 'TypeScript',
  createdAt: new Date(NOW - 120 * DAY_MS).toISOString(),
  updatedAt: new Date(NOW - DAY_MS).toISOString(),
};

let running: GitHubServe;

test.beforeAll(async () => {
  requireChromium();
  ensureRendererBuilt();
  running = await startGitHubServe(token, [ROCKET]);
});

test.afterAll(async () => {
  await running?.stop();
});

attachServeOutputOnFailure(() => running?.serve);

async function chartReady(page: Page): Promise<void> {
  await expect(page.getByTestId('loading')).toHaveCount(0);
  await expect(page.getByTestId('details-chart').locator('canvas').first()).toBeVisible();
  await expect(page.getByTestId('details-chart')).toHaveAttribute('data-y-range', /.+/);
}

test('an empty data directory: the star history is backfilled, Health says so, Details charts the curve', async ({ page }) => {
  test.setTimeout(90_000);
  const github = page.locator('[data-testid="health-row"][data-source="github"]');

  await test.step('Health: the backfill runs to completion, with what GitHub’s charts hold of the past', async () => {
    await page.goto(`${running.serve.url}/#/health`);
    await expect(github.getByTestId('history-note')).toContainText('Stars and forks are read back');
    await expect(github.getByTestId('backfill')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
    await expect(github.getByTestId('backfill-state')).toHaveText('completed');
    await expect(github.getByTestId('backfill-tasks')).toHaveText(/^(\d+) of \1 done$/);
    await expect(github.getByTestId('backfill-problems')).toHaveCount(0);
    await expect(github.getByTestId('backfill-requests')).not.toHaveText('0');
  });

  await test.step('Details at its default range (30 days): the backfilled curve, not a line from the first poll', async () => {
    await page.goto(`${running.serve.url}/#/details?series=${(await repoStars(running.serve.url, 'rocket')).id}`);
    await chartReady(page);
    await expect(page.getByTestId('range-30d')).toHaveAttribute('aria-pressed', 'true');
    // History is older than the range: the chart spans all 30 days, not "since" the first poll.
    await expect(page.getByTestId('range-since')).toHaveCount(0);
    const state = await chartState(page);
    expect(Date.now() - state.xRange[0]).toBeGreaterThan(29 * DAY_MS);
    // 30 of the 119 days of even growth: about a quarter of the stars arrived in the range.
    expect(state.yRange[0], 'the curve starts lower than today’s stars').toBeLessThan(STARS * 0.85);
    expect(state.yRange[1]).toBeGreaterThanOrEqual(STARS);
    // The line covers the whole range and rises from its left end to its right end.
    const ink = await lineInk(page, '--chart-1');
    expect(inkMargins(ink).left, 'empty plot left of the line').toBeLessThan(0.02);
    const drawn = ink.filter((column) => column !== null);
    expect(drawn[0]!.center - drawn.at(-1)!.center, 'the left end is lower than the right end (px)').toBeGreaterThan(state.plot.height / 3);
  });
});
