// The API budget the health view shows, from the budget metrics a source declares. A source may report
// several budgets (GitHub: one per rate-limit resource, told apart by a label): the scarcest is shown,
// since it is the one that stops the source first.
// And whether the budget covers the configured interval: what the last poll spent, times the polls an
// hour, against the hourly limit; when it does not, the interval that fits (start-up hint and Health).
import type { SourceHealth } from '../../shared/api.js';
import { formatDuration } from '../../shared/duration.js';
import type { Labels } from '../../shared/metrics.js';
import { MAX_INTERVAL_MS } from './duration.js';
import type { SourceModule } from './source.js';

interface BudgetPoint {
  readonly metric: string;
  readonly labels: Labels;
  readonly value: number;
}

type BudgetNames = NonNullable<SourceModule['budget']>;

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
/** Intervals a person would write, up to a day; longer ones are whole days. */
const CLEAN_INTERVALS_MS = [1, 2, 3, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 360, 480, 720, 1_440].map((minutes) => minutes * MINUTE_MS);
const DAY_MS = 86_400_000;

function labelKey(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}

/** The budget figures of each label set (GitHub: each rate-limit resource). */
function budgetGroups(points: readonly BudgetPoint[], names: BudgetNames) {
  const groups = new Map<string, { labels: Labels; limit?: number; remaining?: number; reset?: number; spent?: number }>();
  for (const point of points) {
    const field = point.metric === names.limit ? 'limit'
      : point.metric === names.remaining ? 'remaining'
        : point.metric === names.resetSeconds ? 'reset'
          : point.metric === names.spentPerPoll ? 'spent' : null;
    if (field === null) continue;
    const key = labelKey(point.labels);
    groups.set(key, { labels: point.labels, ...groups.get(key), [field]: point.value });
  }
  return [...groups.values()];
}

export function apiBudgetOf(points: readonly BudgetPoint[], names: BudgetNames): SourceHealth['apiBudget'] {
  let scarcest: SourceHealth['apiBudget'] = null;
  for (const { limit, remaining, reset } of budgetGroups(points, names)) {
    if (limit === undefined || remaining === undefined) continue;
    const share = limit > 0 ? remaining / limit : 0;
    if (scarcest === null || share < (scarcest.limit > 0 ? scarcest.remaining / scarcest.limit : 0)) {
      scarcest = { limit, remaining, resetAt: reset === undefined ? null : reset * 1000 };
    }
  }
  return scarcest;
}

/** The shortest clean interval (1m, 2m, 5m … 45m, 1h, 1h30m … 12h, 1d, then whole days) at least `ms` long. */
export function cleanIntervalAtLeast(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`cleanIntervalAtLeast needs a non-negative number of milliseconds, not ${ms}`);
  return CLEAN_INTERVALS_MS.find((clean) => clean >= ms) ?? Math.ceil(ms / DAY_MS) * DAY_MS;
}

export interface PollBudgetShortfall {
  /** The budget's labels in words, e.g. `"graphql"`; empty for a source with one budget. */
  readonly budget: string;
  readonly spentPerPoll: number;
  readonly limitPerHour: number;
  /** What polling every `intervalMs` spends an hour. */
  readonly neededPerHour: number;
  readonly intervalMs: number;
  /** The shortest clean interval whose polls the hourly limit covers. */
  readonly fittingIntervalMs: number;
}

/**
 * Budgets that polling every `intervalMs` overspends: a poll's spending times the polls an hour above
 * the hourly limit. A budget without a figure for the last poll (none stored yet) is not judged.
 */
export function pollBudgetShortfalls(points: readonly BudgetPoint[], names: BudgetNames, intervalMs: number): PollBudgetShortfall[] {
  if (names.spentPerPoll === undefined || !(intervalMs > 0)) return [];
  const shortfalls: PollBudgetShortfall[] = [];
  for (const { labels, limit, spent } of budgetGroups(points, names)) {
    if (limit === undefined || spent === undefined || limit <= 0 || spent <= 0) continue;
    const neededPerHour = Math.ceil((spent * HOUR_MS) / intervalMs);
    if (neededPerHour <= limit) continue;
    shortfalls.push({
      budget: Object.values(labels).map((value) => `"${value}"`).join(', '),
      spentPerPoll: spent,
      limitPerHour: limit,
      neededPerHour,
      intervalMs,
      fittingIntervalMs: cleanIntervalAtLeast(Math.ceil((spent * HOUR_MS) / limit)),
    });
  }
  return shortfalls;
}

const count = (value: number) => value.toLocaleString('en-US');

/** The shortfall in plain words, naming the interval that fits and the key to set. */
export function pollBudgetMessage(sourceId: string, shortfall: PollBudgetShortfall): string {
  const budget = shortfall.budget === '' ? 'API budget' : `${shortfall.budget} API budget`;
  const fitting = formatDuration(shortfall.fittingIntervalMs);
  const advice = shortfall.fittingIntervalMs <= MAX_INTERVAL_MS
    ? `an interval of ${fitting} fits: set ${sourceId}.interval: ${fitting}`
    : `only an interval of ${fitting} would fit, longer than the longest allowed (${formatDuration(MAX_INTERVAL_MS)}): poll fewer targets, or give the source credentials with a larger budget`;
  return `${sourceId}: a poll spends ${count(shortfall.spentPerPoll)} of the ${budget}, so polling every ${formatDuration(shortfall.intervalMs)} ` +
    `needs ${count(shortfall.neededPerHour)} an hour, more than the ${count(shortfall.limitPerHour)} the API allows — ` +
    `the budget runs out before the hour ends; ${advice}`;
}
