// The desktop app's own preferences (not the config file, which `footprint serve` shares): what the
// badge shows, the /metrics endpoint, start at login, notifications, window bounds, and the
// encrypted secrets. One zod schema says what each value may be; from it come the type, the repair
// of an older or hand-edited file (a bad value gets its default, the others stay) and the JSON
// Schema electron-store checks the file with.
import { z } from 'zod';
import { checkListenAddress } from '../../core/config/listen.js';
import { DEFAULT_BADGE, type BadgeChoice } from '../tray/badge.js';
import type { Rect } from '../windows/glance-position.js';
import type { SecretRecord } from './secret-vault.js';

/** Announced milestones kept; the oldest are forgotten beyond this. */
export const MAX_ANNOUNCED = 2000;
const MAX_MILESTONES = 50;
const SECRET_NAME = /^FOOTPRINT_SECRET_[A-Z0-9_]+$/;

const DEFAULT_NOTIFICATIONS = {
  enabled: true,
  starMilestones: [10, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000],
  pullMilestones: [1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000],
  dailyStarJump: 50,
  dailyPullJump: 10_000,
  maxPerHour: 3,
};

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

// What a hand-edited file gets wrong inside a list is dropped item by item (z.preprocess, which the
// JSON Schema does not see: it checks the cleaned value's shape); a value that is still wrong gets a
// fresh copy of its default (.catch).
const milestones = (fallback: readonly number[]) => z.preprocess(
  (value) => (Array.isArray(value) ? [...new Set(value.filter((item) => isFiniteNumber(item) && item > 0))].sort((a, b) => a - b).slice(0, MAX_MILESTONES) : value),
  z.array(z.number().positive()).max(MAX_MILESTONES),
).catch(() => [...fallback]);

const badgeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.enum(['total', 'today']), of: z.enum(['stars', 'pulls']) }),
  z.object({ kind: z.literal('series'), seriesId: z.int().positive() }),
]) satisfies z.ZodType<BadgeChoice>;

const boundsSchema = z.object({ x: z.int(), y: z.int(), width: z.int().positive(), height: z.int().positive() }) satisfies z.ZodType<Rect>;

const listenSchema = z.preprocess(
  (value) => (typeof value === 'string' ? value.trim() : value),
  z.string().refine((text) => !('problem' in checkListenAddress(text)), 'not a listen address (host:port)'),
);

const secretsSchema = z.preprocess(
  (value) => (isRecord(value) ? Object.fromEntries(Object.entries(value).filter(([name, record]) => SECRET_NAME.test(name) && isRecord(record) && typeof record.source === 'string' && typeof record.data === 'string')) : value),
  z.record(z.string().regex(SECRET_NAME), z.object({ source: z.string(), data: z.string() }) satisfies z.ZodType<SecretRecord>),
);

/** Every setting, its constraints and its default. */
export const settingsSchema = z.object({
  badge: badgeSchema.catch(() => ({ ...DEFAULT_BADGE })),
  /** `listen` null: the config file's server.listen (127.0.0.1:9171 unless set there). */
  metrics: z.object({ enabled: z.boolean().catch(true), listen: listenSchema.nullable().catch(null) }).catch(() => ({ enabled: true, listen: null })),
  startAtLogin: z.boolean().catch(false),
  notifications: z.object({
    enabled: z.boolean().catch(DEFAULT_NOTIFICATIONS.enabled),
    /** A repository's (and the total's) stars crossing one of these is announced once. */
    starMilestones: milestones(DEFAULT_NOTIFICATIONS.starMilestones),
    /** Same for an image's (and the total's) Docker Hub pulls. */
    pullMilestones: milestones(DEFAULT_NOTIFICATIONS.pullMilestones),
    /** Stars one repository gains within 24 hours that count as a big jump; 0 turns it off. */
    dailyStarJump: z.number().min(0).catch(DEFAULT_NOTIFICATIONS.dailyStarJump),
    /** Pulls one image gains within 24 hours that count as a big jump; 0 turns it off. */
    dailyPullJump: z.number().min(0).catch(DEFAULT_NOTIFICATIONS.dailyPullJump),
    /** At most this many notifications an hour (a burst beyond it is summed up in one). */
    maxPerHour: z.preprocess((value) => (isFiniteNumber(value) ? Math.round(value) : value), z.int().min(1).max(60)).catch(DEFAULT_NOTIFICATIONS.maxPerHour),
  }).catch(() => structuredClone(DEFAULT_NOTIFICATIONS)),
  windows: z.object({ charts: boundsSchema.nullable().catch(null) }).catch(() => ({ charts: null })),
  /** Milestones already announced (each is announced once), newest last. */
  announced: z.preprocess((value) => (Array.isArray(value) ? value.filter((key) => typeof key === 'string').slice(-MAX_ANNOUNCED) : value), z.array(z.string()).max(MAX_ANNOUNCED)).catch(() => []),
  /** When the last notifications went out (epoch ms), for the hourly limit. */
  notificationTimes: z.preprocess((value) => (Array.isArray(value) ? value.filter(isFiniteNumber) : value), z.array(z.number())).catch(() => []),
  secrets: secretsSchema.catch(() => ({})),
});

export type ShellSettings = z.output<typeof settingsSchema>;
export type NotificationSettings = ShellSettings['notifications'];

/** Every setting at its default (what the schema gives for nothing at all). */
export const DEFAULT_SETTINGS: ShellSettings = settingsSchema.parse({});

/** Settings from anything (an older or hand-edited file): valid values are kept, the rest default, unknown keys go. */
export function normalizeSettings(raw: unknown): ShellSettings {
  return settingsSchema.parse(isRecord(raw) ? raw : {});
}

/**
 * electron-store's `schema` option (a JSON Schema per top-level key), derived from settingsSchema:
 * the shape of a clean value (`io: 'output'`), with each default. The store checks the file with it.
 */
export const SETTINGS_JSON_SCHEMA = z.toJSONSchema(settingsSchema, { io: 'output', target: 'draft-2020-12' }).properties as Record<string, Record<string, unknown>>;
