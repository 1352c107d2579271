// @vitest-environment happy-dom
// The Traffic view with a fake client: empty state and notes, an owner's days summed over its
// repositories with the range's totals, another target and range kept in the hash, referrers and
// paths, a poll that brings traffic; and the link from a repository's Details.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RangeRequest } from '../../../shared/api.js';
import { DAY_MS } from '../../../shared/series-book.js';
import { TRAFFIC_DAILY, dayEnd, utcDay } from '../../../renderer/model/traffic.js';
import { useRoute } from '../../../renderer/routing.js';
import { DetailsView } from '../../../renderer/views/details.js';
import { NO_TRAFFIC_YET, TrafficView } from '../../../renderer/views/traffic.js';
import { FakeApi, healthOf, series, type Point } from '../../support/fake-api.js';
import { installCanvasStub, renderWith } from './render-helpers.js';

const NOW = Date.now();
const TODAY = utcDay(NOW);
const DAYS = 40;

function Routed() {
  const route = useRoute();
  return route.view === 'details' ? <DetailsView params={route.params} /> : <TrafficView params={route.params} />;
}

/** One point per day at the day's end, `value(ago)` on the day `ago` days before today. */
function daily(value: (ago: number) => number, days = DAYS): Point[] {
  return Array.from({ length: days }, (_, index) => days - 1 - index).map((ago) => ({ time: dayEnd(TODAY - ago), value: value(ago) }));
}

const rocketViews = (ago: number) => 100 + ago;
const engineViews = (ago: number) => 10 + ago;

function api(): FakeApi {
  const labels = (repo: string) => ({ repo, user: 'acme' });
  return new FakeApi({
    configured: ['github'],
    latest: [
      series('github', 'github_repo_stars', labels('rocket'), 50, NOW, 1),
      series('github', TRAFFIC_DAILY.views, labels('rocket'), rocketViews(0), dayEnd(TODAY), 11),
      series('github', TRAFFIC_DAILY.viewsUnique, labels('rocket'), 5, dayEnd(TODAY), 12),
      series('github', TRAFFIC_DAILY.views, labels('engine'), engineViews(0), dayEnd(TODAY), 21),
      series('github', 'github_repo_traffic_referrer_views', { ...labels('rocket'), referrer: 'news.ycombinator.com' }, 321, NOW, 31),
      series('github', 'github_repo_traffic_path_views', { ...labels('engine'), path: '/acme/engine/wiki' }, 12, NOW, 32),
    ],
    history: {
      11: daily(rocketViews),
      12: daily(() => 5),
      // engine: the last 10 days only
      21: daily(engineViews, 10),
    },
    health: [healthOf('github')],
  });
}

let restoreCanvas: () => void;
beforeAll(() => {
  restoreCanvas = installCanvasStub();
});
afterAll(() => restoreCanvas());
beforeEach(() => {
  window.location.hash = '#/traffic';
});
afterEach(cleanup);

const sum = (from: number, to: number, value: (ago: number) => number) => Array.from({ length: to - from + 1 }, (_, index) => value(from + index)).reduce((a, b) => a + b, 0);
const total = (figure: string) => Number(screen.getByTestId(`total-${figure}`).dataset.value);

describe('Traffic', () => {
  it('says why there is no traffic yet, and which repositories cannot have any', async () => {
    const fake = new FakeApi({
      configured: ['github'],
      health: [healthOf('github', { failedTargets: [{ target: 'acme/secret', message: 'traffic needs push access' }, { target: 'acme/x', message: 'not found' }] })],
    });
    renderWith(fake, <Routed />);
    expect((await screen.findByTestId('traffic-empty')).textContent).toContain(NO_TRAFFIC_YET);
    expect(NO_TRAFFIC_YET).toContain('every 6 h for repositories your token can push to');
    const notes = await screen.findAllByTestId('traffic-note');
    expect(notes.map((note) => note.textContent)).toEqual(['acme/secret: traffic needs push access']);
    expect(fake.callsTo('range')).toHaveLength(0);
  });

  it('points to Settings when GitHub is not configured', async () => {
    renderWith(new FakeApi({ configured: [] }), <Routed />);
    const empty = await screen.findByTestId('traffic-empty');
    expect(within(empty).getByRole('link', { name: 'Add it in Settings.' }).getAttribute('href')).toBe('#/settings');
  });

  it('shows an owner’s days summed over its repositories, one request on a one-day grid, with the range’s totals', async () => {
    const fake = api();
    renderWith(fake, <Routed />);
    const summary = await screen.findByTestId('traffic-summary');
    expect(summary.dataset.target).toBe('acme');
    await waitFor(() => expect(screen.getAllByTestId('traffic-bars')).toHaveLength(2));
    const [request] = fake.callsTo('range').map((args) => args[0] as RangeRequest);
    expect(request).toMatchObject({ start: dayEnd(TODAY - 29), end: dayEnd(TODAY), points: 30 });
    expect([...request!.series].sort()).toEqual([11, 12, 21]);
    // 30 days of rocket, the last 10 of them with engine's too.
    expect(total('views')).toBe(sum(0, 29, rocketViews) + sum(0, 9, engineViews));
    expect(total('viewsUnique')).toBe(30 * 5);
    expect(total('clones')).toBe(0);
    const days = screen.getAllByTestId('traffic-day');
    expect(days).toHaveLength(30);
    expect(days[0]!.dataset.day).toBe(new Date(TODAY * DAY_MS).toISOString().slice(0, 10));
    expect(within(days[0]!).getAllByRole('cell')[0]!.textContent).toBe(String(rocketViews(0) + engineViews(0)));
    const rows = screen.getAllByTestId('traffic-row');
    expect(rows.map((row) => row.dataset.key)).toEqual(['acme', 'acme/rocket', 'acme/engine']);
    expect(rows[0]!.getAttribute('aria-current')).toBe('true');
    // The owner's referrers and paths, with the repository each belongs to.
    expect(within(screen.getByTestId('traffic-referrers')).getByTestId('referrer-row').textContent).toBe('news.ycombinator.comacme/rocket321');
    expect(within(screen.getByTestId('traffic-paths')).getByTestId('path-row').textContent).toBe('/acme/engine/wikiacme/engine12');
  });

  it('shows the whole history on "all", days older than GitHub’s 14, and keeps target and range in the hash', async () => {
    const fake = api();
    renderWith(fake, <Routed />);
    await screen.findByTestId('traffic-totals');
    fireEvent.change(screen.getByTestId('traffic-target'), { target: { value: 'acme/rocket' } });
    fireEvent.click(screen.getByTestId('range-all'));
    expect(window.location.hash).toBe('#/traffic?target=acme/rocket&range=all');
    await waitFor(() => expect(total('views')).toBe(sum(0, DAYS - 1, rocketViews)));
    expect(screen.getByTestId('traffic-summary').dataset.target).toBe('acme/rocket');
    expect(screen.getByTestId('range-since').textContent).toContain('Since');
    const days = screen.getAllByTestId('traffic-day');
    expect(days).toHaveLength(DAYS);
    expect(days.at(-1)!.dataset.day).toBe(new Date((TODAY - DAYS + 1) * DAY_MS).toISOString().slice(0, 10));
    expect(within(days.at(-1)!).getAllByRole('cell')[0]!.textContent).toBe(String(rocketViews(DAYS - 1)));
    // One repository: its referrers without a repository column; engine's path is not rocket's.
    expect(within(screen.getByTestId('traffic-referrers')).getByTestId('referrer-row').textContent).toBe('news.ycombinator.com321');
    expect(within(screen.getByTestId('traffic-paths')).queryByTestId('path-row')).toBeNull();
  });

  it('says when the range has no traffic: a repository whose traffic stopped is not repeated on later days', async () => {
    const fake = api();
    // Each series' newest stored day is 20 days ago.
    fake.history = { 11: daily(rocketViews).slice(0, DAYS - 20), 12: daily(() => 5).slice(0, DAYS - 20), 21: [] };
    fake.latestValue = fake.latestValue.map((item) => (item.metric.endsWith('_daily') ? { ...item, lastSeen: dayEnd(TODAY - 20), since: dayEnd(TODAY - 20) } : item));
    renderWith(fake, <Routed />);
    fireEvent.click(await screen.findByTestId('range-7d'));
    expect(await screen.findByTestId('traffic-no-days')).toBeTruthy();
    fireEvent.click(screen.getByTestId('range-30d'));
    await waitFor(() => expect(total('views')).toBe(sum(20, 29, rocketViews)));
  });

  it('asks for the days again when a poll brings traffic, not for other samples', async () => {
    const fake = api();
    renderWith(fake, <Routed />);
    await screen.findByTestId('traffic-totals');
    const before = fake.callsTo('range').length;
    act(() => fake.emit({ type: 'samples', source: 'github', time: NOW, latest: [series('github', 'github_repo_stars', { repo: 'rocket', user: 'acme' }, 51, NOW, 1)] }));
    expect(fake.callsTo('range')).toHaveLength(before);
    fake.history = { ...fake.history, 11: [...fake.history[11]!.slice(0, -1), { time: dayEnd(TODAY), value: 1_000 }] };
    act(() => fake.emit({ type: 'samples', source: 'github', time: NOW, latest: [series('github', TRAFFIC_DAILY.views, { repo: 'rocket', user: 'acme' }, 1_000, dayEnd(TODAY), 11)] }));
    await waitFor(() => expect(total('views')).toBe(sum(1, 29, rocketViews) + 1_000 + sum(0, 9, engineViews)));
    expect(fake.callsTo('range')).toHaveLength(before + 1);
  });
});

describe('Traffic follows stored days', () => {
  it('reads the series and days again when GitHub’s days are stored or revised, once per burst', async () => {
    const fake = api();
    renderWith(fake, <Routed />);
    await screen.findByTestId('traffic-totals');
    const [ranges, latests] = [fake.callsTo('range').length, fake.callsTo('latest').length];
    // Another source's history changes nothing here.
    act(() => fake.emit({ type: 'history', source: 'npm', series: [99] }));
    // A traffic poll revised today's views and stored a new repository's first days.
    fake.history = { ...fake.history, 11: [...fake.history[11]!.slice(0, -1), { time: dayEnd(TODAY), value: 1_000 }], 41: daily(() => 7, 3) };
    fake.latestValue = [...fake.latestValue, series('github', TRAFFIC_DAILY.views, { repo: 'docs', user: 'acme' }, 7, dayEnd(TODAY), 41)];
    act(() => fake.emit({ type: 'history', source: 'github', series: [11] }));
    act(() => fake.emit({ type: 'history', source: 'github', series: [41] }));
    await waitFor(() => expect(total('views')).toBe(sum(1, 29, rocketViews) + 1_000 + sum(0, 9, engineViews) + 3 * 7), { timeout: 4_000 });
    expect(fake.callsTo('latest')).toHaveLength(latests + 1);
    expect(fake.callsTo('range').length).toBeGreaterThan(ranges);
  });
});

describe('Details links to Traffic', () => {
  it('links each charted repository and GitHub owner to its traffic', async () => {
    window.location.hash = '#/details?series=1&totals=github:acme:github_repo_stars';
    renderWith(api(), <Routed />);
    const links = await screen.findAllByTestId('traffic-link');
    expect(links.map((link) => [link.textContent, link.getAttribute('href')])).toEqual([
      ['acme', '#/traffic?target=acme'],
      ['acme/rocket', '#/traffic?target=acme/rocket'],
    ]);
  });

  it('has no traffic link for a chart of other sources', async () => {
    window.location.hash = '#/details';
    renderWith(api(), <Routed />);
    await screen.findByTestId('series-picker');
    expect(screen.queryByTestId('traffic-links')).toBeNull();
  });
});
