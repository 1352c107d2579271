import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SECRET_UNCHANGED } from '../../../../shared/api.js';
import { CoreApi } from '../../../../electron/core/api.js';
import { loadConfig } from '../../../../electron/core/config/config.js';
import { FootprintCore } from '../../../../electron/core/core.js';
import { silentLogger } from '../../../../electron/core/log.js';
import {
  extractLiteralSecrets, maskStoredReferences, referencedSecretNames, SecretVault, secretEnvName, secretStorageWarning,
  type SecretCipher, type SecretRecord, type SecretRecordStore,
} from '../../../../electron/shell/settings/secret-vault.js';
import { ShellApi } from '../../../../electron/shell/ipc/shell-api.js';
import { fakeGitHubToken } from '../../../support/test-tokens.js';
import { writeTestServiceAccount } from '../../../fakes/google/service-account.js';

/** A stand-in for safeStorage: reversible, and never the plain text. */
function fakeCipher(available = true): SecretCipher & { decrypted: number } {
  return {
    decrypted: 0,
    isAvailable: async () => available,
    encrypt: async (text) => Buffer.from(`enc:${[...text].reverse().join('')}`),
    async decrypt(data) {
      this.decrypted++;
      const text = data.toString();
      if (!text.startsWith('enc:')) throw new Error('not ours');
      return { text: [...text.slice(4)].reverse().join(''), reEncrypt: false };
    },
  };
}

function memoryRecords(initial: Record<string, SecretRecord> = {}): SecretRecordStore & { records: Record<string, SecretRecord> } {
  const store = {
    records: { ...initial },
    read: () => ({ ...store.records }),
    write: (records: Record<string, SecretRecord>) => {
      store.records = { ...records };
    },
  };
  return store;
}

const TOKEN = fakeGitHubToken();

describe('extractLiteralSecrets', () => {
  it('replaces literal secrets with FOOTPRINT_SECRET_ references and leaves the rest', () => {
    const { settings, secrets } = extractLiteralSecrets('github', { token: TOKEN, orgs: ['acme'], apiUrl: 'https://api.github.com' });
    expect(settings).toEqual({ token: '${FOOTPRINT_SECRET_GITHUB_TOKEN}', orgs: ['acme'], apiUrl: 'https://api.github.com' });
    expect(secrets).toEqual([{ name: 'FOOTPRINT_SECRET_GITHUB_TOKEN', value: TOKEN, path: 'github.token' }]);
  });

  it('leaves references, the "unchanged" marker and empty values alone', () => {
    for (const token of ['${GITHUB_TOKEN}', '${GITHUB_TOKEN:-}', SECRET_UNCHANGED, '', '   ']) {
      expect(extractLiteralSecrets('github', { token }).secrets, JSON.stringify(token)).toEqual([]);
    }
  });

  it('keeps every header value of a JSON source (a list section) in the vault, whatever the header is called', () => {
    const { settings, secrets } = extractLiteralSecrets('http', [{ name: 'hf', url: 'https://huggingface.co/api/models/a/b', headers: { 'X-Api-Key': 'k-123456', Authorization: '${HF_TOKEN}' }, metrics: [{ name: 'hf_downloads', value: 'downloads' }] }]);
    expect(secrets.map((secret) => [secret.path, secret.value])).toEqual([['http[0].headers.X-Api-Key', 'k-123456']]);
    expect((settings as { headers: Record<string, string> }[])[0]!.headers).toEqual({ 'X-Api-Key': `\${${secrets[0]!.name}}`, Authorization: '${HF_TOKEN}' });
  });

  it('finds secrets at any depth and names them by path', () => {
    const { settings, secrets } = extractLiteralSecrets('dockerhub', { auth: { password: 'hunter22' }, accounts: [{ token: 'abcdef123' }] });
    expect(secrets.map((secret) => secret.name)).toEqual(['FOOTPRINT_SECRET_DOCKERHUB_AUTH_PASSWORD', 'FOOTPRINT_SECRET_DOCKERHUB_ACCOUNTS_0_TOKEN']);
    expect(referencedSecretNames(settings)).toEqual(new Set(secrets.map((secret) => secret.name)));
    expect(secretEnvName('my-source', ['api.key'])).toBe('FOOTPRINT_SECRET_MY_SOURCE_API_KEY');
  });

  it('shows the app\'s own references as stored secrets, and other references as written', () => {
    const masked = maskStoredReferences({ token: '${FOOTPRINT_SECRET_GITHUB_TOKEN}', other: '${FOOTPRINT_SECRET_GONE}', env: '${GITHUB_TOKEN}' }, new Set(['FOOTPRINT_SECRET_GITHUB_TOKEN']));
    expect(masked).toEqual({ token: SECRET_UNCHANGED, other: '${FOOTPRINT_SECRET_GONE}', env: '${GITHUB_TOKEN}' });
  });
});

describe('secretStorageWarning', () => {
  it('warns about Linux without a keyring and about no encryption at all', () => {
    expect(secretStorageWarning('linux', true, 'basic_text')).toMatch(/No keyring/);
    expect(secretStorageWarning('linux', true, 'gnome_libsecret')).toBeNull();
    expect(secretStorageWarning('darwin', true, null)).toBeNull();
    expect(secretStorageWarning('win32', false, null)).toMatch(/no encrypted storage/);
  });
});

describe('SecretVault', () => {
  it('encrypts on save, puts the value into the environment, and forgets secrets no longer referenced', async () => {
    const env: Record<string, string | undefined> = {};
    const records = memoryRecords();
    const vault = new SecretVault(fakeCipher(), records, env);
    const prepared = await vault.protect('github', { token: TOKEN });
    if (!prepared.ok) throw new Error('expected ok');
    expect(env.FOOTPRINT_SECRET_GITHUB_TOKEN).toBe(TOKEN);
    expect(records.records).toEqual({});
    prepared.commit(prepared.settings);
    expect(Object.keys(records.records)).toEqual(['FOOTPRINT_SECRET_GITHUB_TOKEN']);
    expect(Buffer.from(records.records.FOOTPRINT_SECRET_GITHUB_TOKEN!.data, 'base64').toString()).not.toContain(TOKEN);

    const cleared = await vault.protect('github', { orgs: ['acme'] });
    if (!cleared.ok) throw new Error('expected ok');
    cleared.commit(cleared.settings);
    expect(records.records).toEqual({});
    expect(env.FOOTPRINT_SECRET_GITHUB_TOKEN).toBeUndefined();
  });

  it('puts the environment back when the save fails', async () => {
    const env: Record<string, string | undefined> = { FOOTPRINT_SECRET_GITHUB_TOKEN: 'old-value-1' };
    const vault = new SecretVault(fakeCipher(), memoryRecords(), env);
    const prepared = await vault.protect('github', { token: TOKEN });
    if (!prepared.ok) throw new Error('expected ok');
    prepared.rollback();
    expect(env.FOOTPRINT_SECRET_GITHUB_TOKEN).toBe('old-value-1');
  });

  it('refuses literal secrets when the system cannot encrypt, and says what to do', async () => {
    const vault = new SecretVault(fakeCipher(false), memoryRecords(), {});
    const prepared = await vault.protect('github', { token: TOKEN });
    expect(prepared).toEqual({ ok: false, issues: [{ path: 'github.token', message: expect.stringMatching(/no encrypted storage.*\$\{GITHUB_TOKEN\}/) }] });
    expect((await vault.protect('github', { token: '${GITHUB_TOKEN}' })).ok).toBe(true);
  });

  it('decrypts stored secrets into the environment at start, and reports those it cannot', async () => {
    const cipher = fakeCipher();
    const data = (await cipher.encrypt(TOKEN)).toString('base64');
    const env: Record<string, string | undefined> = {};
    const vault = new SecretVault(cipher, memoryRecords({
      FOOTPRINT_SECRET_GITHUB_TOKEN: { source: 'github', data },
      FOOTPRINT_SECRET_NPM_TOKEN: { source: 'npm', data: Buffer.from('garbage').toString('base64') },
    }), env);
    expect(await vault.unlock()).toEqual(['FOOTPRINT_SECRET_NPM_TOKEN']);
    expect(env.FOOTPRINT_SECRET_GITHUB_TOKEN).toBe(TOKEN);
    expect(vault.names()).toEqual(new Set(['FOOTPRINT_SECRET_GITHUB_TOKEN', 'FOOTPRINT_SECRET_NPM_TOKEN']));
  });
});

describe('ShellApi with the real CoreApi', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-vault-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function open() {
    const file = path.join(dir, 'footprint.yaml');
    writeFileSync(file, 'storage: { path: history.db }\ngithub:\n  orgs: [acme]\n');
    const env: Record<string, string | undefined> = {};
    const records = memoryRecords();
    const vault = new SecretVault(fakeCipher(), records, env);
    const core = new FootprintCore({ loaded: loadConfig({ flag: file, env, homedir: dir }), log: silentLogger() });
    const paused: string[] = [];
    const api = new ShellApi(new CoreApi(core, { metricsUrl: () => null, env }), {
      vault,
      metricsProblem: () => 'server.listen: 127.0.0.1:9171 is already in use',
      secretStorageWarning: () => 'No keyring was found',
      pauseAll: () => paused.push('pause'),
      resumeAll: () => paused.push('resume'),
    });
    return { file, env, records, core, api, paused };
  }

  it('saves a typed token as a reference: the file never holds it, the core gets it', async () => {
    const { file, env, records, core, api } = open();
    expect(await api.saveSource('github', { orgs: ['acme'], token: TOKEN })).toEqual({ ok: true });
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(TOKEN);
    expect(text).toContain('token: ${FOOTPRINT_SECRET_GITHUB_TOKEN}');
    expect(env.FOOTPRINT_SECRET_GITHUB_TOKEN).toBe(TOKEN);
    expect(Object.keys(records.records)).toEqual(['FOOTPRINT_SECRET_GITHUB_TOKEN']);
    expect((core.loaded.config.sources.github as { token?: string }).token).toBe(TOKEN);
    // Settings shows it as a stored secret; saving that marker back keeps it.
    expect((await api.config()).sources.github).toEqual({ orgs: ['acme'], token: SECRET_UNCHANGED });
    expect(await api.saveSource('github', { orgs: ['acme', 'octo'], token: SECRET_UNCHANGED })).toEqual({ ok: true });
    expect(readFileSync(file, 'utf8')).toContain('token: ${FOOTPRINT_SECRET_GITHUB_TOKEN}');
    expect(Object.keys(records.records)).toEqual(['FOOTPRINT_SECRET_GITHUB_TOKEN']);
    await core.close();
  });

  it('sends a kept token only to its address: a new address needs the token typed again, which the vault then keeps', async () => {
    const { file, env, records, core, api } = open();
    expect(await api.saveSource('github', { orgs: ['acme'], token: TOKEN })).toEqual({ ok: true });
    const moved = { orgs: ['acme'], token: SECRET_UNCHANGED, apiUrl: 'http://127.0.0.1:9561' };
    const refused = await api.saveSource('github', moved);
    expect(refused).toEqual({ ok: false, issues: [{ path: 'github.token', message: expect.stringMatching(/^The API address changed: type the token again/) }] });
    expect(readFileSync(file, 'utf8')).not.toContain('9561');
    expect(env.FOOTPRINT_SECRET_GITHUB_TOKEN).toBe(TOKEN);
    // Over HTTP the vault is not involved: its reference in a request is carried, not typed.
    const overHttp = await new CoreApi(core, { metricsUrl: () => null, env }).saveSource('github', { ...moved, token: '${FOOTPRINT_SECRET_GITHUB_TOKEN}' });
    expect(overHttp.ok).toBe(false);

    const retyped = fakeGitHubToken();
    expect(await api.saveSource('github', { ...moved, token: retyped })).toEqual({ ok: true });
    expect(readFileSync(file, 'utf8')).toContain('http://127.0.0.1:9561');
    expect(readFileSync(file, 'utf8')).not.toContain(retyped);
    expect(env.FOOTPRINT_SECRET_GITHUB_TOKEN).toBe(retyped);
    expect(Object.keys(records.records)).toEqual(['FOOTPRINT_SECRET_GITHUB_TOKEN']);
    await core.close();
  });

  it('stores an uploaded GA4 key file beside the configuration, as `footprint serve` does, not in the keychain', async () => {
    const { records, core, api } = open();
    const account = writeTestServiceAccount({ dir: mkdtempSync(path.join(os.tmpdir(), 'footprint-key-')), tokenUri: 'https://oauth2.googleapis.com/token' });
    const result = await api.uploadKeyFile('ga4', readFileSync(account.file, 'utf8'));
    expect(result).toEqual({ ok: true, path: './ga4-service-account.json', account: account.clientEmail });
    const stored = path.join(dir, 'ga4-service-account.json');
    expect(JSON.parse(readFileSync(stored, 'utf8'))).toEqual(account.json);
    expect(statSync(stored).mode & 0o777).toBe(0o600);
    expect(records.records).toEqual({});
    rmSync(path.dirname(account.file), { recursive: true, force: true });
    await core.close();
  });

  it('keeps nothing when the save is invalid', async () => {
    const { file, env, records, core, api } = open();
    const before = readFileSync(file, 'utf8');
    const result = await api.saveSource('github', { token: TOKEN });
    expect(result.ok).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(env.FOOTPRINT_SECRET_GITHUB_TOKEN).toBeUndefined();
    expect(records.records).toEqual({});
    await core.close();
  });

  it('adds the app\'s notes to AppInfo and routes pause/resume of everything through the app', async () => {
    const { core, api, paused } = open();
    const info = await api.info();
    expect(info.metricsProblem).toBe('server.listen: 127.0.0.1:9171 is already in use');
    expect(info.secretStorageWarning).toBe('No keyring was found');
    expect(info.secretStore).toBe('keychain'); // Settings says a typed token goes to the keychain
    await api.pause();
    await api.resume();
    expect(paused).toEqual(['pause', 'resume']);
    await core.close();
  });
});
