// The remoteWrite section: defaults, ${VAR} credentials registered as secrets and masked, and errors
// that name the field and the fix.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { ConfigError, formatEffectiveConfig, parseConfig, type LoadedConfig } from '../../electron/core/config/config.js';
import { MASK, redactSecrets } from '../../electron/core/secrets.js';
import { repoRoot } from '../support/footprint-process.js';
import { uncommentYamlBlock } from '../support/prometheus.js';

let dir: string;
beforeEach(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-rw-config-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function parse(text: string, env: NodeJS.ProcessEnv = {}): LoadedConfig {
  return parseConfig(text, { file: path.join(dir, 'footprint.yaml'), env, modules: [], dataDir: dir });
}

function issues(text: string, env: NodeJS.ProcessEnv = {}): Record<string, string> {
  try {
    parse(text, env);
  } catch (error) {
    if (error instanceof ConfigError) return Object.fromEntries(error.issues.map((issue) => [issue.path, issue.message]));
    throw error;
  }
  throw new Error('the config was accepted');
}

describe('remoteWrite config', () => {
  it('is empty when left out or written empty', () => {
    expect(parse('').config.remoteWrite).toEqual([]);
    expect(parse('remoteWrite:\n').config.remoteWrite).toEqual([]);
  });

  it('fills in defaults, names the receiver after its address and adds job and instance labels', () => {
    const [target] = parse('remoteWrite:\n  - url: https://mimir.example.com/api/v1/push/\n').config.remoteWrite;
    expect(target).toEqual({
      name: 'mimir.example.com/api/v1/push',
      url: 'https://mimir.example.com/api/v1/push',
      authorization: null,
      secrets: [],
      maskedAuth: {},
      intervalMs: 60_000,
      timeoutMs: 30_000,
      maxBacklogMs: 7_200_000,
      maxSamplesPerSend: 2_000,
      labels: { job: 'footprint', instance: os.hostname() },
    });
  });

  it('expands ${VAR} credentials, registers them (and the Basic header) as secrets and masks them in check-config', () => {
    const token = 'glc_remote_write_0123456789abcdef';
    const password = 'pa55-word-for-grafana-cloud';
    const loaded = parse([
      'remoteWrite:',
      '  - url: https://prometheus-prod.grafana.net/api/prom/push',
      '    basicAuth: { username: 123456, password: "${GRAFANA_CLOUD_KEY}" }',
      '    labels: { instance: laptop-1, team: docs }',
      '  - url: https://mimir.example.com/api/v1/push',
      '    name: mimir',
      '    authorization: { credentials: "${REMOTE_WRITE_TOKEN}" }',
      '    interval: 30s',
      '',
    ].join('\n'), { GRAFANA_CLOUD_KEY: password, REMOTE_WRITE_TOKEN: token });
    const [grafana, mimir] = loaded.config.remoteWrite;
    const basic = Buffer.from(`123456:${password}`).toString('base64');
    expect(grafana!.authorization).toBe(`Basic ${basic}`);
    expect(grafana!.labels).toEqual({ job: 'footprint', instance: 'laptop-1', team: 'docs' });
    expect(mimir!.authorization).toBe(`Bearer ${token}`);
    expect(mimir!.intervalMs).toBe(30_000);
    expect(loaded.secrets).toEqual(expect.arrayContaining([password, basic, token]));
    expect(redactSecrets(`header Authorization: ${basic} and ${token}`)).toBe(`header Authorization: ${MASK} and ${MASK}`);
    const printed = formatEffectiveConfig(loaded);
    for (const secret of [password, basic, token]) expect(printed).not.toContain(secret);
    expect(YAML.parse(printed).remoteWrite).toEqual([
      expect.objectContaining({ name: 'prometheus-prod.grafana.net/api/prom/push', basicAuth: { username: '123456', password: MASK }, interval: '1m' }),
      expect.objectContaining({ name: 'mimir', authorization: { type: 'Bearer', credentials: MASK }, interval: '30s' }),
    ]);
  });

  it('names the field and the fix for each mistake', () => {
    expect(issues('remoteWrite:\n  - url: "https://user:secret@mimir.example.com/api/v1/push"\n')['remoteWrite[0].url']).toMatch(/holds a user name or password/);
    expect(issues('remoteWrite:\n  - url: "ftp://mimir.example.com/push"\n')['remoteWrite[0].url']).toMatch(/is not an http\(s\) base URL: use the receiver's push address/);
    expect(issues('remoteWrite:\n  - interval: 1m\n')['remoteWrite[0].url']).toMatch(/missing required value/);
    expect(issues('remoteWrite:\n  - url: https://a.example/push\n    interval: 2h\n')['remoteWrite[0].interval']).toBe('2h is too long: use at most 1h');
    expect(issues('remoteWrite:\n  - url: https://a.example/push\n    authorization: { credentials: "" }\n')['remoteWrite[0].authorization.credentials']).toMatch(/authorization.credentials is empty — write it, or a \$\{VARIABLE\} that holds it/);
    expect(issues('remoteWrite:\n  - url: https://a.example/push\n    authorization: { credentials: x1234567 }\n    basicAuth: { username: u, password: p1234567 }\n')['remoteWrite[0].basicAuth']).toBe('use either authorization or basicAuth, not both — the receiver takes one Authorization header');
    expect(issues('remoteWrite:\n  - url: https://a.example/push\n  - url: https://a.example/push/\n    name: again\n')['remoteWrite[1].url']).toBe('remoteWrite[0] already pushes to this url — list each receiver once');
    expect(issues('remoteWrite:\n  - url: https://a.example/push\n  - url: https://b.example/push\n    name: a.example/push\n')['remoteWrite[1].name']).toBe('remoteWrite[0] is already named "a.example/push" — give each receiver its own name');
    expect(issues('remoteWrite:\n  - url: https://a.example/push\n    labels: { __name__: x }\n')['remoteWrite[0].labels.__name__']).toMatch(/reserved for Prometheus/);
    expect(issues('remoteWrite:\n  - url: https://a.example/push\n    basicauth: {}\n')['remoteWrite[0].basicauth']).toMatch(/unknown key/);
    expect(issues('remoteWrite: { url: https://a.example/push }\n').remoteWrite).toMatch(/list/);
  });

  it('the container kit\'s example, uncommented, pushes to one receiver with the token compose passes in', () => {
    const example = readFileSync(path.join(repoRoot, 'deploy', 'footprint.example.yaml'), 'utf8');
    const token = 'mimir-token-0123456789';
    const loaded = parseConfig(uncommentYamlBlock(example, 'remoteWrite'), { file: path.join(dir, 'footprint.yaml'), env: { FOOTPRINT_AUTH_TOKEN: 'a'.repeat(24), REMOTE_WRITE_TOKEN: token }, dataDir: dir });
    expect(loaded.config.remoteWrite).toEqual([expect.objectContaining({ url: 'https://mimir.example.com/api/v1/push', authorization: `Bearer ${token}`, labels: { job: 'footprint', instance: 'my-footprint' } })]);
    expect(readFileSync(path.join(repoRoot, 'deploy', 'docker-compose.yml'), 'utf8')).toContain('REMOTE_WRITE_TOKEN: ${REMOTE_WRITE_TOKEN:-}');
  });
});
