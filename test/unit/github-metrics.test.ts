import { describe, expect, it } from 'vitest';
import { githubMetrics, ownerSamples, rateSamples, repositoryLabels, repositorySamples } from '../../electron/core/sources/github/metrics.js';
import { canonicalTimestamp, fresherBudget, passesInclude } from '../../electron/core/sources/github/model.js';
import type { RepositoryStats } from '../../electron/core/sources/github/model.js';
import { budgetFromHeaders, resourceBudgetFromHeaders, restRepositoryStats } from '../../electron/core/sources/github/rest-collector.js';
import type { RestRelease, RestRepository } from '../../electron/core/sources/github/rest-collector.js';

const widget: RepositoryStats = {
  owner: 'acme-corp',
  name: 'widget',
  isPrivate: false,
  isFork: true,
  isArchived: false,
  license: '',
  language: '',
  stars: 12873,
  forks: 1344,
  watchers: 142,
  sizeKb: 48210,
  openIssues: 187,
  openPullRequests: 24,
  canPush: false,
  releases: [
    {
      name: 'Widget 3.2',
      tag: 'v3.2.0',
      assets: [
        { name: 'widget-linux-amd64.tar.gz', downloads: 18422, createdAt: '2025-05-20T10:01:57Z' },
        // Uploaded a day after the release was made: github-exporter's created_at is the asset's.
        { name: 'widget-darwin-arm64.tar.gz', downloads: 7310, createdAt: '2025-05-21T08:00:00Z' },
      ],
    },
    { name: '', tag: 'v3.1.0', assets: [{ name: 'widget.zip', downloads: 3, createdAt: '2025-04-01T00:00:00Z' }] },
  ],
  figures: { commits: 4211, lastCommitAt: Date.parse('2025-06-01T12:00:00Z') + 999, closedIssues: 903, mergedPullRequests: 1250, releases: 2, contributors: 87 },
};

describe('github metric mapping', () => {
  it('labels repositories like github-exporter: booleans as text, missing license and language as ""', () => {
    expect(repositoryLabels(widget)).toEqual({ repo: 'widget', user: 'acme-corp', private: 'false', fork: 'true', archived: 'false', license: '', language: '' });
    expect(repositoryLabels({ ...widget, license: 'mit', language: 'Go', isPrivate: true })).toMatchObject({ private: 'true', license: 'mit', language: 'Go' });
  });

  it('maps each value to its metric and one download sample per asset', () => {
    const samples = repositorySamples(widget);
    const value = (metric: string) => samples.find((sample) => sample.metric === metric)?.value;
    expect(value('github_repo_stars')).toBe(12873);
    expect(value('github_repo_forks')).toBe(1344);
    expect(value('github_repo_watchers')).toBe(142);
    expect(value('github_repo_size_kb')).toBe(48210);
    expect(value('github_repo_open_issues')).toBe(187);
    expect(samples.find((sample) => sample.metric === 'github_repo_pull_request_count')).toEqual({
      metric: 'github_repo_pull_request_count',
      labels: { repo: 'widget', user: 'acme-corp' },
      value: 24,
    });
    expect(samples.filter((sample) => sample.metric === 'github_repo_release_downloads')).toEqual([
      {
        metric: 'github_repo_release_downloads',
        labels: { repo: 'widget', user: 'acme-corp', release: 'Widget 3.2', name: 'widget-linux-amd64.tar.gz', tag: 'v3.2.0', created_at: '2025-05-20T10:01:57Z' },
        value: 18422,
      },
      {
        metric: 'github_repo_release_downloads',
        labels: { repo: 'widget', user: 'acme-corp', release: 'Widget 3.2', name: 'widget-darwin-arm64.tar.gz', tag: 'v3.2.0', created_at: '2025-05-21T08:00:00Z' },
        value: 7310,
      },
      {
        metric: 'github_repo_release_downloads',
        labels: { repo: 'widget', user: 'acme-corp', release: '', name: 'widget.zip', tag: 'v3.1.0', created_at: '2025-04-01T00:00:00Z' },
        value: 3,
      },
    ]);
  });

  it('maps the figures with labels repo,user, the last commit in epoch seconds, and leaves an absent figure out', () => {
    const figures = (stats: RepositoryStats) =>
      Object.fromEntries(repositorySamples(stats).filter((sample) => Object.keys(sample.labels).length === 2 && sample.metric !== 'github_repo_pull_request_count').map((sample) => [sample.metric, sample.value]));
    expect(figures(widget)).toEqual({
      github_repo_commits: 4211,
      github_repo_last_commit_timestamp_seconds: 1748779200,
      github_repo_closed_issues: 903,
      github_repo_merged_pull_requests: 1250,
      github_repo_releases: 2,
      github_repo_contributors: 87,
    });
    for (const sample of repositorySamples(widget).filter((item) => item.metric === 'github_repo_commits')) expect(sample.labels).toEqual({ repo: 'widget', user: 'acme-corp' });
    // The REST path knows releases only: the other figures have no series rather than a 0.
    expect(figures({ ...widget, figures: { releases: 2 } })).toEqual({ github_repo_releases: 2 });
    expect(figures({ ...widget, figures: { commits: 0 } })).toEqual({ github_repo_commits: 0 });
  });

  it('reports owner totals and the rate budget with the reset in epoch seconds', () => {
    expect(ownerSamples({ login: 'acme-corp', repositories: 3, stars: 13811 })).toEqual([
      { metric: 'github_owner_repositories', labels: { user: 'acme-corp' }, value: 3 },
      { metric: 'github_owner_stars', labels: { user: 'acme-corp' }, value: 13811 },
    ]);
    const budgets = new Map([
      ['graphql', { limit: 5000, remaining: 4943, resetAt: Date.parse('2025-06-02T16:00:00Z') + 999 }],
      ['core', { limit: 5000, remaining: 4990, resetAt: Date.parse('2025-06-02T16:10:00Z') }],
    ]);
    expect(rateSamples(budgets)).toEqual([
      { metric: 'github_rate_limit', labels: { resource: 'core' }, value: 5000 },
      { metric: 'github_rate_remaining', labels: { resource: 'core' }, value: 4990 },
      { metric: 'github_rate_reset', labels: { resource: 'core' }, value: 1748880600 },
      { metric: 'github_rate_limit', labels: { resource: 'graphql' }, value: 5000 },
      { metric: 'github_rate_remaining', labels: { resource: 'graphql' }, value: 4943 },
      { metric: 'github_rate_reset', labels: { resource: 'graphql' }, value: 1748880000 },
    ]);
    expect(rateSamples(new Map())).toEqual([]);
  });

  it('adds what the poll spent of each budget it saw, 0 included; a resource without a figure gets none', () => {
    const budgets = new Map([['core', { limit: 5000, remaining: 4990, resetAt: 1_700_000_000_000 }], ['graphql', { limit: 5000, remaining: 4000, resetAt: 1_700_000_000_000 }]]);
    const spent = rateSamples(budgets, new Map([['graphql', 310], ['core', 0], ['search', 3]])).filter((sample) => sample.metric === 'github_rate_spent_per_poll');
    expect(spent).toEqual([
      { metric: 'github_rate_spent_per_poll', labels: { resource: 'core' }, value: 0 },
      { metric: 'github_rate_spent_per_poll', labels: { resource: 'graphql' }, value: 310 },
    ]);
    expect(rateSamples(budgets, new Map([['graphql', 310]])).filter((sample) => sample.labels.resource === 'core').map((sample) => sample.metric)).not.toContain('github_rate_spent_per_poll');
  });

  it('declares each emitted metric once, as a gauge with help text and exactly the labels used', () => {
    // Traffic samples come from traffic.ts; github-traffic.test.ts checks them against the catalogue.
    const names = githubMetrics.map((metric) => metric.name).filter((name) => !name.startsWith('github_repo_traffic_'));
    expect(new Set(names).size).toBe(names.length);
    const samples = [
      ...repositorySamples(widget),
      ...ownerSamples({ login: 'a', repositories: 1, stars: 1 }),
      ...rateSamples(new Map([['core', { limit: 1, remaining: 1, resetAt: 0 }]]), new Map([['core', 1]])),
    ];
    expect([...new Set(samples.map((sample) => sample.metric))].sort()).toEqual([...names].sort());
    for (const sample of samples) {
      const def = githubMetrics.find((metric) => metric.name === sample.metric)!;
      expect(def.type).toBe('gauge');
      expect(def.help.length).toBeGreaterThan(10);
      expect(Object.keys(sample.labels).sort()).toEqual([...def.labels].sort());
    }
  });
});

describe('REST mapping', () => {
  const repository: RestRepository = {
    name: 'widget',
    owner: { login: 'acme-corp' },
    private: false,
    fork: false,
    archived: true,
    license: { key: 'apache-2.0' },
    language: 'Go',
    stargazers_count: 10,
    forks_count: 2,
    subscribers_count: 7,
    size: 300,
    open_issues_count: 30,
  };
  const releases: RestRelease[] = [
    { name: null, tag_name: 'v2', draft: false, assets: [{ name: 'a', download_count: 5, created_at: '2025-05-20T10:01:57.000Z' }] },
    { name: 'Draft', tag_name: 'v3', draft: true, assets: [{ name: 'a', download_count: 0, created_at: '2025-05-21T10:00:00Z' }] },
    { name: 'One', tag_name: 'v1', draft: false, assets: [] },
  ];

  it('takes watchers from subscribers_count and subtracts open PRs from open issues', () => {
    const stats = restRepositoryStats(repository, 12, releases);
    expect(stats).toMatchObject({ watchers: 7, openIssues: 18, openPullRequests: 12, license: 'apache-2.0', language: 'Go', isArchived: true, stars: 10, forks: 2, sizeKb: 300 });
    expect(restRepositoryStats({ ...repository, license: null, language: null }, 0, []).license).toBe('');
  });

  it('leaves drafts out, keeps an unnamed release\'s name empty (as github-exporter does) and normalises the asset\'s created_at', () => {
    const stats = restRepositoryStats(repository, 0, releases);
    expect(stats.releases).toEqual([
      { name: '', tag: 'v2', assets: [{ name: 'a', downloads: 5, createdAt: '2025-05-20T10:01:57Z' }] },
      { name: 'One', tag: 'v1', assets: [] },
    ]);
    // The release count comes free with the list; the other figures would cost requests REST does not make.
    expect(stats.figures).toEqual({ releases: 2 });
  });

  it('reads the core budget from x-ratelimit headers and ignores other resources', () => {
    const headers = { 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '57', 'x-ratelimit-reset': '1748880000', 'x-ratelimit-resource': 'core' };
    expect(budgetFromHeaders(headers)).toEqual({ limit: 60, remaining: 57, resetAt: 1_748_880_000_000 });
    expect(budgetFromHeaders({ ...headers, 'x-ratelimit-resource': 'search' })).toBeNull();
    expect(budgetFromHeaders({})).toBeNull();
  });

  it('names the resource of a header budget, core when the header is absent', () => {
    const headers = { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4990', 'x-ratelimit-reset': '1748880000' };
    expect(resourceBudgetFromHeaders({ ...headers, 'x-ratelimit-resource': 'graphql' })).toEqual({ resource: 'graphql', budget: { limit: 5000, remaining: 4990, resetAt: 1_748_880_000_000 } });
    expect(resourceBudgetFromHeaders(headers)?.resource).toBe('core');
    expect(resourceBudgetFromHeaders({ ...headers, 'x-ratelimit-limit': undefined })).toBeNull();
  });
});

describe('model helpers', () => {
  it('keeps the freshest budget: a later window, or the lower remaining within one', () => {
    const a = { limit: 60, remaining: 50, resetAt: 1000 };
    expect(fresherBudget(null, a)).toBe(a);
    expect(fresherBudget(a, { ...a, remaining: 49 })).toEqual({ ...a, remaining: 49 });
    expect(fresherBudget(a, { ...a, remaining: 51 })).toBe(a);
    expect(fresherBudget(a, { limit: 60, remaining: 60, resetAt: 2000 })).toEqual({ limit: 60, remaining: 60, resetAt: 2000 });
  });

  it('filters forks, archived and private repositories as configured', () => {
    const fork = { isFork: true, isArchived: false, isPrivate: false };
    expect(passesInclude({ forks: false, archived: true, private: true }, fork)).toBe(false);
    expect(passesInclude({ forks: true, archived: false, private: false }, fork)).toBe(true);
    expect(passesInclude({ forks: true, archived: false, private: true }, { ...fork, isArchived: true })).toBe(false);
    expect(passesInclude({ forks: true, archived: true, private: false }, { ...fork, isPrivate: true })).toBe(false);
  });

  it('writes timestamps in GitHub form', () => {
    expect(canonicalTimestamp('2025-05-20T10:01:57.000Z')).toBe('2025-05-20T10:01:57Z');
    expect(canonicalTimestamp('2025-05-20T10:01:57.250Z')).toBe('2025-05-20T10:01:57.250Z');
    expect(canonicalTimestamp('2025-05-20T12:01:57+02:00')).toBe('2025-05-20T10:01:57Z');
    expect(canonicalTimestamp('not a date')).toBe('not a date');
  });
});
