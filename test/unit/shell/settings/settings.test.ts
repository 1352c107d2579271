import ElectronStore from 'electron-store';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS, MAX_ANNOUNCED, normalizeSettings, SETTINGS_JSON_SCHEMA } from '../../../../electron/shell/settings/settings.js';
import { SETTINGS_MIGRATIONS, SettingsStore, settingsStoreOptions } from '../../../../electron/shell/settings/settings-store.js';

// electron-store itself, under plain Node: its `electron` import is the fake, and each test gives it a `cwd`.
vi.mock('electron', () => import('../../../support/shell/fake-electron.js'));

describe('normalizeSettings', () => {
  it('gives the defaults for nothing at all', () => {
    expect(normalizeSettings(undefined)).toEqual(DEFAULT_SETTINGS);
    expect(normalizeSettings('garbage')).toEqual(DEFAULT_SETTINGS);
  });

  it('keeps every valid value', () => {
    const custom = {
      ...DEFAULT_SETTINGS,
      badge: { kind: 'series', seriesId: 12 },
      metrics: { enabled: false, listen: '127.0.0.1:9300' },
      startAtLogin: true,
      notifications: { enabled: false, starMilestones: [5, 50], pullMilestones: [100], dailyStarJump: 0, dailyPullJump: 1, maxPerHour: 10 },
      windows: { charts: { x: -100, y: 40, width: 900, height: 700 } },
      announced: ['stars:1:100'],
      notificationTimes: [123],
      secrets: { FOOTPRINT_SECRET_GITHUB_TOKEN: { source: 'github', data: 'AAAA' } },
    };
    expect(normalizeSettings(custom)).toEqual(custom);
  });

  it('replaces each invalid value by its default, independently, and drops unknown keys', () => {
    const settings = normalizeSettings({
      badge: { kind: 'total', of: 'forks' },
      metrics: { enabled: 'yes', listen: 'localhost' },
      startAtLogin: true,
      notifications: { enabled: false, starMilestones: [500, -1, 'x', 50, 50], maxPerHour: 0, dailyStarJump: -5 },
      windows: { charts: { x: 1, y: 2, width: 0, height: 10 } },
      announced: ['a', 3, 'b'],
      secrets: { GITHUB_TOKEN: { source: 'github', data: 'x' }, FOOTPRINT_SECRET_NPM_TOKEN: { source: 'npm' } },
      somethingElse: 1,
    });
    expect(settings).toEqual({
      ...DEFAULT_SETTINGS,
      startAtLogin: true,
      notifications: { ...DEFAULT_SETTINGS.notifications, enabled: false, starMilestones: [50, 500] },
      announced: ['a', 'b'],
    });
    expect('somethingElse' in settings).toBe(false);
  });

  it('keeps only the newest announced milestones', () => {
    const many = Array.from({ length: MAX_ANNOUNCED + 5 }, (_, index) => `key:${index}`);
    const settings = normalizeSettings({ announced: many });
    expect(settings.announced).toHaveLength(MAX_ANNOUNCED);
    expect(settings.announced[0]).toBe('key:5');
  });
});

describe('the JSON Schema electron-store checks the file with', () => {
  it('is derived from the zod schema: every setting, with its default', () => {
    expect(Object.keys(SETTINGS_JSON_SCHEMA)).toEqual(Object.keys(DEFAULT_SETTINGS));
    for (const [key, value] of Object.entries(DEFAULT_SETTINGS)) expect(SETTINGS_JSON_SCHEMA[key]?.default, key).toEqual(value);
    expect(SETTINGS_JSON_SCHEMA.notifications).toMatchObject({ properties: { maxPerHour: { type: 'integer', minimum: 1, maximum: 60 } } });
  });
});

describe('SettingsStore on the real electron-store', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-settings-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const file = () => path.join(dir, 'settings.json');

  it('starts with the defaults and persists changes through the schema', () => {
    const store = SettingsStore.open({ cwd: dir, projectVersion: '0.1.0' });
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    // Every setting is in the file from the start, so a user who opens it sees what can be changed.
    const { __internal__: _bookkeeping, ...written } = JSON.parse(readFileSync(file(), 'utf8'));
    expect(written).toEqual(JSON.parse(JSON.stringify(DEFAULT_SETTINGS)));
    store.update((current) => ({ ...current, badge: { kind: 'today', of: 'stars' } }));
    expect(JSON.parse(readFileSync(file(), 'utf8')).badge).toEqual({ kind: 'today', of: 'stars' });
    const reopened = SettingsStore.open({ cwd: dir, projectVersion: '0.1.0' });
    expect(reopened.get().badge).toEqual({ kind: 'today', of: 'stars' });
    expect(reopened.recovery).toBeNull();
  });

  it('migrates a file written before versioning', () => {
    writeFileSync(file(), JSON.stringify({ badge: { kind: 'total', of: 'pulls' }, metrics: { enabled: 'no' }, unknown: 1 }));
    const store = SettingsStore.open({ cwd: dir, projectVersion: '0.1.0' });
    expect(store.get().badge).toEqual({ kind: 'total', of: 'pulls' });
    expect(store.get().metrics).toEqual(DEFAULT_SETTINGS.metrics);
    const written = JSON.parse(readFileSync(file(), 'utf8'));
    expect(written.unknown).toBeUndefined();
    expect(written.__internal__.migrations.version).toBe('0.1.0');
  });

  it('repairs a hand-edited file the schema rejects, keeping its good values', () => {
    SettingsStore.open({ cwd: dir, projectVersion: '0.1.0' }).update((current) => ({ ...current, startAtLogin: true }));
    const edited = JSON.parse(readFileSync(file(), 'utf8'));
    edited.notifications.maxPerHour = 'lots';
    writeFileSync(file(), JSON.stringify(edited));
    const store = SettingsStore.open({ cwd: dir, projectVersion: '0.1.0' });
    expect(store.recovery).toMatch(/had values the app does not accept/);
    expect(store.get().startAtLogin).toBe(true);
    expect(store.get().notifications.maxPerHour).toBe(DEFAULT_SETTINGS.notifications.maxPerHour);
  });

  it('moves a file that is not JSON aside and starts from the defaults', () => {
    writeFileSync(file(), '{ not json');
    const store = SettingsStore.open({ cwd: dir, projectVersion: '0.1.0' });
    expect(store.recovery).toMatch(/was not valid JSON/);
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(readdirSync(dir).some((name) => /^settings\.invalid-\d+\.json$/.test(name))).toBe(true);
  });

  it('normalises what it writes, so a bad value never reaches the file', () => {
    const store = SettingsStore.open({ cwd: dir, projectVersion: '0.1.0' });
    store.update((current) => ({ ...current, notifications: { ...current.notifications, maxPerHour: -3 } }));
    expect(JSON.parse(readFileSync(file(), 'utf8')).notifications.maxPerHour).toBe(DEFAULT_SETTINGS.notifications.maxPerHour);
  });

  it('reads a file edited by hand again', () => {
    const store = SettingsStore.open({ cwd: dir, projectVersion: '0.1.0' });
    const edited = JSON.parse(readFileSync(file(), 'utf8'));
    edited.metrics.listen = '127.0.0.1:9300';
    writeFileSync(file(), JSON.stringify(edited));
    expect(store.reload()).toBeNull();
    expect(store.get().metrics.listen).toBe('127.0.0.1:9300');
  });

  it('keeps the encrypted secrets for the vault', () => {
    const store = SettingsStore.open({ cwd: dir, projectVersion: '0.1.0' });
    const records = store.secretRecords();
    records.write({ FOOTPRINT_SECRET_GITHUB_TOKEN: { source: 'github', data: 'ZW5j' } });
    expect(records.read()).toEqual({ FOOTPRINT_SECRET_GITHUB_TOKEN: { source: 'github', data: 'ZW5j' } });
    expect(JSON.parse(readFileSync(file(), 'utf8')).secrets.FOOTPRINT_SECRET_GITHUB_TOKEN.data).toBe('ZW5j');
  });

  it('runs electron-store\'s migrations only for a file written before the step\'s version', () => {
    const stored = { ...JSON.parse(JSON.stringify(DEFAULT_SETTINGS)), badge: { kind: 'none' }, leftover: true };
    writeFileSync(file(), JSON.stringify({ ...stored, __internal__: { migrations: { version: '0.1.0' } } }));
    expect(new ElectronStore(settingsStoreOptions({ cwd: dir, projectVersion: '0.1.0' })).store).toMatchObject({ badge: { kind: 'none' }, leftover: true });
    writeFileSync(file(), JSON.stringify({ ...stored, __internal__: { migrations: { version: '0.0.9' } } }));
    const migrated = new ElectronStore(settingsStoreOptions({ cwd: dir, projectVersion: '0.1.0' }));
    expect(migrated.store).not.toHaveProperty('leftover');
    expect(migrated.store).toMatchObject({ badge: { kind: 'none' } });
  });

  it('lists the migration steps by app version, oldest first', () => {
    expect(Object.keys(SETTINGS_MIGRATIONS)).toEqual(['0.1.0']);
  });
});
