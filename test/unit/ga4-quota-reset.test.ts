import { describe, expect, it } from 'vitest';
import { nextFullHour, nextPacificMidnight, quotaRetryAt } from '../../electron/core/sources/ga4/quota-reset.js';

describe('when exhausted GA4 quota returns', () => {
  it('daily quotas: the next midnight in Los Angeles, across both daylight-saving changes', () => {
    // PDT (UTC-7): 05:34 on 1 June → midnight 2 June = 07:00 UTC.
    expect(nextPacificMidnight(Date.UTC(2025, 5, 1, 12, 34, 56))).toBe(Date.UTC(2025, 5, 2, 7));
    // PST (UTC-8): 01:00 on 15 January → midnight 16 January = 08:00 UTC.
    expect(nextPacificMidnight(Date.UTC(2025, 0, 15, 9))).toBe(Date.UTC(2025, 0, 16, 8));
    // 23:59:59 PST on 31 December → one second later.
    expect(nextPacificMidnight(Date.UTC(2026, 0, 1, 7, 59, 59))).toBe(Date.UTC(2026, 0, 1, 8));
    // Exactly midnight → the next one.
    expect(nextPacificMidnight(Date.UTC(2026, 0, 1, 8))).toBe(Date.UTC(2026, 0, 2, 8));
    // Spring forward (9 March 2025, 02:00 PST → 03:00 PDT): the day before is still PST at midnight.
    expect(nextPacificMidnight(Date.UTC(2025, 2, 8, 20))).toBe(Date.UTC(2025, 2, 9, 8));
    expect(nextPacificMidnight(Date.UTC(2025, 2, 9, 12))).toBe(Date.UTC(2025, 2, 10, 7));
    // Fall back (2 November 2025, 02:00 PDT → 01:00 PST).
    expect(nextPacificMidnight(Date.UTC(2025, 10, 1, 20))).toBe(Date.UTC(2025, 10, 2, 7));
    expect(nextPacificMidnight(Date.UTC(2025, 10, 2, 12))).toBe(Date.UTC(2025, 10, 3, 8));
  });

  it('reads the bucket from Google\'s message', () => {
    const now = Date.UTC(2025, 5, 1, 12, 34, 56);
    expect(quotaRetryAt('Exhausted property tokens per day. These quota tokens will return in under 24 hours.', now)).toBe(Date.UTC(2025, 5, 2, 7));
    expect(quotaRetryAt('Exhausted property tokens per hour. These quota tokens will return in under an hour.', now)).toBe(Date.UTC(2025, 5, 1, 13));
    expect(quotaRetryAt('Exhausted property tokens for a project per hour.', now)).toBe(Date.UTC(2025, 5, 1, 13));
    expect(quotaRetryAt('Exhausted concurrent requests quota.', now)).toBe(now + 60_000);
    expect(quotaRetryAt('Quota exceeded.', now)).toBe(nextFullHour(now));
    expect(nextFullHour(Date.UTC(2025, 5, 1, 13))).toBe(Date.UTC(2025, 5, 1, 14));
  });
});
