// Authentication beyond a personal token, against the loopback fake: a GitHub App (JWT signed with a key
// made at test time → installation token, renewed before it expires, found from the organisation, its
// Enterprise Cloud limits used as GitHub reports them, every refusal named by key) and a token file that
// is read again when a rotated secret replaces it.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Sample } from '../../shared/metrics.js';
import { redactSecrets } from '../../electron/core/secrets.js';
import { SourceConfigError } from '../../electron/core/source.js';
import { createGitHubSource, githubConfigSchema, githubSource } from '../../electron/core/sources/github/index.js';
import type { GitHubConfig, GitHubSourceOptions } from '../../electron/core/sources/github/index.js';
import { startFakeGitHub } from '../fakes/github/index.js';
import type { FakeAppOptions, FakeGitHub } from '../fakes/github/index.js';
import { closedAfterEach } from '../support/closed-after-each.js';
import { fakeGitHubToken } from '../support/test-tokens.js';
import { collectContext as context } from '../support/collect-context.js';

const FAST: GitHubSourceOptions = { retryAfterUnitMs: 5, retryDelayMs: 5 };
const APP_ID = 314_159;
const INSTALLATION = 42;
const HOUR = 3_600_000;

const fakeGitHub = closedAfterEach(startFakeGitHub);
const dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-ghauth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A key pair as GitHub makes them for an App: RSA, the private half as PKCS#1 PEM. */
function appKeyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { publicKey, pem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString() };
}
const appKey = appKeyPair();
const keyFile = path.join(dir, 'app.pem');
writeFileSync(keyFile, appKey.pem);


const repos = [
  { owner: 'acme', name: 'rocket', stars: 42, forks: 7, watchers: 5, openIssues: 3, openPulls: 2, sizeKb: 1200 },
  { owner: 'acme', name: 'moon', stars: 9, forks: 1, watchers: 2, openIssues: 0, openPulls: 0, sizeKb: 100 },
];

function appFake(app: Partial<FakeAppOptions> = {}, extra: Parameters<typeof startFakeGitHub>[0] = {}): Promise<FakeGitHub> {
  return fakeGitHub({
    token: fakeGitHubToken(), // a personal token the App's requests never use
    repos,
    app: { appId: APP_ID, publicKey: appKey.publicKey, installations: [{ id: INSTALLATION, account: 'acme', rateLimit: 15_000 }], ...app },
    ...extra,
  });
}

function settings(fake: FakeGitHub, config: Record<string, unknown>): GitHubConfig {
  return githubSource.prepare!(githubConfigSchema.parse({ apiUrl: fake.url, orgs: ['acme'], ...config }), { configDir: dir, homedir: dir });
}

function valueOf(samples: readonly Sample[], metric: string): number | undefined {
  return samples.find((sample) => sample.metric === metric)?.value;
}

describe('GitHub App', () => {
  it('finds the installation from the organisation, collects with its token, and uses the 15,000 limit GitHub reports', async () => {
    const fake = await appFake();
    const config = settings(fake, { app: { appId: APP_ID, privateKeyFile: './app.pem' } });
    const source = createGitHubSource(config, FAST);
    const { ctx } = context();
    const result = await source.collect(ctx);
    expect(result.errors).toEqual([]);
    expect(result.samples.filter((sample) => sample.metric === 'github_repo_stars').map((sample) => [sample.labels.repo, sample.value]).sort()).toEqual([['moon', 9], ['rocket', 42]]);
    expect(valueOf(result.samples, 'github_rate_limit')).toBe(15_000);
    expect(fake.requests.slice(0, 2).map((request) => `${request.method} ${request.path} ${request.status}`)).toEqual([
      'GET /orgs/acme/installation 200',
      `POST /app/installations/${INSTALLATION}/access_tokens 201`,
    ]);
    expect(fake.requests.filter((request) => request.status === 401)).toEqual([]);
    // The backfill budgets against the same limit.
    const plan = await source.backfill!.plan(ctx);
    expect(plan.budget).toMatchObject({ resource: 'graphql', limit: 15_000 });
    // The key and the installation token are registered secrets.
    expect(redactSecrets(`token ${fake.issuedTokens[0]!.token}`)).toBe('token ***');
    expect(githubSource.secrets(config)).toContain(appKey.pem.trim());
    expect(redactSecrets(appKey.pem)).not.toContain(appKey.pem.split('\n')[1]);
    // Test connection says which App and installation, and the limit.
    const described = await source.describeConnection!(ctx);
    expect(described).toMatch(new RegExp(`^Connected as the GitHub App footprint-test \\(installation ${INSTALLATION} on acme\\); .*of 15,000 REST requests an hour left`));
  });

  it('renews the installation token before it expires: no 401 across the expiry, one token per hour', async () => {
    let clock = Date.parse('2026-03-01T10:00:00Z');
    const now = () => clock;
    const fake = await appFake({ now, tokenLifetimeSeconds: 3600, installations: [{ id: INSTALLATION, account: 'acme' }] });
    const source = createGitHubSource(settings(fake, { app: { appId: APP_ID, privateKeyFile: keyFile, installationId: INSTALLATION } }), { ...FAST, now });
    const { ctx } = context();
    const poll = async () => {
      const result = await source.collect(ctx);
      expect(result.errors).toEqual([]);
      expect(result.collected).toBeGreaterThan(0);
    };
    await poll();
    expect(fake.issuedTokens).toHaveLength(1);
    clock += HOUR / 2;
    await poll();
    expect(fake.issuedTokens).toHaveLength(1); // still valid: reused
    clock += HOUR / 2 - 2 * 60_000; // two minutes before it expires: renewed first
    await poll();
    expect(fake.issuedTokens).toHaveLength(2);
    clock += HOUR / 2; // the first token has expired on GitHub's side
    expect(fake.issuedTokens.slice(0, 1).every((issued) => issued.expiresAt <= clock)).toBe(true);
    await poll();
    clock += HOUR;
    await poll();
    expect(fake.issuedTokens).toHaveLength(3);
    expect(fake.requests.filter((request) => request.status === 401)).toEqual([]);
    // The configured installation is used as is: never looked up.
    expect(fake.requests.some((request) => request.path.endsWith('/installation'))).toBe(false);
  });

  it('works against GitHub Enterprise Server addresses (REST under /api/v3, GraphQL at /api/graphql)', async () => {
    const fake = await appFake({}, { enterprise: true });
    const source = createGitHubSource(settings(fake, { apiUrl: `${fake.url}/api/v3`, app: { appId: APP_ID, privateKeyFile: keyFile } }), FAST);
    const result = await source.collect(context().ctx);
    expect(result.errors).toEqual([]);
    expect(valueOf(result.samples, 'github_rate_limit')).toBe(15_000);
    expect(fake.issuedTokens).toHaveLength(1);
  });

  const refusals: { name: string; fake?: Partial<FakeAppOptions>; app: Record<string, unknown>; orgs?: string[]; message: RegExp }[] = [
    { name: 'a wrong App ID', app: { appId: APP_ID + 1 }, message: /GitHub knows no App with the ID 314160 \(401 Integration not found\) — set github\.app\.appId/ },
    { name: 'a key of another App', app: { privateKeyFile: './other.pem' }, message: /401 A JSON web token could not be decoded\): github\.app\.privateKeyFile holds no current key of the App 314159/ },
    { name: 'an organisation the App is not installed on', app: {}, orgs: ['globex'], message: /the GitHub App 314159 is not installed on the organization globex \(404\) — install it there .* or set github\.app\.installationId/ },
    { name: 'a wrong installation ID', app: { installationId: 7 }, message: /the GitHub App 314159 has no installation 7 \(404\) — check github\.app\.installationId/ },
    {
      name: 'a suspended installation',
      fake: { installations: [{ id: INSTALLATION, account: 'acme', suspended: true }] },
      app: {},
      message: /the installation 42 of the GitHub App 314159 is suspended \(403 This installation has been suspended\) — an owner .* can unsuspend it/,
    },
  ];
  writeFileSync(path.join(dir, 'other.pem'), appKeyPair().pem);

  for (const refusal of refusals) {
    it(`says what to fix for ${refusal.name}, without a secret in the message`, async () => {
      const fake = await appFake(refusal.fake);
      const config = settings(fake, { orgs: refusal.orgs ?? ['acme'], app: { appId: APP_ID, privateKeyFile: keyFile, ...refusal.app } });
      const { ctx, logLines } = context();
      const failure = await createGitHubSource(config, FAST).collect(ctx).then(() => null, (error: unknown) => error as Error);
      expect(failure?.name).toBe('GitHubAuthError');
      expect(failure!.message).toMatch(refusal.message);
      for (const text of [failure!.message, failure!.stack ?? '', logLines.join('\n')]) {
        expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/); // a JWT
        expect(text).not.toContain('PRIVATE KEY');
        expect(text).not.toMatch(/ghs_[A-Za-z0-9]{20,}/);
      }
    });
  }
});

describe('GitHub App and token file settings', () => {
  const prepare = (config: Record<string, unknown>) => () => githubSource.prepare!(githubConfigSchema.parse({ orgs: ['acme'], ...config }), { configDir: dir, homedir: dir });
  const refusedAs = (run: () => unknown, key: string, message: RegExp) => {
    let error: unknown;
    try {
      run();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SourceConfigError);
    expect((error as SourceConfigError).key).toBe(key);
    expect((error as Error).message).toMatch(message);
    return (error as Error).message;
  };

  it('refuses a missing, unreadable or non-PEM key file, naming github.app.privateKeyFile and never quoting the file', () => {
    refusedAs(prepare({ app: { appId: 1, privateKeyFile: './missing.pem' } }), 'app.privateKeyFile', /missing\.pem does not exist — check github\.app\.privateKeyFile/);
    refusedAs(prepare({ app: { appId: 1, privateKeyFile: '.' } }), 'app.privateKeyFile', /is a directory — github\.app\.privateKeyFile must name a GitHub App private key/);
    const { publicKey } = appKeyPair();
    writeFileSync(path.join(dir, 'public.pem'), publicKey.export({ type: 'spki', format: 'pem' }).toString());
    writeFileSync(path.join(dir, 'notes.txt'), 'hunter2-secret-notes\n');
    for (const file of ['public.pem', 'notes.txt']) {
      const message = refusedAs(prepare({ app: { appId: 1, privateKeyFile: file } }), 'app.privateKeyFile', /is not a PEM private key — generate one on the App's settings page/);
      expect(message).not.toContain('hunter2');
      expect(message).not.toContain('PUBLIC KEY');
    }
    const { privateKey: ecKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(path.join(dir, 'ec.pem'), ecKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    refusedAs(prepare({ app: { appId: 1, privateKeyFile: 'ec.pem' } }), 'app.privateKeyFile', /holds a ec key, but GitHub App keys are RSA/);
  });

  it('refuses an App ID or installation ID that is not a number, naming the key', () => {
    const parsed = githubConfigSchema.safeParse({ orgs: ['acme'], app: { appId: 'Iv1.abc123', privateKeyFile: 'app.pem', installationId: 'x' } });
    expect(parsed.success).toBe(false);
    const issues = parsed.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    expect(issues).toContainEqual(expect.stringMatching(/^app\.appId: "Iv1\.abc123" is not a GitHub App ID: .* the App's client ID, not its App ID$/));
    expect(issues).toContainEqual(expect.stringMatching(/^app\.installationId: "x" is not a GitHub App installation ID/));
    expect(githubConfigSchema.parse({ orgs: ['acme'], app: { appId: '123', privateKeyFile: 'app.pem', installationId: 45 } }).app).toEqual({ appId: 123, privateKeyFile: 'app.pem', installationId: 45 });
  });

  it('token, tokenFile and app are alternatives: setting two is a config error naming both', () => {
    const parsed = githubConfigSchema.safeParse({ orgs: ['acme'], token: fakeGitHubToken(), tokenFile: './token', app: { appId: 1, privateKeyFile: 'app.pem' } });
    expect(parsed.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)).toEqual([
      'tokenFile: github.token and github.tokenFile and github.app are both set, but they are alternatives — keep one: a personal token (token), a file holding one (tokenFile) or a GitHub App (app)',
    ]);
    // An empty token (an unset ${GITHUB_TOKEN}) is no token.
    expect(githubConfigSchema.safeParse({ orgs: ['acme'], token: '', tokenFile: './token' }).success).toBe(true);
  });

  it('accepts a token file only if it holds a GitHub token, and never quotes what it holds', () => {
    const good = ['ghp_' + 'a'.repeat(36), 'github_pat_' + 'B1_'.repeat(20), 'ghs_' + 'c'.repeat(36), 'gho_' + 'd'.repeat(36), 'ghu_' + 'e'.repeat(36), 'ghr_' + 'f'.repeat(36), '0123456789abcdef0123456789abcdef01234567'];
    for (const token of good) {
      writeFileSync(path.join(dir, 'token'), `${token}\n`);
      expect(prepare({ tokenFile: './token' })().fileToken).toBe(token);
    }
    for (const content of ['', 'password=hunter2\n', `${'a'.repeat(40)} extra`, 'root:x:0:0:root:/root:/bin/bash\n']) {
      writeFileSync(path.join(dir, 'token'), content);
      const message = refusedAs(prepare({ tokenFile: './token' }), 'tokenFile', content === '' ? /is empty — write the GitHub token into it/ : /does not hold a GitHub token .* point github\.tokenFile at the file that holds only the token/);
      expect(message).not.toMatch(/hunter2|root:x/);
    }
    refusedAs(prepare({ tokenFile: './nope' }), 'tokenFile', /nope does not exist — check github\.tokenFile/);
  });
});

describe('github.tokenFile', () => {
  it('reads the token from the file (trailing newline dropped) and reads it again when a rotated secret replaces it', async () => {
    const first = fakeGitHubToken();
    const fake = await fakeGitHub({ token: first, repos });
    const file = path.join(dir, 'rotating-token');
    writeFileSync(file, `${first}\n`);
    const config = settings(fake, { tokenFile: file });
    expect(githubSource.secrets(config)).toEqual([first]);
    const source = createGitHubSource(config, FAST);
    const { ctx, logLines } = context();
    expect((await source.collect(ctx)).errors).toEqual([]);
    // The secret rotates: GitHub takes only the new token, and the file holds it (as Kubernetes swaps it in).
    const second = fakeGitHubToken();
    fake.setToken(second);
    writeFileSync(file, `${second}\n`);
    const after = await source.collect(ctx);
    expect(after.errors).toEqual([]);
    expect(after.collected).toBeGreaterThan(0);
    expect(fake.requests.filter((request) => request.status === 401)).toEqual([]);
    expect(redactSecrets(second)).toBe('***');
    expect(await source.describeConnection!(ctx)).toMatch(/^Connected as footprint-bot \(token file\); .* REST requests an hour left/);
    // A file that no longer holds a token fails the run naming the key, not quoting the file.
    writeFileSync(file, 'oops: not a token\n');
    const failure = await source.collect(ctx).then(() => null, (error: unknown) => error as Error);
    expect(failure?.message).toMatch(/^github\.tokenFile: .*rotating-token does not hold a GitHub token/);
    expect(failure?.message).not.toContain('oops');
    expect(logLines.join('\n')).not.toContain(second);
  });
});
