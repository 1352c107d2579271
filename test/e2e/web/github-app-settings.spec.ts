// GitHub App sign-in through Settings, real parts only: `footprint serve` as a child process, the loopback
// GitHub fake with an App whose key pair is made at test time (an Enterprise Cloud installation, 15,000
// requests an hour), Debian's Chromium. The user chooses "GitHub App", fills the App ID and key file,
// tests the connection (which App, which installation, the limit), saves, and the file holds the App.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { parse as parseYaml } from 'yaml';
import { startFakeGitHub, type FakeGitHub } from '../../fakes/github/index.js';
import { startServe, type ServeProcess } from '../../support/footprint-process.js';
import { fakeGitHubToken } from '../../support/test-tokens.js';
import { CHROMIUM_MISSING, requireChromium, skipWithoutChromium } from './support/browser.js';
import { ensureRendererBuilt } from './support/renderer-build.js';
import { createTempHome, type TempHome } from './support/temp-home.js';

test.skip(skipWithoutChromium(), CHROMIUM_MISSING);

const APP_ID = 271_828;
let fake: FakeGitHub;
let home: TempHome;
let serve: ServeProcess;
let configFile: string;

test.beforeAll(async () => {
  requireChromium();
  ensureRendererBuilt();
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  fake = await startFakeGitHub({
    token: fakeGitHubToken(), // a personal token nobody uses: only the App's installation token gets in
    repos: [{ owner: 'acme', name: 'rocket', stars: 42, forks: 7, watchers: 5, openIssues: 3, openPulls: 2, sizeKb: 1200 }],
    app: { appId: APP_ID, publicKey, installations: [{ id: 4242, account: 'acme', rateLimit: 15_000 }] },
  });
  home = createTempHome();
  writeFileSync(path.join(home.dir, 'footprint-app.pem'), privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  configFile = path.join(home.dir, 'footprint.yaml');
  writeFileSync(configFile, '# Footprint settings\nstorage: { path: "./history.db" }\n');
  serve = await startServe(['--config', configFile, '--listen', '127.0.0.1:0'], home.env);
});

test.afterAll(async () => {
  await serve?.stop();
  await fake?.close();
  home?.remove();
});

test('Settings: sign in to GitHub as a GitHub App, test the connection, save', async ({ page }) => {
  await page.goto(`${serve.url}/`);
  await page.getByTestId('first-run-settings').click();
  await page.getByTestId('add-source-github').click();
  const section = page.getByTestId('settings-github');
  const orgs = section.getByTestId('settings-github-orgs');
  await orgs.getByTestId('list-add-input').fill('acme');
  await orgs.getByTestId('list-add').click();
  await section.getByTestId('settings-github-apiUrl').fill(fake.url);

  // The token field gives way to the App's fields.
  await expect(section.getByTestId('settings-github-token')).toBeVisible();
  await section.getByTestId('settings-github-auth-app').check();
  await expect(section.getByTestId('settings-github-token')).toHaveCount(0);
  await section.getByTestId('settings-github-app.appId').fill(String(APP_ID));
  await section.getByTestId('settings-github-app.privateKeyFile').fill('./footprint-app.pem');

  const result = section.getByTestId('connection-result');
  // A wrong App ID first: the message names the field to fix, as the form labels it.
  await section.getByTestId('settings-github-app.appId').fill(String(APP_ID + 1));
  await section.getByTestId('test-connection').click();
  await expect(result).toHaveClass(/\bfailed\b/);
  await expect(result).toContainText('set “App ID” to the "App ID" on the App\'s settings page');

  await section.getByTestId('settings-github-app.appId').fill(String(APP_ID));
  await section.getByTestId('test-connection').click();
  await expect(result).toHaveClass(/\bok\b/);
  await expect(result).toContainText('Connected as the GitHub App footprint-test (installation 4242 on acme)');
  await expect(result).toContainText('of 15,000 REST requests an hour left');

  await section.getByTestId('save-source').click();
  await expect(section.getByTestId('save-result')).toHaveText('Saved. GitHub now polls with these settings.');
  const saved = parseYaml(readFileSync(configFile, 'utf8')) as { github: Record<string, unknown> };
  expect(saved.github).toMatchObject({ orgs: ['acme'], apiUrl: fake.url, app: { appId: String(APP_ID), privateKeyFile: './footprint-app.pem' } });
  expect(saved.github).not.toHaveProperty('token');
  expect(readFileSync(configFile, 'utf8')).not.toContain('PRIVATE KEY');
});
