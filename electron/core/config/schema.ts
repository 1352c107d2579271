// The config file's schema: the core sections plus one optional section per registered source.
import { z } from 'zod';
import { durationSchema } from '../duration.js';
import { LOG_LEVELS } from '../log.js';
import type { SourceModule } from '../source.js';
import { dottedPath, objectKeys, schemaDef, unknownKeyMessage, unwrapSchema, type ConfigIssue } from './issues.js';
import { publicSeriesSchema } from '../share/shared-series.js';
import { allowedHostsSchema, DEFAULT_LISTEN, listenAddressSchema } from './listen.js';
import { remoteWriteSchema } from './remote-write.js';

export const CORE_SECTIONS = ['server', 'storage', 'log', 'backfill', 'remoteWrite'] as const;

/** The backfill section's defaults: on, half of the budget left, a new plan (new repositories) daily. */
export const BACKFILL_DEFAULTS = { enabled: true, budgetShare: 0.5, replanInterval: '1d' } as const;
/** Re-planning lists targets (an org's repositories): more often than hourly spends budget for nothing. */
const MIN_REPLAN_MS = 3_600_000;
const MAX_REPLAN_MS = 30 * 86_400_000;

/** Shorter retention would delete history between two collections of most sources. */
const MIN_RETENTION_MS = 3_600_000;
/** A century: longer is "keep everything", which is what leaving retention out means. */
const MAX_RETENTION_MS = 36_500 * 86_400_000;

export function buildConfigSchema(modules: readonly SourceModule<any>[]) {
  const sourceSections: Record<string, z.ZodType> = {};
  for (const module of modules) {
    if ((CORE_SECTIONS as readonly string[]).includes(module.id) || module.id in sourceSections) {
      throw new Error(`source module id "${module.id}" clashes with another config section: give the module another id`);
    }
    sourceSections[module.id] = module.configSchema.optional();
  }
  // prefault: an absent section is parsed as {} so the defaults inside it apply.
  return z.strictObject({
    server: z
      .strictObject({
        listen: listenAddressSchema.prefault(DEFAULT_LISTEN),
        // Required when listening beyond this machine: the UI, the API and (with metricsAuth) /metrics ask for it.
        authToken: z.string().min(16, 'use at least 16 characters, e.g. the output of "openssl rand -hex 24"').meta({ examples: ['${FOOTPRINT_AUTH_TOKEN}'] }).optional(),
        metricsAuth: z.boolean().prefault(false),
        // Checked against the Host of every request (DNS rebinding): on loopback always, elsewhere once set.
        allowedHosts: allowedHostsSchema.prefault([]),
        // Badges and charts anyone may load while authToken guards the rest ("github/OWNER/REPO/stars", …).
        public: publicSeriesSchema.prefault([]),
      })
      .prefault({}),
    storage: z
      .strictObject({
        path: z.string().min(1).meta({ examples: ['./footprint.db'] }).optional(),
        retention: durationSchema(MIN_RETENTION_MS, MAX_RETENTION_MS).meta({ examples: ['400d'] }).optional(),
      })
      .prefault({}),
    log: z.strictObject({ level: z.enum(LOG_LEVELS).prefault('info') }).prefault({}),
    // Reading the sources' past (star history, daily downloads) in the background, after polls.
    backfill: z
      .strictObject({
        enabled: z.boolean().prefault(BACKFILL_DEFAULTS.enabled),
        // Of the API budget left when backfill starts in a rate-limit window, at most this share is spent on it.
        budgetShare: z.number().gt(0, 'use a share above 0 and at most 1, e.g. 0.5 for half of the budget left').max(1, 'use a share above 0 and at most 1, e.g. 0.5 for half of the budget left').prefault(BACKFILL_DEFAULTS.budgetShare),
        replanInterval: durationSchema(MIN_REPLAN_MS, MAX_REPLAN_MS).meta({ examples: ['1d'] }).prefault(BACKFILL_DEFAULTS.replanInterval),
      })
      .prefault({}),
    // Receivers Footprint pushes every series to (Prometheus remote write), see remote-write.ts.
    remoteWrite: remoteWriteSchema,
    ...sourceSections,
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Keys that a non-strict object schema (z.object) would silently drop. Strict objects report
 * unknown keys themselves; this keeps "an unknown key is an error" true for every source module,
 * whichever object kind its author used. Union branches are not followed (which one applies is
 * Zod's call); loose objects (z.looseObject) accept extra keys on purpose.
 */
export function findDroppedKeys(schema: unknown, value: unknown, path: PropertyKey[] = [], issues: ConfigIssue[] = []): ConfigIssue[] {
  const inner = unwrapSchema(schema);
  const def = schemaDef(inner);
  if (def === undefined) return issues;
  switch (def.type) {
    case 'pipe':
      return findDroppedKeys(def.in, value, path, issues);
    case 'object': {
      if (!isPlainObject(value)) return issues;
      const shape = def.shape ?? {};
      for (const [key, item] of Object.entries(value)) {
        if (Object.hasOwn(shape, key)) findDroppedKeys(shape[key], item, [...path, key], issues);
        else if (def.catchall === undefined) issues.push({ path: dottedPath([...path, key]), message: unknownKeyMessage(key, objectKeys(inner)) });
      }
      return issues;
    }
    case 'array':
      if (Array.isArray(value)) value.forEach((item, index) => findDroppedKeys(def.element, item, [...path, index], issues));
      return issues;
    case 'record':
      if (isPlainObject(value)) for (const [key, item] of Object.entries(value)) findDroppedKeys(def.valueType, item, [...path, key], issues);
      return issues;
    default:
      return issues;
  }
}
