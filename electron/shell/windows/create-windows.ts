// The WindowManager on Electron: BrowserWindow, the screen's work areas, links opened in the user's
// browser, the dashboard's bounds kept in the settings, and the Dock icon while it is open.
import { BrowserWindow, dialog, screen, shell } from 'electron';
import { LEAVE_QUESTION } from '../../../shared/leave-question.js';
import path from 'node:path';
import type { AppCore } from '../app-core/app-core.js';
import type { Logger } from '../../core/log.js';
import type { SettingsStore } from '../settings/settings-store.js';
import { showInDock } from '../platform/app-identity.js';
import type { RendererLocation } from '../security/renderer-location.js';
import type { Rect } from './glance-position.js';
import { WindowManager } from './windows.js';

/** What the windows need of the app core. */
export type WindowsCore = Pick<AppCore, 'appPath' | 'platform'> & { readonly log: Pick<Logger, 'warn' | 'error'>; readonly settings: Pick<SettingsStore, 'get' | 'update'> };

export function createWindows(appCore: WindowsCore, location: RendererLocation, trayBounds: () => Rect | null): WindowManager {
  const { appPath, log, platform, settings } = appCore;
  return new WindowManager({
    location,
    context: {
      preload: path.join(appPath, 'dist', 'preload', 'preload.cjs'),
      platform,
      icon: platform === 'darwin' ? undefined : path.join(appPath, 'build', 'icons', 'icon.png'),
    },
    host: {
      createWindow: (options) => new BrowserWindow(options),
      openExternal: (url) => {
        shell.openExternal(url).catch((error: unknown) => log.warn({ err: error }, 'could not open a link'));
      },
      confirmLeave: (window) =>
        dialog.showMessageBoxSync(window as unknown as BrowserWindow, { type: 'question', buttons: ['Leave', 'Stay'], defaultId: 1, cancelId: 1, message: LEAVE_QUESTION }) === 0,
      // Linux trays report no usable bounds.
      trayBounds: () => (platform === 'linux' ? null : trayBounds()),
      workArea: (near) => (near ? screen.getDisplayNearestPoint({ x: Math.round(near.x), y: Math.round(near.y) }) : screen.getPrimaryDisplay()).workArea,
      displays: () => screen.getAllDisplays().map((display) => display.workArea),
      now: Date.now,
    },
    chartsBounds: () => settings.get().windows.charts,
    events: {
      chartsVisible: (visible) => showInDock(platform, visible),
      chartsBounds: (bounds) => settings.update((current) => ({ ...current, windows: { ...current.windows, charts: bounds } })),
      loadFailed: (role, error) => log.error({ err: error, window: role }, 'the window could not load the dashboard — run "npm run build" (npm start does it)'),
    },
  });
}
