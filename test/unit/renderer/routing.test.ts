import { describe, expect, it } from 'vitest';
import { detailsParams, parseDetailsState, rangeSpan } from '../../../renderer/model/details-state.js';
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
    const state = { series: [4, 2], metric: 'github_repo_stars', range: '1y' as const, scale: 'log' as const };
    const href = routeHref('details', detailsParams(state));
    expect(href).toBe('#/details?series=4,2&metric=github_repo_stars&range=1y&scale=log');
    expect(parseDetailsState(parseRoute(href).params)).toEqual(state);
  });

  it('ignores bad values and repeats', () => {
    const state = parseDetailsState(new URLSearchParams('series=1,x,-3,1,2.5,7&range=5y&scale=weird'));
    expect(state).toEqual({ series: [1, 7], metric: null, range: '30d', scale: 'linear' });
  });

  it('spans fixed ranges back from now; "all" has no fixed start', () => {
    expect(rangeSpan('24h', 100_000_000)).toEqual({ start: 100_000_000 - 86_400_000, end: 100_000_000 });
    expect(rangeSpan('all', 1)).toBeNull();
  });
});
