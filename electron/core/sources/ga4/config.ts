// The `ga4:` section of the config: the user-facing contract of this source.
import { z } from 'zod';
import { apiUrlSchema } from '../common/api-url.js';
import { parseDuration } from '../../../../shared/duration.js';
import { intervalSchema } from '../../duration.js';
import { requestTimeoutSchema } from '../common/request-timeout.js';
import type { ServiceAccountKey } from './service-account.js';

export const DEFAULT_API_URL = 'https://analyticsdata.googleapis.com';
export const DEFAULT_INTERVAL_MS = 15 * 60_000;
/** How far back the backfill reads a property's daily figures by default: about 14 months. */
export const DEFAULT_BACKFILL_DAYS = 425;
/** GA4 began in 2019 (App + Web): ten years reach back before any property. */
export const MAX_BACKFILL_DAYS = 3_650;
const DAY_MS = 86_400_000;

const NUMERIC_ID = /^\d{1,20}$/;

/** What a property ID written the wrong way most likely is, as advice for the message. */
function propertyIdHint(text: string): string {
  if (/^G-[A-Z0-9]+$/i.test(text)) return `; "${text}" is a measurement ID of a web stream — the property ID is the number in Admin → Property settings`;
  if (/^UA-/i.test(text)) return '; UA- IDs belong to Universal Analytics, which Google shut down — use the GA4 property ID';
  if (/^p\d+$/.test(text)) return `; the "p" in Analytics URLs is not part of it — write "${text.slice(1)}"`;
  return '';
}

/**
 * A GA4 property ID: the number, written as text or as a YAML number; "properties/123" (the API's
 * resource name) is accepted too. Parses to the digits alone, which is also the `property` label.
 */
const propertyIdSchema = z.union([z.string(), z.number()]).transform((written, ctx) => {
  if (typeof written === 'number') {
    if (Number.isSafeInteger(written) && written > 0) return String(written);
    ctx.addIssue({ code: 'custom', message: `${written} is not a GA4 property ID: write the property's number, e.g. "123456789"` });
    return z.NEVER;
  }
  const text = written.trim().replace(/^properties\//, '');
  if (NUMERIC_ID.test(text)) return text;
  ctx.addIssue({
    code: 'custom',
    message: `"${written}" is not a GA4 property ID: write the property's number (Admin → Property settings), e.g. "123456789" or "properties/123456789"${propertyIdHint(written.trim())}`,
  });
  return z.NEVER;
});


/**
 * Days of daily history the backfill reads: a number of days (425, or "425" from the Settings form) or
 * whole days as a duration ("425d", "60w"). Parses to the number of days.
 */
const backfillDaysSchema = z.unknown().transform((written, ctx) => {
  const text = typeof written === 'string' || typeof written === 'number' ? String(written).trim() : JSON.stringify(written) ?? '';
  const ms = /^\d+$/.test(text) ? Number(text) * DAY_MS : parseDuration(text);
  const shown = text.length > 40 ? `${text.slice(0, 20)}…` : text;
  const example = `e.g. ${DEFAULT_BACKFILL_DAYS} (about 14 months, the default), "90d" or "52w"`;
  if (ms === null || !Number.isSafeInteger(ms)) {
    ctx.addIssue({ code: 'custom', message: `"${shown}" is not a number of days: write ${example}` });
    return z.NEVER;
  }
  if (ms % DAY_MS !== 0) {
    ctx.addIssue({ code: 'custom', message: `${shown} is not a whole number of days: write ${example}` });
    return z.NEVER;
  }
  const days = ms / DAY_MS;
  if (days < 1 || days > MAX_BACKFILL_DAYS) {
    ctx.addIssue({ code: 'custom', message: `${shown} is ${days < 1 ? 'less than a day' : 'too far back'}: use 1 to ${MAX_BACKFILL_DAYS} days (ten years), ${example}` });
    return z.NEVER;
  }
  return days;
});

/** Absent: Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud, the metadata server). */
const credentialsFileSchema = z
  .string()
  .trim()
  .min(1, 'name the JSON key file of a service account, e.g. "./service-account.json"')
  .optional();

export const ga4ConfigSchema = z
  .object({
    credentialsFile: credentialsFileSchema,
    properties: z
      .array(propertyIdSchema)
      .min(1, 'list at least one GA4 property ID under ga4.properties, e.g. ["123456789"]')
      // "123" and "properties/123" name the same property: collect it once.
      .transform((ids) => [...new Set(ids)]),
    apiUrl: apiUrlSchema(`"${DEFAULT_API_URL}"`).default(DEFAULT_API_URL),
    interval: intervalSchema().default(DEFAULT_INTERVAL_MS),
    timeout: requestTimeoutSchema(),
    backfillDays: backfillDaysSchema.default(DEFAULT_BACKFILL_DAYS),
  })
  .strict();

/** The section as validated, before prepare() reads the key file. */
export type Ga4Settings = z.output<typeof ga4ConfigSchema>;

/** The section as create() gets it: prepare() resolved credentialsFile and read the key it names. */
export type Ga4Config = Ga4Settings & { readonly serviceAccount?: ServiceAccountKey };
