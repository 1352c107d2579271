// The GA4 source against the loopback Google fake: reports and their values, the key file's
// self-signed JWT and Application Default Credentials, renewal, per-property failures, quota limits, retries, stopping, and no key in
// any message or log line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import type { Sample } from '../../shared/metrics.js';
import { RateLimitedError } from '../../electron/core/source.js';
import type { CollectResult, Source } from '../../electron/core/source.js';
import { createGa4Source, ga4ConfigSchema, ga4Source, nextPacificMidnight } from '../../electron/core/sources/ga4/index.js';
import type { Ga4Config, Ga4SourceOptions } from '../../electron/core/sources/ga4/index.js';
import { startFakeGoogle } from '../fakes/google/index.js';
import type { FakeGoogle, FakeGoogleOptions, FakeProperty } from '../fakes/google/index.js';
import { generateTestKeyPair, writeTestServiceAccount } from '../fakes/google/service-account.js';
import { systemClock } from '../support/system-clock.js';
import type { TestKeyPair, TestServiceAccount } from '../fakes/google/service-account.js';
import { collectContext as context } from '../support/collect-context.js';

const EMAIL = 'footprint@footprint-test.iam.gserviceaccount.com';
/** A Sunday in June (PDT), mid-hour, so hourly and daily quota times differ. */
const START = Date.UTC(2025, 5, 1, 12, 34, 56);
const FAST: Ga4SourceOptions = { retryDelayMs: 5, requestTimeoutMs: 5_000 };

let keys: TestKeyPair;
let otherKeys: TestKeyPair;
let dir: string;
beforeAll(() => {
  keys = generateTestKeyPair();
  otherKeys = generateTestKeyPair();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'footprint-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const fakes: FakeGoogle[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

function property(seed: number, overrides: Partial<FakeProperty> = {}): FakeProperty {
  return {
    daily: {
      today: { activeUsers: 10 + seed, newUsers: 4 + seed, sessions: 13 + seed, screenPageViews: 31 + seed },
      yesterday: { activeUsers: 110 + seed, newUsers: 43 + seed, sessions: 140 + seed, screenPageViews: 390 + seed },
      last_28_days: { activeUsers: 2900 + seed, newUsers: 1300 + seed, sessions: 4000 + seed, screenPageViews: 11800 + seed },
    },
    // 14 pages, so the limit of 10 matters; views spread so the order is not the insertion order.
    pages: Array.from({ length: 14 }, (_, index) => ({ path: `/p${seed}/page-${index}`, views: ((index * 53 + seed) % 97) + 1 })),
    realtimeActiveUsers: 5 + seed,
    ...overrides,
  };
}

interface Harness {
  google: FakeGoogle;
  account: TestServiceAccount;
  config: Ga4Config;
  clock: { now: number };
}

async function harness(
  properties: Record<string, FakeProperty>,
  options: { fake?: Partial<FakeGoogleOptions>; trustedKey?: string; configured?: string[] } = {},
): Promise<Harness> {
  const clock = systemClock(START);
  const google = await startFakeGoogle({ properties, publicKeyPem: options.trustedKey ?? keys.publicKeyPem, now: () => clock.now, ...options.fake });
  fakes.push(google);
  const account = writeTestServiceAccount({ dir, tokenUri: google.tokenUrl, keys, clientEmail: EMAIL, fileName: `sa-${fakes.length}-${Date.now()}.json` });
  const parsed = ga4ConfigSchema.parse({ credentialsFile: path.basename(account.file), properties: options.configured ?? Object.keys(properties), apiUrl: google.url, interval: '1m' });
  const config = ga4Source.prepare!(parsed, { configDir: dir, homedir: os.homedir() });
  return { google, account, config, clock };
}

function source(h: Harness, options: Ga4SourceOptions = {}): Source {
  return createGa4Source(h.config, { ...FAST, now: () => h.clock.now, ...options });
}


function value(samples: readonly Sample[], metric: string, labels: Record<string, string>): number | undefined {
  const found = samples.filter((sample) => sample.metric === metric && Object.entries(labels).every(([key, label]) => sample.labels[key] === label));
  if (found.length > 1) throw new Error(`${found.length} samples of ${metric} ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

function expectDaily(samples: readonly Sample[], id: string, fake: FakeProperty): void {
  const names = { activeUsers: 'ga4_active_users', newUsers: 'ga4_new_users', sessions: 'ga4_sessions', screenPageViews: 'ga4_page_views' } as const;
  for (const period of ['today', 'yesterday', 'last_28_days'] as const) {
    for (const [field, metric] of Object.entries(names)) {
      expect(value(samples, metric, { property: id, period }), `${metric} ${id} ${period}`).toBe(fake.daily[period][field as keyof typeof names]);
    }
  }
}

/** The error a collection failed with; fails the test when it succeeded. */
async function failure(run: Promise<CollectResult>): Promise<Error> {
  const outcome = await run.then(
    (result) => new Error(`expected the collection to fail, it returned ${JSON.stringify(result.errors)}`),
    (error: unknown) => error,
  );
  if (!(outcome instanceof Error) || outcome.message.startsWith('expected the collection to fail')) throw outcome;
  return outcome;
}

function apiRequests(google: FakeGoogle) {
  return google.requests.filter((request) => request.endpoint !== 'token');
}

describe('GA4 source: reports', () => {
  it('collects two properties: daily totals, top 10 pages sorted, realtime users and quota, values as the fake holds them', async () => {
    const a = property(1);
    const b = property(2);
    const h = await harness({ '111': a, '222': b });
    const { ctx, statuses } = context();
    const result = await source(h).collect(ctx);

    expect(result.errors).toEqual([]);
    for (const [id, fake] of [['111', a], ['222', b]] as const) {
      expectDaily(result.samples, id, fake);
      const pages = result.samples.filter((sample) => sample.metric === 'ga4_page_views_by_page' && sample.labels.property === id);
      const expected = [...fake.pages].sort((x, y) => y.views - x.views).slice(0, 10);
      expect(pages.map((sample) => sample.value)).toEqual(expected.map((page) => page.views));
      expect(new Set(pages.map((sample) => sample.labels.page))).toEqual(new Set(expected.map((page) => page.path)));
      expect(value(result.samples, 'ga4_realtime_active_users', { property: id })).toBe(fake.realtimeActiveUsers);
      const quota = h.google.quotaOf(id);
      expect(value(result.samples, 'ga4_quota_tokens_per_day_remaining', { property: id })).toBe(quota.tokensPerDay);
      expect(value(result.samples, 'ga4_quota_tokens_per_hour_remaining', { property: id })).toBe(quota.tokensPerHour);
    }
    // Two core reports and one realtime report per property, each counted.
    expect(statuses).toEqual(Array(6).fill(200));
    expect(h.google.requests.map((request) => request.endpoint).sort()).toEqual(['runRealtimeReport', 'runRealtimeReport', 'runReport', 'runReport', 'runReport', 'runReport']);
    // Every sample's metric is in the catalogue, with exactly the catalogue's labels.
    for (const sample of result.samples) {
      const def = ga4Source.metrics.find((metric) => metric.name === sample.metric);
      expect(def, sample.metric).toBeDefined();
      expect(Object.keys(sample.labels).sort()).toEqual([...def!.labels].sort());
    }
  });

  it('asks for the documented reports: named date ranges in one request, top pages by views, realtime', async () => {
    const h = await harness({ '111': property(1) });
    await source(h).collect(context().ctx);
    const bodies = h.google.requests.map((request) => request.body as Record<string, any>);
    const daily = bodies.find((body) => body.dateRanges?.length === 3)!;
    expect(daily.dateRanges.map((range: any) => range.name)).toEqual(['today', 'yesterday', 'last_28_days']);
    expect(daily.metrics.map((metric: any) => metric.name)).toEqual(['activeUsers', 'newUsers', 'sessions', 'screenPageViews']);
    expect(daily.returnPropertyQuota).toBe(true);
    const pages = bodies.find((body) => body.dimensions?.[0]?.name === 'pagePath')!;
    expect(pages).toMatchObject({ orderBys: [{ metric: { metricName: 'screenPageViews' }, desc: true }], limit: '10', returnPropertyQuota: true });
    expect(h.google.requests.find((request) => request.endpoint === 'runRealtimeReport')!.body).toMatchObject({ metrics: [{ name: 'activeUsers' }] });
  });

  it('reports zeros when a property has no data (rows absent), not an error', async () => {
    const zero = { activeUsers: 0, newUsers: 0, sessions: 0, screenPageViews: 0 };
    const empty = property(0, { daily: { today: zero, yesterday: zero, last_28_days: zero }, pages: [], realtimeActiveUsers: 0 });
    const h = await harness({ '333': empty });
    const result = await source(h).collect(context().ctx);
    expect(result.errors).toEqual([]);
    expectDaily(result.samples, '333', empty);
    expect(result.samples.filter((sample) => sample.metric.startsWith('ga4_') && sample.labels.period !== undefined)).toHaveLength(12);
    expect(result.samples.filter((sample) => sample.metric === 'ga4_page_views_by_page')).toEqual([]);
    expect(value(result.samples, 'ga4_realtime_active_users', { property: '333' })).toBe(0);
  });

  it('follows the fake between collections', async () => {
    const h = await harness({ '111': property(1) });
    const ga4 = source(h);
    await ga4.collect(context().ctx);
    h.google.updateProperty('111', { realtimeActiveUsers: 321, pages: [{ path: '/only', views: 9 }] });
    const result = await ga4.collect(context().ctx);
    expect(value(result.samples, 'ga4_realtime_active_users', { property: '111' })).toBe(321);
    expect(result.samples.filter((sample) => sample.metric === 'ga4_page_views_by_page')).toEqual([{ metric: 'ga4_page_views_by_page', labels: { property: '111', page: '/only' }, value: 9 }]);
  });
});

describe('GA4 source: authentication', () => {
  it('sends a self-signed RS256 JWT (kid, iss = sub = the service account, analytics scope, one hour) and never calls the token endpoint', async () => {
    const h = await harness({ '111': property(1) });
    await source(h).collect(context().ctx);
    expect(h.google.requests.every((request) => request.credential === 'self-signed-jwt' && request.email === EMAIL)).toBe(true);
    expect(h.google.requests.some((request) => request.endpoint === 'token')).toBe(false);
    const jwt = h.google.requests[0]!.jwt!;
    expect(jwt.header).toEqual({ alg: 'RS256', typ: 'JWT', kid: h.account.privateKeyId });
    const iat = Math.floor(START / 1000);
    expect(jwt.claims).toEqual({ iss: EMAIL, sub: EMAIL, scope: 'https://www.googleapis.com/auth/analytics.readonly', iat, exp: iat + 3600 });
  });

  it('reuses the JWT and signs a new one 5 minutes before it expires (injected clock)', async () => {
    const h = await harness({ '111': property(1) });
    const ga4 = source(h);
    const iats = () => [...new Set(h.google.requests.map((request) => request.jwt!.claims.iat))];
    await ga4.collect(context().ctx);
    h.clock.now = START + 54 * 60_000;
    await ga4.collect(context().ctx);
    expect(iats()).toEqual([Math.floor(START / 1000)]);
    h.clock.now = START + 56 * 60_000;
    const result = await ga4.collect(context().ctx);
    expect(result.errors).toEqual([]);
    expect(iats()).toEqual([Math.floor(START / 1000), Math.floor(h.clock.now / 1000)]);
    // Past the hour, the fake refuses the old token: the source never sent one.
    h.clock.now = START + 2 * 3_600_000;
    expect((await ga4.collect(context().ctx)).errors).toEqual([]);
    expect(h.google.requests.every((request) => request.status === 200)).toBe(true);
  });

  it('renews once after a 401 and carries on', async () => {
    const h = await harness({ '111': property(1) });
    const ga4 = source(h);
    await ga4.collect(context().ctx);
    h.google.resetRequests();
    // A one-off refusal of the self-signed JWT.
    h.google.failNext({ match: /runReport/, status: 401 });
    const { ctx, logLines } = context();
    const result = await ga4.collect(ctx);
    expect(result.errors).toEqual([]);
    expect(apiRequests(h.google).map((request) => request.status)).toEqual([401, 200, 200, 200]);
    expect(h.google.requests.filter((request) => request.endpoint === 'token').length).toBe(0);
    expect(logLines.join('\n')).toContain('renewing them once');
  });

  it('fails the collection with a plain message when the renewed credentials are refused too', async () => {
    // The fake trusts another key: as if this key had been deleted in Google Cloud.
    const h = await harness({ '111': property(1) }, { trustedKey: otherKeys.publicKeyPem });
    const { ctx, statuses } = context();
    const error = await failure(source(h).collect(ctx));
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(RateLimitedError);
    expect(error.message).toContain(`Google Analytics refused the credentials of ${EMAIL} (401 UNAUTHENTICATED) even after renewing them`);
    expect(error.message).toContain(h.account.file);
    expect(statuses).toEqual([401, 401]);
  });

});

describe('GA4 source: Application Default Credentials (no ga4.credentialsFile)', () => {
  async function adcSource(properties: Record<string, FakeProperty>): Promise<{ h: Harness; ga4: Source }> {
    const h = await harness(properties);
    const config = ga4Source.prepare!(ga4ConfigSchema.parse({ properties: Object.keys(properties), apiUrl: h.google.url }), { configDir: dir, homedir: os.homedir() });
    return { h, ga4: createGa4Source(config, { ...FAST, now: () => h.clock.now }) };
  }

  function withoutAdc(): void {
    vi.stubEnv('GOOGLE_APPLICATION_CREDENTIALS', undefined);
    // No gcloud credentials, and no metadata server to ask.
    vi.stubEnv('CLOUDSDK_CONFIG', fs.mkdtempSync(path.join(dir, 'gcloud-')));
    vi.stubEnv('HOME', fs.mkdtempSync(path.join(dir, 'home-')));
    vi.stubEnv('METADATA_SERVER_DETECTION', 'none');
    onTestFinished(() => void vi.unstubAllEnvs());
  }

  it('signs with the key file GOOGLE_APPLICATION_CREDENTIALS names, and names its service account in messages', async () => {
    const { h, ga4 } = await adcSource({ '111': property(1), '222': property(2, { allowedEmails: ['someone-else@x.iam.gserviceaccount.com'] }) });
    withoutAdc();
    vi.stubEnv('GOOGLE_APPLICATION_CREDENTIALS', h.account.file);
    expect(ga4Source.destinations!(ga4Source.prepare!(ga4ConfigSchema.parse({ properties: ['111'], apiUrl: h.google.url }), { configDir: dir, homedir: dir }))).toEqual([{ key: 'apiUrl', url: h.google.url }]);
    const { ctx, statuses } = context();
    const result = await ga4.collect(ctx);
    expectDaily(result.samples, '111', property(1));
    expect(result.errors).toEqual([{ target: 'property:222', message: expect.stringContaining(`add ${EMAIL} as a Viewer of GA4 property 222`) }]);
    expect(h.google.requests.every((request) => request.credential === 'self-signed-jwt' && request.email === EMAIL)).toBe(true);
    expect(h.google.requests.some((request) => request.endpoint === 'token')).toBe(false);
    expect([...statuses].sort()).toEqual([200, 200, 200, 403]);
  });

  it('without any credentials, fails the collection saying where credentials are looked for', async () => {
    const { h, ga4 } = await adcSource({ '111': property(1) });
    withoutAdc();
    const error = await failure(ga4.collect(context().ctx));
    expect(error.name).toBe('GoogleAuthError');
    expect(error.message).toContain('set ga4.credentialsFile to a service account\'s JSON key, or give Footprint Application Default Credentials');
    expect(h.google.requests).toEqual([]);
  });
});

describe('GA4 source: failures', () => {
  it('403: names the service account to add to which property, and the other property still works', async () => {
    const h = await harness({ '111': property(1), '222': property(2, { allowedEmails: ['someone-else@x.iam.gserviceaccount.com'] }) });
    const result = await source(h).collect(context().ctx);
    expect(result.errors).toEqual([
      {
        target: 'property:222',
        message: expect.stringContaining(`add ${EMAIL} as a Viewer of GA4 property 222 (Admin → Property access management)`),
      },
    ]);
    expectDaily(result.samples, '111', property(1));
    expect(result.samples.some((sample) => sample.labels.property === '222')).toBe(false);
  });

  it('a property that does not exist is refused like one without access', async () => {
    const h = await harness({ '111': property(1) }, { configured: ['111', '999'] });
    const result = await source(h).collect(context().ctx);
    expect(result.errors.map((error) => error.target)).toEqual(['property:999']);
    expect(result.errors[0]!.message).toContain('GA4 property 999');
  });

  it('400: the message carries the API\'s text', async () => {
    const h = await harness({ '111': property(1) });
    h.google.failNext({ match: /runReport/, status: 400, message: 'Field customEvent:game_slug is not a valid dimension.' });
    const result = await source(h).collect(context().ctx);
    expect(result.errors).toEqual([
      { target: 'property:111', message: 'Google Analytics refused the report request for property 111 (INVALID_ARGUMENT): Field customEvent:game_slug is not a valid dimension.' },
    ]);
  });

  it('429 daily quota: RateLimitedError until the next midnight Pacific', async () => {
    const h = await harness({ '111': property(1) });
    h.google.failNext({ match: /runReport/, status: 429 });
    const error = await failure(source(h).collect(context().ctx));
    expect(error).toBeInstanceOf(RateLimitedError);
    const limited = error as RateLimitedError;
    // 12:34 UTC on 1 June is 05:34 PDT: the quota returns at 07:00 UTC on 2 June.
    expect(limited.retryAt).toBe(Date.UTC(2025, 5, 2, 7, 0, 0));
    expect(limited.retryAt).toBe(nextPacificMidnight(START));
    expect(limited.message).toContain('Exhausted property tokens per day');
  });

  it('429 from an empty hourly bucket: RateLimitedError until the next hour', async () => {
    const h = await harness({ '111': property(1) }, { fake: { quota: { tokensPerHour: 2 } } });
    const ga4 = source(h);
    const first = await ga4.collect(context().ctx);
    expect(value(first.samples, 'ga4_quota_tokens_per_hour_remaining', { property: '111' })).toBe(0);
    const error = (await failure(ga4.collect(context().ctx))) as RateLimitedError;
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.retryAt).toBe(Date.UTC(2025, 5, 1, 13, 0, 0));
  });

  it('429 on one property: the others still collect, and the limited one is left alone until its quota returns', async () => {
    const h = await harness({ '111': property(1), '222': property(2) }, { fake: { properties: { '111': property(1), '222': property(2, { quota: { tokensPerDay: 0 } }) } } });
    const ga4 = source(h);
    const result = await ga4.collect(context().ctx);
    expect(result.errors).toEqual([{ target: 'property:222', message: expect.stringMatching(/quota of property 222 is exhausted .*2025-06-02T07:00:00.000Z/) }]);
    expectDaily(result.samples, '111', property(1));
    h.google.resetRequests();
    const again = await ga4.collect(context().ctx);
    expect(again.errors.map((error) => error.target)).toEqual(['property:222']);
    expect(h.google.requests.some((request) => request.propertyId === '222')).toBe(false);
    h.google.updateProperty('222', { quota: { tokensPerDay: 1000 } });
    h.clock.now = Date.UTC(2025, 5, 2, 7, 0, 1);
    expect((await ga4.collect(context().ctx)).errors).toEqual([]);
    expect(h.google.requests.some((request) => request.propertyId === '222' && request.status === 200)).toBe(true);
  });

  it('5xx: retries with backoff and succeeds; gives up on the property after the retries', async () => {
    const h = await harness({ '111': property(1) });
    h.google.failNext({ match: /runRealtimeReport/, status: 503, times: 2 });
    const { ctx, statuses, logLines } = context();
    const result = await source(h).collect(ctx);
    expect(result.errors).toEqual([]);
    expect(statuses).toEqual([200, 200, 503, 503, 200]);
    expect(logLines.filter((line) => line.includes('retrying'))).toHaveLength(2);

    h.google.failNext({ match: /runRealtimeReport/, status: 500, times: 3 });
    const failed = await source(h).collect(context().ctx);
    expect(failed.errors).toEqual([{ target: 'property:111', message: 'Google Analytics answered 500 INTERNAL for property 111: Internal error encountered.' }]);
    // The reports that did arrive are kept.
    expectDaily(failed.samples, '111', property(1));
  });

  it('a reply that is not the documented shape fails the property with a clear message', async () => {
    const h = await harness({ '111': property(1), '222': property(2) });
    h.google.failNext({ match: /111:runReport/, status: 200, body: '<html>captive portal</html>' });
    h.google.failNext({ match: /222:runReport/, status: 200, body: '{"rows": "nope"}' });
    const result = await source(h).collect(context().ctx);
    expect(result.errors).toEqual([
      { target: 'property:111', message: "Google's reply cannot be read: Google's reply to runReport for property 111 is not JSON" },
      { target: 'property:222', message: "Google's reply cannot be read: runReport (daily totals) for property 222: the reply has no metricHeaders" },
    ]);
  });

  it('an unreachable API fails the collection naming the URL', async () => {
    const h = await harness({ '111': property(1) });
    const closedUrl = h.google.url;
    await h.google.close();
    fakes.splice(fakes.indexOf(h.google), 1);
    const { ctx, statuses } = context();
    const error = await failure(createGa4Source({ ...h.config, serviceAccount: h.config.serviceAccount, apiUrl: closedUrl }, { ...FAST, maxRetries: 1 }).collect(ctx));
    expect(error.message).toContain('could not be used');
    expect(error.message).toContain(closedUrl);
    expect(statuses).toEqual(['error', 'error']);
  });

  it('stops promptly when the signal aborts', async () => {
    const h = await harness({ '111': property(1) }, { fake: { latencyMs: 2_000 } });
    const controller = new AbortController();
    const started = Date.now();
    const run = source(h).collect(context(controller.signal).ctx);
    setTimeout(() => controller.abort(), 50);
    await expect(run).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});

describe('GA4 source: faults', () => {
  it('does not retry a request that timed out: a hung Google costs one request per property', async () => {
    const h = await harness({ '111': property(1), '222': property(2) });
    h.google.setHanging(true);
    const { ctx, statuses } = context();
    const error = await failure(source(h, { requestTimeoutMs: 200 }).collect(ctx));

    expect(error.message).toBe(
      `the Google Analytics Data API could not be used: ${h.google.url} did not answer runReport for property 111 within 0.2 s — check ga4.apiUrl (${h.google.url}) and the network`,
    );
    expect(h.google.hungRequests).toBe(2);
    expect(statuses).toEqual(['error', 'error']);
  });

  it('takes its request timeout from ga4.timeout', async () => {
    const h = await harness({ '111': property(1) });
    expect(createGa4Source({ ...h.config, timeout: 45_000 }).timeoutMs).toBe(45_000);
    expect(createGa4Source(h.config).timeoutMs).toBe(20_000);
  });

  it('stops retrying once four requests in a row failed: a 500 storm over six properties costs four requests, not eighteen', async () => {
    const ids = ['101', '102', '103', '104', '105', '106'];
    const h = await harness(Object.fromEntries(ids.map((id, index) => [id, property(index)])));
    h.google.failNext({ status: 500, times: 1_000 });
    // Four properties at a time; a retry waits 200 ms, so all four first answers are in before one would start.
    const result = await source(h, { retryDelayMs: 200 }).collect(context().ctx);

    expect(h.google.requests).toHaveLength(4);
    expect(result.samples).toEqual([]);
    expect(result.collected).toBe(0);
    expect(result.errors.map((error) => error.target)).toEqual(ids.map((id) => `property:${id}`));
    expect(result.errors.slice(0, 4).every((error) => error.message.startsWith('Google Analytics answered 500'))).toBe(true);
    expect(result.errors.slice(4).every((error) => error.message.startsWith('Google failed 4 requests in a row (the last: 500), so this run sends it no more'))).toBe(true);
  });

  it('leaves out an unreadable top-page row (NaN, a number beyond range) and keeps the other pages and reports', async () => {
    const pages = [
      { path: '/fine', views: 50 },
      { path: '/nan', views: 40, rawViews: 'NaN' },
      { path: '/huge', views: 30, rawViews: '1e400' },
      { path: '/odd-\ud800-path', views: 20 },
    ];
    const h = await harness({ '111': property(1, { pages }) });
    const result = await source(h).collect(context().ctx);

    expect(result.errors).toEqual([
      {
        target: 'property:111',
        message: '2 top pages were left out (runReport (top pages) for property 111: metric value "NaN" is not a number; …); the other pages and figures are reported',
      },
    ]);
    expect(result.collected).toBe(1);
    expect(value(result.samples, 'ga4_page_views_by_page', { property: '111', page: '/fine' })).toBe(50);
    // A lone surrogate in a path is no reason to drop the page: the core stores and serves it as U+FFFD.
    expect(value(result.samples, 'ga4_page_views_by_page', { property: '111', page: '/odd-\ud800-path' })).toBe(20);
    expect(result.samples.filter((sample) => sample.metric === 'ga4_page_views_by_page')).toHaveLength(2);
    expectDaily(result.samples, '111', property(1));
    expect(value(result.samples, 'ga4_realtime_active_users', { property: '111' })).toBe(property(1).realtimeActiveUsers);
  });
});

describe('GA4 source: the private key stays secret', () => {
  it('appears in no error, target error, log line or printed config, whatever fails', async () => {
    const h = await harness({ '111': property(1), '222': property(2, { allowedEmails: [] }) });
    const pemBody = keys.privateKeyPem.split('\n').filter((line) => line !== '' && !line.startsWith('-----'));
    const texts: string[] = [];
    const collectAll = async (ga4: Source) => {
      const { ctx, logLines } = context();
      const outcome: CollectResult | Error = await ga4.collect(ctx).catch((caught: unknown) => caught as Error);
      texts.push(...logLines, outcome instanceof Error ? `${outcome.message}\n${outcome.stack ?? ''}` : JSON.stringify(outcome.errors));
    };
    h.google.failNext({ match: /runRealtimeReport/, status: 503, times: 5 });
    h.google.failNext({ match: /111:runReport/, status: 401 });
    await collectAll(source(h));
    h.google.failNext({ status: 400, message: 'bad request' });
    await collectAll(source(h));
    const untrusted = await harness({ '111': property(1) }, { trustedKey: otherKeys.publicKeyPem });
    await collectAll(source(untrusted));
    texts.push(JSON.stringify(h.config), inspect(h.config, { depth: 10, showHidden: true }), String(h.config.serviceAccount), inspect(h.config.serviceAccount, { showHidden: true }));

    const everything = texts.join('\n');
    expect(everything).toContain(EMAIL);
    expect(everything).not.toContain('PRIVATE KEY');
    for (const line of pemBody) expect(everything).not.toContain(line);
    // Nor the credential made from it.
    expect(everything).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.eyJ/);
    expect(everything).not.toMatch(/ya29\./);
  });

  it('is declared as a secret of the config', () => {
    const h = { config: ga4Source.prepare!(ga4ConfigSchema.parse({ credentialsFile: writeTestServiceAccount({ dir, tokenUri: 'https://oauth2.googleapis.com/token', keys, fileName: 'secret-check.json' }).file, properties: ['1'] }), { configDir: dir, homedir: dir }) };
    const secrets = ga4Source.secrets(h.config);
    expect(secrets).toContain(keys.privateKeyPem);
    expect(secrets).toHaveLength(2);
  });
});
