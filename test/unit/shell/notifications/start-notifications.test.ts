import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { LatestSeries, LiveEvent } from '../../../../shared/api.js';
import { fakeElectron, resetFakeElectron } from '../../../support/shell/fake-electron.js';
import { startNotifications } from '../../../../electron/shell/notifications/start-notifications.js';
import { DEFAULT_SETTINGS, type ShellSettings } from '../../../../electron/shell/settings/settings.js';

vi.mock('electron', () => import('../../../support/shell/fake-electron.js'));

const stars = (value: number): LatestSeries[] => [{ id: 7, source: 'github', metric: 'github_repo_stars', labels: { repo: 'rocket', user: 'acme' }, value, since: 0, lastSeen: 0 }];

function running() {
  let settings: ShellSettings = { ...DEFAULT_SETTINGS, notifications: { ...DEFAULT_SETTINGS.notifications, dailyStarJump: 0, dailyPullJump: 0 } };
  let latest = stars(90);
  let listener: ((event: LiveEvent) => void) | null = null;
  const routes: string[] = [];
  const stop = startNotifications({
    api: {
      subscribe: (next) => {
        listener = next;
        return () => (listener = null);
      },
      latest: async () => latest,
      changes: async () => [],
    },
    log: { warn: () => {} },
    settings: { get: () => settings, update: (change) => (settings = change(settings)) },
  }, { showCharts: (route) => routes.push(route) });
  const collect = async (value: number) => {
    const saved = settings;
    latest = stars(value);
    listener!({ type: 'samples' } as LiveEvent);
    await vi.waitFor(() => expect(settings).not.toBe(saved));
  };
  return { collect, routes, settings: () => settings, stop, listening: () => listener !== null, emit: (event: LiveEvent) => listener!(event) };
}

describe('startNotifications (through the fake Electron)', () => {
  beforeEach(() => resetFakeElectron());

  it('shows a milestone reached after new samples, opening the series on click, and keeps what it announced', async () => {
    fakeElectron.notificationsSupported = true;
    const app = running();
    app.emit({ type: 'health' } as LiveEvent); // not samples: nothing is checked
    app.emit({ type: 'samples' } as LiveEvent); // the first values are only remembered
    await new Promise((resolve) => setImmediate(resolve));
    await app.collect(110);
    expect(fakeElectron.notifications.map((notification) => [notification.options.title, notification.shown])).toEqual([['acme/rocket reached 100 stars', true]]);
    fakeElectron.notifications[0]!.emit('click');
    expect(app.routes).toEqual(['details?series=7']);
    expect(app.settings().announced).toEqual(expect.arrayContaining(['stars:7:100']));
    app.stop();
    expect(app.listening()).toBe(false);
  });

  it('shows nothing where the OS has no notifications, but still counts the milestone as announced', async () => {
    const app = running();
    app.emit({ type: 'samples' } as LiveEvent);
    await new Promise((resolve) => setImmediate(resolve));
    await app.collect(260);
    expect(fakeElectron.notifications).toEqual([]);
    expect(app.settings().announced).toEqual(expect.arrayContaining(['stars:7:250']));
  });
});
