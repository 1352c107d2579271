// Footprint's Electron main process: the same core as `footprint serve` (same config file, same
// history database), a tray badge, a glance window and the dashboard, served over IPC to the app's
// own pages. Each step below is a module under electron/shell/ (its folder says its concern).
import { app, dialog } from 'electron';
import { redactSecrets } from './core/secrets.js';
import { openAppCore, runAppCore } from './shell/app-core/app-core.js';
import { startController } from './shell/start-controller.js';
import { connectIpc } from './shell/ipc/connect-ipc.js';
import { installShutdown } from './shell/lifecycle/shutdown.js';
import { installTestHooks } from './shell/lifecycle/test-hooks.js';
import { startNotifications } from './shell/notifications/start-notifications.js';
import { declareAppIdentity } from './shell/platform/app-identity.js';
import { launchOptions } from './shell/platform/launch-options.js';
import { installSecurity } from './shell/security/install-security.js';
import { rendererLocation } from './shell/security/renderer-location.js';
import { watchSettingsFile } from './shell/settings/watch-settings-file.js';
import { createTray } from './shell/tray/create-tray.js';
import { createWindows } from './shell/windows/create-windows.js';

const EXIT_CONFIG = 2;
const platform = process.platform;
const launch = launchOptions(process.argv, process.env);

// Before anything reads it: tests (and people running two profiles) give the app its own settings folder.
if (launch.userDataDir) app.setPath('userData', launch.userDataDir);

async function start(): Promise<void> {
  declareAppIdentity(platform);
  const appCore = await openAppCore({ configFile: launch.configFile, platform });
  if (!appCore) return app.exit(EXIT_CONFIG);
  const { appPath, log, settings } = appCore;

  const location = rendererLocation({ packaged: app.isPackaged, appPath, devServerUrl: launch.devServerUrl, platform });
  installSecurity(location);
  // The windows ask the tray where it is, the tray sends its clicks to the controller: both only after start-up.
  const windows = createWindows(appCore, location, () => tray.bounds());
  const tray = createTray({ appPath, platform, dispatch: (action) => {
    controller.dispatch(action).catch((error: unknown) => log.error({ err: error, action: action.type }, 'tray action failed'));
  } });
  const { controller, stop: stopController } = startController(appCore, windows, tray.adapter);
  const stopNotifications = startNotifications(appCore, windows);
  const stopIpc = connectIpc(appCore.api, windows, location, log);
  const stopWatchingSettings = watchSettingsFile(appCore, () => controller.scheduleRefresh());
  const stopCore = await runAppCore(appCore, () => controller.scheduleRefresh());

  windows.createGlance();
  await controller.refreshTray();
  app.on('second-instance', () => windows.showCharts('overview'));
  installShutdown({ stops: [stopController, stopWatchingSettings, stopNotifications, stopIpc], close: stopCore, removeTray: () => tray.destroy(), log });
  if (launch.testHooks) installTestHooks({ tray: tray.adapter, controller, settings, endpoint: appCore.endpoint, windows });
  log.info({ config: appCore.core.loaded.file, sources: appCore.core.sourceIds(), metrics: appCore.endpoint.url }, 'Footprint is running in the tray');
}

if (!app.requestSingleInstanceLock()) {
  // Another Footprint runs (and opens its dashboard on 'second-instance'): this one leaves at once.
  app.quit();
} else {
  // A tray app keeps running with no window open.
  app.on('window-all-closed', () => {});
  app.whenReady().then(start).catch((error: unknown) => {
    dialog.showErrorBox('Footprint could not start', redactSecrets(error instanceof Error ? error.message : String(error)));
    app.exit(1);
  });
}
