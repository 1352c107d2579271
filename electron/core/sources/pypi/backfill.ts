// The PyPI source's history: each package's downloads per day without mirrors, from
// /api/packages/NAME/overall?mirrors=false (pypistats keeps 180 days), in one request, stored in the
// series the live poll writes: pypi_package_downloads{period="last_day"} is that day's count and
// "last_week" / "last_month" the 7 / 30 days ending with it, each at the end of its UTC day.
import { z } from 'zod';
import { endOfUtcDay } from '../../backfill/contract.js';
import type { BackfillStepResult, Backfiller, DatedSample } from '../../backfill/contract.js';
import { dayNumberOf, utcDayNumber } from '../common/calendar-days.js';
import { rollingSum } from '../common/daily-history.js';
import type { HttpAnswer } from '../common/http-client.js';
import { oneLine } from '../common/one-line.js';
import { singleReplyBackfiller } from '../common/single-reply-history.js';
import { failureOf, isUnknownPackage, PYPI_API, pypiHttp } from './api.js';
import type { PypiTuning } from './api.js';
import type { PypiConfig } from './config.js';
import { PERIODS } from './metrics.js';

/** Days pypistats keeps. */
export const PYPI_HISTORY_DAYS = 180;
const DAY_MS = 86_400_000;

const overallSchema = z.object({
  data: z.array(z.object({ category: z.string(), date: z.string(), downloads: z.number().int().nonnegative() })),
});

/**
 * A package's dated samples from its /overall answer. Days before `now`'s UTC day only (today is
 * still being counted); a rolling sum whose window reaches before the reply's first day is left out
 * (not known), and a day the reply skips inside its range had no downloads.
 */
export function settleOverall(name: string, answer: HttpAnswer, apiUrl: string, now: number): BackfillStepResult {
  const failed = (error: string): BackfillStepResult => ({ kind: 'failed', error });
  if (isUnknownPackage(answer.status, answer.text)) {
    return { kind: 'unavailable', reason: `pypistats.org does not know the package '${name}' (404), so it has no download history — check pypi.packages` };
  }
  if (answer.status !== 200) return failed(failureOf(answer.status, answer.text, name, apiUrl, `the daily downloads of '${name}'`));
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return failed(`pypistats.org sent daily downloads of '${name}' that are not JSON: "${oneLine(answer.text)}" — backfilling again later`);
  }
  const parsed = overallSchema.safeParse(body);
  if (!parsed.success) return failed(`pypistats.org sent unexpected daily downloads for '${name}': data must list {category, date, downloads} (${oneLine(JSON.stringify(body))})`);
  const counts = new Map<number, number>();
  for (const entry of parsed.data.data) {
    if (entry.category !== 'without_mirrors') continue;
    const day = dayNumberOf(entry.date);
    if (day === null || counts.has(day)) return failed(`pypistats.org sent a day "${oneLine(entry.date)}" for '${name}' that is not a date, or twice — backfilling again later`);
    counts.set(day, entry.downloads);
  }
  const today = utcDayNumber(now);
  const days = [...counts.keys()].filter((day) => day < today);
  if (days.length === 0) return { kind: 'progress', samples: [], cursor: null, doneUnits: PYPI_HISTORY_DAYS, totalUnits: PYPI_HISTORY_DAYS };
  const first = Math.min(...days);
  const last = Math.max(...days);
  const valueOn = (day: number) => counts.get(day) ?? 0;
  const samples: DatedSample[] = [];
  for (let day = first; day <= last; day++) {
    for (const period of PERIODS) {
      const value = rollingSum(valueOn, day, period.days, first);
      if (value !== null) samples.push({ metric: 'pypi_package_downloads', labels: { package: name, period: period.label }, value, time: endOfUtcDay(day * DAY_MS) });
    }
  }
  return { kind: 'progress', samples, cursor: null, doneUnits: PYPI_HISTORY_DAYS, totalUnits: PYPI_HISTORY_DAYS };
}

export interface PypiBackfillOptions {
  /** The clock (epoch ms): which day is today. */
  readonly now?: () => number;
}

export function createPypiBackfiller(config: PypiConfig, tuning: PypiTuning, options: PypiBackfillOptions = {}): Backfiller {
  const now = options.now ?? Date.now;
  return singleReplyBackfiller({
    api: PYPI_API,
    section: 'pypi',
    listKey: 'packages',
    apiUrl: config.apiUrl,
    targets: config.packages,
    taskKey: (name) => `downloads:${name}`,
    title: (name) => `${name} daily downloads`,
    days: PYPI_HISTORY_DAYS,
    spacingMs: tuning.spacingMs,
    requestTimeoutMs: tuning.requestTimeoutMs,
    // Rate limits go to the backfill runner at once: it obeys their time.
    send: (name, ctx) => pypiHttp(ctx, ctx.signal, { ...tuning, maxRateLimitWaitMs: 0 }).send({
      url: `${config.apiUrl}/api/packages/${encodeURIComponent(name)}/overall?mirrors=false`,
      what: `daily downloads of '${name}'`,
    }),
    settle: (name, answer) => settleOverall(name, answer, config.apiUrl, now()),
  });
}
