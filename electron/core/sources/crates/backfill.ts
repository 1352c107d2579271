// The crates.io source's history: each crate's downloads per day for the last 90 days, from
// /api/v1/crates/NAME/downloads in one request: crates.io lists the newest versions' days in
// `version_downloads` and the other versions' together in `meta.extra_downloads`, so a day's count
// is the sum of both. Stored as crates_downloads_daily at the end of each UTC day.
import { z } from 'zod';
import { endOfUtcDay } from '../../backfill/contract.js';
import type { BackfillStepResult, Backfiller, DatedSample } from '../../backfill/contract.js';
import { dayNumberOf, utcDayNumber } from '../common/calendar-days.js';
import type { HttpAnswer } from '../common/http-client.js';
import { oneLine } from '../common/one-line.js';
import { singleReplyBackfiller } from '../common/single-reply-history.js';
import { CRATES_API, cratesHttp, failureOf, isUnknownCrate } from './api.js';
import type { CratesTuning } from './api.js';
import type { CratesConfig } from './config.js';

/** Days crates.io lists. */
export const CRATES_HISTORY_DAYS = 90;
const DAY_MS = 86_400_000;

const dayCount = z.object({ date: z.string(), downloads: z.number().int().nonnegative() });
const downloadsSchema = z.object({
  version_downloads: z.array(dayCount),
  meta: z.object({ extra_downloads: z.array(dayCount).default([]) }).default({ extra_downloads: [] }),
});

/** A crate's dated samples from its /downloads answer: days before `now`'s UTC day only (today is still being counted). */
export function settleDownloads(name: string, answer: HttpAnswer, apiUrl: string, now: number): BackfillStepResult {
  const failed = (error: string): BackfillStepResult => ({ kind: 'failed', error });
  if (isUnknownCrate(answer.status, answer.text)) {
    return { kind: 'unavailable', reason: `crates.io does not know the crate '${name}' (404), so it has no download history — check crates.crates` };
  }
  if (answer.status !== 200) return failed(failureOf(answer.status, answer.text, name, apiUrl, `the daily downloads of '${name}'`));
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return failed(`the crates.io API sent daily downloads of '${name}' that are not JSON: "${oneLine(answer.text)}" — backfilling again later`);
  }
  const parsed = downloadsSchema.safeParse(body);
  if (!parsed.success) return failed(`the crates.io API sent unexpected daily downloads for '${name}': version_downloads must list {date, downloads} (${oneLine(JSON.stringify(body))})`);
  const counts = new Map<number, number>();
  for (const entry of [...parsed.data.version_downloads, ...parsed.data.meta.extra_downloads]) {
    const day = dayNumberOf(entry.date);
    if (day === null) return failed(`the crates.io API sent a day "${oneLine(entry.date)}" for '${name}' that is not a date — backfilling again later`);
    counts.set(day, (counts.get(day) ?? 0) + entry.downloads);
  }
  const today = utcDayNumber(now);
  const samples: DatedSample[] = [...counts]
    .filter(([day]) => day < today)
    .sort(([a], [b]) => a - b)
    .map(([day, value]) => ({ metric: 'crates_downloads_daily', labels: { crate: name }, value, time: endOfUtcDay(day * DAY_MS) }));
  return { kind: 'progress', samples, cursor: null, doneUnits: CRATES_HISTORY_DAYS, totalUnits: CRATES_HISTORY_DAYS };
}

export interface CratesBackfillOptions {
  /** The clock (epoch ms): which day is today. */
  readonly now?: () => number;
}

export function createCratesBackfiller(config: CratesConfig, tuning: CratesTuning, options: CratesBackfillOptions = {}): Backfiller {
  const now = options.now ?? Date.now;
  return singleReplyBackfiller({
    api: CRATES_API,
    section: 'crates',
    listKey: 'crates',
    apiUrl: config.apiUrl,
    targets: config.crates,
    taskKey: (name) => `downloads:${name}`,
    title: (name) => `${name} daily downloads`,
    days: CRATES_HISTORY_DAYS,
    spacingMs: tuning.spacingMs,
    requestTimeoutMs: tuning.requestTimeoutMs,
    // Rate limits go to the backfill runner at once: it obeys their time.
    send: (name, ctx) => cratesHttp(ctx, ctx.signal, { ...tuning, maxRateLimitWaitMs: 0 }).send({
      url: `${config.apiUrl}/api/v1/crates/${encodeURIComponent(name)}/downloads`,
      what: `daily downloads of '${name}'`,
    }),
    settle: (name, answer) => settleDownloads(name, answer, config.apiUrl, now()),
  });
}
