// The crates.io source against the loopback fake of the crates.io API: the poll (one request per
// crate, in turn, with a User-Agent naming Footprint), unknown crates, rate limits, refusals; the
// 90-day backfill; and the fake, which refuses requests without a User-Agent as crates.io does.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { RateLimitedError, TargetsFailedError } from '../../electron/core/source.js';
import { settleDownloads } from '../../electron/core/sources/crates/backfill.js';
import { createCratesSource, cratesConfigSchema, cratesUserAgent } from '../../electron/core/sources/crates/index.js';
import type { CratesSourceOptions } from '../../electron/core/sources/crates/index.js';
import { startFakeCrates, USER_AGENT_REQUIRED } from '../fakes/crates/index.js';
import type { FakeCrate } from '../fakes/crates/index.js';
import { apiFixture as fixture } from '../support/api-fixtures.js';
import { closedAfterEach } from '../support/closed-after-each.js';
import { collectContext as context } from '../support/collect-context.js';

const DAY_MS = 86_400_000;
/** 2025-06-01 12:00 UTC. */
const NOW = Date.UTC(2025, 5, 1, 12);
const FAST: CratesSourceOptions = { retryAfterUnitMs: 5, retryDelayMs: 5, spacingMs: 2, now: () => NOW };
const fakeCrates = closedAfterEach(startFakeCrates);

function isoDay(offsetFromToday: number): string {
  return new Date(NOW + offsetFromToday * DAY_MS).toISOString().slice(0, 10);
}

/** `days` days ending today (crates.io counts today as it goes), day i (0 = the oldest) with count base + i. */
function crate(days: number, base: number, before = 1_000_000): FakeCrate {
  return { before, daily: Object.fromEntries(Array.from({ length: days }, (_, index) => [isoDay(index - days + 1), base + index])) };
}

function source(apiUrl: string, crates: string[], options: CratesSourceOptions = FAST) {
  return createCratesSource(cratesConfigSchema.parse({ apiUrl, crates, interval: '1s' }), options);
}

/** A GET without any User-Agent header (node:http adds none). */
function getWithoutUserAgent(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('crates source', () => {
  it('collects total and recent downloads, one request per crate, one at a time, with a User-Agent naming Footprint and a contact', async () => {
    const crates = { serde: crate(120, 50, 5_000), tokio: crate(30, 9, 0) };
    // Replies take a while, so requests sent together would overlap at the fake.
    const fake = await fakeCrates({ crates, now: () => NOW, latencyMs: 20 });
    const { ctx, statuses } = context();
    const result = await source(fake.url, ['serde', 'tokio']).collect(ctx);

    expect(result.errors).toEqual([]);
    expect(result.collected).toBe(2);
    const sum = (daily: Record<string, number>, last: number) => Array.from({ length: last }, (_, index) => daily[isoDay(-index)] ?? 0).reduce((a, b) => a + b, 0);
    const all = (entry: FakeCrate) => entry.before + Object.values(entry.daily).reduce((a, b) => a + b, 0);
    expect(result.samples).toEqual([
      { metric: 'crates_downloads_total', labels: { crate: 'serde' }, value: all(crates.serde) },
      { metric: 'crates_recent_downloads', labels: { crate: 'serde' }, value: sum(crates.serde.daily, 90) },
      { metric: 'crates_downloads_total', labels: { crate: 'tokio' }, value: all(crates.tokio) },
      { metric: 'crates_recent_downloads', labels: { crate: 'tokio' }, value: sum(crates.tokio.daily, 90) },
    ]);
    expect(fake.requests.map((entry) => entry.path)).toEqual(['/api/v1/crates/serde', '/api/v1/crates/tokio']);
    expect(fake.requests.every((entry) => entry.userAgent === cratesUserAgent())).toBe(true);
    expect(cratesUserAgent()).toMatch(/^footprint\/\d+\.\d+\.\d+\S* \(\+https:\/\/\S+\)$/);
    expect(fake.maxInFlight).toBe(1);
    expect(statuses).toEqual([200, 200]);
  });

  it('reports a crate crates.io does not know while the others keep working', async () => {
    const fake = await fakeCrates({ crates: { serde: crate(5, 1) }, now: () => NOW });
    const result = await source(fake.url, ['nosuch', 'serde']).collect(context().ctx);
    expect(result.collected).toBe(1);
    expect(result.errors).toEqual([{ target: 'crate:nosuch', message: "crates.io does not know the crate 'nosuch' (404) — check crates.crates" }]);
  });

  it('names crates.io’s reason for a refusal (403 without a proper User-Agent)', async () => {
    const fake = await fakeCrates({ crates: { serde: crate(5, 1) }, now: () => NOW });
    fake.failNext({ status: 403, body: JSON.stringify(USER_AGENT_REQUIRED) });
    const result = await source(fake.url, ['serde']).collect(context().ctx);
    expect(result.errors[0]!.message).toMatch(/^the crates\.io API answered 403 to crate 'serde': We require that all requests include a `User-Agent` header\. /);
  });

  it('waits once for a short Retry-After on 429, ends with RateLimitedError on a long one, and retries a 5xx', async () => {
    const fake = await fakeCrates({ crates: { serde: crate(5, 1) }, now: () => NOW });
    fake.failNext({ status: 429, retryAfterSeconds: 1 });
    fake.failNext({ status: 502 });
    const { ctx, statuses } = context();
    expect((await source(fake.url, ['serde']).collect(ctx)).errors).toEqual([]);
    expect(statuses).toEqual([429, 502, 200]);

    fake.failNext({ status: 429, retryAfterSeconds: 3_600 });
    const error = await source(fake.url, ['serde'], { ...FAST, retryAfterUnitMs: 1_000 }).collect(context().ctx).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as Error).message).toMatch(/^the crates\.io API rate limit was hit; collecting again after \d{4}-/);
  });

  it('does not retry a request that timed out: a hung API costs one request per crate, and says to raise crates.timeout', async () => {
    const fake = await fakeCrates({ crates: { serde: crate(5, 1), tokio: crate(5, 1) }, now: () => NOW });
    fake.setHanging(true);
    const error = await source(fake.url, ['serde', 'tokio'], { ...FAST, requestTimeoutMs: 50 }).collect(context().ctx).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TargetsFailedError);
    expect((error as Error).message).toMatch(/^the crates\.io API did not answer within .* — check crates\.apiUrl and the network, or raise crates\.timeout$/);
    expect(fake.hungRequests).toBe(2);
  });

  it('fails the whole collection when crates.io cannot be reached, pointing at crates.apiUrl', async () => {
    const fake = await fakeCrates({ now: () => NOW });
    const closed = fake.url;
    await fake.close();
    const error = await source(closed, ['serde']).collect(context().ctx).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TargetsFailedError);
    expect((error as Error).message).toBe(`the crates.io API could not be reached at ${closed} (ECONNREFUSED) — check crates.apiUrl and the network`);
  });
});

describe('crates backfill', () => {
  it('reads each day of the last 90 as all versions’ downloads (version_downloads plus extra_downloads), today left out', async () => {
    const entry = crate(120, 40);
    const fake = await fakeCrates({ crates: { serde: entry }, now: () => NOW });
    const backfill = source(fake.url, ['serde']).backfill!;
    const { tasks } = await backfill.plan(context().ctx);
    expect(tasks).toEqual([{ key: 'downloads:serde', title: 'serde daily downloads', target: 'serde', totalUnits: 90, estimatedRequests: 1 }]);
    const { results } = await backfill.step([{ task: tasks[0]!, cursor: null }], context().ctx);
    const result = results[0]!;
    if (result.kind !== 'progress') throw new Error(JSON.stringify(result));
    expect(fake.requests.map((request) => [request.path, request.userAgent])).toEqual([['/api/v1/crates/serde/downloads', cratesUserAgent()]]);
    expect(result.cursor).toBeNull();
    // 90 days up to today; today is still being counted.
    expect(result.samples).toHaveLength(89);
    for (const sample of result.samples) {
      const day = new Date(sample.time).toISOString().slice(0, 10);
      expect(sample.time % DAY_MS, day).toBe(DAY_MS - 1);
      expect(sample, day).toEqual({ metric: 'crates_downloads_daily', labels: { crate: 'serde' }, value: entry.daily[day], time: sample.time });
    }
    expect(result.samples.at(-1)!.time).toBe(Date.UTC(2025, 5, 1) - 1);
  });

  it('sums the recorded reply per date', async () => {
    const text = JSON.stringify(fixture('crates_io_downloads.json'));
    const result = settleDownloads('widget', { status: 200, headers: new Headers(), text }, 'https://crates.io', Date.UTC(2025, 5, 2));
    if (result.kind !== 'progress') throw new Error(JSON.stringify(result));
    expect(result.samples.map((sample) => [new Date(sample.time).toISOString().slice(0, 10), sample.value])).toEqual([
      ['2025-05-30', 1203 + 88 + 402],
      ['2025-05-31', 1310 + 71 + 377],
    ]);
  });

  it('says a crate crates.io does not know is unavailable, and hands a rate limit to the runner at once', async () => {
    const fake = await fakeCrates({ crates: { serde: crate(5, 1) }, now: () => NOW });
    const backfill = source(fake.url, ['ghost', 'serde']).backfill!;
    const { tasks } = await backfill.plan(context().ctx);
    const { results } = await backfill.step(tasks.map((task) => ({ task, cursor: null })), context().ctx);
    expect(results[0]).toEqual({ kind: 'unavailable', reason: "crates.io does not know the crate 'ghost' (404), so it has no download history — check crates.crates" });
    expect(results[1]!.kind).toBe('progress');
    expect(fake.maxInFlight).toBe(1);

    fake.failNext({ status: 429, retryAfterSeconds: 1 });
    await expect(backfill.step([{ task: tasks[1]!, cursor: null }], context().ctx)).rejects.toBeInstanceOf(RateLimitedError);
  });
});

describe('fake crates.io', () => {
  it('refuses a request without a User-Agent with crates.io’s 403 body', async () => {
    const fake = await fakeCrates({ crates: { serde: crate(5, 1) }, now: () => NOW });
    const refused = await getWithoutUserAgent(`${fake.url}/api/v1/crates/serde`);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toEqual(fixture('crates_io_error_403_user_agent.json'));
    const answered = await fetch(`${fake.url}/api/v1/crates/serde`, { headers: { 'user-agent': cratesUserAgent() } });
    expect(answered.status).toBe(200);
  });

  it('answers like the recorded crate and 404 replies', async () => {
    const fake = await fakeCrates({ crates: { widget: crate(5, 1) }, now: () => NOW });
    const headers = { 'user-agent': cratesUserAgent() };
    const reply = (await (await fetch(`${fake.url}/api/v1/crates/widget`, { headers })).json()) as { crate: object };
    expect(Object.keys(reply)).toEqual(Object.keys(fixture('crates_io_crate.json')));
    expect(Object.keys(reply.crate)).toEqual(Object.keys(fixture('crates_io_crate.json').crate));
    const missing = await fetch(`${fake.url}/api/v1/crates/ghost`, { headers });
    expect([missing.status, await missing.json()]).toEqual([404, fixture('crates_io_error_404.json')]);
    const downloads = (await (await fetch(`${fake.url}/api/v1/crates/widget/downloads`, { headers })).json()) as object;
    expect(Object.keys(downloads)).toEqual(Object.keys(fixture('crates_io_downloads.json')));
  });
});
