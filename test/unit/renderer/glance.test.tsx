// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../renderer/api/errors.js';
import { PINS_STORAGE_KEY } from '../../../renderer/model/pins.js';
import { DAY_MS, HISTORY_PROBE_MS, sinceLocalMidnightMs } from '../../../shared/series-book.js';
import { GlanceView } from '../../../renderer/views/glance.js';
import { formatDateTime } from '../../../renderer/format.js';
import { FakeApi, healthOf, series } from '../../support/fake-api.js';
import { renderWith } from './render-helpers.js';

const NOW = Date.now();
const TODAY_MS = sinceLocalMidnightMs(NOW);

function api(): FakeApi {
  const repos = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
  const latest = repos.map((repo, index) => series('github', 'github_repo_stars', { repo, user: 'org' }, 100 + index * 10, NOW, index + 1));
  latest.push(series('npm', 'npm_package_downloads', { package: 'left-pad', period: 'last_week' }, 5_000, NOW, 20));
  const history: Record<number, { time: number; value: number }[]> = {};
  repos.forEach((_, index) => {
    // Repository i gained i * 10 stars 12 hours ago (repository a: none).
    history[index + 1] = [{ time: NOW - 30 * DAY_MS, value: 100 }, { time: NOW - DAY_MS / 2, value: 100 + index * 10 }];
  });
  history[20] = [{ time: NOW - 30 * DAY_MS, value: 4_000 }, { time: NOW - TODAY_MS / 2, value: 5_000 }];
  return new FakeApi({
    configured: ['github', 'npm'],
    latest,
    history,
    health: [
      healthOf('github', { lastSuccessAt: NOW - 5 * 3_600_000, intervalMs: 600_000 }),
      healthOf('npm', { lastSuccessAt: NOW, lastError: 'npm answered 503: try again later' }),
    ],
  });
}

beforeEach(() => localStorage.clear());
afterEach(cleanup);

describe('Glance', () => {
  it('shows loading, then totals with today’s change', async () => {
    const fake = api();
    const release = fake.hold('sources');
    renderWith(fake, <GlanceView />);
    expect(screen.getByTestId('loading')).toBeTruthy();
    await act(async () => release());
    const totals = await screen.findAllByTestId('glance-total');
    expect(totals.map((item) => item.getAttribute('data-card'))).toEqual(['npm:left-pad', 'github:org']);
    const npm = totals[0]!;
    expect(within(npm).getByTestId('glance-total-value').textContent).toBe('5K');
    expect(within(npm).getByTestId('glance-today').textContent).toBe('+1K');
    // The windows shown, and the probe that tells where each series' history starts.
    expect(fake.callsTo('changes')[0]![1]).toEqual([...[TODAY_MS, DAY_MS].map((ms) => expect.closeTo(ms, -4)), HISTORY_PROBE_MS]);
  });

  it('shows pinned cards only, once some are pinned', async () => {
    localStorage.setItem(PINS_STORAGE_KEY, JSON.stringify(['github:org']));
    renderWith(api(), <GlanceView />);
    const totals = await screen.findAllByTestId('glance-total');
    expect(totals.map((item) => item.getAttribute('data-card'))).toEqual(['github:org']);
    expect(within(totals[0]!).getByTestId('glance-total-value').getAttribute('title')).toBe('910');
  });

  it('lists the top five movers of the last 24 hours', async () => {
    renderWith(api(), <GlanceView />);
    const movers = await screen.findAllByTestId('glance-mover');
    expect(movers.map((item) => item.textContent)).toEqual([
      'org/g stars+60',
      'org/f stars+50',
      'org/e stars+40',
      'org/d stars+30',
      'left-pad (7 days) downloads+1K',
    ]);
    expect(within(movers[0]!).getByRole('link').getAttribute('href')).toBe('#/details?series=7&range=7d');
  });

  it('marks stale and failing sources', async () => {
    renderWith(api(), <GlanceView />);
    const problems = await screen.findAllByTestId('glance-problem');
    expect(problems.map((item) => item.getAttribute('data-status'))).toEqual(['stale', 'failed']);
    expect(problems[1]!.textContent).toContain('npm answered 503: try again later');
  });

  it('refreshes on request and says so, links to the dashboard', async () => {
    const fake = api();
    renderWith(fake, <GlanceView />);
    await screen.findAllByTestId('glance-total');
    fireEvent.click(screen.getByTestId('refresh-now'));
    expect(await screen.findByText(/Polling now/)).toBeTruthy();
    expect(fake.callsTo('refresh')).toEqual([[undefined]]);
    expect(screen.getByTestId('open-dashboard').getAttribute('href')).toBe('#/overview');
  });

  it('shows why a refresh failed', async () => {
    const fake = api();
    fake.fail('refresh', new ApiError('every source is paused'));
    renderWith(fake, <GlanceView />);
    await screen.findAllByTestId('glance-total');
    fireEvent.click(screen.getByTestId('refresh-now'));
    expect((await screen.findByText('every source is paused')).getAttribute('data-testid')).toBe('refresh-status');
  });

  it('updates from a samples event and clears a marker from a health event, without fetching', async () => {
    const fake = api();
    renderWith(fake, <GlanceView />);
    await screen.findAllByTestId('glance-total');
    const calls = fake.calls.length;
    act(() => {
      fake.emit({ type: 'samples', source: 'npm', time: NOW, latest: [series('npm', 'npm_package_downloads', { package: 'left-pad', period: 'last_week' }, 6_500, NOW, 20)] });
      fake.emit({ type: 'health', health: healthOf('npm', { lastSuccessAt: NOW }) });
    });
    const npm = screen.getAllByTestId('glance-total').find((item) => item.getAttribute('data-card') === 'npm:left-pad')!;
    expect(within(npm).getByTestId('glance-today').textContent).toBe('+2.5K');
    expect(screen.getAllByTestId('glance-problem').map((item) => item.getAttribute('data-status'))).toEqual(['stale']);
    expect(fake.calls.length).toBe(calls);
  });

  it('shows the first-run guide and an error state', async () => {
    renderWith(new FakeApi({ configured: [] }), <GlanceView />);
    expect(await screen.findByTestId('first-run')).toBeTruthy();
    cleanup();
    const failing = api();
    failing.fail('health', new ApiError('Footprint did not answer'));
    renderWith(failing, <GlanceView />);
    expect((await screen.findByRole('alert')).textContent).toContain('Footprint did not answer');
    // The actions stay usable while the data cannot be shown.
    expect(screen.getByTestId('refresh-now')).toBeTruthy();
  });

  it('shows today’s change of a history younger than today as unknown, with where it starts', async () => {
    // Ten seconds: younger than "today" even a minute after midnight.
    const started = NOW - 10_000;
    const fake = new FakeApi({
      configured: ['github'],
      latest: [series('github', 'github_repo_stars', { repo: 'rocket', user: 'acme' }, 3_712, NOW, 1)],
      history: { 1: [{ time: started, value: 3_700 }, { time: NOW - 1_000, value: 3_712 }] },
    });
    renderWith(fake, <GlanceView />);
    const [total] = await screen.findAllByTestId('glance-total');
    const today = within(total!).getByTestId('glance-today');
    expect(today.textContent).toBe('–');
    expect(today.getAttribute('title')).toBe(`No value that far back yet: history starts ${formatDateTime(started)}`);
    expect(screen.queryAllByTestId('glance-mover')).toEqual([]);
  });
});
