import { describe, expect, it } from 'vitest';
import type { LatestSeries } from '../../../../shared/api.js';
import { DEFAULT_SETTINGS } from '../../../../electron/shell/settings/settings.js';
import { trayMenuModel, type MenuInput, type MenuItemModel } from '../../../../electron/shell/tray/tray-menu.js';

const input: MenuInput = {
  platform: 'darwin',
  userPaused: false,
  autoPauseReason: null,
  settings: DEFAULT_SETTINGS,
  metricsUrl: 'http://127.0.0.1:9171/metrics',
  metricsProblem: null,
  pinCandidates: [],
};

function labels(items: readonly MenuItemModel[]): string[] {
  return items.map((item) => (item.kind === 'separator' ? '---' : item.label));
}

function search(items: readonly MenuItemModel[], label: string): MenuItemModel | null {
  for (const item of items) {
    if (item.kind !== 'separator' && item.label === label) return item;
    if (item.kind === 'submenu') {
      const inner = search(item.items, label);
      if (inner) return inner;
    }
  }
  return null;
}

/** The item with this label, at any depth. */
function find(items: readonly MenuItemModel[], label: string): MenuItemModel {
  const item = search(items, label);
  if (!item) throw new Error(`no menu item "${label}"`);
  return item;
}

describe('trayMenuModel', () => {
  it('has the main actions in order: refresh, dashboard, pause, …, settings, quit', () => {
    expect(labels(trayMenuModel(input))).toEqual([
      'Refresh now', 'Open dashboard', 'Pause polling', '---', 'Badge shows', 'Prometheus /metrics', 'Preferences', 'Settings…', 'Source health', '---', 'Quit Footprint',
    ]);
  });

  it('offers Resume instead of Pause while the user paused', () => {
    const model = trayMenuModel({ ...input, userPaused: true });
    expect(find(model, 'Resume polling')).toMatchObject({ kind: 'action', action: { type: 'resume' } });
    expect(() => find(model, 'Pause polling')).toThrow();
    expect(find(trayMenuModel(input), 'Pause polling')).toMatchObject({ action: { type: 'pause' } });
  });

  it('says why polling waits when it paused by itself', () => {
    expect(labels(trayMenuModel({ ...input, autoPauseReason: 'offline' }))).toContain('Polling waits: offline');
  });

  it('starts with "Show glance" on Linux, where tray clicks are unreliable', () => {
    const linux = trayMenuModel({ ...input, platform: 'linux' });
    expect(linux[0]).toEqual({ kind: 'action', label: 'Show glance', action: { type: 'toggle-glance' } });
    expect(labels(linux).at(-1)).toBe('Quit');
    for (const platform of ['darwin', 'win32'] as const) expect(labels(trayMenuModel({ ...input, platform }))).not.toContain('Show glance');
  });

  it('checks the current badge choice, and offers pinning the largest series', () => {
    const pin: LatestSeries = { id: 7, source: 'github', metric: 'github_repo_stars', labels: { repo: 'rocket', user: 'acme' }, value: 1234, since: 0, lastSeen: 0 };
    const model = trayMenuModel({ ...input, settings: { ...DEFAULT_SETTINGS, badge: { kind: 'series', seriesId: 7 } }, pinCandidates: [pin] });
    expect(find(model, 'Total GitHub stars')).toMatchObject({ kind: 'radio', checked: false });
    expect(find(model, 'acme/rocket stars')).toEqual({ kind: 'radio', label: 'acme/rocket stars', checked: true, action: { type: 'set-badge', badge: { kind: 'series', seriesId: 7 } } });
    expect(find(trayMenuModel(input), 'Total GitHub stars')).toMatchObject({ checked: true });
    expect(find(trayMenuModel(input), 'A pinned series (none collected yet)')).toMatchObject({ kind: 'info' });
  });

  it('shows the /metrics state and a busy port', () => {
    expect(find(trayMenuModel(input), 'Serving http://127.0.0.1:9171/metrics')).toMatchObject({ kind: 'info' });
    expect(find(trayMenuModel(input), 'Serve /metrics')).toMatchObject({ kind: 'checkbox', checked: true, action: { type: 'set-metrics', enabled: false } });
    const busy = trayMenuModel({ ...input, metricsUrl: null, metricsProblem: 'server.listen: 127.0.0.1:9171 is already in use' });
    expect(labels(busy)).toContain('/metrics not served: server.listen: 127.0.0.1:9171 is already in use');
    expect(find(busy, 'Copy address')).toMatchObject({ enabled: false });
    const off = trayMenuModel({ ...input, metricsUrl: null, settings: { ...DEFAULT_SETTINGS, metrics: { enabled: false, listen: null } } });
    expect(find(off, 'Serve /metrics')).toMatchObject({ checked: false, action: { type: 'set-metrics', enabled: true } });
    expect(find(off, 'Prometheus endpoint is off')).toMatchObject({ kind: 'info' });
  });

  it('toggles start at login and notifications to the opposite of their state', () => {
    const model = trayMenuModel({ ...input, settings: { ...DEFAULT_SETTINGS, startAtLogin: true } });
    expect(find(model, 'Start at login')).toMatchObject({ checked: true, action: { type: 'set-start-at-login', enabled: false } });
    expect(find(model, 'Milestone notifications')).toMatchObject({ checked: true, action: { type: 'set-notifications', enabled: false } });
  });
});
