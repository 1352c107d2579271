// The GA4 source's history: per property, users, new users, sessions and page views day by day (a
// runReport by `date`), read newest first from yesterday back to `ga4.backfillDays` days or the
// property's first day with data, 90 days per request. Stored in the series the live poll writes, at
// the end of each day in the property's time zone, when the poll's periods move on:
// - period="yesterday": that day's figures (what the poll reads all the next day);
// - period="last_28_days": the 28 days ending with it: distinct users from GA4's active28DayUsers,
//   the other figures summed over the days.
// period="today" (a day still counting) has no day-resolution past and is left to the poll.
import type { Labels } from '../../../../shared/metrics.js';
import type { ApiBudget, BackfillStepResult, BackfillTask, BackfillWork, Backfiller, DatedSample } from '../../backfill/contract.js';
import { RateLimitedError } from '../../source.js';
import type { CollectContext } from '../../source.js';
import { endOfZonedDay, isoDayOf, isTimeZone, zonedDayNumber } from '../common/calendar-days.js';
import { decodeWalk, encodeWalk, rollingSum, settleRange } from '../common/daily-history.js';
import type { DailyWalk } from '../common/daily-history.js';
import type { Ga4Config } from './config.js';
import type { DataApiClient } from './data-api.js';
import { apiFailureMessage, GoogleApiError, MalformedResponseError } from './errors.js';
import type { PropertyFailureContext } from './errors.js';
import { DAILY_METRIC_NAMES } from './metrics.js';
import { nextFullHour, nextPacificMidnight, quotaRetryAt } from './quota-reset.js';
import { DAILY_METRICS, readTable } from './reports.js';
import type { QuotaRemaining } from './reports.js';
import type { HttpTuning } from '../common/http-client.js';
import { callContext } from './http.js';
import type { CallContext } from './http.js';

/** Days stored per request. */
export const CHUNK_DAYS = 90;
/** Older days fetched with each range, so every stored day's 28-day sums come from one reply. */
const OVERLAP_DAYS = 27;
const ROLLING_DAYS = 28;
const HISTORY_METRICS = [...DAILY_METRICS, 'active28DayUsers'] as const;
/** Pages of one range: a day is one row, so more means a reply that does not add up. */
const MAX_PAGES = 20;
/** Standard properties' core quota (Analytics 360 has ten times as much). */
const STANDARD_TOKENS = { perHour: 40_000, perDay: 200_000 };

type HistoryMetric = (typeof HISTORY_METRICS)[number];
type DayFigures = Readonly<Record<HistoryMetric, number>>;

export interface Ga4BackfillDeps {
  readonly client: DataApiClient;
  readonly config: Ga4Config;
  readonly now: () => number;
  readonly failureContext: (propertyId: string) => PropertyFailureContext;
  /** The live poll's patience, for the step's own HTTP client. */
  readonly tuning: HttpTuning;
}

interface DayReport {
  /** Figures by day number, days with data only. */
  readonly days: Map<number, DayFigures>;
  readonly timeZone: string;
  readonly quota: QuotaRemaining;
}

function taskKey(propertyId: string): string {
  return `daily:${propertyId}`;
}

/** The scarcer of the property's hourly and daily tokens, as the runner's budget. */
function budgetOf(propertyId: string, quota: QuotaRemaining, now: number): ApiBudget | undefined {
  const limitFor = (remaining: number, standard: number) => (remaining > standard ? standard * 10 : standard);
  const budgets: ApiBudget[] = [];
  if (quota.tokensPerHour !== null) {
    budgets.push({ resource: `property ${propertyId} tokens per hour`, limit: limitFor(quota.tokensPerHour, STANDARD_TOKENS.perHour), remaining: quota.tokensPerHour, resetAt: nextFullHour(now) });
  }
  if (quota.tokensPerDay !== null) {
    budgets.push({ resource: `property ${propertyId} tokens per day`, limit: limitFor(quota.tokensPerDay, STANDARD_TOKENS.perDay), remaining: quota.tokensPerDay, resetAt: nextPacificMidnight(now) });
  }
  return budgets.sort((a, b) => a.remaining / a.limit - b.remaining / b.limit)[0];
}

/** "20250526" → day number; null when it is not a date. */
function dayOfDimension(text: string): number | null {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!match) return null;
  const time = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  const day = time / 86_400_000;
  return isoDayOf(day) === `${match[1]}-${match[2]}-${match[3]}` ? day : null;
}

export function createGa4Backfiller(deps: Ga4BackfillDeps): Backfiller {
  const { client, config, now } = deps;

  /** The property's figures by day over one date range, page by page. */
  async function fetchDays(propertyId: string, startDate: string, endDate: string, days: number, ctx: CallContext): Promise<DayReport> {
    const what = `runReport (daily history ${startDate}..${endDate}) for property ${propertyId}`;
    const figures = new Map<number, DayFigures>();
    let timeZone: string | null = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const body = {
        dateRanges: [{ startDate, endDate }],
        dimensions: [{ name: 'date' }],
        metrics: HISTORY_METRICS.map((name) => ({ name })),
        orderBys: [{ dimension: { dimensionName: 'date' } }],
        // int64 fields travel as JSON strings; a day is one row.
        limit: String(days),
        offset: String(figures.size),
        returnPropertyQuota: true,
      };
      const reply = await client.call(propertyId, 'runReport', body, ctx);
      const table = readTable(reply, 'analyticsData#runReport', HISTORY_METRICS, what);
      const dateColumn = table.dimensions.indexOf('date');
      if (table.rows.length > 0 && dateColumn < 0) throw new MalformedResponseError(`${what}: the rows have no date`);
      for (const row of table.rows) {
        const day = dayOfDimension(row.dimensions[dateColumn]!);
        if (day === null || figures.has(day)) throw new MalformedResponseError(`${what}: a row's date "${row.dimensions[dateColumn]!.slice(0, 20)}" is not a day, or not once in the reply`);
        if (row.values.some((value) => value < 0)) throw new MalformedResponseError(`${what}: a figure of ${isoDayOf(day)} is negative`);
        figures.set(day, Object.fromEntries(HISTORY_METRICS.map((metric) => [metric, row.values[table.metrics.indexOf(metric)]!])) as DayFigures);
      }
      const metadata = (reply as { metadata?: { timeZone?: unknown } }).metadata;
      if (typeof metadata?.timeZone === 'string') timeZone = metadata.timeZone;
      const rowCount = (reply as { rowCount?: unknown }).rowCount;
      const total = typeof rowCount === 'number' ? rowCount : Number(rowCount ?? 0);
      if (figures.size >= total) {
        if (timeZone === null || !isTimeZone(timeZone)) throw new MalformedResponseError(`${what}: the reply does not name the property's time zone (metadata.timeZone)`);
        // The last page has the freshest quota.
        return { days: figures, timeZone, quota: table.quota };
      }
      if (table.rows.length === 0) throw new MalformedResponseError(`${what}: rowCount is ${total}, but a page after ${figures.size} rows is empty`);
    }
    throw new MalformedResponseError(`${what}: more than ${MAX_PAGES} pages for ${days} days`);
  }

  /** Stores one reply's days and says where the walk goes on. */
  function settle(propertyId: string, walk: Pick<DailyWalk, 'top' | 'held' | 'stop'>, report: DayReport, storeFrom: number, storeTo: number): BackfillStepResult {
    const fetchedFrom = storeFrom - OVERLAP_DAYS;
    for (const day of report.days.keys()) {
      if (day < fetchedFrom || day > storeTo) {
        return { kind: 'failed', error: `Google's reply cannot be read: runReport (daily history) for property ${propertyId} sent ${isoDayOf(day)}, outside ${isoDayOf(fetchedFrom)}..${isoDayOf(storeTo)} — backfilling it again later` };
      }
    }
    const firstData = report.days.size === 0 ? null : Math.min(...report.days.keys());
    const settled = settleRange(walk, storeFrom, storeTo, firstData);
    const samples: DatedSample[] = [];
    const push = (day: number, metric: string, period: string, value: number) => {
      const labels: Labels = { property: propertyId, period };
      samples.push({ metric, labels, value, time: endOfZonedDay(day, report.timeZone) });
    };
    const on = (metric: HistoryMetric) => (day: number) => report.days.get(day)?.[metric] ?? 0;
    if (settled.days) {
      for (let day = settled.days.from; day <= settled.days.to; day++) {
        for (const metric of DAILY_METRICS) {
          push(day, DAILY_METRIC_NAMES[metric], 'yesterday', on(metric)(day));
          // Distinct users do not add up over days: GA4 counts the 28 days itself.
          const window = metric === 'activeUsers' ? on('active28DayUsers')(day) : rollingSum(on(metric), day, ROLLING_DAYS, fetchedFrom);
          if (window !== null) push(day, DAILY_METRIC_NAMES[metric], 'last_28_days', window);
        }
      }
    }
    if (settled.zeros) {
      for (let day = settled.zeros.from; day <= settled.zeros.to; day++) {
        for (const metric of DAILY_METRICS) for (const period of ['yesterday', 'last_28_days']) push(day, DAILY_METRIC_NAMES[metric], period, 0);
      }
    }
    return {
      kind: 'progress',
      samples,
      cursor: settled.next ? encodeWalk(settled.next) : null,
      doneUnits: settled.doneDays,
      totalUnits: settled.next ? walk.top - walk.stop + 1 : settled.doneDays,
    };
  }

  /** The first range: dates relative to the property's today, which its time zone (in the reply) pins down. */
  async function firstStep(propertyId: string, ctx: CallContext): Promise<{ result: BackfillStepResult; quota: QuotaRemaining }> {
    const span = Math.min(CHUNK_DAYS, config.backfillDays);
    const before = now();
    let report = await fetchDays(propertyId, `${span + OVERLAP_DAYS}daysAgo`, 'yesterday', span + OVERLAP_DAYS, ctx);
    const after = now();
    const today = zonedDayNumber(after, report.timeZone);
    if (zonedDayNumber(before, report.timeZone) !== today) {
      // Midnight passed while Google answered: which "yesterday" it meant is unknown, so ask again by date.
      report = await fetchDays(propertyId, isoDayOf(today - span - OVERLAP_DAYS), isoDayOf(today - 1), span + OVERLAP_DAYS, ctx);
    }
    const walk = { top: today - 1, held: 0, stop: today - config.backfillDays };
    return { result: settle(propertyId, walk, report, today - span, today - 1), quota: report.quota };
  }

  async function nextStep(propertyId: string, walk: DailyWalk, ctx: CallContext): Promise<{ result: BackfillStepResult; quota: QuotaRemaining }> {
    const storeFrom = Math.max(walk.stop, walk.end - CHUNK_DAYS + 1);
    const report = await fetchDays(propertyId, isoDayOf(storeFrom - OVERLAP_DAYS), isoDayOf(walk.end), walk.end - storeFrom + 1 + OVERLAP_DAYS, ctx);
    return { result: settle(propertyId, walk, report, storeFrom, walk.end), quota: report.quota };
  }

  /** One property's step; what fails only this property is its result, the rest is thrown. */
  async function stepProperty(work: BackfillWork, ctx: CallContext): Promise<{ result: BackfillStepResult; quota: QuotaRemaining | null }> {
    const propertyId = work.task.target;
    if (!config.properties.includes(propertyId)) return { result: { kind: 'unavailable', reason: `property ${propertyId} is no longer listed under ga4.properties` }, quota: null };
    const walk = work.cursor === null ? null : decodeWalk(work.cursor);
    if (work.cursor !== null && walk === null) ctx.log.warn({ task: work.task.key, cursor: work.cursor }, 'GA4 backfill cursor unreadable; starting the property over');
    try {
      return walk === null ? await firstStep(propertyId, ctx) : await nextStep(propertyId, walk, ctx);
    } catch (error) {
      if (error instanceof GoogleApiError) {
        if (error.status === 429) {
          const retryAt = quotaRetryAt(error.apiMessage, now());
          throw new RateLimitedError(`the GA4 quota of property ${propertyId} is exhausted (${error.apiMessage}); backfilling again after ${new Date(retryAt).toISOString()}`, retryAt);
        }
        const message = apiFailureMessage(error, deps.failureContext(propertyId));
        // No access, no such property: not a failure of the backfill, and retrying will not help until the setup changes.
        if (error.status === 403 || error.status === 404) return { result: { kind: 'unavailable', reason: message }, quota: null };
        return { result: { kind: 'failed', error: message }, quota: null };
      }
      if (error instanceof MalformedResponseError) return { result: { kind: 'failed', error: `Google's reply cannot be read: ${error.message}` }, quota: null };
      // Unreachable, credentials refused, stopped: the whole step.
      throw error;
    }
  }

  return {
    async plan() {
      const tasks: BackfillTask[] = config.properties.map((propertyId) => ({
        key: taskKey(propertyId),
        title: `property ${propertyId} daily users, sessions and page views`,
        target: propertyId,
        totalUnits: config.backfillDays,
        estimatedRequests: Math.ceil(config.backfillDays / CHUNK_DAYS),
      }));
      return { tasks };
    },

    async step(work: readonly BackfillWork[], collectContext: CollectContext) {
      // A step is a run of its own for the client's outage guard: once Google is down, the step stops retrying.
      const ctx = callContext(collectContext, collectContext.signal, deps.tuning);
      const results: BackfillStepResult[] = [];
      let budget: ApiBudget | undefined;
      for (const entry of work) {
        const { result, quota } = await stepProperty(entry, ctx);
        results.push(result);
        if (quota !== null) budget = budgetOf(entry.task.target, quota, now()) ?? budget;
      }
      return budget ? { results, budget } : { results };
    },
  };
}
