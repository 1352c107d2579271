import { describe, expect, it } from 'vitest';
import { sourceModules } from '../../../electron/core/sources/registry.js';
import { httpConfigSchema, httpSource } from '../../../electron/core/sources/http/index.js';
import { headlineSpecFor } from '../../../shared/headlines.js';
import { applyHealth } from '../../../renderer/model/health-status.js';
import { sourceStatus } from '../../../shared/source-status.js';
import { metricTitle, seriesTitle } from '../../../shared/names.js';
import { cardStatus, sumTrend, topMovers, withCurrent } from '../../../renderer/model/overview.js';
import { CHANGE_WINDOWS_MS, buildCards, headlineSeriesIds } from '../../../shared/overview.js';
import { DAY_MS, HISTORY_PROBE_MS, applyLatest, createBook, deltaOf, historyStartOf, sinceLocalMidnightMs, withHistoryProbe } from '../../../shared/series-book.js';
import { totalMembers } from '../../../renderer/model/totals.js';
import { FakeApi, healthOf, series, sourceInfos } from '../../support/fake-api.js';

const NOW = Date.UTC(2026, 4, 10, 12);
/** What each source module declares for its Overview cards. */
const headlineSpecs = Object.fromEntries(sourceModules.map((module) => [module.id, module.ui?.overview]));

describe('headline specs', () => {
  it('are declared by every source and name metrics and labels of its own catalogue', () => {
    for (const [id, spec] of Object.entries(headlineSpecs)) {
      expect(spec, `source ${id} declares ui.overview`).toBeDefined();
      if (!spec) continue;
      const module = sourceModules.find((item) => item.id === id);
      expect(module, `source ${id}`).toBeDefined();
      for (const headline of spec.metrics) {
        const def = module!.metrics.find((metric) => metric.name === headline.metric);
        expect(def, `${id}: ${headline.metric}`).toBeDefined();
        expect(def!.labels).toContain(spec.groupBy);
        for (const label of Object.keys(headline.where ?? {})) expect(def!.labels).toContain(label);
      }
    }
  });

  it('derives a spec for a source it does not list from the catalogue', () => {
    const spec = headlineSpecFor({ id: 'pypi', title: 'PyPI', configured: true, ui: null, metrics: [{ name: 'pypi_up', help: '', type: 'gauge', labels: [] }, { name: 'pypi_downloads', help: '', type: 'gauge', labels: ['package', 'period'] }] });
    expect(spec).toEqual({ groupBy: 'package', groupNoun: 'package', metrics: [{ metric: 'pypi_downloads', title: 'Pypi downloads' }] });
    expect(headlineSpecFor({ id: 'x', title: 'X', configured: true, ui: null, metrics: [] })).toBeNull();
  });
});

describe('names', () => {
  it('names metrics, known or not', () => {
    expect(metricTitle('github_repo_open_issues')).toBe('Open issues');
    expect(metricTitle('foo_bar_total')).toBe('Foo bar total');
  });

  it('names series by what they are about', () => {
    expect(seriesTitle({ source: 'github', metric: 'github_repo_stars', labels: { repo: 'api', user: 'octo-org' } })).toBe('octo-org/api');
    expect(seriesTitle({ source: 'github', metric: 'github_repo_release_downloads', labels: { repo: 'cli', user: 'o', tag: 'v1.0', name: 'cli.tar.gz', release: 'One' } })).toBe('o/cli · v1.0 · cli.tar.gz');
    expect(seriesTitle({ source: 'dockerhub', metric: 'docker_hub_image_pulls_total', labels: { image: 'nginx', user: 'library', namespace: 'library' } })).toBe('library/nginx');
    expect(seriesTitle({ source: 'ga4', metric: 'ga4_page_views_by_page', labels: { property: '123', page: '/docs' } })).toBe('property 123 /docs');
    expect(seriesTitle({ source: 'ga4', metric: 'ga4_active_users', labels: { property: '123', period: 'last_28_days' } })).toBe('property 123 (28 days)');
    expect(seriesTitle({ source: 'npm', metric: 'npm_package_downloads', labels: { package: '@a/b', period: 'last_week' } })).toBe('@a/b (7 days)');
    expect(seriesTitle({ source: 'other', metric: 'other_x', labels: { a: '1', b: '' } })).toBe('1');
  });
});

describe('overview cards', () => {
  const stars = (user: string, repo: string, value: number, id: number) => series('github', 'github_repo_stars', { repo, user }, value, NOW, id);
  const forks = (user: string, repo: string, value: number, id: number) => series('github', 'github_repo_forks', { repo, user }, value, NOW, id);

  async function bookOf(api: FakeApi) {
    const sources = await api.sources();
    const latest = await api.latest();
    const changes = await api.changes(headlineSeriesIds(sources, latest), CHANGE_WINDOWS_MS);
    return { sources, book: createBook(latest, changes) };
  }

  it('sums headline metrics per group and their changes per window', async () => {
    const api = new FakeApi({
      configured: ['github'],
      latest: [stars('org-a', 'one', 120, 1), stars('org-a', 'two', 30, 2), forks('org-a', 'one', 7, 3), stars('org-b', 'x', 5, 4)],
      history: {
        1: [{ time: NOW - 40 * DAY_MS, value: 100 }, { time: NOW - 3 * DAY_MS, value: 110 }, { time: NOW - 1_000, value: 120 }],
        2: [{ time: NOW - 40 * DAY_MS, value: 30 }],
        3: [{ time: NOW - 2 * DAY_MS, value: 7 }],
        4: [{ time: NOW - 10 * DAY_MS, value: 1 }, { time: NOW - 60_000, value: 5 }],
      },
    });
    api.now = () => NOW;
    const { sources, book } = await bookOf(api);
    const cards = buildCards(sources, book);
    expect(cards.map((card) => card.key)).toEqual(['github:org-b', 'github:org-a']);
    const orgA = cards[1]!;
    expect(orgA.figures.map((figure) => [figure.title, figure.total])).toEqual([['Stars', 150], ['Forks', 7]]);
    expect(orgA.figures[0]!.changes.map((change) => change.delta)).toEqual([10, 20, 20]);
    // Forks: a series younger than the window counts from its first point.
    expect(orgA.figures[1]!.changes.map((change) => change.delta)).toEqual([0, 0, 0]);
    expect(cards[0]!.figures[0]!.changes.map((change) => change.delta)).toEqual([4, 4, 4]);
  });

  it('counts only the labelled period of rolling counts, and skips sources that are not configured', async () => {
    const api = new FakeApi({
      configured: ['npm'],
      latest: [
        series('npm', 'npm_package_downloads', { package: 'left-pad', period: 'last_week' }, 700, NOW, 10),
        series('npm', 'npm_package_downloads', { package: 'left-pad', period: 'last_month' }, 3000, NOW, 11),
        series('github', 'github_repo_stars', { repo: 'r', user: 'u' }, 9, NOW, 12),
      ],
    });
    const { sources, book } = await bookOf(api);
    const cards = buildCards(sources, book);
    expect(cards.map((card) => [card.key, card.figures[0]!.total, card.groupNoun])).toEqual([['npm:left-pad', 700, 'package']]);
  });

  it('gives each user-defined JSON source a card with only its own metrics', async () => {
    const config = httpConfigSchema.parse([
      { name: 'gpt2', url: 'https://huggingface.co/api/models/openai-community/gpt2', metrics: [{ name: 'hf_downloads', value: 'downloads' }, { name: 'hf_likes', value: 'likes' }] },
      { name: 'homebrew', url: 'https://formulae.brew.sh/api/formula/wget.json', metrics: [{ name: 'brew_installs', value: 'x' }] },
    ]);
    const sources = sourceInfos(['http']).map((source) => (source.id === 'http' ? { ...source, ui: httpSource.uiFor!(config) } : source));
    const api = new FakeApi({
      sources,
      latest: [series('http', 'hf_downloads', { endpoint: 'gpt2' }, 900, NOW, 20), series('http', 'hf_likes', { endpoint: 'gpt2' }, 12, NOW, 21), series('http', 'brew_installs', { endpoint: 'homebrew' }, 55, NOW, 22)],
    });
    const { book } = await bookOf(api);
    const cards = buildCards(sources, book);
    expect(cards.map((card) => [card.key, card.figures.map((figure) => [figure.metric, figure.total])]).sort()).toEqual([
      ['http:gpt2', [['hf_downloads', 900], ['hf_likes', 12]]],
      ['http:homebrew', [['brew_installs', 55]]],
    ]);
  });

  it('marks only the card of a failing JSON source; other sources\' cards show their source\'s status', () => {
    const [http, github] = ['http', 'github'].map((id) => sourceInfos([id]).find((source) => source.id === id)!);
    const partial = { kind: 'partial' as const, detail: '2 targets failed — …' };
    const failed = [{ target: 'http/broken', message: 'answered 404' }, { target: 'http/gpt2 hf_likes', message: 'gave null' }];
    expect(cardStatus(http!, 'homebrew', partial, failed)).toEqual({ kind: 'ok', detail: null });
    expect(cardStatus(http!, 'broken', partial, failed)).toEqual({ kind: 'partial', detail: 'http/broken: answered 404' });
    expect(cardStatus(http!, 'gpt2', partial, failed)).toEqual({ kind: 'partial', detail: 'http/gpt2 hf_likes: gave null' });
    expect(cardStatus(http!, 'gpt', partial, failed)).toEqual({ kind: 'ok', detail: null });
    expect(cardStatus(github!, 'acme', partial, [{ target: 'repo:acme/x', message: 'm' }])).toBe(partial);
  });

  it('sorts by relative change, then absolute change, then size', () => {
    const sources = sourceInfos(['github']);
    const book = createBook(
      [stars('big', 'r', 10_000, 1), stars('small', 'r', 20, 2), stars('still', 'r', 500, 3), stars('quiet', 'r', 50, 4)],
      [
        { id: 1, latest: 10_000, changes: [{ windowMs: DAY_MS, delta: 500, baseTime: 0 }] },
        { id: 2, latest: 20, changes: [{ windowMs: DAY_MS, delta: 10, baseTime: 0 }] },
        { id: 3, latest: 500, changes: [{ windowMs: DAY_MS, delta: 0, baseTime: 0 }] },
        { id: 4, latest: 50, changes: [{ windowMs: DAY_MS, delta: 0, baseTime: 0 }] },
      ],
    );
    expect(buildCards(sources, book, [DAY_MS]).map((card) => card.group)).toEqual(['small', 'big', 'still', 'quiet']);
  });

  it('updates totals and changes from a live event without asking again', () => {
    const sources = sourceInfos(['github']);
    let book = createBook([stars('o', 'r', 100, 1)], [{ id: 1, latest: 100, changes: [{ windowMs: DAY_MS, delta: 10, baseTime: 0 }] }]);
    book = applyLatest(book, [stars('o', 'r', 104, 1), stars('o', 'new', 3, 2)], [DAY_MS]);
    expect(deltaOf(book, 1, DAY_MS)).toBe(14);
    // A series first seen in an event has no history a window back: its own change is unknown…
    expect(deltaOf(book, 2, DAY_MS)).toBeNull();
    const card = buildCards(sources, book, [DAY_MS])[0]!;
    expect(card.figures[0]!.total).toBe(107);
    // …but in a total whose history reaches back, it counts from the value it came with.
    expect(card.figures[0]!.changes[0]!.delta).toBe(14);
  });

  it('lists the top movers among headline series, non-zero only', () => {
    const sources = sourceInfos(['github', 'dockerhub']);
    const book = createBook(
      [stars('o', 'a', 110, 1), stars('o', 'b', 50, 2), series('dockerhub', 'docker_hub_image_pulls_total', { image: 'i', user: 'n', namespace: 'n' }, 2_000, NOW, 3), series('github', 'github_repo_watchers', { repo: 'a', user: 'o' }, 99, NOW, 4)],
      [
        { id: 1, latest: 110, changes: [{ windowMs: DAY_MS, delta: 10, baseTime: 0 }] },
        { id: 2, latest: 50, changes: [{ windowMs: DAY_MS, delta: 0, baseTime: 0 }] },
        { id: 3, latest: 2_000, changes: [{ windowMs: DAY_MS, delta: 1_000, baseTime: 0 }] },
        { id: 4, latest: 99, changes: [{ windowMs: DAY_MS, delta: 90, baseTime: 0 }] },
      ],
    );
    expect(topMovers(sources, book, DAY_MS, 5).map((mover) => [mover.title, mover.delta])).toEqual([['n/i', 1_000], ['o/a', 10]]);
    expect(topMovers(sources, book, DAY_MS, 1)).toHaveLength(1);
  });
});

describe('changes on a young history', () => {
  const stars = (user: string, repo: string, value: number, id: number) => series('github', 'github_repo_stars', { repo, user }, value, NOW, id);

  async function bookOf(api: FakeApi, windowsMs: readonly number[] = CHANGE_WINDOWS_MS) {
    const sources = await api.sources();
    const latest = await api.latest();
    const changes = await api.changes(headlineSeriesIds(sources, latest), withHistoryProbe(windowsMs));
    return { sources, book: createBook(latest, changes) };
  }

  it('are unknown, with where history starts, when no series reaches back the window — never 0 or the whole value', async () => {
    const started = NOW - 10 * 60_000;
    const api = new FakeApi({
      configured: ['github'],
      // A fresh install: the first poll saw 3,700 stars ten minutes ago, the newest 3,712.
      latest: [stars('acme', 'rocket', 3_712, 1), stars('acme', 'engine', 100, 2)],
      history: { 1: [{ time: started, value: 3_700 }, { time: NOW - 60_000, value: 3_712 }], 2: [{ time: started, value: 100 }] },
    });
    api.now = () => NOW;
    const { sources, book } = await bookOf(api);
    expect(historyStartOf(book, 1)).toBe(started);
    const changes = buildCards(sources, book)[0]!.figures[0]!.changes;
    expect(changes).toEqual(CHANGE_WINDOWS_MS.map((windowMs) => ({ windowMs, delta: null, base: null, historyStart: started })));
    expect(deltaOf(book, 1, DAY_MS)).toBeNull();
    expect(topMovers(sources, book, DAY_MS, 5)).toEqual([]);
  });

  it('are known for the windows the history covers', async () => {
    const api = new FakeApi({
      configured: ['github'],
      latest: [stars('acme', 'rocket', 130, 1)],
      history: { 1: [{ time: NOW - 2 * DAY_MS, value: 100 }, { time: NOW - DAY_MS / 2, value: 130 }] },
    });
    api.now = () => NOW;
    const { sources, book } = await bookOf(api);
    const changes = buildCards(sources, book)[0]!.figures[0]!.changes;
    expect(changes.map((change) => [change.delta, change.historyStart])).toEqual([[30, null], [null, NOW - 2 * DAY_MS], [null, NOW - 2 * DAY_MS]]);
    expect(topMovers(sources, book, DAY_MS, 5).map((mover) => mover.delta)).toEqual([30]);
  });

  it('count a younger repository of an owner whose history reaches back', async () => {
    const api = new FakeApi({
      configured: ['github'],
      latest: [stars('acme', 'old', 120, 1), stars('acme', 'new', 15, 2)],
      history: { 1: [{ time: NOW - 40 * DAY_MS, value: 100 }, { time: NOW - DAY_MS, value: 120 }], 2: [{ time: NOW - 3 * DAY_MS, value: 10 }, { time: NOW - 60_000, value: 15 }] },
    });
    api.now = () => NOW;
    const { sources, book } = await bookOf(api);
    const changes = buildCards(sources, book)[0]!.figures[0]!.changes;
    // 7 d: +20 of the old repository and +5 since the new one was first seen.
    expect(changes.map((change) => change.delta)).toEqual([5, 25, 25]);
    expect(deltaOf(book, 2, 7 * DAY_MS)).toBeNull();
  });

  it('start where a series first seen in an event starts', () => {
    const sources = sourceInfos(['github']);
    let book = createBook([], []);
    book = applyLatest(book, [{ ...stars('acme', 'rocket', 3_700, 1), since: NOW - 5_000 }], [DAY_MS]);
    const change = buildCards(sources, book, [DAY_MS])[0]!.figures[0]!.changes[0]!;
    expect(change).toEqual({ windowMs: DAY_MS, delta: null, base: null, historyStart: NOW - 5_000 });
  });

  it('ask the probe that tells where history starts', () => {
    expect(withHistoryProbe([DAY_MS])).toEqual([DAY_MS, HISTORY_PROBE_MS]);
    expect(HISTORY_PROBE_MS).toBeGreaterThan(50 * 365 * DAY_MS);
  });
});

describe('group totals', () => {
  it('are the series a card sums: the headline metric of the group, the labelled period only', () => {
    const sources = sourceInfos(['github', 'npm']);
    const latest = [
      series('github', 'github_repo_stars', { repo: 'a', user: 'acme' }, 5, NOW, 1),
      series('github', 'github_repo_stars', { repo: 'b', user: 'acme' }, 50, NOW, 2),
      series('github', 'github_repo_stars', { repo: 'c', user: 'other' }, 9, NOW, 3),
      series('github', 'github_repo_forks', { repo: 'a', user: 'acme' }, 1, NOW, 4),
      series('npm', 'npm_package_downloads', { package: 'left-pad', period: 'last_week' }, 700, NOW, 5),
      series('npm', 'npm_package_downloads', { package: 'left-pad', period: 'last_month' }, 3_000, NOW, 6),
    ];
    expect(totalMembers({ source: 'github', group: 'acme', metric: 'github_repo_stars' }, sources, latest).map((item) => item.id)).toEqual([2, 1]);
    expect(totalMembers({ source: 'npm', group: 'left-pad', metric: 'npm_package_downloads' }, sources, latest).map((item) => item.id)).toEqual([5]);
    expect(totalMembers({ source: 'github', group: 'acme', metric: 'github_repo_size_kb' }, sources, latest)).toEqual([]);
    expect(totalMembers({ source: 'nowhere', group: 'acme', metric: 'github_repo_stars' }, sources, latest)).toEqual([]);
  });
});

describe('trends', () => {
  it('sums the series of a card per step, null before any had a value', () => {
    const trend = sumTrend({ series: [
      { id: 1, times: [0, 10, 20], values: [null, 1, 2] },
      { id: 2, times: [0, 10, 20], values: [null, null, 5] },
      { id: 3, times: [0, 10, 20], values: [100, 100, 100] },
    ] }, [1, 2]);
    expect(trend).toEqual({ times: [0, 10, 20], values: [null, 1, 7] });
  });

  it('ends with the current total', () => {
    expect(withCurrent({ times: [0, 10], values: [1, 2] }, 15, 9)).toEqual({ times: [0, 10, 15], values: [1, 2, 9] });
    expect(withCurrent({ times: [0, 10], values: [1, 2] }, 10, 9)).toEqual({ times: [0, 10], values: [1, 9] });
  });
});

describe('health status', () => {
  it('tells ok, stale, failing, paused and waiting apart', () => {
    const interval = 600_000;
    const at = { now: NOW, online: true };
    expect(sourceStatus(healthOf('github', { lastSuccessAt: NOW - interval }), at)).toBe('ok');
    expect(sourceStatus(healthOf('github', { lastSuccessAt: NOW - 3 * interval }), at)).toBe('stale');
    // "error" is called "failed" in the one status model (issue 13).
    expect(sourceStatus(healthOf('github', { lastSuccessAt: NOW, lastError: 'GitHub said 401' }), at)).toBe('failed');
    expect(sourceStatus(healthOf('github', { state: 'backoff' }), at)).toBe('failed');
    expect(sourceStatus(healthOf('github', { state: 'paused', lastError: 'x' }), at)).toBe('paused');
    expect(sourceStatus(healthOf('github'), at)).toBe('waiting');
  });

  it('replaces a source’s entry in place, or adds it', () => {
    const list = [healthOf('github'), healthOf('npm')];
    const updated = applyHealth(list, healthOf('github', { consecutiveFailures: 2 }));
    expect(updated.map((item) => [item.id, item.consecutiveFailures])).toEqual([['github', 2], ['npm', 0]]);
    expect(applyHealth(list, healthOf('ga4')).map((item) => item.id)).toEqual(['github', 'npm', 'ga4']);
  });

  it('measures today from local midnight', () => {
    const now = new Date(2026, 4, 10, 9, 30).getTime();
    expect(sinceLocalMidnightMs(now)).toBe(9.5 * 3_600_000);
    expect(sinceLocalMidnightMs(new Date(2026, 4, 10, 0, 0, 10).getTime())).toBe(60_000);
  });
});
