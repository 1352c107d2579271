// Issue 13, "status that never says up to date while something fails", end to end: `footprint serve`
// with four sources against the loopback fakes — GitHub with an organisation typo beside a good one
// (partial), GA4 with its only property refused and Docker Hub with its only namespace misspelt (failed),
// npm working (ok) — in Debian's Chromium. A failing source is impossible to miss on Overview, Glance
// and Health; once serve stops, every badge says offline, none "up to date".
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startFakeDockerHub, type FakeDockerHub } from '../../fakes/dockerhub/index.js';
import { startFakeGitHub, type FakeGitHub } from '../../fakes/github/index.js';
import type { FakeGoogle } from '../../fakes/google/index.js';
import { startFakeNpm, type FakeNpm } from '../../fakes/npm/index.js';
import { startServe, type ServeProcess } from '../../support/footprint-process.js';
import { startGa4Property } from '../../support/ga4-property.js';
import { CHROMIUM_MISSING, requireChromium, skipWithoutChromium } from './support/browser.js';
import { ensureRendererBuilt } from './support/renderer-build.js';
import { attachServeOutputOnFailure } from './support/serve-output.js';
import { screenshotView } from './support/screenshots.js';
import { createTempHome, type TempHome } from './support/temp-home.js';

test.skip(skipWithoutChromium(), CHROMIUM_MISSING);

const token = `ghp_${randomBytes(18).toString('hex')}`; // made at test time: no secret is tracked
const REFUSED_PROPERTY = '999999999';

let github: FakeGitHub;
let dockerhub: FakeDockerHub;
let google: FakeGoogle;
let npm: FakeNpm;
let home: TempHome;
let serve: ServeProcess | undefined;

test.beforeAll(async () => {
  requireChromium();
  ensureRendererBuilt();
  home = createTempHome();
  github = await startFakeGitHub({ token, repos: [{ owner: 'acme', name: 'rocket', stars: 3_912, forks: 388, watchers: 97, openIssues: 3, openPulls: 1, sizeKb: 900 }] });
  dockerhub = await startFakeDockerHub({ repositories: [{ namespace: 'acme', name: 'rocket', pullCount: 123_456, starCount: 12 }] });
  google = (await startGa4Property(home.dir)).google;
  npm = await startFakeNpm({ packages: { 'rocket-cli': { last_day: 10, last_week: 70, last_month: 300 } } });
  const configFile = path.join(home.dir, 'footprint.yaml');
  writeFileSync(configFile, `storage: { path: "./history.db" }
github:
  apiUrl: "${github.url}"
  token: "\${GITHUB_TOKEN}"
  orgs: [acme, acme-typo]
  interval: 1h
dockerhub:
  apiUrl: "${dockerhub.url}"
  namespaces: [acme-typo]
  interval: 1h
ga4:
  credentialsFile: "./service-account.json"
  properties: ["${REFUSED_PROPERTY}"]
  apiUrl: "${google.url}"
  interval: 1h
npm:
  apiUrl: "${npm.url}"
  packages: [rocket-cli]
  interval: 1h
`);
  serve = await startServe(['--config', configFile, '--listen', '127.0.0.1:0'], { ...home.env, GITHUB_TOKEN: token });
});

test.afterAll(async () => {
  await serve?.stop();
  await Promise.all([github?.close(), dockerhub?.close(), google?.close(), npm?.close()]);
  home?.remove();
});

attachServeOutputOnFailure(() => serve);

const EXPECTED = { github: 'partial', dockerhub: 'failed', ga4: 'failed', npm: 'ok' } as const;

/** Every source's badge on the Overview's source line. */
async function expectSourceLine(page: Page, statuses: Readonly<Record<string, string>>): Promise<void> {
  for (const [source, status] of Object.entries(statuses)) {
    await expect(page.locator(`[data-testid="source-summary"][data-source="${source}"]`).getByTestId('health-badge')).toHaveAttribute('data-status', status);
  }
}

test('a failing source is impossible to miss on Overview, Glance and Health; offline once serve stops', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  await page.goto(`${serve!.url}/`);

  await test.step('Overview: partial and failed on the source line, a card for every source, each failing one with its error', async () => {
    await expectSourceLine(page, EXPECTED);
    const line = page.getByLabel('Sources');
    await expect(line.locator('[data-source="ga4"]')).toContainText('failing');
    await expect(line.locator('[data-source="github"]')).toContainText('partly failing');
    // The sources without figures have a card that says why, in plain words.
    const ga4 = page.getByRole('article', { name: 'Google Analytics 4' });
    await expect(ga4.getByTestId('health-badge')).toHaveAttribute('data-status', 'failed');
    await expect(ga4.getByTestId('source-card-message')).toContainText(`Google Analytics refused access to property ${REFUSED_PROPERTY}`);
    const docker = page.getByRole('article', { name: 'Docker Hub' });
    await expect(docker.getByTestId('source-card-message')).toContainText("namespace 'acme-typo'");
    await expect(docker.getByTestId('source-card-message')).toContainText('dockerhub.namespaces');
    // GitHub has figures (acme) and says on its card that an organisation failed.
    const acme = page.locator('[data-testid="overview-card"][data-card="github:acme"]');
    await expect(acme.getByTestId('card-total')).toHaveAttribute('title', '3,912');
    await expect(acme.getByTestId('card-status')).toContainText("1 target failed — org:acme-typo: organization 'acme-typo' not found — check github.orgs");
    await expect(page.locator('[data-testid="overview-card"][data-card^="npm:"]').first().getByTestId('card-status')).toHaveCount(0);
    await screenshotView(page, testInfo, 'status-overview', { viewport: { width: 1280, height: 640 } });
  });

  await test.step('Glance: each source needing attention, with why', async () => {
    await page.getByTestId('nav-glance').click();
    const problems = page.getByTestId('glance-problem');
    await expect(problems).toHaveCount(3);
    await expect(problems.filter({ hasText: 'Google Analytics 4' })).toHaveAttribute('data-status', 'failed');
    await expect(problems.filter({ hasText: 'Google Analytics 4' })).toContainText(`refused access to property ${REFUSED_PROPERTY}`);
    await expect(problems.filter({ hasText: 'Docker Hub' })).toHaveAttribute('data-status', 'failed');
    await expect(problems.filter({ hasText: 'GitHub' })).toHaveAttribute('data-status', 'partial');
    await expect(problems.filter({ hasText: 'GitHub' })).toContainText('org:acme-typo');
    await screenshotView(page, testInfo, 'status-glance', { viewport: { width: 360, height: 480 } });
    await page.getByTestId('open-dashboard').click();
  });

  await test.step('Health: the same statuses, the errors, and the API budget in exact numbers', async () => {
    await page.getByTestId('nav-health').click();
    for (const [source, status] of Object.entries(EXPECTED)) {
      await expect(page.locator(`[data-testid="health-row"][data-source="${source}"]`).getByTestId('health-badge')).toHaveAttribute('data-status', status);
    }
    const ga4 = page.locator('[data-testid="health-row"][data-source="ga4"]');
    await expect(ga4.getByTestId('health-error')).toContainText(`refused access to property ${REFUSED_PROPERTY}`);
    const githubRow = page.locator('[data-testid="health-row"][data-source="github"]');
    await expect(githubRow.getByTestId('health-failed-targets')).toContainText("org:acme-typo: organization 'acme-typo' not found");
    await expect(githubRow.getByTestId('health-budget')).toContainText(/^[\d,]+ of 5,000\b/);
    await expect(githubRow.getByTestId('health-budget')).not.toContainText('K');
    await screenshotView(page, testInfo, 'status-health', { viewport: { width: 1280, height: 900 } });
  });

  await test.step('serve stops: "Reconnecting…", and every badge says offline, none "up to date"', async () => {
    await page.getByTestId('nav-overview').click();
    await expectSourceLine(page, EXPECTED);
    await serve!.stop();
    serve = undefined;
    await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'reconnecting');
    await expectSourceLine(page, { github: 'offline', dockerhub: 'offline', ga4: 'offline', npm: 'offline' });
    await expect(page.getByLabel('Sources')).not.toContainText('up to date');
    await expect(page.getByTestId('health-badge').filter({ hasText: 'up to date' })).toHaveCount(0);
    await screenshotView(page, testInfo, 'status-offline', { viewport: { width: 1280, height: 640 } });
  });
});
