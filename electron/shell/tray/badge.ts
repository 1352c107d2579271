// What the tray badge shows: the user's chosen figure (total GitHub stars, total Docker Hub pulls,
// today's change of one of them, or one pinned series), computed from the core's latest values.
import type { LatestSeries } from '../../../shared/api.js';
import { compactNumber, fullNumber } from '../../../shared/compact-number.js';

export type BadgeTotal = 'stars' | 'pulls';

export type BadgeChoice =
  | { readonly kind: 'none' }
  | { readonly kind: 'total'; readonly of: BadgeTotal }
  | { readonly kind: 'today'; readonly of: BadgeTotal }
  | { readonly kind: 'series'; readonly seriesId: number };

export const DEFAULT_BADGE: BadgeChoice = { kind: 'total', of: 'stars' };

/** The series each total adds up, and what the total is called. */
export const BADGE_TOTALS: Readonly<Record<BadgeTotal, { readonly metric: string; readonly noun: string; readonly where: string }>> = {
  stars: { metric: 'github_repo_stars', noun: 'stars', where: 'GitHub' },
  pulls: { metric: 'docker_hub_image_pulls_total', noun: 'pulls', where: 'Docker Hub' },
};

/** Series a user may pin to the badge: the figures that grow and mean something on their own. */
const PINNABLE: Readonly<Record<string, string>> = {
  github_repo_stars: 'stars',
  github_repo_forks: 'forks',
  docker_hub_image_pulls_total: 'pulls',
  docker_hub_image_stars: 'stars',
  npm_package_downloads: 'downloads',
  ga4_active_users: 'users',
};

export interface BadgeFigure {
  /** Null when there is nothing to show yet (no data, or the pinned series is gone). */
  readonly value: number | null;
  /** A change, shown with "+". */
  readonly signed: boolean;
  /** In words for the tooltip, e.g. "12,345 GitHub stars". */
  readonly description: string;
}

/** What a series is about, without the metric: "acme/rocket", "acme/app", "@scope/pkg (7 days)". */
export function seriesName(series: Pick<LatestSeries, 'source' | 'metric' | 'labels'>): string {
  const { labels } = series;
  if (series.source === 'github' && labels.repo) return labels.user ? `${labels.user}/${labels.repo}` : labels.repo;
  if (series.source === 'dockerhub' && labels.image) {
    const namespace = labels.namespace ?? labels.user;
    return namespace ? `${namespace}/${labels.image}` : labels.image;
  }
  if (series.source === 'npm' && labels.package) return labels.period ? `${labels.package} (${labels.period.replace(/_/g, ' ')})` : labels.package;
  if (series.source === 'ga4' && labels.property) return labels.period ? `property ${labels.property} (${labels.period.replace(/_/g, ' ')})` : `property ${labels.property}`;
  const values = Object.values(labels).filter((value) => value !== '');
  return values.length > 0 ? values.join(' · ') : series.metric;
}

/** "acme/rocket stars" — a series with what it counts. */
export function seriesDisplayName(series: Pick<LatestSeries, 'source' | 'metric' | 'labels'>): string {
  const noun = PINNABLE[series.metric] ?? series.metric.replace(/_/g, ' ');
  return `${seriesName(series)} ${noun}`;
}

/** The series the choice is computed from (for "today", the ones whose changes are needed). */
export function badgeSeries(choice: BadgeChoice, latest: readonly LatestSeries[]): LatestSeries[] {
  switch (choice.kind) {
    case 'none':
      return [];
    case 'total':
    case 'today':
      return latest.filter((series) => series.metric === BADGE_TOTALS[choice.of].metric);
    case 'series':
      return latest.filter((series) => series.id === choice.seriesId);
  }
}

/**
 * The badge's figure. `todayChanges` maps series id → change since local midnight; it is needed
 * only for a "today" choice (series without an entry count as unchanged).
 */
export function badgeFigure(choice: BadgeChoice, latest: readonly LatestSeries[], todayChanges: ReadonlyMap<number, number> = new Map()): BadgeFigure {
  const series = badgeSeries(choice, latest);
  switch (choice.kind) {
    case 'none':
      return { value: null, signed: false, description: '' };
    case 'total': {
      const { noun, where } = BADGE_TOTALS[choice.of];
      if (series.length === 0) return { value: null, signed: false, description: `no ${where} ${noun} yet` };
      const total = series.reduce((sum, item) => sum + item.value, 0);
      return { value: total, signed: false, description: `${fullNumber(total)} ${where} ${noun}` };
    }
    case 'today': {
      const { noun, where } = BADGE_TOTALS[choice.of];
      if (series.length === 0) return { value: null, signed: false, description: `no ${where} ${noun} yet` };
      const change = series.reduce((sum, item) => sum + (todayChanges.get(item.id) ?? 0), 0);
      const sign = change > 0 ? '+' : '';
      return { value: change, signed: true, description: `${sign}${fullNumber(change)} ${where} ${noun} today` };
    }
    case 'series': {
      const pinned = series[0];
      if (!pinned) return { value: null, signed: false, description: 'the pinned series is no longer collected' };
      return { value: pinned.value, signed: false, description: `${seriesDisplayName(pinned)}: ${fullNumber(pinned.value)}` };
    }
  }
}

/** The badge's text: the compact figure, "--" when there is none, "" when the badge is off. */
export function badgeText(choice: BadgeChoice, figure: BadgeFigure): string {
  if (choice.kind === 'none') return '';
  return figure.value === null ? '--' : compactNumber(figure.value, { signed: figure.signed });
}

/** The largest pinnable series, for the "Pin a series" menu. */
export function pinCandidates(latest: readonly LatestSeries[], limit = 10): LatestSeries[] {
  return latest
    .filter((series) => series.metric in PINNABLE)
    .sort((a, b) => b.value - a.value || seriesDisplayName(a).localeCompare(seriesDisplayName(b)))
    .slice(0, limit);
}

/** Milliseconds since local midnight: the window of "today". */
export function msSinceLocalMidnight(now: Date): number {
  const midnight = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  return Math.max(1, now.getTime() - midnight.getTime());
}
