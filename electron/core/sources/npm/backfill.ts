// The npm source's history: each package's downloads per day from /downloads/range (data from
// 2015-01-10), read newest first back to the package's first downloads, and stored in the series the
// live poll writes: npm_package_downloads{period="last_day"} is that day's count and "last_week" /
// "last_month" the 7 / 30 days ending with it, each at the end of its UTC day (what the poll reads
// the morning after).
//
// Requests: unscoped packages at the same place of their walk share bulk requests (at most 128 names
// and 365 days); a scoped package, or one alone, asks for 540 days (the API allows 18 months). The
// first request of a walk asks for "last-year", so it ends at the last day whose counts have landed:
// a day npm has not counted yet (it reads 0) is never stored.
import { z } from 'zod';
import type { Labels } from '../../../../shared/metrics.js';
import { endOfUtcDay } from '../../backfill/contract.js';
import type { BackfillStepResult, BackfillTask, BackfillWork, Backfiller, DatedSample } from '../../backfill/contract.js';
import { RateLimitedError } from '../../source.js';
import type { CollectContext } from '../../source.js';
import type { HttpAnswer, HttpClient } from '../common/http-client.js';
import { dayNumberOf, isoDayOf, utcDayNumber } from '../common/calendar-days.js';
import { withCollectionSignal } from '../common/collection-signal.js';
import { chunk, mapWithConcurrency } from '../common/concurrency.js';
import { decodeWalk, encodeWalk, rollingSum, settleRange } from '../common/daily-history.js';
import type { DailyWalk } from '../common/daily-history.js';
import { HttpError } from '../common/http-client.js';
import { oneLine } from '../common/one-line.js';
import { apiMessageOf, isUnknownPackage, MAX_BULK_PACKAGES, npmHttp } from './api.js';
import type { NpmTuning } from './api.js';
import type { NpmConfig } from './config.js';

/** The first day the downloads API has counts for. */
export const NPM_DATA_START = dayNumberOf('2015-01-10')!;
/** Days one bulk range may span (the API's limit). */
export const BULK_RANGE_DAYS = 365;
/** Days one single-package range spans: under the API's 18 months in every calendar. */
export const SINGLE_RANGE_DAYS = 540;
/** Older days fetched with each range so that every stored day's 30-day sum comes from one reply. */
const OVERLAP_DAYS = 29;
const PERIODS = [
  { label: 'last_day', days: 1 },
  { label: 'last_week', days: 7 },
  { label: 'last_month', days: 30 },
] as const;
const DAY_MS = 86_400_000;

const rangeEntrySchema = z.object({
  start: z.string(),
  end: z.string(),
  downloads: z.array(z.object({ day: z.string(), downloads: z.number().int().nonnegative() })),
});

type RangeEntry = z.infer<typeof rangeEntrySchema>;

function taskKey(name: string): string {
  return `downloads:${name}`;
}

function failed(error: string): BackfillStepResult {
  return { kind: 'failed', error };
}

/** Requests one package's walk costs at most (back to 2015-01-10), when it moves alone. */
function requestsAlone(days: number, rangeDays: number): number {
  const firstStores = BULK_RANGE_DAYS - OVERLAP_DAYS;
  return 1 + Math.max(0, Math.ceil((days - firstStores) / (rangeDays - OVERLAP_DAYS)));
}

/** One package of a request: where its walk stands (null: not started). */
interface Item {
  readonly index: number;
  readonly name: string;
  readonly walk: DailyWalk | null;
}

/**
 * A package's samples from one range reply, and where its walk goes on. `now` bounds the newest day
 * (never today or later), whatever the reply says.
 */
export function settlePackage(name: string, walk: DailyWalk | null, entry: RangeEntry, now: number): BackfillStepResult {
  const start = dayNumberOf(entry.start);
  const end = dayNumberOf(entry.end);
  if (start === null || end === null || end < start) return failed(`the npm downloads API sent a range for '${name}' with unreadable dates (${oneLine(`${entry.start}:${entry.end}`)}) — backfilling it again later`);
  if (walk !== null && end !== walk.end) return failed(`the npm downloads API answered days up to ${entry.end} for '${name}' when asked up to ${isoDayOf(walk.end)} — backfilling it again later`);
  const counts = new Map<number, number>();
  for (const { day, downloads } of entry.downloads) {
    const number = dayNumberOf(day);
    if (number === null || number < start || number > end || counts.has(number)) {
      return failed(`the npm downloads API sent a day "${oneLine(day)}" for '${name}' that is not once in its range ${entry.start}:${entry.end} — backfilling it again later`);
    }
    counts.set(number, downloads);
  }
  const top = walk?.top ?? Math.min(end, utcDayNumber(now) - 1);
  const storeTo = walk?.end ?? top;
  // The reply starts at the API's first day: nothing older exists, so its days are stored from there.
  const storeFrom = start <= NPM_DATA_START ? NPM_DATA_START : start + OVERLAP_DAYS;
  if (storeFrom > storeTo) return failed(`the npm downloads API sent too short a range for '${name}' (${entry.start}:${entry.end}) — backfilling it again later`);
  const valueOn = (day: number) => counts.get(day) ?? 0;
  let firstData: number | null = null;
  for (let day = start; day <= storeTo && firstData === null; day++) if (valueOn(day) > 0) firstData = day;

  const settled = settleRange({ top, held: walk?.held ?? 0, stop: NPM_DATA_START }, storeFrom, storeTo, firstData);
  const samples: DatedSample[] = [];
  const push = (day: number, label: string, value: number) => {
    const labels: Labels = { package: name, period: label };
    samples.push({ metric: 'npm_package_downloads', labels, value, time: endOfUtcDay(day * DAY_MS) });
  };
  if (settled.days) {
    for (let day = settled.days.from; day <= settled.days.to; day++) {
      for (const period of PERIODS) {
        // A window reaching before 2015-01-10 is not known: that day's sum is left out.
        const value = rollingSum(valueOn, day, period.days, start);
        if (value !== null) push(day, period.label, value);
      }
    }
  }
  if (settled.zeros) for (let day = settled.zeros.from; day <= settled.zeros.to; day++) for (const period of PERIODS) push(day, period.label, 0);
  return {
    kind: 'progress',
    samples,
    cursor: settled.next ? encodeWalk(settled.next) : null,
    doneUnits: settled.doneDays,
    totalUnits: settled.next ? top - NPM_DATA_START + 1 : settled.doneDays,
  };
}

export interface NpmBackfillOptions {
  /** The clock (epoch ms): which day is yesterday. */
  readonly now?: () => number;
}

export function createNpmBackfiller(config: NpmConfig, tuning: NpmTuning, options: NpmBackfillOptions = {}): Backfiller {
  const now = options.now ?? Date.now;
  const unscoped = config.packages.filter((name) => !name.startsWith('@'));

  /**
   * One GET with the live poll's patience (the shared client: retried after a 5xx or a connection
   * error); no answer at all throws (the whole step waits for the next run), and so does a timeout at
   * once: npm hanging is not helped by asking again. A rate limit is never waited for here: the
   * backfill runner obeys its retryAt.
   */
  async function get(http: HttpClient, url: string, what: string): Promise<HttpAnswer> {
    try {
      return await http.send({ url, what });
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      if (error.retryAt !== null) {
        throw new RateLimitedError(`the npm downloads API rate limit was hit; backfilling again after ${new Date(error.retryAt).toISOString()}`, error.retryAt);
      }
      if (error.timedOut) throw new Error(`the npm downloads API gave no answer within ${tuning.requestTimeoutMs / 1000}s to ${what} — backfilling again later`, { cause: error });
      throw new Error(`the npm downloads API could not be reached at ${config.apiUrl} for ${what} (${error.problem}) — backfilling again later`, { cause: error });
    }
  }

  /** One range request for packages at the same place of their walks; a result per package. */
  async function fetchRange(items: readonly Item[], http: HttpClient): Promise<BackfillStepResult[]> {
    const bulk = items.length > 1;
    const walk = items[0]!.walk;
    const period = walk === null ? 'last-year' : `${isoDayOf(Math.max(NPM_DATA_START, walk.end - (bulk ? BULK_RANGE_DAYS : SINGLE_RANGE_DAYS) + 1))}:${isoDayOf(walk.end)}`;
    const names = items.map((item) => item.name);
    const what = bulk ? `daily downloads ${period} of ${names.length} packages` : `daily downloads ${period} of '${names[0]}'`;
    const answer = await get(http, `${config.apiUrl}/downloads/range/${period}/${names.join(',')}`, what);
    const all = (result: BackfillStepResult) => items.map(() => result);
    if (answer.status === 404) {
      if (!bulk && isUnknownPackage(answer.status, answer.text)) {
        return all({ kind: 'unavailable', reason: `npm does not know the package '${names[0]}' (404), so it has no download history — check npm.packages` });
      }
      return all(failed(`${config.apiUrl} answered 404 (${apiMessageOf(answer.text)}) instead of daily downloads — check npm.apiUrl`));
    }
    if (answer.status !== 200) {
      const hint = answer.status >= 500 ? ' — npm is having trouble; backfilling again later' : '';
      return all(failed(`the npm downloads API answered ${answer.status} to ${what}: ${apiMessageOf(answer.text)}${hint}`));
    }
    let body: unknown;
    try {
      body = JSON.parse(answer.text);
    } catch {
      return all(failed(`the npm downloads API sent a reply to ${what} that is not JSON: "${oneLine(answer.text)}"`));
    }
    const entryOf = (value: unknown, name: string): BackfillStepResult | RangeEntry => {
      if (value === null) return { kind: 'unavailable', reason: `npm does not know the package '${name}', so it has no download history — check npm.packages` };
      if (value === undefined) return failed(`the npm downloads API left '${name}' out of its reply to ${what} — backfilling it again later`);
      const parsed = rangeEntrySchema.safeParse(value);
      return parsed.success ? parsed.data : failed(`the npm downloads API sent an unexpected range for '${name}': ${oneLine(JSON.stringify(value))}`);
    };
    if (bulk && (typeof body !== 'object' || body === null || Array.isArray(body))) {
      return all(failed(`the npm downloads API sent a bulk reply to ${what} that is not an object keyed by package: ${oneLine(JSON.stringify(body))}`));
    }
    return items.map((item) => {
      const value = bulk ? (Object.hasOwn(body as object, item.name) ? (body as Record<string, unknown>)[item.name] : undefined) : body;
      const entry = entryOf(value, item.name);
      return 'kind' in entry ? entry : settlePackage(item.name, item.walk, entry, now());
    });
  }

  return {
    batchSize: MAX_BULK_PACKAGES,

    async plan() {
      const days = utcDayNumber(now()) - NPM_DATA_START;
      const tasks: BackfillTask[] = config.packages.map((name) => {
        const inBulk = !name.startsWith('@') && unscoped.length > 1;
        // Bulk requests are shared: each package of a full bulk costs a part of one.
        const requests = inBulk ? requestsAlone(days, BULK_RANGE_DAYS) / Math.min(unscoped.length, MAX_BULK_PACKAGES) : requestsAlone(days, SINGLE_RANGE_DAYS);
        return { key: taskKey(name), title: `${name} daily downloads`, target: name, totalUnits: days, estimatedRequests: requests };
      });
      return { tasks };
    },

    async step(work: readonly BackfillWork[], ctx: CollectContext) {
      const results = new Array<BackfillStepResult>(work.length);
      const groups = new Map<string, Item[]>();
      const singles: Item[][] = [];
      work.forEach((entry, index) => {
        const name = entry.task.target;
        if (!config.packages.includes(name)) {
          results[index] = { kind: 'unavailable', reason: `'${name}' is no longer listed under npm.packages` };
          return;
        }
        const walk = entry.cursor === null ? null : decodeWalk(entry.cursor);
        if (entry.cursor !== null && walk === null) ctx.log.warn({ task: entry.task.key, cursor: entry.cursor }, 'npm backfill cursor unreadable; starting the package over');
        const item = { index, name, walk };
        if (name.startsWith('@')) return void singles.push([item]);
        const place = walk === null ? 'start' : `${walk.end}`;
        groups.set(place, [...(groups.get(place) ?? []), item]);
      });
      const requests = [...[...groups.values()].flatMap((items) => chunk(items, MAX_BULK_PACKAGES)), ...singles];
      // A rate limit ends the step: its own signal stops the requests still in flight.
      const answered = await withCollectionSignal(ctx.signal, (controller) => {
        // A step is a run of its own for the client's outage guard; rate limits go to the runner at once.
        const http = npmHttp(ctx, controller.signal, { ...tuning, maxRateLimitWaitMs: 0 }, now);
        return mapWithConcurrency(requests, tuning.concurrency, (items) => fetchRange(items, http));
      });
      requests.forEach((items, request) => items.forEach((item, position) => void (results[item.index] = answered[request]![position]!)));
      return { results };
    },
  };
}
