import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { LiveEvent } from '../../../shared/api.js';
import { fakeElectron, resetFakeElectron } from '../../support/shell/fake-electron.js';
import { PauseControl } from '../../../electron/shell/app-core/pause-control.js';
import { DEFAULT_SETTINGS, type ShellSettings } from '../../../electron/shell/settings/settings.js';
import { startController, type ControllerCore } from '../../../electron/shell/start-controller.js';

vi.mock('electron', () => import('../../support/shell/fake-electron.js'));

function started(settings: ShellSettings) {
  let current = settings;
  let listener: ((event: LiveEvent) => void) | null = null;
  const core: ControllerCore = {
    appPath: '/app',
    platform: 'darwin', // login items from Electron's app (the fake says: not registered)
    startedAt: 0,
    planEndpoint: () => ({ enabled: false, listen: null, problem: null }),
    pause: new PauseControl({ pause: () => {}, resume: () => {}, refreshNow: async () => {} }),
    api: {
      latest: async () => [], health: async () => [], changes: async () => [], refresh: async () => {},
      subscribe: (next) => {
        listener = next;
        return () => (listener = null);
      },
    },
    settings: { get: () => current, update: (change) => (current = change(current)), path: '/data/settings.json' },
    endpoint: { url: 'http://127.0.0.1:9171', problem: null, apply: async () => {} },
    log: { warn: () => {}, error: () => {} },
  };
  const applied: unknown[] = [];
  const { controller, stop } = startController(core, { toggleGlance: () => {}, showCharts: () => {} }, { apply: (view) => applied.push(view) });
  return { controller, stop, settings: () => current, listening: () => listener !== null };
}

describe('startController (through the fake Electron)', () => {
  beforeEach(() => resetFakeElectron());

  it('takes start at login from the OS, which the user may have changed outside the app', () => {
    expect(started({ ...DEFAULT_SETTINGS, startAtLogin: true }).settings().startAtLogin).toBe(false);
  });

  it('copies the metrics address to the clipboard, quits through Electron, and stops listening to the core', async () => {
    const { controller, stop, listening } = started(DEFAULT_SETTINGS);
    await controller.dispatch({ type: 'copy-metrics-url' });
    expect(fakeElectron.clipboard).toEqual(['http://127.0.0.1:9171/metrics']);
    await controller.dispatch({ type: 'quit' });
    expect(fakeElectron.quit).toBe(true);
    expect(listening()).toBe(true);
    stop();
    expect(listening()).toBe(false);
  });

  it('registers start at login with Electron on macOS', async () => {
    const { controller, stop, settings } = started(DEFAULT_SETTINGS);
    await controller.dispatch({ type: 'set-start-at-login', enabled: true });
    stop();
    expect(fakeElectron.loginItems).toEqual([{ openAtLogin: true }]);
    expect(settings().startAtLogin).toBe(true);
    const again = started(DEFAULT_SETTINGS);
    again.stop();
    expect(again.settings().startAtLogin).toBe(true);
  });
});
