import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../electron/core/config/issues.js';
import { formatEffectiveConfig, parseConfig } from '../../electron/core/config/config.js';
import { ga4ConfigSchema, ga4Source } from '../../electron/core/sources/ga4/index.js';
import { generateTestKeyPair, writeTestServiceAccount } from '../fakes/google/service-account.js';
import type { TestServiceAccount } from '../fakes/google/service-account.js';
import { refusedIssues } from '../support/config-issues.js';

const issuesOf = (input: unknown) => refusedIssues(ga4ConfigSchema, input);

describe('ga4 config schema', () => {
  it('fills the documented defaults', () => {
    expect(ga4ConfigSchema.parse({ credentialsFile: './sa.json', properties: ['123456789'] })).toEqual({
      credentialsFile: './sa.json',
      properties: ['123456789'],
      apiUrl: 'https://analyticsdata.googleapis.com',
      interval: 900_000,
      timeout: 20_000,
      backfillDays: 425,
    });
  });

  it('accepts property IDs as text, YAML numbers or resource names, and collects each once', () => {
    expect(ga4ConfigSchema.parse({ credentialsFile: 'k.json', properties: ['123', 456, 'properties/789', ' properties/123 '] }).properties).toEqual(['123', '456', '789']);
  });

  it('shows the right form of a property ID, recognising measurement and Universal Analytics IDs', () => {
    expect(issuesOf({ credentialsFile: 'k.json', properties: ['G-ABC123XYZ'] })).toEqual([
      {
        path: 'properties.0',
        message:
          '"G-ABC123XYZ" is not a GA4 property ID: write the property\'s number (Admin → Property settings), e.g. "123456789" or "properties/123456789"; "G-ABC123XYZ" is a measurement ID of a web stream — the property ID is the number in Admin → Property settings',
      },
    ]);
    expect(issuesOf({ credentialsFile: 'k.json', properties: ['UA-1234-1'] })[0]!.message).toContain('Universal Analytics');
    expect(issuesOf({ credentialsFile: 'k.json', properties: ['p123'] })[0]!.message).toContain('write "123"');
    expect(issuesOf({ credentialsFile: 'k.json', properties: [-5] })[0]!.message).toBe('-5 is not a GA4 property ID: write the property\'s number, e.g. "123456789"');
  });

  it('asks for at least one property and a key file', () => {
    expect(issuesOf({ credentialsFile: 'k.json', properties: [] })).toEqual([{ path: 'properties', message: 'list at least one GA4 property ID under ga4.properties, e.g. ["123456789"]' }]);
    expect(issuesOf({ credentialsFile: ' ', properties: ['1'] })).toEqual([{ path: 'credentialsFile', message: 'name the JSON key file of a service account, e.g. "./service-account.json"' }]);
  });

  it('refuses a URL that is not http(s), a short interval and unknown keys; drops a trailing slash', () => {
    const base = { credentialsFile: 'k.json', properties: ['1'] };
    expect(issuesOf({ ...base, apiUrl: 'analyticsdata.googleapis.com' })[0]).toEqual({
      path: 'apiUrl',
      message: '"analyticsdata.googleapis.com" is not an http(s) base URL: use "https://analyticsdata.googleapis.com"',
    });
    expect(issuesOf({ ...base, interval: '500ms' })[0]!.message).toBe('500ms is too short: use at least 1s');
    expect(issuesOf({ ...base, property: ['1'] })[0]!.message).toMatch(/property/);
    expect(ga4ConfigSchema.parse({ ...base, apiUrl: 'http://127.0.0.1:8080/', interval: '1h' })).toMatchObject({ apiUrl: 'http://127.0.0.1:8080', interval: 3_600_000 });
  });
});

describe('ga4 config through the config loader', () => {
  let dir: string;
  let account: TestServiceAccount;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'footprint-'));
    account = writeTestServiceAccount({ dir, tokenUri: 'https://oauth2.googleapis.com/token', keys: generateTestKeyPair(), fileName: 'sa.json' });
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const load = (yaml: string, homedir = dir) => parseConfig(yaml, { file: path.join(dir, 'footprint.yaml'), dataDir: dir, modules: [ga4Source], homedir, env: {} });

  it('reads the key file relative to the config file and keeps it out of the printed config', () => {
    const loaded = load('ga4:\n  credentialsFile: ./sa.json\n  properties: [123456789]\n');
    const config = loaded.config.sources.ga4 as ReturnType<typeof ga4ConfigSchema.parse> & { serviceAccount?: { clientEmail: string } };
    expect(config.credentialsFile).toBe(account.file);
    expect(config.serviceAccount?.clientEmail).toBe(account.clientEmail);
    expect(loaded.secrets).toContain(account.privateKeyPem);
    const printed = formatEffectiveConfig(loaded);
    expect(printed).toContain(`credentialsFile: ${account.file}`);
    expect(printed).toContain('interval: 15m');
    expect(printed).not.toContain('serviceAccount');
    expect(printed).not.toContain('PRIVATE KEY');
    expect(printed).not.toContain(account.privateKeyId);
  });

  it('resolves ~/ against the home folder', () => {
    const loaded = load('ga4:\n  credentialsFile: ~/sa.json\n  properties: ["1"]\n', dir);
    expect((loaded.config.sources.ga4 as { credentialsFile: string }).credentialsFile).toBe(account.file);
  });

  it('reports a missing key file as a config error on ga4.credentialsFile naming the file', () => {
    let error: unknown;
    try {
      load('ga4:\n  credentialsFile: ./missing.json\n  properties: ["1"]\n');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues;
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe('ga4.credentialsFile');
    expect(issues[0]!.message).toContain(path.join(dir, 'missing.json'));
    expect(issues[0]!.message).toContain('does not exist');
  });
});
