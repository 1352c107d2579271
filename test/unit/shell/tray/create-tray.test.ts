import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeElectron, resetFakeElectron } from '../../../support/shell/fake-electron.js';
import { createTray } from '../../../../electron/shell/tray/create-tray.js';
import type { ShellAction } from '../../../../electron/shell/tray/tray-menu.js';
import { trayView } from '../../../../electron/shell/tray/tray-view.js';
import { DEFAULT_SETTINGS } from '../../../../electron/shell/settings/settings.js';

vi.mock('electron', () => import('../../../support/shell/fake-electron.js'));

function trayFor(platform: NodeJS.Platform) {
  const dispatched: ShellAction[] = [];
  const tray = createTray({ appPath: '/app', platform, dispatch: (action) => dispatched.push(action) });
  return { tray, dispatched, electronTray: fakeElectron.trays[0]! };
}

const view = (platform: NodeJS.Platform) => trayView({
  platform, userPaused: false, autoPauseReason: null, settings: DEFAULT_SETTINGS, metricsUrl: null, metricsProblem: null,
  online: true, health: [], latest: [], todayChanges: new Map(), now: 1_000, startedAt: 0,
});

describe('createTray (through the fake Electron)', () => {
  beforeEach(() => resetFakeElectron());

  it('starts on Windows and Linux with the drawn state glyph at 1x and 2x, and toggles the glance on click', () => {
    const { dispatched, electronTray } = trayFor('linux');
    expect(electronTray.image?.reps).toEqual([{ scaleFactor: 1, bytes: expect.any(Number) }, { scaleFactor: 2, bytes: expect.any(Number) }]);
    electronTray.emit('click');
    expect(dispatched).toEqual([{ type: 'toggle-glance' }]);
    electronTray.emit('right-click');
    expect(electronTray.calls).not.toContain('popUpContextMenu');
  });

  it('starts on macOS with the template icon file, and opens the menu on right-click once there is one', () => {
    const { tray, electronTray } = trayFor('darwin');
    expect(electronTray.image?.file).toBe(path.join('/app', 'build', 'icons', 'tray', 'trayOkTemplate.png'));
    electronTray.emit('right-click');
    expect(electronTray.calls).not.toContain('popUpContextMenu');
    tray.adapter.apply(view('darwin'));
    electronTray.emit('right-click');
    expect(electronTray.calls).toContain('popUpContextMenu');
    expect(electronTray.calls).not.toContain('setContextMenu');
  });

  it('gives the tray\'s bounds and removes it', () => {
    const { tray, electronTray } = trayFor('win32');
    expect(tray.bounds()).toEqual({ x: 0, y: 0, width: 0, height: 0 });
    tray.destroy();
    expect(electronTray.destroyed).toBe(true);
  });
});
