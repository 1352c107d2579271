import { afterEach, describe, expect, it } from 'vitest';
import { installTestHooks, testHooks, type HookedParts } from '../../../../electron/shell/lifecycle/test-hooks.js';
import { DEFAULT_SETTINGS } from '../../../../electron/shell/settings/settings.js';
import type { ShellAction } from '../../../../electron/shell/tray/tray-menu.js';
import type { AppWindow } from '../../../../electron/shell/windows/windows.js';

function parts(lastIcon: HookedParts['tray']['lastIcon']) {
  const dispatched: ShellAction[] = [];
  const glance = { webContents: { getURL: () => 'file:///app/index.html#/glance' }, isVisible: () => false } as unknown as AppWindow;
  const hooked: HookedParts = {
    tray: { lastView: null, lastIcon },
    controller: { refreshTray: async () => {}, dispatch: async (action) => void dispatched.push(action) },
    settings: { get: () => DEFAULT_SETTINGS, path: '/data/settings.json' },
    endpoint: { url: 'http://127.0.0.1:9171', problem: null },
    windows: { openWindows: () => [glance], roleOf: (window) => (window === glance ? 'glance' : null) },
  };
  return { hooked, dispatched };
}

describe('test hooks', () => {
  afterEach(() => {
    delete (globalThis as { footprintShell?: unknown }).footprintShell;
  });

  it('give the drawn icon as base64 PNG, the template file as its path, and nothing before the first icon', () => {
    const png = Buffer.from('png bytes');
    expect(testHooks(parts([{ scaleFactor: 1, png }]).hooked).trayIconPng()).toBe(png.toString('base64'));
    expect(testHooks(parts('/app/build/icons/tray/trayOkTemplate.png').hooked).trayIconPng()).toBe('/app/build/icons/tray/trayOkTemplate.png');
    expect(testHooks(parts(null).hooked).trayIconPng()).toBeNull();
  });

  it('list the open windows by role and pass tray actions to the controller', async () => {
    const { hooked, dispatched } = parts(null);
    installTestHooks(hooked);
    const hooks = (globalThis as unknown as { footprintShell: ReturnType<typeof testHooks> }).footprintShell;
    expect(hooks.windowRoles()).toEqual([{ role: 'glance', url: 'file:///app/index.html#/glance', visible: false }]);
    await hooks.dispatch({ type: 'toggle-glance' });
    expect(dispatched).toEqual([{ type: 'toggle-glance' }]);
    expect([hooks.settingsFile(), hooks.metricsUrl(), hooks.metricsProblem()]).toEqual(['/data/settings.json', 'http://127.0.0.1:9171', null]);
  });
});
