// The settings file (electron-store, a JSON file in the app's user-data folder) behind a small typed
// interface. A file the schema rejects (hand-edited) is repaired value by value rather than wiped;
// one that is not JSON at all is moved aside, so the app always starts.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SecretRecord, SecretRecordStore } from './secret-vault.js';
import { normalizeSettings, SETTINGS_MIGRATIONS, SETTINGS_SCHEMA, type ShellSettings } from './settings.js';

/** What the shell needs of an electron-store (or a plain `conf`) instance. */
export interface StoreLike {
  store: Record<string, unknown>;
  readonly path: string;
}

export interface StoreOptions {
  readonly name: string;
  readonly cwd: string;
  readonly projectVersion: string;
  readonly schema: typeof SETTINGS_SCHEMA;
  readonly migrations: Record<string, (store: StoreLike) => void>;
  readonly clearInvalidConfig: false;
}

export type CreateStore = (options: StoreOptions) => StoreLike;

export const SETTINGS_FILE_NAME = 'settings';

/** The migration steps in electron-store's form: version → a function of the store. */
export function storeMigrations(): Record<string, (store: StoreLike) => void> {
  return Object.fromEntries(SETTINGS_MIGRATIONS.map((step) => [step.version, (store: StoreLike) => {
    store.store = step.migrate(store.store);
  }]));
}

export class SettingsStore {
  private readonly backing: StoreLike;
  private current: ShellSettings;
  /** What was wrong with the file at start (and what was done about it); null when it was fine. */
  readonly recovery: string | null;

  private constructor(backing: StoreLike, recovery: string | null) {
    this.backing = backing;
    this.current = normalizeSettings(backing.store);
    this.recovery = recovery;
    // Write every setting out, so a user who opens the file sees what can be changed.
    if (JSON.stringify(backing.store) !== JSON.stringify(this.current)) backing.store = { ...this.current };
  }

  static open(create: CreateStore, options: { cwd: string; projectVersion: string }): SettingsStore {
    const storeOptions: StoreOptions = {
      name: SETTINGS_FILE_NAME,
      cwd: options.cwd,
      projectVersion: options.projectVersion,
      schema: SETTINGS_SCHEMA,
      migrations: storeMigrations(),
      clearInvalidConfig: false,
    };
    try {
      return new SettingsStore(create(storeOptions), null);
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
        return new SettingsStore(create(storeOptions), `${file} was not valid JSON (${reason}); it was moved to ${aside} and the defaults are used`);
      }
      // Keep electron-store's own bookkeeping (the migrated version) beside the repaired values.
      const internal = parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>).__internal__ : undefined;
      writeFileSync(file, JSON.stringify({ ...normalizeSettings(parsed), ...(internal === undefined ? {} : { __internal__: internal }) }, null, '\t'), { mode: 0o600 });
      return new SettingsStore(create(storeOptions), `${file} had values the app does not accept (${reason}); they were replaced by their defaults`);
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
