// The Docker Hub source against the loopback fake: pagination, dedupe, login and JWT renewal, target
// errors, rate limits, retries, malformed answers, the legacy routes and stopping.
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../shared/metrics.js';
import { RateLimitedError } from '../../electron/core/source.js';
import { createDockerHubSource, DockerHubAuthError, dockerhubConfigSchema, dockerhubSource } from '../../electron/core/sources/dockerhub/index.js';
import type { DockerHubSourceOptions } from '../../electron/core/sources/dockerhub/index.js';
import { startFakeDockerHub } from '../fakes/dockerhub/index.js';
import type { FakeDockerHub, FakeDockerRepo } from '../fakes/dockerhub/index.js';
import { fakeDockerHubToken } from '../support/test-tokens.js';
import { closedAfterEach } from '../support/closed-after-each.js';
import { collectContext as context } from '../support/collect-context.js';

const CREDENTIALS = { username: 'acmecorp', token: fakeDockerHubToken() };
/** Test waits: backoff after a 5xx starts at 5 ms; in-process rate-limit waits up to 3 s. */
const FAST: DockerHubSourceOptions = { retryDelayMs: 5, maxRateLimitWaitMs: 3_000 };

const fakeHub = closedAfterEach(startFakeDockerHub);

/** A deterministic spread of values, so every repository differs from its neighbours. */
function makeRepo(namespace: string, index: number, overrides: Partial<FakeDockerRepo> = {}): FakeDockerRepo {
  return {
    namespace,
    name: `image-${String(index).padStart(3, '0')}`,
    pullCount: 1_000 + index * 7_919,
    starCount: (index * 37) % 101,
    isAutomated: index % 5 === 0,
    lastUpdated: new Date(Date.UTC(2024, 0, 1) + index * 86_400_000 + 123).toISOString().replace('Z', '456Z'),
    ...overrides,
  };
}


function source(fake: FakeDockerHub, config: Record<string, unknown>, options: DockerHubSourceOptions = FAST) {
  return createDockerHubSource(dockerhubConfigSchema.parse({ apiUrl: fake.url, interval: '1s', ...config }), options);
}

function seriesOf(samples: readonly Sample[], metric: string): Sample[] {
  return samples.filter((sample) => sample.metric === metric);
}

/** Every series the source should report for a repository, from the fake's data. */
function expectedSamples(repo: FakeDockerRepo): Sample[] {
  const labels = { image: repo.name, user: repo.namespace, namespace: repo.namespace };
  const samples: Sample[] = [
    { metric: 'docker_hub_image_pulls_total', labels, value: repo.pullCount },
    { metric: 'docker_hub_image_stars', labels, value: repo.starCount },
    { metric: 'docker_hub_image_is_automated', labels, value: repo.isAutomated ? 1 : 0 },
  ];
  if (repo.lastUpdated) samples.push({ metric: 'docker_hub_image_last_updated', labels, value: Math.floor(Date.parse(repo.lastUpdated) / 1000) });
  return samples;
}

const byKey = (sample: Sample) => `${sample.metric} ${sample.labels['namespace']}/${sample.labels['image']}`;
const sorted = (samples: readonly Sample[]) => [...samples].sort((a, b) => byKey(a).localeCompare(byKey(b)));

function imagesIn(samples: readonly Sample[]): string[] {
  return seriesOf(samples, 'docker_hub_image_pulls_total').map((sample) => `${sample.labels['namespace']}/${sample.labels['image']}`);
}

describe('Docker Hub source, anonymous', () => {
  it('collects a namespace across 2 pages plus an image, values equal to the fake, is_automated read once a day', async () => {
    const orgRepos = Array.from({ length: 130 }, (_, index) => makeRepo('acmecorp', index));
    const single = makeRepo('other', 7, { name: 'tool', lastUpdated: null });
    const fake = await fakeHub({ repositories: [...orgRepos, single] });
    const { ctx, statuses } = context();
    const dockerhub = source(fake, { namespaces: ['acmecorp'], images: ['other/tool'] });

    const result = await dockerhub.collect(ctx);

    expect(result.errors).toEqual([]);
    expect(sorted(result.samples)).toEqual(sorted([...orgRepos, single].flatMap(expectedSamples)));
    // A repository never pushed has no last_updated series rather than a made-up one.
    expect(result.samples.filter((sample) => sample.labels['image'] === 'tool').map((sample) => sample.metric)).not.toContain('docker_hub_image_last_updated');
    const paths = fake.requests.map((request) => request.path);
    expect(paths.filter((path) => path.includes('/v2/namespaces/acmecorp/repositories?'))).toEqual([
      '/v2/namespaces/acmecorp/repositories?page_size=100&page=1',
      '/v2/namespaces/acmecorp/repositories?page=2&page_size=100',
    ]);
    // Lists carry no is_automated: each listed repository was read once, the image once.
    expect(paths.filter((path) => /^\/v2\/namespaces\/acmecorp\/repositories\/image-\d+$/.test(path))).toHaveLength(130);
    expect(paths.filter((path) => path === '/v2/namespaces/other/repositories/tool')).toHaveLength(1);
    expect(statuses).toHaveLength(fake.requests.length);
    expect(statuses.every((status) => status === 200)).toBe(true);

    fake.updateRepo('acmecorp/image-003', { pullCount: 999_999, starCount: 1 });
    fake.resetRequests();
    const again = await dockerhub.collect(context().ctx);
    expect(again.errors).toEqual([]);
    expect(seriesOf(again.samples, 'docker_hub_image_pulls_total').find((sample) => sample.labels['image'] === 'image-003')?.value).toBe(999_999);
    expect(seriesOf(again.samples, 'docker_hub_image_is_automated')).toHaveLength(131);
    // The second run reuses the flags: the two pages and the image only.
    expect(fake.requests).toHaveLength(3);
  });

  it('counts an image listed directly and through its namespace once, and reads a bare name as library/NAME', async () => {
    const repos = [makeRepo('acmecorp', 1), makeRepo('acmecorp', 2), makeRepo('library', 3, { name: 'nginx' })];
    const fake = await fakeHub({ repositories: repos });
    const result = await source(fake, { namespaces: ['acmecorp', 'acmecorp'], images: ['acmecorp/image-001', 'nginx', 'library/nginx'] }).collect(context().ctx);

    expect(result.errors).toEqual([]);
    expect(imagesIn(result.samples)).toEqual(['acmecorp/image-001', 'acmecorp/image-002', 'library/nginx']);
    expect(sorted(result.samples)).toEqual(sorted(repos.flatMap(expectedSamples)));
    expect(new Set(result.samples.map(byKey)).size).toBe(result.samples.length);
    expect(result.samples.find((sample) => sample.labels['image'] === 'nginx')?.labels).toEqual({ image: 'nginx', user: 'library', namespace: 'library' });
  });

  it('reports a missing namespace or image as a target error naming the key to fix, the rest still collected', async () => {
    const fake = await fakeHub({ repositories: [makeRepo('acmecorp', 1)], namespaces: ['empty-org'] });
    const result = await source(fake, { namespaces: ['acmecorp', 'nobody', 'empty-org'], images: ['acmecorp/missing', 'ngnix'] }).collect(context().ctx);

    expect(imagesIn(result.samples)).toEqual(['acmecorp/image-001']);
    expect(result.errors).toEqual([
      { target: 'namespace:nobody', message: "namespace 'nobody' not found on Docker Hub — check dockerhub.namespaces" },
      {
        target: 'namespace:empty-org',
        message: "namespace 'empty-org' has no public repositories — check dockerhub.namespaces (private repositories need dockerhub.username and dockerhub.token)",
      },
      { target: 'image:acmecorp/missing', message: "image 'acmecorp/missing' not found on Docker Hub — check dockerhub.images" },
      {
        target: 'image:library/ngnix',
        message: "image 'library/ngnix' not found on Docker Hub — check dockerhub.images (a bare name means the official image library/NAME; a user or organization belongs under dockerhub.namespaces)",
      },
    ]);
  });

  it('fails one target on a malformed answer (not JSON, wrong shape) and keeps the others', async () => {
    const fake = await fakeHub({ repositories: [makeRepo('good', 1), makeRepo('html', 2), makeRepo('odd', 3)] });
    fake.failNext({ match: /^\/v2\/namespaces\/html\/repositories\?/, status: 200, body: '<html><body>Maintenance</body></html>' });
    fake.failNext({ match: /^\/v2\/namespaces\/odd\/repositories\?/, status: 200, body: { count: 1, next: null, results: [{ name: 'x', pull_count: 'many' }] } });

    const result = await source(fake, { namespaces: ['good', 'html', 'odd'] }).collect(context().ctx);

    expect(imagesIn(result.samples)).toEqual(['good/image-001']);
    expect(result.errors).toHaveLength(2);
    expect(result.errors[0]).toEqual({
      target: 'namespace:html',
      message: "namespace 'html': Docker Hub sent a repository list that is not JSON (it starts \"<html><body>Maintenance</body></html>\") — check dockerhub.apiUrl points at Docker Hub",
    });
    // A list item of the wrong shape costs that repository only (the namespace was listed).
    expect(result.errors[1]!.target).toBe('image:odd/x');
    expect(result.errors[1]!.message).toMatch(/^repository 'odd\/x' is left out: Docker Hub listed it with unreadable data \(.+ at pull_count\)$/);
  });

  it('still reports pulls and stars of a listed repository whose own answer fails, with one error on its namespace', async () => {
    const repos = [makeRepo('acmecorp', 1), makeRepo('acmecorp', 2), makeRepo('acmecorp', 3)];
    const fake = await fakeHub({ repositories: repos });
    fake.failNext({ match: /repositories\/image-00[23]$/, status: 502, times: 6 });
    const result = await source(fake, { namespaces: ['acmecorp'] }).collect(context().ctx);

    const failed = repos.slice(1).flatMap(expectedSamples).filter((sample) => sample.metric === 'docker_hub_image_pulls_total' || sample.metric === 'docker_hub_image_stars' || sample.metric === 'docker_hub_image_last_updated');
    expect(sorted(result.samples)).toEqual(sorted([...expectedSamples(repos[0]!), ...failed]));
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.target).toBe('namespace:acmecorp');
    expect(result.errors[0]!.message).toMatch(/^the details of 2 repositories could not be read \('acmecorp\/image-00[23]': Docker Hub answered 502: internal server error; …\); their pulls and stars are still reported$/);
  });

  it('retries a 5xx with backoff and succeeds; a persistent 5xx fails that target only', async () => {
    const fake = await fakeHub({ repositories: [makeRepo('acmecorp', 1), makeRepo('acmecorp', 2)] });
    fake.failNext({ match: /image-001$/, status: 503, times: 2 });
    const { ctx, statuses } = context();
    const result = await source(fake, { images: ['acmecorp/image-001'] }).collect(ctx);
    expect(result.errors).toEqual([]);
    expect(result.samples).toEqual(expectedSamples(makeRepo('acmecorp', 1)));
    expect(statuses).toEqual([503, 503, 200]);

    fake.failNext({ match: /image-001$/, status: 502, times: 3 });
    const failing = await source(fake, { images: ['acmecorp/image-001', 'acmecorp/image-002'] }).collect(context().ctx);
    expect(imagesIn(failing.samples)).toEqual(['acmecorp/image-002']);
    expect(failing.errors).toEqual([
      { target: 'image:acmecorp/image-001', message: "Docker Hub answered 502 for image 'acmecorp/image-001' (internal server error) — it will be tried again next run" },
    ]);
  });

  it('says Docker Hub cannot be reached when no target got an answer', async () => {
    const fake = await fakeHub({});
    const url = fake.url;
    await fake.close();
    const { ctx, statuses } = context();
    const dockerhub = createDockerHubSource(dockerhubConfigSchema.parse({ apiUrl: url, namespaces: ['acmecorp'] }), { retryDelayMs: 5 });
    await expect(dockerhub.collect(ctx)).rejects.toThrow(new RegExp(`^Docker Hub could not be reached at ${url}: fetch failed: ECONNREFUSED — check dockerhub.apiUrl and the network$`));
    expect(statuses).toEqual(['error', 'error', 'error']);
  });
});

describe('Docker Hub source, faults', () => {
  it('does not retry a request that timed out: a hung Docker Hub costs one request per target', async () => {
    const fake = await fakeHub({ repositories: [makeRepo('acmecorp', 1), makeRepo('acmecorp', 2)] });
    fake.setHanging(true);
    const { ctx, statuses } = context();
    const dockerhub = source(fake, { images: ['acmecorp/image-001', 'acmecorp/image-002'] }, { ...FAST, requestTimeoutMs: 200 });

    await expect(dockerhub.collect(ctx)).rejects.toThrow(`Docker Hub could not be reached at ${fake.url}: Docker Hub did not answer within 0.2 s — check dockerhub.apiUrl and the network`);
    expect(fake.hungRequests).toBe(2);
    expect(statuses).toEqual(['error', 'error']);
  });

  it('takes its request timeout from dockerhub.timeout', () => {
    const config = dockerhubConfigSchema.parse({ namespaces: ['acmecorp'], timeout: '45s' });
    expect(createDockerHubSource(config).timeoutMs).toBe(45_000);
    expect(createDockerHubSource(dockerhubConfigSchema.parse({ namespaces: ['acmecorp'] })).timeoutMs).toBe(20_000);
  });

  it('stops retrying once four requests in a row failed: a 500 storm over eight targets costs seven requests, not twenty-four', async () => {
    const namespaces = ['ns-a', 'ns-b', 'ns-c', 'ns-d'];
    const images = [4, 5, 6, 7].map((index) => `acmecorp/image-00${index}`);
    const fake = await fakeHub({ repositories: [...namespaces.map((namespace) => makeRepo(namespace, 1)), ...[4, 5, 6, 7].map((index) => makeRepo('acmecorp', index))] });
    fake.failNext({ status: 500, times: 1_000 });
    const { ctx } = context();
    // Four at a time; retries wait 200 ms, so all first answers are in before any retry would start.
    const result = await source(fake, { namespaces, images }, { ...FAST, retryDelayMs: 200 }).collect(ctx);

    // Each of the first four answers frees a slot for the next target (failures 1-3 do not yet mean
    // "down"); the fourth failure does: no retry at all, and the eighth target is not asked.
    expect(fake.requests).toHaveLength(7);
    expect(result.samples).toEqual([]);
    expect(result.collected).toBe(0);
    expect(result.errors).toHaveLength(8);
    expect(result.errors.filter((error) => error.message.includes('Docker Hub answered 500'))).toHaveLength(7);
    expect(result.errors.filter((error) => error.message.includes('Docker Hub failed 4 requests in a row (the last: 500), so this run sends it no more'))).toHaveLength(1);
  });

  it('leaves out a listed repository with a garbage name, count or field, and collects the rest of its namespace', async () => {
    const good = [makeRepo('acmecorp', 1), makeRepo('acmecorp', 2)];
    const fake = await fakeHub({
      repositories: [
        ...good,
        makeRepo('acmecorp', 3, { name: 'bad\ud800name' }),
        makeRepo('acmecorp', 4, { rawFields: { pull_count: null } }),
        makeRepo('acmecorp', 5, { rawFields: { star_count: 'lots' } }),
      ],
    });
    const result = await source(fake, { namespaces: ['acmecorp'] }).collect(context().ctx);

    expect(sorted(result.samples)).toEqual(sorted(good.flatMap(expectedSamples)));
    expect(result.collected).toBe(2);
    expect(result.errors).toEqual([
      { target: 'image:acmecorp/bad\ufffdname', message: expect.stringMatching(/^repository 'acmecorp\/bad\ufffdname' is left out: Docker Hub listed it with unreadable data \(is not valid text \(it holds a lone UTF-16 surrogate\) at name\)$/) },
      { target: 'image:acmecorp/image-004', message: expect.stringMatching(/^repository 'acmecorp\/image-004' is left out: .+ at pull_count\)$/) },
      { target: 'image:acmecorp/image-005', message: expect.stringMatching(/^repository 'acmecorp\/image-005' is left out: .+ at star_count\)$/) },
    ]);
  });
});

describe('Docker Hub source, rate limits', () => {
  it('waits out a short Retry-After once in-process, then succeeds', async () => {
    const fake = await fakeHub({ repositories: [makeRepo('acmecorp', 1)] });
    fake.failNext({ match: /image-001$/, status: 429, retryAfterSeconds: 1 });
    const { ctx, statuses } = context();
    const started = Date.now();
    const result = await source(fake, { images: ['acmecorp/image-001'] }).collect(ctx);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(result.errors).toEqual([]);
    expect(result.samples).toEqual(expectedSamples(makeRepo('acmecorp', 1)));
    expect(statuses).toEqual([429, 200]);
  });

  it('waits until a near X-Retry-After epoch, then succeeds', async () => {
    const fake = await fakeHub({ repositories: [makeRepo('acmecorp', 1)] });
    const retryAtSeconds = Math.floor(Date.now() / 1000) + 2;
    fake.failNext({ match: /image-001$/, status: 429, xRetryAfterEpoch: retryAtSeconds });
    const { ctx, statuses } = context();
    const result = await source(fake, { images: ['acmecorp/image-001'] }).collect(ctx);
    expect(Date.now()).toBeGreaterThanOrEqual(retryAtSeconds * 1000);
    expect(result.samples).toHaveLength(4);
    expect(statuses).toEqual([429, 200]);
  });

  it('throws RateLimitedError with retryAt for a long wait (Retry-After or X-Retry-After) and stops asking', async () => {
    const fake = await fakeHub({ repositories: Array.from({ length: 20 }, (_, index) => makeRepo('acmecorp', index)) });
    fake.failNext({ status: 429, retryAfterSeconds: 3600 });
    const before = Date.now();
    const error = await source(fake, { namespaces: ['acmecorp'] }).collect(context().ctx).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitedError);
    const retryAt = (error as RateLimitedError).retryAt;
    expect(retryAt).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(retryAt).toBeLessThanOrEqual(Date.now() + 3_600_000);
    expect((error as Error).message).toBe(`Docker Hub rate limit reached; collecting again after ${new Date(retryAt).toISOString()}`);
    expect(fake.requests).toHaveLength(1);

    const epoch = Math.floor(Date.now() / 1000) + 900;
    fake.failNext({ status: 429, xRetryAfterEpoch: epoch });
    const second = await source(fake, { images: ['acmecorp/image-001'] }).collect(context().ctx).catch((caught: unknown) => caught);
    expect(second).toBeInstanceOf(RateLimitedError);
    expect((second as RateLimitedError).retryAt).toBe(epoch * 1000);
  });

  it('retries a rate limit only once: a second 429 ends the collection', async () => {
    const fake = await fakeHub({ repositories: [makeRepo('acmecorp', 1)] });
    fake.failNext({ status: 429, retryAfterSeconds: 1, times: 2 });
    const { ctx, statuses } = context();
    await expect(source(fake, { images: ['acmecorp/image-001'] }).collect(ctx)).rejects.toBeInstanceOf(RateLimitedError);
    expect(statuses).toEqual([429, 429]);
  });

  it("holds back every request while the fake's own per-minute window is used up", async () => {
    const repos = Array.from({ length: 6 }, (_, index) => makeRepo('acmecorp', index));
    const fake = await fakeHub({ repositories: repos, rateLimit: { limit: 4, windowSeconds: 1 } });
    const { ctx, statuses } = context();
    const result = await source(fake, { namespaces: ['acmecorp'] }).collect(ctx);
    expect(result.errors).toEqual([]);
    expect(sorted(result.samples)).toEqual(sorted(repos.flatMap(expectedSamples)));
    // 1 list + 6 details = 7 answers of 200; the 429s were waited out, never more than the window allows at once.
    expect(statuses.filter((status) => status === 200)).toHaveLength(7);
    expect(statuses.filter((status) => status === 429).length).toBeLessThanOrEqual(4);
  });
});

describe('Docker Hub source, logged in', () => {
  const privateRepo = makeRepo('acmecorp', 50, { name: 'secret', isPrivate: true });
  const publicRepo = makeRepo('acmecorp', 51, { name: 'public' });

  it('sees private repositories with a JWT and reuses the JWT across collections', async () => {
    const fake = await fakeHub({ repositories: [privateRepo, publicRepo], credentials: CREDENTIALS });
    const dockerhub = source(fake, { namespaces: ['acmecorp'], images: ['acmecorp/secret'], ...CREDENTIALS });
    const { ctx, statuses, logLines } = context();

    const result = await dockerhub.collect(ctx);
    expect(result.errors).toEqual([]);
    expect(sorted(result.samples)).toEqual(sorted([privateRepo, publicRepo].flatMap(expectedSamples)));
    expect(fake.tokensIssued).toBe(1);
    const dataRequests = fake.requests.filter((request) => request.path !== '/v2/auth/token');
    expect(dataRequests.length).toBeGreaterThan(0);
    expect(dataRequests.every((request) => request.authenticated)).toBe(true);
    expect(statuses).toHaveLength(fake.requests.length);

    await dockerhub.collect(context().ctx);
    expect(fake.tokensIssued).toBe(1);
    expect(logLines.join('\n')).not.toContain(CREDENTIALS.token);

    // Anonymously the private repository does not exist.
    const anonymous = await source(fake, { images: ['acmecorp/secret'] }).collect(context().ctx);
    expect(anonymous.errors).toEqual([{ target: 'image:acmecorp/secret', message: "image 'acmecorp/secret' not found on Docker Hub — check dockerhub.images" }]);
  });

  it('renews the JWT before it expires', async () => {
    const fake = await fakeHub({ repositories: [privateRepo], credentials: CREDENTIALS, tokenLifetimeSeconds: 2 });
    const dockerhub = source(fake, { images: ['acmecorp/secret'], ...CREDENTIALS });
    expect((await dockerhub.collect(context().ctx)).errors).toEqual([]);
    expect(fake.tokensIssued).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 2_050));
    const result = await dockerhub.collect(context().ctx);
    expect(result.errors).toEqual([]);
    expect(result.samples).toEqual(expectedSamples(privateRepo));
    expect(fake.tokensIssued).toBe(2);
    // Renewed ahead of time: Docker Hub never had to refuse it.
    expect(fake.requests.filter((request) => request.status === 401)).toEqual([]);
  });

  it('logs in again once when Docker Hub refuses the cached JWT, and retries the request', async () => {
    const fake = await fakeHub({ repositories: [privateRepo], credentials: CREDENTIALS });
    const dockerhub = source(fake, { images: ['acmecorp/secret'], ...CREDENTIALS });
    await dockerhub.collect(context().ctx);
    fake.expireTokens();
    fake.resetRequests();
    const { ctx, statuses } = context();
    const result = await dockerhub.collect(ctx);
    expect(result.errors).toEqual([]);
    expect(result.samples).toEqual(expectedSamples(privateRepo));
    expect(fake.tokensIssued).toBe(2);
    expect(fake.requests.map((request) => `${request.method} ${request.path} ${request.status}`)).toEqual([
      'GET /v2/namespaces/acmecorp/repositories/secret 401',
      'POST /v2/auth/token 200',
      'GET /v2/namespaces/acmecorp/repositories/secret 200',
    ]);
    expect(statuses).toEqual([401, 200, 200]);
  });

  it('fails the whole collection on a refused login, naming the keys and never the token', async () => {
    const fake = await fakeHub({ repositories: [privateRepo, publicRepo], credentials: CREDENTIALS });
    const wrongToken = fakeDockerHubToken();
    const { ctx, statuses, logLines } = context();
    const error = await source(fake, { namespaces: ['acmecorp'], images: ['acmecorp/public'], username: CREDENTIALS.username, token: wrongToken })
      .collect(ctx)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DockerHubAuthError);
    expect((error as Error).message).toBe(
      'Docker Hub refused the login of "acmecorp" (Incorrect authentication credentials) — check dockerhub.username and dockerhub.token (a personal access token)',
    );
    expect(`${(error as Error).message}${(error as Error).stack}${logLines.join('')}`).not.toContain(wrongToken);
    // One login, shared by both targets; no data request was sent without it.
    expect(fake.requests.map((request) => `${request.method} ${request.path} ${request.status}`)).toEqual(['POST /v2/auth/token 401']);
    expect(statuses).toEqual([401]);
  });
});

describe('Docker Hub source, legacy routes', () => {
  it('falls back to /v2/repositories when the current routes are unknown, reads the `user` shape and remembers', async () => {
    const repos = Array.from({ length: 105 }, (_, index) => makeRepo('oldorg', index));
    const fake = await fakeHub({ repositories: [...repos, makeRepo('library', 1, { name: 'nginx' })], legacyOnly: true });
    const dockerhub = source(fake, { namespaces: ['oldorg', 'typo-org'], images: ['nginx'] });

    const result = await dockerhub.collect(context().ctx);
    expect(sorted(result.samples)).toEqual(sorted([...repos, makeRepo('library', 1, { name: 'nginx' })].flatMap(expectedSamples)));
    // The legacy route lists an unknown namespace as empty: reported, as it is almost always a typo.
    expect(result.errors).toEqual([
      {
        target: 'namespace:typo-org',
        message: "namespace 'typo-org' has no public repositories — check dockerhub.namespaces (private repositories need dockerhub.username and dockerhub.token)",
      },
    ]);
    const paths = fake.requests.map((request) => request.path);
    expect(paths).toContain('/v2/repositories/oldorg/?page_size=100&page=1');
    expect(paths).toContain('/v2/repositories/oldorg/?page=2&page_size=100');
    expect(paths).toContain('/v2/repositories/library/nginx/');

    fake.resetRequests();
    const again = await dockerhub.collect(context().ctx);
    expect(again.samples).toHaveLength(result.samples.length);
    expect(fake.requests.filter((request) => request.path.startsWith('/v2/namespaces/'))).toEqual([]);
  });

  it('does not fall back once the current routes have answered', async () => {
    const fake = await fakeHub({ repositories: [makeRepo('acmecorp', 1)] });
    const dockerhub = source(fake, { images: ['acmecorp/image-001'] });
    await dockerhub.collect(context().ctx);
    fake.removeRepo('acmecorp/image-001');
    fake.resetRequests();
    const result = await dockerhub.collect(context().ctx);
    expect(result.errors).toEqual([{ target: 'image:acmecorp/image-001', message: "image 'acmecorp/image-001' not found on Docker Hub — check dockerhub.images" }]);
    expect(fake.requests.map((request) => request.path)).toEqual(['/v2/namespaces/acmecorp/repositories/image-001']);
  });

  it('says the API is missing when neither route exists at apiUrl', async () => {
    const fake = await fakeHub({ legacyOnly: true });
    fake.failNext({ match: /^\/v2\/repositories\//, status: 404, body: '<html>404 Not Found</html>' });
    const result = await source(fake, { images: ['acmecorp/widget'] }).collect(context().ctx);
    expect(result.errors).toEqual([
      {
        target: 'image:acmecorp/widget',
        message: `could not read image 'acmecorp/widget': no Docker Hub API answers at ${fake.url} (both /v2/namespaces/… and /v2/repositories/… are unknown there) — check dockerhub.apiUrl`,
      },
    ]);
  });
});

describe('Docker Hub source, stopping', () => {
  it('aborts in-flight requests when the signal fires', async () => {
    const fake = await fakeHub({ repositories: Array.from({ length: 10 }, (_, index) => makeRepo('acmecorp', index)), latencyMs: 1_000 });
    const controller = new AbortController();
    const started = Date.now();
    const running = source(fake, { namespaces: ['acmecorp'] }).collect(context(controller.signal).ctx);
    setTimeout(() => controller.abort(), 50);
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(800);
  });

  it('does not start when the signal has already fired', async () => {
    const fake = await fakeHub({ repositories: [makeRepo('acmecorp', 1)] });
    const controller = new AbortController();
    controller.abort();
    await expect(source(fake, { namespaces: ['acmecorp'] }).collect(context(controller.signal).ctx)).rejects.toMatchObject({ name: 'AbortError' });
    expect(fake.requests).toEqual([]);
  });

  it('stops while waiting out a rate limit', async () => {
    const fake = await fakeHub({ repositories: [makeRepo('acmecorp', 1)] });
    fake.failNext({ status: 429, retryAfterSeconds: 2 });
    const controller = new AbortController();
    const started = Date.now();
    const running = source(fake, { images: ['acmecorp/image-001'] }).collect(context(controller.signal).ctx);
    setTimeout(() => controller.abort(), 100);
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});

describe('dockerhubSource module', () => {
  it('declares its id, catalogue and secrets', () => {
    expect(dockerhubSource.id).toBe('dockerhub');
    expect(dockerhubSource.title).toBe('Docker Hub');
    expect(dockerhubSource.metrics.map((metric) => `${metric.name}:${metric.type}`)).toEqual([
      'docker_hub_image_pulls_total:counter',
      'docker_hub_image_stars:gauge',
      'docker_hub_image_is_automated:gauge',
      'docker_hub_image_last_updated:gauge',
    ]);
    const config = dockerhubSource.configSchema.parse({ images: ['nginx'], ...CREDENTIALS });
    expect(dockerhubSource.secrets(config)).toEqual([CREDENTIALS.token]);
    expect(dockerhubSource.secrets(dockerhubSource.configSchema.parse({ images: ['nginx'] }))).toEqual([]);
    expect(dockerhubSource.create(config)).toMatchObject({ id: 'dockerhub', intervalMs: 30 * 60_000 });
  });
});
