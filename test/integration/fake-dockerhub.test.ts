// The Docker Hub fake against the recorded API facts (test/fixtures/api, beside the repository): plain
// fetch on loopback, so what is checked is the wire behaviour a client sees.
import { describe, expect, it } from 'vitest';
import { startFakeDockerHub, type FakeDockerHub, type FakeDockerRepo } from '../fakes/dockerhub/index.js';
import { fakeDockerHubToken } from '../support/test-tokens.js';
import { closedAfterEach } from '../support/closed-after-each.js';
import { apiFixture as fixture } from '../support/api-fixtures.js';



type Json = Record<string, unknown>;
const keysOf = (value: unknown) => Object.keys(value as Json).sort();
/** The JSON type of every field, so a shape check also catches a number sent as a string. */
const typesOf = (value: Json) => Object.fromEntries(Object.entries(value).map(([key, field]) => [key, field === null ? 'null' : Array.isArray(field) ? 'array' : typeof field]));

const CREDENTIALS = { username: 'acmecorp', token: fakeDockerHubToken() };

function repo(namespace: string, name: string, extra: Partial<FakeDockerRepo> = {}): FakeDockerRepo {
  return { namespace, name, pullCount: 100, starCount: 3, ...extra };
}

const fake = closedAfterEach(startFakeDockerHub);

async function getJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(url, { headers, redirect: 'manual' });
  const text = await response.text();
  return { status: response.status, body: text.startsWith('{') ? JSON.parse(text) : text, headers: response.headers };
}

async function login(hub: FakeDockerHub, identifier: string, secret: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${hub.url}/v2/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identifier, secret }) });
  return { status: response.status, body: await response.json() };
}

function claimsOf(jwt: string): { exp: number; iat: number; sub: string } {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));
}

describe('fake Docker Hub shapes', () => {
  it('serves list items and repository_info with the fixture keys and field types', async () => {
    const hub = await fake({
      repositories: [repo('acmecorp', 'widget', { pullCount: 1843207, starCount: 57, lastUpdated: '2025-05-20T10:15:42.913271Z', description: 'Widget server image' })],
    });
    const listFixture = fixture<{ results: Json[] }>('dockerhub_repos_list.json');
    const repoFixture = fixture<Json>('dockerhub_repo.json');

    const list = await getJson(`${hub.url}/v2/namespaces/acmecorp/repositories?page_size=100&page=1`);
    expect(list.status).toBe(200);
    expect(keysOf(list.body)).toEqual(keysOf(listFixture));
    expect(keysOf(list.body.results[0])).toEqual(keysOf(listFixture.results[0]));
    expect(typesOf(list.body.results[0])).toEqual(typesOf(listFixture.results[0]!));
    expect(list.body.results[0]).toMatchObject({ name: 'widget', namespace: 'acmecorp', pull_count: 1843207, star_count: 57, last_updated: '2025-05-20T10:15:42.913271Z' });

    const detail = await getJson(`${hub.url}/v2/namespaces/acmecorp/repositories/widget`);
    expect(detail.status).toBe(200);
    expect(keysOf(detail.body)).toEqual(keysOf(repoFixture));
    expect(typesOf(detail.body)).toEqual(typesOf(repoFixture));
    expect(detail.body).toMatchObject({ user: 'acmecorp', namespace: 'acmecorp', is_automated: false, pull_count: 1843207 });
    // The fixture's list items lack what only repository_info has.
    for (const key of ['user', 'is_automated', 'permissions']) expect(list.body.results[0]).not.toHaveProperty(key);
    expect(detail.headers.get('content-type')).toBe('application/json');
  });

  it('pages with absolute next/previous on its own origin; a page past the end is 404 with the fixture body', async () => {
    const hub = await fake({ repositories: Array.from({ length: 150 }, (_, i) => repo('big', `image-${String(i).padStart(3, '0')}`)) });
    const first = await getJson(`${hub.url}/v2/namespaces/big/repositories?page_size=100&page=1`);
    expect(first.body.count).toBe(150);
    expect(first.body.results).toHaveLength(100);
    expect(first.body.previous).toBeNull();
    expect(first.body.next).toBe(`${hub.url}/v2/namespaces/big/repositories?page=2&page_size=100`);
    // Same form as the recorded page 1 of 2.
    expect(new URL(fixture<{ next: string }>('dockerhub_repos_list_page1_of_2.json').next).search).toBe(new URL(first.body.next).search);

    const second = await getJson(first.body.next);
    expect(second.body.results).toHaveLength(50);
    expect(second.body.next).toBeNull();
    expect(second.body.previous).toBe(`${hub.url}/v2/namespaces/big/repositories?page=1&page_size=100`);
    const names = [...first.body.results, ...second.body.results].map((item: Json) => item['name']);
    expect(new Set(names).size).toBe(150);

    const past = await getJson(`${hub.url}/v2/namespaces/big/repositories?page_size=100&page=3`);
    expect(past.status).toBe(404);
    expect(past.body).toEqual(fixture('dockerhub_error_404.json'));

    const defaultSize = await getJson(`${hub.url}/v2/namespaces/big/repositories`);
    expect(defaultSize.body.results).toHaveLength(10);
    expect((await getJson(`${hub.url}/v2/namespaces/big/repositories?page_size=101`)).status).toBe(400);
    expect((await getJson(`${hub.url}/v2/namespaces/big/repositories?page=0`)).status).toBe(400);
  });

  it('orders and filters by name, and reflects addRepo/updateRepo/removeRepo', async () => {
    const hub = await fake({ repositories: [repo('o', 'b', { pullCount: 5 }), repo('o', 'a', { pullCount: 9 }), repo('o', 'cli-b', { pullCount: 1 })] });
    const names = async (query: string) => (await getJson(`${hub.url}/v2/namespaces/o/repositories?${query}`)).body.results.map((item: Json) => item['name']);
    expect(await names('')).toEqual(['a', 'b', 'cli-b']);
    expect(await names('ordering=-pull_count')).toEqual(['a', 'b', 'cli-b']);
    expect(await names('ordering=pull_count')).toEqual(['cli-b', 'b', 'a']);
    expect(await names('name=b')).toEqual(['b', 'cli-b']);
    expect((await getJson(`${hub.url}/v2/namespaces/o/repositories?ordering=stars`)).status).toBe(400);

    hub.addRepo(repo('o', 'new'));
    hub.updateRepo('o/a', { pullCount: 10, isAutomated: true });
    hub.removeRepo('o/b');
    expect(await names('')).toEqual(['a', 'cli-b', 'new']);
    expect((await getJson(`${hub.url}/v2/namespaces/o/repositories/a`)).body).toMatchObject({ pull_count: 10, is_automated: true });
    expect(() => hub.updateRepo('o/missing', { pullCount: 1 })).toThrow(/no repository o\/missing/);
    expect(() => hub.addRepo(repo('o', 'a'))).toThrow(/already has o\/a/);
  });

  it('answers an unknown namespace 404 on the current route and an empty 200 on the legacy one', async () => {
    const hub = await fake({ repositories: [repo('acmecorp', 'widget')], namespaces: ['empty-org'] });
    const current = await getJson(`${hub.url}/v2/namespaces/nobody/repositories?page_size=100&page=1`);
    expect(current.status).toBe(404);
    expect(current.body).toEqual(fixture('dockerhub_error_404.json'));
    const legacy = await getJson(`${hub.url}/v2/repositories/nobody/?page_size=100&page=1`);
    expect(legacy.status).toBe(200);
    expect(legacy.body).toEqual({ count: 0, next: null, previous: null, results: [] });
    // A namespace that exists without repositories is an empty list on both.
    expect((await getJson(`${hub.url}/v2/namespaces/empty-org/repositories`)).body).toEqual({ count: 0, next: null, previous: null, results: [] });
    // Docker Hub keeps serving the legacy routes, in the current list shape.
    const legacyItem = (await getJson(`${hub.url}/v2/repositories/acmecorp/`)).body.results[0];
    expect(legacyItem).toMatchObject({ name: 'widget', namespace: 'acmecorp' });
    expect((await getJson(`${hub.url}/v2/repositories/acmecorp/widget/`)).body).toMatchObject({ name: 'widget', user: 'acmecorp' });
    expect((await getJson(`${hub.url}/v2/namespaces/acmecorp/repositories/nothing`)).body).toEqual(fixture('dockerhub_error_404.json'));
  });

  it('in legacy-only mode has no current routes and lists owners as `user`, the pre-2022 shape', async () => {
    const hub = await fake({ repositories: [repo('acmecorp', 'widget')], legacyOnly: true });
    const current = await getJson(`${hub.url}/v2/namespaces/acmecorp/repositories?page_size=100&page=1`);
    expect(current.status).toBe(404);
    expect(typeof current.body).toBe('string');
    expect(current.body).toContain('404 Not Found');
    expect((await getJson(`${hub.url}/v2/namespaces/acmecorp/repositories/widget`)).status).toBe(404);

    const item = (await getJson(`${hub.url}/v2/repositories/acmecorp/?page_size=100&page=1`)).body.results[0];
    expect(item).toMatchObject({ name: 'widget', user: 'acmecorp' });
    expect(item).not.toHaveProperty('namespace');
    expect((await getJson(`${hub.url}/v2/repositories/acmecorp/widget/`)).body).toMatchObject({ name: 'widget', namespace: 'acmecorp', is_automated: false });
    const redirect = await getJson(`${hub.url}/v2/repositories/acmecorp?page=1`);
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe(`${hub.url}/v2/repositories/acmecorp/?page=1`);
  });
});

describe('fake Docker Hub login and private repositories', () => {
  it('issues a JWT for the right credentials and refuses others with the fixture body', async () => {
    const hub = await fake({ repositories: [repo('acmecorp', 'public'), repo('acmecorp', 'secret', { isPrivate: true })], credentials: CREDENTIALS });
    const refused = await login(hub, CREDENTIALS.username, 'dckr_pat_wrong');
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual(fixture('dockerhub_error_401_login.json'));
    expect(hub.tokensIssued).toBe(0);

    const before = Math.floor(Date.now() / 1000);
    const granted = await login(hub, CREDENTIALS.username, CREDENTIALS.token);
    expect(granted.status).toBe(200);
    expect(keysOf(granted.body)).toEqual(keysOf(fixture('dockerhub_auth_token.json')));
    expect(hub.tokensIssued).toBe(1);
    const claims = claimsOf(granted.body.access_token);
    expect(claims.sub).toBe(CREDENTIALS.username);
    expect(claims.exp - claims.iat).toBe(600);
    expect(claims.iat).toBeGreaterThanOrEqual(before);

    const bearer = { authorization: `Bearer ${granted.body.access_token}` };
    const anonymousNames = (await getJson(`${hub.url}/v2/namespaces/acmecorp/repositories`)).body.results.map((item: Json) => item['name']);
    const loggedInNames = (await getJson(`${hub.url}/v2/namespaces/acmecorp/repositories`, bearer)).body.results.map((item: Json) => item['name']);
    expect(anonymousNames).toEqual(['public']);
    expect(loggedInNames).toEqual(['public', 'secret']);
    expect((await getJson(`${hub.url}/v2/namespaces/acmecorp/repositories/secret`)).status).toBe(404);
    const secret = await getJson(`${hub.url}/v2/namespaces/acmecorp/repositories/secret`, bearer);
    expect(secret.status).toBe(200);
    expect(secret.body).toMatchObject({ is_private: true, permissions: { read: true, write: true, admin: true } });
    expect(hub.requests.filter((request) => request.authenticated).map((request) => request.path)).toEqual([
      '/v2/namespaces/acmecorp/repositories',
      '/v2/namespaces/acmecorp/repositories/secret',
    ]);

    // A JWT not issued here, and a malformed login request.
    expect((await getJson(`${hub.url}/v2/namespaces/acmecorp/repositories`, { authorization: 'Bearer a.b.c' })).status).toBe(401);
    const malformed = await fetch(`${hub.url}/v2/auth/token`, { method: 'POST', body: '{"username":"x"}' });
    expect(malformed.status).toBe(400);
  });

  it('lets issued JWTs expire after their lifetime, and at once with expireTokens()', async () => {
    const hub = await fake({ repositories: [repo('acmecorp', 'secret', { isPrivate: true })], credentials: CREDENTIALS, tokenLifetimeSeconds: 0.3 });
    const first = (await login(hub, CREDENTIALS.username, CREDENTIALS.token)).body.access_token as string;
    const detail = (jwt: string) => getJson(`${hub.url}/v2/namespaces/acmecorp/repositories/secret`, { authorization: `Bearer ${jwt}` });
    expect((await detail(first)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 350));
    const expired = await detail(first);
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ detail: 'Signature has expired.' });

    const long = await fake({ repositories: [repo('acmecorp', 'secret', { isPrivate: true })], credentials: CREDENTIALS });
    const jwt = (await login(long, CREDENTIALS.username, CREDENTIALS.token)).body.access_token as string;
    const read = () => getJson(`${long.url}/v2/namespaces/acmecorp/repositories/secret`, { authorization: `Bearer ${jwt}` });
    expect((await read()).status).toBe(200);
    long.expireTokens();
    expect((await read()).status).toBe(401);
    const renewed = (await login(long, CREDENTIALS.username, CREDENTIALS.token)).body.access_token as string;
    expect((await getJson(`${long.url}/v2/namespaces/acmecorp/repositories/secret`, { authorization: `Bearer ${renewed}` })).status).toBe(200);
    expect(long.tokensIssued).toBe(2);
  });

  it('accepts any non-empty credentials when none are configured', async () => {
    const hub = await fake({ repositories: [repo('someone', 'x')] });
    expect((await login(hub, 'anyone', 'anything')).status).toBe(200);
    expect((await login(hub, 'anyone', '')).status).toBe(400);
  });
});

describe('fake Docker Hub rate limits and failures', () => {
  it('sends X-RateLimit-* headers and answers 429 with Retry-After and the fixture body when the window is used up', async () => {
    const hub = await fake({ repositories: [repo('o', 'a')], rateLimit: { limit: 3, windowSeconds: 60 } });
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const answer = await getJson(`${hub.url}/v2/namespaces/o/repositories/a`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('x-ratelimit-limit')).toBe('3');
      remaining.push(answer.headers.get('x-ratelimit-remaining')!);
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const limited = await getJson(`${hub.url}/v2/namespaces/o/repositories/a`);
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual(fixture('dockerhub_error_429.json'));
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const reset = Number(limited.headers.get('x-ratelimit-reset'));
    expect(reset).toBeGreaterThan(Date.now() / 1000);
    expect(reset).toBeLessThanOrEqual(Date.now() / 1000 + 61);
  });

  it('fails the next matching requests as asked: 429 headers, 5xx, a custom body, times', async () => {
    const hub = await fake({ repositories: [repo('o', 'a'), repo('o', 'b')] });
    const epoch = Math.floor(Date.now() / 1000) + 30;
    hub.failNext({ match: /\/a$/, status: 429, retryAfterSeconds: 7 });
    hub.failNext({ match: /\/a$/, status: 429, xRetryAfterEpoch: epoch });
    hub.failNext({ match: /\/b$/, status: 503, times: 2 });
    hub.failNext({ match: /\/repositories$/, status: 200, body: '<html>maintenance</html>' });

    const a1 = await getJson(`${hub.url}/v2/namespaces/o/repositories/a`);
    expect([a1.status, a1.headers.get('retry-after'), a1.headers.get('x-retry-after')]).toEqual([429, '7', null]);
    expect(a1.body).toEqual(fixture('dockerhub_error_429.json'));
    const a2 = await getJson(`${hub.url}/v2/namespaces/o/repositories/a`);
    expect([a2.status, a2.headers.get('retry-after'), a2.headers.get('x-retry-after')]).toEqual([429, null, String(epoch)]);
    expect((await getJson(`${hub.url}/v2/namespaces/o/repositories/a`)).status).toBe(200);

    expect((await getJson(`${hub.url}/v2/namespaces/o/repositories/b`)).status).toBe(503);
    expect((await getJson(`${hub.url}/v2/namespaces/o/repositories/b`)).status).toBe(503);
    expect((await getJson(`${hub.url}/v2/namespaces/o/repositories/b`)).status).toBe(200);

    const malformed = await getJson(`${hub.url}/v2/namespaces/o/repositories`);
    expect([malformed.status, malformed.body]).toEqual([200, '<html>maintenance</html>']);
    expect(hub.requests.map((request) => request.status)).toEqual([429, 429, 200, 503, 503, 200, 200]);
    expect(() => hub.failNext({ status: 200 })).toThrow(/needs a body/);
    expect(() => hub.failNext({ status: 503, times: 0 })).toThrow(/times/);
  });

  it('adds the configured latency to every answer', async () => {
    const hub = await fake({ repositories: [repo('o', 'a')], latencyMs: 120 });
    const started = performance.now();
    await getJson(`${hub.url}/v2/namespaces/o/repositories/a`);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });
});
