// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../renderer/api/errors.js';
import { PINS_STORAGE_KEY } from '../../../renderer/model/pins.js';
import { DAY_MS, HISTORY_PROBE_MS } from '../../../shared/series-book.js';
import { OverviewView } from '../../../renderer/views/overview.js';
import { formatDateTime, formatMoment } from '../../../renderer/format.js';
import { FakeApi, healthOf, series } from '../../support/fake-api.js';
import { renderWith } from './render-helpers.js';

const NOW = Date.now();

function orgApi(): FakeApi {
  const api = new FakeApi({
    configured: ['github', 'dockerhub'],
    latest: [
      series('github', 'github_repo_stars', { repo: 'api', user: 'octo-org' }, 1234, NOW, 1),
      series('github', 'github_repo_stars', { repo: 'web', user: 'octo-org' }, 100, NOW, 2),
      series('github', 'github_repo_forks', { repo: 'api', user: 'octo-org' }, 40, NOW, 3),
      series('dockerhub', 'docker_hub_image_pulls_total', { image: 'app', user: 'octo', namespace: 'octo' }, 3_400_000, NOW, 4),
      series('github', 'github_repo_watchers', { repo: 'api', user: 'octo-org' }, 7, NOW, 5),
    ],
    history: {
      1: [{ time: NOW - 60 * DAY_MS, value: 1000 }, { time: NOW - 2 * 3_600_000, value: 1234 }],
      2: [{ time: NOW - 60 * DAY_MS, value: 100 }],
      3: [{ time: NOW - 60 * DAY_MS, value: 40 }],
      4: [{ time: NOW - 60 * DAY_MS, value: 3_300_000 }, { time: NOW - 10 * DAY_MS, value: 3_400_000 }],
    },
    health: [healthOf('github', { lastSuccessAt: NOW }), healthOf('dockerhub', { lastSuccessAt: NOW, intervalMs: 1_800_000 })],
  });
  return api;
}

beforeEach(() => localStorage.clear());
afterEach(cleanup);

describe('Overview', () => {
  it('shows a loading state until the data is there', async () => {
    const api = orgApi();
    const release = api.hold('overview');
    renderWith(api, <OverviewView />);
    expect(screen.getByTestId('loading').textContent).toMatch(/Loading/);
    await act(async () => release());
    expect(await screen.findAllByTestId('overview-card')).toHaveLength(2);
  });

  it('shows the core’s error in words and loads again on request', async () => {
    const api = orgApi();
    api.fail('sources', new ApiError('the history store could not be opened: disk full'));
    renderWith(api, <OverviewView />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('the history store could not be opened: disk full');
    api.fail('sources', null);
    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findAllByTestId('overview-card')).toHaveLength(2);
  });

  it('shows the first-run guide when no source is configured', async () => {
    const api = new FakeApi({ configured: [] });
    renderWith(api, <OverviewView />);
    const firstRun = await screen.findByTestId('first-run');
    expect(firstRun.textContent).toContain('Add a GitHub organization');
    expect(within(firstRun).getByRole('link', { name: /Settings/ }).getAttribute('href')).toBe('#/settings');
    expect(api.overviewReads).toEqual({ changes: [], rangeSums: [] });
  });

  it('says the first poll is pending when sources are configured but have no values', async () => {
    const api = new FakeApi({ configured: ['npm'], health: [healthOf('npm')] });
    renderWith(api, <OverviewView />);
    expect((await screen.findByTestId('overview-waiting')).textContent).toContain('npm');
  });

  it('shows a card per owner and namespace, biggest movers first, compact with exact titles', async () => {
    const api = orgApi();
    renderWith(api, <OverviewView />);
    const cards = await screen.findAllByTestId('overview-card');
    // octo-org gained 234 stars of 1,100 in 24 h; the Docker namespace did not move in 24 h.
    expect(cards.map((card) => card.getAttribute('data-card'))).toEqual(['github:octo-org', 'dockerhub:octo']);
    const org = cards[0]!;
    const total = within(org).getByTestId('card-total');
    expect(total.textContent).toBe('1.3K');
    expect(total.getAttribute('title')).toBe('1,334');
    expect(within(org).getByTestId('card-figure').textContent).toBe('40');
    const dayChange = within(org).getAllByTestId(`card-change-${DAY_MS}`)[0]!;
    expect(dayChange.textContent).toBe('+234 24 h');
    expect(dayChange.getAttribute('title')).toBe('+234 in 24 h (+21.3%)');
    const pulls = within(cards[1]!).getByTestId('card-total');
    expect(pulls.textContent).toBe('3.4M');
    expect(pulls.getAttribute('title')).toBe('3,400,000');
    expect(within(cards[1]!).getAllByTestId(`card-change-${7 * DAY_MS}`)[0]!.textContent).toBe('0 7 d');
    expect(within(cards[1]!).getAllByTestId(`card-change-${30 * DAY_MS}`)[0]!.textContent).toBe('+100K 30 d');
    // One overview request: the core composes the cards, no series' values or changes travel.
    expect(api.callsTo('overview')).toHaveLength(1);
    for (const method of ['latest', 'changes', 'range', 'rangeSums'] as const) expect(api.callsTo(method)).toEqual([]);
    // What it reads for them: changes of the headline series only, one sum per card of its main figure.
    expect(api.overviewReads.changes).toEqual([[[1, 2, 3, 4], [DAY_MS, 7 * DAY_MS, 30 * DAY_MS, HISTORY_PROBE_MS]]]);
    expect(api.overviewReads.rangeSums.map((request) => request.groups)).toEqual([[[1, 2], [4]]]);
    expect(within(org).getByTestId('sparkline').querySelector('polyline')).not.toBeNull();
    // The owner's total, not its biggest repositories one by one.
    expect(within(org).getByRole('link', { name: 'Open in Details' }).getAttribute('href')).toBe('#/details?totals=github:octo-org:github_repo_stars&metric=github_repo_stars');
  });

  it('reads the cards again after a poll’s samples event, without any series’ values', async () => {
    const api = orgApi();
    renderWith(api, <OverviewView />);
    await screen.findAllByTestId('overview-card');
    const callsBefore = api.calls.length;
    // The poll stored its values before the event, as the core's store has them.
    api.latestValue = api.latestValue.map((item) => (item.id === 1 ? series('github', 'github_repo_stars', { repo: 'api', user: 'octo-org' }, 2_500, NOW + 1000, 1) : item));
    act(() =>
      api.emit({
        type: 'samples',
        source: 'github',
        time: NOW + 1000,
        latest: [series('github', 'github_repo_stars', { repo: 'api', user: 'octo-org' }, 2_500, NOW + 1000, 1)],
      }),
    );
    const org = () => screen.getAllByTestId('overview-card').find((card) => card.getAttribute('data-card') === 'github:octo-org')!;
    await waitFor(() => expect(within(org()).getByTestId('card-total').getAttribute('title')).toBe('2,600'));
    expect(within(org()).getAllByTestId(`card-change-${DAY_MS}`)[0]!.textContent).toBe('+1.5K 24 h');
    expect(screen.queryByTestId('loading')).toBeNull();
    // The view's load once more (cards, sources, health): nothing per series.
    expect(api.calls.slice(callsBefore).map((call) => call.method).sort()).toEqual(['health', 'overview', 'sources']);
  });

  it('marks a failing source from a health event', async () => {
    const api = orgApi();
    renderWith(api, <OverviewView />);
    await screen.findAllByTestId('overview-card');
    act(() => api.emit({ type: 'health', health: healthOf('github', { lastSuccessAt: NOW, lastError: 'GitHub refused the token (401): create a new one' }) }));
    const summary = screen.getAllByTestId('source-summary').find((item) => item.getAttribute('data-source') === 'github')!;
    const badge = within(summary).getByTestId('health-badge');
    expect(badge.getAttribute('data-status')).toBe('failed');
    expect(badge.getAttribute('title')).toBe('GitHub refused the token (401): create a new one');
  });

  // Issue 13: every configured source has a card; a failing one says why, a partial one too, and no badge says "up to date" offline.
  it('gives a configured source without figures a card with its error, and says "failing", not "up to date"', async () => {
    const error = 'nothing could be collected — property:123: Google Analytics refused access to property 123 (PERMISSION_DENIED)';
    const api = new FakeApi({
      configured: ['github', 'ga4'],
      latest: [series('github', 'github_repo_stars', { repo: 'api', user: 'octo-org' }, 1234, NOW, 1)],
      health: [healthOf('github', { lastSuccessAt: NOW }), healthOf('ga4', { lastRunAt: NOW, lastError: error, consecutiveFailures: 1, failedTargets: [{ target: 'property:123', message: 'refused' }] })],
    });
    renderWith(api, <OverviewView />);
    const card = await screen.findByTestId('source-card');
    expect(card.getAttribute('aria-label')).toBe('Google Analytics 4');
    expect(within(card).getByTestId('health-badge').getAttribute('data-status')).toBe('failed');
    expect(within(card).getByTestId('source-card-message').textContent).toBe(error);
    const summary = screen.getAllByTestId('source-summary').find((item) => item.getAttribute('data-source') === 'ga4')!;
    expect(summary.textContent).toContain('failing');
    expect(summary.textContent).not.toContain('up to date');
  });

  it('marks a source with a failed target as partly failing, on the source line and on its cards', async () => {
    const api = orgApi();
    renderWith(api, <OverviewView />);
    await screen.findAllByTestId('overview-card');
    const failedTargets = [{ target: 'org:acme-typo', message: "organization 'acme-typo' not found — check github.orgs" }];
    act(() => api.emit({ type: 'health', health: healthOf('github', { lastSuccessAt: NOW, failedTargets }) }));
    const summary = screen.getAllByTestId('source-summary').find((item) => item.getAttribute('data-source') === 'github')!;
    expect(within(summary).getByTestId('health-badge').getAttribute('data-status')).toBe('partial');
    const org = screen.getAllByTestId('overview-card').find((card) => card.getAttribute('data-card') === 'github:octo-org')!;
    expect(within(org).getByTestId('card-status').textContent).toContain("1 target failed — org:acme-typo: organization 'acme-typo' not found");
    const docker = screen.getAllByTestId('overview-card').find((card) => card.getAttribute('data-card')?.startsWith('dockerhub:'))!;
    expect(within(docker).queryByTestId('card-status')).toBeNull();
  });

  it('says offline on every badge while the live channel reconnects, never "up to date"', async () => {
    const api = orgApi();
    renderWith(api, <OverviewView />);
    await screen.findAllByTestId('overview-card');
    expect(screen.getAllByTestId('health-badge').map((badge) => badge.getAttribute('data-status'))).toEqual(['ok', 'ok']);
    act(() => api.setConnectionState('reconnecting'));
    expect(screen.getAllByTestId('health-badge').map((badge) => badge.getAttribute('data-status'))).toEqual(['offline', 'offline']);
    expect(screen.getByLabelText('Sources').textContent).not.toContain('up to date');
    act(() => api.setConnectionState('live'));
    expect(screen.getAllByTestId('health-badge').map((badge) => badge.getAttribute('data-status'))).toEqual(['ok', 'ok']);
  });

  it('says offline while the network is down (the desktop app, whose IPC never drops)', async () => {
    const api = orgApi();
    renderWith(api, <OverviewView />);
    await screen.findAllByTestId('overview-card');
    const onLine = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    try {
      act(() => void window.dispatchEvent(new Event('offline')));
      expect(screen.getAllByTestId('health-badge').map((badge) => badge.getAttribute('data-status'))).toEqual(['offline', 'offline']);
      onLine.mockReturnValue(true);
      act(() => void window.dispatchEvent(new Event('online')));
      expect(screen.getAllByTestId('health-badge').map((badge) => badge.getAttribute('data-status'))).toEqual(['ok', 'ok']);
    } finally {
      onLine.mockRestore();
    }
  });

  it('shows the first-run guide when a config event removes the last source', async () => {
    const api = orgApi();
    renderWith(api, <OverviewView />);
    await screen.findAllByTestId('overview-card');
    act(() => api.emit({ type: 'config', sources: (api.sourcesValue).map((source) => ({ ...source, configured: false })) }));
    expect(screen.getByTestId('first-run')).toBeTruthy();
  });

  it('pins a card for the glance view', async () => {
    const api = orgApi();
    renderWith(api, <OverviewView />);
    const [first] = await screen.findAllByTestId('overview-card');
    const pin = within(first!).getByTestId('pin-card');
    expect(pin.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(pin);
    await waitFor(() => expect(pin.getAttribute('aria-pressed')).toBe('true'));
    expect(JSON.parse(localStorage.getItem(PINS_STORAGE_KEY)!)).toEqual(['github:octo-org']);
  });

  it('on a young history shows "–" with where history starts, never 0, and a sparkline of the history there is', async () => {
    const started = NOW - 10 * 60_000;
    const api = new FakeApi({
      configured: ['github'],
      latest: [series('github', 'github_repo_stars', { repo: 'rocket', user: 'acme' }, 3_712, NOW, 1)],
      history: { 1: [{ time: started, value: 3_700 }, { time: NOW - 4 * 60_000, value: 3_712 }] },
    });
    renderWith(api, <OverviewView />);
    const [card] = await screen.findAllByTestId('overview-card');
    for (const [windowMs, label] of [[DAY_MS, '24 h'], [7 * DAY_MS, '7 d'], [30 * DAY_MS, '30 d']] as const) {
      const change = within(card!).getAllByTestId(`card-change-${windowMs}`)[0]!;
      expect(change.textContent).toBe(`– ${label}`);
      expect(change.getAttribute('title')).toBe(`No value ${label} back yet: history starts ${formatDateTime(started)}`);
    }
    expect(within(card!).getByTestId('card-history-start').textContent).toBe(`history starts ${formatMoment(started, Date.now())}`);
    // The sparkline covers the ten minutes there are, not 30 days with the line in its last pixel.
    const trendRequest = api.overviewReads.rangeSums[0]!;
    expect(trendRequest.start).toBe(started);
    const sparkline = within(card!).getByTestId('sparkline');
    expect(sparkline.getAttribute('aria-label')).toBe(`Stars of acme since ${formatMoment(started, Date.now())}`);
    const xs = sparkline.querySelector('polyline')!.getAttribute('points')!.split(' ').map((point) => Number(point.split(',')[0]));
    expect(xs[0]).toBe(0);
    expect(xs.at(-1)).toBe(120);
  });

  it('shows backfilled history as it arrives: change figures and the sparkline fill in without a reload', async () => {
    const firstPoll = NOW - 10 * 60_000;
    const api = new FakeApi({
      configured: ['github'],
      latest: [series('github', 'github_repo_stars', { repo: 'rocket', user: 'acme' }, 3_712, NOW, 1)],
      history: { 1: [{ time: firstPoll, value: 3_712 }] },
    });
    renderWith(api, <OverviewView />);
    const [card] = await screen.findAllByTestId('overview-card');
    expect(within(card!).getAllByTestId(`card-change-${30 * DAY_MS}`)[0]!.textContent).toBe('– 30 d');
    // A backfill step stores 60 days of stars.
    api.history = { 1: [{ time: NOW - 60 * DAY_MS, value: 3_000 }, { time: NOW - 20 * DAY_MS, value: 3_500 }, { time: firstPoll, value: 3_712 }] };
    act(() => api.emit({ type: 'history', source: 'github', series: [1] }));
    expect(screen.queryByTestId('loading')).toBeNull();
    await waitFor(() => expect(within(screen.getByTestId('overview-card')).getAllByTestId(`card-change-${30 * DAY_MS}`)[0]!.textContent).toBe('+712 30 d'), { timeout: 4_000 });
    const refreshed = screen.getByTestId('overview-card');
    expect(within(refreshed).queryByTestId('card-history-start')).toBeNull();
    expect(api.overviewReads.rangeSums.at(-1)!.start).toBeLessThanOrEqual(Date.now() - 30 * DAY_MS);
  });

  it('draws the first value of a new card as a dot, its changes unknown', async () => {
    const api = new FakeApi({ configured: ['github'], health: [healthOf('github')] });
    renderWith(api, <OverviewView />);
    await screen.findByTestId('overview-waiting');
    const seen = NOW + 1_000;
    api.latestValue = [series('github', 'github_repo_stars', { repo: 'rocket', user: 'acme' }, 3_700, seen, 1)];
    // The core composes the cards as the poll ends (its now is the poll's time), however slow this machine is.
    api.now = () => seen;
    act(() => api.emit({ type: 'samples', source: 'github', time: seen, latest: [{ ...series('github', 'github_repo_stars', { repo: 'rocket', user: 'acme' }, 3_700, seen, 1) }] }));
    const card = await screen.findByTestId('overview-card');
    expect(within(card).getAllByTestId(`card-change-${30 * DAY_MS}`)[0]!.textContent).toBe('– 30 d');
    expect(within(card).getByTestId('card-history-start').textContent).toBe(`history starts ${formatMoment(seen, Date.now())}`);
    const sparkline = within(card).getByTestId('sparkline');
    expect(sparkline.querySelector('circle')).not.toBeNull();
    expect(sparkline.querySelector('polyline')).toBeNull();
  });

  it('opens the owner’s total in Details', async () => {
    const api = orgApi();
    renderWith(api, <OverviewView />);
    const cards = await screen.findAllByTestId('overview-card');
    const docker = cards.find((card) => card.getAttribute('data-card') === 'dockerhub:octo')!;
    expect(within(docker).getByRole('link', { name: 'Open in Details' }).getAttribute('href')).toBe('#/details?totals=dockerhub:octo:docker_hub_image_pulls_total&metric=docker_hub_image_pulls_total');
    // An old history: no "history starts" note, the sparkline over 30 days.
    expect(within(docker).queryByTestId('card-history-start')).toBeNull();
    expect(api.overviewReads.rangeSums[0]!.start).toBeLessThanOrEqual(Date.now() - 30 * DAY_MS);
  });
});
