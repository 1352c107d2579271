// Footprint's Electron main process: the same core as `footprint serve` (same config file, same
// history database), a tray badge, a glance window and the dashboard, served over IPC to the app's
// own pages. The behaviour lives in electron/shell/* (plain functions and small classes tested under
// Node); this file wires them to Electron.
import {
  app, BrowserWindow, clipboard, dialog, ipcMain, Menu, nativeImage, net, Notification, powerMonitor, safeStorage, screen, session, shell, Tray,
  type NativeImage,
} from 'electron';
import ElectronStore from 'electron-store';
import { watchFile, unwatchFile } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CoreApi } from './core/api.js';
import { ConfigError, loadConfig, type LoadedConfig } from './core/config/config.js';
import { FootprintCore } from './core/core.js';
import { createLogger, type Logger } from './core/log.js';
import { redactSecrets } from './core/secrets.js';
import { startServer } from './core/server.js';
import { setStartAtLogin, startsAtLogin, type AutostartContext } from './shell/platform/autostart.js';
import { changesBySeries, ShellController } from './shell/controller.js';
import { forwardEvents, registerIpc } from './shell/ipc/ipc.js';
import { launchOptions } from './shell/platform/launch-options.js';
import { MetricsEndpoint, planEndpoint } from './shell/app-core/metrics-endpoint.js';
import { MilestoneNotifier } from './shell/notifications/notifier.js';
import { PauseControl } from './shell/app-core/pause-control.js';
import { watchPower } from './shell/platform/power.js';
import { isAppUrl, rendererLocation, type RendererLocation } from './shell/security/renderer-location.js';
import { SecretVault, secretStorageWarning, type SecretCipher } from './shell/settings/secret-vault.js';
import { SettingsStore } from './shell/settings/settings-store.js';
import { ShellApi } from './shell/ipc/shell-api.js';
import { TrayAdapter, type TrayImages } from './shell/tray/tray-adapter.js';
import { renderStateGlyph, representations, templateIconFile, trayIconSize } from './shell/tray/icons/tray-icons.js';
import type { ShellAction } from './shell/tray/tray-menu.js';
import { contentSecurityPolicy } from './shell/security/window-security.js';
import { WindowManager } from './shell/windows/windows.js';

const EXIT_CONFIG = 2;
const launch = launchOptions(process.argv, process.env);

// Before anything reads it: tests (and people running two profiles) give the app its own settings folder.
if (launch.userDataDir) app.setPath('userData', launch.userDataDir);

const cipher: SecretCipher = {
  isAvailable: () => safeStorage.isAsyncEncryptionAvailable(),
  encrypt: (text) => safeStorage.encryptStringAsync(text),
  decrypt: async (data) => {
    const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(data);
    return { text: result, reEncrypt: shouldReEncrypt };
  },
};

const images: TrayImages = {
  fromRepresentations: (reps) => {
    const [first, ...rest] = reps;
    if (!first) return nativeImage.createEmpty();
    const image = nativeImage.createFromBuffer(first.png, { scaleFactor: first.scaleFactor });
    for (const rep of rest) image.addRepresentation({ scaleFactor: rep.scaleFactor, buffer: rep.png });
    return image;
  },
  fromFile: (file) => nativeImage.createFromPath(file),
};

function messageOf(error: unknown): string {
  return redactSecrets(error instanceof Error ? error.message : String(error));
}

/** The configuration, or a dialog saying what is wrong (the same messages as `footprint check-config`). */
function loadConfiguration(env: Record<string, string | undefined>, undecryptable: readonly string[]): LoadedConfig | null {
  try {
    return loadConfig({ flag: launch.configFile, env });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const lost = undecryptable.length > 0
      ? `\n\nThe app could not decrypt ${undecryptable.join(', ')} (the keychain changed?). Write the token into the file as a \${VAR} reference, or remove the reference and enter it again in Settings.`
      : '';
    dialog.showErrorBox('Footprint cannot start: the configuration has a problem', `${redactSecrets(error.message)}${lost}`);
    return null;
  }
}

function installContentSecurityPolicy(location: RendererLocation): void {
  const policy = contentSecurityPolicy(location);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    const isDocument = details.resourceType === 'mainFrame' || details.resourceType === 'subFrame';
    if (!isDocument || !isAppUrl(details.url, location)) {
      callback({});
      return;
    }
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } });
  });
  // The pages need no camera, notifications, geolocation…: every permission request is refused.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, decide) => decide(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

async function start(): Promise<void> {
  const platform = process.platform;
  // A tray app: no Dock icon while only the tray runs (the dashboard window shows it while open).
  if (platform === 'darwin') app.dock?.hide();
  if (platform === 'win32') app.setAppUserModelId('com.footprint.app');
  const startedAt = Date.now();
  const appPath = app.getAppPath();

  const settings = SettingsStore.open(
    (options) => new ElectronStore<Record<string, unknown>>(options),
    { cwd: app.getPath('userData'), projectVersion: app.getVersion() },
  );

  // The app's own environment for ${VAR} expansion: process.env plus the secrets it keeps (never
  // written to process.env, so programs it starts do not inherit them).
  const env: Record<string, string | undefined> = { ...process.env };
  const vault = new SecretVault(cipher, settings.secretRecords(), env);
  const encryption = await cipher.isAvailable();
  const storageWarning = secretStorageWarning(platform, encryption, platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null);
  const undecryptable = await vault.unlock();
  const loaded = loadConfiguration(env, undecryptable);
  if (!loaded) {
    app.exit(EXIT_CONFIG);
    return;
  }
  const log: Logger = createLogger({ level: loaded.config.log.level });
  if (settings.recovery) log.warn(settings.recovery);
  if (undecryptable.length > 0) log.warn({ secrets: undecryptable }, 'stored secrets could not be decrypted');

  const core = new FootprintCore({ loaded, log });
  const uiDir = path.join(appPath, 'dist', 'renderer');
  const endpoint = new MetricsEndpoint((listen) => startServer(core, { listen, authToken: core.loaded.config.server.authToken, metricsAuth: core.loaded.config.server.metricsAuth, allowedHosts: core.loaded.config.server.allowedHosts, uiDir, env }, log));
  const coreApi = new CoreApi(core, { metricsUrl: () => (endpoint.url ? `${endpoint.url}/metrics` : null), env });
  const pause = new PauseControl(core, { onError: (error) => log.warn({ err: error }, 'catch-up refresh failed') });
  const api = new ShellApi(coreApi, {
    vault,
    metricsProblem: () => (settings.get().metrics.enabled ? endpoint.problem : null),
    secretStorageWarning: () => storageWarning,
    pauseAll: () => pause.add('user'),
    resumeAll: () => pause.remove('user'),
  });

  const location = rendererLocation({ packaged: app.isPackaged, appPath, devServerUrl: launch.devServerUrl, platform });
  installContentSecurityPolicy(location);
  app.on('web-contents-created', (_event, contents) => contents.on('will-attach-webview', (event) => event.preventDefault()));

  const windows = new WindowManager({
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
      trayBounds: () => (platform === 'linux' ? null : tray.getBounds()),
      workArea: (near) => (near ? screen.getDisplayNearestPoint({ x: Math.round(near.x), y: Math.round(near.y) }) : screen.getPrimaryDisplay()).workArea,
      displays: () => screen.getAllDisplays().map((display) => display.workArea),
      now: Date.now,
    },
    chartsBounds: () => settings.get().windows.charts,
    events: {
      chartsVisible: (visible) => {
        if (platform !== 'darwin') return;
        if (visible) void app.dock?.show();
        else app.dock?.hide();
      },
      chartsBounds: (bounds) => settings.update((current) => ({ ...current, windows: { ...current.windows, charts: bounds } })),
      loadFailed: (role, error) => log.error({ err: error, window: role }, 'the window could not load the dashboard — run "npm run build" (npm start does it)'),
    },
  });

  const initialIcon: NativeImage = platform === 'darwin'
    ? images.fromFile(path.join(appPath, 'build', 'icons', 'tray', templateIconFile('ok', 1)))
    : images.fromRepresentations(representations(trayIconSize(platform), (pixels) => renderStateGlyph('ok', pixels, 'color')));
  const tray = new Tray(initialIcon);
  const dispatch = (action: ShellAction) => {
    controller.dispatch(action).catch((error: unknown) => log.error({ err: error, action: action.type }, 'tray action failed'));
  };
  const adapter = new TrayAdapter({
    tray,
    platform,
    images,
    buildMenu: (template) => Menu.buildFromTemplate(template),
    dispatch,
    templateDir: path.join(appPath, 'build', 'icons', 'tray'),
  });
  tray.on('click', () => dispatch({ type: 'toggle-glance' }));
  if (platform === 'darwin') tray.on('right-click', () => adapter.popUpMenu());

  const autostart: AutostartContext = {
    platform,
    env: process.env,
    homedir: os.homedir(),
    execPath: process.execPath,
    // Run from source, the Electron binary needs the app's folder to start Footprint.
    appArgs: app.isPackaged ? [] : [appPath],
    loginItems: app,
  };
  let quitting = false;
  const controller = new ShellController({
    platform,
    api,
    pause,
    settings,
    endpoint,
    planEndpoint: (current) => planEndpoint(current.metrics, core.loaded.config.server),
    windows,
    tray: adapter,
    copyText: (text) => clipboard.writeText(text),
    setStartAtLogin: (enabled) => setStartAtLogin(autostart, enabled),
    openFile: (file) => {
      shell.openPath(file).then((problem) => problem && log.warn({ file }, problem), (error: unknown) => log.warn({ err: error }, 'could not open the settings file'));
    },
    quit: () => app.quit(),
    online: () => net.isOnline(),
    now: Date.now,
    startedAt,
    reportError: (what, error) => log.error({ err: error }, `${what} failed`),
  });

  pause.onChange(() => controller.scheduleRefresh());

  const notifier = new MilestoneNotifier({
    settings: () => settings.get().notifications,
    limiterState: () => settings.get(),
    saveLimiterState: (state) => settings.update((current) => ({ ...current, announced: state.announced, notificationTimes: state.notificationTimes })),
    show: (notice) => {
      if (!Notification.isSupported()) return;
      const notification = new Notification({ title: notice.title, body: notice.body });
      notification.on('click', () => windows.showCharts(notice.seriesId === null ? 'overview' : `details?series=${notice.seriesId}`));
      notification.show();
    },
    changes: (ids, windowMs) => changesBySeries(api, ids, windowMs),
    now: Date.now,
  });

  const unregisterIpc = registerIpc(ipcMain, api, location, (channel, origin) => log.warn({ channel, origin }, 'IPC call refused: not one of the app\'s pages'));
  const stopForwarding = forwardEvents(api, () => windows.openWindows(), location);
  const stopWatching = api.subscribe((event) => {
    controller.scheduleRefresh();
    if (event.type !== 'samples') return;
    api.latest().then((latest) => notifier.check(latest)).catch((error: unknown) => log.warn({ err: error }, 'milestone check failed'));
  });

  // What the OS says wins: the user may have removed the login item outside the app.
  const registered = startsAtLogin(autostart);
  if (registered !== settings.get().startAtLogin) settings.update((current) => ({ ...current, startAtLogin: registered }));

  // Preferences edited by hand (tray → Preferences → Edit thresholds and address…) apply without a restart.
  watchFile(settings.path, { interval: 2_000, persistent: false }, () => {
    const problem = settings.reload();
    if (problem) log.warn(problem);
    endpoint.apply(planEndpoint(settings.get().metrics, core.loaded.config.server)).then(() => controller.scheduleRefresh(), (error: unknown) => log.error({ err: error }, 'metrics endpoint update failed'));
  });

  core.start();
  const stopPower = watchPower({ power: powerMonitor, isOnline: () => net.isOnline(), pause, onChange: () => controller.scheduleRefresh() });
  await endpoint.apply(planEndpoint(settings.get().metrics, core.loaded.config.server));
  if (endpoint.problem) log.warn({ problem: endpoint.problem }, 'the metrics endpoint is not served');
  windows.createGlance();
  await controller.refreshTray();
  // Staleness changes with time alone: look again every minute.
  const staleCheck = setInterval(() => controller.scheduleRefresh(), 60_000);
  log.info({ config: core.loaded.file, sources: core.sourceIds(), metrics: endpoint.url }, 'Footprint is running in the tray');

  app.on('second-instance', () => windows.showCharts('overview'));

  let closed = false;
  app.on('before-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    if (quitting) return;
    quitting = true;
    clearInterval(staleCheck);
    unwatchFile(settings.path);
    stopPower();
    stopWatching();
    stopForwarding();
    unregisterIpc();
    endpoint.close()
      .then(() => core.close())
      .catch((error: unknown) => log.error({ err: error }, 'shutdown failed'))
      .finally(() => {
        closed = true;
        tray.destroy();
        app.quit();
      });
  });

  if (launch.testHooks) {
    // End-to-end tests cannot click the OS tray: they read what it shows and trigger its actions here.
    Object.assign(globalThis, {
      footprintShell: {
        trayView: () => adapter.lastView,
        trayIconPng: () => {
          const icon = adapter.lastIcon;
          return typeof icon === 'string' ? icon : icon?.[0]?.png.toString('base64') ?? null;
        },
        refreshTray: () => controller.refreshTray(),
        dispatch: (action: ShellAction) => controller.dispatch(action),
        settings: () => settings.get(),
        settingsFile: () => settings.path,
        metricsUrl: () => endpoint.url,
        metricsProblem: () => endpoint.problem,
        windowRoles: () => windows.openWindows().map((window) => ({ role: windows.roleOf(window), url: window.webContents.getURL(), visible: window.isVisible() })),
      },
    });
  }
}

if (!app.requestSingleInstanceLock()) {
  // Another Footprint runs (and opens its dashboard on 'second-instance'): this one leaves at once.
  app.quit();
} else {
  // A tray app keeps running with no window open.
  app.on('window-all-closed', () => {});
  app.whenReady().then(start).catch((error: unknown) => {
    dialog.showErrorBox('Footprint could not start', messageOf(error));
    app.exit(1);
  });
}
