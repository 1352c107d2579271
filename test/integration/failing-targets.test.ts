// Issue 13, "status that never says up to date while something fails": each source with its only
// target wrong (a GA4 property it may not read, a Docker Hub namespace or GitHub organisation typo,
// an npm package that does not exist) is FAILED in `collect --once`, not PARTIAL with 0 series; and
// `footprint serve`'s /healthz gives each source the dashboard's status word.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDockerHub, type FakeDockerHub } from '../fakes/dockerhub/index.js';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github/index.js';
import type { FakeGoogle } from '../fakes/google/index.js';
import { startFakeNpm, type FakeNpm } from '../fakes/npm/index.js';
import { runFootprint, startServe, waitFor } from '../support/footprint-process.js';
import { startGa4Property } from '../support/ga4-property.js';

const githubToken = `ghp_${randomBytes(18).toString('hex')}`;
let dir: string;
let env: NodeJS.ProcessEnv;
let github: FakeGitHub;
let dockerhub: FakeDockerHub;
let google: FakeGoogle;
let npm: FakeNpm;

function writeConfig(name: string, body: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, `storage: { path: "./${name}.db" }\n${body}`);
  return file;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-failing-'));
  env = { HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'config'), XDG_DATA_HOME: path.join(dir, 'data'), GITHUB_TOKEN: githubToken };
  github = await startFakeGitHub({ token: githubToken, repos: [{ owner: 'acme', name: 'rocket', stars: 42, forks: 7, watchers: 5, openIssues: 3, openPulls: 2, sizeKb: 1200 }] });
  dockerhub = await startFakeDockerHub({ repositories: [{ namespace: 'acme', name: 'rocket', pullCount: 10, starCount: 1 }] });
  google = (await startGa4Property(dir)).google;
  npm = await startFakeNpm({ packages: { 'rocket-cli': { last_day: 1, last_week: 7, last_month: 30 } } });
});

afterAll(async () => {
  await Promise.all([github?.close(), dockerhub?.close(), google?.close(), npm?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('a source whose only target fails', () => {
  const cases: [string, () => string][] = [
    ['github', () => `github:\n  apiUrl: "${github.url}"\n  token: "\${GITHUB_TOKEN}"\n  orgs: [acme-typo]\n`],
    ['dockerhub', () => `dockerhub:\n  apiUrl: "${dockerhub.url}"\n  namespaces: [acme-typo]\n`],
    ['ga4', () => `ga4:\n  credentialsFile: "./service-account.json"\n  properties: ["999999999"]\n  apiUrl: "${google.url}"\n`],
    ['npm', () => `npm:\n  apiUrl: "${npm.url}"\n  packages: [rocket-typo]\n`],
  ];
  it.each(cases)('%s: collect --once says FAILED and why, and exits 1', async (source, body) => {
    const result = await runFootprint(['collect', '--once', '--config', writeConfig(`${source}.yaml`, body())], env);
    expect(result.stdout).toMatch(new RegExp(`^${source}\\s+FAILED\\s+0\\s`, 'm'));
    expect(result.status).toBe(1);
  });
});

describe('footprint serve /healthz', () => {
  it('gives each source the status the dashboard shows: partial, failed, ok', async () => {
    const file = writeConfig('serve.yaml', [
      `github:\n  apiUrl: "${github.url}"\n  token: "\${GITHUB_TOKEN}"\n  orgs: [acme, acme-typo]\n  interval: 1h\n`,
      `ga4:\n  credentialsFile: "./service-account.json"\n  properties: ["999999999"]\n  apiUrl: "${google.url}"\n  interval: 1h\n`,
      `npm:\n  apiUrl: "${npm.url}"\n  packages: [rocket-cli]\n  interval: 1h\n`,
    ].join(''));
    const serve = await startServe(['--config', file, '--listen', '127.0.0.1:0'], env);
    try {
      const statuses = await waitFor(async () => {
        const body = (await (await fetch(`${serve.url}/healthz`)).json()) as { sources: { source: string; status: string }[] };
        const byId = Object.fromEntries(body.sources.map((item) => [item.source, item.status]));
        return Object.values(byId).includes('waiting') ? undefined : byId;
      }, 'every source polled once');
      expect(statuses).toEqual({ github: 'partial', ga4: 'failed', npm: 'ok' });
    } finally {
      await serve.stop();
    }
  });
});
