// Badges and chart images from `footprint serve`'s HTTP server on a real history file: what they show,
// their caching (ETag, 304) and who may load them (server.public with an access token). No source polls.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, parseListenAddress } from '../../electron/core/config/config.js';
import { FootprintCore } from '../../electron/core/core.js';
import { createLogger } from '../../electron/core/log.js';
import { startServer, type RunningServer } from '../../electron/core/server.js';
import { HistoryStore } from '../../electron/core/store/history-store.js';

const DAY = 86_400_000;
const githubToken = `ghp_${randomBytes(18).toString('hex')}`;
const authToken = randomBytes(24).toString('hex');

let dir: string;
const running: { core: FootprintCore; server: RunningServer }[] = [];

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-share-'));
  const store = HistoryStore.open(path.join(dir, 'history.db'));
  const now = Date.now();
  // Star history read back (backfill) for 200 days, then two polls.
  store.ingestDated('github', Array.from({ length: 200 }, (_, day) => ({ metric: 'github_repo_stars', labels: { repo: 'widget', user: 'acme' }, value: 10 * day, time: now - (202 - day) * DAY })));
  store.ingest('github', [
    { metric: 'github_repo_stars', labels: { repo: 'widget', user: 'acme' }, value: 2_400 },
    { metric: 'github_repo_stars', labels: { repo: 'secret-plan', user: 'acme' }, value: 7 },
    { metric: 'github_owner_stars', labels: { user: 'acme' }, value: 2_407 },
  ], now - DAY);
  store.ingest('github', [{ metric: 'github_repo_stars', labels: { repo: 'widget', user: 'acme' }, value: 2_431 }], now - 60_000);
  store.ingest('npm', [
    { metric: 'npm_package_downloads', labels: { package: '@acme/kit', period: 'last_month' }, value: 1_234_567 },
    { metric: 'npm_package_downloads', labels: { package: '@acme/kit', period: 'last_week' }, value: 98_765 },
  ], now - 60_000);
  store.ingest('crates', [{ metric: 'crates_downloads_total', labels: { crate: 'serde' }, value: 999 }], now - 60_000);
  store.close();
});

afterEach(async () => {
  for (const { core, server } of running.splice(0)) {
    await server.close();
    await core.close();
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function start(server = '') {
  const configText = `${server}storage: { path: "./history.db" }\ngithub:\n  apiUrl: "http://127.0.0.1:9"\n  token: "\${GITHUB_TOKEN}"\n  orgs: [acme]\n`;
  const loaded = parseConfig(configText, { file: path.join(dir, 'footprint.yaml'), env: { GITHUB_TOKEN: githubToken, AUTH: authToken }, dataDir: dir, homedir: dir });
  const log = createLogger({ level: 'silent' });
  const core = new FootprintCore({ loaded, log });
  const { authToken: token, public: publicSeries } = loaded.config.server;
  const running1 = await startServer(core, { listen: parseListenAddress('127.0.0.1:0'), authToken: token, publicSeries }, log);
  running.push({ core, server: running1 });
  return running1;
}

async function get(server: RunningServer, target: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${target}`, { headers });
  const body = await response.text();
  expect(body).not.toContain(githubToken);
  expect(body).not.toContain(authToken);
  return { status: response.status, headers: response.headers, body };
}

describe('without an access token (loopback)', () => {
  it('serves each badge with the current value, compact', async () => {
    const server = await start();
    const stars = await get(server, '/badge/github/acme/widget/stars.svg');
    expect(stars.status).toBe(200);
    expect(stars.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(stars.headers.get('cache-control')).toBe('public, max-age=300');
    expect(stars.body).toContain('<title>stars: 2.4k</title>');
    expect(stars.body).not.toContain('<script');
    expect((await get(server, '/badge/github/Acme/Widget/stars.svg')).body).toContain('<title>stars: 2.4k</title>');
    expect((await get(server, '/badge/github/acme/stars.svg')).body).toContain('<title>stars: 2.4k</title>');
    expect((await get(server, '/badge/npm/@acme%2Fkit/downloads.svg')).body).toContain('<title>npm downloads: 1.2M/month</title>'); // npm's own spelling
    expect((await get(server, '/badge/npm/@acme/kit/downloads.svg')).body).toContain('<title>npm downloads: 1.2M/month</title>');
    expect((await get(server, '/badge/npm/@acme/kit/downloads.svg?period=last_week')).body).toContain('<title>npm downloads: 98k/week</title>');
    expect((await get(server, '/badge/crates/serde/downloads.svg')).body).toContain('<title>crates.io downloads: 999</title>');
  });

  it('answers 304 to a request that has the ETag, and a new ETag once the value changes', async () => {
    const server = await start();
    const first = await get(server, '/badge/crates/serde/downloads.svg');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    const again = await get(server, '/badge/crates/serde/downloads.svg', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
    expect((await get(server, '/badge/crates/serde/downloads.svg', { 'if-none-match': `W/${etag}` })).status).toBe(304);
    expect((await get(server, '/badge/crates/serde/downloads.svg', { 'if-none-match': '"other"' })).status).toBe(200);
    running[0]!.core.store.ingest('crates', [{ metric: 'crates_downloads_total', labels: { crate: 'serde' }, value: 1_500 }], Date.now());
    const changed = await get(server, '/badge/crates/serde/downloads.svg', { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.body).toContain('<title>crates.io downloads: 1.5k</title>');
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('draws the chart from the stored history, backfill included, ending at the last value', async () => {
    const server = await start();
    const chart = await get(server, '/chart/github/acme/widget/stars.svg?range=1y&theme=dark');
    expect(chart.status).toBe(200);
    expect(chart.body).toContain('<title>acme/widget stars: 2,431</title>');
    expect(chart.body).toContain('fill="#0d1117"');
    const points = /points="([^"]+)"/.exec(chart.body)![1]!.split(' ').map((point) => point.split(',').map(Number) as [number, number]);
    // A year back, the backfilled points start about 200 days ago: the line starts right of the middle and rises.
    expect(points[0]![0]).toBeGreaterThan(56 + 0.4 * 528);
    expect(points[0]![0]).toBeLessThan(56 + 0.5 * 528);
    expect(points.at(-1)![1]).toBeLessThan(points[0]![1]);
    expect(chart.body.length).toBeLessThan(12_000);
    expect((await get(server, '/chart/github/acme/widget/stars.svg?range=30d')).body).toContain('fill="#ffffff"');
  });

  it('shows a grey "not found" badge with 404 for a series the store does not have', async () => {
    const server = await start();
    const missing = await get(server, '/badge/github/acme/nothing/stars.svg');
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('<title>stars: not found</title>');
    expect(missing.body).toContain('fill="#9f9f9f"');
    expect((await get(server, '/chart/pypi/nothing/downloads.svg')).status).toBe(404);
  });

  it.each([
    ['/badge/github/acme/%00/stars.svg', '"?" is not a name'],
    [`/badge/github/${'a'.repeat(101)}/stars.svg`, 'is not a name: use letters, digits'],
    ['/badge/gitlab/acme/stars.svg', '"gitlab" is not a source with badges'],
    ['/badge/npm/kit/downloads.svg?period=always', 'period "always" is not one of'],
  ])('refuses %s with 400 and says why', async (target, message) => {
    const server = await start();
    const answer = await get(server, target);
    expect(answer.status).toBe(400);
    expect(answer.body).toContain(message);
  });

  it('refuses a bad range or theme', async () => {
    const server = await start();
    expect((await get(server, '/chart/github/acme/widget/stars.svg?range=forever')).status).toBe(400);
    expect((await get(server, '/chart/github/acme/widget/stars.svg?range=21y')).status).toBe(400);
    expect((await get(server, '/chart/github/acme/widget/stars.svg?theme=pink')).status).toBe(400);
  });
});

describe('with an access token', () => {
  const config = 'server: { authToken: "${AUTH}", public: [github/acme/widget/stars, github/acme/gone/stars] }\n';

  it('serves the series server.public lists to anyone, shared caches included', async () => {
    const server = await start(config);
    const badge = await get(server, '/badge/github/acme/widget/stars.svg');
    expect(badge.status).toBe(200);
    expect(badge.headers.get('cache-control')).toBe('public, max-age=300');
    expect((await get(server, '/chart/github/acme/widget/stars.svg')).status).toBe(200);
    expect((await get(server, '/badge/github/acme/gone/stars.svg')).status).toBe(404);
  });

  it('asks for the token for every other series, alike whether it exists or not', async () => {
    const server = await start(config);
    const existing = await get(server, '/badge/github/acme/secret-plan/stars.svg');
    const missing = await get(server, '/badge/github/acme/no-such-repo/stars.svg');
    expect(existing.status).toBe(401);
    expect(missing.status).toBe(401);
    expect(existing.body).toBe(missing.body);
    expect(existing.body).not.toContain('secret-plan');
    expect((await get(server, '/chart/github/acme/secret-plan/stars.svg')).status).toBe(401);
    const withToken = await get(server, '/badge/github/acme/secret-plan/stars.svg', { authorization: `Bearer ${authToken}` });
    expect(withToken.status).toBe(200);
    expect(withToken.body).toContain('<title>stars: 7</title>');
    expect(withToken.headers.get('cache-control')).toBe('private, max-age=300');
  });
});
