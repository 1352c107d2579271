import { describe, expect, it } from 'vitest';
import type { FootprintApi, LatestSeries, SeriesChanges, SourceHealth } from '../../../shared/api.js';
import { parseListenAddress } from '../../../electron/core/config/listen.js';
import { changesBySeries, ShellController, type ShellPorts } from '../../../electron/shell/controller.js';
import { planEndpoint, type EndpointPlan } from '../../../electron/shell/app-core/metrics-endpoint.js';
import { PauseControl } from '../../../electron/shell/app-core/pause-control.js';
import { DEFAULT_SETTINGS, normalizeSettings, type ShellSettings } from '../../../electron/shell/settings/settings.js';
import type { TrayView } from '../../../electron/shell/tray/tray-view.js';

const now = new Date(2026, 6, 1, 12).getTime();
const latest: LatestSeries[] = Array.from({ length: 60 }, (_, index) => ({
  id: index + 1, source: 'github', metric: 'github_repo_stars', labels: { repo: `r${index}`, user: 'acme' }, value: 10, since: 0, lastSeen: now,
}));
const health: SourceHealth[] = [{
  id: 'github', title: 'GitHub', state: 'idle', intervalMs: 600_000, lastRunAt: now - 60_000, lastSuccessAt: now - 60_000, nextRunAt: null,
  lastError: null, consecutiveFailures: 0, failedTargets: [], apiBudget: null,
}];

function setup() {
  const log: string[] = [];
  const changeCalls: number[][] = [];
  const api: ShellPorts['api'] = {
    latest: async () => latest,
    health: async () => health,
    refresh: async () => {
      log.push('refresh');
    },
    changes: async (series: readonly number[], windows: readonly number[]): Promise<SeriesChanges[]> => {
      changeCalls.push([...series]);
      return series.map((id) => ({ id, latest: 10, changes: windows.map((windowMs) => ({ windowMs, delta: 1, baseTime: now - windowMs })) }));
    },
  };
  let settings: ShellSettings = DEFAULT_SETTINGS;
  const views: TrayView[] = [];
  const plans: EndpointPlan[] = [];
  const endpoint = { url: 'http://127.0.0.1:9171' as string | null, problem: null as string | null, apply: async (plan: EndpointPlan) => { plans.push(plan); endpoint.url = plan.enabled ? 'http://127.0.0.1:9171' : null; } };
  const pause = new PauseControl({ pause: () => log.push('core.pause'), resume: () => log.push('core.resume'), refreshNow: async () => {} });
  const timers: (() => void)[] = [];
  const controller = new ShellController({
    platform: 'win32',
    api,
    pause,
    settings: { get: () => settings, update: (change) => (settings = normalizeSettings(change(settings))), path: '/user-data/settings.json' },
    endpoint,
    planEndpoint: (current) => planEndpoint(current.metrics, { listen: parseListenAddress('127.0.0.1:9171'), authToken: null }),
    windows: { toggleGlance: () => log.push('glance'), showCharts: (route) => log.push(`charts ${route}`) },
    tray: { apply: (view) => views.push(view) },
    copyText: (text) => log.push(`copy ${text}`),
    setStartAtLogin: (enabled) => log.push(`login ${enabled}`),
    openFile: (file) => log.push(`open ${file}`),
    quit: () => log.push('quit'),
    online: () => true,
    now: () => now,
    startedAt: now - 3_600_000,
    reportError: (what) => log.push(`error ${what}`),
    setTimer: (run) => timers.push(run),
  });
  return { controller, log, views, plans, changeCalls, timers, settings: () => settings };
}

describe('ShellController.dispatch', () => {
  it('opens windows at the right routes and quits', async () => {
    const { controller, log } = setup();
    for (const type of ['toggle-glance', 'open-dashboard', 'open-settings', 'open-health', 'quit'] as const) await controller.dispatch({ type });
    expect(log).toEqual(['glance', 'charts overview', 'charts settings', 'charts health', 'quit']);
  });

  it('pauses and resumes through PauseControl, and the menu follows', async () => {
    const { controller, log, views } = setup();
    await controller.dispatch({ type: 'pause' });
    expect(log).toEqual(['core.pause']);
    expect(views.at(-1)!.menu.some((item) => item.kind === 'action' && item.label === 'Resume polling')).toBe(true);
    await controller.dispatch({ type: 'resume' });
    expect(log).toEqual(['core.pause', 'core.resume']);
    expect(views.at(-1)!.menu.some((item) => item.kind === 'action' && item.label === 'Pause polling')).toBe(true);
  });

  it('saves the badge choice and redraws the tray with it', async () => {
    const { controller, views, settings } = setup();
    await controller.dispatch({ type: 'set-badge', badge: { kind: 'total', of: 'stars' } });
    expect(views.at(-1)!.text).toBe('600');
    await controller.dispatch({ type: 'set-badge', badge: { kind: 'series', seriesId: 3 } });
    expect(settings().badge).toEqual({ kind: 'series', seriesId: 3 });
    expect(views.at(-1)!.text).toBe('10');
  });

  it('asks today\'s changes in batches the API accepts', async () => {
    const { controller, views, changeCalls } = setup();
    await controller.dispatch({ type: 'set-badge', badge: { kind: 'today', of: 'stars' } });
    expect(changeCalls.map((ids) => ids.length)).toEqual([50, 10]);
    expect(views.at(-1)!.text).toBe('+60');
  });

  it('switches the metrics endpoint and copies its address', async () => {
    const { controller, plans, log, settings } = setup();
    await controller.dispatch({ type: 'copy-metrics-url' });
    await controller.dispatch({ type: 'set-metrics', enabled: false });
    expect(settings().metrics.enabled).toBe(false);
    expect(plans).toEqual([{ enabled: false, listen: null, problem: null }]);
    await controller.dispatch({ type: 'copy-metrics-url' });
    expect(log).toEqual(['copy http://127.0.0.1:9171/metrics']);
  });

  it('turns start at login and notifications on and off, and opens the preferences file', async () => {
    const { controller, log, settings } = setup();
    await controller.dispatch({ type: 'set-start-at-login', enabled: true });
    await controller.dispatch({ type: 'set-notifications', enabled: false });
    await controller.dispatch({ type: 'open-preferences-file' });
    expect(log).toEqual(['login true', 'open /user-data/settings.json']);
    expect(settings().startAtLogin).toBe(true);
    expect(settings().notifications.enabled).toBe(false);
  });

  it('refreshes now', async () => {
    const { controller, log } = setup();
    await controller.dispatch({ type: 'refresh' });
    expect(log).toEqual(['refresh']);
  });
});

describe('ShellController tray updates', () => {
  it('debounces a burst of events into one update', async () => {
    const { controller, views, timers } = setup();
    controller.scheduleRefresh();
    controller.scheduleRefresh();
    controller.scheduleRefresh();
    expect(timers).toHaveLength(1);
    timers[0]!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(views).toHaveLength(1);
    controller.scheduleRefresh();
    expect(timers).toHaveLength(2);
  });

  it('runs one more update when asked during one, never two at once', async () => {
    const { controller, views } = setup();
    await Promise.all([controller.refreshTray(), controller.refreshTray(), controller.refreshTray()]);
    expect(views).toHaveLength(2);
  });
});

describe('changesBySeries', () => {
  it('maps series to their change, asking at most 50 at a time', async () => {
    const calls: number[] = [];
    const api: Pick<FootprintApi, 'changes'> = {
      changes: async (series) => {
        calls.push(series.length);
        return series.map((id) => ({ id, latest: 0, changes: [{ windowMs: 1, delta: id * 2, baseTime: 0 }] }));
      },
    };
    const result = await changesBySeries(api, Array.from({ length: 120 }, (_, index) => index + 1), 1);
    expect(calls).toEqual([50, 50, 20]);
    expect(result.get(7)).toBe(14);
    expect(result.size).toBe(120);
  });
});
