// The tray as the user sees it: badge, tooltip, icon and menu, read from the main process
// (Playwright cannot click the OS tray).
import { expect, test } from '@playwright/test';
import { PNG } from 'pngjs';
import type { FakeGitHub } from '../../fakes/github/index.js';
import { eventually, launchApp, skipWithoutElectron, type RunningApp, type ShellHooks } from './electron-app.js';
import { appConfig, startAcmeGitHub, testToken } from './fixtures.js';

skipWithoutElectron();
test.describe.configure({ mode: 'serial' });

const token = testToken();
let fake: FakeGitHub;
let running: RunningApp;

type Hooks = { footprintShell: ShellHooks };

test.beforeAll(async () => {
  fake = await startAcmeGitHub(token);
  running = await launchApp(appConfig(fake.url), { GITHUB_TOKEN: token });
});

test.afterAll(async () => {
  await running?.close();
  await fake?.close();
});

async function collectedView() {
  return eventually(() => running.app.evaluate(async (_electron) => {
    const hooks = (globalThis as unknown as Hooks).footprintShell;
    await hooks.refreshTray();
    const view = hooks.trayView();
    return view && view.text !== '--' ? view : undefined;
  }), 'the first collection to reach the tray');
}

test('the badge shows the total GitHub stars, compact', async () => {
  const view = await collectedView();
  expect(view.text).toBe('1.2k');
  expect(view.state).toBe('ok');
  expect(view.tooltip).toContain('1,244 GitHub stars');
  // macOS shows the number as the title beside a template icon; elsewhere it is drawn into the icon.
  expect(view.title).toBe(process.platform === 'darwin' ? '1.2k' : null);
});

test('the icon is a PNG of the platform tray size (or the macOS template file)', async () => {
  await collectedView();
  const icon = await running.app.evaluate(() => (globalThis as unknown as Hooks).footprintShell.trayIconPng());
  expect(icon).not.toBeNull();
  if (process.platform === 'darwin') {
    expect(icon).toMatch(/trayOkTemplate\.png$/);
  } else {
    const png = PNG.sync.read(Buffer.from(icon!, 'base64'));
    const size = process.platform === 'linux' ? 22 : 16;
    expect([png.width, png.height]).toEqual([size, size]);
  }
});

test('Pause polling in the menu becomes Resume polling, and back', async () => {
  const labels = async () => running.app.evaluate(async () => {
    const hooks = (globalThis as unknown as Hooks).footprintShell;
    await hooks.refreshTray();
    return (hooks.trayView()?.menu ?? []).map((item) => (item as { label?: string }).label ?? '');
  });
  expect(await labels()).toContain('Pause polling');
  await running.app.evaluate(({ app: _app }) => (globalThis as unknown as Hooks).footprintShell.dispatch({ type: 'pause' }));
  expect(await labels()).toContain('Resume polling');
  await running.app.evaluate(() => (globalThis as unknown as Hooks).footprintShell.dispatch({ type: 'resume' }));
  expect(await labels()).toContain('Pause polling');
});
