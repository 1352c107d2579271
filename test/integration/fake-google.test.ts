// The loopback Google fake on its own: it checks JWTs for real, refuses what Google refuses, and
// answers reports by interpreting the request (not a canned reply).
import { createSign } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGoogle } from '../fakes/google/index.js';
import type { FakeGoogle, FakeGoogleOptions, FakeProperty } from '../fakes/google/index.js';
import { generateTestKeyPair } from '../fakes/google/service-account.js';
import type { TestKeyPair } from '../fakes/google/service-account.js';
import { apiFixture as fixture } from '../support/api-fixtures.js';

const EMAIL = 'footprint@footprint-test.iam.gserviceaccount.com';
const SCOPE = 'https://www.googleapis.com/auth/analytics.readonly';
const FIXED_NOW = Date.UTC(2025, 5, 1, 12, 0, 0);

let keys: TestKeyPair;
let otherKeys: TestKeyPair;
beforeAll(() => {
  keys = generateTestKeyPair();
  otherKeys = generateTestKeyPair();
});

const fakes: FakeGoogle[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});
afterAll(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

function property(overrides: Partial<FakeProperty> = {}): FakeProperty {
  return {
    daily: {
      today: { activeUsers: 12, newUsers: 5, sessions: 15, screenPageViews: 40 },
      yesterday: { activeUsers: 120, newUsers: 50, sessions: 150, screenPageViews: 400 },
      last_28_days: { activeUsers: 3000, newUsers: 1400, sessions: 4100, screenPageViews: 12000 },
    },
    pages: Array.from({ length: 14 }, (_, index) => ({ path: `/page-${index}`, views: ((index * 37) % 50) + 1 })),
    realtimeActiveUsers: 7,
    ...overrides,
  };
}

async function fake(options: Partial<FakeGoogleOptions> = {}): Promise<FakeGoogle> {
  const started = await startFakeGoogle({ properties: { '123': property() }, publicKeyPem: keys.publicKeyPem, now: () => FIXED_NOW, ...options });
  fakes.push(started);
  return started;
}

function jwt(claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'RS256', typ: 'JWT' }, privateKeyPem = keys.privateKeyPem): string {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const signature = createSign('sha256').update(input).sign(privateKeyPem).toString('base64url');
  return `${input}.${signature}`;
}

function selfSigned(overrides: Record<string, unknown> = {}, privateKeyPem?: string): string {
  const iat = Math.floor(FIXED_NOW / 1000);
  return jwt({ iss: EMAIL, sub: EMAIL, scope: SCOPE, iat, exp: iat + 3600, ...overrides }, undefined, privateKeyPem);
}

async function post(fakeGoogle: FakeGoogle, path: string, body: unknown, bearer: string | null): Promise<{ status: number; body: any }> {
  const response = await fetch(`${fakeGoogle.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : JSON.parse(text) };
}

async function token(fakeGoogle: FakeGoogle, form: Record<string, string>): Promise<{ status: number; body: any }> {
  const response = await fetch(fakeGoogle.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  return { status: response.status, body: await response.json() };
}

const DAILY = {
  dateRanges: [
    { startDate: 'today', endDate: 'today', name: 'today' },
    { startDate: 'yesterday', endDate: 'yesterday', name: 'yesterday' },
    { startDate: '28daysAgo', endDate: 'yesterday', name: 'last_28_days' },
  ],
  metrics: [{ name: 'sessions' }, { name: 'activeUsers' }],
  returnPropertyQuota: true,
};

describe('fake Google: credentials', () => {
  it('accepts a self-signed JWT signed with the test key and records who sent it', async () => {
    const google = await fake();
    const reply = await post(google, '/v1beta/properties/123:runRealtimeReport', { metrics: [{ name: 'activeUsers' }] }, selfSigned());
    expect(reply.status).toBe(200);
    expect(google.requests[0]).toMatchObject({ endpoint: 'runRealtimeReport', propertyId: '123', credential: 'self-signed-jwt', email: EMAIL, status: 200 });
    expect(google.requests[0]!.jwt?.claims.scope).toBe(SCOPE);
  });

  it('refuses a missing Bearer, a bad signature, an expired token, a foreign audience and no scope with 401 UNAUTHENTICATED', async () => {
    const google = await fake();
    const body = { metrics: [{ name: 'activeUsers' }] };
    const path = '/v1beta/properties/123:runRealtimeReport';
    const iat = Math.floor(FIXED_NOW / 1000);
    const refused = [
      null,
      selfSigned({}, otherKeys.privateKeyPem),
      selfSigned({ iat: iat - 7200, exp: iat - 3600 }),
      selfSigned({ iat, exp: iat + 7200 }),
      selfSigned({ aud: 'https://example.com/' }),
      selfSigned({ scope: 'https://www.googleapis.com/auth/drive' }),
      selfSigned({ sub: 'someone-else@example.com' }),
      jwt({ iss: EMAIL, scope: SCOPE, iat, exp: iat + 3600 }, { alg: 'HS256', typ: 'JWT' }),
      'ya29.never-issued-token',
    ];
    for (const bearer of refused) {
      const reply = await post(google, path, body, bearer);
      expect(reply.status, String(bearer)).toBe(401);
      expect(reply.body.error).toMatchObject({ code: 401, status: 'UNAUTHENTICATED' });
    }
    // A valid token still works after all that.
    expect((await post(google, path, body, selfSigned())).status).toBe(200);
  });

  it('picks the key by kid when keys carry one', async () => {
    const google = await fake({ publicKeyPem: undefined, keys: [{ kid: 'old', publicKeyPem: otherKeys.publicKeyPem }, { kid: 'new', publicKeyPem: keys.publicKeyPem }] });
    const iat = Math.floor(FIXED_NOW / 1000);
    const claims = { iss: EMAIL, sub: EMAIL, scope: SCOPE, iat, exp: iat + 3600 };
    const path = '/v1beta/properties/123:runRealtimeReport';
    expect((await post(google, path, { metrics: [{ name: 'activeUsers' }] }, jwt(claims, { alg: 'RS256', typ: 'JWT', kid: 'new' }))).status).toBe(200);
    expect((await post(google, path, { metrics: [{ name: 'activeUsers' }] }, jwt(claims, { alg: 'RS256', typ: 'JWT', kid: 'old' }))).status).toBe(401);
    expect((await post(google, path, { metrics: [{ name: 'activeUsers' }] }, jwt(claims, { alg: 'RS256', typ: 'JWT', kid: 'gone' }))).status).toBe(401);
  });

  it('exchanges a jwt-bearer assertion for an access token that works until it expires', async () => {
    let now = FIXED_NOW;
    const google = await fake({ now: () => now, accessTokenLifetimeSeconds: 600 });
    const iat = Math.floor(now / 1000);
    const assertion = jwt({ iss: EMAIL, scope: SCOPE, aud: google.tokenUrl, iat, exp: iat + 3600 });
    const granted = await token(google, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
    expect(granted.status).toBe(200);
    expect(granted.body).toMatchObject({ expires_in: 600, token_type: 'Bearer' });
    expect(granted.body.access_token).toMatch(/^ya29\./);
    const path = '/v1beta/properties/123:runRealtimeReport';
    const body = { metrics: [{ name: 'activeUsers' }] };
    expect((await post(google, path, body, granted.body.access_token)).status).toBe(200);
    expect(google.requests.at(-1)).toMatchObject({ credential: 'access-token', email: EMAIL });
    now += 601_000;
    expect((await post(google, path, body, granted.body.access_token)).status).toBe(401);
  });

  it('refuses bad token requests the way the OAuth endpoint does', async () => {
    const google = await fake();
    const iat = Math.floor(FIXED_NOW / 1000);
    const grant = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
    const badSignature = await token(google, { grant_type: grant, assertion: jwt({ iss: EMAIL, scope: SCOPE, aud: google.tokenUrl, iat, exp: iat + 3600 }, undefined, otherKeys.privateKeyPem) });
    expect(badSignature).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' } });
    const wrongAudience = await token(google, { grant_type: grant, assertion: jwt({ iss: EMAIL, scope: SCOPE, aud: 'https://oauth2.googleapis.com/token', iat, exp: iat + 3600 }) });
    expect(wrongAudience.body.error).toBe('invalid_grant');
    const noScope = await token(google, { grant_type: grant, assertion: jwt({ iss: EMAIL, aud: google.tokenUrl, iat, exp: iat + 3600 }) });
    expect(noScope.body.error).toBe('invalid_scope');
    const wrongGrant = await token(google, { grant_type: 'client_credentials' });
    expect(wrongGrant.body.error).toBe('unsupported_grant_type');
    // A deleted key takes its access tokens with it.
    const granted = await token(google, { grant_type: grant, assertion: jwt({ iss: EMAIL, scope: SCOPE, aud: google.tokenUrl, iat, exp: iat + 3600 }) });
    google.revokeAccessTokens();
    const reply = await post(google, '/v1beta/properties/123:runRealtimeReport', { metrics: [{ name: 'activeUsers' }] }, granted.body.access_token);
    expect(reply.status).toBe(401);
  });
});

describe('fake Google: property access', () => {
  it('answers 403 PERMISSION_DENIED for an unknown property and for an e-mail not allowed', async () => {
    const google = await fake({ properties: { '123': property({ allowedEmails: ['other@x.iam.gserviceaccount.com'] }), '456': property() } });
    for (const id of ['123', '999']) {
      const reply = await post(google, `/v1beta/properties/${id}:runReport`, DAILY, selfSigned());
      expect(reply.status).toBe(403);
      expect(reply.body.error.status).toBe('PERMISSION_DENIED');
      expect(reply.body.error.message).toContain('User does not have sufficient permissions for this property');
    }
    expect((await post(google, '/v1beta/properties/456:runReport', DAILY, selfSigned())).status).toBe(200);
  });
});

describe('fake Google: reports', () => {
  it('answers named date ranges with a dateRange dimension and the metrics in the order asked', async () => {
    const google = await fake();
    const reply = await post(google, '/v1beta/properties/123:runReport', DAILY, selfSigned());
    expect(reply.status).toBe(200);
    expect(reply.body.dimensionHeaders).toEqual([{ name: 'dateRange' }]);
    expect(reply.body.metricHeaders).toEqual([{ name: 'sessions', type: 'TYPE_INTEGER' }, { name: 'activeUsers', type: 'TYPE_INTEGER' }]);
    expect(reply.body.rows).toEqual([
      { dimensionValues: [{ value: 'today' }], metricValues: [{ value: '15' }, { value: '12' }] },
      { dimensionValues: [{ value: 'yesterday' }], metricValues: [{ value: '150' }, { value: '120' }] },
      { dimensionValues: [{ value: 'last_28_days' }], metricValues: [{ value: '4100' }, { value: '3000' }] },
    ]);
    expect(reply.body).toMatchObject({ rowCount: 3, metadata: { timeZone: 'America/Los_Angeles' }, kind: 'analyticsData#runReport' });
    expect(Object.keys(reply.body.propertyQuota)).toEqual([
      'tokensPerDay',
      'tokensPerHour',
      'concurrentRequests',
      'serverErrorsPerProjectPerHour',
      'potentiallyThresholdedRequestsPerHour',
      'tokensPerProjectPerHour',
    ]);
  });

  it('names unnamed ranges date_range_N, adds no dateRange dimension for one range, and leaves out propertyQuota unless asked', async () => {
    const google = await fake();
    const two = await post(google, '/v1beta/properties/123:runReport', { dateRanges: [{ startDate: 'today', endDate: 'today' }, { startDate: '1daysAgo', endDate: 'yesterday' }], metrics: [{ name: 'newUsers' }] }, selfSigned());
    expect(two.body.rows.map((row: any) => row.dimensionValues[0].value)).toEqual(['date_range_0', 'date_range_1']);
    expect(two.body.propertyQuota).toBeUndefined();
    const one = await post(google, '/v1beta/properties/123:runReport', { dateRanges: [{ startDate: 'yesterday', endDate: 'yesterday' }], metrics: [{ name: 'screenPageViews' }] }, selfSigned());
    expect(one.body.dimensionHeaders).toBeUndefined();
    expect(one.body.rows).toEqual([{ metricValues: [{ value: '400' }] }]);
  });

  it('orders pages by the orderBys, applies limit and offset, and counts all rows', async () => {
    const google = await fake();
    const pages = property().pages;
    const request = (extra: Record<string, unknown>) => ({
      dateRanges: [{ startDate: '28daysAgo', endDate: 'yesterday' }],
      dimensions: [{ name: 'pagePath' }],
      metrics: [{ name: 'screenPageViews' }],
      ...extra,
    });
    const byViews = [...pages].sort((a, b) => b.views - a.views || (a.path < b.path ? -1 : 1));
    const desc = await post(google, '/v1beta/properties/123:runReport', request({ orderBys: [{ metric: { metricName: 'screenPageViews' }, desc: true }, { dimension: { dimensionName: 'pagePath' } }], limit: '10' }), selfSigned());
    expect(desc.body.rowCount).toBe(14);
    expect(desc.body.rows.map((row: any) => [row.dimensionValues[0].value, Number(row.metricValues[0].value)])).toEqual(byViews.slice(0, 10).map((page) => [page.path, page.views]));
    const asc = await post(google, '/v1beta/properties/123:runReport', request({ orderBys: [{ metric: { metricName: 'screenPageViews' } }, { dimension: { dimensionName: 'pagePath' } }], limit: 3, offset: '1' }), selfSigned());
    const ascending = [...byViews].sort((a, b) => a.views - b.views || (a.path < b.path ? -1 : 1));
    expect(asc.body.rows.map((row: any) => row.dimensionValues[0].value)).toEqual(ascending.slice(1, 4).map((page) => page.path));
  });

  it('leaves rows out when there is no data, as proto3 JSON does', async () => {
    const zero = { activeUsers: 0, newUsers: 0, sessions: 0, screenPageViews: 0 };
    const google = await fake({ properties: { '123': property({ daily: { today: zero, yesterday: zero, last_28_days: zero }, pages: [], realtimeActiveUsers: 0 }) } });
    const daily = await post(google, '/v1beta/properties/123:runReport', DAILY, selfSigned());
    expect(daily.status).toBe(200);
    expect(daily.body.rows).toBeUndefined();
    expect(daily.body.rowCount).toBeUndefined();
    expect(daily.body.metricHeaders).toHaveLength(2);
    const realtime = await post(google, '/v1beta/properties/123:runRealtimeReport', { metrics: [{ name: 'activeUsers' }] }, selfSigned());
    expect(realtime.body).toEqual({ metricHeaders: [{ name: 'activeUsers', type: 'TYPE_INTEGER' }], kind: 'analyticsData#runRealtimeReport' });
  });

  it('answers 400 INVALID_ARGUMENT for unknown fields and bad requests', async () => {
    const google = await fake();
    const cases: [unknown, RegExp][] = [
      [{ ...DAILY, metrics: [{ name: 'bounces' }] }, /Field bounces is not a valid metric/],
      [{ ...DAILY, dimensions: [{ name: 'customEvent:slug' }] }, /Field customEvent:slug is not a valid dimension/],
      [{ metrics: [{ name: 'activeUsers' }] }, /at least one date range/],
      [{ ...DAILY, dateRanges: [{ startDate: 'today', endDate: 'today', name: 'date_range_x' }] }, /cannot begin with/],
      [{ ...DAILY, orderBys: [{ metric: { metricName: 'newUsers' } }] }, /must be one of the requested metrics/],
      ['{not json', /Invalid JSON payload/],
    ];
    for (const [body, message] of cases) {
      const reply = await post(google, '/v1beta/properties/123:runReport', body, selfSigned());
      expect(reply.status).toBe(400);
      expect(reply.body.error.status).toBe('INVALID_ARGUMENT');
      expect(reply.body.error.message).toMatch(message);
    }
    const realtime = await post(google, '/v1beta/properties/123:runRealtimeReport', { metrics: [{ name: 'activeUsers' }], minuteRanges: [{ startMinutesAgo: 59 }] }, selfSigned());
    expect(realtime.body.error.message).toMatch(/startMinutesAgo must be at most 29/);
  });

  it('serves what updateProperty changed', async () => {
    const google = await fake();
    google.updateProperty('123', { realtimeActiveUsers: 99, daily: { today: { activeUsers: 1, newUsers: 1, sessions: 1, screenPageViews: 1 } } as FakeProperty['daily'] });
    const realtime = await post(google, '/v1beta/properties/123:runRealtimeReport', { metrics: [{ name: 'activeUsers' }] }, selfSigned());
    expect(realtime.body.rows).toEqual([{ metricValues: [{ value: '99' }] }]);
    const daily = await post(google, '/v1beta/properties/123:runReport', DAILY, selfSigned());
    expect(daily.body.rows[0].metricValues).toEqual([{ value: '1' }, { value: '1' }]);
    expect(daily.body.rows[1].metricValues).toEqual([{ value: '150' }, { value: '120' }]);
    expect(() => google.updateProperty('999', {})).toThrow(/no property 999/);
  });
});

describe('fake Google: quota and injected failures', () => {
  it('charges core and realtime buckets separately and answers 429 when a bucket is empty', async () => {
    const google = await fake({ quota: { tokensPerDay: 100, tokensPerHour: 2, tokensPerRequest: 1 } });
    const first = await post(google, '/v1beta/properties/123:runReport', DAILY, selfSigned());
    expect(first.body.propertyQuota.tokensPerHour).toEqual({ consumed: 1, remaining: 1 });
    expect(first.body.propertyQuota.tokensPerDay).toEqual({ consumed: 1, remaining: 99 });
    await post(google, '/v1beta/properties/123:runReport', DAILY, selfSigned());
    expect(google.quotaOf('123')).toEqual({ tokensPerDay: 98, tokensPerHour: 0 });
    const limited = await post(google, '/v1beta/properties/123:runReport', DAILY, selfSigned());
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED' });
    expect(limited.body.error.message).toMatch(/per hour/);
    expect((await post(google, '/v1beta/properties/123:runRealtimeReport', { metrics: [{ name: 'activeUsers' }] }, selfSigned())).status).toBe(200);
    google.updateProperty('123', { quota: { tokensPerDay: 0 } });
    expect((await post(google, '/v1beta/properties/123:runReport', DAILY, selfSigned())).body.error.message).toMatch(/per day/);
  });

  it('fails the matching requests the given number of times, with Google bodies or a raw one', async () => {
    const google = await fake();
    google.failNext({ match: /runRealtimeReport/, status: 503, times: 2 });
    google.failNext({ match: /\/token$/, status: 400 });
    google.failNext({ match: /runReport/, status: 200, body: '<html>proxy</html>' });
    const realtime = '/v1beta/properties/123:runRealtimeReport';
    const body = { metrics: [{ name: 'activeUsers' }] };
    expect((await post(google, realtime, body, selfSigned())).body.error).toMatchObject({ code: 503, status: 'UNAVAILABLE' });
    expect((await post(google, realtime, body, selfSigned())).status).toBe(503);
    expect((await post(google, realtime, body, selfSigned())).status).toBe(200);
    const response = await fetch(`${google.url}/v1beta/properties/123:runReport`, { method: 'POST', body: JSON.stringify(DAILY), headers: { authorization: `Bearer ${selfSigned()}` } });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('<html>proxy</html>');
    expect((await token(google, { grant_type: 'x' })).body.error).toBe('invalid_grant');
    expect(() => google.failNext({ status: 302 })).toThrow(/400-599/);
  });

  it('delays replies by latencyMs', async () => {
    const google = await fake({ latencyMs: 60 });
    const started = performance.now();
    await post(google, '/v1beta/properties/123:runRealtimeReport', { metrics: [{ name: 'activeUsers' }] }, selfSigned());
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });
});

describe('fake Google: shapes recorded from Google (test/fixtures/api)', () => {
  it('sends the recorded error bodies for 401, 403 and 429, and the OAuth error for a bad signature', async () => {
    const google = await fake({ quota: { tokensPerDay: 0 } });
    const path401 = await post(google, '/v1beta/properties/123:runReport', DAILY, selfSigned({}, otherKeys.privateKeyPem));
    expect(path401.body).toEqual(fixture('ga4_error_401.json'));
    expect((await post(google, '/v1beta/properties/9:runReport', DAILY, selfSigned())).body).toEqual(fixture('ga4_error_403.json'));
    expect((await post(google, '/v1beta/properties/123:runReport', DAILY, selfSigned())).body).toEqual(fixture('ga4_error_429.json'));
    const iat = Math.floor(FIXED_NOW / 1000);
    const refused = await token(google, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwt({ iss: EMAIL, scope: SCOPE, aud: google.tokenUrl, iat, exp: iat + 3600 }, undefined, otherKeys.privateKeyPem) });
    expect(refused.body).toEqual(fixture('google_oauth_token_error.json'));
  });

  it('answers reports with the recorded top-level fields, in order, and the recorded quota fields', async () => {
    const google = await fake();
    const report = await post(google, '/v1beta/properties/123:runReport', { ...DAILY, dimensions: [] }, selfSigned());
    expect(Object.keys(report.body)).toEqual(Object.keys(fixture('ga4_run_report.json')));
    expect(Object.keys(report.body.propertyQuota)).toEqual(Object.keys(fixture('ga4_run_report.json').propertyQuota));
    const realtime = await post(google, '/v1beta/properties/123:runRealtimeReport', fixture('ga4_run_realtime_report_request.json'), selfSigned());
    expect(Object.keys(realtime.body)).toEqual(Object.keys(fixture('ga4_run_realtime_report.json')));
    expect(realtime.body.metricHeaders).toEqual(fixture('ga4_run_realtime_report.json').metricHeaders);
    const granted = await token(google, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwt({ iss: EMAIL, scope: SCOPE, aud: google.tokenUrl, iat: Math.floor(FIXED_NOW / 1000), exp: Math.floor(FIXED_NOW / 1000) + 3600 }) });
    expect(Object.keys(granted.body).sort()).toEqual(Object.keys(fixture('google_oauth_token.json')).sort());
  });
});
