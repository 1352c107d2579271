// The core inside the desktop app: the same config file and history database as `footprint serve`,
// opened with the app's settings and the secrets it keeps in the OS keychain; the /metrics endpoint
// switched from the tray; polling paused while the machine sleeps or is offline.
import { app, dialog, net, powerMonitor, safeStorage } from 'electron';
import path from 'node:path';
import { CoreApi } from '../../core/api.js';
import { ConfigError, loadConfig, type LoadedConfig } from '../../core/config/config.js';
import { FootprintCore } from '../../core/core.js';
import { createLogger, type Logger } from '../../core/log.js';
import { redactSecrets } from '../../core/secrets.js';
import { startServer } from '../../core/server.js';
import { ShellApi } from '../ipc/shell-api.js';
import { watchPower } from '../platform/power.js';
import { SecretVault, secretStorageWarning, type SecretCipher } from '../settings/secret-vault.js';
import { SettingsStore } from '../settings/settings-store.js';
import type { ShellSettings } from '../settings/settings.js';
import { MetricsEndpoint, planEndpoint, type EndpointPlan } from './metrics-endpoint.js';
import { PauseControl } from './pause-control.js';

export interface AppCore {
  readonly platform: NodeJS.Platform;
  readonly appPath: string;
  readonly startedAt: number;
  readonly settings: SettingsStore;
  readonly log: Logger;
  readonly core: FootprintCore;
  readonly endpoint: MetricsEndpoint;
  readonly pause: PauseControl;
  /** What the app's windows get over IPC. */
  readonly api: ShellApi;
  /** Composes the Overview's cards before a window asks (see CoreApi.composeAhead). */
  composeAhead(): void;
  /** The endpoint plan for these settings and the config file's server section. */
  planEndpoint(settings: ShellSettings): EndpointPlan;
}

/** Electron's safeStorage (the OS keychain) as the vault's cipher. */
const keychain: SecretCipher = {
  isAvailable: () => safeStorage.isAsyncEncryptionAvailable(),
  encrypt: (text) => safeStorage.encryptStringAsync(text),
  decrypt: async (data) => {
    const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(data);
    return { text: result, reEncrypt: shouldReEncrypt };
  },
};

/** The configuration, or a dialog saying what is wrong (the same messages as `footprint check-config`). */
function loadConfiguration(configFile: string | undefined, env: Record<string, string | undefined>, undecryptable: readonly string[]): LoadedConfig | null {
  try {
    return loadConfig({ flag: configFile, env });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const lost = undecryptable.length > 0
      ? `\n\nThe app could not decrypt ${undecryptable.join(', ')} (the keychain changed?). Write the token into the file as a \${VAR} reference, or remove the reference and enter it again in Settings.`
      : '';
    dialog.showErrorBox('Footprint cannot start: the configuration has a problem', `${redactSecrets(error.message)}${lost}`);
    return null;
  }
}

/** Opens the settings, the secrets and the configuration; null (after a dialog) when the configuration is wrong. */
export async function openAppCore(options: { configFile?: string; platform: NodeJS.Platform }): Promise<AppCore | null> {
  const { platform } = options;
  const startedAt = Date.now();
  const appPath = app.getAppPath();
  const settings = SettingsStore.open({ cwd: app.getPath('userData'), projectVersion: app.getVersion() });

  // The app's own environment for ${VAR} expansion: process.env plus the secrets it keeps (never
  // written to process.env, so programs it starts do not inherit them).
  const env: Record<string, string | undefined> = { ...process.env };
  const vault = new SecretVault(keychain, settings.secretRecords(), env);
  const encryption = await keychain.isAvailable();
  const storageWarning = secretStorageWarning(platform, encryption, platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null);
  const undecryptable = await vault.unlock();
  const loaded = loadConfiguration(options.configFile, env, undecryptable);
  if (!loaded) return null;
  const log = createLogger({ level: loaded.config.log.level });
  if (settings.recovery) log.warn(settings.recovery);
  if (undecryptable.length > 0) log.warn({ secrets: undecryptable }, 'stored secrets could not be decrypted');

  const core = new FootprintCore({ loaded, log });
  const { server } = core.loaded.config;
  const uiDir = path.join(appPath, 'dist', 'renderer');
  const endpoint = new MetricsEndpoint((listen) => startServer(core, { listen, authToken: server.authToken, metricsAuth: server.metricsAuth, allowedHosts: server.allowedHosts, publicSeries: server.public, uiDir, env }, log));
  const coreApi = new CoreApi(core, { metricsUrl: () => (endpoint.url ? `${endpoint.url}/metrics` : null), env });
  const pause = new PauseControl(core, { onError: (error) => log.warn({ err: error }, 'catch-up refresh failed') });
  const api = new ShellApi(coreApi, {
    vault,
    metricsProblem: () => (settings.get().metrics.enabled ? endpoint.problem : null),
    secretStorageWarning: () => storageWarning,
    pauseAll: () => pause.add('user'),
    resumeAll: () => pause.remove('user'),
  });
  return { platform, appPath, startedAt, settings, log, core, endpoint, pause, api, composeAhead: () => coreApi.composeAhead(), planEndpoint: (current) => planEndpoint(current.metrics, core.loaded.config.server) };
}

/**
 * Starts polling (paused while the machine sleeps or is offline) and the /metrics endpoint the
 * settings ask for; `onChange` hears every pause change. Returns the stop, which closes both.
 */
export async function runAppCore(appCore: AppCore, onChange: () => void): Promise<() => Promise<void>> {
  const { core, endpoint, log, pause, settings } = appCore;
  core.start();
  appCore.composeAhead();
  pause.onChange(onChange);
  const stopPower = watchPower({ power: powerMonitor, isOnline: () => net.isOnline(), pause, onChange });
  await endpoint.apply(appCore.planEndpoint(settings.get()));
  if (endpoint.problem) log.warn({ problem: endpoint.problem }, 'the metrics endpoint is not served');
  return async () => {
    stopPower();
    await endpoint.close();
    await core.close();
  };
}
