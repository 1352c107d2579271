// Badges and chart images from `footprint serve` in a real browser: a page embeds them with <img> as a
// README would, and each image opened on its own shows the stored value (the badge compact, the chart
// exact) — after the first poll of a loopback GitHub fake and the backfill of its star history.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { compactNumber, fullNumber } from '../../../shared/compact-number.js';
import type { FakeRepo } from '../../fakes/github/index.js';
import { CHROMIUM_MISSING, requireChromium, skipWithoutChromium } from './support/browser.js';
import { repoStars, startGitHubServe, type GitHubServe } from './support/github-serve.js';
import { attachServeOutputOnFailure } from './support/serve-output.js';

test.skip(skipWithoutChromium(), CHROMIUM_MISSING);

const token = `ghp_${randomBytes(18).toString('hex')}`; // made at test time: no secret is tracked
const DAY_MS = 86_400_000;
const NOW = Date.now();
const ROCKET: FakeRepo = {
  owner: 'acme', name: 'rocket', stars: 1_234, forks: 12, watchers: 3, openIssues: 2, openPulls: 1, sizeKb: 500, license: 'mit', language: 'TypeScript',
  createdAt: new Date(NOW - 200 * DAY_MS).toISOString(),
  updatedAt: new Date(NOW - DAY_MS).toISOString(),
};

let running: GitHubServe;

test.beforeAll(async () => {
  requireChromium();
  running = await startGitHubServe(token, [ROCKET]);
});

test.afterAll(async () => {
  await running?.stop();
});

attachServeOutputOnFailure(() => running?.serve);

/** acme/rocket's stars as the store holds them (the API reads the same history file); undefined before the first poll. */
const storedStars = async () => (await repoStars(running.serve.url, 'rocket').catch(() => undefined))?.value;

test('a README-style page shows the badge and the chart; their text is the stored value', async ({ page }, testInfo) => {
  test.setTimeout(40_000);
  await expect.poll(storedStars, { timeout: 15_000 }).toBe(ROCKET.stars);
  const stars = (await storedStars())!;
  const badgeUrl = `${running.serve.url}/badge/github/acme/rocket/stars.svg`;
  const chartUrl = (theme: string) => `${running.serve.url}/chart/github/acme/rocket/stars.svg?range=1y&theme=${theme}`;
  // The backfill reads the star dates back after the first poll: wait until the chart has the curve.
  await expect.poll(async () => ((await (await fetch(chartUrl('light'))).text()).match(/points="([^"]*)"/)?.[1] ?? '').split(' ').length, { timeout: 20_000 }).toBeGreaterThan(50);

  await test.step('the badge, opened on its own, says "stars | 1.2k"', async () => {
    await page.goto(badgeUrl);
    await expect(page.locator('text')).toHaveText(['stars', compactNumber(stars)]);
    expect(compactNumber(stars)).toBe('1.2k');
  });

  await test.step('the chart, opened on its own, ends at the stored value', async () => {
    await page.goto(chartUrl('dark'));
    await expect(page.locator('#last-value')).toHaveText(fullNumber(stars));
    await expect(page.locator('title')).toHaveText(`acme/rocket stars: ${fullNumber(stars)}`);
  });

  await test.step('embedded with <img> in a page, both load and are drawn', async () => {
    // A page of its own on loopback, like a wiki embedding them (an about:blank page may not load loopback images).
    const html = `<!doctype html><body style="margin:16px;background:#f6f8fa"><p><img id="badge" src="${badgeUrl}" alt="stars"></p><p><img id="light" src="${chartUrl('light')}"> <img id="dark" src="${chartUrl('dark')}"></p></body>`;
    const wiki = http.createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html));
    await new Promise<void>((resolve) => wiki.listen(0, '127.0.0.1', resolve));
    try {
      await page.goto(`http://127.0.0.1:${(wiki.address() as AddressInfo).port}/`);
    for (const id of ['badge', 'light', 'dark']) {
      await expect.poll(() => page.locator(`#${id}`).evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth)).toBeGreaterThan(0);
    }
    expect(await page.locator('#badge').evaluate((image: HTMLImageElement) => image.naturalHeight)).toBe(20);
    const file = testInfo.outputPath('share-images.png');
    await page.screenshot({ path: file, fullPage: true });
    await testInfo.attach('share-images', { path: file, contentType: 'image/png' });
    } finally {
      wiki.closeAllConnections();
      await new Promise((resolve) => wiki.close(resolve));
    }
  });
});
