// The user-defined JSON sources (`http:`) from the browser: in Debian's Chromium in front of a real
// `footprint serve` started without a configuration file, a user adds a JSON source with a secret
// header and two metrics in Settings; the file gets the list, the header never comes back to the
// page, the poll reads the loopback JSON API (which wants the header), and the Overview shows the
// entry's card with its numbers; a second entry that answers 404 fails on its own (Health names it,
// the working entry's card stays clean).
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { parse as parseYaml } from 'yaml';
import { startFakeJsonApi, type FakeJsonApi } from '../../fakes/json-api/index.js';
import { apiFixture } from '../../support/api-fixtures.js';
import { startServe, type ServeProcess } from '../../support/footprint-process.js';
import { CHROMIUM_MISSING, requireChromium, skipWithoutChromium } from './support/browser.js';
import { ensureRendererBuilt } from './support/renderer-build.js';
import { attachServeOutputOnFailure } from './support/serve-output.js';
import { createTempHome, type TempHome } from './support/temp-home.js';

test.skip(skipWithoutChromium(), CHROMIUM_MISSING);
test.describe.configure({ mode: 'serial' });

const token = `brew_${randomBytes(16).toString('hex')}`;
const formula = apiFixture('homebrew_formula.json');
let api: FakeJsonApi;
let home: TempHome;
let serve: ServeProcess;
let configFile: string;

test.beforeAll(async () => {
  requireChromium();
  ensureRendererBuilt();
  api = await startFakeJsonApi({ '/api/formula/wget.json': formula });
  api.requireHeader('authorization', `Bearer ${token}`, /wget/);
  home = createTempHome();
  configFile = path.join(home.env.XDG_CONFIG_HOME!, 'footprint', 'footprint.yaml');
  serve = await startServe(['--listen', '127.0.0.1:0'], home.env);
});

test.afterAll(async () => {
  await serve?.stop();
  await api?.close();
  home?.remove();
});

attachServeOutputOnFailure(() => serve);

test('a JSON source added in Settings is saved as a list, polled with its secret header, and shown on the Overview', async ({ page }) => {
  await page.goto(`${serve.url}/#/settings?add=http`);
  const section = page.getByTestId('settings-http');
  await section.getByTestId('settings-http-entries-add').click();
  const entry = section.getByTestId('settings-http-entries-0');
  await entry.getByTestId('settings-http-entries-0-name').fill('homebrew');
  await entry.getByTestId('settings-http-entries-0-url').fill(`${api.url}/api/formula/wget.json`);
  await entry.getByTestId('settings-http-entries-0-add-header').click();
  await entry.getByTestId('settings-http-entries-0-header-0-name').fill('Authorization');
  await entry.getByTestId('settings-http-entries-0-header-0-value').fill(`Bearer ${token}`);
  await entry.getByTestId('settings-http-entries-0-metric-0-name').fill('homebrew_installs_30d');
  await entry.getByTestId('settings-http-entries-0-metric-0-value').fill('analytics.install."30d".wget');
  await entry.getByTestId('settings-http-entries-0-metric-0-labels').fill('formula=wget');
  await entry.getByTestId('settings-http-entries-0-add-metric').click();
  await entry.getByTestId('settings-http-entries-0-metric-1-name').fill('homebrew_installs_90d');
  // A mistake first: the core names the key inside the entry.
  await entry.getByTestId('settings-http-entries-0-metric-1-value').fill('analytics.install."90d');
  await section.getByTestId('save-source').click();
  await expect(entry.getByTestId('settings-http-entries-0-issues')).toContainText('metrics[1].value: "analytics.install."90d" is not a JMESPath expression');
  await entry.getByTestId('settings-http-entries-0-metric-1-value').fill('analytics.install."90d".wget');
  // A second JSON source whose address answers 404: it fails on its own.
  await section.getByTestId('settings-http-entries-add').click();
  const broken = section.getByTestId('settings-http-entries-1');
  await broken.getByTestId('settings-http-entries-1-name').fill('broken');
  await broken.getByTestId('settings-http-entries-1-url').fill(`${api.url}/api/formula/nosuch.json`);
  await broken.getByTestId('settings-http-entries-1-metric-0-name').fill('broken_count');
  await broken.getByTestId('settings-http-entries-1-metric-0-value').fill('count');
  await section.getByTestId('save-source').click();
  await expect(section.getByTestId('save-result')).toHaveText('Saved. JSON APIs now polls with these settings.');

  const written = parseYaml(readFileSync(configFile, 'utf8')) as { http: { name: string; headers: Record<string, string>; metrics: unknown[] }[] };
  expect(written.http.map((item) => item.name)).toEqual(['homebrew', 'broken']);
  expect(written.http.slice(0, 1)).toEqual([{
    name: 'homebrew',
    url: `${api.url}/api/formula/wget.json`,
    headers: { Authorization: `Bearer ${token}` },
    metrics: [
      { name: 'homebrew_installs_30d', value: 'analytics.install."30d".wget', labels: { formula: 'wget' } },
      { name: 'homebrew_installs_90d', value: 'analytics.install."90d".wget' },
    ],
  }]);
  expect(statSync(configFile).mode & 0o777).toBe(0o600);

  // The header comes back masked; the page never holds the token.
  await page.reload();
  const header = page.getByTestId('settings-http-entries-0-header-0-value');
  await expect(header).toHaveValue('***');
  await expect(header).toHaveAttribute('type', 'password');
  expect(await page.content()).not.toContain(token);

  await page.goto(`${serve.url}/#/`);
  const card = page.locator('[data-testid="overview-card"][data-card="http:homebrew"]');
  await expect(card).toBeVisible({ timeout: 20_000 });
  await expect(card.locator('[data-metric="homebrew_installs_30d"] [data-testid="card-total"]')).toContainText(/123/);
  await expect(card.locator('[data-metric="homebrew_installs_90d"]')).toBeVisible();
  expect(api.requests.filter((request) => request.status === 200).length).toBeGreaterThan(0);
  // Honest status: the source is partly failing, the working entry's card says nothing, Health names the failing one.
  await expect(page.locator('[data-testid="source-summary"][data-source="http"] [data-testid="health-badge"]')).toHaveAttribute('data-status', 'partial');
  await expect(card.getByTestId('card-status')).toHaveCount(0);
  await page.goto(`${serve.url}/#/health`);
  await expect(page.locator('[data-testid="health-row"][data-source="http"] [data-testid="health-failed-targets"]')).toContainText(/http\/broken.*nosuch\.json answered 404/);
  const metrics = await (await fetch(`${serve.url}/metrics`)).text();
  expect(metrics).toContain(`homebrew_installs_30d{formula="wget",endpoint="homebrew"} ${formula.analytics.install['30d'].wget}`);
  expect(metrics).not.toContain(token);
});
