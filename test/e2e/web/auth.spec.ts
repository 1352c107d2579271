// Headless safety in a real browser: with server.authToken set, the dashboard is not shown to a
// browser without the token (HTTP 401 with a Basic challenge, i.e. the browser's login prompt). With
// the token — typed into that prompt, or once in the address as ?token= — the whole app loads and its
// live channel (EventSource) connects.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startFakeGitHub, type FakeGitHub } from '../../fakes/github/index.js';
import { startServe, type ServeProcess } from '../../support/footprint-process.js';
import { CHROMIUM_MISSING, requireChromium, skipWithoutChromium } from './support/browser.js';
import { ensureRendererBuilt } from './support/renderer-build.js';
import { createTempHome, type TempHome } from './support/temp-home.js';

test.skip(skipWithoutChromium(), CHROMIUM_MISSING);

const githubToken = `ghp_${randomBytes(18).toString('hex')}`;
const authToken = randomBytes(24).toString('hex');
const STARS = 1_234;

let fake: FakeGitHub;
let home: TempHome;
let serve: ServeProcess;

test.beforeAll(async () => {
  requireChromium();
  ensureRendererBuilt();
  fake = await startFakeGitHub({ token: githubToken, repos: [{ owner: 'acme', name: 'rocket', stars: STARS, forks: 3, watchers: 2, openIssues: 1, openPulls: 0, sizeKb: 100 }] });
  home = createTempHome();
  const config = path.join(home.dir, 'footprint.yaml');
  writeFileSync(config, [
    'server: { authToken: "${FOOTPRINT_AUTH_TOKEN}" }',
    'storage: { path: "./history.db" }',
    'github:',
    `  apiUrl: "${fake.url}"`,
    '  token: "${GITHUB_TOKEN}"',
    '  orgs: [acme]',
    '  interval: 1h',
    '',
  ].join('\n'));
  // Still loopback only: the token is asked for all the same.
  serve = await startServe(['--config', config, '--listen', '127.0.0.1:0'], { ...home.env, GITHUB_TOKEN: githubToken, FOOTPRINT_AUTH_TOKEN: authToken });
});

test.afterAll(async () => {
  await serve?.stop();
  await fake?.close();
  home?.remove();
});

/** Paths the page asked for that got no answer yet, or an error status. */
function unanswered(page: Page): () => string[] {
  const open = new Map<object, string>();
  const refused: string[] = [];
  page.on('request', (request) => open.set(request, new URL(request.url()).pathname));
  page.on('requestfinished', async (request) => {
    open.delete(request);
    const status = (await request.response())?.status() ?? 0;
    if (status >= 400) refused.push(`${new URL(request.url()).pathname} (HTTP ${status})`);
  });
  page.on('requestfailed', (request) => {
    open.delete(request);
    refused.push(`${new URL(request.url()).pathname} (${request.failure()?.errorText ?? 'failed'})`);
  });
  // The live channel stays open by design.
  return () => [...refused, ...[...open.values()].filter((pathname) => pathname !== '/api/events').map((pathname) => `${pathname} (no answer)`)];
}

async function expectWorkingApp(page: Page, problems: () => string[]): Promise<void> {
  // A file the server refuses or never answers leaves a blank page: name it rather than time out on a missing card.
  const started = await page.getByTestId('live-indicator').waitFor({ timeout: 10_000 }).then(() => true, () => false);
  if (!started) expect(problems(), 'the app did not start: every file it loads must be answered').toEqual([]);
  const total = page.locator('[data-testid="overview-card"][data-card="github:acme"]').getByTestId('card-total');
  await expect(total).toHaveAttribute('title', new Intl.NumberFormat('en-US').format(STARS));
  await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live');
  expect(problems().filter((problem) => !problem.endsWith('(no answer)')), 'nothing the app asked for was refused').toEqual([]);
}

test('without the token the browser gets the login prompt (401), not the dashboard', async ({ page }) => {
  const challenge = page.waitForResponse((response) => new URL(response.url()).pathname === '/');
  // With nobody to answer the login prompt, Chromium gives up on the page.
  await expect(page.goto(`${serve.url}/`)).rejects.toThrow(/ERR_INVALID_AUTH_CREDENTIALS/);
  const response = await challenge;
  expect(response.status()).toBe(401);
  expect(await response.headerValue('www-authenticate')).toMatch(/^Basic realm="Footprint"/);
  await expect(page.locator('#root')).toHaveCount(0);
  const api = await page.request.get(`${serve.url}/api/latest`);
  expect(api.status()).toBe(401);
  expect(await api.text()).not.toContain(authToken);
});

test('with ?token= once, the app loads, drops the token from the address and goes live', async ({ page }) => {
  const problems = unanswered(page);
  const response = await page.goto(`${serve.url}/?token=${authToken}#/overview`, { waitUntil: 'commit' });
  expect(response?.status()).toBe(200);
  await expectWorkingApp(page, problems);
  // Out of the address bar (and so out of bookmarks and shared links), kept for this tab only.
  expect(page.url()).not.toContain(authToken);
  expect(await page.evaluate(() => sessionStorage.getItem('footprint.token'))).toBe(authToken);
});

test.describe('with the token typed into the login prompt', () => {
  test.use({ httpCredentials: { username: 'me', password: authToken } });

  test('the app loads and goes live', async ({ page }) => {
    const problems = unanswered(page);
    await page.goto(`${serve.url}/`, { waitUntil: 'commit' });
    await expectWorkingApp(page, problems);
  });
});
