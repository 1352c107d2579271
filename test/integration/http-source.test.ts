// The user-defined JSON source (`http:`) against a loopback fake JSON API: the README's three recipes
// (answers shaped like the real ones, test/fixtures/api), per-entry intervals and honest status, the
// errors (bad expression, no number, 404/500/timeout, not JSON), header secrets kept out of every
// error and log line, the configuration's own catalogue on /metrics and in a real SQLite history, and
// the Settings API refusing to send a saved header to another address.
import { compactNumber } from '../../shared/compact-number.js';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { httpRoutes, SECRET_UNCHANGED } from '../../shared/api.js';
import { ConfigError, formatEffectiveConfig, parseConfig, parseListenAddress } from '../../electron/core/config/config.js';
import { FootprintCore } from '../../electron/core/core.js';
import { silentLogger } from '../../electron/core/log.js';
import { startServer, type RunningServer } from '../../electron/core/server.js';
import { footprintUserAgent } from '../../electron/core/sources/common/user-agent.js';
import { createHttpSource, httpConfigSchema } from '../../electron/core/sources/http/index.js';
import { startFakeJsonApi, type FakeJsonApi } from '../fakes/json-api/index.js';
import { apiFixture } from '../support/api-fixtures.js';
import { closedAfterEach } from '../support/closed-after-each.js';
import { collectContext } from '../support/collect-context.js';
import { runFootprint } from '../support/footprint-process.js';
import { promtoolCheckMetrics, requireTool } from '../support/prometheus.js';

const FAST = { retryDelayMs: 5, retryAfterUnitMs: 5 };
const fakeJson = closedAfterEach(startFakeJsonApi);
const token = `hf_${randomBytes(20).toString('hex')}`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-http-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The fake serving the three recipes' answers where the real APIs have them. */
async function recipesApi(): Promise<FakeJsonApi> {
  return fakeJson({
    '/api/models/openai-community/gpt2': apiFixture('huggingface_model.json'),
    '/about.json': apiFixture('discourse_about.json'),
    '/api/formula/wget.json': apiFixture('homebrew_formula.json'),
  });
}

/** The README's recipes, with the fake's address in place of the real hosts. */
function recipesYaml(base: string): string {
  const recipes = readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8').split('<!-- http-recipes:start -->')[1]!.split('<!-- http-recipes:end -->')[0]!;
  const yaml = [...recipes.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1]!).join('');
  return yaml.replace(/https:\/\/(huggingface\.co|meta\.discourse\.org|formulae\.brew\.sh)/g, base).replace(/^http:\n/gm, '').replace(/^/, 'http:\n');
}

function loadYaml(text: string, env: Record<string, string> = {}, name = 'case') {
  const folder = mkdtempSync(path.join(dir, `${name}-`));
  const file = path.join(folder, 'footprint.yaml');
  writeFileSync(file, text);
  return { loaded: parseConfig(text, { file, env, dataDir: folder, homedir: folder }), file, folder };
}

function configIssues(text: string): { path: string; message: string }[] {
  try {
    loadYaml(text);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

const cores: { core: FootprintCore; server?: RunningServer }[] = [];
afterEach(async () => {
  for (const { core, server } of cores.splice(0)) {
    await server?.close();
    await core.close();
  }
});

describe('http source: the README recipes', () => {
  it('reads each recipe\'s numbers from answers shaped like the real APIs', async () => {
    const api = await recipesApi();
    const { loaded } = loadYaml(recipesYaml(api.url));
    const result = await createHttpSource(loaded.config.sources.http as never, FAST).collect(collectContext().ctx);
    expect(result.errors).toEqual([]);
    const values = Object.fromEntries(result.samples.map((sample) => [sample.metric, sample.value]));
    const hf = apiFixture('huggingface_model.json');
    const stats = apiFixture('discourse_about.json').about.stats;
    expect(values).toEqual({
      huggingface_model_downloads: hf.downloads,
      huggingface_model_likes: hf.likes,
      discourse_users: stats.users_count,
      discourse_topics: stats.topics_count,
      discourse_posts: stats.posts_count,
      homebrew_installs_30d: apiFixture('homebrew_formula.json').analytics.install['30d'].wget,
    });
    expect(result.samples.find((sample) => sample.metric === 'homebrew_installs_30d')!.labels).toEqual({ formula: 'wget', endpoint: 'homebrew' });
    expect(api.requests.map((request) => request.path).sort()).toEqual(['/about.json', '/api/formula/wget.json', '/api/models/openai-community/gpt2']);
    // Asked as JSON, saying who asks (some APIs refuse requests without a User-Agent).
    expect(api.requests.every((request) => request.headers['user-agent'] === footprintUserAgent() && request.headers.accept === 'application/json')).toBe(true);
  });
});

describe('http source: configuration', () => {
  const entry = (metrics: string) => `http:\n  - name: shop\n    url: "http://127.0.0.1:9/stats.json"\n    metrics:\n${metrics}`;

  it('names http[i].metrics[j].value when an expression does not compile', () => {
    const issues = configIssues(entry('      - name: shop_orders\n        value: "orders"\n      - name: shop_users\n        value: "users[?"\n'));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe('http[0].metrics[1].value');
    expect(issues[0]!.message).toMatch(/"users\[\?" is not a JMESPath expression \(.+\) — fix it/);
  });

  it('refuses bad metric and label names, names used twice, and a built-in metric\'s name', () => {
    expect(configIssues(entry('      - name: 2fast\n        value: a\n'))[0]).toMatchObject({ path: 'http[0].metrics[0].name', message: expect.stringMatching(/not a Prometheus metric name/) });
    expect(configIssues(entry('      - name: footprint_orders\n        value: a\n'))[0]).toMatchObject({ path: 'http[0].metrics[0].name', message: expect.stringMatching(/kept for Footprint's own metrics/) });
    expect(configIssues(entry('      - name: orders\n        value: a\n        labels: { __shop: x }\n'))[0]).toMatchObject({ path: 'http[0].metrics[0].labels.__shop', message: expect.stringMatching(/not a label name/) });
    expect(configIssues(entry('      - name: orders\n        value: a\n      - name: orders\n        value: b\n'))[0]).toMatchObject({ path: 'http[0].metrics[1].name', message: expect.stringMatching(/already defined at http\[0\]\.metrics\[0\]/) });
    expect(configIssues(entry('      - name: orders\n        value: a\n        type: counter\n'))[0]).toMatchObject({ path: 'http[0].metrics[0].name', message: expect.stringMatching(/name it "orders_total"/) });
    expect(configIssues(entry('      - name: npm_package_downloads\n        value: a\n'))[0]).toMatchObject({ path: 'http[0].metrics[0].name', message: expect.stringMatching(/is a metric of Footprint's npm source — name yours differently/) });
  });

  it('wants a list of entries, each with a url and at least one metric', () => {
    expect(configIssues('http:\n')[0]).toEqual({ path: 'http', message: expect.stringMatching(/^list at least one JSON source/) });
    expect(configIssues('http:\n  name: shop\n')[0]!.path).toBe('http');
    expect(configIssues('http:\n  - name: shop\n    url: "ftp://x/y"\n    metrics: []\n').map((issue) => issue.path).sort()).toEqual(['http[0].metrics', 'http[0].url']);
  });
});

describe('http source: export', () => {
  it('refuses an --label the configuration\'s own metrics already have', async () => {
    const { file, folder } = loadYaml('http:\n  - name: brew\n    url: "http://127.0.0.1:9/x.json"\n    metrics:\n      - { name: brew_installs, value: count, labels: { formula: wget } }\n');
    for (const label of ['formula', 'endpoint']) {
      const result = await runFootprint(['export', '--format', 'openmetrics', '--label', `${label}=x`, '--config', file], { HOME: folder });
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(`--label ${label}: Footprint's series have a "${label}" label of their own`);
    }
  });
});

describe('http source: polling', () => {
  const config = (base: string, extra = '') => httpConfigSchema.parse([
    { name: 'shop', url: `${base}/stats.json`, interval: '1h', timeout: '1s', metrics: [{ name: 'shop_orders', value: 'orders.total' }, { name: 'shop_rating', value: 'rating' }] },
    ...(extra ? [{ name: 'other', url: `${base}${extra}`, interval: '1d', timeout: '1s', metrics: [{ name: 'other_count', value: 'count' }] }] : []),
  ]);

  it('accepts numeric strings and booleans, and names source, metric, expression and what it got otherwise', async () => {
    const api = await fakeJson({ '/stats.json': { orders: { total: '1234' }, rating: [4, 5] } });
    const result = await createHttpSource(config(api.url), FAST).collect(collectContext().ctx);
    expect(result.samples).toEqual([{ metric: 'shop_orders', labels: { endpoint: 'shop' }, value: 1234 }]);
    expect(result.errors).toEqual([{ target: 'http/shop shop_rating', message: expect.stringContaining("http source 'shop', metric shop_rating: the expression rating gave a list of 2 ([4,5])") }]);
    api.setDocument('/stats.json', { orders: { total: true }, rating: null });
    const next = await createHttpSource(config(api.url), FAST).collect(collectContext().ctx);
    expect(next.samples).toEqual([{ metric: 'shop_orders', labels: { endpoint: 'shop' }, value: 1 }]);
    expect(next.errors[0]!.message).toContain('gave nothing (null: no field matched), not a number');
  });

  it('reports 404, 500, a page that is not JSON and a hung API as the entry\'s error while the others work', async () => {
    const api = await fakeJson({ '/stats.json': { orders: { total: 5 }, rating: 4.5 }, '/count.json': { count: 1 } });
    const run = (extra: string) => createHttpSource(config(api.url, extra), FAST).collect(collectContext().ctx);
    const missing = await run('/nope.json');
    expect(missing.collected).toBe(1);
    expect(missing.samples.map((sample) => sample.metric)).toEqual(['shop_orders', 'shop_rating']);
    expect(missing.errors).toEqual([{ target: 'http/other', message: expect.stringMatching(/\/nope\.json answered 404: .*Not Found.* — check the url of http entry 'other'/) }]);
    api.failNext({ match: /count/, status: 500, times: 3 });
    expect((await run('/count.json')).errors[0]!.message).toMatch(/answered 500: .* — the API is having trouble/);
    api.failNext({ match: /count/, status: 200, body: '<html><body>Sign in</body></html>', contentType: 'text/html' });
    expect((await run('/count.json')).errors[0]!.message).toMatch(/did not answer with JSON \("Sign in"\)/);
    api.setHanging(true);
    const hung = await createHttpSource(config(api.url, '/count.json'), FAST).collect(collectContext().ctx);
    expect(hung.collected).toBe(0);
    expect(hung.errors.map((error) => error.target)).toEqual(['http/shop', 'http/other']);
    expect(hung.errors[1]!.message).toMatch(/did not answer within 1 s.* — raise http other's timeout/);
  });

  it('reads each entry on its own interval and keeps a failing entry failing until it answers', async () => {
    const api = await fakeJson({ '/stats.json': { orders: { total: 5 }, rating: 4 }, '/count.json': { count: 7 } });
    let now = Date.UTC(2026, 0, 1);
    const source = createHttpSource(config(api.url, '/count.json'), { ...FAST, now: () => now });
    expect(source.intervalMs).toBe(3_600_000);
    await source.collect(collectContext().ctx);
    expect(api.requests.map((request) => request.path)).toEqual(['/stats.json', '/count.json']);
    now += 3_600_000;
    api.setDocument('/count.json', { count: 8 });
    const hourLater = await source.collect(collectContext().ctx);
    // The daily entry is not due: its last reading stands.
    expect(api.requests.map((request) => request.path)).toEqual(['/stats.json', '/count.json', '/stats.json']);
    expect(hourLater.samples.find((sample) => sample.metric === 'other_count')!.value).toBe(7);
    now += 23 * 3_600_000;
    api.failNext({ match: /count/, status: 404 });
    const failing = await source.collect(collectContext().ctx);
    expect(failing.errors.map((error) => error.target)).toEqual(['http/other']);
    now += 3_600_000;
    // Failed last time: asked again at the next run, and its error stands until it answers.
    api.failNext({ match: /count/, status: 404 });
    expect((await source.collect(collectContext().ctx)).errors.map((error) => error.target)).toEqual(['http/other']);
    now += 3_600_000;
    const recovered = await source.collect(collectContext().ctx);
    expect(recovered.errors).toEqual([]);
    expect(recovered.samples.find((sample) => sample.metric === 'other_count')!.value).toBe(8);
  });
});

describe('http source: secrets in headers', () => {
  it('sends the header to its url only, and never shows its value in an error or a log line', async () => {
    const api = await fakeJson({ '/stats.json': { count: 3 } });
    api.requireHeader('authorization', `Bearer ${token}`, /stats/);
    const yaml = `http:\n  - name: private\n    url: "${api.url}/stats.json"\n    headers: { Authorization: "Bearer \${HF_TOKEN}" }\n    metrics:\n      - { name: private_count, value: count }\n  - name: public\n    url: "${api.url}/echo.json"\n    metrics:\n      - { name: public_count, value: count }\n`;
    const { loaded } = loadYaml(yaml, { HF_TOKEN: token });
    expect(loaded.secrets).toEqual(expect.arrayContaining([`Bearer ${token}`, token]));
    expect(formatEffectiveConfig(loaded)).toContain('Authorization: "***"');
    expect(formatEffectiveConfig(loaded)).not.toContain(token);
    // An API that quotes the credential back in its error page.
    api.failNext({ match: /stats/, status: 403, body: JSON.stringify({ error: `token ${token} lacks the read scope` }) });
    const { ctx, logLines } = collectContext();
    const source = createHttpSource(loaded.config.sources.http as never, FAST);
    const refused = await source.collect(ctx);
    expect(refused.errors[0]!.message).toMatch(/answered 403: .* — check the headers of http entry 'private'/);
    const core = new FootprintCore({ loaded, log: silentLogger() });
    cores.push({ core });
    api.failNext({ match: /stats/, status: 500, body: `upstream said: Bearer ${token}`, times: 3 });
    const [report] = await core.collectOnce();
    expect(JSON.stringify([refused, report, logLines, core.status()])).not.toContain(token);
    expect(api.requests.filter((request) => request.path === '/echo.json').every((request) => request.headers.authorization === undefined)).toBe(true);
    const [ok] = await core.collectOnce();
    expect(ok!.samples.find((sample) => sample.metric === 'private_count')!.value).toBe(3);
  });
});

describe('http source: in the core', () => {
  async function started(yaml: string, env: Record<string, string> = {}) {
    const { loaded, file, folder } = loadYaml(yaml, env, 'core');
    const core = new FootprintCore({ loaded, log: silentLogger() });
    const server = await startServer(core, { listen: parseListenAddress('127.0.0.1:0'), authToken: null, metricsAuth: false, env }, silentLogger());
    cores.push({ core, server });
    return { core, server, file, folder, loaded };
  }

  async function call(server: RunningServer, method: keyof typeof httpRoutes, args: unknown[]) {
    const route = httpRoutes[method] as { method: string; path: string };
    const response = await fetch(`${server.url}${route.path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ args }) });
    return { status: response.status, body: await response.json() as any };
  }

  it('serves the configuration\'s metrics on /metrics, keeps their history in SQLite, and shows a failing entry in health', async () => {
    const api = await recipesApi();
    const yaml = `${recipesYaml(api.url)}  - name: broken\n    url: "${api.url}/missing.json"\n    metrics:\n      - { name: broken_count, value: count }\n`;
    const { core, server } = await started(yaml);
    const collected = new Promise((resolve) => core.once('collected', resolve));
    core.start();
    expect(await collected).toMatchObject({ ok: true, complete: false });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('# TYPE homebrew_installs_30d gauge');
    expect(metrics).toContain(`homebrew_installs_30d{formula="wget",endpoint="homebrew"} ${apiFixture('homebrew_formula.json').analytics.install['30d'].wget}`);
    expect(metrics).toContain('footprint_source_up{source="http"} 0');
    if (requireTool('promtool', 'apt-get install prometheus')) expect(promtoolCheckMetrics(metrics).findings).toEqual([]);
    const health = core.status().find((status) => status.id === 'http')!;
    expect(health.targetErrors).toEqual([{ target: 'http/broken', message: expect.stringContaining('answered 404') }]);
    const stored = core.store.latest({ source: 'http', polled: true }).map((point) => point.metric).sort();
    expect(stored).toEqual(['discourse_posts', 'discourse_topics', 'discourse_users', 'homebrew_installs_30d', 'huggingface_model_downloads', 'huggingface_model_likes']);
    const sources = (await (await fetch(`${server.url}${httpRoutes.sources.path}`)).json()) as any[];
    const info = sources.find((source) => source.id === 'http');
    expect(info.metrics.map((metric: { name: string }) => metric.name)).toContain('broken_count');
    expect(info.ui.overview).toMatchObject({ groupBy: 'endpoint', sparse: true });
    // A badge of an entry's metric shows its stored value; a metric nobody defined is a grey 404.
    const installs = apiFixture('homebrew_formula.json').analytics.install['30d'].wget as number;
    const badge = await fetch(`${server.url}/badge/http/homebrew/homebrew_installs_30d.svg`);
    expect(badge.status).toBe(200);
    const svg = await badge.text();
    expect(svg).toContain('homebrew installs 30d');
    expect(svg).toContain(compactNumber(installs));
    expect((await fetch(`${server.url}/badge/http/homebrew/homebrew_installs_7d.svg`)).status).toBe(404);
  });

  it('refuses a Settings edit that sends a saved header to another address, and keeps it at the same address', async () => {
    const api = await fakeJson({ '/stats.json': { count: 3 } });
    api.requireHeader('authorization', `Bearer ${token}`);
    const capture = await fakeJson({ '/steal.json': { count: 1 } });
    const yaml = `http:\n  - name: private\n    url: "${api.url}/stats.json"\n    headers: { Authorization: "Bearer ${token}" }\n    metrics:\n      - { name: private_count, value: count }\n`;
    const { core, server, file } = await started(yaml);
    const config = (await (await fetch(`${server.url}${httpRoutes.config.path}`)).json()) as any;
    const saved = config.sources.http;
    expect(saved[0].headers.Authorization).toBe(SECRET_UNCHANGED);
    expect(JSON.stringify(config)).not.toContain(token);
    const moved = [{ ...saved[0], url: `${capture.url}/steal.json` }];
    const refusedTest = await call(server, 'testConnection', ['http', moved]);
    expect(refusedTest.body.result ?? refusedTest.body).toMatchObject({ ok: false });
    const refused = await call(server, 'saveSource', ['http', moved]);
    expect(refused.body.result ?? refused.body).toMatchObject({ ok: false, issues: [{ path: 'http[0].headers.Authorization', message: 'http[0].url changed: type the Authorization again — a saved Authorization is only sent to the address it was saved with' }] });
    expect(capture.requests).toEqual([]);
    expect(readFileSync(file, 'utf8')).toContain(token);
    // Same address, the header carried as ***: tested, saved and still sent; the renamed metric replaces the old on /metrics.
    const renamed = [{ ...saved[0], interval: '2h', metrics: [{ name: 'private_total', value: 'count' }] }];
    const tested = await call(server, 'testConnection', ['http', renamed]);
    expect(tested.body.result ?? tested.body).toEqual({ ok: true, message: 'Connected to JSON APIs: 1 values read.' });
    const kept = await call(server, 'saveSource', ['http', renamed]);
    expect(kept.body.result ?? kept.body).toEqual({ ok: true });
    expect(readFileSync(file, 'utf8')).toContain(`Bearer ${token}`);
    await core.collectOnce();
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('private_total{endpoint="private"} 3');
    expect(metrics).not.toContain('private_count');
    expect(capture.requests).toEqual([]);
  });
});
