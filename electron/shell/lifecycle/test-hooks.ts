// End-to-end tests cannot click the OS tray: with --test-hooks (FOOTPRINT_TEST_HOOKS=1) the app puts
// `globalThis.footprintShell` in the main process, to read what the tray shows and trigger its actions.
import type { MetricsEndpoint } from '../app-core/metrics-endpoint.js';
import type { ShellController } from '../controller.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { ShellSettings } from '../settings/settings.js';
import type { TrayAdapter } from '../tray/tray-adapter.js';
import type { ShellAction } from '../tray/tray-menu.js';
import type { TrayView } from '../tray/tray-view.js';
import type { WindowManager, WindowRole } from '../windows/windows.js';

export interface ShellTestHooks {
  trayView(): TrayView | null;
  /** The tray icon as base64 PNG (its first representation), or the template file's path on macOS. */
  trayIconPng(): string | null;
  refreshTray(): Promise<void>;
  dispatch(action: ShellAction): Promise<void>;
  settings(): ShellSettings;
  settingsFile(): string;
  metricsUrl(): string | null;
  metricsProblem(): string | null;
  windowRoles(): { role: WindowRole | null; url: string; visible: boolean }[];
}

export interface HookedParts {
  readonly tray: Pick<TrayAdapter<unknown>, 'lastView' | 'lastIcon'>;
  readonly controller: Pick<ShellController, 'refreshTray' | 'dispatch'>;
  readonly settings: Pick<SettingsStore, 'get' | 'path'>;
  readonly endpoint: Pick<MetricsEndpoint, 'url' | 'problem'>;
  readonly windows: Pick<WindowManager, 'openWindows' | 'roleOf'>;
}

export function testHooks(parts: HookedParts): ShellTestHooks {
  const { tray, controller, settings, endpoint, windows } = parts;
  return {
    trayView: () => tray.lastView,
    trayIconPng: () => {
      const icon = tray.lastIcon;
      return typeof icon === 'string' ? icon : icon?.[0]?.png.toString('base64') ?? null;
    },
    refreshTray: () => controller.refreshTray(),
    dispatch: (action) => controller.dispatch(action),
    settings: () => settings.get(),
    settingsFile: () => settings.path,
    metricsUrl: () => endpoint.url,
    metricsProblem: () => endpoint.problem,
    windowRoles: () => windows.openWindows().map((window) => ({ role: windows.roleOf(window), url: window.webContents.getURL(), visible: window.isVisible() })),
  };
}

/** Puts the hooks where the e2e specs (test/e2e/electron/) read them. */
export function installTestHooks(parts: HookedParts): void {
  Object.assign(globalThis, { footprintShell: testHooks(parts) });
}
