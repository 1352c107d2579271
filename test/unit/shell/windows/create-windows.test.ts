import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { app, FakeDock, fakeElectron, resetFakeElectron } from '../../../support/shell/fake-electron.js';
import type { RendererLocation } from '../../../../electron/shell/security/renderer-location.js';
import { DEFAULT_SETTINGS, type ShellSettings } from '../../../../electron/shell/settings/settings.js';
import { createWindows } from '../../../../electron/shell/windows/create-windows.js';

vi.mock('electron', () => import('../../../support/shell/fake-electron.js'));

const location: RendererLocation = { kind: 'file', indexFile: '/app/dist/renderer/index.html', caseInsensitive: false };

function windowsFor(platform: NodeJS.Platform) {
  let settings: ShellSettings = DEFAULT_SETTINGS;
  const errors: unknown[] = [];
  let trayAsked = 0;
  const windows = createWindows({
    appPath: '/app',
    platform,
    log: { warn: () => {}, error: (details: unknown) => errors.push(details) },
    settings: { get: () => settings, update: (change) => (settings = change(settings)) },
  }, location, () => {
    trayAsked++;
    return { x: 1800, y: 0, width: 20, height: 20 };
  });
  return { windows, errors, settings: () => settings, trayAsked: () => trayAsked };
}

describe('createWindows (through the fake Electron)', () => {
  beforeEach(() => resetFakeElectron());

  it('creates the glance hidden, with the app\'s preload and icon, on the built renderer', () => {
    windowsFor('linux').windows.createGlance();
    const [glance] = fakeElectron.windows;
    expect(glance!.visible).toBe(false);
    expect(glance!.webContents.url).toBe('file:///app/dist/renderer/index.html#/glance');
    expect(glance!.options).toMatchObject({ icon: path.join('/app', 'build', 'icons', 'icon.png'), webPreferences: { preload: path.join('/app', 'dist', 'preload', 'preload.cjs') } });
  });

  it('places the glance at the tray where the tray reports its bounds, not on Linux', () => {
    const linux = windowsFor('linux');
    linux.windows.toggleGlance();
    expect(linux.trayAsked()).toBe(0);
    resetFakeElectron();
    const windows = windowsFor('win32');
    windows.windows.toggleGlance();
    expect(windows.trayAsked()).toBe(1);
    expect(fakeElectron.windows[0]!.visible).toBe(true);
  });

  it('keeps the dashboard\'s bounds in the settings when it closes, and shows the Dock icon only while it is open on macOS', () => {
    const dock = new FakeDock();
    dock.hide();
    app.dock = dock;
    const { windows, settings } = windowsFor('darwin');
    windows.showCharts('health');
    const charts = fakeElectron.windows[0]!;
    expect(charts.webContents.url).toBe('file:///app/dist/renderer/index.html#/health');
    expect(dock.visible).toBe(true);
    charts.emit('close');
    charts.emit('closed');
    expect(settings().windows.charts).toEqual(charts.normalBounds);
    expect(dock.visible).toBe(false);
  });

  it('logs a dashboard that cannot load, naming the window and the fix', async () => {
    const { windows, errors } = windowsFor('linux');
    fakeElectron.loadFailure = new Error('ERR_FILE_NOT_FOUND');
    windows.createGlance();
    await vi.waitFor(() => expect(errors).toEqual([{ err: new Error('ERR_FILE_NOT_FOUND'), window: 'glance' }]));
  });
});
