// Preferences edited by hand (tray → Preferences → Edit thresholds and address…) apply without a
// restart: the file is read again when it changes, and the /metrics endpoint follows it.
import { unwatchFile, watchFile } from 'node:fs';
import type { AppCore } from '../app-core/app-core.js';
import type { Logger } from '../../core/log.js';
import type { SettingsStore } from './settings-store.js';

export const SETTINGS_POLL_MS = 2_000;

/** Watches the settings file; `applied` runs after each change took effect. Returns the stop. */
export function watchSettingsFile(appCore: Pick<AppCore, 'planEndpoint'> & { readonly settings: Pick<SettingsStore, 'path' | 'reload' | 'get'>; readonly endpoint: Pick<AppCore['endpoint'], 'apply'>; readonly log: Pick<Logger, 'warn' | 'error'> }, applied: () => void, intervalMs = SETTINGS_POLL_MS): () => void {
  const { settings, endpoint, log } = appCore;
  const file = settings.path;
  const listener = () => {
    const problem = settings.reload();
    if (problem) log.warn(problem);
    endpoint.apply(appCore.planEndpoint(settings.get())).then(applied, (error: unknown) => log.error({ err: error }, 'metrics endpoint update failed'));
  };
  watchFile(file, { interval: intervalMs, persistent: false }, listener);
  return () => unwatchFile(file, listener);
}
