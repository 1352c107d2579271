// Milestone notifications on Electron: checked after every collection, shown as OS notifications
// (where the OS has them) that open the dashboard at the series, the limiter's state kept in the settings.
import { Notification } from 'electron';
import type { AppCore } from '../app-core/app-core.js';
import type { Logger } from '../../core/log.js';
import type { SettingsStore } from '../settings/settings-store.js';
import { changesBySeries } from '../controller.js';
import { MilestoneNotifier } from './notifier.js';

/** Starts checking; returns the stop. */
/** What the notifications need of the app core. */
export type NotificationsCore = { readonly api: Pick<AppCore['api'], 'subscribe' | 'latest' | 'changes'>; readonly log: Pick<Logger, 'warn'>; readonly settings: Pick<SettingsStore, 'get' | 'update'> };

export function startNotifications(appCore: NotificationsCore, windows: { showCharts(route: string): unknown }): () => void {
  const { api, log, settings } = appCore;
  const notifier = new MilestoneNotifier({
    settings: () => settings.get().notifications,
    limiterState: () => settings.get(),
    saveLimiterState: (state) => settings.update((current) => ({ ...current, announced: [...state.announced], notificationTimes: [...state.notificationTimes] })),
    show: (notice) => {
      if (!Notification.isSupported()) return;
      const notification = new Notification({ title: notice.title, body: notice.body });
      notification.on('click', () => windows.showCharts(notice.seriesId === null ? 'overview' : `details?series=${notice.seriesId}`));
      notification.show();
    },
    changes: (ids, windowMs) => changesBySeries(api, ids, windowMs),
    now: Date.now,
  });
  return api.subscribe((event) => {
    if (event.type !== 'samples') return;
    api.latest().then((latest) => notifier.check(latest)).catch((error: unknown) => log.warn({ err: error }, 'milestone check failed'));
  });
}
