import { describe, expect, it } from 'vitest';
import { chartSpan, detailsParams, parseDetailsState, rangeExceedsHistory, rangeSpan } from '../../../renderer/model/details-state.js';
import { DAY_MS, MIN_SPAN_MS } from '../../../shared/series-book.js';
import { parseTotalRef } from '../../../renderer/model/totals.js';
import { parseRoute, routeHref } from '../../../renderer/routing.js';

describe('hash routes', () => {
  it('reads the view and its parameters', () => {
    const route = parseRoute('#/details?series=1,2&range=7d');
    expect(route.view).toBe('details');
    expect(route.params.get('series')).toBe('1,2');
    expect(parseRoute('#/glance').view).toBe('glance');
    expect(parseRoute('#/settings/').view).toBe('settings');
  });

  it('falls back to the overview for an empty or unknown hash', () => {
    expect(parseRoute('').view).toBe('overview');
    expect(parseRoute('#/nowhere').view).toBe('overview');
    expect(parseRoute('#main').view).toBe('overview');
  });

  it('writes links with readable commas and without empty parameters', () => {
    expect(routeHref('overview')).toBe('#/overview');
    expect(routeHref('details', { series: '1,2', metric: undefined, range: '' })).toBe('#/details?series=1,2');
    expect(routeHref('details', { series: '3', metric: 'a b&c' })).toBe('#/details?series=3&metric=a+b%26c');
  });
});

describe('details state in the hash', () => {
  it('round-trips', () => {
    const state = { series: [4, 2], totals: [], metric: 'github_repo_stars', range: '1y' as const, scale: 'log' as const, zoom: null };
    const href = routeHref('details', detailsParams(state));
    expect(href).toBe('#/details?series=4,2&metric=github_repo_stars&range=1y&scale=log');
    expect(parseDetailsState(parseRoute(href).params)).toEqual(state);
  });

  it('ignores bad values and repeats', () => {
    const state = parseDetailsState(new URLSearchParams('series=1,x,-3,1,2.5,7&range=5y&scale=weird'));
    expect(state).toEqual({ series: [1, 7], totals: [], metric: null, range: '30d', scale: 'linear', zoom: null });
  });

  it('spans fixed ranges back from now; "all" has no fixed start', () => {
    expect(rangeSpan('24h', 100_000_000)).toEqual({ start: 100_000_000 - 86_400_000, end: 100_000_000 });
    expect(rangeSpan('all', 1)).toBeNull();
  });
});

describe('group totals and zoom in the hash', () => {
  it('keeps totals readable and round-trips groups with any character', () => {
    const state = {
      series: [],
      totals: [{ source: 'github', group: 'acme', metric: 'github_repo_stars' }, { source: 'npm', group: '@scope/a,b:c', metric: 'npm_package_downloads' }],
      metric: 'github_repo_stars',
      range: '30d' as const,
      scale: 'linear' as const,
      zoom: { start: 1_700_000_000_000, end: 1_700_000_600_000 },
    };
    const href = routeHref('details', detailsParams(state));
    expect(href).toBe('#/details?totals=github:acme:github_repo_stars,npm:%2540scope%252Fa%252Cb%253Ac:npm_package_downloads&metric=github_repo_stars&from=1700000000000&to=1700000600000');
    expect(parseDetailsState(parseRoute(href).params)).toEqual(state);
  });

  it('ignores malformed totals and zooms', () => {
    expect(parseTotalRef('github:acme')).toBeNull();
    expect(parseTotalRef('github::stars')).toBeNull();
    expect(parseTotalRef('a:%E0%A4%A:b')).toBeNull();
    const state = parseDetailsState(new URLSearchParams('totals=github:acme:s,bad,github:acme:s&from=20&to=10'));
    expect(state.totals).toEqual([{ source: 'github', group: 'acme', metric: 's' }]);
    expect(state.zoom).toBeNull();
    expect(parseDetailsState(new URLSearchParams('from=1e3&to=5000')).zoom).toBeNull();
  });
});

describe('the span a chart shows', () => {
  const NOW = Date.UTC(2026, 10, 25, 12);

  it('shows a history younger than the range whole, since it starts', () => {
    const tenMinutesAgo = NOW - 10 * 60_000;
    for (const range of ['24h', '7d', '30d', '1y', 'all'] as const) {
      expect(chartSpan({ range, zoom: null }, tenMinutesAgo, NOW), range).toEqual({ start: tenMinutesAgo, end: NOW, sinceStart: true });
    }
    expect(rangeExceedsHistory('24h', tenMinutesAgo, NOW)).toBe(true);
    expect(rangeExceedsHistory('all', tenMinutesAgo, NOW)).toBe(false);
  });

  it('keeps the range when history reaches back further, and starts "all" where history starts', () => {
    const yearsAgo = NOW - 3 * 365 * DAY_MS;
    expect(chartSpan({ range: '30d', zoom: null }, yearsAgo, NOW)).toEqual({ start: NOW - 30 * DAY_MS, end: NOW, sinceStart: false });
    expect(chartSpan({ range: '1y', zoom: null }, yearsAgo, NOW)).toEqual({ start: NOW - 365 * DAY_MS, end: NOW, sinceStart: false });
    expect(chartSpan({ range: 'all', zoom: null }, yearsAgo, NOW)).toEqual({ start: yearsAgo, end: NOW, sinceStart: true });
    expect(rangeExceedsHistory('1y', yearsAgo, NOW)).toBe(false);
  });

  it('gives a history of seconds a minute, and a zoom its own span', () => {
    expect(chartSpan({ range: '30d', zoom: null }, NOW - 5_000, NOW)).toEqual({ start: NOW - MIN_SPAN_MS, end: NOW, sinceStart: true });
    expect(chartSpan({ range: '30d', zoom: null }, NOW, NOW)).toEqual({ start: NOW - MIN_SPAN_MS, end: NOW, sinceStart: true });
    const zoom = { start: NOW - DAY_MS, end: NOW - DAY_MS / 2 };
    expect(chartSpan({ range: '30d', zoom }, NOW - 400 * DAY_MS, NOW)).toEqual({ ...zoom, sinceStart: false });
  });

  it('shows the plain range when there is no history yet, and nothing for "all"', () => {
    expect(chartSpan({ range: '24h', zoom: null }, null, NOW)).toEqual({ start: NOW - DAY_MS, end: NOW, sinceStart: false });
    expect(chartSpan({ range: '24h', zoom: null }, NOW + 1_000, NOW)).toEqual({ start: NOW - DAY_MS, end: NOW, sinceStart: false });
    expect(chartSpan({ range: 'all', zoom: null }, null, NOW)).toBeNull();
  });
});
