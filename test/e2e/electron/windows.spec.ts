// The glance and charts windows: created through the preload bridge, sandboxed, kept on the app's pages.
import { expect, test, type Page } from '@playwright/test';
import type { FakeGitHub } from '../../fakes/github/index.js';
import { launchApp, skipWithoutElectron, type RunningApp, type ShellHooks } from './electron-app.js';
import { appConfig, startAcmeGitHub, testToken } from './fixtures.js';

skipWithoutElectron();
test.describe.configure({ mode: 'serial' });

const token = testToken();
let fake: FakeGitHub;
let running: RunningApp;

type Hooks = { footprintShell: ShellHooks };
/** The methods of window.footprint the specs call. */
type Bridge = { info(): Promise<unknown>; config(): Promise<unknown>; saveSource(source: string, settings: unknown): Promise<unknown> };

const API_METHODS = ['changes', 'config', 'health', 'info', 'latest', 'pause', 'range', 'refresh', 'resume', 'saveSource', 'sources', 'subscribe', 'testConnection'];

test.beforeAll(async () => {
  fake = await startAcmeGitHub(token);
  running = await launchApp(appConfig(fake.url), { GITHUB_TOKEN: token });
});

test.afterAll(async () => {
  await running?.close();
  await fake?.close();
});

async function chartsWindow(): Promise<Page> {
  const existing = running.app.windows().find((page) => /#\/overview/.test(page.url()));
  if (existing) return existing;
  const [page] = await Promise.all([
    running.app.waitForEvent('window'),
    running.app.evaluate(() => (globalThis as unknown as Hooks).footprintShell.dispatch({ type: 'open-dashboard' })),
  ]);
  await page.waitForLoadState('domcontentloaded');
  return page;
}

test('the glance window exists from the start, hidden, on #/glance', async () => {
  // The app creates it at start, so firstWindow() does not wait out its 30 s.
  const glance = await running.app.firstWindow();
  expect(glance.url()).toMatch(/dist\/renderer\/index\.html#\/glance$/);
  const roles = await running.app.evaluate(() => (globalThis as unknown as Hooks).footprintShell.windowRoles());
  expect(roles).toEqual([{ role: 'glance', url: glance.url(), visible: false }]);
});

test('a page gets the named bridge functions only: no Node, no ipcRenderer', async () => {
  const glance = await running.app.firstWindow();
  const seen = await glance.evaluate(() => {
    const scope = window as unknown as Record<string, unknown>;
    const bridge = (scope.footprint ?? {}) as Record<string, unknown>;
    return {
      methods: Object.keys(bridge).sort(),
      allFunctions: Object.values(bridge).every((value) => typeof value === 'function'),
      require: typeof scope.require,
      process: typeof scope.process,
      ipcRenderer: typeof scope.ipcRenderer,
    };
  });
  expect(seen).toEqual({ methods: API_METHODS, allFunctions: true, require: 'undefined', process: 'undefined', ipcRenderer: 'undefined' });
});

test('the bridge answers from the core', async () => {
  const glance = await running.app.firstWindow();
  const info = await glance.evaluate(() => ((window as unknown as { footprint: Bridge }).footprint.info()) as Promise<{ version: string; configFile: string | null }>);
  expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
  expect(info.configFile).toBe(running.configFile);
});

test('Open dashboard opens the charts window on #/overview', async () => {
  const charts = await chartsWindow();
  await expect.poll(() => charts.url()).toMatch(/dist\/renderer\/index\.html#\/overview$/);
  const roles = await running.app.evaluate(() => (globalThis as unknown as Hooks).footprintShell.windowRoles());
  expect(roles.map((window) => window.role).sort()).toEqual(['charts', 'glance']);
});

test('a page cannot navigate away from the app, and eval is refused by the CSP', async () => {
  const charts = await chartsWindow();
  const before = charts.url();
  await charts.evaluate(() => {
    window.location.href = 'https://example.com/';
  });
  await charts.waitForTimeout(500);
  expect(charts.url()).toBe(before);
  const evalResult = await charts.evaluate(() => {
    try {
      return String(new Function('return 1')());
    } catch {
      return 'refused';
    }
  });
  expect(evalResult).toBe('refused');
});
