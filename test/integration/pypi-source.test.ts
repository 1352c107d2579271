// The PyPI source against the loopback fake of pypistats.org: the poll (one request per package, in
// turn), unknown packages, rate limits, server errors, malformed replies; the 180-day backfill; and the fake.
import { describe, expect, it } from 'vitest';
import type { DatedSample } from '../../electron/core/backfill/contract.js';
import { RateLimitedError, TargetsFailedError } from '../../electron/core/source.js';
import { createPypiSource, pypiConfigSchema } from '../../electron/core/sources/pypi/index.js';
import type { PypiSourceOptions } from '../../electron/core/sources/pypi/index.js';
import { FAKE_MIRROR_EXTRA, startFakePypi, TOO_MANY_REQUESTS_PAGE } from '../fakes/pypi/index.js';
import { apiFixture as fixture } from '../support/api-fixtures.js';
import { closedAfterEach } from '../support/closed-after-each.js';
import { collectContext as context } from '../support/collect-context.js';

const DAY_MS = 86_400_000;
/** 2025-06-01 12:00 UTC: yesterday is 2025-05-31. */
const NOW = Date.UTC(2025, 5, 1, 12);
const FAST: PypiSourceOptions = { retryAfterUnitMs: 5, retryDelayMs: 5, spacingMs: 2, now: () => NOW };
const fakePypi = closedAfterEach(startFakePypi);

function isoDay(offsetFromToday: number): string {
  return new Date(NOW + offsetFromToday * DAY_MS).toISOString().slice(0, 10);
}

/** `days` days ending yesterday, day i (0 = the oldest) with count base + i. */
function history(days: number, base: number): Record<string, number> {
  return Object.fromEntries(Array.from({ length: days }, (_, index) => [isoDay(index - days), base + index]));
}

function source(apiUrl: string, packages: string[], options: PypiSourceOptions = FAST) {
  return createPypiSource(pypiConfigSchema.parse({ apiUrl, packages, interval: '1s' }), options);
}

function sumOf(days: Record<string, number>, lastDays: number): number {
  let total = 0;
  for (let offset = -lastDays; offset < 0; offset++) total += days[isoDay(offset)] ?? 0;
  return total;
}

describe('pypi source', () => {
  it('collects the last day, week and month with one request per package, one at a time, under the normalised name', async () => {
    const daily = { requests: history(40, 100), 'typing-extensions': history(40, 7) };
    // Replies take a while, so requests sent together would overlap at the fake.
    const fake = await fakePypi({ daily, now: () => NOW, latencyMs: 20 });
    const { ctx, statuses } = context();
    const result = await source(fake.url, ['requests', 'Typing_Extensions']).collect(ctx);

    expect(result.errors).toEqual([]);
    expect(result.collected).toBe(2);
    for (const name of ['requests', 'typing-extensions'] as const) {
      const valueOf = (period: string) => result.samples.find((sample) => sample.labels.package === name && sample.labels.period === period)?.value;
      expect({ last_day: valueOf('last_day'), last_week: valueOf('last_week'), last_month: valueOf('last_month') }, name).toEqual({
        last_day: sumOf(daily[name], 1), last_week: sumOf(daily[name], 7), last_month: sumOf(daily[name], 30),
      });
    }
    expect(result.samples[0]).toEqual({ metric: 'pypi_package_downloads', labels: { package: 'requests', period: 'last_day' }, value: 139 });
    expect(fake.requests.map((request) => request.path)).toEqual(['/api/packages/requests/recent', '/api/packages/typing-extensions/recent']);
    expect(fake.maxInFlight).toBe(1);
    expect(statuses).toEqual([200, 200]);
  });

  it('reads the recorded reply shape', async () => {
    const fake = await fakePypi({ daily: { pillow: history(40, 1) }, now: () => NOW });
    const reply = (await (await fetch(`${fake.url}/api/packages/pillow/recent`)).json()) as Record<string, unknown>;
    const recorded = fixture('pypistats_recent.json');
    expect(Object.keys(reply)).toEqual(Object.keys(recorded));
    expect(Object.keys(reply.data as object)).toEqual(Object.keys(recorded.data));
  });

  it('reports a package pypistats does not know while the others keep working', async () => {
    const fake = await fakePypi({ daily: { requests: history(10, 1) }, now: () => NOW });
    const result = await source(fake.url, ['nosuch-pkg', 'requests']).collect(context().ctx);
    expect(result.collected).toBe(1);
    expect(result.samples.map((sample) => sample.labels.package)).toEqual(['requests', 'requests', 'requests']);
    expect(result.errors).toEqual([{
      target: 'package:nosuch-pkg',
      message: "pypistats.org does not know the package 'nosuch-pkg' (404) — check pypi.packages (a new package shows there a day after its first downloads)",
    }]);
  });

  it('waits once for a short Retry-After on 429, and ends the collection with RateLimitedError on a long one', async () => {
    const fake = await fakePypi({ daily: { requests: history(10, 1) }, now: () => NOW });
    fake.failNext({ status: 429, retryAfterSeconds: 1 });
    const { ctx, statuses } = context();
    const result = await source(fake.url, ['requests']).collect(ctx);
    expect(result.errors).toEqual([]);
    expect(statuses).toEqual([429, 200]);

    fake.failNext({ status: 429, retryAfterSeconds: 3_600 });
    const error = await source(fake.url, ['requests'], { ...FAST, retryAfterUnitMs: 1_000 }).collect(context().ctx).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).message).toMatch(/^pypistats\.org rate limit was hit; collecting again after \d{4}-/);
    expect(fake.requests.at(-1)!.status).toBe(429);
  });

  it('retries a 5xx, then fails that package with pypistats’ words; a malformed reply fails only its package', async () => {
    const fake = await fakePypi({ daily: { requests: history(10, 1), flask: history(10, 2) }, now: () => NOW });
    fake.failNext({ match: /requests/, status: 503, times: 3, body: 'Service Unavailable' });
    fake.failNext({ match: /flask/, status: 200, body: '{"data":{"last_day":"many"}}' });
    const { ctx, statuses } = context();
    const result = await source(fake.url, ['requests', 'flask']).collect(ctx);
    expect(statuses).toEqual([503, 503, 503, 200]);
    expect(result.collected).toBe(0);
    expect(result.errors).toEqual([
      { target: 'package:requests', message: "pypistats.org answered 503 to the recent downloads of 'requests': Service Unavailable — pypistats.org is having trouble; trying again later" },
      { target: 'package:flask', message: 'pypistats.org sent an unexpected reply for \'flask\': data.last_day, last_week and last_month must be counts ({"data":{"last_day":"many"}})' },
    ]);
  });

  it('points at pypi.apiUrl when the server there is not pypistats, or cannot be reached', async () => {
    const fake = await fakePypi({ now: () => NOW });
    const wrong = await source(`${fake.url}/elsewhere`, ['requests']).collect(context().ctx);
    expect(wrong.errors[0]!.message).toMatch(/answered 404 \(404 Not Found Not Found The requested URL.*\) instead of download counts — check pypi\.apiUrl$/);

    const closed = fake.url;
    await fake.close();
    const error = await source(closed, ['requests', 'flask']).collect(context().ctx).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TargetsFailedError);
    expect((error as Error).message).toMatch(new RegExp(`^pypistats\\.org could not be reached at ${closed} \\(ECONNREFUSED\\) — check pypi\\.apiUrl and the network$`));
  });
});

describe('pypi backfill', () => {
  function backfiller(url: string, packages: string[]) {
    return source(url, packages).backfill!;
  }

  it('plans one task per package, one request each, and reads several a step so their requests keep the pause between them', async () => {
    const backfill = backfiller('http://127.0.0.1:9', ['requests', 'flask']);
    expect(backfill.batchSize).toBe(10);
    const plan = await backfill.plan(context().ctx);
    expect(plan.tasks).toEqual([
      { key: 'downloads:requests', title: 'requests daily downloads', target: 'requests', totalUnits: 180, estimatedRequests: 1 },
      { key: 'downloads:flask', title: 'flask daily downloads', target: 'flask', totalUnits: 180, estimatedRequests: 1 },
    ]);
  });

  it('reads 180 days without mirrors into the poll’s series: each day’s count and its rolling 7 and 30 days, at the end of the UTC day', async () => {
    const days = history(200, 10);
    // A reply that already lists today (a clock a day ahead): today is still being counted, never stored.
    const fake = await fakePypi({ daily: { requests: { ...days, [isoDay(0)]: 99_999 } }, now: () => NOW + DAY_MS });
    const backfill = backfiller(fake.url, ['requests']);
    const { tasks } = await backfill.plan(context().ctx);
    const { results } = await backfill.step([{ task: tasks[0]!, cursor: null }], context().ctx);

    expect(fake.requests.map((request) => `${request.path}${request.query}`)).toEqual(['/api/packages/requests/overall?mirrors=false']);
    const result = results[0]!;
    if (result.kind !== 'progress') throw new Error(`expected progress, got ${JSON.stringify(result)}`);
    expect(result.cursor).toBeNull();
    const byPeriod = (period: string) => result.samples.filter((sample) => sample.labels.period === period);
    const at = (offset: number) => Date.UTC(2025, 5, 1) + offset * DAY_MS + DAY_MS - 1;
    // 180 days up to today, today left out; the sums need 6 and 29 older days the reply does not have.
    expect(byPeriod('last_day')).toHaveLength(179);
    expect(byPeriod('last_week')).toHaveLength(173);
    expect(byPeriod('last_month')).toHaveLength(150);
    const yesterday = (period: string): DatedSample => byPeriod(period).find((sample) => sample.time === at(-1))!;
    expect(yesterday('last_day')).toEqual({ metric: 'pypi_package_downloads', labels: { package: 'requests', period: 'last_day' }, value: days[isoDay(-1)], time: at(-1) });
    expect(yesterday('last_week').value).toBe(sumOf(days, 7));
    expect(yesterday('last_month').value).toBe(sumOf(days, 30));
    expect(Math.max(...result.samples.map((sample) => sample.time))).toBe(at(-1));
    // The mirrors category is left out: no day holds its count.
    expect(byPeriod('last_day').some((sample) => sample.value === days[isoDay(-1)]! + FAKE_MIRROR_EXTRA)).toBe(false);

    // At yesterday the backfill agrees with the poll of that day.
    const pollFake = await fakePypi({ daily: { requests: days }, now: () => NOW });
    const poll = await source(pollFake.url, ['requests']).collect(context().ctx);
    for (const sample of poll.samples) expect(yesterday(sample.labels.period!).value, sample.labels.period).toBe(sample.value);
  });

  it('counts a day pypistats skips as none, and says a package it does not know is unavailable', async () => {
    const days = history(40, 5);
    delete days[isoDay(-3)];
    const fake = await fakePypi({ daily: { requests: days }, now: () => NOW });
    const backfill = backfiller(fake.url, ['requests', 'ghost']);
    const { tasks } = await backfill.plan(context().ctx);
    const { results } = await backfill.step(tasks.map((task) => ({ task, cursor: null })), context().ctx);
    const first = results[0]!;
    if (first.kind !== 'progress') throw new Error(JSON.stringify(first));
    const week = first.samples.find((sample) => sample.labels.period === 'last_week' && sample.time === Date.UTC(2025, 5, 1) - 1)!;
    expect(week.value).toBe(sumOf(days, 7));
    expect(results[1]).toEqual({ kind: 'unavailable', reason: "pypistats.org does not know the package 'ghost' (404), so it has no download history — check pypi.packages" });
    expect(fake.maxInFlight).toBe(1);
  });

  it('hands a rate limit to the runner at once, and throws when pypistats cannot be reached', async () => {
    const fake = await fakePypi({ daily: { requests: history(10, 1) }, now: () => NOW });
    fake.failNext({ status: 429, retryAfterSeconds: 1 });
    const backfill = backfiller(fake.url, ['requests']);
    const { tasks } = await backfill.plan(context().ctx);
    const error = await backfill.step([{ task: tasks[0]!, cursor: null }], context().ctx).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(fake.requests).toHaveLength(1);

    const closed = fake.url;
    await fake.close();
    await expect(backfiller(closed, ['requests']).step([{ task: tasks[0]!, cursor: null }], context().ctx)).rejects.toThrow(
      `pypistats.org could not be reached at ${closed} for the daily downloads of 'requests' (ECONNREFUSED) — backfilling again later`,
    );
  });
});

describe('fake pypistats', () => {
  it('answers an unknown name with a bare 404 and a rate limit with an HTML 429 and Retry-After', async () => {
    const fake = await fakePypi({ now: () => NOW });
    const missing = await fetch(`${fake.url}/api/packages/ghost/recent`);
    expect([missing.status, await missing.text()]).toEqual([404, '404']);
    fake.failNext({ status: 429, retryAfterSeconds: 7 });
    const limited = await fetch(`${fake.url}/api/packages/ghost/recent`);
    expect([limited.status, limited.headers.get('retry-after'), await limited.text()]).toEqual([429, '7', TOO_MANY_REQUESTS_PAGE]);
  });

  it('lists both categories without ?mirrors, like the recorded overall reply', async () => {
    const fake = await fakePypi({ daily: { widget: { [isoDay(-1)]: 3 } }, now: () => NOW });
    const reply = (await (await fetch(`${fake.url}/api/packages/widget/overall`)).json()) as { data: unknown[] };
    const recorded = fixture('pypistats_overall.json');
    expect(Object.keys(reply)).toEqual(Object.keys(recorded));
    expect(reply.data).toEqual([
      { category: 'with_mirrors', date: isoDay(-1), downloads: 3 + FAKE_MIRROR_EXTRA },
      { category: 'without_mirrors', date: isoDay(-1), downloads: 3 },
    ]);
  });
});
