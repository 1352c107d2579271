// Settings that never loses what was typed, in Debian's Chromium in front of a real `footprint serve`
// started without a configuration file (the first save creates it) and the loopback GitHub fake:
// text left in an add-field is saved, leaving with unsaved edits asks first (a navigation link and
// closing the tab), the configuration file's name appears after the first save without a reload, the
// file is written 0600, GA4's key file is uploaded from the browser, and the page is laid out for 1280 px (sections side by side, fields in two
// columns, collapsible) and for 400 px (one header row with a menu, paths that wrap only at a "/").
import { statSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { parse as parseYaml } from 'yaml';
import { startFakeGitHub, type FakeGitHub } from '../../fakes/github/index.js';
import type { FakeGoogle } from '../../fakes/google/index.js';
import type { TestServiceAccount } from '../../fakes/google/service-account.js';
import { startServe, type ServeProcess } from '../../support/footprint-process.js';
import { GA4_PROPERTY, startGa4Property } from '../../support/ga4-property.js';
import { fakeGitHubToken } from '../../support/test-tokens.js';
import { CHROMIUM_MISSING, requireChromium, skipWithoutChromium } from './support/browser.js';
import { ensureRendererBuilt } from './support/renderer-build.js';
import { attachServeOutputOnFailure } from './support/serve-output.js';
import { screenshotView } from './support/screenshots.js';
import { createTempHome, type TempHome } from './support/temp-home.js';

test.skip(skipWithoutChromium(), CHROMIUM_MISSING);
test.describe.configure({ mode: 'serial' });

const token = fakeGitHubToken();
let fake: FakeGitHub;
let google: FakeGoogle;
/** A GA4 service account's key file, outside anything `footprint serve` reads: the browser uploads it. */
let account: TestServiceAccount;
let home: TempHome;
let serve: ServeProcess;
/** Where `footprint serve` writes its configuration when it has none (XDG_CONFIG_HOME of the throwaway home). */
let configFile: string;

test.beforeAll(async () => {
  requireChromium();
  ensureRendererBuilt();
  fake = await startFakeGitHub({
    token,
    owners: [{ login: 'acme-user', type: 'User' }],
    repos: [{ owner: 'acme-user', name: 'rocket', stars: 42, forks: 7, watchers: 5, openIssues: 3, openPulls: 2, sizeKb: 1200 }],
  });
  home = createTempHome();
  ({ google, account } = await startGa4Property(home.dir));
  configFile = path.join(home.env.XDG_CONFIG_HOME!, 'footprint', 'footprint.yaml');
  serve = await startServe(['--listen', '127.0.0.1:0'], home.env);
});

test.afterAll(async () => {
  await serve?.stop();
  await fake?.close();
  await google?.close();
  home?.remove();
});

attachServeOutputOnFailure(() => serve);

/** Page height and whether a view scrolls sideways. */
async function pageSize(page: Page): Promise<{ height: number; overflowX: number }> {
  return page.evaluate(() => ({ height: document.documentElement.scrollHeight, overflowX: document.documentElement.scrollWidth - document.documentElement.clientWidth }));
}

test('text typed into an add-field is saved with "Add GitHub"; the first save names the file it created, readable only by the user', async ({ page }) => {
  await page.goto(`${serve.url}/#/settings?add=github`);
  const fileLine = page.getByTestId('config-file');
  await expect(fileLine).toHaveText(`none yet; saving creates ${configFile}`);
  expect(existsSync(configFile)).toBe(false);

  const section = page.getByTestId('settings-github');
  // Typed, "Add user" not clicked.
  await section.getByTestId('settings-github-users').getByTestId('list-add-input').fill('acme-user');
  await section.getByTestId('settings-github-apiUrl').fill(fake.url);
  const tokenField = section.getByTestId('settings-github-token');
  await tokenField.fill(token);
  await expect(section.getByTestId('secret-hint')).toContainText('saved in the configuration file, readable only by you (mode 0600)');
  await expect(section.getByTestId('secret-hint')).toContainText('${GITHUB_TOKEN}');
  await expect(section.getByTestId('unsaved-mark')).toBeVisible();

  await section.getByTestId('save-source').click();
  await expect(section.getByTestId('save-result')).toHaveText('Saved. GitHub now polls with these settings.');
  await expect(section.getByTestId('settings-github-users').getByTestId('list-item')).toHaveValue('acme-user');
  await expect(section.getByTestId('settings-github-users').getByTestId('list-add-input')).toHaveValue('');
  await expect(section.getByTestId('unsaved-mark')).toHaveCount(0);
  // No reload: the line now names the file the save created.
  await expect(fileLine).toHaveText(configFile);
  const saved = parseYaml(readFileSync(configFile, 'utf8')) as { github: Record<string, unknown> };
  expect(saved.github).toMatchObject({ users: ['acme-user'], apiUrl: fake.url, token });
  expect(statSync(configFile).mode & 0o777, 'the file holding the token is readable only by its owner').toBe(0o600);
});

test('leaving Settings with unsaved edits asks first: a navigation link, and closing the tab', async ({ page }) => {
  await page.goto(`${serve.url}/#/settings`);
  const section = page.getByTestId('settings-github');
  const interval = section.getByTestId('settings-github-interval');
  await interval.fill('5m');
  await expect(section.getByTestId('unsaved-mark')).toBeVisible();

  const asked: string[] = [];
  page.once('dialog', (dialog) => {
    asked.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.getByTestId('nav-overview').click();
  await expect.poll(() => asked).toEqual(['confirm: Settings has changes that are not saved. Leave and discard them?']);
  // Stayed: the view, the address and the typed value.
  await expect(interval).toHaveValue('5m');
  expect(new URL(page.url()).hash).toBe('#/settings');
  await expect(page.getByTestId('nav-settings')).toHaveAttribute('aria-current', 'page');

  // Closing the tab: the browser's own question.
  page.once('dialog', (dialog) => {
    asked.push(dialog.type());
    void dialog.dismiss();
  });
  await page.close({ runBeforeUnload: true });
  await expect.poll(() => asked).toContain('beforeunload');
  expect(page.isClosed()).toBe(false);
  await expect(interval).toHaveValue('5m');

  // Saying "leave" leaves; nothing is asked once the edits are saved.
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByTestId('nav-health').click();
  await expect(page.getByTestId('nav-health')).toHaveAttribute('aria-current', 'page');
  await page.getByTestId('nav-settings').click();
  await expect(interval).toHaveValue('');
  await interval.fill('5m');
  await section.getByTestId('save-source').click();
  await expect(section.getByTestId('save-result')).toHaveText('Saved. GitHub now polls with these settings.');
  await page.getByTestId('nav-overview').click();
  await expect(page.getByTestId('nav-overview')).toHaveAttribute('aria-current', 'page');
  expect(asked).toHaveLength(2);
});

test('GA4’s key file is uploaded from the browser: checked, stored beside the configuration (0600), never shown', async ({ page }) => {
  await page.goto(`${serve.url}/#/settings?add=ga4`);
  const section = page.getByTestId('settings-ga4');
  const upload = section.getByTestId('settings-ga4-credentialsFile-upload');
  const result = section.getByTestId('upload-result');
  // Not a key file: said in plain words, nothing stored.
  await upload.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('my notes') });
  await expect(result).toHaveText(/^the uploaded file is not a service-account key file: it is not valid JSON/);
  const stored = path.join(path.dirname(configFile), 'ga4-service-account.json');
  expect(existsSync(stored)).toBe(false);

  await upload.setInputFiles({ name: 'footprint-test-3f2a.json', mimeType: 'application/json', buffer: readFileSync(account.file) });
  await expect(result).toHaveText(`Stored as ./ga4-service-account.json (${account.clientEmail}), readable only by you. Save to use it.`);
  await expect(section.getByTestId('settings-ga4-credentialsFile')).toHaveValue('./ga4-service-account.json');
  expect(readFileSync(stored, 'utf8')).toBe(readFileSync(account.file, 'utf8'));
  expect(statSync(stored).mode & 0o777).toBe(0o600);
  expect(await page.content()).not.toContain(account.privateKeyPem.split('\n')[1]!);

  await section.getByTestId('settings-ga4-properties').getByTestId('list-add-input').fill(GA4_PROPERTY);
  await section.getByTestId('settings-ga4-apiUrl').fill(google.url);
  await section.getByTestId('test-connection').click();
  await expect(section.getByTestId('connection-result')).toHaveClass(/\bok\b/);
  await section.getByTestId('save-source').click();
  await expect(section.getByTestId('save-result')).toHaveText('Saved. Google Analytics 4 now polls with these settings.');
  const saved = parseYaml(readFileSync(configFile, 'utf8')) as { ga4: Record<string, unknown> };
  expect(saved.ga4).toMatchObject({ credentialsFile: './ga4-service-account.json', properties: [GA4_PROPERTY], apiUrl: google.url });
  expect(readFileSync(configFile, 'utf8')).not.toContain('PRIVATE KEY');
});

test('at 1280 px: every source open side by side in two columns of fields, collapsible, and no taller than a screen and a half', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${serve.url}/#/settings`);
  for (const id of ['dockerhub', 'npm']) await page.getByTestId(`add-source-${id}`).click();
  for (const id of ['github', 'dockerhub', 'ga4', 'npm']) await expect(page.getByTestId(`settings-${id}`).locator('details')).toHaveAttribute('open', '');
  const size = await pageSize(page);
  expect(size.overflowX).toBeLessThanOrEqual(0);
  expect(size.height, 'Settings with every form open').toBeLessThan(2_400);

  // Fields side by side: GitHub's Organizations and Users share a row.
  const orgs = await page.getByTestId('settings-github-orgs').boundingBox();
  const users = await page.getByTestId('settings-github-users').boundingBox();
  expect(users!.y, 'Users beside Organizations').toBeCloseTo(orgs!.y, 0);
  expect(users!.x, 'Users right of Organizations').toBeGreaterThanOrEqual(orgs!.x + orgs!.width);

  // A section folds to its heading.
  const ga4 = page.getByTestId('settings-ga4');
  const open = (await ga4.boundingBox())!.height;
  await ga4.getByTestId('section-toggle').click();
  await expect(ga4.locator('details')).not.toHaveAttribute('open', '');
  expect((await ga4.boundingBox())!.height).toBeLessThan(open / 3);
  await ga4.getByTestId('section-toggle').click();
  await screenshotView(page, testInfo, 'settings-wide');
});

test('at 400 px: one header row with a menu of the views, and paths that wrap only after a "/"', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 400, height: 800 });
  await page.goto(`${serve.url}/#/settings`);
  const header = page.locator('.app-header');
  const toggle = page.getByTestId('nav-toggle');
  await expect(toggle).toBeVisible();
  await expect(toggle).toContainText('Settings');
  await expect(page.getByTestId('nav-overview')).toBeHidden();
  const row = (await toggle.boundingBox())!;
  expect((await header.boundingBox())!.height, 'the header is one row').toBeLessThan(row.height * 2);
  expect((await pageSize(page)).overflowX).toBeLessThanOrEqual(0);

  // The configuration file's path wraps only where a folder ends.
  const breaks = await page.getByTestId('config-file').locator('code').evaluate((code) => {
    const text = code.textContent ?? '';
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    const tops: { char: string; top: number }[] = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let at = 0; at < node.textContent!.length; at++) {
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + 1);
        tops.push({ char: node.textContent![at]!, top: range.getBoundingClientRect().top });
      }
    }
    const after: string[] = [];
    for (let at = 1; at < tops.length; at++) if (tops[at]!.top > tops[at - 1]!.top + 1) after.push(tops[at - 1]!.char);
    return { text, after };
  });
  expect(breaks.text).toBe(configFile);
  expect(breaks.after.length, `${configFile} is longer than a 400 px line`).toBeGreaterThan(0);
  expect(breaks.after.every((char) => char === '/'), `breaks after ${JSON.stringify(breaks.after)}`).toBe(true);
  await screenshotView(page, testInfo, 'settings-narrow');

  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByTestId('nav-overview')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('menu-open-400.png') });
  await page.getByTestId('nav-health').click();
  await expect(page.getByTestId('nav-toggle')).toContainText('Health');
  await expect(page.getByTestId('nav-overview')).toBeHidden();
});
