import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceConfigError } from '../../electron/core/source.js';
import { ga4Source } from '../../electron/core/sources/ga4/index.js';
import type { Ga4Config } from '../../electron/core/sources/ga4/index.js';
import { parseServiceAccountKey, readServiceAccountKey, resolveCredentialsPath } from '../../electron/core/sources/ga4/service-account.js';
import { generateTestKeyPair, writeTestServiceAccount } from '../fakes/google/service-account.js';
import type { TestKeyPair, TestServiceAccount } from '../fakes/google/service-account.js';

let dir: string;
let keys: TestKeyPair;
let account: TestServiceAccount;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'footprint-'));
  keys = generateTestKeyPair();
  account = writeTestServiceAccount({ dir, tokenUri: 'https://oauth2.googleapis.com/token', keys, fileName: 'good.json' });
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function configFor(credentialsFile: string): Ga4Config {
  return { credentialsFile, properties: ['123'], apiUrl: 'https://analyticsdata.googleapis.com', interval: 900_000, timeout: 20_000, backfillDays: 425 };
}

/** The SourceConfigError prepare() throws for this key file text (written to `name`). */
function refusal(name: string, text: string | Buffer): SourceConfigError {
  fs.writeFileSync(path.join(dir, name), text);
  try {
    ga4Source.prepare!(configFor(name), { configDir: dir, homedir: dir });
  } catch (error) {
    if (error instanceof SourceConfigError) return error;
    throw error;
  }
  throw new Error(`${name} was accepted`);
}

function withFields(fields: Record<string, unknown>): string {
  return JSON.stringify({ ...account.json, ...fields });
}

describe('service-account key file', () => {
  it('reads a good key: e-mail, key ID, token URI, project', () => {
    const key = readServiceAccountKey(account.file);
    expect(key).toMatchObject({ file: account.file, clientEmail: account.clientEmail, privateKeyId: account.privateKeyId, tokenUri: 'https://oauth2.googleapis.com/token', projectId: 'footprint-test' });
    expect(key.secretValues()).toEqual([keys.privateKeyPem, account.privateKeyId]);
  });

  it('resolves relative paths against the config folder and ~/ against home', () => {
    expect(resolveCredentialsPath('k.json', { configDir: '/etc/footprint', homedir: '/home/me' })).toBe('/etc/footprint/k.json');
    expect(resolveCredentialsPath('~/keys/k.json', { configDir: '/etc/footprint', homedir: '/home/me' })).toBe('/home/me/keys/k.json');
    expect(resolveCredentialsPath('/abs/k.json', { configDir: '/etc/footprint', homedir: '/home/me' })).toBe('/abs/k.json');
  });

  it('missing, a directory, or under a file: a config error on credentialsFile naming the file', () => {
    const cases: [string, RegExp][] = [
      ['nope.json', /does not exist — download a JSON key/],
      ['.', /is a directory/],
      ['good.json/inner.json', /cannot be read \(ENOTDIR\)/],
    ];
    for (const [name, message] of cases) {
      let error: unknown;
      try {
        ga4Source.prepare!(configFor(name), { configDir: dir, homedir: dir });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(SourceConfigError);
      expect((error as SourceConfigError).key).toBe('credentialsFile');
      expect((error as SourceConfigError).message).toContain(path.resolve(dir, name));
      expect((error as SourceConfigError).message).toMatch(message);
    }
  });

  it.skipIf(process.getuid?.() === 0)('unreadable (no permission): says so', () => {
    const file = path.join(dir, 'locked.json');
    fs.writeFileSync(file, withFields({}), { mode: 0o000 });
    expect(() => readServiceAccountKey(file)).toThrow(/cannot be read \(permission denied\)/);
  });

  it('malformed: not JSON, a bare PEM, binary, not an object — without quoting the file', () => {
    expect(refusal('text.json', '{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIE').message).toMatch(/text\.json is not a service-account key file: it is not valid JSON/);
    expect(refusal('key.pem', keys.privateKeyPem).message).toMatch(/key\.pem is not a service-account key file: it holds a bare PEM key/);
    expect(refusal('key.p12', Buffer.from([0x30, 0x82, 0x0a, 0x00, 0xff, 0xfe])).message).toMatch(/binary file/);
    expect(refusal('list.json', '[]').message).toMatch(/does not hold a JSON object/);
    for (const name of ['text.json', 'key.pem']) expect(refusal(name, name === 'key.pem' ? keys.privateKeyPem : 'x').message).not.toContain('PRIVATE KEY');
  });

  it('not a service account: user credentials, federation settings, no type', () => {
    expect(refusal('user.json', JSON.stringify({ type: 'authorized_user', client_id: 'x', refresh_token: 'y' })).message).toMatch(/user\.json is not a service-account key file: it holds user credentials \(type "authorized_user"/);
    expect(refusal('fed.json', JSON.stringify({ type: 'external_account' })).message).toMatch(/workload identity federation/);
    expect(refusal('notype.json', withFields({ type: undefined })).message).toMatch(/it has no "type": "service_account"/);
  });

  it('incomplete or damaged fields: client_email, private_key, token_uri, private_key_id', () => {
    expect(refusal('noemail.json', withFields({ client_email: undefined })).message).toMatch(/noemail\.json has no client_email/);
    expect(refusal('nokey.json', withFields({ private_key: undefined })).message).toMatch(/nokey\.json has no private_key/);
    const cut = keys.privateKeyPem.slice(0, 400);
    const damaged = refusal('cut.json', withFields({ private_key: cut }));
    expect(damaged.message).toMatch(/cut\.json: private_key is not a PEM private key that can be read/);
    expect(damaged.message).not.toContain(cut.split('\n')[1]!);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(refusal('ec.json', withFields({ private_key: ec })).message).toMatch(/private_key is a ec key, but Google service-account keys are RSA/);
    expect(refusal('notoken.json', withFields({ token_uri: undefined })).message).toMatch(/notoken\.json has no token_uri/);
    expect(refusal('badtoken.json', withFields({ token_uri: 'oauth2.googleapis.com/token' })).message).toMatch(/token_uri "oauth2.googleapis.com\/token" is not an http\(s\) URL/);
    expect(refusal('badid.json', withFields({ private_key_id: 42 })).message).toMatch(/private_key_id must be text/);
  });

  it('accepts a key without private_key_id (no kid) and a byte-order mark', () => {
    const key = parseServiceAccountKey(`\uFEFF${withFields({ private_key_id: undefined })}`, 'x.json');
    expect(key.privateKeyId).toBeNull();
    expect(key.secretValues()).toEqual([keys.privateKeyPem]);
  });

  it('never shows the private key when printed, inspected or serialised', () => {
    const prepared = ga4Source.prepare!(configFor('good.json'), { configDir: dir, homedir: dir });
    const shown = [JSON.stringify(prepared), inspect(prepared, { showHidden: true, depth: 5 }), JSON.stringify(prepared.serviceAccount), inspect(prepared.serviceAccount, { showHidden: true }), String(Object.entries(prepared))].join('\n');
    expect(shown).toContain(account.clientEmail);
    expect(shown).not.toContain('PRIVATE KEY');
    expect(shown).not.toContain(keys.privateKeyPem.split('\n')[2]!);
    // The prepared key is not an enumerable key of the section.
    expect(Object.keys(prepared)).toEqual(['credentialsFile', 'properties', 'apiUrl', 'interval', 'timeout', 'backfillDays']);
    expect(ga4Source.secrets(prepared)).toEqual([keys.privateKeyPem, account.privateKeyId]);
  });
});
