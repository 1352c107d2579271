import { describe, expect, it } from 'vitest';
import { FakeBrowserWindow } from '../../../support/shell/fake-electron.js';
import type { Rect } from '../../../../electron/shell/windows/glance-position.js';
import type { RendererLocation } from '../../../../electron/shell/security/renderer-location.js';
import { GLANCE_SIZE, REOPEN_GUARD_MS, windowOptions, WindowManager, type AppWindow, type WindowHost } from '../../../../electron/shell/windows/windows.js';

const location: RendererLocation = { kind: 'file', indexFile: '/app/dist/renderer/index.html', caseInsensitive: false };
const PRELOAD = '/app/dist/preload/preload.cjs';

function setup(options: { trayBounds?: Rect | null; savedBounds?: Rect | null; leave?: boolean } = {}) {
  const created: FakeBrowserWindow[] = [];
  const asked: AppWindow[] = [];
  const events: string[] = [];
  let clock = 1_000;
  const host: WindowHost = {
    createWindow: (windowOptions) => {
      const window = new FakeBrowserWindow(windowOptions);
      created.push(window);
      return window as unknown as AppWindow;
    },
    openExternal: () => {},
    confirmLeave: (window) => {
      asked.push(window);
      return options.leave ?? false;
    },
    trayBounds: () => (options.trayBounds === undefined ? { x: 1200, y: 0, width: 24, height: 24 } : options.trayBounds),
    workArea: () => ({ x: 0, y: 25, width: 1440, height: 875 }),
    displays: () => [{ x: 0, y: 0, width: 1440, height: 900 }],
    now: () => clock,
  };
  const manager = new WindowManager({
    host,
    location,
    context: { preload: PRELOAD, platform: 'darwin' },
    chartsBounds: () => options.savedBounds ?? null,
    events: {
      chartsVisible: (visible) => events.push(`visible:${visible}`),
      chartsBounds: (bounds) => events.push(`bounds:${JSON.stringify(bounds)}`),
    },
  });
  return { manager, created, events, asked, tick: (ms: number) => (clock += ms) };
}

const SECURE = { contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, preload: PRELOAD };

describe('every window the shell creates', () => {
  it('gets the secure web preferences, the guards, and one of the app\'s pages', () => {
    const { manager, created } = setup();
    manager.createGlance();
    manager.showCharts('overview');
    manager.showCharts('settings');
    expect(created).toHaveLength(2);
    for (const window of created) {
      expect(window.options.webPreferences).toMatchObject(SECURE);
      expect(window.webContents.openHandler).not.toBeNull();
      expect(window.webContents.eventNames()).toEqual(expect.arrayContaining(['will-navigate', 'will-redirect', 'will-attach-webview']));
      expect(window.loaded.every((url) => url.startsWith('file:///app/dist/renderer/index.html#/'))).toBe(true);
    }
  });

  it('asks before closing a page that holds unsaved edits, and closes it only when told to leave', () => {
    for (const leave of [false, true]) {
      const { manager, created, asked } = setup({ leave });
      manager.showCharts('settings');
      let allowed = false;
      created[0]!.webContents.emit('will-prevent-unload', { preventDefault: () => { allowed = true; } });
      expect(asked).toEqual([created[0]]);
      expect(allowed, leave ? 'Leave closes the window' : 'Stay keeps it open').toBe(leave);
    }
  });

  it('has secure preferences for each role on each platform', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      for (const role of ['glance', 'charts'] as const) {
        expect(windowOptions(role, { preload: PRELOAD, platform }).webPreferences, `${role} on ${platform}`).toMatchObject(SECURE);
      }
    }
  });
});

describe('the glance window', () => {
  it('is frameless, 360×480, hidden at creation, on #/glance', () => {
    const { manager, created } = setup();
    manager.createGlance();
    expect(created[0]!.options).toMatchObject({ ...GLANCE_SIZE, frame: false, show: false, skipTaskbar: true, resizable: false });
    expect(created[0]!.loaded).toEqual(['file:///app/dist/renderer/index.html#/glance']);
    expect(created[0]!.visible).toBe(false);
  });

  it('opens at the tray and closes on a second click', () => {
    const { manager, created } = setup();
    manager.toggleGlance();
    const glance = created[0]!;
    expect(glance.visible).toBe(true);
    expect(glance.position).toEqual([1200 + 12 - 180, 25 + 6]);
    manager.toggleGlance();
    expect(glance.visible).toBe(false);
    expect(created).toHaveLength(1);
  });

  it('hides when it loses focus, and the click that caused it does not reopen it', () => {
    const { manager, created, tick } = setup();
    manager.toggleGlance();
    const glance = created[0]!;
    glance.emit('blur');
    expect(glance.visible).toBe(false);
    tick(REOPEN_GUARD_MS - 1);
    manager.toggleGlance();
    expect(glance.visible).toBe(false);
    tick(2);
    manager.toggleGlance();
    expect(glance.visible).toBe(true);
  });

  it('goes to the corner of the screen when the tray has no bounds (Linux)', () => {
    const { manager, created } = setup({ trayBounds: null });
    manager.toggleGlance();
    expect(created[0]!.position).toEqual([1440 - 360 - 6, 25 + 6]);
  });
});

describe('the charts window', () => {
  it('opens once, moves between routes, and remembers its bounds', () => {
    const { manager, created, events } = setup({ savedBounds: { x: 50, y: 60, width: 1000, height: 700 } });
    manager.showCharts('overview');
    manager.showCharts('details?series=3');
    expect(created).toHaveLength(1);
    const charts = created[0]!;
    expect(charts.options).toMatchObject({ x: 50, y: 60, width: 1000, height: 700, minWidth: 720 });
    expect(charts.loaded).toEqual(['file:///app/dist/renderer/index.html#/overview', 'file:///app/dist/renderer/index.html#/details?series=3']);
    charts.emit('close');
    charts.destroyed = true;
    charts.emit('closed');
    expect(events).toEqual(['visible:true', 'visible:true', 'bounds:{"x":10,"y":20,"width":900,"height":600}', 'visible:false']);
    manager.showCharts();
    expect(created).toHaveLength(2);
  });

  it('ignores saved bounds that are off every display', () => {
    const { manager, created } = setup({ savedBounds: { x: 5000, y: 60, width: 1000, height: 700 } });
    manager.showCharts();
    expect(created[0]!.options).toMatchObject({ width: 1100, height: 720 });
    expect(created[0]!.options.x).toBeUndefined();
  });

  it('lists open windows for live events', () => {
    const { manager } = setup();
    const glance = manager.createGlance();
    const charts = manager.showCharts();
    expect(manager.openWindows()).toEqual([glance, charts]);
    expect(manager.roleOf(charts)).toBe('charts');
  });
});
