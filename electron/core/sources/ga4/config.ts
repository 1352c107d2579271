// The `ga4:` section of the config: the user-facing contract of this source.
import { z } from 'zod';
import { apiUrlSchema } from '../common/api-url.js';
import { intervalSchema } from '../../duration.js';
import { requestTimeoutSchema } from '../common/request-timeout.js';
import type { ServiceAccountKey } from './service-account.js';

export const DEFAULT_API_URL = 'https://analyticsdata.googleapis.com';
export const DEFAULT_INTERVAL_MS = 15 * 60_000;

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


const credentialsFileSchema = z
  .string()
  .trim()
  .min(1, 'name the JSON key file of a service account, e.g. "./service-account.json"');

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
  })
  .strict();

/** The section as validated, before prepare() reads the key file. */
export type Ga4Settings = z.output<typeof ga4ConfigSchema>;

/** The section as create() gets it: prepare() resolved credentialsFile and read the key it names. */
export type Ga4Config = Ga4Settings & { readonly serviceAccount?: ServiceAccountKey };
