// The ShellController on Electron: the clipboard, opening the settings file, quitting, the network
// state and start at login; the tray follows the core's events and looks again every minute
// (staleness changes with time alone).
import { app, clipboard, net, shell } from 'electron';
import os from 'node:os';
import type { FootprintApi } from '../../shared/api.js';
import type { Logger } from '../core/log.js';
import type { AppCore } from './app-core/app-core.js';
import { ShellController, type ShellPorts } from './controller.js';
import { setStartAtLogin, startsAtLogin, type AutostartContext } from './platform/autostart.js';

export const STALE_CHECK_MS = 60_000;

export function autostartContext(appPath: string, platform: NodeJS.Platform): AutostartContext {
  return {
    platform,
    env: process.env,
    homedir: os.homedir(),
    execPath: process.execPath,
    // Run from source, the Electron binary needs the app's folder to start Footprint.
    appArgs: app.isPackaged ? [] : [appPath],
    loginItems: app,
  };
}

/** What the controller needs of the app core. */
export type ControllerCore = Pick<AppCore, 'appPath' | 'platform' | 'startedAt' | 'planEndpoint' | 'pause'> & {
  readonly api: ShellPorts['api'] & Pick<FootprintApi, 'subscribe'>;
  readonly settings: ShellPorts['settings'];
  readonly endpoint: ShellPorts['endpoint'];
  readonly log: Pick<Logger, 'warn' | 'error'>;
};

export function startController(appCore: ControllerCore, windows: ShellPorts['windows'], tray: ShellPorts['tray']): { controller: ShellController; stop: () => void } {
  const { api, log, platform, settings } = appCore;
  const autostart = autostartContext(appCore.appPath, platform);
  const controller = new ShellController({
    platform,
    api,
    pause: appCore.pause,
    settings,
    endpoint: appCore.endpoint,
    planEndpoint: (current) => appCore.planEndpoint(current),
    windows,
    tray,
    copyText: (text) => clipboard.writeText(text),
    setStartAtLogin: (enabled) => setStartAtLogin(autostart, enabled),
    openFile: (file) => {
      shell.openPath(file).then((problem) => problem && log.warn({ file }, problem), (error: unknown) => log.warn({ err: error }, 'could not open the settings file'));
    },
    quit: () => app.quit(),
    online: () => net.isOnline(),
    now: Date.now,
    startedAt: appCore.startedAt,
    reportError: (what, error) => log.error({ err: error }, `${what} failed`),
  });
  // What the OS says wins: the user may have removed the login item outside the app.
  const registered = startsAtLogin(autostart);
  if (registered !== settings.get().startAtLogin) settings.update((current) => ({ ...current, startAtLogin: registered }));
  const stopWatching = api.subscribe(() => controller.scheduleRefresh());
  const staleCheck = setInterval(() => controller.scheduleRefresh(), STALE_CHECK_MS);
  return {
    controller,
    stop: () => {
      clearInterval(staleCheck);
      stopWatching();
    },
  };
}
