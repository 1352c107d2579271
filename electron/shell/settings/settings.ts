// The desktop app's own preferences (not the config file, which `footprint serve` shares): what the
// badge shows, the /metrics endpoint, start at login, notifications, window bounds, and the
// encrypted secrets. Kept with electron-store; this module is its schema, defaults and migrations,
// as plain functions.
import { checkListenAddress } from '../../core/config/listen.js';
import { DEFAULT_BADGE, type BadgeChoice } from '../tray/badge.js';
import type { Rect } from '../windows/glance-position.js';
import type { SecretRecord } from './secret-vault.js';

export interface NotificationSettings {
  readonly enabled: boolean;
  /** A repository's (and the total's) stars crossing one of these is announced once. */
  readonly starMilestones: readonly number[];
  /** Same for an image's (and the total's) Docker Hub pulls. */
  readonly pullMilestones: readonly number[];
  /** Stars one repository gains within 24 hours that count as a big jump; 0 turns it off. */
  readonly dailyStarJump: number;
  /** Pulls one image gains within 24 hours that count as a big jump; 0 turns it off. */
  readonly dailyPullJump: number;
  /** At most this many notifications an hour (a burst beyond it is summed up in one). */
  readonly maxPerHour: number;
}

export interface ShellSettings {
  readonly badge: BadgeChoice;
  /** `listen` null: the config file's server.listen (127.0.0.1:9171 unless set there). */
  readonly metrics: { readonly enabled: boolean; readonly listen: string | null };
  readonly startAtLogin: boolean;
  readonly notifications: NotificationSettings;
  readonly windows: { readonly charts: Rect | null };
  /** Milestones already announced (each is announced once), newest last. */
  readonly announced: readonly string[];
  /** When the last notifications went out (epoch ms), for the hourly limit. */
  readonly notificationTimes: readonly number[];
  readonly secrets: Readonly<Record<string, SecretRecord>>;
}

/** Announced milestones kept; the oldest are forgotten beyond this. */
export const MAX_ANNOUNCED = 2000;
const MAX_MILESTONES = 50;

export const DEFAULT_SETTINGS: ShellSettings = {
  badge: DEFAULT_BADGE,
  metrics: { enabled: true, listen: null },
  startAtLogin: false,
  notifications: {
    enabled: true,
    starMilestones: [10, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000],
    pullMilestones: [1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000],
    dailyStarJump: 50,
    dailyPullJump: 10_000,
    maxPerHour: 3,
  },
  windows: { charts: null },
  announced: [],
  notificationTimes: [],
  secrets: {},
};

const BOUNDS_SCHEMA = {
  type: 'object',
  properties: { x: { type: 'integer' }, y: { type: 'integer' }, width: { type: 'integer', minimum: 1 }, height: { type: 'integer', minimum: 1 } },
  required: ['x', 'y', 'width', 'height'],
} as const;

const MILESTONES_SCHEMA = { type: 'array', items: { type: 'number', exclusiveMinimum: 0 }, maxItems: MAX_MILESTONES } as const;

/** electron-store's `schema` option (JSON Schema of each top-level key). */
export const SETTINGS_SCHEMA = {
  badge: {
    oneOf: [
      { type: 'object', properties: { kind: { const: 'none' } }, required: ['kind'] },
      { type: 'object', properties: { kind: { enum: ['total', 'today'] }, of: { enum: ['stars', 'pulls'] } }, required: ['kind', 'of'] },
      { type: 'object', properties: { kind: { const: 'series' }, seriesId: { type: 'integer', minimum: 1 } }, required: ['kind', 'seriesId'] },
    ],
  },
  metrics: {
    type: 'object',
    properties: { enabled: { type: 'boolean' }, listen: { type: ['string', 'null'] } },
    required: ['enabled', 'listen'],
  },
  startAtLogin: { type: 'boolean' },
  notifications: {
    type: 'object',
    properties: {
      enabled: { type: 'boolean' },
      starMilestones: MILESTONES_SCHEMA,
      pullMilestones: MILESTONES_SCHEMA,
      dailyStarJump: { type: 'number', minimum: 0 },
      dailyPullJump: { type: 'number', minimum: 0 },
      maxPerHour: { type: 'integer', minimum: 1, maximum: 60 },
    },
    required: ['enabled', 'starMilestones', 'pullMilestones', 'dailyStarJump', 'dailyPullJump', 'maxPerHour'],
  },
  windows: { type: 'object', properties: { charts: { oneOf: [{ type: 'null' }, BOUNDS_SCHEMA] } }, required: ['charts'] },
  announced: { type: 'array', items: { type: 'string' }, maxItems: MAX_ANNOUNCED },
  notificationTimes: { type: 'array', items: { type: 'number' } },
  secrets: {
    type: 'object',
    additionalProperties: { type: 'object', properties: { source: { type: 'string' }, data: { type: 'string' } }, required: ['source', 'data'] },
  },
} as const;

type Raw = Record<string, unknown>;

function isObject(value: unknown): value is Raw {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function booleanOr(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

function numberOr(value: unknown, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max ? value : fallback;
}

function milestonesOr(value: unknown, fallback: readonly number[]): number[] {
  if (!Array.isArray(value)) return [...fallback];
  const numbers = value.filter((item): item is number => typeof item === 'number' && Number.isFinite(item) && item > 0);
  return [...new Set(numbers)].sort((a, b) => a - b).slice(0, MAX_MILESTONES);
}

function badgeOr(value: unknown): BadgeChoice {
  if (!isObject(value)) return DEFAULT_BADGE;
  if (value.kind === 'none') return { kind: 'none' };
  if ((value.kind === 'total' || value.kind === 'today') && (value.of === 'stars' || value.of === 'pulls')) return { kind: value.kind, of: value.of };
  if (value.kind === 'series' && Number.isSafeInteger(value.seriesId) && (value.seriesId as number) > 0) return { kind: 'series', seriesId: value.seriesId as number };
  return DEFAULT_BADGE;
}

function boundsOr(value: unknown): Rect | null {
  if (!isObject(value)) return null;
  const { x, y, width, height } = value;
  const ok = [x, y, width, height].every((item) => Number.isSafeInteger(item)) && (width as number) > 0 && (height as number) > 0;
  return ok ? { x: x as number, y: y as number, width: width as number, height: height as number } : null;
}

function listenOr(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  return 'problem' in checkListenAddress(value) ? null : value.trim();
}

function secretsOr(value: unknown): Record<string, SecretRecord> {
  if (!isObject(value)) return {};
  const entries = Object.entries(value).filter(([name, record]) => /^FOOTPRINT_SECRET_[A-Z0-9_]+$/.test(name) && isObject(record) && typeof record.source === 'string' && typeof record.data === 'string');
  return Object.fromEntries(entries.map(([name, record]) => [name, { source: (record as Raw).source as string, data: (record as Raw).data as string }]));
}

/** Settings from anything (an older or hand-edited file): valid values are kept, the rest default, unknown keys go. */
export function normalizeSettings(raw: unknown): ShellSettings {
  const value = isObject(raw) ? raw : {};
  const metrics = isObject(value.metrics) ? value.metrics : {};
  const notifications = isObject(value.notifications) ? value.notifications : {};
  const windows = isObject(value.windows) ? value.windows : {};
  const defaults = DEFAULT_SETTINGS.notifications;
  return {
    badge: badgeOr(value.badge),
    metrics: { enabled: booleanOr(metrics.enabled, DEFAULT_SETTINGS.metrics.enabled), listen: listenOr(metrics.listen) },
    startAtLogin: booleanOr(value.startAtLogin, DEFAULT_SETTINGS.startAtLogin),
    notifications: {
      enabled: booleanOr(notifications.enabled, defaults.enabled),
      starMilestones: milestonesOr(notifications.starMilestones, defaults.starMilestones),
      pullMilestones: milestonesOr(notifications.pullMilestones, defaults.pullMilestones),
      dailyStarJump: numberOr(notifications.dailyStarJump, defaults.dailyStarJump, 0),
      dailyPullJump: numberOr(notifications.dailyPullJump, defaults.dailyPullJump, 0),
      maxPerHour: Math.round(numberOr(notifications.maxPerHour, defaults.maxPerHour, 1, 60)),
    },
    windows: { charts: boundsOr(windows.charts) },
    announced: Array.isArray(value.announced) ? value.announced.filter((key): key is string => typeof key === 'string').slice(-MAX_ANNOUNCED) : [],
    notificationTimes: Array.isArray(value.notificationTimes) ? value.notificationTimes.filter((time): time is number => typeof time === 'number' && Number.isFinite(time)) : [],
    secrets: secretsOr(value.secrets),
  };
}

export interface SettingsMigration {
  /** The app version that introduced the layout (electron-store compares it with the stored version). */
  readonly version: string;
  readonly description: string;
  readonly migrate: (raw: Raw) => Raw;
}

/**
 * Every change of the layout, oldest first. Each step is a pure function from the stored object to
 * the next layout; electron-store runs the steps newer than the version the file was written with.
 */
export const SETTINGS_MIGRATIONS: readonly SettingsMigration[] = [
  {
    version: '0.1.0',
    description: 'first versioned layout: values an older or hand-edited file got right are kept, the rest get their defaults',
    migrate: (raw) => ({ ...normalizeSettings(raw) }),
  },
];

/** Runs the steps after `fromVersion` (exclusive) up to `toVersion` (inclusive) — what electron-store does, as a function. */
export function migrateSettings(raw: Raw, fromVersion: string | null, toVersion: string): Raw {
  return SETTINGS_MIGRATIONS
    .filter((step) => (fromVersion === null || compareVersions(step.version, fromVersion) > 0) && compareVersions(step.version, toVersion) <= 0)
    .reduce((settings, step) => step.migrate(settings), raw);
}

/** Compares "MAJOR.MINOR.PATCH" versions (pre-release tags are ignored). */
export function compareVersions(a: string, b: string): number {
  const parse = (version: string) => version.split('-')[0]!.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const left = parse(a);
  const right = parse(b);
  for (let index = 0; index < 3; index++) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}
