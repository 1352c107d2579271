// Parsing Docker Hub's answers (the recorded fixture bodies), its rate-limit headers and its JWTs.
import { describe, expect, it } from 'vitest';
import { jwtExpiry } from '../../electron/core/sources/dockerhub/auth.js';
import { DockerHubStatusError, MalformedResponseError, targetFailureMessage } from '../../electron/core/sources/dockerhub/errors.js';
import { retryAtOf } from '../../electron/core/sources/common/retry-at.js';
import { parseRepository, parseRepositoryPage } from '../../electron/core/sources/dockerhub/shapes.js';
import { apiFixtureText as fixtureText } from '../support/api-fixtures.js';



describe('Docker Hub answers', () => {
  it('reads a list page: the fixture items carry no is_automated, their last_updated parsed to epoch ms', () => {
    const page = parseRepositoryPage(fixtureText('dockerhub_repos_list.json'), 'acmecorp');
    expect(page.next).toBeNull();
    expect(page.records).toHaveLength(3);
    expect(page.records[0]).toEqual({
      namespace: 'acmecorp',
      name: 'widget',
      pullCount: 1843207,
      starCount: 57,
      isAutomated: undefined,
      lastUpdated: Date.parse('2025-05-20T10:15:42.913Z'),
    });
    const paged = parseRepositoryPage(fixtureText('dockerhub_repos_list_page1_of_2.json'), 'docker');
    expect(paged.next).toBe('https://hub.docker.com/v2/namespaces/docker/repositories?page=2&page_size=100');
    expect(paged.records[0]!.namespace).toBe('acmecorp');
  });

  it('reads repository_info with is_automated', () => {
    expect(parseRepository(fixtureText('dockerhub_repo.json'), 'acmecorp')).toEqual({
      namespace: 'acmecorp',
      name: 'widget',
      pullCount: 1843207,
      starCount: 57,
      isAutomated: false,
      lastUpdated: Date.parse('2025-05-20T10:15:42.913Z'),
    });
  });

  it('takes the owner from `namespace`, else the older `user`, else the namespace asked for; null last_updated means never pushed', () => {
    const body = JSON.stringify({
      count: 3,
      next: null,
      results: [
        { name: 'a', user: 'old-style', pull_count: 1, star_count: 0, last_updated: null },
        { name: 'b', namespace: 'new-style', user: 'ignored', pull_count: 2, star_count: 0 },
        { name: 'c', pull_count: 3, star_count: 0, last_updated: 'not a date' },
      ],
    });
    const records = parseRepositoryPage(body, 'asked').records;
    expect(records.map((record) => [record.namespace, record.lastUpdated])).toEqual([
      ['old-style', null],
      ['new-style', undefined],
      ['asked', null],
    ]);
  });

  it('refuses a body that is not JSON or has the wrong shape, saying where', () => {
    expect(() => parseRepositoryPage('<!doctype html><title>Hub</title>', 'x')).toThrow(
      new MalformedResponseError('Docker Hub sent a repository list that is not JSON (it starts "<!doctype html><title>Hub</title>") — check dockerhub.apiUrl points at Docker Hub'),
    );
    expect(() => parseRepositoryPage('{"count":1,"results":{}}', 'x')).toThrow(/unexpected shape \(.+ at results\)/);
    expect(() => parseRepository('{"name":"x","pull_count":-1,"star_count":0}', 'x')).toThrow(/a repository of an unexpected shape \(.+ at pull_count\)/);
    expect(() => parseRepository('[]', 'x')).toThrow(MalformedResponseError);
  });
});

describe('Docker Hub errors', () => {
  it("takes Docker Hub's words from its error bodies and tells a generic page apart", () => {
    const notFound = new DockerHubStatusError(404, fixtureText('dockerhub_error_404.json'));
    expect([notFound.detail, notFound.fromDockerHub, notFound.message]).toEqual(['object not found', true, 'Docker Hub answered 404: object not found']);
    expect(new DockerHubStatusError(401, fixtureText('dockerhub_error_401_login.json')).detail).toBe('Incorrect authentication credentials');
    const page = new DockerHubStatusError(404, '<html><body><h1>404 Not Found</h1></body></html>');
    expect([page.detail, page.fromDockerHub]).toEqual(['404 Not Found', false]);
    expect(new DockerHubStatusError(502, 'x'.repeat(500)).detail).toHaveLength(201);
  });

  it('words a target failure by status, naming the key to fix', () => {
    const forbidden = new DockerHubStatusError(403, '{"detail":"Forbidden"}');
    expect(targetFailureMessage(forbidden, "image 'a/b'", 'dockerhub.images', false)).toBe(
      "Docker Hub refused access to image 'a/b' without a login (Forbidden) — for a private repository set dockerhub.username and dockerhub.token",
    );
    expect(targetFailureMessage(forbidden, "image 'a/b'", 'dockerhub.images', true)).toBe(
      "Docker Hub refused access to image 'a/b' (Forbidden) — check dockerhub.images and that dockerhub.username may read it",
    );
  });
});

describe('Docker Hub rate-limit headers', () => {
  const now = 1_750_000_000_000;
  const headers = (values: Record<string, string>) => new Headers(values);

  it('reads Retry-After in seconds or as an HTTP date', () => {
    expect(retryAtOf(headers({ 'retry-after': '42' }), now)).toBe(now + 42_000);
    expect(retryAtOf(headers({ 'retry-after': new Date(now + 90_000).toUTCString() }), now)).toBe(now + 90_000);
    expect(retryAtOf(headers({ 'retry-after': new Date(now - 90_000).toUTCString() }), now)).toBe(now);
  });

  it('reads X-Retry-After as epoch seconds, then X-RateLimit-Reset, else waits a minute', () => {
    expect(retryAtOf(headers({ 'x-retry-after': String(now / 1000 + 300) }), now)).toBe(now + 300_000);
    expect(retryAtOf(headers({ 'retry-after': '5', 'x-retry-after': String(now / 1000 + 300) }), now)).toBe(now + 5_000);
    expect(retryAtOf(headers({ 'x-ratelimit-reset': String(now / 1000 + 20) }), now)).toBe(now + 20_000);
    expect(retryAtOf(headers({ 'x-ratelimit-reset': String(now / 1000 - 20) }), now)).toBe(now + 60_000);
    expect(retryAtOf(headers({}), now)).toBe(now + 60_000);
  });
});

describe('Docker Hub JWT expiry', () => {
  it('reads exp from the fixture access token, null from anything else', () => {
    const jwt = (JSON.parse(fixtureText('dockerhub_auth_token.json')) as { access_token: string }).access_token;
    expect(jwtExpiry(jwt)).toBe(1_748_877_200_000);
    expect(jwtExpiry('opaque-token')).toBeNull();
    expect(jwtExpiry('a.!!!.c')).toBeNull();
    expect(jwtExpiry(`a.${Buffer.from('{"exp":"soon"}').toString('base64url')}.c`)).toBeNull();
  });
});
