// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RangeRequest } from '../../../shared/api.js';
import { ApiError } from '../../../renderer/api/errors.js';
import { formatDateTime, formatMoment } from '../../../renderer/format.js';
import { MAX_MARKER_REPOS, markerRequests } from '../../../renderer/model/chart-markers.js';
import { DAY_MS, HISTORY_PROBE_MS } from '../../../shared/series-book.js';
import { useRoute } from '../../../renderer/routing.js';
import { DetailsView } from '../../../renderer/views/details.js';
import { FakeApi, healthOf, series, sourceInfos } from '../../support/fake-api.js';
import { installCanvasStub, renderWith } from './render-helpers.js';

const NOW = Date.now();

function Routed() {
  const route = useRoute();
  return <DetailsView params={route.params} />;
}

function api(): FakeApi {
  return new FakeApi({
    configured: ['github', 'npm'],
    latest: [
      series('github', 'github_repo_stars', { repo: 'api', user: 'octo-org' }, 1234, NOW, 1),
      series('github', 'github_repo_stars', { repo: 'web', user: 'octo-org' }, 56, NOW, 2),
      series('github', 'github_repo_forks', { repo: 'api', user: 'octo-org' }, 9, NOW, 3),
      series('npm', 'npm_package_downloads', { package: 'left-pad', period: 'last_week' }, 0, NOW, 4),
    ],
    history: {
      1: [{ time: NOW - 400 * DAY_MS, value: 1000 }, { time: NOW - 3 * DAY_MS, value: 1234 }],
      2: [{ time: NOW - 20 * DAY_MS, value: 50 }, { time: NOW - DAY_MS / 2, value: 56 }],
      4: [{ time: NOW - 5 * DAY_MS, value: 0 }],
    },
  });
}

let restoreCanvas: () => void;
beforeAll(() => {
  restoreCanvas = installCanvasStub();
});
afterAll(() => restoreCanvas());
beforeEach(() => {
  window.location.hash = '#/details';
});
afterEach(cleanup);

function rangeRequests(fake: FakeApi): RangeRequest[] {
  return fake.callsTo('range').map((args) => args[0] as RangeRequest);
}

describe('Details', () => {
  it('shows loading, then the series of the headline metric, biggest first', async () => {
    const fake = api();
    const release = fake.hold('latest');
    renderWith(fake, <Routed />);
    expect(screen.getByTestId('loading')).toBeTruthy();
    await act(async () => release());
    const picker = await screen.findByTestId('series-picker');
    expect(within(picker).getAllByTestId('series-option').map((box) => box.closest('label')!.textContent)).toEqual(['octo-org/api1.2K', 'octo-org/web56']);
    const select = within(picker).getByTestId('metric-select') as HTMLSelectElement;
    expect(select.value).toBe('github_repo_stars');
    expect([...select.querySelectorAll('optgroup')].map((group) => group.label)).toEqual(['GitHub', 'npm']);
    expect(screen.getByTestId('details-empty').textContent).toMatch(/Choose series/);
  });

  it('shows an error when the series cannot be listed', async () => {
    const fake = api();
    fake.fail('latest', new ApiError('the history store is busy'));
    renderWith(fake, <Routed />);
    expect((await screen.findByRole('alert')).textContent).toContain('the history store is busy');
  });

  it('searches and switches metrics', async () => {
    const fake = api();
    renderWith(fake, <Routed />);
    const picker = await screen.findByTestId('series-picker');
    fireEvent.change(within(picker).getByTestId('series-search'), { target: { value: 'web' } });
    expect(within(picker).getAllByTestId('series-option')).toHaveLength(1);
    fireEvent.change(within(picker).getByTestId('series-search'), { target: { value: '' } });
    fireEvent.change(within(picker).getByTestId('metric-select'), { target: { value: 'npm_package_downloads' } });
    await waitFor(() => expect(window.location.hash).toBe('#/details?metric=npm_package_downloads'));
    expect(within(picker).getAllByTestId('series-option').map((box) => box.closest('label')!.textContent)).toEqual(['left-pad (7 days)0']);
  });

  it('charts picked series with one range request sized to the chart, and keeps the choice in the hash', async () => {
    const fake = api();
    renderWith(fake, <Routed />);
    const picker = await screen.findByTestId('series-picker');
    fireEvent.click(within(picker).getAllByTestId('series-option')[0]!);
    await waitFor(() => expect(window.location.hash).toBe('#/details?series=1&metric=github_repo_stars'));
    fireEvent.click(within(picker).getAllByTestId('series-option')[1]!);
    await waitFor(() => expect(window.location.hash).toBe('#/details?series=1,2&metric=github_repo_stars'));
    expect(await screen.findByTestId('details-chart')).toBeTruthy();
    const last = rangeRequests(fake).at(-1)!;
    expect(last.series).toEqual([1, 2]);
    expect(last.end - last.start).toBe(30 * DAY_MS);
    expect(last.points).toBe(600);
    const readout = screen.getByTestId('chart-readout');
    expect(within(readout).getAllByRole('row').map((row) => row.textContent)).toEqual(['octo-org/api1,234', 'octo-org/web56']);
    expect(within(picker).getAllByTestId('chosen-series').map((chip) => chip.textContent)).toEqual(['octo-org/api — Stars ✕', 'octo-org/web — Stars ✕']);
  });

  it('opens a linked chart from the hash and changes its range', async () => {
    window.location.hash = '#/details?series=1,3&range=7d';
    const fake = api();
    renderWith(fake, <Routed />);
    await screen.findByTestId('details-chart');
    expect(rangeRequests(fake)[0]!.end - rangeRequests(fake)[0]!.start).toBe(7 * DAY_MS);
    expect(screen.getByTestId('range-7d').getAttribute('aria-pressed')).toBe('true');
    // Two metrics on one chart: the read-out names both.
    expect(within(screen.getByTestId('chart-readout')).getAllByRole('rowheader').map((cell) => cell.textContent)).toEqual(['octo-org/api — Stars', 'octo-org/api — Forks']);
    fireEvent.click(screen.getByTestId('range-24h'));
    await waitFor(() => expect(rangeRequests(fake)).toHaveLength(2));
    expect(rangeRequests(fake)[1]!.end - rangeRequests(fake)[1]!.start).toBe(DAY_MS);
    expect(window.location.hash).toBe('#/details?series=1,3&range=24h');
  });

  it('asks once for "all", from where history starts', async () => {
    window.location.hash = '#/details?series=1&range=all';
    const fake = api();
    renderWith(fake, <Routed />);
    await screen.findByTestId('details-chart');
    const requests = rangeRequests(fake);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.start).toBe(NOW - 400 * DAY_MS);
  });

  it('switches to a log scale, saying zero values are left out, and back when log cannot show anything', async () => {
    window.location.hash = '#/details?series=1,4';
    const fake = api();
    renderWith(fake, <Routed />);
    await screen.findByTestId('details-chart');
    fireEvent.click(screen.getByTestId('log-scale'));
    await waitFor(() => expect(window.location.hash).toBe('#/details?series=1,4&scale=log'));
    expect(screen.getByText('Zero values are left out on a log scale.')).toBeTruthy();
    cleanup();
    window.location.hash = '#/details?series=4&scale=log';
    renderWith(fake, <Routed />);
    await screen.findByTestId('details-chart');
    expect(screen.getByText('Log scale needs values above zero: showing a linear scale.')).toBeTruthy();
  });

  it('says when a range has no history yet', async () => {
    window.location.hash = '#/details?series=2&range=24h';
    const fake = api();
    fake.history[2] = [{ time: NOW + DAY_MS, value: 1 }];
    renderWith(fake, <Routed />);
    expect(await screen.findByTestId('details-no-history')).toBeTruthy();
  });

  it('shows a chart error with a retry', async () => {
    window.location.hash = '#/details?series=1';
    const fake = api();
    fake.fail('range', new ApiError('range: series 1 does not exist'));
    renderWith(fake, <Routed />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('range: series 1 does not exist');
    fake.fail('range', null);
    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('details-chart')).toBeTruthy();
  });

  it('appends live values to the chart without asking for the range again', async () => {
    window.location.hash = '#/details?series=1';
    const fake = api();
    renderWith(fake, <Routed />);
    await screen.findByTestId('details-chart');
    const requests = rangeRequests(fake).length;
    act(() => fake.emit({ type: 'samples', source: 'github', time: NOW + 60_000, latest: [series('github', 'github_repo_stars', { repo: 'api', user: 'octo-org' }, 1300, NOW + 60_000, 1)] }));
    expect(screen.getByTestId('readout-value').textContent).toBe('1,300');
    expect(rangeRequests(fake)).toHaveLength(requests);
    expect(fake.callsTo('latest')).toHaveLength(1);
  });

  it('keeps a live value when the health event of the same poll arrives in the same tick', async () => {
    window.location.hash = '#/details?series=1';
    const fake = api();
    renderWith(fake, <Routed />);
    await screen.findByTestId('details-chart');
    act(() => {
      fake.emit({ type: 'samples', source: 'github', time: NOW + 60_000, latest: [series('github', 'github_repo_stars', { repo: 'api', user: 'octo-org' }, 1400, NOW + 60_000, 1)] });
      fake.emit({ type: 'health', health: healthOf('github') });
    });
    expect(screen.getByTestId('readout-value').textContent).toBe('1,400');
  });

  it('opens a history younger than the range on "since <start>", the line spanning the chart', async () => {
    const started = NOW - 10 * 60_000;
    window.location.hash = '#/details?series=5';
    const fake = new FakeApi({
      configured: ['github'],
      latest: [series('github', 'github_repo_stars', { repo: 'rocket', user: 'acme' }, 3_712, NOW, 5)],
      history: { 5: [{ time: started, value: 3_700 }, { time: NOW - 60_000, value: 3_712 }] },
    });
    renderWith(fake, <Routed />);
    const chart = await screen.findByTestId('details-chart');
    expect(screen.getByTestId('range-since').textContent).toBe(`Since ${formatMoment(started, Date.now())}`);
    expect(screen.getByTestId('range-30d').getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByTestId('range-24h').getAttribute('title')).toBe(`History starts ${formatDateTime(started)}: shows all of it`);
    expect(rangeRequests(fake)).toHaveLength(1);
    expect(rangeRequests(fake)[0]!.start).toBe(started);
    // The chart begins at the first value: its x axis runs from where history starts.
    const [from] = chart.dataset.xRange!.split(',').map(Number);
    expect(from).toBe(started);
    // Every range shows the same ten minutes.
    fireEvent.click(screen.getByTestId('range-1y'));
    await waitFor(() => expect(rangeRequests(fake)).toHaveLength(2));
    expect(rangeRequests(fake)[1]!.start).toBe(started);
    // Where history starts is asked with the probe window only.
    expect(fake.callsTo('changes')).toEqual([[[5], [HISTORY_PROBE_MS]], [[5], [HISTORY_PROBE_MS]]]);
  });

  it('reads a charted series again when a backfill stores its past, keeping the chart on screen', async () => {
    const firstPoll = NOW - 10 * 60_000;
    window.location.hash = '#/details?series=5';
    const fake = new FakeApi({
      configured: ['github'],
      latest: [series('github', 'github_repo_stars', { repo: 'rocket', user: 'acme' }, 3_712, NOW, 5), series('github', 'github_repo_forks', { repo: 'rocket', user: 'acme' }, 40, NOW, 6)],
      history: { 5: [{ time: firstPoll, value: 3_712 }], 6: [{ time: firstPoll, value: 40 }] },
    });
    renderWith(fake, <Routed />);
    const chart = await screen.findByTestId('details-chart');
    expect(screen.getByTestId('range-since')).toBeTruthy();
    expect(rangeRequests(fake)).toHaveLength(1);
    // The backfill reads the stars back to 90 days ago; an event about another series changes nothing.
    fake.history = { ...fake.history, 5: [{ time: NOW - 90 * DAY_MS, value: 100 }, { time: NOW - 20 * DAY_MS, value: 2_000 }, { time: firstPoll, value: 3_712 }] };
    act(() => fake.emit({ type: 'history', source: 'github', series: [6] }));
    act(() => fake.emit({ type: 'history', source: 'github', series: [5] }));
    act(() => fake.emit({ type: 'history', source: 'github', series: [5, 6] }));
    expect(screen.queryByTestId('loading')).toBeNull();
    await waitFor(() => expect(screen.queryByTestId('range-since')).toBeNull(), { timeout: 4_000 });
    // One more read for the burst, over the 30 days the history now fills.
    expect(rangeRequests(fake)).toHaveLength(2);
    const [from] = chart.dataset.xRange!.split(',').map(Number);
    expect(from).toBeLessThanOrEqual(Date.now() - 30 * DAY_MS + 60_000);
    expect(screen.getByTestId('details-chart')).toBe(chart);
  });

  it('says beside the chart which charted metrics have no history before the first poll', async () => {
    window.location.hash = '#/details?series=1,7';
    const fake = api();
    fake.latestValue = [...fake.latestValue, series('dockerhub', 'docker_hub_image_pulls_total', { image: 'app', user: 'octo', namespace: 'octo' }, 10, NOW, 7)];
    fake.sourcesValue = sourceInfos(['github', 'npm', 'dockerhub']);
    renderWith(fake, <Routed />);
    await screen.findByTestId('details-chart');
    const notes = screen.getAllByTestId('details-history-note');
    // Stars are read back (no note for them); Docker Hub pulls start at the first poll.
    expect(notes.map((note) => note.getAttribute('data-source'))).toEqual(['dockerhub']);
    expect(notes[0]!.textContent).toContain('Docker Hub keeps no history');
  });

  it('draws a series of a single point as a dot', async () => {
    window.location.hash = '#/details?series=1,6';
    const fake = api();
    // Seen once, a moment ago: on a 30-day chart it has one point, the newest.
    fake.latestValue.push(series('github', 'github_repo_stars', { repo: 'new', user: 'octo-org' }, 3, NOW, 6));
    fake.history[6] = [{ time: NOW, value: 3 }];
    renderWith(fake, <Routed />);
    const chart = await screen.findByTestId('details-chart');
    await waitFor(() => expect(JSON.parse(chart.dataset.dots ?? '[]')).toHaveLength(1));
    expect(JSON.parse(chart.dataset.dots!)[0].series).toBe(1);
  });

  it('charts an owner’s total as one line, and follows it live', async () => {
    window.location.hash = '#/details?totals=github:octo-org:github_repo_stars&metric=github_repo_stars';
    const fake = api();
    renderWith(fake, <Routed />);
    await screen.findByTestId('details-chart');
    expect(rangeRequests(fake).map((request) => request.series)).toEqual([[1, 2]]);
    const readout = screen.getByTestId('chart-readout');
    expect(within(readout).getAllByRole('row').map((row) => row.textContent)).toEqual(['octo-org (total)1,290']);
    expect(within(screen.getByTestId('series-picker')).getAllByTestId('chosen-series').map((chip) => chip.textContent)).toEqual(['octo-org (total) — Stars ✕']);
    act(() => fake.emit({ type: 'samples', source: 'github', time: NOW + 60_000, latest: [series('github', 'github_repo_stars', { repo: 'web', user: 'octo-org' }, 66, NOW + 60_000, 2)] }));
    expect(screen.getByTestId('readout-value').textContent).toBe('1,300');
  });

  it('zooms to a dragged span at full detail, shows it on the range buttons, and resets', async () => {
    window.location.hash = '#/details?series=1&range=7d';
    const fake = api();
    renderWith(fake, <Routed />);
    const chart = await screen.findByTestId('details-chart');
    await waitFor(() => expect(chart.dataset.plot).toBeDefined());
    const plot = JSON.parse(chart.dataset.plot!) as { width: number };
    const over = chart.querySelector('.u-over') as HTMLElement;
    fireEvent.mouseDown(over, { clientX: plot.width * 0.5, clientY: 40, button: 0 });
    fireEvent.mouseMove(over, { clientX: plot.width * 0.75, clientY: 60, movementX: 10, movementY: 2 });
    fireEvent.mouseUp(document, { clientX: plot.width * 0.75, clientY: 60, button: 0 });
    await waitFor(() => expect(window.location.hash).toMatch(/&from=\d+&to=\d+$/));
    const params = new URLSearchParams(window.location.hash.split('?')[1]);
    const zoom = { start: Number(params.get('from')), end: Number(params.get('to')) };
    const week = rangeRequests(fake)[0]!;
    expect(zoom.start).toBeCloseTo(week.start + (week.end - week.start) * 0.5, -6);
    expect(zoom.end).toBeCloseTo(week.start + (week.end - week.start) * 0.75, -6);
    // The span is asked again at full detail, and no range button claims the chart.
    await waitFor(() => expect(rangeRequests(fake)).toHaveLength(2));
    expect(rangeRequests(fake)[1]).toMatchObject({ start: zoom.start, end: zoom.end, series: [1] });
    expect(within(screen.getByTestId('range-buttons')).getAllByRole('button').map((button) => button.getAttribute('aria-pressed'))).toEqual(['false', 'false', 'false', 'false', 'false']);
    expect(screen.getByTestId('range-buttons').className).toContain('zoomed');
    expect(screen.getByTestId('zoom-span').textContent).toBe(`Zoomed: ${formatMoment(zoom.start, Date.now())} – ${formatMoment(zoom.end, Date.now())}`);
    // A zoomed chart is a fixed span of the past: live values do not move it.
    act(() => fake.emit({ type: 'samples', source: 'github', time: NOW + 60_000, latest: [series('github', 'github_repo_stars', { repo: 'api', user: 'octo-org' }, 1300, NOW + 60_000, 1)] }));
    expect(screen.getByTestId('readout-value').textContent).toBe('1,234');
    fireEvent.click(screen.getByTestId('zoom-reset'));
    await waitFor(() => expect(window.location.hash).toBe('#/details?series=1&range=7d'));
    await waitFor(() => expect(rangeRequests(fake)).toHaveLength(3));
    expect(rangeRequests(fake)[2]!.end - rangeRequests(fake)[2]!.start).toBe(7 * DAY_MS);
    expect(screen.getByTestId('range-7d').getAttribute('aria-pressed')).toBe('true');
    expect(screen.queryByTestId('zoom-reset')).toBeNull();
  });
});

describe('Details: release markers', () => {
  function withReleases(): FakeApi {
    const fake = api();
    fake.markersValue = [
      { source: 'github', kind: 'release', labels: { repo: 'api', user: 'octo-org' }, time: NOW - 10 * DAY_MS, text: 'v1.2.0' },
      { source: 'github', kind: 'release', labels: { repo: 'api', user: 'octo-org' }, time: NOW - 90 * DAY_MS, text: 'v1.0.0' },
      { source: 'github', kind: 'release', labels: { repo: 'web', user: 'octo-org' }, time: NOW - 5 * DAY_MS, text: 'v0.3.0' },
      { source: 'github', kind: 'release', labels: { repo: 'api', user: 'other-org' }, time: NOW - 4 * DAY_MS, text: 'v9' },
    ];
    return fake;
  }

  function placedLabels(chart: HTMLElement): string[] {
    return (JSON.parse(chart.dataset.markers ?? '[]') as { label: string }[]).map((marker) => marker.label);
  }

  it('draws the releases of the charted repository in the visible span', async () => {
    window.location.hash = '#/details?series=1,3&range=30d';
    const fake = withReleases();
    renderWith(fake, <Routed />);
    const chart = await screen.findByTestId('details-chart');
    await waitFor(() => expect(placedLabels(chart)).toEqual(['v1.2.0']));
    // Stars and forks of one repository: its markers are asked once, for the chart's span.
    const [request, ...more] = fake.callsTo('markers').map((args) => args[0] as { source: string; labels: object; start: number; end: number });
    expect(more).toEqual([]);
    expect(request!.source).toBe('github');
    expect(request!.labels).toEqual({ user: 'octo-org', repo: 'api' });
    expect(request!.start).toBe(rangeRequests(fake)[0]!.start);
    expect(request!.end).toBe(rangeRequests(fake)[0]!.end);
  });

  it('names the repository on each label when several are charted, and asks again for a new range', async () => {
    window.location.hash = '#/details?series=1,2&range=30d';
    const fake = withReleases();
    renderWith(fake, <Routed />);
    const chart = await screen.findByTestId('details-chart');
    await waitFor(() => expect(placedLabels(chart)).toEqual(['api v1.2.0', 'web v0.3.0']));
    expect(fake.callsTo('markers')).toHaveLength(2);
    fireEvent.click(screen.getByTestId('range-all'));
    await waitFor(() => expect(fake.callsTo('markers')).toHaveLength(4));
    await waitFor(() => expect(placedLabels(screen.getByTestId('details-chart'))).toEqual(['api v1.0.0', 'api v1.2.0', 'web v0.3.0']));
  });

  it('says when releases could not be loaded, and still draws the chart', async () => {
    window.location.hash = '#/details?series=1';
    const fake = withReleases();
    fake.fail('markers', new ApiError('markers: the range is too wide: narrow it'));
    renderWith(fake, <Routed />);
    expect((await screen.findByTestId('markers-error')).textContent).toBe('Releases could not be shown: markers: the range is too wide: narrow it');
    expect(screen.getByTestId('details-chart')).toBeTruthy();
  });

  it('asks for at most a few repositories’ markers, and none for other sources', () => {
    const span = { start: NOW - DAY_MS, end: NOW };
    const repos = ['a', 'b', 'c', 'd', 'e'].map((repo, index) => series('github', 'github_repo_stars', { repo, user: 'o' }, 1, NOW, 100 + index));
    const npm = series('npm', 'npm_package_downloads', { package: 'left-pad', period: 'last_week' }, 0, NOW, 200);
    const requests = markerRequests([npm, undefined, ...repos], span);
    expect(requests.map((request) => request.labels)).toEqual([{ user: 'o', repo: 'a' }, { user: 'o', repo: 'b' }, { user: 'o', repo: 'c' }]);
    expect(requests).toHaveLength(MAX_MARKER_REPOS);
    expect(markerRequests([npm], span)).toEqual([]);
  });
});

describe('Details: a repository\'s figures', () => {
  function withFigures(): FakeApi {
    return new FakeApi({
      configured: ['github'],
      latest: [
        series('github', 'github_repo_stars', { repo: 'api', user: 'octo-org' }, 1234, NOW, 1),
        series('github', 'github_repo_stars', { repo: 'web', user: 'octo-org' }, 56, NOW, 2),
        series('github', 'github_repo_commits', { repo: 'api', user: 'octo-org' }, 4211, NOW, 3),
        series('github', 'github_repo_last_commit_timestamp_seconds', { repo: 'api', user: 'octo-org' }, Math.floor((NOW - 3 * DAY_MS) / 1000), NOW, 4),
        series('github', 'github_repo_closed_issues', { repo: 'api', user: 'octo-org' }, 903, NOW, 5),
        series('github', 'github_repo_merged_pull_requests', { repo: 'api', user: 'octo-org' }, 1250, NOW, 6),
        series('github', 'github_repo_releases', { repo: 'api', user: 'octo-org' }, 12, NOW, 7),
        series('github', 'github_repo_contributors', { repo: 'api', user: 'octo-org' }, 87, NOW, 8),
        // web came through REST: only its release count is known.
        series('github', 'github_repo_releases', { repo: 'web', user: 'octo-org' }, 2, NOW, 9),
      ],
      history: { 1: [{ time: NOW - DAY_MS, value: 1234 }], 2: [{ time: NOW - DAY_MS, value: 56 }] },
    });
  }

  it('shows commits, the last commit "3 days ago", closed issues, merged PRs, releases and contributors of each charted repository', async () => {
    window.location.hash = '#/details?series=1,2&metric=github_repo_stars';
    renderWith(withFigures(), <Routed />);
    const rows = await screen.findAllByTestId('repository-facts');
    expect(rows.map((row) => row.textContent)).toEqual([
      'octo-org/api4.2K commitslast commit 3 days ago903 closed issues1.3K merged PRs12 releases87 contributors',
      'octo-org/web2 releases',
    ]);
  });

  it('shows no figures row before a repository is charted', async () => {
    renderWith(withFigures(), <Routed />);
    await screen.findByTestId('series-picker');
    expect(screen.queryAllByTestId('repository-facts')).toEqual([]);
  });
});
