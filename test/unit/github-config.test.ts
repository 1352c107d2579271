import { describe, expect, it } from 'vitest';
import { githubConfigSchema } from '../../electron/core/sources/github/config.js';
import { targetsOf } from '../../electron/core/sources/github/targets.js';
import { refusedIssues } from '../support/config-issues.js';

const issuesOf = (input: unknown) => refusedIssues(githubConfigSchema, input);

describe('github config schema', () => {
  it('fills the documented defaults', () => {
    expect(githubConfigSchema.parse({ orgs: ['my-org'] })).toEqual({
      apiUrl: 'https://api.github.com',
      token: undefined,
      orgs: ['my-org'],
      users: [],
      repos: [],
      interval: 600_000,
      timeout: 20_000,
      include: { forks: true, archived: true, private: true },
      traffic: { enabled: true, interval: 6 * 3_600_000 },
    });
  });

  it('counts forks unless the file says include.forks: false (github-exporter lists forks too)', () => {
    expect(githubConfigSchema.parse({ orgs: ['o'], include: { archived: false } }).include).toEqual({ forks: true, archived: false, private: true });
    expect(githubConfigSchema.parse({ orgs: ['o'], include: { forks: false } }).include).toEqual({ forks: false, archived: true, private: true });
  });

  it('reads github.traffic: enabled and its own interval, and names a bad key', () => {
    expect(githubConfigSchema.parse({ orgs: ['o'], traffic: { interval: '1d' } }).traffic).toEqual({ enabled: true, interval: 86_400_000 });
    expect(githubConfigSchema.parse({ orgs: ['o'], traffic: { enabled: false } }).traffic).toEqual({ enabled: false, interval: 6 * 3_600_000 });
    const bad = githubConfigSchema.safeParse({ orgs: ['o'], traffic: { interval: 'often', every: '1h' } });
    expect(bad.success).toBe(false);
    const issues = bad.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('\n');
    expect(issues).toMatch(/traffic\.interval: "often" is not a duration/);
    expect(issues).toMatch(/traffic.*every/);
  });

  it('parses the interval, keeps include values given and treats an empty token as none', () => {
    const config = githubConfigSchema.parse({ token: '  ', users: ['me'], interval: '1h30m', include: { forks: true } });
    expect(config.token).toBeUndefined();
    expect(config.interval).toBe(5_400_000);
    expect(config.include).toEqual({ forks: true, archived: true, private: true });
    expect(githubConfigSchema.parse({ token: 'ghp_x', repos: ['a/b'] }).token).toBe('ghp_x');
  });

  it('drops a trailing slash from apiUrl (GitHub Enterprise form included)', () => {
    expect(githubConfigSchema.parse({ apiUrl: 'https://ghe.example.com/api/v3/', orgs: ['x'] }).apiUrl).toBe('https://ghe.example.com/api/v3');
  });

  it('asks for at least one target', () => {
    expect(issuesOf({})).toEqual([
      { path: '', message: 'github needs at least one target: list organizations under github.orgs, users under github.users or repositories ("owner/name") under github.repos' },
    ]);
    expect(issuesOf({ orgs: [], users: [], repos: [] })).toHaveLength(1);
  });

  it('shows the right form of a repository', () => {
    expect(issuesOf({ repos: ['just-a-name'] })).toEqual([
      { path: 'repos.0', message: '"just-a-name" is not a repository: write it as "owner/name", e.g. "octocat/hello-world"' },
    ]);
    expect(issuesOf({ repos: ['https://github.com/a/b'] })[0]!.message).toContain('"owner/name"');
    expect(issuesOf({ repos: ['a/b/c'] })[0]!.path).toBe('repos.0');
  });

  it('points a repository written under orgs to github.repos', () => {
    expect(issuesOf({ orgs: ['acme/widget'] })).toEqual([
      { path: 'orgs.0', message: '"acme/widget" is not a GitHub login: write the login only, e.g. "my-org"; a repository belongs under github.repos' },
    ]);
    expect(issuesOf({ users: ['-bad-'] })[0]!.message).toBe('"-bad-" is not a GitHub login: write the login only, e.g. "my-user"');
  });

  it('refuses a URL that is not http(s), a short interval and unknown keys', () => {
    expect(issuesOf({ orgs: ['x'], apiUrl: 'api.github.com' })[0]).toEqual({
      path: 'apiUrl',
      message: '"api.github.com" is not an http(s) base URL: use "https://api.github.com", or "https://HOST/api/v3" for GitHub Enterprise Server',
    });
    expect(issuesOf({ orgs: ['x'], apiUrl: 'ftp://example.com' })[0]!.path).toBe('apiUrl');
    expect(issuesOf({ orgs: ['x'], interval: '500ms' })).toEqual([{ path: 'interval', message: '500ms is too short: use at least 1s' }]);
    expect(issuesOf({ orgs: ['x'], organisations: ['y'] })[0]!.message).toMatch(/organisations/);
    expect(issuesOf({ orgs: ['x'], include: { fork: true } })[0]!.path).toBe('include');
  });
});

describe('github targets', () => {
  it('lists each owner and repository once, case-insensitively, orgs before users', () => {
    const targets = targetsOf({ orgs: ['Acme', 'acme', 'other'], users: ['ACME', 'me'], repos: ['Acme/Widget', 'acme/widget', 'x/y'] });
    expect(targets.owners).toEqual([
      { kind: 'org', login: 'Acme', target: 'org:Acme' },
      { kind: 'org', login: 'other', target: 'org:other' },
      { kind: 'user', login: 'me', target: 'user:me' },
    ]);
    expect(targets.repositories).toEqual([
      { owner: 'Acme', name: 'Widget', target: 'repo:Acme/Widget' },
      { owner: 'x', name: 'y', target: 'repo:x/y' },
    ]);
  });
});
