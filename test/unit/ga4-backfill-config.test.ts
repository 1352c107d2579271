// ga4.backfillDays: how far back the GA4 backfill reads, as days or whole-day durations, bounded.
import { describe, expect, it } from 'vitest';
import { ga4ConfigSchema } from '../../electron/core/sources/ga4/index.js';

const base = { credentialsFile: 'k.json', properties: ['1'] };

function messageFor(backfillDays: unknown): string {
  const result = ga4ConfigSchema.safeParse({ ...base, backfillDays });
  if (result.success) throw new Error(`expected ${JSON.stringify(backfillDays)} to be refused`);
  expect(result.error.issues.map((issue) => issue.path.join('.'))).toEqual(['backfillDays']);
  return result.error.issues[0]!.message;
}

describe('ga4.backfillDays', () => {
  it('defaults to 425 days (about 14 months) and takes days as a number, as text from the Settings form, or as d/w', () => {
    expect(ga4ConfigSchema.parse(base).backfillDays).toBe(425);
    for (const [written, days] of [[30, 30], ['120', 120], [' 90d ', 90], ['52w', 364], ['1w2d', 9], [3650, 3650]] as const) {
      expect(ga4ConfigSchema.parse({ ...base, backfillDays: written }).backfillDays, String(written)).toBe(days);
    }
  });

  it('refuses what is not a whole number of days from 1 to 3650, saying what to write', () => {
    expect(messageFor('soon')).toBe('"soon" is not a number of days: write e.g. 425 (about 14 months, the default), "90d" or "52w"');
    expect(messageFor('36h')).toBe('36h is not a whole number of days: write e.g. 425 (about 14 months, the default), "90d" or "52w"');
    expect(messageFor(1.5)).toMatch(/^"1.5" is not a number of days/);
    expect(messageFor(0)).toMatch(/^0 is less than a day: use 1 to 3650 days \(ten years\)/);
    expect(messageFor('3651d')).toMatch(/^3651d is too far back: use 1 to 3650 days/);
    expect(messageFor(true)).toMatch(/^"true" is not a number of days/);
  });
});
