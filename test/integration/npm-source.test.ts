// The npm source against the loopback fake of the npm downloads API: single and bulk requests,
// unknown packages, rate limits, server errors, malformed replies and stopping; and the fake itself.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../shared/metrics.js';
import { RateLimitedError } from '../../electron/core/source.js';
import { createNpmSource, npmConfigSchema } from '../../electron/core/sources/npm/index.js';
import type { NpmSourceOptions } from '../../electron/core/sources/npm/index.js';
import { fakePeriodDates, SCOPED_IN_BULK_ERROR, startFakeNpm, TOO_MANY_IN_BULK_ERROR } from '../fakes/npm/index.js';
import type { FakeNpmDownloads } from '../fakes/npm/index.js';
import { closedAfterEach } from '../support/closed-after-each.js';
import { apiFixture as fixture } from '../support/api-fixtures.js';
import { collectContext as context } from '../support/collect-context.js';

/** Test waits: a "second" of Retry-After lasts 5 ms here; backoff after a 5xx starts at 5 ms. */
const FAST: NpmSourceOptions = { retryAfterUnitMs: 5, retryDelayMs: 5 };

const fakeNpm = closedAfterEach(startFakeNpm);

/** Distinct counts per package, so a value landing on the wrong package or period shows. */
function downloadsFor(index: number): FakeNpmDownloads {
  return { last_day: 10 + index, last_week: 1_000 + index * 7, last_month: 100_000 + index * 31 };
}


function source(apiUrl: string, packages: string[], options: NpmSourceOptions = FAST) {
  return createNpmSource(npmConfigSchema.parse({ apiUrl, packages, interval: '1s' }), options);
}

function valueOf(samples: readonly Sample[], name: string, period: string): number | undefined {
  const found = samples.filter((sample) => sample.metric === 'npm_package_downloads' && sample.labels.package === name && sample.labels.period === period);
  expect(found.length, `${name} ${period}`).toBeLessThanOrEqual(1);
  return found[0]?.value;
}

function expectCounts(samples: readonly Sample[], name: string, counts: FakeNpmDownloads): void {
  expect({ last_day: valueOf(samples, name, 'last_day'), last_week: valueOf(samples, name, 'last_week'), last_month: valueOf(samples, name, 'last_month') }, name).toEqual(counts);
}

describe('npm source', () => {
  it('collects the last day, week and month of unscoped and scoped packages', async () => {
    const packages = { 'left-pad': downloadsFor(1), widget: downloadsFor(2), '@scope/name': downloadsFor(3) };
    const fake = await fakeNpm({ packages });
    const { ctx, statuses } = context();
    const result = await source(fake.url, Object.keys(packages)).collect(ctx);

    expect(result.errors).toEqual([]);
    expect(result.samples).toHaveLength(9);
    for (const [name, counts] of Object.entries(packages)) expectCounts(result.samples, name, counts);
    expect(result.samples[0]).toEqual({ metric: 'npm_package_downloads', labels: { package: 'left-pad', period: 'last_day' }, value: 11 });
    // One bulk request for both unscoped names and one for the scoped name, per period; the scope unencoded.
    expect(fake.requests.map((request) => request.path).sort()).toEqual(
      ['last-day', 'last-month', 'last-week'].flatMap((period) => [`/downloads/point/${period}/left-pad,widget`, `/downloads/point/${period}/@scope/name`]).sort(),
    );
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
  });

  it('follows changed counts on the next collection', async () => {
    const fake = await fakeNpm({ packages: { solo: downloadsFor(0) } });
    const npm = source(fake.url, ['solo']);
    expectCounts((await npm.collect(context().ctx)).samples, 'solo', downloadsFor(0));
    fake.setDownloads('solo', { last_week: 4_242 });
    expectCounts((await npm.collect(context().ctx)).samples, 'solo', { ...downloadsFor(0), last_week: 4_242 });
    // A lone unscoped name is asked for on its own, not as a bulk of one.
    expect(fake.requests.every((request) => request.packages.length === 1 && !request.path.includes(','))).toBe(true);
  });

  it('batches 130 unscoped packages into two bulk requests per period and asks scoped ones one by one', async () => {
    const names = Array.from({ length: 130 }, (_, index) => `pkg-${String(index).padStart(3, '0')}`);
    const scoped = ['@org/alpha', '@org/beta'];
    const packages = Object.fromEntries([...names, ...scoped].map((name, index) => [name, downloadsFor(index)]));
    const fake = await fakeNpm({ packages });
    const { ctx, statuses } = context();
    const result = await source(fake.url, [...names, ...scoped]).collect(ctx);

    expect(result.errors).toEqual([]);
    expect(result.samples).toHaveLength(132 * 3);
    for (const [name, counts] of Object.entries(packages)) expectCounts(result.samples, name, counts);
    expect(fake.requests).toHaveLength(3 * (2 + 2));
    expect(statuses).toHaveLength(12);
    const bulk = fake.requests.filter((request) => request.packages.length > 1);
    expect(bulk.map((request) => request.packages.length).sort((a, b) => a - b)).toEqual([2, 2, 2, 128, 128, 128]);
    expect(bulk.every((request) => request.status === 200 && request.packages.every((name) => !name.startsWith('@')))).toBe(true);
    expect(fake.requests.filter((request) => request.packages.length === 1).map((request) => request.packages[0]).sort()).toEqual([...scoped, ...scoped, ...scoped].sort());
  });

  it('reports an unknown package (404 alone, null in bulk) while the others keep working', async () => {
    const fake = await fakeNpm({ packages: { known: downloadsFor(1), other: downloadsFor(2), '@scope/known': downloadsFor(3) } });
    const { ctx, statuses } = context();
    const result = await source(fake.url, ['known', 'ghost-pkg', 'other', '@scope/known', '@scope/ghost']).collect(ctx);

    expect(result.errors).toEqual([
      { target: 'package:ghost-pkg', message: "package 'ghost-pkg' not found on npm — check npm.packages" },
      { target: 'package:@scope/ghost', message: "package '@scope/ghost' not found on npm — check npm.packages" },
    ]);
    expectCounts(result.samples, 'known', downloadsFor(1));
    expectCounts(result.samples, 'other', downloadsFor(2));
    expectCounts(result.samples, '@scope/known', downloadsFor(3));
    expect(result.samples).toHaveLength(9);
    expect(statuses.filter((status) => status === 404)).toHaveLength(3);
  });

  it('waits once for a short Retry-After on 429 and then collects', async () => {
    const fake = await fakeNpm({ packages: { a: downloadsFor(1), b: downloadsFor(2) } });
    fake.failNext({ match: /last-week/, status: 429, retryAfterSeconds: 2 });
    const { ctx, statuses } = context();
    const started = Date.now();
    const result = await source(fake.url, ['a', 'b']).collect(ctx);

    expect(result.errors).toEqual([]);
    expectCounts(result.samples, 'a', downloadsFor(1));
    expectCounts(result.samples, 'b', downloadsFor(2));
    expect(statuses.filter((status) => status === 429)).toHaveLength(1);
    expect(fake.requests.filter((request) => request.period === 'last-week').map((request) => request.status)).toEqual([429, 200]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * 5);
  });

  it('ends the collection with RateLimitedError on a long Retry-After, or on a second 429', async () => {
    const fake = await fakeNpm({ packages: { a: downloadsFor(1) } });
    fake.failNext({ status: 429, retryAfterSeconds: 3_600 });
    const before = Date.now();
    const error = await source(fake.url, ['a'], { ...FAST, concurrency: 1 }).collect(context().ctx).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAt).toBeGreaterThanOrEqual(before + 3_600_000);
    expect((error as RateLimitedError).retryAt).toBeLessThanOrEqual(Date.now() + 3_600_000);
    expect((error as Error).message).toMatch(/npm downloads API rate limit/);
    // concurrency 1: the rate limit stopped the collection before the other periods were asked.
    expect(fake.requests).toHaveLength(1);

    fake.failNext({ status: 429, retryAfterSeconds: 1, times: 2 });
    const twice = await source(fake.url, ['a'], { ...FAST, concurrency: 1 }).collect(context().ctx).catch((caught: unknown) => caught);
    expect(twice).toBeInstanceOf(RateLimitedError);
    expect(fake.requests.slice(1).map((request) => request.status)).toEqual([429, 429]);
  });

  it('retries a 5xx a couple of times, then fails only the packages of that request', async () => {
    const fake = await fakeNpm({ packages: { a: downloadsFor(1), '@s/b': downloadsFor(2) } });
    fake.failNext({ match: /last-day\/a$/, status: 503, times: 2 });
    const { ctx, statuses } = context();
    const recovered = await source(fake.url, ['a', '@s/b']).collect(ctx);
    expect(recovered.errors).toEqual([]);
    expectCounts(recovered.samples, 'a', downloadsFor(1));
    expect(statuses.filter((status) => status === 503)).toHaveLength(2);

    fake.failNext({ match: /last-month\/@s\/b$/, status: 502, times: 3 });
    const failed = await source(fake.url, ['a', '@s/b']).collect(context().ctx);
    expect(failed.errors).toEqual([
      { target: 'package:@s/b', message: 'the npm downloads API answered 502 to last-month: Bad Gateway — npm is having trouble; collecting again next time' },
    ]);
    expectCounts(failed.samples, 'a', downloadsFor(1));
    expect(valueOf(failed.samples, '@s/b', 'last_day')).toBe(downloadsFor(2).last_day);
    expect(valueOf(failed.samples, '@s/b', 'last_month')).toBeUndefined();
  });

  it('fails a package whose reply is malformed, with a clear message', async () => {
    const fake = await fakeNpm({ packages: { a: downloadsFor(1), b: downloadsFor(2), '@s/c': downloadsFor(3) } });
    fake.failNext({ match: /last-day\/@s\/c$/, status: 200, body: '<html>maintenance</html>' });
    fake.failNext({ match: /last-week\/a,b$/, status: 200, body: JSON.stringify({ a: { downloads: 'many', package: 'a' }, b: { downloads: 5, package: 'b' } }) });
    fake.failNext({ match: /last-month\/a,b$/, status: 200, body: JSON.stringify({ a: { downloads: 9, package: 'a' } }) });
    const result = await source(fake.url, ['a', 'b', '@s/c']).collect(context().ctx);

    expect(result.errors).toEqual([
      { target: 'package:a', message: 'the npm downloads API sent an unexpected last-week reply for \'a\': "downloads" is missing or not a count ({"downloads":"many","package":"a"})' },
      { target: 'package:b', message: "the npm downloads API left 'b' out of its last-month reply — try again later" },
      { target: 'package:@s/c', message: 'the npm downloads API sent a last-day reply for \'@s/c\' that is not JSON: "maintenance"' },
    ]);
    expect(valueOf(result.samples, 'b', 'last_week')).toBe(5);
    expect(valueOf(result.samples, 'a', 'last_month')).toBe(9);
    expect(valueOf(result.samples, 'a', 'last_day')).toBe(downloadsFor(1).last_day);
    expect(valueOf(result.samples, 'a', 'last_week')).toBeUndefined();
    expect(valueOf(result.samples, '@s/c', 'last_week')).toBe(downloadsFor(3).last_week);
  });

  it('stops at once when the signal aborts, and never starts on an aborted signal', async () => {
    const fake = await fakeNpm({ packages: { a: downloadsFor(1), '@s/b': downloadsFor(2) }, latencyMs: 5_000 });
    const controller = new AbortController();
    const started = Date.now();
    const { ctx, statuses } = context(controller.signal);
    const running = source(fake.url, ['a', '@s/b']).collect(ctx);
    // Stopped once every request is in flight (on a busy machine they take a moment to arrive).
    const arrived = setInterval(() => {
      if (fake.requests.length < 4) return;
      clearInterval(arrived);
      controller.abort();
    }, 5);
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
    clearInterval(arrived);
    expect(Date.now() - started).toBeLessThan(4_000);
    // Requests cut short by the stop got no answer from the API: nothing to count, nothing retried.
    expect(statuses).toEqual([]);
    expect(fake.requests).toHaveLength(4);

    const before = fake.requests.length;
    await expect(source(fake.url, ['a']).collect(context(AbortSignal.abort()).ctx)).rejects.toMatchObject({ name: 'AbortError' });
    expect(fake.requests.length).toBe(before);
  });

  it('does not retry a request that timed out: a hung API costs one request per period, and says so', async () => {
    const fake = await fakeNpm({ packages: { a: downloadsFor(1) } });
    fake.setHanging(true);
    const { ctx, statuses } = context();
    await expect(source(fake.url, ['a'], { ...FAST, requestTimeoutMs: 200 }).collect(ctx)).rejects.toThrow(
      `the npm downloads API did not answer within 0.2 s at ${fake.url} — check npm.apiUrl and the network, or raise npm.timeout`,
    );
    expect(fake.hungRequests).toBe(3);
    expect(statuses).toEqual(['error', 'error', 'error']);
  });

  it('takes its request timeout from npm.timeout', () => {
    expect(createNpmSource(npmConfigSchema.parse({ packages: ['a'], timeout: '45s' })).timeoutMs).toBe(45_000);
    expect(createNpmSource(npmConfigSchema.parse({ packages: ['a'] })).timeoutMs).toBe(20_000);
  });

  it('stops retrying once four requests in a row failed: a 500 storm over six requests costs four, not eighteen', async () => {
    const fake = await fakeNpm({ packages: { a: downloadsFor(1), b: downloadsFor(2), '@s/c': downloadsFor(3) } });
    fake.failNext({ status: 500, times: 1_000 });
    // Four at a time; a retry waits 200 ms, so all four first answers are in before one would start.
    const result = await source(fake.url, ['a', 'b', '@s/c'], { ...FAST, retryDelayMs: 200 }).collect(context().ctx);

    expect(fake.requests).toHaveLength(4);
    expect(result.samples).toEqual([]);
    expect(result.collected).toBe(0);
    expect(result.errors.map((error) => error.target)).toEqual(['package:a', 'package:b', 'package:@s/c']);
    expect(result.errors.some((error) => error.message.includes('the npm downloads API failed 4 requests in a row (the last: 500), so this run sends it no more'))).toBe(true);
  });

  it('fails only the package whose entry in a bulk reply is garbage (null, a number too large for a count)', async () => {
    const fake = await fakeNpm({ packages: { a: downloadsFor(1), b: downloadsFor(2), c: downloadsFor(3) } });
    fake.failNext({ match: /last-day\/a,b,c$/, status: 200, body: '{"a":{"downloads":1e400,"package":"a"},"b":{"downloads":null,"package":"b"},"c":{"downloads":13,"package":"c"}}' });
    const result = await source(fake.url, ['a', 'b', 'c']).collect(context().ctx);

    expect(result.errors.map((error) => error.target)).toEqual(['package:a', 'package:b']);
    expect(result.errors[0]!.message).toMatch(/unexpected last-day reply for 'a': "downloads" is missing or not a count/);
    expect(valueOf(result.samples, 'c', 'last_day')).toBe(13);
    expect(valueOf(result.samples, 'a', 'last_day')).toBeUndefined();
    expect(valueOf(result.samples, 'a', 'last_week')).toBe(downloadsFor(1).last_week);
    expect(result.collected).toBe(3);
  });

  it('fails the whole collection when the API cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { ctx, statuses } = context();
    await expect(source(`http://127.0.0.1:${port}`, ['a']).collect(ctx)).rejects.toThrow(
      `the npm downloads API could not be reached at http://127.0.0.1:${port} (ECONNREFUSED) — check npm.apiUrl and the network`,
    );
    // Three periods: four failures in a row mark the API down, so no retry starts after that (one
    // already on its way may go out); without the guard each was tried three times (nine).
    expect(statuses.every((status) => status === 'error')).toBe(true);
    expect(statuses.length).toBeGreaterThanOrEqual(4);
    expect(statuses.length).toBeLessThanOrEqual(6);
  });

  it('points at npm.apiUrl when the server there is not the downloads API', async () => {
    const other = createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<h1>Not Found</h1>');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
      const result = await source(url, ['a']).collect(context().ctx);
      expect(result.errors).toEqual([{ target: 'package:a', message: `${url} answered 404 (Not Found) instead of download counts — check npm.apiUrl` }]);
    } finally {
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
  });
});

describe('fake npm downloads API', () => {

  it('answers like the fixtures, with dates ending yesterday (UTC)', async () => {
    const now = Date.UTC(2025, 5, 2, 9, 30);
    const fake = await fakeNpm({ packages: { widget: { last_day: 3_210, last_week: 31_623, last_month: 140_000 } }, now: () => now });
    const week = await (await fetch(`${fake.url}/downloads/point/last-week/widget`)).json();
    expect(week).toEqual(fixture('npm_downloads_point.json'));
    expect(Object.keys(week as object)).toEqual(Object.keys(fixture('npm_downloads_point.json') as object));
    expect(await (await fetch(`${fake.url}/downloads/point/last-day/widget`)).json()).toEqual({ downloads: 3_210, start: '2025-06-01', end: '2025-06-01', package: 'widget' });
    expect(await (await fetch(`${fake.url}/downloads/point/last-month/widget`)).json()).toEqual({ downloads: 140_000, start: '2025-05-03', end: '2025-06-01', package: 'widget' });
    expect(fakePeriodDates('last-month', Date.UTC(2025, 0, 1))).toEqual({ start: '2024-12-02', end: '2024-12-31' });

    const missing = await fetch(`${fake.url}/downloads/point/last-day/no-such-pkg-xyz`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual(fixture('npm_downloads_error_404.json'));
  });

  it('answers bulk queries keyed by name, null for unknown names, and refuses scoped names and more than 128', async () => {
    const now = Date.UTC(2025, 5, 2);
    const fake = await fakeNpm({ packages: { a: downloadsFor(1), b: downloadsFor(2), '@s/c': downloadsFor(3) }, now: () => now });
    expect(await (await fetch(`${fake.url}/downloads/point/last-day/a,b,zz`)).json()).toEqual({
      a: { downloads: 11, start: '2025-06-01', end: '2025-06-01', package: 'a' },
      b: { downloads: 12, start: '2025-06-01', end: '2025-06-01', package: 'b' },
      zz: null,
    });
    const scoped = await fetch(`${fake.url}/downloads/point/last-day/a,@s/c`);
    expect([scoped.status, await scoped.json()]).toEqual([400, { error: SCOPED_IN_BULK_ERROR }]);
    const tooMany = await fetch(`${fake.url}/downloads/point/last-day/${Array.from({ length: 129 }, (_, index) => `p${index}`).join(',')}`);
    expect([tooMany.status, await tooMany.json()]).toEqual([400, { error: TOO_MANY_IN_BULK_ERROR }]);
    expect(await (await fetch(`${fake.url}/downloads/point/last-day/@s/c`)).json()).toMatchObject({ downloads: 13, package: '@s/c' });
    expect(fake.requests.map((request) => request.status)).toEqual([200, 400, 400, 200]);
  });

  it('queues failures by path, with Retry-After and raw bodies', async () => {
    const fake = await fakeNpm({ packages: { a: downloadsFor(1) } });
    fake.failNext({ match: /last-week/, status: 429, retryAfterSeconds: 7, times: 2 });
    fake.failNext({ status: 200, body: 'oops' });
    const day = await fetch(`${fake.url}/downloads/point/last-day/a`);
    expect([day.status, await day.text()]).toEqual([200, 'oops']);
    for (let attempt = 0; attempt < 2; attempt++) {
      const week = await fetch(`${fake.url}/downloads/point/last-week/a`);
      expect([week.status, week.headers.get('retry-after'), await week.json()]).toEqual([429, '7', { error: 'Too Many Requests' }]);
    }
    expect((await fetch(`${fake.url}/downloads/point/last-week/a`)).status).toBe(200);
    expect(() => fake.failNext({ status: 200 })).toThrow(/status must be an HTTP error status/);
    expect(() => fake.setDownloads('a', { last_day: -1 })).toThrow(/non-negative integer/);
  });
});
