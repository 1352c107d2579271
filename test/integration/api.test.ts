// The UI's API over real HTTP: reads, live events (SSE), settings saved to the file and applied without a
// restart, connection tests, and the headless safety rules (auth token, CSRF, DNS rebinding, static files).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SECRET_UNCHANGED, type LiveEvent } from '../../shared/api.js';
import { parseConfig, parseListenAddress } from '../../electron/core/config/config.js';
import { FootprintCore } from '../../electron/core/core.js';
import { silentLogger } from '../../electron/core/log.js';
import { startServer, type RunningServer } from '../../electron/core/server.js';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github/index.js';
import { waitFor } from '../support/footprint-process.js';
import { fakeGitHubToken } from '../support/test-tokens.js';

const token = `ghp_${randomBytes(18).toString('hex')}`;
let fake: FakeGitHub;
let dir: string;
const running: { core: FootprintCore; server: RunningServer }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-api-'));
  fake = await startFakeGitHub({
    token,
    repos: [
      { owner: 'acme', name: 'rocket', stars: 42, forks: 7, watchers: 5, openIssues: 3, openPulls: 2, sizeKb: 1200 },
      { owner: 'globex', name: 'drill', stars: 8, forks: 1, watchers: 1, openIssues: 0, openPulls: 0, sizeKb: 10 },
    ],
  });
});

afterEach(async () => {
  for (const { core, server } of running.splice(0)) {
    await server.close();
    await core.close();
  }
});

afterAll(async () => {
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function start(configText: string, options: { authToken?: string; metricsAuth?: boolean; uiDir?: string; name?: string; env?: Record<string, string>; loadEnv?: Record<string, string> } = {}) {
  const folder = mkdtempSync(path.join(dir, options.name ?? 'case-'));
  const file = path.join(folder, 'footprint.yaml');
  writeFileSync(file, configText);
  const env = { GITHUB_TOKEN: token, ...options.loadEnv };
  const loaded = parseConfig(configText, { file, env, dataDir: folder, homedir: folder });
  const core = new FootprintCore({ loaded, log: silentLogger() });
  const server = await startServer(core, { listen: parseListenAddress('127.0.0.1:0'), authToken: options.authToken ?? null, metricsAuth: options.metricsAuth ?? false, uiDir: options.uiDir, ...(options.env ? { env: options.env } : {}) }, silentLogger());
  process.env.GITHUB_TOKEN = token; // the API validates saved settings against the process environment
  core.start();
  running.push({ core, server });
  return { core, server, file, folder };
}

const githubSection = (orgs: string) => `github:\n  apiUrl: "${fake.url}"\n  token: "\${GITHUB_TOKEN}"\n  orgs: ${orgs}\n  interval: 1h\n`;

async function call(server: RunningServer, method: string, args: unknown[] = [], init: { headers?: Record<string, string> } = {}) {
  const routes = (await import('../../shared/api.js')).httpRoutes as Record<string, { method: string; path: string }>;
  const route = routes[method]!;
  const url = route.method === 'GET' ? `${server.url}${route.path}${args.length ? `?q=${encodeURIComponent(JSON.stringify(args[0]))}` : ''}` : `${server.url}${route.path}`;
  const response = await fetch(url, route.method === 'GET'
    ? { headers: init.headers }
    : { method: 'POST', headers: { 'content-type': 'application/json', ...init.headers }, body: JSON.stringify({ args }) });
  return { status: response.status, body: await response.json() as any };
}

/** Collects live events from /api/events until `until` accepts one. */
function nextEvent(server: RunningServer, until: (event: LiveEvent) => boolean, timeoutMs = 15_000): Promise<LiveEvent> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${server.url}/api/events`, (response) => {
      expect(response.headers['content-type']).toMatch(/^text\/event-stream/);
      let buffer = '';
      response.setEncoding('utf8').on('data', (chunk: string) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = message.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n');
          if (!data) continue;
          const event = JSON.parse(data) as LiveEvent;
          if (until(event)) {
            clearTimeout(timer);
            request.destroy();
            resolve(event);
          }
        }
      });
    });
    const timer = setTimeout(() => { request.destroy(); reject(new Error('no matching live event')); }, timeoutMs);
    request.on('error', () => {});
  });
}

describe('the UI API', () => {
  it('reads latest values, ranges, changes and health, and pushes new samples live', async () => {
    // Without backfill, so the series starts at the first poll (the range below asks from before it).
    const { server } = await start(`backfill: { enabled: false }\n${githubSection('[acme]')}`);
    const latest = await waitFor(async () => {
      const result = await call(server, 'latest', [{ source: 'github', metric: 'github_repo_stars' }]);
      return result.body.length === 1 ? result.body : undefined;
    }, 'stars in /api/latest');
    expect(latest[0]).toMatchObject({ source: 'github', metric: 'github_repo_stars', labels: { repo: 'rocket', user: 'acme' }, value: 42 });

    const info = await call(server, 'info');
    expect(info.body).toMatchObject({ version: expect.any(String), metricsUrl: `${server.url}/metrics`, canEditConfig: true, secretStore: 'config-file' });
    const sources = await call(server, 'sources');
    expect(sources.body.map((source: { id: string; configured: boolean }) => [source.id, source.configured])).toEqual([['github', true], ['dockerhub', false], ['ga4', false], ['npm', false], ['pypi', false], ['crates', false], ['http', false]]);

    const now = Date.now();
    const range = await call(server, 'range', [{ series: [latest[0].id], start: now - 3_600_000, end: now + 1000, points: 61 }]);
    expect(range.body.series[0].times).toHaveLength(61);
    expect(range.body.series[0].values.at(-1)).toBe(42);
    expect(range.body.series[0].values[0]).toBeNull(); // before the series existed
    expect(range.body.series[0].times.at(-1)).toBe(now + 1000); // the last point is exactly the end asked for
    // The Overview asks for every headline series at once: 300 ids pass the size check (and an unknown id is a 400).
    const many = await call(server, 'changes', [Array.from({ length: 300 }, (_, index) => 1_000_000 + index), [86_400_000]]);
    expect(many.status).toBe(400);
    expect(many.body.error).toMatch(/no series with id 1000000/);
    const badRange = await call(server, 'range', [{ series: [latest[0].id], start: now, end: now - 1, points: 10 }]);
    expect(badRange.status).toBe(400);
    expect(badRange.body.error).toMatch(/start < end/);

    const changes = await call(server, 'changes', [[latest[0].id], [86_400_000]]);
    expect(changes.body[0]).toMatchObject({ id: latest[0].id, latest: 42, changes: [{ windowMs: 86_400_000, delta: 0 }] });

    const health = await call(server, 'health');
    expect(health.body[0]).toMatchObject({ id: 'github', title: 'GitHub', lastError: null, apiBudget: { limit: 5000, remaining: expect.any(Number) } });

    fake.updateRepo('acme/rocket', { stars: 50 });
    const pushed = nextEvent(server, (event) => event.type === 'samples' && event.latest.some((series) => series.metric === 'github_repo_stars' && series.value === 50));
    await new Promise((resolve) => setTimeout(resolve, 200)); // the stream is open before the refresh
    expect((await call(server, 'refresh', ['github'])).status).toBe(200);
    const event = await pushed;
    expect(event.type).toBe('samples');
    expect((await call(server, 'refresh', ['nope'])).body.error).toMatch(/not a configured source/);
  });

  it('saves settings to the file, keeps ${VAR} references and a backup, and applies them without a restart', async () => {
    const { server, file, core } = await start(`# my settings\n${githubSection('[acme]')}`);
    await waitFor(async () => ((await call(server, 'latest', [{ metric: 'github_repo_stars' }])).body.length === 1 ? true : undefined), 'first poll');

    const config = await call(server, 'config');
    expect(config.body.sources.github).toMatchObject({ token: '${GITHUB_TOKEN}', orgs: ['acme'] });

    const invalid = await call(server, 'saveSource', ['github', { ...config.body.sources.github, interval: 'often' }]);
    expect(invalid.body.ok).toBe(false);
    expect(invalid.body.issues).toEqual([expect.objectContaining({ path: 'github.interval' })]);
    expect(readFileSync(file, 'utf8')).toContain('orgs: [acme]'); // nothing written

    const saved = await call(server, 'saveSource', ['github', { ...config.body.sources.github, orgs: ['acme', 'globex'] }]);
    expect(saved.body).toEqual({ ok: true });
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('# my settings');
    expect(text).toContain('${GITHUB_TOKEN}');
    expect(text).not.toContain(token);
    expect(existsSync(`${file}.bak`)).toBe(true);
    const drill = await waitFor(async () => {
      const body = await (await fetch(`${server.url}/metrics`)).text();
      return body.includes('repo="drill"') ? body : undefined;
    }, 'the new org in /metrics without a restart');
    expect(drill).toMatch(/github_repo_stars\{[^}]*repo="drill"[^}]*\} 8/);
    expect(core.loaded.config.sources.github).toMatchObject({ orgs: ['acme', 'globex'] });

    const removed = await call(server, 'saveSource', ['github', null]);
    expect(removed.body).toEqual({ ok: true });
    expect(readFileSync(file, 'utf8')).not.toContain('github:');
    expect((await call(server, 'sources')).body.find((source: { id: string }) => source.id === 'github').configured).toBe(false);
    expect(await (await fetch(`${server.url}/metrics`)).text()).not.toContain('github_repo_stars{');
  });

  it('masks a literal token, keeps it when saved unchanged, and tests connections in plain words', async () => {
    const literal = githubSection('[acme]').replace('"${GITHUB_TOKEN}"', `"${token}"`);
    const { server, file } = await start(literal);
    const config = await call(server, 'config');
    expect(config.body.sources.github.token).toBe(SECRET_UNCHANGED);
    expect(JSON.stringify(config.body)).not.toContain(token);

    const ok = await call(server, 'testConnection', ['github', config.body.sources.github]);
    expect(ok.body).toEqual({ ok: true, message: expect.stringMatching(/^Connected to GitHub: \d+ values read\. Connected (as [\w-]+ \(personal token\)|anonymously \(public data only\)); [\d,]+ of [\d,]+ REST requests an hour left/) });
    const wrongToken = fakeGitHubToken();
    const wrong = await call(server, 'testConnection', ['github', { ...config.body.sources.github, token: wrongToken }]);
    expect(wrong.body.ok).toBe(false);
    expect(wrong.body.message).toMatch(/github\.token/);
    expect(wrong.body.message).not.toContain(wrongToken);
    const missingOrg = await call(server, 'testConnection', ['github', { ...config.body.sources.github, orgs: ['no-such-org'] }]);
    expect(missingOrg.body).toMatchObject({ ok: false, message: expect.stringContaining('no-such-org') });

    expect((await call(server, 'saveSource', ['github', { ...config.body.sources.github, interval: '2h' }])).body).toEqual({ ok: true });
    expect(readFileSync(file, 'utf8')).toContain(token); // the stored secret was kept, not replaced by ***
    expect(readFileSync(file, 'utf8')).not.toContain(SECRET_UNCHANGED);
  });
});

describe('Test connection with errors beside the data (issue 13)', () => {
  it('names what was read and the organisation GitHub left repositories out of, not "Connected" alone', async () => {
    for (let index = 0; index < 3; index += 1) fake.addRepo({ owner: 'initech', name: `broken-${index}`, stars: 1, forks: 0, watchers: 0, openIssues: 0, openPulls: 0, sizeKb: 1, nullFields: ['forkCount'] });
    fake.addRepo({ owner: 'initech', name: 'fine', stars: 3, forks: 0, watchers: 0, openIssues: 0, openPulls: 0, sizeKb: 1 });
    const { server } = await start(githubSection('[initech]'));
    const config = await call(server, 'config');
    const tested = await call(server, 'testConnection', ['github', config.body.sources.github]);
    expect(tested.body.ok).toBe(false);
    expect(tested.body.message).toMatch(/^GitHub answered \(\d+ values read\), but 1 target failed:\norg:initech: GitHub left out 3 repositories of organization 'initech' beside the data: Cannot return null for non-nullable field Repository\.forkCount\. \(× 3\)/);
  });
});

describe('Test connection with notes', () => {
  it('says what a target cannot give beside "Connected", as notes, not failures', async () => {
    fake.addRepo({ owner: 'umbrella', name: 'hive', stars: 2, forks: 0, watchers: 0, openIssues: 0, openPulls: 0, sizeKb: 1, trafficForbidden: true });
    const { server } = await start(githubSection('[umbrella]'));
    const config = await call(server, 'config');
    const tested = await call(server, 'testConnection', ['github', config.body.sources.github]);
    expect(tested.body.ok).toBe(true);
    expect(tested.body.message).toMatch(/^Connected to GitHub: \d+ values read\./);
    expect(tested.body.message).toContain('\nNotes (not failures):\nrepo:umbrella/hive: traffic needs push access to this repository');
  });
});

describe('the environment settings are checked against', () => {
  it('is the one the host gives (the desktop app adds its stored secrets), not only the process environment', async () => {
    // The file uses ${VAULT_TOKEN} for github.token: Settings may keep that reference (and only that one there).
    const vaultSection = githubSection('[acme]').replace('${GITHUB_TOKEN}', '${VAULT_TOKEN}');
    const { server } = await start(vaultSection, { env: { ...process.env, VAULT_TOKEN: token } as Record<string, string>, loadEnv: { VAULT_TOKEN: token } });
    const section = { apiUrl: fake.url, token: '${VAULT_TOKEN}', orgs: ['acme', 'globex'], interval: '1h' };
    expect(process.env.VAULT_TOKEN).toBeUndefined();
    expect((await call(server, 'saveSource', ['github', section])).body).toEqual({ ok: true });
    const { server: plain } = await start(vaultSection, { loadEnv: { VAULT_TOKEN: token } });
    const refused = await call(plain, 'saveSource', ['github', section]);
    expect(refused.body).toMatchObject({ ok: false, issues: [expect.objectContaining({ path: 'github.token', message: expect.stringContaining('VAULT_TOKEN') })] });
  });
});

describe('headless safety', () => {
  it('refuses cross-origin and non-JSON writes, and foreign Host headers while on loopback', async () => {
    const { server } = await start(githubSection('[acme]'));
    const crossOrigin = await fetch(`${server.url}/api/pause`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://evil.example' }, body: '{"args":[]}' });
    expect(crossOrigin.status).toBe(403);
    const form = await fetch(`${server.url}/api/pause`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"args":[]}' });
    expect(form.status).toBe(403);
    const rebinding = await new Promise<number>((resolve) => {
      http.get(`${server.url}/api/info`, { headers: { host: 'evil.example:9171' } }, (response) => { response.resume(); resolve(response.statusCode!); });
    });
    expect(rebinding).toBe(403);
    const sameOrigin = await fetch(`${server.url}/api/pause`, { method: 'POST', headers: { 'content-type': 'application/json', origin: server.url }, body: '{"args":[]}' });
    expect(sameOrigin.status).toBe(200);
  });

  it('with an auth token, asks for it on the UI and the API (bearer, basic or ?token=) but not on /metrics unless metricsAuth', async () => {
    const authToken = randomBytes(16).toString('hex');
    const { server } = await start(githubSection('[acme]'), { authToken });
    expect((await fetch(`${server.url}/api/info`)).status).toBe(401);
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(401);
    expect(page.headers.get('www-authenticate')).toMatch(/^Basic realm="Footprint"/);
    expect((await fetch(`${server.url}/api/info`, { headers: { authorization: `Bearer ${authToken}` } })).status).toBe(200);
    expect((await fetch(`${server.url}/api/info`, { headers: { authorization: `Basic ${Buffer.from(`me:${authToken}`).toString('base64')}` } })).status).toBe(200);
    const withQuery = await fetch(`${server.url}/api/info?token=${authToken}`);
    expect(withQuery.status).toBe(200);
    // A valid ?token= link leaves an HttpOnly, SameSite=Strict cookie, so the page's assets and reloads work.
    const cookie = withQuery.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^footprint_session=[^;]+; HttpOnly; SameSite=Strict; Path=\//);
    expect((await fetch(`${server.url}/api/health`, { headers: { cookie: cookie.split(';')[0]! } })).status).toBe(200);
    expect((await fetch(`${server.url}/api/health`, { headers: { cookie: 'footprint_session=wrong' } })).status).toBe(401);
    expect((await fetch(`${server.url}/api/info`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${server.url}/api/config/source`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"args":["github",null]}' })).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(200);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    const locked = await start(githubSection('[acme]'), { authToken, metricsAuth: true });
    expect((await fetch(`${locked.server.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${locked.server.url}/metrics`, { headers: { authorization: `Bearer ${authToken}` } })).status).toBe(200);
  });

  it('serves the built dashboard with a strict CSP and never a file outside it', async () => {
    const uiDir = path.join(dir, 'ui');
    mkdirSync(path.join(uiDir, 'assets'), { recursive: true });
    writeFileSync(path.join(uiDir, 'index.html'), '<!doctype html><title>Footprint</title><script type="module" src="./assets/app.js"></script>');
    writeFileSync(path.join(uiDir, 'assets', 'app.js'), 'console.log("hi")');
    writeFileSync(path.join(dir, 'secret.txt'), 'not for the web');
    const { server } = await start(githubSection('[acme]'), { uiDir });
    const index = await fetch(`${server.url}/`);
    expect(index.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(await index.text()).toContain('<title>Footprint</title>');
    const asset = await fetch(`${server.url}/assets/app.js`);
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
    for (const probe of ['/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e/secret.txt']) {
      expect(await (await fetch(`${server.url}${probe}`)).text()).not.toContain('not for the web');
    }
    const missing = await start(githubSection('[acme]'), { uiDir: path.join(dir, 'not-built') });
    const notBuilt = await fetch(`${missing.server.url}/`);
    expect(notBuilt.status).toBe(503);
    expect(await notBuilt.text()).toMatch(/npm run build/);
  });
});
