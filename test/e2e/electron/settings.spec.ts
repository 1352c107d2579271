// Changing settings in the running app: the badge choice and the /metrics switch persist in the
// app's settings file; a token typed into Settings ends up in the OS keychain, not the config file;
// GA4's key file uploaded through the bridge is stored beside the config file.
import { expect, test } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FakeGitHub } from '../../fakes/github/index.js';
import { writeTestServiceAccount } from '../../fakes/google/service-account.js';
import { eventually, launchApp, skipWithoutElectron, type RunningApp, type ShellHooks } from './electron-app.js';
import { appConfig, startAcmeGitHub, testToken } from './fixtures.js';

skipWithoutElectron();
test.describe.configure({ mode: 'serial' });

const token = testToken();
let fake: FakeGitHub;
let running: RunningApp;

type Hooks = { footprintShell: ShellHooks };
/** The methods of window.footprint the specs call. */
type Bridge = { info(): Promise<unknown>; config(): Promise<unknown>; saveSource(source: string, settings: unknown): Promise<unknown>; uploadKeyFile(source: string, text: string): Promise<unknown> };

test.beforeAll(async () => {
  fake = await startAcmeGitHub(token);
  running = await launchApp(appConfig(fake.url), { GITHUB_TOKEN: token });
});

test.afterAll(async () => {
  await running?.close();
  await fake?.close();
});

test('choosing "today\'s stars" for the badge is saved and shown', async () => {
  await running.app.evaluate(() => (globalThis as unknown as Hooks).footprintShell.dispatch({ type: 'set-badge', badge: { kind: 'today', of: 'stars' } }));
  const file = await running.app.evaluate(() => (globalThis as unknown as Hooks).footprintShell.settingsFile());
  expect(JSON.parse(readFileSync(file, 'utf8')).badge).toEqual({ kind: 'today', of: 'stars' });
  // The first collection makes today's change +0 ("0"); before it there is no figure ("--").
  const view = await eventually(() => running.app.evaluate(async () => {
    const hooks = (globalThis as unknown as Hooks).footprintShell;
    await hooks.refreshTray();
    const current = hooks.trayView();
    return current?.text === '0' ? current : undefined;
  }), 'the badge to show today\'s change');
  expect(view.tooltip).toContain('GitHub stars today');
});

test('switching /metrics off stops the endpoint', async () => {
  const url = await eventually(() => running.app.evaluate(() => (globalThis as unknown as Hooks).footprintShell.metricsUrl()), 'the metrics endpoint');
  expect((await fetch(`${url}/metrics`)).status).toBe(200);
  await running.app.evaluate(() => (globalThis as unknown as Hooks).footprintShell.dispatch({ type: 'set-metrics', enabled: false }));
  expect(await running.app.evaluate(() => (globalThis as unknown as Hooks).footprintShell.metricsUrl())).toBeNull();
  await expect(fetch(`${url}/metrics`)).rejects.toThrow();
  const file = await running.app.evaluate(() => (globalThis as unknown as Hooks).footprintShell.settingsFile());
  expect(JSON.parse(readFileSync(file, 'utf8')).metrics.enabled).toBe(false);
});

test('a token saved from Settings is kept out of the config file', async () => {
  const glance = await running.app.firstWindow();
  const typed = testToken();
  const result = await glance.evaluate(({ secret, apiUrl }) => (window as unknown as { footprint: Bridge }).footprint.saveSource('github', {
    apiUrl,
    token: secret,
    orgs: ['acme'],
    interval: '5s',
  }), { secret: typed, apiUrl: fake.url }) as { ok: boolean; issues?: { message: string }[] };
  const info = await glance.evaluate(() => (window as unknown as { footprint: Bridge }).footprint.info()) as { secretStorageWarning: string | null };
  if (info.secretStorageWarning?.includes('no encrypted storage')) {
    // Without any OS encryption the app refuses to keep the token and says what to do instead.
    expect(result.ok).toBe(false);
    return;
  }
  expect(result).toEqual({ ok: true });
  const text = readFileSync(running.configFile, 'utf8');
  expect(text).not.toContain(typed);
  expect(text).toContain('${FOOTPRINT_SECRET_GITHUB_TOKEN}');
  const config = await glance.evaluate(() => (window as unknown as { footprint: Bridge }).footprint.config()) as { sources: Record<string, Record<string, unknown>> };
  expect(config.sources.github?.token).toBe('***');
});

test('GA4\'s key file uploaded through the bridge is stored beside the config file, readable only by the user', async () => {
  const glance = await running.app.firstWindow();
  const folder = mkdtempSync(path.join(os.tmpdir(), 'footprint-key-'));
  try {
    const account = writeTestServiceAccount({ dir: folder, tokenUri: 'https://oauth2.googleapis.com/token' });
    const result = await glance.evaluate((text) => (window as unknown as { footprint: Bridge }).footprint.uploadKeyFile('ga4', text), readFileSync(account.file, 'utf8'));
    expect(result).toEqual({ ok: true, path: './ga4-service-account.json', account: account.clientEmail });
    const stored = path.join(path.dirname(running.configFile), 'ga4-service-account.json');
    expect(JSON.parse(readFileSync(stored, 'utf8'))).toEqual(account.json);
    expect(statSync(stored).mode & 0o777).toBe(0o600);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
