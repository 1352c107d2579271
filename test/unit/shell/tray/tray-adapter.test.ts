import type { MenuItemConstructorOptions, NativeImage, Rectangle } from 'electron';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import type { LatestSeries, SourceHealth } from '../../../../shared/api.js';
import { menuTemplate, TrayAdapter, type TrayLike } from '../../../../electron/shell/tray/tray-adapter.js';
import type { IconRepresentation } from '../../../../electron/shell/tray/icons/tray-icons.js';
import type { ShellAction } from '../../../../electron/shell/tray/tray-menu.js';
import { DEFAULT_SETTINGS } from '../../../../electron/shell/settings/settings.js';
import { trayView, type TrayViewInput } from '../../../../electron/shell/tray/tray-view.js';

const now = 10_000_000;
const latest: LatestSeries[] = [{ id: 1, source: 'github', metric: 'github_repo_stars', labels: { repo: 'rocket', user: 'acme' }, value: 1234, since: 0, lastSeen: now }];
const health: SourceHealth[] = [{
  id: 'github', title: 'GitHub', state: 'idle', intervalMs: 600_000, lastRunAt: now - 60_000, lastSuccessAt: now - 60_000, nextRunAt: null,
  lastError: null, consecutiveFailures: 0, failedTargets: [], apiBudget: null,
}];

function input(platform: NodeJS.Platform, overrides: Partial<TrayViewInput> = {}): TrayViewInput {
  return {
    platform, userPaused: false, autoPauseReason: null, settings: DEFAULT_SETTINGS, metricsUrl: null, metricsProblem: null,
    online: true, health, latest, todayChanges: new Map(), now, startedAt: now - 3_600_000, ...overrides,
  };
}

/** Records what the adapter does to the tray. */
class FakeTray implements TrayLike {
  calls: string[] = [];
  images: unknown[] = [];
  titles: { title: string; options: unknown }[] = [];
  menus: unknown[] = [];
  setImage(image: NativeImage) {
    this.calls.push('setImage');
    this.images.push(image);
  }
  setTitle(title: string, options?: unknown) {
    this.calls.push('setTitle');
    this.titles.push({ title, options });
  }
  setToolTip() {
    this.calls.push('setToolTip');
  }
  setContextMenu(menu: unknown) {
    this.calls.push('setContextMenu');
    this.menus.push(menu);
  }
  popUpContextMenu(menu?: unknown) {
    this.calls.push('popUpContextMenu');
    this.menus.push(menu);
  }
  getBounds(): Rectangle {
    return { x: 0, y: 0, width: 0, height: 0 };
  }
}

function adapterFor(platform: NodeJS.Platform) {
  const tray = new FakeTray();
  const dispatched: ShellAction[] = [];
  const built: MenuItemConstructorOptions[][] = [];
  const adapter = new TrayAdapter({
    tray,
    platform,
    images: {
      fromRepresentations: (reps: readonly IconRepresentation[]) => ({ reps }) as unknown as NativeImage,
      fromFile: (file: string) => ({ file }) as unknown as NativeImage,
    },
    buildMenu: (template) => {
      built.push(template);
      return { template };
    },
    dispatch: (action) => dispatched.push(action),
    templateDir: '/app/build/icons/tray',
  });
  return { tray, adapter, dispatched, built };
}

describe('trayView', () => {
  it('macOS: the number is the title beside the state template icon', () => {
    const view = trayView(input('darwin'));
    expect(view).toMatchObject({ state: 'ok', text: '1.2k', title: '1.2k', icon: { kind: 'template', state: 'ok' } });
    expect(view.tooltip).toBe('Footprint — 1,234 GitHub stars\nUpdated 1 min ago');
  });

  it('Windows/Linux: the number goes into the icon, no title', () => {
    expect(trayView(input('win32'))).toMatchObject({ title: null, icon: { kind: 'badge', state: 'ok', value: 1234, signed: false } });
    expect(trayView(input('linux', { online: false })).icon).toMatchObject({ kind: 'badge', state: 'offline' });
  });

  it('draws no number when the badge is off', () => {
    const view = trayView(input('win32', { settings: { ...DEFAULT_SETTINGS, badge: { kind: 'none' } } }));
    expect(view.text).toBe('');
    expect(view.icon).toMatchObject({ kind: 'badge', value: null });
  });
});

describe('TrayAdapter', () => {
  it('Windows: draws the badge at 1x and 2x and sets the context menu', () => {
    const { tray, adapter } = adapterFor('win32');
    adapter.apply(trayView(input('win32')));
    expect(tray.calls).toEqual(['setImage', 'setToolTip', 'setContextMenu']);
    const reps = (tray.images[0] as { reps: IconRepresentation[] }).reps;
    expect(reps.map((rep) => [rep.scaleFactor, PNG.sync.read(rep.png).width])).toEqual([[1, 16], [2, 32]]);
  });

  it('Linux: sets the menu again each time it changes, and only then', () => {
    const { tray, adapter } = adapterFor('linux');
    adapter.apply(trayView(input('linux')));
    adapter.apply(trayView(input('linux')));
    expect(tray.calls.filter((call) => call === 'setContextMenu')).toHaveLength(1);
    adapter.apply(trayView(input('linux', { userPaused: true })));
    expect(tray.calls.filter((call) => call === 'setContextMenu')).toHaveLength(2);
    expect(PNG.sync.read((tray.images[0] as { reps: IconRepresentation[] }).reps[0]!.png).width).toBe(22);
  });

  it('macOS: template icon file, monospaced-digit title, menu only on right-click', () => {
    const { tray, adapter } = adapterFor('darwin');
    adapter.apply(trayView(input('darwin')));
    expect(tray.images).toEqual([{ file: '/app/build/icons/tray/trayOkTemplate.png' }]);
    expect(tray.titles).toEqual([{ title: '1.2k', options: { fontType: 'monospacedDigit' } }]);
    expect(tray.calls).not.toContain('setContextMenu');
    adapter.popUpMenu();
    expect(tray.calls.at(-1)).toBe('popUpContextMenu');
  });

  it('redraws the icon only when the state or the number changes', () => {
    const { tray, adapter } = adapterFor('win32');
    adapter.apply(trayView(input('win32')));
    adapter.apply(trayView(input('win32', { now: now + 120_000 })));
    expect(tray.calls.filter((call) => call === 'setImage')).toHaveLength(1);
    expect(tray.calls.filter((call) => call === 'setToolTip')).toHaveLength(2);
    adapter.apply(trayView(input('win32', { latest: [{ ...latest[0]!, value: 5000 }] })));
    expect(tray.calls.filter((call) => call === 'setImage')).toHaveLength(2);
  });
});

describe('menuTemplate', () => {
  it('maps the model to Electron items whose clicks dispatch the actions', () => {
    const dispatched: ShellAction[] = [];
    const template = menuTemplate([
      { kind: 'action', label: 'Refresh now', action: { type: 'refresh' } },
      { kind: 'separator' },
      { kind: 'info', label: 'Serving x' },
      { kind: 'submenu', label: 'Badge shows', items: [{ kind: 'radio', label: 'Nothing', checked: true, action: { type: 'set-badge', badge: { kind: 'none' } } }] },
      { kind: 'checkbox', label: 'Start at login', checked: false, action: { type: 'set-start-at-login', enabled: true } },
    ], (action) => dispatched.push(action));
    expect(template.map(({ click: _click, submenu: _submenu, ...rest }) => rest)).toEqual([
      { label: 'Refresh now', enabled: true },
      { type: 'separator' },
      { label: 'Serving x', enabled: false },
      { label: 'Badge shows' },
      { label: 'Start at login', type: 'checkbox', checked: false },
    ]);
    const click = (item: MenuItemConstructorOptions) => (item.click as () => void)();
    click(template[0]!);
    click((template[3]!.submenu as MenuItemConstructorOptions[])[0]!);
    click(template[4]!);
    expect(dispatched).toEqual([{ type: 'refresh' }, { type: 'set-badge', badge: { kind: 'none' } }, { type: 'set-start-at-login', enabled: true }]);
  });
});
