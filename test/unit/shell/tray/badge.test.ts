import { describe, expect, it } from 'vitest';
import type { LatestSeries } from '../../../../shared/api.js';
import { badgeFigure, badgeSeries, badgeText, msSinceLocalMidnight, pinCandidates, seriesDisplayName, seriesName } from '../../../../electron/shell/tray/badge.js';

function series(id: number, source: string, metric: string, labels: Record<string, string>, value: number): LatestSeries {
  return { id, source, metric, labels, value, since: 0, lastSeen: 0 };
}

const latest: LatestSeries[] = [
  series(1, 'github', 'github_repo_stars', { repo: 'rocket', user: 'acme' }, 1234),
  series(2, 'github', 'github_repo_stars', { repo: 'engine', user: 'acme' }, 10),
  series(3, 'github', 'github_repo_forks', { repo: 'rocket', user: 'acme' }, 70),
  series(4, 'dockerhub', 'docker_hub_image_pulls_total', { image: 'app', user: 'acme', namespace: 'acme' }, 2_500_000),
  series(5, 'npm', 'npm_package_downloads', { package: '@acme/sdk', period: 'last_week' }, 800),
  series(6, 'github', 'github_rate_remaining', {}, 4999),
];

describe('badgeFigure', () => {
  it('adds up all GitHub stars', () => {
    const figure = badgeFigure({ kind: 'total', of: 'stars' }, latest);
    expect(figure).toEqual({ value: 1244, signed: false, description: '1,244 GitHub stars' });
    expect(badgeText({ kind: 'total', of: 'stars' }, figure)).toBe('1.2k');
  });

  it('adds up all Docker Hub pulls', () => {
    const figure = badgeFigure({ kind: 'total', of: 'pulls' }, latest);
    expect(figure.value).toBe(2_500_000);
    expect(badgeText({ kind: 'total', of: 'pulls' }, figure)).toBe('2.5M');
  });

  it('sums today\'s changes of the chosen total, signed', () => {
    const changes = new Map([[1, 30], [2, 2], [4, 999]]);
    const figure = badgeFigure({ kind: 'today', of: 'stars' }, latest, changes);
    expect(figure).toEqual({ value: 32, signed: true, description: '+32 GitHub stars today' });
    expect(badgeText({ kind: 'today', of: 'stars' }, figure)).toBe('+32');
  });

  it('shows a pinned series by id, and says so when it is gone', () => {
    expect(badgeFigure({ kind: 'series', seriesId: 5 }, latest)).toEqual({ value: 800, signed: false, description: '@acme/sdk (last week) downloads: 800' });
    const gone = badgeFigure({ kind: 'series', seriesId: 99 }, latest);
    expect(gone.value).toBeNull();
    expect(badgeText({ kind: 'series', seriesId: 99 }, gone)).toBe('--');
  });

  it('has no figure before the first collection, and no text when the badge is off', () => {
    const empty = badgeFigure({ kind: 'total', of: 'stars' }, []);
    expect(empty.value).toBeNull();
    expect(badgeText({ kind: 'total', of: 'stars' }, empty)).toBe('--');
    expect(badgeText({ kind: 'none' }, badgeFigure({ kind: 'none' }, latest))).toBe('');
  });
});

describe('badgeSeries', () => {
  it('lists the series a choice is computed from', () => {
    expect(badgeSeries({ kind: 'today', of: 'stars' }, latest).map((item) => item.id)).toEqual([1, 2]);
    expect(badgeSeries({ kind: 'series', seriesId: 4 }, latest).map((item) => item.id)).toEqual([4]);
    expect(badgeSeries({ kind: 'none' }, latest)).toEqual([]);
  });
});

describe('series names', () => {
  it('names repositories, images and packages as people write them', () => {
    expect(seriesName(latest[0]!)).toBe('acme/rocket');
    expect(seriesName(latest[3]!)).toBe('acme/app');
    expect(seriesDisplayName(latest[3]!)).toBe('acme/app pulls');
    expect(seriesDisplayName(latest[2]!)).toBe('acme/rocket forks');
  });
});

describe('pinCandidates', () => {
  it('offers the largest meaningful series, not API budgets', () => {
    expect(pinCandidates(latest, 3).map((item) => item.id)).toEqual([4, 1, 5]);
    expect(pinCandidates(latest).some((item) => item.metric === 'github_rate_remaining')).toBe(false);
  });
});

describe('msSinceLocalMidnight', () => {
  it('measures today in local time', () => {
    expect(msSinceLocalMidnight(new Date(2026, 6, 1, 13, 30))).toBe(13.5 * 3_600_000);
    expect(msSinceLocalMidnight(new Date(2026, 6, 1, 0, 0, 0))).toBe(1);
  });
});
