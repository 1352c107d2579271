// The settings file (electron-store, a JSON file in the app's user-data folder) behind a small typed
// interface. electron-store migrates an older file and checks it against the JSON Schema derived
// from settingsSchema; a file that still fails (hand-edited) is repaired value by value rather than
// wiped; one that is not JSON at all is moved aside, so the app always starts.
import ElectronStore, { type Options } from 'electron-store';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SecretRecord, SecretRecordStore } from './secret-vault.js';
import { normalizeSettings, SETTINGS_JSON_SCHEMA, type ShellSettings } from './settings.js';

type Stored = Record<string, unknown>;

export const SETTINGS_FILE_NAME = 'settings';

/**
 * Every change of the file's layout, in electron-store's own `migrations` form: the app version that
 * introduced it → a step on the store. electron-store runs the steps newer than the version the file
 * records, oldest first, before it checks the file against the schema.
 */
export const SETTINGS_MIGRATIONS: Record<string, (store: { store: Stored }) => void> = {
  // The first versioned layout: values an older or hand-edited file got right are kept, the rest get their defaults.
  '0.1.0': (store) => {
    store.store = { ...normalizeSettings(store.store) };
  },
};

/** The options the app opens its settings file with. */
export function settingsStoreOptions(options: { cwd: string; projectVersion: string }): Options<Stored> {
  return {
    name: SETTINGS_FILE_NAME,
    cwd: options.cwd,
    projectVersion: options.projectVersion,
    schema: SETTINGS_JSON_SCHEMA as Options<Stored>['schema'],
    migrations: SETTINGS_MIGRATIONS as Options<Stored>['migrations'],
    clearInvalidConfig: false,
  };
}

export class SettingsStore {
  private readonly backing: ElectronStore<Stored>;
  private current: ShellSettings;
  /** What was wrong with the file at start (and what was done about it); null when it was fine. */
  readonly recovery: string | null;

  private constructor(backing: ElectronStore<Stored>, recovery: string | null) {
    this.backing = backing;
    this.current = normalizeSettings(backing.store);
    this.recovery = recovery;
    // Write every setting out, so a user who opens the file sees what can be changed.
    if (JSON.stringify(backing.store) !== JSON.stringify(this.current)) backing.store = { ...this.current };
  }

  static open(options: { cwd: string; projectVersion: string }): SettingsStore {
    const storeOptions = settingsStoreOptions(options);
    try {
      return new SettingsStore(new ElectronStore(storeOptions), null);
    } catch (error) {
      const file = path.join(options.cwd, `${SETTINGS_FILE_NAME}.json`);
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      if (!existsSync(file)) throw error;
      let parsed: unknown;
      try {
        parsed = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
      } catch {
        const aside = path.join(options.cwd, `${SETTINGS_FILE_NAME}.invalid-${Date.now()}.json`);
        renameSync(file, aside);
        return new SettingsStore(new ElectronStore(storeOptions), `${file} was not valid JSON (${reason}); it was moved to ${aside} and the defaults are used`);
      }
      // Keep electron-store's own bookkeeping (the migrated version) beside the repaired values.
      const internal = parsed !== null && typeof parsed === 'object' ? (parsed as Stored).__internal__ : undefined;
      writeFileSync(file, JSON.stringify({ ...normalizeSettings(parsed), ...(internal === undefined ? {} : { __internal__: internal }) }, null, '\t'), { mode: 0o600 });
      return new SettingsStore(new ElectronStore(storeOptions), `${file} had values the app does not accept (${reason}); they were replaced by their defaults`);
    }
  }

  get path(): string {
    return this.backing.path;
  }

  get(): ShellSettings {
    return this.current;
  }

  /** Reads the file again (after the user edited it); returns the problem when it cannot be read, keeping the last good settings. */
  reload(): string | null {
    try {
      this.current = normalizeSettings(this.backing.store);
      return null;
    } catch (error) {
      return `${this.path} could not be read (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); the previous settings stay in force`;
    }
  }

  /** Applies a change; the result is normalised, so a bad value can never reach the file. */
  update(change: (current: ShellSettings) => ShellSettings): ShellSettings {
    const next = normalizeSettings(change(this.current));
    this.backing.store = { ...next };
    this.current = next;
    return next;
  }

  /** The encrypted secrets, for SecretVault. */
  secretRecords(): SecretRecordStore {
    return {
      read: () => ({ ...this.current.secrets }),
      write: (records: Record<string, SecretRecord>) => {
        this.update((current) => ({ ...current, secrets: records }));
      },
    };
  }
}
