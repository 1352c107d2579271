// Milestones worth a notification: a repository's stars or an image's pulls (or their totals)
// crossing a threshold, and a big jump within 24 hours. Detection only compares values the app has
// seen itself, so the first collection after start (or of a new repository) never announces
// anything: what was reached while the app was not watching is not news.
import type { LatestSeries } from '../../../shared/api.js';
import { BADGE_TOTALS, seriesName, type BadgeTotal } from '../tray/badge.js';
import { fullNumber, compactNumber } from '../../../shared/compact-number.js';
import type { NotificationSettings } from '../settings/settings.js';

export interface Milestone {
  /** Announced once: "stars:<series>:1000", "total:stars:10000", "jump:<series>:2026-07-01". */
  readonly key: string;
  /** Lower thresholds crossed in the same step; they count as announced too. */
  readonly covers: readonly string[];
  readonly title: string;
  readonly body: string;
  /** The series to open when the notification is clicked. */
  readonly seriesId: number | null;
}

const TRACKED: Readonly<Record<string, BadgeTotal>> = {
  [BADGE_TOTALS.stars.metric]: 'stars',
  [BADGE_TOTALS.pulls.metric]: 'pulls',
};

export type MilestoneRules = Pick<NotificationSettings, 'starMilestones' | 'pullMilestones' | 'dailyStarJump' | 'dailyPullJump'>;

function thresholdsFor(kind: BadgeTotal, rules: MilestoneRules): readonly number[] {
  return kind === 'stars' ? rules.starMilestones : rules.pullMilestones;
}

function crossed(previous: number, current: number, thresholds: readonly number[]): number[] {
  return thresholds.filter((threshold) => previous < threshold && threshold <= current).sort((a, b) => a - b);
}

/**
 * Thresholds crossed since the values last seen (`previous`: "series:<id>" / "total:<kind>" → value).
 * Returns the milestones (one per series: the highest threshold crossed) and the values to remember.
 */
export function detectMilestones(previous: ReadonlyMap<string, number>, latest: readonly LatestSeries[], rules: MilestoneRules): { milestones: Milestone[]; seen: Map<string, number> } {
  const seen = new Map(previous);
  const milestones: Milestone[] = [];
  const consider = (memoryKey: string, keyPrefix: string, value: number, kind: BadgeTotal, describe: (threshold: number) => Omit<Milestone, 'key' | 'covers'>) => {
    const before = previous.get(memoryKey);
    seen.set(memoryKey, value);
    if (before === undefined) return;
    const hits = crossed(before, value, thresholdsFor(kind, rules));
    const highest = hits.at(-1);
    if (highest === undefined) return;
    milestones.push({ key: `${keyPrefix}:${highest}`, covers: hits.slice(0, -1).map((threshold) => `${keyPrefix}:${threshold}`), ...describe(highest) });
  };

  for (const kind of ['stars', 'pulls'] as const) {
    const { metric, noun, where } = BADGE_TOTALS[kind];
    const series = latest.filter((item) => item.metric === metric);
    // With a single repository (or image) its own milestone says it all.
    if (series.length < 2) continue;
    const total = series.reduce((sum, item) => sum + item.value, 0);
    consider(`total:${kind}`, `total:${kind}`, total, kind, (threshold) => ({
      title: `${compactNumber(threshold)} ${where} ${noun} in total`,
      body: `All your ${where} ${kind === 'stars' ? 'repositories' : 'images'} together passed ${fullNumber(threshold)} ${noun}: now ${fullNumber(total)}.`,
      seriesId: null,
    }));
  }
  const tracked = latest.filter((item) => item.metric in TRACKED).sort((a, b) => b.value - a.value);
  for (const series of tracked) {
    const kind = TRACKED[series.metric]!;
    const { noun, where } = BADGE_TOTALS[kind];
    consider(`series:${series.id}`, `${kind}:${series.id}`, series.value, kind, (threshold) => ({
      title: `${seriesName(series)} reached ${compactNumber(threshold)} ${noun}`,
      body: `${seriesName(series)} passed ${fullNumber(threshold)} ${where} ${noun}: now ${fullNumber(series.value)}.`,
      seriesId: series.id,
    }));
  }
  return { milestones, seen };
}

/** The local calendar day, "2026-07-01": a jump is announced at most once a day per series. */
export function localDay(time: number): string {
  const date = new Date(time);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

/** Big gains within 24 hours (`dayChanges`: series id → change over the last 24 hours). */
export function detectJumps(latest: readonly LatestSeries[], dayChanges: ReadonlyMap<number, number>, rules: MilestoneRules, now: number): Milestone[] {
  return latest.flatMap((series) => {
    const kind = TRACKED[series.metric];
    if (!kind) return [];
    const limit = kind === 'stars' ? rules.dailyStarJump : rules.dailyPullJump;
    const change = dayChanges.get(series.id);
    if (limit <= 0 || change === undefined || change < limit) return [];
    const { noun, where } = BADGE_TOTALS[kind];
    return [{
      key: `jump:${series.id}:${localDay(now)}`,
      covers: [],
      title: `${seriesName(series)}: +${compactNumber(change)} ${noun} in 24 hours`,
      body: `${seriesName(series)} gained ${fullNumber(change)} ${where} ${noun} in the last 24 hours (now ${fullNumber(series.value)}).`,
      seriesId: series.id,
    }];
  });
}
