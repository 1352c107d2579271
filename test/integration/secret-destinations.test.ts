// Issue "secrets leak through Test connection and Save": `footprint serve` with all four sources saved
// against their loopback fakes, each with its secret (a GitHub token in the file, a Docker Hub token
// from the environment, a GA4 service-account key file; npm has none), and a dashboard user who aims
// Test connection, Save and Save-then-poll at a capture server of their own. The capture server must
// never see a saved secret or an environment value, the file must keep what the user stored, and
// the legitimate edits (a new address with a token typed again, *** at the same address, the file's
// own ${VAR} in its own field) must still work.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { httpRoutes, SECRET_UNCHANGED } from '../../shared/api.js';
import { startFakeDockerHub, type FakeDockerHub } from '../fakes/dockerhub/index.js';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github/index.js';
import type { FakeGoogle } from '../fakes/google/index.js';
import { writeTestServiceAccount, type TestServiceAccount } from '../fakes/google/service-account.js';
import { startFakeNpm, type FakeNpm } from '../fakes/npm/index.js';
import { startCaptureServer, type CaptureServer } from '../support/capture-server.js';
import { runFootprint, startServe, waitFor, type ServeProcess } from '../support/footprint-process.js';
import { GA4_PROPERTY, startGa4Property } from '../support/ga4-property.js';
import { fakeDockerHubToken, fakeGitHubToken } from '../support/test-tokens.js';

const githubToken = fakeGitHubToken();
const dockerToken = fakeDockerHubToken();
const authToken = randomBytes(24).toString('hex');
/** In the environment of `footprint serve`, used by no setting: it must never leave the process. */
const canary = `canary-${randomBytes(16).toString('hex')}`;
/** Appears only in a user:password@ address an attacker sends. */
const password = `pw-${randomBytes(16).toString('hex')}`;

let dir: string;
let file: string;
let stored: string;
let github: FakeGitHub;
let dockerhub: FakeDockerHub;
let google: FakeGoogle;
let account: TestServiceAccount;
let npm: FakeNpm;
let capture: CaptureServer;
let serve: ServeProcess;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-leaks-'));
  [github, dockerhub, npm, capture] = await Promise.all([
    startFakeGitHub({ token: githubToken, repos: [{ owner: 'acme', name: 'rocket', stars: 42, forks: 7, watchers: 5, openIssues: 3, openPulls: 2, sizeKb: 1200 }] }),
    startFakeDockerHub({ credentials: { username: 'acme-bot', token: dockerToken }, repositories: [{ namespace: 'acme', name: 'rocket', pullCount: 1234, starCount: 5, lastUpdated: '2026-11-01T10:00:00Z' }] }),
    startFakeNpm({ packages: { 'rocket-cli': { last_day: 10, last_week: 70, last_month: 300 } } }),
    startCaptureServer(),
  ]);
  ({ google, account } = await startGa4Property(dir));
  // The saved key again, its token_uri aimed at the capture server: "the same key under another name".
  writeFileSync(path.join(dir, 'copy.json'), JSON.stringify({ ...account.json, token_uri: `${capture.url}/token` }));
  // Files an attacker names as a GitHub token file or App key: the saved token, another source's secrets.
  writeFileSync(path.join(dir, 'saved-token'), `${githubToken}\n`);
  writeFileSync(path.join(dir, 'docker-token'), dockerToken);
  writeFileSync(path.join(dir, 'ga4.pem'), account.privateKeyPem);
  file = path.join(dir, 'footprint.yaml');
  stored = `# my settings
server: { authToken: "\${FOOTPRINT_AUTH_TOKEN}" }
storage: { path: "./history.db" }
github:
  apiUrl: "${github.url}"
  token: "${githubToken}"
  orgs: [acme]
  interval: 1h
dockerhub:
  apiUrl: "${dockerhub.url}"
  username: acme-bot
  token: "\${DOCKERHUB_TOKEN}"
  namespaces: [acme]
  interval: 1h
ga4:
  credentialsFile: ./service-account.json
  properties: ["${GA4_PROPERTY}"]
  apiUrl: "${google.url}"
  interval: 1h
npm:
  apiUrl: "${npm.url}"
  packages: [rocket-cli]
  interval: 1h
`;
  writeFileSync(file, stored, { mode: 0o600 });
  serve = await startServe(['--config', file, '--listen', '127.0.0.1:0'], {
    HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'config'), XDG_DATA_HOME: path.join(dir, 'data'),
    FOOTPRINT_AUTH_TOKEN: authToken, DOCKERHUB_TOKEN: dockerToken, CANARY_SECRET: canary, FOOTPRINT_LOG_LEVEL: 'debug',
  });
}, 60_000);

afterAll(async () => {
  await serve?.stop();
  await Promise.all([github?.close(), dockerhub?.close(), google?.close(), npm?.close(), capture?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

/** A dashboard user's call (they hold the auth token, as every dashboard user does). */
async function call(method: keyof typeof httpRoutes, args: unknown[] = []): Promise<any> {
  const route = httpRoutes[method];
  const headers = { authorization: `Bearer ${authToken}`, 'content-type': 'application/json' };
  const response = route.method === 'GET'
    ? await fetch(`${serve.url}${route.path}${args.length ? `?q=${encodeURIComponent(JSON.stringify(args[0]))}` : ''}`, { headers })
    : await fetch(`${serve.url}${route.path}`, { method: 'POST', headers, body: JSON.stringify({ args }) });
  const body = await response.json();
  expect(response.status, JSON.stringify(body)).toBe(200);
  return body;
}

/** The secrets and environment values that must never reach the capture server (or any output). */
function secrets(): Record<string, string> {
  return {
    githubToken, dockerToken, authToken, canary, password,
    ga4PrivateKey: account.privateKeyPem.split('\n')[1]!, ga4PrivateKeyId: account.privateKeyId, ga4ClientEmail: account.clientEmail,
  };
}

function expectNoSecretIn(text: string, where: string, except: readonly string[] = []): void {
  for (const [name, value] of Object.entries(secrets())) {
    if (except.includes(name)) continue;
    expect(text.includes(value), `${name} in ${where}`).toBe(false);
  }
}

type Attack = { readonly name: string; readonly source: string; readonly changes: (shown: Record<string, unknown>) => Record<string, unknown> };

const attacks: Attack[] = [
  // GitHub: the token saved in the file.
  { name: 'saved token (***) to another address', source: 'github', changes: () => ({ apiUrl: capture.url }) },
  { name: '${FOOTPRINT_AUTH_TOKEN} in the address', source: 'github', changes: () => ({ apiUrl: `${capture.url}/\${FOOTPRINT_AUTH_TOKEN}` }) },
  { name: 'an unused ${VAR} in the address', source: 'github', changes: () => ({ apiUrl: `${capture.url}/\${CANARY_SECRET}` }) },
  { name: 'an unused ${VAR} as the token', source: 'github', changes: () => ({ apiUrl: capture.url, token: '${CANARY_SECRET}' }) },
  { name: '${FOOTPRINT_AUTH_TOKEN} as the token', source: 'github', changes: () => ({ apiUrl: capture.url, token: '${FOOTPRINT_AUTH_TOKEN}' }) },
  { name: 'the auth token typed as the token', source: 'github', changes: () => ({ apiUrl: capture.url, token: authToken }) },
  { name: 'Docker Hub\'s token typed as the token', source: 'github', changes: () => ({ apiUrl: capture.url, token: dockerToken }) },
  { name: 'a typed token with an unused ${VAR} as a target', source: 'github', changes: () => ({ apiUrl: capture.url, token: fakeGitHubToken(), orgs: ['${CANARY_SECRET}'] }) },
  { name: 'a password in the address', source: 'github', changes: () => ({ apiUrl: capture.url.replace('//', `//me:${password}@`), token: fakeGitHubToken() }) },
  // GitHub: a token file or App key file named through the API, sent to another address.
  { name: 'a file holding the saved token as tokenFile', source: 'github', changes: () => ({ apiUrl: capture.url, token: '', tokenFile: './saved-token' }) },
  { name: 'the configuration file (which holds the token) as tokenFile', source: 'github', changes: () => ({ apiUrl: capture.url, token: '', tokenFile: file }) },
  { name: 'Docker Hub\'s token in a file as tokenFile', source: 'github', changes: () => ({ apiUrl: capture.url, token: '', tokenFile: './docker-token' }) },
  { name: 'the GA4 key file as tokenFile', source: 'github', changes: () => ({ apiUrl: capture.url, token: '', tokenFile: './service-account.json' }) },
  { name: '/etc/passwd as tokenFile', source: 'github', changes: () => ({ apiUrl: capture.url, token: '', tokenFile: '/etc/passwd' }) },
  { name: 'an unused ${VAR} as tokenFile', source: 'github', changes: () => ({ apiUrl: capture.url, token: '', tokenFile: '${CANARY_SECRET}' }) },
  { name: 'the GA4 key file as the App key', source: 'github', changes: () => ({ apiUrl: capture.url, token: '', app: { appId: 1, privateKeyFile: './service-account.json' } }) },
  { name: 'the GA4 private key as the App key', source: 'github', changes: () => ({ apiUrl: capture.url, token: '', app: { appId: 1, privateKeyFile: './ga4.pem' } }) },
  { name: 'the configuration file as the App key', source: 'github', changes: () => ({ apiUrl: capture.url, token: '', app: { appId: 1, privateKeyFile: file } }) },
  // Docker Hub: the token comes from ${DOCKERHUB_TOKEN}, sent in the login body.
  { name: 'its ${DOCKERHUB_TOKEN} to another address', source: 'dockerhub', changes: () => ({ apiUrl: capture.url }) },
  { name: '*** for a token the file reads from the environment', source: 'dockerhub', changes: () => ({ apiUrl: capture.url, token: SECRET_UNCHANGED }) },
  { name: 'an unused ${VAR} in the address', source: 'dockerhub', changes: () => ({ apiUrl: `${capture.url}/\${CANARY_SECRET}` }) },
  { name: 'an unused ${VAR} as the user name', source: 'dockerhub', changes: () => ({ apiUrl: capture.url, token: fakeDockerHubToken(), username: '${CANARY_SECRET}' }) },
  { name: '${DOCKERHUB_TOKEN} moved to the user name', source: 'dockerhub', changes: () => ({ apiUrl: capture.url, token: fakeDockerHubToken(), username: '${DOCKERHUB_TOKEN}' }) },
  { name: 'a password in the address', source: 'dockerhub', changes: () => ({ apiUrl: capture.url.replace('//', `//me:${password}@`) }) },
  // GA4: the key file signs a JWT valid for an hour.
  { name: 'the saved key to another Data API address', source: 'ga4', changes: () => ({ apiUrl: capture.url }) },
  { name: 'the saved key under another name with its token_uri elsewhere', source: 'ga4', changes: () => ({ apiUrl: capture.url, credentialsFile: './copy.json' }) },
  { name: 'an unused ${VAR} in the address', source: 'ga4', changes: () => ({ apiUrl: `${capture.url}/\${CANARY_SECRET}` }) },
  { name: 'an unused ${VAR} as a property', source: 'ga4', changes: () => ({ properties: ['${CANARY_SECRET}'] }) },
  { name: 'an unused ${VAR} as the key file', source: 'ga4', changes: () => ({ apiUrl: capture.url, credentialsFile: '${CANARY_SECRET}' }) },
  // npm: no secret, but the environment must not leak through its URLs either.
  { name: 'an unused ${VAR} in the address', source: 'npm', changes: () => ({ apiUrl: `${capture.url}/\${CANARY_SECRET}` }) },
  { name: '${FOOTPRINT_AUTH_TOKEN} in the address', source: 'npm', changes: () => ({ apiUrl: `${capture.url}/\${FOOTPRINT_AUTH_TOKEN}` }) },
  { name: 'an unused ${VAR} as a package', source: 'npm', changes: () => ({ apiUrl: capture.url, packages: ['${CANARY_SECRET}'] }) },
  { name: 'a password in the address', source: 'npm', changes: () => ({ apiUrl: capture.url.replace('//', `//me:${password}@`) }) },
];

describe('Test connection, Save and Save-then-poll never send a saved secret or an environment value elsewhere', () => {
  it('refuses every attack in plain words, sends the capture server nothing, and keeps the file as the user stored it', async () => {
    const shown = (await call('config')).sources as Record<string, Record<string, unknown>>;
    expect(shown.github!.token).toBe(SECRET_UNCHANGED);
    expect(shown.dockerhub!.token).toBe('${DOCKERHUB_TOKEN}');
    for (const attack of attacks) {
      const settings = { ...shown[attack.source], ...attack.changes(shown[attack.source]!) };
      const label = `${attack.source}: ${attack.name}`;
      const tested = await call('testConnection', [attack.source, settings]);
      expect(tested.ok, `${label}: ${tested.message}`).toBe(false);
      expect(tested.message, label).toMatch(new RegExp(`\\b${attack.source}\\.`));
      expectNoSecretIn(tested.message, `${label} (test message)`);
      const saved = await call('saveSource', [attack.source, settings]);
      expect(saved.ok, label).toBe(false);
      expectNoSecretIn(JSON.stringify(saved), `${label} (save issues)`);
      await call('refresh', [attack.source]);
      expect(capture.requests, label).toEqual([]);
    }
    expect(readFileSync(file, 'utf8')).toBe(stored);
    // Nothing of it shows anywhere else either.
    const health = await call('health');
    expect(health.map((source: { id: string; lastError: string | null }) => [source.id, source.lastError])).toEqual([['github', null], ['dockerhub', null], ['ga4', null], ['npm', null]]);
    for (const route of ['/healthz', '/metrics']) expectNoSecretIn(await (await fetch(`${serve.url}${route}`)).text(), route);
    expectNoSecretIn(JSON.stringify([health, await call('config'), await call('info')]), '/api/*');
    const { stdout, stderr } = serve.output();
    expectNoSecretIn(stdout + stderr, 'the log');
  });

  it('messages say why and what to do', async () => {
    const shown = (await call('config')).sources as Record<string, Record<string, unknown>>;
    expect((await call('testConnection', ['github', { ...shown.github, apiUrl: capture.url }])).message)
      .toBe('github.token: The API address changed: type the token again — a saved token is only sent to the address it was saved with');
    expect((await call('testConnection', ['github', { ...shown.github, token: '${CANARY_SECRET}' }])).message)
      .toMatch(/^github\.token: \$\{CANARY_SECRET\} is not used for github\.token in .*footprint\.yaml: Settings expands only the environment variables the configuration file already uses for a field — type the token itself/);
    expect((await call('testConnection', ['github', { ...shown.github, apiUrl: capture.url.replace('//', `//me:${password}@`) }])).message)
      .toMatch(/^github\.apiUrl: the address holds a user name or password/);
    expect(capture.requests).toEqual([]);
  });

  it('check-config names the key of an address with a password, and never prints the password', async () => {
    const bad = path.join(dir, 'with-password.yaml');
    writeFileSync(bad, `github:\n  apiUrl: "https://me:${password}@api.github.com"\n  orgs: [acme]\n`);
    const result = await runFootprint(['check-config', '--config', bad], { HOME: dir });
    expect(result.status).toBe(2);
    expect(result.stderr + result.stdout).toMatch(/github\.apiUrl: the address holds a user name or password/);
    expect(result.stderr + result.stdout).not.toContain(password);
  });
});

describe('the legitimate edits still work', () => {
  it('*** at the same address keeps the saved token, the file\'s own ${DOCKERHUB_TOKEN} stays usable, and every source tests fine', async () => {
    const shown = (await call('config')).sources as Record<string, Record<string, unknown>>;
    for (const source of ['github', 'dockerhub', 'ga4', 'npm']) {
      const tested = await call('testConnection', [source, shown[source]]);
      expect(tested, source).toEqual({ ok: true, message: expect.stringMatching(/^Connected to /) });
    }
    expect(await call('saveSource', ['github', { ...shown.github, interval: '2h' }])).toEqual({ ok: true });
    expect(await call('saveSource', ['dockerhub', { ...shown.dockerhub, interval: '2h' }])).toEqual({ ok: true });
    const saved = parseYaml(readFileSync(file, 'utf8')) as Record<string, { token?: string }>;
    expect(saved.github!.token).toBe(githubToken);
    expect(saved.dockerhub!.token).toBe('${DOCKERHUB_TOKEN}');
    await call('refresh');
    const health = await call('health');
    expect(health.map((source: { lastError: string | null }) => source.lastError)).toEqual([null, null, null, null]);
    expect(capture.requests).toEqual([]);
  });

  it('a new address with a token typed again is accepted: the typed token goes there, nothing saved does', async () => {
    const shown = (await call('config')).sources as Record<string, Record<string, unknown>>;
    const typed = fakeGitHubToken();
    const tested = await call('testConnection', ['github', { ...shown.github, apiUrl: capture.url, token: typed }]);
    expect(tested.ok).toBe(false); // the capture server is no GitHub
    expect(capture.text()).toContain(typed); // …but it was asked, with the token typed for it
    expectNoSecretIn(capture.text(), 'the capture server');

    const typedDocker = fakeDockerHubToken();
    await call('testConnection', ['dockerhub', { ...shown.dockerhub, apiUrl: capture.url, token: typedDocker }]);
    expect(capture.text()).toContain(typedDocker);
    expectNoSecretIn(capture.text(), 'the capture server');

    // Saved and polled against another GitHub that takes the new token.
    const otherToken = fakeGitHubToken();
    const other = await startFakeGitHub({ token: otherToken, repos: [{ owner: 'acme', name: 'moon', stars: 7, forks: 0, watchers: 1, openIssues: 0, openPulls: 0, sizeKb: 10 }] });
    try {
      expect(await call('saveSource', ['github', { ...shown.github, apiUrl: other.url, token: otherToken }])).toEqual({ ok: true });
      await call('refresh', ['github']);
      await waitFor(async () => ((await (await fetch(`${serve.url}/metrics`)).text()).includes('repo="moon"') ? true : undefined), 'the other GitHub\'s repository in /metrics');
      expect(readFileSync(file, 'utf8')).toContain(otherToken);
    } finally {
      await other.close();
    }
    expectNoSecretIn(capture.text(), 'the capture server');
    expectNoSecretIn(serve.output().stdout + serve.output().stderr, 'the log');
  });
});

describe('uploading a key file (Settings → Upload the key file…)', () => {
  /** A dashboard user's uploadKeyFile call, answered with any status. */
  async function upload(source: unknown, text: unknown): Promise<{ status: number; body: any }> {
    const response = await fetch(`${serve.url}${httpRoutes.uploadKeyFile.path}`, {
      method: 'POST', headers: { authorization: `Bearer ${authToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ args: [source, text] }),
    });
    return { status: response.status, body: await response.json() };
  }
  const uploaded = () => path.join(dir, 'ga4-service-account.json');

  it('refuses what is not a key file, or not for a source with one, without echoing it or writing anything', async () => {
    const seen = capture.requests.length; // the tests before asked it on purpose
    const refusals: [string, unknown, unknown, RegExp][] = [
      ['a source without a key file', 'github', JSON.stringify(account.json), /^uploadKeyFile: "github" has no key file to upload — use one of: ga4$/],
      ['a made-up source name', '../../etc', JSON.stringify(account.json), /has no key file to upload/],
      ['no text', 'ga4', { file: './service-account.json' }, /must be sent as text/],
    ];
    for (const [what, source, text, message] of refusals) {
      const { status, body } = await upload(source, text);
      expect(status, what).toBe(400);
      expect(body.error, what).toMatch(message);
      expectNoSecretIn(JSON.stringify(body), what);
    }
    const issues: [string, string, RegExp][] = [
      ['the configuration file (which holds the GitHub token)', readFileSync(file, 'utf8'), /^the uploaded file is not a service-account key file: it is not valid JSON/],
      ['the saved GA4 private key as a bare PEM', account.privateKeyPem, /it holds a bare PEM key, not the JSON key file/],
      ['a key file with its private key cut', JSON.stringify({ ...account.json, private_key: account.privateKeyPem.slice(0, 200) }), /private_key is not a PEM private key that can be read/],
      ['something far larger than a key file', JSON.stringify({ ...account.json, padding: canary.repeat(4_000) }), /is too large to be a service-account key file/],
    ];
    for (const [what, text, message] of issues) {
      const { status, body } = await upload('ga4', text);
      expect(status, what).toBe(200);
      expect(body, what).toEqual({ ok: false, issues: [{ path: 'ga4.credentialsFile', message: expect.stringMatching(message) }] });
      expectNoSecretIn(JSON.stringify(body), what);
    }
    expect(existsSync(uploaded())).toBe(false);
    expect(readFileSync(file, 'utf8')).not.toContain('ga4-service-account.json');
    expect(capture.requests.slice(seen)).toEqual([]);
  });

  it('stores a key file beside the configuration, readable only by the user, and never sends it back', async () => {
    const other = writeTestServiceAccount({ dir: mkdtempSync(path.join(os.tmpdir(), 'footprint-upload-')), tokenUri: `${capture.url}/token`, clientEmail: 'reader@other-project.iam.gserviceaccount.com' });
    const before = readFileSync(file, 'utf8');
    const seen = capture.requests.length;
    const { status, body } = await upload('ga4', JSON.stringify(other.json));
    expect(status).toBe(200);
    expect(body).toEqual({ ok: true, path: './ga4-service-account.json', account: 'reader@other-project.iam.gserviceaccount.com' });
    expect(JSON.stringify(body)).not.toContain(other.privateKeyPem.split('\n')[1]!);
    expect(JSON.parse(readFileSync(uploaded(), 'utf8'))).toEqual(other.json);
    expect(statSync(uploaded()).mode & 0o777).toBe(0o600);
    // Stored only: the configuration is as it was until the user saves the field, and nothing was sent anywhere.
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(capture.requests.slice(seen)).toEqual([]);
    // Nothing of it shows in the API's answers or the log.
    const texts = JSON.stringify([await call('config'), await call('info'), await call('health')]) + serve.output().stdout + serve.output().stderr;
    expect(texts).not.toContain(other.privateKeyPem.split('\n')[1]!);
    expect(texts).not.toContain(other.privateKeyId);
    rmSync(path.dirname(other.file), { recursive: true, force: true });
  });
});
